import { agentSuppression, clockTime, suppress, type ChangeEvent } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { DialectSupport } from '../../db/dialects/types.js';
import { isoNow } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import {
  changedOnScreen,
  checkWrites,
  recordTransition,
  toWorking,
  type StateChangeDraft,
} from './check-state-store.js';

export interface ReachabilityOutcome {
  /** The site's state change (the root cause of the checks it made unknown); null when nothing changed. */
  rootChangeId: string | null;
  /** Checks that changed state because of it. */
  checksChanged: number;
  /** Live-update events; published here, or, when the caller passed its transaction, by the caller after commit. */
  events: ChangeEvent[];
}

interface SiteTransition {
  to: 'unreachable' | 'reachable';
  reason: (hhmm: string, agentName: string) => string;
  /** The agent's own status change; none when the caller has set it (revoked, deleted). */
  agentStatus: { from: string; to: string } | null;
  /** Why the agent's checks are unknown, when it is not the agent falling silent. */
  checkReason?: string;
  /**
   * Revoked or deleted: nothing is recorded for an agent without checks, and a site that is already
   * unreachable through it keeps its root change while its checks take the new reason.
   */
  withdrawal?: boolean;
}

const UNREACHABLE: SiteTransition = {
  to: 'unreachable',
  reason: (hhmm, name) => `site agent ${name} unreachable since ${hhmm}`,
  agentStatus: { from: 'online', to: 'unreachable' },
};
const REVOKED: SiteTransition = {
  to: 'unreachable',
  reason: (hhmm, name) => `site agent ${name} revoked at ${hhmm}`,
  agentStatus: null,
  checkReason: 'site agent revoked',
  withdrawal: true,
};
const DELETED: SiteTransition = {
  ...REVOKED,
  reason: (hhmm, name) => `site agent ${name} deleted at ${hhmm}`,
  checkReason: 'site agent deleted',
};
const REACHABLE: SiteTransition = {
  to: 'reachable',
  reason: (hhmm, name) => `site agent ${name} reachable again since ${hhmm}`,
  agentStatus: { from: 'unreachable', to: 'online' },
};

/**
 * The site's agent went silent: one root state change for the site, and each of the site's checks run
 * by that agent becomes unknown with a state change naming the site's change as its root cause.
 * Calling it again while the site is unreachable changes nothing.
 */
export async function markSiteUnreachable(
  ctx: AppContext,
  siteId: string,
  agentId: string,
  at: string,
  options: { db?: Kdb } = {},
): Promise<ReachabilityOutcome> {
  return run(ctx, siteId, agentId, at, UNREACHABLE, options.db);
}

/**
 * An admin revoked or is deleting the agent: its checks can no longer run, so they become unknown
 * ("site agent revoked") under one root change for the site, exactly as when it falls silent. Run it
 * inside the revoking transaction (`db`), before an agent is deleted; publish the events after commit.
 */
export async function markAgentWithdrawn(
  ctx: AppContext,
  siteId: string,
  agentId: string,
  at: string,
  how: 'revoked' | 'deleted',
  options: { db?: Kdb } = {},
): Promise<ReachabilityOutcome> {
  return run(ctx, siteId, agentId, at, how === 'revoked' ? REVOKED : DELETED, options.db);
}

/**
 * The agent is back: one state change for the site. Its checks stay unknown until their next result,
 * which brings back their computed state (see ingest.ts).
 */
export async function markSiteReachable(
  ctx: AppContext,
  siteId: string,
  agentId: string,
  at: string,
  options: { db?: Kdb } = {},
): Promise<ReachabilityOutcome> {
  return run(ctx, siteId, agentId, at, REACHABLE, options.db);
}

async function run(
  ctx: AppContext,
  siteId: string,
  agentId: string,
  at: string,
  transition: SiteTransition,
  given?: Kdb,
): Promise<ReachabilityOutcome> {
  const now = isoNow(ctx.clock);
  const when = new Date(Number.isFinite(Date.parse(at)) ? at : now).toISOString();
  const events: ChangeEvent[] = [];
  const work = (db: Kdb) => apply(db, siteId, agentId, when, now, transition, ctx.db.dialect, events);
  if (given) return { ...(await work(given)), events };
  const outcome = await ctx.db.kysely.transaction().execute(work);
  for (const event of events) ctx.bus.publish(event);
  return { ...outcome, events };
}

