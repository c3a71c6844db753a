import { type Kysely, sql } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';
import { KEY_EPOCH_MS, KEY_GROUP_BITS, KEY_SERIES_STEP } from '../dialects/result-key.js';

/**
 * Raw results in 16 bytes of data (docs/adr/0007-check-results-as-a-time-series.md): a result becomes
 * (key, latency, text), the key packing series and time (db/dialects/result-key.ts), and the status moves
 * into the text dictionary — a text is (source, status, message). Existing results are copied into new
 * tables (SQLite: WITHOUT ROWID, primary key (key); PostgreSQL: a non-unique index on the key's ~70-minute
 * group), the texts split by status under new numbers, and the `check_results` view and its insert trigger
 * are made again over the new tables. A check's deletion deletes its raw results through a trigger on
 * check_series (they no longer have a series column to cascade from).
 */
export function resultKeys(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      const run = async (...statements: string[]) => {
        for (const s of statements) await sql.raw(s).execute(db);
      };
      const key = (series: string, at: string) => `(${series} * ${KEY_SERIES_STEP} + (${at} - ${KEY_EPOCH_MS}))`;
      const atOf = (k: string) => `((${k} & ${KEY_SERIES_STEP - 1}) + ${KEY_EPOCH_MS})`;
      const seriesOf = (k: string) => `(${k} >> 41)`;
      // Every (text, status) pair the raw results use becomes a text of its own; a text the retention job
      // deleted under a result (possible since 0017 dropped the foreign key) reads as empty, as it did.
      const textsFrom = `select distinct coalesce(t.source, '') as source, r.status as status,
          coalesce(t.message, '') as message, coalesce(t.last_hour, r.at / 3600000) as last_hour
        from (select text, status, max(at) as at from check_samples group by text, status) r
        left join check_texts t on t.id = r.text`;
      const samplesFrom = `select ${key('r.series', 'r.at')}, r.latency, n.id
        from check_samples r left join check_texts t on t.id = r.text
        join check_texts_new n on n.source = coalesce(t.source, '') and n.status = r.status
          and n.message = coalesce(t.message, '')
        order by 1`;
      if (d.name === 'sqlite') {
        const ms = (col: string) => `(strftime('%s', ${col}) * 1000 + cast(substr(${col}, 21, 3) as integer))`;
        const status = (col: string) => `case ${col} when 'up' then 0 when 'degraded' then 1 else 2 end`;
        await run(
          'drop trigger check_results_insert',
          'drop view check_results',
          `create table check_texts_new (id integer primary key, source text not null, status integer not null,
            message text not null, last_hour integer not null, unique (source, status, message))`,
          `insert into check_texts_new (source, status, message, last_hour)
            select source, status, message, max(last_hour) from (${textsFrom}) group by source, status, message
            order by source, status, message`,
          `create table check_samples_new (key integer not null primary key, latency integer,
            text integer not null) without rowid`,
          `insert into check_samples_new (key, latency, text) ${samplesFrom}`,
          'drop table check_samples',
          'drop table check_texts',
          'alter table check_texts_new rename to check_texts',
          'alter table check_samples_new rename to check_samples',
          `create view check_results as
            select s.check_id as check_id,
              (strftime('%Y-%m-%dT%H:%M:%S', ${atOf('r.key')} / 1000, 'unixepoch') || '.'
                || substr('00' || (${atOf('r.key')} % 1000), -3) || 'Z') as at,
              case t.status when 0 then 'up' when 1 then 'degraded' else 'down' end as status,
              r.latency / 1000.0 as latency_ms, t.message as message, t.source as source
            from check_samples r join check_series s on s.no = ${seriesOf('r.key')} join check_texts t on t.id = r.text`,
          `create trigger check_results_insert instead of insert on check_results begin
            insert or ignore into check_series (check_id) values (new.check_id);
            insert or ignore into check_texts (source, status, message, last_hour)
              values (new.source, ${status('new.status')}, new.message, ${ms('new.at')} / 3600000);
            update check_texts set last_hour = max(last_hour, ${ms('new.at')} / 3600000)
              where source = new.source and status = ${status('new.status')} and message = new.message;
            insert or ignore into check_samples (key, latency, text)
              select ${key('s.no', ms('new.at'))}, cast(round(new.latency_ms * 1000) as integer), t.id
              from check_series s, check_texts t
              where s.check_id = new.check_id and t.source = new.source and t.status = ${status('new.status')}
                and t.message = new.message;
          end`,
          // check_samples has no series column to cascade from: a check's deletion takes its range of keys.
          `create trigger check_series_delete after delete on check_series begin
            delete from check_samples where key between old.no * ${KEY_SERIES_STEP} and old.no * ${KEY_SERIES_STEP} + ${KEY_SERIES_STEP - 1};
          end`,
        );
        return;
      }
      await run(
        'drop view check_results',
        'drop function check_results_insert',
        `create table check_texts_new (id integer generated by default as identity primary key,
          source text not null, status smallint not null, message text not null, last_hour integer not null,
          unique (source, status, message))`,
        `insert into check_texts_new (source, status, message, last_hour)
          select source, status, message, max(last_hour) from (${textsFrom}) x group by source, status, message
          order by source, status, message`,
        // 8 + 4 + 4 bytes: a row is 16 bytes of data after PostgreSQL's 24-byte tuple header.
        'create table check_samples_new (key bigint not null, text integer not null, latency integer)',
        `insert into check_samples_new (key, latency, text) ${samplesFrom}`,
        'drop table check_samples',
        'drop table check_texts',
        'alter table check_texts_new rename to check_texts',
        'alter table check_samples_new rename to check_samples',
        // Not unique: ~70 minutes of one check share one index key, deduplicated by the B-tree into one entry
        // with a list of row pointers (~6 bytes a result). A resent result is refused by the store instead.
        `create index check_samples_key_group on check_samples ((key >> ${KEY_GROUP_BITS}))`,
        `create view check_results as
          select s.check_id as check_id, to_timestamp(${atOf('r.key')} / 1000.0) as at,
            case t.status when 0 then 'up' when 1 then 'degraded' else 'down' end as status,
            (r.latency / 1000.0)::float8 as latency_ms, t.message as message, t.source as source
          from check_samples r join check_series s on s.no = ${seriesOf('r.key')} join check_texts t on t.id = r.text`,
        `create function check_results_insert() returns trigger language plpgsql as $$
          declare sno integer; tid integer; k bigint;
            ms bigint := round(extract(epoch from new.at) * 1000)::bigint;
            st smallint := case new.status when 'up' then 0 when 'degraded' then 1 else 2 end;
          begin
            insert into check_series (check_id) values (new.check_id) on conflict (check_id) do nothing;
            select no into sno from check_series where check_id = new.check_id;
            insert into check_texts (source, status, message, last_hour)
              values (new.source, st, new.message, (ms / 3600000)::integer) on conflict do nothing;
            update check_texts set last_hour = greatest(last_hour, (ms / 3600000)::integer)
              where source = new.source and status = st and message = new.message returning id into tid;
            k := ${key('sno::bigint', 'ms')};
            insert into check_samples (key, latency, text)
              select k, round(new.latency_ms * 1000)::integer, tid
              where not exists (select 1 from check_samples
                where key >> ${KEY_GROUP_BITS} = k >> ${KEY_GROUP_BITS} and key = k);
            return new;
          end $$`,
        `create trigger check_results_insert instead of insert on check_results for each row execute function check_results_insert()`,
        // check_samples has no series column to cascade from: a check's deletion takes its range of keys.
        `create function check_series_delete() returns trigger language plpgsql as $$
          declare lo bigint := old.no::bigint * ${KEY_SERIES_STEP}; hi bigint := lo + ${KEY_SERIES_STEP - 1};
          begin
            delete from check_samples where key >> ${KEY_GROUP_BITS} between lo >> ${KEY_GROUP_BITS} and hi >> ${KEY_GROUP_BITS}
              and key between lo and hi;
            return old;
          end $$`,
        `create trigger check_series_delete after delete on check_series for each row execute function check_series_delete()`,
      );
    },
  };
}
