import { describe, expect, it } from 'vitest';
import {
  decodeKey,
  encodeKey,
  KEY_END_MS,
  KEY_EPOCH_MS,
  KEY_MAX_SERIES,
  KeyLimitError,
  keyable,
  keyParam,
} from './result-key.js';

describe('result keys', () => {
  it('pack series and time into one integer that orders by series, then time, and unpack them exactly', () => {
    const at = Date.parse('2026-12-06T07:45:12.345Z');
    for (const series of [0, 1, 4095, 4096, 1_000_000, KEY_MAX_SERIES])
      for (const ms of [KEY_EPOCH_MS, at, KEY_END_MS - 1])
        expect(decodeKey(encodeKey(series, ms))).toEqual({ series, at: ms });
    expect(encodeKey(2, KEY_EPOCH_MS)).toBeGreaterThan(encodeKey(1, KEY_END_MS - 1));
    expect(encodeKey(1, at + 1)).toBeGreaterThan(encodeKey(1, at));
    expect(encodeKey(KEY_MAX_SERIES, KEY_END_MS - 1)).toBe(2n ** 63n - 1n);
    expect(decodeKey(keyParam(7, at))).toEqual({ series: 7, at });
  });

  it('hold 4,194,303 series and the times from 2020 to 2089, and refuse anything else', () => {
    expect(KEY_MAX_SERIES).toBe(4_194_303);
    expect(new Date(KEY_EPOCH_MS).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(new Date(KEY_END_MS).toISOString()).toBe('2089-09-06T15:47:35.552Z');
    expect(keyable(KEY_EPOCH_MS - 1)).toBe(false);
    expect(keyable(KEY_END_MS)).toBe(false);
    expect(keyable(1.5 + KEY_EPOCH_MS)).toBe(false);
    expect(() => encodeKey(KEY_MAX_SERIES + 1, KEY_EPOCH_MS)).toThrow(KeyLimitError);
    expect(() => encodeKey(-1, KEY_EPOCH_MS)).toThrow(KeyLimitError);
    expect(() => encodeKey(1, KEY_EPOCH_MS - 1)).toThrow(RangeError);
  });
});
