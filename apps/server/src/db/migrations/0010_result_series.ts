import { sql, type Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * Check results as a time series (docs/adr/0007-check-results-as-a-time-series.md): each check gets a small
 * integer series number, each (source, message) a number in a dictionary, and a result is a row of five
 * integers — series, time in ms, status (0 up, 1 degraded, 2 down), latency in µs, text — clustered by
 * series and time on SQLite (WITHOUT ROWID), one row per check and hour for the roll-ups. The old tables'
 * rows are copied over and the old names stay as read-only views of the new ones (writable through a
 * trigger), so that anything that read `check_results` / `check_rollups` still works.
 */
export function resultSeries(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      const run = async (...statements: string[]) => {
        for (const s of statements) await sql.raw(s).execute(db);
      };
      const status = (col: string) => `case ${col} when 'up' then 0 when 'degraded' then 1 else 2 end`;
      const statusText = (col: string) => `case ${col} when 0 then 'up' when 1 then 'degraded' else 'down' end`;
      if (d.name === 'sqlite') {
        const ms = (col: string) => `(strftime('%s', ${col}) * 1000 + cast(substr(${col}, 21, 3) as integer))`;
        const iso = (msCol: string) =>
          `(strftime('%Y-%m-%dT%H:%M:%S', ${msCol} / 1000, 'unixepoch') || '.' || substr('00' || (${msCol} % 1000), -3) || 'Z')`;
        await run(
          `create table check_series (no integer primary key, check_id text not null unique references checks(id) on delete cascade)`,
          `create table check_texts (id integer primary key, source text not null, message text not null, unique (source, message))`,
          `create table check_samples (series integer not null references check_series(no) on delete cascade,
            at integer not null, status integer not null, latency integer, text integer not null references check_texts(id),
            primary key (series, at)) without rowid`,
          `create table check_hourly (series integer not null references check_series(no) on delete cascade,
            hour integer not null, count integer not null, failures integer not null, latency_count integer not null,
            latency_sum integer not null, latency_min integer, latency_max integer,
            primary key (series, hour)) without rowid`,
          `insert into check_series (check_id) select id from checks order by created_at, id`,
          `insert into check_texts (source, message) select distinct source, message from check_results order by source, message`,
          `insert into check_samples (series, at, status, latency, text)
            select s.no, ${ms('r.at')}, ${status('r.status')}, cast(round(r.latency_ms * 1000) as integer), t.id
            from check_results r join check_series s on s.check_id = r.check_id
            join check_texts t on t.source = r.source and t.message = r.message
            order by s.no, r.at`,
          `insert into check_hourly (series, hour, count, failures, latency_count, latency_sum, latency_min, latency_max)
            select s.no, ${ms('h.hour')} / 3600000, h.count, h.failures, h.latency_count,
              cast(round(h.latency_sum * 1000) as integer), cast(round(h.latency_min * 1000) as integer),
              cast(round(h.latency_max * 1000) as integer)
            from check_rollups h join check_series s on s.check_id = h.check_id order by s.no, h.hour`,
          `drop table check_results`,
          `drop table check_rollups`,
          `create view check_results as
            select s.check_id as check_id, ${iso('r.at')} as at, ${statusText('r.status')} as status,
              r.latency / 1000.0 as latency_ms, t.message as message, t.source as source
            from check_samples r join check_series s on s.no = r.series join check_texts t on t.id = r.text`,
          `create trigger check_results_insert instead of insert on check_results begin
            insert or ignore into check_series (check_id) values (new.check_id);
            insert or ignore into check_texts (source, message) values (new.source, new.message);
            insert or ignore into check_samples (series, at, status, latency, text)
              select s.no, ${ms('new.at')}, ${status('new.status')}, cast(round(new.latency_ms * 1000) as integer), t.id
              from check_series s, check_texts t
              where s.check_id = new.check_id and t.source = new.source and t.message = new.message;
          end`,
          `create view check_rollups as
            select s.check_id as check_id, ${iso('h.hour * 3600000')} as hour, h.count as count, h.failures as failures,
              h.latency_count as latency_count, h.latency_sum / 1000.0 as latency_sum,
              h.latency_min / 1000.0 as latency_min, h.latency_max / 1000.0 as latency_max
            from check_hourly h join check_series s on s.no = h.series`,
        );
        return;
      }
      const ms = (col: string) => `round(extract(epoch from ${col}) * 1000)::bigint`;
      await run(
        `create table check_series (no integer generated by default as identity primary key,
          check_id text not null unique references checks(id) on delete cascade)`,
        `create table check_texts (id integer generated by default as identity primary key,
          source text not null, message text not null, unique (source, message))`,
        // Columns widest first (no padding): a row is 22 bytes after PostgreSQL's 24-byte tuple header.
        `create table check_samples (at bigint not null,
          series integer not null references check_series(no) on delete cascade,
          text integer not null references check_texts(id), latency integer, status smallint not null)`,
        // Not unique: one key per check and hour, deduplicated by the B-tree into one entry with a list of
        // row pointers (6 bytes a result instead of ~28). A resent result is refused by the store instead.
        `create index check_samples_series_hour on check_samples (series, (at / 3600000))`,
        `create table check_hourly (series integer not null references check_series(no) on delete cascade,
          hour integer not null, count integer not null, failures integer not null, latency_count integer not null,
          latency_sum bigint not null, latency_min integer, latency_max integer, primary key (series, hour))`,
        `insert into check_series (check_id) select id from checks order by created_at, id`,
        `insert into check_texts (source, message) select distinct source, message from check_results order by source, message`,
        `insert into check_samples (at, series, text, latency, status)
          select ${ms('r.at')}, s.no, t.id, round(r.latency_ms * 1000)::integer, ${status('r.status')}
          from check_results r join check_series s on s.check_id = r.check_id
          join check_texts t on t.source = r.source and t.message = r.message
          order by s.no, r.at`,
        `insert into check_hourly (series, hour, count, failures, latency_count, latency_sum, latency_min, latency_max)
          select s.no, (${ms('h.hour')} / 3600000)::integer, h.count, h.failures, h.latency_count,
            round(h.latency_sum * 1000)::bigint, round(h.latency_min * 1000)::integer, round(h.latency_max * 1000)::integer
          from check_rollups h join check_series s on s.check_id = h.check_id`,
        `drop table check_results`,
        `drop table check_rollups`,
        `create view check_results as
          select s.check_id as check_id, to_timestamp(r.at / 1000.0) as at, ${statusText('r.status')} as status,
            (r.latency / 1000.0)::float8 as latency_ms, t.message as message, t.source as source
          from check_samples r join check_series s on s.no = r.series join check_texts t on t.id = r.text`,
        `create function check_results_insert() returns trigger language plpgsql as $$
          declare sno integer; tid integer;
          begin
            insert into check_series (check_id) values (new.check_id) on conflict (check_id) do nothing;
            select no into sno from check_series where check_id = new.check_id;
            insert into check_texts (source, message) values (new.source, new.message) on conflict (source, message) do nothing;
            select id into tid from check_texts where source = new.source and message = new.message;
            insert into check_samples (at, series, text, latency, status)
              select ${ms('new.at')}, sno, tid, round(new.latency_ms * 1000)::integer, ${status('new.status')}
              where not exists (select 1 from check_samples where series = sno and at / 3600000 = ${ms('new.at')} / 3600000 and at = ${ms('new.at')});
            return new;
          end $$`,
        `create trigger check_results_insert instead of insert on check_results for each row execute function check_results_insert()`,
        `create view check_rollups as
          select s.check_id as check_id, to_timestamp(h.hour * 3600) as hour, h.count as count, h.failures as failures,
            h.latency_count as latency_count, (h.latency_sum / 1000.0)::float8 as latency_sum,
            (h.latency_min / 1000.0)::float8 as latency_min, (h.latency_max / 1000.0)::float8 as latency_max
          from check_hourly h join check_series s on s.no = h.series`,
      );
    },
  };
}
