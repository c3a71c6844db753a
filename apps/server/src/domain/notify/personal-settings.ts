import type { AppContext } from '../../context.js';
import { channels } from '../../integrations/registry.js';
import type { Actor } from '../auth/actor.js';
import { loadHubChannels } from './hub-channels.js';
import { ownUser } from './ownership.js';
import { presentMethod, presentRule } from './present.js';

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
