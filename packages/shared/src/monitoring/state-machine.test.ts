import { describe, expect, it } from 'vitest';
import {
  initialState,
  nextState,
  setPaused,
  suppress,
  type CheckState,
  type MachineState,
  type ObservedStatus,
  type StatePolicy,
  type Suppression,
} from './state-machine.js';

const AT = '2026-11-20T17:00:00.000Z';
const policy = (failuresBeforeDown = 1, successesBeforeUp = 1, paused = false): StatePolicy => ({
  failuresBeforeDown,
  successesBeforeUp,
  paused,
});
const machine = (state: CheckState, over: Partial<MachineState> = {}): MachineState => ({
  ...initialState(AT),
  state,
  computed: state === 'paused' ? 'up' : state,
  ...over,
});
const result = (status: ObservedStatus) => ({ status, message: `it is ${status}` });

/** Runs a sequence of results and returns the states shown after each one. */
function run(start: MachineState, statuses: ObservedStatus[], p: StatePolicy): CheckState[] {
  let state = start;
  return statuses.map((s, i) => {
    state = nextState(state, result(s), p, `2026-11-20T17:0${i}:00.000Z`).state;
    return state.state;
  });
}

describe('nextState', () => {
  it.each<[string, CheckState, ObservedStatus[], [number, number], CheckState[]]>([
    ['first success from unknown counts at once', 'unknown', ['up'], [3, 3], ['up']],
    ['first degraded from unknown is degraded', 'unknown', ['degraded'], [1, 1], ['degraded']],
    [
      'unknown needs failures in a row before down',
      'unknown',
      ['down', 'down', 'down'],
      [3, 1],
      ['unknown', 'unknown', 'down'],
    ],
    ['one failure is enough with a threshold of 1', 'up', ['down'], [1, 1], ['down']],
    ['up stays up until the threshold of failures', 'up', ['down', 'down', 'down'], [3, 1], ['up', 'up', 'down']],
    [
      'a success resets the failure count',
      'up',
      ['down', 'down', 'up', 'down', 'down'],
      [3, 1],
      ['up', 'up', 'up', 'up', 'up'],
    ],
    ['degraded is its own state, at once', 'up', ['degraded', 'up'], [3, 3], ['degraded', 'up']],
    ['degraded goes down after the failures', 'degraded', ['down', 'down'], [2, 1], ['degraded', 'down']],
    ['down needs successes in a row to come back', 'down', ['up', 'up', 'up'], [1, 3], ['down', 'down', 'up']],
    ['degraded counts as a success for leaving down', 'down', ['degraded', 'up'], [1, 2], ['down', 'up']],
    [
      'leaving down into degraded when the last success is degraded',
      'down',
      ['up', 'degraded'],
      [1, 2],
      ['down', 'degraded'],
    ],
    ['a failure resets the success count', 'down', ['up', 'down', 'up', 'up'], [1, 2], ['down', 'down', 'down', 'up']],
    ['thresholds below 1 act as 1', 'up', ['down', 'up'], [0, 0], ['down', 'up']],
  ])('%s', (_name, start, statuses, [f, s], expected) => {
    expect(run(machine(start), statuses, policy(f, s))).toEqual(expected);
  });

  it('records one transition per change, at the result’s time, with its message as the reason', () => {
    const step = nextState(machine('up'), result('down'), policy(), '2026-11-20T18:00:00.000Z');
    expect(step.transitions).toEqual([
      { from: 'up', to: 'down', at: '2026-11-20T18:00:00.000Z', reason: 'it is down', suppression: null },
    ]);
    expect(step.state).toMatchObject({ state: 'down', since: '2026-11-20T18:00:00.000Z', consecutiveFailures: 1 });
    expect(nextState(step.state, result('down'), policy(), '2026-11-20T18:01:00.000Z').transitions).toEqual([]);
  });

  it('says how many failures in a row took it down', () => {
    const s1 = nextState(machine('up'), result('down'), policy(2), AT).state;
    expect(nextState(s1, result('down'), policy(2), AT).transitions[0]!.reason).toBe(
      'it is down (2 failures in a row)',
    );
  });

  it('ignores results while paused', () => {
    const paused = machine('paused', { computed: 'up' });
    const step = nextState(paused, result('down'), policy(1, 1, true), AT);
    expect(step).toEqual({ state: paused, transitions: [] });
  });

  const suppression: Suppression = {
    causeType: 'system',
    causeId: 'host',
    rootCauseId: 'change-1',
    reason: 'because Host is down',
  };

  it('shows unknown with its cause while suppressed, and keeps computing underneath', () => {
    const step = nextState(machine('up'), result('down'), policy(), AT, suppression);
    expect(step.state).toMatchObject({ state: 'unknown', computed: 'down', reason: 'because Host is down' });
    expect(step.transitions).toEqual([
      { from: 'up', to: 'unknown', at: AT, reason: 'because Host is down', suppression },
    ]);
    const after = nextState(step.state, result('down'), policy(), AT);
    expect(after.transitions).toEqual([
      { from: 'unknown', to: 'down', at: AT, reason: 'it is down (2 failures in a row)', suppression: null },
    ]);
  });

  it.each<[CheckState, CheckState | null]>([
    ['up', 'unknown'],
    ['degraded', 'unknown'],
    ['down', 'unknown'],
    ['unknown', null],
    ['paused', null],
  ])('suppress from %s gives %s', (from, to) => {
    const step = suppress(machine(from), suppression, AT);
    expect(step.transitions.map((t) => t.to)).toEqual(to ? [to] : []);
  });

  it('pauses and resumes with a transition each, resuming to unknown with fresh counts', () => {
    const paused = setPaused(machine('down', { consecutiveFailures: 4 }), true, AT, 'paused by Sam');
    expect(paused.transitions).toEqual([
      { from: 'down', to: 'paused', at: AT, reason: 'paused by Sam', suppression: null },
    ]);
    const resumed = setPaused(paused.state, false, AT, 'resumed by Sam');
    expect(resumed.state).toMatchObject({ state: 'unknown', computed: 'unknown', consecutiveFailures: 0 });
    expect(resumed.transitions.map((t) => [t.from, t.to])).toEqual([['paused', 'unknown']]);
    expect(setPaused(machine('up'), false, AT, 'x').transitions).toEqual([]);
  });
});
