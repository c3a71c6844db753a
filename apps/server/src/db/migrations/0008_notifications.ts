import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * People's contact methods and rules, the hub's outgoing channel settings, the durable outbox and its
 * delivery log (issue 10, channels).
 */
export function notifications(d: DialectSupport) {
  const ts = d.timestampType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('contact_methods')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        // The whole settings object (addresses, URLs, tokens), encrypted; `summary` is what may be shown.
        .addColumn('settings_enc', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('verified_at', ts)
        // The code sent in the verification message, hashed, and until when it works.
        .addColumn('verify_code_hash', 'text')
        .addColumn('verify_expires_at', ts)
        .addColumn('verify_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('broken_at', ts)
        .addColumn('broken_reason', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('contact_methods_user').on('contact_methods').column('user_id').execute();

      await db.schema
        .createTable('notification_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('method_id', 'text', (c) => c.notNull().references('contact_methods.id').onDelete('cascade'))
        .addColumn('delay_minutes', 'integer', (c) => c.notNull())
        .addColumn('urgency', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notification_rules_user').on('notification_rules').column('user_id').execute();

      await db.schema
        .createTable('notification_prefs')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('quiet_start', 'text')
        .addColumn('quiet_end', 'text')
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('hub_channel_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value_enc', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('method_id', 'text', (c) => c.references('contact_methods.id').onDelete('set null'))
        .addColumn('kind', 'text', (c) => c.notNull())
        // A client contact's e-mail address or phone number, when there is no contact method.
        .addColumn('address', 'text')
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('round', 'text', (c) => c.notNull())
        .addColumn('urgency', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', ts)
        .addColumn('lease_until', ts)
        .addColumn('last_error', 'text')
        .addColumn('provider_ref', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('first_attempt_at', ts)
        .addColumn('sent_at', ts)
        .addColumn('delivered_at', ts)
        .addColumn('finished_at', ts)
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      // "What is due?" and "what was left half-sent?" are range reads of these.
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('outbox_lease').on('outbox').columns(['status', 'lease_until']).execute();
      await db.schema.createIndex('outbox_subject').on('outbox').columns(['subject_type', 'subject_id']).execute();
      await db.schema.createIndex('outbox_user').on('outbox').columns(['user_id', 'created_at']).execute();
      await db.schema.createIndex('outbox_provider_ref').on('outbox').column('provider_ref').execute();

      await db.schema
        .createTable('deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('outbox_id', 'text', (c) => c.notNull().references('outbox.id').onDelete('cascade'))
        .addColumn('user_id', 'text')
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'integer')
        .execute();
      await db.schema.createIndex('deliveries_outbox').on('deliveries').columns(['outbox_id', 'at']).execute();
      await db.schema
        .createIndex('deliveries_subject')
        .on('deliveries')
        .columns(['subject_type', 'subject_id'])
        .execute();
      await db.schema.createIndex('deliveries_user').on('deliveries').columns(['user_id', 'at']).execute();
    },
  };
}
