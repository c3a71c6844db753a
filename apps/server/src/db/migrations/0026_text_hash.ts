import { type Kysely, sql } from 'kysely';
import { KEY_EPOCH_MS, KEY_GROUP_BITS, KEY_SERIES_STEP } from '../dialects/result-key.js';
import type { DialectSupport } from '../dialects/types.js';

/**
 * PostgreSQL: the text dictionary's texts kept unique by a hash index instead of a B-tree
 * (docs/adr/0016-result-keys.md). The unique B-tree on (source, status, message) stored every message a second
 * time, in pages ~70 % full (the texts come in random order): ~105 B a text of the ~230 a new text cost. An
 * exclusion constraint over a hash index of the three as one composite value (`check_text_key`) keeps them
 * unique with ~30 B an entry (a 4-byte hash and the row pointer; pages filled to 100 %, since entries never
 * grow). `ON CONFLICT DO NOTHING` (no target) works with it; `DO UPDATE` does not, so the store and the view's
 * insert trigger look a text up by the same composite expression, which the planner answers from the index.
 * The primary key's pages are filled to 100 % too (ids only ever grow: its pages split at the right end).
 * SQLite keeps its unique index (~25 B a text there): nothing.
 */
export function textHash(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      if (d.name !== 'postgres') return;
      const run = async (...statements: string[]) => {
        for (const s of statements) await sql.raw(s).execute(db);
      };
      // The constraints kept the names 0022 gave them on check_texts_new.
      const { rows } = await sql<{ unique: string; pkey: string }>`
        select (select conname from pg_constraint where conrelid = 'check_texts'::regclass and contype = 'u') as unique,
          (select i.relname from pg_index x join pg_class i on i.oid = x.indexrelid
            where x.indrelid = 'check_texts'::regclass and x.indisprimary) as pkey`.execute(db);
      const { unique, pkey } = rows[0]!;
      const key = (series: string, at: string) => `(${series} * ${KEY_SERIES_STEP} + (${at} - ${KEY_EPOCH_MS}))`;
      await run(
        'create type check_text_key as (source text, status smallint, message text)',
        `alter table check_texts add constraint check_texts_text
          exclude using hash ((row(source, status, message)::check_text_key) with =) with (fillfactor = 100)`,
        `alter table check_texts drop constraint "${unique}"`,
        `alter index "${pkey}" set (fillfactor = 100)`,
        // 0022's function, the text now looked up through the constraint's index.
        `create or replace function check_results_insert() returns trigger language plpgsql as $$
          declare sno integer; tid integer; k bigint;
            ms bigint := round(extract(epoch from new.at) * 1000)::bigint;
            st smallint := case new.status when 'up' then 0 when 'degraded' then 1 else 2 end;
          begin
            insert into check_series (check_id) values (new.check_id) on conflict (check_id) do nothing;
            select no into sno from check_series where check_id = new.check_id;
            insert into check_texts (source, status, message, last_hour)
              values (new.source, st, new.message, (ms / 3600000)::integer) on conflict do nothing;
            update check_texts set last_hour = greatest(last_hour, (ms / 3600000)::integer)
              where row(source, status, message)::check_text_key = row(new.source, st, new.message)::check_text_key
              returning id into tid;
            k := ${key('sno::bigint', 'ms')};
            insert into check_samples (key, latency, text)
              select k, round(new.latency_ms * 1000)::integer, tid
              where not exists (select 1 from check_samples
                where key >> ${KEY_GROUP_BITS} = k >> ${KEY_GROUP_BITS} and key = k);
            return new;
          end $$`,
      );
    },
  };
}
