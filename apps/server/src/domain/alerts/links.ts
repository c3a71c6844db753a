import type { NotifySubjectType } from '@afterhours/shared';
import type { AppContext } from '../../context.js';

export type SubjectType = NotifySubjectType;
export interface Subject {
  type: SubjectType;
  id: string;
}

type LinkPurpose = 'ack' | 'open';
type LinkContext = Pick<AppContext, 'secrets' | 'settings' | 'clock'>;

export interface LinkClaims {
  purpose: LinkPurpose;
  subject: Subject;
  userId: string | null;
  expiresAt: Date;
}

/** How long a link in a message works: long enough for a night, short enough that an old mail is harmless. */
const LIFETIME_MS: Record<LinkPurpose, number> = { ack: 24 * 3600_000, open: 7 * 24 * 3600_000 };

/** The hub's public address (AFTERHOURS_PUBLIC_URL), without a trailing slash. */
export function publicBase(ctx: Pick<AppContext, 'settings'>, fallback?: string): string {
  return (ctx.settings.publicUrl ?? fallback ?? 'http://localhost:8080').replace(/\/+$/, '');
}

function sign(ctx: LinkContext, purpose: LinkPurpose, subject: Subject, userId: string | null): string {
  const exp = Math.floor((ctx.clock.now().getTime() + LIFETIME_MS[purpose]) / 1000);
  const payload = Buffer.from(
    JSON.stringify({ p: purpose, t: subject.type, i: subject.id, u: userId, e: exp }),
  ).toString('base64url');
  return `${payload}.${ctx.secrets.mac('link', payload)}`;
}

/** A signed, expiring link that acknowledges `subject` as `userId` (after a confirm tap: see routes/links.ts). */
export function ackLink(ctx: LinkContext, subject: Subject, userId: string, base?: string): string {
  return `${publicBase(ctx, base)}/l/ack?t=${sign(ctx, 'ack', subject, userId)}`;
}

/** A signed, expiring link that opens `subject` in the app. */
export function openLink(ctx: LinkContext, subject: Subject, base?: string): string {
  return `${publicBase(ctx, base)}/l/open?t=${sign(ctx, 'open', subject, null)}`;
}

/** The claims of a link's token, or null when it is forged, damaged or expired. */
export function verifyLink(ctx: LinkContext, token: string, purpose: LinkPurpose): LinkClaims | null {
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined) return null;
  const expected = ctx.secrets.mac('link', payload);
  if (mac.length !== expected.length || !timingSafeEqualStr(mac, expected)) return null;
  let raw: { p?: unknown; t?: unknown; i?: unknown; u?: unknown; e?: unknown };
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (raw.p !== purpose || typeof raw.t !== 'string' || typeof raw.i !== 'string' || typeof raw.e !== 'number')
    return null;
  const expiresAt = new Date(raw.e * 1000);
  if (expiresAt.getTime() <= ctx.clock.now().getTime()) return null;
  return {
    purpose,
    subject: { type: raw.t as SubjectType, id: raw.i },
    userId: typeof raw.u === 'string' ? raw.u : null,
    expiresAt,
  };
}

function timingSafeEqualStr(a: string, b: string): boolean {
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
