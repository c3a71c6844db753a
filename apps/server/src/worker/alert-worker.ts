import { classifyChange, nextAlertState, settleFlapping, type AlertChange, type ChangeEvent } from '@afterhours/shared';
import type { AppContext } from '../context.js';
import { DEFAULT_ALERT_SETTINGS } from '../context.js';
import type { Kdb } from '../db/database.js';
import { claimStateChanges } from '../db/dialects/alert-claim.js';
import type { AlertsTable, StateChangesTable } from '../db/schema.js';
import { addMs, isoNow } from '../lib/clock.js';
import { alertKey, describeChange } from '../domain/alerts/describe.js';
import { type FailingCheck, serverTitle, stepServer } from '../domain/alerts/failing.js';
import { openAlert, reopenAlert, resolveAlert, snapshotOf, updateAlert } from '../domain/alerts/lifecycle.js';
import { addTimeline } from '../domain/alerts/timeline.js';
import { wakeOutbox } from '../domain/escalation/ports.js';
import { DueTimer } from './due-timer.js';

const WAKING_ENTITIES = new Set(['check', 'heartbeat', 'agent', 'site']);

/**
 * Turns state changes into alerts: claims unprocessed state_changes rows (db/dialects/alert-claim.ts), runs
 * each through nextAlertState, and opens, updates, reopens or resolves alerts in the same transaction that
 * marks the rows processed. Sleeps until a change event wakes it (ingest, heartbeats, the agent watchdog
 * publish one after they commit) or `alertIdleMs` passes.
 */
export class AlertWorker {
  private readonly timer: DueTimer;
  private unsubscribe: (() => void) | undefined;
  /** Called after a pass that opened or reopened alerts (wakes the escalation worker of this process). */
  onPaging: () => void = () => {};

  constructor(
    private readonly ctx: AppContext,
    private readonly batch = 200,
  ) {
    const settings = ctx.settings.alerts ?? DEFAULT_ALERT_SETTINGS;
    this.timer = new DueTimer(() => this.pass(), {
      now: () => ctx.clock.now().getTime(),
      maxSleepMs: settings.alertIdleMs,
      onError: (error) => ctx.log.error({ err: error }, 'alert worker: pass failed'),
    });
  }

  start(): void {
    this.unsubscribe = this.ctx.bus.subscribe((event) => {
      if (WAKING_ENTITIES.has(event.entity)) this.timer.wake();
    });
    this.timer.start();
  }

  wake(): void {
    this.timer.wake();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.timer.stop();
  }

  private async pass(): Promise<number | null> {
    await this.drain();
    return null;
  }

  /** Handles every unprocessed change (and settles flapping alerts); answers how many changes it handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { handled, events, paging } = await this.once();
      total += handled;
      for (const event of events) this.ctx.bus.publish(event);
      if (events.length) wakeOutbox(this.ctx.bus);
      if (paging) this.onPaging();
      if (handled < this.batch) break;
    }
    const settled = await this.settle();
    for (const event of settled) this.ctx.bus.publish(event);
    if (settled.length) wakeOutbox(this.ctx.bus);
    return total;
  }

  private flap() {
    return (this.ctx.settings.alerts ?? DEFAULT_ALERT_SETTINGS).flap;
  }

  private async once(): Promise<{ handled: number; events: ChangeEvent[]; paging: boolean }> {
    const { ctx } = this;
    const now = isoNow(ctx.clock);
    return ctx.db.kysely.transaction().execute(async (trx) => {
      const changes = await claimStateChanges(trx, ctx.db.dialect.name, this.batch);
      const touched = new Map<string, string | null>();
      let paging = false;
      for (const change of changes) {
        const alert = await this.apply(trx, change, now);
        if (alert) {
          touched.set(alert.row.id, alert.row.client_id);
          paging ||= alert.paging;
        }
      }
      if (changes.length)
        await trx
          .updateTable('state_changes')
          .set({ processed_at: now })
          .where(
            'id',
            'in',
            changes.map((c) => c.id),
          )
          .execute();
      const events: ChangeEvent[] = [...touched].map(([id, clientId]) => ({
        entity: 'alert',
        id,
        action: 'updated',
        clientId,
        at: now,
      }));
      return { handled: changes.length, events, paging };
    });
  }

  private async apply(
    trx: Kdb,
    change: StateChangesTable,
    now: string,
  ): Promise<{ row: AlertsTable; paging: boolean } | null> {
    if (change.root_cause_id) return this.listUnderRoot(trx, change, now);
    const kind = classifyChange(change.subject_type, change.to_state);
    if (kind === 'ignore') return null;
    const key = alertKey(change);
    const current = await this.currentAlert(trx, key, now);
    if (change.subject_type === 'check' && change.system_id) {
      if (!current && kind === 'recovery') return this.resolveLegacy(trx, change, now);
      return this.applyToServer(trx, change, kind, key, current, now);
    }
    return this.applyChange(trx, change, { kind, toState: change.to_state, at: change.at }, key, current, now);
  }

  /** The thing's open alert, or its latest one recovered within the flap window (which a problem reopens). */
  private async currentAlert(trx: Kdb, key: string, now: string): Promise<AlertsTable | undefined> {
    const flap = this.flap();
    return (
      (await trx.selectFrom('alerts').selectAll().where('open_key', '=', key).executeTakeFirst()) ??
      (await trx
        .selectFrom('alerts')
        .selectAll()
        .where('key', '=', key)
        .where('resolution', '=', 'recovered')
        .where('resolved_at', '>=', addMs(now, -flap.windowMinutes * 60_000))
        .orderBy('resolved_at', 'desc')
        .executeTakeFirst())
    );
  }

