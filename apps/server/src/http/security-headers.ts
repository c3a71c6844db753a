import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The browser features the app never uses are switched off, so that a script injected some day
 * could not use them either. The clipboard stays ours (copy buttons).
 */
const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'clipboard-write=(self)',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
].join(', ');

/**
 * Security headers on every answer, by @fastify/helmet: a Content-Security-Policy allowing only the
 * hub's own scripts, styles and connections (the web app has no inline script), never framed;
 * nosniff; same-origin referrers and opener; HSTS only when the hub is reached over HTTPS
 * (AFTERHOURS_SECURE_COOKIES=true), since on plain HTTP it would lock browsers out.
 */
export async function installSecurityHeaders(app: FastifyInstance, options: { https: boolean }): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'manifest-src': ["'self'"],
        'worker-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    // Would require every cross-origin resource to opt in; the app loads none, and pings answer CORS.
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
  });
}

/**
 * Swagger UI's pages get the policy @fastify/swagger-ui makes for them (`staticCSP`: its scripts by
 * hash), brought to the hub's rules: never framed, no upgrade to HTTPS on a hub serving plain HTTP,
 * nothing from other sites. Swagger UI sets inline styles as it renders, so its pages (and only
 * they) allow inline styles; scripts stay as strict as the app's.
 */
export function docsPolicy(policy: string): string {
  return policy
    .replace(/frame-ancestors [^;]*/, "frame-ancestors 'none'")
    .replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'")
    .replace(/font-src [^;]*/, "font-src 'self' data:")
    .replace(/\s*upgrade-insecure-requests;?/, '')
    .trim();
}
