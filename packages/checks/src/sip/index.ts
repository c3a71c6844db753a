import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import type { Socket } from 'node:net';
import { z } from 'zod';
import { defineCheck, type CheckResult } from '../types.js';
import { Host, Port, StatusCodes, statusCodeMatcher } from '../lib/params.js';
import { connect, describeNetError, elapsedSince, where } from '../lib/net.js';
import { answers, buildOptions, parseResponse, splitStream, type SipResponse } from './message.js';

export const sipParams = z.strictObject({
  host: Host,
  port: Port.default(5060),
  transport: z.enum(['udp', 'tcp'], { error: 'must be udp or tcp' }).default('udp'),
  /** Final response codes that mean the phone system is working. */
  expectedStatus: StatusCodes.default('200-299'),
  /** Also count 401, 403, 404 and 407 as up: the phone system answered, it just wants us to log in or does not know us. */
  authResponsesCountAsUp: z.boolean({ error: 'must be true or false' }).default(false),
  fromUser: z
    .string()
    .regex(/^[A-Za-z0-9._~-]{1,64}$/, { error: 'must be a SIP user name such as afterhours' })
    .default('afterhours'),
});
type SipParams = z.output<typeof sipParams>;

/** RFC 3261 timers: retransmit over UDP after T1, doubling up to T2. */
const T1 = 500;
const T2 = 4000;

interface Exchange {
  response: SipResponse;
  latencyMs: number;
}

async function overUdp(params: SipParams, signal: AbortSignal): Promise<Exchange> {
  const { address, family } = await lookup(params.host);
  const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
  const onAbort = () => socket.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(params.port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const local = socket.address();
    const request = buildOptions({
      transport: 'udp',
      target: { host: params.host, port: params.port },
      local: { host: local.address, port: local.port },
      fromUser: params.fromUser,
    });
    const start = process.hrtime.bigint();
    return await new Promise<Exchange>((resolve, reject) => {
      let interval = T1;
      let timer: NodeJS.Timeout;
      const transmit = () => {
        socket.send(request.text, (err) => err && reject(err));
        timer = setTimeout(transmit, interval);
        interval = Math.min(interval * 2, T2);
      };
      socket.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.on('close', () => {
        clearTimeout(timer);
        reject(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
      });
      socket.on('message', (datagram) => {
        const text = datagram.toString('utf8');
        const end = text.indexOf('\r\n\r\n');
        const response = parseResponse(end >= 0 ? text.slice(0, end) : text);
        if (!response || !answers(response, request)) return;
        if (response.code < 200) {
          interval = T2; // provisional: the peer is working on it, keep asking slowly
          return;
        }
        clearTimeout(timer);
        resolve({ response, latencyMs: elapsedSince(start) });
      });
      transmit();
    });
  } finally {
    signal.removeEventListener('abort', onAbort);
    try {
      socket.close();
    } catch {
      // already closed
    }
  }
}

async function overTcp(params: SipParams, signal: AbortSignal): Promise<Exchange> {
  let socket: Socket | undefined;
  try {
    socket = await connect({ host: params.host, port: params.port, signal });
    const request = buildOptions({
      transport: 'tcp',
      target: { host: params.host, port: params.port },
      local: { host: socket.localAddress ?? '0.0.0.0', port: socket.localPort ?? 0 },
      fromUser: params.fromUser,
    });
    const start = process.hrtime.bigint();
    const connection = socket;
    return await new Promise<Exchange>((resolve, reject) => {
      let buffer: Buffer = Buffer.alloc(0);
      connection.on('data', (chunk: Buffer) => {
        const { heads, rest } = splitStream(Buffer.concat([buffer, chunk]));
        buffer = rest;
        for (const head of heads) {
          const response = parseResponse(head);
          if (response && answers(response, request) && response.code >= 200) {
            resolve({ response, latencyMs: elapsedSince(start) });
          }
        }
      });
      connection.on('error', reject);
      connection.on('close', () => reject(Object.assign(new Error('closed'), { code: 'ECLOSED' })));
      connection.write(request.text);
    });
  } finally {
    socket?.destroy();
  }
}

function judge(params: SipParams, { response, latencyMs }: Exchange): CheckResult {
  const { code, reason, headers } = response;
  const from = headers.server ?? headers['user-agent'];
  const said = `SIP ${code} ${reason}${from ? ` from ${from}` : ''}`;
  const details = { code, reason, server: from ?? null, transport: params.transport };
  const expected = statusCodeMatcher(params.expectedStatus);
  if (expected(code)) return { status: 'up', latencyMs, message: said, details };
  if (params.authResponsesCountAsUp && [401, 403, 404, 407].includes(code)) {
    return { status: 'up', latencyMs, message: `${said} (the phone system answers)`, details };
  }
  return { status: 'down', latencyMs, message: `${said} (expected ${params.expectedStatus})`, details };
}

export const sip = defineCheck({
  kind: 'sip',
  label: 'Phone system (SIP OPTIONS)',
  params: sipParams,
  async run(params, { signal }) {
    try {
      const exchange = params.transport === 'udp' ? await overUdp(params, signal) : await overTcp(params, signal);
      return judge(params, exchange);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (params.transport === 'udp' && code === 'ECONNREFUSED') {
        return {
          status: 'down',
          latencyMs: null,
          message: `nothing listens for SIP on udp ${where(params.host, params.port)} (port unreachable)`,
        };
      }
      return { status: 'down', latencyMs: null, message: describeNetError(err, params.host, params.port) };
    }
  },
});
