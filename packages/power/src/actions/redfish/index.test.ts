import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedfish, type TestRedfish } from '../../testing/redfish.js';
import { readPowerState, runAction } from '../registry.js';
import { resetType } from './index.js';

let bmc: TestRedfish;
beforeAll(async () => {
  bmc = await startRedfish();
});
afterAll(async () => {
  await bmc?.close();
});

const spec = (extra: Record<string, unknown> = {}) => ({
  kind: 'redfish' as const,
  settings: { url: bmc.url, username: 'admin', password: 'bmc-secret', ...extra },
});

async function until(wanted: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const state = await readPowerState(spec(), 2000);
    if (state === wanted) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
  return readPowerState(spec(), 2000);
}

describe('Redfish power action against a DMTF-shaped service', () => {
  it('shuts down gracefully, reads PowerState back, and powers on', async () => {
    expect(await readPowerState(spec(), 2000)).toBe('on');
    const off = await runAction(spec(), 'shutdown', 2000);
    expect(off).toMatchObject({ ok: true });
    expect(off.message).toMatch(/ComputerSystem\.Reset GracefulShutdown accepted \(was On\)$/);
    expect(await until('off')).toBe('off');
    expect((await runAction(spec(), 'startup', 2000)).message).toMatch(/Reset On accepted \(was Off\)/);
    expect(await until('on')).toBe('on');
    expect(bmc.resets.map((r) => r.type)).toEqual(['GracefulShutdown', 'On']);
  });

  it('uses the named system and ForceOff when asked', async () => {
    const result = await runAction(spec({ systemId: '437XR1138R2', shutdown: 'ForceOff' }), 'shutdown', 2000);
    expect(result.ok).toBe(true);
    expect(bmc.resets.at(-1)?.type).toBe('ForceOff');
  });

  it('says when the login is refused or the system does not exist', async () => {
    expect((await runAction(spec({ password: 'wrong' }), 'shutdown', 2000)).message).toMatch(
      /login refused \(HTTP 401\)/,
    );
    expect((await runAction(spec({ systemId: 'nope' }), 'shutdown', 2000)).message).toMatch(/HTTP 404 .*not found/);
    expect(await readPowerState(spec({ password: 'wrong' }), 2000)).toBe('unknown');
  });

  it('picks an allowed reset type', () => {
    expect(resetType(['On', 'ForceOff'], ['GracefulShutdown', 'ForceOff'])).toBe('ForceOff');
    expect(resetType(['On'], ['GracefulShutdown', 'ForceOff'])).toBeNull();
    expect(resetType(undefined, ['On'])).toBe('On');
  });
});
