import { createDecipheriv, type createECDH, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { ChannelKind } from '@afterhours/shared';
import type { AppContext } from '../context.js';
import { saveHubChannel } from '../domain/notify/hub-channels.js';
import { newId } from '../lib/ids.js';

/** A real SMTP server on loopback that keeps every message it receives, parsed. */
export async function startSmtpSink(): Promise<{ port: number; mails: ParsedMail[]; close(): Promise<void> }> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'hub' && auth.password === 'smtp-secret') return callback(null, { user: 'hub' });
      callback(new Error('bad credentials'));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface SunkRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  text: string;
  json(): any;
}

/**
 * An HTTP server on loopback standing in for a channel's service: keeps each request, answers with
 * `respond` (200 "ok" by default; return null to never answer, as a hung service does).
 */
export async function startHttpSink(
  respond: (req: SunkRequest, n: number) => { status: number; body?: string } | null = () => ({
    status: 200,
    body: 'ok',
  }),
): Promise<{ url: string; requests: SunkRequest[]; close(): Promise<void> }> {
  const requests: SunkRequest[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const sunk: SunkRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        text: body.toString('utf8'),
        json: () => JSON.parse(body.toString('utf8')),
      };
      requests.push(sunk);
      const answer = respond(sunk, requests.length);
      if (!answer) {
        held.push(res);
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A verified contact method, straight into the database (settings encrypted as the API stores them). */
export async function insertContactMethod(
  ctx: Pick<AppContext, 'db' | 'secrets'>,
  userId: string,
  kind: ChannelKind,
  settings: object,
  overrides: { label?: string; verified?: boolean; createdAt?: string } = {},
): Promise<string> {
  const id = newId();
  const at = overrides.createdAt ?? '2026-11-20T17:00:00.000Z';
  await ctx.db.kysely
    .insertInto('contact_methods')
    .values({
      id,
      user_id: userId,
      kind,
      label: overrides.label ?? kind,
      settings_enc: ctx.secrets.encrypt(JSON.stringify(settings)),
      summary: kind,
      verified_at: overrides.verified === false ? null : at,
      verify_code_hash: null,
      verify_expires_at: null,
      verify_failures: 0,
      broken_at: null,
      broken_reason: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

/** Points the hub's outgoing mail at a loopback SMTP server. */
export async function useSmtpSink(ctx: Pick<AppContext, 'db' | 'secrets'>, port: number, auth = false) {
  await saveHubChannel(
    ctx.db.kysely,
    ctx.secrets,
    'smtp',
    {
      host: '127.0.0.1',
      port,
      security: 'none',
      ...(auth ? { username: 'hub', password: 'smtp-secret' } : {}),
      from: 'Afterhours <alerts@desk.example>',
    },
    null,
    '2026-11-20T17:00:00.000Z',
  );
}

/** RFC 8291 (Message Encryption for Web Push) over RFC 8188 aes128gcm, one record, as a browser decrypts it. */
export function decryptAes128gcm(body: Buffer, ua: ReturnType<typeof createECDH>, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idlen = body[20] ?? 0;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();
  const ecdhSecret = ua.computeSecret(asPublic);
  const prkKey = hmac(authSecret, ecdhSecret);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.getPublicKey(), asPublic, Buffer.from([1])]);
  const ikm = hmac(prkKey, keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('not the last record: the delimiter is missing');
  return padded.subarray(0, end);
}
