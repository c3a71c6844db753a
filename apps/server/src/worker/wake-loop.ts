import type { FastifyBaseLogger } from 'fastify';

/**
 * Runs `pass` whenever woken, or after `idleMs` at the latest (or sooner when the pass asks for it, by
 * answering how long until it has work again) — never a fast tick. One pass at a time; a wake during a pass
 * runs another right after it.
 */
export class WakeLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<number | null>,
    private readonly idleMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.once().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async once(): Promise<void> {
    let wait = this.idleMs;
    try {
      const next = await this.pass();
      if (next !== null) wait = Math.max(0, Math.min(wait, next));
    } catch (error) {
      this.log.error({ err: error }, `${this.name}: pass failed`);
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => this.wake(), wait);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
