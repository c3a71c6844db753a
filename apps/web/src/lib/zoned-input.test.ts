import { describe, expect, it } from 'vitest';
import { instantOfZonedInput, zonedInput } from './zoned-input';

describe('date-and-time inputs in the site’s zone', () => {
  it('means the wall clock at the site, whatever the phone’s zone', () => {
    expect(instantOfZonedInput('2026-12-24T08:00', 'Europe/Berlin')).toBe('2026-12-24T07:00:00.000Z');
    expect(instantOfZonedInput('2026-07-01T08:00', 'Europe/Berlin')).toBe('2026-07-01T06:00:00.000Z');
    expect(instantOfZonedInput('2026-12-24T08:00', 'America/New_York')).toBe('2026-12-24T13:00:00.000Z');
    expect(zonedInput(new Date('2026-12-24T07:00:00.000Z'), 'Europe/Berlin')).toBe('2026-12-24T08:00');
    expect(zonedInput(new Date('2026-12-24T07:00:00.000Z'), 'Asia/Kathmandu')).toBe('2026-12-24T12:45');
  });

  it('takes a time skipped by the clock change forward, and leaves junk for the hub to refuse', () => {
    expect(instantOfZonedInput('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(instantOfZonedInput('not a date', 'Europe/Berlin')).toBe('not a date');
  });
});
