/**
 * Forms whose fields are data (a check's parameters, a UPS's or a power action's settings): each field a
 * `FieldSpec` keyed by its path in the settings ("auth.community", the same path the hub names in its
 * field errors), values held as the inputs hold them (numbers as text), and the settings built back.
 */
export type Value = string | boolean;
export type Values = Record<string, Value>;
export type Json = Record<string, unknown>;

export interface FieldSpec {
  key: string;
  label: string;
  /** secret: write-only, shown as "***" when stored; secret-text: the same, several lines (an SSH key). */
  type: 'text' | 'number' | 'select' | 'checkbox' | 'secret' | 'secret-text';
  /** As the input holds it: numbers as text. */
  initial?: Value;
  options?: readonly { value: string; label: string }[];
  placeholder?: string;
  hint?: string;
  /** Filled in from the system's host when adding. */
  host?: boolean;
  /** Shown (and sent) only when this holds. */
  when?: (v: Values) => boolean;
  /** Shown side by side with the next field on a wide enough screen. */
  pair?: boolean;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getPath(obj: Json, path: string): unknown {
  let node: unknown = obj;
  for (const key of path.split('.')) node = isObject(node) ? node[key] : undefined;
  return node;
}

function setPath(obj: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = obj;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[keys.at(-1)!] = value;
}

function deletePath(obj: Json, path: string): void {
  const keys = path.split('.');
  const parent = getPath(obj, keys.slice(0, -1).join('.') || '');
  const target = keys.length === 1 ? obj : parent;
  if (isObject(target)) delete target[keys.at(-1)!];
}

/** Starting values: the stored settings when editing (empty where unset), else each field's default. */
export function valuesFrom(fields: readonly FieldSpec[], stored: Json | undefined): Values {
  const values: Values = {};
  for (const f of fields) {
    const v = stored ? getPath(stored, f.key) : undefined;
    if (v !== undefined && v !== null) values[f.key] = typeof v === 'boolean' ? v : String(v);
    else if (stored) values[f.key] = f.type === 'checkbox' ? false : f.type === 'select' ? (f.initial ?? '') : '';
    else values[f.key] = f.initial ?? (f.type === 'checkbox' ? false : '');
  }
  return values;
}

export const shownFields = (fields: readonly FieldSpec[], values: Values) =>
  fields.filter((f) => !f.when || f.when(values));

/**
 * The settings to send: `base` (so settings the form has no field for are kept) with every field
 * replaced by its value, or left out when empty or hidden. A number that does not parse is sent as
 * typed, for the hub to name the field.
 */
export function settingsFrom(fields: readonly FieldSpec[], values: Values, base: Json = {}): Json {
  const out = structuredClone(base);
  const shown = new Set(shownFields(fields, values));
  for (const f of fields) {
    deletePath(out, f.key);
    const v = values[f.key];
    if (!shown.has(f) || v === undefined || v === '') continue;
    if (f.type === 'checkbox') setPath(out, f.key, Boolean(v));
    else if (f.type === 'number') {
      const text = String(v).trim();
      const n = Number(text);
      setPath(out, f.key, text !== '' && Number.isFinite(n) ? n : text);
    } else if (f.type === 'secret-text') setPath(out, f.key, v);
    else setPath(out, f.key, typeof v === 'string' ? v.trim() : v);
  }
  return out;
}
