import { expect, it } from 'vitest';
import { reportDays } from './report-days';

const formats = (timeZone: string) => ({
  day: new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' }),
  time: new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
});

it.each([
  // Kathmandu is UTC+5:45: its midnight falls at 18:15 UTC, inside a UTC hour.
  [
    'Asia/Kathmandu',
    ['2026-12-05T18:14:59.000Z', '2026-12-05T18:15:00.000Z'],
    ['Sat 5 Dec', 'Sun 6 Dec'],
    ['23:59', '00:00'],
  ],
  // New York's midnight at 05:00 UTC; an offset written in the timestamp is read as the same instant.
  [
    'America/New_York',
    ['2026-12-06T04:59:00.000Z', '2026-12-06T00:00:00-05:00'],
    ['Sat 5 Dec', 'Sun 6 Dec'],
    ['23:59', '00:00'],
  ],
])('groups lines by the local day in %s, right at midnight', (zone, ats, expectedDays, times) => {
  const { day, time } = formats(zone);
  const days = reportDays(
    ats.map((at) => ({ at })),
    day,
    time,
  );
  expect(days.map((d) => d.day)).toEqual(expectedDays);
  expect(days.flatMap((d) => d.lines.map((l) => l.time))).toEqual(times);
});

it('keeps lines of one day together, in order', () => {
  const { day, time } = formats('Europe/London');
  const ats = ['2026-12-05T09:00:10.000Z', '2026-12-05T09:00:50.000Z', '2026-12-05T17:30:00.000Z'];
  const days = reportDays(
    ats.map((at) => ({ at })),
    day,
    time,
  );
  expect(days).toEqual([
    {
      day: 'Sat 5 Dec',
      lines: [
        { entry: { at: ats[0] }, time: '09:00' },
        { entry: { at: ats[1] }, time: '09:00' },
        { entry: { at: ats[2] }, time: '17:30' },
      ],
    },
  ]);
});
