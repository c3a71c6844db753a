import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_BODY_LIMIT } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { isRid, parsePingPath } from '../../domain/heartbeats/ping-url.js';
import { PingWriter } from '../../domain/heartbeats/ping-writer.js';
import { RateLimiter } from '../../domain/heartbeats/rate-limit.js';
import { DEFAULT_HEARTBEAT_SETTINGS } from '../../domain/heartbeats/settings.js';
import type { ZodApp } from '../zod-app.js';

/** A ping's body: the first MAX_BODY_LIMIT bytes kept, the rest counted and dropped. */
interface PingBody {
  kept: Buffer;
  size: number;
}
const bodies = new WeakMap<IncomingMessage, PingBody>();

/**
 * On every ping answer, errors included (as healthchecks.io does): a caching proxy between a backup
 * server and the hub must never answer a GET ping itself, or the hub would not hear it.
 */
export const PING_CACHE_CONTROL = 'max-age=0, no-cache, no-store, must-revalidate, private';

/**
 * The healthchecks.io-compatible ping API, public: HEAD, GET or POST on /ping/<uuid>[/start|/fail|/log|/<0-255>]
 * and /ping/<ping-key>/<slug>[/…]. Plain-text answers exactly as healthchecks.io gives them. No session
 * lookup, no JSON: the URL is parsed by hand, the body read raw whatever its type, and the ping written
 * by the group-committing PingWriter (answered once its transaction has committed).
 */
export async function pingRoutes(app: ZodApp, ctx: AppContext) {
  const settings = ctx.settings.heartbeats ?? DEFAULT_HEARTBEAT_SETTINGS;
  const writer = new PingWriter(ctx, { rate: settings.ratePerHeartbeat, burst: settings.burstPerHeartbeat });
  const perSource = new RateLimiter(settings.ratePerSource, settings.burstPerSource);

  // On the whole app, not the route's scope: a URL Fastify refuses before routing is a ping answer too.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/ping/')) reply.header('cache-control', PING_CACHE_CONTROL);
  });

  // biome-ignore lint/nursery/noMisusedPromises: Fastify awaits the promise of an async plugin
  await app.register(async (scope) => {
    // Any content type, any size: keep the start, count the rest (a big log must not lose the ping).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (request, payload, done) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      let size = 0;
      payload.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (kept < MAX_BODY_LIMIT) {
          const part = chunk.subarray(0, MAX_BODY_LIMIT - kept);
          chunks.push(part);
          kept += part.length;
        }
      });
      payload.on('error', done);
      payload.on('end', () => {
        bodies.set(request.raw, { kept: Buffer.concat(chunks), size });
        done(null, undefined);
      });
    });

    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      reply.header('access-control-allow-origin', '*').type('text/plain; charset=utf-8');
      const path = request.url.split('?')[0]!.slice('/ping/'.length);
      const route = parsePingPath(decodeURIComponentSafe(path));
      if (!route.ok) return reply.code(route.status).send(route.text);
      const query = request.query as Record<string, unknown>;
      const rid = typeof query.rid === 'string' ? query.rid : Array.isArray(query.rid) ? String(query.rid[0]) : null;
      if (rid !== null && !isRid(rid)) return reply.code(400).send('invalid uuid format');
      const now = ctx.clock.now();
      if (!perSource.take(request.ip, now.getTime())) {
        return reply
          .code(429)
          .header('retry-after', String(perSource.retryAfterS(request.ip)))
          .send('rate limited');
      }
      const body = bodies.get(request.raw) ?? { kept: Buffer.alloc(0), size: 0 };
      const outcome = await writer.submit({
        target: route.target.kind === 'uuid' ? route.target : { ...route.target, create: query.create === '1' },
        action: route.action,
        exitStatus: route.exitStatus,
        rid: rid?.toLowerCase() ?? null,
        at: now.toISOString(),
        source: 'http',
        method: request.method,
        remoteAddr: request.ip,
        userAgent: String(request.headers['user-agent'] ?? ''),
        body: body.kept,
        bodySize: body.size,
      });
      if (outcome.status === 429) reply.header('retry-after', String(outcome.retryAfterS));
      if (outcome.status === 200 || outcome.status === 201) reply.header('ping-body-limit', String(outcome.bodyLimit));
      return reply.code(outcome.status).send(outcome.text);
    };

    scope.route({
      method: ['GET', 'HEAD', 'POST'],
      url: '/ping/*',
      exposeHeadRoute: false,
      // Scripts may send any header: no session or token lookup. Answers are a few bytes: never compressed.
      config: { public: true, anonymous: true },
      compress: false,
      schema: {
        tags: ['pings'],
        summary:
          'Heartbeat pings, compatible with healthchecks.io: /ping/<uuid>[/start|/fail|/log|/<exit status>] and /ping/<ping-key>/<slug>[/…]; ?rid=<uuid>, ?create=1 (see docs/heartbeats.md)',
      },
      handler,
    });
  });
}

function decodeURIComponentSafe(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return '\u0000'; // matches no form: "not found"
  }
}
