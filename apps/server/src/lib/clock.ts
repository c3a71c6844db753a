/** The time source, passed in so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}

export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** A clock for tests that only moves when told to. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: string | Date = '2026-11-20T17:00:00.000Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(to: string | Date): void {
    this.current = new Date(to).getTime();
  }
}
