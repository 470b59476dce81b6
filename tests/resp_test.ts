/**
 * Unit tests of the RESP layer: the streaming request parser (every case fed whole, byte by
 * byte and split in two at every position), the reply writer in RESP2 and RESP3, and the
 * reply framer used by the conformance runner. Expected outcomes were taken from real Redis
 * 7.0 (same input over a raw socket).
 */
import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { ProtocolError, RequestParser, splitArgs } from "../src/resp/parser.ts";
import { ReplyWriter } from "../src/resp/writer.ts";
import { binaryToBytes, bytesToBinary } from "../src/resp/bytes.ts";
import { escapeBytes, replyEnd } from "../conformance/reply_reader.ts";

const DEFAULT_MAX_BULK = 512 * 1024 * 1024;

/** What a parser made of an input: the requests, then an error or the bytes left waiting. */
interface Outcome {
  requests: string[][];
  error: string | null;
  pending: number;
}

interface ParseOptions {
  maxBulkLen?: number;
  unauthenticated?: boolean;
}

function newParser(o: ParseOptions): RequestParser {
  const p = new RequestParser({ maxBulkLen: o.maxBulkLen ?? DEFAULT_MAX_BULK });
  p.unauthenticated = o.unauthenticated ?? false;
  return p;
}

/** Feeds `chunks` in order, draining complete requests after each one. */
function feedChunks(chunks: Uint8Array[], o: ParseOptions): Outcome {
  const p = newParser(o);
  const out: Outcome = { requests: [], error: null, pending: 0 };
  try {
    for (const chunk of chunks) {
      p.feed(chunk);
      for (let r = p.next(); r !== null; r = p.next()) out.requests.push(r);
    }
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    out.error = e.message;
  }
  out.pending = p.pending;
  return out;
}

/**
 * Parses `input` (a binary string) whole, byte by byte, and — for short inputs — split in two
 * at every position; asserts all agree and returns the outcome.
 */
function parse(input: string, o: ParseOptions = {}): Outcome {
  const bytes = binaryToBytes(input);
  const whole = feedChunks([bytes], o);
  const single: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i++) single.push(bytes.subarray(i, i + 1));
  const split = (what: string, got: Outcome) => {
    // The amount left waiting legitimately differs once an error stops the parser.
    if (whole.error !== null) {
      deepStrictEqual([got.requests, got.error], [whole.requests, whole.error], what);
    } else deepStrictEqual(got, whole, what);
  };
  split("byte by byte", feedChunks(single, o));
  if (bytes.length <= 300) {
    for (let i = 1; i < bytes.length; i++) {
      split(`split at ${i}`, feedChunks([bytes.subarray(0, i), bytes.subarray(i)], o));
    }
  }
  return whole;
}

function requests(input: string, o: ParseOptions = {}): string[][] {
  const r = parse(input, o);
  strictEqual(r.error, null);
  return r.requests;
}

function protocolError(input: string, o: ParseOptions = {}): string {
  const r = parse(input, o);
  if (r.error === null) throw new Error(`no error for ${JSON.stringify(input)}`);
  return r.error;
}

function mbulk(...args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
}

// ---------------------------------------------------------------------------------------
// Parser: well-formed input

Deno.test("parser reads a multibulk request in any split", () => {
  deepStrictEqual(requests(mbulk("ECHO", "hey")), [["ECHO", "hey"]]);
  deepStrictEqual(requests(mbulk("SET", "", "v")), [["SET", "", "v"]]);
});

Deno.test("parser returns every pipelined request in order", () => {
  const input = mbulk("PING") + "PING\r\n" + mbulk("ECHO", "a\r\nb") + "ECHO x\n" +
    mbulk("GET", "k");
  deepStrictEqual(requests(input), [["PING"], ["PING"], ["ECHO", "a\r\nb"], ["ECHO", "x"], [
    "GET",
    "k",
  ]]);
});

Deno.test("parser keeps an incomplete request waiting", () => {
  const r = parse("*2\r\n$4\r\nECHO\r\n$3\r\nhe");
  // Headers already parsed are consumed; only the partial bulk stays buffered.
  deepStrictEqual(r, { requests: [], error: null, pending: 2 });
  deepStrictEqual(parse("*2\r").requests, []);
  deepStrictEqual(parse("PING").pending, 4);
});

