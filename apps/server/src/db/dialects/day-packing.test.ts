import { describe, expect, it } from 'vitest';
import { type HourSums, packDay, unpackDay } from './day-packing.js';

const steady = (hour: number): HourSums => ({
  hour,
  count: 60,
  failures: hour % 5 === 0 ? 2 : 0,
  latencyCount: 60 - (hour % 7 === 0 ? 1 : 0),
  latencySum: 720_000 + hour * 1_237,
  latencyMin: 10_400 + (hour % 3) * 17,
  latencyMax: 19_000 - hour * 13,
});

describe('a day of hourly roll-ups, packed', () => {
  it('gives back every figure of a full day exactly, in about 8 bytes an hour', () => {
    const hours = Array.from({ length: 24 }, (_, h) => steady(h));
    const packed = packDay([...hours].reverse());
    expect(unpackDay(packed)).toEqual(hours);
    expect(packed.length).toBeLessThan(24 * 10);
  });

  it('keeps only the hours that had results, nulls, zeros, and figures far apart', () => {
    const hours: HourSums[] = [
      { hour: 0, count: 1, failures: 1, latencyCount: 0, latencySum: 0, latencyMin: null, latencyMax: null },
      { ...steady(3), latencySum: 2 ** 40, latencyMax: 2 ** 33 },
      { hour: 9, count: 3600, failures: 3600, latencyCount: 0, latencySum: 0, latencyMin: null, latencyMax: null },
      { ...steady(23), count: 2, latencyCount: 2 },
    ];
    expect(unpackDay(packDay(hours))).toEqual(hours);
    expect(unpackDay(packDay([]))).toEqual([]);
  });

  it('refuses what it cannot keep exactly', () => {
    expect(() => packDay([{ ...steady(1), latencySum: 1.5 }])).toThrow(RangeError);
    expect(() => packDay([{ ...steady(24) }])).toThrow(RangeError);
    expect(() => unpackDay(packDay([steady(2)]).slice(0, 6))).toThrow(RangeError);
  });
});
