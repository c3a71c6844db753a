import { z } from 'zod';
import { Id, page, Timestamp } from '../common.js';
import { Role } from '../roles.js';
import { Email, Password, User } from './auth.js';

export const CreateUserRequest = z.strictObject({
  email: Email,
  name: z.string().trim().min(1).max(200),
  role: Role,
  clientId: Id.nullable().optional(),
  password: Password,
});

export const UpdateUserRequest = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  role: Role.optional(),
  clientId: Id.nullable().optional(),
  disabled: z.boolean().optional(),
  password: Password.optional().describe("Set a new password (a reset): ends all of the user's sessions"),
});
/** Every user, by e-mail (a firm has tens, not thousands). */
export const UserList = page(User);

export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  role: Role,
  clientId: Id.nullable(),
  prefix: z.string().describe('The first characters of the token, to recognise it'),
  createdAt: Timestamp,
  createdBy: Id.nullable(),
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;
/** Every token, newest first, revoked ones included. */
export const TokenList = page(ApiToken);

export const CreateTokenRequest = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: Role,
  clientId: Id.nullable().optional(),
});

export const CreatedToken = z.object({
  token: ApiToken,
  secret: z.string().describe('The token itself. Shown once; only a hash is stored.'),
});

export const AuditActor = z.object({
  type: z.enum(['user', 'token', 'system']),
  id: z.string().nullable(),
  label: z.string(),
});

export const AuditEvent = z.object({
  id: Id,
  at: Timestamp,
  actor: AuditActor,
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  clientId: Id.nullable(),
  summary: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  entityName: z.string().nullable().describe('The current name of the entity; null when it is gone or has none'),
  names: z
    .record(z.string(), z.string())
    .describe('Current names of the ids this entry mentions (its client, and ids among before/after)'),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = z.object({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  clientId: Id.optional(),
  before: z.string().max(100).optional().describe('Cursor: the nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
/** Newest first; pass nextCursor as `before` for the next page. `total` counts every match of the filters. */
export const AuditPage = page(AuditEvent);
