import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/**
 * The worker: its own connection to the file, a PASSIVE checkpoint every `everyMs` while the hub writes. With
 * nothing new in the WAL it waits twice as long each time, up to `idleMs`, so that an idle hub sleeps.
 * CommonJS, run by eval.
 */
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { timeout: 5000 });
let timer = null;
let delay = workerData.everyMs;
let seen = -1;
const checkpoint = () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    const idle = row && row.log === seen && row.checkpointed === row.log;
    seen = row ? row.log : -1;
    delay = idle ? Math.min(workerData.idleMs, delay * 2) : workerData.everyMs;
  } catch (error) {
    parentPort.postMessage(String(error));
  }
  timer = setTimeout(checkpoint, delay);
};
timer = setTimeout(checkpoint, delay);
parentPort.on('message', () => { clearTimeout(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Checkpoints the WAL of `file` from a worker thread instead of inside the commits of the hub's
 * connection. A checkpoint copies pages into the database file and fsyncs it; done by SQLite's
 * automatic checkpoint it blocks the event loop for that time (tens of milliseconds on a busy disk),
 * which is what made pings wait. PASSIVE never blocks the hub's writer. Should the worker fail, the
 * hub's connection checkpoints by itself again (SQLite's default, every 1,000 pages).
 */
export function startCheckpointer(database: SQLite.Database, file: string, everyMs = 250, idleMs = 8000): Checkpointer {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), file, everyMs, idleMs },
  });
  worker.unref();
  database.pragma('wal_autocheckpoint = 0');
  let stopped = false;
  const fallBack = () => {
    if (!stopped && database.open) database.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  return {
    async stop() {
      stopped = true;
      // Keep the event loop alive while the worker closes its connection (it is unref'd otherwise, and
      // a hub shutting down may have nothing else left to wait on).
      worker.ref();
      let timer: NodeJS.Timeout | undefined;
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
