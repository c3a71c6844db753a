import type SQLite from 'better-sqlite3';

export type Statement = SQLite.Statement<unknown[], unknown>;

/** `insert into <table> (the row's columns) values (@column, …)`, prepared once per table and set of columns. */
export function insertNamed(db: SQLite.Database) {
  const cache = new Map<string, Statement>();
  return (table: string, row: object): Statement => {
    const columns = Object.keys(row);
    const key = `${table}:${columns.join(',')}`;
    let statement = cache.get(key);
    if (!statement) {
      statement = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
      cache.set(key, statement);
    }
    return statement;
  };
}
