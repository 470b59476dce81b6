/**
 * Streaming request parser: RESP multibulk (`*N\r\n$L\r\n...`) and inline commands, fed with
 * arbitrary `Uint8Array` chunks. Incomplete input is an expected state (`next()` returns
 * `null`), not an error; the parser keeps its place and resumes where it stopped.
 *
 * @module
 */
import { bytesToBinary } from "./bytes.ts";

/** A malformed request; the connection replies `-ERR <message>` and closes. */
export class ProtocolError extends Error {
  /** Creates a protocol error whose message is the full Redis error text minus `ERR `. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProtocolError";
  }
}

/** Longest inline request or `*`/`$` header line Redis accepts without a newline. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/**
 * V8's longest string (2^29 - 24 chars). Arguments are binary strings, so a bulk longer than
 * this can't be held even though `proto-max-bulk-len` allows 512MB (2^29): such a bulk gets
 * Redis's "invalid bulk length" error instead of failing inside the engine.
 */
export const MAX_STRING_LENGTH = 536870888;
/** Largest multibulk length accepted (C `INT_MAX`). */
const MAX_MULTIBULK = 2147483647;
/** Limits applied to clients that still have to AUTH. */
const UNAUTH_MAX_MULTIBULK = 10;
const UNAUTH_MAX_BULK = 16384;

/** Parser options. */
export interface ParserOptions {
  /** `proto-max-bulk-len`: largest bulk string accepted. */
  maxBulkLen: number;
}

/** Resumable RESP request parser for one connection. */
export class RequestParser {
  #buf: Uint8Array = new Uint8Array(16 * 1024);
  #start = 0;
  // Bytes after #start already searched for the current line's terminator without success,
  // so a line trickling in byte by byte is not rescanned from its start on every read.
  #scanned = 0;
  #end = 0;
  // Multibulk state, kept across chunks.
  #argc = 0; // arguments still expected in the current multibulk (0 = none in progress)
  #args: string[] = [];
  #bulkLen = -1; // length of the bulk being read, -1 when its header is not read yet
  /** Set by the connection: limits for clients that must still AUTH apply. */
  unauthenticated = false;
  /** Parser options; `maxBulkLen` may change at runtime through CONFIG SET. */
  options: ParserOptions;

  /** Creates a parser. */
  constructor(options: ParserOptions) {
    this.options = options;
  }

  /** Bytes buffered but not parsed yet (the Redis `qbuf`). */
  get pending(): number {
    return this.#end - this.#start;
  }

  /** Capacity of the internal buffer (the Redis `qbuf` allocation). */
  get capacity(): number {
    return this.#buf.length;
  }

  /** Appends a chunk read from the socket. */
  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    if (this.#end + n > this.#buf.length) this.#makeRoom(n);
    this.#buf.set(chunk, this.#end);
    this.#end += n;
  }

