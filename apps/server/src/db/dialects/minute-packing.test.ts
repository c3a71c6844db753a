import { expect, it } from 'vitest';
import { type MinuteSums, packMinutes, unpackMinutes } from './minute-packing.js';

const one = (minute: number, latencyMs: number | null, failed = false): MinuteSums => ({
  minute,
  count: 1,
  failures: failed ? 1 : 0,
  latencyCount: latencyMs === null ? 0 : 1,
  latencySumMs: latencyMs ?? 0,
});

it('packs a minute of one result with a steady latency into one byte', () => {
  const hour = Array.from({ length: 60 }, (_, m) => one(m, 12 + (m % 3) / 10));
  const packed = packMinutes(hour);
  // "every minute"; the first latency, a change of +12 ms from 0 (a byte, then zigzag 240 − 63 in two); a byte a minute
  expect(packed.length).toBe(1 + 3 + 59);
  expect(unpackMinutes(packed)).toEqual(hour);
});

it('keeps failures, gaps, several results a minute and large jumps', () => {
  const minutes: MinuteSums[] = [
    one(0, 250.3),
    one(1, null, true),
    one(2, 30_000, true),
    { minute: 7, count: 6, failures: 2, latencyCount: 4, latencySumMs: 48.8 },
    { minute: 8, count: 1, failures: 0, latencyCount: 0, latencySumMs: 0 },
    one(9, 12.1),
    one(59, 0),
  ];
  const back = unpackMinutes(packMinutes([...minutes].reverse()));
  expect(back).toEqual(minutes);
  expect(unpackMinutes(packMinutes([]))).toEqual([]);
  const hour = Array.from({ length: 60 }, (_, m) => one(m, m % 2 ? 5 : 900.7, m % 5 === 0));
  expect(unpackMinutes(packMinutes(hour))).toEqual(hour);
});

it('refuses a minute outside the hour and a truncated row', () => {
  expect(() => packMinutes([one(60, 1)])).toThrow(RangeError);
  const packed = packMinutes([one(5, 1234.5)]);
  expect(() => unpackMinutes(packed.slice(0, packed.length - 1))).toThrow(RangeError);
});
