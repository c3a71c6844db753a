import { z } from 'zod';
import { shortText } from '../../domain/notify/render.js';
import type { ChannelDefinition } from '../channel.js';
import { createResource, maskNumber, PhoneNumber } from '../twilio/api.js';

const Settings = z.strictObject({ number: PhoneNumber });
type Settings = z.infer<typeof Settings>;

/** SMS through a Twilio-shaped Messages API; delivery reports come back to the status callback. */
export const sms: ChannelDefinition<Settings> = {
  kind: 'sms',
  label: 'SMS',
  settings: Settings,
  needs: 'twilio',
  summary: (s) => maskNumber(s.number),
  async send({ settings, message, hub, messageId, timeoutMs, publicUrl }) {
    const reply = message.links.ack ? '\nReply ACK to acknowledge.' : '';
    const form: Record<string, string> = {
      To: settings.number,
      From: hub.twilio?.from ?? '',
      Body: shortText(message, 320 - reply.length) + reply,
    };
    if (publicUrl) form.StatusCallback = `${publicUrl}/api/notify/twilio/status/${messageId}`;
    return { providerRef: await createResource(hub.twilio, 'Messages', form, timeoutMs) };
  },
};
