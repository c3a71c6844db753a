import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SecretBox } from '@afterhours/checks';
import type { PowerConfigMessage, PowerLogEntry } from '@afterhours/shared';
import { writeDurably } from '../durable-file.js';
import type { Logger } from '../log.js';

/**
 * What the agent keeps on disk for the power: the hub's last power config (UPS and BMC passwords,
 * SSH keys: encrypted with the data directory's secret.key, files 0600), the running plan's state, and
 * the execution log not yet acknowledged by the hub. A power cut at the office must not make the agent
 * forget a shutdown it is in the middle of, nor the record of it.
 */
export interface PowerDisk {
  config: PowerConfigMessage | null;
  run: unknown;
  log: { seq: number; entries: PowerLogEntry[] }[];
  nextSeq: number;
  /** SSH host keys pinned on first use, by "host:port" (like known_hosts); a key the hub sends wins. */
  pins: Record<string, string>;
}

const empty = (): PowerDisk => ({ config: null, run: null, log: [], nextSeq: 1, pins: {} });

export class PowerStore {
  private writing: Promise<void> = Promise.resolve();
  private constructor(
    private readonly file: string,
    private readonly box: SecretBox,
    private readonly log: Logger,
    public data: PowerDisk,
  ) {}

  static async open(dataDir: string, log: Logger): Promise<PowerStore> {
    const box = SecretBox.load({ keyFile: join(dataDir, 'secret.key') });
    const file = join(dataDir, 'power.json');
    let data = empty();
    try {
      const sealed = JSON.parse(await readFile(file, 'utf8')) as { version: number; data: string };
      data = { ...empty(), ...(JSON.parse(box.decrypt(sealed.data)) as PowerDisk) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        log.warn({ err: error, file }, 'the saved power config cannot be read; waiting for the hub to send it');
    }
    return new PowerStore(file, box, log, data);
  }

  /** Changes the data and writes it (one write at a time, in order). */
  update(change: (data: PowerDisk) => void): Promise<void> {
    change(this.data);
    const plain = JSON.stringify(this.data);
    this.writing = this.writing.then(async () => {
      try {
        await writeDurably(this.file, `${JSON.stringify({ version: 1, data: this.box.encrypt(plain) })}\n`);
      } catch (error) {
        this.log.error({ err: error, file: this.file }, 'could not save the power state to disk');
      }
    });
    return this.writing;
  }

  flush(): Promise<void> {
    return this.writing;
  }
}
