import { z } from 'zod';
import { headline, sinceText } from '../../domain/notify/render.js';
import type { ChannelDefinition } from '../channel.js';
import { postForm } from '../http.js';

const Key = (what: string) =>
  z.string().regex(/^[A-Za-z0-9]{30}$/, { error: `must be your Pushover ${what} (30 letters and digits)` });
const Settings = z.strictObject({
  userKey: Key('user key'),
  appToken: Key('application token'),
  device: z
    .string()
    .regex(/^[\w-]{1,25}$/)
    .optional(),
  apiBase: z.url().default('https://api.pushover.net'),
});
type Settings = z.infer<typeof Settings>;

/** Pushover Message API (form-encoded): priority 1 for pages (sounds through quiet hours), 0 otherwise. */
export const pushover: ChannelDefinition<Settings> = {
  kind: 'pushover',
  label: 'Pushover',
  settings: Settings,
  summary: (s) => `user ${s.userKey.slice(0, 4)}…${s.device ? ` (${s.device})` : ''}`,
  async send({ settings, message, urgency, timeoutMs }) {
    const link = message.links.ack ?? message.links.open;
    const form: Record<string, string> = {
      token: settings.appToken,
      user: settings.userKey,
      title: headline(message).slice(0, 250),
      message: [sinceText(message), message.body, ...(message.lines ?? [])].filter(Boolean).join('\n').slice(0, 1024),
      priority: urgency === 'high' ? '1' : '0',
    };
    if (link) {
      form.url = link;
      form.url_title = message.links.ack ? 'Acknowledge' : 'Open';
    }
    if (message.since) form.timestamp = String(Math.floor(Date.parse(message.since) / 1000));
    if (settings.device) form.device = settings.device;
    const answer = await postForm(
      `${settings.apiBase.replace(/\/$/, '')}/1/messages.json`,
      form,
      timeoutMs,
      'Pushover',
    );
    const request = (JSON.parse(answer.text || '{}') as { request?: string }).request;
    return { providerRef: request };
  },
};
