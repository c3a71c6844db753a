import type { AppContext } from '../../context.js';
import { RateLimiter } from './rate-limit.js';
import { recordPings, type PingInput, type PingOutcome } from './record-pings.js';

export type { PingInput, PingOutcome };

interface Waiting {
  input: PingInput;
  resolve(outcome: PingOutcome): void;
  reject(error: unknown): void;
}

/** Most pings written in one transaction. */
const MAX_BATCH = 256;

/**
 * Writes pings with group commit: a ping that arrives while a transaction is being written waits for
 * the next one, which takes every ping waiting by then (up to 256). The first ping after a quiet spell
 * is written after the current turn of the event loop, with every other ping that turn read. Every ping is answered only after the transaction holding it has
 * committed, so a ping answered 200 is in the database: it survives the hub crashing a moment later.
 * Under load this turns thousands of tiny transactions a second into a few hundred small ones.
 * The dialect says how many such transactions may run at once (`pingWriters`): one on SQLite, which
 * has one writer; several on PostgreSQL, where each waits on round trips and row locks order pings of
 * one heartbeat.
 */
export class PingWriter {
  private queue: Waiting[] = [];
  private active = 0;
  private scheduled = false;
  private readonly writers: number;
  readonly perHeartbeat: RateLimiter;

  constructor(
    private readonly ctx: AppContext,
    limits: { rate: number; burst: number },
  ) {
    this.perHeartbeat = new RateLimiter(limits.rate, limits.burst);
    this.writers = ctx.db.dialect.pingWriters;
  }

  submit(input: PingInput): Promise<PingOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      // Start writing after the requests already read in this turn of the event loop have joined the
      // queue (setImmediate runs after them), so that a burst is one transaction, not one per ping.
      if (this.active < this.writers && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Resolves once everything submitted so far is written. */
  async flush(): Promise<void> {
    while (this.active || this.scheduled || this.queue.length) await new Promise((r) => setTimeout(r, 5));
  }

  /** Starts a transaction for the waiting pings while fewer than `writers` are running. */
  private pump(): void {
    while (this.active < this.writers && this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.active += 1;
      void this.write(batch).finally(() => {
        this.active -= 1;
        this.pump();
      });
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await recordPings(
        this.ctx,
        batch.map((w) => w.input),
        this.perHeartbeat,
      );
      for (const [i, w] of batch.entries()) w.resolve(outcomes[i]!);
    } catch (error) {
      // One bad ping must not fail its neighbours: write each alone, so only it fails.
      if (batch.length === 1) batch[0]!.reject(error);
      else
        for (const w of batch)
          await recordPings(this.ctx, [w.input], this.perHeartbeat).then((o) => w.resolve(o[0]!), w.reject);
    }
  }
}
