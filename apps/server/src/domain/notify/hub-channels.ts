import webpush from 'web-push';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { HubChannels, SmtpServer, TwilioAccount, VapidKeys } from '../../integrations/channel.js';
import type { SecretBox } from '../../lib/secrets.js';

type Key = 'smtp' | 'twilio' | 'vapid';

/** The hub-wide channel settings (mail server, SMS/voice provider, VAPID keys), decrypted. */
export async function loadHubChannels(db: Kdb, secrets: SecretBox): Promise<HubChannels> {
  const rows = await db.selectFrom('hub_channel_settings').selectAll().execute();
  const value = <T>(key: Key): T | null => {
    const row = rows.find((r) => r.key === key);
    return row ? (JSON.parse(secrets.decrypt(row.value_enc)) as T) : null;
  };
  return { smtp: value<SmtpServer>('smtp'), twilio: value<TwilioAccount>('twilio'), vapid: value<VapidKeys>('vapid') };
}

export async function saveHubChannel(
  db: Kdb,
  secrets: SecretBox,
  key: Key,
  value: SmtpServer | TwilioAccount | VapidKeys | null,
  by: string | null,
  now: string,
): Promise<void> {
  if (value === null) {
    await db.deleteFrom('hub_channel_settings').where('key', '=', key).execute();
    return;
  }
  const row = { key, value_enc: secrets.encrypt(JSON.stringify(value)), updated_by: by, updated_at: now };
  await db
    .insertInto('hub_channel_settings')
    .values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_enc: row.value_enc, updated_by: by, updated_at: now }))
    .execute();
}

/**
 * Makes the hub's VAPID key pair on first start (kept encrypted); several processes starting together
 * keep the first one written.
 */
export async function ensureVapidKeys(ctx: Pick<AppContext, 'db' | 'secrets' | 'clock' | 'settings'>): Promise<string> {
  const db = ctx.db.kysely;
  const existing = (await loadHubChannels(db, ctx.secrets)).vapid;
  if (existing) return existing.publicKey;
  const keys = webpush.generateVAPIDKeys();
  const subject = ctx.settings.publicUrl?.startsWith('https://')
    ? ctx.settings.publicUrl
    : 'mailto:afterhours@localhost';
  const value: VapidKeys = { publicKey: keys.publicKey, privateKey: keys.privateKey, subject };
  await db
    .insertInto('hub_channel_settings')
    .values({
      key: 'vapid',
      value_enc: ctx.secrets.encrypt(JSON.stringify(value)),
      updated_by: null,
      updated_at: ctx.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await loadHubChannels(db, ctx.secrets)).vapid?.publicKey ?? keys.publicKey;
}
