import type { EnrolRequest, EnrolResponse } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/errors.js';
import { isoNow } from '../../lib/clock.js';
import { hashToken } from '../../lib/secrets.js';
import { systemActor } from '../auth/actor.js';
import { lockedUntil, recordFailure } from '../auth/throttle.js';
import { change } from '../change.js';
import { auditableAgent } from './agent-presenter.js';
import { newAgentToken } from './enrolment-codes.js';

/** Wrong codes from one address before it is locked out for a while (the sign-in lockout time). */
export const ENROL_MAX_FAILURES = 10;

const invalid = (message: string) => new AppError(401, 'invalid_enrolment_code', message);

/**
 * An agent exchanges its one-time enrolment code for its own long-lived token. A code works once,
 * for 24 hours; wrong codes count against the caller's address, which is locked out after ten.
 */
export async function enrolAgent(
  ctx: AppContext,
  input: z.infer<typeof EnrolRequest>,
  ip: string,
): Promise<z.infer<typeof EnrolResponse>> {
  const throttleKey = `agent-enrol:${ip}`;
  const locked = await lockedUntil(ctx, [throttleKey]);
  if (locked) {
    const seconds = Math.max(1, Math.ceil((Date.parse(locked) - ctx.clock.now().getTime()) / 1000));
    throw new AppError(
      429,
      'rate_limited',
      `Too many wrong enrolment codes from this address; try again in ${seconds} s`,
      undefined,
      { 'retry-after': String(seconds) },
    );
  }
  const hash = hashToken(input.code.trim());
  const now = isoNow(ctx.clock);
  const row = await ctx.db.kysely
    .selectFrom('agents')
    .selectAll()
    .where('enrol_code_hash', '=', hash)
    .executeTakeFirst();
  const expired = row?.enrol_expires_at && Date.parse(row.enrol_expires_at) <= Date.parse(now);
  if (!row || expired) {
    await recordFailure(ctx, throttleKey, ENROL_MAX_FAILURES);
    throw invalid(
      expired
        ? 'This enrolment code has expired (codes work for 24 hours); rotate the agent in the web app for a new one'
        : 'This enrolment code is not valid: it was mistyped, already used, or replaced by a newer one; get a new one from the web app',
    );
  }

  const { token, hash: tokenHash } = newAgentToken();
  await change(ctx, systemActor(`site agent ${row.name}`), async (tx) => {
    // Single use: only the first of two simultaneous enrolments with one code finds it still there.
    const taken = await tx.db
      .updateTable('agents')
      .set({
        enrol_code_hash: null,
        enrol_expires_at: null,
        token_hash: tokenHash,
        enrolled_at: tx.now,
        hostname: input.hostname,
        version: input.version,
        updated_at: tx.now,
      })
      .where('id', '=', row.id)
      .where('enrol_code_hash', '=', hash)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1)
      throw invalid('This enrolment code has just been used; get a new one from the web app');
    await tx.audit({
      action: 'agent.enrol',
      entityType: 'agent',
      entityId: row.id,
      clientId: row.client_id,
      summary: `Site agent "${row.name}" enrolled from ${input.hostname || 'an unnamed host'} (${ip})`,
      after: { ...auditableAgent(row), hostname: input.hostname, version: input.version },
    });
    tx.emit({ entity: 'agent', id: row.id, action: 'updated', clientId: row.client_id });
  });
  return { agentId: row.id, siteId: row.site_id, token };
}

/** The agent a Bearer token belongs to, if it is current. */
export async function resolveAgentToken(ctx: AppContext, token: string) {
  if (!token) return undefined;
  return ctx.db.kysely
    .selectFrom('agents')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}
