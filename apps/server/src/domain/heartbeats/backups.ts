import { expectsRunBetween, instantOfWallTime, wallTime, type ClientBackups, type LastNight } from '@afterhours/shared';
import type { z } from 'zod';
import type { HeartbeatSummary } from '@afterhours/shared';
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { HeartbeatsTable } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient, clientScope } from '../auth/policy.js';
import { scheduleOf } from './model.js';
import { lastResult } from './presenter.js';

const DAY = 86_400_000;
const FINISHES = ['success', 'warning', 'fail'] as const;
type Finish = (typeof FINISHES)[number];
const RESULT: Record<Finish, 'success' | 'warning' | 'failure'> = {
  success: 'success',
  warning: 'warning',
  fail: 'failure',
};

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
export const localDate = (ms: number, tz: string) => new Date(wallTime(ms, tz)).toISOString().slice(0, 10);
/** The instant a local date starts in a time zone. */
const dayStart = (date: string, tz: string) => instantOfWallTime(Date.parse(`${date}T00:00:00Z`), tz);
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

const median = (values: number[]) => {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Per client, each heartbeat ("backup job") with its last result, last success, typical run time, and
 * 30 days in its site's time zone: each day's last result, or "missed" for a past day on which the
 * schedule expected a run and none finished, or "none".
 */
export async function clientBackups(db: Kdb, actor: Actor, clientId: string, now: Date): Promise<ClientBackups> {
  const client = await db.selectFrom('clients').select(['id', 'name']).where('id', '=', clientId).executeTakeFirst();
  if (!client) throw notFound('The client');
  assertCanSeeClient(actor, clientId, 'The client');
  const rows = await db
    .selectFrom('heartbeats')
    .innerJoin('systems', 'systems.id', 'heartbeats.system_id')
    .innerJoin('sites', 'sites.id', 'heartbeats.site_id')
    .selectAll('heartbeats')
    .select([
      'systems.name as system_name',
      'systems.kind as system_kind',
      'sites.name as site_name',
      'sites.time_zone as site_tz',
    ])
    .where('heartbeats.client_id', '=', clientId)
    .orderBy('sites.name')
    .orderBy('heartbeats.name')
    .execute();
  const since = new Date(now.getTime() - 32 * DAY).toISOString();
  const jobs = [];
  for (const row of rows) {
    const finishes = await db
      .selectFrom('heartbeat_pings')
      .select(['at', 'action'])
      .where('heartbeat_id', '=', row.id)
      .where('at', '>=', since)
      .where('action', 'in', [...FINISHES])
      .orderBy('at')
      .execute();
    const durations = await db
      .selectFrom('heartbeat_pings')
      .select('duration_ms')
      .where('heartbeat_id', '=', row.id)
      .where('duration_ms', 'is not', null)
      .orderBy('n', 'desc')
      .limit(20)
      .execute();
    jobs.push({
      heartbeatId: row.id,
      name: row.name,
      systemId: row.system_id,
      systemName: row.system_name,
      systemKind: row.system_kind,
      siteId: row.site_id,
      siteName: row.site_name,
      timeZone: row.site_tz,
      status: row.status as ClientBackups['jobs'][number]['status'],
      statusReason: row.status_reason,
      lastResult: lastResult(row),
      lastSuccessAt: row.last_success_at,
      typicalDurationMs: median(durations.map((d) => Number(d.duration_ms))),
      calendar: calendar(row, row.site_tz, finishes as Array<{ at: string; action: Finish }>, now),
    });
  }
  return { clientId, clientName: client.name, at: now.toISOString(), jobs };
}

function calendar(row: HeartbeatsTable, tz: string, finishes: Array<{ at: string; action: Finish }>, now: Date) {
  const lastOfDay = new Map<string, Finish>();
  for (const f of finishes) lastOfDay.set(localDate(Date.parse(f.at), tz), f.action);
  const today = localDate(now.getTime(), tz);
  const created = Date.parse(row.created_at);
  const schedule = scheduleOf(row);
  const days = [];
  for (let i = 29; i >= 0; i--) {
    const date = addDays(today, -i);
    const finish = lastOfDay.get(date);
    let result: 'success' | 'warning' | 'failure' | 'missed' | 'none' = finish ? RESULT[finish] : 'none';
    if (!finish && date !== today) {
      const from = dayStart(date, tz);
      const to = dayStart(addDays(date, 1), tz);
      if (from >= created && row.paused === 0 && expectsRunBetween(schedule, new Date(from), new Date(to)))
        result = 'missed';
    }
    days.push({ date, result });
  }
  return days;
}

const PROBLEM_TEXT = {
  failure: 'failed',
  warning: 'finished with warnings',
  missed: 'did not run',
  late: 'is late',
  down: 'is down',
} as const;

function localTime(iso: string | null, tz: string): string {
  if (!iso) return 'never';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/**
 * Across all clients (or the actor's own): heartbeats whose last night did not end in success. The
 * night is 18:00 the day before to 12:00 today in each site's time zone. A heartbeat is listed if the
 * night's last report was a failure or warning, if it is down or late now, or if its schedule expected
 * a run that night and none finished. New and paused heartbeats are left out.
 */
export async function lastNight(db: Kdb, actor: Actor, now: Date): Promise<LastNight> {
  const scope = clientScope(actor);
  let q = db
    .selectFrom('heartbeats')
    .innerJoin('systems', 'systems.id', 'heartbeats.system_id')
    .innerJoin('sites', 'sites.id', 'heartbeats.site_id')
    .innerJoin('clients', 'clients.id', 'heartbeats.client_id')
    .selectAll('heartbeats')
    .select([
      'systems.name as system_name',
      'sites.name as site_name',
      'sites.time_zone as site_tz',
      'clients.name as client_name',
    ])
    .where('heartbeats.status', 'not in', ['new', 'paused'])
    .where('clients.archived_at', 'is', null);
  if (scope) q = q.where('heartbeats.client_id', '=', scope);
  const rows = await q.orderBy('clients.name').orderBy('heartbeats.name').execute();
  if (!rows.length) return { at: now.toISOString(), items: [] };

  const windows = new Map<string, { from: number; to: number }>();
  for (const r of rows) {
    const today = localDate(now.getTime(), r.site_tz);
    const from = instantOfWallTime(Date.parse(`${addDays(today, -1)}T18:00:00Z`), r.site_tz);
    const to = Math.min(now.getTime(), instantOfWallTime(Date.parse(`${today}T12:00:00Z`), r.site_tz));
    windows.set(r.id, { from, to });
  }
  const earliest = Math.min(...[...windows.values()].map((w) => w.from));
  const finishes = await db
    .selectFrom('heartbeat_pings')
    .select(['heartbeat_id', 'at', 'action'])
    .where('at', '>=', new Date(earliest).toISOString())
    .where('action', 'in', [...FINISHES])
    .where(
      'heartbeat_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('at')
    .execute();
  const lastInNight = new Map<string, Finish>();
  for (const f of finishes) {
    const w = windows.get(f.heartbeat_id)!;
    const at = Date.parse(f.at);
    if (at >= w.from && at < w.to) lastInNight.set(f.heartbeat_id, f.action as Finish);
  }

  const items = [];
  for (const r of rows) {
    const w = windows.get(r.id)!;
    const last = lastInNight.get(r.id);
    let problem: 'failure' | 'warning' | 'missed' | 'late' | 'down' | null = null;
    if (r.status === 'down') problem = last === 'fail' ? 'failure' : 'down';
    else if (last === 'fail') problem = 'failure';
    else if (last === 'warning') problem = 'warning';
    else if (r.status === 'late') problem = 'late';
    else if (
      !last &&
      Date.parse(r.created_at) <= w.from &&
      w.to > w.from &&
      expectsRunBetween(scheduleOf(r), new Date(w.from), new Date(w.to))
    )
      problem = 'missed';
    if (!problem) continue;
    // A failure that came after the night (down since this afternoon) is still told by its own output.
    const failedSince = problem === 'down' && r.last_result === 'failure';
    const detail =
      problem === 'failure' || problem === 'warning' || failedSince
        ? await reportDetail(db, r.id, failedSince ? null : w, r.status_reason)
        : problem === 'missed'
          ? 'no run finished overnight'
          : r.status_reason;
    items.push({
      heartbeatId: r.id,
      name: r.name,
      clientId: r.client_id,
      clientName: r.client_name,
      siteId: r.site_id,
      siteName: r.site_name,
      systemName: r.system_name,
      timeZone: r.site_tz,
      status: r.status as LastNight['items'][number]['status'],
      problem,
      detail,
      night: { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() },
      lastResult: lastResult(r),
      lastSuccessAt: r.last_success_at,
      shareLine: `${r.client_name}, ${r.site_name}: the backup "${r.name}" ${PROBLEM_TEXT[problem]} last night; last success ${localTime(r.last_success_at, r.site_tz)} (${r.site_tz}).`,
    });
  }
  return { at: now.toISOString(), items };
}

/** The last failing or warning report (in the night, when given) in a few words: its e-mail subject, else its output's first line. */
async function reportDetail(
  db: Kdb,
  heartbeatId: string,
  night: { from: number; to: number } | null,
  fallback: string,
): Promise<string> {
  let q = db
    .selectFrom('heartbeat_pings')
    .select(['email_subject', 'exit_status', sql<string>`substr(body, 1, 1000)`.as('head')])
    .where('heartbeat_id', '=', heartbeatId)
    .where('action', 'in', ['fail', 'warning']);
  if (night)
    q = q.where('at', '>=', new Date(night.from).toISOString()).where('at', '<', new Date(night.to).toISOString());
  const ping = await q.orderBy('n', 'desc').limit(1).executeTakeFirst();
  const line = ping?.head
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find(Boolean);
  const text = ping?.email_subject || line || (ping?.exit_status ? `exit status ${ping.exit_status}` : fallback);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Counts of heartbeats by status, for the Now screen. */
export async function heartbeatSummary(db: Kdb, actor: Actor): Promise<z.infer<typeof HeartbeatSummary>> {
  const scope = clientScope(actor);
  let q = db
    .selectFrom('heartbeats')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status');
  if (scope) q = q.where('client_id', '=', scope);
  const counts = { new: 0, up: 0, degraded: 0, late: 0, down: 0, paused: 0 };
  for (const r of await q.execute()) if (r.status in counts) counts[r.status as keyof typeof counts] = Number(r.n);
  return { counts, failed: counts.down, late: counts.late };
}
