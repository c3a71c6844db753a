import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentResult } from '@afterhours/shared';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

const result = (n: number): AgentResult => ({
  checkId: `c${n}`,
  at: new Date(1_700_000_000_000 + n).toISOString(),
  status: 'up',
  latencyMs: n,
  message: 'ok',
});
const results = (count: number, from = 0) => Array.from({ length: count }, (_, i) => result(from + i));

describe('the disk buffer', () => {
  let dir: string;
  let now: number;
  let warnings: string[];
  const log = () => {
    const logger = pino({ level: 'silent' });
    logger.warn = ((_: unknown, msg: string) => void warnings.push(msg)) as typeof logger.warn;
    return logger;
  };
  const open = (bounds: Partial<{ maxBytes: number; maxAgeMs: number }> = {}) =>
    Outbox.open({ dir, maxBytes: 50 * 1024 * 1024, maxAgeMs: 7 * 86_400_000, ...bounds, now: () => now, log: log() });

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'agent-outbox-')), 'outbox');
    now = Date.parse('2026-11-20T17:00:00Z');
    warnings = [];
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('numbers batches from 1, keeps them on disk until acknowledged, and reads them back', async () => {
    const outbox = await open();
    expect(await outbox.append(results(3))).toBe(1);
    expect(await outbox.append(results(2, 3))).toBe(2);
    expect(outbox.pendingSeqs()).toEqual([1, 2]);
    expect(outbox.backlog).toBe(5);
    expect((await outbox.read(2))?.results).toEqual(results(2, 3));
    await outbox.acknowledge(1);
    expect(outbox.pendingSeqs()).toEqual([2]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('carries on numbering and finds the unacknowledged batches after a restart', async () => {
    const first = await open();
    await first.append(results(1));
    await first.append(results(4));
    await first.acknowledge(2);
    await first.append(results(2));
    const again = await open();
    expect(again.lastSeq).toBe(3);
    expect(again.pendingSeqs()).toEqual([3]);
    expect(again.backlog).toBe(2);
    expect(await again.append(results(1))).toBe(4);
  });

  it('keeps numbering above what the hub has stored when the hub is ahead', async () => {
    const outbox = await open();
    await outbox.append(results(1));
    await outbox.raiseSeqTo(40);
    expect(await outbox.append(results(1))).toBe(41);
    expect((await open()).lastSeq).toBe(41);
  });

  it('cleans up a write a crash cut short, and ignores files it did not write', async () => {
    const outbox = await open();
    await outbox.append(results(1));
    writeFileSync(join(dir, '000000000002-1-1.json.tmp'), '{"seq":2,');
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const again = await open();
    expect(again.pendingSeqs()).toEqual([1]);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('writes its files for its owner only', async () => {
    const outbox = await open();
    await outbox.append(results(1));
    for (const file of readdirSync(dir)) expect(statSync(join(dir, file)).mode & 0o077).toBe(0);
  });

  it('drops the oldest batches, with a warning, when it grows past its size', async () => {
    const outbox = await open({ maxBytes: 10_000 });
    for (let i = 0; i < 20; i++) await outbox.append(results(10, i * 10));
    expect(outbox.bytes).toBeLessThanOrEqual(10_000);
    const kept = outbox.pendingSeqs();
    expect(kept.at(-1)).toBe(20);
    expect(kept[0]).toBeGreaterThan(1);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => kept[0]! + i)); // the newest, contiguous
    expect(warnings.some((w) => w.includes('buffer is full'))).toBe(true);
  });

  it('drops batches older than its age bound, at start and as it writes', async () => {
    const outbox = await open({ maxAgeMs: 3600_000 });
    await outbox.append(results(2));
    now += 30 * 60_000;
    await outbox.append(results(2));
    now += 45 * 60_000;
    await outbox.append(results(2));
    expect(outbox.pendingSeqs()).toEqual([2, 3]);
    now += 2 * 3600_000;
    const again = await open({ maxAgeMs: 3600_000 });
    expect(again.pendingSeqs()).toEqual([]);
    expect(again.lastSeq).toBe(3);
    expect(warnings.filter((w) => w.includes('older than'))).toHaveLength(2);
  });

  it('keeps the newest batch even when it alone is larger than the bound', async () => {
    const outbox = await open({ maxBytes: 100 });
    await outbox.append(results(5));
    await outbox.append(results(5));
    expect(outbox.pendingSeqs()).toEqual([2]);
  });
});
