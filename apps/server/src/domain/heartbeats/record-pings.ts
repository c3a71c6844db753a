import { actionFromBody, applyPing, type PingAction } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { PingStore } from '../../db/dialects/ping-store.js';
import type { HeartbeatPingsTable, HeartbeatsTable, StateChangesTable } from '../../db/schema.js';
import { systemActor } from '../auth/actor.js';
import { recordAudit } from '../audit/record.js';
import { keywordsOf, scheduleOf, stateColumns, stateOf } from './model.js';
import { newHeartbeatRow } from './new-row.js';
import type { RateLimiter } from './rate-limit.js';
import { closeRun, openRun } from './runs.js';
import { heartbeatChangeRows } from './transitions.js';

/** One ping (HTTP or e-mail) to record. `at` is when it arrived. */
export interface PingInput {
  target:
    | { kind: 'uuid'; id: string }
    | { kind: 'slug'; key: string; slug: string; create: boolean }
    | { kind: 'email'; id: string };
  /** What the URL (or the e-mail rules) say; a body with keywords may change it. */
  action: PingAction;
  exitStatus: number | null;
  rid: string | null;
  at: string;
  source: 'http' | 'email';
  method: string;
  remoteAddr: string;
  userAgent: string;
  body: Buffer;
  /** Bytes received (the body may be cut already). */
  bodySize: number;
  email?: { from: string; subject: string };
  /** A reason for the state change, e.g. "exit status 3" or the e-mail's subject. */
  detail?: string;
}

export type PingOutcome =
  | { status: 200 | 201; text: 'OK' | 'Created'; bodyLimit: number; heartbeatId: string }
  | { status: 404; text: 'not found' }
  | { status: 409; text: 'ambiguous slug' }
  | { status: 429; text: 'rate limited'; retryAfterS: number };

type Working = { row: HeartbeatsTable; dirty: boolean; changed: boolean };

/** Up to 72 hours between a start and its finish count as one run (as healthchecks.io). */
export const MAX_RUN_MS = 72 * 3600_000;

/** PostgreSQL cannot store NUL in text; a body is text shown to people, so NUL becomes U+FFFD. */
function bodyText(body: Buffer, limit: number): string {
  return body.subarray(0, limit).toString('utf8').replaceAll('\u0000', '\uFFFD');
}

/**
 * Resolves each ping's heartbeat id: a UUID (or e-mail) target names it (checked when its row is
 * loaded); a slug target is looked up by the client's ping key and the slug.
 */
async function resolve(store: PingStore, inputs: PingInput[]): Promise<Array<string | 'ambiguous' | null>> {
  const slugs = inputs.flatMap((p) => (p.target.kind === 'slug' ? [p.target] : []));
  const bySlug = new Map<string, string[]>();
  if (slugs.length) {
    for (const r of await store.idsBySlug(slugs)) {
      const k = `${r.key}/${r.slug}`;
      const found = bySlug.get(k) ?? [];
      if (!found.includes(r.id)) bySlug.set(k, [...found, r.id]);
    }
  }
  return inputs.map((p) => {
    if (p.target.kind !== 'slug') return p.target.id;
    const found = bySlug.get(`${p.target.key}/${p.target.slug}`) ?? [];
    return found.length > 1 ? 'ambiguous' : (found[0] ?? null);
  });
}

/** ?create=1 on an unknown slug: a new heartbeat in the system the client's ping key names. */
async function createFromSlug(db: Kdb, key: string, slug: string, now: string): Promise<string | null> {
  const pingKey = await db.selectFrom('ping_keys').selectAll().where('key', '=', key).executeTakeFirst();
  if (!pingKey?.auto_create_system_id) return null;
  const system = await db
    .selectFrom('systems')
    .innerJoin('sites', 'sites.id', 'systems.site_id')
    .select(['systems.id', 'systems.site_id', 'systems.client_id', 'systems.name', 'sites.time_zone'])
    .where('systems.id', '=', pingKey.auto_create_system_id)
    .executeTakeFirst();
  if (!system) return null;
  const row = newHeartbeatRow({ system, name: slug, slug, now, createdBy: null });
  await db.insertInto('heartbeats').values(row).execute();
  await recordAudit(db, {
    actor: systemActor('ping ?create=1'),
    at: now,
    action: 'heartbeat.create',
    entityType: 'heartbeat',
    entityId: row.id,
    clientId: row.client_id,
    summary: `Heartbeat "${slug}" created by its first ping (?create=1) in "${system.name}"`,
  });
  return row.id;
}

/**
 * Records a batch of pings in one transaction, in order, and says what to answer each. Pings of one
 * heartbeat are applied one after another to the same row; on PostgreSQL the rows are locked (in id
 * order) so several hub processes apply pings to one heartbeat one at a time.
 */
