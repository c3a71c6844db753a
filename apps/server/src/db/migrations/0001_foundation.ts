import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

export function foundation(d: DialectSupport) {
  const ts = d.timestampType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('clients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_lower', 'text', (c) => c.notNull())
        .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('contract_json', 'text', (c) => c.notNull())
        .addColumn('archived_at', ts)
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('clients_name_lower').on('clients').column('name_lower').execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.references('clients.id').onDelete('cascade'))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('totp_secret_enc', 'text')
        .addColumn('totp_pending_enc', 'text')
        .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addColumn('last_sign_in_at', ts)
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('last_seen_at', ts, (c) => c.notNull())
        .addColumn('expires_at', ts, (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.references('clients.id').onDelete('cascade'))
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('last_used_at', ts)
        .addColumn('revoked_at', ts)
        .execute();

      await db.schema
        .createTable('sign_in_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', ts, (c) => c.notNull())
        .addColumn('locked_until', ts)
        .execute();

      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_label', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text')
        .addColumn('client_id', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('before_json', 'text')
        .addColumn('after_json', 'text')
        .execute();
      await db.schema.createIndex('audit_events_at').on('audit_events').columns(['at', 'id']).execute();
      await db.schema
        .createIndex('audit_events_entity')
        .on('audit_events')
        .columns(['entity_type', 'entity_id'])
        .execute();
      await db.schema.createIndex('audit_events_client').on('audit_events').columns(['client_id', 'at']).execute();

      await db.schema
        .createTable('contacts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('email', 'text')
        .addColumn('phone', 'text')
        .addColumn('preferred_channel', 'text', (c) => c.notNull())
        .addColumn('receives_incident_updates', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('contacts_client').on('contacts').column('client_id').execute();

      await db.schema
        .createTable('sites')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_lower', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('archived_at', ts)
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sites_client').on('sites').columns(['client_id', 'name_lower']).execute();
      // Keyset paging of the register lists runs over (name_lower, id).
      await db.schema.createIndex('sites_name').on('sites').columns(['name_lower', 'id']).execute();

      await db.schema
        .createTable('systems')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_lower', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('host', 'text')
        .addColumn('criticality', 'text', (c) => c.notNull())
        .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('archived_at', ts)
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('systems_site').on('systems').columns(['site_id', 'name_lower']).execute();
      await db.schema.createIndex('systems_client').on('systems').columns(['client_id', 'name_lower']).execute();
      await db.schema.createIndex('systems_name').on('systems').columns(['name_lower', 'id']).execute();

      await db.schema
        .createTable('system_dependencies')
        .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id').onDelete('cascade'))
        .addColumn('depends_on_id', 'text', (c) => c.notNull().references('systems.id').onDelete('cascade'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('system_dependencies_pk', ['system_id', 'depends_on_id'])
        .execute();
      await db.schema
        .createIndex('system_dependencies_reverse')
        .on('system_dependencies')
        .column('depends_on_id')
        .execute();
      // The cycle check reads a client's whole dependency graph.
      await db.schema.createIndex('system_dependencies_client').on('system_dependencies').column('client_id').execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'system_dependencies',
        'systems',
        'sites',
        'contacts',
        'audit_events',
        'sign_in_throttle',
        'api_tokens',
        'sessions',
        'users',
        'clients',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
