import { formatMinutes } from './triggers.js';
import type { PowerPlan } from './types.js';

export interface DryRunSystem {
  id: string;
  name: string;
  /** What would be sent, without secrets: "ssh admin@10.0.0.5: sudo shutdown -h now". */
  shutdownCommand: string;
  startupCommand: string;
}

export interface DryRun {
  shutdown: { stage: string; maxSeconds: number; systems: { id: string; name: string; command: string }[] }[];
  startup: { stage: string; maxSeconds: number; systems: { id: string; name: string; command: string }[] }[];
  /** The longest the shutdown may take: the sum of each stage's timeout. */
  shutdownMaxSeconds: number;
  runtimeSeconds: number | null;
  fits: boolean | null;
  summary: string;
}

/** What a plan would do, in order, and whether it fits in the UPS's runtime left. No I/O. */
export function dryRun(plan: PowerPlan, systems: DryRunSystem[], runtimeSeconds: number | null): DryRun {
  const byId = new Map(systems.map((s) => [s.id, s]));
  const describe = (id: string, which: 'shutdownCommand' | 'startupCommand') => {
    const s = byId.get(id);
    return { id, name: s?.name ?? id, command: s ? s[which] : 'no power action set: nothing will be sent' };
  };
  const shutdown = plan.stages.map((stage) => ({
    stage: stage.name,
    maxSeconds: stage.timeoutSeconds,
    systems: stage.systemIds.map((id) => describe(id, 'shutdownCommand')),
  }));
  const startup = [...plan.stages].reverse().map((stage) => ({
    stage: stage.name,
    maxSeconds: stage.timeoutSeconds,
    systems: stage.systemIds.map((id) => describe(id, 'startupCommand')),
  }));
  const shutdownMaxSeconds = shutdown.reduce((sum, s) => sum + s.maxSeconds, 0);
  const fits = runtimeSeconds === null ? null : shutdownMaxSeconds <= runtimeSeconds;
  const needs = `needs at most ${formatMinutes(shutdownMaxSeconds / 60)}`;
  const summary =
    runtimeSeconds === null
      ? `${needs}; the UPS reports no runtime`
      : `${needs}; the UPS reports ${formatMinutes(runtimeSeconds / 60)}${fits ? '' : ' — not enough: shorten the timeouts or trigger earlier'}`;
  return { shutdown, startup, shutdownMaxSeconds, runtimeSeconds, fits, summary };
}
