import type { CheckResult } from '@afterhours/checks';
import type { AssignedCheck } from '@afterhours/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextSlot, phaseOf, Scheduler } from './scheduler.js';

const check = (id: string, intervalS = 30): AssignedCheck => ({
  id,
  kind: 'tcp',
  params: {},
  intervalS,
  timeoutMs: 5000,
});
const UP: CheckResult = { status: 'up', latencyMs: 1, message: 'ok' };

interface Harness {
  scheduler: Scheduler;
  runs: { id: string; startedAt: number }[];
  results: { id: string; startedAt: number }[];
  skips: string[];
  active: () => number;
  maxActive: () => number;
  release: (id?: string) => void;
}

/** A scheduler whose runs take `durationMs` of fake time, or hang until released when durationMs is 'manual'. */
function harness(options: { concurrency?: number; durationMs?: number | 'manual' } = {}): Harness {
  const runs: Harness['runs'] = [];
  const results: Harness['results'] = [];
  const skips: string[] = [];
  const waiting = new Map<string, (() => void)[]>();
  let active = 0;
  let maxActive = 0;
  const scheduler = new Scheduler({
    now: () => Date.now(),
    concurrency: options.concurrency ?? 100,
    run: (c, signal) =>
      new Promise<CheckResult>((resolve) => {
        runs.push({ id: c.id, startedAt: Date.now() });
        active += 1;
        maxActive = Math.max(maxActive, active);
        const done = () => {
          active -= 1;
          resolve(signal.aborted ? { status: 'down', latencyMs: null, message: 'cancelled' } : UP);
        };
        signal.addEventListener('abort', done, { once: true });
        if (options.durationMs === 'manual') waiting.set(c.id, [...(waiting.get(c.id) ?? []), done]);
        else setTimeout(done, options.durationMs ?? 10);
      }),
    onResult: (c, startedAt) => results.push({ id: c.id, startedAt }),
    onSkip: (c) => skips.push(c.id),
  });
  return {
    scheduler,
    runs,
    results,
    skips,
    active: () => active,
    maxActive: () => maxActive,
    release: (id) => {
      for (const [key, list] of waiting) if (!id || key === id) for (const f of list.splice(0)) f();
    },
  };
}

