import { describe, expect, it } from 'vitest';
import { firstRunAt, jitterFraction, nextRunAfter } from './check-schedule.js';

describe('probe schedule', () => {
  it('spreads first runs over the interval, the same way every time for a check', () => {
    const now = new Date('2026-11-20T17:00:00.000Z');
    const buckets = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) {
      const at = Date.parse(firstRunAt(`check-${i}`, 60, now)) - now.getTime();
      expect(at).toBeGreaterThanOrEqual(0);
      expect(at).toBeLessThan(60_000);
      buckets[Math.floor(at / 10_000)]!++;
    }
    for (const n of buckets) expect(n).toBeGreaterThan(800); // ~1000 each
    expect(firstRunAt('abc', 60, now)).toBe(firstRunAt('abc', 60, now));
    expect(jitterFraction('abc')).not.toBe(jitterFraction('abd'));
  });

  it.each([
    ['on time', '17:00:00', '17:00:00.5', '17:01:00'],
    ['claimed ahead of time', '17:00:00', '16:59:59.5', '17:01:00'],
    ['one run missed keeps the phase', '17:00:00', '17:01:05', '17:02:00'],
    ['a long outage skips to the next slot', '17:00:00', '19:30:30', '19:31:00'],
  ])('%s', (_name, due, now, next) => {
    const t = (hms: string) => `2026-11-20T${hms.includes('.') ? hms.padEnd(12, '0') : `${hms}.000`}Z`;
    expect(nextRunAfter(t(due), 60, new Date(t(now)))).toBe(t(next));
  });
});
