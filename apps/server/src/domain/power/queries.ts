import { defaultStages, describeAction, dryRun, type PowerPlan, powerPlan } from '@afterhours/power';
import { isStaff, type PowerConfigMessage, type SitePowerView } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import { forbidden } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { runnableParams, maskSecrets, decryptSecrets } from '../monitoring/secret-params.js';
import { visibleSite } from '../register/access.js';
import { runnableActions, type StoredActions, shownActions } from './secrets.js';

const DAY = 86_400_000;

async function siteSystems(db: Kdb, siteId: string) {
  const systems = await db
    .selectFrom('systems')
    .select(['id', 'name'])
    .where('site_id', '=', siteId)
    .where('archived_at', 'is', null)
    .orderBy('name')
    .execute();
  const deps = systems.length
    ? await db
        .selectFrom('system_dependencies')
        .select(['system_id', 'depends_on_id'])
        .where(
          'system_id',
          'in',
          systems.map((s) => s.id),
        )
        .execute()
    : [];
  return systems.map((s) => ({
    ...s,
    dependsOn: deps.filter((d) => d.system_id === s.id).map((d) => d.depends_on_id),
  }));
}

export async function savedPlan(db: Kdb, siteId: string): Promise<PowerPlan | null> {
  const row = await db.selectFrom('power_plans').select('plan_json').where('site_id', '=', siteId).executeTakeFirst();
  return row ? powerPlan.parse(JSON.parse(row.plan_json)) : null;
}

export async function suggestedPlan(db: Kdb, siteId: string): Promise<PowerPlan> {
  const systems = await siteSystems(db, siteId);
  return powerPlan.parse({ stages: systems.length ? defaultStages(systems) : [{ name: 'Stage 1', systemIds: ['-'] }] });
}

/**
 * A site's power. Staff see the set-up (UPS connections, plan, power actions without secrets, run log);
 * a client user sees whether the site is protected and what happened, never how machines are reached.
 */
export async function getSitePower(ctx: AppContext, actor: Actor, siteId: string): Promise<SitePowerView> {
  const db = ctx.db.kysely;
  const site = await visibleSite(db, actor, siteId);
  const now = ctx.clock.now();
  const [state, ups, plan, systems, actions, shutdowns, outages, events, log] = await Promise.all([
    db.selectFrom('power_state').selectAll().where('site_id', '=', siteId).executeTakeFirst(),
    db.selectFrom('power_ups').selectAll().where('site_id', '=', siteId).orderBy('name').execute(),
    savedPlan(db, siteId),
    siteSystems(db, siteId),
    db.selectFrom('power_actions').selectAll().where('site_id', '=', siteId).execute(),
    db.selectFrom('power_shutdowns').selectAll().where('site_id', '=', siteId).execute(),
    db
      .selectFrom('power_outages')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('ends_at', '>', now.toISOString())
      .orderBy('starts_at')
      .execute(),
    db.selectFrom('power_events').selectAll().where('site_id', '=', siteId).orderBy('at', 'desc').limit(50).execute(),
    db.selectFrom('power_run_log').selectAll().where('site_id', '=', siteId).orderBy('at', 'desc').limit(100).execute(),
  ]);
  const soon = now.getTime() + DAY;
  const lastRun = await db
    .selectFrom('power_run_log')
    .select('at')
    .where('site_id', '=', siteId)
    .where('kind', '=', 'started')
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const summary = {
    siteId: site.id,
    now: state
      ? {
          state: state.state as 'online',
          onBatterySince: state.on_battery_since,
          chargePercent: state.charge_percent,
          runtimeSeconds: state.runtime_seconds,
          loadPercent: state.load_percent,
          updatedAt: state.updated_at,
          messages: (JSON.parse(state.readings_json) as { reading: { message: string } }[]).map(
            (r) => r.reading.message,
          ),
        }
      : null,
    atRisk: outages.some((o) => Date.parse(o.starts_at) <= soon),
    protected:
      ups.length > 0 &&
      actions.some((a) => {
        const shutdown = (JSON.parse(a.actions_json) as StoredActions).shutdown;
        return shutdown !== null && shutdown.kind !== 'manual';
      }),
    lastRunAt: lastRun?.at ?? null,
    outages: outages.map((o) => ({ id: o.id, startsAt: o.starts_at, endsAt: o.ends_at, note: o.note })),
    events: events.map((e) => ({ id: e.id, at: e.at, kind: e.kind, message: e.message })),
  };
  if (!isStaff(actor.role))
    return {
      ...summary,
      view: 'client',
      upsNames: ups.map((u) => u.name),
      shutDownByPlan: systems.flatMap((s) => {
        const at = shutdowns.find((d) => d.system_id === s.id)?.at;
        return at ? [{ systemName: s.name, at }] : [];
      }),
    };
  return {
    ...summary,
    view: 'staff',
    ups: ups.map((u) => ({
      id: u.id,
      name: u.name,
      kind: u.kind as 'nut',
      settings: maskSecrets(JSON.parse(u.settings_json), decryptSecrets(ctx.secrets, u.secrets_enc)),
      pollSeconds: u.poll_ms === null ? null : u.poll_ms / 1000,
      stableMinutes: u.stable_ms === null ? null : u.stable_ms / 60_000,
    })),
    plan,
    suggestedPlan: await suggestedPlan(db, siteId),
    systems: systems.map((s) => {
      const row = actions.find((a) => a.system_id === s.id);
      const shown = row
        ? shownActions(row.actions_json, row.secrets_enc, ctx.secrets)
        : { shutdown: null, startup: null };
      return {
        systemId: s.id,
        systemName: s.name,
        ...shown,
        hostKey: row?.host_key ?? null,
        hostKeyPinnedAt: row?.host_key_pinned_at ?? null,
        hostKeyRefused: row?.host_key_refused ?? null,
        hostKeyRefusedAt: row?.host_key_refused_at ?? null,
        shutDownByPlanAt: shutdowns.find((d) => d.system_id === s.id)?.at ?? null,
      };
    }),
    log: log.map((l) => ({
      at: l.at,
      runId: l.run_id,
      kind: l.kind,
      level: l.level,
      message: l.message,
      systemId: l.system_id,
      trigger: l.trigger,
    })),
  };
}