export async function recordPings(
  ctx: AppContext,
  inputs: PingInput[],
  perHeartbeat: RateLimiter,
): Promise<PingOutcome[]> {
  const events: Array<{ id: string; clientId: string; action: 'created' | 'updated' }> = [];
  const outcomes = await ctx.db.kysely.transaction().execute(async (db) => {
    const store = ctx.db.dialect.pingStore(db);
    const ids = await resolve(store, inputs);
    const created = new Set<number>();
    for (const [i, p] of inputs.entries()) {
      if (ids[i] !== null || p.target.kind !== 'slug' || !p.target.create) continue;
      // An earlier ping of this batch may have created it already.
      const earlier = inputs.findIndex(
        (q, j) =>
          j < i &&
          q.target.kind === 'slug' &&
          p.target.kind === 'slug' &&
          q.target.key === p.target.key &&
          q.target.slug === p.target.slug &&
          typeof ids[j] === 'string',
      );
      if (earlier >= 0) ids[i] = ids[earlier]!;
      else {
        ids[i] = await createFromSlug(db, p.target.key, p.target.slug, p.at);
        if (ids[i]) created.add(i);
      }
    }
    const wanted = [...new Set(ids.filter((id): id is string => id !== null && id !== 'ambiguous'))].sort();
    const rows = new Map<string, Working>();
    if (wanted.length)
      for (const row of await store.loadHeartbeats(wanted)) rows.set(row.id, { row, dirty: false, changed: false });

    const pings: HeartbeatPingsTable[] = [];
    const changes: StateChangesTable[] = [];
    const result: PingOutcome[] = [];
    const nowMs = ctx.clock.now().getTime();
    for (const [i, p] of inputs.entries()) {
      const id = ids[i];
      if (id === 'ambiguous') {
        result.push({ status: 409, text: 'ambiguous slug' });
        continue;
      }
      const w = id ? rows.get(id) : undefined;
      if (!w) {
        result.push({ status: 404, text: 'not found' });
        continue;
      }
      if (!perHeartbeat.take(w.row.id, nowMs)) {
        result.push({ status: 429, text: 'rate limited', retryAfterS: perHeartbeat.retryAfterS(w.row.id) });
        continue;
      }
      const row = w.row;
      const body = bodyText(p.body, row.body_limit);
      let action: PingAction = p.exitStatus !== null && p.exitStatus > 0 ? 'fail' : p.action;
      if (action !== 'log' && p.source === 'http') action = actionFromBody(body, keywordsOf(row.keywords_json), action);

      let runningSince = row.running_since;
      let durationMs: number | null = null;
      if (action === 'start') runningSince = await openRun(store, row.id, p.rid, p.at, runningSince);
      else if (action === 'success' || action === 'warning' || action === 'fail') {
        ({ runningSince, durationMs } = await closeRun(
          store,
          row.id,
          p.rid,
          p.at,
          runningSince,
          action === 'fail',
          MAX_RUN_MS,
        ));
      }
      const detail = p.detail ?? (p.exitStatus ? `exit status ${p.exitStatus}` : '');
      const schedule = scheduleOf(row);
      const step = applyPing(stateOf(row), action, detail, runningSince, p.at);
      const source = p.source === 'email' ? 'email' : `ping:${p.remoteAddr}`;
      const drafts = heartbeatChangeRows(row, step.transitions, p.at, source);
      changes.push(...drafts);
      const n = Number(row.n_pings) + 1;
      Object.assign(row, stateColumns(step.state, schedule), { n_pings: n, updated_at: p.at });
      if (drafts.length) {
        row.state_change_id = drafts.at(-1)!.id;
        w.changed = true;
      }
      if (action === 'success' || action === 'warning' || action === 'fail') {
        row.last_result = action === 'fail' ? 'failure' : action;
        row.last_result_at = p.at;
        row.last_duration_ms = durationMs;
        if (action === 'success') row.last_success_at = p.at;
      }
      w.dirty = true;
      pings.push({
        heartbeat_id: row.id,
        n,
        at: p.at,
        source: p.source,
        action,
        method: p.method,
        remote_addr: p.remoteAddr.slice(0, 100),
        user_agent: p.userAgent.slice(0, 200).replaceAll('\u0000', '\uFFFD'),
        body,
        body_size: p.bodySize,
        rid: p.rid,
        exit_status: p.exitStatus,
        duration_ms: durationMs,
        email_from: p.email?.from.slice(0, 320) ?? null,
        email_subject: p.email?.subject.slice(0, 1000) ?? null,
      });
      result.push(
        created.has(i)
          ? { status: 201, text: 'Created', bodyLimit: row.body_limit, heartbeatId: row.id }
          : { status: 200, text: 'OK', bodyLimit: row.body_limit, heartbeatId: row.id },
      );
      if (created.has(i)) events.push({ id: row.id, clientId: row.client_id, action: 'created' });
    }

    await store.insertPings(pings);
    if (changes.length) await store.insertStateChanges(changes);
    await store.writeHeartbeats([...rows.values()].filter((w) => w.dirty).map((w) => w.row));
    for (const { row, changed } of rows.values())
      if (changed) events.push({ id: row.id, clientId: row.client_id, action: 'updated' });
    return result;
  });
  const at = new Date().toISOString();
  for (const e of events)
    ctx.bus.publish({ entity: 'heartbeat', id: e.id, action: e.action, clientId: e.clientId, at });
  return outcomes;
}
