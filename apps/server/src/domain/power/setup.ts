import { upsSettingsProblem } from '@afterhours/power';
import type { z } from 'zod';
import type { OutageRequest, UpsRequest } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { badInput, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change, type ChangeTx } from '../change.js';
import {
  decryptSecrets,
  encryptSecrets,
  maskSecrets,
  restoreMasked,
  splitSecrets,
} from '../monitoring/secret-params.js';
import { visibleSite } from '../register/access.js';
import { nudgeAgents } from './commands.js';

/** A site's UPSes and planned outage windows: add, change, remove (staff only, audited, the agent told). */

type UpsInput = z.infer<typeof UpsRequest>;

function upsColumns(input: UpsInput) {
  return {
    name: input.name,
    kind: input.kind,
    poll_ms: input.pollSeconds == null ? null : input.pollSeconds * 1000,
    stable_ms: input.stableMinutes == null ? null : Math.round(input.stableMinutes * 60_000),
  };
}

function shownUps(input: UpsInput, plain: Record<string, unknown>, secrets: Record<string, string>) {
  return {
    name: input.name,
    kind: input.kind,
    settings: maskSecrets(plain, secrets),
    pollSeconds: input.pollSeconds ?? null,
    stableMinutes: input.stableMinutes ?? null,
  };
}

function assertUpsSettings(input: UpsInput, settings: Record<string, unknown>): void {
  const problem = upsSettingsProblem(input.kind, settings);
  if (problem) throw badInput(problem);
}

export async function addUps(ctx: AppContext, actor: Actor, siteId: string, input: UpsInput) {
  assertStaffWrite(actor);
  assertUpsSettings(input, input.settings);
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
        ...upsColumns(input),
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
      after: shownUps(input, plain, secrets),
    });
    await nudgeAgents(tx, site.id);
  });
  return id;
}

async function visibleUps(tx: ChangeTx, actor: Actor, upsId: string) {
  const ups = await tx.db.selectFrom('power_ups').selectAll().where('id', '=', upsId).executeTakeFirst();
  if (!ups) throw notFound('UPS');
  const site = await visibleSite(tx.db, actor, ups.site_id).catch(() => {
    throw notFound('UPS');
  });
  return { ups, site };
}

/** Changes a UPS; "***" keeps a stored secret (a password never comes back to the browser). */
export async function updateUps(ctx: AppContext, actor: Actor, upsId: string, input: UpsInput): Promise<void> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const { ups, site } = await visibleUps(tx, actor, upsId);
    const stored = decryptSecrets(ctx.secrets, ups.secrets_enc);
    const settings = restoreMasked(input.settings, stored);
    assertUpsSettings(input, settings);
    const { plain, secrets } = splitSecrets(settings);
    await tx.db
      .updateTable('power_ups')
      .set({
        ...upsColumns(input),
        settings_json: JSON.stringify(plain),
        secrets_enc: encryptSecrets(ctx.secrets, secrets),
      })
      .where('id', '=', ups.id)
      .execute();
    await tx.audit({
      action: 'power.ups.update',
      entityType: 'site',
      entityId: site.id,
      clientId: site.client_id,
      summary: `UPS "${input.name}" of ${site.name} changed`,
      before: {
        name: ups.name,
        kind: ups.kind,
        settings: maskSecrets(JSON.parse(ups.settings_json), stored),
        pollMs: ups.poll_ms,
        stableMs: ups.stable_ms,
      },
      after: shownUps(input, plain, secrets),
    });
    await nudgeAgents(tx, site.id);
  });
}

export async function removeUps(ctx: AppContext, actor: Actor, upsId: string): Promise<void> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const { ups, site } = await visibleUps(tx, actor, upsId);
    await tx.db.deleteFrom('power_ups').where('id', '=', ups.id).execute();
    await tx.audit({
      action: 'power.ups.remove',
      entityType: 'site',
      entityId: site.id,
      clientId: site.client_id,
      summary: `UPS "${ups.name}" removed from ${site.name}`,
    });
    await nudgeAgents(tx, site.id);
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

export async function removeOutage(ctx: AppContext, actor: Actor, outageId: string): Promise<void> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const outage = await tx.db.selectFrom('power_outages').selectAll().where('id', '=', outageId).executeTakeFirst();
    if (!outage) throw notFound('Planned outage');
    const site = await visibleSite(tx.db, actor, outage.site_id).catch(() => {
      throw notFound('Planned outage');
    });
    await tx.db.deleteFrom('power_outages').where('id', '=', outage.id).execute();
    await tx.audit({
      action: 'power.outage.remove',
      entityType: 'site',
      entityId: site.id,
      clientId: site.client_id,
      summary: `Planned power outage at ${site.name} (${outage.starts_at} to ${outage.ends_at}) removed`,
    });
    await nudgeAgents(tx, site.id);
  });
}
