import { describe, expect, it } from 'vitest';
import { appendToSparkline, parseSparkline, SPARKLINE_POINTS } from './sparkline.js';

/** What the sparkline was before it was kept as text: parse, push, keep the last 30, stringify. */
function byJson(text: string, point: number | null): string {
  const points = parseSparkline(text);
  points.push(point);
  return JSON.stringify(points.slice(-SPARKLINE_POINTS));
}

describe('appendToSparkline', () => {
  it('writes the same text as parsing, pushing and stringifying', () => {
    let text = '[]';
    let expected = '[]';
    const values = [0.3, null, 12, 1234.56, 0, 1e-7, 99.99, 5e21, null, 7];
    for (let i = 0; i < 100; i++) {
      const point = values[i % values.length]!;
      text = appendToSparkline(text, point);
      expected = byJson(expected, point);
      expect(text).toBe(expected);
    }
    expect(parseSparkline(text)).toHaveLength(SPARKLINE_POINTS);
  });

  it('starts from text in any other form as JSON would read it', () => {
    expect(appendToSparkline('[1.50, 2]', 3)).toBe('[1.5,2,3]');
    expect(appendToSparkline('not json', 3)).toBe('[3]');
    expect(appendToSparkline('{"a":1}', null)).toBe('[null]');
    const long = JSON.stringify(Array.from({ length: 40 }, (_, i) => i));
    expect(appendToSparkline(long, 40)).toBe(byJson(long, 40));
    expect(appendToSparkline(long.replace(/,/g, ', '), 40)).toBe(byJson(long, 40));
  });
});
