import { describe, expect, it } from 'vitest';
import { withinSupportHours } from '../support-hours.js';
import { describeSupportHours, responseClock, supportDeadline, supportMsBetween } from './response-times.js';

const weekdays = {
  kind: 'weekly' as const,
  timeZone: 'Europe/London',
  windows: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '08:00', end: '18:00' })),
};
const always = { kind: 'always' as const };
const ms = (iso: string) => Date.parse(iso);
const MIN = 60_000;

describe('support time', () => {
  it.each([
    // Friday 17:30 → Monday 08:30 London (GMT): 30 minutes on Friday, 30 on Monday.
    ['2026-12-04T17:30:00Z', '2026-12-07T08:30:00Z', 60],
    // All weekend: nothing.
    ['2026-12-05T00:00:00Z', '2026-12-06T23:59:00Z', 0],
    // Across the clocks going forward (Sunday 29 March 2026): Friday 16:00 GMT → Monday 09:00 BST.
    ['2026-03-27T16:00:00Z', '2026-03-30T08:00:00Z', 180],
    // Inside one window.
    ['2026-12-07T09:00:00Z', '2026-12-07T09:45:00Z', 45],
  ])('%s → %s: %i minutes', (from, to, minutes) => {
    expect(supportMsBetween(weekdays, ms(from), ms(to))).toBe(minutes * MIN);
  });

  it('24/7 counts every minute', () => {
    expect(supportMsBetween(always, ms('2026-12-05T00:00:00Z'), ms('2026-12-05T01:00:00Z'))).toBe(60 * MIN);
  });

  it('the deadline skips the weekend and the nights', () => {
    expect(new Date(supportDeadline(weekdays, ms('2026-12-04T18:30:00Z'), 30 * MIN)!).toISOString()).toBe(
      '2026-12-07T08:30:00.000Z',
    );
    expect(new Date(supportDeadline(weekdays, ms('2026-12-04T17:50:00Z'), 30 * MIN)!).toISOString()).toBe(
      '2026-12-07T08:20:00.000Z',
    );
    expect(supportDeadline({ ...weekdays, windows: [] }, 0, MIN)).toBeNull();
  });

  it('agrees with withinSupportHours minute by minute over a week with a DST change', () => {
    const start = ms('2026-10-23T00:00:00Z');
    for (let t = start; t < start + 7 * 24 * 60 * MIN; t += 15 * MIN) {
      const counted = supportMsBetween(weekdays, t, t + MIN) > 0;
      expect(counted, new Date(t).toISOString()).toBe(withinSupportHours(weekdays, new Date(t)));
    }
  });
});

describe('responseClock', () => {
  const opened = ms('2026-12-07T09:00:00Z'); // Monday 09:00

  it('running, with the minutes left and when it breaches', () => {
    expect(responseClock(weekdays, opened, null, 30, ms('2026-12-07T09:18:00Z'))).toEqual({
      state: 'running',
      targetMinutes: 30,
      elapsedMinutes: 18,
      leftMinutes: 12,
      breachAt: '2026-12-07T09:30:00.000Z',
      stoppedAt: null,
    });
  });

  it('paused outside support hours', () => {
    expect(responseClock(weekdays, opened, null, 600, ms('2026-12-07T19:00:00Z'))).toMatchObject({
      state: 'paused',
      elapsedMinutes: 540,
      leftMinutes: 60,
      breachAt: '2026-12-08T09:00:00.000Z',
    });
  });

  it('breached while running, and met or breached once stopped', () => {
    expect(responseClock(weekdays, opened, null, 30, ms('2026-12-07T09:45:00Z'))).toMatchObject({
      state: 'breached',
      leftMinutes: -15,
      breachAt: null,
    });
    expect(responseClock(weekdays, opened, ms('2026-12-07T09:20:00Z'), 30, ms('2026-12-08T00:00:00Z'))).toMatchObject({
      state: 'met',
      elapsedMinutes: 20,
      stoppedAt: '2026-12-07T09:20:00.000Z',
    });
    expect(responseClock(weekdays, opened, ms('2026-12-07T10:00:00Z'), 30, ms('2026-12-08T00:00:00Z'))).toMatchObject({
      state: 'breached',
    });
  });

  it('without a target it only counts', () => {
    expect(responseClock(always, opened, null, null, opened + 5 * MIN)).toMatchObject({
      state: 'none',
      elapsedMinutes: 5,
      leftMinutes: null,
    });
  });

  it('reads the hours', () => {
    expect(describeSupportHours(always)).toBe('24/7');
    expect(describeSupportHours(weekdays)).toBe('Mon, Tue, Wed, Thu, Fri 08:00–18:00 (Europe/London)');
  });
});
