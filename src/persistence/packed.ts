/**
 * The compact containers Redis serializes as single RDB strings: listpack (Redis 7 lists,
 * small hashes and sorted sets), ziplist (the pre-7.0 equivalent, read only) and intset
 * (small integer sets). Elements are binary strings; integers are written in their compact
 * encodings exactly when Redis would (canonical 64-bit decimals), so the blobs read back
 * identically in Redis.
 *
 * @module
 */
import { isIntEncodable } from "../store/value.ts";
import { ByteReader, ByteWriter, FormatError } from "./byte_io.ts";

// --- listpack --------------------------------------------------------------------------

/** Bytes of a listpack entry's back-length field for an entry of `l` bytes. */
function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** Writes the back-length of an entry of `l` bytes (read right to left by Redis). */
function writeBacklen(w: ByteWriter, l: number): void {
  const n = backlenSize(l);
  // The first byte carries the highest 7-bit group without a continuation bit; the bytes
  // after it carry lower groups with the high bit set.
  for (let i = n - 1; i >= 0; i--) {
    const group = Math.floor(l / 2 ** (7 * i)) & 127;
    w.u8(i === n - 1 ? group : group | 128);
  }
}

/** Encodes one listpack element (encoding + data + back-length). */
function writeListpackEntry(w: ByteWriter, s: string): void {
  const start = w.length;
  if (isIntEncodable(s)) {
    const big = BigInt(s);
    if (big >= 0n && big <= 127n) w.u8(Number(big));
    else if (big >= -4096n && big <= 4095n) {
      const v = Number(big) & 0x1fff;
      w.u8(0xc0 | (v >> 8));
      w.u8(v & 0xff);
    } else if (big >= -32768n && big <= 32767n) {
      w.u8(0xf1);
      w.u16le(Number(big) & 0xffff);
    } else if (big >= -8388608n && big <= 8388607n) {
      const v = Number(big) & 0xffffff;
      w.u8(0xf2);
      w.u8(v & 0xff);
      w.u8((v >> 8) & 0xff);
      w.u8(v >> 16);
    } else if (big >= -2147483648n && big <= 2147483647n) {
      w.u8(0xf3);
      w.u32le(Number(big));
    } else {
      w.u8(0xf4);
      w.u64le(big);
    }
  } else {
    const n = s.length;
    if (n < 64) w.u8(0x80 | n);
    else if (n < 4096) {
      w.u8(0xe0 | (n >> 8));
      w.u8(n & 0xff);
    } else {
      w.u8(0xf0);
      w.u32le(n);
    }
    w.binary(s);
  }
  writeBacklen(w, w.length - start);
}

/** Serializes `items` as a listpack blob. */
export function encodeListpack(items: Iterable<string>): Uint8Array {
  const w = new ByteWriter(64);
  w.u32le(0);
  w.u16le(0);
  let count = 0;
  for (const s of items) {
    writeListpackEntry(w, s);
    count++;
  }
  w.u8(0xff);
  const out = w.take();
  const dv = new DataView(out.buffer);
  dv.setUint32(0, out.length, true);
  dv.setUint16(4, count < 65535 ? count : 65535, true);
  return out;
}

/** Sign-extends the low `bits` bits of `v`. */
function signed(v: number, bits: number): number {
  const top = 2 ** (bits - 1);
  return v >= top ? v - 2 * top : v;
}

/** Decodes a listpack blob into its elements (integers as decimal strings). */
export function decodeListpack(blob: Uint8Array): string[] {
  const r = new ByteReader(blob);
  const total = r.u32le();
  if (total !== blob.length) throw new FormatError("Listpack size mismatch");
  const declared = r.u16le();
  const out: string[] = [];
  for (;;) {
    const start = r.pos;
    const b = r.u8();
    if (b === 0xff) break;
    let s: string;
    if (b < 0x80) s = String(b);
    else if (b < 0xc0) s = r.binary(b & 0x3f);
    else if (b < 0xe0) s = String(signed(((b & 0x1f) << 8) | r.u8(), 13));
    else if (b < 0xf0) s = r.binary(((b & 0x0f) << 8) | r.u8());
    else if (b === 0xf0) s = r.binary(r.u32le());
    else if (b === 0xf1) s = String(signed(r.u16le(), 16));
    else if (b === 0xf2) {
      const v = r.u8() | (r.u8() << 8) | (r.u8() << 16);
      s = String(signed(v, 24));
    } else if (b === 0xf3) s = String(signed(r.u32le(), 32));
    else if (b === 0xf4) s = String(r.i64le());
    else throw new FormatError("Bad listpack entry encoding");
    r.bytes(backlenSize(r.pos - start));
    out.push(s);
  }
  if (r.pos !== blob.length) throw new FormatError("Listpack has data after its end");
  if (declared !== 65535 && declared !== out.length) {
    throw new FormatError("Listpack element count mismatch");
  }
  return out;
}

