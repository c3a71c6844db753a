import type { HubChannelSettingsView, HubSmtpSettings, HubTwilioSettings } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { badInput } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertAccountManager } from '../auth/policy.js';
import { change } from '../change.js';
import { loadHubChannels, saveHubChannel } from './hub-channels.js';

/** The hub's outgoing channel settings as owners and admins see them: never a password or token. */
export async function hubChannelSettings(ctx: AppContext, actor: Actor): Promise<HubChannelSettingsView> {
  assertAccountManager(actor);
  const hub = await loadHubChannels(ctx.db.kysely, ctx.secrets);
  const smtp = hub.smtp ? (({ password, ...rest }) => ({ ...rest, hasPassword: Boolean(password) }))(hub.smtp) : null;
  const twilio = hub.twilio
    ? (({ authToken, ...rest }) => ({ ...rest, hasAuthToken: Boolean(authToken) }))(hub.twilio)
    : null;
  return { smtp, twilio, pushPublicKey: hub.vapid?.publicKey ?? null };
}

export async function setHubSmtp(ctx: AppContext, actor: Actor, input: z.infer<typeof HubSmtpSettings> | null) {
  assertAccountManager(actor);
  await change(ctx, actor, async (tx) => {
    const current = (await loadHubChannels(tx.db, ctx.secrets)).smtp;
    // A password left out keeps the stored one (it is never sent to the browser to be sent back).
    const value = input ? { ...input, password: input.password ?? current?.password } : null;
    await saveHubChannel(tx.db, ctx.secrets, 'smtp', value, actor.userId, tx.now);
    await tx.audit({
      action: 'settings.smtp',
      entityType: 'settings',
      entityId: null,
      clientId: null,
      summary: input ? `Outgoing mail server set to ${input.host}:${input.port}` : 'Outgoing mail server removed',
      ...(input ? { after: { ...input, password: input.password ? 'changed' : undefined } } : {}),
    });
  });
  return hubChannelSettings(ctx, actor);
}

export async function setHubTwilio(ctx: AppContext, actor: Actor, input: z.infer<typeof HubTwilioSettings> | null) {
  assertAccountManager(actor);
  await change(ctx, actor, async (tx) => {
    const current = (await loadHubChannels(tx.db, ctx.secrets)).twilio;
    const authToken = input?.authToken ?? current?.authToken;
    if (input && !authToken) throw badInput({ authToken: 'is required the first time' });
    const value = input && authToken ? { ...input, authToken } : null;
    await saveHubChannel(tx.db, ctx.secrets, 'twilio', value, actor.userId, tx.now);
    await tx.audit({
      action: 'settings.sms_voice',
      entityType: 'settings',
      entityId: null,
      clientId: null,
      summary: input
        ? `SMS and voice provider set to ${input.baseUrl} (${input.accountSid})`
        : 'SMS and voice provider removed',
      ...(input ? { after: { baseUrl: input.baseUrl, accountSid: input.accountSid, from: input.from } } : {}),
    });
  });
  return hubChannelSettings(ctx, actor);
}
