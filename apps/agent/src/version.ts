import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Set by the release build (scripts/build-release.mjs); absent when run from the compiled files. */
declare const AFTERHOURS_AGENT_VERSION: string | undefined;

/** The agent's version (reported to the hub in hello and at enrolment). */
export const AGENT_VERSION: string =
  typeof AFTERHOURS_AGENT_VERSION === 'string' ? AFTERHOURS_AGENT_VERSION : versionFromPackage();

function versionFromPackage(): string {
  try {
    const file = join(import.meta.dirname ?? '', '..', 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
