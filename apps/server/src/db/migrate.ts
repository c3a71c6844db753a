import type { Kysely } from 'kysely';
import type { Db } from './database.js';
import type { DialectSupport } from './dialects/types.js';
import { foundation } from './migrations/0001_foundation.js';
import { monitoring } from './migrations/0002_monitoring.js';
import { heartbeats } from './migrations/0003_heartbeats.js';
import { pingIndexes } from './migrations/0004_ping_indexes.js';
import { recoveryCodes } from './migrations/0005_recovery_codes.js';
import { display } from './migrations/0006_display.js';
import { oncall } from './migrations/0007_oncall.js';
import { notifications } from './migrations/0008_notifications.js';
import { alerts } from './migrations/0009_alerts.js';
import { resultSeries } from './migrations/0010_result_series.js';
import { power } from './migrations/0011_power.js';
import { incidents } from './migrations/0012_incidents.js';
import { clientUpdates } from './migrations/0013_client_updates.js';
import { checklists } from './migrations/0014_checklists.js';
import { checklistPhotos } from './migrations/0014_checklist_photos.js';
import { alertsMore } from './migrations/0015_alerts_more.js';
import { powerMore } from './migrations/0016_power_more.js';
import { historyTiers } from './migrations/0017_history_tiers.js';
import { incidentGaps } from './migrations/0018_incident_gaps.js';
import { hourlyDays } from './migrations/0021_hourly_days.js';
import { resultKeys } from './migrations/0022_result_keys.js';
import { sampleHours } from './migrations/0023_sample_hours.js';
import { checksFillfactor } from './migrations/0024_checks_fillfactor.js';
import { hourlyMark } from './migrations/0025_hourly_mark.js';
import { textHash } from './migrations/0026_text_hash.js';
import { checksPlaced } from './migrations/0027_checks_placed.js';

export interface Migration {
  up(db: Kysely<unknown>): Promise<void>;
}

/** Every migration, in order. Names sort; never rename or edit one that has shipped. */
function migrations(d: DialectSupport): Array<[string, Migration]> {
  return [
    ['0001_foundation', foundation(d)],
    ['0002_monitoring', monitoring(d)],
    ['0003_heartbeats', heartbeats(d)],
    ['0004_ping_indexes', pingIndexes()],
    ['0005_recovery_codes', recoveryCodes(d)],
    ['0006_display', display(d)],
    ['0007_oncall', oncall(d)],
    ['0008_notifications', notifications(d)],
    ['0009_alerts', alerts(d)],
    ['0010_result_series', resultSeries(d)],
    ['0011_power', power(d)],
    ['0012_incidents', incidents(d)],
    ['0013_client_updates', clientUpdates(d)],
    ['0014_checklists', checklists(d)],
    ['0014_checklists_photos', checklistPhotos(d)],
    ['0015_alerts_more', alertsMore(d)],
    ['0016_power_more', powerMore(d)],
    ['0017_history_tiers', historyTiers(d)],
    ['0018_incident_gaps', incidentGaps(d)],
    ['0021_hourly_days', hourlyDays(d)],
    ['0022_result_keys', resultKeys(d)],
    ['0023_sample_hours', sampleHours(d)],
    ['0024_checks_fillfactor', checksFillfactor(d)],
    ['0025_hourly_mark', hourlyMark(d)],
    ['0026_text_hash', textHash(d)],
    ['0027_checks_placed', checksPlaced(d)],
  ];
}

export interface MigrationReport {
  applied: string[];
}

const TABLE = 'afterhours_migrations';

/**
 * Apply pending migrations, all in one transaction under a lock that other hub processes wait on, so
 * several processes starting together apply each migration exactly once, and a failed migration
 * leaves the database as it was. (Our own small migrator: Kysely's introspects every schema of a
 * PostgreSQL database, which races with anything else dropping schemas there.)
 */
export async function migrateToLatest(db: Db, options: { until?: string } = {}): Promise<MigrationReport> {
  const kysely = db.kysely as unknown as Kysely<any>;
  return db.dialect.exclusively(kysely, async (trx) => {
    await trx.schema
      .createTable(TABLE)
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const done = new Set(
      (await trx.selectFrom(TABLE).select('name').execute()).map((row: { name: string }) => row.name),
    );
    const applied: string[] = [];
    for (const [name, migration] of migrations(db.dialect)) {
      if (options.until !== undefined && name > options.until) break;
      if (done.has(name)) continue;
      try {
        await migration.up(trx);
      } catch (error) {
        throw new Error(`migration ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      await trx.insertInto(TABLE).values({ name, applied_at: new Date().toISOString() }).execute();
      applied.push(name);
    }
    return { applied };
  });
}
