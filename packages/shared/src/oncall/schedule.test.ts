import { describe, expect, it } from 'vitest';
import { finalShifts, gapsIn, onCallAtTime, type LayerDef, type OverrideDef, type ScheduleDef } from './schedule.js';

const layer = (overrides: Partial<LayerDef> = {}): LayerDef => ({
  id: 'L0',
  participants: ['A', 'B'],
  rotation: 'daily',
  everyDays: 1,
  handoffTime: '09:00',
  startDate: '2026-11-02',
  restrictions: [],
  ...overrides,
});
const schedule = (timeZone: string, ...layers: LayerDef[]): ScheduleDef => ({ timeZone, layers });
const d = (iso: string) => new Date(iso);
/** Shifts as compact [start, end, user] rows, for table comparison. */
const rows = (s: ScheduleDef, from: string, to: string, overrides: OverrideDef[] = []) =>
  finalShifts(s, overrides, d(from), d(to)).map((x) => [x.start.toISOString(), x.end.toISOString(), x.userId]);

describe('rotations', () => {
  it.each([
    {
      name: 'daily, in order, gap before the first hand-off',
      s: schedule('Europe/London', layer({ participants: ['A', 'B', 'C'] })),
      from: '2026-11-02T00:00:00.000Z',
      to: '2026-11-06T00:00:00.000Z',
      want: [
        ['2026-11-02T00:00:00.000Z', '2026-11-02T09:00:00.000Z', null],
        ['2026-11-02T09:00:00.000Z', '2026-11-03T09:00:00.000Z', 'A'],
        ['2026-11-03T09:00:00.000Z', '2026-11-04T09:00:00.000Z', 'B'],
        ['2026-11-04T09:00:00.000Z', '2026-11-05T09:00:00.000Z', 'C'],
        ['2026-11-05T09:00:00.000Z', '2026-11-06T00:00:00.000Z', 'A'],
      ],
    },
    {
      name: 'weekly in New York (EST, UTC-5)',
      s: schedule('America/New_York', layer({ rotation: 'weekly', handoffTime: '08:30' })),
      from: '2026-11-09T00:00:00.000Z',
      to: '2026-11-24T00:00:00.000Z',
      want: [
        ['2026-11-09T00:00:00.000Z', '2026-11-09T13:30:00.000Z', 'A'],
        ['2026-11-09T13:30:00.000Z', '2026-11-16T13:30:00.000Z', 'B'],
        ['2026-11-16T13:30:00.000Z', '2026-11-23T13:30:00.000Z', 'A'],
        ['2026-11-23T13:30:00.000Z', '2026-11-24T00:00:00.000Z', 'B'],
      ],
    },
    {
      name: 'every 3 days, a window far after the start',
      s: schedule('UTC', layer({ rotation: 'days', everyDays: 3, startDate: '2026-01-01', participants: ['A', 'B'] })),
      // 2026-12-01 is day 334 = 111 shifts of 3 days + 1 day: shift 111 (B) runs Nov 30 09:00 → Dec 3 09:00.
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-05T00:00:00.000Z',
      want: [
        ['2026-12-01T00:00:00.000Z', '2026-12-03T09:00:00.000Z', 'B'],
        ['2026-12-03T09:00:00.000Z', '2026-12-05T00:00:00.000Z', 'A'],
      ],
    },
    {
      name: 'nobody in the rotation is a gap',
      s: schedule('UTC', layer({ participants: [] })),
      from: '2026-11-03T00:00:00.000Z',
      to: '2026-11-04T00:00:00.000Z',
      want: [['2026-11-03T00:00:00.000Z', '2026-11-04T00:00:00.000Z', null]],
    },
  ])('$name', ({ s, from, to, want }) => {
    expect(rows(s, from, to)).toEqual(want);
  });
});

