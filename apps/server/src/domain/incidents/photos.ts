import { isStaff, PHOTO_MAX_BYTES, type PHOTO_TYPES } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { AppError, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleIncident } from './access.js';
import { addTimelineEntry, linesAbout } from './timeline.js';

type PhotoType = (typeof PHOTO_TYPES)[number];

/** The type the bytes themselves say (the header alone is not trusted: the photo is served back to others). */
function sniff(bytes: Buffer): PhotoType | null {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes.length > 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp';
  return null;
}

/**
 * The type of a photo sent as the request body, or a 413/415 saying what is wrong: at most PHOTO_MAX_BYTES,
 * JPEG, PNG or WebP by its bytes. Used for every photo the hub keeps (incidents, checklist steps).
 */
export function photoType(body: unknown): PhotoType {
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new AppError(
      415,
      'unsupported_media_type',
      'Send the photo itself as the body (image/jpeg, image/png or image/webp)',
    );
  if (body.length > PHOTO_MAX_BYTES)
    throw new AppError(413, 'payload_too_large', `The photo is larger than ${PHOTO_MAX_BYTES / 1024 / 1024} MB`);
  const type = sniff(body);
  if (!type) throw new AppError(415, 'unsupported_media_type', 'The body is not a JPEG, PNG or WebP image');
  return type;
}

/**
 * A photo from the phone's camera, attached to a note on the timeline: stored on the hub (in the database, so
 * every hub process serves it and a backup keeps it), at most PHOTO_MAX_BYTES, JPEG, PNG or WebP only.
 */
export async function addPhoto(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  body: unknown,
  note: string,
  internal: boolean,
): Promise<{ id: string; timelineEntryId: string }> {
  assertStaffWrite(actor);
  const type = photoType(body);
  const bytes = body as Buffer;
  const id = newId();
  const timelineEntryId = await change(ctx, actor, async (tx) => {
    const incident = await visibleIncident(tx.db, actor, incidentId);
    await tx.db
      .insertInto('incident_photos')
      .values({
        id,
        incident_id: incidentId,
        content_type: type,
        size: bytes.length,
        bytes,
        created_by: actor.userId,
        created_at: tx.now,
      })
      .execute();
    const entry = await addTimelineEntry(tx.db, {
      incidentId,
      kind: 'photo',
      at: tx.now,
      actorUserId: actor.userId,
      text: note || 'Photo',
      refType: 'photo',
      refId: id,
      data: { size: bytes.length, contentType: type },
      internal,
    });
    tx.emit({ entity: 'incident', id: incidentId, action: 'updated', clientId: incident.client_id });
    return entry;
  });
  return { id, timelineEntryId };
}

/** A photo, only for those who may see its incident, and the team's internal ones only for the team. */
export async function readPhoto(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  photoId: string,
): Promise<{ contentType: string; bytes: Buffer }> {
  await visibleIncident(ctx.db.kysely, actor, incidentId);
  const row = await ctx.db.kysely
    .selectFrom('incident_photos')
    .select(['content_type', 'bytes'])
    .where('id', '=', photoId)
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  if (!row) throw notFound('The photo');
  if (!isStaff(actor.role)) {
    const [entry] = await linesAbout(ctx.db.kysely, incidentId, 'photo', photoId);
    if (!entry || entry.internal === 1) throw notFound('The photo');
  }
  return { contentType: row.content_type, bytes: Buffer.from(row.bytes) };
}
