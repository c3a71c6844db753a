import type { CheckResult, StateChange } from '@afterhours/shared';
import { sql } from 'kysely';
import { fromMicros, HOUR_MS, statusText } from '../../db/dialects/result-encoding.js';
import type { RawSample } from '../../db/dialects/raw-packing.js';
import { chunks } from '../../lib/chunks.js';
import type { Kdb } from '../../db/database.js';
import type { StateChangesTable } from '../../db/schema.js';
import type { Actor } from '../auth/actor.js';
import { clientScope } from '../auth/policy.js';
import { newestPackedSamples } from './sample-hours.js';

/**
 * A check's raw results, newest first (kept 7 days by default): the raw rows (the last day first, then
 * further back: PostgreSQL's index is by check and hour) and the packed hours, merged; each result's text
 * named from the dictionary.
 */
export async function checkResults(
  db: Kdb,
  checkId: string,
  options: { since?: string | undefined; limit: number },
): Promise<CheckResult[]> {
  const series = await db.selectFrom('check_series').select('no').where('check_id', '=', checkId).executeTakeFirst();
  if (!series) return [];
  const since = options.since ? Date.parse(options.since) : null;
  const newest = (from: number | null) => {
    let query = db
      .selectFrom('check_samples')
      .select(['at', 'status', 'latency', 'text'])
      .where('series', '=', series.no);
    if (from !== null)
      query = query
        .where(sql<number>`at / ${sql.lit(HOUR_MS)}`, '>=', Math.floor(from / HOUR_MS))
        .where('at', '>=', from);
    return query.orderBy('at', 'desc').limit(options.limit).execute();
  };
  const dayAgo = Date.now() - 24 * HOUR_MS;
  let rows = since === null || since < dayAgo ? await newest(Math.max(since ?? 0, dayAgo)) : [];
  if (rows.length < options.limit) rows = await newest(since);
  const raw: RawSample[] = rows.map((r) => ({
    at: Number(r.at),
    status: Number(r.status),
    latency: r.latency === null ? null : Number(r.latency),
    text: Number(r.text),
  }));
  const packed = await newestPackedSamples(db, Number(series.no), since, options.limit);
  const samples = [...raw, ...packed].sort((a, b) => b.at - a.at).slice(0, options.limit);
  const ids = [...new Set(samples.map((r) => r.text))];
  const texts = new Map<number, { source: string; message: string }>();
  for (const part of chunks(ids))
    for (const t of await db
      .selectFrom('check_texts')
      .select(['id', 'source', 'message'])
      .where('id', 'in', part)
      .execute())
      texts.set(Number(t.id), t);
  return samples.map((r) => {
    const text = texts.get(r.text);
    return {
      at: new Date(r.at).toISOString(),
      status: statusText(r.status),
      latencyMs: fromMicros(r.latency),
      message: text?.message ?? '',
      source: text?.source ?? '',
    };
  });
}

type Row = StateChangesTable & { subject_name: string | null };

function present(r: Row): StateChange {
  return {
    id: r.id,
    at: r.at,
    recordedAt: r.recorded_at,
    clientId: r.client_id,
    siteId: r.site_id,
    systemId: r.system_id,
    checkId: r.check_id,
    agentId: r.agent_id,
    heartbeatId: r.heartbeat_id ?? null,
    subjectType: r.subject_type as StateChange['subjectType'],
    subjectName: r.subject_name ?? '(deleted)',
    from: r.from_state,
    to: r.to_state,
    reason: r.reason,
    cause: r.cause_type && r.cause_id ? { type: r.cause_type, id: r.cause_id } : null,
    rootCauseId: r.root_cause_id,
    source: r.source,
  };
}

export interface StateChangeFilter {
  checkId?: string | undefined;
  siteId?: string | undefined;
  clientId?: string | undefined;
  rootsOnly?: boolean;
  before?: string | undefined;
  limit: number;
}

/** State changes, newest first: of a check, or of a site or client (confined to the actor's firm). */
export async function stateChanges(db: Kdb, actor: Actor, filter: StateChangeFilter): Promise<StateChange[]> {
  let query = db
    .selectFrom('state_changes')
    .leftJoin('checks', 'checks.id', 'state_changes.check_id')
    .leftJoin('sites', 'sites.id', 'state_changes.site_id')
    .leftJoin('heartbeats', 'heartbeats.id', 'state_changes.heartbeat_id')
    .selectAll('state_changes')
    .select((eb) => eb.fn.coalesce('checks.name', 'heartbeats.name', 'sites.name').as('subject_name'));
  const scope = clientScope(actor);
  if (scope) query = query.where('state_changes.client_id', '=', scope);
  if (filter.checkId) query = query.where('state_changes.check_id', '=', filter.checkId);
  if (filter.siteId) query = query.where('state_changes.site_id', '=', filter.siteId);
  if (filter.clientId) query = query.where('state_changes.client_id', '=', filter.clientId);
  if (filter.rootsOnly) query = query.where('state_changes.root_cause_id', 'is', null);
  if (filter.before) query = query.where('state_changes.at', '<', new Date(filter.before).toISOString());
  const rows = await query
    .orderBy('state_changes.at', 'desc')
    .orderBy('state_changes.recorded_at', 'desc')
    .limit(filter.limit)
    .execute();
  return (rows as Row[]).map(present);
}
