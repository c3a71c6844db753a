import { z } from 'zod';
import { Id, Timestamp } from '../common.js';
import { Role } from '../roles.js';
import { Clock, DisplaySettings, Locale } from './display.js';

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: 'must be an e-mail address' }));
export const Password = z
  .string()
  .min(10, { error: 'must be at least 10 characters' })
  .max(200, { error: 'must be at most 200 characters' });

export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  clientId: Id.nullable(),
  totpEnabled: z.boolean(),
  disabled: z.boolean(),
  createdAt: Timestamp,
  lastSignInAt: Timestamp.nullable(),
  display: DisplaySettings.describe('This user’s own locale and clock; null fields follow the firm’s'),
});
export type User = z.infer<typeof User>;

export const SetupStatus = z.object({ setupNeeded: z.boolean() });

export const SetupRequest = z.object({
  name: z.string().trim().min(1).max(200),
  email: Email,
  password: Password,
  display: z
    .strictObject({ locale: Locale.nullable(), clock: Clock.nullable() })
    .optional()
    .describe('The firm’s locale and clock, from the owner’s browser'),
});

/** xxxx-xxxx-xxxx; case, dashes and spaces do not matter. */
export const RecoveryCode = z
  .string()
  .trim()
  .regex(/^[0-9a-zA-Z]{4}[\s-]?[0-9a-zA-Z]{4}[\s-]?[0-9a-zA-Z]{4}$/, {
    error: 'must be a recovery code like abcd-efgh-jkmn',
  });

export const SignInRequest = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(200),
  totpCode: z
    .string()
    .regex(/^\d{6}$/, { error: 'must be the 6-digit code from your authenticator app' })
    .optional(),
  recoveryCode: RecoveryCode.optional().describe('A one-time recovery code, in place of totpCode'),
});

export const Session = z.object({
  user: User,
  csrfToken: z.string(),
  display: DisplaySettings.describe('What applies to this user: their own choice, else the firm’s'),
  recoveryCodesLeft: z
    .number()
    .int()
    .optional()
    .describe('Set when this sign-in used a recovery code: how many unused codes are left'),
});
export type Session = z.infer<typeof Session>;

export const UpdateProfileRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    currentPassword: z.string().max(200).optional(),
    newPassword: Password.optional(),
    display: z
      .strictObject({ locale: Locale.nullable().optional(), clock: Clock.nullable().optional() })
      .optional()
      .describe('Your own locale and clock; null: follow the firm’s'),
  })
  .refine((v) => !v.newPassword || v.currentPassword, {
    error: 'is required to change the password',
    path: ['currentPassword'],
  });

export const TotpSetup = z.object({ secret: z.string(), otpauthUrl: z.string(), qrSvg: z.string() });
export const TotpCodeRequest = z.strictObject({
  code: z.string().regex(/^\d{6}$/, { error: 'must be the 6-digit code from your authenticator app' }),
});

export const TotpDisableRequest = z
  .strictObject({
    code: TotpCodeRequest.shape.code.optional(),
    recoveryCode: RecoveryCode.optional().describe('One of your recovery codes, when the phone is lost'),
  })
  .refine((v) => v.code || v.recoveryCode, {
    error: 'is required: a code from the authenticator app, or a recovery code',
    path: ['code'],
  });

export const TotpEnabled = User.extend({
  recoveryCodes: z
    .array(z.string())
    .describe('Ten one-time recovery codes for signing in without the phone; shown only now'),
});
export const RecoveryCodesStatus = z.object({ left: z.number().int() });
export const RegenerateRecoveryCodesRequest = z.strictObject({ password: z.string().min(1).max(200) });
export const RecoveryCodes = z.object({
  recoveryCodes: z.array(z.string()).describe('The new codes, shown only now; the old ones no longer work'),
  left: z.number().int(),
});
