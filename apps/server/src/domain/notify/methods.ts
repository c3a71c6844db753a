import type { Kdb } from '../../db/database.js';
import type { QuietHoursLike, RuleLike, UsableMethod } from './plan.js';

/** A person's methods that may be sent to (verified, not broken), their rules, and their quiet hours. */
export async function usableMethods(
  db: Kdb,
  userId: string,
): Promise<{ methods: UsableMethod[]; rules: RuleLike[]; quiet: QuietHoursLike | null }> {
  const [methods, rules, prefs] = await Promise.all([
    db
      .selectFrom('contact_methods')
      .select(['id', 'created_at'])
      .where('user_id', '=', userId)
      .where('verified_at', 'is not', null)
      .where('broken_at', 'is', null)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('notification_rules')
      .select(['method_id', 'delay_minutes', 'urgency'])
      .where('user_id', '=', userId)
      .execute(),
    db.selectFrom('notification_prefs').selectAll().where('user_id', '=', userId).executeTakeFirst(),
  ]);
  return {
    methods: methods.map((m) => ({ id: m.id, createdAt: m.created_at })),
    rules: rules.map((r) => ({ methodId: r.method_id, delayMinutes: r.delay_minutes, urgency: r.urgency })),
    quiet: prefs ? { start: prefs.quiet_start, end: prefs.quiet_end, timeZone: prefs.time_zone } : null,
  };
}
