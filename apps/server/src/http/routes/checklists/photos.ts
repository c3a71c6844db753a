import { ErrorBody, PHOTO_MAX_BYTES } from '@afterhours/shared';
import type { AppContext } from '../../../context.js';
import { attachStepPhoto, readStepPhoto } from '../../../domain/checklists/photos.js';
import { actorOf } from '../../authenticate.js';
import { sendPhoto, withPhotoBodies } from '../../photo-routes.js';
import type { ZodApp } from '../../zod-app.js';
import { Created, StepParams, errors, tags } from './schema.js';

export async function checklistPhotoRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/checklist-runs/:id/steps/:stepId/photo',
    { schema: { tags, summary: "A step's photo (only for those who may see the run)", params: StepParams } },
    async (request, reply) => {
      const photo = await readStepPhoto(ctx, actorOf(request), request.params.id, request.params.stepId);
      return sendPhoto(reply, photo);
    },
  );

  await withPhotoBodies(app, (scope) => {
    scope.post(
      '/api/checklist-runs/:id/steps/:stepId/photo',
      {
        schema: {
          tags,
          summary: `A photo for a step, replacing its earlier one (the body is the image: JPEG, PNG or WebP, at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB)`,
          params: StepParams,
          response: { 201: Created, 413: ErrorBody, 415: ErrorBody, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await attachStepPhoto(ctx, actorOf(request), request.params.id, request.params.stepId, request.body)),
    );
  });
}
