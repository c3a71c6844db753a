import type { AppContext } from '../../context.js';
import { addMs, isoNow } from '../../lib/clock.js';

/**
 * Sign-in throttling by key (`email:<address>` and `ip:<address>`), stored in the database so that
 * every hub process shares it. Keys are throttled whether or not the account exists.
 */
export async function lockedUntil(ctx: AppContext, keys: string[]): Promise<string | null> {
  const now = isoNow(ctx.clock);
  const rows = await ctx.db.kysely.selectFrom('sign_in_throttle').selectAll().where('key', 'in', keys).execute();
  const locks = rows.map((r) => r.locked_until).filter((t): t is string => !!t && t > now);
  return locks.sort().at(-1) ?? null;
}

export async function recordFailure(ctx: AppContext, key: string, maxFailures: number): Promise<void> {
  const { windowMs, lockoutMs } = ctx.settings.signIn;
  const now = isoNow(ctx.clock);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    const windowOpen = row && Date.parse(now) - Date.parse(row.window_started_at) < windowMs;
    const failures = windowOpen ? row.failures + 1 : 1;
    const values = {
      failures,
      window_started_at: windowOpen ? row.window_started_at : now,
      locked_until: failures >= maxFailures ? addMs(now, lockoutMs) : null,
    };
    if (row) await trx.updateTable('sign_in_throttle').set(values).where('key', '=', key).execute();
    else
      await trx
        .insertInto('sign_in_throttle')
        .values({ key, ...values })
        .execute();
  });
}

export async function clearFailures(ctx: AppContext, key: string): Promise<void> {
  await ctx.db.kysely.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
}
