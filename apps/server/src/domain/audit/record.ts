import type { Kdb } from '../../db/database.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';

const SECRET_KEY = /pass(word)?|secret|token|hash|totp|key|credential/i;

/** Replace anything that looks like a secret with a mask, at any depth. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v != null ? '***' : maskSecrets(v)]),
    );
  }
  return value;
}

export interface AuditEntry {
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string | null;
  clientId: string | null;
  summary: string;
  before?: object | null;
  after?: object | null;
  at: string;
}

/** Write one audit row; call it inside the transaction of the change it records. */
export async function recordAudit(db: Kdb, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      id: newId(),
      at: entry.at,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      actor_label: entry.actor.label,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      client_id: entry.clientId,
      summary: entry.summary,
      before_json: entry.before ? JSON.stringify(maskSecrets(entry.before)) : null,
      after_json: entry.after ? JSON.stringify(maskSecrets(entry.after)) : null,
    })
    .execute();
}
