/**
 * Growable byte output and bounds-checked byte input for the binary formats (RDB, listpack,
 * ziplist, intset). Strings are binary strings (one char per byte), as in the keyspace.
 *
 * @module
 */
import { bytesToBinary, writeBinary } from "../resp/bytes.ts";

/** Input that ended early or holds an impossible value. */
export class FormatError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FormatError";
  }
}

/** An append-only byte buffer that grows geometrically. */
export class ByteWriter {
  /** Backing storage; bytes past {@link length} are spare. */
  buf: Uint8Array;
  /** Bytes written. */
  length = 0;
  #dv: DataView;

  /** Creates a writer with `capacity` bytes reserved. */
  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.#dv = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.#dv = new DataView(next.buffer);
  }

  /** Appends one byte. */
  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  /** Appends a 16-bit little-endian integer. */
  u16le(v: number): void {
    this.reserve(2);
    this.#dv.setUint16(this.length, v, true);
    this.length += 2;
  }

  /** Appends a 32-bit little-endian integer (signed values are written two's complement). */
  u32le(v: number): void {
    this.reserve(4);
    this.#dv.setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }

  /** Appends a 32-bit big-endian integer. */
  u32be(v: number): void {
    this.reserve(4);
    this.#dv.setUint32(this.length, v >>> 0, false);
    this.length += 4;
  }

  /** Appends a 64-bit little-endian integer. */
  u64le(v: number | bigint): void {
    this.reserve(8);
    this.#dv.setBigUint64(this.length, BigInt.asUintN(64, BigInt(v)), true);
    this.length += 8;
  }

  /** Appends a 64-bit big-endian integer. */
  u64be(v: number | bigint): void {
    this.reserve(8);
    this.#dv.setBigUint64(this.length, BigInt.asUintN(64, BigInt(v)), false);
    this.length += 8;
  }

  /** Appends a little-endian IEEE double. */
  f64le(v: number): void {
    this.reserve(8);
    this.#dv.setFloat64(this.length, v, true);
    this.length += 8;
  }

  /** Appends bytes. */
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Appends a binary string. */
  binary(s: string): void {
    this.reserve(s.length);
    writeBinary(s, this.buf, this.length);
    this.length += s.length;
  }

  /** The bytes written so far (a view, valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** Takes the bytes written and resets the writer. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

/** Sequential reads over a byte array; reading past the end throws {@link FormatError}. */
export class ByteReader {
  /** Next position. */
  pos: number;
  readonly #dv: DataView;

  /** Reads `buf[start..end)`. */
  constructor(readonly buf: Uint8Array, start = 0, readonly end = buf.length) {
    this.pos = start;
    this.#dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Bytes left. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new FormatError("Unexpected end of data");
  }

  /** Reads one byte. */
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  /** Reads a 16-bit little-endian unsigned integer. */
  u16le(): number {
    this.need(2);
    const v = this.#dv.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  /** Reads a 32-bit little-endian unsigned integer. */
  u32le(): number {
    this.need(4);
    const v = this.#dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Reads a 32-bit big-endian unsigned integer. */
  u32be(): number {
    this.need(4);
    const v = this.#dv.getUint32(this.pos, false);
    this.pos += 4;
    return v;
  }

  /** Reads a 64-bit little-endian signed integer. */
  i64le(): bigint {
    this.need(8);
    const v = this.#dv.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads a 64-bit big-endian unsigned integer. */
  u64be(): bigint {
    this.need(8);
    const v = this.#dv.getBigUint64(this.pos, false);
    this.pos += 8;
    return v;
  }

  /** Reads a little-endian IEEE double. */
  f64le(): number {
    this.need(8);
    const v = this.#dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads `n` bytes as a view. */
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads `n` bytes as a binary string. */
  binary(n: number): string {
    this.need(n);
    const s = bytesToBinary(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}