Deno.test("parser skips the CRLF after a bulk without checking it, like Redis", () => {
  deepStrictEqual(requests("*1\r\n$4\r\nPINGxxPING\r\n"), [["PING"], ["PING"]]);
  // "b\r" is skipped; the "\n" left over is an empty inline request.
  deepStrictEqual(requests("*2\r\n$4\r\nECHO\r\n$1\r\nab\r\n"), [["ECHO", "a"], []]);
});

Deno.test("parser accepts a header line ending in CR followed by any byte", () => {
  // Redis only checks there is one more byte after the CR and skips both.
  const r = parse("*1\rx\n");
  deepStrictEqual([r.requests, r.error], [[], null]);
});

Deno.test("parser returns empty requests for *0, *-1, negative counts and blank lines", () => {
  deepStrictEqual(requests("*0\r\n"), [[]]);
  deepStrictEqual(requests("*-1\r\n"), [[]]);
  deepStrictEqual(requests("*-10\r\nPING\r\n"), [[], ["PING"]]);
  deepStrictEqual(requests("\r\n\r\nPING\r\n"), [[], [], ["PING"]]);
  deepStrictEqual(requests("\n"), [[]]);
  deepStrictEqual(requests("   \t \r\n"), [[]]);
});

Deno.test("parser splits inline commands like sdssplitargs", () => {
  deepStrictEqual(requests("PING\r\n"), [["PING"]]);
  deepStrictEqual(requests("PING\n"), [["PING"]]);
  deepStrictEqual(requests("  set   a\tb  \r\n"), [["set", "a", "b"]]);
  deepStrictEqual(requests(`set "a b" 'c d'\r\n`), [["set", "a b", "c d"]]);
  deepStrictEqual(requests(`echo "\\x41\\x4g\\xzz\\x4"\r\n`), [["echo", "Ax4gxzzx4"]]);
  deepStrictEqual(requests(`echo "\\n\\r\\t\\b\\a\\\\\\"\\y"\r\n`), [[
    "echo",
    '\n\r\t\b\x07\\"y',
  ]]);
  deepStrictEqual(requests(`echo 'it\\'s' 'a\\b'\r\n`), [["echo", "it's", "a\\b"]]);
  deepStrictEqual(requests(`echo "" ''\r\n`), [["echo", "", ""]]);
  deepStrictEqual(requests(`echo "\\xff\\x00"\r\n`), [["echo", "\xff\x00"]]);
  // A CR inside an inline line is whitespace; only the one before LF ends the line.
  deepStrictEqual(requests("echo a\rb\r\r\n"), [["echo", "a", "b"]]);
});

Deno.test("splitArgs reports unbalanced quotes and quotes glued to text", () => {
  strictEqual(splitArgs(`set "a`), null);
  strictEqual(splitArgs(`set 'a`), null);
  strictEqual(splitArgs(`set "a"b`), null);
  strictEqual(splitArgs(`set 'a'b`), null);
  strictEqual(splitArgs(`echo "a\\`), null);
  // A quote opens even in the middle of an argument.
  deepStrictEqual(splitArgs(`a"b" c`), ["ab", "c"]);
  // \v and \f separate nothing inside an argument but are skipped around arguments.
  deepStrictEqual(splitArgs('\v\fecho\v a\fb "x"\v'), ["echo\v", "a\fb", "x"]);
  deepStrictEqual(splitArgs(""), []);
});

Deno.test("parser waits on a request line holding a NUL byte, like C strchr in Redis", () => {
  for (const input of ["PING\x00\r\n", "ECHO a\x00b\r\n", "*\x00\r\n", "*1\r\n$\x004\r\n"]) {
    const r = parse(input);
    deepStrictEqual([r.requests, r.error], [[], null], JSON.stringify(input));
  }
  // ...until the line is longer than any header Redis accepts.
  const big = "x".repeat(64 * 1024);
  strictEqual(protocolError("PING\x00\n" + big), "Protocol error: too big inline request");
  strictEqual(protocolError("*\x00\r\n" + big), "Protocol error: too big mbulk count string");
  strictEqual(
    protocolError("*1\r\n$\x00\r\n" + big),
    "Protocol error: too big bulk count string",
  );
});

Deno.test("parser keeps every byte value of a bulk argument", () => {
  let all = "";
  for (let b = 0; b < 256; b++) all += String.fromCharCode(b);
  const [req] = requests(mbulk("SET", all, all + all));
  deepStrictEqual(req, ["SET", all, all + all]);
  const codes = Array.from(req![1]!, (c) => c.charCodeAt(0));
  deepStrictEqual(codes, Array.from({ length: 256 }, (_, i) => i));
});

