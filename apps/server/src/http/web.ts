import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built web app. Hashed assets are cached for a year; index.html and the service worker
 * never are, so a new release reaches phones on the next load. Unknown non-API paths get index.html
 * (the app routes on the client), except a shared report link's, which gets the report's own page.
 */
export async function installWebApp(app: FastifyInstance, webRoot: string | undefined): Promise<void> {
  const index = webRoot ? join(webRoot, 'index.html') : undefined;
  if (!webRoot || !index || !existsSync(index)) {
    app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain').send('Afterhours hub is running, but the web app is not built. Run: npm run build'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    // Files are sent by the public route below, so no per-file routes (which would need a session).
    serve: false,
    index: false,
    // The web build writes .br and .gz beside each text file (apps/web/vite.config.ts): sent as they are.
    preCompressed: true,
    // Our setHeaders decides caching; the plugin's own Cache-Control would override it.
    cacheControl: false,
    setHeaders(res, path) {
      // The same URL is sent brotli, gzip or plain by what the browser accepts: caches must keep them apart.
      res.setHeader('vary', 'Accept-Encoding');
      if (path.includes(`${join('assets', '')}`)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      else res.setHeader('cache-control', 'no-cache');
    },
  });
  const hasSharedPage = existsSync(join(webRoot, 'shared.html'));
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith('/api/')) {
      return reply
        .status(404)
        .send({ error: { code: 'not_found', message: `No route for ${request.method} ${path}` } });
    }
    const file = path.slice(1);
    if (file && !file.includes('..') && existsSync(join(webRoot, file))) return reply.sendFile(file);
    reply.header('cache-control', 'no-cache');
    // A shared report link opens the report alone, not the app (its link is the secret: no referrer).
    if (path.startsWith('/shared/') && hasSharedPage)
      return reply.header('referrer-policy', 'no-referrer').sendFile('shared.html');
    return reply.sendFile('index.html');
  });
}
