import { describe, expect, it } from 'vitest';
import {
  applyPing,
  deadlines,
  initialHeartbeatState,
  setHeartbeatPaused,
  tick,
  type HeartbeatState,
  type HeartbeatStatus,
  type PingAction,
} from './state.js';
import type { Schedule } from './schedule.js';

type Event = [
  at: string,
  what: PingAction | 'tick' | 'pause' | 'resume',
  expected: HeartbeatStatus,
  rid?: 'open' | 'close',
];

/** Plays events against the machine with an injected clock; returns the statuses and transitions. */
function play(schedule: Schedule, events: Event[]) {
  let state: HeartbeatState = initialHeartbeatState('2026-01-01T00:00:00.000Z');
  const seen: string[] = [];
  for (const [at, what, expected, run] of events) {
    // Each step lets time pass first (as the detection worker does), then applies the event.
    let step = tick(state, schedule, at);
    state = step.state;
    seen.push(...step.transitions.map((t) => `${t.at} ${t.from}→${t.to}`));
    if (what === 'tick') step = { state, transitions: [] };
    else if (what === 'pause' || what === 'resume') step = setHeartbeatPaused(state, what === 'pause', at, what);
    else {
      const runningSince = run === 'open' ? (state.runningSince ?? at) : run === 'close' ? null : state.runningSince;
      step = applyPing(state, what, '', runningSince, at);
    }
    state = step.state;
    seen.push(...step.transitions.map((t) => `${t.at} ${t.from}→${t.to}`));
    expect(state.status, `${at} ${what}`).toBe(expected);
  }
  return { state, seen };
}

const daily: Schedule = { kind: 'period', periodS: 86_400, graceS: 3600 };

describe('heartbeat state: period and grace', () => {
  it('goes new → up → late → down → up', () => {
    const { seen } = play(daily, [
      ['2026-01-01T00:00:00.000Z', 'tick', 'new'],
      ['2026-01-05T00:00:00.000Z', 'tick', 'new'],
      ['2026-01-05T02:00:00.000Z', 'success', 'up'],
      ['2026-01-06T01:59:59.000Z', 'tick', 'up'],
      ['2026-01-06T02:00:00.000Z', 'tick', 'late'],
      ['2026-01-06T02:59:59.000Z', 'tick', 'late'],
      ['2026-01-06T03:00:00.000Z', 'tick', 'down'],
      ['2026-01-09T00:00:00.000Z', 'tick', 'down'],
      ['2026-01-09T02:00:00.000Z', 'success', 'up'],
    ]);
    expect(seen).toEqual([
      '2026-01-05T02:00:00.000Z new→up',
      '2026-01-06T02:00:00.000Z up→late',
      '2026-01-06T03:00:00.000Z late→down',
      '2026-01-09T02:00:00.000Z down→up',
    ]);
  });

  it('a failure is down at once, a warning degraded, a log nothing', () => {
    play(daily, [
      ['2026-01-05T02:00:00.000Z', 'success', 'up'],
      ['2026-01-05T03:00:00.000Z', 'log', 'up'],
      ['2026-01-05T04:00:00.000Z', 'fail', 'down'],
      ['2026-01-05T05:00:00.000Z', 'warning', 'degraded'],
      ['2026-01-06T05:00:00.000Z', 'tick', 'late'],
      ['2026-01-06T05:30:00.000Z', 'warning', 'degraded'],
      ['2026-01-06T06:00:00.000Z', 'success', 'up'],
    ]);
  });

  it('a start without a finish within the grace time is down, even while new', () => {
    const { seen } = play(daily, [
      ['2026-01-05T02:00:00.000Z', 'start', 'new', 'open'],
      ['2026-01-05T02:59:59.000Z', 'tick', 'new'],
      ['2026-01-05T03:00:00.000Z', 'tick', 'down'],
    ]);
    expect(seen).toEqual(['2026-01-05T03:00:00.000Z new→down']);
  });

  it('a run finished within the grace time stays up', () => {
    play(daily, [
      ['2026-01-05T02:00:00.000Z', 'success', 'up'],
      ['2026-01-06T01:50:00.000Z', 'start', 'up', 'open'],
      ['2026-01-06T02:40:00.000Z', 'success', 'up', 'close'],
      ['2026-01-07T02:39:00.000Z', 'tick', 'up'],
    ]);
  });

  it('paused ignores pings and time; resuming shows new', () => {
    play(daily, [
      ['2026-01-05T02:00:00.000Z', 'success', 'up'],
      ['2026-01-05T03:00:00.000Z', 'pause', 'paused'],
      ['2026-01-09T03:00:00.000Z', 'fail', 'paused'],
      ['2026-01-09T04:00:00.000Z', 'resume', 'new'],
      ['2026-01-19T04:00:00.000Z', 'tick', 'new'],
      ['2026-01-19T05:00:00.000Z', 'success', 'up'],
    ]);
  });

  it('says when to look next', () => {
    const up: HeartbeatState = {
      status: 'up',
      since: 'x',
      reason: '',
      lastPingAt: '2026-01-05T02:00:00.000Z',
      runningSince: null,
    };
    expect(deadlines(up, daily).nextDueAt?.toISOString()).toBe('2026-01-06T02:00:00.000Z');
    expect(deadlines({ ...up, status: 'late' }, daily).nextDueAt?.toISOString()).toBe('2026-01-06T03:00:00.000Z');
    expect(deadlines({ ...up, runningSince: '2026-01-05T10:00:00.000Z' }, daily).nextDueAt?.toISOString()).toBe(
      '2026-01-05T11:00:00.000Z',
    );
    expect(deadlines({ ...up, status: 'down' }, daily).nextDueAt).toBeNull();
    expect(deadlines({ ...up, status: 'new', lastPingAt: null }, daily).nextDueAt).toBeNull();
    expect(deadlines({ ...up, status: 'paused' }, daily).nextDueAt).toBeNull();
  });
});

