import type { Kdb } from '../db/database.js';
import { insertCheck } from './checks.js';
import { insertClientWithSystem } from './factories.js';

// Results and hourly roll-ups as a previous release wrote them (through the check_results view, which every
// release since 0010 has), for the migration tests.

export const RESULTS_NOW = new Date('2026-11-20T18:30:00.000Z');
const NOW = RESULTS_NOW;
const HOUR = 3600_000;

/**
 * Two checks (with these ids, when given) and 300 results each over the 50 hours before RESULTS_NOW, some
 * down, some degraded, with their hourly roll-ups.
 */
export async function fillResults(db: Kdb, ids: string[] = []) {
  const { system } = await insertClientWithSystem(db);
  const checks = [
    await insertCheck(db, system, ids[0] ? { id: ids[0] } : {}),
    await insertCheck(db, system, { probe: 'agent', ...(ids[1] ? { id: ids[1] } : {}) }),
  ];
  for (const [c, check] of checks.entries()) {
    const results = [];
    const hourly = new Map<
      number,
      { count: number; failures: number; lc: number; ls: number; min: number | null; max: number | null }
    >();
    for (let i = 0; i < 50 * 6; i++) {
      const atMs = NOW.getTime() - 50 * HOUR + i * 600_000 + c * 1234 + (i % 7);
      const down = i % 13 === 5;
      const latency = down ? null : [12.3, 0.036, 150, 9.9, 1234.5][i % 5]!;
      const status = down ? 'down' : i % 17 === 3 ? 'degraded' : 'up';
      results.push({
        check_id: check.id,
        at: new Date(atMs).toISOString(),
        status,
        latency_ms: latency,
        // the same message as up and as degraded: one text before, two after
        message: down ? `connect ECONNREFUSED 127.0.0.1:${8000 + (i % 11)}` : c === 1 ? 'port 22 open' : '200 OK',
        source: c === 1 ? 'agent:the-agent' : 'hub',
      });
      const h = Math.floor(atMs / HOUR);
      const b = hourly.get(h) ?? { count: 0, failures: 0, lc: 0, ls: 0, min: null, max: null };
      b.count++;
      if (down) b.failures++;
      if (latency !== null) {
        const us = Math.round(latency * 1000);
        b.lc++;
        b.ls += us;
        b.min = b.min === null ? us : Math.min(b.min, us);
        b.max = b.max === null ? us : Math.max(b.max, us);
      }
      hourly.set(h, b);
    }
    await db.insertInto('check_results').values(results).execute();
    const { no } = await db
      .selectFrom('check_series')
      .select('no')
      .where('check_id', '=', check.id)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('check_hourly')
      .values(
        [...hourly].map(([hour, b]) => ({
          series: no,
          hour,
          count: b.count,
          failures: b.failures,
          latency_count: b.lc,
          latency_sum: b.ls,
          latency_min: b.min,
          latency_max: b.max,
        })),
      )
      .execute();
  }
  return checks;
}
