import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeDurably } from './durable-file.js';

/** What enrolment leaves in the data directory: which hub, who this agent is, and its token. */
export const Identity = z.object({
  hub: z.url(),
  agentId: z.string().min(1),
  siteId: z.string().min(1),
  token: z.string().min(1),
});
export type Identity = z.infer<typeof Identity>;

export const identityFile = (dataDir: string) => join(dataDir, 'agent.json');

export async function loadIdentity(dataDir: string): Promise<Identity | undefined> {
  let text: string;
  try {
    text = await readFile(identityFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = Identity.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(
      `${identityFile(dataDir)} is damaged (${parsed.error.issues[0]?.message}); enrol again with --enrol`,
    );
  return parsed.data;
}

/** Saved readable by its owner only (mode 0600): the token is the agent's password. */
export async function saveIdentity(dataDir: string, identity: Identity): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = identityFile(dataDir);
  await writeDurably(path, `${JSON.stringify(identity, null, 2)}\n`);
}
