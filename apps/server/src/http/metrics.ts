import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from '../context.js';
import { installProductMetrics } from './product-metrics.js';

/** Prometheus metrics at `/metrics`: process figures, HTTP requests by route and status, live streams. */
export function installMetrics(app: FastifyInstance, ctx: AppContext): Registry {
  const registry = new Registry();
  // The event-loop lag histogram samples on a native timer: prom-client's default 10 ms woke an idle hub
  // 100 times a second (most of its idle CPU). Once a second still shows a blocked loop.
  collectDefaultMetrics({ register: registry, prefix: 'afterhours_', eventLoopMonitoringPrecision: 1000 });
  const requests = new Counter({
    name: 'afterhours_http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'afterhours_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'afterhours_live_streams',
    help: 'Open live-update (SSE) streams',
    registers: [registry],
    collect() {
      this.set(ctx.bus.listenerCount());
    },
  });

  installProductMetrics(registry, ctx);
  const pings = new Counter({
    name: 'afterhours_pings_ingested_total',
    help: 'Heartbeat pings received over HTTP and stored',
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/ping/*' && (reply.statusCode === 200 || reply.statusCode === 201)) pings.inc();
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  return registry;
}
