import { z } from 'zod';
import { spokenText } from '../../domain/notify/render.js';
import type { ChannelDefinition } from '../channel.js';
import { createResource, maskNumber, PhoneNumber } from '../twilio/api.js';

const Settings = z.strictObject({ number: PhoneNumber });
type Settings = z.infer<typeof Settings>;

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The TwiML of a call: the alert read twice, and "press 1 to acknowledge" gathered to the hub's voice
 * callback (only when the hub has a public URL the provider can reach).
 */
export function callTwiml(text: string, gatherUrl: string | undefined): string {
  const say = `<Say>${xml(text)}</Say>`;
  if (!gatherUrl) return `<Response>${say}<Pause length="1"/>${say}</Response>`;
  const prompt = '<Say>Press 1 to acknowledge.</Say>';
  return (
    `<Response><Gather numDigits="1" timeout="10" action="${xml(gatherUrl)}" method="POST">` +
    `${say}${prompt}</Gather><Say>No answer was given. Goodbye.</Say></Response>`
  );
}

/** A voice call through a Twilio-shaped Calls API, with the TwiML given inline. */
export const voice: ChannelDefinition<Settings> = {
  kind: 'voice',
  label: 'Voice call',
  settings: Settings,
  needs: 'twilio',
  summary: (s) => maskNumber(s.number),
  async send({ settings, message, hub, messageId, timeoutMs, publicUrl }) {
    const gather = publicUrl && message.links.ack ? `${publicUrl}/api/notify/twilio/voice/${messageId}` : undefined;
    const form: Record<string, string> = {
      To: settings.number,
      From: hub.twilio?.from ?? '',
      Twiml: callTwiml(spokenText(message), gather),
    };
    if (publicUrl) form.StatusCallback = `${publicUrl}/api/notify/twilio/status/${messageId}`;
    return { providerRef: await createResource(hub.twilio, 'Calls', form, timeoutMs) };
  },
};
