// Writes the app's PNG icons (a crescent moon on a night-blue tile) with nothing but node:zlib.
// Run once after changing the design: node apps/web/scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const out = new URL('../public/icons/', import.meta.url);
const BG = [15, 19, 32];
const MOON = [255, 196, 87];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Coverage (0..1) of the moon at a point in unit coordinates, the icon spanning 0..1. */
function moon(u, v, scale) {
  const c = 0.5;
  const r = 0.3 * scale;
  const inDisc = (u - c) ** 2 + (v - c) ** 2 <= r * r;
  const bite = (u - (c + 0.16 * scale)) ** 2 + (v - (c - 0.1 * scale)) ** 2 <= (r * 0.86) ** 2;
  const star = Math.abs(u - (c + 0.2 * scale)) + Math.abs(v - (c - 0.17 * scale)) <= 0.055 * scale;
  return (inDisc && !bite) || star;
}

function icon(size, { scale, rounded }) {
  const ss = 4;
  return png(size, (x, y) => {
    let hits = 0;
    let inside = 0;
    for (let i = 0; i < ss; i++)
      for (let j = 0; j < ss; j++) {
        const u = (x + (i + 0.5) / ss) / size;
        const v = (y + (j + 0.5) / ss) / size;
        const corner = 0.22;
        const du = Math.max(corner - u, 0, u - (1 - corner));
        const dv = Math.max(corner - v, 0, v - (1 - corner));
        if (!rounded || du * du + dv * dv <= corner * corner) inside++;
        if (moon(u, v, scale)) hits++;
      }
    const n = ss * ss;
    const m = hits / n;
    const mix = (k) => Math.round(BG[k] * (1 - m) + MOON[k] * m);
    return [mix(0), mix(1), mix(2), Math.round((255 * inside) / n)];
  });
}

writeFileSync(new URL('icon-192.png', out), icon(192, { scale: 1, rounded: true }));
writeFileSync(new URL('icon-512.png', out), icon(512, { scale: 1, rounded: true }));
// Maskable: full-bleed background, the moon inside the 80% safe zone.
writeFileSync(new URL('icon-maskable-512.png', out), icon(512, { scale: 0.78, rounded: false }));
// iOS rounds the corners itself and shows transparency as black, so the touch icon is full-bleed.
writeFileSync(new URL('apple-touch-icon.png', out), icon(180, { scale: 0.95, rounded: false }));
console.log('icons written to', out.pathname);
