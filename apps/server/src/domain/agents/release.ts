import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The agent builds this hub serves under /agent/: what `npm run build` left in apps/agent/release
 * (apps/agent/scripts/build-release.mjs writes the manifest). Read once at start.
 */
const Manifest = z.object({
  version: z.string(),
  node: z.string(),
  files: z.array(z.string()),
  notBuilt: z.record(z.string(), z.string()),
});

export interface AgentRelease {
  dir: string;
  version: string;
  node: string;
  /** Files served as they are, each listed in SHA256SUMS. */
  files: string[];
  /** Platforms without a build here, and why ("linux-arm64": "…"). */
  notBuilt: Record<string, string>;
}

/** The release in `dir`, or undefined when the agent was not built (the hub then says so under /agent/). */
export function loadAgentRelease(dir: string): AgentRelease | undefined {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  const manifest = Manifest.parse(JSON.parse(readFileSync(file, 'utf8')));
  return { dir, ...manifest };
}

/** Whether version `a` is older than `b` (dotted numbers; anything after a `-` or `+` is ignored). */
export function isOlderVersion(a: string, b: string): boolean {
  const parts = (v: string) =>
    v
      .split(/[-+]/)[0]!
      .split('.')
      .map((n) => Number.parseInt(n, 10) || 0);
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}

const LOCAL_HOSTS = /^(localhost|127(\.\d+){3}|0\.0\.0\.0|\[::1?\]|[^.]+\.localhost)$/i;

/**
 * What is wrong with the hub address given to an office, if anything: not configured (it is only the
 * address this browser used), or a name only this machine answers to.
 */
export function hubUrlWarning(hubUrl: string, configured: boolean): string | null {
  const host = new URL(hubUrl).hostname;
  if (LOCAL_HOSTS.test(host))
    return `The hub's address here is ${hubUrl}, which means "this machine": a PC at the office cannot reach it. Set AFTERHOURS_PUBLIC_URL to the address the offices use (e.g. https://desk.example.com) and restart the hub.`;
  if (!configured)
    return `AFTERHOURS_PUBLIC_URL is not set, so this uses the address your browser used (${hubUrl}). Check that the office can reach it, or set AFTERHOURS_PUBLIC_URL.`;
  return null;
}
