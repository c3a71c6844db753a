import type { ClientUpdate } from '../../api/types';
import { DELIVERY } from './labels';

/** Under an update's line on a timeline: each recipient and how their message stands. */
export function DeliveryLine({ update }: { update: ClientUpdate | undefined }) {
  if (!update) return null;
  return (
    <span className="delivery-line" aria-label="Delivery">
      {update.recipients.map((r) => (
        <span key={`${r.contactId}-${r.to}`} className="delivery-item" title={r.error ?? r.skipped ?? undefined}>
          {r.name}{' '}
          <span className={`badge ${r.status ? DELIVERY[r.status].badge : 'badge-muted'}`}>
            {r.status ? DELIVERY[r.status].label : 'not sent'}
          </span>
        </span>
      ))}
    </span>
  );
}
