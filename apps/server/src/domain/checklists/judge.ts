import type { StepKind } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { runCheckAndWait } from '../monitoring/run-now.js';
import type { ResolvedTarget } from './targets.js';

export interface Verdict {
  status: 'passed' | 'failed';
  message: string;
}

type Judge = (ctx: AppContext, target: ResolvedTarget, now: Date) => Promise<Verdict>;

const hoursAgo = (iso: string, now: Date) => {
  const h = (now.getTime() - Date.parse(iso)) / 3600_000;
  return h < 1 ? `${Math.max(0, Math.round(h * 60))} min ago` : `${h.toFixed(1)} h ago`;
};

/** Runs checks at once, in parallel, and answers each one's name and outcome. */
async function runChecks(ctx: AppContext, ids: string[]) {
  const rows = await ctx.db.kysely.selectFrom('checks').selectAll().where('id', 'in', ids).execute();
  return Promise.all(
    rows.map(async (row) => {
      const outcome = await runCheckAndWait(ctx, row).catch((error: unknown) => ({
        status: 'down' as const,
        message: error instanceof Error ? error.message : String(error),
      }));
      if (outcome === 'agent_offline') return { name: row.name, up: false, message: 'its site agent is not connected' };
      if (outcome === null) return { name: row.name, up: false, message: 'no answer from the site agent in time' };
      return {
        name: row.name,
        up: outcome.status === 'up',
        message: `${outcome.status}${outcome.message ? `: ${outcome.message}` : ''}`,
      };
    }),
  );
}

const checkStep: Judge = async (ctx, target) => {
  const [one] = await runChecks(ctx, target.checkIds ?? []);
  if (!one) return { status: 'failed', message: 'The check no longer exists' };
  return { status: one.up ? 'passed' : 'failed', message: one.message };
};

const allUp: Judge = async (ctx, target) => {
  const results = await runChecks(ctx, target.checkIds ?? []);
  const down = results.filter((r) => !r.up);
  if (!results.length) return { status: 'failed', message: 'No checks to run' };
  if (!down.length) return { status: 'passed', message: `${results.length} of ${results.length} up` };
  return {
    status: 'failed',
    message: `${down.length} of ${results.length} not up: ${down.map((r) => `${r.name} (${r.message})`).join('; ')}`,
  };
};

/** Reads the backup's (heartbeat's) state as the heartbeats feature keeps it; runs nothing. */
const heartbeatFresh: Judge = async (ctx, target, now) => {
  const row = await ctx.db.kysely
    .selectFrom('heartbeats')
    .select(['name', 'status', 'last_success_at', 'last_result', 'last_result_at'])
    .where('id', '=', target.heartbeatId ?? '')
    .executeTakeFirst();
  if (!row) return { status: 'failed', message: 'The heartbeat no longer exists' };
  const within = target.withinHours ?? 24;
  if (!row.last_success_at) return { status: 'failed', message: `${row.name} has never succeeded` };
  const fresh = now.getTime() - Date.parse(row.last_success_at) <= within * 3600_000;
  const failedSince = row.last_result === 'failure' && row.last_result_at && row.last_result_at > row.last_success_at;
  if (failedSince)
    return {
      status: 'failed',
      message: `Last run failed ${hoursAgo(row.last_result_at ?? '', now)}; last success ${hoursAgo(row.last_success_at, now)}`,
    };
  if (!fresh)
    return { status: 'failed', message: `Last success ${hoursAgo(row.last_success_at, now)}, more than ${within} h` };
  return { status: 'passed', message: `Last success ${hoursAgo(row.last_success_at, now)}` };
};

const upsOnLine: Judge = async (ctx, target) => {
  const row = await ctx.db.kysely
    .selectFrom('power_state')
    .select(['state', 'charge_percent', 'updated_at'])
    .where('site_id', '=', target.siteId ?? '')
    .executeTakeFirst();
  if (!row) return { status: 'failed', message: 'No UPS has reported at this site' };
  const charge = row.charge_percent === null ? '' : `, battery ${Math.round(row.charge_percent)}%`;
  if (row.state === 'online') return { status: 'passed', message: `On line${charge}` };
  return { status: 'failed', message: `${row.state.replace('-', ' ')}${charge}` };
};

const agentOnline: Judge = async (ctx, target) => {
  const rows = await ctx.db.kysely
    .selectFrom('agents')
    .select(['name', 'status', 'last_seen_at'])
    .where('id', 'in', target.agentIds?.length ? target.agentIds : [''])
    .execute();
  const offline = rows.filter((a) => a.status !== 'online');
  if (!rows.length) return { status: 'failed', message: 'No site agent' };
  if (!offline.length) return { status: 'passed', message: `${rows.map((a) => a.name).join(', ')} online` };
  return { status: 'failed', message: offline.map((a) => `${a.name} ${a.status}`).join('; ') };
};

/** One judge per automatic step kind (a kind without one fails to compile). */
export const judges = {
  check: checkStep,
  'all-up': allUp,
  'heartbeat-fresh': heartbeatFresh,
  'ups-on-line': upsOnLine,
  'agent-online': agentOnline,
} satisfies Record<Exclude<StepKind, 'manual'>, Judge>;
