import type { AgentResult } from '@afterhours/shared';

/**
 * Gathers results into batches: a batch is handed on after `maxDelayMs` (1 s) or as soon as it holds
 * `maxResults` (100). Hand-offs run one at a time and in order, so batch numbers follow the order
 * in which results arrived.
 */
export interface BatcherOptions {
  maxResults: number;
  maxDelayMs: number;
  flush: (results: AgentResult[]) => Promise<void>;
  onError: (error: unknown) => void;
}

export class Batcher {
  private pending: AgentResult[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: BatcherOptions) {}

  add(result: AgentResult): void {
    this.pending.push(result);
    if (this.pending.length >= this.options.maxResults) this.cut();
    else this.timer ??= setTimeout(() => this.cut(), this.options.maxDelayMs);
  }

  /** Hand on what is gathered and wait until every hand-off so far has finished. */
  async drain(): Promise<void> {
    this.cut();
    await this.chain;
  }

  private cut(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.chain = this.chain.then(() => this.options.flush(batch)).catch(this.options.onError);
  }
}