  /**
   * One alert per server: a check's change moves it in or out of the list of the server's failing checks;
   * only the first failure and the last recovery change the alert's state.
   */
  private async applyToServer(
    trx: Kdb,
    change: StateChangesTable,
    kind: 'problem' | 'recovery',
    key: string,
    current: AlertsTable | undefined,
    now: string,
  ): Promise<{ row: AlertsTable; paging: boolean } | null> {
    const check = await trx.selectFrom('checks').select('name').where('id', '=', change.check_id!).executeTakeFirst();
    const entry: FailingCheck = {
      checkId: change.check_id!,
      name: check?.name ?? 'check',
      since: change.at,
      reason: change.reason,
    };
    const active = current && current.state !== 'resolved';
    const before = active ? (JSON.parse(current.failing_json) as FailingCheck[]) : [];
    const step = stepServer(before, kind, entry, change.to_state);
    const system = await trx
      .selectFrom('systems')
      .select('name')
      .where('id', '=', change.system_id!)
      .executeTakeFirst();
    const title = step.failing.length ? serverTitle(system?.name ?? 'System', step.failing) : undefined;
    const result = step.change
      ? await this.applyChange(trx, change, step.change, key, current, now, step.failing, title)
      : current
        ? { row: current, paging: false }
        : null;
    if (!result) return null;
    await trx
      .updateTable('alerts')
      .set({ failing_json: JSON.stringify(step.failing), ...(title ? { title } : {}), updated_at: now })
      .where('id', '=', result.row.id)
      .execute();
    if (!step.change)
      await addTimeline(trx, { type: 'alert', id: result.row.id }, now, {
        kind: 'changed',
        summary:
          kind === 'problem'
            ? `Also ${change.to_state}: ${entry.name}: ${change.reason}`
            : `${entry.name} is well again`,
      });
    return result;
  }

  /** An alert opened per check before alerts were per server: its check's recovery still resolves it. */
  private async resolveLegacy(
    trx: Kdb,
    change: StateChangesTable,
    now: string,
  ): Promise<{ row: AlertsTable; paging: boolean } | null> {
    const legacy = await trx
      .selectFrom('alerts')
      .selectAll()
      .where('open_key', '=', `check:${change.check_id}`)
      .executeTakeFirst();
    if (!legacy) return null;
    const row = await resolveAlert(trx, legacy, { userId: null, reason: change.reason }, now);
    return { row, paging: false };
  }

