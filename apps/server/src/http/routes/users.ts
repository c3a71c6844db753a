import { CreateUserRequest, ErrorBody, IdParams, UpdateUserRequest, User, UserList } from '@afterhours/shared';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { resetTwoFactor } from '../../domain/accounts/two-factor.js';
import { createUser, deleteUser, getUser, listUsers, updateUser } from '../../domain/accounts/users.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['accounts'];

/** User accounts: owners and admins only. */
export async function userRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/users',
    { schema: { tags, summary: 'Every user', response: { 200: UserList, ...errors } } },
    async (request) => {
      const items = await listUsers(ctx, actorOf(request));
      return { items, nextCursor: null, total: items.length };
    },
  );

  app.get(
    '/api/users/:id',
    { schema: { tags, summary: 'One user', params: IdParams, response: { 200: User, ...errors } } },
    async (request) => getUser(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags,
        summary: 'Create a user (a client user needs clientId; staff have none)',
        body: CreateUserRequest,
        response: { 201: User, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createUser(ctx, actorOf(request), request.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags,
        summary:
          'Change a user: name, role, client, disabled, or reset the password (disabling or a reset signs them out)',
        params: IdParams,
        body: UpdateUserRequest,
        response: { 200: User, ...errors },
      },
    },
    async (request) => updateUser(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/users/:id/two-factor/reset',
    {
      schema: {
        tags,
        summary: "Turn off a user's two-factor sign-in (lost phone) and sign them out everywhere",
        params: IdParams,
        response: { 200: User, ...errors },
      },
    },
    async (request) => resetTwoFactor(ctx, actorOf(request), request.params.id),
  );

  app.delete(
    '/api/users/:id',
    {
      schema: {
        tags,
        summary: 'Delete a user',
        params: IdParams,
        response: { 200: z.object({ ok: z.literal(true) }), ...errors },
      },
    },
    async (request) => {
      await deleteUser(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
}
