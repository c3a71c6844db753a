import type { EventBus } from '../../events/bus.js';

/** Wakes the outbox workers (of every hub process, on PostgreSQL) after a commit that queued messages. */
export function wakeOutbox(bus: EventBus): void {
  bus.publishPeer({ type: 'outbox.wake' });
}
