import type { StateCounts } from '../../api/types';

/** Heartbeats in trouble, counted into the tiles: failed with Down, late with Degraded. */
export interface HeartbeatTrouble {
  failed: number;
  late: number;
}

const TILES = [
  ['down', 'Down'],
  ['degraded', 'Degraded'],
  ['unknown', 'Unknown'],
  ['up', 'Up'],
] as const;

/**
 * The four state tiles of Now and of a site: checks by state, with failed and late heartbeats (backups,
 * scheduled jobs) counted in the Down and Degraded tiles and said under the count.
 */
export function StateTotals({
  counts,
  heartbeats,
  label = 'Checks by state',
}: {
  counts: StateCounts;
  heartbeats?: HeartbeatTrouble;
  label?: string;
}) {
  const extra = { down: heartbeats?.failed ?? 0, degraded: heartbeats?.late ?? 0, unknown: 0, up: 0 };
  const note = { down: 'failed', degraded: 'late', unknown: '', up: '' };
  return (
    <dl className="totals state-totals" aria-label={label}>
      {TILES.map(([state, label]) => {
        const n = counts[state] + extra[state];
        return (
          <div key={state} className={`total total-${state} ${n > 0 ? 'is-on' : ''}`}>
            <dt>{label}</dt>
            <dd>
              {n}
              {extra[state] > 0 && (
                <span className="total-note">
                  {extra[state]} job{extra[state] === 1 ? '' : 's'} {note[state]}
                </span>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
