import type { RecipientDelivery } from '../../api/types';

export const CHANNEL_NAMES: Record<'email' | 'sms', string> = { email: 'E-mail', sms: 'SMS' };

type Status = NonNullable<RecipientDelivery['status']>;

/** How a recipient's message stands, in words and a badge colour. */
export const DELIVERY: Record<Status, { label: string; badge: string }> = {
  queued: { label: 'queued', badge: 'badge-muted' },
  sending: { label: 'sending', badge: 'badge-muted' },
  sent: { label: 'sent', badge: 'badge-ok' },
  delivered: { label: 'delivered', badge: 'badge-ok' },
  failed: { label: 'failed', badge: 'badge-danger' },
  cancelled: { label: 'cancelled', badge: 'badge-muted' },
  may_have_been_sent: { label: 'may have been sent', badge: 'badge-info' },
};

export const isPending = (status: RecipientDelivery['status']) => status === 'queued' || status === 'sending';