Deno.test("parser reads a 1 MB bulk fed in chunks of any size", () => {
  const value = "abcdefghij\r\n\x00\xff".repeat(75_000).slice(0, 1024 * 1024);
  const bytes = binaryToBytes(mbulk("SET", "big", value) + mbulk("PING"));
  for (const size of [1, 7, 1000, 4096, 65536, 300_000, bytes.length]) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    const r = feedChunks(chunks, {});
    strictEqual(r.error, null);
    strictEqual(r.requests.length, 2, `chunk size ${size}`);
    strictEqual(r.requests[0]![2]! === value, true, `chunk size ${size}`);
    deepStrictEqual(r.requests[1], ["PING"]);
  }
});

Deno.test("parser reads straight into writableRegion and grows for a large bulk", () => {
  const p = newParser({});
  const input = binaryToBytes(mbulk("SET", "k", "v".repeat(200_000)));
  let off = 0;
  const got: string[][] = [];
  while (off < input.length) {
    const region = p.writableRegion(1024);
    const n = Math.min(region.length, 5000, input.length - off);
    region.set(input.subarray(off, off + n));
    p.commit(n);
    off += n;
    for (let r = p.next(); r !== null; r = p.next()) got.push(r);
  }
  strictEqual(got.length, 1);
  strictEqual(got[0]![2]!.length, 200_000);
  strictEqual(p.pending, 0);
  strictEqual(p.capacity > 200_000, true);
  p.shrink();
  strictEqual(p.capacity, 16 * 1024);
});

// ---------------------------------------------------------------------------------------
// Parser: protocol errors (texts as real Redis sends them)

Deno.test("parser rejects invalid multibulk lengths", () => {
  for (const n of ["3000000000", "2147483648", "abc", "", "01", "-0", "+1", "1x", "1 "]) {
    strictEqual(
      protocolError(`*${n}\r\n`),
      "Protocol error: invalid multibulk length",
      `*${n}`,
    );
  }
  // INT_MAX itself is accepted (and then waits for its arguments).
  deepStrictEqual(parse("*2147483647\r\n").error, null);
});

Deno.test("parser rejects a multibulk element that doesn't start with $", () => {
  strictEqual(protocolError("*1\r\nfoo\r\n"), "Protocol error: expected '$', got 'f'");
  strictEqual(
    protocolError("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"),
    "Protocol error: expected '$', got 'f'",
  );
  strictEqual(protocolError("*1\r\n\r\n"), "Protocol error: expected '$', got '\r'");
});

Deno.test("parser rejects invalid bulk lengths", () => {
  for (const n of ["-10", "-1", "2000000000", "blabla", "", "04", "+4", "-0"]) {
    strictEqual(
      protocolError(`*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$${n}\r\n`),
      "Protocol error: invalid bulk length",
      `$${n}`,
    );
  }
});

