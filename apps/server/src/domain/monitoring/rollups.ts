import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { chunks } from './check-state-store.js';

export interface RollupInput {
  checkId: string;
  at: string;
  status: string;
  latencyMs: number | null;
}

export function hourOf(iso: string): string {
  return `${iso.slice(0, 13)}:00:00.000Z`;
}

interface Bucket {
  check_id: string;
  hour: string;
  count: number;
  failures: number;
  latency_count: number;
  latency_sum: number;
  latency_min: number | null;
  latency_max: number | null;
}

/** Sums results into one bucket per check and hour (one upsert row each: PostgreSQL refuses two in one statement). */
export function bucketsOf(results: readonly RollupInput[]): Bucket[] {
  const buckets = new Map<string, Bucket>();
  for (const r of results) {
    const hour = hourOf(r.at);
    const key = `${r.checkId}|${hour}`;
    let b = buckets.get(key);
    if (!b) {
      b = { check_id: r.checkId, hour, count: 0, failures: 0, latency_count: 0, latency_sum: 0, latency_min: null, latency_max: null };
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

const old = (c: string) => sql.ref(`check_rollups.${c}`);
const add = (c: string) => sql.ref(`excluded.${c}`);

/** Adds newly stored results to their hourly roll-ups (the same SQL on SQLite and PostgreSQL). */
export async function addToRollups(db: Kdb, results: readonly RollupInput[]): Promise<void> {
  for (const part of chunks(bucketsOf(results), 300)) {
    await db
      .insertInto('check_rollups')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['check_id', 'hour']).doUpdateSet({
          count: sql<number>`${old('count')} + ${add('count')}`,
          failures: sql<number>`${old('failures')} + ${add('failures')}`,
          latency_count: sql<number>`${old('latency_count')} + ${add('latency_count')}`,
          latency_sum: sql<number>`${old('latency_sum')} + ${add('latency_sum')}`,
          latency_min: sql<number | null>`case when ${old('latency_min')} is null or ${add('latency_min')} < ${old('latency_min')} then ${add('latency_min')} else ${old('latency_min')} end`,
          latency_max: sql<number | null>`case when ${old('latency_max')} is null or ${add('latency_max')} > ${old('latency_max')} then ${add('latency_max')} else ${old('latency_max')} end`,
        }),
      )
      .execute();
  }
}
