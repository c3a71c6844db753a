import { addMs } from '../../lib/clock.js';
import { hashToken, newToken } from '../../lib/secrets.js';
import { hubUrlWarning } from './release.js';

/** Enrolment codes and agent tokens: random, shown once, stored only as their SHA-256. */
export const ENROL_CODE_PREFIX = 'ahe_';
export const AGENT_TOKEN_PREFIX = 'aha_';
export const ENROL_CODE_TTL_MS = 24 * 3600_000;

export interface NewCode {
  code: string;
  hash: string;
  expiresAt: string;
}

export function newEnrolCode(now: string): NewCode {
  const code = newToken(ENROL_CODE_PREFIX);
  return { code, hash: hashToken(code), expiresAt: addMs(now, ENROL_CODE_TTL_MS) };
}

export function newAgentToken(): { token: string; hash: string } {
  const token = newToken(AGENT_TOKEN_PREFIX);
  return { token, hash: hashToken(token) };
}

/** The commands that install and enrol an agent at the site, for the hub at `hub.url`, and what may be wrong with it. */
export function enrolCommands(hub: { url: string; configured: boolean }, code: string) {
  return {
    command: `curl -fsSL ${hub.url}/agent/install.sh | sudo sh -s -- --enrol ${code}`,
    nodeCommand: `node afterhours-agent.cjs --hub ${hub.url} --enrol ${code}`,
    hubUrl: hub.url,
    hubUrlWarning: hubUrlWarning(hub.url, hub.configured),
  };
}
