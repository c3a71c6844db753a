import { PHOTO_MAX_BYTES, PHOTO_TYPES } from '@afterhours/shared';
import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ZodApp } from './zod-app.js';

/** A stored photo, to someone who may see it: shown inline, kept in their browser's private cache for a day. */
export function sendPhoto(reply: FastifyReply, photo: { contentType: string; bytes: Buffer }) {
  return reply
    .type(photo.contentType)
    .header('cache-control', 'private, max-age=86400')
    .header('content-disposition', 'inline')
    .send(photo.bytes);
}

/**
 * Routes whose body is the image itself (no base64): registered in a scope of their own with an image parser
 * and the photo size limit, so the rest of the API keeps its JSON-only bodies and limits.
 */
export async function withPhotoBodies(app: ZodApp, routes: (scope: ZodApp) => void): Promise<void> {
  await app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.addContentTypeParser(
      [...PHOTO_TYPES],
      { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES },
      (_req, body, parsed) => parsed(null, body),
    );
    routes(scope);
    done();
  });
}
