import { Link } from 'wouter';
import type { ProblemLine, SummaryGroup } from '../../features/monitoring/now-model';
import { STATE_LABELS, clockTime, duration } from '../../features/monitoring/state';

/** The problems of one site, worst first, each on one line a tired person can read. */
export function ProblemLines({ problems, timeZone, now }: { problems: ProblemLine[]; timeZone: string; now: Date }) {
  const since = (iso: string) => `since ${clockTime(iso, now, timeZone)} (${duration(iso, now)})`;
  return (
    <ul className="problems" aria-label="Problems">
      {problems.map((p) => {
        switch (p.type) {
          case 'agent':
            return (
              <li key="agent" className="problem is-down is-agent">
                <span className="problem-state">Unreachable</span>
                <span className="problem-text">
                  <strong>
                    Site agent{p.agentName ? ` ${p.agentName}` : ''} unreachable since{' '}
                    {clockTime(p.since, now, timeZone)}
                  </strong>{' '}
                  — {p.unknown} check{p.unknown === 1 ? '' : 's'} unknown
                  <span className="problem-since"> · {duration(p.since, now)}</span>
                </span>
              </li>
            );
          case 'group': {
            const g = p.group;
            return (
              <li key={`g:${g.probe}:${g.reason}`} className="problem is-unknown">
                <span className="problem-state">Unknown</span>
                <span className="problem-text">
                  <strong>{g.count} checks</strong> {g.reason.startsWith('because') ? g.reason : `· ${g.reason}`}
                  <span className="problem-since"> · {groupNames(g)}</span>
                </span>
              </li>
            );
          }
          case 'check': {
            const c = p.check;
            const message = c.state === 'unknown' ? c.stateReason : (c.lastResult?.message ?? c.stateReason);
            return (
              <li key={c.id} className={`problem is-${c.state}`}>
                <Link href={`/checks/${c.id}`} className="problem-link">
                  <span className="problem-state">{STATE_LABELS[c.state]}</span>
                  <span className="problem-text">
                    <strong>
                      {c.systemName} · {c.name}
                    </strong>{' '}
                    — {message}
                    <span className="problem-since"> · {since(c.stateSince)}</span>
                  </span>
                </Link>
              </li>
            );
          }
          default:
            return null;
        }
      })}
    </ul>
  );
}

/** "FS01 backup, VM2 rdp and 7 more": who is affected, short enough for a phone. */
function groupNames(group: SummaryGroup): string {
  return group.count <= group.names.length
    ? group.names.join(', ')
    : `${group.names.slice(0, 3).join(', ')} and ${group.count - 3} more`;
}
