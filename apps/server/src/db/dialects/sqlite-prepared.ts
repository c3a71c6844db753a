import type SQLite from 'better-sqlite3';

export type Statement = SQLite.Statement<unknown[], unknown>;

const caches = new WeakMap<SQLite.Database, Map<string, Statement>>();

/**
 * `insert into <table> (the row's columns) values (@column, …)`, prepared once per database, table and set
 * of columns (the ping and result stores share one cache: both insert state changes).
 */
export function insertNamed(db: SQLite.Database) {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const statements = cache;
  return (table: string, row: object): Statement => {
    const columns = Object.keys(row);
    const key = `${table}:${columns.join(',')}`;
    let statement = statements.get(key);
    if (!statement) {
      statement = db.prepare(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
      );
      statements.set(key, statement);
    }
    return statement;
  };
}
