import type { AgentResult } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { ingestResults } from '../monitoring/ingest.js';

/**
 * Store one batch of an agent's results exactly once. Raising `last_acked_seq` is the claim: only a
 * batch above it raises it (a conditional update, so two hub processes given the same batch cannot
 * both store it), and the results are stored in the same transaction. A batch at or below it was
 * stored before: it is acknowledged again and not stored.
 */
export async function storeBatch(
  ctx: AppContext,
  agentId: string,
  seq: number,
  results: AgentResult[],
): Promise<{ duplicate: boolean; stored: number }> {
  const outcome = await ctx.db.kysely.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('agents')
      .set({ last_acked_seq: seq })
      .where('id', '=', agentId)
      .where('last_acked_seq', '<', seq)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return undefined;
    return ingestResults(ctx, { type: 'agent', agentId }, results, { db: trx });
  });
  if (!outcome) return { duplicate: true, stored: 0 };
  for (const event of outcome.events) ctx.bus.publish(event);
  return { duplicate: false, stored: outcome.stored };
}
