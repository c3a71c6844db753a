import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { ackLink } from '../alerts/links.js';
import type { ContactMethod, CreateContactMethodRequest, NotificationRule, QuietHours } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { ContactMethodsTable } from '../../db/schema.js';
import { badInput, conflict, notFound } from '../../http/errors.js';
import { channelOf, channels } from '../../integrations/registry.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { change } from '../change.js';
import { loadHubChannels } from './hub-channels.js';
import { insertRows, outboxRow } from './page.js';
import { wakeOutbox } from './wake.js';

const VERIFY_MINUTES = 30;

export function presentMethod(row: ContactMethodsTable): ContactMethod {
  return {
    id: row.id,
    kind: row.kind as ContactMethod['kind'],
    label: row.label,
    summary: row.summary,
    verified: row.verified_at !== null,
    verifiedAt: row.verified_at,
    brokenAt: row.broken_at,
    brokenReason: row.broken_reason,
    createdAt: row.created_at,
  };
}

/** The signed-in person's methods, rules, quiet hours, and which kinds the hub can send through now. */
export async function notificationSettings(ctx: AppContext, actor: Actor) {
  const userId = ownUser(actor);
  const db = ctx.db.kysely;
  const [methods, rules, prefs, hub] = await Promise.all([
    db.selectFrom('contact_methods').selectAll().where('user_id', '=', userId).orderBy('created_at').execute(),
    db.selectFrom('notification_rules').selectAll().where('user_id', '=', userId).orderBy('delay_minutes').execute(),
    db.selectFrom('notification_prefs').selectAll().where('user_id', '=', userId).executeTakeFirst(),
    loadHubChannels(db, ctx.secrets),
  ]);
  return {
    methods: methods.map(presentMethod),
    rules: rules.map(presentRule),
    quietHours: {
      start: prefs?.quiet_start ?? null,
      end: prefs?.quiet_end ?? null,
      timeZone: prefs?.time_zone ?? 'Europe/London',
    },
    channels: Object.values(channels).map((c) => ({
      kind: c.kind,
      label: c.label,
      available: !c.needs || hub[c.needs] !== null,
    })),
  };
}

/** Adds a method (unverified) and sends it a message with a code that verifies it. */
export async function addContactMethod(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof CreateContactMethodRequest>,
): Promise<ContactMethod> {
  const userId = ownUser(actor);
  const definition = channelOf(input.kind);
  if (!definition) throw badInput({ kind: 'is not a known channel' });
  const parsed = definition.settings.safeParse(input.settings);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues)
      fields[['settings', ...issue.path.map(String)].join('.')] ??= issue.message;
    throw badInput(fields);
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const result = await change(ctx, actor, async (tx) => {
    const row: ContactMethodsTable = {
      id: newId(),
      user_id: userId,
      kind: input.kind,
      label: input.label,
      settings_enc: ctx.secrets.encrypt(JSON.stringify(parsed.data)),
      summary: definition.summary(parsed.data),
      verified_at: null,
      verify_code_hash: hashCode(code),
      verify_expires_at: new Date(Date.parse(tx.now) + VERIFY_MINUTES * 60_000).toISOString(),
      verify_failures: 0,
      broken_at: null,
      broken_reason: null,
      created_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.insertInto('contact_methods').values(row).execute();
    await queueToMethod(
      tx.db,
      row,
      'verify',
      `verify:${tx.now}`,
      {
        title: `Your Afterhours code is ${code}`,
        body: `Enter ${code} in Settings → Notifications to start getting alerts on "${row.label}". It works for ${VERIFY_MINUTES} minutes.`,
        links: {},
      },
      tx.now,
    );
    await tx.audit({
      action: 'contact_method.create',
      entityType: 'user',
      entityId: userId,
      clientId: null,
      summary: `Contact method "${row.label}" (${row.kind}, ${row.summary}) added`,
      after: { kind: row.kind, label: row.label, summary: row.summary },
    });
    return presentMethod(row);
  });
  wakeOutbox(ctx.bus);
  return result;
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

/**
 * "Send me a test": a message through this method at once (broken or not; one that goes through clears
 * "broken"). An unverified method gets a fresh code instead.
 */
export async function sendTest(ctx: AppContext, actor: Actor, id: string): Promise<{ outboxId: string }> {
  const userId = ownUser(actor);
  const result = await change(ctx, actor, async (tx) => {
    const row = await ownMethod(tx.db, userId, id);
    if (!row.verified_at) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await tx.db
        .updateTable('contact_methods')
        .set({
          verify_code_hash: hashCode(code),
          verify_expires_at: new Date(Date.parse(tx.now) + VERIFY_MINUTES * 60_000).toISOString(),
          verify_failures: 0,
        })
        .where('id', '=', id)
        .execute();
      return queueToMethod(
        tx.db,
        row,
        'verify',
        `verify:${tx.now}`,
        {
          title: `Your Afterhours code is ${code}`,
          body: `Enter ${code} in Settings → Notifications to start getting alerts on "${row.label}".`,
          links: {},
        },
        tx.now,
      );
    }
    return queueToMethod(
      tx.db,
      row,
      'test',
      `test:${tx.now}`,
      {
        title: 'Test message',
        body: `This is a test from Afterhours to "${row.label}". If you can read it, alerts will reach you here.`,
        // Acknowledging a test proves the link in a real page works from this channel too.
        links: { ack: ackLink(ctx, { type: 'test', id: row.id }, row.user_id) },
      },
      tx.now,
    );
  });
  wakeOutbox(ctx.bus);
  return result;
}

