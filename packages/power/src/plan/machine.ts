import type { Direction, PlanStage, PowerPlan, RunEffect, RunEvent, RunState, SystemStep } from './types.js';

/**
 * The plan runner's state machine, pure: `step(plan, state, event)` returns the next state and the
 * effects (commands, maintenance, log lines) for the caller to carry out. The clock comes in events.
 */
export interface Transition {
  state: RunState;
  effects: RunEffect[];
}

const MINUTE = 60_000;

/** The stages in the order a direction runs them; a startup only brings back what this run shut down. */
export function stagesFor(plan: PowerPlan, state: Pick<RunState, 'direction' | 'shutDown'>): PlanStage[] {
  if (state.direction === 'shutdown') return plan.stages;
  const wanted = new Set(state.shutDown);
  return [...plan.stages]
    .reverse()
    .map((stage) => ({ ...stage, systemIds: stage.systemIds.filter((id) => wanted.has(id)) }))
    .filter((stage) => stage.systemIds.length > 0);
}

export function startRun(
  plan: PowerPlan,
  direction: Direction,
  { now, reason, onBattery, systems }: { now: number; reason: string; onBattery: boolean; systems?: string[] },
): Transition {
  const state: RunState = {
    direction,
    phase: 'running',
    stageIndex: 0,
    stageStartedAt: null,
    steps: {},
    // A startup on its own (not after a shutdown of this run) brings back every system of the plan, or those named.
    shutDown: direction === 'startup' ? (systems ?? plan.stages.flatMap((s) => s.systemIds)) : [],
    onBattery,
    powerBackAt: onBattery ? null : now,
    powerReturnedDuringShutdown: false,
    startedAt: now,
    reason,
  };
  const effects: RunEffect[] = [log(now, 'info', `${direction} started: ${reason}`)];
  return enterStage(plan, state, 0, now, effects);
}

export function step(plan: PowerPlan, state: RunState, event: RunEvent): Transition {
  const effects: RunEffect[] = [];
  const next: RunState = { ...state, steps: { ...state.steps } };
  switch (event.type) {
    case 'power':
      return onPower(plan, next, event.onBattery, event.now, effects);
    case 'start-up':
      if (next.phase !== 'down' && next.phase !== 'waiting-for-power') return { state, effects };
      return beginStartup(plan, next, event.now, `started by ${event.by}`, effects);
    case 'command-result': {
      const current = next.steps[event.systemId];
      if (current?.status !== 'commanded' || !inCurrentStage(plan, next, event.systemId)) return { state, effects };
      if (event.ok) {
        effects.push(log(event.now, 'info', event.message, event.systemId));
        return { state: next, effects };
      }
      next.steps[event.systemId] = finishStep(current, 'failed', event.now, event.message);
      effects.push(log(event.now, 'warning', `command failed: ${event.message}`, event.systemId));
      if (next.direction === 'startup') effects.push({ type: 'maintenance-off', systemId: event.systemId });
      return settleStage(plan, next, event.now, effects);
    }
    case 'verified': {
      const current = next.steps[event.systemId];
      if (current?.status !== 'commanded' || !inCurrentStage(plan, next, event.systemId)) return { state, effects };
      next.steps[event.systemId] = finishStep(current, 'verified', event.now, event.message);
      effects.push(log(event.now, 'info', event.message, event.systemId));
      if (next.direction === 'startup') effects.push({ type: 'maintenance-off', systemId: event.systemId });
      return settleStage(plan, next, event.now, effects);
    }
    case 'tick':
      return onTick(plan, next, event.now, effects);
  }
}

function onTick(plan: PowerPlan, state: RunState, now: number, effects: RunEffect[]): Transition {
  if (state.phase === 'waiting-for-power') {
    if (state.powerBackAt !== null && now - state.powerBackAt >= plan.stableMinutes * MINUTE) {
      return beginStartup(plan, state, now, `power back and stable for ${plan.stableMinutes} min`, effects);
    }
    return { state, effects };
  }
  if (state.phase !== 'running') return { state, effects };
  const stage = stagesFor(plan, state)[state.stageIndex];
  if (!stage) return { state, effects };
  let changed = false;
  for (const id of stage.systemIds) {
    const current = state.steps[id];
    if (current?.status !== 'commanded' || current.commandedAt === null) continue;
    if (now - current.commandedAt < stage.timeoutSeconds * 1000) continue;
    const what = state.direction === 'shutdown' ? 'verified down' : 'verified up';
    state.steps[id] = finishStep(current, 'timed-out', now, `not ${what} within ${stage.timeoutSeconds} s`);
    effects.push(log(now, 'warning', `not ${what} within ${stage.timeoutSeconds} s`, id));
    if (state.direction === 'startup') effects.push({ type: 'maintenance-off', systemId: id });
    changed = true;
  }
  return changed ? settleStage(plan, state, now, effects) : { state, effects };
}

