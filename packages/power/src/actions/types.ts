import type { z } from 'zod';

export const actionKinds = ['ssh', 'ipmi', 'redfish', 'wol', 'manual'] as const;
export type ActionKind = (typeof actionKinds)[number];
export type PowerDirection = 'shutdown' | 'startup';

export interface ActionResult {
  ok: boolean;
  /** One line for the plan's log: "ssh root@10.0.0.5: sudo shutdown -h now sent (exit 0)". Never a secret. */
  message: string;
  /** SSH: the host key fingerprint seen on first use, for the caller to pin. */
  pinnedHostKey?: string;
  /** SSH: a key other than the pinned one was offered, and refused (nothing was sent). */
  refusedHostKey?: string;
}

/** What a BMC says about the power (IPMI chassis status, Redfish PowerState). */
export type BmcPowerState = 'on' | 'off' | 'unknown';

export interface ActionContext {
  timeoutMs: number;
}

export interface PowerActionDefinition<Schema extends z.ZodType> {
  kind: ActionKind;
  label: string;
  /** Settings, secrets included; the hub stores them encrypted and never returns them. */
  settings: Schema;
  /** Field names in the settings that are secrets (never shown back, never logged). */
  secrets: readonly string[];
  /** Which directions this action can do (SSH cannot power a machine on; Wake-on-LAN cannot shut down). */
  directions: readonly PowerDirection[];
  /** What would be sent, without secrets, for the dry-run and the log. */
  describe(settings: z.output<Schema>, direction: PowerDirection): string;
  run(settings: z.output<Schema>, direction: PowerDirection, ctx: ActionContext): Promise<ActionResult>;
  /** Reads the power state back from a BMC, where the action has one. */
  powerState?(settings: z.output<Schema>, ctx: ActionContext): Promise<BmcPowerState>;
}

export function defineAction<Schema extends z.ZodType>(
  definition: PowerActionDefinition<Schema>,
): PowerActionDefinition<Schema> {
  return definition;
}
