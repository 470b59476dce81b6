/**
 * Strings as bit arrays: the pure algorithms behind SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP and
 * BITFIELD.
 *
 * Bit `n` of a string is bit `7 - (n & 7)` of byte `n >> 3`: bit 0 is the most significant
 * bit of the first byte, as in Redis. Readers take the bytes either as a binary string (one
 * char per byte, what SET stores) or as a `Uint8Array` view of a raw string, so nothing is
 * copied to read; writers work on a `Uint8Array` the caller has grown to fit.
 *
 * @module
 */

/** Bytes to read bits from: a binary string or a byte view. */
export type BitSource = string | Uint8Array;

/** Number of set bits of every byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/** Byte `i` of `src`, or 0 past its end. */
export function byteAt(src: BitSource, i: number): number {
  if (i >= src.length) return 0;
  return typeof src === "string" ? src.charCodeAt(i) : src[i]!;
}

/** The bit at `offset` (0 or 1); bits past the end are 0. */
export function getBit(src: BitSource, offset: number): number {
  return (byteAt(src, Math.floor(offset / 8)) >> (7 - (offset % 8))) & 1;
}

/**
 * Sets the bit at `offset` of `bytes` (which must hold byte `offset >> 3`) to `on`; returns
 * the previous bit.
 */
export function setBit(bytes: Uint8Array, offset: number, on: number): number {
  const byte = Math.floor(offset / 8);
  const mask = 1 << (7 - (offset % 8));
  const old = bytes[byte]!;
  bytes[byte] = on ? old | mask : old & ~mask;
  return old & mask ? 1 : 0;
}

/** Number of set bits in bytes `[start, end)`. */
export function popcount(src: BitSource, start: number, end: number): number {
  let n = 0;
  if (typeof src === "string") {
    for (let i = start; i < end; i++) n += POPCOUNT[src.charCodeAt(i)]!;
    return n;
  }
  let i = start;
  if (end - start >= 64) {
    // Long runs: count 32-bit words with the SWAR popcount (byte order does not matter).
    while ((src.byteOffset + i) % 4 !== 0) n += POPCOUNT[src[i++]!]!;
    const words = Math.floor((end - i) / 4);
    const w = new Uint32Array(src.buffer, src.byteOffset + i, words);
    for (let k = 0; k < words; k++) {
      let x = w[k]!;
      x = x - ((x >>> 1) & 0x55555555);
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      n += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    i += words * 4;
  }
  for (; i < end; i++) n += POPCOUNT[src[i]!]!;
  return n;
}

/**
 * Normalises a BITCOUNT/BITPOS range the way Redis does: negative indexes count from the end
 * of `total` units, then both ends are clamped to `[0, total - 1]`. Returns `[start, end]`;
 * the range is empty when `start > end`.
 */
export function clampRange(start: number, end: number, total: number): [number, number] {
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  return [start, end];
}

/** Number of set bits between bit positions `startBit` and `endBit` (inclusive). */
export function countBits(src: BitSource, startBit: number, endBit: number): number {
  if (startBit > endBit) return 0;
  const first = Math.floor(startBit / 8);
  const last = Math.floor(endBit / 8);
  let n = popcount(src, first, last + 1);
  // Take back the bits of the edge bytes that lie outside the range.
  const head = startBit % 8;
  if (head !== 0) n -= POPCOUNT[byteAt(src, first) & (0xff << (8 - head) & 0xff)]!;
  const tail = 7 - (endBit % 8);
  if (tail !== 0) n -= POPCOUNT[byteAt(src, last) & ((1 << tail) - 1)]!;
  return n;
}

/**
 * Position of the first bit equal to `bit` between bit positions `startBit` and `endBit`
 * (inclusive, both within the string), or -1 when there is none.
 */
export function findBit(src: BitSource, bit: number, startBit: number, endBit: number): number {
  if (startBit > endBit) return -1;
  // A byte with no bit of the wanted value is skipped whole.
  const skip = bit ? 0 : 0xff;
  let pos = startBit;
  while (pos <= endBit) {
    if (pos % 8 === 0 && pos + 7 <= endBit) {
      const b = byteAt(src, pos / 8);
      if (b === skip) {
        pos += 8;
        continue;
      }
      for (let k = 0; k < 8; k++) {
        if (((b >> (7 - k)) & 1) === bit) return pos + k;
      }
    }
    if (getBit(src, pos) === bit) return pos;
    pos++;
  }
  return -1;
}

/** Bitwise operations of BITOP. */
export type BitOp = "and" | "or" | "xor" | "not";

/**
 * BITOP over `sources` (missing keys as `null`, i.e. empty strings); shorter inputs are
 * zero-padded to the longest. Returns the result bytes (empty when every input is empty).
 */
export function bitop(op: BitOp, sources: (BitSource | null)[]): Uint8Array {
  let maxlen = 0;
  for (const s of sources) if (s !== null && s.length > maxlen) maxlen = s.length;
  const out = new Uint8Array(maxlen);
  if (maxlen === 0) return out;
  const first = sources[0] ?? "";
  if (op === "not") {
    for (let i = 0; i < maxlen; i++) out[i] = ~byteAt(first, i) & 0xff;
    return out;
  }
  if (typeof first === "string") {
    for (let i = 0; i < first.length; i++) out[i] = first.charCodeAt(i);
  } else out.set(first);
  for (let j = 1; j < sources.length; j++) {
    const s = sources[j] ?? "";
    const n = s.length;
    if (op === "and") {
      for (let i = 0; i < maxlen; i++) out[i] = out[i]! & (i < n ? byteAt(s, i) : 0);
    } else if (op === "or") {
      for (let i = 0; i < n; i++) out[i] = out[i]! | byteAt(s, i);
    } else {
      for (let i = 0; i < n; i++) out[i] = out[i]! ^ byteAt(s, i);
    }
  }
  return out;
}

// --- BITFIELD integers ------------------------------------------------------------------

/** A BITFIELD integer type: `i1`..`i64` or `u1`..`u63`. */
export interface FieldType {
  /** Signed (`i`) or unsigned (`u`). */
  signed: boolean;
  /** Width in bits. */
  bits: number;
}

/**
 * Parses a BITFIELD type (`i8`, `u16`...): lower-case `i` with 1..64 bits or `u` with 1..63
 * bits, the width a strict decimal. Returns null when invalid.
 */
export function parseFieldType(s: string): FieldType | null {
  const c = s.charCodeAt(0);
  if (c !== 105 /* i */ && c !== 117 /* u */) return null;
  const digits = s.slice(1);
  if (!/^[1-9][0-9]{0,2}$/.test(digits)) return null;
  const bits = Number(digits);
  const signed = c === 105;
  if (bits > (signed ? 64 : 63)) return null;
  return { signed, bits };
}

/** Reads the `bits`-wide unsigned integer at bit `offset` (bits past the end read 0). */
export function getUnsignedField(src: BitSource, offset: number, bits: number): bigint {
  const firstByte = Math.floor(offset / 8);
  const lastBit = offset + bits - 1;
  const lastByte = Math.floor(lastBit / 8);
  let v = 0n;
  for (let i = firstByte; i <= lastByte; i++) v = (v << 8n) | BigInt(byteAt(src, i));
  v >>= BigInt(7 - (lastBit % 8));
  return BigInt.asUintN(bits, v);
}

/** Reads the `bits`-wide two's complement integer at bit `offset`. */
export function getSignedField(src: BitSource, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsignedField(src, offset, bits));
}

