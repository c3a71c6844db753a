import { formatLatency } from './state';

const W = 96;
const H = 28;

/** The last results' latencies as a small line (inline SVG); gaps where a result had no answer. */
export function Sparkline({ values, label }: { values: readonly (number | null)[]; label: string }) {
  const numbers = values.filter((v): v is number => v !== null);
  if (values.length < 2 || numbers.length === 0) return <span className="sparkline sparkline-empty" aria-hidden="true" />;
  const max = Math.max(...numbers) || 1;
  const min = Math.min(...numbers);
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
    <svg className="sparkline" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ${formatLatency(min)} to ${formatLatency(Math.max(...numbers))}`}>
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" strokeLinecap="round" vectorEffect="non-scaling-stroke" />
      ))}
      {gaps.map((i) => (
        <rect key={`g${i}`} className="sparkline-gap" x={Math.max(0, i * step - 1.5)} y={H - 4} width="3" height="4" />
      ))}
    </svg>
  );
}
