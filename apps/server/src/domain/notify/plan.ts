import type { Urgency } from '@afterhours/shared';

/** A method that may be sent to: verified and not broken. */
export interface UsableMethod {
  id: string;
  createdAt: string;
}

export interface RuleLike {
  methodId: string;
  delayMinutes: number;
  urgency: string;
}

export interface PlannedSend {
  methodId: string;
  delayMinutes: number;
}

/**
 * Which methods a page of `urgency` goes to and when ("push at once, SMS after 2 minutes, call after 5"):
 * the person's rules of that urgency on usable methods; with none, every usable method at once, so a
 * page never goes nowhere.
 */
export function planPage(methods: UsableMethod[], rules: RuleLike[], urgency: Urgency): PlannedSend[] {
  const usable = new Set(methods.map((m) => m.id));
  const planned = rules
    .filter((r) => r.urgency === urgency && usable.has(r.methodId))
    .map((r) => ({ methodId: r.methodId, delayMinutes: r.delayMinutes }));
  if (planned.length) return dedupe(planned);
  return methods.map((m) => ({ methodId: m.id, delayMinutes: 0 }));
}

/**
 * Where an informational message goes: the method(s) the person's rules use first (low-urgency rules
 * before high), else their oldest usable method. One message, no escalation.
 */
export function planNotify(methods: UsableMethod[], rules: RuleLike[]): string[] {
  const usable = new Set(methods.map((m) => m.id));
  for (const urgency of ['low', 'high']) {
    const own = rules.filter((r) => r.urgency === urgency && usable.has(r.methodId));
    if (!own.length) continue;
    const first = Math.min(...own.map((r) => r.delayMinutes));
    return [...new Set(own.filter((r) => r.delayMinutes === first).map((r) => r.methodId))];
  }
  const oldest = [...methods].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  return oldest ? [oldest.id] : [];
}

/** For each method, its earliest planned send. */
function dedupe(planned: PlannedSend[]): PlannedSend[] {
  const byMethod = new Map<string, PlannedSend>();
  for (const p of planned) {
    const seen = byMethod.get(p.methodId);
    if (!seen || p.delayMinutes < seen.delayMinutes) byMethod.set(p.methodId, p);
  }
  return [...byMethod.values()].sort((a, b) => a.delayMinutes - b.delayMinutes);
}

export interface QuietHoursLike {
  start: string | null;
  end: string | null;
  timeZone: string;
}

/**
 * When a low-urgency message may go out: `now`, or the end of the person's quiet hours if `now` falls
 * inside them (overnight spans such as 22:00–07:00 included). Pages (high urgency) never wait.
 */
export function notBefore(quiet: QuietHoursLike | null, now: Date): Date {
  if (!quiet?.start || !quiet.end || quiet.start === quiet.end) return now;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  const local = localMinutes(now, quiet.timeZone);
  const inside = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inside) return now;
  const wait = (end - local + 1440) % 1440;
  const at = new Date(now.getTime() + wait * 60_000);
  at.setUTCSeconds(0, 0);
  return at;
}

function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return part('hour') * 60 + part('minute');
}
