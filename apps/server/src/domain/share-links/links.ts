import { createHash, randomBytes } from 'node:crypto';
import {
  SHARE_LINK_DEFAULT_DAYS,
  type ShareLink,
  type ShareLinkRequest,
  type ShareSubjectType,
} from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { ShareLinksTable } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';

/** The web app's page for each kind of shared report; the token follows. */
export const SHARE_PATHS: Record<ShareSubjectType, string> = {
  incident_report: '/shared/incident-report/',
  checklist_report: '/shared/checklist-report/',
};

/** The days a new link works, from its request (no body: the default). */
export const shareLinkDays = (body: ShareLinkRequest): number | null =>
  body ? body.expiresInDays : SHARE_LINK_DEFAULT_DAYS;

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export interface NewShareLink {
  link: ShareLink;
  /** The secret, in the URL only; never stored, shown once. */
  token: string;
  /** The page's path with the token, e.g. /shared/incident-report/<token>; put the hub's public URL before it. */
  path: string;
}

/**
 * A secret, revocable link to a report (a client's boss may have no account): 256 random bits in the URL,
 * only their SHA-256 kept, so a copy of the database does not open any report. Call inside the change
 * that checked the actor may share this subject.
 */
export async function createShareLink(
  trx: Kdb,
  input: {
    subjectType: ShareSubjectType;
    subjectId: string;
    actorUserId: string | null;
    now: string;
    /** Days the link works; null: until revoked. */
    expiresInDays: number | null;
  },
): Promise<NewShareLink> {
  const token = randomBytes(32).toString('base64url');
  const row: ShareLinksTable = {
    id: newId(),
    subject_type: input.subjectType,
    subject_id: input.subjectId,
    token_hash: hashToken(token),
    created_by: input.actorUserId,
    created_at: input.now,
    revoked_at: null,
    revoked_by: null,
    last_opened_at: null,
    expires_at:
      input.expiresInDays === null
        ? null
        : new Date(Date.parse(input.now) + input.expiresInDays * 86_400_000).toISOString(),
  };
  await trx.insertInto('share_links').values(row).execute();
  return { link: presentShareLink(row, null), token, path: `${SHARE_PATHS[input.subjectType]}${token}` };
}

/** Stops a link working, for good; answers the link as it was, or null when there is none. */
export async function revokeShareLink(
  trx: Kdb,
  input: { id: string; actorUserId: string | null; now: string },
): Promise<ShareLinksTable | null> {
  const row = await trx.selectFrom('share_links').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!row) return null;
  if (!row.revoked_at)
    await trx
      .updateTable('share_links')
      .set({ revoked_at: input.now, revoked_by: input.actorUserId })
      .where('id', '=', input.id)
      .where('revoked_at', 'is', null)
      .execute();
  return row;
}

/**
 * What a token opens: its subject, when the link exists, is of the expected kind and is not revoked; else
 * null (the caller answers 404 whatever the reason, so a revoked link looks like any wrong one). A link past
 * its expiry is a 410 saying when it expired: whoever holds the secret may know the link was real, and the
 * page can tell them to ask for a new one.
 */
export async function resolveShareLink(
  db: Kdb,
  token: string,
  subjectType: ShareSubjectType,
  now: string,
): Promise<{ id: string; subjectId: string } | null> {
  const row = await db
    .selectFrom('share_links')
    .select(['id', 'subject_id', 'subject_type', 'revoked_at', 'last_opened_at', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.subject_type !== subjectType) return null;
  if (row.expires_at && Date.parse(row.expires_at) <= Date.parse(now))
    throw new AppError(
      410,
      'link_expired',
      `This link expired on ${row.expires_at.slice(0, 16).replace('T', ' ')} UTC`,
    );
  // Once a minute at most: a page reloaded by a crowd writes little.
  if (!row.last_opened_at || Date.parse(now) - Date.parse(row.last_opened_at) > 60_000)
    await db.updateTable('share_links').set({ last_opened_at: now }).where('id', '=', row.id).execute();
  return { id: row.id, subjectId: row.subject_id };
}

/** A subject's links, newest first, without their secrets (which are not kept). */
export async function listShareLinks(db: Kdb, subjectType: ShareSubjectType, subjectId: string): Promise<ShareLink[]> {
  const rows = await db
    .selectFrom('share_links')
    .leftJoin('users', 'users.id', 'share_links.created_by')
    .selectAll('share_links')
    .select('users.name as creator')
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => presentShareLink(r, r.creator));
}

export function presentShareLink(row: ShareLinksTable, creator: string | null): ShareLink {
  return {
    id: row.id,
    subjectType: row.subject_type as ShareSubjectType,
    subjectId: row.subject_id,
    createdAt: row.created_at,
    createdBy: creator,
    revokedAt: row.revoked_at,
    lastOpenedAt: row.last_opened_at,
    expiresAt: row.expires_at,
  };
}
