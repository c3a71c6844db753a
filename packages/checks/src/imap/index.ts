import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import { defineCheck, type CheckResult } from '../types.js';
import { Host, MailSecurity, Password, Port, Username, WarnDays, bothOrNeither } from '../lib/params.js';
import { connect, elapsedSince, startTls } from '../lib/net.js';
import { LineReader, send } from '../lib/lines.js';
import { ConversationFailure, holdConversation } from '../lib/conversation.js';
import { judgeCertificate, type CertificateVerdict } from '../lib/cert.js';

export const imapParams = z
  .strictObject({
    host: Host,
    /** Default: 993 for tls, 143 otherwise. */
    port: Port.optional(),
    security: MailSecurity.default('plain'),
    /** When set, LOGIN must succeed. */
    username: Username.optional(),
    password: Password.optional(),
    certExpiryWarnDays: WarnDays.default(14),
    acceptSelfSigned: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .superRefine(bothOrNeither);
type ImapParams = z.output<typeof imapParams>;

/** An IMAP quoted string (RFC 3501 §4.3). */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** Sends a tagged command and returns the tagged completion line, skipping untagged data. */
async function command(
  socket: Socket,
  reader: LineReader,
  tag: string,
  text: string,
): Promise<{ ok: boolean; line: string }> {
  send(socket, `${tag} ${text}`);
  for (;;) {
    const line = await reader.next();
    if (!line.startsWith(`${tag} `)) continue;
    const rest = line.slice(tag.length + 1);
    return { ok: /^OK\b/i.test(rest), line: rest };
  }
}

async function converse(
  params: ImapParams,
  port: number,
  signal: AbortSignal,
  track: (s: Socket) => void,
): Promise<CheckResult> {
  const { host, security } = params;
  const start = process.hrtime.bigint();
  let socket = await connect({ host, port, signal, tls: security === 'tls' ? {} : undefined });
  track(socket);
  let reader = new LineReader(socket);
  const greeting = await reader.next();
  if (/^\* BYE\b/i.test(greeting)) throw new ConversationFailure(`server turned us away: ${greeting}`);
  if (!/^\* (OK|PREAUTH)\b/i.test(greeting))
    throw new ConversationFailure(`not an IMAP greeting: "${greeting.slice(0, 80)}"`);
  const steps: string[] = [];
  if (security === 'starttls') {
    const answer = await command(socket, reader, 'a1', 'STARTTLS');
    if (!answer.ok) throw new ConversationFailure(`STARTTLS refused: ${answer.line}`);
    reader.detach();
    socket = await startTls(socket, host, signal);
    track(socket);
    reader = new LineReader(socket);
    steps.push('STARTTLS ok');
  }
  let certificate: CertificateVerdict | null = null;
  if (security !== 'plain') {
    certificate = judgeCertificate(socket as TLSSocket, {
      hostname: host,
      warnDays: params.certExpiryWarnDays,
      acceptSelfSigned: params.acceptSelfSigned,
    });
    if (certificate.status === 'down') throw new ConversationFailure(certificate.message);
  }
  if (params.username !== undefined && params.password !== undefined) {
    const answer = await command(socket, reader, 'a2', `LOGIN ${quote(params.username)} ${quote(params.password)}`);
    if (!answer.ok) throw new ConversationFailure(`login as ${params.username} refused: ${answer.line}`);
    steps.push(`logged in as ${params.username}`);
  }
  const latencyMs = elapsedSince(start);
  socket.end('a3 LOGOUT\r\n');
  const banner = greeting
    .replace(/^\* /, '')
    .replace(/\[CAPABILITY [^\]]*\]\s*/i, '')
    .replace(/\.$/, '');
  const status = certificate?.status === 'degraded' ? 'degraded' : 'up';
  const parts = [`IMAP ${banner}`, ...steps, ...(status === 'degraded' && certificate ? [certificate.message] : [])];
  return {
    status,
    latencyMs,
    message: parts.join('; '),
    details: { greeting, certificate: certificate?.certificate ?? null },
  };
}

export const imap = defineCheck({
  kind: 'imap',
  label: 'Mailbox server (IMAP)',
  params: imapParams,
  async run(params, { signal }) {
    const port = params.port ?? (params.security === 'tls' ? 993 : 143);
    return holdConversation(params.host, port, (hold) => converse(params, port, signal, hold));
  },
});
