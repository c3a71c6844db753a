// Ticks made on the phone, kept in localStorage until the hub has them: a tick made without signal is
// sent when the phone is back online. Each tick carries a key made here once, so a tick sent twice (the
// first answer was lost with the signal) is applied once by the hub.
import { ApiError, api } from '../../api/client';

export interface QueuedTick {
  runId: string;
  stepId: string;
  tickKey: string;
  status: 'passed' | 'failed' | 'not_done' | 'pending';
  note: string;
  /** When the person ticked (the phone's clock). */
  at: string;
}

const STORAGE_KEY = 'afterhours.checklist-ticks';
const RETRY_MS = 10_000;

type Listener = () => void;
const listeners = new Set<Listener>();
let flushing: Promise<void> | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
/** The last tick the hub refused (the run had finished, say), to show once. */
let refused: string | null = null;

function load(): QueuedTick[] {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as QueuedTick[]) : [];
  } catch {
    return [];
  }
}

function save(ticks: QueuedTick[]): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(ticks));
  for (const l of listeners) l();
}

export function queuedTicks(runId: string): QueuedTick[] {
  return load().filter((t) => t.runId === runId);
}

export function takeRefusal(): string | null {
  const message = refused;
  refused = null;
  return message;
}

export function onQueueChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function newKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** Records a tick on the phone and sends it (now, or when the signal is back). */
export function tick(input: Omit<QueuedTick, 'tickKey' | 'at'>): void {
  save([...load(), { ...input, tickKey: newKey(), at: new Date().toISOString() }]);
  void flush();
}

/** Sends queued ticks in order; stops at the first that cannot reach the hub, and tries again later. */
export function flush(): Promise<void> {
  flushing ??= send().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function send(): Promise<void> {
  for (;;) {
    const next = load()[0];
    if (!next) return;
    try {
      await api.post(`/api/checklist-runs/${next.runId}/steps/${next.stepId}/tick`, {
        tickKey: next.tickKey,
        status: next.status,
        note: next.note,
        at: next.at,
      });
    } catch (error) {
      if (error instanceof ApiError && error.status !== 0 && error.status !== 401 && error.status < 500) {
        // The hub will never take this one (the run finished meanwhile): drop it and say so.
        refused = error.message;
      } else {
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void flush(), RETRY_MS);
        for (const l of listeners) l();
        return;
      }
    }
    save(load().filter((t) => t.tickKey !== next.tickKey));
  }
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => void flush());
  // Ticks left from an earlier visit (the app was closed without signal) go as soon as it opens.
  if (load().length) setTimeout(() => void flush(), 0);
}
