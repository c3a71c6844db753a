import { execFile } from 'node:child_process';
import { z } from 'zod';
import { defineAction, type BmcPowerState } from '../types.js';

export const ipmiSettings = z.strictObject({
  host: z.string().trim().min(1, { error: 'is required' }),
  port: z.number().int().min(1).max(65_535).default(623),
  username: z.string().default(''),
  password: z.string().default(''),
  interface: z.enum(['lanplus', 'lan']).default('lanplus'),
  /** RMCP+ cipher suite; 3 (SHA1/AES-128) is the one every BMC offers, and naming it skips a slow lookup. */
  cipherSuite: z.number().int().min(0).max(17).default(3),
  /** soft: ACPI power button (the OS shuts down cleanly); off: cut power at once. */
  shutdown: z.enum(['soft', 'off']).default('soft'),
  /** ipmitool binary; settable for odd installs. */
  binary: z.string().default('ipmitool'),
});
export type IpmiSettings = z.output<typeof ipmiSettings>;

/** Runs ipmitool with the password in IPMI_PASSWORD (-E), never on the command line where ps shows it. */
export function ipmitool(s: IpmiSettings, args: string[], timeoutMs: number): Promise<string> {
  const base = [
    '-I',
    s.interface,
    ...(s.interface === 'lanplus' ? ['-C', String(s.cipherSuite)] : []),
    '-H',
    s.host,
    '-p',
    String(s.port),
    '-U',
    s.username,
    '-E',
    '-N',
    '1',
    '-R',
    '2',
  ];
  return new Promise((resolve, reject) => {
    execFile(
      s.binary,
      [...base, ...args],
      { timeout: timeoutMs, env: { ...process.env, IPMI_PASSWORD: s.password } },
      (err, stdout, stderr) => {
        if (err) {
          const why = (stderr || err.message).trim().split('\n').pop() ?? err.message;
          reject(new Error(err.killed ? `no answer within ${timeoutMs} ms` : why));
        } else resolve(stdout.trim());
      },
    );
  });
}

const at = (s: IpmiSettings) => `ipmi ${s.username ? `${s.username}@` : ''}${s.host}:${s.port}`;

export const ipmi = defineAction({
  kind: 'ipmi',
  label: 'IPMI (BMC)',
  settings: ipmiSettings,
  secrets: ['password'],
  directions: ['shutdown', 'startup'],
  describe: (s, direction) => `${at(s)}: chassis power ${direction === 'shutdown' ? s.shutdown : 'on'}`,
  async run(s, direction, { timeoutMs }) {
    const op = direction === 'shutdown' ? s.shutdown : 'on';
    try {
      const out = await ipmitool(s, ['chassis', 'power', op], timeoutMs);
      return { ok: true, message: `${at(s)}: chassis power ${op} — ${out || 'accepted'}` };
    } catch (err) {
      return { ok: false, message: `${at(s)}: chassis power ${op} failed: ${(err as Error).message}` };
    }
  },
  async powerState(s, { timeoutMs }): Promise<BmcPowerState> {
    const out = await ipmitool(s, ['chassis', 'power', 'status'], timeoutMs).catch(() => '');
    return /is on/i.test(out) ? 'on' : /is off/i.test(out) ? 'off' : 'unknown';
  },
});
