import { SetupRequest, SetupStatus, Session, SignInRequest, Ok, ErrorBody } from '@afterhours/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { change } from '../../domain/change.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../domain/auth/passwords.js';
import { createSession, deleteSession, SESSION_COOKIE, type NewSession } from '../../domain/auth/sessions.js';
import { beginSignIn } from '../../domain/auth/sign-in-guard.js';
import { verifyTotp } from '../../domain/auth/totp.js';
import { consumeRecoveryCode } from '../../domain/accounts/recovery-codes.js';
import {
  auditableUser,
  countUsers,
  findUserByEmail,
  findUserById,
  presentUser,
  type UserRow,
} from '../../domain/auth/users.js';
import { systemActor } from '../../domain/auth/actor.js';
import { newUserRow } from '../../domain/accounts/users.js';
import { effectiveDisplay, setFirstFirmDisplay } from '../../domain/accounts/display.js';
import { actorOf } from '../authenticate.js';
import { AppError, conflict } from '../errors.js';
import type { ZodApp } from '../zod-app.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export async function authRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/setup',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Whether first-run setup is needed', response: { 200: SetupStatus } },
    },
    async () => ({
      setupNeeded: (await countUsers(ctx.db.kysely)) === 0,
    }),
  );

  app.post(
    '/api/setup',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Create the owner account (only while no user exists)',
        body: SetupRequest,
        response: { 200: Session, ...errors },
      },
    },
    async (request, reply) => {
      const passwordHash = await hashPassword(request.body.password);
      const user = await change(ctx, systemActor('first-run setup'), async (tx) => {
        // Checked inside the transaction so two setups racing cannot both create an owner.
        if ((await countUsers(tx.db)) > 0) throw conflict('Setup is already done; sign in instead');
        const row = newUserRow(
          { email: request.body.email, name: request.body.name, role: 'owner', clientId: null, passwordHash },
          tx.now,
        );
        await tx.db.insertInto('users').values(row).execute();
        if (request.body.display) await setFirstFirmDisplay(tx, request.body.display);
        await tx.audit({
          action: 'user.create',
          entityType: 'user',
          entityId: row.id,
          clientId: null,
          summary: `Owner ${row.email} created at first-run setup`,
          after: auditableUser(row),
        });
        tx.emit({ entity: 'user', id: row.id, action: 'created', clientId: null });
        return row;
      });
      return startSession(ctx, request, reply, user);
    },
  );

  app.post(
    '/api/auth/sign-in',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary:
          'Sign in with e-mail and password (and, when two-factor is on, a TOTP code or a one-time recovery code)',
        body: SignInRequest,
        response: { 200: Session, ...errors },
      },
    },
    async (request, reply) => {
      const { email, password, totpCode, recoveryCode } = request.body;
      const begun = await beginSignIn(ctx, email, request.ip);
      if (!begun.ok) throw tooManyAttempts(begun.until, ctx.clock.now());
      const { attempt } = begun;

      const user = await findUserByEmail(ctx.db.kysely, email);
      const passwordOk = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
      if (!user || !passwordOk || user.disabled === 1) {
        await attempt.failed();
        throw new AppError(401, 'invalid_credentials', 'The e-mail or password is not right');
      }
      let recoveryCodesLeft: number | undefined;
      if (user.totp_enabled === 1 && recoveryCode) {
        const left = await consumeRecoveryCode(ctx, user, recoveryCode);
        if (left === null) {
          await attempt.failed();
          throw new AppError(401, 'invalid_credentials', 'The recovery code is not right or was used already', {
            recoveryCode: 'is not right or was used already',
          });
        }
        recoveryCodesLeft = left;
      } else if (user.totp_enabled === 1) {
        if (!totpCode) {
          await attempt.released();
          throw new AppError(401, 'totp_required', 'Enter the 6-digit code from your authenticator app', {
            totpCode: 'is required',
          });
        }
        const secret = ctx.secrets.decrypt(user.totp_secret_enc!);
        if (!verifyTotp(secret, totpCode, ctx.clock.now())) {
          await attempt.failed();
          throw new AppError(
            401,
            'invalid_credentials',
            'The code is not right; check the time on your phone and try the newest code',
            { totpCode: 'is not right' },
          );
        }
      }
      await attempt.succeeded();
      const session = await startSession(ctx, request, reply, user);
      return recoveryCodesLeft === undefined ? session : { ...session, recoveryCodesLeft };
    },
  );

  app.get(
    '/api/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and the CSRF token for writes',
        response: { 200: Session, 401: ErrorBody },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const user = actor.userId ? await findUserById(ctx.db.kysely, actor.userId) : undefined;
      if (!user || actor.type !== 'user') throw new AppError(401, 'unauthenticated', 'Sign in to continue');
      return {
        user: presentUser(user),
        csrfToken: request.csrfToken ?? '',
        display: await effectiveDisplay(ctx.db.kysely, user),
      };
    },
  );

  app.post(
    '/api/auth/sign-out',
    { schema: { tags: ['auth'], summary: 'End this session', response: { 200: Ok, ...errors } } },
    async (request, reply) => {
      if (request.sessionToken) await deleteSession(ctx, request.sessionToken);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );
}

async function startSession(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, user: UserRow) {
  const session: NewSession = await createSession(ctx, user.id, {
    userAgent: request.headers['user-agent'] ?? '',
    ip: request.ip,
  });
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.settings.secureCookies,
    expires: new Date(session.expiresAt),
  });
  const fresh = (await findUserById(ctx.db.kysely, user.id)) ?? user;
  return {
    user: presentUser(fresh),
    csrfToken: session.csrfToken,
    display: await effectiveDisplay(ctx.db.kysely, fresh),
  };
}

function tooManyAttempts(until: string, now: Date): AppError {
  const minutes = Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 60_000));
  return new AppError(
    429,
    'rate_limited',
    `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    undefined,
    {
      'retry-after': String(minutes * 60),
    },
  );
}
