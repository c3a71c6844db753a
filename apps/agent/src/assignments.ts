import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SecretBox } from '@afterhours/checks';
import { AssignedCheck } from '@afterhours/shared';
import { z } from 'zod';
import { writeDurably } from './durable-file.js';
import type { Logger } from './log.js';

/**
 * The agent's copy of the checks the hub assigned it, so that after a restart it runs them at once,
 * before (and without) reaching the hub — power comes back to an office before its internet does.
 * The checks carry their passwords, so the whole set is encrypted with a key kept beside it in the
 * data directory (`secret.key`, mode 0600): a copy of `assignments.json` alone (a backup, a support
 * bundle) gives nothing away. Replaced, atomically, whenever the hub sends a new set.
 */

const Stored = z.object({ version: z.literal(1), savedAt: z.string(), checks: z.string() });

export class AssignmentStore {
  private last = '';
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly box: SecretBox,
    private readonly log: Logger,
  ) {}

  /** The data directory must exist (the identity is saved there first). */
  static open(dataDir: string, log: Logger): AssignmentStore {
    const box = SecretBox.load({ keyFile: join(dataDir, 'secret.key') });
    return new AssignmentStore(join(dataDir, 'assignments.json'), box, log);
  }

  /** The last set saved, or undefined (none yet, or unreadable: then the hub's next set replaces it). */
  async load(): Promise<{ checks: AssignedCheck[]; savedAt: string } | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const stored = Stored.parse(JSON.parse(text));
      const plain = this.box.decrypt(stored.checks);
      const checks = z.array(AssignedCheck).parse(JSON.parse(plain));
      this.last = plain;
      return { checks, savedAt: stored.savedAt };
    } catch (error) {
      this.log.warn(
        { err: error, file: this.file },
        'the saved checks cannot be read (damaged, or secret.key changed); running none until the hub sends them',
      );
      return undefined;
    }
  }

  /** Replace the saved set; an unchanged set is not written again. Saves happen one at a time, in order. */
  save(checks: AssignedCheck[], now: Date): Promise<void> {
    const plain = JSON.stringify(checks);
    this.writing = this.writing.then(async () => {
      if (plain === this.last) return;
      const sealed = { version: 1, savedAt: now.toISOString(), checks: this.box.encrypt(plain) };
      try {
        await writeDurably(this.file, `${JSON.stringify(sealed)}\n`);
        this.last = plain;
      } catch (error) {
        this.log.error(
          { err: error, file: this.file },
          'could not save the assigned checks; a restart would run the older set',
        );
      }
    });
    return this.writing;
  }

  /** Resolves when every save asked for so far is on disk (or failed, logged). */
  flush(): Promise<void> {
    return this.writing;
  }

  /** Delete the saved set (the hub refused this agent: its checks are no longer its own). */
  forget(): Promise<void> {
    this.writing = this.writing.then(async () => {
      this.last = '';
      await rm(this.file, { force: true });
    });
    return this.writing;
  }
}
