import { hostname } from 'node:os';
import { EnrolResponse } from '@afterhours/shared';
import type { Identity } from './identity.js';
import { AGENT_VERSION } from './version.js';

export class EnrolError extends Error {}

/** Exchange a one-time enrolment code for this agent's own token. */
export async function enrol(hub: string, code: string, timeoutMs = 15_000): Promise<Identity> {
  const base = hub.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/api/agent/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, hostname: hostname().slice(0, 255), version: AGENT_VERSION }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new EnrolError(`could not reach the hub at ${base}: ${(error as Error).cause ?? (error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) {
    let message = text.slice(0, 300);
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      /* not JSON: a proxy's page */
    }
    throw new EnrolError(`the hub refused the enrolment (${response.status}): ${message}`);
  }
  const parsed = EnrolResponse.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new EnrolError(
      'the hub answered the enrolment with something this agent does not understand; is --hub the Afterhours hub?',
    );
  return { hub: base, ...parsed.data };
}
