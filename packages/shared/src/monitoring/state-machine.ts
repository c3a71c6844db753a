/**
 * The state of a check, as a pure function of its results (ADR 0003). No I/O and no clock of its own:
 * `now` is the time the result happened, so results replayed later still change state at their own time.
 *
 * Two states are kept: `computed`, what the results alone say, and `state`, what is shown. They differ
 * only while the check is paused, or suppressed (unknown because something it depends on is down).
 */

export const checkStates = ['unknown', 'up', 'degraded', 'down', 'paused'] as const;
export type CheckState = (typeof checkStates)[number];
/** What the results alone say: never paused. */
export type ComputedState = Exclude<CheckState, 'paused'>;
export type ObservedStatus = 'up' | 'degraded' | 'down';

export interface MachineState {
  state: CheckState;
  computed: ComputedState;
  since: string;
  reason: string;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
}

export interface StatePolicy {
  /** Failures in a row before an up (or degraded) check counts as down; 1 = at once. */
  failuresBeforeDown: number;
  /** Successes in a row before a down check counts as up again; 1 = at once. */
  successesBeforeUp: number;
  paused: boolean;
}

export interface ObservedResult {
  status: ObservedStatus;
  message: string;
}

/** Why a check is shown unknown instead of its computed state, when something it depends on is down. */
export interface Suppression {
  causeType: 'system' | 'agent';
  causeId: string;
  rootCauseId: string | null;
  reason: string;
}

export interface Transition {
  from: CheckState;
  to: CheckState;
  at: string;
  reason: string;
  /** Set when the change follows from another one (dependency or unreachable agent). */
  suppression: Suppression | null;
}

export interface Step {
  state: MachineState;
  transitions: Transition[];
}

export function initialState(now: string, paused = false): MachineState {
  return {
    state: paused ? 'paused' : 'unknown',
    computed: 'unknown',
    since: now,
    reason: paused ? 'paused' : 'no result yet',
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
  };
}

/**
 * From results alone: a success (up or degraded) after "unknown" counts at once; leaving "down" needs
 * `successesBeforeUp` successes in a row; reaching "down" from anything needs `failuresBeforeDown`
 * failures in a row. Degraded counts as a success for leaving down, yet is a state of its own.
 */
function computeNext(
  current: ComputedState,
  result: ObservedResult,
  failures: number,
  successes: number,
  policy: StatePolicy,
): ComputedState {
  if (result.status === 'down') return failures >= Math.max(1, policy.failuresBeforeDown) ? 'down' : current;
  if (current === 'down' && successes < Math.max(1, policy.successesBeforeUp)) return 'down';
  return result.status;
}

/** The state to show: paused wins, then suppression, then what the results say. */
export function effectiveState(computed: ComputedState, paused: boolean, suppression: Suppression | null): CheckState {
  if (paused) return 'paused';
  if (suppression) return 'unknown';
  return computed;
}

function describe(computed: ComputedState, result: ObservedResult, failures: number): string {
  if (computed === 'down' && result.status === 'down' && failures > 1)
    return `${result.message} (${failures} failures in a row)`;
  return result.message;
}

/**
 * Applies one result. A paused check ignores results. `suppression` (from the dependency rules) turns
 * the shown state into "unknown" while keeping the computed state up to date underneath.
 */
export function nextState(
  state: MachineState,
  result: ObservedResult,
  policy: StatePolicy,
  now: string,
  suppression: Suppression | null = null,
): Step {
  if (policy.paused) {
    if (state.state === 'paused') return { state, transitions: [] };
    return setPaused(state, true, now, 'paused');
  }
  const failed = result.status === 'down';
  const consecutiveFailures = failed ? state.consecutiveFailures + 1 : 0;
  const consecutiveSuccesses = failed ? 0 : state.consecutiveSuccesses + 1;
  const computed = computeNext(state.computed, result, consecutiveFailures, consecutiveSuccesses, policy);
  const shown = effectiveState(computed, false, suppression);
  const reason = suppression ? suppression.reason : describe(computed, result, consecutiveFailures);
  const next: MachineState = {
    state: shown,
    computed,
    since: state.since,
    reason: state.reason,
    consecutiveFailures,
    consecutiveSuccesses,
  };
  if (shown === state.state) return { state: next, transitions: [] };
  return {
    state: { ...next, since: now, reason },
    transitions: [{ from: state.state, to: shown, at: now, reason, suppression }],
  };
}

/** Pausing shows "paused" at once; resuming shows "unknown" until the next result. */
export function setPaused(state: MachineState, paused: boolean, now: string, reason: string): Step {
  const to: CheckState = paused ? 'paused' : 'unknown';
  if (state.state === to || (!paused && state.state !== 'paused')) return { state, transitions: [] };
  const next: MachineState = paused
    ? { ...state, state: to, since: now, reason }
    : { ...state, state: to, computed: 'unknown', since: now, reason, consecutiveFailures: 0, consecutiveSuccesses: 0 };
  return { state: next, transitions: [{ from: state.state, to, at: now, reason, suppression: null }] };
}

/** Something this check depends on went down: shown unknown with its cause, whatever the results say. */
export function suppress(state: MachineState, suppression: Suppression, now: string): Step {
  if (state.state === 'paused' || state.state === 'unknown') return { state, transitions: [] };
  return {
    state: { ...state, state: 'unknown', since: now, reason: suppression.reason },
    transitions: [{ from: state.state, to: 'unknown', at: now, reason: suppression.reason, suppression }],
  };
}