  private async applyChange(
    trx: Kdb,
    change: StateChangesTable,
    alertChange: AlertChange,
    key: string,
    current: AlertsTable | undefined,
    now: string,
    failing: FailingCheck[] = [],
    title?: string,
  ): Promise<{ row: AlertsTable; paging: boolean } | null> {
    const step = nextAlertState(current ? snapshotOf(current) : null, alertChange, this.flap(), now);
    if (!step.alert || !step.effects.length) return null;
    if (step.effects.includes('open')) {
      const described = await describeChange(trx, change);
      const row = await openAlert(
        trx,
        {
          kind: described.kind,
          key,
          title: title ?? described.title,
          reason: change.reason,
          criticality: described.criticality,
          clientId: change.client_id,
          siteId: change.site_id,
          systemId: change.system_id,
          checkId: change.check_id,
          heartbeatId: change.heartbeat_id ?? null,
          agentId: change.agent_id,
          subjectState: change.to_state,
          rootChangeId: change.id,
          failing,
          at: change.at,
        },
        now,
      );
      return { row, paging: row.pages === 1 };
    }
    if (!current) return null;
    if (step.effects.includes('reopen')) {
      const row = await reopenAlert(trx, current, step.alert, { reason: change.reason, rootChangeId: change.id }, now);
      return { row, paging: row.pages === 1 };
    }
    if (step.effects.includes('resolve')) {
      const recovered = {
        ...current,
        subject_state: step.alert.subjectState,
        changes_json: JSON.stringify(step.alert.changes),
        last_change_at: step.alert.lastChangeAt,
      };
      const row = await resolveAlert(trx, recovered, { userId: null, reason: change.reason }, now);
      return { row, paging: false };
    }
    await updateAlert(trx, current, step.alert, change.reason, now);
    return { row: current, paging: false };
  }

  /** A change caused by another (a check unknown because its site went dark) is listed under the root's alert. */
  private async listUnderRoot(
    trx: Kdb,
    change: StateChangesTable,
    now: string,
  ): Promise<{ row: AlertsTable; paging: boolean } | null> {
    if (change.subject_type !== 'check' || change.to_state !== 'unknown' || !change.check_id) return null;
    const root = await this.rootAlert(trx, change.root_cause_id!);
    if (!root) return null;
    const affected = JSON.parse(root.affected_json) as Array<{ checkId: string; name: string; at: string }>;
    if (affected.some((a) => a.checkId === change.check_id)) return null;
    const check = await trx.selectFrom('checks').select('name').where('id', '=', change.check_id).executeTakeFirst();
    affected.push({ checkId: change.check_id, name: check?.name ?? 'check', at: change.at });
    await trx
      .updateTable('alerts')
      .set({ affected_json: JSON.stringify(affected), updated_at: now })
      .where('id', '=', root.id)
      .execute();
    await addTimeline(trx, { type: 'alert', id: root.id }, now, {
      kind: 'affected',
      summary: `${check?.name ?? 'A check'} unknown: ${change.reason}`,
    });
    return { row: root, paging: false };
  }

  /**
   * The alert of a root change: the one it opened, or the alert of its server or site it joined (a server's
   * second check going down is a root of its own, listed under the server's one alert).
   */
  private async rootAlert(trx: Kdb, rootChangeId: string): Promise<AlertsTable | undefined> {
    const opened = await trx
      .selectFrom('alerts')
      .selectAll()
      .where('root_change_id', '=', rootChangeId)
      .executeTakeFirst();
    if (opened) return opened;
    const root = await trx.selectFrom('state_changes').selectAll().where('id', '=', rootChangeId).executeTakeFirst();
    if (!root) return undefined;
    return trx.selectFrom('alerts').selectAll().where('open_key', '=', alertKey(root)).executeTakeFirst();
  }

  /** Flapping alerts whose thing has been well for the whole flap window resolve as recovered. */
  private async settle(): Promise<ChangeEvent[]> {
    const { ctx } = this;
    const now = isoNow(ctx.clock);
    const flap = this.flap();
    return ctx.db.kysely.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('alerts')
        .selectAll()
        .where('flapping', '=', 1)
        .where('open_key', 'is not', null)
        .where('last_change_at', '<=', addMs(now, -flap.windowMinutes * 60_000))
        .execute();
      const events: ChangeEvent[] = [];
      for (const row of rows) {
        const well = classifyChange(row.kind, row.subject_state) === 'recovery';
        const step = settleFlapping(snapshotOf(row), well, flap, now);
        if (!step.effects.includes('resolve')) continue;
        await resolveAlert(trx, row, { userId: null, reason: 'stable again after flapping' }, now);
        events.push({ entity: 'alert', id: row.id, action: 'updated', clientId: row.client_id, at: now });
      }
      return events;
    });
  }
}
