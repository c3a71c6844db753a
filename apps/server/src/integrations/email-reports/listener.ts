import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AppContext } from '../../context.js';
import type { SmtpSettings } from '../../domain/heartbeats/settings.js';
import { RateLimiter } from '../../domain/heartbeats/rate-limit.js';
import { DEFAULT_HEARTBEAT_SETTINGS } from '../../domain/heartbeats/settings.js';
import { emailReply, REPLY_ADDRESS } from '../../domain/notify/inbound.js';
import { deliverReport, findRecipient } from './deliver.js';

/** The message id of reply+<id>@<one of our domains>, or null. */
function isReplyAddress(address: string, domains: string[]): string | null {
  const id = REPLY_ADDRESS.exec(address)?.[1];
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return id && domains.includes(domain) ? id.toLowerCase() : null;
}

export interface EmailReportListener {
  port: number;
  close(): Promise<void>;
}

/** An SMTP error with its reply code, as smtp-server sends it back to the sender. */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * The SMTP listener for e-mailed backup reports: accepts mail only for <local part>@<configured domain>
 * of a heartbeat with e-mail reports on (550 for anything else, so it is no open relay), up to the size
 * limit (552 past it), without authentication or TLS (put it behind the firm's mail relay for that).
 * Each message becomes a ping of its heartbeat, answered 250 once stored. Replies to notifications come to
 * reply+<message id>@<domain>: an "ack" there acknowledges what the message was about.
 */
export async function startEmailReports(ctx: AppContext, settings: SmtpSettings): Promise<EmailReportListener> {
  const heartbeat = ctx.settings.heartbeats ?? DEFAULT_HEARTBEAT_SETTINGS;
  const limiter = new RateLimiter(heartbeat.ratePerHeartbeat, heartbeat.burstPerHeartbeat);
  const server = new SMTPServer({
    name: settings.domains[0] ?? 'afterhours',
    banner: 'Afterhours backup reports',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: settings.maxBytes,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: false,
    async onRcptTo(address, _session, callback) {
      try {
        if (isReplyAddress(address.address, settings.domains)) return callback();
        const found = await findRecipient(ctx.db.kysely, address.address, settings.domains);
        callback(found ? undefined : smtpError(550, `No such report address: ${address.address}`));
      } catch (error) {
        ctx.log.error({ err: error }, 'e-mail reports: recipient lookup failed');
        callback(smtpError(451, 'Try again later'));
      }
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, `Message larger than ${settings.maxBytes} bytes`));
        const raw = Buffer.concat(chunks);
        void receive(ctx, raw, session, settings, limiter).then(
          () => callback(),
          (error: unknown) => {
            ctx.log.error({ err: error }, 'e-mail reports: could not store a report');
            callback(smtpError(451, 'Could not store the report; try again later'));
          },
        );
      });
    },
  });
  server.on('error', (error) => ctx.log.warn({ err: error }, 'e-mail reports: SMTP error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port ?? 0, settings.host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  ctx.log.info({ port, domains: settings.domains }, 'e-mail reports: SMTP listener is running');
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function receive(
  ctx: AppContext,
  raw: Buffer,
  session: SMTPServerSession,
  settings: SmtpSettings,
  limiter: RateLimiter,
): Promise<void> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const text = parsed.text ?? (typeof parsed.html === 'string' ? parsed.html.replace(/<[^>]+>/g, ' ') : '');
  const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const message = { from: parsed.from?.value[0]?.address ?? envelopeFrom, subject: parsed.subject ?? '', text };
  for (const rcpt of session.envelope.rcptTo) {
    const reply = isReplyAddress(rcpt.address, settings.domains);
    if (reply) {
      // A reply to a notification ("ack"): the address carries the message it answers.
      await emailReply(ctx, reply, message.from, text);
      continue;
    }
    await deliverReport(ctx, limiter, {
      to: rcpt.address,
      domains: settings.domains,
      message,
      remoteAddr: session.remoteAddress,
      helo: session.hostNameAppearsAs ?? '',
      size: raw.length,
    });
  }
}
