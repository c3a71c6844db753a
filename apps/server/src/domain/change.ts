import type { ChangeEvent } from '@afterhours/shared';
import type { AppContext } from '../context.js';
import type { Kdb } from '../db/database.js';
import { isoNow } from '../lib/clock.js';
import type { Actor } from './auth/actor.js';
import { recordAudit, type AuditEntry } from './audit/record.js';

export interface ChangeTx {
  db: Kdb;
  actor: Actor;
  now: string;
  audit(entry: Omit<AuditEntry, 'at' | 'actor'>): Promise<void>;
  emit(event: Omit<ChangeEvent, 'at'>): void;
}

/**
 * Run a change as one transaction: the rows, their audit entries, and, once committed, the
 * live-update events. Every write command goes through here, so none can skip the audit log.
 */
export async function change<T>(ctx: AppContext, actor: Actor, work: (tx: ChangeTx) => Promise<T>): Promise<T> {
  const now = isoNow(ctx.clock);
  const events: ChangeEvent[] = [];
  const result = await ctx.db.kysely.transaction().execute((trx) =>
    work({
      db: trx,
      actor,
      now,
      audit: (entry) => recordAudit(trx, { ...entry, actor, at: now }),
      emit: (event) => void events.push({ ...event, at: now }),
    }),
  );
  for (const event of events) ctx.bus.publish(event);
  return result;
}
