/**
 * cedis-cli: reply decoding and redis-cli-style formatting at unit level (expected texts are
 * what redis-cli 7.0.15 prints for the same reply bytes), then the real program spawned
 * against an in-process server, one-shot and as a REPL on piped stdin.
 *
 * @module
 */
import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { startServer } from "./_server.ts";
import {
  encodeCommand,
  formatRaw,
  formatReply,
  formatTTY,
  parseCliArgs,
  parseLine,
  promptFor,
  repr,
} from "../cli.ts";
import { type Reply, ReplyDecoder, ReplyProtocolError } from "../src/resp/reply.ts";
import { binaryToBytes, bytesToBinary } from "../src/resp/bytes.ts";

/** Decodes every reply in `bytes` (a binary string), fed whole or one byte at a time. */
function decodeAll(bytes: string, byteByByte = false): Reply[] {
  const d = new ReplyDecoder();
  const out: Reply[] = [];
  const b = binaryToBytes(bytes);
  const chunks = byteByByte ? Array.from(b, (x) => Uint8Array.of(x)) : [b];
  for (const c of chunks) {
    d.feed(c);
    for (let r = d.next(); r !== undefined; r = d.next()) out.push(r);
  }
  strictEqual(d.pending, 0);
  return out;
}

const utf8 = new TextDecoder();
/** Printed output as the terminal shows it (the formatter returns binary strings). */
const shown = (s: string) => utf8.decode(binaryToBytes(s));