export async function dryRunFor(ctx: AppContext, actor: Actor, siteId: string) {
  const db = ctx.db.kysely;
  await visibleSite(db, actor, siteId);
  if (!isStaff(actor.role)) throw forbidden('The dry-run shows how machines are reached: only the team sees it');
  const plan = (await savedPlan(db, siteId)) ?? (await suggestedPlan(db, siteId));
  const systems = await siteSystems(db, siteId);
  const actions = await db.selectFrom('power_actions').selectAll().where('site_id', '=', siteId).execute();
  const state = await db
    .selectFrom('power_state')
    .select('runtime_seconds')
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return dryRun(
    plan,
    systems.map((s) => {
      const row = actions.find((a) => a.system_id === s.id);
      const a = row
        ? (JSON.parse(row.actions_json) as ReturnType<typeof runnableActions>)
        : { shutdown: null, startup: null };
      return {
        id: s.id,
        name: s.name,
        shutdownCommand: a.shutdown
          ? describeAction(a.shutdown, 'shutdown')
          : 'no shutdown action set: nothing will be sent',
        startupCommand: a.startup
          ? describeAction(a.startup, 'startup')
          : 'no startup action set: someone starts it by hand',
      };
    }),
    state?.runtime_seconds ?? null,
  );
}

/** Everything the site's agent needs to watch the power and run the plan by itself; secrets included. */
export async function powerConfigForSite(ctx: AppContext, siteId: string): Promise<PowerConfigMessage> {
  const db = ctx.db.kysely;
  const [ups, plan, systems, actions, outages] = await Promise.all([
    db.selectFrom('power_ups').selectAll().where('site_id', '=', siteId).orderBy('id').execute(),
    savedPlan(db, siteId),
    siteSystems(db, siteId),
    db.selectFrom('power_actions').selectAll().where('site_id', '=', siteId).execute(),
    db
      .selectFrom('power_outages')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('ends_at', '>', ctx.clock.now().toISOString())
      .execute(),
  ]);
  const ids = systems.map((s) => s.id);
  const checks = ids.length
    ? await db
        .selectFrom('checks')
        .select(['system_id', 'kind', 'params_json', 'secrets_enc'])
        .where('system_id', 'in', ids)
        .where('paused', '=', 0)
        .execute()
    : [];
  return {
    type: 'power-config',
    pollMs: ctx.settings.power?.pollMs ?? 5000,
    ups: ups.map((u) => ({
      id: u.id,
      name: u.name,
      kind: u.kind as 'nut' | 'snmp',
      settings: runnableParams(ctx.secrets, { params_json: u.settings_json, secrets_enc: u.secrets_enc }),
      ...(u.poll_ms === null ? {} : { pollMs: u.poll_ms }),
    })),
    plan: plan as unknown as Record<string, unknown> | null,
    systems: systems.map((s) => {
      const row = actions.find((a) => a.system_id === s.id);
      const a = row
        ? withPinnedHostKey(runnableActions(ctx.secrets, row.actions_json, row.secrets_enc), row.host_key)
        : { shutdown: null, startup: null };
      return {
        id: s.id,
        name: s.name,
        shutdown: a.shutdown,
        startup: a.startup,
        checks: checks
          .filter((c) => c.system_id === s.id)
          .map((c) => ({ kind: c.kind, params: runnableParams(ctx.secrets, c) })),
      };
    }),
    windows: outages.map((o) => ({ id: o.id, startsAt: o.starts_at, endsAt: o.ends_at, note: o.note })),
  };
}

/** The hub's pin goes to the agent with the SSH action, so a restarted or replaced agent refuses a changed key too. */
function withPinnedHostKey(actions: StoredActions, hostKey: string | null): StoredActions {
  const shutdown = actions.shutdown;
  if (!hostKey || shutdown?.kind !== 'ssh') return actions;
  return { ...actions, shutdown: { ...shutdown, settings: { ...shutdown.settings, hostKey } } };
}
