import { describe, expect, it } from 'vitest';
import { classifyChange, nextAlertState, settleFlapping, type AlertSnapshot, type FlapPolicy } from './state.js';

const flap: FlapPolicy = { maxChanges: 4, windowMinutes: 30 };
const T = (min: number) => new Date(Date.UTC(2026, 10, 20, 3, min)).toISOString();
const open = (over: Partial<AlertSnapshot> = {}): AlertSnapshot => ({
  state: 'open',
  subjectState: 'down',
  flapping: false,
  changes: [T(0)],
  resolvedAt: null,
  resolution: null,
  lastChangeAt: T(0),
  ...over,
});

describe('nextAlertState', () => {
  it.each([
    {
      name: 'a problem with no alert opens one',
      current: null,
      kind: 'problem',
      to: 'down',
      now: 1,
      effects: ['open'],
      state: 'open',
    },
    {
      name: 'a recovery with no alert does nothing',
      current: null,
      kind: 'recovery',
      to: 'up',
      now: 1,
      effects: [],
      state: null,
    },
    {
      name: 'an ignored change does nothing',
      current: open(),
      kind: 'ignore',
      to: 'unknown',
      now: 1,
      effects: [],
      state: 'open',
    },
    {
      name: 'a recovery resolves an open alert',
      current: open(),
      kind: 'recovery',
      to: 'up',
      now: 5,
      effects: ['resolve'],
      state: 'resolved',
    },
    {
      name: 'a recovery resolves an acknowledged alert',
      current: open({ state: 'acknowledged' }),
      kind: 'recovery',
      to: 'up',
      now: 5,
      effects: ['resolve'],
      state: 'resolved',
    },
    {
      name: 'late then down updates the alert',
      current: open({ subjectState: 'late' }),
      kind: 'problem',
      to: 'down',
      now: 5,
      effects: ['update'],
      state: 'open',
    },
    {
      name: 'a flapping alert stays open on recovery',
      current: open({ flapping: true }),
      kind: 'recovery',
      to: 'up',
      now: 5,
      effects: ['update'],
      state: 'open',
    },
    {
      name: 'a problem soon after a recovery reopens the same alert',
      current: open({ state: 'resolved', resolution: 'recovered', resolvedAt: T(5), changes: [T(0), T(5)] }),
      kind: 'problem',
      to: 'down',
      now: 10,
      effects: ['reopen'],
      state: 'open',
    },
    {
      name: 'a problem long after a recovery opens a new alert',
      current: open({ state: 'resolved', resolution: 'recovered', resolvedAt: T(5), changes: [T(0), T(5)] }),
      kind: 'problem',
      to: 'down',
      now: 50,
      effects: ['open'],
      state: 'open',
    },
    {
      name: 'an alert a person resolved is not reopened',
      current: open({ state: 'resolved', resolution: 'person', resolvedAt: T(5) }),
      kind: 'problem',
      to: 'down',
      now: 10,
      effects: ['open'],
      state: 'open',
    },
    {
      name: 'more than N changes in M minutes is flapping',
      current: open({
        state: 'resolved',
        resolution: 'recovered',
        resolvedAt: T(8),
        changes: [T(0), T(2), T(4), T(8)],
      }),
      kind: 'problem',
      to: 'down',
      now: 10,
      effects: ['reopen', 'flapping'],
      state: 'open',
    },
    {
      name: 'changes older than the window do not count',
      current: open({
        state: 'resolved',
        resolution: 'recovered',
        resolvedAt: T(40),
        changes: [T(0), T(2), T(4), T(40)],
      }),
      kind: 'problem',
      to: 'down',
      now: 41,
      effects: ['reopen'],
      state: 'open',
    },
  ] as const)('$name', ({ current, kind, to, now, effects, state }) => {
    const step = nextAlertState(current as AlertSnapshot | null, { kind, toState: to, at: T(now) }, flap, T(now));
    expect(step.effects).toEqual(effects);
    expect(step.alert?.state ?? null).toBe(state);
  });

  it('a flapping alert settles only after a whole quiet window while well', () => {
    const alert = open({ flapping: true, subjectState: 'up', lastChangeAt: T(10) });
    expect(settleFlapping(alert, true, flap, T(30)).effects).toEqual([]);
    expect(settleFlapping(alert, false, flap, T(45)).effects).toEqual([]);
    expect(settleFlapping(alert, true, flap, T(41)).alert?.state).toBe('resolved');
  });
});

describe('classifyChange', () => {
  it.each([
    ['check', 'down', 'problem'],
    ['check', 'degraded', 'recovery'],
    ['check', 'unknown', 'ignore'],
    ['site', 'unreachable', 'problem'],
    ['site', 'reachable', 'recovery'],
    ['heartbeat', 'late', 'problem'],
    ['heartbeat', 'down', 'problem'],
    ['heartbeat', 'up', 'recovery'],
    ['heartbeat', 'degraded', 'ignore'],
    ['power', 'on-battery', 'problem'],
    ['power', 'low-battery', 'problem'],
    ['power', 'online', 'recovery'],
    ['power', 'unknown', 'ignore'],
  ] as const)('%s → %s is %s', (subject, to, kind) => {
    expect(classifyChange(subject, to)).toBe(kind);
  });
});