/** [command, reply bytes from Redis, redis-cli --no-raw output, redis-cli --raw output]. */
const CASES: [string, string, string, string][] = [
  [
    "get s1",
    '$14\r\na"b\\c\n\u0001Ã© \t\r\u0007\b\r\n',
    '"a\\"b\\\\c\\n\\x01\\xc3\\xa9 \\t\\r\\a\\b"\n',
    'a"b\\c\n\u0001é \t\r\u0007\b\n',
  ],
  [
    "get nope",
    "$-1\r\n",
    "(nil)\n",
    "\n",
  ],
  [
    "incr s1",
    "-ERR value is not an integer or out of range\r\n",
    "(error) ERR value is not an integer or out of range\n",
    "ERR value is not an integer or out of range\n\n",
  ],
  [
    "xrange s - +",
    "*2\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n$1\r\nw\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
    '1) 1) "1-1"\n   2) 1) "f"\n      2) "v"\n      3) "g"\n      4) "w"\n2) 1) "2-1"\n   2) 1) "f"\n      2) "v"\n',
    "1-1\nf\nv\ng\nw\n2-1\nf\nv\n",
  ],
  [
    "mget l nope s1",
    '*3\r\n$-1\r\n$-1\r\n$14\r\na"b\\c\n\u0001Ã© \t\r\u0007\b\r\n',
    '1) (nil)\n2) (nil)\n3) "a\\"b\\\\c\\n\\x01\\xc3\\xa9 \\t\\r\\a\\b"\n',
    '\n\na"b\\c\n\u0001é \t\r\u0007\b\n',
  ],
  [
    "lrange l 0 -1",
    "*11\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n$1\r\nh\r\n$1\r\ni\r\n$1\r\nj\r\n$1\r\nk\r\n",
    ' 1) "a"\n 2) "b"\n 3) "c"\n 4) "d"\n 5) "e"\n 6) "f"\n 7) "g"\n 8) "h"\n 9) "i"\n10) "j"\n11) "k"\n',
    "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n",
  ],
  [
    "lrange nope 0 -1",
    "*0\r\n",
    "(empty array)\n",
    "\n",
  ],
  [
    "command getkeysandflags rename a b",
    "*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n",
    '1) 1) "a"\n   2) 1) RW\n      2) access\n      3) delete\n2) 1) "b"\n   2) 1) OW\n      2) update\n',
    "a\nRW\naccess\ndelete\nb\nOW\nupdate\n",
  ],
  [
    "3:command docs get",
    "%1\r\n$3\r\nget\r\n%5\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*1\r\n%3\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n",
    '1# "get" => \n   1# "summary" => "Get the value of a key"\n   2# "since" => "1.0.0"\n   3# "group" => "string"\n   4# "complexity" => "O(1)"\n   5# "arguments" => \n      1) 1# "name" => "key"\n         2# "type" => "key"\n         3# "key_spec_index" => (integer) 0\n',
    "get summary Get the value of a key\nsince 1.0.0\ngroup string\ncomplexity O(1)\narguments name key\ntype key\nkey_spec_index 0\n",
  ],
  [
    "3:debug protocol map",
    "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n",
    "1# (integer) 0 => (false)\n2# (integer) 1 => (true)\n3# (integer) 2 => (false)\n",
    "0 (false)\n1 (true)\n2 (false)\n",
  ],
  [
    "3:debug protocol set",
    "~3\r\n:0\r\n:1\r\n:2\r\n",
    "1~ (integer) 0\n2~ (integer) 1\n3~ (integer) 2\n",
    "0\n1\n2\n",
  ],
  [
    "3:debug protocol double",
    ",3.141\r\n",
    "(double) 3.141\n",
    "3.141\n",
  ],
  [
    "3:debug protocol true",
    "#t\r\n",
    "(true)\n",
    "(true)\n",
  ],
  [
    "3:debug protocol verbatim",
    "=29\r\ntxt:This is a verbatim\nstring\r\n",
    "This is a verbatim\nstring\n",
    "This is a verbatim\nstring\n",
  ],
  [
    "3:debug protocol null",
    "_\r\n",
    "(nil)\n",
    "\n",
  ],
  [
    "3:hgetall nope",
    "%0\r\n",
    "(empty hash)\n",
    "\n",
  ],
  [
    "3:smembers nope",
    "~0\r\n",
    "(empty set)\n",
    "\n",
  ],
  [
    "3:zrange z 0 -1 withscores",
    "*2\r\n*2\r\n$1\r\nm\r\n,1.5\r\n*2\r\n$1\r\nn\r\n,2\r\n",
    '1) 1) "m"\n   2) (double) 1.5\n2) 1) "n"\n   2) (double) 2\n',
    "m\n1.5\nn\n2\n",
  ],
  [
    "3:command info get",
    "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n",
    '1)  1) "get"\n    2) (integer) 2\n    3) 1~ readonly\n       2~ fast\n    4) (integer) 1\n    5) (integer) 1\n    6) (integer) 1\n    7) 1~ @read\n       2~ @string\n       3~ @fast\n    8) (empty set)\n    9) 1~ 1# "flags" => \n             1~ RO\n             2~ access\n          2# "begin_search" => \n             1# "type" => "index"\n             2# "spec" => 1# "index" => (integer) 1\n          3# "find_keys" => \n             1# "type" => "range"\n             2# "spec" => \n                1# "lastkey" => (integer) 0\n                2# "keystep" => (integer) 1\n                3# "limit" => (integer) 0\n   10) (empty set)\n',
    "get\n2\nreadonly\nfast\n1\n1\n1\n@read\n@string\n@fast\n\nflags RO\naccess\nbegin_search type index\nspec index 1\nfind_keys type range\nspec lastkey 0\nkeystep 1\nlimit 0\n\n",
  ],
  [
    "blpop nope 0.01",
    "*-1\r\n",
    "(nil)\n",
    "\n",
  ],
];

Deno.test("replies print like redis-cli, formatted and raw", () => {
  for (const [cmd, bytes, tty, raw] of CASES) {
    const replies = decodeAll(bytes);
    strictEqual(replies.length, 1, cmd);
    strictEqual(shown(formatReply(replies[0]!, false)), tty, cmd);
    strictEqual(shown(formatReply(replies[0]!, true)), raw, cmd);
  }
});

