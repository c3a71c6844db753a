import type { Kdb } from '../db/database.js';

/**
 * The results API as releases before 0023 answered it, from the check_results view of 0010 (today's also reads
 * the packed hours of 0023, which those databases do not have).
 */
export async function previousResults(db: Kdb, checkId: string, ask: { since?: string; limit: number }) {
  let query = db.selectFrom('check_results').selectAll().where('check_id', '=', checkId);
  if (ask.since) query = query.where('at', '>=', ask.since);
  const rows = await query.orderBy('at', 'desc').limit(ask.limit).execute();
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    status: r.status,
    latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
    message: r.message,
    source: r.source,
  }));
}
