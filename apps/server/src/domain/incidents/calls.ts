import type { CallDetails } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import { badInput } from '../../http/errors.js';

/** A phone call as the timeline keeps it: who rang (a contact from the register, or a name), their number, when. */
export interface CallFacts {
  callerName: string;
  contactId: string | null;
  phone: string | null;
  at: string;
}

/** Fills in a call from the register (the contact's name and number), checking the contact is the client's. */
export async function resolveCall(db: Kdb, clientId: string, call: CallDetails, now: string): Promise<CallFacts> {
  let name = call.callerName || '';
  let phone = call.phone || null;
  if (call.contactId) {
    const contact = await db
      .selectFrom('contacts')
      .select(['name', 'phone', 'client_id'])
      .where('id', '=', call.contactId)
      .executeTakeFirst();
    if (!contact || contact.client_id !== clientId)
      throw badInput({ 'call.contactId': "is not one of this client's contacts" });
    name ||= contact.name;
    phone ??= contact.phone;
  }
  if (!name) throw badInput({ 'call.callerName': 'is required (or pick the contact who called)' });
  const at = call.at ? new Date(call.at).toISOString() : now;
  if (at > now) throw badInput({ 'call.at': 'cannot be in the future' });
  return { callerName: name, contactId: call.contactId ?? null, phone, at };
}

export function describeCall(call: CallFacts, said: string): string {
  const who = `${call.callerName}${call.phone ? ` (${call.phone})` : ''}`;
  return said ? `Call from ${who}: ${said}` : `Call from ${who}`;
}
