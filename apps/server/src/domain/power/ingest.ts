import { worstReading, type UpsReading } from '@afterhours/power';
import type { AgentMessage } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { AgentsTable, PowerStateTable } from '../../db/schema.js';
import { isoNow } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { endMaintenance, openMaintenance } from '../maintenance/windows.js';
import { planLine, writePowerLine } from './lines.js';

type PowerMessage = Extract<AgentMessage, { type: 'power' }>;
type PowerLogMessage = Extract<AgentMessage, { type: 'power-log' }>;

const DEFAULT_STABLE_MS = 5 * 60_000;
const STATE_WORDS: Record<PowerStateTable['state'], string> = {
  online: 'Power on line',
  'on-battery': 'UPS on battery',
  'low-battery': 'UPS battery low',
  unknown: 'Power state unknown',
};

export function siteState(readings: UpsReading[]): PowerStateTable['state'] {
  const worst = worstReading(readings);
  if (!worst) return 'unknown';
  if (worst.power === 'on-battery') return worst.lowBattery ? 'low-battery' : 'on-battery';
  return worst.power === 'online' ? 'online' : 'unknown';
}

/** The longest "stable for" of the site's UPSes (each its own, or the hub's default): back means back on all. */
async function siteStableMs(trx: Kdb, siteId: string, fallback: number): Promise<number> {
  const rows = await trx.selectFrom('power_ups').select('stable_ms').where('site_id', '=', siteId).execute();
  return rows.length ? Math.max(...rows.map((r) => r.stable_ms ?? fallback)) : fallback;
}

/**
 * The agent's UPS readings: the site's power state, a power event on each change, and a state change
 * (subject "power", so it alerts like any other) when the site goes on battery, and back to on line only
 * once power has stayed back `stableMs`: flapping power makes one alert, not one per flap.
 */
export async function recordPowerState(ctx: AppContext, agent: AgentsTable, message: PowerMessage): Promise<void> {
  const readings = message.readings.map((r) => r.reading as UpsReading);
  const state = siteState(readings);
  const at = message.at;
  const now = isoNow(ctx.clock);
  const worst = worstReading(readings);
  const clientId = await ctx.db.kysely.transaction().execute(async (trx) => {
    const site = await trx
      .selectFrom('sites')
      .select(['id', 'client_id'])
      .where('id', '=', agent.site_id)
      .executeTakeFirst();
    if (!site) return null;
    const stableMs = await siteStableMs(trx, site.id, ctx.settings.power?.stableMs ?? DEFAULT_STABLE_MS);
    const before = await trx.selectFrom('power_state').selectAll().where('site_id', '=', site.id).executeTakeFirst();
    const onBattery = state === 'on-battery' || state === 'low-battery';
    const onBatterySince = onBattery ? (before?.on_battery_since ?? at) : null;
    const onlineSince = state === 'online' ? (before?.state === 'online' ? before.online_since : at) : null;
    let alertState = before?.alert_state ?? 'online';
    if (onBattery) alertState = state;
    else if (state === 'online' && onlineSince && Date.parse(at) - Date.parse(onlineSince) >= stableMs)
      alertState = 'online';
    const row: PowerStateTable = {
      site_id: site.id,
      client_id: site.client_id,
      state,
      on_battery_since: onBatterySince,
      charge_percent: worst?.chargePercent ?? null,
      runtime_seconds: worst?.runtimeSeconds ?? null,
      load_percent: worst?.loadPercent ?? null,
      readings_json: JSON.stringify(message.readings),
      alert_state: alertState,
      online_since: onlineSince,
      updated_at: now,
    };
    if (before) await trx.updateTable('power_state').set(row).where('site_id', '=', site.id).execute();
    else await trx.insertInto('power_state').values(row).execute();
    if (before?.state !== state) {
      const message = readings.map((r) => r.message).join('; ') || state;
      await trx
        .insertInto('power_events')
        .values({ id: newId(), client_id: site.client_id, site_id: site.id, at, kind: state, message })
        .execute();
      await writePowerLine(trx, {
        siteId: site.id,
        at,
        text: `${STATE_WORDS[state] ?? state}: ${message}`,
        onAlert: false,
      });
    }
    const alertedBefore = before?.alert_state ?? 'online';
    if (alertedBefore !== alertState) {
      await trx
        .insertInto('state_changes')
        .values({
          id: newId(),
          at,
          recorded_at: now,
          client_id: site.client_id,
          site_id: site.id,
          system_id: null,
          check_id: null,
          agent_id: null,
          subject_type: 'power',
          from_state: alertedBefore,
          to_state: alertState,
          reason: worst?.message ?? state,
          cause_type: 'agent',
          cause_id: agent.id,
          root_cause_id: null,
          source: 'agent',
          processed_at: null,
        })
        .execute();
    }
    return site.client_id;
  });
  if (clientId) publishSite(ctx, agent.site_id, clientId);
}

