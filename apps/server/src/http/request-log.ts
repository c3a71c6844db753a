import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Machines call these all day: a line each at info would bury what people did. */
const isQuiet = (url: string) => url.startsWith('/ping/') || url === '/healthz' || url === '/metrics';

/**
 * One line per completed request (Fastify's own two, "incoming" and "completed", are turned off):
 * method, path, status and time, at info, or at debug for pings, /healthz and /metrics. No headers,
 * no query string: they may carry tokens.
 */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request: FastifyRequest, reply) => {
    const url = request.url.split('?')[0] ?? request.url;
    const line = {
      method: request.method,
      url,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 10) / 10,
      ...(request.actor ? { actor: request.actor.id } : {}),
    };
    if (isQuiet(url)) request.log.debug(line, 'request completed');
    else request.log.info(line, 'request completed');
  });
}