function onPower(plan: PowerPlan, state: RunState, onBattery: boolean, now: number, effects: RunEffect[]): Transition {
  if (onBattery === state.onBattery) return { state, effects };
  state.onBattery = onBattery;
  state.powerBackAt = onBattery ? null : now;
  if (onBattery) {
    effects.push(log(now, 'warning', 'power lost again'));
    // A shutdown cut short by power returning goes on when power goes again before the startup began.
    if (state.phase === 'waiting-for-power' && state.direction === 'shutdown' && hasStagesLeft(plan, state)) {
      effects.push(log(now, 'warning', 'resuming the shutdown'));
      state.phase = 'running';
      return enterStage(plan, state, state.stageIndex + 1, now, effects);
    }
    return { state, effects };
  }
  if (state.direction === 'shutdown' && state.phase === 'running' && !state.powerReturnedDuringShutdown) {
    state.powerReturnedDuringShutdown = true;
    effects.push(
      log(
        now,
        'warning',
        plan.powerReturnPolicy === 'complete'
          ? `power returned during the shutdown: completing it, then starting up after ${plan.stableMinutes} min of stable power`
          : `power returned during the shutdown: stopping the remaining stages and starting up what was shut down after ${plan.stableMinutes} min of stable power`,
      ),
    );
  } else {
    effects.push(log(now, 'info', 'power returned'));
  }
  return { state, effects };
}

function hasStagesLeft(plan: PowerPlan, state: RunState): boolean {
  return state.stageIndex + 1 < stagesFor(plan, state).length;
}

function inCurrentStage(plan: PowerPlan, state: RunState, systemId: string): boolean {
  return state.phase === 'running' && !!stagesFor(plan, state)[state.stageIndex]?.systemIds.includes(systemId);
}

function enterStage(plan: PowerPlan, state: RunState, index: number, now: number, effects: RunEffect[]): Transition {
  const stages = stagesFor(plan, state);
  const stage = stages[index];
  if (!stage) return finishDirection(plan, state, now, effects);
  state.stageIndex = index;
  state.stageStartedAt = now;
  const verb = state.direction === 'shutdown' ? 'shutting down' : 'starting';
  effects.push(
    log(
      now,
      'info',
      `stage ${index + 1} of ${stages.length} "${stage.name}": ${verb} ${stage.systemIds.length} system(s)`,
    ),
  );
  for (const id of stage.systemIds) {
    state.steps[id] = { status: 'commanded', commandedAt: now, finishedAt: null, message: null };
    if (state.direction === 'shutdown') {
      effects.push({ type: 'maintenance-on', systemId: id, at: now });
      if (!state.shutDown.includes(id)) state.shutDown = [...state.shutDown, id];
    }
    effects.push({ type: 'command', systemId: id, direction: state.direction, stage: stage.name });
  }
  return { state, effects };
}

/** When every system of the stage is settled: next stage, or stop, or the end of this direction. */
function settleStage(plan: PowerPlan, state: RunState, now: number, effects: RunEffect[]): Transition {
  const stage = stagesFor(plan, state)[state.stageIndex];
  if (!stage) return { state, effects };
  const steps = stage.systemIds.map((id) => state.steps[id]);
  if (steps.some((s) => !s || s.status === 'commanded' || s.status === 'pending')) return { state, effects };
  const failed = steps.filter((s) => s?.status === 'timed-out' || s?.status === 'failed').length;
  if (failed > 0 && stage.onTimeout === 'stop') {
    effects.push(log(now, 'warning', `stage "${stage.name}": ${failed} system(s) not done; the stage says stop`));
    if (state.direction === 'startup') {
      state.phase = 'stopped';
      return { state, effects };
    }
    return finishDirection(plan, state, now, effects);
  }
  if (failed > 0) effects.push(log(now, 'warning', `stage "${stage.name}": ${failed} system(s) not done; going on`));
  if (state.direction === 'shutdown' && state.powerReturnedDuringShutdown && plan.powerReturnPolicy === 'reverse') {
    if (hasStagesLeft(plan, state)) effects.push(log(now, 'info', 'remaining stages not run: power is back'));
    return finishDirection(plan, state, now, effects);
  }
  return enterStage(plan, state, state.stageIndex + 1, now, effects);
}

function finishDirection(plan: PowerPlan, state: RunState, now: number, effects: RunEffect[]): Transition {
  if (state.direction === 'startup') {
    state.phase = 'finished';
    effects.push(log(now, 'info', 'startup finished'));
    return { state, effects };
  }
  const autoStart = state.powerReturnedDuringShutdown || plan.triggers.startupWhenStable;
  state.phase = autoStart ? 'waiting-for-power' : 'down';
  effects.push(
    log(
      now,
      'info',
      autoStart
        ? `shutdown finished; starting up after ${plan.stableMinutes} min of stable power`
        : 'shutdown finished; a person starts the startup',
    ),
  );
  // Power may already have been back long enough (e.g. it returned early in a long shutdown).
  return autoStart ? onTick(plan, state, now, effects) : { state, effects };
}

function beginStartup(plan: PowerPlan, state: RunState, now: number, reason: string, effects: RunEffect[]): Transition {
  state.direction = 'startup';
  state.phase = 'running';
  state.steps = {};
  effects.push(log(now, 'info', `startup started: ${reason}`));
  return enterStage(plan, state, 0, now, effects);
}

function finishStep(step: SystemStep, status: SystemStep['status'], now: number, message: string): SystemStep {
  return { ...step, status, finishedAt: now, message };
}

function log(at: number, level: 'info' | 'warning', message: string, systemId?: string): RunEffect {
  return systemId === undefined ? { type: 'log', level, message, at } : { type: 'log', level, message, systemId, at };
}
