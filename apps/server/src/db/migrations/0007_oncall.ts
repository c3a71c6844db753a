import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/** On-call: teams, schedules with their layers and overrides, iCal feed secrets, and the gaps found ahead. */
export function oncall(d: DialectSupport) {
  const ts = d.timestampType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('teams')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_lower', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('team_members')
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
        .execute();
      await db.schema.createIndex('team_members_user').on('team_members').column('user_id').execute();

      await db.schema
        .createTable('schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_lower', 'text', (c) => c.notNull().unique())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.references('teams.id').onDelete('set null'))
        .addColumn('ical_secret_hash', 'text')
        // When the gap worker must look at this schedule next (indexed); set to "now" by every edit.
        .addColumn('gap_check_at', ts, (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('schedules_gap_check').on('schedules').column('gap_check_at').execute();
      await db.schema.createIndex('schedules_ical').on('schedules').column('ical_secret_hash').execute();

      await db.schema
        .createTable('schedule_layers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('schedules.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('participants_json', 'text', (c) => c.notNull())
        .addColumn('rotation', 'text', (c) => c.notNull())
        .addColumn('every_days', 'integer', (c) => c.notNull())
        .addColumn('handoff_time', 'text', (c) => c.notNull())
        .addColumn('start_date', 'text', (c) => c.notNull())
        .addColumn('restrictions_json', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('schedule_layers_schedule')
        .on('schedule_layers')
        .columns(['schedule_id', 'position'])
        .execute();

      await db.schema
        .createTable('schedule_overrides')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('schedules.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('start_at', ts, (c) => c.notNull())
        .addColumn('end_at', ts, (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('schedule_overrides_range')
        .on('schedule_overrides')
        .columns(['schedule_id', 'end_at'])
        .execute();
      await db.schema.createIndex('schedule_overrides_user').on('schedule_overrides').column('user_id').execute();

      await db.schema
        .createTable('user_ical_feeds')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();

      // Gaps found within a day ahead, once each; alert_id is set once an alert was raised for it.
      await db.schema
        .createTable('oncall_gaps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('schedules.id').onDelete('cascade'))
        .addColumn('start_at', ts, (c) => c.notNull())
        .addColumn('end_at', ts, (c) => c.notNull())
        .addColumn('found_at', ts, (c) => c.notNull())
        .addColumn('alert_id', 'text')
        .execute();
      await db.schema
        .createIndex('oncall_gaps_unique')
        .on('oncall_gaps')
        .columns(['schedule_id', 'start_at'])
        .unique()
        .execute();
    },
  };
}
