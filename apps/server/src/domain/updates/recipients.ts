import type { UpdateRecipient } from '@afterhours/shared';
import type { ContactsTable } from '../../db/schema.js';

/** What sending needs of a recipient: the contact, the channel and address, or why there is none. */
export type PlannedRecipient = UpdateRecipient;

const E164 = /^\+[1-9]\d{6,14}$/;

/** "+44 7700 900123" → "+447700900123"; null when the number is not in international form. */
export function internationalNumber(phone: string | null): string | null {
  if (!phone) return null;
  const compact = phone.replace(/[\s().-]/g, '');
  return E164.test(compact) ? compact : null;
}

/**
 * One message per contact, on the channel they prefer: SMS for "sms" and "phone" (an update is written, not
 * spoken) when their number is in international form, else e-mail; e-mail for the rest. A contact with no
 * usable address is listed as skipped, with the reason, so the sender sees who was not told.
 */
export function planRecipient(contact: ContactsTable): PlannedRecipient {
  const base = { contactId: contact.id, name: contact.name };
  const wantsText = contact.preferred_channel === 'sms' || contact.preferred_channel === 'phone';
  const number = internationalNumber(contact.phone);
  if (wantsText && number) return { ...base, channel: 'sms', to: number, skipped: null };
  if (contact.email) return { ...base, channel: 'email', to: contact.email, skipped: null };
  const why = contact.phone
    ? `the phone number "${contact.phone}" is not in international form (+44…) and there is no e-mail address`
    : 'no e-mail address or phone number';
  return { ...base, channel: null, to: null, skipped: why };
}

/** The same address twice (two contacts sharing a mailbox) gets one message. */
export function withoutRepeats(recipients: PlannedRecipient[]): PlannedRecipient[] {
  const seen = new Set<string>();
  return recipients.map((r) => {
    if (!r.channel || !r.to) return r;
    const key = `${r.channel}:${r.to.toLowerCase()}`;
    if (!seen.has(key)) {
      seen.add(key);
      return r;
    }
    return { ...r, channel: null, to: null, skipped: `shares ${r.to} with another recipient, who gets the message` };
  });
}
