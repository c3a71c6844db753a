import { describe, expect, it } from 'vitest';
import type { SupportHours } from './api/register.js';
import { supportNow, withinSupportHours } from './support-hours.js';

const office: SupportHours = {
  kind: 'weekly',
  timeZone: 'Europe/London',
  windows: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, start: '08:00', end: '18:00' })) as never,
};
const nights: SupportHours = {
  kind: 'weekly',
  timeZone: 'Europe/London',
  windows: [
    { day: 'mon', start: '18:00', end: '24:00' },
    { day: 'tue', start: '00:00', end: '08:00' },
  ],
};

describe('supportNow', () => {
  // 2026-12-05 is a Saturday; London is on UTC in December.
  it.each([
    [
      'Saturday night: next Monday 08:00',
      office,
      '2026-12-05T21:30:00Z',
      { kind: 'out', next: { day: 'mon', time: '08:00' } },
    ],
    ['Monday 07:59: today 08:00', office, '2026-12-07T07:59:00Z', { kind: 'out', next: { day: 'mon', time: '08:00' } }],
    [
      'Monday 08:00: in until 18:00',
      office,
      '2026-12-07T08:00:00Z',
      { kind: 'in', until: { day: 'mon', time: '18:00' } },
    ],
    [
      'Friday 18:00: out until Monday',
      office,
      '2026-12-11T18:00:00Z',
      { kind: 'out', next: { day: 'mon', time: '08:00' } },
    ],
    [
      'across midnight: one stretch',
      nights,
      '2026-12-07T23:00:00Z',
      { kind: 'in', until: { day: 'tue', time: '08:00' } },
    ],
    [
      'on the contract clock, not UTC',
      { ...office, timeZone: 'America/New_York' },
      '2026-12-07T12:00:00Z',
      { kind: 'out', next: { day: 'mon', time: '08:00' } },
    ],
  ] as const)('%s', (_name, hours, at, expected) => {
    expect(supportNow(hours as SupportHours, new Date(at))).toEqual(expected);
  });

  it('24/7, and a week with every hour covered, are always', () => {
    expect(supportNow({ kind: 'always' }, new Date())).toEqual({ kind: 'always' });
    const all = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, start: '00:00', end: '24:00' }));
    expect(supportNow({ kind: 'weekly', timeZone: 'UTC', windows: all as never }, new Date())).toEqual({
      kind: 'always',
    });
  });
});

describe('withinSupportHours and supportNow agree', () => {
  // Every 15 minutes over a week that includes London's change to winter time (25 October 2026).
  it.each([
    ['office', office],
    ['nights', nights],
  ] as const)('%s', (_name, hours) => {
    for (let t = Date.UTC(2026, 9, 22); t < Date.UTC(2026, 9, 29); t += 15 * 60_000) {
      const at = new Date(t);
      expect(supportNow(hours, at).kind !== 'out', at.toISOString()).toBe(withinSupportHours(hours, at));
    }
  });
});