// --- ziplist (read only: Redis 7 converts them to listpacks on load) --------------------

/** Decodes a ziplist blob into its elements. */
export function decodeZiplist(blob: Uint8Array): string[] {
  const r = new ByteReader(blob);
  const total = r.u32le();
  if (total !== blob.length) throw new FormatError("Ziplist size mismatch");
  r.u32le(); // offset of the tail entry
  const declared = r.u16le();
  const out: string[] = [];
  for (;;) {
    const prev = r.u8();
    if (prev === 0xff) break;
    if (prev === 0xfe) r.u32le();
    const b = r.u8();
    const kind = b >> 6;
    let s: string;
    if (kind === 0) s = r.binary(b & 0x3f);
    else if (kind === 1) s = r.binary(((b & 0x3f) << 8) | r.u8());
    else if (kind === 2) s = r.binary(r.u32be());
    else if (b === 0xc0) s = String(signed(r.u16le(), 16));
    else if (b === 0xd0) s = String(signed(r.u32le(), 32));
    else if (b === 0xe0) s = String(r.i64le());
    else if (b === 0xf0) {
      const v = r.u8() | (r.u8() << 8) | (r.u8() << 16);
      s = String(signed(v, 24));
    } else if (b === 0xfe) s = String(signed(r.u8(), 8));
    else if (b >= 0xf1 && b <= 0xfd) s = String((b & 0x0f) - 1);
    else throw new FormatError("Bad ziplist entry encoding");
    out.push(s);
  }
  if (r.pos !== blob.length) throw new FormatError("Ziplist has data after its end");
  if (declared !== 65535 && declared !== out.length) {
    throw new FormatError("Ziplist element count mismatch");
  }
  return out;
}

/** Decodes a zipmap blob (pre-2.6 small hashes) into field/value pairs. */
export function decodeZipmap(blob: Uint8Array): [string, string][] {
  const r = new ByteReader(blob);
  r.u8(); // element count hint
  const len = (): number | null => {
    const b = r.u8();
    if (b === 0xff) return null;
    if (b < 254) return b;
    if (b === 254) {
      const v = r.u32le();
      return v;
    }
    throw new FormatError("Bad zipmap length");
  };
  const out: [string, string][] = [];
  for (;;) {
    const klen = len();
    if (klen === null) break;
    const field = r.binary(klen);
    const vlen = len();
    if (vlen === null) throw new FormatError("Zipmap truncated");
    const free = r.u8();
    const value = r.binary(vlen);
    r.bytes(free);
    out.push([field, value]);
  }
  return out;
}

// --- intset ----------------------------------------------------------------------------

/** Serializes integers (decimal strings) as an intset blob, sorted, in the narrowest width. */
export function encodeIntset(members: Iterable<string>): Uint8Array {
  const values = Array.from(members, (m) => BigInt(m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of values) {
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if ((v < -32768n || v > 32767n) && width < 4) width = 4;
  }
  const w = new ByteWriter(8 + values.length * width);
  w.u32le(width);
  w.u32le(values.length);
  for (const v of values) {
    if (width === 2) w.u16le(Number(v) & 0xffff);
    else if (width === 4) w.u32le(Number(v));
    else w.u64le(v);
  }
  return w.take();
}

/** Decodes an intset blob into decimal strings. */
export function decodeIntset(blob: Uint8Array): string[] {
  const r = new ByteReader(blob);
  const width = r.u32le();
  const n = r.u32le();
  if (width !== 2 && width !== 4 && width !== 8) throw new FormatError("Bad intset encoding");
  if (r.remaining !== n * width) throw new FormatError("Intset size mismatch");
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (width === 2) out[i] = String(signed(r.u16le(), 16));
    else if (width === 4) out[i] = String(signed(r.u32le(), 32));
    else out[i] = String(r.i64le());
  }
  return out;
}
