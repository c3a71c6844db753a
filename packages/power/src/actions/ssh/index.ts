import { createHash } from 'node:crypto';
import { Client } from 'ssh2';
import { z } from 'zod';
import { describeNetError, where } from '@afterhours/checks';
import { defineAction, type ActionResult } from '../types.js';

export const sshSettings = z
  .strictObject({
    host: z.string().trim().min(1, { error: 'is required' }),
    port: z.number().int().min(1).max(65_535).default(22),
    username: z.string().min(1, { error: 'is required' }),
    password: z.string().optional(),
    /** OpenSSH private key (PEM / OpenSSH format). */
    privateKey: z.string().optional(),
    /** Default for Linux; Windows OpenSSH: shutdown /s /t 0. */
    command: z.string().min(1).default('sudo shutdown -h now'),
    /** SHA256:… of the host key; empty until the first connection pins it. */
    hostKey: z.string().optional(),
  })
  .refine((s) => s.password !== undefined || s.privateKey !== undefined, {
    error: 'needs a password or a private key',
    path: ['password'],
  });
export type SshSettings = z.output<typeof sshSettings>;

export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Runs the shutdown command over SSH. The host key is pinned on first use: with no hostKey set, the
 * key seen is returned as pinnedHostKey for the caller to store; with one set, any other key is refused.
 * A connection dropped after the command started counts as sent (the system is going down).
 */
export function runSsh(s: SshSettings, timeoutMs: number): Promise<ActionResult> {
  const at = `ssh ${s.username}@${where(s.host, s.port)}`;
  return new Promise((resolve) => {
    const client = new Client();
    let seenKey: string | undefined;
    let started = false;
    let settled = false;
    const done = (result: ActionResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      resolve(seenKey && !s.hostKey ? { ...result, pinnedHostKey: seenKey } : result);
    };
    const timer = setTimeout(
      () =>
        done(
          started
            ? { ok: true, message: `${at}: "${s.command}" sent; no exit status within ${timeoutMs} ms` }
            : { ok: false, message: `${at}: no answer within ${timeoutMs} ms` },
        ),
      timeoutMs,
    );
    client.on('ready', () => {
      client.exec(s.command, (err, stream) => {
        if (err) return done({ ok: false, message: `${at}: could not run the command: ${err.message}` });
        started = true;
        let output = '';
        stream.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-500)));
        stream.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-500)));
        stream.on('close', (code: number | null) => {
          const tail = output.trim() ? ` — ${output.trim().split('\n').pop()}` : '';
          done(
            code === 0 || code === null
              ? { ok: true, message: `${at}: "${s.command}" sent (exit ${code ?? 'none: connection closed'})${tail}` }
              : { ok: false, message: `${at}: "${s.command}" failed with exit ${code}${tail}` },
          );
        });
      });
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (started)
        return done({ ok: true, message: `${at}: "${s.command}" sent; connection dropped (${err.message})` });
      if (err.level === 'client-authentication')
        return done({ ok: false, message: `${at}: login refused (check the user name, password or key)` });
      if (/host key|host denied/i.test(err.message) || err.level === 'client-verification')
        return done({
          ok: false,
          message: `${at}: host key changed (the server shows ${seenKey ?? 'another key'}, pinned is ${s.hostKey}); nothing sent. If the server was reinstalled, an owner or admin can re-pin its key on the site's Power screen`,
          ...(seenKey ? { refusedHostKey: seenKey } : {}),
        });
      done({ ok: false, message: `${at}: ${describeNetError(err, s.host, s.port)}` });
    });
    client.on('close', () => {
      if (started) done({ ok: true, message: `${at}: "${s.command}" sent; connection closed` });
      else done({ ok: false, message: `${at}: connection closed before the command ran` });
    });
    client.connect({
      host: s.host,
      port: s.port,
      username: s.username,
      password: s.password,
      privateKey: s.privateKey,
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        seenKey = fingerprint(key);
        return !s.hostKey || s.hostKey === seenKey;
      },
    });
  });
}

/**
 * The host key a server offers, without logging in (the connection is dropped at key verification): lets
 * the agent pin a key, or notice a changed one, at a quiet moment rather than during a power cut.
 */
export function probeHostKey(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const client = new Client();
    let seen: string | null = null;
    const done = () => {
      clearTimeout(timer);
      client.end();
      resolve(seen);
    };
    const timer = setTimeout(done, timeoutMs);
    client.on('error', done);
    client.on('close', done);
    client.connect({
      host,
      port,
      username: 'afterhours-host-key-probe',
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        seen = fingerprint(key);
        return false;
      },
    });
  });
}

export const ssh = defineAction({
  kind: 'ssh',
  label: 'SSH command',
  settings: sshSettings,
  secrets: ['password', 'privateKey'],
  directions: ['shutdown'],
  describe: (s) => `ssh ${s.username}@${where(s.host, s.port)}: ${s.command}`,
  run: (s, _direction, { timeoutMs }) => runSsh(s, timeoutMs),
});
