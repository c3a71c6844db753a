import { packedReader, unzigzag, writeVarint, zigzag } from './varint.js';

/**
 * The raw results of one check and closed hour, packed losslessly (check_sample_hours.samples, migration 0023):
 *
 *   count · latency unit (µs; the greatest common divisor of the hour's latencies, 1 when none) ·
 *   per result, in time order: time · head · text (when it differs from the previous result's)
 *
 * time: the first result's ms since the hour began, the second's ms since the first, then zigzag of the change
 * of that interval (a check run every 60 s ± jitter: 1–2 bytes). head, a varint: status (2 bits: 0 up,
 * 1 degraded, 2 down) + 4 × same text + 8 × has latency + 16 × zigzag(latency − previous latency, in units).
 * Every figure comes back exactly (ms, µs, text number).
 */

export interface RawSample {
  /** ms since 1970 */
  at: number;
  /** 0 up, 1 degraded, 2 down */
  status: number;
  /** µs, or null */
  latency: number | null;
  /** check_texts.id */
  text: number;
}

const HOUR_MS = 3600_000;

const gcd = (a: number, b: number): number => {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x;
};

/**
 * Packs the results of hour `hour` (hours since 1970; any order). Throws a RangeError for what it cannot give
 * back exactly: a time outside the hour, a status other than 0–2, a latency that is not a safe integer.
 */
export function packSamples(hour: number, samples: readonly RawSample[]): Uint8Array {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const start = hour * HOUR_MS;
  const unit = sorted.reduce((g, s) => (s.latency ? gcd(s.latency, g) : g), 0) || 1;
  const out: number[] = [];
  writeVarint(out, sorted.length);
  writeVarint(out, unit);
  let at = start;
  let interval = 0;
  let latency = 0;
  let text = -1;
  sorted.forEach((s, i) => {
    if (!Number.isSafeInteger(s.at) || s.at < start || s.at >= start + HOUR_MS) throw new RangeError(`time ${s.at}`);
    if (s.status !== 0 && s.status !== 1 && s.status !== 2) throw new RangeError(`status ${s.status}`);
    if (i < 2) writeVarint(out, s.at - at);
    else writeVarint(out, zigzag(s.at - at - interval));
    if (i > 0) interval = s.at - at;
    at = s.at;
    const same = s.text === text ? 4 : 0;
    if (s.latency === null) writeVarint(out, s.status + same);
    else {
      const units = s.latency / unit;
      writeVarint(out, s.status + same + 8 + 16 * zigzag(units - latency));
      latency = units;
    }
    if (!same) writeVarint(out, s.text);
    text = s.text;
  });
  return Uint8Array.from(out);
}

/** The results of a packed hour `hour`, in time order. */
export function unpackSamples(hour: number, packed: Uint8Array): RawSample[] {
  const { varint } = packedReader(packed, 0, 'packed hour of results');
  const count = varint();
  const unit = varint();
  const samples: RawSample[] = [];
  let at = hour * HOUR_MS;
  let interval = 0;
  let latency = 0;
  let text = -1;
  for (let i = 0; i < count; i++) {
    const step = i < 2 ? varint() : interval + unzigzag(varint());
    if (i > 0) interval = step;
    at += step;
    const head = varint();
    const status = head % 4;
    if (Math.floor(head / 8) % 2) latency += unzigzag(Math.floor(head / 16));
    if (!(Math.floor(head / 4) % 2)) text = varint();
    samples.push({ at, status, latency: Math.floor(head / 8) % 2 ? latency * unit : null, text });
  }
  return samples;
}
