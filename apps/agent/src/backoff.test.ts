import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './backoff.js';

describe('reconnection delay', () => {
  it.each([
    [0, 0, 500],
    [0, 1, 1000],
    [1, 0, 1000],
    [3, 1, 8000],
    [5, 0.5, 24_000],
    [6, 1, 60_000],
    [50, 0, 30_000],
    [50, 1, 60_000],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(reconnectDelayMs(attempt, () => random)).toBe(expected);
  });

  it('spreads agents over half the ceiling and never goes past 60 s', () => {
    const delays = Array.from({ length: 1000 }, () => reconnectDelayMs(10, Math.random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(30_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(60_000);
    expect(new Set(delays).size).toBeGreaterThan(100);
  });
});
