import type { SecretBox } from '../../lib/secrets.js';

/**
 * Secret fields of check parameters (passwords, SNMP community and keys) are stored apart from the
 * rest, encrypted (`secrets_enc`), and shown as "***". A field is secret by its name, at any depth.
 */
export const SECRET_FIELD_NAMES = new Set([
  'password',
  'authPassword',
  'privPassword',
  'community',
  'authKey',
  'privKey',
]);
export const MASK = '***';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits parameters into the plain part and the secrets, keyed by dotted path ("auth.community"). */
export function splitSecrets(params: Json): { plain: Json; secrets: Record<string, string> } {
  const secrets: Record<string, string> = {};
  const walk = (value: Json, prefix: string): Json => {
    const out: Json = {};
    for (const [key, v] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (SECRET_FIELD_NAMES.has(key) && typeof v === 'string') secrets[path] = v;
      else out[key] = isObject(v) ? walk(v, path) : v;
    }
    return out;
  };
  return { plain: walk(params, ''), secrets };
}

/** Puts secrets (or the mask) back at their paths. */
export function joinSecrets(plain: Json, secrets: Record<string, string>): Json {
  const out: Json = structuredClone(plain);
  for (const [path, value] of Object.entries(secrets)) {
    const keys = path.split('.');
    let node: Json = out;
    for (const key of keys.slice(0, -1)) {
      if (!isObject(node[key])) node[key] = {};
      node = node[key] as Json;
    }
    node[keys.at(-1)!] = value;
  }
  return out;
}

export function maskSecrets(plain: Json, secrets: Record<string, string>): Json {
  return joinSecrets(plain, Object.fromEntries(Object.keys(secrets).map((k) => [k, MASK])));
}

/** Replaces every "***" in submitted parameters with the stored secret at that path (a PATCH that keeps it). */
export function restoreMasked(submitted: Json, stored: Record<string, string>): Json {
  const walk = (value: Json, prefix: string): Json => {
    const out: Json = {};
    for (const [key, v] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (v === MASK && SECRET_FIELD_NAMES.has(key) && path in stored) out[key] = stored[path];
      else out[key] = isObject(v) ? walk(v, path) : v;
    }
    return out;
  };
  return walk(submitted, '');
}

export function encryptSecrets(box: SecretBox, secrets: Record<string, string>): string | null {
  return Object.keys(secrets).length ? box.encrypt(JSON.stringify(secrets)) : null;
}

export function decryptSecrets(box: SecretBox, stored: string | null): Record<string, string> {
  return stored ? (JSON.parse(box.decrypt(stored)) as Record<string, string>) : {};
}

/** The full parameters to run a check with (or to send to its agent). */
export function runnableParams(box: SecretBox, row: { params_json: string; secrets_enc: string | null }): Json {
  return joinSecrets(JSON.parse(row.params_json) as Json, decryptSecrets(box, row.secrets_enc));
}
