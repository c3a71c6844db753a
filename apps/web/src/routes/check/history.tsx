import type { CheckResult, StateChange, Uptime } from '../../api/types';
import { Section } from '../../components/layout';
import { Empty } from '../../components/notice';
import { LatencyChart, bucketResults, rawPoints, type ChartPoint } from '../../features/monitoring/latency-chart';
import { STATE_LABELS, clockTime, duration, formatLatency, formatPercent } from '../../features/monitoring/state';
import { StateDot } from '../../features/monitoring/state-badge';
import type { CheckState } from '../../api/types';

const DAY = 86_400_000;

/** Fewer results than this are drawn one by one; more are averaged into slots. */
const RAW_LIMIT = 96;

/**
 * The last 24 hours: raw results where we have them, the hourly roll-ups before that. A check younger
 * than that (no roll-up yet) is drawn over the time it has results for, each result a point, rather
 * than as one dot at the right edge of an empty day.
 */
export function LatencySection({
  results,
  uptime,
  now,
}: {
  results: readonly CheckResult[] | undefined;
  uptime: Uptime | undefined;
  now: Date;
}) {
  const to = now.getTime();
  const dayAgo = to - DAY;
  const inDay = (results ?? []).filter((r) => new Date(r.at).getTime() >= dayAgo);
  const oldestRaw = inDay.length ? Math.min(...inDay.map((r) => new Date(r.at).getTime())) : to;
  const hourly: ChartPoint[] = (uptime?.hourly ?? [])
    .map((h) => ({
      at: new Date(h.hour).getTime() + 1_800_000,
      latencyMs: h.latencyMeanMs,
      failed: h.count ? h.failures / h.count : 0,
      spanMs: 3_600_000,
    }))
    .filter((p) => p.at >= dayAgo && p.at < oldestRaw - 1_800_000);
  // Without roll-ups, the window starts a little before the first result (at least the last 2 minutes).
  const young = hourly.length === 0 && inDay.length > 0;
  const from = young ? Math.max(dayAgo, Math.min(to - 2 * 60_000, oldestRaw - (to - oldestRaw) * 0.05)) : dayAgo;
  const raw = inDay.length <= RAW_LIMIT ? rawPoints(inDay) : bucketResults(inDay, from, to);
  const points = [...hourly, ...raw].sort((a, b) => a.at - b.at);
  const span = young
    ? `since the first result, ${duration(new Date(oldestRaw).toISOString(), now)} ago`
    : 'last 24 hours';
  return (
    <Section title={`Latency, ${span}`}>
      <div className="card chart-card">
        {points.length === 0 ? (
          <p className="muted small">No results in the last 24 hours yet.</p>
        ) : (
          <>
            <LatencyChart points={points} from={from} to={to} label={`Latency, ${span}`} />
            <p className="chart-legend small muted">
              <span className="legend-line" aria-hidden="true" /> response time{' '}
              <span className="legend-failed" aria-hidden="true" /> failed
            </p>
          </>
        )}
      </div>
    </Section>
  );
}

export function UptimeSection({ uptime }: { uptime: Uptime | undefined }) {
  const windows = uptime
    ? ([
        ['24 hours', uptime.day],
        ['7 days', uptime.week],
        ['30 days', uptime.month],
      ] as const)
    : [];
  return (
    <Section title="Uptime">
      <dl className="uptime" aria-label="Uptime">
        {windows.map(([label, w]) => (
          <div key={label} className={`uptime-tile ${w.percent !== null && w.percent < 99 ? 'is-low' : ''}`}>
            <dt>{label}</dt>
            <dd>
              <span className="uptime-percent">{formatPercent(w.percent)}</span>
              <span className="small muted">
                {w.checks === 0 ? 'no results' : `${w.failures} failed of ${w.checks}`}
                {w.latencyMeanMs !== null && ` · avg ${formatLatency(w.latencyMeanMs)}`}
              </span>
            </dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

const asState = (s: string): CheckState => (s in STATE_LABELS ? (s as CheckState) : 'unknown');

export function StateChangesSection({
  changes,
  now,
  timeZone,
}: {
  changes: readonly StateChange[] | undefined;
  now: Date;
  timeZone?: string;
}) {
  return (
    <Section title="State changes">
      {changes && changes.length === 0 && <Empty title="No changes yet" />}
      {changes && changes.length > 0 && (
        <ol className="card rows changes" aria-label="State changes">
          {changes.map((c) => (
            <li key={c.id} className="row row-static">
              <StateDot state={asState(c.to)} />
              <span className="row-main">
                <span className="row-title">
                  {STATE_LABELS[asState(c.from)]} → {STATE_LABELS[asState(c.to)]}
                  <time className="muted small" dateTime={c.at}>
                    {clockTime(c.at, now, timeZone)}
                  </time>
                </span>
                <span className="row-meta">
                  {c.reason}
                  {c.rootCauseId && ' · follows from another change'}
                </span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
