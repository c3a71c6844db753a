import type { AssignedCheck } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { runnableParams } from '../monitoring/secret-params.js';

/**
 * The full set of checks an agent runs: its own, not paused, with their secret parameters decrypted
 * and merged in (they travel only over the agent's own link). A check whose secrets cannot be read
 * (the hub's key changed) is left out and logged rather than sent without its password.
 */
export async function assignedChecks(ctx: AppContext, agentId: string): Promise<AssignedCheck[]> {
  const rows = await ctx.db.kysely
    .selectFrom('checks')
    .select(['id', 'kind', 'params_json', 'secrets_enc', 'interval_s', 'timeout_ms'])
    .where('probe', '=', 'agent')
    .where('agent_id', '=', agentId)
    .where('paused', '=', 0)
    .orderBy('id')
    .execute();
  const checks: AssignedCheck[] = [];
  for (const row of rows) {
    try {
      checks.push({
        id: row.id,
        kind: row.kind,
        params: runnableParams(ctx.secrets, row),
        intervalS: row.interval_s,
        timeoutMs: row.timeout_ms,
      });
    } catch (error) {
      ctx.log.error(
        { err: error, checkId: row.id, agentId },
        'could not read a check’s settings or secrets; not sent to its agent',
      );
    }
  }
  return checks;
}
