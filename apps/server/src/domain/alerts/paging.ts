import { DEFAULT_PAGING_RULES, pagingDecision, type Contract, type Criticality } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import { maintenanceAt } from '../maintenance/windows.js';

export interface PagingFacts {
  pages: boolean;
  reason: string;
  maintenanceId: string | null;
  /** The client's policy, or null for the default. */
  policyId: string | null;
}

/** Whether an alert about a client's system pages now: maintenance, then the contract's rules. */
export async function decidePaging(
  db: Kdb,
  where: { clientId: string | null; siteId: string | null; systemId: string | null },
  criticality: Criticality,
  at: Date,
): Promise<PagingFacts> {
  const window = await maintenanceAt(db, where, at);
  const client = where.clientId
    ? await db.selectFrom('clients').select('contract_json').where('id', '=', where.clientId).executeTakeFirst()
    : undefined;
  const contract: Contract | null = client ? (JSON.parse(client.contract_json) as Contract) : null;
  const decision = pagingDecision({
    criticality,
    supportHours: contract?.supportHours ?? { kind: 'always' },
    rules: contract?.paging ?? DEFAULT_PAGING_RULES,
    maintenance: window ? window.reason : null,
    at,
  });
  return { ...decision, maintenanceId: window?.id ?? null, policyId: contract?.escalationPolicyId ?? null };
}
