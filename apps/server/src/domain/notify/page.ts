import type { Message, NotifySubjectType, Urgency } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { OutboxTable } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { deliveryRow, logDeliveries } from './delivery-log.js';
import { notBefore, planNotify, planPage } from './plan.js';
import { usableMethods } from './methods.js';

export type { Message } from '@afterhours/shared';

export interface NotifySubject {
  type: NotifySubjectType;
  id: string;
}

export interface PageInput {
  userId: string;
  subject: NotifySubject;
  /** Which round of paging this is (an escalation step and repeat, say): the same round is queued once. */
  round: string;
  message: Message;
  urgency: Urgency;
  now: Date | string;
}

export interface Queued {
  /** Rows written now (0 when the same page was queued before). */
  queued: number;
  /** The earliest time one of them is due, to wake the outbox worker. */
  firstDueAt: string | null;
}

/**
 * Pages a person: expands their rules into outbox rows ("push at once, SMS after 2 minutes, call after 5")
 * in the caller's transaction, idempotent on (subject, round, person, method). Low urgency waits for the end
 * of the person's quiet hours; high urgency never does. Call `wakeOutbox(ctx.bus)` after the commit.
 */
export async function pageUser(trx: Kdb, input: PageInput): Promise<Queued> {
  const now = toDate(input.now);
  const { methods, rules, quiet } = await usableMethods(trx, input.userId);
  const start = input.urgency === 'high' ? now : notBefore(quiet, now);
  const planned = planPage(methods, rules, input.urgency);
  const sends = planned.length
    ? planned.map((p) => ({ methodId: p.methodId, at: new Date(start.getTime() + p.delayMinutes * 60_000) }))
    : [{ methodId: null, at: start }];
  return enqueue(trx, input, 'page', sends, now);
}

export interface NotifyInput extends Omit<PageInput, 'urgency' | 'round'> {
  /** Distinguishes messages about the same subject ("acknowledged", "resolved"); queued once each. */
  round: string;
  urgency?: Urgency;
  /** Not before this time (a task reminder at its due time): the outbox row waits for it. */
  notBefore?: Date | string;
}

/**
 * An informational message (someone acknowledged, a recovery, a task reminder): once, on the person's
 * first working method(s), no escalation; low urgency by default, so quiet hours hold it back.
 */
export async function notifyUser(trx: Kdb, input: NotifyInput): Promise<Queued> {
  const now = toDate(input.now);
  const urgency = input.urgency ?? 'low';
  const { methods, rules, quiet } = await usableMethods(trx, input.userId);
  const from = input.notBefore && toDate(input.notBefore) > now ? toDate(input.notBefore) : now;
  const at = urgency === 'high' ? from : notBefore(quiet, from);
  const ids = planNotify(methods, rules);
  const sends = ids.length ? ids.map((methodId) => ({ methodId, at })) : [{ methodId: null, at }];
  return enqueue(trx, { ...input, urgency }, 'notify', sends, now);
}

export interface AddressInput {
  kind: 'email' | 'sms';
  /** An e-mail address, or a phone number in E.164 form. */
  address: string;
  subject: NotifySubject;
  round: string;
  message: Message;
  now: Date | string;
}

/** A message to someone who is not a user (a client's contact), by e-mail or SMS. */
export async function sendToAddress(trx: Kdb, input: AddressInput): Promise<Queued> {
  const now = toDate(input.now);
  const key = `${input.subject.type}:${input.subject.id}:${input.round}:to:${input.kind}:${input.address.toLowerCase()}`;
  const row = outboxRow({
    key,
    userId: null,
    methodId: null,
    kind: input.kind,
    address: input.address,
    subject: input.subject,
    round: input.round,
    urgency: 'low',
    purpose: 'address',
    message: input.message,
    at: now,
    now,
  });
  return insertRows(trx, [row], now);
}

/**
 * Cancels a subject's messages not handed to a channel yet (on acknowledgement): queued rows, including
 * retries waiting; a row already 'sending' is left to finish. `only.roundLike` narrows it to some rounds (a
 * task's reminders, a LIKE pattern). Answers how many were cancelled.
 */
