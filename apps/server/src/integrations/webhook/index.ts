import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { ChannelDefinition } from '../channel.js';
import { hostOf, request } from '../http.js';

const Settings = z.strictObject({
  url: z.url({ error: 'must be the URL that receives the JSON' }),
  secret: z
    .string()
    .min(16, { error: 'must be at least 16 characters (the receiver checks signatures with it)' })
    .max(200),
});
type Settings = z.infer<typeof Settings>;

export const SIGNATURE_HEADER = 'x-afterhours-signature';
export const TIMESTAMP_HEADER = 'x-afterhours-timestamp';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` under the method's secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * A generic webhook: the message as JSON, signed (HMAC-SHA256 of timestamp and body) so the receiver
 * can tell it came from this hub and refuse replays older than a few minutes.
 */
export const webhook: ChannelDefinition<Settings> = {
  kind: 'webhook',
  label: 'Webhook',
  settings: Settings,
  summary: (s) => hostOf(s.url),
  async send({ settings, message, urgency, messageId, timeoutMs }) {
    const body = JSON.stringify({ type: 'notification', id: messageId, urgency, message });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signWebhook(settings.secret, timestamp, body),
      [TIMESTAMP_HEADER]: timestamp,
      'idempotency-key': messageId,
    };
    await request(settings.url, { headers, body, timeoutMs }, 'The webhook');
    return {};
  },
};