Deno.test("the reply decoder resumes across any split", () => {
  const all = CASES.map((c) => c[1]).join("");
  const whole = decodeAll(all);
  strictEqual(whole.length, CASES.length);
  deepStrictEqual(decodeAll(all, true), whole);
  deepStrictEqual(decodeAll(":-12\r\n:123456789012345678901\r\n(1e3\r\n!5\r\nERR x\r\n"), [
    { type: "integer", value: -12 },
    { type: "integer", value: 123456789012345678901n },
    { type: "bignum", value: "1e3" },
    { type: "error", value: "ERR x" },
  ]);
  // An attribute annotates the next reply and is dropped, also inside an aggregate.
  deepStrictEqual(decodeAll("|1\r\n+a\r\n+b\r\n:1\r\n*2\r\n|1\r\n+k\r\n+v\r\n:1\r\n$-1\r\n"), [
    { type: "integer", value: 1 },
    { type: "array", value: [{ type: "integer", value: 1 }, { type: "null" }] },
  ]);
  deepStrictEqual(decodeAll(">2\r\n$1\r\na\r\n*0\r\n"), [
    { type: "push", value: [{ type: "bulk", value: "a" }, { type: "array", value: [] }] },
  ]);
  const d = new ReplyDecoder();
  d.feed(binaryToBytes("?x\r\n"));
  throws(() => d.next(), ReplyProtocolError);
});

Deno.test("formatting handles binary strings, nested empties and push replies", () => {
  strictEqual(repr('\x00\xff"\\ok\x7f'), '"\\x00\\xff\\"\\\\ok\\x7f"');
  const nested: Reply = {
    type: "array",
    value: [{ type: "array", value: [] }, { type: "error", value: "ERR x" }, {
      type: "map",
      value: [[{ type: "bulk", value: "k" }, { type: "set", value: [] }]],
    }],
  };
  strictEqual(
    formatTTY(nested),
    '1) (empty array)\n2) (error) ERR x\n3) 1# "k" => (empty set)\n',
  );
  strictEqual(formatRaw(nested), "\nERR x\n\nk ");
  strictEqual(formatTTY({ type: "push", value: [] }), "(empty push)\n");
  strictEqual(formatTTY({ type: "bignum", value: "123" }), "(big number) 123\n");
});

Deno.test("command line and input lines are parsed like redis-cli", () => {
  const o = parseCliArgs(["-h", "localhost", "-p", "7000", "-a", "pw", "-n", "2", "-3", "set"]);
  strictEqual(o.host, "localhost");
  strictEqual(o.port, 7000);
  strictEqual(o.password, "pw");
  strictEqual(o.db, 2);
  strictEqual(o.resp3, true);
  deepStrictEqual(o.command, ["set"]);
  // Arguments after the command are the command's, dashes included; UTF-8 becomes bytes.
  deepStrictEqual(parseCliArgs(["--raw", "incrby", "k", "-1"]).command, ["incrby", "k", "-1"]);
  strictEqual(parseCliArgs(["--raw"]).raw, true);
  strictEqual(parseCliArgs(["--no-raw"]).raw, false);
  deepStrictEqual(parseCliArgs(["echo", "é"]).command, ["echo", "\xc3\xa9"]);
  throws(() => parseCliArgs(["-p"]), /bad number of args for: '-p'/);
  throws(() => parseCliArgs(["-p", "x"]), /Invalid value for '-p'/);
  throws(() => parseCliArgs(["--nope"]), /Unrecognized option/);
  deepStrictEqual(parseLine('set "a b" \'c\\\'d\' \\x41 "\\x41"'), {
    repeat: 1,
    args: ["set", "a b", "c'd", "\\x41", "A"],
  });
  deepStrictEqual(parseLine("3 ping"), { repeat: 3, args: ["ping"] });
  deepStrictEqual(parseLine("  "), { repeat: 1, args: [] });
  strictEqual(parseLine('get "open'), null);
  strictEqual(promptFor("127.0.0.1", 6379, 0, false), "127.0.0.1:6379> ");
  strictEqual(promptFor("h", 1, 3, true), "h:1[3](TX)> ");
  strictEqual(
    bytesToBinary(encodeCommand(["SET", "k\r\n", ""])),
    "*3\r\n$3\r\nSET\r\n$3\r\nk\r\n\r\n$0\r\n\r\n",
  );
});

