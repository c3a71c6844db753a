import { spawn } from 'node:child_process';
import { z } from 'zod';
import { defineCheck, type CheckResult } from '../types.js';
import { Host } from '../lib/params.js';
import { parsePingOutput, type PingSummary } from './parse.js';

export const pingParams = z.strictObject({
  host: Host,
  count: z
    .number()
    .int()
    .min(1, { error: 'must be 1 to 20 packets' })
    .max(20, { error: 'must be 1 to 20 packets' })
    .default(3),
  /** Time between packets; iputils refuses less than 200 ms without privileges. */
  intervalMs: z
    .number()
    .int()
    .min(200, { error: 'must be at least 200 ms' })
    .max(10_000, { error: 'must be at most 10000 ms' })
    .default(500),
  /** Loss above this (in percent) is degraded; losing every packet is down. */
  maxLossPercent: z.number().min(0, { error: 'must be 0 to 100' }).max(100, { error: 'must be 0 to 100' }).default(0),
  /** Average round trip above this is degraded. */
  maxRttMs: z.number().positive({ error: 'must be more than 0 ms' }).default(500),
});
type PingParams = z.output<typeof pingParams>;

interface Run {
  code: number | null;
  output: string;
  spawnError?: NodeJS.ErrnoException;
}

function runPing(args: string[], signal: AbortSignal): Promise<Run> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn('ping', args, {
      signal,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', (err: NodeJS.ErrnoException) => resolve({ code: null, output, spawnError: err }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

export function judgePing(
  host: string,
  summary: PingSummary,
  params: Pick<PingParams, 'maxLossPercent' | 'maxRttMs'>,
): CheckResult {
  const { transmitted, received, lossPercent, rttMs } = summary;
  const details = { ...summary };
  if (received === 0) {
    return {
      status: 'down',
      latencyMs: null,
      message: `no reply from ${host} (${transmitted} sent, 100% packet loss)`,
      details,
    };
  }
  const avg = rttMs?.avg ?? null;
  const rtt = avg === null ? '' : `, average ${avg} ms`;
  const summaryText = `${received}/${transmitted} replies from ${host}${rtt}`;
  if (lossPercent > params.maxLossPercent) {
    return { status: 'degraded', latencyMs: avg, message: `${lossPercent}% packet loss: ${summaryText}`, details };
  }
  if (avg !== null && avg > params.maxRttMs) {
    return {
      status: 'degraded',
      latencyMs: avg,
      message: `slow replies (over ${params.maxRttMs} ms): ${summaryText}`,
      details,
    };
  }
  return { status: 'up', latencyMs: avg, message: summaryText, details };
}

/** Words for a ping that printed no statistics (bad name, no permission…). */
export function describePingFailure(host: string, output: string, code: number | null): string {
  const text = output.trim().split('\n').at(-1) ?? '';
  if (/Name or service not known|unknown host|Temporary failure in name resolution|No address associated/i.test(text)) {
    return `host name not found: ${host}`;
  }
  if (/Operation not permitted|Permission denied/i.test(text)) {
    return `this probe is not allowed to ping (${text}); allow ICMP sockets (net.ipv4.ping_group_range) or give ping cap_net_raw`;
  }
  return `ping failed: ${text || `exit code ${code}`}`;
}

export const ping = defineCheck({
  kind: 'ping',
  label: 'Ping (ICMP echo)',
  params: pingParams,
  async run(params, { signal, timeoutMs }) {
    const { host, count, intervalMs } = params;
    // Ask ping to stop on its own a little before our deadline, so a partial answer still counts.
    const deadlineS = Math.max(1, Math.floor((timeoutMs - 250) / 1000));
    const waitS = Math.max(1, Math.min(5, deadlineS));
    const args = [
      '-n',
      '-c',
      String(count),
      '-i',
      String(intervalMs / 1000),
      '-W',
      String(waitS),
      '-w',
      String(deadlineS),
      host,
    ];
    const result = await runPing(args, signal);
    if (result.spawnError) {
      if (result.spawnError.code === 'ENOENT') {
        return {
          status: 'down',
          latencyMs: null,
          message: 'ping is not installed on this probe (Debian package iputils-ping)',
        };
      }
      return { status: 'down', latencyMs: null, message: `could not run ping: ${result.spawnError.message}` };
    }
    const summary = parsePingOutput(result.output);
    if (summary) return judgePing(host, summary, params);
    return { status: 'down', latencyMs: null, message: describePingFailure(host, result.output, result.code) };
  },
});
