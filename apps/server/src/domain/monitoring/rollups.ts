import type { RollupRow } from '../../db/dialects/result-store.js';

export interface RollupInput {
  checkId: string;
  at: string;
  status: string;
  latencyMs: number | null;
}

export function hourOf(iso: string): string {
  return `${iso.slice(0, 13)}:00:00.000Z`;
}

/** Sums results into one roll-up row per check and hour (PostgreSQL refuses to upsert one row twice in a statement). */
export function bucketsOf(results: readonly RollupInput[]): RollupRow[] {
  const buckets = new Map<string, RollupRow>();
  for (const r of results) {
    const hour = hourOf(r.at);
    const key = `${r.checkId}|${hour}`;
    let b = buckets.get(key);
    if (!b) {
      b = {
        check_id: r.checkId,
        hour,
        count: 0,
        failures: 0,
        latency_count: 0,
        latency_sum: 0,
        latency_min: null,
        latency_max: null,
      };
      buckets.set(key, b);
    }
    b.count++;
    if (r.status === 'down') b.failures++;
    if (r.latencyMs !== null && Number.isFinite(r.latencyMs)) {
      b.latency_count++;
      b.latency_sum += r.latencyMs;
      b.latency_min = b.latency_min === null ? r.latencyMs : Math.min(b.latency_min, r.latencyMs);
      b.latency_max = b.latency_max === null ? r.latencyMs : Math.max(b.latency_max, r.latencyMs);
    }
  }
  return [...buckets.values()];
}
