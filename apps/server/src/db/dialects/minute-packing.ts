import { packedReader, unzigzag, writeVarint, zigzag } from './varint.js';

/**
 * The per-minute roll-ups of one check and hour, packed (check_minutes.minutes, migration 0017): a byte that
 * says whether every minute had results (1) or a 64-bit map of those that did follows (0), then one entry
 * per such minute, in order. Most minutes hold one result, so an entry is usually one byte: two bits of kind
 * and six of latency change since the previous minute.
 *
 *   kind 0: one result, not a failure, with a latency · kind 3: one failure with a latency
 *       payload z = zigzag(latency − previous latency) when below 63; else 63 and z − 63 as a varint
 *   kind 1: one failure without a latency (payload 0)
 *   kind 2: anything else; count, failures, latency count and latency sum follow as varints
 *
 * Latencies are kept in 0.1 ms steps (a chart's resolution; the hourly tier keeps µs).
 */

export interface MinuteSums {
  /** 0–59 in a packed hour (minutes since 1970 where said) */
  minute: number;
  count: number;
  failures: number;
  latencyCount: number;
  /** ms, in 0.1 ms steps */
  latencySumMs: number;
}

const ESCAPE = 63;

/** Packs one hour's minutes (any order; at most one entry per minute). */
export function packMinutes(minutes: readonly MinuteSums[]): Uint8Array {
  const sorted = [...minutes].sort((a, b) => a.minute - b.minute);
  const full = sorted.length === 60;
  const out: number[] = full ? [1] : [0, 0, 0, 0, 0, 0, 0, 0, 0];
  let previous = 0;
  for (const m of sorted) {
    if (m.minute < 0 || m.minute > 59 || !Number.isInteger(m.minute)) throw new RangeError(`minute ${m.minute}`);
    if (!full) out[1 + (m.minute >> 3)]! |= 1 << (m.minute & 7);
    const tenths = Math.round(m.latencySumMs * 10);
    if (m.count === 1 && m.latencyCount === 1) {
      const kind = m.failures ? 3 : 0;
      const z = zigzag(tenths - previous);
      if (z < ESCAPE) out.push((kind << 6) | z);
      else {
        out.push((kind << 6) | ESCAPE);
        writeVarint(out, z - ESCAPE);
      }
      previous = tenths;
    } else if (m.count === 1 && m.failures === 1 && m.latencyCount === 0) {
      out.push(1 << 6);
    } else {
      out.push(2 << 6);
      writeVarint(out, m.count);
      writeVarint(out, m.failures);
      writeVarint(out, m.latencyCount);
      writeVarint(out, tenths);
      if (m.latencyCount) previous = Math.round(tenths / m.latencyCount);
    }
  }
  return Uint8Array.from(out);
}

export function unpackMinutes(packed: Uint8Array): MinuteSums[] {
  const minutes: MinuteSums[] = [];
  const full = packed[0] === 1;
  const { byte, varint } = packedReader(packed, full ? 1 : 9, 'minute roll-up');
  let previous = 0;
  for (let minute = 0; minute < 60; minute++) {
    if (!full && !((packed[1 + (minute >> 3)] ?? 0) & (1 << (minute & 7)))) continue;
    const head = byte();
    const kind = head >> 6;
    const payload = head & 0x3f;
    if (kind === 0 || kind === 3) {
      const tenths = previous + unzigzag(payload === ESCAPE ? ESCAPE + varint() : payload);
      previous = tenths;
      minutes.push({ minute, count: 1, failures: kind === 3 ? 1 : 0, latencyCount: 1, latencySumMs: tenths / 10 });
    } else if (kind === 1) {
      minutes.push({ minute, count: 1, failures: 1, latencyCount: 0, latencySumMs: 0 });
    } else {
      const count = varint();
      const failures = varint();
      const latencyCount = varint();
      const tenths = varint();
      if (latencyCount) previous = Math.round(tenths / latencyCount);
      minutes.push({ minute, count, failures, latencyCount, latencySumMs: tenths / 10 });
    }
  }
  return minutes;
}
