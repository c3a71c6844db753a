import { z } from 'zod';
import { headline, plainText } from '../../domain/notify/render.js';
import type { ChannelDefinition } from '../channel.js';
import { hostOf, postJson } from '../http.js';

const Settings = z.strictObject({
  webhookUrl: z.url({ error: 'must be the incoming webhook URL Slack gave you (https://hooks.slack.com/…)' }),
});
type Settings = z.infer<typeof Settings>;

/** Slack incoming webhook: `text` (the notification and fallback) and one section block in mrkdwn. */
export const slack: ChannelDefinition<Settings> = {
  kind: 'slack',
  label: 'Slack',
  settings: Settings,
  summary: (s) => hostOf(s.webhookUrl),
  async send({ settings, message, timeoutMs }) {
    const links = [
      message.links.ack ? `<${message.links.ack}|Acknowledge>` : '',
      message.links.open ? `<${message.links.open}|Open>` : '',
    ].filter(Boolean);
    const body = {
      text: headline(message),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(plainText({ ...message, links: {} })) } },
        ...(links.length ? [{ type: 'section', text: { type: 'mrkdwn', text: links.join('  ·  ') } }] : []),
      ],
    };
    await postJson(settings.webhookUrl, body, timeoutMs, 'Slack');
    return {};
  },
};

/** Slack's mrkdwn treats &, < and > as control characters. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
