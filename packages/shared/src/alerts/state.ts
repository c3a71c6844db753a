/**
 * What an alert does with one state change of the thing it is about. Pure: the clock is an argument,
 * the worker (apps/server/src/worker/alert-worker.ts) does the reading and writing.
 *
 * - A problem with no alert opens one; with an open or acknowledged alert it updates it.
 * - A recovery resolves the alert ("recovered"), unless it is flapping: a flapping alert stays open
 *   until the thing has been well for the whole flap window (`settleFlapping`).
 * - A problem soon after a recovery (within the flap window) reopens the same alert rather than making a
 *   new one; more than `maxChanges` changes within the window make it "flapping".
 */
export type AlertState = 'open' | 'acknowledged' | 'resolved';
export type ChangeKind = 'problem' | 'recovery' | 'ignore';

export interface AlertSnapshot {
  state: AlertState;
  /** The latest state of the thing alerted on (down, late, unreachable, up…). */
  subjectState: string;
  flapping: boolean;
  /** Times of the changes seen within the flap window, oldest first. */
  changes: string[];
  resolvedAt: string | null;
  resolution: 'recovered' | 'person' | null;
  lastChangeAt: string;
}

export interface FlapPolicy {
  /** More than this many changes … */
  maxChanges: number;
  /** … within this many minutes is flapping. */
  windowMinutes: number;
}

export const DEFAULT_FLAP_POLICY: FlapPolicy = { maxChanges: 4, windowMinutes: 30 };

export interface AlertChange {
  kind: ChangeKind;
  toState: string;
  at: string;
}

export type AlertEffect = 'open' | 'reopen' | 'update' | 'flapping' | 'resolve';

export interface AlertStep {
  alert: AlertSnapshot | null;
  effects: AlertEffect[];
}

/** Whether a change of a check, site or heartbeat is a problem, a recovery, or neither. */
export function classifyChange(subjectType: string, toState: string): ChangeKind {
  const table: Record<string, Record<string, ChangeKind>> = {
    check: { down: 'problem', up: 'recovery', degraded: 'recovery', paused: 'recovery' },
    site: { unreachable: 'problem', reachable: 'recovery' },
    heartbeat: { late: 'problem', down: 'problem', up: 'recovery', new: 'recovery', paused: 'recovery' },
    power: { 'on-battery': 'problem', 'low-battery': 'problem', online: 'recovery' },
  };
  return table[subjectType]?.[toState] ?? 'ignore';
}

function withinWindow(times: string[], now: string, policy: FlapPolicy): string[] {
  const from = Date.parse(now) - policy.windowMinutes * 60_000;
  return times.filter((t) => Date.parse(t) >= from);
}

/**
 * `current` is the thing's open or acknowledged alert, or its latest alert resolved by recovery within
 * the flap window (which a new problem reopens), or null.
 */
export function nextAlertState(
  current: AlertSnapshot | null,
  change: AlertChange,
  policy: FlapPolicy,
  now: string,
): AlertStep {
  if (change.kind === 'ignore') return { alert: current, effects: [] };
  const active = current && current.state !== 'resolved' ? current : null;
  const reopenable =
    current?.state === 'resolved' &&
    current.resolution === 'recovered' &&
    current.resolvedAt !== null &&
    Date.parse(now) - Date.parse(current.resolvedAt) <= policy.windowMinutes * 60_000
      ? current
      : null;

  if (change.kind === 'recovery') {
    if (!active) return { alert: current, effects: [] };
    const changes = [...withinWindow(active.changes, now, policy), change.at];
    const base = { ...active, subjectState: change.toState, changes, lastChangeAt: change.at };
    if (active.flapping) return { alert: base, effects: ['update'] };
    return {
      alert: { ...base, state: 'resolved', resolvedAt: now, resolution: 'recovered' },
      effects: ['resolve'],
    };
  }

  // A problem.
  if (active) {
    const changes = active.subjectState === change.toState ? active.changes : [...active.changes, change.at];
    return {
      alert: {
        ...active,
        subjectState: change.toState,
        changes: withinWindow(changes, now, policy),
        lastChangeAt: change.at,
      },
      effects: ['update'],
    };
  }
  if (reopenable) {
    const changes = [...withinWindow(reopenable.changes, now, policy), change.at];
    const flapping = changes.length > policy.maxChanges;
    return {
      alert: {
        ...reopenable,
        state: 'open',
        subjectState: change.toState,
        flapping,
        changes,
        resolvedAt: null,
        resolution: null,
        lastChangeAt: change.at,
      },
      effects: flapping ? ['reopen', 'flapping'] : ['reopen'],
    };
  }
  return {
    alert: {
      state: 'open',
      subjectState: change.toState,
      flapping: false,
      changes: [change.at],
      resolvedAt: null,
      resolution: null,
      lastChangeAt: change.at,
    },
    effects: ['open'],
  };
}

/** A flapping alert whose thing has been well for the whole window resolves as recovered. */
export function settleFlapping(alert: AlertSnapshot, well: boolean, policy: FlapPolicy, now: string): AlertStep {
  if (!alert.flapping || alert.state === 'resolved' || !well) return { alert, effects: [] };
  if (Date.parse(now) - Date.parse(alert.lastChangeAt) < policy.windowMinutes * 60_000) return { alert, effects: [] };
  return { alert: { ...alert, state: 'resolved', resolvedAt: now, resolution: 'recovered' }, effects: ['resolve'] };
}
