import { expect, it } from 'vitest';
import { packSamples, type RawSample, unpackSamples } from './raw-packing.js';

const HOUR = 3600_000;
const H = 493_000;

/** A seeded generator, so that a failing hour can be found again. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The bench's hour (bench/storage.mjs): once a minute at the check's own second, 0–100 ms late, latencies
 * 0.3 + 40·r³ ms in 0.1 ms steps, 3 % failures with a text of their own. */
function realisticHour(r: () => number, phase: number): RawSample[] {
  return Array.from({ length: 60 }, (_, m) => {
    const fail = r() < 0.03;
    return {
      at: H * HOUR + phase + m * 60_000 + Math.floor(r() * 100),
      status: fail ? 2 : 0,
      latency: fail ? null : Math.round((0.3 + r() ** 3 * 40) * 10) * 100,
      text: fail ? 1_000_000 + Math.floor(r() * 1e6) : 7,
    };
  });
}

it('gives back random hours exactly', () => {
  const r = random(14);
  for (let round = 0; round < 2000; round++) {
    const n = Math.floor(r() * 130);
    const times = new Set<number>();
    while (times.size < n) times.add(H * HOUR + Math.floor(r() ** (round % 3 ? 1 : 4) * HOUR));
    const scale = [1, 100, 1000, 7][round % 4]!;
    const samples: RawSample[] = [...times].map((at) => ({
      at,
      status: Math.floor(r() * 3),
      latency: r() < 0.1 ? null : Math.floor((r() ** 2 * (round % 5 ? 50_000 : 60_000_000)) / scale) * scale,
      text: r() < 0.7 ? 3 : Math.floor(r() * 2 ** (round % 40)),
    }));
    const packed = packSamples(H, [...samples].reverse());
    expect(unpackSamples(H, packed)).toEqual(samples.sort((a, b) => a.at - b.at));
  }
  expect(unpackSamples(H, packSamples(H, []))).toEqual([]);
});

it('packs a realistic hour in a few bytes a result', () => {
  const r = random(6);
  const sizes = Array.from({ length: 200 }, (_, i) => {
    const hour = realisticHour(r, (i * 997) % 60_000);
    const packed = packSamples(H, hour);
    expect(unpackSamples(H, packed)).toEqual(hour);
    return packed.length;
  });
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  // Times 1–2 bytes, status and latency change 2, a varying failure text 3 (measured: ~211 B an hour).
  console.log(`raw-packing: the bench's hour of 60 results packs into ${mean.toFixed(1)} B on average`);
  expect(mean).toBeLessThan(60 * 4.5);
  // A steady check: every 60 s to the ms, latency within ±0.3 ms, always up: ~2 bytes a result.
  const steady = Array.from({ length: 60 }, (_, m) => ({
    at: H * HOUR + 12_345 + m * 60_000,
    status: 0,
    latency: 12_000 + ((m * 7) % 7) * 100 - 300,
    text: 7,
  }));
  expect(packSamples(H, steady).length).toBeLessThan(60 * 2 + 10);
});

it('gives back what a store may hold, however odd: negative latencies, two results in one ms', () => {
  const odd: RawSample[] = [
    { at: H * HOUR, status: 0, latency: -300, text: 1 },
    { at: H * HOUR + 7, status: 1, latency: 0, text: 1 },
    { at: H * HOUR + 7, status: 2, latency: 2 ** 40, text: 2 },
    { at: H * HOUR + HOUR - 1, status: 0, latency: -(2 ** 40), text: 0 },
  ];
  expect(unpackSamples(H, packSamples(H, odd))).toEqual(odd);
});

it('refuses what it cannot give back', () => {
  const one = (at: number, status = 0): RawSample => ({ at, status, latency: 1000, text: 1 });
  expect(() => packSamples(H, [one((H + 1) * HOUR)])).toThrow(RangeError);
  expect(() => packSamples(H, [one(H * HOUR - 1)])).toThrow(RangeError);
  expect(() => packSamples(H, [{ ...one(H * HOUR), latency: 2 ** 60 }])).toThrow(RangeError);
  expect(() => packSamples(H, [one(H * HOUR, 3)])).toThrow(RangeError);
  const packed = packSamples(H, [one(H * HOUR + 5), one(H * HOUR + 6)]);
  expect(() => unpackSamples(H, packed.slice(0, packed.length - 1))).toThrow(RangeError);
});
