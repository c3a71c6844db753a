import { z } from 'zod';
import { plainText } from '../../domain/notify/render.js';
import { type ChannelDefinition, ChannelError } from '../channel.js';
import { postJson } from '../http.js';

const Settings = z.strictObject({
  botToken: z.string().regex(/^\d+:[\w-]{20,}$/, { error: 'must be the token @BotFather gave (123456:ABC…)' }),
  chatId: z.string().regex(/^(-?\d+|@\w{5,})$/, { error: 'must be a chat id (a number) or @channelname' }),
  apiBase: z.url().default('https://api.telegram.org'),
});
type Settings = z.infer<typeof Settings>;

/** Telegram Bot API sendMessage, with the links as inline keyboard buttons. */
export const telegram: ChannelDefinition<Settings> = {
  kind: 'telegram',
  label: 'Telegram',
  settings: Settings,
  summary: (s) => `chat ${s.chatId}`,
  async send({ settings, message, timeoutMs }) {
    const buttons = [
      message.links.ack ? { text: 'Acknowledge', url: message.links.ack } : null,
      message.links.open ? { text: 'Open', url: message.links.open } : null,
    ].filter((b) => b !== null);
    const body = {
      chat_id: settings.chatId,
      text: plainText({ ...message, links: {} }).slice(0, 4096),
      link_preview_options: { is_disabled: true },
      ...(buttons.length ? { reply_markup: { inline_keyboard: [buttons] } } : {}),
    };
    const url = `${settings.apiBase.replace(/\/$/, '')}/bot${settings.botToken}/sendMessage`;
    const answer = await postJson(url, body, timeoutMs, 'Telegram');
    const parsed = safeJson(answer.text) as { ok?: boolean; result?: { message_id?: number } } | null;
    if (!parsed?.ok) throw new ChannelError('Telegram did not confirm the message', true);
    return { providerRef: parsed.result?.message_id !== undefined ? String(parsed.result.message_id) : undefined };
  },
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