describe('daylight-saving changes', () => {
  it.each([
    {
      name: 'London spring: a weekly shift over the change is 167 hours, hand-off stays at 09:00 local',
      s: schedule('Europe/London', layer({ rotation: 'weekly', startDate: '2026-03-23' })),
      from: '2026-03-23T09:00:00.000Z',
      to: '2026-04-06T08:00:00.000Z',
      want: [
        ['2026-03-23T09:00:00.000Z', '2026-03-30T08:00:00.000Z', 'A'],
        ['2026-03-30T08:00:00.000Z', '2026-04-06T08:00:00.000Z', 'B'],
      ],
    },
    {
      name: 'London spring: hand-off at 01:00, the hour that does not exist, happens at 02:00 BST',
      s: schedule('Europe/London', layer({ handoffTime: '01:00', startDate: '2026-03-28' })),
      from: '2026-03-28T01:00:00.000Z',
      to: '2026-03-31T00:00:00.000Z',
      want: [
        ['2026-03-28T01:00:00.000Z', '2026-03-29T01:00:00.000Z', 'A'],
        ['2026-03-29T01:00:00.000Z', '2026-03-30T00:00:00.000Z', 'B'],
        ['2026-03-30T00:00:00.000Z', '2026-03-31T00:00:00.000Z', 'A'],
      ],
    },
    {
      name: 'London autumn: hand-off at 01:00, which happens twice, is the first; that shift is 25 hours',
      s: schedule('Europe/London', layer({ handoffTime: '01:00', startDate: '2026-10-24' })),
      from: '2026-10-24T00:00:00.000Z',
      to: '2026-10-27T01:00:00.000Z',
      want: [
        ['2026-10-24T00:00:00.000Z', '2026-10-25T00:00:00.000Z', 'A'],
        ['2026-10-25T00:00:00.000Z', '2026-10-26T01:00:00.000Z', 'B'],
        ['2026-10-26T01:00:00.000Z', '2026-10-27T01:00:00.000Z', 'A'],
      ],
    },
    {
      name: 'New York spring: hand-off exactly at 02:00, the moment of the change',
      s: schedule('America/New_York', layer({ handoffTime: '02:00', startDate: '2026-03-07' })),
      from: '2026-03-07T07:00:00.000Z',
      to: '2026-03-10T06:00:00.000Z',
      want: [
        ['2026-03-07T07:00:00.000Z', '2026-03-08T07:00:00.000Z', 'A'],
        ['2026-03-08T07:00:00.000Z', '2026-03-09T06:00:00.000Z', 'B'],
        ['2026-03-09T06:00:00.000Z', '2026-03-10T06:00:00.000Z', 'A'],
      ],
    },
    {
      name: 'New York autumn: hand-off at 01:00 (twice that night) is the first, EDT',
      s: schedule('America/New_York', layer({ handoffTime: '01:00', startDate: '2026-10-31' })),
      from: '2026-10-31T05:00:00.000Z',
      to: '2026-11-03T06:00:00.000Z',
      want: [
        ['2026-10-31T05:00:00.000Z', '2026-11-01T05:00:00.000Z', 'A'],
        ['2026-11-01T05:00:00.000Z', '2026-11-02T06:00:00.000Z', 'B'],
        ['2026-11-02T06:00:00.000Z', '2026-11-03T06:00:00.000Z', 'A'],
      ],
    },
    {
      name: 'New York spring: weeknight restriction 18:00–08:00 follows local time on both sides',
      s: schedule(
        'America/New_York',
        layer({
          participants: ['N'],
          rotation: 'weekly',
          startDate: '2026-03-02',
          restrictions: [{ days: [1, 2, 3, 4, 5], from: '18:00', to: '08:00' }],
        }),
      ),
      from: '2026-03-06T12:00:00.000Z',
      to: '2026-03-10T12:00:00.000Z',
      want: [
        ['2026-03-06T12:00:00.000Z', '2026-03-06T13:00:00.000Z', 'N'], // Fri 08:00 EST
        ['2026-03-06T13:00:00.000Z', '2026-03-06T23:00:00.000Z', null],
        ['2026-03-06T23:00:00.000Z', '2026-03-07T13:00:00.000Z', 'N'], // Fri 18:00 EST → Sat 08:00 EST
        ['2026-03-07T13:00:00.000Z', '2026-03-09T22:00:00.000Z', null], // weekend, change on Sunday
        ['2026-03-09T22:00:00.000Z', '2026-03-10T12:00:00.000Z', 'N'], // Mon 18:00 EDT → Tue 08:00 EDT
      ],
    },
  ])('$name', ({ s, from, to, want }) => {
    expect(rows(s, from, to)).toEqual(want);
  });

  it.each([
    ['Europe/London', '01:00', '2026-03-28', '2026-03-29T00:59:59.999Z', 'A'],
    ['Europe/London', '01:00', '2026-03-28', '2026-03-29T01:00:00.000Z', 'B'],
    ['Europe/London', '01:00', '2026-10-24', '2026-10-24T23:59:59.999Z', 'A'],
    ['Europe/London', '01:00', '2026-10-24', '2026-10-25T00:00:00.000Z', 'B'],
    ['Europe/London', '01:00', '2026-10-24', '2026-10-26T00:59:59.999Z', 'B'],
    ['America/New_York', '02:00', '2026-03-07', '2026-03-08T06:59:59.999Z', 'A'],
    ['America/New_York', '02:00', '2026-03-07', '2026-03-08T07:00:00.000Z', 'B'],
    ['America/New_York', '01:00', '2026-10-31', '2026-11-01T04:59:59.999Z', 'A'],
    ['America/New_York', '01:00', '2026-10-31', '2026-11-01T05:00:00.000Z', 'B'],
    ['America/New_York', '01:00', '2026-10-31', '2026-11-02T05:59:59.999Z', 'B'],
    ['America/New_York', '01:00', '2026-10-31', '2026-11-02T06:00:00.000Z', 'A'],
  ])('%s hand-off %s from %s: at %s it is %s', (tz, handoffTime, startDate, at, who) => {
    expect(onCallAtTime(schedule(tz, layer({ handoffTime, startDate })), [], d(at))).toEqual([who]);
  });
});

