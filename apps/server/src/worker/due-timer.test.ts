import { describe, expect, it } from 'vitest';
import { DueTimer } from './due-timer.js';
import type { Timers } from './timers.js';

/** A clock and timers driven by hand: advance() fires what falls due, in order. */
function manualTime() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = nextId++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => void pending.delete(id as number),
  };
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    timers,
    now: () => now,
    pending: () => [...pending.values()].map((p) => p.at).sort((a, b) => a - b),
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        await settle();
        const [id, next] = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (!next || next.at > until) break;
        pending.delete(id!);
        now = next.at;
        next.fn();
        await settle();
      }
      now = until;
      await settle();
    },
  };
}

describe('DueTimer', () => {
  it('sleeps until the time the work names, with one timer and no ticking in between', async () => {
    const t = manualTime();
    const runs: number[] = [];
    const timer = new DueTimer(
      async () => {
        runs.push(t.now());
        return t.now() + 10_000;
      },
      { now: t.now, timers: t.timers, maxSleepMs: 60_000 },
    );
    timer.start();
    await t.advance(0);
    expect(runs).toEqual([0]);
    expect(t.pending()).toEqual([10_000]);
    await t.advance(25_000);
    expect(runs).toEqual([0, 10_000, 20_000]);
    await timer.stop();
    expect(t.pending()).toEqual([]);
  });

  it('sleeps at most maxSleepMs when the work knows of nothing due', async () => {
    const t = manualTime();
    let runs = 0;
    const timer = new DueTimer(async () => (runs++, null), { now: t.now, timers: t.timers, maxSleepMs: 60_000 });
    timer.start();
    await t.advance(0);
    expect(timer.nextRunAt).toBe(60_000);
    await t.advance(120_000);
    expect(runs).toBe(3);
    await timer.stop();
  });

  it('runs early when woken, and a burst of wake-ups is one run (minGapMs apart at most)', async () => {
    const t = manualTime();
    const runs: number[] = [];
    const timer = new DueTimer(async () => (runs.push(t.now()), null), {
      now: t.now,
      timers: t.timers,
      maxSleepMs: 60_000,
      minGapMs: 250,
    });
    timer.start();
    await t.advance(1000);
    for (let i = 0; i < 10; i++) timer.wake();
    await t.advance(0);
    expect(runs).toEqual([0, 1000]);
    timer.wake();
    timer.wake(t.now() + 5000); // later than already due: changes nothing
    await t.advance(1000);
    expect(runs).toEqual([0, 1000, 1250]);
    await timer.stop();
  });

  it('a wake-up during a run starts one more run after it, never two at once', async () => {
    const t = manualTime();
    let active = 0;
    let most = 0;
    let release: () => void = () => {};
    let runs = 0;
    const timer = new DueTimer(
      async () => {
        runs++;
        active++;
        most = Math.max(most, active);
        await new Promise<void>((r) => (release = r));
        active--;
        return null;
      },
      { now: t.now, timers: t.timers, maxSleepMs: 60_000 },
    );
    timer.start();
    await t.advance(0);
    timer.wake();
    timer.wake();
    expect(runs).toBe(1);
    release();
    await t.advance(0);
    expect(runs).toBe(2);
    release();
    await t.advance(0);
    expect(runs).toBe(2);
    expect(most).toBe(1);
    expect(timer.nextRunAt).toBe(60_000);
    await timer.stop();
  });

  it('a failed run is reported and tried again after maxSleepMs', async () => {
    const t = manualTime();
    const errors: unknown[] = [];
    let runs = 0;
    const timer = new DueTimer(
      async () => {
        runs++;
        throw new Error('database gone');
      },
      { now: t.now, timers: t.timers, maxSleepMs: 5000, onError: (e) => errors.push(e) },
    );
    timer.start();
    await t.advance(5000);
    expect(runs).toBe(2);
    expect(errors).toHaveLength(2);
    await timer.stop();
  });
});
