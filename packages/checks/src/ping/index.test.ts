import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../registry.js';
import { describePingFailure, judgePing } from './index.js';
import { parsePingOutput } from './parse.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const thresholds = { maxLossPercent: 0, maxRttMs: 500 };

describe('ping output (captured from Debian 12 iputils-ping)', () => {
  it('reads counts and round trips', () => {
    expect(parsePingOutput(fixture('loopback-up.txt'))).toEqual({
      transmitted: 3,
      received: 3,
      errors: 0,
      lossPercent: 0,
      rttMs: { min: 0.031, avg: 0.036, max: 0.046, mdev: 0.006 },
    });
  });

  it('judges partial loss as degraded', () => {
    const summary = parsePingOutput(fixture('loopback-partial-loss.txt'))!;
    expect(summary).toMatchObject({ transmitted: 5, received: 3, lossPercent: 40 });
    expect(judgePing('127.0.0.1', summary, thresholds)).toMatchObject({
      status: 'degraded',
      latencyMs: 0.055,
      message: '40% packet loss: 3/5 replies from 127.0.0.1, average 0.055 ms',
    });
    expect(judgePing('127.0.0.1', summary, { ...thresholds, maxLossPercent: 50 }).status).toBe('up');
  });

  it('judges no reply as down', () => {
    const summary = parsePingOutput(fixture('loopback-no-reply.txt'))!;
    expect(summary).toMatchObject({ transmitted: 3, received: 0, lossPercent: 100, rttMs: null });
    expect(judgePing('127.0.0.1', summary, thresholds)).toMatchObject({
      status: 'down',
      latencyMs: null,
      message: 'no reply from 127.0.0.1 (3 sent, 100% packet loss)',
    });
  });

  it('judges slow replies as degraded', () => {
    const summary = parsePingOutput(fixture('loopback-up.txt'))!;
    expect(judgePing('127.0.0.1', summary, { maxLossPercent: 0, maxRttMs: 0.01 })).toMatchObject({
      status: 'degraded',
      message: 'slow replies (over 0.01 ms): 3/3 replies from 127.0.0.1, average 0.036 ms',
    });
  });

  it('finds no summary in an error, and names the problem', () => {
    const output = fixture('unknown-host.txt');
    expect(parsePingOutput(output)).toBeNull();
    expect(describePingFailure('no-such-host.invalid', output, 2)).toBe('host name not found: no-such-host.invalid');
  });
});

describe('ping check with the real ping binary', () => {
  const probe = spawnSync('ping', ['-n', '-c', '1', '-W', '1', '127.0.0.1'], { encoding: 'utf8' });
  const why =
    probe.error !== undefined
      ? `ping cannot run here (${probe.error.message}): install the Debian package "iputils-ping" (bash scripts/peers/install.sh)`
      : probe.status !== 0
        ? `ping 127.0.0.1 fails in this sandbox (exit ${probe.status}): ${probe.stderr.trim()}`
        : null;

  it('pings 127.0.0.1', async () => {
    // A missing binary is a failure (CI installs it); only a sandbox that forbids ICMP is reported and tolerated.
    if (probe.error) throw new Error(why!);
    if (why) {
      console.warn(`${why}; the parser is still checked on captured output above`);
      return;
    }
    const result = await runCheck('ping', { host: '127.0.0.1', count: 2, intervalMs: 200 }, { timeoutMs: 5000 });
    expect(result.status).toBe('up');
    expect(result.message).toMatch(/^2\/2 replies from 127\.0\.0\.1, average [\d.]+ ms$/);
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('pings ::1 (IPv6)', async () => {
    if (probe.error) throw new Error(why!);
    const v6 = spawnSync('ping', ['-n', '-c', '1', '-W', '1', '::1'], { encoding: 'utf8' });
    if (why || v6.status !== 0) {
      console.warn(`ping ::1 cannot run in this sandbox (exit ${v6.status}): ${v6.stderr.trim()}`);
      return;
    }
    const result = await runCheck('ping', { host: '::1', count: 2, intervalMs: 200 }, { timeoutMs: 5000 });
    expect(result).toMatchObject({ status: 'up', details: { transmitted: 2, received: 2 } });
    expect(result.message).toMatch(/^2\/2 replies from ::1, average [\d.]+ ms$/);
  });
});
