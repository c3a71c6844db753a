import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { badInput } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { change } from '../change.js';
import { ownMethod, ownUser } from './ownership.js';
import { presentMethod } from './present.js';

export const VERIFY_MINUTES = 30;

/** A six-digit code that verifies a contact method. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The columns that make `code` the one a method is verified with, for VERIFY_MINUTES from `now`. */
export function codeColumns(code: string, now: string) {
  return {
    verify_code_hash: hashCode(code),
    verify_expires_at: new Date(Date.parse(now) + VERIFY_MINUTES * 60_000).toISOString(),
    verify_failures: 0,
  };
}

const MAX_CODE_FAILURES = 5;

export async function verifyContactMethod(ctx: AppContext, actor: Actor, id: string, code: string) {
  const userId = ownUser(actor);
  const wrong = await change(ctx, actor, async (tx) => {
    const row = await ownMethod(tx.db, userId, id);
    if (row.verified_at) return presentMethod(row);
    const expired = !row.verify_code_hash || !row.verify_expires_at || row.verify_expires_at < tx.now;
    if (expired) return 'has expired: send a new test to get another code';
    if (!sameHash(row.verify_code_hash ?? '', hashCode(code))) {
      // A few guesses, not a million: the code stops working after five wrong ones.
      const spent = row.verify_failures + 1 >= MAX_CODE_FAILURES;
      await tx.db
        .updateTable('contact_methods')
        .set(
          spent
            ? { verify_failures: 0, verify_code_hash: null, verify_expires_at: null }
            : { verify_failures: row.verify_failures + 1 },
        )
        .where('id', '=', id)
        .execute();
      return spent ? 'was wrong too many times: send a new test to get another code' : 'is not the code that was sent';
    }
    const updated = {
      ...row,
      verified_at: tx.now,
      verify_code_hash: null,
      verify_expires_at: null,
      updated_at: tx.now,
    };
    await tx.db
      .updateTable('contact_methods')
      .set({
        verified_at: tx.now,
        verify_code_hash: null,
        verify_expires_at: null,
        verify_failures: 0,
        updated_at: tx.now,
      })
      .where('id', '=', id)
      .execute();
    await tx.audit({
      action: 'contact_method.verify',
      entityType: 'user',
      entityId: userId,
      clientId: null,
      summary: `Contact method "${row.label}" verified`,
    });
    return presentMethod(updated);
  });
  if (typeof wrong === 'string') throw badInput({ code: wrong });
  return wrong;
}

function hashCode(code: string): string {
  return createHash('sha256').update(`afterhours-verify:${code}`).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
