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
 */
export class PingWriter {
  private queue: Waiting[] = [];
  private writing = false;
  private scheduled = false;
  readonly perHeartbeat: RateLimiter;

  constructor(private readonly ctx: AppContext, limits: { rate: number; burst: number }) {
    this.perHeartbeat = new RateLimiter(limits.rate, limits.burst);
  }

  submit(input: PingInput): Promise<PingOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      // Start writing after the requests already read in this turn of the event loop have joined the
      // queue (setImmediate runs after them), so that a burst is one transaction, not one per ping.
      if (!this.writing && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          if (!this.writing) void this.drain();
        });
      }
    });
  }

  /** Resolves once everything submitted so far is written. */
  async flush(): Promise<void> {
    while (this.writing || this.scheduled || this.queue.length) await new Promise((r) => setTimeout(r, 5));
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const outcomes = await recordPings(this.ctx, batch.map((w) => w.input), this.perHeartbeat);
          batch.forEach((w, i) => w.resolve(outcomes[i]!));
        } catch (error) {
          // One bad ping must not fail its neighbours: write each alone, so only it fails.
          if (batch.length === 1) batch[0]!.reject(error);
          else for (const w of batch) await recordPings(this.ctx, [w.input], this.perHeartbeat).then((o) => w.resolve(o[0]!), w.reject);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