describe('the agent scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-20T17:00:00.000Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('gives every check a stable phase within its interval', () => {
    expect(phaseOf('abc', 30_000)).toBe(phaseOf('abc', 30_000));
    for (const id of ['a', 'b', 'c', 'check-1', 'check-2']) {
      const phase = phaseOf(id, 30_000);
      expect(phase).toBeGreaterThanOrEqual(0);
      expect(phase).toBeLessThan(30_000);
      const slot = nextSlot(id, 30_000, 1_000_000);
      expect(slot).toBeGreaterThanOrEqual(1_000_000);
      expect(slot - 1_000_000).toBeLessThan(30_000);
      expect(slot % 30_000).toBe(phase);
    }
  });

  it('spreads checks over their interval instead of firing them together', async () => {
    const h = harness();
    h.scheduler.assign(Array.from({ length: 300 }, (_, i) => check(`check-${i}`)));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(h.runs).toHaveLength(300);
    const perSecond = new Map<number, number>();
    for (const run of h.runs)
      perSecond.set(Math.floor(run.startedAt / 1000), (perSecond.get(Math.floor(run.startedAt / 1000)) ?? 0) + 1);
    expect(perSecond.size).toBeGreaterThanOrEqual(25); // 300 checks over 30 s: no second carries more than a small share
    expect(Math.max(...perSecond.values())).toBeLessThan(40);
    await h.scheduler.stop();
  });

  it('runs each check once per interval, on its own interval', async () => {
    const h = harness();
    h.scheduler.assign([check('fast', 10), check('slow', 60)]);
    await vi.advanceTimersByTimeAsync(120_000);
    const count = (id: string) => h.results.filter((r) => r.id === id).length;
    expect(count('fast')).toBeGreaterThanOrEqual(11);
    expect(count('fast')).toBeLessThanOrEqual(12);
    expect(count('slow')).toBeGreaterThanOrEqual(1);
    expect(count('slow')).toBeLessThanOrEqual(2);
    const fast = h.runs.filter((r) => r.id === 'fast').map((r) => r.startedAt);
    for (let i = 1; i < fast.length; i++) expect(fast[i]! - fast[i - 1]!).toBe(10_000);
    await h.scheduler.stop();
  });

  it('never runs more checks at once than its concurrency limit, and runs the rest as slots free up', async () => {
    const h = harness({ concurrency: 5, durationMs: 5000 });
    h.scheduler.assign(Array.from({ length: 50 }, (_, i) => check(`c${i}`, 3600)));
    for (let i = 0; i < 50; i++) expect(h.scheduler.runNow(`c${i}`)).toBe(true); // all due at once
    expect(h.scheduler.activeRuns).toBe(5);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.maxActive()).toBe(5);
    expect(new Set(h.results.map((r) => r.id)).size).toBe(50);
    await h.scheduler.stop();
  });

  it('never runs one check twice at once: a turn that comes while it still runs is skipped', async () => {
    const h = harness({ durationMs: 'manual' });
    h.scheduler.assign([check('stuck', 10)]);
    await vi.advanceTimersByTimeAsync(35_000);
    expect(h.runs).toHaveLength(1);
    expect(h.skips.length).toBeGreaterThanOrEqual(2);
    expect(h.scheduler.runNow('stuck')).toBe(false);
    h.release('stuck');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.runs).toHaveLength(2);
    h.release();
    await h.scheduler.stop();
  });

  it('runs a check at once on "run now", outside its schedule, with increasing start times', async () => {
    const h = harness({ durationMs: 0 });
    h.scheduler.assign([check('x', 3600)]);
    expect(h.scheduler.runNow('x')).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.scheduler.runNow('x')).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.results.map((r) => r.id)).toEqual(['x', 'x']);
    expect(h.results[1]!.startedAt).toBeGreaterThan(h.results[0]!.startedAt);
    expect(h.scheduler.runNow('unknown')).toBe(false);
    await h.scheduler.stop();
  });

  it('keeps the turn of unchanged checks on a new assignment, and cancels a removed check without a result', async () => {
    const h = harness({ durationMs: 'manual' });
    h.scheduler.assign([check('keep', 30), check('drop', 30)]);
    await vi.advanceTimersByTimeAsync(30_000);
    const firstKeep = h.runs.find((r) => r.id === 'keep')!.startedAt;
    h.release('keep');
    h.scheduler.assign([check('keep', 30), check('new', 30)]);
    await vi.advanceTimersByTimeAsync(30_000);
    h.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.results.some((r) => r.id === 'drop')).toBe(false);
    const keepRuns = h.runs.filter((r) => r.id === 'keep').map((r) => r.startedAt);
    expect(keepRuns).toEqual([firstKeep, firstKeep + 30_000]);
    expect(h.runs.some((r) => r.id === 'new')).toBe(true);
    await h.scheduler.stop();
  });

  it('runs a check that fell far behind once, not once per missed turn', async () => {
    const h = harness({ durationMs: 0 });
    h.scheduler.assign([check('a', 10)]);
    await vi.advanceTimersByTimeAsync(10_000);
    const before = h.runs.length;
    vi.setSystemTime(Date.now() + 3600_000); // the machine slept an hour
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.runs.length - before).toBeLessThanOrEqual(2);
    await h.scheduler.stop();
  });

  it('stops: cancels what runs, drops those results, and starts nothing more', async () => {
    const h = harness({ durationMs: 'manual' });
    h.scheduler.assign([check('a', 10), check('b', 10)]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.active()).toBe(2);
    await h.scheduler.stop();
    expect(h.active()).toBe(0);
    expect(h.results).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.runs).toHaveLength(2);
  });
});
