import { useState } from 'react';
import type { CheckHistory, CheckResult, StateChange, Uptime } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Section } from '../../components/layout';
import { Empty } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import { LatencyChart, bucketResults, rawPoints, type ChartPoint } from '../../features/monitoring/latency-chart';
import { STATE_LABELS, clockTime, duration, formatLatency, formatPercent } from '../../features/monitoring/state';
import { StateDot } from '../../features/monitoring/state-badge';
import type { CheckState } from '../../api/types';

const DAY = 86_400_000;

/** Fewer results than this are drawn one by one; more are averaged into slots. */
const RAW_LIMIT = 96;

type Range = '1d' | '7d' | '30d' | '90d' | '1y';
const RANGES = [
  ['1d', '24 h'],
  ['7d', '7 d'],
  ['30d', '30 d'],
  ['90d', '90 d'],
  ['1y', '1 y'],
] as const;
const RANGE_NAMES: Record<Range, string> = {
  '1d': 'last 24 hours',
  '7d': 'last 7 days',
  '30d': 'last 30 days',
  '90d': 'last 90 days',
  '1y': 'last year',
};

/** Latency and failures over 24 hours (raw results) or, picked, 7, 30, 90 days or a year (roll-ups). */
export function LatencySection({
  checkId,
  results,
  uptime,
  now,
}: {
  checkId: string;
  results: readonly CheckResult[] | undefined;
  uptime: Uptime | undefined;
  now: Date;
}) {
  const [range, setRange] = useState<Range>('1d');
  const history = useApi<CheckHistory>(range === '1d' ? null : `/api/checks/${checkId}/history?range=${range}`);
  const chart =
    range === '1d' ? dayChart(results, uptime, now) : history.data ? rangeChart(history.data, now) : undefined;
  const span = chart?.span ?? RANGE_NAMES[range];
  return (
    <Section title={`Latency, ${span}`}>
      <Segmented small label="Chart range" name="chart-range" value={range} choices={RANGES} onChange={setRange} />
      <div className="card chart-card">
        {!chart ? (
          <p className="muted small">Loading…</p>
        ) : chart.points.length === 0 ? (
          <p className="muted small">No results in the {RANGE_NAMES[range]} yet.</p>
        ) : (
          <>
            <LatencyChart points={chart.points} from={chart.from} to={chart.to} label={`Latency, ${span}`} />
            <p className="chart-legend small muted">
              <span className="legend-line" aria-hidden="true" /> response time{' '}
              <span className="legend-failed" aria-hidden="true" /> failed
            </p>
            {range !== '1d' && history.data && (
              <p className="small muted">
                {formatPercent(history.data.summary.percent)} up · {history.data.summary.failures} failed of{' '}
                {history.data.summary.checks.toLocaleString()}
                {history.data.summary.latencyMeanMs !== null &&
                  ` · avg ${formatLatency(history.data.summary.latencyMeanMs)}`}
                {` · by ${stepName(history.data.stepMinutes)}`}
              </p>
            )}
          </>
        )}
      </div>
    </Section>
  );
}

const stepName = (minutes: number) =>
  minutes < 60 ? `${minutes} min` : minutes < 1440 ? `${minutes / 60} h` : `${minutes / 1440} d`;

interface Chart {
  points: ChartPoint[];
  from: number;
  to: number;
  span?: string;
}

function rangeChart(history: CheckHistory, now: Date): Chart {
  const stepMs = history.stepMinutes * 60_000;
  return {
    from: Date.parse(history.from),
    to: now.getTime(),
    points: history.points.map((p) => ({
      at: Date.parse(p.at) + stepMs / 2,
      latencyMs: p.latencyMeanMs,
      failed: p.count ? p.failures / p.count : 0,
      spanMs: stepMs,
    })),
  };
}

/**
 * The last 24 hours: raw results where we have them, the hourly roll-ups before that. A check younger
 * than that (no roll-up yet) is drawn over the time it has results for, each result a point, rather
 * than as one dot at the right edge of an empty day.
 */
function dayChart(results: readonly CheckResult[] | undefined, uptime: Uptime | undefined, now: Date): Chart {
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
  return { points, from, to, span };
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
