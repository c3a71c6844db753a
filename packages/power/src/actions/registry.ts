import type { z } from 'zod';
import { ipmi } from './ipmi/index.js';
import { manual } from './manual/index.js';
import { redfish } from './redfish/index.js';
import { ssh } from './ssh/index.js';
import type { ActionKind, ActionResult, BmcPowerState, PowerActionDefinition, PowerDirection } from './types.js';
import { wol } from './wol/index.js';

export const powerActions = { ssh, ipmi, redfish, wol, manual } satisfies {
  [K in ActionKind]: PowerActionDefinition<z.ZodType>;
};

/** A system's power action as stored: its kind and its settings (secrets included, encrypted at rest). */
export interface ActionSpec {
  kind: ActionKind;
  settings: Record<string, unknown>;
}

function definition(kind: ActionKind): PowerActionDefinition<z.ZodType> {
  return powerActions[kind] as PowerActionDefinition<z.ZodType>;
}

/** Validates an action's settings; throws a zod error naming the field. */
export function parseAction(spec: ActionSpec): ActionSpec {
  return { kind: spec.kind, settings: definition(spec.kind).settings.parse(spec.settings) as Record<string, unknown> };
}

export function describeAction(spec: ActionSpec, direction: PowerDirection): string {
  const d = definition(spec.kind);
  if (!d.directions.includes(direction))
    return `${d.label} cannot ${direction === 'shutdown' ? 'shut down' : 'start'} a system`;
  // Shown without secrets (the hub stores them apart): stand in for them so the settings parse.
  const standIns = Object.fromEntries(d.secrets.filter((k) => spec.settings[k] === undefined).map((k) => [k, '***']));
  const parsed = d.settings.safeParse({ ...spec.settings, ...standIns });
  return parsed.success ? d.describe(parsed.data, direction) : `${d.label}: settings not valid`;
}

export async function runAction(spec: ActionSpec, direction: PowerDirection, timeoutMs: number): Promise<ActionResult> {
  const d = definition(spec.kind);
  if (!d.directions.includes(direction))
    return { ok: false, message: `${d.label} cannot ${direction === 'shutdown' ? 'shut down' : 'start'} a system` };
  const parsed = d.settings.safeParse(spec.settings);
  if (!parsed.success)
    return { ok: false, message: `${d.label}: settings not valid (${parsed.error.issues[0]?.message})` };
  return d.run(parsed.data, direction, { timeoutMs });
}

export async function readPowerState(spec: ActionSpec, timeoutMs: number): Promise<BmcPowerState> {
  const d = definition(spec.kind);
  if (!d.powerState) return 'unknown';
  const parsed = d.settings.safeParse(spec.settings);
  return parsed.success ? d.powerState(parsed.data, { timeoutMs }) : 'unknown';
}

/** Settings with every secret removed, to show back or log. */
export function withoutSecrets(spec: ActionSpec): ActionSpec & { secretsSet: string[] } {
  const secrets = definition(spec.kind).secrets;
  const settings = Object.fromEntries(Object.entries(spec.settings).filter(([k]) => !secrets.includes(k)));
  const secretsSet = secrets.filter((k) => typeof spec.settings[k] === 'string' && spec.settings[k] !== '');
  return { kind: spec.kind, settings, secretsSet };
}

export function secretFields(kind: ActionKind): readonly string[] {
  return definition(kind).secrets;
}
