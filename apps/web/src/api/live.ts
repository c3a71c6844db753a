// Live updates: one EventSource for the whole app. Screens subscribe and refetch what they show.
import type { ChangeEvent } from './types';

type Listener = (event: ChangeEvent) => void;
type StatusListener = (connected: boolean) => void;

const listeners = new Set<Listener>();
const statusListeners = new Set<StatusListener>();
let source: EventSource | null = null;
let connected = false;

function setConnected(value: boolean): void {
  if (value === connected) return;
  connected = value;
  for (const l of statusListeners) l(value);
}

export function startLive(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/events', { withCredentials: true });
  let opened = false;
  source.addEventListener('open', () => {
    // After a reconnect, changes may have been missed: tell every screen to refetch.
    if (opened)
      for (const l of listeners)
        l({ entity: 'client', id: '', action: 'updated', clientId: null, at: new Date().toISOString() });
    opened = true;
    setConnected(true);
  });
  source.addEventListener('error', () => setConnected(false));
  source.addEventListener('change', (message) => {
    let event: ChangeEvent;
    try {
      event = JSON.parse((message as MessageEvent<string>).data) as ChangeEvent;
    } catch {
      return;
    }
    for (const l of listeners) l(event);
  });
}

export function stopLive(): void {
  source?.close();
  source = null;
  setConnected(false);
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function onLiveStatus(listener: StatusListener): () => void {
  statusListeners.add(listener);
  listener(connected);
  return () => statusListeners.delete(listener);
}
