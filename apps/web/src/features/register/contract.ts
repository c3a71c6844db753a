import type { Contract, SupportHours, SupportWindow } from '../../api/types';
import { WEEKDAY_LABELS, WEEKDAYS } from './labels';
import { formatWallTime } from '../../lib/date-format';

export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** "Mon–Fri 08:00–18:00, Sat 09:00–12:00" */
export function describeWindows(windows: readonly SupportWindow[]): string {
  const byHours = new Map<string, Set<string>>();
  for (const w of windows) {
    const key = `${formatWallTime(w.start)}–${formatWallTime(w.end)}`;
    if (!byHours.has(key)) byHours.set(key, new Set());
    byHours.get(key)!.add(w.day);
  }
  const parts: string[] = [];
  for (const [hours, days] of byHours) {
    const idx = WEEKDAYS.map((d, i) => (days.has(d) ? i : -1)).filter((i) => i >= 0);
    const runs: string[] = [];
    for (let i = 0; i < idx.length; ) {
      let j = i;
      while (j + 1 < idx.length && idx[j + 1] === idx[j]! + 1) j++;
      const a = WEEKDAY_LABELS[WEEKDAYS[idx[i]!]!];
      const b = WEEKDAY_LABELS[WEEKDAYS[idx[j]!]!];
      runs.push(i === j ? a : j === i + 1 ? `${a}, ${b}` : `${a}–${b}`);
      i = j + 1;
    }
    parts.push(`${runs.join(', ')} ${hours}`);
  }
  return parts.join('; ');
}

export function describeHours(hours: SupportHours): string {
  if (hours.kind === 'always') return '24/7';
  return `${describeWindows(hours.windows)} (${hours.timeZone})`;
}

export function describeContract(contract: Contract): string {
  return `${describeHours(contract.supportHours)} · respond within ${formatMinutes(contract.responseTargetMinutes)}`;
}

// One implementation of support hours, shared with the hub (paging rules, response clocks).
export { supportNow, type SupportNow } from '@afterhours/shared/support-hours';
