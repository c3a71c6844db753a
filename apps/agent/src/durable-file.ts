import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Write a file so that a crash or a power cut leaves either the old content or the new, never half of
 * it: a temp file (mode 0600), fsync, rename over the old one, then fsync the directory so that the
 * rename itself is on disk.
 */
export async function writeDurably(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.chmod(0o600); // a temp file left by a crash keeps its old mode otherwise
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  await syncDirectory(dirname(path));
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a directory for syncing; NTFS journals the rename itself.
  } finally {
    await handle?.close();
  }
}