async function apply(
  db: Kdb,
  siteId: string,
  agentId: string,
  at: string,
  now: string,
  transition: SiteTransition,
  dialect: DialectSupport,
  events: ChangeEvent[],
): Promise<Omit<ReachabilityOutcome, 'events'>> {
  const store = dialect.resultStore(db);
  const none = { rootChangeId: null, checksChanged: 0 };
  const site = await db
    .selectFrom('sites')
    .select(['id', 'client_id', 'time_zone'])
    .where('id', '=', siteId)
    .executeTakeFirst();
  const agent = await db
    .selectFrom('agents')
    .select(['id', 'name', 'status'])
    .where('id', '=', agentId)
    .executeTakeFirst();
  if (!site || !agent) return none;
  const last = await db
    .selectFrom('state_changes')
    .select(['id', 'to_state'])
    .where('subject_type', '=', 'site')
    .where('site_id', '=', siteId)
    .where('agent_id', '=', agentId)
    .orderBy('recorded_at', 'desc')
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const current = last?.to_state ?? 'reachable';
  const already = current === transition.to;
  if (already && !transition.withdrawal) return none;
  const checks = (await store.loadChecks('agent_id', [agentId]))
    .filter((r) => r.probe === 'agent' && r.site_id === siteId)
    .map(toWorking);
  if (transition.withdrawal && !checks.length) return none;

  const hhmm = clockTime(at, site.time_zone);
  const root: StateChangeDraft = {
    id: newId(),
    at,
    recorded_at: now,
    client_id: site.client_id,
    site_id: siteId,
    system_id: null,
    check_id: null,
    agent_id: agentId,
    subject_type: 'site',
    from_state: current,
    to_state: transition.to,
    reason: transition.reason(hhmm, agent.name),
    cause_type: 'agent',
    cause_id: agentId,
    root_cause_id: null,
    source: 'hub',
    processed_at: null,
  };
  // A site already unreachable through this agent keeps the root it has.
  const rootId = already && last ? last.id : root.id;
  const drafts: StateChangeDraft[] = already ? [] : [root];
  if (transition.agentStatus) {
    await db
      .updateTable('agents')
      .set({ status: transition.agentStatus.to, status_since: at, updated_at: now })
      .where('id', '=', agentId)
      .where('status', '=', transition.agentStatus.from)
      .execute();
  }

  if (transition.to === 'unreachable') {
    const silent = agentSuppression(agentId, rootId, at, site.time_zone);
    const suppression = transition.checkReason ? { ...silent, reason: transition.checkReason } : silent;
    for (const check of checks) {
      const step = suppress(check.machine, suppression, at);
      check.machine = step.state;
      for (const t of step.transitions) drafts.push(recordTransition(check, t, now, 'hub'));
      const reworded = transition.withdrawal && check.cause?.type === 'agent' && check.cause.id === agentId;
      if (!step.transitions.length && check.machine.state === 'unknown' && (!check.cause || reworded)) {
        check.cause = { type: 'agent', id: agentId };
        check.machine = { ...check.machine, reason: suppression.reason };
        check.dirty = true;
      }
    }
  } else {
    for (const check of checks) {
      if (check.cause?.type !== 'agent') continue;
      check.machine = { ...check.machine, reason: `site agent back since ${hhmm}; waiting for the next result` };
      check.dirty = true;
    }
  }
  await store.insertStateChanges(drafts);
  await store.saveChecks(checkWrites(checks, now));
  events.push({ entity: 'site', id: siteId, action: 'updated', clientId: site.client_id, at: now });
  for (const c of checks)
    if (changedOnScreen(c))
      events.push({ entity: 'check', id: c.row.id, action: 'updated', clientId: c.row.client_id, at: now });
  return { rootChangeId: already ? null : root.id, checksChanged: checks.filter((c) => c.transitioned).length };
}
