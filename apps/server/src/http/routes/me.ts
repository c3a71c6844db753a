import {
  ErrorBody,
  RecoveryCodes,
  RecoveryCodesStatus,
  RegenerateRecoveryCodesRequest,
  TotpCodeRequest,
  TotpDisableRequest,
  TotpEnabled,
  TotpSetup,
  UpdateProfileRequest,
  User,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { profileUser, updateProfile } from '../../domain/accounts/profile.js';
import { disableTotp, enableTotp, startTotpSetup } from '../../domain/accounts/two-factor.js';
import { recoveryCodesLeft, regenerateRecoveryCodes } from '../../domain/accounts/recovery-codes.js';
import { presentUser } from '../../domain/auth/users.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const tags = ['profile'];

/** The signed-in person's own account: name, password, two-factor sign-in. */
export async function meRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/me',
    { schema: { tags, summary: 'Your own account', response: { 200: User, ...errors } } },
    async (request) => presentUser(await profileUser(ctx, actorOf(request))),
  );

  app.patch(
    '/api/me',
    {
      schema: {
        tags,
        summary:
          'Change your name or password (a new password needs the current one and signs out your other sessions)',
        body: UpdateProfileRequest,
        response: { 200: User, ...errors },
      },
    },
    async (request) => updateProfile(ctx, actorOf(request), request.body, request.sessionToken),
  );

  app.post(
    '/api/me/totp/setup',
    {
      schema: {
        tags,
        summary: 'Start two-factor enrolment: a new secret and its QR code, to confirm with /api/me/totp/enable',
        response: { 200: TotpSetup, ...errors },
      },
    },
    async (request) => startTotpSetup(ctx, actorOf(request)),
  );

  app.post(
    '/api/me/totp/enable',
    {
      schema: {
        tags,
        summary:
          'Turn on two-factor sign-in with a code from the newly enrolled app; the answer has ten recovery codes, shown only this once',
        body: TotpCodeRequest,
        response: { 200: TotpEnabled, ...errors },
      },
    },
    async (request) => enableTotp(ctx, actorOf(request), request.body.code),
  );

  app.post(
    '/api/me/totp/disable',
    {
      schema: {
        tags,
        summary: 'Turn off two-factor sign-in (needs a current code, or one of your recovery codes)',
        body: TotpDisableRequest,
        response: { 200: User, ...errors },
      },
    },
    async (request) => disableTotp(ctx, actorOf(request), request.body),
  );

  app.get(
    '/api/me/totp/recovery-codes',
    {
      schema: {
        tags,
        summary: 'How many unused two-factor recovery codes you have left',
        response: { 200: RecoveryCodesStatus, ...errors },
      },
    },
    async (request) => recoveryCodesLeft(ctx, actorOf(request)),
  );

  app.post(
    '/api/me/totp/recovery-codes',
    {
      schema: {
        tags,
        summary: 'Make ten new recovery codes (needs your password); the old ones stop working',
        body: RegenerateRecoveryCodesRequest,
        response: { 200: RecoveryCodes, ...errors },
      },
    },
    async (request) => regenerateRecoveryCodes(ctx, actorOf(request), request.body.password),
  );
}
