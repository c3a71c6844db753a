import { addMs } from '../../lib/clock.js';
import { hashToken, newToken } from '../../lib/secrets.js';

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

/** The command an admin runs at the site, for the hub at `hubUrl` (as the admin's browser reached it). */
export function enrolCommand(hubUrl: string, code: string): string {
  return `npx afterhours-agent --hub ${hubUrl} --enrol ${code}`;
}
