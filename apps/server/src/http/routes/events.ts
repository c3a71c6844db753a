import type { ChangeEvent } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const KEEPALIVE_MS = 25_000;

/**
 * Live updates as Server-Sent Events. Each `change` event names what changed; the web app refetches
 * what it shows. A client account only hears about its own firm.
 */
export async function eventRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/events',
    {
      schema: {
        tags: ['live'],
        summary: 'Server-Sent Events stream of changes (event name `change`, data: ChangeEvent)',
      },
    },
    (request, reply) => {
      const actor = actorOf(request);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 3000\n: connected\n\n`);
      const visible = (event: ChangeEvent) =>
        actor.role !== 'client' || (event.clientId !== null && event.clientId === actor.clientId);
      const unsubscribe = ctx.bus.subscribe((event) => {
        if (visible(event)) res.write(`event: change\ndata: ${JSON.stringify(event)}\n\n`);
      });
      const keepalive = setInterval(() => res.write(`: keepalive\n\n`), KEEPALIVE_MS);
      const close = () => {
        clearInterval(keepalive);
        unsubscribe();
      };
      request.raw.on('close', close);
      res.on('error', close);
    },
  );
}