/** Screens showing the site refetch its power (the agent sends readings only when they change). */
function publishSite(ctx: AppContext, siteId: string, clientId: string): void {
  ctx.bus.publish({ entity: 'site', id: siteId, action: 'updated', clientId, at: isoNow(ctx.clock) });
}

/**
 * The plan runner's log from the agent, stored once per (agent, seq) so a resent batch is harmless.
 * Systems a plan shuts down go into maintenance ("shut down by plan") and out again when started.
 */
export async function recordPowerLog(ctx: AppContext, agent: AgentsTable, message: PowerLogMessage): Promise<void> {
  const now = isoNow(ctx.clock);
  const stored = await ctx.db.kysely.transaction().execute(async (trx) => {
    const seen = await trx
      .selectFrom('power_run_log')
      .select('id')
      .where('agent_id', '=', agent.id)
      .where('seq', '=', message.seq)
      .executeTakeFirst();
    if (seen) return false;
    for (const entry of message.entries) {
      await trx
        .insertInto('power_run_log')
        .values({
          id: newId(),
          client_id: agent.client_id,
          site_id: agent.site_id,
          agent_id: agent.id,
          seq: message.seq,
          run_id: entry.runId,
          at: entry.at,
          kind: entry.kind,
          level: entry.level,
          message: entry.message,
          system_id: entry.systemId ?? null,
          trigger: entry.trigger ?? null,
          phase: entry.phase ?? null,
        })
        .execute();
      const systemId = entry.systemId;
      const system = systemId
        ? await trx
            .selectFrom('systems')
            .select(['id', 'name'])
            .where('id', '=', systemId)
            .where('site_id', '=', agent.site_id)
            .executeTakeFirst()
        : undefined;
      const line = planLine(entry, system?.name ?? null);
      if (line) await writePowerLine(trx, { siteId: agent.site_id, at: entry.at, text: line, onAlert: true });
      if (!systemId || !system) continue;
      if (entry.hostKey || entry.refusedHostKey) await recordHostKey(trx, systemId, entry);
      if (entry.kind === 'maintenance-on') {
        const existing = await trx
          .selectFrom('power_shutdowns')
          .select('system_id')
          .where('system_id', '=', systemId)
          .executeTakeFirst();
        if (existing) continue;
        const [maintenanceId] = await openMaintenance(trx, {
          systemIds: [systemId],
          reason: 'shut down by the power plan',
          source: 'plan',
          now,
        });
        await trx
          .insertInto('power_shutdowns')
          .values({
            system_id: systemId,
            site_id: agent.site_id,
            run_id: entry.runId,
            at: entry.at,
            maintenance_id: maintenanceId ?? null,
          })
          .execute();
      } else if (entry.kind === 'maintenance-off') {
        const row = await trx
          .selectFrom('power_shutdowns')
          .selectAll()
          .where('system_id', '=', systemId)
          .executeTakeFirst();
        if (!row) continue;
        if (row.maintenance_id) await endMaintenance(trx, [row.maintenance_id], now);
        await trx.deleteFrom('power_shutdowns').where('system_id', '=', systemId).execute();
      }
    }
    return true;
  });
  if (stored) publishSite(ctx, agent.site_id, agent.client_id);
}

/**
 * A key the agent pinned on first use becomes the system's pin unless one is already kept (then the
 * hub's pin stands and the other key is kept as refused, for an owner to compare). A refused key is
 * kept with its time: the site's Power screen shows it beside the pinned one.
 */
async function recordHostKey(trx: Kdb, systemId: string, entry: PowerLogMessage['entries'][number]): Promise<void> {
  const row = await trx
    .selectFrom('power_actions')
    .select(['host_key'])
    .where('system_id', '=', systemId)
    .executeTakeFirst();
  if (!row) return;
  if (entry.hostKey && !row.host_key) {
    await trx
      .updateTable('power_actions')
      .set({ host_key: entry.hostKey, host_key_pinned_at: entry.at })
      .where('system_id', '=', systemId)
      .where('host_key', 'is', null)
      .execute();
    return;
  }
  const refused = entry.refusedHostKey ?? (entry.hostKey !== row.host_key ? entry.hostKey : undefined);
  if (refused)
    await trx
      .updateTable('power_actions')
      .set({ host_key_refused: refused, host_key_refused_at: entry.at })
      .where('system_id', '=', systemId)
      .execute();
}
