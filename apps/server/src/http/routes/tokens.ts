import { ApiToken, CreatedToken, CreateTokenRequest, ErrorBody, IdParams, TokenList } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { createToken, listTokens, revokeToken } from '../../domain/accounts/tokens.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['accounts'];

/** API tokens for scripts and integrations: owners and admins only. */
export async function tokenRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/tokens',
    {
      schema: {
        tags,
        summary: 'Every API token, newest first (secrets are never shown again)',
        response: { 200: TokenList, ...errors },
      },
    },
    async (request) => {
      const items = await listTokens(ctx, actorOf(request));
      return { items, nextCursor: null, total: items.length };
    },
  );

  app.post(
    '/api/tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token; the response holds the secret, shown this once',
        body: CreateTokenRequest,
        response: { 201: CreatedToken, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createToken(ctx, actorOf(request), request.body)),
  );

  app.delete(
    '/api/tokens/:id',
    { schema: { tags, summary: 'Revoke an API token', params: IdParams, response: { 200: ApiToken, ...errors } } },
    async (request) => revokeToken(ctx, actorOf(request), request.params.id),
  );
}
