import type {
  CreateEscalationPolicyRequest,
  EscalationPolicy,
  UpdateEscalationPolicyRequest,
} from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { EscalationPoliciesTable } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertAccountManager } from '../auth/policy.js';
import { change } from '../change.js';
import { NO_POLICY_NAME, type PolicySnapshot } from './steps.js';

export function presentPolicy(row: EscalationPoliciesTable): EscalationPolicy {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.is_default === 1,
    steps: JSON.parse(row.steps_json),
    repeat: row.repeat,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function snapshotOf(row: EscalationPoliciesTable): PolicySnapshot {
  return { id: row.id, name: row.name, steps: JSON.parse(row.steps_json), repeat: row.repeat };
}

/**
 * The policy that pages: the one named, else the default, else (a hub nobody has set up) every owner and
 * admin at once, so that an alert never pages nobody because a policy is missing.
 */
export async function policyFor(db: Kdb, policyId: string | null): Promise<PolicySnapshot> {
  if (policyId) {
    const named = await db.selectFrom('escalation_policies').selectAll().where('id', '=', policyId).executeTakeFirst();
    if (named) return snapshotOf(named);
  }
  const fallback = await db
    .selectFrom('escalation_policies')
    .selectAll()
    .where('is_default', '=', 1)
    .orderBy('created_at')
    .executeTakeFirst();
  if (fallback) return snapshotOf(fallback);
  const managers = await db
    .selectFrom('users')
    .select('id')
    .where('role', 'in', ['owner', 'admin'])
    .where('disabled', '=', 0)
    .orderBy('created_at')
    .execute();
  return {
    id: null,
    name: NO_POLICY_NAME,
    steps: managers.length ? [{ targets: managers.map((m) => ({ type: 'user', id: m.id })), waitMinutes: 10 }] : [],
    repeat: 0,
  };
}

export async function listPolicies(db: Kdb): Promise<{ items: EscalationPolicy[] }> {
  const rows = await db.selectFrom('escalation_policies').selectAll().orderBy('name').execute();
  return { items: rows.map(presentPolicy) };
}

async function findPolicy(db: Kdb, id: string): Promise<EscalationPoliciesTable> {
  const row = await db.selectFrom('escalation_policies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Escalation policy');
  return row;
}

export async function getPolicy(db: Kdb, id: string): Promise<EscalationPolicy> {
  return presentPolicy(await findPolicy(db, id));
}

/** One default at most: making a policy the default takes it from the others. */
async function takeDefault(db: Kdb, keep: string, now: string): Promise<void> {
  await db
    .updateTable('escalation_policies')
    .set({ is_default: 0, updated_at: now })
    .where('is_default', '=', 1)
    .where('id', '!=', keep)
    .execute();
}

export async function createPolicy(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof CreateEscalationPolicyRequest>,
): Promise<EscalationPolicy> {
  assertAccountManager(actor);
  return change(ctx, actor, async (tx) => {
    const row: EscalationPoliciesTable = {
      id: newId(),
      name: input.name,
      is_default: input.isDefault ? 1 : 0,
      steps_json: JSON.stringify(input.steps),
      repeat: input.repeat,
      created_at: tx.now,
      updated_at: tx.now,
    };
    if (input.isDefault) await takeDefault(tx.db, row.id, tx.now);
    await tx.db.insertInto('escalation_policies').values(row).execute();
    const after = presentPolicy(row);
    await tx.audit({
      action: 'escalation_policy.create',
      entityType: 'escalation_policy',
      entityId: row.id,
      clientId: null,
      summary: `Escalation policy "${row.name}" created`,
      after,
    });
    tx.emit({ entity: 'escalation_policy', id: row.id, action: 'created', clientId: null });
    return after;
  });
}

export async function updatePolicy(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof UpdateEscalationPolicyRequest>,
): Promise<EscalationPolicy> {
  assertAccountManager(actor);
  return change(ctx, actor, async (tx) => {
    const before = await findPolicy(tx.db, id);
    const row: EscalationPoliciesTable = {
      ...before,
      name: input.name ?? before.name,
      is_default: input.isDefault === undefined ? before.is_default : input.isDefault ? 1 : 0,
      steps_json: input.steps ? JSON.stringify(input.steps) : before.steps_json,
      repeat: input.repeat ?? before.repeat,
      updated_at: tx.now,
    };
    if (row.is_default) await takeDefault(tx.db, id, tx.now);
    await tx.db.updateTable('escalation_policies').set(row).where('id', '=', id).execute();
    const after = presentPolicy(row);
    await tx.audit({
      action: 'escalation_policy.update',
      entityType: 'escalation_policy',
      entityId: id,
      clientId: null,
      summary: `Escalation policy "${row.name}" changed (running escalations keep the policy they started with)`,
      before: presentPolicy(before),
      after,
    });
    tx.emit({ entity: 'escalation_policy', id, action: 'updated', clientId: null });
    return after;
  });
}

export async function deletePolicy(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertAccountManager(actor);
  await change(ctx, actor, async (tx) => {
    const before = await findPolicy(tx.db, id);
    await tx.db.deleteFrom('escalation_policies').where('id', '=', id).execute();
    await tx.audit({
      action: 'escalation_policy.delete',
      entityType: 'escalation_policy',
      entityId: id,
      clientId: null,
      summary: `Escalation policy "${before.name}" deleted (clients naming it fall back to the default)`,
      before: presentPolicy(before),
    });
    tx.emit({ entity: 'escalation_policy', id, action: 'deleted', clientId: null });
  });
}
