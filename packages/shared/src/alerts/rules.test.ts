import { describe, expect, it } from 'vitest';
import { maintenanceActive, maintenanceUntil, pagingDecision, type MaintenanceTimes } from './rules.js';
import { withinSupportHours } from '../support-hours.js';

const weekdays = {
  kind: 'weekly' as const,
  timeZone: 'Europe/London',
  windows: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day: day as 'mon', start: '08:00', end: '18:00' })),
};

describe('withinSupportHours', () => {
  it.each([
    ['2026-11-20T10:00:00Z', true], // Friday 10:00 London
    ['2026-11-20T03:00:00Z', false], // Friday 03:00
    ['2026-11-21T10:00:00Z', false], // Saturday
    ['2026-07-03T07:30:00Z', true], // Friday 08:30 BST
  ])('%s → %s', (at, within) => expect(withinSupportHours(weekdays, new Date(at))).toBe(within));
});

describe('pagingDecision', () => {
  const rules = { withinHours: 'low' as const, outsideHours: 'critical' as const };
  it.each([
    {
      criticality: 'critical',
      at: '2026-11-20T03:00:00Z',
      maintenance: null,
      pages: true,
      says: 'outside support hours',
    },
    {
      criticality: 'high',
      at: '2026-11-20T03:00:00Z',
      maintenance: null,
      pages: false,
      says: 'listed for the morning',
    },
    { criticality: 'low', at: '2026-11-20T10:00:00Z', maintenance: null, pages: true, says: 'within support hours' },
    {
      criticality: 'critical',
      at: '2026-11-20T10:00:00Z',
      maintenance: 'UPS swap',
      pages: false,
      says: 'in maintenance (UPS swap)',
    },
  ] as const)('$criticality at $at → $pages', ({ criticality, at, maintenance, pages, says }) => {
    const d = pagingDecision({ criticality, supportHours: weekdays, rules, maintenance, at: new Date(at) });
    expect(d.pages).toBe(pages);
    expect(d.reason).toContain(says);
  });

  it('nothing pages with "none"', () => {
    const d = pagingDecision({
      criticality: 'critical',
      supportHours: { kind: 'always' },
      rules: { withinHours: 'none', outsideHours: 'none' },
      maintenance: null,
      at: new Date(),
    });
    expect(d.pages).toBe(false);
  });
});

describe('maintenanceActive', () => {
  const once: MaintenanceTimes = {
    kind: 'once',
    startsAt: '2026-11-20T10:00:00Z',
    endsAt: '2026-11-20T12:00:00Z',
    endedAt: null,
    days: [],
    startTime: null,
    endTime: null,
    timeZone: 'UTC',
  };
  const nightly: MaintenanceTimes = {
    kind: 'weekly',
    startsAt: null,
    endsAt: null,
    endedAt: null,
    days: ['sat'],
    startTime: '22:00',
    endTime: '02:00',
    timeZone: 'Europe/London',
  };
  it.each([
    [once, '2026-11-20T09:59:00Z', false],
    [once, '2026-11-20T10:00:00Z', true],
    [once, '2026-11-20T12:00:00Z', false],
    [{ ...once, endedAt: '2026-11-20T11:00:00Z' }, '2026-11-20T11:30:00Z', false],
    [{ ...once, endsAt: null }, '2026-12-20T11:30:00Z', true],
    [nightly, '2026-11-21T23:00:00Z', true], // Saturday 23:00
    [nightly, '2026-11-22T01:30:00Z', true], // Sunday 01:30, the window that began Saturday
    [nightly, '2026-11-22T23:00:00Z', false], // Sunday 23:00
    [nightly, '2026-11-21T21:00:00Z', false],
  ] as const)('%# %s', (w, at, active) => expect(maintenanceActive(w, new Date(at))).toBe(active));
});

describe('maintenanceUntil', () => {
  const base = { startsAt: null, endsAt: null, endedAt: null } as const;
  const nightly: MaintenanceTimes = {
    ...base,
    kind: 'weekly',
    days: ['sat'],
    startTime: '22:00',
    endTime: '02:00',
    timeZone: 'Europe/London',
  };
  const patchNight: MaintenanceTimes = {
    ...base,
    kind: 'weekly',
    days: ['sun'],
    startTime: '02:00',
    endTime: '04:00',
    timeZone: 'America/New_York',
  };
  it.each([
    ['past midnight, begun Saturday 23:00', nightly, '2026-11-21T23:00:00Z', '2026-11-22T02:00:00.000Z'],
    ['past midnight, Sunday 01:30', nightly, '2026-11-22T01:30:00Z', '2026-11-22T02:00:00.000Z'],
    ['summer time in London', nightly, '2026-07-04T21:30:00Z', '2026-07-05T01:00:00.000Z'],
    ['not in force', nightly, '2026-11-22T23:00:00Z', null],
    ['New York, Sunday 03:00 EST', patchNight, '2026-11-22T08:00:00Z', '2026-11-22T09:00:00.000Z'],
    [
      'a one-off ends when it ends',
      {
        ...base,
        kind: 'once',
        endsAt: '2026-11-20T12:00:00Z',
        days: [],
        startTime: null,
        endTime: null,
        timeZone: 'UTC',
      },
      '2026-11-20T11:00:00Z',
      '2026-11-20T12:00:00Z',
    ],
  ] as const)('%s', (_name, w, at, until) => expect(maintenanceUntil(w as MaintenanceTimes, new Date(at))).toBe(until));
});
