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

/** The first delay once a key has used its attempts; each further failure doubles it, up to the lockout. */
const FIRST_DELAY_MS = 60_000;

function delayAfter(failures: number, limit: number, capMs: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, failures - limit), capMs);
}

export type Reservation = { ok: true } | { ok: false; until: string };

/**
 * Take one attempt under `key` before the password is checked, so that parallel guesses cannot all
 * be checked before a failure is counted: each statement is a single conditional write, and only a
 * request that wrote gets its attempt. `limit` attempts per window; after that one more each time the
 * (growing) delay set by settleAttempt has passed.
 */
export async function reserveAttempt(ctx: AppContext, key: string, limit: number): Promise<Reservation> {
  const { windowMs, lockoutMs } = ctx.settings.signIn;
  const now = isoNow(ctx.clock);
  const windowStart = addMs(now, -windowMs);
  const db = ctx.db.kysely;
  // A success elsewhere may delete the row between these statements: then start again (a few times at most).
  for (let round = 0; ; round++) {
    const answer = await tryReserve(db, key, limit, now, windowStart, lockoutMs);
    if (answer !== 'row-gone' || round === 2) return answer === 'row-gone' ? { ok: true } : answer;
  }
}

async function tryReserve(
  db: AppContext['db']['kysely'],
  key: string,
  limit: number,
  now: string,
  windowStart: string,
  lockoutMs: number,
): Promise<Reservation | 'row-gone'> {
  // A first attempt, or the first of a new window.
  const fresh = await db
    .insertInto('sign_in_throttle')
    .values({ key, failures: 1, window_started_at: now, locked_until: null })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ failures: 1, window_started_at: now, locked_until: null })
        .where('sign_in_throttle.window_started_at', '<=', windowStart),
    )
    .returning('failures')
    .executeTakeFirst();
  if (fresh) return { ok: true };
  // Within the window: under the limit, or the delay since the last failure is over.
  const taken = await db
    .updateTable('sign_in_throttle')
    .set((eb) => ({ failures: eb('failures', '+', 1), locked_until: null }))
    .where('key', '=', key)
    .where('window_started_at', '>', windowStart)
    .where((eb) =>
      eb.or([eb('failures', '<', limit), eb.and([eb('locked_until', 'is not', null), eb('locked_until', '<=', now)])]),
    )
    .returning('failures')
    .executeTakeFirst();
  if (taken) return { ok: true };
  const row = await db.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) return 'row-gone';
  const lockedUntil = row.locked_until ? new Date(row.locked_until).toISOString() : null;
  if (lockedUntil && lockedUntil > now) return { ok: false, until: lockedUntil };
  // The attempts are used and one is still being checked: wait as long as its failure would make us.
  return { ok: false, until: addMs(now, delayAfter(row.failures, limit, lockoutMs)) };
}

/**
 * After the check a reservation allowed: a failure past the limit starts the (growing) delay; a
 * success forgets the key's failures (`forget`), or just gives back its attempt (`release`: a shared
 * key such as a source address, where other people's failures must still count).
 */
export async function settleAttempt(
  ctx: AppContext,
  key: string,
  limit: number,
  outcome: 'failed' | 'forget' | 'release',
): Promise<void> {
  const db = ctx.db.kysely;
  if (outcome === 'forget') {
    await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
    return;
  }
  if (outcome === 'release') {
    await db
      .updateTable('sign_in_throttle')
      .set((eb) => ({ failures: eb('failures', '-', 1) }))
      .where('key', '=', key)
      .where('failures', '>', 0)
      .execute();
    return;
  }
  const row = await db.selectFrom('sign_in_throttle').select('failures').where('key', '=', key).executeTakeFirst();
  if (!row || row.failures < limit) return;
  const until = addMs(isoNow(ctx.clock), delayAfter(row.failures, limit, ctx.settings.signIn.lockoutMs));
  await db.updateTable('sign_in_throttle').set({ locked_until: until }).where('key', '=', key).execute();
}

/** Count a failure under `key` in one statement (no gate): how many in the window, this one included. */
export async function countFailure(ctx: AppContext, key: string): Promise<void> {
  const now = isoNow(ctx.clock);
  const windowStart = addMs(now, -ctx.settings.signIn.windowMs);
  await ctx.db.kysely
    .insertInto('sign_in_throttle')
    .values({ key, failures: 1, window_started_at: now, locked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        failures: eb
          .case()
          .when('sign_in_throttle.window_started_at', '<=', windowStart)
          .then(1)
          .else(eb('sign_in_throttle.failures', '+', 1))
          .end(),
        window_started_at: eb
          .case()
          .when('sign_in_throttle.window_started_at', '<=', windowStart)
          .then(now)
          .else(eb.ref('sign_in_throttle.window_started_at'))
          .end(),
      })),
    )
    .execute();
}

/** Failures counted under `key` in the current window. */
export async function failuresInWindow(ctx: AppContext, key: string): Promise<number> {
  const windowStart = addMs(isoNow(ctx.clock), -ctx.settings.signIn.windowMs);
  const row = await ctx.db.kysely
    .selectFrom('sign_in_throttle')
    .select('failures')
    .where('key', '=', key)
    .where('window_started_at', '>', windowStart)
    .executeTakeFirst();
  return row?.failures ?? 0;
}