Deno.test("parser enforces proto-max-bulk-len, also when it changes at runtime", () => {
  const o = { maxBulkLen: 1024 };
  deepStrictEqual(requests(mbulk("SET", "k", "x".repeat(1024)), o).length, 1);
  strictEqual(
    protocolError(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1025\r\n`, o),
    "Protocol error: invalid bulk length",
  );
  const p = newParser({});
  p.options.maxBulkLen = 10;
  p.feed(binaryToBytes("*1\r\n$11\r\n"));
  throws(() => p.next(), { name: "ProtocolError", message: "Protocol error: invalid bulk length" });
});

Deno.test("parser rejects a too big inline request only past 64 KB without newline", () => {
  const max = 64 * 1024;
  deepStrictEqual(parse("a".repeat(max)).error, null);
  strictEqual(protocolError("a".repeat(max + 1)), "Protocol error: too big inline request");
  // A long line that arrives whole is fine (Redis too: the limit applies per read).
  const long = feedChunks([binaryToBytes("ECHO " + "a".repeat(max + 10) + "\r\n")], {});
  strictEqual(long.requests[0]![1]!.length, max + 10);
});

Deno.test("parser rejects too big count strings", () => {
  const digits = "1".repeat(64 * 1024 + 1);
  strictEqual(protocolError("*" + digits), "Protocol error: too big mbulk count string");
  strictEqual(protocolError("*1\r\n$" + digits), "Protocol error: too big bulk count string");
});

Deno.test("parser rejects unbalanced quotes in an inline request", () => {
  strictEqual(
    protocolError(`set """test-key""" test-value\r\nping\r\n`),
    "Protocol error: unbalanced quotes in request",
  );
  strictEqual(
    protocolError(`set 'a\r\n`),
    "Protocol error: unbalanced quotes in request",
  );
});

Deno.test("parser applies the unauthenticated limits until AUTH", () => {
  const o = { unauthenticated: true };
  strictEqual(requests(mbulk(..."a".repeat(10).split("")), o).length, 1);
  strictEqual(
    protocolError(mbulk(..."a".repeat(11).split("")), o),
    "Protocol error: unauthenticated multibulk length",
  );
  strictEqual(requests(mbulk("AUTH", "x".repeat(16384)), o).length, 1);
  strictEqual(
    protocolError(mbulk("AUTH", "x".repeat(16385)), o),
    "Protocol error: unauthenticated bulk length",
  );
  // Inline requests have no such limit.
  strictEqual(requests("a ".repeat(20) + "\r\n", o)[0]!.length, 20);
  // Once authenticated, the normal limits apply.
  const p = newParser(o);
  p.unauthenticated = false;
  p.feed(binaryToBytes(mbulk(..."a".repeat(11).split(""))));
  strictEqual(p.next()!.length, 11);
});

Deno.test("parser keeps requests parsed before an error", () => {
  const r = parse("PING\r\n" + mbulk("ECHO", "x") + "*1\r\nfoo\r\n" + "PING\r\n");
  deepStrictEqual(r.requests, [["PING"], ["ECHO", "x"]]);
  strictEqual(r.error, "Protocol error: expected '$', got 'f'");
});

// ---------------------------------------------------------------------------------------
// Writer

function written(resp: 2 | 3, f: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter(16);
  w.resp = resp;
  f(w);
  return bytesToBinary(w.take());
}

/** Asserts the bytes `f` writes in RESP2 and in RESP3. */
function both(f: (w: ReplyWriter) => void, resp2: string, resp3: string): void {
  strictEqual(written(2, f), resp2, "RESP2");
  strictEqual(written(3, f), resp3, "RESP3");
  // Every reply is one complete frame for a RESP reader.
  for (const s of [resp2, resp3]) {
    strictEqual(replyEnd(binaryToBytes(s)), s.length, escapeBytes(binaryToBytes(s)));
  }
}

Deno.test("writer encodes status, error and integer replies", () => {
  both((w) => w.ok(), "+OK\r\n", "+OK\r\n");
  both((w) => w.simple("QUEUED"), "+QUEUED\r\n", "+QUEUED\r\n");
  both((w) => w.error("ERR bad"), "-ERR bad\r\n", "-ERR bad\r\n");
  both((w) => w.error("ERR a\r\nb\nc"), "-ERR a  b c\r\n", "-ERR a  b c\r\n");
  for (const [n, s] of [[0, "0"], [7, "7"], [10, "10"], [-1, "-1"], [-42, "-42"]] as const) {
    both((w) => w.int(n), `:${s}\r\n`, `:${s}\r\n`);
  }
  both((w) => w.int(9007199254740993n), ":9007199254740993\r\n", ":9007199254740993\r\n");
  both((w) => w.int(-(2n ** 63n)), ":-9223372036854775808\r\n", ":-9223372036854775808\r\n");
});

Deno.test("writer counts errors and reports each to onError", () => {
  const w = new ReplyWriter();
  const seen: string[] = [];
  w.onError = (m) => seen.push(m);
  w.error("ERR one");
  w.ok();
  w.error("WRONGTYPE two");
  strictEqual(w.errors, 2);
  deepStrictEqual(seen, ["ERR one", "WRONGTYPE two"]);
});

Deno.test("writer encodes bulk strings of any bytes and length", () => {
  both((w) => w.bulk(""), "$0\r\n\r\n", "$0\r\n\r\n");
  both((w) => w.bulk("hey"), "$3\r\nhey\r\n", "$3\r\nhey\r\n");
  let all = "";
  for (let b = 0; b < 256; b++) all += String.fromCharCode(b);
  both((w) => w.bulk(all), `$256\r\n${all}\r\n`, `$256\r\n${all}\r\n`);
  // Long ASCII takes the native path; long non-ASCII must fall back byte by byte.
  const ascii = "a".repeat(100_000);
  both((w) => w.bulk(ascii), `$100000\r\n${ascii}\r\n`, `$100000\r\n${ascii}\r\n`);
  const high = "\xe9".repeat(70) + "a".repeat(70);
  both((w) => w.bulk(high), `$140\r\n${high}\r\n`, `$140\r\n${high}\r\n`);
  both(
    (w) => w.bulkBytes(new Uint8Array([0, 255, 13])),
    "$3\r\n\x00\xff\r\r\n",
    "$3\r\n\x00\xff\r\r\n",
  );
  both((w) => w.bulkOrNull("x"), "$1\r\nx\r\n", "$1\r\nx\r\n");
  both((w) => w.bulkInt(-12), "$3\r\n-12\r\n", "$3\r\n-12\r\n");
  both(
    (w) => w.bulkInt(2n ** 64n),
    "$20\r\n18446744073709551616\r\n",
    "$20\r\n18446744073709551616\r\n",
  );
});

Deno.test("writer encodes nulls as $-1/*-1 in RESP2 and _ in RESP3", () => {
  both((w) => w.nullBulk(), "$-1\r\n", "_\r\n");
  both((w) => w.nullArray(), "*-1\r\n", "_\r\n");
  both((w) => w.bulkOrNull(null), "$-1\r\n", "_\r\n");
  both((w) => w.bulkOrNull(undefined), "$-1\r\n", "_\r\n");
});

Deno.test("writer encodes aggregates: array, map, set, push, attribute", () => {
  both((w) => w.array(0), "*0\r\n", "*0\r\n");
  both(
    (w) => w.bulkArray(["a", "bc"]),
    "*2\r\n$1\r\na\r\n$2\r\nbc\r\n",
    "*2\r\n$1\r\na\r\n$2\r\nbc\r\n",
  );
  both(
    (w) => {
      w.map(2);
      w.bulk("k");
      w.int(1);
      w.bulk("l");
      w.array(1);
      w.int(2);
    },
    "*4\r\n$1\r\nk\r\n:1\r\n$1\r\nl\r\n*1\r\n:2\r\n",
    "%2\r\n$1\r\nk\r\n:1\r\n$1\r\nl\r\n*1\r\n:2\r\n",
  );
  both(
    (w) => {
      w.set(2);
      w.bulk("a");
      w.bulk("b");
    },
    "*2\r\n$1\r\na\r\n$1\r\nb\r\n",
    "~2\r\n$1\r\na\r\n$1\r\nb\r\n",
  );
  both(
    (w) => {
      w.push(3);
      w.bulk("message");
      w.bulk("ch");
      w.bulk("hi");
    },
    "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
    ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
  );
  strictEqual(
    written(3, (w) => {
      w.attribute(1);
      w.bulk("key-popularity");
      w.array(2);
      w.bulk("key:123");
      w.int(90);
      w.bulk("Some real reply following the attribute");
    }),
    "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n" +
      "$39\r\nSome real reply following the attribute\r\n",
  );
  strictEqual(written(2, (w) => w.array(12345)), "*12345\r\n");
});

Deno.test("writer encodes doubles, booleans, big numbers and verbatim strings", () => {
  both((w) => w.double(1.5), "$3\r\n1.5\r\n", ",1.5\r\n");
  both((w) => w.double(3), "$1\r\n3\r\n", ",3\r\n");
  both((w) => w.double(0.1), "$19\r\n0.10000000000000001\r\n", ",0.10000000000000001\r\n");
  both((w) => w.double(Infinity), "$3\r\ninf\r\n", ",inf\r\n");
  both((w) => w.double(-Infinity), "$4\r\n-inf\r\n", ",-inf\r\n");
  both((w) => w.doubleText("10.5"), "$4\r\n10.5\r\n", ",10.5\r\n");
  both((w) => w.bool(true), ":1\r\n", "#t\r\n");
  both((w) => w.bool(false), ":0\r\n", "#f\r\n");
  both(
    (w) => w.bigNumber("1234567999999999999999999999999999999"),
    "$37\r\n1234567999999999999999999999999999999\r\n",
    "(1234567999999999999999999999999999999\r\n",
  );
  both(
    (w) => w.verbatim("This is a verbatim\nstring"),
    "$25\r\nThis is a verbatim\nstring\r\n",
    "=29\r\ntxt:This is a verbatim\nstring\r\n",
  );
  both((w) => w.verbatim("# Server", "txt"), "$8\r\n# Server\r\n", "=12\r\ntxt:# Server\r\n");
});

Deno.test("writer take() hands out the pending bytes and keeps writing into a spare buffer", () => {
  const w = new ReplyWriter(8);
  w.bulk("x".repeat(50));
  w.ok();
  strictEqual(w.length, 62);
  const first = w.take();
  strictEqual(w.length, 0);
  w.simple("later");
  // The first view must stay intact while the second batch is written.
  strictEqual(bytesToBinary(first), `$50\r\n${"x".repeat(50)}\r\n+OK\r\n`);
  strictEqual(bytesToBinary(w.take()), "+later\r\n");
});

Deno.test("writer mark/truncate drops replies and clear discards all", () => {
  const w = new ReplyWriter();
  w.ok();
  const m = w.mark();
  w.bulk("suppressed");
  w.truncate(m);
  w.int(1);
  strictEqual(bytesToBinary(w.take()), "+OK\r\n:1\r\n");
  w.ok();
  w.clear();
  strictEqual(w.length, 0);
  w.truncate(100); // past the end: no effect
  strictEqual(w.length, 0);
});

Deno.test("writer shrinks its buffers after a large reply", () => {
  const w = new ReplyWriter();
  w.bulk("x".repeat(3 * 1024 * 1024));
  strictEqual(w.take().length, 3 * 1024 * 1024 + 12);
  w.shrink();
  w.bulk("y".repeat(3 * 1024 * 1024));
  strictEqual(w.take().length, 3 * 1024 * 1024 + 12);
  w.shrink();
  w.ok();
  strictEqual(bytesToBinary(w.take()), "+OK\r\n");
});

// ---------------------------------------------------------------------------------------
// Reply framer (conformance/reply_reader.ts)

Deno.test("reply framer finds the end of nested RESP2 and RESP3 replies", () => {
  const frames = [
    "+OK\r\n",
    "-ERR x\r\n",
    ":12\r\n",
    "$-1\r\n",
    "*-1\r\n",
    "$0\r\n\r\n",
    "$4\r\na\r\nb\r\n",
    "*0\r\n",
    "*2\r\n*1\r\n:1\r\n$1\r\nx\r\n",
    "%1\r\n+k\r\n~2\r\n:1\r\n:2\r\n",
    ">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n",
    "|1\r\n+a\r\n:1\r\n+real\r\n",
    "*2\r\n|1\r\n+a\r\n:1\r\n:5\r\n:6\r\n",
    "_\r\n",
    "#t\r\n",
    ",1.5\r\n",
    "(123\r\n",
    "=8\r\ntxt:abcd\r\n",
    "!3\r\nERR\r\n",
  ];
  for (const f of frames) {
    const b = binaryToBytes(f + "+NEXT\r\n");
    strictEqual(replyEnd(b), f.length, f);
    // Every proper prefix is incomplete.
    for (let i = 0; i < f.length; i++) strictEqual(replyEnd(b.subarray(0, i)), -1, `${f} @${i}`);
  }
  throws(() => replyEnd(binaryToBytes("?x\r\n")), { name: "ReplyFormatError" });
  throws(() => replyEnd(binaryToBytes("$1\r\nab\r\n")), { name: "ReplyFormatError" });
  strictEqual(escapeBytes(binaryToBytes("a\r\n\x00\\")), "a\\r\\n\\x00\\\\");
});

Deno.test("a declared big bulk reserves no memory before its bytes arrive", () => {
  const p = newParser({});
  p.feed(binaryToBytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$400000000\r\nabc"));
  strictEqual(p.next(), null);
  // Only the header and the bytes received are buffered; nothing near 400 MB.
  strictEqual(p.capacity, 16 * 1024);
});

Deno.test("a bulk longer than V8's longest string is an invalid bulk length", () => {
  // proto-max-bulk-len defaults to 512MB = 2^29, 24 bytes more than V8 can hold in a string.
  strictEqual(
    protocolError("*2\r\n$3\r\nGET\r\n$536870889\r\n", { maxBulkLen: 512 * 1024 * 1024 }),
    "Protocol error: invalid bulk length",
  );
  const p = newParser({ maxBulkLen: 512 * 1024 * 1024 });
  p.feed(binaryToBytes("*2\r\n$3\r\nGET\r\n$536870888\r\n"));
  strictEqual(p.next(), null); // the largest holdable length is accepted and awaited
});
