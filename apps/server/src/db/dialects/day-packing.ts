import type { RollupSums } from '../../domain/monitoring/uptime.js';
import { packedReader, unzigzag, writeVarint, zigzag } from './varint.js';

/**
 * The hourly roll-ups of one check and day, packed (check_days.hours, migration 0021): a byte that says
 * whether all 24 hours had results (1) or a 24-bit map of those that did follows (0), then one entry per such
 * hour, in order, of six varints, each against the previous hour so that a steady check's hour is ~8 bytes:
 *
 *   zigzag(count − previous count) · failures · zigzag(count − latency count) ·
 *   zigzag(latency sum − previous latency sum) · latency min, max: 0 when null, else zigzag(v − previous v) + 1
 *
 * Every figure is the hourly row's integer, exactly (latencies in µs, as check_hourly keeps them).
 */

/** An hourly roll-up row's figures; latencies in µs here, as check_hourly keeps them. */
export interface HourSums extends RollupSums {
  /** 0–23 in a packed day (hours since 1970 where said) */
  hour: number;
}

/** Packs one day's hours (any order; at most one entry per hour). */
export function packDay(hours: readonly HourSums[]): Uint8Array {
  const sorted = [...hours].sort((a, b) => a.hour - b.hour);
  const full = sorted.length === 24;
  const out: number[] = full ? [1] : [0, 0, 0, 0];
  let count = 0;
  let sum = 0;
  let min = 0;
  let max = 0;
  for (const h of sorted) {
    if (h.hour < 0 || h.hour > 23 || !Number.isInteger(h.hour)) throw new RangeError(`hour ${h.hour}`);
    if (!full) out[1 + (h.hour >> 3)]! |= 1 << (h.hour & 7);
    writeVarint(out, zigzag(h.count - count));
    writeVarint(out, h.failures);
    writeVarint(out, zigzag(h.count - h.latencyCount));
    writeVarint(out, zigzag(h.latencySum - sum));
    writeVarint(out, h.latencyMin === null ? 0 : zigzag(h.latencyMin - min) + 1);
    writeVarint(out, h.latencyMax === null ? 0 : zigzag(h.latencyMax - max) + 1);
    count = h.count;
    sum = h.latencySum;
    if (h.latencyMin !== null) min = h.latencyMin;
    if (h.latencyMax !== null) max = h.latencyMax;
  }
  return Uint8Array.from(out);
}

export function unpackDay(packed: Uint8Array): HourSums[] {
  const hours: HourSums[] = [];
  const full = packed[0] === 1;
  const { varint } = packedReader(packed, full ? 1 : 4, 'day of roll-ups');
  let count = 0;
  let sum = 0;
  let min = 0;
  let max = 0;
  for (let hour = 0; hour < 24; hour++) {
    if (!full && !((packed[1 + (hour >> 3)] ?? 0) & (1 << (hour & 7)))) continue;
    count += unzigzag(varint());
    const failures = varint();
    const latencyCount = count - unzigzag(varint());
    sum += unzigzag(varint());
    const minCode = varint();
    const maxCode = varint();
    if (minCode) min += unzigzag(minCode - 1);
    if (maxCode) max += unzigzag(maxCode - 1);
    hours.push({
      hour,
      count,
      failures,
      latencyCount,
      latencySum: sum,
      latencyMin: minCode ? min : null,
      latencyMax: maxCode ? max : null,
    });
  }
  return hours;
}
