import { badInput } from '../../http/errors.js';

/** A contact must be reachable by the channel they prefer. */
export function assertReachable(contact: {
  preferredChannel: string;
  email: string | null;
  phone: string | null;
}): void {
  if (contact.preferredChannel === 'email' && !contact.email) {
    throw badInput({ email: 'is needed when the preferred channel is e-mail' });
  }
  if ((contact.preferredChannel === 'sms' || contact.preferredChannel === 'phone') && !contact.phone) {
    throw badInput({
      phone: `is needed when the preferred channel is ${contact.preferredChannel === 'sms' ? 'SMS' : 'phone'}`,
    });
  }
}
