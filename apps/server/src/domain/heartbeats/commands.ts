import {
  setHeartbeatPaused,
  type CreateHeartbeatRequest,
  type Heartbeat,
  type ScheduleInput,
  type UpdateHeartbeatRequest,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { HeartbeatsTable } from '../../db/schema.js';
import { badInput, conflict } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { scheduleOf, stateColumns, stateOf } from './model.js';
import { newHeartbeatRow } from './new-row.js';
import { auditableHeartbeat, emailSettingsOf, type EmailSettings } from './presenter.js';
import { getHeartbeat, visibleHeartbeat } from './queries.js';
import { heartbeatChangeRows } from './transitions.js';

function scheduleColumns(
  input: ScheduleInput,
  siteTimeZone: string,
): Pick<HeartbeatsTable, 'schedule_kind' | 'period_s' | 'cron' | 'time_zone' | 'grace_s'> {
  if (input.kind === 'period')
    return {
      schedule_kind: 'period',
      period_s: input.periodS,
      cron: null,
      time_zone: siteTimeZone,
      grace_s: input.graceS,
    };
  return {
    schedule_kind: 'cron',
    period_s: null,
    cron: input.cron.trim().split(/\s+/).join(' '),
    time_zone: input.timeZone ?? siteTimeZone,
    grace_s: input.graceS,
  };
}

async function assertSlugFree(db: Kdb, clientId: string, slug: string | null, id: string): Promise<void> {
  if (!slug) return;
  const taken = await db
    .selectFrom('heartbeats')
    .select(['id', 'name'])
    .where('client_id', '=', clientId)
    .where('slug', '=', slug)
    .where('id', '!=', id)
    .executeTakeFirst();
  if (taken)
    throw conflict(`The slug "${slug}" is already used by "${taken.name}" of this client`, {
      slug: 'is already used by another heartbeat of this client',
    });
}

/** The e-mail columns: the address's local part (unique across the hub) while reports are on. */
async function emailColumns(
  db: Kdb,
  input: CreateHeartbeatRequest['email'],
  before: EmailSettings,
  id: string,
  slug: string | null,
): Promise<Pick<HeartbeatsTable, 'email_local' | 'email_json'>> {
  const settings: EmailSettings = input
    ? {
        enabled: input.enabled,
        localPart: input.localPart === undefined ? before.localPart : input.localPart,
        preset: input.preset === undefined ? before.preset : input.preset,
        rules: input.rules,
        otherwise: input.otherwise,
      }
    : before;
  const local = settings.enabled ? (settings.localPart ?? slug ?? id).toLowerCase() : null;
  if (local) {
    const taken = await db
      .selectFrom('heartbeats')
      .select('id')
      .where('email_local', '=', local)
      .where('id', '!=', id)
      .executeTakeFirst();
    if (taken)
      throw conflict(`The report address "${local}@…" is already used by another heartbeat`, {
        'email.localPart': 'is already used by another heartbeat; choose another',
      });
  }
  return { email_local: local, email_json: JSON.stringify(settings) };
}

const keywordsJson = (k: CreateHeartbeatRequest['keywords']) =>
  JSON.stringify(k ?? { success: [], failure: [], start: [] });

export async function createHeartbeat(
  ctx: AppContext,
  actor: Actor,
  input: CreateHeartbeatRequest,
): Promise<Heartbeat> {
  assertStaffWrite(actor);
  const id = await change(ctx, actor, async (tx) => {
    const system = await tx.db
      .selectFrom('systems')
      .innerJoin('sites', 'sites.id', 'systems.site_id')
      .select([
        'systems.id',
        'systems.site_id',
        'systems.client_id',
        'systems.name',
        'systems.archived_at',
        'sites.time_zone',
      ])
      .where('systems.id', '=', input.systemId)
      .executeTakeFirst();
    if (!system) throw badInput({ systemId: `names no system (${input.systemId})` });
    if (system.archived_at)
      throw conflict(`${system.name} is archived; restore it before adding heartbeats`, { systemId: 'is archived' });
    const slug = input.slug ?? null;
    await assertSlugFree(tx.db, system.client_id, slug, '');
    const draft = newHeartbeatRow({ system, name: input.name, slug, now: tx.now, createdBy: actor.userId });
    const row = newHeartbeatRow({
      system,
      name: input.name,
      slug,
      now: tx.now,
      createdBy: actor.userId,
      overrides: {
        id: draft.id,
        ...scheduleColumns(input.schedule, system.time_zone),
        keywords_json: keywordsJson(input.keywords),
        body_limit: input.bodyLimit,
        paused: input.paused ? 1 : 0,
        ...(await emailColumns(tx.db, input.email, emailSettingsOf(draft.email_json), draft.id, slug)),
      },
    });
    if (input.paused) row.status_reason = `paused by ${actor.label}`;
    await tx.db.insertInto('heartbeats').values(row).execute();
    await tx.audit({
      action: 'heartbeat.create',
      entityType: 'heartbeat',
      entityId: row.id,
      clientId: row.client_id,
      summary: `Heartbeat "${row.name}" added to "${system.name}"`,
      after: auditableHeartbeat(row),
    });
    tx.emit({ entity: 'heartbeat', id: row.id, action: 'created', clientId: row.client_id });
    return row.id;
  });
  return getHeartbeat(ctx, actor, id);
}

export async function updateHeartbeat(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateHeartbeatRequest,
): Promise<Heartbeat> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleHeartbeat(tx.db, actor, id);
    const site = await tx.db
      .selectFrom('sites')
      .select('time_zone')
      .where('id', '=', before.site_id)
      .executeTakeFirstOrThrow();
    const after: HeartbeatsTable = { ...before };
    if (input.name !== undefined) after.name = input.name;
    if (input.slug !== undefined) after.slug = input.slug;
    await assertSlugFree(tx.db, before.client_id, after.slug, id);
    if (input.schedule) Object.assign(after, scheduleColumns(input.schedule, site.time_zone));
    if (input.keywords) after.keywords_json = keywordsJson(input.keywords);
    if (input.bodyLimit !== undefined) after.body_limit = input.bodyLimit;
    if (input.paused !== undefined) after.paused = input.paused ? 1 : 0;
    if (input.email || input.slug !== undefined)
      Object.assign(after, await emailColumns(tx.db, input.email, emailSettingsOf(before.email_json), id, after.slug));

    const was = auditableHeartbeat(before);
    const will = auditableHeartbeat(after);
    if (JSON.stringify(was) === JSON.stringify(will) && before.email_local === after.email_local) return;
    let state = stateOf(after);
    if (before.paused !== after.paused) {
      const step = setHeartbeatPaused(
        state,
        after.paused === 1,
        tx.now,
        `${after.paused ? 'paused' : 'resumed'} by ${actor.label}`,
      );
      state = step.state;
      const rows = heartbeatChangeRows(after, step.transitions, tx.now, actor.userId ? `user:${actor.userId}` : 'hub');
      if (rows.length) {
        await tx.db.insertInto('state_changes').values(rows).execute();
        after.state_change_id = rows.at(-1)!.id;
      }
      if (!after.paused) await tx.db.deleteFrom('heartbeat_runs').where('heartbeat_id', '=', id).execute();
    }
    // A new schedule or grace time moves the deadlines at once.
    Object.assign(after, stateColumns(state, scheduleOf(after)), { updated_at: tx.now });
    await tx.db.updateTable('heartbeats').set(after).where('id', '=', id).execute();
    const verb = before.paused === after.paused ? 'update' : after.paused ? 'pause' : 'resume';
    await tx.audit({
      action: `heartbeat.${verb}`,
      entityType: 'heartbeat',
      entityId: id,
      clientId: before.client_id,
      summary: `Heartbeat "${after.name}" ${verb === 'update' ? 'changed' : `${verb}d`}`,
      before: was,
      after: will,
    });
    tx.emit({ entity: 'heartbeat', id, action: 'updated', clientId: before.client_id });
  });
  return getHeartbeat(ctx, actor, id);
}

export async function deleteHeartbeat(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleHeartbeat(tx.db, actor, id);
    await tx.db.deleteFrom('heartbeats').where('id', '=', id).execute();
    await tx.audit({
      action: 'heartbeat.delete',
      entityType: 'heartbeat',
      entityId: id,
      clientId: before.client_id,
      summary: `Heartbeat "${before.name}" deleted with its pings`,
      before: auditableHeartbeat(before),
    });
    tx.emit({ entity: 'heartbeat', id, action: 'deleted', clientId: before.client_id });
  });
}