export async function cancelPending(
  trx: Kdb,
  subject: NotifySubject,
  now: Date | string,
  only: { roundLike?: string } = {},
): Promise<number> {
  const at = toDate(now).toISOString();
  let query = trx
    .updateTable('outbox')
    .set({ status: 'cancelled', next_attempt_at: null, finished_at: at, updated_at: at })
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .where('status', '=', 'queued');
  if (only.roundLike) query = query.where('round', 'like', only.roundLike);
  const rows = await query.returning(['id', 'user_id', 'subject_type', 'subject_id', 'attempts']).execute();
  await logDeliveries(
    trx,
    rows.map((r) => deliveryRow(r, 'cancelled', at, 'no longer needed')),
  );
  return rows.length;
}

type Send = { methodId: string | null; at: Date };

async function enqueue(
  trx: Kdb,
  input: Omit<PageInput, 'urgency'> & { urgency: Urgency },
  purpose: 'page' | 'notify',
  sends: Send[],
  now: Date,
): Promise<Queued> {
  const email = sends.some((s) => s.methodId === null)
    ? (await trx.selectFrom('users').select('email').where('id', '=', input.userId).executeTakeFirst())?.email
    : undefined;
  const rows: OutboxTable[] = [];
  const methodKinds = await kindsOf(
    trx,
    sends.flatMap((s) => (s.methodId ? [s.methodId] : [])),
  );
  for (const send of sends) {
    if (send.methodId === null && !email) continue;
    const target = send.methodId ?? 'account-email';
    rows.push(
      outboxRow({
        key: `${input.subject.type}:${input.subject.id}:${input.round}:${input.userId}:${target}`,
        userId: input.userId,
        methodId: send.methodId,
        kind: send.methodId ? (methodKinds.get(send.methodId) ?? 'email') : 'email',
        // No working method: the account's own e-mail address, so the message still goes somewhere.
        address: send.methodId ? null : (email ?? null),
        subject: input.subject,
        round: input.round,
        urgency: input.urgency,
        purpose,
        message: input.message,
        at: send.at,
        now,
      }),
    );
  }
  return insertRows(trx, rows, now);
}

async function kindsOf(trx: Kdb, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await trx.selectFrom('contact_methods').select(['id', 'kind']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.kind]));
}

/** Inserts rows whose idempotency key is new, and logs them as queued. */
export async function insertRows(trx: Kdb, rows: OutboxTable[], now: Date): Promise<Queued> {
  if (!rows.length) return { queued: 0, firstDueAt: null };
  const inserted = await trx
    .insertInto('outbox')
    .values(rows)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(['id', 'user_id', 'subject_type', 'subject_id', 'attempts', 'next_attempt_at'])
    .execute();
  const at = now.toISOString();
  await logDeliveries(
    trx,
    inserted.map((r) =>
      deliveryRow(r, 'queued', at, r.next_attempt_at && r.next_attempt_at > at ? `due ${r.next_attempt_at}` : ''),
    ),
  );
  const due = inserted
    .map((r) => r.next_attempt_at)
    .filter((d): d is string => d !== null)
    .sort();
  return { queued: inserted.length, firstDueAt: due[0] ?? null };
}

export interface RowSpec {
  key: string;
  userId: string | null;
  methodId: string | null;
  kind: string;
  address: string | null;
  subject: NotifySubject;
  round: string;
  urgency: Urgency;
  purpose: OutboxTable['purpose'];
  message: Message;
  at: Date;
  now: Date;
}

export function outboxRow(spec: RowSpec): OutboxTable {
  const now = spec.now.toISOString();
  return {
    id: newId(),
    idempotency_key: spec.key,
    user_id: spec.userId,
    method_id: spec.methodId,
    kind: spec.kind,
    address: spec.address,
    subject_type: spec.subject.type,
    subject_id: spec.subject.id,
    round: spec.round,
    urgency: spec.urgency,
    purpose: spec.purpose,
    payload_json: JSON.stringify(spec.message),
    status: 'queued',
    attempts: 0,
    next_attempt_at: spec.at.toISOString(),
    lease_until: null,
    last_error: null,
    provider_ref: null,
    created_at: now,
    first_attempt_at: null,
    sent_at: null,
    delivered_at: null,
    finished_at: null,
    updated_at: now,
  };
}

function toDate(value: Date | string): Date {
  return typeof value === 'string' ? new Date(value) : value;
}