// --- the program itself ---------------------------------------------------------------

const cliPath = new URL("../cli.ts", import.meta.url).pathname;

/** Runs cedis-cli with `args` (stdin from `input`) and returns its exit code and output. */
async function cli(
  args: string[],
  input = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", cliPath, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(input));
  await w.close();
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("cedis-cli runs one command and prints the reply like redis-cli", async () => {
  const t = startServer();
  const p = String(t.port);
  try {
    const [set, get, getTty, err, nested] = await Promise.all([
      cli(["-p", p, "set", "a", "b"]),
      cli(["-p", p, "echo", "b"]),
      cli(["-p", p, "--no-raw", "echo", 'x"\ny']),
      cli(["-p", p, "--no-raw", "command", "getkeys", "ping", "x"]),
      cli(["-p", p, "--no-raw", "command", "info", "command|count", "nope"]),
    ]);
    deepStrictEqual(set, { code: 0, stdout: "OK\n", stderr: "" });
    strictEqual(get.stdout, "b\n");
    strictEqual(getTty.stdout, '"x\\"\\ny"\n');
    strictEqual(err.stdout, "(error) ERR The command has no key arguments\n");
    strictEqual(
      nested.stdout,
      [
        '1)  1) "command|count"',
        "    2) (integer) 2",
        "    3) 1) loading",
        "       2) stale",
        "    4) (integer) 0",
        "    5) (integer) 0",
        "    6) (integer) 0",
        "    7) 1) @slow",
        "       2) @connection",
        "    8) (empty array)",
        "    9) (empty array)",
        "   10) (empty array)",
        "2) (nil)",
        "",
      ].join("\n"),
    );
    const after = await cli(["-p", p, "get", "a"]);
    strictEqual(after.stdout, "b\n");
  } finally {
    await t.close();
  }
});

Deno.test("cedis-cli reads commands from piped stdin", async () => {
  const t = startServer();
  const p = String(t.port);
  try {
    const input = [
      "set k v",
      "get k",
      "",
      'get "unbalanced',
      "2 ping",
      "select 1",
      "get k",
      'echo "a b"',
      "quit",
      "ping",
    ].join("\n") + "\n";
    const raw = await cli(["-p", p], input);
    deepStrictEqual(raw, {
      code: 0,
      stdout: "OK\nv\nInvalid argument(s)\nPONG\nPONG\nOK\n\na b\n",
      stderr: "",
    });
    const tty = await cli(["-p", p, "--no-raw", "-n", "1"], "get k\necho x\n");
    strictEqual(tty.stdout, '(nil)\n"x"\n');
  } finally {
    await t.close();
  }
});

Deno.test("cedis-cli reports connection and AUTH failures like redis-cli", async () => {
  const t = startServer({ requirepass: "secret" });
  const p = String(t.port);
  try {
    const good = await cli(["-p", p, "-a", "secret", "ping"]);
    strictEqual(good.stdout, "PONG\n");
    ok(good.stderr.startsWith("Warning: Using a password with '-a'"), good.stderr);
    const bad = await cli(["-p", p, "-a", "wrong", "--no-auth-warning", "ping"]);
    ok(bad.stderr.startsWith("AUTH failed: "), bad.stderr);
    strictEqual(bad.stdout, "NOAUTH Authentication required.\n\n");
  } finally {
    await t.close();
  }
  // The server is gone: nothing listens on its port any more.
  const refused = await cli(["-p", p, "ping"]);
  strictEqual(refused.code, 1);
  strictEqual(refused.stderr, `Could not connect to Redis at 127.0.0.1:${p}: Connection refused\n`);
});
