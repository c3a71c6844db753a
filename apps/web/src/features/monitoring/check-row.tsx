import { Link } from 'wouter';
import type { StatusCheck } from '../../api/types';
import { ChevronIcon } from '../../components/icons';
import { Sparkline } from './sparkline';
import { CHECK_KIND_SHORT, STATE_LABELS, duration, formatLatency } from './state';
import { StateDot } from './state-badge';

/** One check on a site's system: state, last message, latency sparkline; opens the check. */
export function CheckRow({ check, now }: { check: StatusCheck; now: Date }) {
  const message =
    check.state === 'unknown' || check.state === 'paused'
      ? check.stateReason
      : (check.lastResult?.message ?? check.stateReason);
  return (
    <li>
      <Link href={`/checks/${check.id}`} className={`row checkrow is-${check.state}`}>
        <StateDot state={check.state} />
        <span className="row-main">
          <span className="row-title">
            {check.name}
            <span className="badge badge-muted">{CHECK_KIND_SHORT[check.kind]}</span>
            {check.probe === 'agent' && <span className="badge badge-muted">agent</span>}
          </span>
          <span className="row-meta">
            <strong className={`tone tone-${check.state}`}>{STATE_LABELS[check.state]}</strong>
            {check.state !== 'up' && ` for ${duration(check.stateSince, now)}`} · {message}
          </span>
        </span>
        <span className="checkrow-latency">
          <Sparkline values={check.latencies} label={`Latency of ${check.name}`} />
          <span className="small muted">{formatLatency(check.lastResult?.latencyMs)}</span>
        </span>
        <ChevronIcon />
      </Link>
    </li>
  );
}
