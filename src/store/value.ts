/**
 * What a key can hold.
 *
 * A Redis string is kept as a JS binary string (one char per byte): V8 stores it compactly and
 * it needs no wrapper object, which is what keeps a million small keys close to Redis's
 * memory use. Strings that are edited in place (APPEND, SETRANGE, SETBIT) become a
 * {@link RawString}: a growable byte buffer, like Redis's `raw` sds. Other types are objects
 * implementing {@link TypedValue}, each hiding its encodings behind its own API.
 *
 * @module
 */
import { bytesToBinary, writeBinary } from "../resp/bytes.ts";

/** Redis type names, as TYPE reports them. */
export type TypeName = "string" | "list" | "set" | "zset" | "hash" | "stream";

/** A non-primitive value. */
export interface TypedValue {
  /** The Redis type. */
  readonly type: TypeName;
  /** The Redis encoding name reported by OBJECT ENCODING. */
  encoding(): string;
  /** A deep copy (for COPY). */
  clone(): TypedValue;
  /** Number of elements (items, members, fields, entries): MEMORY USAGE scales samples by it. */
  count?(): number;
  /**
   * Visits the elements in Redis's iteration order, for DEBUG DIGEST(-VALUE), MEMORY USAGE
   * and DEBUG OBJECT: list items and set members as `(item)`, hash fields as
   * `(field, value)`, sorted-set members as `(member, score formatted with %.17g)`, stream
   * entries as `(id "ms.seq")` followed by one `(field, value)` call per field. Returning
   * `false` stops the walk.
   */
  visit?(fn: (a: string, b?: string) => boolean | void): void;
  /** Estimated bytes of the value, sampling `samples` elements (0 = all): MEMORY USAGE. */
  memoryUsage?(samples: number): number;
}

/** Anything stored under a key. */
export type Value = string | TypedValue;

/** A mutable string value with Redis's `raw` encoding. */
export class RawString implements TypedValue {
  /** Backing storage; bytes past {@link length} are spare capacity. */
  bytes: Uint8Array;
  /** Number of bytes in use. */
  length: number;

  /** Creates a raw string holding binary string `s`, with room to grow. */
  constructor(s: string, extra = 0) {
    this.length = s.length;
    this.bytes = new Uint8Array(Math.max(16, s.length + extra));
    writeBinary(s, this.bytes, 0);
  }

  /** Always `"string"`. */
  get type(): TypeName {
    return "string";
  }

  /** Always `"raw"`. */
  encoding(): string {
    return "raw";
  }

  /** A copy. */
  clone(): RawString {
    const r = new RawString("", this.length);
    r.bytes.set(this.bytes.subarray(0, this.length));
    r.length = this.length;
    return r;
  }

  /** Makes room for `n` bytes, keeping the contents; new bytes are zero. */
  reserve(n: number): void {
    if (n <= this.bytes.length) return;
    // Grow geometrically like sds so repeated APPENDs are amortised O(1).
    const cap = n < 1024 * 1024 ? Math.max(n * 2, 16) : n + 1024 * 1024;
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** Appends binary string `s`. */
  append(s: string): void {
    this.reserve(this.length + s.length);
    writeBinary(s, this.bytes, this.length);
    this.length += s.length;
  }

  /** The contents as a binary string. */
  toString(): string {
    return bytesToBinary(this.bytes, 0, this.length);
  }

  /** The contents as a view (valid until the next mutation). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** TYPE of a value. */
export function typeOf(v: Value): TypeName {
  return typeof v === "string" ? "string" : v.type;
}

/** Longest string that Redis stores as `embstr`. */
const EMBSTR_MAX = 44;

/** OBJECT ENCODING of a value. */
export function encodingOf(v: Value): string {
  if (typeof v !== "string") return v.encoding();
  if (isIntEncodable(v)) return "int";
  return v.length <= EMBSTR_MAX ? "embstr" : "raw";
}

/** Whether Redis would keep string `s` as an integer (canonical decimal that fits 64 bits). */
export function isIntEncodable(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  const c0 = s.charCodeAt(0);
  let i = c0 === 45 ? 1 : 0;
  if (i === n) return false;
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1;
  if (first < 49 || first > 57) return false;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (n < 19) return true;
  const b = BigInt(s);
  return b <= 9223372036854775807n && b >= -9223372036854775808n;
}

/** The string contents of a string-type value. */
export function stringOf(v: string | RawString): string {
  return typeof v === "string" ? v : v.toString();
}

/** Length in bytes of a string-type value. */
export function stringLength(v: string | RawString): number {
  return v.length;
}
