import type { AppContext } from '../../context.js';
import { badInput, notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';

/** The signed-in person whose notification settings these are (a token has none). */
export function ownUser(actor: Actor): string {
  if (actor.type !== 'user' || !actor.userId)
    throw badInput({ user: 'notification settings belong to a signed-in person, not a token' });
  return actor.userId;
}

/** One of that person's contact methods; `field` names the request field when the id came in a body. */
export async function ownMethod(db: AppContext['db']['kysely'], userId: string, id: string, field?: string) {
  const row = await db
    .selectFrom('contact_methods')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw field ? badInput({ [field]: 'is not one of your contact methods' }) : notFound('The contact method');
  return row;
}
