import type { Contract, SupportHours } from '../../api/types';
import { formatWallTime, isOtherZone } from '../../lib/date-format';
import { formatMinutes, supportNow } from './contract';
import { WEEKDAY_LABELS } from './labels';
import { zoneClock } from './time';

/**
 * What applies now under the contract: "24/7", "In support hours until 18:00", or "Outside support
 * hours — next Mon 08:00"; on the contract's clock, its zone named when it is not the device's.
 */
export function HoursBadge({ hours, now }: { hours: SupportHours; now: Date }) {
  const state = supportNow(hours, now);
  if (state.kind === 'always' || hours.kind === 'always') return <span className="badge badge-info">24/7</span>;
  const zone = isOtherZone(hours.timeZone) ? ` (${hours.timeZone})` : '';
  const today = zoneClock(hours.timeZone, now).day;
  const when = (at: { day: keyof typeof WEEKDAY_LABELS; time: string }) =>
    `${at.day === today ? 'today' : WEEKDAY_LABELS[at.day]} ${formatWallTime(at.time)}${zone}`;
  return state.kind === 'in' ? (
    <span className="badge badge-ok hours-badge">In support hours until {when(state.until)}</span>
  ) : (
    <span className="badge badge-muted hours-badge">
      Outside support hours{state.next ? ` — next ${when(state.next)}` : ''}
    </span>
  );
}

/** The response target as it stands now: it runs in support hours only. */
export function ResponseLine({
  contract,
  now,
}: {
  contract: Pick<Contract, 'supportHours' | 'responseTargetMinutes'>;
  now: Date;
}) {
  const target = formatMinutes(contract.responseTargetMinutes);
  return supportNow(contract.supportHours, now).kind === 'out' ? (
    <>No response target until support hours begin (then {target})</>
  ) : (
    <>Respond within {target}</>
  );
}
