import { describe, expect, it } from 'vitest';
import { START_TICK_MS, startTickDelay } from './start-tick.js';

describe('start ticks', () => {
  it('starts a check on the first whole tick at or after its slot, never before it', () => {
    expect(startTickDelay(-5)).toBe(0);
    expect(startTickDelay(0)).toBe(0);
    expect(startTickDelay(1)).toBe(START_TICK_MS);
    expect(startTickDelay(START_TICK_MS)).toBe(START_TICK_MS);
    expect(startTickDelay(START_TICK_MS + 1)).toBe(2 * START_TICK_MS);
  });
});
