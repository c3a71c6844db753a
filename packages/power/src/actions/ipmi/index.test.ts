import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIpmiSim, type TestBmc } from '../../testing/ipmi-sim.js';
import { readPowerState, runAction } from '../registry.js';

// OpenIPMI's ipmi_sim as the BMC, driven by the real ipmitool over RMCP+ (lanplus).
let bmc: TestBmc;
beforeAll(async () => {
  bmc = await startIpmiSim();
});
afterAll(async () => {
  await bmc?.stop();
});

const spec = (extra: Record<string, unknown> = {}) => ({
  kind: 'ipmi' as const,
  settings: { host: '127.0.0.1', port: bmc.port, username: bmc.username, password: bmc.password, ...extra },
});

describe('IPMI power action against ipmi_sim', () => {
  it('reads the status, soft-powers off (ACPI) and powers on', async () => {
    expect(await readPowerState(spec(), 8000)).toBe('on');
    const off = await runAction(spec(), 'shutdown', 8000);
    expect(off).toMatchObject({ ok: true });
    expect(off.message).toMatch(/^ipmi admin@127\.0\.0\.1:\d+: chassis power soft — Chassis Power Control: Soft$/);
    expect(await readPowerState(spec(), 8000)).toBe('off');
    expect((await runAction(spec(), 'startup', 8000)).message).toMatch(
      /chassis power on — Chassis Power Control: Up\/On/,
    );
    expect(bmc.power()).toBe('on');
    expect(bmc.calls()).toEqual(expect.arrayContaining(['set shutdown 1', 'set power 1']));
  });

  it('fails with ipmitool’s reason on a wrong password, never showing it', async () => {
    const result = await runAction(spec({ password: 'not-the-password' }), 'shutdown', 8000);
    expect(result.ok).toBe(false);
    expect(result.message).not.toContain('not-the-password');
    expect(await readPowerState(spec({ password: 'not-the-password' }), 8000)).toBe('unknown');
  });
});
