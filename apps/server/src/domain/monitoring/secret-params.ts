import type { SecretBox } from '../../lib/secrets.js';

/**
 * Secret fields of check parameters (passwords, SNMP community and keys, request bodies) are stored
 * apart from the rest, encrypted (`secrets_enc`), and shown as "***". A field is secret by its name,
 * at any depth; so are the values of secret headers under `headers`, and the password in a URL
 * (`https://user:pass@…`), which is shown as `https://user:***@…`.
 */
export const SECRET_FIELD_NAMES = new Set([
  'password',
  'authPassword',
  'privPassword',
  'community',
  'authKey',
  'privKey',
  'body',
]);
/** Header names (lower case) whose values are credentials. */
export const SECRET_HEADER_NAMES = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'x-auth-token',
  'x-access-token',
  'api-key',
  'apikey',
  'private-token',
]);
export const MASK = '***';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const isSecretField = (key: string, parentKey: string | undefined) =>
  SECRET_FIELD_NAMES.has(key) || (parentKey === 'headers' && SECRET_HEADER_NAMES.has(key.toLowerCase()));

/** `url` with its password replaced by the mask, or null when it has none. */
function urlWithMaskedPassword(value: string): string | null {
  try {
    const url = new URL(value);
    if (!url.password || url.password === MASK) return null;
    url.password = MASK;
    return url.toString();
  } catch {
    return null;
  }
}

/** Splits parameters into the plain part and the secrets, keyed by dotted path ("auth.community"). */
export function splitSecrets(params: Json): { plain: Json; secrets: Record<string, string> } {
  const secrets: Record<string, string> = {};
  const walk = (value: Json, prefix: string, parentKey?: string): Json => {
    const out: Json = {};
    for (const [key, v] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const maskedUrl = key === 'url' && typeof v === 'string' ? urlWithMaskedPassword(v) : null;
      if (isSecretField(key, parentKey) && typeof v === 'string') secrets[path] = v;
      else if (maskedUrl) {
        // The whole URL is the secret; the plain part keeps it readable, with the password masked.
        secrets[path] = v as string;
        out[key] = maskedUrl;
      } else out[key] = isObject(v) ? walk(v, path, key) : v;
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

/** Secrets shown as the mask; a URL is shown as its plain form, which has its password masked already. */
export function maskSecrets(plain: Json, secrets: Record<string, string>): Json {
  const isUrl = (path: string) => path === 'url' || path.endsWith('.url');
  return joinSecrets(
    plain,
    Object.fromEntries(
      Object.keys(secrets)
        .filter((k) => !isUrl(k))
        .map((k) => [k, MASK]),
    ),
  );
}

/** A submitted URL whose password is the mask gets the stored URL's password back (host or path may have changed). */
function restoreUrlPassword(submitted: string, stored: string): string {
  try {
    const url = new URL(submitted);
    if (url.password !== MASK) return submitted;
    url.password = new URL(stored).password;
    return url.toString();
  } catch {
    return submitted;
  }
}

/** Replaces every "***" in submitted parameters with the stored secret at that path (a PATCH that keeps it). */
export function restoreMasked(submitted: Json, stored: Record<string, string>): Json {
  const walk = (value: Json, prefix: string, parentKey?: string): Json => {
    const out: Json = {};
    for (const [key, v] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const kept = stored[path];
      if (v === MASK && isSecretField(key, parentKey) && kept !== undefined) out[key] = kept;
      else if (key === 'url' && typeof v === 'string' && kept !== undefined) out[key] = restoreUrlPassword(v, kept);
      else out[key] = isObject(v) ? walk(v, path, key) : v;
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
