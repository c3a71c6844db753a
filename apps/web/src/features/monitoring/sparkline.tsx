import { formatLatency } from './state';

const W = 96;
const H = 28;

/** The last results' latencies as a small line (inline SVG); gaps where a result had no answer. */
export function Sparkline({ values, label }: { values: readonly (number | null)[]; label: string }) {
  const numbers = values.filter((v): v is number => v !== null);
  if (values.length < 2) return <span className="sparkline sparkline-empty" aria-hidden="true" />;
  const max = numbers.length ? Math.max(...numbers) || 1 : 1;
  const min = numbers.length ? Math.min(...numbers) : 0;
  const step = W / (values.length - 1);
  const y = (v: number) => H - 2 - ((v - 0) / max) * (H - 4);
  const segments: string[] = [];
  let current = '';
  values.forEach((v, i) => {
    if (v === null) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    current += `${current ? 'L' : 'M'}${(i * step).toFixed(1)} ${y(v).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const gaps = values.map((v, i) => (v === null ? i : -1)).filter((i) => i >= 0);
  return (
    <svg
      className="sparkline"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={numbers.length ? `${label}: ${formatLatency(min)} to ${formatLatency(max)}` : `${label}: no answers`}
    >
      {segments.map((d, i) => (
        <path
          key={i}
          d={d}
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinejoin="round"
          strokeLinecap="round"
          vectorEffect="non-scaling-stroke"
        />
      ))}
      {gaps.map((i) => (
        <circle key={`g${i}`} className="sparkline-gap" cx={i * step} cy={H - 2} r="1.5" />
      ))}
    </svg>
  );
}
