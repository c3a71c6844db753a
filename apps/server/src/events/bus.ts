import { EventEmitter } from 'node:events';
import type { ChangeEvent } from '@afterhours/shared';

export type ChangeListener = (event: ChangeEvent) => void;

/** Carries change notices to live-update streams. In-process now; PostgreSQL NOTIFY fans out across hubs later. */
export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(event: ChangeEvent): void {
    this.emitter.emit('change', event);
  }
  subscribe(listener: ChangeListener): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
  listenerCount(): number {
    return this.emitter.listenerCount('change');
  }
}
