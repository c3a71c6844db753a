import { describe, expect, it } from 'vitest';
import { startRun, step, type Transition } from './machine.js';
import { powerPlan, type PowerPlanInput, type RunEffect, type RunEvent, type RunState } from './types.js';

const S = 1000;
const MIN = 60 * S;

const basePlan: PowerPlanInput = {
  stages: [
    { name: 'apps', systemIds: ['app1', 'app2'], timeoutSeconds: 60 },
    { name: 'database', systemIds: ['db'], timeoutSeconds: 120 },
    { name: 'storage', systemIds: ['nas'], timeoutSeconds: 60 },
  ],
  stableMinutes: 5,
};

function plan(overrides: Partial<PowerPlanInput> = {}) {
  return powerPlan.parse({ ...basePlan, ...overrides });
}

/** Runs events through the machine, collecting every effect. */
function run(p: ReturnType<typeof plan>, start: Transition, events: RunEvent[]) {
  let state: RunState = start.state;
  const effects: RunEffect[] = [...start.effects];
  for (const event of events) {
    const t = step(p, state, event);
    state = t.state;
    effects.push(...t.effects);
  }
  return { state, effects };
}

const commands = (effects: RunEffect[]) =>
  effects.flatMap((e) => (e.type === 'command' ? [`${e.direction === 'shutdown' ? 'off' : 'on'} ${e.systemId}`] : []));
const down = (systemId: string, now: number): RunEvent => ({
  type: 'verified',
  systemId,
  message: `${systemId} down`,
  now,
});
const up = (systemId: string, now: number): RunEvent => ({
  type: 'verified',
  systemId,
  message: `${systemId} up`,
  now,
});

describe('plan machine: shutdown', () => {
  it('runs the stages in order, each in parallel, moving on only when all are verified down', () => {
    const p = plan();
    const start = startRun(p, 'shutdown', { now: 0, reason: 'on battery for 5 min', onBattery: true });
    expect(commands(start.effects)).toEqual(['off app1', 'off app2']);
    const r1 = run(p, start, [down('app1', 10 * S), { type: 'tick', now: 20 * S }]);
    expect(commands(r1.effects)).toEqual(['off app1', 'off app2']); // app2 not down yet: stage 1 still running
    const r2 = run(p, start, [down('app1', 10 * S), down('app2', 15 * S), down('db', 40 * S), down('nas', 50 * S)]);
    expect(commands(r2.effects)).toEqual(['off app1', 'off app2', 'off db', 'off nas']);
    expect(r2.state.phase).toBe('down');
    expect(r2.state.shutDown).toEqual(['app1', 'app2', 'db', 'nas']);
    expect(r2.effects.filter((e) => e.type === 'maintenance-on').map((e) => e.systemId)).toEqual([
      'app1',
      'app2',
      'db',
      'nas',
    ]);
  });

  it.each([
    ['continue', ['off app1', 'off app2', 'off db'], 'running'],
    ['stop', ['off app1', 'off app2'], 'down'],
  ] as const)('on a timeout with onTimeout=%s', (onTimeout, expected, phase) => {
    const p = plan({
      stages: [
        { name: 'apps', systemIds: ['app1', 'app2'], timeoutSeconds: 60, onTimeout },
        { name: 'database', systemIds: ['db'], timeoutSeconds: 120 },
      ],
    });
    const start = startRun(p, 'shutdown', { now: 0, reason: 'manual', onBattery: true });
    const r = run(p, start, [down('app1', 5 * S), { type: 'tick', now: 59 * S }, { type: 'tick', now: 60 * S }]);
    expect(commands(r.effects)).toEqual(expected);
    expect(r.state.phase).toBe(phase);
    expect(r.state.steps.app2).toMatchObject({ status: 'timed-out', message: 'not verified down within 60 s' });
    expect(r.effects.some((e) => e.type === 'log' && e.systemId === 'app2' && e.level === 'warning')).toBe(true);
  });

  it('treats a failed command like a timeout, at once', () => {
    const p = plan();
    const start = startRun(p, 'shutdown', { now: 0, reason: 'manual', onBattery: true });
    const r = run(p, start, [
      down('app1', 1 * S),
      { type: 'command-result', systemId: 'app2', ok: false, message: 'ssh: connection refused', now: 2 * S },
    ]);
    expect(r.state.steps.app2?.status).toBe('failed');
    expect(commands(r.effects)).toContain('off db');
  });

  it('ignores events for systems outside the running stage', () => {
    const p = plan();
    const start = startRun(p, 'shutdown', { now: 0, reason: 'manual', onBattery: true });
    const r = run(p, start, [down('db', 1 * S), down('nope', 1 * S)]);
    expect(r.state.steps.db).toBeUndefined();
  });
});

