import { z } from 'zod';

/**
 * A site's power plan: shutdown stages in order (first stage first), each running its systems in
 * parallel. Startup runs the same stages the other way round.
 */
export const planStage = z.strictObject({
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(100),
  systemIds: z.array(z.string().min(1)).min(1, { error: 'a stage needs at least one system' }),
  /** How long one system of this stage may take to be verified down (or up, on startup). */
  timeoutSeconds: z.number().int().min(5).max(3600).default(180),
  /** When a system was not verified in time (or its command failed): go on with the next stage, or stop. */
  onTimeout: z.enum(['continue', 'stop']).default('continue'),
});
export type PlanStage = z.output<typeof planStage>;

export const planTriggers = z.strictObject({
  /** Start the shutdown after this long on battery. */
  onBatteryMinutes: z.number().min(0).max(600).nullable().default(5),
  /** Start the shutdown when the UPS reports less runtime than this. */
  runtimeBelowMinutes: z.number().min(0).max(600).nullable().default(null),
  /** Start the shutdown on low battery or a forced shutdown (FSD). */
  onLowBattery: z.boolean().default(true),
  /** Start the shutdown when a planned outage window opens. */
  onOutageWindow: z.boolean().default(false),
  /** Opt-in: after a shutdown, start up by itself once power has been back and stable (stableMinutes). */
  startupWhenStable: z.boolean().default(false),
});
export type PlanTriggers = z.output<typeof planTriggers>;

export const powerPlan = z.strictObject({
  stages: z.array(planStage).min(1, { error: 'a plan needs at least one stage' }),
  triggers: planTriggers.default(planTriggers.parse({})),
  /**
   * Power coming back during a shutdown: "complete" finishes the shutdown, then starts up once power is
   * stable; "reverse" stops the remaining stages and starts up what was already shut down.
   */
  powerReturnPolicy: z.enum(['complete', 'reverse']).default('reverse'),
  /** How long power must stay back before a startup begins. */
  stableMinutes: z.number().min(0).max(600).default(5),
});
export type PowerPlan = z.output<typeof powerPlan>;
export type PowerPlanInput = z.input<typeof powerPlan>;

export type Direction = 'shutdown' | 'startup';

export type SystemStepStatus = 'pending' | 'commanded' | 'verified' | 'timed-out' | 'failed' | 'skipped';

export interface SystemStep {
  status: SystemStepStatus;
  commandedAt: number | null;
  finishedAt: number | null;
  message: string | null;
}

export type RunPhase =
  /** Commanding and verifying the stage at stageIndex. */
  | 'running'
  /** Shutdown done (or cut short); waiting for power to be back and stable before starting up. */
  | 'waiting-for-power'
  /** Shutdown done; a person starts the startup (no stable-power trigger). */
  | 'down'
  /** Startup done: every system this run shut down is up again. */
  | 'finished'
  /** A stage's system timed out or failed and its stage says stop. */
  | 'stopped';

export interface RunState {
  direction: Direction;
  phase: RunPhase;
  /** Index into the direction's stage order (startup: reversed). */
  stageIndex: number;
  stageStartedAt: number | null;
  steps: Record<string, SystemStep>;
  /** Systems this run has sent a shutdown command to, in order; the startup brings exactly these back. */
  shutDown: string[];
  onBattery: boolean;
  /** When power came back (null while on battery). */
  powerBackAt: number | null;
  /** Power came back during the shutdown; the plan's policy was applied. */
  powerReturnedDuringShutdown: boolean;
  startedAt: number;
  reason: string;
}

export type RunEvent =
  | { type: 'tick'; now: number }
  /** The action's command came back: ok means it was accepted, not that the system is down yet. */
  | { type: 'command-result'; systemId: string; ok: boolean; message: string; now: number }
  /** The verifier saw the system down (checks failing, BMC off) or, on startup, up (checks up). */
  | { type: 'verified'; systemId: string; message: string; now: number }
  | { type: 'power'; onBattery: boolean; now: number }
  /** A person starts the startup of a run that is down. */
  | { type: 'start-up'; now: number; by: string };

export type RunEffect =
  | { type: 'command'; systemId: string; direction: Direction; stage: string }
  | { type: 'maintenance-on'; systemId: string; at: number }
  | { type: 'maintenance-off'; systemId: string }
  | { type: 'log'; level: 'info' | 'warning'; message: string; systemId?: string; at: number };
