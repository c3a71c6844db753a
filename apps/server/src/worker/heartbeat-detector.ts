import { tick } from '@afterhours/shared';
import type { AppContext } from '../context.js';
import { isoNow } from '../lib/clock.js';
import { scheduleOf, stateColumns, stateOf } from '../domain/heartbeats/model.js';
import { heartbeatChangeRows } from '../domain/heartbeats/transitions.js';
import { DueTimer } from './due-timer.js';

export interface HeartbeatDetectorOptions {
  /** Least time between two looks for due heartbeats (default 250 ms: late and down within a second of the deadline). */
  everyMs?: number;
  /** Longest sleep with nothing due (default a minute): the safety net for changes no event tells about. */
  maxSleepMs?: number;
  /** Most heartbeats handled per transaction. */
  batch?: number;
}

/**
 * Turns heartbeats late and down when their time comes. "What is due?" is one range read of the
 * indexed `next_due_at` column, not a scan. Every hub process may run it: on PostgreSQL each claims
 * its rows with FOR UPDATE SKIP LOCKED and re-checks `next_due_at` inside the transaction, so each
 * deadline becomes one state change, whichever process sees it first.
 */
export class HeartbeatDetector {
  private readonly due: DueTimer;
  private unsubscribe: () => void = () => {};

  constructor(
    private readonly ctx: AppContext,
    private readonly options: HeartbeatDetectorOptions = {},
  ) {
    this.due = new DueTimer(
      async () => {
        await this.sweep();
        return this.nextDue();
      },
      {
        now: () => ctx.clock.now().getTime(),
        maxSleepMs: options.maxSleepMs ?? 60_000,
        minGapMs: options.everyMs ?? 250,
        onError: (error) => ctx.log.error({ err: error }, 'heartbeat detector: sweep failed'),
      },
    );
  }

  /** Sleeps until the next heartbeat is due; a ping, a new heartbeat or an edit (their events) wakes it to look again. */
  start(): void {
    this.unsubscribe = this.ctx.bus.subscribe((event) => {
      if (event.entity === 'heartbeat' && event.action !== 'deleted') this.due.wake();
    });
    this.due.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.due.stop();
  }

  /** When the next heartbeat is due (ms), or null: one read of the heartbeats_due index. */
  private async nextDue(): Promise<number | null> {
    const row = await this.ctx.db.kysely
      .selectFrom('heartbeats')
      .select('next_due_at')
      .where('next_due_at', 'is not', null)
      .orderBy('next_due_at')
      .limit(1)
      .executeTakeFirst();
    return row?.next_due_at ? Date.parse(row.next_due_at) : null;
  }

  /** Handles every heartbeat due by now; answers how many changed state. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const { seen, changed } = await this.sweepOnce();
      total += changed;
      if (seen < (this.options.batch ?? 500)) return total;
    }
  }

  private async sweepOnce(): Promise<{ seen: number; changed: number }> {
    const { ctx } = this;
    const now = isoNow(ctx.clock);
    const limit = this.options.batch ?? 500;
    const postgres = ctx.db.dialect.name === 'postgres';
    const result = await ctx.db.kysely.transaction().execute(async (db) => {
      let q = db
        .selectFrom('heartbeats')
        .selectAll()
        .where('next_due_at', '<=', now)
        .orderBy('next_due_at')
        .limit(limit);
      if (postgres) q = q.forUpdate().skipLocked();
      const due = await q.execute();
      const events: Array<{ id: string; clientId: string }> = [];
      for (const row of due) {
        const schedule = scheduleOf(row);
        const step = tick(stateOf(row), schedule, now);
        const changes = heartbeatChangeRows(row, step.transitions, now, 'hub');
        if (changes.length) await db.insertInto('state_changes').values(changes).execute();
        const columns = stateColumns(step.state, schedule);
        // Time alone changed nothing yet (a clock a moment behind the deadline): look again in a second.
        if (!changes.length && columns.next_due_at && columns.next_due_at <= now)
          columns.next_due_at = new Date(Date.parse(now) + 1000).toISOString();
        await db
          .updateTable('heartbeats')
          .set({ ...columns, ...(changes.length ? { state_change_id: changes.at(-1)!.id, updated_at: now } : {}) })
          .where('id', '=', row.id)
          .where('next_due_at', '=', row.next_due_at)
          .execute();
        if (changes.length) events.push({ id: row.id, clientId: row.client_id });
        for (const t of step.transitions)
          ctx.log.info(
            { heartbeatId: row.id, from: t.from, to: t.to, at: t.at },
            `heartbeat "${row.name}" is ${t.to}: ${t.reason}`,
          );
      }
      return { seen: due.length, events };
    });
    for (const e of result.events)
      ctx.bus.publish({ entity: 'heartbeat', id: e.id, action: 'updated', clientId: e.clientId, at: now });
    return { seen: result.seen, changed: result.events.length };
  }
}
