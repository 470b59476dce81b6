/**
 * Client-side reply decoder: turns RESP2/RESP3 reply bytes (as a server writes them) into
 * {@link Reply} values. Fed with arbitrary chunks; when a chunk ends mid-reply it keeps its
 * place (completed elements of open aggregates stay decoded) and resumes with the next chunk.
 * Used by `cedis-cli`. Pure: no Deno APIs.
 *
 * @module
 */
import { bytesToBinary } from "./bytes.ts";

/** A decoded reply. Strings are binary strings (one char per byte). */
export type Reply =
  | { type: "simple"; value: string }
  | { type: "error"; value: string }
  | { type: "integer"; value: number | bigint }
  | { type: "bulk"; value: string }
  | { type: "null" }
  | { type: "array"; value: Reply[] }
  | { type: "set"; value: Reply[] }
  | { type: "push"; value: Reply[] }
  | { type: "map"; value: [Reply, Reply][] }
  | { type: "double"; value: string }
  | { type: "bool"; value: boolean }
  | { type: "bignum"; value: string }
  | { type: "verbatim"; format: string; value: string };

/** Malformed reply bytes; the connection can't be used any further. */
export class ReplyProtocolError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ReplyProtocolError";
  }
}

/** An aggregate whose elements are still arriving. */
interface Frame {
  kind: "array" | "set" | "push" | "map" | "attribute";
  /** Elements expected (2 per entry for maps and attributes). */
  want: number;
  items: Reply[];
}

/** Resumable decoder of a stream of replies. */
export class ReplyDecoder {
  #buf = new Uint8Array(16 * 1024);
  #start = 0;
  #end = 0;
  #stack: Frame[] = [];

  /** Appends bytes received from the server. */
  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    if (this.#end + n > this.#buf.length) {
      const live = this.#end - this.#start;
      let cap = this.#buf.length;
      while (cap < live + n) cap *= 2;
      if (cap === this.#buf.length) this.#buf.copyWithin(0, this.#start, this.#end);
      else {
        const next = new Uint8Array(cap);
        next.set(this.#buf.subarray(this.#start, this.#end));
        this.#buf = next;
      }
      this.#start = 0;
      this.#end = live;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += n;
  }

  /** Bytes received but not decoded yet. */
  get pending(): number {
    return this.#end - this.#start;
  }

  /**
   * Decodes the next complete top-level reply, or returns `undefined` when more bytes are
   * needed. Attributes (`|`) are read and dropped. Throws {@link ReplyProtocolError}.
   */
  next(): Reply | undefined {
    for (;;) {
      const buf = this.#buf;
      if (this.#start >= this.#end) return undefined;
      const cr = buf.indexOf(13, this.#start);
      if (cr < 0 || cr >= this.#end || cr + 1 >= this.#end) return undefined;
      const prefix = buf[this.#start]!;
      const line = bytesToBinary(buf, this.#start + 1, cr);
      const after = cr + 2;
      let value: Reply;
      switch (prefix) {
        case 43: // +
          value = { type: "simple", value: line };
          break;
        case 45: // -
          value = { type: "error", value: line };
          break;
        case 58: // :
          value = { type: "integer", value: parseIntText(line) };
          break;
        case 44: // ,
          value = { type: "double", value: line };
          break;
        case 40: // (
          value = { type: "bignum", value: line };
          break;
        case 35: // #
          if (line !== "t" && line !== "f") throw new ReplyProtocolError(`bad boolean '${line}'`);
          value = { type: "bool", value: line === "t" };
          break;
        case 95: // _
          value = { type: "null" };
          break;
        case 36: // $
        case 33: // !
        case 61: { // =
          const len = lengthOf(line);
          if (len < 0) {
            value = { type: "null" };
            break;
          }
          if (this.#end - after < len + 2) return undefined;
          const s = bytesToBinary(buf, after, after + len);
          this.#start = after + len + 2;
          if (prefix === 36) value = { type: "bulk", value: s };
          else if (prefix === 33) value = { type: "error", value: s };
          else value = { type: "verbatim", format: s.slice(0, 3), value: s.slice(4) };
          const done = this.#deliver(value);
          if (done !== undefined) return done;
          continue;
        }
        case 42: // *
        case 126: // ~
        case 62: // >
        case 37: // %
        case 124: { // |
          const n = lengthOf(line);
          this.#start = after;
          if (n < 0) {
            value = { type: "null" };
            const done = this.#deliver(value);
            if (done !== undefined) return done;
            continue;
          }
          const kind = prefix === 42
            ? "array"
            : prefix === 126
            ? "set"
            : prefix === 62
            ? "push"
            : prefix === 37
            ? "map"
            : "attribute";
          const want = kind === "map" || kind === "attribute" ? n * 2 : n;
          this.#stack.push({ kind, want, items: [] });
          if (want === 0) {
            const done = this.#deliver(undefined);
            if (done !== undefined) return done;
          }
          continue;
        }
        default:
          throw new ReplyProtocolError(
            `Protocol error, got "${String.fromCharCode(prefix)}" as reply type byte`,
          );
      }
      this.#start = after;
      const done = this.#deliver(value);
      if (done !== undefined) return done;
    }
  }

  /**
   * Adds a completed element to the innermost open aggregate, closing aggregates that are
   * full. `undefined` means "close the (empty) top frame". Returns a completed top-level reply.
   */
  #deliver(value: Reply | undefined): Reply | undefined {
    for (;;) {
      const top = this.#stack[this.#stack.length - 1];
      if (value !== undefined) {
        if (top === undefined) return value;
        top.items.push(value);
        if (top.items.length < top.want) return undefined;
      }
      // top is full (or empty with want 0): close it.
      this.#stack.pop();
      const f = top!;
      if (f.kind === "attribute") {
        // Attributes describe the next reply; cedis-cli has no use for them.
        return undefined;
      }
      if (f.kind === "map") {
        const entries: [Reply, Reply][] = [];
        for (let i = 0; i < f.items.length; i += 2) entries.push([f.items[i]!, f.items[i + 1]!]);
        value = { type: "map", value: entries };
      } else value = { type: f.kind, value: f.items };
    }
  }
}

function lengthOf(line: string): number {
  if (!/^-?\d+$/.test(line)) throw new ReplyProtocolError(`bad length '${line}'`);
  return Number(line);
}

function parseIntText(line: string): number | bigint {
  if (!/^-?\d+$/.test(line)) throw new ReplyProtocolError(`bad integer '${line}'`);
  const n = Number(line);
  return Number.isSafeInteger(n) ? n : BigInt(line);
}
