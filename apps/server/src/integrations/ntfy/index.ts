import { z } from 'zod';
import { headline, sinceText } from '../../domain/notify/render.js';
import type { ChannelDefinition } from '../channel.js';
import { hostOf, postJson } from '../http.js';

const Settings = z.strictObject({
  server: z.url().default('https://ntfy.sh'),
  topic: z.string().regex(/^[\w-]{1,64}$/, { error: 'must be a topic name (letters, digits, - and _)' }),
  token: z.string().max(200).optional().describe('An access token, for a protected topic'),
  priority: z.number().int().min(1).max(5).optional().describe('Overrides the priority urgency gives (5 high, 3 low)'),
});
type Settings = z.infer<typeof Settings>;

/** ntfy: a JSON publish to the server's root with title, priority, click and action buttons. */
export const ntfy: ChannelDefinition<Settings> = {
  kind: 'ntfy',
  label: 'ntfy',
  settings: Settings,
  summary: (s) => `${hostOf(s.server)}/${s.topic}`,
  async send({ settings, message, urgency, timeoutMs }) {
    const since = sinceText(message);
    const actions = [
      message.links.ack
        ? { action: 'http', label: 'Acknowledge', url: message.links.ack, method: 'POST', clear: true }
        : null,
      message.links.open ? { action: 'view', label: 'Open', url: message.links.open } : null,
    ].filter((a) => a !== null);
    const body = {
      topic: settings.topic,
      title: headline(message),
      message: [since, message.body, ...(message.lines ?? [])].filter(Boolean).join('\n'),
      priority: settings.priority ?? (urgency === 'high' ? 5 : 3),
      tags: [urgency === 'high' ? 'rotating_light' : 'information_source'],
      ...(message.links.open ? { click: message.links.open } : {}),
      ...(actions.length ? { actions } : {}),
    };
    const headers: Record<string, string> = settings.token ? { authorization: `Bearer ${settings.token}` } : {};
    await postJson(settings.server.replace(/\/$/, '') + '/', body, timeoutMs, 'ntfy', headers);
    return {};
  },
};
