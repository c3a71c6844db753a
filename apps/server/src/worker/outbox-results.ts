import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import type { Kdb } from '../db/database.js';
import type { OutboxTable } from '../db/schema.js';
import { deliveryRow, logDeliveries } from '../domain/notify/delivery-log.js';
import { notifyUser } from '../domain/notify/page.js';
import { retryDelayMs, type NotifySettings } from '../domain/notify/settings.js';
import { type ChannelDefinition, ChannelError } from '../integrations/channel.js';
import { addMs, isoNow } from '../lib/clock.js';

/** Purposes that go to a method whatever its state: the test that tells whether it works again. */
const ALWAYS = new Set(['test', 'verify']);

type MethodRow = { id: string; settings_enc: string; broken_at: string | null; broken_reason: string | null };

/** The contact methods a batch of messages goes to, in one read. */
export async function methodsOf(ctx: AppContext, rows: OutboxTable[]): Promise<Map<string, MethodRow>> {
  const ids = [...new Set(rows.flatMap((r) => (r.method_id ? [r.method_id] : [])))];
  if (!ids.length) return new Map();
  const found = await ctx.db.kysely
    .selectFrom('contact_methods')
    .select(['id', 'settings_enc', 'broken_at', 'broken_reason'])
    .where('id', 'in', ids)
    .execute();
  return new Map(found.map((m) => [m.id, m]));
}

/** The channel settings a message goes to: its contact method's (decrypted), or a raw address. */
export function resolveRecipient(
  ctx: AppContext,
  row: OutboxTable,
  definition: ChannelDefinition,
  methods: Map<string, MethodRow>,
): unknown {
  if (!row.method_id) {
    if (!row.address) throw new ChannelError('the message has no recipient', false, 'hub');
    return definition.settings.parse(row.kind === 'email' ? { address: row.address } : { number: row.address });
  }
  const method = methods.get(row.method_id);
  if (!method) throw new ChannelError('the contact method was removed', false, 'hub');
  if (method.broken_at && !ALWAYS.has(row.purpose))
    throw new ChannelError(`the contact method is marked broken (${method.broken_reason ?? 'failed'})`, false, 'hub');
  return definition.settings.parse(JSON.parse(ctx.secrets.decrypt(method.settings_enc)));
}

export interface Sent {
  row: OutboxTable;
  providerRef: string | null;
  ms: number;
}

/** Records a batch of messages the channels took, in one transaction (the outbox's hot path). */
/**
 * Records a batch handed over: one UPDATE for the whole batch (each row's provider reference by a CASE),
 * only rows still 'sending' (a lease that ran out meanwhile was settled elsewhere), then their log lines.
 */
export async function recordSent(ctx: AppContext, sent: Sent[]) {
  if (!sent.length) return;
  const now = isoNow(ctx.clock);
  const byId = new Map(sent.map((s) => [s.row.id, s]));
  const refs = sent.filter((s) => s.providerRef !== null);
  const providerRef = refs.length
    ? sql<string | null>`case ${sql.ref('id')} ${sql.join(
        refs.map((s) => sql`when ${s.row.id} then ${s.providerRef}`),
        sql` `,
      )} else null end`
    : null;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('outbox')
      .set({
        status: 'sent',
        sent_at: now,
        lease_until: null,
        provider_ref: providerRef,
        last_error: null,
        updated_at: now,
      })
      .where('id', 'in', [...byId.keys()])
      .where('status', '=', 'sending')
      .returning('id')
      .execute();
    const log = [];
    for (const { id } of done) {
      const { row, providerRef: ref, ms } = byId.get(id)!;
      log.push(deliveryRow(row, 'sent', now, ref ? `accepted as ${ref}` : 'accepted', ms));
      // A test that went through shows the method works again.
      if (row.method_id && ALWAYS.has(row.purpose))
        await trx
          .updateTable('contact_methods')
          .set({ broken_at: null, broken_reason: null, updated_at: now })
          .where('id', '=', row.method_id)
          .where('broken_at', 'is not', null)
          .execute();
    }
    await logDeliveries(trx, log);
  });
}

