/**
 * CRC-64/Jones as Redis uses it for RDB files and DUMP payloads: reflected polynomial
 * 0xad93d23594c935a9, initial value 0, no final xor. The check value of "123456789" is
 * 0xe9c6d914c4b8d9ca. Redis stores the result little-endian.
 *
 * The 64-bit register is kept as two unsigned 32-bit halves so the hot loop stays in Smi/int32
 * arithmetic instead of BigInt.
 *
 * @module
 */

/** The reflected (bit-reversed) form of the Jones polynomial. */
const POLY_LO = 0xac4bc9b5;
const POLY_HI = 0x95ac9329;

const TABLE_LO = new Uint32Array(256);
const TABLE_HI = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let lo = i;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (carry) {
      lo = (lo ^ POLY_LO) >>> 0;
      hi = (hi ^ POLY_HI) >>> 0;
    }
  }
  TABLE_LO[i] = lo;
  TABLE_HI[i] = hi;
}

/** A running CRC-64 value, updated chunk by chunk. */
export class Crc64 {
  #lo = 0;
  #hi = 0;

  /** Feeds `bytes[start..end)` into the checksum. */
  update(bytes: Uint8Array, start = 0, end = bytes.length): this {
    let lo = this.#lo;
    let hi = this.#hi;
    for (let i = start; i < end; i++) {
      const idx = (lo ^ bytes[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]!;
      hi = (hi >>> 8) ^ TABLE_HI[idx]!;
    }
    this.#lo = lo >>> 0;
    this.#hi = hi >>> 0;
    return this;
  }

  /** The checksum as 8 little-endian bytes (Redis's on-disk order). */
  bytes(): Uint8Array {
    const out = new Uint8Array(8);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, this.#lo, true);
    dv.setUint32(4, this.#hi, true);
    return out;
  }

  /** The checksum as a bigint. */
  value(): bigint {
    return (BigInt(this.#hi) << 32n) | BigInt(this.#lo);
  }
}

/** CRC-64 of `bytes[start..end)` as a bigint. */
export function crc64(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  return new Crc64().update(bytes, start, end).value();
}

/** CRC-64 of `bytes[start..end)` as 8 little-endian bytes. */
export function crc64Bytes(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  return new Crc64().update(bytes, start, end).bytes();
}
