import type { Kysely } from 'kysely';
import { newId } from '../../lib/ids.js';
import type { DialectSupport } from '../dialects/types.js';

/**
 * Keeping the client informed (issue 11): the firm's message templates, the updates sent to a client's
 * contacts (one row per recipient, pointing at its outbox row for the delivery state), and secret,
 * revocable share links to reports. Incidents and checklist runs are referred to by id without a foreign
 * key: their tables come from other migrations that may be applied after this one on an existing hub.
 */
export function clientUpdates(d: DialectSupport) {
  const ts = d.timestampType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('message_templates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        /** incident_update, checklist_report */
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('message_templates_kind')
        .on('message_templates')
        .columns(['kind', 'position'])
        .execute();

      await db.schema
        .createTable('client_updates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
        .addColumn('incident_id', 'text')
        .addColumn('checklist_run_id', 'text')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('sent_by', 'text')
        .addColumn('sent_at', ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('client_updates_client')
        .on('client_updates')
        .columns(['client_id', 'sent_at'])
        .execute();
      await db.schema
        .createIndex('client_updates_incident')
        .on('client_updates')
        .columns(['incident_id', 'sent_at'])
        .execute();
      await db.schema.createIndex('client_updates_run').on('client_updates').column('checklist_run_id').execute();

      await db.schema
        .createTable('client_update_recipients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('update_id', 'text', (c) => c.notNull().references('client_updates.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        /** The contact may be deleted later; the name and address stay as they were sent. */
        .addColumn('contact_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        /** email, sms */
        .addColumn('channel', 'text')
        .addColumn('address', 'text')
        .addColumn('outbox_id', 'text')
        /** Why nothing was queued for this contact (no usable address). */
        .addColumn('skipped', 'text')
        .execute();
      await db.schema
        .createIndex('client_update_recipients_update')
        .on('client_update_recipients')
        .columns(['update_id', 'position'])
        .execute();

      await db.schema
        .createTable('share_links')
        .addColumn('id', 'text', (c) => c.primaryKey())
        /** incident_report, checklist_report */
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        /** SHA-256 of the secret in the URL; the secret itself is shown once and never stored. */
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_by', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('revoked_at', ts)
        .addColumn('revoked_by', 'text')
        .addColumn('last_opened_at', ts)
        .execute();
      await db.schema
        .createIndex('share_links_subject')
        .on('share_links')
        .columns(['subject_type', 'subject_id'])
        .execute();

      const at = new Date().toISOString();
      await (db as Kysely<any>)
        .insertInto('message_templates')
        .values(
          DEFAULT_TEMPLATES.map((t, position) => ({ id: newId(), ...t, position, created_at: at, updated_at: at })),
        )
        .execute();
    },
  };
}

/** What a new hub starts with; the firm edits them in Settings → Message templates. */
const DEFAULT_TEMPLATES = [
  {
    kind: 'incident_update',
    name: 'We are aware',
    subject: '{client}: we are working on it',
    body:
      'Hello,\n\nWe are aware of a problem at {site}: {incident}. Our on-call technician is working on it now, ' +
      'and we will keep you informed.\n\n{sender}, {time}',
  },
  {
    kind: 'incident_update',
    name: 'Servers shut down safely',
    subject: '{client}: your servers were shut down safely',
    body:
      'Hello,\n\nBecause of the power problems at {site}, we shut your servers down cleanly to protect them ' +
      'and your data ({time}). We will start them again as soon as the power is stable, and let you know.\n\n{sender}',
  },
  {
    kind: 'incident_update',
    name: 'Everything is ready for Monday',
    subject: '{client}: everything is ready for Monday',
    body:
      'Hello,\n\nThe power is back at {site}. We have started your systems again and checked every one of them: ' +
      'everything is working and ready for Monday.\n\n{sender}, {time}',
  },
  {
    kind: 'checklist_report',
    name: 'Systems checked',
    subject: '{client}: systems checked at {site}',
    body: 'Hello,\n\nWe ran our systems checklist "{checklist}" at {site} ({time}).\n\n{result}\n\n{sender}',
  },
];
