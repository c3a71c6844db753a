import { hostname } from 'node:os';
import type { HubHeartbeat } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { DEFAULT_ALERT_SETTINGS } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import { clearSystemAlert, raiseSystemAlert } from '../alerts/raise.js';

/**
 * The hub's own heartbeats (docs/adr/0011-hub-heartbeats.md): each engine that must keep running beats
 * after every pass it completes, whichever hub process ran it; one that has not beaten for `lateAfterMs`
 * is stuck, which raises a hub alert (no client) and shows under Settings → Hub health.
 */
export interface HubHeartbeatDefinition {
  label: string;
  /** Late when no pass has completed for this long. */
  lateAfterMs: (ctx: Pick<AppContext, 'settings'>) => number;
}

export const HUB_HEARTBEATS = {
  'escalation-engine': {
    label: 'Escalation engine',
    // It passes at least every escalationIdleMs; four missed passes (two minutes at least) is stuck.
    lateAfterMs: (ctx) => Math.max(120_000, 4 * (ctx.settings.alerts ?? DEFAULT_ALERT_SETTINGS).escalationIdleMs),
  },
} satisfies Record<string, HubHeartbeatDefinition>;

export type HubHeartbeatName = keyof typeof HUB_HEARTBEATS;

/** This process, as a beat names it. */
export const THIS_PROCESS = `${hostname()} pid ${process.pid}`;

export async function beatHub(db: Kdb, name: HubHeartbeatName, now: string, by = THIS_PROCESS): Promise<void> {
  await db
    .insertInto('hub_heartbeats')
    .values({ name, beat_at: now, process: by })
    .onConflict((oc) => oc.column('name').doUpdateSet({ beat_at: now, process: by }))
    .execute();
}

/** Every hub heartbeat with its state at `now`: ok, late (stuck), or never (no pass recorded yet). */
export async function hubHeartbeats(ctx: Pick<AppContext, 'db' | 'settings'>, now: Date): Promise<HubHeartbeat[]> {
  const rows = await ctx.db.kysely.selectFrom('hub_heartbeats').selectAll().execute();
  return (Object.entries(HUB_HEARTBEATS) as Array<[HubHeartbeatName, HubHeartbeatDefinition]>).map(([name, def]) => {
    const row = rows.find((r) => r.name === name);
    const lateAt = row ? new Date(Date.parse(row.beat_at) + def.lateAfterMs(ctx)).toISOString() : null;
    return {
      name,
      label: def.label,
      lastBeatAt: row?.beat_at ?? null,
      process: row?.process ?? null,
      lateAt,
      state: !row ? 'never' : Date.parse(lateAt!) <= now.getTime() ? 'late' : 'ok',
    };
  });
}

/**
 * Raises a hub alert for each late heartbeat and resolves it once that heartbeat beats again. Answers when
 * the next one would become late (ms), for the watcher's sleep.
 */
export async function watchHubHeartbeats(ctx: Pick<AppContext, 'db' | 'settings' | 'clock'>): Promise<number | null> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const states = await hubHeartbeats(ctx, now);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    for (const hb of states) {
      if (hb.state === 'late')
        await raiseSystemAlert(trx, {
          kind: 'hub-heartbeat',
          dedupeKey: hb.name,
          title: `${hb.label} stuck: no pass since ${hb.lastBeatAt!.slice(11, 16)} UTC`,
          reason: `The hub's ${hb.label.toLowerCase()} last completed a pass at ${hb.lastBeatAt} (${hb.process}); escalations may not be running. Restart the hub.`,
          criticality: 'critical',
          now: at,
        });
      else if (hb.state === 'ok')
        await clearSystemAlert(trx, {
          kind: 'hub-heartbeat',
          dedupeKey: hb.name,
          reason: `${hb.label} running again`,
          now: at,
        });
    }
  });
  const next = states.filter((s) => s.state === 'ok').map((s) => Date.parse(s.lateAt!));
  return next.length ? Math.min(...next) : null;
}
