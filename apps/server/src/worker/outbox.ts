import { performance } from 'node:perf_hooks';
import { Message } from '@afterhours/shared';
import type { AppContext } from '../context.js';
import { claimDueMessages } from '../db/dialects/outbox-claim.js';
import type { OutboxTable } from '../db/schema.js';
import { loadHubChannels } from '../domain/notify/hub-channels.js';
import { DEFAULT_NOTIFY_SETTINGS, leaseMs, type NotifySettings } from '../domain/notify/settings.js';
import { type ChannelDefinition, ChannelError, type HubChannels } from '../integrations/channel.js';
import { channels as registry } from '../integrations/registry.js';
import { addMs, isoNow } from '../lib/clock.js';
import {
  methodsOf,
  recordFailure,
  recordSent,
  recoverAbandoned,
  resolveRecipient,
  type Sent,
} from './outbox-results.js';
import { DueTimer } from './due-timer.js';
import type { Timers } from './timers.js';

export interface OutboxWorkerOptions {
  channels?: Record<string, ChannelDefinition>;
  random?: () => number;
  timers?: Timers;
  /** The longest it sleeps with nothing due (a safety net for a wake-up that never came). */
  idleMs?: number;
}

/**
 * Hands outbox messages to their channels. It sleeps until the next message is due (or a lease runs
 * out) and is woken early by `outbox.wake` on the bus (`wakeOutbox`), never ticking. Several processes
 * may run it: each claims its rows in one statement (see db/dialects/outbox-claim.ts).
 */
export class OutboxWorker {
  private readonly settings: NotifySettings;
  private readonly channels: Record<string, ChannelDefinition>;
  private readonly timer: DueTimer;
  private stopped = true;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: OutboxWorkerOptions = {},
  ) {
    this.settings = ctx.settings.notify ?? DEFAULT_NOTIFY_SETTINGS;
    this.channels = options.channels ?? registry;
    this.timer = new DueTimer(() => this.sendDue(), {
      now: () => ctx.clock.now().getTime(),
      ...(options.timers ? { timers: options.timers } : {}),
      maxSleepMs: options.idleMs ?? 60_000,
      // A message due again at once (a retry with no backoff left) waits a moment rather than spinning.
      minGapMs: 50,
      onError: (error) => ctx.log.error({ err: error }, 'outbox: could not plan the next wake-up'),
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    await recoverAbandoned(this.ctx, true);
    this.unsubscribe = this.ctx.bus.subscribePeer((m) => {
      if (m.type === 'outbox.wake') this.wake();
    });
    this.timer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.timer.stop();
  }

  /** Look for due messages now (after a commit that queued some). */
  wake(): void {
    this.timer.wake();
  }

  /** Sends everything due, then answers when the next message is due or a lease runs out (ms). */
  private async sendDue(): Promise<number | null> {
    try {
      await this.pump();
    } catch (error) {
      this.ctx.log.error({ err: error }, 'outbox: sending failed');
    }
    return this.nextDueAt();
  }

  private async pump(): Promise<void> {
    while (!this.stopped && (await this.runOnce()) > 0) {
      /* until nothing is due */
    }
  }

  /** Claims the messages due now and hands each to its channel; answers how many it handled. */
  async runOnce(): Promise<number> {
    const { ctx } = this;
    await recoverAbandoned(ctx, false);
    const now = isoNow(ctx.clock);
    const rows = await claimDueMessages(
      ctx.db.kysely,
      ctx.db.dialect.name,
      now,
      addMs(now, leaseMs(this.settings)),
      this.settings.concurrency,
    );
    if (!rows.length) return 0;
    const [hub, methods] = await Promise.all([loadHubChannels(ctx.db.kysely, ctx.secrets), methodsOf(ctx, rows)]);
    const outcomes = await Promise.all(rows.map((row) => this.deliver(row, hub, methods)));
    await recordSent(
      ctx,
      outcomes.filter((o): o is Sent => o !== null),
    );
    return rows.length;
  }

  /** Hands one message to its channel: what it took is answered (recorded with the batch), a failure recorded now. */
  private async deliver(
    row: OutboxTable,
    hub: HubChannels,
    methods: Awaited<ReturnType<typeof methodsOf>>,
  ): Promise<Sent | null> {
    const { ctx } = this;
    const started = performance.now();
    try {
      const definition = this.channels[row.kind];
      if (!definition) throw new ChannelError(`no channel of kind "${row.kind}"`, false, 'hub');
      const settings = resolveRecipient(ctx, row, definition, methods);
      const message = Message.parse(JSON.parse(row.payload_json));
      const outcome = await definition.send({
        settings,
        message,
        urgency: row.urgency === 'high' ? 'high' : 'low',
        hub,
        messageId: row.id,
        timeoutMs: this.settings.sendTimeoutMs,
        publicUrl: ctx.settings.publicUrl?.replace(/\/+$/, ''),
        replyTo: replyAddress(ctx, row),
      });
      return { row, providerRef: outcome.providerRef ?? null, ms: performance.now() - started };
    } catch (error) {
      const failure =
        error instanceof ChannelError
          ? error
          : new ChannelError(error instanceof Error ? error.message : String(error), true);
      await recordFailure(ctx, row, failure, performance.now() - started, this.settings, this.options.random);
      return null;
    }
  }

  private async nextDueAt(): Promise<number | null> {
    const db = this.ctx.db.kysely;
    const [due, lease] = await Promise.all([
      db
        .selectFrom('outbox')
        .select((eb) => eb.fn.min('next_attempt_at').as('at'))
        .where('status', '=', 'queued')
        .executeTakeFirst(),
      db
        .selectFrom('outbox')
        .select((eb) => eb.fn.min('lease_until').as('at'))
        .where('status', '=', 'sending')
        .executeTakeFirst(),
    ]);
    const next = [due?.at, lease?.at].filter((at): at is string => typeof at === 'string').map((at) => Date.parse(at));
    return next.length ? Math.min(...next) : null;
  }
}

/** Replies by e-mail come back to reply+<message id>@<the hub's report domain>, when the hub receives mail. */
function replyAddress(ctx: AppContext, row: OutboxTable): string | undefined {
  const smtp = ctx.settings.heartbeats?.smtp;
  const domain = smtp?.port !== null ? smtp?.domains[0] : undefined;
  return domain && row.kind === 'email' && row.user_id ? `reply+${row.id}@${domain}` : undefined;
}
