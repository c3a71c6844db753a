import type { DisplaySettings, MessageTemplateKind, UpdateDraft } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import { badInput } from '../../http/errors.js';
import { firmDisplay } from '../accounts/display.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { visibleClient } from '../register/access.js';
import { fillPlaceholders } from './placeholders.js';
import { planRecipient, withoutRepeats } from './recipients.js';
import { findTemplate } from './templates.js';

export interface DraftContext {
  clientId: string;
  /** The sites concerned (an incident's affected sites); all of the client's sites when empty. */
  siteIds?: string[];
  /** Extra placeholder values: {incident}, {checklist}, {result}. */
  values?: Record<string, string>;
}

/**
 * A template filled in for a client, ready for the sender to edit, with who it would go to. Placeholders
 * with no value (an {incident} outside an incident) stay as written, so the sender sees and fixes them.
 */
export async function draftUpdate(
  db: Kdb,
  actor: Actor,
  templateId: string,
  context: DraftContext,
  now: string,
  expectKind?: MessageTemplateKind,
): Promise<UpdateDraft> {
  assertStaffWrite(actor);
  const template = await findTemplate(db, templateId);
  if (expectKind && template.kind !== expectKind)
    throw badInput({
      templateId: `is a ${template.kind.replace('_', ' ')} template, not an ${expectKind.replace('_', ' ')} one`,
    });
  const client = await visibleClient(db, actor, context.clientId);
  let sites = db
    .selectFrom('sites')
    .select(['name', 'time_zone'])
    .where('client_id', '=', client.id)
    .orderBy('name_lower');
  sites = context.siteIds?.length ? sites.where('id', 'in', context.siteIds) : sites.where('archived_at', 'is', null);
  const [siteRows, sender, display, contacts] = await Promise.all([
    sites.execute(),
    actor.userId
      ? db.selectFrom('users').select('name').where('id', '=', actor.userId).executeTakeFirst()
      : Promise.resolve(undefined),
    firmDisplay(db),
    db
      .selectFrom('contacts')
      .selectAll()
      .where('client_id', '=', client.id)
      .where('receives_incident_updates', '=', 1)
      .orderBy('name')
      .orderBy('id')
      .execute(),
  ]);
  const values: Record<string, string> = {
    client: client.name,
    site: siteRows.map((s) => s.name).join(', ') || client.name,
    time: clientTime(now, siteRows[0]?.time_zone ?? 'UTC', display),
    ...(sender?.name ? { sender: sender.name } : {}),
    ...context.values,
  };
  return {
    subject: fillPlaceholders(template.subject, values),
    body: fillPlaceholders(template.body, values),
    recipients: withoutRepeats(contacts.map(planRecipient)),
  };
}

/** "Saturday 6 December at 14:05" in the site's zone, in the firm's language and clock: how the client reads it. */
export function clientTime(at: string, timeZone: string, display: DisplaySettings): string {
  const locale = display.locale ?? 'en-GB';
  const date = new Date(at);
  const day = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(
    date,
  );
  const time = new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(display.clock ? { hourCycle: display.clock === '12h' ? 'h12' : 'h23' } : {}),
  }).format(date);
  return `${day.replace(',', '')} at ${time}`;
}
