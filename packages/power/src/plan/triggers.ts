import type { UpsReading } from '../reading.js';
import type { PlanTriggers } from './types.js';

/**
 * What the plan triggers look at, kept between polls: since when the site is on battery (reset as soon as
 * a reading says on line, so flapping power never adds up to N minutes), and which outage windows
 * already fired.
 */
export interface PowerWatch {
  onBatterySince: number | null;
  /** Since when power is back (null while on battery or never lost). */
  onLineSince: number | null;
  firedWindows: string[];
}

export interface OutageWindow {
  id: string;
  startsAt: number;
  endsAt: number;
  note?: string;
}

export const initialWatch: PowerWatch = { onBatterySince: null, onLineSince: null, firedWindows: [] };

/** Folds one reading into the watch. Readings that are not 'ok' (stale, unreachable) change nothing. */
export function watchReading(watch: PowerWatch, reading: UpsReading, now: number): PowerWatch {
  if (reading.state !== 'ok' || reading.power === 'unknown') return watch;
  if (reading.power === 'on-battery') {
    return { ...watch, onBatterySince: watch.onBatterySince ?? now, onLineSince: null };
  }
  return { ...watch, onBatterySince: null, onLineSince: watch.onLineSince ?? now };
}

/**
 * Whether the shutdown should start now, and why (a sentence for the log), or null. Several UPSes at a
 * site: the caller passes the most pessimistic reading.
 */
export function shutdownReason(
  triggers: PlanTriggers,
  watch: PowerWatch,
  reading: UpsReading | null,
  windows: OutageWindow[],
  now: number,
): { reason: string; windowId?: string } | null {
  if (reading && reading.state === 'ok' && reading.power === 'on-battery') {
    if (triggers.onLowBattery && reading.forcedShutdown) return { reason: 'the UPS ordered a forced shutdown (FSD)' };
    if (triggers.onLowBattery && reading.lowBattery) return { reason: 'the UPS reports low battery' };
    if (
      triggers.runtimeBelowMinutes !== null &&
      reading.runtimeSeconds !== null &&
      reading.runtimeSeconds < triggers.runtimeBelowMinutes * 60
    ) {
      return {
        reason: `the UPS reports ${formatMinutes(reading.runtimeSeconds / 60)} of runtime left, below ${triggers.runtimeBelowMinutes} min`,
      };
    }
  }
  if (
    triggers.onBatteryMinutes !== null &&
    watch.onBatterySince !== null &&
    now - watch.onBatterySince >= triggers.onBatteryMinutes * 60_000
  ) {
    return { reason: `on battery for ${formatMinutes((now - watch.onBatterySince) / 60_000)}` };
  }
  if (triggers.onOutageWindow) {
    const open = windows.find((w) => w.startsAt <= now && now < w.endsAt && !watch.firedWindows.includes(w.id));
    if (open) return { reason: `planned outage window opened${open.note ? ` (${open.note})` : ''}`, windowId: open.id };
  }
  return null;
}

/** The reading the triggers trust among a site's UPSes: on battery beats on line, low battery beats all. */
export function worstReading(readings: UpsReading[]): UpsReading | null {
  const ok = readings.filter((r) => r.state === 'ok');
  const rank = (r: UpsReading) =>
    (r.forcedShutdown ? 4 : 0) + (r.lowBattery ? 2 : 0) + (r.power === 'on-battery' ? 1 : 0);
  return (
    ok.sort((a, b) => rank(b) - rank(a) || (a.runtimeSeconds ?? Infinity) - (b.runtimeSeconds ?? Infinity))[0] ?? null
  );
}

export function formatMinutes(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  return `${Math.round(minutes * 10) / 10} min`;
}
