/**
 * Stream entry IDs.
 *
 * An ID is two unsigned 64-bit numbers, `ms-seq`. cedis keeps it as a 16-char binary string
 * (one char per byte): `ms` then `seq`, both big-endian. That is exactly the key Redis uses in
 * its radix tree (and writes in RDB files), it compares correctly with `<`/`===` (byte order is
 * numeric order), it is a compact one-byte-per-char V8 string, and it needs no bigint on the hot
 * paths. {@link formatId} and {@link parseId} convert to and from the `ms-seq` text.
 *
 * @example
 * ```ts
 * import { formatId, idFromParts, incrId } from "./stream_id.ts";
 * const id = idFromParts(1526919030474n, 55n);
 * if (formatId(incrId(id)!) !== "1526919030474-56") throw new Error("unexpected");
 * ```
 *
 * @module
 */
import { parseInteger } from "../resp/numbers.ts";

/** A stream ID: 16 binary chars, `ms` and `seq` big-endian. */
export type StreamId = string;

/** Largest unsigned 64-bit value. */
export const U64_MAX = 18446744073709551615n;

/** The smallest ID, `0-0`. */
export const MIN_ID: StreamId = "\x00".repeat(16);
/** The largest ID, `18446744073709551615-18446744073709551615`. */
export const MAX_ID: StreamId = "\xff".repeat(16);

const TWO32 = 4294967296;

function word(n: number): string {
  return String.fromCharCode(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

function u64ToChars(v: number | bigint): string {
  if (typeof v === "number") {
    const hi = Math.floor(v / TWO32);
    return word(hi) + word(v - hi * TWO32);
  }
  return word(Number(v >> 32n)) + word(Number(v & 0xffffffffn));
}

/** The ID `ms-seq` (each 0..2^64-1; plain numbers must be safe integers). */
export function idFromParts(ms: number | bigint, seq: number | bigint): StreamId {
  return u64ToChars(ms) + u64ToChars(seq);
}

function readWord(id: string, at: number): number {
  return ((id.charCodeAt(at) << 24) | (id.charCodeAt(at + 1) << 16) |
    (id.charCodeAt(at + 2) << 8) | id.charCodeAt(at + 3)) >>> 0;
}

/** The 64-bit part at char offset `at` (0: ms, 8: seq) as a number when exact, else bigint. */
function part(id: StreamId, at: number): number | bigint {
  const hi = readWord(id, at);
  const lo = readWord(id, at + 4);
  // Below 2^53 the double is exact.
  if (hi < 0x200000) return hi * TWO32 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The `ms` part: a number when below 2^53 (exact), else a bigint. */
export function msPart(id: StreamId): number | bigint {
  return part(id, 0);
}

/** The `seq` part: a number when below 2^53 (exact), else a bigint. */
export function seqPart(id: StreamId): number | bigint {
  return part(id, 8);
}

/** The `ms` part. */
export function idMs(id: StreamId): bigint {
  return BigInt(part(id, 0));
}

/** The `seq` part. */
export function idSeq(id: StreamId): bigint {
  return BigInt(part(id, 8));
}

/** The `ms` part as a number (exact below 2^53; larger values lose precision). */
export function idMsNumber(id: StreamId): number {
  return Number(part(id, 0));
}

/** `ms-seq` text of an ID. */
export function formatId(id: StreamId): string {
  return `${part(id, 0)}-${part(id, 8)}`;
}

/** `ms.seq` text of an ID (DEBUG DIGEST's element form). */
export function formatIdDotted(id: StreamId): string {
  return `${part(id, 0)}.${part(id, 8)}`;
}

/** The ID just above `id`, or null when `id` is the largest. */
export function incrId(id: StreamId): StreamId | null {
  if (id === MAX_ID) return null;
  let i = 15;
  while (id.charCodeAt(i) === 255) i--;
  return id.slice(0, i) + String.fromCharCode(id.charCodeAt(i) + 1) + "\x00".repeat(15 - i);
}

/** The ID just below `id`, or null when `id` is `0-0`. */
export function decrId(id: StreamId): StreamId | null {
  if (id === MIN_ID) return null;
  let i = 15;
  while (id.charCodeAt(i) === 0) i--;
  return id.slice(0, i) + String.fromCharCode(id.charCodeAt(i) - 1) + "\xff".repeat(15 - i);
}

/** Whether `s` is a well-formed 16-char ID (for persistence input checks). */
export function isStreamId(s: string): boolean {
  // deno-lint-ignore no-control-regex
  return s.length === 16 && /^[\x00-\xff]*$/.test(s);
}

/**
 * Parses an unsigned 64-bit decimal the way Redis's `string2ull` does: a canonical integer
 * first; failing that C's `strtoull`, which also takes leading white space, a `+` or `-` sign
 * (a negated value wraps modulo 2^64) and leading zeros, but rejects overflow.
 */
export function parseU64(s: string): bigint | null {
  const ll = parseInteger(s);
  if (ll !== null) return ll < 0 ? null : BigInt(ll);
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/.exec(s);
  if (m === null) return null;
  const v = BigInt(m[2]!);
  if (v > U64_MAX) return null;
  return m[1] === "-" && v !== 0n ? U64_MAX + 1n - v : v;
}

/** Result of {@link parseId}. */
export interface ParsedId {
  /** The ID. */
  id: StreamId;
  /** False for the `<ms>-*` form (XADD picks the sequence). */
  seqGiven: boolean;
}

/**
 * Parses a stream ID argument with Redis's rules (`streamGenericParseIDOrReply`): `-` and `+`
 * (unless `strict`), `<ms>` (sequence `missingSeq`), `<ms>-<seq>`, and `<ms>-*` when
 * `allowAutoSeq`. Like the C code it reads the argument as a C string (up to a NUL byte) and
 * rejects arguments longer than 127 bytes. Returns null when invalid.
 */
export function parseId(
  arg: string,
  missingSeq: bigint,
  strict: boolean,
  allowAutoSeq = false,
): ParsedId | null {
  if (arg.length > 127) return null;
  const nul = arg.indexOf("\x00");
  const s = nul < 0 ? arg : arg.slice(0, nul);
  if (s === "-" || s === "+") {
    if (strict) return null;
    return { id: s === "-" ? MIN_ID : MAX_ID, seqGiven: true };
  }
  const dash = s.indexOf("-");
  const ms = parseU64(dash < 0 ? s : s.slice(0, dash));
  if (ms === null) return null;
  if (dash < 0) return { id: idFromParts(ms, missingSeq), seqGiven: true };
  const rest = s.slice(dash + 1);
  if (allowAutoSeq && rest === "*") return { id: idFromParts(ms, 0), seqGiven: false };
  const seq = parseU64(rest);
  if (seq === null) return null;
  return { id: idFromParts(ms, seq), seqGiven: true };
}
