import { EventEmitter } from 'node:events';
import type { ChangeEvent } from '@afterhours/shared';
import type { PeerMessage } from './peer-message.js';

export type ChangeListener = (event: ChangeEvent) => void;
export type PeerListener = (message: PeerMessage) => void;

/**
 * Carries change notices to live-update streams, and messages between hub processes. In-process; on
 * PostgreSQL, PostgresFanout carries both to the other hub processes with LISTEN/NOTIFY.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  /** Set by PostgresFanout: what is published here also reaches the other hub processes. */
  crossesProcesses = false;
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
  /** A message for the hub processes (this one included), never for live-update streams. */
  publishPeer(message: PeerMessage): void {
    this.emitter.emit('peer', message);
  }
  subscribePeer(listener: PeerListener): () => void {
    this.emitter.on('peer', listener);
    return () => this.emitter.off('peer', listener);
  }
}
