import type { AppContext } from '../../context.js';
import { countFailure, failuresInWindow, type Reservation, reserveAttempt, settleAttempt } from './throttle.js';

/**
 * Who may try a password now (see docs/adr/0009-sign-in-throttling.md). Three counts per window:
 * - per (account, source): `maxFailures` tries, then growing delays: only that source waits;
 * - per source: 4 × `maxFailures` tries across all accounts;
 * - per account, from anywhere: never refuses by itself, but past 2 × `maxFailures` failures the
 *   account is under attack and each source gets one try at it before its delays start. A source
 *   with no failures on the account (the technician at home) is never held back by it.
 */
export interface SignInAttempt {
  /** The password (or code) was wrong. */
  failed(): Promise<void>;
  /** Signed in. */
  succeeded(): Promise<void>;
  /** Neither: the password was right and the second factor is still to come. */
  released(): Promise<void>;
}

export async function beginSignIn(
  ctx: AppContext,
  email: string,
  source: string,
): Promise<{ ok: true; attempt: SignInAttempt } | { ok: false; until: string }> {
  const { maxFailures } = ctx.settings.signIn;
  const account = `account:${email.toLowerCase()}`;
  const pair = `pair:${email.toLowerCase()}|${source}`;
  const bySource = `ip:${source}`;
  const sourceLimit = maxFailures * 4;
  const underAttack = (await failuresInWindow(ctx, account)) >= maxFailures * 2;
  const pairLimit = underAttack ? 1 : maxFailures;

  const fromSource: Reservation = await reserveAttempt(ctx, bySource, sourceLimit);
  if (!fromSource.ok) return fromSource;
  const fromPair = await reserveAttempt(ctx, pair, pairLimit);
  if (!fromPair.ok) return fromPair;

  return {
    ok: true,
    attempt: {
      async failed() {
        await countFailure(ctx, account);
        await settleAttempt(ctx, pair, pairLimit, 'failed');
        await settleAttempt(ctx, bySource, sourceLimit, 'failed');
      },
      async succeeded() {
        await settleAttempt(ctx, pair, pairLimit, 'forget');
        await settleAttempt(ctx, bySource, sourceLimit, 'release');
      },
      async released() {
        await settleAttempt(ctx, pair, pairLimit, 'release');
        await settleAttempt(ctx, bySource, sourceLimit, 'release');
      },
    },
  };
}
