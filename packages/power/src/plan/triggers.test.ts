import { describe, expect, it } from 'vitest';
import { noReading, type UpsReading } from '../reading.js';
import { readingFromNutVars } from '../nut/status.js';
import { initialWatch, shutdownReason, watchReading, worstReading, type PowerWatch } from './triggers.js';
import { planTriggers } from './types.js';

const MIN = 60_000;
const ups = (status: string, runtime = '1200', charge = '100'): UpsReading =>
  readingFromNutVars('office', { 'ups.status': status, 'battery.runtime': runtime, 'battery.charge': charge });

describe('watchReading', () => {
  it('counts on-battery time from the first OB reading and resets it on OL; ignores unknown readings', () => {
    let w: PowerWatch = initialWatch;
    w = watchReading(w, ups('OB'), 1000);
    w = watchReading(w, ups('OB DISCHRG'), 5000);
    expect(w.onBatterySince).toBe(1000);
    w = watchReading(w, noReading('stale', 'stale'), 6000);
    expect(w.onBatterySince).toBe(1000);
    w = watchReading(w, ups('OL'), 7000);
    expect(w).toMatchObject({ onBatterySince: null, onLineSince: 7000 });
  });
});

describe('shutdownReason', () => {
  const t = planTriggers.parse({
    onBatteryMinutes: 5,
    runtimeBelowMinutes: 10,
    onLowBattery: true,
    onOutageWindow: true,
  });
  const onBattery = (since: number): PowerWatch => ({ ...initialWatch, onBatterySince: since });
  it.each([
    ['on line', ups('OL'), initialWatch, 0, null],
    ['on battery, not long enough', ups('OB'), onBattery(0), 5 * MIN - 1, null],
    ['on battery N minutes', ups('OB'), onBattery(0), 5 * MIN, 'on battery for 5 min'],
    ['runtime below M', ups('OB', '540'), onBattery(0), MIN, 'the UPS reports 9 min of runtime left, below 10 min'],
    ['runtime low but on line', ups('OL', '60'), initialWatch, 0, null],
    ['low battery', ups('OB LB'), onBattery(0), 0, 'the UPS reports low battery'],
    ['forced shutdown', ups('FSD OL'), onBattery(0), 0, 'the UPS ordered a forced shutdown (FSD)'],
    ['stale reading keeps the clock', noReading('stale', 'x'), onBattery(0), 6 * MIN, 'on battery for 6 min'],
  ])('%s', (_name, reading, watch, now, expected) => {
    expect(shutdownReason(t, watch, reading, [], now)?.reason ?? null).toBe(expected);
  });

  it('fires once per planned outage window', () => {
    const windows = [{ id: 'w1', startsAt: 10 * MIN, endsAt: 70 * MIN, note: 'grid works' }];
    expect(shutdownReason(t, initialWatch, ups('OL'), windows, 9 * MIN)).toBeNull();
    expect(shutdownReason(t, initialWatch, ups('OL'), windows, 10 * MIN)).toEqual({
      reason: 'planned outage window opened (grid works)',
      windowId: 'w1',
    });
    expect(shutdownReason(t, { ...initialWatch, firedWindows: ['w1'] }, ups('OL'), windows, 11 * MIN)).toBeNull();
  });

  it('flapping OL/OB every 20 s never adds up to the N minutes', () => {
    let w: PowerWatch = initialWatch;
    for (let now = 0; now < 30 * MIN; now += 20_000) {
      w = watchReading(w, ups((now / 20_000) % 2 === 0 ? 'OB' : 'OL'), now);
      expect(shutdownReason(t, w, ups('OL'), [], now)).toBeNull();
    }
  });
});

describe('worstReading', () => {
  it('prefers low battery, then on battery, then the least runtime', () => {
    expect(worstReading([ups('OL'), ups('OB', '900'), ups('OB', '300')])?.runtimeSeconds).toBe(300);
    expect(worstReading([ups('OB', '100'), ups('OB LB', '900')])?.lowBattery).toBe(true);
    expect(worstReading([noReading('unreachable', 'x')])).toBeNull();
  });
});
