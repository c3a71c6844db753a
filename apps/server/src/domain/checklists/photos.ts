import type { AppContext } from '../../context.js';
import { conflict, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { photoType } from '../incidents/photos.js';
import { visibleRun } from './run-queries.js';

/** A photo for a step (the lights of the server room): replaces the step's earlier one; while the run is open. */
export async function attachStepPhoto(
  ctx: AppContext,
  actor: Actor,
  runId: string,
  stepId: string,
  body: unknown,
): Promise<{ id: string }> {
  assertStaffWrite(actor);
  const type = photoType(body);
  const bytes = body as Buffer;
  const run = await visibleRun(ctx.db.kysely, actor, runId);
  if (run.status !== 'running') throw conflict('This run has finished; start a new one to check again');
  const id = newId();
  await change(ctx, actor, async (tx) => {
    const step = await tx.db
      .selectFrom('checklist_run_steps')
      .select(['id', 'photo_id'])
      .where('id', '=', stepId)
      .where('run_id', '=', runId)
      .executeTakeFirst();
    if (!step) throw notFound('The step');
    await tx.db
      .insertInto('checklist_photos')
      .values({
        id,
        run_id: runId,
        step_id: stepId,
        content_type: type,
        size: bytes.length,
        bytes,
        created_by: actor.userId,
        created_at: tx.now,
      })
      .execute();
    await tx.db
      .updateTable('checklist_run_steps')
      .set({ photo_id: id, updated_at: tx.now })
      .where('id', '=', stepId)
      .execute();
    if (step.photo_id) await tx.db.deleteFrom('checklist_photos').where('id', '=', step.photo_id).execute();
    tx.emit({ entity: 'checklist_run', id: runId, action: 'updated', clientId: run.client_id });
  });
  return { id };
}

/** A step's photo, only for those who may see the run. */
export async function readStepPhoto(
  ctx: AppContext,
  actor: Actor,
  runId: string,
  stepId: string,
): Promise<{ contentType: string; bytes: Buffer }> {
  await visibleRun(ctx.db.kysely, actor, runId);
  const row = await ctx.db.kysely
    .selectFrom('checklist_run_steps')
    .innerJoin('checklist_photos', 'checklist_photos.id', 'checklist_run_steps.photo_id')
    .select(['checklist_photos.content_type', 'checklist_photos.bytes'])
    .where('checklist_run_steps.id', '=', stepId)
    .where('checklist_run_steps.run_id', '=', runId)
    .executeTakeFirst();
  if (!row) throw notFound('The photo');
  return { contentType: row.content_type, bytes: Buffer.from(row.bytes) };
}
