import type { Socket } from 'node:net';
import { z } from 'zod';
import { defineCheck } from '../types.js';
import { Host, Port } from '../lib/params.js';
import { connect, describeNetError, elapsedSince, where } from '../lib/net.js';
import { LineReader } from '../lib/lines.js';

export const sshParams = z.strictObject({
  host: Host,
  port: Port.default(22),
  /** Optional text the banner must contain, e.g. "OpenSSH". */
  bannerContains: z.string().min(1, { error: 'must not be empty; leave it out to accept any banner' }).optional(),
});

/** RFC 4253 §4.2: a server may send other lines before its "SSH-" identification line. */
const MAX_PRELUDE_LINES = 20;

export const ssh = defineCheck({
  kind: 'ssh',
  label: 'SSH banner',
  params: sshParams,
  async run({ host, port, bannerContains }, { signal }) {
    const start = process.hrtime.bigint();
    let socket: Socket | undefined;
    try {
      socket = await connect({ host, port, signal });
      const reader = new LineReader(socket, 255 * 4);
      for (let i = 0; i < MAX_PRELUDE_LINES; i++) {
        const line = await reader.next();
        if (!line.startsWith('SSH-')) continue;
        const latencyMs = elapsedSince(start);
        const [, protocol = '', software = ''] = /^SSH-([^-]+)-(\S*)/.exec(line) ?? [];
        const details = { banner: line, protocol, software };
        if (protocol !== '2.0' && protocol !== '1.99') {
          return {
            status: 'degraded',
            latencyMs,
            message: `${line}: server only speaks SSH protocol ${protocol}`,
            details,
          };
        }
        if (bannerContains && !line.includes(bannerContains)) {
          return {
            status: 'down',
            latencyMs,
            message: `${line}: banner does not contain "${bannerContains}"`,
            details,
          };
        }
        return { status: 'up', latencyMs, message: line, details };
      }
      return {
        status: 'down',
        latencyMs: null,
        message: `${where(host, port)} answered but sent no SSH identification`,
      };
    } catch (err) {
      return { status: 'down', latencyMs: null, message: describeNetError(err, host, port) };
    } finally {
      socket?.destroy();
    }
  },
});
