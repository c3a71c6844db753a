import { Link } from 'wouter';
import type { Heartbeat } from '../../api/types';
import { Button } from '../../components/button';
import { ChevronIcon, PlusIcon } from '../../components/icons';
import { timeAgo } from '../register/time';
import { HeartbeatDot } from './heartbeat-state';
import { HEARTBEAT_STATUS_LABELS, HEARTBEAT_TONE, describeSchedule } from './labels';

/** On a site's system card: its heartbeats (each opens its screen) and "Add heartbeat". */
export function SystemHeartbeats({
  systemName,
  heartbeats,
  now,
  onAdd,
}: {
  systemName: string;
  heartbeats: readonly Heartbeat[];
  now: Date;
  onAdd: (() => void) | null;
}) {
  return (
    <>
      {heartbeats.length > 0 && (
        <ul className="rows checkrows" aria-label={`Heartbeats of ${systemName}`}>
          {heartbeats.map((h) => (
            <li key={h.id}>
              <Link href={`/heartbeats/${h.id}`} className={`row checkrow is-${HEARTBEAT_TONE[h.status]}`}>
                <HeartbeatDot status={h.status} />
                <span className="row-main">
                  <span className="row-title">
                    {h.name}
                    <span className="badge badge-muted">heartbeat</span>
                  </span>
                  <span className="row-meta">
                    <strong className={`tone tone-${HEARTBEAT_TONE[h.status]}`}>
                      {HEARTBEAT_STATUS_LABELS[h.status]}
                    </strong>{' '}
                    · {describeSchedule(h.schedule)} · last ping {timeAgo(h.lastPingAt, now)}
                  </span>
                </span>
                <ChevronIcon />
              </Link>
            </li>
          ))}
        </ul>
      )}
      {onAdd && (
        <Button small className="add-check" aria-label={`Add heartbeat to ${systemName}`} onClick={onAdd}>
          <PlusIcon /> Add heartbeat
        </Button>
      )}
    </>
  );
}