export async function recordFailure(
  ctx: AppContext,
  row: OutboxTable,
  error: ChannelError,
  ms: number,
  settings: NotifySettings,
  random?: () => number,
) {
  const now = isoNow(ctx.clock);
  const retry = error.retryable && row.attempts < settings.maxAttempts;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (retry) {
      const at = addMs(now, retryDelayMs(settings, row.attempts, random));
      const done = await trx
        .updateTable('outbox')
        .set({ status: 'queued', next_attempt_at: at, lease_until: null, last_error: error.message, updated_at: now })
        .where('id', '=', row.id)
        .where('status', '=', 'sending')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows))
        await logDeliveries(trx, [deliveryRow(row, 'retry', now, `${error.message}; next try ${at}`, ms)]);
      return;
    }
    const done = await trx
      .updateTable('outbox')
      .set({ status: 'failed', lease_until: null, last_error: error.message, finished_at: now, updated_at: now })
      .where('id', '=', row.id)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    if (!Number(done.numUpdatedRows)) return;
    const why = error.retryable ? `gave up after ${row.attempts} attempts: ${error.message}` : error.message;
    await logDeliveries(trx, [deliveryRow(row, 'failed', now, why, ms)]);
    if (!error.retryable && error.blame === 'method' && row.method_id && row.user_id)
      await markBroken(trx, row.method_id, row.user_id, error.message, now);
  });
  if (!retry) ctx.log.warn({ outboxId: row.id, kind: row.kind, reason: error.message }, 'outbox: message failed');
}

/** Marks a method broken and tells its owner on another of their methods (or their account's e-mail). */
async function markBroken(trx: Kdb, methodId: string, userId: string, reason: string, now: string) {
  const changed = await trx
    .updateTable('contact_methods')
    .set({ broken_at: now, broken_reason: reason.slice(0, 500), updated_at: now })
    .where('id', '=', methodId)
    .where('broken_at', 'is', null)
    .returning(['label', 'kind'])
    .executeTakeFirst();
  if (!changed) return;
  await notifyUser(trx, {
    userId,
    subject: { type: 'test', id: methodId },
    round: `broken:${now}`,
    urgency: 'high',
    message: {
      title: `Your ${changed.kind} method "${changed.label}" stopped working`,
      body: `Afterhours could not deliver to it: ${reason}. Fix it in Settings → Notifications and send yourself a test; until then it gets no pages.`,
      links: {},
    },
    now,
  });
}

/**
 * Messages a dead process left in 'sending' (its lease ran out; on SQLite at start-up, every one, since a
 * single process owns the file) may or may not have reached the channel: they are marked so, never re-sent.
 */
export async function recoverAbandoned(ctx: AppContext, startup: boolean): Promise<number> {
  const now = isoNow(ctx.clock);
  let query = ctx.db.kysely
    .updateTable('outbox')
    .set({
      status: 'may_have_been_sent',
      lease_until: null,
      finished_at: now,
      updated_at: now,
      last_error: 'the hub stopped while handing this message over: it may have been sent',
    })
    .where('status', '=', 'sending');
  if (!(startup && ctx.db.dialect.name === 'sqlite')) query = query.where('lease_until', '<', now);
  const rows = await query.returning(['id', 'user_id', 'subject_type', 'subject_id', 'attempts', 'kind']).execute();
  if (!rows.length) return 0;
  await logDeliveries(
    ctx.db.kysely,
    rows.map((r) => deliveryRow(r, 'may_have_been_sent', now, 'the hub stopped while handing it to the channel')),
  );
  ctx.log.warn(
    { count: rows.length },
    'outbox: messages left half-sent by a stopped hub are marked "may have been sent"',
  );
  return rows.length;
}
