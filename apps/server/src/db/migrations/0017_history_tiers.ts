import { sql, type Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * History tiers (docs/adr/0012-history-tiers.md):
 * - per-minute roll-ups as one row per check and hour, the hour's minutes packed in about a byte each
 *   (`check_minutes`, written from raw results by the retention job once an hour is over;
 *   `history_marks.minutes` is the last hour written);
 * - the hour each dictionary text was last used (`check_texts.last_hour`), so that texts no result refers to
 *   any more can be deleted. A raw result's text stops being a foreign key: checking it on every deleted text
 *   would read all raw results (they have no index by text). The store keeps a text's hour current instead.
 */
export function historyTiers(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      const run = async (...statements: string[]) => {
        for (const s of statements) await sql.raw(s).execute(db);
      };
      if (d.name === 'sqlite') {
        const nowHour = `(cast(strftime('%s', 'now') as integer) / 3600)`;
        const ms = (col: string) => `(strftime('%s', ${col}) * 1000 + cast(substr(${col}, 21, 3) as integer))`;
        const status = (col: string) => `case ${col} when 'up' then 0 when 'degraded' then 1 else 2 end`;
        // SQLite cannot drop a constraint or add a column with a computed default: both tables are copied.
        await run(
          'drop trigger check_results_insert',
          'drop view check_results',
          `create table check_samples_new (series integer not null references check_series(no) on delete cascade,
            at integer not null, status integer not null, latency integer, text integer not null,
            primary key (series, at)) without rowid`,
          'insert into check_samples_new (series, at, status, latency, text) select series, at, status, latency, text from check_samples order by series, at',
          'drop table check_samples',
          `create table check_texts_new (id integer primary key, source text not null, message text not null,
            last_hour integer not null default ${nowHour}, unique (source, message))`,
          `insert into check_texts_new (id, source, message, last_hour) select id, source, message, ${nowHour} from check_texts order by id`,
          'drop table check_texts',
          'alter table check_texts_new rename to check_texts',
          'alter table check_samples_new rename to check_samples',
          `create view check_results as
            select s.check_id as check_id,
              (strftime('%Y-%m-%dT%H:%M:%S', r.at / 1000, 'unixepoch') || '.' || substr('00' || (r.at % 1000), -3) || 'Z') as at,
              case r.status when 0 then 'up' when 1 then 'degraded' else 'down' end as status,
              r.latency / 1000.0 as latency_ms, t.message as message, t.source as source
            from check_samples r join check_series s on s.no = r.series join check_texts t on t.id = r.text`,
          `create trigger check_results_insert instead of insert on check_results begin
            insert or ignore into check_series (check_id) values (new.check_id);
            insert or ignore into check_texts (source, message) values (new.source, new.message);
            update check_texts set last_hour = max(last_hour, ${ms('new.at')} / 3600000)
              where source = new.source and message = new.message;
            insert or ignore into check_samples (series, at, status, latency, text)
              select s.no, ${ms('new.at')}, ${status('new.status')}, cast(round(new.latency_ms * 1000) as integer), t.id
              from check_series s, check_texts t
              where s.check_id = new.check_id and t.source = new.source and t.message = new.message;
          end`,
          `create table check_minutes (series integer not null references check_series(no) on delete cascade,
            hour integer not null, minutes blob not null, primary key (series, hour)) without rowid`,
        );
      } else {
        await run(
          'alter table check_samples drop constraint check_samples_text_fkey',
          `alter table check_texts add column last_hour integer not null default (extract(epoch from now()) / 3600)::integer`,
          `create table check_minutes (series integer not null references check_series(no) on delete cascade,
            hour integer not null, minutes bytea not null, primary key (series, hour))`,
          // 0010's trigger on the check_results view, now also keeping the text's hour current.
          `create or replace function check_results_insert() returns trigger language plpgsql as $$
            declare sno integer; tid integer; ms bigint := round(extract(epoch from new.at) * 1000)::bigint;
            begin
              insert into check_series (check_id) values (new.check_id) on conflict (check_id) do nothing;
              select no into sno from check_series where check_id = new.check_id;
              insert into check_texts (source, message) values (new.source, new.message) on conflict (source, message) do nothing;
              update check_texts set last_hour = greatest(last_hour, (ms / 3600000)::integer)
                where source = new.source and message = new.message returning id into tid;
              insert into check_samples (at, series, text, latency, status)
                select ms, sno, tid, round(new.latency_ms * 1000)::integer,
                  case new.status when 'up' then 0 when 'degraded' then 1 else 2 end
                where not exists (select 1 from check_samples where series = sno and at / 3600000 = ms / 3600000 and at = ms);
              return new;
            end $$`,
        );
      }
      await run(
        'create table history_marks (name text primary key, hour integer)',
        `insert into history_marks (name, hour) values ('minutes', null)`,
      );
    },
  };
}
