import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { ZodApp } from '../zod-app.js';

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['sqlite', 'postgres']),
  databaseUp: z.boolean(),
});

export async function healthRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['ops'],
        summary: '200 when the database answers, 503 otherwise',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const databaseUp = await ctx.db.ping();
      return reply
        .status(databaseUp ? 200 : 503)
        .send({ status: databaseUp ? 'ok' : 'unavailable', database: ctx.db.dialect.name, databaseUp });
    },
  );
}
