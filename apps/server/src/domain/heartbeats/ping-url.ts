import { SLUG_PATTERN } from '@afterhours/shared';

/** What a ping URL asks for, as healthchecks.io's URL forms define it. */
export type PingRoute =
  | {
      ok: true;
      target: { kind: 'uuid'; id: string } | { kind: 'slug'; key: string; slug: string };
      action: 'success' | 'fail' | 'start' | 'log';
      exitStatus: number | null;
    }
  | { ok: false; status: 400 | 404; text: 'invalid url format' | 'not found' };

// Lower case only, as healthchecks.io's <uuid:code> converter.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY = /^[A-Za-z0-9_-]{1,64}$/;
const DIGITS = /^[0-9]+$/;
const ACTIONS = new Set(['start', 'fail', 'log']);

const notFound = { ok: false, status: 404, text: 'not found' } as const;
const invalidUrl = { ok: false, status: 400, text: 'invalid url format' } as const;

type Action = { action: 'success' | 'fail' | 'start' | 'log'; exitStatus: number | null } | 'bad' | null;

/** The last segment: start, fail, log, or an exit status (0 success, 1-255 failure, more: bad). */
function actionOf(segment: string): Action {
  if (ACTIONS.has(segment)) return { action: segment as 'start' | 'fail' | 'log', exitStatus: null };
  if (!DIGITS.test(segment)) return null;
  const status = Number(segment);
  if (status > 255) return 'bad';
  return { action: status === 0 ? 'success' : 'fail', exitStatus: status };
}

/**
 * Parses the part after `/ping/`: `<uuid>[/<action>]` or `<ping-key>/<slug>[/<action>]`. A first
 * segment that is a UUID followed by an action is a UUID URL; otherwise two segments are key and slug.
 */
export function parsePingPath(rest: string): PingRoute {
  const parts = rest.split('/');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // a trailing slash
  if (parts.some((p) => p === '') || parts.length === 0 || parts.length > 3) return notFound;
  const [first, second, third] = parts as [string, string?, string?];
  if (parts.length === 1)
    return UUID.test(first)
      ? { ok: true, target: { kind: 'uuid', id: first }, action: 'success', exitStatus: null }
      : notFound;
  if (parts.length === 2 && UUID.test(first)) {
    const a = actionOf(second!);
    if (a === 'bad') return invalidUrl;
    if (a) return { ok: true, target: { kind: 'uuid', id: first }, ...a };
  }
  if (!KEY.test(first) || ANY_UUID.test(first))
    return parts.length === 2 && ANY_UUID.test(first) ? invalidUrl : notFound;
  if (!SLUG_PATTERN.test(second!) || second!.length > 100) return invalidUrl;
  const target = { kind: 'slug' as const, key: first, slug: second! };
  if (third === undefined) return { ok: true, target, action: 'success', exitStatus: null };
  const a = actionOf(third);
  if (a === 'bad') return invalidUrl;
  return a ? { ok: true, target, ...a } : notFound;
}

const RID = ANY_UUID;
export const isRid = (value: string) => RID.test(value);
