import dgram from 'node:dgram';
import net from 'node:net';
import { z } from 'zod';
import { defineAction } from '../types.js';

const MAC = /^([0-9a-f]{2})([:-]?)([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i;

export const wolSettings = z.strictObject({
  mac: z.string().trim().regex(MAC, { error: 'must be a MAC address such as 00:11:22:33:44:55' }),
  broadcast: z.string().trim().default('255.255.255.255'),
  port: z.number().int().min(1).max(65_535).default(9),
});
export type WolSettings = z.output<typeof wolSettings>;

/** 6 × 0xFF then the MAC 16 times: 102 bytes. */
export function magicPacket(mac: string): Buffer {
  const bytes = Buffer.from(mac.replace(/[:-]/g, ''), 'hex');
  return Buffer.concat([Buffer.alloc(6, 0xff), ...Array.from({ length: 16 }, () => bytes)]);
}

export function sendMagicPacket(s: WolSettings, timeoutMs: number): Promise<void> {
  const socket = dgram.createSocket(net.isIPv6(s.broadcast) ? 'udp6' : 'udp4');
  const packet = magicPacket(s.mac);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`could not send within ${timeoutMs} ms`)), timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.bind(() => {
      socket.setBroadcast(true);
      socket.send(packet, s.port, s.broadcast, (err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      });
    });
  }).finally(() => socket.close());
}

export const wol = defineAction({
  kind: 'wol',
  label: 'Wake-on-LAN',
  settings: wolSettings,
  secrets: [],
  directions: ['startup'],
  describe: (s) => `Wake-on-LAN ${s.mac.toLowerCase()} to ${s.broadcast}:${s.port}`,
  async run(s, _direction, { timeoutMs }) {
    const what = `Wake-on-LAN ${s.mac.toLowerCase()} to ${s.broadcast}:${s.port}`;
    try {
      await sendMagicPacket(s, timeoutMs);
      return { ok: true, message: `${what}: magic packet sent` };
    } catch (err) {
      return { ok: false, message: `${what}: ${err instanceof Error ? err.message : String(err)}` };
    }
  },
});
