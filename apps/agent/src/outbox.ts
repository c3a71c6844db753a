import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentResult } from '@afterhours/shared';
import { writeDurably } from './durable-file.js';
import type { Logger } from './log.js';

/**
 * The agent's disk buffer: every batch of results is written here, one file per batch, BEFORE it is
 * sent, and deleted once the hub acknowledges it. Batch numbers (`seq`) increase by one per batch and
 * the last one given out is kept in `seq`, so numbering carries on across restarts. The buffer is
 * bounded by size and by age; past either bound the oldest batches are dropped, with a warning.
 *
 * A batch file is named `<seq, 12 digits>-<written at, ms>-<result count>.json` so that the buffer
 * can be indexed at start without reading every file.
 */

export interface OutboxOptions {
  dir: string;
  maxBytes: number;
  maxAgeMs: number;
  now: () => number;
  log: Logger;
}

export interface StoredBatch {
  seq: number;
  results: AgentResult[];
}

interface Entry {
  seq: number;
  file: string;
  bytes: number;
  count: number;
  writtenAt: number;
}

const BATCH_FILE = /^(\d{12})-(\d+)-(\d+)\.json$/;
const SEQ_FILE = 'seq';

export const DEFAULT_BUFFER = { maxBytes: 50 * 1024 * 1024, maxAgeMs: 7 * 24 * 3600_000 };

export class Outbox {
  private entries: Entry[] = [];
  private totalBytes = 0;
  private seq = 0;
  /** Changes to numbering and files happen one at a time (a batch written while the hub's count arrives). */
  private lock: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: OutboxOptions) {}

  static async open(options: OutboxOptions): Promise<Outbox> {
    const outbox = new Outbox(options);
    await outbox.load();
    return outbox;
  }

  private async load(): Promise<void> {
    const { dir, log } = this.options;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const saved = await readFile(join(dir, SEQ_FILE), 'utf8').catch(() => '0');
    this.seq = Number.parseInt(saved.trim(), 10) || 0;
    for (const name of await readdir(dir)) {
      if (name.endsWith('.tmp')) {
        await rm(join(dir, name), { force: true }); // a write cut short by a crash; never acknowledged
        continue;
      }
      const match = BATCH_FILE.exec(name);
      if (!match) continue;
      const { size } = await stat(join(dir, name));
      this.entries.push({
        seq: Number(match[1]),
        file: name,
        bytes: size,
        count: Number(match[3]),
        writtenAt: Number(match[2]),
      });
      this.totalBytes += size;
    }
    this.entries.sort((a, b) => a.seq - b.seq);
    this.seq = Math.max(this.seq, this.entries.at(-1)?.seq ?? 0);
    if (this.entries.length)
      log.info({ batches: this.entries.length, results: this.backlog }, 'results waiting on disk from an earlier run');
    await this.enforceBounds();
  }

  /** The last batch number given out. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Results waiting on disk to be acknowledged. */
  get backlog(): number {
    return this.entries.reduce((sum, e) => sum + e.count, 0);
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Batch numbers waiting on disk, oldest first. */
  pendingSeqs(): number[] {
    return this.entries.map((e) => e.seq);
  }

  /** Store a batch under the next number and return that number. The batch is on disk when this resolves. */
  append(results: AgentResult[]): Promise<number> {
    return this.exclusive(() => this.write(results));
  }

  private async write(results: AgentResult[]): Promise<number> {
    const seq = this.seq + 1;
    await this.saveSeq(seq);
    const writtenAt = this.options.now();
    const file = `${String(seq).padStart(12, '0')}-${writtenAt}-${results.length}.json`;
    const content = JSON.stringify({ seq, results } satisfies StoredBatch);
    await writeDurably(join(this.options.dir, file), content);
    const bytes = Buffer.byteLength(content);
    this.entries.push({ seq, file, bytes, count: results.length, writtenAt });
    this.totalBytes += bytes;
    await this.enforceBounds();
    return seq;
  }

  async read(seq: number): Promise<StoredBatch | undefined> {
    const entry = this.entries.find((e) => e.seq === seq);
    if (!entry) return undefined;
    try {
      return JSON.parse(await readFile(join(this.options.dir, entry.file), 'utf8')) as StoredBatch;
    } catch (error) {
      this.options.log.error({ err: error, seq }, 'a buffered batch could not be read; dropping it');
      await this.remove((e) => e.seq === seq);
      return undefined;
    }
  }

  /** The hub has stored every batch up to `seq`: forget them. */
  acknowledge(seq: number): Promise<void> {
    return this.exclusive(() => this.remove((e) => e.seq <= seq));
  }

  /**
   * The hub has stored batches up to `seq` but this agent's own count is lower (its data directory
   * was restored or wiped): carry on above it, or the hub would take new batches for resends.
   */
  raiseSeqTo(seq: number): Promise<void> {
    return this.exclusive(async () => {
      if (seq <= this.seq) return;
      this.options.log.warn(
        { from: this.seq, to: seq },
        'the hub has stored more batches than this agent remembers; numbering carries on from the hub',
      );
      await this.saveSeq(seq);
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.lock.then(work);
    this.lock = next.catch(() => undefined);
    return next;
  }

  private async saveSeq(seq: number): Promise<void> {
    await writeDurably(join(this.options.dir, SEQ_FILE), `${seq}\n`);
    this.seq = seq;
  }

  private async enforceBounds(): Promise<void> {
    const { maxBytes, maxAgeMs, now, log } = this.options;
    const oldestKept = now() - maxAgeMs;
    const tooOld = this.entries.filter((e) => e.writtenAt < oldestKept);
    if (tooOld.length) {
      log.warn(
        { batches: tooOld.length, results: sum(tooOld), maxAgeDays: maxAgeMs / 86_400_000 },
        'dropped results older than the buffer keeps; the hub was unreachable for too long',
      );
      await this.remove((e) => e.writtenAt < oldestKept);
    }
    const over: Entry[] = [];
    let bytes = this.totalBytes;
    // Keep the newest batch even if it alone is over the bound: it is what is happening now.
    for (const entry of this.entries.slice(0, -1)) {
      if (bytes <= maxBytes) break;
      over.push(entry);
      bytes -= entry.bytes;
    }
    if (over.length) {
      const last = over.at(-1)!.seq;
      log.warn(
        { batches: over.length, results: sum(over), maxMegabytes: maxBytes / 1024 / 1024 },
        'the result buffer is full; dropped the oldest results',
      );
      await this.remove((e) => e.seq <= last);
    }
  }

  private async remove(which: (e: Entry) => boolean): Promise<void> {
    const gone = this.entries.filter(which);
    if (!gone.length) return;
    this.entries = this.entries.filter((e) => !which(e));
    for (const entry of gone) {
      this.totalBytes -= entry.bytes;
      await rm(join(this.options.dir, entry.file), { force: true });
    }
  }
}

const sum = (entries: Entry[]) => entries.reduce((n, e) => n + e.count, 0);
