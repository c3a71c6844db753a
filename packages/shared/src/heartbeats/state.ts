import { expectedAfter, type Schedule } from './schedule.js';

/**
 * The state of a heartbeat as a pure function of its pings and the time (no clock of its own: `now`
 * is passed in). States: new (never pinged), up, degraded (the last report was a warning), late (due,
 * within the grace time), down, paused.
 *
 * - A success makes it up, a warning degraded, a failure down at once; a log ping changes nothing.
 * - A start opens a run: a run not finished within the grace time makes it down (even while new).
 * - After a success or warning, the next ping is expected by the schedule; past that it is late, and
 *   past the grace time it is down. Down stays down until the next success or warning.
 * - Paused ignores pings and time (the pings are still recorded) until resumed; resuming shows new
 *   until the next ping.
 */

export const heartbeatStatuses = ['new', 'up', 'degraded', 'late', 'down', 'paused'] as const;
export type HeartbeatStatus = (typeof heartbeatStatuses)[number];

/** What a ping (or an e-mail report) says. `ignore` is recorded and changes nothing, like `log`. */
export type PingAction = 'success' | 'warning' | 'fail' | 'start' | 'log' | 'ignore';

export interface HeartbeatState {
  status: HeartbeatStatus;
  since: string;
  reason: string;
  /** The last finish (success, warning or failure): where the schedule counts from. */
  lastPingAt: string | null;
  /** The start of the oldest run still open (a start without its finish), if any. */
  runningSince: string | null;
}

export interface HeartbeatTransition {
  from: HeartbeatStatus;
  to: HeartbeatStatus;
  at: string;
  reason: string;
}

export interface HeartbeatStep {
  state: HeartbeatState;
  transitions: HeartbeatTransition[];
}

export function initialHeartbeatState(now: string, paused = false): HeartbeatState {
  return {
    status: paused ? 'paused' : 'new',
    since: now,
    reason: paused ? 'paused' : 'never pinged',
    lastPingAt: null,
    runningSince: null,
  };
}

function moveTo(
  state: HeartbeatState,
  to: HeartbeatStatus,
  at: string,
  reason: string,
  patch: Partial<HeartbeatState> = {},
): HeartbeatStep {
  const next = { ...state, ...patch };
  if (to === state.status) return { state: next, transitions: [] };
  return { state: { ...next, status: to, since: at, reason }, transitions: [{ from: state.status, to, at, reason }] };
}

const plusS = (iso: string, s: number) => new Date(Date.parse(iso) + s * 1000);

/**
 * Applies one ping. `runningSince` is the oldest open run after the ping's own bookkeeping of runs
 * (the store pairs starts and finishes by rid), so a start opens one and a finish may close it.
 */
export function applyPing(
  state: HeartbeatState,
  action: PingAction,
  detail: string,
  runningSince: string | null,
  now: string,
): HeartbeatStep {
  if (state.status === 'paused') return { state, transitions: [] };
  const base = { runningSince };
  switch (action) {
    case 'success':
      return moveTo(state, 'up', now, detail || 'success reported', { ...base, lastPingAt: now });
    case 'warning':
      return moveTo(state, 'degraded', now, detail || 'warning reported', { ...base, lastPingAt: now });
    case 'fail':
      return moveTo(state, 'down', now, detail || 'failure reported', { ...base, lastPingAt: now });
    case 'start':
    case 'log':
    case 'ignore':
      return { state: { ...state, ...base }, transitions: [] };
  }
}

/** The times that matter next: when the heartbeat is expected, turns late, and turns down. */
export interface Deadlines {
  expectedAt: Date | null;
  downAt: Date | null;
  /** When the detection worker must look at this heartbeat next; null if time alone cannot change it. */
  nextDueAt: Date | null;
}

export function deadlines(state: HeartbeatState, schedule: Schedule): Deadlines {
  if (state.status === 'paused' || state.status === 'down') return { expectedAt: null, downAt: null, nextDueAt: null };
  const runDownAt = state.runningSince ? plusS(state.runningSince, schedule.graceS) : null;
  let expectedAt: Date | null = null;
  let scheduleDownAt: Date | null = null;
  if (state.status !== 'new' && state.lastPingAt) {
    expectedAt = expectedAfter(schedule, new Date(state.lastPingAt));
    scheduleDownAt = expectedAt ? new Date(expectedAt.getTime() + schedule.graceS * 1000) : null;
  }
  const downAt = earliest(runDownAt, scheduleDownAt);
  const lateAt = state.status === 'late' ? null : expectedAt;
  return { expectedAt, downAt, nextDueAt: earliest(lateAt, downAt) };
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a <= b ? a : b;
}

const hhmm = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** Lets time pass: late when due, down past the grace time or when a run outlasts it. */
export function tick(state: HeartbeatState, schedule: Schedule, now: string): HeartbeatStep {
  if (state.status === 'paused' || state.status === 'down') return { state, transitions: [] };
  const at = new Date(now);
  if (state.runningSince) {
    const runDownAt = plusS(state.runningSince, schedule.graceS);
    if (at >= runDownAt)
      return moveTo(
        state,
        'down',
        runDownAt.toISOString(),
        `started at ${hhmm(new Date(state.runningSince))} and did not finish within the grace time`,
      );
  }
  if (state.status === 'new' || !state.lastPingAt) return { state, transitions: [] };
  const expectedAt = expectedAfter(schedule, new Date(state.lastPingAt));
  if (!expectedAt) return { state, transitions: [] };
  const downAt = new Date(expectedAt.getTime() + schedule.graceS * 1000);
  if (at >= downAt)
    return moveTo(
      state,
      'down',
      downAt.toISOString(),
      `no ping since ${hhmm(new Date(state.lastPingAt))}; expected by ${hhmm(expectedAt)}`,
    );
  if (at >= expectedAt)
    return moveTo(state, 'late', expectedAt.toISOString(), `expected by ${hhmm(expectedAt)}, within the grace time`);
  return { state, transitions: [] };
}

/** Pausing shows paused at once; resuming shows new until the next ping (the schedule starts again). */
export function setHeartbeatPaused(state: HeartbeatState, paused: boolean, now: string, reason: string): HeartbeatStep {
  if (paused) return moveTo(state, 'paused', now, reason);
  if (state.status !== 'paused') return { state, transitions: [] };
  return moveTo(state, 'new', now, reason, { lastPingAt: null, runningSince: null });
}
