/**
 * Reply encoder: appends RESP2/RESP3 replies into one growable byte buffer, so all replies of
 * one read batch leave in a single socket write.
 *
 * @module
 */
import { writeBinary } from "./bytes.ts";
import { formatDouble17g } from "./numbers.ts";

const CRLF = "\r\n";

/** Encodes replies for one client. */
export class ReplyWriter {
  #buf: Uint8Array;
  #spare: Uint8Array;
  #len = 0;
  /** Protocol version of the client: 2 or 3 (after `HELLO 3`). */
  resp: 2 | 3 = 2;
  /** Error replies written so far (the dispatcher compares it to spot failed calls). */
  errors = 0;
  /** Called with each error reply (INFO errorstats). */
  onError: ((message: string) => void) | null = null;

  /** Creates a writer with the given initial capacity. */
  constructor(capacity = 16 * 1024) {
    this.#buf = new Uint8Array(capacity);
    this.#spare = new Uint8Array(capacity);
  }

  /** Bytes waiting to be written. */
  get length(): number {
    return this.#len;
  }

  /**
   * Returns the pending bytes and switches to the spare buffer, so replies produced while the
   * returned bytes are being written (pub/sub, wake-ups) don't overwrite them. The caller must
   * finish writing the returned view before calling `take()` again.
   */
  take(): Uint8Array {
    const out = this.#buf.subarray(0, this.#len);
    const spare = this.#spare;
    this.#spare = this.#buf;
    this.#buf = spare;
    this.#len = 0;
    return out;
  }

  /** Drops large buffers after a big reply so an idle client holds little memory. */
  shrink(): void {
    const cap = 16 * 1024;
    if (this.#len === 0 && this.#buf.length > 1024 * 1024) this.#buf = new Uint8Array(cap);
    if (this.#spare.length > 1024 * 1024) this.#spare = new Uint8Array(cap);
  }

  /** Discards everything pending (e.g. CLIENT REPLY OFF). */
  clear(): void {
    this.#len = 0;
  }

  /** Current write position (for {@link truncate}). */
  mark(): number {
    return this.#len;
  }

  /** Drops bytes appended after `mark` (used to suppress replies). */
  truncate(mark: number): void {
    if (mark < this.#len) this.#len = mark;
  }

  #grow(n: number): void {
    let cap = this.#buf.length * 2;
    while (cap < this.#len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  /** Appends a binary string verbatim. */
  raw(s: string): void {
    const n = s.length;
    if (this.#len + n > this.#buf.length) this.#grow(n);
    writeBinary(s, this.#buf, this.#len);
    this.#len += n;
  }

  /** Appends bytes verbatim. */
  rawBytes(b: Uint8Array): void {
    const n = b.length;
    if (this.#len + n > this.#buf.length) this.#grow(n);
    this.#buf.set(b, this.#len);
    this.#len += n;
  }

  #header(prefix: number, n: number): void {
    // "<prefix><n>\r\n" without building a string for small n.
    if (this.#len + 24 > this.#buf.length) this.#grow(24);
    const buf = this.#buf;
    let p = this.#len;
    buf[p++] = prefix;
    if (n >= 0 && n < 10) {
      buf[p++] = 48 + n;
    } else {
      const s = String(n);
      for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    }
    buf[p++] = 13;
    buf[p++] = 10;
    this.#len = p;
  }

  /** `+OK`. */
  ok(): void {
    this.raw("+OK\r\n");
  }

  /** A simple string `+s`. */
  simple(s: string): void {
    this.raw("+" + s + CRLF);
  }

  /**
   * An error `-s`; `s` starts with its code (`ERR`, `WRONGTYPE`, ...). Newlines would break
   * the protocol, so they become spaces as Redis does.
   */
  error(s: string): void {
    if (s.includes("\r") || s.includes("\n")) s = s.replace(/[\r\n]/g, " ");
    this.errors++;
    if (this.onError !== null) this.onError(s);
    this.raw("-" + s + CRLF);
  }

  /** An integer `:n`. */
  int(n: number | bigint): void {
    if (typeof n === "number") this.#header(58, n);
    else this.raw(":" + n + CRLF);
  }

  /** A bulk string holding binary string `s`. */
  bulk(s: string): void {
    const n = s.length;
    this.#header(36, n);
    if (this.#len + n + 2 > this.#buf.length) this.#grow(n + 2);
    const buf = this.#buf;
    writeBinary(s, buf, this.#len);
    this.#len += n;
    buf[this.#len++] = 13;
    buf[this.#len++] = 10;
  }

  /** A bulk string holding `b`. */
  bulkBytes(b: Uint8Array): void {
    this.#header(36, b.length);
    this.rawBytes(b);
    this.raw(CRLF);
  }

  /** A bulk string, or the null bulk for `null`/`undefined`. */
  bulkOrNull(s: string | null | undefined): void {
    if (s == null) this.nullBulk();
    else this.bulk(s);
  }

  /** Bulk string of an integer (e.g. a string value stored as a number). */
  bulkInt(n: number | bigint): void {
    this.bulk(String(n));
  }

  /** The null bulk string (`$-1` / `_`). */
  nullBulk(): void {
    this.raw(this.resp === 3 ? "_\r\n" : "$-1\r\n");
  }

  /** The null array (`*-1` / `_`). */
  nullArray(): void {
    this.raw(this.resp === 3 ? "_\r\n" : "*-1\r\n");
  }

  /** Array header `*n`. */
  array(n: number): void {
    this.#header(42, n);
  }

  /** Map header: `%n` in RESP3, `*2n` in RESP2. */
  map(n: number): void {
    if (this.resp === 3) this.#header(37, n);
    else this.#header(42, n * 2);
  }

  /** Set header: `~n` in RESP3, `*n` in RESP2. */
  set(n: number): void {
    this.#header(this.resp === 3 ? 126 : 42, n);
  }

  /** Push header: `>n` in RESP3, `*n` in RESP2. */
  push(n: number): void {
    this.#header(this.resp === 3 ? 62 : 42, n);
  }

  /** Attribute header `|n` (RESP3 only; callers skip it in RESP2). */
  attribute(n: number): void {
    this.#header(124, n);
  }

  /** A double: `,v` in RESP3, a bulk string in RESP2, both formatted like `%.17g`. */
  double(v: number): void {
    const s = formatDouble17g(v);
    if (this.resp === 3) this.raw("," + s + CRLF);
    else this.bulk(s);
  }

  /** A double already formatted by the caller (e.g. with `%.17Lg` rules). */
  doubleText(s: string): void {
    if (this.resp === 3) this.raw("," + s + CRLF);
    else this.bulk(s);
  }

  /** A boolean: `#t`/`#f` in RESP3, `:1`/`:0` in RESP2. */
  bool(b: boolean): void {
    if (this.resp === 3) this.raw(b ? "#t\r\n" : "#f\r\n");
    else this.raw(b ? ":1\r\n" : ":0\r\n");
  }

  /** A big number: `(n` in RESP3, a bulk string in RESP2. */
  bigNumber(s: string): void {
    if (this.resp === 3) this.raw("(" + s + CRLF);
    else this.bulk(s);
  }

  /** A verbatim string: `=len\r\nfmt:s` in RESP3, a bulk string in RESP2. */
  verbatim(s: string, format = "txt"): void {
    if (this.resp === 3) {
      this.#header(61, s.length + 4);
      this.raw(format + ":" + s + CRLF);
    } else this.bulk(s);
  }

  /** An array of bulk strings. */
  bulkArray(items: readonly string[]): void {
    this.array(items.length);
    for (const s of items) this.bulk(s);
  }
}
