// Step photos taken on the phone, kept in IndexedDB (a photo is too big for localStorage, where ticks wait)
// until the hub has them: a photo taken without signal is sent when the phone is back online, like a tick.
import { ApiError, api } from '../../api/client';
import { keepRefusal } from './photo-limits';

export interface QueuedPhoto {
  /** Order of taking, and the row's key. */
  key: string;
  runId: string;
  stepId: string;
  blob: Blob;
}

const DB_NAME = 'afterhours-step-photos';
const STORE = 'photos';
const RETRY_MS = 10_000;

const listeners = new Set<() => void>();
let flushing: Promise<void> | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
/** Photos waiting, by step id, for the screen to show without reading IndexedDB on every render. */
let waiting = new Map<string, number>();
let refused: string | null = null;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

const all = () => withStore<QueuedPhoto[]>('readonly', (s) => s.getAll() as IDBRequest<QueuedPhoto[]>);

async function changed(): Promise<void> {
  const photos = await all();
  waiting = new Map();
  for (const p of photos) waiting.set(p.stepId, (waiting.get(p.stepId) ?? 0) + 1);
  for (const l of listeners) l();
}

/** Photos of a step still on the phone. */
export const waitingPhotos = (stepId: string): number => waiting.get(stepId) ?? 0;

export function takePhotoRefusal(): string | null {
  const message = refused;
  refused = null;
  return message;
}

export function onPhotoQueueChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Keeps a step's photo on the phone and sends it (now, or when the signal is back); throws, saying why,
 * when it is too large or the photos already waiting leave no room (photo-limits.ts).
 */
export async function queuePhoto(runId: string, stepId: string, blob: Blob): Promise<void> {
  const refusal = keepRefusal(
    (await all()).map((p) => p.blob.size),
    blob.size,
  );
  if (refusal) throw new Error(refusal);
  const key = `${Date.now().toString(36).padStart(10, '0')}-${Math.random().toString(36).slice(2)}`;
  await withStore('readwrite', (s) => s.put({ key, runId, stepId, blob } satisfies QueuedPhoto));
  await changed();
  void flushPhotos();
}

/** Sends queued photos in the order taken; stops at the first that cannot reach the hub, and tries later. */
export function flushPhotos(): Promise<void> {
  flushing ??= send().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function send(): Promise<void> {
  for (;;) {
    const next = (await all()).sort((a, b) => a.key.localeCompare(b.key))[0];
    if (!next) return;
    try {
      await api.post(`/api/checklist-runs/${next.runId}/steps/${next.stepId}/photo`, next.blob);
    } catch (error) {
      if (!(error instanceof ApiError && error.status !== 0 && error.status !== 401 && error.status < 500)) {
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void flushPhotos(), RETRY_MS);
        return;
      }
      // The hub will never take this one (the run finished meanwhile, the photo is too large): say so once.
      refused = error.message;
    }
    await withStore('readwrite', (s) => s.delete(next.key));
    await changed();
  }
}

if (typeof window !== 'undefined' && typeof indexedDB !== 'undefined') {
  window.addEventListener('online', () => void flushPhotos());
  // Photos left from an earlier visit go as soon as the app opens.
  void changed().then(() => (waiting.size ? flushPhotos() : undefined));
}
