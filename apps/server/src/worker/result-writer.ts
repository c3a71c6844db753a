import type { AppContext } from '../context.js';
import { ingestResults, type IncomingResult } from '../domain/monitoring/ingest.js';
import type { Timers } from './timers.js';

export interface ResultWriterOptions {
  /** Write when this many results are waiting… */
  maxBatch: number;
  /** …or when the oldest has waited this long. */
  maxDelayMs: number;
}

/**
 * Collects the probe's results and writes them in batches, one transaction per batch (not per result).
 * A failed write is retried once with the next batch; `flush()` writes what is waiting (on stop).
 */
export class ResultWriter {
  private pending: IncomingResult[] = [];
  private timer: unknown = null;
  private writing: Promise<void> = Promise.resolve();
  written = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly timers: Timers,
    private readonly options: ResultWriterOptions = { maxBatch: 1000, maxDelayMs: 2000 },
  ) {}

  add(result: IncomingResult): void {
    this.pending.push(result);
    if (this.pending.length >= this.options.maxBatch) void this.flush();
    else if (this.timer === null) this.timer = this.timers.setTimeout(() => void this.flush(), this.options.maxDelayMs);
  }

  get waiting(): number {
    return this.pending.length;
  }

  /** Writes everything added so far; resolves when it is stored (or logged as lost). */
  flush(): Promise<void> {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length) this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private async write(batch: IncomingResult[]): Promise<void> {
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        await ingestResults(this.ctx, { type: 'hub' }, batch);
        this.written += batch.length;
        return;
      } catch (error) {
        if (attempt === 2)
          this.ctx.log.error({ err: error, results: batch.length }, 'could not store probe results; they are lost');
        else this.ctx.log.warn({ err: error }, 'storing probe results failed; retrying once');
      }
    }
  }
}
