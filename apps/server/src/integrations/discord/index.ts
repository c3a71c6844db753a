import { z } from 'zod';
import { headline } from '../../domain/notify/render.js';
import type { ChannelDefinition } from '../channel.js';
import { hostOf, postJson } from '../http.js';

const Settings = z.strictObject({
  webhookUrl: z.url({ error: 'must be the Discord webhook URL (https://discord.com/api/webhooks/…)' }),
});
type Settings = z.infer<typeof Settings>;

/** Discord webhook: `content` (the notification text) and one embed; mentions are never parsed. */
export const discord: ChannelDefinition<Settings> = {
  kind: 'discord',
  label: 'Discord',
  settings: Settings,
  summary: (s) => hostOf(s.webhookUrl),
  async send({ settings, message, timeoutMs }) {
    const links = [
      message.links.ack ? `[Acknowledge](${message.links.ack})` : '',
      message.links.open ? `[Open](${message.links.open})` : '',
    ].filter(Boolean);
    const description = [message.body, ...(message.lines ?? []).map((l) => `- ${l}`), links.join(' · ')]
      .filter(Boolean)
      .join('\n')
      .slice(0, 4000);
    const body = {
      content: headline(message).slice(0, 2000),
      embeds: [
        {
          title: message.title.slice(0, 256),
          description,
          ...(message.links.open ? { url: message.links.open } : {}),
          ...(message.since ? { timestamp: message.since } : {}),
        },
      ],
      allowed_mentions: { parse: [] },
    };
    await postJson(settings.webhookUrl, body, timeoutMs, 'Discord');
    return {};
  },
};
