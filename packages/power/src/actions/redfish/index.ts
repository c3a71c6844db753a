import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import { defineAction, type BmcPowerState } from '../types.js';

export const redfishSettings = z.strictObject({
  /** The BMC's base address: https://10.0.0.20 */
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) address such as https://10.0.0.20' }),
  username: z.string().min(1, { error: 'is required' }),
  password: z.string().default(''),
  /** Which ComputerSystem; empty: the first one the BMC lists. */
  systemId: z.string().default(''),
  /** GracefulShutdown asks the OS; ForceOff cuts power. Used only when the BMC allows it. */
  shutdown: z.enum(['GracefulShutdown', 'ForceOff']).default('GracefulShutdown'),
  /** Trust a BMC's self-signed certificate (most have one). */
  insecureTls: z.boolean().default(false),
});
export type RedfishSettings = z.output<typeof redfishSettings>;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function request(
  s: RedfishSettings,
  method: 'GET' | 'POST',
  path: string,
  timeoutMs: number,
  body?: unknown,
): Promise<Answer> {
  const url = new URL(path, s.url);
  const lib = url.protocol === 'https:' ? https : http;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method,
        timeout: timeoutMs,
        auth: `${s.username}:${s.password}`,
        rejectUnauthorized: !s.insecureTls,
        headers: {
          accept: 'application/json',
          'odata-version': '4.0',
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
          if (text.length > 1_000_000) req.destroy(new Error('answer too large'));
        });
        res.on('end', () => {
          let parsed: Record<string, unknown> = {};
          try {
            parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          } catch {
            // a 204 or an HTML error page: keep the status
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

function check(answer: Answer, what: string): Record<string, unknown> {
  if (answer.status === 401 || answer.status === 403) throw new Error(`${what}: login refused (HTTP ${answer.status})`);
  if (answer.status >= 400) {
    const message = (answer.body.error as { message?: string } | undefined)?.message;
    throw new Error(`${what}: HTTP ${answer.status}${message ? ` ${message}` : ''}`);
  }
  return answer.body;
}

/** The ComputerSystem resource: the named one, or the first member of /redfish/v1/Systems. */
async function system(s: RedfishSettings, timeoutMs: number): Promise<Record<string, unknown>> {
  let path = s.systemId ? `/redfish/v1/Systems/${encodeURIComponent(s.systemId)}` : '';
  if (!path) {
    const list = check(await request(s, 'GET', '/redfish/v1/Systems', timeoutMs), 'list systems');
    const first = (list.Members as { '@odata.id': string }[] | undefined)?.[0]?.['@odata.id'];
    if (!first) throw new Error('the BMC lists no systems');
    path = first;
  }
  return check(await request(s, 'GET', path, timeoutMs), `read ${path}`);
}

/** Picks the reset type: the wanted one when allowed, else the nearest allowed one. */
export function resetType(allowed: string[] | undefined, wanted: string[]): string | null {
  if (!allowed || allowed.length === 0) return wanted[0] ?? null;
  return wanted.find((w) => allowed.includes(w)) ?? null;
}

const at = (s: RedfishSettings) => `redfish ${s.username}@${new URL(s.url).host}`;

export const redfish = defineAction({
  kind: 'redfish',
  label: 'Redfish (BMC)',
  settings: redfishSettings,
  secrets: ['password'],
  directions: ['shutdown', 'startup'],
  describe: (s, direction) => `${at(s)}: ComputerSystem.Reset ${direction === 'shutdown' ? s.shutdown : 'On'}`,
  async run(s, direction, { timeoutMs }) {
    try {
      const sys = await system(s, timeoutMs);
      const action = (
        sys.Actions as Record<string, { target?: string; 'ResetType@Redfish.AllowableValues'?: string[] }>
      )?.['#ComputerSystem.Reset'];
      if (!action?.target) return { ok: false, message: `${at(s)}: the system offers no ComputerSystem.Reset` };
      const wanted =
        direction === 'startup'
          ? ['On', 'PowerCycle']
          : s.shutdown === 'ForceOff'
            ? ['ForceOff', 'GracefulShutdown']
            : ['GracefulShutdown', 'ForceOff'];
      const type = resetType(action['ResetType@Redfish.AllowableValues'], wanted);
      if (!type) return { ok: false, message: `${at(s)}: the BMC allows none of ${wanted.join(', ')}` };
      check(await request(s, 'POST', action.target, timeoutMs, { ResetType: type }), `Reset ${type}`);
      return {
        ok: true,
        message: `${at(s)}: ComputerSystem.Reset ${type} accepted (was ${String(sys.PowerState ?? 'unknown')})`,
      };
    } catch (err) {
      return { ok: false, message: `${at(s)}: ${(err as Error).message}` };
    }
  },
  async powerState(s, { timeoutMs }): Promise<BmcPowerState> {
    const sys = await system(s, timeoutMs).catch(() => null);
    const state = String(sys?.PowerState ?? '');
    return state === 'On' || state === 'PoweringOn' ? 'on' : state === 'Off' ? 'off' : 'unknown';
  },
});
