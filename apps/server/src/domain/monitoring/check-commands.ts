import { InvalidCheckParamsError, parseCheckParams, type CheckKind } from '@afterhours/checks';
import { setPaused, type Check, type CreateCheckRequest, type UpdateCheckRequest } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { ChecksTable } from '../../db/schema.js';
import { badInput, conflict } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import { firstRunAt } from '../../lib/check-schedule.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change, type ChangeTx } from '../change.js';
import { auditableCheck } from './check-presenter.js';
import { getCheck, visibleCheck } from './check-queries.js';
import type { ResultStore } from '../../db/dialects/result-store.js';
import { recordTransition, toWorking } from './check-state-store.js';
import { newCheckState } from './new-check-state.js';
import { decryptSecrets, encryptSecrets, restoreMasked, splitSecrets } from './secret-params.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/** Validates settings with the check type's own schema; errors name `params.<field>`. */
function validParams(kind: CheckKind, raw: Record<string, unknown>): Record<string, unknown> {
  try {
    return parseCheckParams(kind, raw) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof InvalidCheckParamsError)) throw error;
    const fields = Object.fromEntries(
      Object.entries(error.fields).map(([f, m]) => [f === '(settings)' ? 'params' : `params.${f}`, m]),
    );
    throw badInput(fields);
  }
}

/** The agent that runs an agent check: the one named, or the site's only one. */
async function agentFor(db: Kdb, siteId: string, agentId: string | null | undefined): Promise<string> {
  const agents = await db
    .selectFrom('agents')
    .select(['id', 'name'])
    .where('site_id', '=', siteId)
    .where('revoked_at', 'is', null)
    .execute();
  if (agentId) {
    if (!agents.some((a) => a.id === agentId)) throw badInput({ agentId: 'names no agent of this check’s site' });
    return agentId;
  }
  if (agents.length === 1) return agents[0]!.id;
  if (agents.length === 0)
    throw badInput({ probe: 'the site has no agent yet: add one, or run the check from the hub' });
  throw badInput({ agentId: 'is required: the site has more than one agent' });
}

function notifyAgents(ctx: AppContext, ...agentIds: Array<string | null>): void {
  for (const id of new Set(agentIds)) if (id) ctx.agentLink?.assignmentsChanged(id);
}

