import { sql } from 'kysely';
import type { Kdb } from '../database.js';
import type { OutboxTable } from '../schema.js';
import type { DialectName } from './types.js';

/**
 * Claims up to `limit` messages due by `now` for sending: status 'sending', one more attempt, a lease
 * until `leaseUntil`. One statement, so no two workers claim the same row: PostgreSQL skips rows another
 * process is claiming (FOR UPDATE SKIP LOCKED); on SQLite the UPDATE re-checks the status (one writer).
 */
export async function claimDueMessages(
  db: Kdb,
  dialect: DialectName,
  now: string,
  leaseUntil: string,
  limit: number,
): Promise<OutboxTable[]> {
  const query =
    dialect === 'postgres'
      ? sql<OutboxTable>`
        with due as (
          select id from outbox
          where status = 'queued' and next_attempt_at <= ${now}::timestamptz
          order by next_attempt_at
          limit ${limit}
          for update skip locked
        )
        update outbox o
        set status = 'sending', attempts = o.attempts + 1, lease_until = ${leaseUntil}::timestamptz,
            first_attempt_at = coalesce(o.first_attempt_at, ${now}::timestamptz), next_attempt_at = null,
            updated_at = ${now}::timestamptz
        from due
        where o.id = due.id
        returning o.*`
      : sql<OutboxTable>`
        update outbox
        set status = 'sending', attempts = attempts + 1, lease_until = ${leaseUntil},
            first_attempt_at = coalesce(first_attempt_at, ${now}), next_attempt_at = null, updated_at = ${now}
        where id in (
          select id from outbox
          where status = 'queued' and next_attempt_at <= ${now}
          order by next_attempt_at
          limit ${limit}
        ) and status = 'queued'
        returning *`;
  const { rows } = await query.execute(db);
  return rows;
}
