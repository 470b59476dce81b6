/**
 * A minimal RESP reply framer for the conformance runner and the tests: finds where one
 * complete reply ends in a byte buffer, so the exact bytes of that reply can be compared.
 * Understands every RESP2 and RESP3 type, nested aggregates, and RESP3 attributes (an
 * attribute is returned together with the reply it annotates). Pure: no Deno APIs.
 *
 * @module
 */

/** A reply framing error: the bytes are not valid RESP. */
export class ReplyFormatError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ReplyFormatError";
  }
}

const CR = 13;
const LF = 10;

/**
 * Returns the index just past the line starting at `pos` (after its `\r\n`), or -1 when the
 * line is not complete yet.
 */
function lineEnd(buf: Uint8Array, pos: number, end: number): number {
  const cr = buf.indexOf(CR, pos);
  if (cr < 0 || cr + 1 >= end) return -1;
  if (buf[cr + 1] !== LF) throw new ReplyFormatError(`CR without LF at byte ${cr}`);
  return cr + 2;
}

/** Parses the decimal integer in `buf[s, e)`. */
function lineInt(buf: Uint8Array, s: number, e: number): number {
  let text = "";
  for (let i = s; i < e; i++) text += String.fromCharCode(buf[i]!);
  if (!/^-?\d+$/.test(text)) throw new ReplyFormatError(`bad length '${text}'`);
  return Number(text);
}

/**
 * Finds the end of the reply that starts at `start` in `buf[0, end)`. Returns the index just
 * past it, or -1 when more bytes are needed. Throws {@link ReplyFormatError} on bytes that are
 * not RESP.
 */
export function replyEnd(buf: Uint8Array, start = 0, end = buf.length): number {
  // Elements still to read per open aggregate; iterative so deep nesting can't overflow.
  const pending: number[] = [];
  let pos = start;
  for (;;) {
    if (pos >= end) return -1;
    const type = buf[pos]!;
    const next = lineEnd(buf, pos, end);
    if (next < 0) return -1;
    switch (type) {
      case 43: // + simple string
      case 45: // - error
      case 58: // : integer
      case 95: // _ null
      case 35: // # boolean
      case 44: // , double
      case 40: // ( big number
        pos = next;
        break;
      case 36: // $ bulk string
      case 33: // ! bulk error
      case 61: { // = verbatim string
        const n = lineInt(buf, pos + 1, next - 2);
        if (n < 0) {
          pos = next;
          break;
        }
        if (next + n + 2 > end) return -1;
        if (buf[next + n] !== CR || buf[next + n + 1] !== LF) {
          throw new ReplyFormatError(`bulk of length ${n} not followed by CRLF`);
        }
        pos = next + n + 2;
        break;
      }
      case 42: // * array
      case 126: // ~ set
      case 62: // > push
      case 37: // % map
      case 124: { // | attribute
        const n = lineInt(buf, pos + 1, next - 2);
        pos = next;
        if (type === 124) {
          // An attribute is followed by the reply it annotates: one more element to read.
          pending.push(Math.max(n, 0) * 2 + 1);
          continue;
        }
        if (n <= 0) break; // empty, or null (*-1)
        pending.push(type === 37 ? n * 2 : n);
        continue;
      }
      default:
        throw new ReplyFormatError(
          `unexpected type byte 0x${type.toString(16).padStart(2, "0")} at ${pos}`,
        );
    }
    // One element done: close every aggregate it completes.
    for (;;) {
      if (pending.length === 0) return pos;
      const top = pending.length - 1;
      pending[top]!--;
      if (pending[top]! > 0) break;
      pending.pop();
    }
  }
}

/** Escapes bytes for display: printable ASCII as is, `\r` `\n` `\t` `\\` and `\xHH` else. */
export function escapeBytes(b: Uint8Array, max = 600): string {
  let s = "";
  const n = Math.min(b.length, max);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 13) s += "\\r";
    else if (c === 10) s += "\\n";
    else if (c === 9) s += "\\t";
    else if (c === 92) s += "\\\\";
    else if (c >= 32 && c < 127) s += String.fromCharCode(c);
    else s += "\\x" + c.toString(16).padStart(2, "0");
  }
  if (b.length > max) s += `... (${b.length} bytes)`;
  return s;
}
