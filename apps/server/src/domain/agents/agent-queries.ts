import type { Agent } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { AgentsTable } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient, clientScope } from '../auth/policy.js';
import { presentAgent, type AgentWithSite } from './agent-presenter.js';

export interface AgentListOptions {
  siteId?: string | undefined;
  clientId?: string | undefined;
}

const withSiteName = (db: Kdb) =>
  db
    .selectFrom('agents')
    .innerJoin('sites', 'sites.id', 'agents.site_id')
    .selectAll('agents')
    .select('sites.name as site_name');

/** One agent the actor may see, or 404 (another firm's agent is "not found" to a client account). */
export async function visibleAgent(db: Kdb, actor: Actor, id: string): Promise<AgentsTable> {
  const row = await db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The agent');
  assertCanSeeClient(actor, row.client_id, 'The agent');
  return row;
}

/** `latestVersion`: the agent version this hub serves; agents older than it are marked outdated. */
export async function listAgents(
  db: Kdb,
  actor: Actor,
  options: AgentListOptions,
  latestVersion?: string,
): Promise<{ items: Agent[] }> {
  let query = withSiteName(db);
  const scope = clientScope(actor, options.clientId);
  if (scope) query = query.where('agents.client_id', '=', scope);
  if (options.siteId) query = query.where('agents.site_id', '=', options.siteId);
  const rows = await query.orderBy('sites.name').orderBy('agents.name').orderBy('agents.id').limit(5000).execute();
  return { items: await present(db, rows, latestVersion) };
}

export async function getAgent(db: Kdb, actor: Actor, id: string, latestVersion?: string): Promise<Agent> {
  await visibleAgent(db, actor, id);
  const row = await withSiteName(db).where('agents.id', '=', id).executeTakeFirstOrThrow();
  return (await present(db, [row], latestVersion))[0]!;
}

async function present(db: Kdb, rows: AgentWithSite[], latestVersion: string | undefined): Promise<Agent[]> {
  const counts = new Map<string, number>();
  if (rows.length) {
    const found = await db
      .selectFrom('checks')
      .select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('probe', '=', 'agent')
      .where(
        'agent_id',
        'in',
        rows.map((r) => r.id),
      )
      .groupBy('agent_id')
      .execute();
    for (const row of found) if (row.agent_id) counts.set(row.agent_id, Number(row.n));
  }
  return rows.map((row) => presentAgent(row, counts.get(row.id) ?? 0, latestVersion));
}
