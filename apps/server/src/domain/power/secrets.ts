import { type ActionSpec, parseAction, secretFields, withoutSecrets } from '@afterhours/power';
import type { z } from 'zod';
import type { SystemPowerRequest } from '@afterhours/shared';
import { badInput } from '../../http/errors.js';
import type { SecretBox } from '../../lib/secrets.js';
import { MASK } from '../monitoring/secret-params.js';

/**
 * A system's power actions are stored as JSON without their secrets, and the secrets (passwords, SSH
 * keys) apart, encrypted, keyed "shutdown.password". They leave the hub only to the site's agent.
 */
export type Direction = 'shutdown' | 'startup';
export interface StoredActions {
  shutdown: ActionSpec | null;
  startup: ActionSpec | null;
}

type Input = z.infer<typeof SystemPowerRequest>;

/** Validates, restores "***" from the stored secrets, and splits into plain JSON and sealed secrets. */
export function sealActions(
  box: SecretBox,
  input: Input,
  stored: Record<string, string>,
): { plain: StoredActions; secretsEnc: string | null } {
  const plain: StoredActions = { shutdown: null, startup: null };
  const secrets: Record<string, string> = {};
  for (const direction of ['shutdown', 'startup'] as const) {
    const action = input[direction];
    if (!action) continue;
    const settings = { ...action.settings };
    for (const field of secretFields(action.kind)) {
      if (settings[field] === MASK) settings[field] = stored[`${direction}.${field}`];
      if (settings[field] === undefined) delete settings[field];
    }
    let parsed: ActionSpec;
    try {
      parsed = parseAction({ kind: action.kind, settings });
    } catch (error) {
      const issue = (error as z.ZodError).issues?.[0];
      throw badInput({
        [`${direction}.settings.${issue?.path.join('.') ?? ''}`.replace(/\.$/, '')]: issue?.message ?? 'is not valid',
      });
    }
    const shown = withoutSecrets(parsed);
    for (const field of secretFields(action.kind)) {
      const value = parsed.settings[field];
      if (typeof value === 'string' && value !== '') secrets[`${direction}.${field}`] = value;
    }
    plain[direction] = { kind: parsed.kind, settings: shown.settings };
  }
  return { plain, secretsEnc: Object.keys(secrets).length ? box.encrypt(JSON.stringify(secrets)) : null };
}

export function openSecrets(box: SecretBox, secretsEnc: string | null): Record<string, string> {
  return secretsEnc ? (JSON.parse(box.decrypt(secretsEnc)) as Record<string, string>) : {};
}

/** The full actions, secrets put back, for the agent. */
export function runnableActions(box: SecretBox, actionsJson: string, secretsEnc: string | null): StoredActions {
  const plain = JSON.parse(actionsJson) as StoredActions;
  const secrets = openSecrets(box, secretsEnc);
  const out: StoredActions = { shutdown: null, startup: null };
  for (const direction of ['shutdown', 'startup'] as const) {
    const action = plain[direction];
    if (!action) continue;
    const settings = { ...action.settings };
    for (const [key, value] of Object.entries(secrets)) {
      const [d, field] = key.split('.');
      if (d === direction && field) settings[field] = value;
    }
    out[direction] = { kind: action.kind, settings };
  }
  return out;
}

export function shownActions(actionsJson: string, secretsEnc: string | null, box: SecretBox) {
  const plain = JSON.parse(actionsJson) as StoredActions;
  const secrets = Object.keys(openSecrets(box, secretsEnc));
  const show = (direction: Direction) => {
    const action = plain[direction];
    if (!action) return null;
    const secretsSet = secrets.filter((k) => k.startsWith(`${direction}.`)).map((k) => k.slice(direction.length + 1));
    return { kind: action.kind, settings: action.settings, secretsSet };
  };
  return { shutdown: show('shutdown'), startup: show('startup') };
}
