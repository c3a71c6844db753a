import type { Role } from '@afterhours/shared';

/** Who is making a request: a signed-in user, an API token, or the hub itself (CLI, scheduler). */
export interface Actor {
  type: 'user' | 'token' | 'system';
  id: string | null;
  /** The user behind the actor: the user, or the token's creator. */
  userId: string | null;
  role: Role;
  /** Set for client users and client tokens: the only firm they may see. */
  clientId: string | null;
  label: string;
}

export const systemActor = (label = 'system'): Actor => ({
  type: 'system',
  id: null,
  userId: null,
  role: 'owner',
  clientId: null,
  label,
});

/** The actor of a signed-in person. */
export const userActor = (user: { id: string; role: string; client_id: string | null; email: string }): Actor => ({
  type: 'user',
  id: user.id,
  userId: user.id,
  role: user.role as Role,
  clientId: user.client_id,
  label: user.email,
});
