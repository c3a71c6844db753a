import type { z } from 'zod';
import type { RunCheckResponse } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { ChecksTable } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { noAgentLink } from './agent-link.js';
import { lastResultOf } from './check-presenter.js';
import { getCheck, visibleCheck } from './check-queries.js';
import { ingestResults } from './ingest.js';
import { probeRunnerOf } from './probe-runner.js';

type Response = z.infer<typeof RunCheckResponse>;

/** How long "run now" waits for an agent's answer beyond the check's own timeout. */
const AGENT_GRACE_MS = 5000;

/**
 * Runs a check at once and answers with its result. A hub check runs here, through the same runner as the
 * scheduler (a run already under way is joined, never doubled); an agent check is asked of its agent
 * through the agent link (whichever hub process holds the agent's connection), and its result awaited
 * in the database, where the holder stores it.
 */
export async function runCheckNow(ctx: AppContext, actor: Actor, id: string): Promise<Response> {
  assertStaffWrite(actor);
  const row = await visibleCheck(ctx.db.kysely, actor, id);
  await change(ctx, actor, (tx) =>
    tx.audit({
      action: 'check.run',
      entityType: 'check',
      entityId: id,
      clientId: row.client_id,
      summary: `Check "${row.name}" run now`,
    }),
  );
  const outcome = await runCheckAndWait(ctx, row);
  if (outcome === 'agent_offline')
    throw new AppError(
      409,
      'agent_offline',
      'The site agent that runs this check is not connected; it will run the check when it is back',
    );
  return { result: outcome, check: await getCheck(ctx, actor, id) };
}

/**
 * Runs a check at once, without asking who may (callers do): through this hub's runner, or through its
 * agent, whose result is awaited for the check's timeout plus a grace. Answers the result (null when the
 * agent did not answer in time), or 'agent_offline'. Used by "run now" and by checklist steps.
 */
export async function runCheckAndWait(
  ctx: AppContext,
  row: ChecksTable,
): Promise<Response['result'] | 'agent_offline'> {
  if (row.probe === 'hub') {
    const result = await probeRunnerOf(ctx).runOnce(row);
    await ingestResults(ctx, { type: 'hub' }, [result]);
    const { checkId: _id, ...shown } = result;
    return shown;
  }
  const link = ctx.agentLink ?? noAgentLink;
  const sent = row.agent_id ? await link.runNow(row.agent_id, row.id) : false;
  if (!sent) return 'agent_offline';
  return awaitNewResult(ctx, row.id, row.last_run_at, row.timeout_ms + AGENT_GRACE_MS);
}

async function awaitNewResult(
  ctx: AppContext,
  checkId: string,
  before: string | null,
  waitMs: number,
): Promise<Response['result']> {
  const deadline = Date.now() + Math.min(waitMs, 60_000);
  while (Date.now() < deadline) {
    const row = await ctx.db.kysely
      .selectFrom('checks')
      .select(['last_run_at', 'last_status', 'last_latency_ms', 'last_message'])
      .where('id', '=', checkId)
      .executeTakeFirst();
    if (!row) return null;
    const last = lastResultOf(row);
    if (last && last.at !== before) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}