describe('plan machine: startup', () => {
  it('brings back in reverse order only what the shutdown took down, waiting for checks up', () => {
    const p = plan({ triggers: { startupWhenStable: true } });
    const start = startRun(p, 'shutdown', { now: 0, reason: 'manual', onBattery: true });
    const shut = run(p, start, [
      down('app1', 1 * S),
      { type: 'command-result', systemId: 'app2', ok: false, message: 'refused', now: 1 * S },
      down('db', 2 * S),
      down('nas', 3 * S),
    ]);
    expect(shut.state.phase).toBe('waiting-for-power');
    const back = run(p, shut, [
      { type: 'power', onBattery: false, now: 10 * MIN },
      { type: 'tick', now: 14 * MIN },
      { type: 'power', onBattery: true, now: 14 * MIN + S }, // a flap resets the stable clock
      { type: 'power', onBattery: false, now: 15 * MIN },
      { type: 'tick', now: 19 * MIN },
    ]);
    expect(commands(back.effects).filter((c) => c.startsWith('on'))).toEqual([]);
    const started = run(p, { state: back.state, effects: [] }, [{ type: 'tick', now: 20 * MIN }]);
    expect(commands(started.effects)).toEqual(['on nas']);
    const done = run(p, { state: started.state, effects: [] }, [
      up('nas', 21 * MIN),
      up('db', 22 * MIN),
      up('app1', 23 * MIN),
      up('app2', 23 * MIN),
    ]);
    expect(commands(done.effects)).toEqual(['on db', 'on app1', 'on app2']);
    expect(done.state.phase).toBe('finished');
    expect(done.effects.filter((e) => e.type === 'maintenance-off').map((e) => e.systemId)).toEqual([
      'nas',
      'db',
      'app1',
      'app2',
    ]);
  });

  it('waits for a person when the stable-power trigger is off, then starts on their word', () => {
    const p = plan();
    const start = startRun(p, 'shutdown', { now: 0, reason: 'manual', onBattery: true });
    const shut = run(p, start, [down('app1', 1), down('app2', 1), down('db', 2), down('nas', 3)]);
    const later = run(p, shut, [
      { type: 'power', onBattery: false, now: MIN },
      { type: 'tick', now: 60 * MIN },
    ]);
    expect(later.state.phase).toBe('down');
    const started = run(p, { state: later.state, effects: [] }, [{ type: 'start-up', now: 61 * MIN, by: 'Dana' }]);
    expect(commands(started.effects)).toEqual(['on nas']);
  });

  it('a startup that times out with onTimeout=stop stops and releases the system from maintenance', () => {
    const p = plan({
      stages: [
        { name: 'all', systemIds: ['a'], timeoutSeconds: 30, onTimeout: 'stop' },
        { name: 'b', systemIds: ['b'] },
      ],
    });
    const start = startRun(p, 'startup', { now: 0, reason: 'manual', onBattery: false });
    expect(commands(start.effects)).toEqual(['on b']);
    const r = run(p, start, [up('b', S), { type: 'tick', now: 32 * S }]);
    expect(r.state.phase).toBe('stopped');
    expect(r.effects.filter((e) => e.type === 'maintenance-off').map((e) => e.systemId)).toEqual(['b', 'a']);
  });
});

describe('plan machine: power returning mid-shutdown', () => {
  it('policy "complete": finishes every stage, then starts up after stable power', () => {
    const p = plan({ powerReturnPolicy: 'complete' });
    const start = startRun(p, 'shutdown', { now: 0, reason: 'on battery', onBattery: true });
    const r = run(p, start, [
      down('app1', S),
      { type: 'power', onBattery: false, now: 2 * S },
      down('app2', 3 * S),
      down('db', 4 * S),
      down('nas', 5 * S),
    ]);
    expect(commands(r.effects)).toEqual(['off app1', 'off app2', 'off db', 'off nas']);
    expect(r.state.phase).toBe('waiting-for-power');
    const s = run(p, r, [{ type: 'tick', now: 2 * S + 5 * MIN }]);
    expect(commands(s.effects)).toEqual(['off app1', 'off app2', 'off db', 'off nas', 'on nas']);
    expect(s.effects.some((e) => e.type === 'log' && /completing it/.test(e.message))).toBe(true);
  });

  it('policy "reverse": stops after the running stage and starts up only what it shut down', () => {
    const p = plan({ powerReturnPolicy: 'reverse' });
    const start = startRun(p, 'shutdown', { now: 0, reason: 'on battery', onBattery: true });
    const r = run(p, start, [
      down('app1', S),
      { type: 'power', onBattery: false, now: 2 * S },
      down('app2', 3 * S),
      { type: 'tick', now: 2 * S + 5 * MIN },
      up('app1', 6 * MIN),
      up('app2', 6 * MIN),
    ]);
    expect(commands(r.effects)).toEqual(['off app1', 'off app2', 'on app1', 'on app2']);
    expect(r.state.phase).toBe('finished');
    expect(r.effects.some((e) => e.type === 'log' && /stopping the remaining stages/.test(e.message))).toBe(true);
  });

  it('policy "reverse": power failing again before the startup resumes the shutdown', () => {
    const p = plan({ powerReturnPolicy: 'reverse' });
    const start = startRun(p, 'shutdown', { now: 0, reason: 'on battery', onBattery: true });
    const r = run(p, start, [
      { type: 'power', onBattery: false, now: S },
      down('app1', 2 * S),
      down('app2', 3 * S),
      { type: 'power', onBattery: true, now: MIN },
    ]);
    expect(commands(r.effects)).toEqual(['off app1', 'off app2', 'off db']);
  });
});