  /** Returns the buffer region a socket read may fill directly, growing it if needed. */
  writableRegion(min: number): Uint8Array {
    if (this.#buf.length - this.#end < min) this.#makeRoom(min);
    return this.#buf.subarray(this.#end);
  }

  /** Declares that `n` bytes were written into {@link writableRegion}. */
  commit(n: number): void {
    this.#end += n;
  }

  #makeRoom(n: number): void {
    const live = this.#end - this.#start;
    if (live === 0) {
      this.#start = this.#end = 0;
      if (n <= this.#buf.length) return;
    }
    let cap = this.#buf.length;
    while (cap < live + n) cap *= 2;
    if (cap === this.#buf.length && this.#start > 0) {
      this.#buf.copyWithin(0, this.#start, this.#end);
    } else {
      const next = new Uint8Array(cap);
      next.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf = next;
    }
    this.#start = 0;
    this.#end = live;
  }

  /** Shrinks an idle large buffer back to its initial size. */
  shrink(): void {
    if (this.#start === this.#end && this.#buf.length > 64 * 1024) {
      this.#buf = new Uint8Array(16 * 1024);
      this.#start = this.#end = 0;
    }
  }

  /**
   * Parses the next request. Returns its argv (possibly empty, for a blank inline line or a
   * `*0`/`*-1` header, which callers skip), or `null` when more bytes are needed.
   * Throws {@link ProtocolError} on malformed input.
   */
  next(): string[] | null {
    if (this.#argc > 0) return this.#readBulks();
    if (this.#start === this.#end) {
      // Everything consumed: reset offsets so the buffer is reused from its start.
      this.#start = this.#end = 0;
      return null;
    }
    if (this.#buf[this.#start] === 42 /* * */) return this.#readMultibulkHeader();
    return this.#readInline();
  }

  /** Finds `byte` in the line starting at #start; -1 (and remembers the search) if absent. */
  #find(byte: number): number {
    const buf = this.#buf;
    const end = this.#end;
    // Searching the whole buffer avoids a subarray per call. Bytes past #end are stale (no
    // socket read fills them while parsing): a sentinel there stops a miss at #end instead
    // of scanning up to the capacity.
    if (end < buf.length) buf[end] = byte;
    const i = buf.indexOf(byte, this.#start + this.#scanned);
    if (i >= 0 && i < end) return i;
    this.#scanned = this.#end - this.#start;
    return -1;
  }

  /** Moves #start to `pos`: a new line begins there. */
  #consume(pos: number): void {
    this.#start = pos;
    this.#scanned = 0;
  }

  #readMultibulkHeader(): string[] | null {
    const buf = this.#buf;
    const cr = this.#find(13);
    if (cr < 0) return this.#noHeaderLine("too big mbulk count string");
    if (cr + 1 >= this.#end) return null; // need the \n
    const n = parseLineInt(buf, this.#start + 1, cr);
    if (n === null || n > MAX_MULTIBULK) {
      if (hasNul(buf, this.#start, cr)) return this.#noHeaderLine("too big mbulk count string");
      throw new ProtocolError("Protocol error: invalid multibulk length");
    }
    if (n > UNAUTH_MAX_MULTIBULK && this.unauthenticated) {
      throw new ProtocolError("Protocol error: unauthenticated multibulk length");
    }
    this.#consume(cr + 2);
    if (n <= 0) return [];
    this.#argc = n;
    this.#args = [];
    this.#bulkLen = -1;
    return this.#readBulks();
  }

  /**
   * A `*`/`$` header line is not complete: wait for more bytes, unless the unparsed input
   * already exceeds the longest header Redis accepts.
   */
  #noHeaderLine(error: string): null {
    this.#scanned = this.#end - this.#start;
    if (this.#end - this.#start > PROTO_INLINE_MAX_SIZE) {
      throw new ProtocolError("Protocol error: " + error);
    }
    return null;
  }

  #readBulks(): string[] | null {
    const buf = this.#buf;
    while (this.#argc > 0) {
      if (this.#bulkLen < 0) {
        if (this.#start === this.#end) return null;
        const cr = this.#find(13);
        if (cr < 0) return this.#noHeaderLine("too big bulk count string");
        if (cr + 1 >= this.#end) return null;
        const c = buf[this.#start]!;
        const len = c === 36 /* $ */ ? parseLineInt(buf, this.#start + 1, cr) : null;
        if (len === null || len < 0 || len > this.options.maxBulkLen || len > MAX_STRING_LENGTH) {
          if (hasNul(buf, this.#start, cr)) return this.#noHeaderLine("too big bulk count string");
          throw new ProtocolError(
            c === 36
              ? "Protocol error: invalid bulk length"
              : `Protocol error: expected '$', got '${String.fromCharCode(c)}'`,
          );
        }
        if (len > UNAUTH_MAX_BULK && this.unauthenticated) {
          throw new ProtocolError("Protocol error: unauthenticated bulk length");
        }
        this.#consume(cr + 2);
        this.#bulkLen = len;
      }
      const len = this.#bulkLen;
      if (this.#end - this.#start < len + 2) {
        // The buffer grows as bytes arrive (writableRegion doubles it), not to the declared
        // length up front: a header alone must not make every connection reserve 512MB.
        return null;
      }
      this.#args.push(bytesToBinary(this.#buf, this.#start, this.#start + len));
      this.#consume(this.#start + len + 2); // Redis skips the CRLF without looking at it
      this.#bulkLen = -1;
      this.#argc--;
    }
    const args = this.#args;
    this.#args = [];
    return args;
  }

  #readInline(): string[] | null {
    const buf = this.#buf;
    const nl = this.#find(10);
    if (nl < 0 || hasNul(buf, this.#start, nl)) {
      this.#scanned = this.#end - this.#start;
      if (this.#end - this.#start > PROTO_INLINE_MAX_SIZE) {
        throw new ProtocolError("Protocol error: too big inline request");
      }
      return null;
    }
    let lineEnd = nl;
    if (lineEnd > this.#start && buf[lineEnd - 1] === 13) lineEnd--;
    const line = bytesToBinary(buf, this.#start, lineEnd);
    this.#consume(nl + 1);
    const args = splitArgs(line);
    if (args === null) throw new ProtocolError("Protocol error: unbalanced quotes in request");
    return args;
  }
}

/**
 * Whether `buf[s, e)` holds a 0x00 byte. Redis looks for the end of a request line with C
 * `strchr`, which stops at a NUL: a line with a NUL before its terminator is never complete
 * (the client eventually gets "too big ... request" instead of a parse error).
 */
function hasNul(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (buf[i] === 0) return true;
  return false;
}

/** Parses the integer in `buf[s, e)` like `string2ll`; `null` when malformed. */
function parseLineInt(buf: Uint8Array, s: number, e: number): number | null {
  // Longer than any 64-bit integer; digits past 2^53 lose precision but every caller only
  // compares against limits far below that.
  if (s >= e || e - s > 20) return null;
  let i = s;
  let neg = false;
  if (buf[i] === 45 /* - */) {
    neg = true;
    if (++i === e) return null;
  }
  if (buf[i] === 48 /* 0 */) return i + 1 === e && !neg ? 0 : null;
  let v = 0;
  for (; i < e; i++) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  return neg ? -v : v;
}

function isHex(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

/**
 * Splits an inline command line like Redis's `sdssplitargs`: whitespace separates arguments,
 * `"..."` supports `\n \r \t \b \a \\ \" \xHH`, `'...'` supports `\'`. A closing quote must be
 * followed by whitespace or the end. Returns `null` on unbalanced quotes.
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  const space = (c: string | undefined) =>
    c === " " || c === "\n" || c === "\r" || c === "\t" || c === "\v" || c === "\f";
  for (;;) {
    while (i < n && space(line[i])) i++;
    if (i >= n) return out;
    let cur = "";
    let inq = false; // inside "double quotes"
    let insq = false; // inside 'single quotes'
    for (;;) {
      const c = line[i];
      if (inq) {
        if (c === undefined) return null;
        if (
          c === "\\" && line[i + 1] === "x" && isHex(line[i + 2] ?? "") && isHex(line[i + 3] ?? "")
        ) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === "\\" && i + 1 < n) {
          i++;
          const e = line[i];
          cur += e === "n"
            ? "\n"
            : e === "r"
            ? "\r"
            : e === "t"
            ? "\t"
            : e === "b"
            ? "\b"
            : e === "a"
            ? "\x07"
            : e;
        } else if (c === '"') {
          if (i + 1 < n && !space(line[i + 1])) return null;
          i++;
          break;
        } else cur += c;
      } else if (insq) {
        if (c === undefined) return null;
        if (c === "\\" && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !space(line[i + 1])) return null;
          i++;
          break;
        } else cur += c;
      } else {
        // Unlike the blanks skipped between arguments (isspace), \v and \f are part of an
        // unquoted argument in Redis.
        if (c === undefined || c === " " || c === "\n" || c === "\r" || c === "\t") break;
        if (c === '"') inq = true;
        else if (c === "'") insq = true;
        else cur += c;
      }
      i++;
    }
    out.push(cur);
  }
}
