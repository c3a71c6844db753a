import type { Heartbeat, HeartbeatHistory } from '../../api/types';
import { useApi } from '../../api/use-api';
import { clockTime } from '../../features/monitoring/state';
import { formatNumber } from '../../lib/date-format';

/**
 * While a heartbeat's last result is a failure (or a warning), that run's output or e-mail, at the top of
 * its screen: what the technician opened the screen to read.
 */
export function LastFailure({ heartbeat: h, now }: { heartbeat: Heartbeat; now: Date }) {
  const result = h.lastResult?.result;
  const action = result === 'failure' ? 'fail' : result === 'warning' ? 'warning' : null;
  const { data } = useApi<HeartbeatHistory>(action ? `/api/heartbeats/${h.id}/history?action=${action}&limit=1` : null);
  const e = data?.items[0];
  if (!action || !e) return null;
  const what = action === 'fail' ? 'failure' : 'warning';
  return (
    <section className="last-failure" aria-label={`Last ${what}`}>
      <p className="last-failure-head">
        <strong>
          Last {what}, {clockTime(e.at, now, h.timeZone)}
        </strong>
        {e.exitStatus !== null && <span className="badge badge-muted">exit {e.exitStatus}</span>}
        {e.emailSubject && <span className="history-subject">{e.emailSubject}</span>}
      </p>
      {e.body ? (
        <pre className="last-failure-output">
          {e.body}
          {e.bodySize > e.body.length && `\n… cut (${formatNumber(e.bodySize)} bytes in all)`}
        </pre>
      ) : (
        <p className="muted small">
          It sent no output. Send the job's log with the ping (POST its output) to read it here.
        </p>
      )}
    </section>
  );
}