describe('layers, restrictions and overrides', () => {
  const weekday = layer({ id: 'weekday', participants: ['A', 'B'] });
  const weekend = layer({
    id: 'weekend',
    participants: ['W'],
    rotation: 'weekly',
    restrictions: [
      { days: [5], from: '18:00', to: '00:00' },
      { days: [6, 0], from: '00:00', to: '00:00' },
    ],
  });
  const s = schedule('Europe/London', weekday, weekend);

  it('a weekend layer over the weekday one takes Friday 18:00 to Monday 00:00', () => {
    expect(rows(s, '2026-11-06T09:00:00.000Z', '2026-11-09T09:00:00.000Z')).toEqual([
      ['2026-11-06T09:00:00.000Z', '2026-11-06T18:00:00.000Z', 'A'], // Fri (day 4 from Mon: A B A B A)
      ['2026-11-06T18:00:00.000Z', '2026-11-09T00:00:00.000Z', 'W'],
      ['2026-11-09T00:00:00.000Z', '2026-11-09T09:00:00.000Z', 'A'], // Sun 09:00 → Mon 09:00 is A
    ]);
  });

  it('an override wins over every layer, and a later override over an earlier one', () => {
    const overrides: OverrideDef[] = [
      { id: 'o1', userId: 'X', start: d('2026-11-07T08:00:00.000Z'), end: d('2026-11-07T14:00:00.000Z') },
      { id: 'o2', userId: 'Y', start: d('2026-11-07T12:00:00.000Z'), end: d('2026-11-07T13:00:00.000Z') },
    ];
    const shifts = finalShifts(s, overrides, d('2026-11-07T00:00:00.000Z'), d('2026-11-08T00:00:00.000Z'));
    expect(shifts.map((x) => [x.start.toISOString(), x.userId, x.source, x.overrideId ?? x.layerId])).toEqual([
      ['2026-11-07T00:00:00.000Z', 'W', 'layer', 'weekend'],
      ['2026-11-07T08:00:00.000Z', 'X', 'override', 'o1'],
      ['2026-11-07T12:00:00.000Z', 'Y', 'override', 'o2'],
      ['2026-11-07T13:00:00.000Z', 'X', 'override', 'o1'],
      ['2026-11-07T14:00:00.000Z', 'W', 'layer', 'weekend'],
    ]);
    expect(onCallAtTime(s, overrides, d('2026-11-07T12:30:00.000Z'))).toEqual(['Y']);
    expect(onCallAtTime(s, overrides, d('2026-11-07T14:00:00.000Z'))).toEqual(['W']);
  });

  it('an override fills a gap, and gaps are what is left', () => {
    const nights = schedule(
      'Europe/London',
      layer({ participants: ['N'], restrictions: [{ days: [0, 1, 2, 3, 4, 5, 6], from: '20:00', to: '08:00' }] }),
    );
    const cover: OverrideDef[] = [
      { id: 'o', userId: 'D', start: d('2026-11-03T08:00:00.000Z'), end: d('2026-11-03T14:00:00.000Z') },
    ];
    expect(
      gapsIn(nights, cover, d('2026-11-03T00:00:00.000Z'), d('2026-11-04T00:00:00.000Z')).map((g) => [
        g.start.toISOString(),
        g.end.toISOString(),
      ]),
    ).toEqual([['2026-11-03T14:00:00.000Z', '2026-11-03T20:00:00.000Z']]);
  });

  it("an unavailable person's shifts fall to the layer below, or become a gap", () => {
    const away = { ...s, unavailable: ['W', 'A'] };
    expect(rows(away, '2026-11-06T09:00:00.000Z', '2026-11-08T09:00:00.000Z')).toEqual([
      ['2026-11-06T09:00:00.000Z', '2026-11-07T09:00:00.000Z', null], // A's day (Friday)
      ['2026-11-07T09:00:00.000Z', '2026-11-08T09:00:00.000Z', 'B'], // weekend layer's W is away: B below
    ]);
  });

  it('an empty or reversed interval has no shifts', () => {
    expect(finalShifts(s, [], d('2026-11-07T00:00:00.000Z'), d('2026-11-07T00:00:00.000Z'))).toEqual([]);
  });
});
