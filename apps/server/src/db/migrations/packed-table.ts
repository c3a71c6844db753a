import type { DialectSupport } from '../dialects/types.js';

/**
 * The statement making a packed history tier's table: one blob per check series and hour or day, clustered by
 * both (SQLite `WITHOUT ROWID`, PostgreSQL primary key), gone with its series.
 */
export const packedTable = (d: DialectSupport, table: string, period: 'hour' | 'day', blob: string): string =>
  `create table ${table} (series integer not null references check_series(no) on delete cascade,
    ${period} integer not null, ${blob} ${d.name === 'sqlite' ? 'blob' : 'bytea'} not null,
    primary key (series, ${period}))${d.name === 'sqlite' ? ' without rowid' : ''}`;
