import type { ContactMethod, CreateContactMethodRequest } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { ContactMethodsTable } from '../../db/schema.js';
import { badInput } from '../../http/errors.js';
import { channelOf } from '../../integrations/registry.js';
import { newId } from '../../lib/ids.js';
import { ackLink } from '../alerts/links.js';
import type { Actor } from '../auth/actor.js';
import { change } from '../change.js';
import { queueToMethod } from './method-outbox.js';
import { ownMethod, ownUser } from './ownership.js';
import { presentMethod } from './present.js';
import { codeColumns, newCode, VERIFY_MINUTES } from './verification.js';
import { wakeOutbox } from './wake.js';

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
  const code = newCode();
  const result = await change(ctx, actor, async (tx) => {
    const row: ContactMethodsTable = {
      id: newId(),
      user_id: userId,
      kind: input.kind,
      label: input.label,
      settings_enc: ctx.secrets.encrypt(JSON.stringify(parsed.data)),
      summary: definition.summary(parsed.data),
      verified_at: null,
      ...codeColumns(code, tx.now),
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

/**
 * "Send me a test": a message through this method at once (broken or not; one that goes through clears
 * "broken"). An unverified method gets a fresh code instead.
 */
export async function sendTest(ctx: AppContext, actor: Actor, id: string): Promise<{ outboxId: string }> {
  const userId = ownUser(actor);
  const result = await change(ctx, actor, async (tx) => {
    const row = await ownMethod(tx.db, userId, id);
    if (!row.verified_at) {
      const code = newCode();
      await tx.db.updateTable('contact_methods').set(codeColumns(code, tx.now)).where('id', '=', id).execute();
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
