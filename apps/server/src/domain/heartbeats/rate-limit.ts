/**
 * Token buckets in memory, one per key (a source address, a heartbeat): `rate` tokens a second up to
 * `burst`. Each hub process counts its own pings, so behind a load balancer of N processes the limit
 * is up to N times as high; enough to stop a runaway script, which is the point.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes a token for `key` at `nowMs`; false when there is none left (answer 429). */
  take(key: string, nowMs: number): boolean {
    if (this.rate <= 0) return true;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.prune(nowMs);
      bucket = { tokens: this.burst, at: nowMs };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.rate);
      bucket.at = nowMs;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Seconds until `key` has a token again (for Retry-After). */
  retryAfterS(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket || this.rate <= 0) return 1;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate));
  }

  /** Forgets full buckets (they behave like new ones); if still too many, forgets the oldest half. */
  private prune(nowMs: number): void {
    for (const [key, b] of this.buckets)
      if (b.tokens + ((nowMs - b.at) / 1000) * this.rate >= this.burst) this.buckets.delete(key);
    if (this.buckets.size < this.maxKeys) return;
    let drop = Math.floor(this.buckets.size / 2);
    for (const key of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}