/**
 * Writes the low `bits` bits of `value` at bit `offset` of `bytes`, which must hold every
 * byte the field touches.
 */
export function setField(bytes: Uint8Array, offset: number, bits: number, value: bigint): void {
  const firstByte = Math.floor(offset / 8);
  const lastBit = offset + bits - 1;
  const lastByte = Math.floor(lastBit / 8);
  const shift = BigInt(7 - (lastBit % 8));
  const width = BigInt((lastByte - firstByte + 1) * 8);
  let span = 0n;
  for (let i = firstByte; i <= lastByte; i++) span = (span << 8n) | BigInt(bytes[i]!);
  const mask = ((1n << BigInt(bits)) - 1n) << shift;
  span = (span & ~mask & ((1n << width) - 1n)) | ((BigInt.asUintN(bits, value) << shift) & mask);
  for (let i = lastByte; i >= firstByte; i--) {
    bytes[i] = Number(span & 0xffn);
    span >>= 8n;
  }
}

/** BITFIELD OVERFLOW behaviours. */
export type Overflow = "wrap" | "sat" | "fail";

/**
 * Adds `incr` to `value` (a field value, or for SET the new value with `incr` 0) within
 * `type`'s range. Returns the value to store and whether it overflowed; with `fail` the caller
 * stores nothing on overflow.
 *
 * The checks are Redis's, in 64-bit arithmetic: the headroom `max - value` is computed with
 * wrap-around, so a SET of a value within `max` of INT64_MIN counts as overflowing upwards
 * and saturates to `max`, exactly as Redis does.
 */
export function fieldAdd(
  type: FieldType,
  value: bigint,
  incr: bigint,
  overflow: Overflow,
): { value: bigint; overflowed: boolean } {
  const b = BigInt(type.bits);
  let high: boolean;
  let low: boolean;
  let min: bigint;
  let max: bigint;
  let v = value;
  if (type.signed) {
    max = (1n << (b - 1n)) - 1n;
    min = -max - 1n;
    const maxIncr = BigInt.asIntN(64, max - v);
    const minIncr = BigInt.asIntN(64, min - v);
    const full = type.bits === 64;
    high = v > max || (!full && incr > maxIncr) || (v >= 0n && incr > 0n && incr > maxIncr);
    low = !high &&
      (v < min || (!full && incr < minIncr) || (v < 0n && incr < 0n && incr < minIncr));
  } else {
    // Unsigned SET takes the 64-bit pattern of a negative argument (Redis's uint64 cast).
    v = BigInt.asUintN(64, v);
    max = (1n << b) - 1n;
    min = 0n;
    const maxIncr = BigInt.asIntN(64, max - v);
    const minIncr = BigInt.asIntN(64, -v);
    high = v > max || (incr > 0n && incr > maxIncr);
    low = !high && incr < 0n && incr < minIncr;
  }
  if (!high && !low) return { value: v + incr, overflowed: false };
  if (overflow === "sat") return { value: high ? max : min, overflowed: true };
  const sum = v + incr;
  const wrapped = type.signed ? BigInt.asIntN(type.bits, sum) : BigInt.asUintN(type.bits, sum);
  return { value: wrapped, overflowed: true };
}
