import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { type Actor, userActor } from '../domain/auth/actor.js';
import { resolveSession, SESSION_COOKIE } from '../domain/auth/sessions.js';
import { resolveApiToken } from '../domain/auth/tokens.js';
import { AppError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** Set when the actor came from a session cookie (not a Bearer token). */
    sessionToken: string | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (sign-in, setup, health, metrics, the web app's files). */
    public?: boolean;
    /** Authenticated by a site agent's token, which the route checks itself (the agent WebSocket). */
    agentToken?: boolean;
    /** Public and never asks who is calling: no session or token is looked up (the ping API). */
    anonymous?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route requires a signed-in actor unless its config says `public: true`. Writes made with a
 * session cookie must carry the session's CSRF token in `X-CSRF-Token`; Bearer tokens need none.
 */
export function installAuthentication(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.agentToken || request.routeOptions.config?.anonymous) return;
    await identify(ctx, request);
    if (request.routeOptions.config?.public) return;
    if (!request.actor) throw new AppError(401, 'unauthenticated', 'Sign in to continue');
    if (request.sessionToken && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== request.csrfToken) {
        throw new AppError(403, 'csrf_failed', 'The request is missing its CSRF token; reload the page and try again');
      }
    }
  });
}

async function identify(ctx: AppContext, request: FastifyRequest): Promise<void> {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) {
    const actor = await resolveApiToken(ctx, authorization.slice(7).trim());
    if (!actor) throw new AppError(401, 'unauthenticated', 'The API token is unknown or revoked');
    request.actor = actor;
    return;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return;
  const found = await resolveSession(ctx, cookie);
  if (!found) return;
  const { user, session } = found;
  request.actor = userActor(user);
  request.sessionToken = cookie;
  request.csrfToken = session.csrf_token;
}

/** The actor of a route that is not public: the hook above guarantees it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError(401, 'unauthenticated', 'Sign in to continue');
  return request.actor;
}
