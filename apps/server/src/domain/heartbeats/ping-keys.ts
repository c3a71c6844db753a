import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { PingKey, PingKeyRequest } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import { badInput, notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient, assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';

type PingKeyOut = z.infer<typeof PingKey>;

/** 22 URL-safe characters: never a UUID, so /ping/<key>/<slug> cannot be taken for /ping/<uuid>/<action>. */
const newKey = () => randomBytes(16).toString('base64url');

async function visibleClient(db: Kdb, actor: Actor, clientId: string): Promise<void> {
  const client = await db.selectFrom('clients').select('id').where('id', '=', clientId).executeTakeFirst();
  if (!client) throw notFound('The client');
  assertCanSeeClient(actor, clientId, 'The client');
}

export async function getPingKey(db: Kdb, actor: Actor, clientId: string): Promise<PingKeyOut> {
  await visibleClient(db, actor, clientId);
  const row = await db.selectFrom('ping_keys').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  return {
    clientId,
    key: row?.key ?? null,
    slugPathPrefix: row ? `/ping/${row.key}/` : null,
    autoCreateSystemId: row?.auto_create_system_id ?? null,
    createdAt: row?.created_at ?? null,
  };
}

/** Makes the client's ping key if it has none (or a new one with `rotate`), and sets where ?create=1 adds heartbeats. */
export async function savePingKey(
  ctx: AppContext,
  actor: Actor,
  clientId: string,
  input: z.infer<typeof PingKeyRequest>,
): Promise<PingKeyOut> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    await visibleClient(tx.db, actor, clientId);
    if (input.autoCreateSystemId) {
      const system = await tx.db
        .selectFrom('systems')
        .select('client_id')
        .where('id', '=', input.autoCreateSystemId)
        .executeTakeFirst();
      if (!system || system.client_id !== clientId)
        throw badInput({ autoCreateSystemId: 'names no system of this client' });
    }
    const before = await tx.db.selectFrom('ping_keys').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    const autoCreate =
      input.autoCreateSystemId === undefined ? (before?.auto_create_system_id ?? null) : input.autoCreateSystemId;
    if (!before) {
      await tx.db
        .insertInto('ping_keys')
        .values({
          client_id: clientId,
          key: newKey(),
          auto_create_system_id: autoCreate,
          created_at: tx.now,
          updated_at: tx.now,
        })
        .execute();
    } else {
      await tx.db
        .updateTable('ping_keys')
        .set({
          ...(input.rotate ? { key: newKey(), created_at: tx.now } : {}),
          auto_create_system_id: autoCreate,
          updated_at: tx.now,
        })
        .where('client_id', '=', clientId)
        .execute();
    }
    const verb = !before ? 'create' : input.rotate ? 'rotate' : 'update';
    await tx.audit({
      action: `ping_key.${verb}`,
      entityType: 'client',
      entityId: clientId,
      clientId,
      summary: `Ping key ${verb === 'create' ? 'made' : verb === 'rotate' ? 'replaced (old slug URLs stop working)' : 'settings changed'}`,
      after: { autoCreateSystemId: autoCreate },
    });
    tx.emit({ entity: 'client', id: clientId, action: 'updated', clientId });
  });
  return getPingKey(ctx.db.kysely, actor, clientId);
}
