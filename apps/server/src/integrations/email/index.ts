import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { headline, plainText } from '../../domain/notify/render.js';
import { type ChannelDefinition, ChannelError, hubNotSetUp } from '../channel.js';

const Settings = z.strictObject({ address: z.email({ error: 'must be an e-mail address' }) });
type Settings = z.infer<typeof Settings>;

/** E-mail through the hub's outgoing SMTP server (Settings → Channels), with nodemailer. */
export const email: ChannelDefinition<Settings> = {
  kind: 'email',
  label: 'E-mail',
  settings: Settings,
  needs: 'smtp',
  summary: (s) => s.address,
  async send({ settings, message, hub, messageId, timeoutMs, replyTo }) {
    const smtp = hub.smtp;
    if (!smtp) throw hubNotSetUp('outgoing mail server');
    const transport = createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      ignoreTLS: smtp.security === 'none',
      ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    const domain = /@([^>\s]+)/.exec(smtp.from)?.[1] ?? 'afterhours.invalid';
    const id = `<${messageId}@${domain}>`;
    try {
      const info = await transport.sendMail({
        from: smtp.from,
        to: settings.address,
        subject: headline(message),
        text: plainText(message),
        messageId: id,
        ...(replyTo ? { replyTo } : {}),
        headers: { 'X-Afterhours-Message': messageId, 'Auto-Submitted': 'auto-generated' },
      });
      return { providerRef: info.messageId ?? id };
    } catch (error) {
      throw classify(error);
    } finally {
      transport.close();
    }
  },
};

/** SMTP 5xx refuses for good (a bad address); 4xx, timeouts and connection errors are worth another try. */
function classify(error: unknown): ChannelError {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const text = e.message ?? String(error);
  if (e.code === 'EAUTH') return new ChannelError(`the mail server refused the hub's sign-in: ${text}`, false, 'hub');
  if (typeof e.responseCode === 'number' && e.responseCode >= 500)
    return new ChannelError(`the mail server refused the message: ${text}`, false);
  return new ChannelError(`the mail server could not take the message: ${text}`, true);
}
