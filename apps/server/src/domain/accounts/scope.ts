import { isStaff, type Role } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import { badInput } from '../../http/errors.js';

/**
 * The firm a user or token is tied to: client accounts need an existing client; staff accounts see
 * every client and must not name one. Returns the client id to store.
 */
export async function clientForRole(db: Kdb, role: Role, clientId: string | null | undefined): Promise<string | null> {
  if (isStaff(role)) {
    if (clientId) throw badInput({ clientId: `must be empty for the ${role} role (staff see every client)` });
    return null;
  }
  if (!clientId)
    throw badInput({ clientId: 'is required for the client role: choose the firm this account belongs to' });
  const client = await db.selectFrom('clients').select('id').where('id', '=', clientId).executeTakeFirst();
  if (!client) throw badInput({ clientId: 'is not an existing client' });
  return clientId;
}

/** Whether an error from the database is a unique-constraint violation (PostgreSQL 23505, SQLite's code). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
