import { describe, expect, it } from 'vitest';
import { positionAfter, roundOf, type PolicySnapshot } from './steps.js';

const step = { targets: [{ type: 'user' as const, id: '00000000-0000-4000-8000-000000000001' }], waitMinutes: 5 };
const policy = (steps: number, repeat: number): PolicySnapshot => ({
  id: null,
  name: 'p',
  steps: Array.from({ length: steps }, () => step),
  repeat,
});

describe('positionAfter', () => {
  it.each([
    { steps: 2, repeat: 0, at: { step: 0, pass: 0 }, next: { step: 1, pass: 0 } },
    { steps: 2, repeat: 0, at: { step: 1, pass: 0 }, next: null },
    { steps: 2, repeat: 1, at: { step: 1, pass: 0 }, next: { step: 0, pass: 1 } },
    { steps: 2, repeat: 1, at: { step: 1, pass: 1 }, next: null },
    { steps: 1, repeat: 2, at: { step: 0, pass: 1 }, next: { step: 0, pass: 2 } },
    { steps: 1, repeat: 0, at: { step: 0, pass: 0 }, next: null },
  ])('$steps steps, repeat $repeat, after $at → $next', ({ steps, repeat, at, next }) => {
    expect(positionAfter(policy(steps, repeat), at)).toEqual(next);
  });

  it('rounds differ per epoch, pass and step', () => {
    expect(
      new Set([roundOf(1, { step: 0, pass: 0 }), roundOf(1, { step: 0, pass: 1 }), roundOf(2, { step: 0, pass: 0 })])
        .size,
    ).toBe(3);
  });
});