describe('heartbeat state: cron in a time zone across a daylight-saving change', () => {
  // A backup at 02:00 London time, an hour's grace. The clocks go forward on 29 March 2026.
  const nightly: Schedule = { kind: 'cron', cron: '0 2 * * *', timeZone: 'Europe/London', graceS: 3600 };

  it('expects the run at 02:00 local on both sides of the change', () => {
    const { seen } = play(nightly, [
      ['2026-03-27T02:05:00.000Z', 'success', 'up'], // Friday 02:05 GMT
      ['2026-03-28T02:04:00.000Z', 'success', 'up'], // Saturday 02:04 GMT: late for four minutes, within the grace time
      ['2026-03-29T00:59:59.000Z', 'tick', 'up'], // Sunday: 02:00 BST is 01:00 UTC
      ['2026-03-29T01:00:00.000Z', 'tick', 'late'],
      ['2026-03-29T01:30:00.000Z', 'success', 'up'],
      ['2026-03-30T00:59:00.000Z', 'tick', 'up'],
      ['2026-03-30T01:00:00.000Z', 'tick', 'late'],
      ['2026-03-30T02:00:00.000Z', 'tick', 'down'],
    ]);
    expect(seen).toEqual([
      '2026-03-27T02:05:00.000Z new→up',
      '2026-03-28T02:00:00.000Z up→late',
      '2026-03-28T02:04:00.000Z late→up',
      '2026-03-29T01:00:00.000Z up→late',
      '2026-03-29T01:30:00.000Z late→up',
      '2026-03-30T01:00:00.000Z up→late',
      '2026-03-30T02:00:00.000Z late→down',
    ]);
  });

  it('in autumn the night is an hour longer: late at 02:00 GMT, not 01:00 UTC', () => {
    play(nightly, [
      ['2026-10-24T01:10:00.000Z', 'success', 'up'], // Saturday 02:10 BST
      ['2026-10-25T01:59:00.000Z', 'tick', 'up'], // Sunday 01:59 GMT (after the change at 01:00 UTC)
      ['2026-10-25T02:00:00.000Z', 'tick', 'late'],
      ['2026-10-25T03:00:00.000Z', 'tick', 'down'],
    ]);
  });

  it('a job that should run inside the skipped hour is expected at the same moment shifted by the gap', () => {
    const skipped: Schedule = { kind: 'cron', cron: '30 1 * * *', timeZone: 'Europe/London', graceS: 600 };
    play(skipped, [
      ['2026-03-28T01:31:00.000Z', 'success', 'up'],
      ['2026-03-29T01:29:00.000Z', 'tick', 'up'], // 01:30 GMT does not exist; 02:30 BST = 01:30 UTC
      ['2026-03-29T01:30:00.000Z', 'tick', 'late'],
      ['2026-03-29T01:40:00.000Z', 'tick', 'down'],
    ]);
  });
});
