import type { Kdb } from '../../db/database.js';
import { hashToken } from '../../lib/secrets.js';

/**
 * End a user's sessions inside the transaction of the change that requires it (disabled, password
 * reset or changed), so the change and the sign-out commit together. `keepToken` spares the session
 * making the request.
 */
export async function endSessions(db: Kdb, userId: string, keepToken?: string | null): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepToken) query = query.where('id_hash', '!=', hashToken(keepToken));
  await query.execute();
}
