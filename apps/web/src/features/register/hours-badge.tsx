import type { SupportHours } from '../../api/types';
import { inSupportHours } from './contract';

/** Whether the client is inside its contracted support hours right now. */
export function HoursBadge({ hours, now }: { hours: SupportHours; now: Date }) {
  if (hours.kind === 'always') return <span className="badge badge-info">24/7</span>;
  return inSupportHours(hours, now) ? (
    <span className="badge badge-ok">In support hours</span>
  ) : (
    <span className="badge badge-muted">Outside support hours</span>
  );
}
