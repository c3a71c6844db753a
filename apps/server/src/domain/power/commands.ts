import { powerPlan } from '@afterhours/power';
import type { z } from 'zod';
import type { HostKeyRepinRequest, PlanRequest, ShutdownNowRequest, SystemPowerRequest } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { PowerActionsTable } from '../../db/schema.js';
import { AppError, badInput, conflict, forbidden } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import { assertCurrentPassword } from '../accounts/profile.js';
import type { Actor } from '../auth/actor.js';
import { assertAccountManager, assertStaffWrite } from '../auth/policy.js';
import { verifyTotp } from '../auth/totp.js';
import { change, type ChangeTx } from '../change.js';
import { visibleSite, visibleSystem } from '../register/access.js';
import { openSecrets, type StoredActions, sealActions, shownActions } from './secrets.js';

/** Tells the site's agents their power config changed (the process holding each link resends it). */
export async function nudgeAgents(tx: ChangeTx, siteId: string): Promise<void> {
  const agents = await tx.db.selectFrom('agents').select(['id', 'client_id']).where('site_id', '=', siteId).execute();
  for (const a of agents) tx.emit({ entity: 'agent', id: a.id, action: 'updated', clientId: a.client_id });
}

export async function savePlan(ctx: AppContext, actor: Actor, siteId: string, input: z.infer<typeof PlanRequest>) {
  assertStaffWrite(actor);
  const parsed = powerPlan.safeParse(input.plan);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput({ [['plan', ...(issue?.path ?? [])].join('.')]: issue?.message ?? 'is not valid' });
  }
  const plan = parsed.data;
  await change(ctx, actor, async (tx) => {
    const site = await visibleSite(tx.db, actor, siteId);
    const ids = plan.stages.flatMap((s) => s.systemIds);
    const known = await tx.db.selectFrom('systems').select('id').where('site_id', '=', site.id).execute();
    const unknown = ids.find((id) => !known.some((k) => k.id === id));
    if (unknown) throw badInput({ 'plan.stages': `names a system that is not at this site (${unknown})` });
    if (new Set(ids).size !== ids.length) throw badInput({ 'plan.stages': 'names a system twice' });
    const before = await tx.db
      .selectFrom('power_plans')
      .select('plan_json')
      .where('site_id', '=', site.id)
      .executeTakeFirst();
    const row = { site_id: site.id, client_id: site.client_id, plan_json: JSON.stringify(plan), updated_at: tx.now };
    if (before) await tx.db.updateTable('power_plans').set(row).where('site_id', '=', site.id).execute();
    else await tx.db.insertInto('power_plans').values(row).execute();
    await tx.audit({
      action: 'power.plan.save',
      entityType: 'site',
      entityId: site.id,
      clientId: site.client_id,
      summary: `Power plan of ${site.name} saved: ${plan.stages.length} stage(s)`,
      before: before ? JSON.parse(before.plan_json) : null,
      after: plan,
    });
    await nudgeAgents(tx, site.id);
  });
}

export async function saveSystemPower(
  ctx: AppContext,
  actor: Actor,
  systemId: string,
  input: z.infer<typeof SystemPowerRequest>,
) {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const system = await visibleSystem(tx.db, actor, systemId);
    const before = await tx.db
      .selectFrom('power_actions')
      .selectAll()
      .where('system_id', '=', system.id)
      .executeTakeFirst();
    const { plain, secretsEnc } = sealActions(
      ctx.secrets,
      input,
      openSecrets(ctx.secrets, before?.secrets_enc ?? null),
    );
    const row = {
      system_id: system.id,
      client_id: system.client_id,
      site_id: system.site_id,
      actions_json: JSON.stringify(plain),
      secrets_enc: secretsEnc,
      ...keptPin(before, plain),
      updated_at: tx.now,
    };
    if (before) await tx.db.updateTable('power_actions').set(row).where('system_id', '=', system.id).execute();
    else await tx.db.insertInto('power_actions').values(row).execute();
    await tx.audit({
      action: 'power.actions.save',
      entityType: 'system',
      entityId: system.id,
      clientId: system.client_id,
      summary: `Power actions of ${system.name}: shutdown ${plain.shutdown?.kind ?? 'none'}, startup ${plain.startup?.kind ?? 'none'}`,
      before: before ? shownActions(before.actions_json, before.secrets_enc, ctx.secrets) : null,
      after: shownActions(row.actions_json, row.secrets_enc, ctx.secrets),
    });
    await nudgeAgents(tx, system.site_id);
  });
}

/**
 * "Shut down this site now": technician or above, who types the site's name and proves it is them
 * again (a fresh password, or a second-factor code). The order waits in power_orders until the process
 * holding the agent's link sends it.
 */
