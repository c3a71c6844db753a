import { ErrorBody, Overview } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { loadOverview } from '../../domain/register/overview.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

export async function overviewRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/overview',
    {
      schema: {
        tags: ['overview'],
        summary: 'Every live client with its live sites and system counts, for the Now screen',
        response: { 200: Overview, 401: ErrorBody },
      },
    },
    async (request) => loadOverview(ctx.db.kysely, actorOf(request)),
  );
}
