import type { HubHeartbeat } from '@afterhours/shared';
import { useApi } from '../../api/use-api';
import { Section } from '../../components/layout';
import { ErrorNotice } from '../../components/notice';
import { useNow } from '../../features/register/use-now';
import { clockTime } from '../../lib/date-format';

const STATE: Record<HubHeartbeat['state'], { label: string; className: string }> = {
  ok: { label: 'Running', className: 'badge badge-ok' },
  late: { label: 'Stuck', className: 'badge badge-danger' },
  never: { label: 'Not run yet', className: 'badge badge-muted' },
};

/** The hub's own engines and their heartbeats: a stuck one is also raised as an alert. */
export function HubHealth() {
  const { data, error, reload } = useApi<{ items: HubHeartbeat[] }>('/api/hub/heartbeats');
  const now = useNow();
  return (
    <Section title="Hub health">
      <ErrorNotice error={error} onRetry={reload} />
      <ul className="card rows" aria-label="Hub health">
        {data?.items.map((hb) => (
          <li key={hb.name} className="row row-static">
            <span className="row-main">
              <span className="row-title">
                {hb.label} <span className={STATE[hb.state].className}>{STATE[hb.state].label}</span>
              </span>
              <span className="row-meta">
                {hb.lastBeatAt
                  ? `Last pass ${clockTime(hb.lastBeatAt, now)} · ${hb.process}`
                  : 'No pass recorded since this hub was set up'}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </Section>
  );
}
