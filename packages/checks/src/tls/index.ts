import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import { defineCheck } from '../types.js';
import { Host, Port, WarnDays } from '../lib/params.js';
import { connect, describeNetError, elapsedSince } from '../lib/net.js';
import { judgeCertificate } from '../lib/cert.js';

export const tlsParams = z.strictObject({
  host: Host,
  port: Port.default(443),
  /** Name to ask for (SNI) and to check the certificate against, when it differs from host (e.g. host is an IP). */
  servername: Host.optional(),
  warnDays: WarnDays.default(14),
  acceptSelfSigned: z.boolean({ error: 'must be true or false' }).default(false),
});

export const tls = defineCheck({
  kind: 'tls',
  label: 'TLS certificate',
  params: tlsParams,
  async run({ host, port, servername, warnDays, acceptSelfSigned }, { signal }) {
    const start = process.hrtime.bigint();
    let socket: TLSSocket | undefined;
    try {
      socket = (await connect({ host, port, signal, tls: { servername } })) as TLSSocket;
      const latencyMs = elapsedSince(start);
      const verdict = judgeCertificate(socket, { hostname: servername ?? host, warnDays, acceptSelfSigned });
      return {
        status: verdict.status,
        latencyMs,
        message: verdict.message,
        details: { certificate: verdict.certificate, protocol: socket.getProtocol() },
      };
    } catch (err) {
      return { status: 'down', latencyMs: null, message: describeNetError(err, host, port) };
    } finally {
      socket?.destroy();
    }
  },
});
