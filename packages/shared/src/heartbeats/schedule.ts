import { nextCronTime, parseCron, type Cron } from './cron.js';

/** Limits of a period schedule (as healthchecks.io: 1 minute to 365 days). */
export const MIN_PERIOD_S = 60;
export const MAX_PERIOD_S = 365 * 86_400;
export const DEFAULT_PERIOD_S = 86_400;
export const DEFAULT_GRACE_S = 3600;
export const MIN_GRACE_S = 60;
export const MAX_GRACE_S = 365 * 86_400;

/** How often a heartbeat is expected: every so many seconds, or on a cron schedule in a time zone. */
export type Schedule =
  | { kind: 'period'; periodS: number; graceS: number }
  | { kind: 'cron'; cron: string; timeZone: string; graceS: number };

const parsed = new Map<string, Cron>();

function cronOf(source: string): Cron {
  let cron = parsed.get(source);
  if (!cron) {
    cron = parseCron(source);
    if (parsed.size > 5000) parsed.clear();
    parsed.set(source, cron);
  }
  return cron;
}

/** When the next ping is expected after one at `lastAt`, or null if never (a cron that never fires). */
export function expectedAfter(schedule: Schedule, lastAt: Date): Date | null {
  if (schedule.kind === 'period') return new Date(lastAt.getTime() + schedule.periodS * 1000);
  return nextCronTime(cronOf(schedule.cron), lastAt, schedule.timeZone);
}

/** Whether the schedule expects at least one run in [from, to): a cron firing in it, or a period of at most a day. */
export function expectsRunBetween(schedule: Schedule, from: Date, to: Date): boolean {
  if (schedule.kind === 'period') return schedule.periodS <= 86_400;
  const next = nextCronTime(cronOf(schedule.cron), new Date(from.getTime() - 1), schedule.timeZone);
  return next !== null && next < to;
}