export async function orderShutdown(
  ctx: AppContext,
  actor: Actor,
  siteId: string,
  input: z.infer<typeof ShutdownNowRequest>,
): Promise<void> {
  if (actor.type !== 'user' || !actor.userId || actor.role === 'client')
    throw forbidden('Only a signed-in technician, admin or owner can shut a site down');
  const site = await visibleSite(ctx.db.kysely, actor, siteId);
  if (input.siteName.trim() !== site.name) throw badInput({ siteName: `must be the site's name, "${site.name}"` });
  const user = await ctx.db.kysely
    .selectFrom('users')
    .selectAll()
    .where('id', '=', actor.userId)
    .executeTakeFirstOrThrow();
  if (input.code && user.totp_enabled && user.totp_secret_enc) {
    if (!verifyTotp(ctx.secrets.decrypt(user.totp_secret_enc), input.code, ctx.clock.now()))
      throw badInput({ code: 'is not the current code from your authenticator' });
  } else {
    await assertCurrentPassword(ctx, user, input.password, 'password');
  }
  const plan = await ctx.db.kysely
    .selectFrom('power_plans')
    .select('site_id')
    .where('site_id', '=', site.id)
    .executeTakeFirst();
  if (!plan) throw new AppError(409, 'conflict', `${site.name} has no power plan yet; save one first`);
  await order(ctx, actor, site, 'shutdown', null, `Shutdown of ${site.name} ordered now`);
}

export async function orderStartup(ctx: AppContext, actor: Actor, siteId: string, systemId?: string): Promise<void> {
  assertStaffWrite(actor);
  const site = await visibleSite(ctx.db.kysely, actor, siteId);
  if (systemId) {
    const system = await visibleSystem(ctx.db.kysely, actor, systemId);
    if (system.site_id !== site.id) throw badInput({ systemId: 'is not at this site' });
    await order(ctx, actor, site, 'confirm', systemId, `${system.name}: manual power step confirmed`);
  } else {
    await order(ctx, actor, site, 'startup', null, `Startup of ${site.name} ordered`);
  }
}

async function order(
  ctx: AppContext,
  actor: Actor,
  site: { id: string; client_id: string },
  command: 'shutdown' | 'startup' | 'confirm',
  systemId: string | null,
  summary: string,
) {
  await change(ctx, actor, async (tx) => {
    await tx.db
      .insertInto('power_orders')
      .values({
        id: newId(),
        site_id: site.id,
        command,
        system_id: systemId,
        by: actor.label,
        created_at: tx.now,
        sent_at: null,
      })
      .execute();
    await tx.audit({
      action: `power.${command}`,
      entityType: 'site',
      entityId: site.id,
      clientId: site.client_id,
      summary,
    });
    await nudgeAgents(tx, site.id);
  });
}

/** A pinned key belongs to a host: pointing the SSH action elsewhere drops the pin (the new host is pinned on first use). */
function keptPin(before: PowerActionsTable | undefined, plain: StoredActions) {
  const none = { host_key: null, host_key_pinned_at: null, host_key_refused: null, host_key_refused_at: null };
  if (!before) return none;
  const target = (a: StoredActions) =>
    a.shutdown?.kind === 'ssh' ? `${a.shutdown.settings.host}:${a.shutdown.settings.port}` : null;
  const old = target(JSON.parse(before.actions_json) as StoredActions);
  if (old === null || old !== target(plain)) return none;
  return {
    host_key: before.host_key,
    host_key_pinned_at: before.host_key_pinned_at,
    host_key_refused: before.host_key_refused,
    host_key_refused_at: before.host_key_refused_at,
  };
}

/**
 * Re-pin a system's SSH host key after its server was reinstalled: an owner or admin types the system's
 * name and the new fingerprint (the one the agent refused, or one read on the server's console).
 */
export async function repinHostKey(
  ctx: AppContext,
  actor: Actor,
  systemId: string,
  input: z.infer<typeof HostKeyRepinRequest>,
): Promise<void> {
  assertAccountManager(actor);
  await change(ctx, actor, async (tx) => {
    const system = await visibleSystem(tx.db, actor, systemId);
    if (input.systemName.trim() !== system.name)
      throw badInput({ systemName: `must be the system's name, "${system.name}"` });
    const row = await tx.db
      .selectFrom('power_actions')
      .selectAll()
      .where('system_id', '=', system.id)
      .executeTakeFirst();
    const actions = row ? (JSON.parse(row.actions_json) as StoredActions) : null;
    if (!row || actions?.shutdown?.kind !== 'ssh')
      throw conflict(`${system.name} has no SSH shutdown action; there is no host key to pin`);
    await tx.db
      .updateTable('power_actions')
      .set({ host_key: input.hostKey, host_key_pinned_at: tx.now, host_key_refused: null, host_key_refused_at: null })
      .where('system_id', '=', system.id)
      .execute();
    await tx.audit({
      action: 'power.host-key.repin',
      entityType: 'system',
      entityId: system.id,
      clientId: system.client_id,
      summary: `SSH host key of ${system.name} re-pinned: ${input.hostKey} (was ${row.host_key ?? 'not pinned'})`,
      before: { hostKey: row.host_key },
      after: { hostKey: input.hostKey },
    });
    await nudgeAgents(tx, system.site_id);
  });
}