async function queueToMethod(
  db: AppContext['db']['kysely'],
  row: ContactMethodsTable,
  purpose: 'test' | 'verify',
  round: string,
  message: { title: string; body: string; links: { ack?: string; open?: string } },
  now: string,
): Promise<{ outboxId: string }> {
  const at = new Date(now);
  const outbox = outboxRow({
    key: `test:${row.id}:${round}`,
    userId: row.user_id,
    methodId: row.id,
    kind: row.kind,
    address: null,
    subject: { type: 'test', id: row.id },
    round,
    urgency: 'high',
    purpose,
    message,
    at,
    now: at,
  });
  await insertRows(db, [outbox], at);
  return { outboxId: outbox.id };
}

export async function removeContactMethod(ctx: AppContext, actor: Actor, id: string) {
  const userId = ownUser(actor);
  await change(ctx, actor, async (tx) => {
    const row = await ownMethod(tx.db, userId, id);
    // Its queued messages cannot go anywhere now.
    await tx.db
      .updateTable('outbox')
      .set({
        status: 'cancelled',
        next_attempt_at: null,
        finished_at: tx.now,
        last_error: 'the contact method was removed',
        updated_at: tx.now,
      })
      .where('method_id', '=', id)
      .where('status', '=', 'queued')
      .execute();
    await tx.db.deleteFrom('contact_methods').where('id', '=', id).execute();
    await tx.audit({
      action: 'contact_method.delete',
      entityType: 'user',
      entityId: userId,
      clientId: null,
      summary: `Contact method "${row.label}" (${row.kind}) removed`,
      before: { kind: row.kind, label: row.label, summary: row.summary },
    });
  });
  return { ok: true as const };
}

export function presentRule(row: {
  id: string;
  method_id: string;
  delay_minutes: number;
  urgency: string;
}): NotificationRule {
  return {
    id: row.id,
    methodId: row.method_id,
    delayMinutes: row.delay_minutes,
    urgency: row.urgency as 'high' | 'low',
  };
}

export async function addRule(
  ctx: AppContext,
  actor: Actor,
  input: { methodId: string; delayMinutes: number; urgency: 'high' | 'low' },
): Promise<NotificationRule> {
  const userId = ownUser(actor);
  return change(ctx, actor, async (tx) => {
    await ownMethod(tx.db, userId, input.methodId, 'methodId');
    const same = await tx.db
      .selectFrom('notification_rules')
      .select('id')
      .where('user_id', '=', userId)
      .where('method_id', '=', input.methodId)
      .where('urgency', '=', input.urgency)
      .where('delay_minutes', '=', input.delayMinutes)
      .executeTakeFirst();
    if (same) throw conflict('You already have this rule', { delayMinutes: 'is already set for this method' });
    const row = {
      id: newId(),
      user_id: userId,
      method_id: input.methodId,
      delay_minutes: input.delayMinutes,
      urgency: input.urgency,
      created_at: tx.now,
    };
    await tx.db.insertInto('notification_rules').values(row).execute();
    await tx.audit({
      action: 'notification_rule.create',
      entityType: 'user',
      entityId: userId,
      clientId: null,
      summary: `Notification rule: ${input.urgency} urgency after ${input.delayMinutes} min`,
      after: presentRule(row),
    });
    return presentRule(row);
  });
}

export async function removeRule(ctx: AppContext, actor: Actor, id: string) {
  const userId = ownUser(actor);
  await change(ctx, actor, async (tx) => {
    const row = await tx.db
      .selectFrom('notification_rules')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) throw notFound('The rule');
    await tx.db.deleteFrom('notification_rules').where('id', '=', id).execute();
    await tx.audit({
      action: 'notification_rule.delete',
      entityType: 'user',
      entityId: userId,
      clientId: null,
      summary: 'Notification rule removed',
      before: presentRule(row),
    });
  });
  return { ok: true as const };
}

export async function setQuietHours(ctx: AppContext, actor: Actor, input: QuietHours): Promise<QuietHours> {
  const userId = ownUser(actor);
  if ((input.start === null) !== (input.end === null))
    throw badInput({ [input.start === null ? 'start' : 'end']: 'is required when the other end is set' });
  return change(ctx, actor, async (tx) => {
    const row = {
      user_id: userId,
      quiet_start: input.start,
      quiet_end: input.end,
      time_zone: input.timeZone,
      updated_at: tx.now,
    };
    await tx.db
      .insertInto('notification_prefs')
      .values(row)
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({
          quiet_start: row.quiet_start,
          quiet_end: row.quiet_end,
          time_zone: row.time_zone,
          updated_at: tx.now,
        }),
      )
      .execute();
    await tx.audit({
      action: 'notification_prefs.update',
      entityType: 'user',
      entityId: userId,
      clientId: null,
      summary: input.start ? `Quiet hours ${input.start}–${input.end} (${input.timeZone})` : 'Quiet hours off',
      after: input,
    });
    return input;
  });
}

function ownUser(actor: Actor): string {
  if (actor.type !== 'user' || !actor.userId)
    throw badInput({ user: 'notification settings belong to a signed-in person, not a token' });
  return actor.userId;
}

async function ownMethod(db: AppContext['db']['kysely'], userId: string, id: string, field?: string) {
  const row = await db
    .selectFrom('contact_methods')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw field ? badInput({ [field]: 'is not one of your contact methods' }) : notFound('The contact method');
  return row;
}

function hashCode(code: string): string {
  return createHash('sha256').update(`afterhours-verify:${code}`).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
