/**
 * Byte ↔ string mapping used for every key and value in cedis.
 *
 * Redis keys and values are arbitrary bytes. cedis keeps them as JavaScript strings whose
 * char codes are the bytes themselves (0..255, "binary strings"): V8 stores such strings in
 * one byte per char, they hash natively as `Map` keys, and the mapping is bijective. (The web
 * `TextDecoder("latin1")` is really windows-1252 and is not; Node's `latin1Slice` is.)
 *
 * @module
 */
import { Buffer } from "node:buffer";

/** Decodes `bytes[start, end)` to a binary string (one char per byte). */
export function bytesToBinary(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  if (n <= 8) {
    // Tiny strings: a loop beats the native call's fixed cost.
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  return (asBuffer(bytes) as unknown as Latin1Buffer).latin1Slice(start, end);
}

/** Node's Buffer has `latin1Slice` at runtime; its type declarations omit it. */
interface Latin1Buffer {
  latin1Slice(start: number, end: number): string;
}

const bufferCache = new WeakMap<ArrayBufferLike, Buffer>();

/** The last full-view Buffer handed out: the parser decodes from one buffer for a long time. */
let lastBuffer: Buffer | null = null;

function asBuffer(bytes: Uint8Array): Buffer {
  if (bytes instanceof Buffer) return bytes;
  // latin1Slice works on offsets relative to the Buffer view, so only cache full views.
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    if (lastBuffer !== null && lastBuffer.buffer === bytes.buffer) return lastBuffer;
    let b = bufferCache.get(bytes.buffer);
    if (b === undefined) {
      b = Buffer.from(bytes.buffer, 0, bytes.byteLength);
      bufferCache.set(bytes.buffer, b);
    }
    lastBuffer = b;
    return b;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const encoder = new TextEncoder();

/**
 * Writes binary string `s` into `out` at `offset`; `out` must have room for `s.length` bytes.
 * Every char of `s` must be <= 0xff.
 */
export function writeBinary(s: string, out: Uint8Array, offset: number): void {
  const n = s.length;
  if (n > 64) {
    // Native path for ASCII: UTF-8 of ASCII is the bytes themselves. A char >= 0x80 makes
    // UTF-8 longer than the string, which `written !== read` reveals; then fall back.
    const r = encoder.encodeInto(s, out.subarray(offset, offset + n));
    if (r.read === n && r.written === n) return;
  }
  for (let i = 0; i < n; i++) out[offset + i] = s.charCodeAt(i);
}

/** The bytes of binary string `s`. */
export function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  writeBinary(s, out, 0);
  return out;
}

/** Encodes a Unicode string as UTF-8 and returns it as a binary string. */
export function utf8ToBinary(s: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return bytesToBinary(encoder.encode(s));
}

const decoder = new TextDecoder();

/** Decodes a binary string holding UTF-8 into a Unicode string (for logs and messages). */
export function binaryToUtf8(s: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return decoder.decode(binaryToBytes(s));
}
