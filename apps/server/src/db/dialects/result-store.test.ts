import { describe, expect, it } from 'vitest';
import { CHECK_STATE_COLUMNS, checkStateRowOf } from './result-store.js';

describe('checkStateRowOf', () => {
  it('names each value by its column, in CHECK_STATE_COLUMNS order', () => {
    const row = checkStateRowOf(CHECK_STATE_COLUMNS) as unknown as Record<string, unknown>;
    expect(Object.keys(row)).toEqual([...CHECK_STATE_COLUMNS]);
    for (const column of CHECK_STATE_COLUMNS) expect(row[column]).toBe(column);
  });
});
