import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import { defineCheck, type CheckResult } from '../types.js';
import { Host, MailSecurity, Password, Port, Username, WarnDays, bothOrNeither } from '../lib/params.js';
import { connect, elapsedSince, startTls } from '../lib/net.js';
import { LineReader, send } from '../lib/lines.js';
import { ConversationFailure, holdConversation } from '../lib/conversation.js';
import { judgeCertificate, worst, type CertificateVerdict } from '../lib/cert.js';

export const smtpParams = z
  .strictObject({
    host: Host,
    /** Default: 465 for tls, 25 otherwise (use 587 for a submission server with STARTTLS). */
    port: Port.optional(),
    security: MailSecurity.default('plain'),
    /** Name we give in EHLO. */
    ehloName: Host.default('afterhours.invalid'),
    /** When set, AUTH (PLAIN or LOGIN) must succeed. */
    username: Username.optional(),
    password: Password.optional(),
    certExpiryWarnDays: WarnDays.default(14),
    acceptSelfSigned: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .superRefine(bothOrNeither);
type SmtpParams = z.output<typeof smtpParams>;

interface Reply {
  code: number;
  lines: string[];
  text: string;
}

async function reply(reader: LineReader): Promise<Reply> {
  const lines: string[] = [];
  for (;;) {
    const line = await reader.next();
    const match = /^(\d{3})([ -]?)(.*)$/.exec(line);
    if (!match) throw new Error(`not an SMTP reply: "${line.slice(0, 80)}"`);
    lines.push(match[3]!);
    if (match[2] !== '-') return { code: Number(match[1]), lines, text: `${match[1]} ${lines[0]}`.trim() };
  }
}

/** One SMTP conversation: each step either returns or throws a ConversationFailure that says what the server did. */
class Session {
  constructor(
    public socket: Socket,
    public reader: LineReader,
  ) {}

  async command(line: string, expected: number, what: string): Promise<Reply> {
    send(this.socket, line);
    const answer = await reply(this.reader);
    if (answer.code !== expected)
      throw new ConversationFailure(`${what} refused: ${answer.code} ${answer.lines.join(' ')}`);
    return answer;
  }
}

async function authenticate(
  session: Session,
  extensions: string[],
  username: string,
  password: string,
): Promise<string> {
  const auth = extensions.find((e) => /^AUTH[ =]/i.test(e));
  if (!auth)
    throw new ConversationFailure('server does not offer AUTH on this connection (many only offer it after STARTTLS)');
  const mechanisms = auth.slice(5).toUpperCase().split(/\s+/);
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  if (mechanisms.includes('PLAIN')) {
    await session.command(`AUTH PLAIN ${b64(`\0${username}\0${password}`)}`, 235, `login as ${username}`);
    return 'PLAIN';
  }
  if (mechanisms.includes('LOGIN')) {
    await session.command('AUTH LOGIN', 334, 'AUTH LOGIN');
    await session.command(b64(username), 334, `login as ${username}`);
    await session.command(b64(password), 235, `login as ${username}`);
    return 'LOGIN';
  }
  throw new ConversationFailure(`server offers no password login we speak (AUTH ${mechanisms.join(' ')})`);
}

async function converse(
  params: SmtpParams,
  port: number,
  signal: AbortSignal,
  track: (s: Socket) => void,
): Promise<CheckResult> {
  const { host, security } = params;
  const start = process.hrtime.bigint();
  let socket = await connect({ host, port, signal, tls: security === 'tls' ? {} : undefined });
  track(socket);
  const session = new Session(socket, new LineReader(socket));
  const banner = await reply(session.reader);
  if (banner.code !== 220) throw new ConversationFailure(`server turned us away: ${banner.text}`);
  const steps: string[] = [];
  let ehlo = await session.command(`EHLO ${params.ehloName}`, 250, 'EHLO');
  let certificate: CertificateVerdict | null = null;
  if (security === 'starttls') {
    if (!ehlo.lines.some((l) => /^STARTTLS\b/i.test(l)))
      throw new ConversationFailure(`SMTP ${banner.text}: server does not offer STARTTLS`);
    await session.command('STARTTLS', 220, 'STARTTLS');
    session.reader.detach();
    socket = await startTls(socket, host, signal);
    track(socket);
    session.socket = socket;
    session.reader = new LineReader(socket);
    ehlo = await session.command(`EHLO ${params.ehloName}`, 250, 'EHLO after STARTTLS');
    steps.push('STARTTLS ok');
  }
  if (security !== 'plain') {
    certificate = judgeCertificate(socket as TLSSocket, {
      hostname: host,
      warnDays: params.certExpiryWarnDays,
      acceptSelfSigned: params.acceptSelfSigned,
    });
    if (certificate.status === 'down') throw new ConversationFailure(certificate.message);
  }
  const extensions = ehlo.lines.slice(1);
  if (params.username !== undefined && params.password !== undefined) {
    const mechanism = await authenticate(session, extensions, params.username, params.password);
    steps.push(`logged in as ${params.username} (${mechanism})`);
  }
  const latencyMs = elapsedSince(start);
  socket.end('QUIT\r\n');
  const status = worst(certificate?.status ?? 'up');
  const parts = [
    `SMTP ${banner.text}`,
    ...steps,
    ...(status === 'degraded' && certificate ? [certificate.message] : []),
  ];
  return {
    status,
    latencyMs,
    message: parts.join('; '),
    details: { banner: banner.text, extensions, certificate: certificate?.certificate ?? null },
  };
}

export const smtp = defineCheck({
  kind: 'smtp',
  label: 'Mail server (SMTP)',
  params: smtpParams,
  async run(params, { signal }) {
    const port = params.port ?? (params.security === 'tls' ? 465 : 25);
    return holdConversation(params.host, port, (hold) => converse(params, port, signal, hold));
  },
});
