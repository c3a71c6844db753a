import { powerPlan } from '@afterhours/power';
import type { z } from 'zod';
import type {
  OutageRequest,
  PlanRequest,
  ShutdownNowRequest,
  SystemPowerRequest,
  UpsRequest,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { AppError, badInput, forbidden } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import { assertCurrentPassword } from '../accounts/profile.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { verifyTotp } from '../auth/totp.js';
import { change, type ChangeTx } from '../change.js';
import { encryptSecrets, maskSecrets, splitSecrets } from '../monitoring/secret-params.js';
import { visibleSite, visibleSystem } from '../register/access.js';
import { openSecrets, sealActions, shownActions } from './secrets.js';

/** Tells the site's agents their power config changed (the process holding each link resends it). */
async function nudgeAgents(tx: ChangeTx, siteId: string): Promise<void> {
  const agents = await tx.db.selectFrom('agents').select(['id', 'client_id']).where('site_id', '=', siteId).execute();
  for (const a of agents) tx.emit({ entity: 'agent', id: a.id, action: 'updated', clientId: a.client_id });
}

export async function addUps(ctx: AppContext, actor: Actor, siteId: string, input: z.infer<typeof UpsRequest>) {
  assertStaffWrite(actor);
  const id = newId();
  await change(ctx, actor, async (tx) => {
    const site = await visibleSite(tx.db, actor, siteId);
    const { plain, secrets } = splitSecrets(input.settings);
    await tx.db
      .insertInto('power_ups')
      .values({
        id,
        client_id: site.client_id,
        site_id: site.id,
        name: input.name,
        kind: input.kind,
        settings_json: JSON.stringify(plain),
        secrets_enc: encryptSecrets(ctx.secrets, secrets),
        created_at: tx.now,
      })
      .execute();
    await tx.audit({
      action: 'power.ups.add',
      entityType: 'site',
      entityId: site.id,
      clientId: site.client_id,
      summary: `UPS "${input.name}" (${input.kind}) added to ${site.name}`,
      after: { name: input.name, kind: input.kind, settings: maskSecrets(plain, secrets) },
    });
    await nudgeAgents(tx, site.id);
  });
  return id;
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
      host_key: before?.host_key ?? null,
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

export async function addOutage(ctx: AppContext, actor: Actor, siteId: string, input: z.infer<typeof OutageRequest>) {
  assertStaffWrite(actor);
  const id = newId();
  await change(ctx, actor, async (tx) => {
    const site = await visibleSite(tx.db, actor, siteId);
    await tx.db
      .insertInto('power_outages')
      .values({
        id,
        client_id: site.client_id,
        site_id: site.id,
        starts_at: new Date(input.startsAt).toISOString(),
        ends_at: new Date(input.endsAt).toISOString(),
        note: input.note,
        created_at: tx.now,
      })
      .execute();
    await tx.audit({
      action: 'power.outage.add',
      entityType: 'site',
      entityId: site.id,
      clientId: site.client_id,
      summary: `Planned power outage at ${site.name}: ${input.startsAt} to ${input.endsAt}${input.note ? ` (${input.note})` : ''}`,
      after: input,
    });
    await nudgeAgents(tx, site.id);
  });
  return id;
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
