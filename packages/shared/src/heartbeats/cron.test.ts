import { describe, expect, it } from 'vitest';
import { cronProblem, nextCronTime, parseCron } from './cron.js';

const next = (cron: string, after: string, tz: string) =>
  nextCronTime(parseCron(cron), new Date(after), tz)?.toISOString() ?? null;

describe('cron: next time in a time zone', () => {
  it.each([
    // [cron, after, zone, expected, why]
    ['0 2 * * *', '2026-11-20T17:00:00Z', 'UTC', '2026-11-21T02:00:00.000Z', 'daily at 02:00 UTC'],
    ['0 2 * * *', '2026-11-20T17:00:00Z', 'Europe/London', '2026-11-21T02:00:00.000Z', 'London in winter is UTC'],
    ['0 2 * * *', '2026-06-20T17:00:00Z', 'Europe/London', '2026-06-21T01:00:00.000Z', 'London in summer is UTC+1'],
    [
      '0 2 * * *',
      '2026-03-28T03:00:00Z',
      'Europe/London',
      '2026-03-29T01:00:00.000Z',
      'spring forward: 02:00 BST exists (01:00 GMT becomes 02:00 BST)',
    ],
    [
      '30 1 * * *',
      '2026-03-28T12:00:00Z',
      'Europe/London',
      '2026-03-29T01:30:00.000Z',
      'spring forward: 01:30 does not exist, fires at 02:30 BST',
    ],
    [
      '30 1 * * *',
      '2026-03-29T01:30:00Z',
      'Europe/London',
      '2026-03-30T00:30:00.000Z',
      'the day after the change, 01:30 BST',
    ],
    [
      '30 1 * * *',
      '2026-10-24T12:00:00Z',
      'Europe/London',
      '2026-10-25T00:30:00.000Z',
      'fall back: 01:30 happens twice, fires at the first',
    ],
    [
      '30 1 * * *',
      '2026-10-25T00:30:00Z',
      'Europe/London',
      '2026-10-26T01:30:00.000Z',
      'fall back: not again in the repeated hour',
    ],
    [
      '0 2 * * *',
      '2026-03-07T12:00:00Z',
      'America/New_York',
      '2026-03-08T07:00:00.000Z',
      'New York spring forward: 02:00 does not exist, fires at 03:00 EDT',
    ],
    ['0 2 * * *', '2026-03-08T07:00:00Z', 'America/New_York', '2026-03-09T06:00:00.000Z', 'then 02:00 EDT'],
    [
      '0 2 * * *',
      '2026-10-31T12:00:00Z',
      'America/New_York',
      '2026-11-01T07:00:00.000Z',
      'New York fall back day: 02:00 EST (01:00 happened twice)',
    ],
    ['*/15 * * * *', '2026-11-20T17:07:30Z', 'UTC', '2026-11-20T17:15:00.000Z', 'steps'],
    [
      '0 9 * * mon-fri',
      '2026-11-20T10:00:00Z',
      'UTC',
      '2026-11-23T09:00:00.000Z',
      'weekdays: Friday after nine → Monday',
    ],
    [
      '0 0 13 * fri',
      '2026-11-01T00:00:00Z',
      'UTC',
      '2026-11-06T00:00:00.000Z',
      'day of month OR day of week: Friday the 6th',
    ],
    ['0 0 1 jan,jul *', '2026-02-01T00:00:00Z', 'UTC', '2026-07-01T00:00:00.000Z', 'month names'],
    ['0 12 * * 7', '2026-11-20T00:00:00Z', 'UTC', '2026-11-22T12:00:00.000Z', '7 is Sunday'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', 'UTC', '2028-02-29T00:00:00.000Z', 'leap day'],
    [
      '0 3 * * *',
      '2026-11-20T17:00:00Z',
      'Australia/Lord_Howe',
      '2026-11-21T16:00:00.000Z',
      'a half-hour DST zone (UTC+11 in summer)',
    ],
  ])('%s after %s in %s → %s (%s)', (cron, after, tz, expected) => {
    expect(next(cron, after, tz)).toBe(expected);
  });

  it('never fires on 30 February', () => {
    expect(next('0 0 30 2 *', '2026-01-01T00:00:00Z', 'UTC')).toBeNull();
    expect(cronProblem('0 0 30 2 *')).toMatch(/never fires/);
  });

  it.each([
    ['61 * * * *', /minute: 61 is outside 0-59/],
    ['* * *', /needs 5 fields/],
    ['*/0 * * * *', /step/],
    ['5-1 * * * *', /backwards/],
    ['0 0 * foo *', /month: "foo" is not a number/],
    ['0 0 * * 8', /day of week: 8 is outside/],
  ])('refuses %s', (cron, problem) => {
    expect(cronProblem(cron)).toMatch(problem);
  });

  it('accepts valid expressions', () => {
    for (const cron of [
      '* * * * *',
      '0 2 * * *',
      '15,45 */2 1-15 * sun',
      '0 22 * * 1-5',
      '@@'.slice(0, 0) + '0 0 1 1 *',
    ])
      expect(cronProblem(cron)).toBeNull();
  });
});
