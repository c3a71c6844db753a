import { z } from 'zod';
import { headline, sinceText } from '../../domain/notify/render.js';
import type { ChannelDefinition } from '../channel.js';
import { hostOf, postJson } from '../http.js';

const Settings = z.strictObject({
  webhookUrl: z.url({ error: 'must be the webhook URL of the Teams workflow or incoming webhook' }),
});
type Settings = z.infer<typeof Settings>;

/**
 * Microsoft Teams: a message with one Adaptive Card attachment, the form both a Workflows webhook
 * ("When a Teams webhook request is received") and an incoming webhook accept.
 */
export const teams: ChannelDefinition<Settings> = {
  kind: 'teams',
  label: 'Microsoft Teams',
  settings: Settings,
  summary: (s) => hostOf(s.webhookUrl),
  async send({ settings, message, timeoutMs }) {
    const since = sinceText(message);
    const actions = [
      message.links.ack ? { type: 'Action.OpenUrl', title: 'Acknowledge', url: message.links.ack } : null,
      message.links.open ? { type: 'Action.OpenUrl', title: 'Open', url: message.links.open } : null,
    ].filter(Boolean);
    const card = {
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
      body: [
        { type: 'TextBlock', text: headline(message), weight: 'Bolder', size: 'Medium', wrap: true },
        ...(since ? [{ type: 'TextBlock', text: since, isSubtle: true, spacing: 'None', wrap: true }] : []),
        { type: 'TextBlock', text: message.body, wrap: true },
        ...(message.lines ?? []).map((line) => ({ type: 'TextBlock', text: `- ${line}`, wrap: true, spacing: 'None' })),
      ],
      actions,
    };
    await postJson(
      settings.webhookUrl,
      {
        type: 'message',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
      },
      timeoutMs,
      'Microsoft Teams',
    );
    return {};
  },
};
