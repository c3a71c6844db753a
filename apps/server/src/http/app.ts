import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyReply, type FastifyServerOptions, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { installAuthentication } from './authenticate.js';
import { installErrorHandler } from './errors.js';
import { installJsonBodyParser } from './json-body.js';
import { installLingeringClose } from './lingering-close.js';
import { installMetrics } from './metrics.js';
import { installRequestLog } from './request-log.js';
import { docsPolicy, installSecurityHeaders } from './security-headers.js';
import { installNulGuard } from './reject-nul.js';
import { PING_CACHE_CONTROL } from './routes/pings.js';
import { routeModules } from './routes/index.js';
import { installWebApp } from './web.js';
import type { ZodApp } from './zod-app.js';

export interface BuildAppOptions {
  /** Directory of the built web app (apps/web/dist); omitted in API tests. */
  webRoot?: string;
  logger?: FastifyServerOptions['logger'];
  /** Trust X-Forwarded-* from a reverse proxy in front of the hub. */
  trustProxy?: boolean;
}

export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<ZodApp> {
  const app = Fastify({
    loggerInstance: ctx.log,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    // Live-update streams stay open; closing the hub must not wait for phones to hang up.
    forceCloseConnections: true,
    // One line per request, written by installRequestLog.
    logController: new LogController({ disableRequestLogging: true }),
    // URLs the router refuses (broken percent-encoding) answer in the hub's error shape. No route's
    // hooks run for them, so a ping URL gets its Cache-Control here.
    frameworkErrors: (error, request, reply) => {
      const answer = reply as unknown as FastifyReply;
      if (request.url.startsWith('/ping/')) answer.header('cache-control', PING_CACHE_CONTROL);
      return answer.code(error.statusCode ?? 400).send({ error: { code: 'invalid_input', message: error.message } });
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installJsonBodyParser(app);
  installLingeringClose(app);
  installRequestLog(app);

  // Phones on a weak signal: JSON and the app's files go out compressed (brotli or gzip) above 1 KiB.
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  await app.register(fastifyCookie);
  await installSecurityHeaders(app, { https: ctx.settings.secureCookies });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Afterhours hub API',
        version: '0.1.0',
        description: 'The out-of-hours desk of a managed-IT support firm.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ah_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), public: true };
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list' },
    staticCSP: true,
    transformStaticCSP: docsPolicy,
  });

  installAuthentication(app, ctx);
  installMetrics(app, ctx);
  installNulGuard(app);

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  for (const register of routeModules) await register(app, ctx);
  await installWebApp(app, options.webRoot);
  return app;
}
