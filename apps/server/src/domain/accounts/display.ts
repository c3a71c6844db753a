import type { DisplaySettings, UpdateDisplaySettingsRequest } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { UsersTable } from '../../db/schema.js';
import type { Actor } from '../auth/actor.js';
import { assertAccountManager } from '../auth/policy.js';
import { change, type ChangeTx } from '../change.js';

/** The one row of firm_settings. */
const FIRM = 1;

/** The firm's locale and clock; nulls (the browser's) until set. */
export async function firmDisplay(db: Kdb): Promise<DisplaySettings> {
  const row = await db
    .selectFrom('firm_settings')
    .select(['locale', 'clock'])
    .where('id', '=', FIRM)
    .executeTakeFirst();
  return { locale: row?.locale ?? null, clock: (row?.clock as DisplaySettings['clock']) ?? null };
}

/** A user's own choice, presented: nulls follow the firm. */
export function userDisplay(row: Pick<UsersTable, 'locale' | 'clock'>): DisplaySettings {
  return { locale: row.locale ?? null, clock: (row.clock as DisplaySettings['clock']) ?? null };
}

/** What applies to this user: each field their own choice, else the firm's. */
export async function effectiveDisplay(db: Kdb, user: Pick<UsersTable, 'locale' | 'clock'>): Promise<DisplaySettings> {
  const firm = await firmDisplay(db);
  const own = userDisplay(user);
  return { locale: own.locale ?? firm.locale, clock: own.clock ?? firm.clock };
}

async function writeFirm(tx: ChangeTx, next: DisplaySettings): Promise<void> {
  const values = { locale: next.locale, clock: next.clock, updated_at: tx.now };
  const updated = await tx.db.updateTable('firm_settings').set(values).where('id', '=', FIRM).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    await tx.db
      .insertInto('firm_settings')
      .values({ id: FIRM, ...values })
      .execute();
}

/** At first-run setup: the firm starts with the owner's browser's locale and clock. */
export async function setFirstFirmDisplay(tx: ChangeTx, display: DisplaySettings): Promise<void> {
  await writeFirm(tx, display);
  await tx.audit({
    action: 'settings.display',
    entityType: 'settings',
    entityId: null,
    clientId: null,
    summary: `Dates and times: ${describe(display)} (from the owner’s browser at setup)`,
    after: display,
  });
}

/** Change the firm's locale and/or clock (owners and admins). */
export async function updateFirmDisplay(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof UpdateDisplaySettingsRequest>,
): Promise<DisplaySettings> {
  assertAccountManager(actor);
  return change(ctx, actor, async (tx) => {
    const before = await firmDisplay(tx.db);
    const after: DisplaySettings = {
      locale: input.locale === undefined ? before.locale : input.locale,
      clock: input.clock === undefined ? before.clock : input.clock,
    };
    if (after.locale === before.locale && after.clock === before.clock) return before;
    await writeFirm(tx, after);
    await tx.audit({
      action: 'settings.display',
      entityType: 'settings',
      entityId: null,
      clientId: null,
      summary: `Dates and times: ${describe(after)}`,
      before,
      after,
    });
    return after;
  });
}

function describe(d: DisplaySettings): string {
  return `${d.locale ?? 'browser’s locale'}, ${d.clock === '24h' ? '24-hour clock' : d.clock === '12h' ? '12-hour clock' : 'the locale’s clock'}`;
}
