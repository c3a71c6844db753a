import { useEffect, useRef, useState } from 'react';
import { formatLatency } from './state';

export interface ChartPoint {
  at: number;
  latencyMs: number | null;
  /** Share of failed results in this point (0 to 1). */
  failed: number;
  /** The time this point stands for, centred on `at`. */
  spanMs: number;
}

/** Drawn at the size it is shown (one SVG unit = one CSS pixel), so text stays at body size at any width. */
const H = 180;
const PAD = { left: 64, right: 8, top: 10, bottom: 28 };

/** The width of the element, followed as it changes (340 until measured). */
function useWidth(): [React.RefObject<HTMLElement | null>, number] {
  const ref = useRef<HTMLElement | null>(null);
  const [width, setWidth] = useState(340);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(200, Math.round(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** "−6 h" or "−12 min": how long before `to`. */
function agoLabel(ms: number, spanMs: number): string {
  if (ms < 30_000) return 'now';
  if (spanMs > 3 * 86_400_000) return `−${Math.round(ms / 86_400_000)} d`;
  return spanMs > 2 * 3_600_000 ? `−${Math.round(ms / 3_600_000)} h` : `−${Math.round(ms / 60_000)} min`;
}

/** Latency over a time window as an SVG line, with failed periods marked red along the bottom. */
export function LatencyChart({
  points,
  from,
  to,
  label,
}: {
  points: readonly ChartPoint[];
  from: number;
  to: number;
  label: string;
}) {
  const [ref, W] = useWidth();
  const values = points.map((p) => p.latencyMs).filter((v): v is number => v !== null);
  const max = niceMax(values.length ? Math.max(...values) : 1);
  const x = (t: number) => PAD.left + ((t - from) / (to - from)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  const path = linePath(points, x, y);
  // A tick per 110 px or so: three on a phone, more on a desk, never touching.
  const tickCount = Math.max(3, Math.min(9, Math.floor((W - PAD.left) / 110) + 1));
  const ticks = Array.from({ length: tickCount }, (_, i) => from + (i / (tickCount - 1)) * (to - from));
  const tick = (t: number) => agoLabel(to - t, to - from);
  const width = (p: ChartPoint) => Math.max(2, (p.spanMs / (to - from)) * (W - PAD.left - PAD.right));
  const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  return (
    <figure className="chart" ref={ref}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-label={`${label}; average ${formatLatency(mean)}, highest ${formatLatency(values.length ? Math.max(...values) : null)}`}
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className="chart-grid" x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} />
            <text className="chart-label" x={PAD.left - 8} y={y(max * f) + 5} textAnchor="end">
              {f === 0 ? '0' : formatLatency(max * f).replace(' ', '\u202f')}
            </text>
          </g>
        ))}
        {ticks.map((t, i) => (
          <text
            key={t}
            className="chart-label"
            x={x(t)}
            y={H - 8}
            textAnchor={i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle'}
          >
            {tick(t)}
          </text>
        ))}
        {points
          .filter((p) => p.failed > 0)
          .map((p) => (
            <rect
              key={`f${p.at}`}
              className="chart-failed"
              x={x(p.at) - width(p) / 2}
              y={PAD.top}
              width={width(p)}
              height={H - PAD.top - PAD.bottom}
              opacity={0.15 + 0.5 * p.failed}
            />
          ))}
        {path && <path className="chart-line" d={path} />}
        {values.length <= 30 &&
          points.map(
            (p) =>
              p.latencyMs !== null && (
                <circle key={p.at} className="chart-dot" cx={x(p.at)} cy={y(p.latencyMs)} r="3.5" />
              ),
          )}
      </svg>
    </figure>
  );
}

function linePath(points: readonly ChartPoint[], x: (t: number) => number, y: (v: number) => number): string {
  let d = '';
  let last: ChartPoint | null = null;
  for (const p of points) {
    if (p.latencyMs === null) {
      last = null;
      continue;
    }
    // A gap of more than two slots without results breaks the line.
    const joined = last !== null && p.at - last.at <= 1.5 * (p.spanMs + last.spanMs);
    d += `${joined ? 'L' : 'M'}${x(p.at).toFixed(1)} ${y(p.latencyMs).toFixed(1)}`;
    last = p;
  }
  return d;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

/** Groups raw results into `buckets` slots over [from, to]: mean latency and the share that failed. */
export function bucketResults(
  results: readonly { at: string; latencyMs: number | null; status: string }[],
  from: number,
  to: number,
  buckets = 96,
): ChartPoint[] {
  const size = (to - from) / buckets;
  const slots = Array.from({ length: buckets }, () => ({ sum: 0, n: 0, count: 0, failed: 0 }));
  for (const r of results) {
    const t = new Date(r.at).getTime();
    if (t < from || t > to) continue;
    const slot = slots[Math.min(buckets - 1, Math.floor((t - from) / size))]!;
    slot.count++;
    if (r.status === 'down') slot.failed++;
    if (r.latencyMs !== null && r.status !== 'down') {
      slot.sum += r.latencyMs;
      slot.n++;
    }
  }
  return slots.flatMap((s, i) =>
    s.count === 0
      ? []
      : [
          {
            at: from + (i + 0.5) * size,
            latencyMs: s.n ? s.sum / s.n : null,
            failed: s.failed / s.count,
            spanMs: size,
          },
        ],
  );
}

/** Each raw result as its own point, for a window with few of them (a new check's first minutes). */
export function rawPoints(results: readonly { at: string; latencyMs: number | null; status: string }[]): ChartPoint[] {
  const times = results.map((r) => new Date(r.at).getTime()).sort((a, b) => a - b);
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
  const spanMs = gaps.length ? Math.max(1000, gaps.reduce((a, b) => a + b, 0) / gaps.length) : 60_000;
  return results.map((r) => ({
    at: new Date(r.at).getTime(),
    latencyMs: r.status === 'down' ? null : r.latencyMs,
    failed: r.status === 'down' ? 1 : 0,
    spanMs,
  }));
}
