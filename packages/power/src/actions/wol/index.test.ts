import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { runAction } from '../registry.js';
import { magicPacket } from './index.js';

describe('Wake-on-LAN', () => {
  it('sends 6 × FF and the MAC 16 times to the configured address and port', async () => {
    const listener = dgram.createSocket('udp4');
    const received = new Promise<Buffer>((resolve) => listener.once('message', resolve));
    await new Promise<void>((resolve) => listener.bind(0, '127.0.0.1', resolve));
    const port = listener.address().port;
    const result = await runAction(
      { kind: 'wol', settings: { mac: '00-1A-2b-3C-4d-5E', broadcast: '127.0.0.1', port } },
      'startup',
      2000,
    );
    expect(result).toEqual({
      ok: true,
      message: `Wake-on-LAN 00-1a-2b-3c-4d-5e to 127.0.0.1:${port}: magic packet sent`,
    });
    const bytes = await received;
    listener.close();
    expect(bytes.length).toBe(102);
    expect(bytes.subarray(0, 6).toString('hex')).toBe('ffffffffffff');
    for (let i = 0; i < 16; i++) expect(bytes.subarray(6 + i * 6, 12 + i * 6).toString('hex')).toBe('001a2b3c4d5e');
  });

  it('refuses a bad MAC and cannot shut down', async () => {
    expect(magicPacket('001122334455').length).toBe(102);
    expect((await runAction({ kind: 'wol', settings: { mac: '00:11:22' } }, 'startup', 1000)).message).toMatch(
      /settings not valid \(must be a MAC address/,
    );
    expect((await runAction({ kind: 'wol', settings: { mac: '001122334455' } }, 'shutdown', 1000)).ok).toBe(false);
  });
});
