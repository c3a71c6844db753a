import type { Overview } from '@afterhours/shared';
import type { z } from 'zod';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { clientScope } from '../auth/policy.js';
import { parseContract } from './client-presenter.js';

/** Every live client's support hours and response target, for the Now screen: one query. */
export async function loadOverview(db: Kdb, actor: Actor): Promise<z.infer<typeof Overview>> {
  const scope = clientScope(actor);
  let query = db.selectFrom('clients').select(['id', 'contract_json']).where('archived_at', 'is', null);
  if (scope) query = query.where('id', '=', scope);
  const clients = await query.orderBy('name_lower').orderBy('id').execute();
  return {
    clients: clients.map((c) => {
      const { supportHours, responseTargetMinutes } = parseContract(c.contract_json);
      return { id: c.id, contract: { supportHours, responseTargetMinutes } };
    }),
  };
}
