import type { AgentEnrolment, CreateAgentRequest } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { AgentsTable } from '../../db/schema.js';
import { badInput, conflict, forbidden } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { change, type ChangeTx } from '../change.js';
import { markAgentWithdrawn } from '../monitoring/reachability.js';
import { auditableAgent } from './agent-presenter.js';
import { getAgent, visibleAgent } from './agent-queries.js';
import { enrolCommands, newEnrolCode } from './enrolment-codes.js';

type CreateInput = z.infer<typeof CreateAgentRequest>;

/** Adding, revoking and rotating agents hands out or takes away access to a client's network. */
export function assertAgentManager(actor: Actor): void {
  if (actor.role !== 'owner' && actor.role !== 'admin')
    throw forbidden('Only an owner or admin can add, rotate, revoke or delete site agents');
}

function emitAgent(
  tx: ChangeTx,
  row: Pick<AgentsTable, 'id' | 'client_id'>,
  action: 'created' | 'updated' | 'deleted',
) {
  // Also how every hub process learns to drop the agent's socket when it is revoked, rotated or deleted.
  tx.emit({ entity: 'agent', id: row.id, action, clientId: row.client_id });
}

/** Add an agent to a site; the answer carries its one-time enrolment code (24 h) and the command to run. */
export async function createAgent(
  ctx: AppContext,
  actor: Actor,
  input: CreateInput,
  hub: { url: string; configured: boolean },
): Promise<AgentEnrolment> {
  assertAgentManager(actor);
  const id = newId();
  const code = await change(ctx, actor, async (tx) => {
    const site = await tx.db
      .selectFrom('sites')
      .select(['id', 'client_id', 'name', 'archived_at'])
      .where('id', '=', input.siteId)
      .executeTakeFirst();
    if (!site) throw badInput({ siteId: `names no site (${input.siteId})` });
    if (site.archived_at) throw badInput({ siteId: `is archived (${site.name}); restore the site first` });
    const code = newEnrolCode(tx.now);
    const row: AgentsTable = {
      id,
      client_id: site.client_id,
      site_id: site.id,
      name: input.name,
      enrol_code_hash: code.hash,
      enrol_expires_at: code.expiresAt,
      token_hash: null,
      enrolled_at: null,
      revoked_at: null,
      status: 'pending',
      status_since: tx.now,
      last_seen_at: null,
      version: null,
      hostname: null,
      uptime_s: null,
      backlog: null,
      last_acked_seq: 0,
      created_by: actor.userId,
      created_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.insertInto('agents').values(row).execute();
    await tx.audit({
      action: 'agent.create',
      entityType: 'agent',
      entityId: id,
      clientId: site.client_id,
      summary: `Site agent "${row.name}" added to site "${site.name}"`,
      after: auditableAgent(row),
    });
    emitAgent(tx, row, 'created');
    return code;
  });
  return {
    agent: await getAgent(ctx.db.kysely, actor, id, ctx.settings.agentRelease?.version),
    enrolCode: code.code,
    enrolExpiresAt: code.expiresAt,
    ...enrolCommands(hub, code.code),
  };
}

/** The agent's checks become unknown under one root change for its site (see reachability.ts). */
async function withdraw(ctx: AppContext, tx: ChangeTx, agent: AgentsTable, how: 'revoked' | 'deleted'): Promise<void> {
  const outcome = await markAgentWithdrawn(ctx, agent.site_id, agent.id, tx.now, how, { db: tx.db });
  for (const { at: _at, ...event } of outcome.events) tx.emit(event);
}

/** Revoke an agent for good: its token stops working, any open link is closed, and its checks become unknown. */
export async function revokeAgent(ctx: AppContext, actor: Actor, id: string) {
  assertAgentManager(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleAgent(tx.db, actor, id);
    if (before.status === 'revoked') return;
    const after: AgentsTable = {
      ...before,
      token_hash: null,
      enrol_code_hash: null,
      enrol_expires_at: null,
      status: 'revoked',
      status_since: tx.now,
      revoked_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.updateTable('agents').set(after).where('id', '=', id).execute();
    await withdraw(ctx, tx, after, 'revoked');
    await tx.audit({
      action: 'agent.revoke',
      entityType: 'agent',
      entityId: id,
      clientId: before.client_id,
      summary: `Site agent "${before.name}" revoked`,
      before: auditableAgent(before),
      after: auditableAgent(after),
    });
    emitAgent(tx, after, 'updated');
  });
  return getAgent(ctx.db.kysely, actor, id, ctx.settings.agentRelease?.version);
}

/** A new enrolment code; the agent's current token stops working at once (and its link is closed). */
export async function rotateAgent(
  ctx: AppContext,
  actor: Actor,
  id: string,
  hub: { url: string; configured: boolean },
): Promise<AgentEnrolment> {
  assertAgentManager(actor);
  const code = await change(ctx, actor, async (tx) => {
    const before = await visibleAgent(tx.db, actor, id);
    if (before.status === 'revoked') throw conflict('This agent is revoked; add a new agent for the site instead');
    const code = newEnrolCode(tx.now);
    const after: AgentsTable = {
      ...before,
      token_hash: null,
      enrol_code_hash: code.hash,
      enrol_expires_at: code.expiresAt,
      status: 'pending',
      status_since: tx.now,
      updated_at: tx.now,
    };
    await tx.db.updateTable('agents').set(after).where('id', '=', id).execute();
    await tx.audit({
      action: 'agent.rotate',
      entityType: 'agent',
      entityId: id,
      clientId: before.client_id,
      summary: `Site agent "${before.name}": token revoked and a new enrolment code issued`,
      before: auditableAgent(before),
      after: auditableAgent(after),
    });
    emitAgent(tx, after, 'updated');
    return code;
  });
  return {
    agent: await getAgent(ctx.db.kysely, actor, id, ctx.settings.agentRelease?.version),
    enrolCode: code.code,
    enrolExpiresAt: code.expiresAt,
    ...enrolCommands(hub, code.code),
  };
}

/** Delete an agent; its checks stay, unknown and without an agent to run them, until they are given another. */
export async function deleteAgent(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertAgentManager(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleAgent(tx.db, actor, id);
    const checks = await tx.db
      .selectFrom('checks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('agent_id', '=', id)
      .executeTakeFirstOrThrow();
    if (before.status !== 'revoked') await withdraw(ctx, tx, before, 'deleted');
    await tx.db.deleteFrom('agents').where('id', '=', id).execute();
    await tx.audit({
      action: 'agent.delete',
      entityType: 'agent',
      entityId: id,
      clientId: before.client_id,
      summary: `Site agent "${before.name}" deleted (${Number(checks.n)} check(s) left without an agent)`,
      before: auditableAgent(before),
    });
    emitAgent(tx, before, 'deleted');
  });
}