export async function createCheck(ctx: AppContext, actor: Actor, input: CreateCheckRequest): Promise<Check> {
  assertStaffWrite(actor);
  const id = newId();
  const params = validParams(input.kind, input.params);
  const timeoutMs = input.timeoutMs ?? Math.min(DEFAULT_TIMEOUT_MS, input.intervalS * 1000);
  const row = await change(ctx, actor, async (tx) => {
    const system = await tx.db
      .selectFrom('systems')
      .select(['id', 'site_id', 'client_id', 'name', 'archived_at'])
      .where('id', '=', input.systemId)
      .executeTakeFirst();
    if (!system || (actor.role === 'client' && actor.clientId !== system.client_id))
      throw badInput({ systemId: `names no system (${input.systemId})` });
    if (system.archived_at)
      throw conflict(`${system.name} is archived; restore it before adding checks`, { systemId: 'is archived' });
    const agentId = input.probe === 'agent' ? await agentFor(tx.db, system.site_id, input.agentId) : null;
    const { plain, secrets } = splitSecrets(params);
    const row: ChecksTable = {
      id,
      client_id: system.client_id,
      site_id: system.site_id,
      system_id: system.id,
      name: input.name,
      kind: input.kind,
      params_json: JSON.stringify(plain),
      secrets_enc: encryptSecrets(ctx.secrets, secrets),
      probe: input.probe,
      agent_id: agentId,
      interval_s: input.intervalS,
      timeout_ms: timeoutMs,
      failures_before_down: input.failuresBeforeDown,
      successes_before_up: input.successesBeforeUp,
      ...newCheckState(tx.now, input.paused ? actor.label : undefined),
      next_run_at: input.probe === 'hub' && !input.paused ? firstRunAt(id, input.intervalS, new Date(tx.now)) : null,
      created_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.insertInto('checks').values(row).execute();
    if (row.next_run_at) await ctx.db.dialect.placeCheck(tx.db, id, row.next_run_at);
    await tx.audit({
      action: 'check.create',
      entityType: 'check',
      entityId: id,
      clientId: row.client_id,
      summary: `Check "${row.name}" (${row.kind}) added to "${system.name}"`,
      after: auditableCheck(row),
    });
    tx.emit({ entity: 'check', id, action: 'created', clientId: row.client_id });
    return row;
  });
  notifyAgents(ctx, row.agent_id);
  return getCheck(ctx, actor, id);
}

export async function updateCheck(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateCheckRequest,
): Promise<Check> {
  assertStaffWrite(actor);
  const agents = await change(ctx, actor, async (tx) => {
    const before = await visibleCheck(tx.db, actor, id);
    const after: ChecksTable = { ...before };
    if (input.name !== undefined) after.name = input.name;
    if (input.params !== undefined) {
      const stored = decryptSecrets(ctx.secrets, before.secrets_enc);
      const { plain, secrets } = splitSecrets(
        validParams(before.kind as CheckKind, restoreMasked(input.params, stored)),
      );
      after.params_json = JSON.stringify(plain);
      after.secrets_enc =
        JSON.stringify(secrets) === JSON.stringify(stored) ? before.secrets_enc : encryptSecrets(ctx.secrets, secrets);
    }
    after.interval_s = input.intervalS ?? before.interval_s;
    after.timeout_ms =
      input.timeoutMs ??
      (input.intervalS !== undefined ? Math.min(before.timeout_ms, after.interval_s * 1000) : before.timeout_ms);
    if (after.timeout_ms > after.interval_s * 1000)
      throw badInput({ timeoutMs: `must not be longer than the interval (${after.interval_s} s)` });
    after.failures_before_down = input.failuresBeforeDown ?? before.failures_before_down;
    after.successes_before_up = input.successesBeforeUp ?? before.successes_before_up;
    after.probe = input.probe ?? before.probe;
    after.agent_id =
      after.probe === 'agent'
        ? await agentFor(tx.db, before.site_id, input.agentId === undefined ? before.agent_id : input.agentId)
        : null;
    if (input.paused !== undefined) after.paused = input.paused ? 1 : 0;

    const was = auditableCheck(before);
    const will = auditableCheck(after);
    const secretsChanged = after.secrets_enc !== before.secrets_enc;
    if (JSON.stringify(was) === JSON.stringify(will) && !secretsChanged) return [];

    await applyPause(tx, ctx.db.dialect.resultStore(tx.db), before, after, actor);
    const reschedule =
      after.probe === 'hub' &&
      after.paused === 0 &&
      (before.probe !== 'hub' || before.paused === 1 || before.interval_s !== after.interval_s || !before.next_run_at);
    if (reschedule) after.next_run_at = firstRunAt(id, after.interval_s, new Date(tx.now));
    if (after.probe !== 'hub' || after.paused === 1) after.next_run_at = null;
    after.updated_at = tx.now;
    await tx.db.updateTable('checks').set(after).where('id', '=', id).execute();
    if (reschedule && after.next_run_at) await ctx.db.dialect.placeCheck(tx.db, id, after.next_run_at);
    const verb = before.paused === after.paused ? 'update' : after.paused ? 'pause' : 'resume';
    await tx.audit({
      action: `check.${verb}`,
      entityType: 'check',
      entityId: id,
      clientId: before.client_id,
      summary: `Check "${after.name}" ${verb === 'update' ? 'changed' : `${verb}d`}${secretsChanged ? ' (secret settings changed)' : ''}`,
      before: was,
      after: will,
    });
    tx.emit({ entity: 'check', id, action: 'updated', clientId: before.client_id });
    return [before.agent_id, after.agent_id];
  });
  notifyAgents(ctx, ...agents);
  return getCheck(ctx, actor, id);
}

/** Pausing or resuming is a change of state like any other: the machine says what, a row records it. */
async function applyPause(
  tx: ChangeTx,
  store: ResultStore,
  before: ChecksTable,
  after: ChecksTable,
  actor: Actor,
): Promise<void> {
  if (before.paused === after.paused) return;
  const working = toWorking(before);
  const step = setPaused(
    working.machine,
    after.paused === 1,
    tx.now,
    `${after.paused ? 'paused' : 'resumed'} by ${actor.label}`,
  );
  const drafts = step.transitions.map((t) =>
    recordTransition(working, t, tx.now, actor.id ? `user:${actor.userId ?? actor.id}` : 'hub'),
  );
  await store.insertStateChanges(drafts);
  const m = step.state;
  Object.assign(after, {
    state: m.state,
    computed_state: m.computed,
    state_since: m.since,
    state_reason: m.reason,
    consecutive_failures: m.consecutiveFailures,
    consecutive_successes: m.consecutiveSuccesses,
    state_change_id: working.stateChangeId,
    cause_type: after.paused ? before.cause_type : null,
    cause_id: after.paused ? before.cause_id : null,
  });
}

export async function deleteCheck(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertStaffWrite(actor);
  const agentId = await change(ctx, actor, async (tx) => {
    const before = await visibleCheck(tx.db, actor, id);
    await tx.db.deleteFrom('checks').where('id', '=', id).execute();
    await tx.audit({
      action: 'check.delete',
      entityType: 'check',
      entityId: id,
      clientId: before.client_id,
      summary: `Check "${before.name}" deleted with its results`,
      before: auditableCheck(before),
    });
    tx.emit({ entity: 'check', id, action: 'deleted', clientId: before.client_id });
    return before.agent_id;
  });
  notifyAgents(ctx, agentId);
}
