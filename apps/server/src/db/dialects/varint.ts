/** Unsigned LEB128 varints and zigzag, for the packed roll-up tiers (minute-packing.ts, day-packing.ts). */

export function writeVarint(out: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a packable figure: ${value}`);
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

export const zigzag = (n: number): number => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a packable figure: ${n}`);
  return n >= 0 ? n * 2 : -n * 2 - 1;
};
export const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

/** Reads `packed` from `at` on: byte() and varint() move on, and throw at its end (`what` is truncated). */
export function packedReader(packed: Uint8Array, at: number, what: string) {
  const byte = (): number => {
    const b = packed[at++];
    if (b === undefined) throw new RangeError(`truncated ${what}`);
    return b;
  };
  const varint = (): number => {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = byte();
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
  };
  return { byte, varint };
}
