import { Link } from 'wouter';
import type { HeartbeatSummary } from '../../api/types';
import { ChevronIcon } from '../../components/icons';

/**
 * On Now, with the other problems: failed (down) and late heartbeats, as one line that opens Backups.
 * Nothing when no heartbeat exists; a quiet line when all report in.
 */
export function BackupsLine({ data }: { data: HeartbeatSummary | undefined }) {
  if (!data) return null;
  const total = Object.values(data.counts).reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const problems = data.failed + data.late;
  const parts = [data.failed > 0 && `${data.failed} failed`, data.late > 0 && `${data.late} late`]
    .filter(Boolean)
    .join(', ');
  const tone = data.failed > 0 ? 'down' : data.late > 0 ? 'degraded' : 'up';
  return (
    <Link
      href="/backups"
      className={`status-strip is-${tone}`}
      style={{ textDecoration: 'none' }}
      aria-label={problems ? `Backups: ${parts}` : `Backups: ${data.counts.up} up`}
    >
      <span className={`dot dot-${tone}`} aria-hidden="true" />
      <span style={{ flex: 1 }}>
        {problems ? (
          <>
            <strong>Backups and scheduled jobs: {parts}.</strong> Open Backups
          </>
        ) : (
          <>
            <strong>Backups:</strong> {data.counts.up} reporting in
            {data.counts.degraded ? `, ${data.counts.degraded} with warnings` : ''}
          </>
        )}
      </span>
      <ChevronIcon />
    </Link>
  );
}
