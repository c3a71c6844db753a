import webpush from 'web-push';
import { z } from 'zod';
import { headline, sinceText } from '../../domain/notify/render.js';
import { type ChannelDefinition, ChannelError, hubNotSetUp } from '../channel.js';
import { hostOf, request } from '../http.js';

const Settings = z.strictObject({
  endpoint: z.url({ error: "must be the push subscription's endpoint" }),
  keys: z.strictObject({
    p256dh: z.string().regex(/^[\w-]{80,100}$/, { error: "must be the subscription's p256dh key (base64url)" }),
    auth: z.string().regex(/^[\w-]{16,30}$/, { error: "must be the subscription's auth secret (base64url)" }),
  }),
});
type Settings = z.infer<typeof Settings>;

/** What the service worker (apps/web/public/sw.js) receives and shows. */
export interface PushPayload {
  title: string;
  body: string;
  tag: string;
  urgency: 'high' | 'low';
  open?: string | undefined;
  ack?: string | undefined;
}

/** Web push (RFC 8030/8291/8292) to the PWA with the hub's VAPID keys, through the `web-push` library. */
export const push: ChannelDefinition<Settings> = {
  kind: 'push',
  label: 'Push to this phone',
  settings: Settings,
  needs: 'vapid',
  summary: (s) => hostOf(s.endpoint),
  async send({ settings, message, hub, urgency, messageId, timeoutMs }) {
    if (!hub.vapid) throw hubNotSetUp('push keys');
    const payload: PushPayload = {
      title: headline(message),
      body: [sinceText(message), message.body].filter(Boolean).join(' — '),
      tag: messageId,
      urgency,
      open: message.links.open,
      ack: message.links.ack,
    };
    // web-push encrypts (RFC 8291) and signs (VAPID); the request goes out through our client, with its timeout.
    const details = webpush.generateRequestDetails(settings, JSON.stringify(payload), {
      vapidDetails: hub.vapid,
      TTL: urgency === 'high' ? 3600 : 24 * 3600,
      urgency: urgency === 'high' ? 'high' : 'normal',
      contentEncoding: 'aes128gcm',
    });
    const headers = Object.fromEntries(Object.entries(details.headers).map(([k, v]) => [k, String(v)]));
    try {
      await request(details.endpoint, { headers, body: details.body as Buffer, timeoutMs }, 'The push service');
      return {};
    } catch (error) {
      if (error instanceof ChannelError && (error.status === 404 || error.status === 410))
        throw new ChannelError('the phone no longer has this push subscription (turn push on again there)', false);
      throw error;
    }
  },
};
