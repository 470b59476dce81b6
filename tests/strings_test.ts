import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { client, expectRaw, FakeClock, RawClient, recordEvents, startServer } from "./_server.ts";
import { RawString, type TypedValue, type TypeName } from "../src/store/value.ts";
import {
  addLongDouble,
  formatLongDoubleHuman,
  incrByFloat,
  lcs,
  type LongDouble,
  parseLongDouble,
} from "../src/types/string_ops.ts";

/** A non-string value, so WRONGTYPE paths can be tested without the list commands. */
class FakeList implements TypedValue {
  readonly type: TypeName = "list";
  encoding(): string {
    return "listpack";
  }
  clone(): FakeList {
    return new FakeList();
  }
}

const WRONGTYPE = /^ReplyError: WRONGTYPE Operation against a key holding the wrong kind of value$/;

function ld(s: string): LongDouble {
  const v = parseLongDouble(s);
  if (v === null) throw new Error(`not a long double: ${s}`);
  return v;
}

function incrOk(cur: string | null, by: string): string {
  const r = incrByFloat(cur, by);
  if (!r.ok) throw new Error(`${cur} + ${by} failed: ${r.error}`);
  return r.value;
}

Deno.test("long double sums print like Redis's %.17Lf on x86-64", () => {
  // Expected values were read from real Redis 7.0.15 (INCRBYFLOAT).
  strictEqual(incrOk("10.5", "0.1"), "10.6");
  strictEqual(incrOk(null, "1.0e3"), "1000");
  strictEqual(incrOk("5.0e3", "-5.0e3"), "0");
  strictEqual(incrOk(null, "3e-5"), "0.00003");
  strictEqual(incrOk("0.1", "0.2"), "0.3");
  strictEqual(incrOk("1.1", "2.2"), "3.3");
  strictEqual(incrOk("1", "-1.1"), "-0.1");
  strictEqual(incrOk(null, "1e30"), "1000000000000000000024696061952");
  strictEqual(incrOk(null, "1e20"), "100000000000000000000");
  strictEqual(incrOk(null, "1.23456789012345678901234"), "1.23456789012345679");
  strictEqual(incrOk(null, "12345678901234567890.123"), "12345678901234567890");
  strictEqual(incrOk("9007199254740993", "1"), "9007199254740994");
  strictEqual(incrOk("17179869184", "1.5"), "17179869185.5");
  strictEqual(incrOk(null, "1e-17"), "0.00000000000000001");
  // Below the 17th decimal: rounds to zero, and a negative zero prints as "0".
  strictEqual(incrOk(null, "5e-18"), "0");
  strictEqual(incrOk(null, "-5e-18"), "0");
  strictEqual(incrOk(null, "-0.000000000000000015"), "-0.00000000000000002");
  strictEqual(incrOk("0.024390243902439025", "-0.024390243902439025"), "0");
  // Exact ties at the 17th decimal round half to even (glibc printf).
  strictEqual(incrOk(null, "0x1p-18"), "0.00000381469726562");
  strictEqual(incrOk(null, "0x3p-18"), "0.00001144409179688");
  // Hex floats and other strtold forms.
  strictEqual(incrOk(null, "0x10"), "16");
  strictEqual(incrOk(null, "0x1.8"), "1.5");
  strictEqual(incrOk(null, "0x.8"), "0.5");
  strictEqual(incrOk(null, "0X1P3"), "8");
  strictEqual(incrOk(null, "+1.5"), "1.5");
  strictEqual(incrOk(null, ".5"), "0.5");
  strictEqual(incrOk(null, "5."), "5");
  strictEqual(incrOk(null, "-0.0"), "0");
  // Beyond binary64: x87 long double range.
  strictEqual(incrOk("1e308", "1e308").length, 309);
  strictEqual(incrOk(null, "1e4000").length, 4000); // 9999...: just below 10^4000
  strictEqual(incrOk(null, "4e-4951"), "0");
});

Deno.test("long double parsing rejects what Redis rejects", () => {
  for (
    const bad of [
      "",
      " 1",
      "1 ",
      "abc",
      "1e",
      "1e+",
      "0x",
      "0x1p",
      "1_0",
      "1,5",
      "1e2.5",
      "nan",
      "NaN",
      "nan(1)",
      "infinit",
      "1\x002",
      "--1",
      ".",
      "e5",
      "1e5000", // overflow
      "1.18973149535723176509e+4932", // rounds up past LDBL_MAX
      "0x1.ffffffffffffffffp16383",
      "1e-5000", // nonzero digits rounding to zero
      "1e-4951",
      "0".repeat(5119) + "1", // 5120 chars: too long
    ]
  ) {
    strictEqual(parseLongDouble(bad), null, JSON.stringify(bad.slice(0, 40)));
  }
  strictEqual(ld("0".repeat(5118) + "1").mant > 0n, true);
  strictEqual(ld("0e-5000").mant, 0n);
  strictEqual(ld("inf").inf, true);
  strictEqual(ld("-Infinity").neg, true);
  deepStrictEqual(incrByFloat("abc", "1"), { ok: false, error: "value" });
  deepStrictEqual(incrByFloat("1", "abc"), { ok: false, error: "increment" });
  deepStrictEqual(incrByFloat("0", "+inf"), { ok: false, error: "nan-or-inf" });
  deepStrictEqual(incrByFloat("inf", "-inf"), { ok: false, error: "nan-or-inf" });
  deepStrictEqual(incrByFloat("1e4932", "1e4932"), { ok: false, error: "nan-or-inf" });
});

Deno.test("long double addition is exact before one final rounding", () => {
  // 2^64 + 1 is not representable: rounds to even (2^64); 2^64 + 3 rounds up.
  strictEqual(
    formatLongDoubleHuman(addLongDouble(ld("18446744073709551616"), ld("1"))!),
    "18446744073709551616",
  );
  strictEqual(
    formatLongDoubleHuman(addLongDouble(ld("18446744073709551616"), ld("3"))!),
    "18446744073709551620",
  );
  strictEqual(addLongDouble(ld("inf"), ld("-inf")), null);
  strictEqual(formatLongDoubleHuman(addLongDouble(ld("-0"), ld("-0"))!), "0");
});

Deno.test("LCS walks back from the end and reports ranges like Redis", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const r = lcs(enc("ohmytext"), enc("mynewtext"), { text: true, matches: true, minMatchLen: 0 });
  strictEqual(r.len, 6);
  strictEqual(r.text, "mytext");
  deepStrictEqual(r.matches.map((m) => [m.a, m.b, m.len]), [[[4, 7], [5, 8], 4], [
    [2, 3],
    [0, 1],
    2,
  ]]);
  const min = lcs(enc("ohmytext"), enc("mynewtext"), {
    text: false,
    matches: true,
    minMatchLen: 4,
  });
  deepStrictEqual(min.matches.map((m) => m.len), [4]);
  strictEqual(lcs(enc(""), enc("abc"), { text: true, matches: true, minMatchLen: 0 }).text, "");
  // Binary bytes, including NUL and 0xff.
  const b = lcs(
    new Uint8Array([0, 255, 1, 97]),
    new Uint8Array([120, 0, 1, 97, 255]),
    { text: true, matches: false, minMatchLen: 0 },
  );
  strictEqual(b.text, "\x00\x01a");
});

Deno.test("GET/SET round-trip binary values and report errors byte for byte", async () => {
  const t = startServer();
  const r = await client(t);
  const raw = await RawClient.connect(t.port);
  try {
    const bin = Buffer.from([0, 255, 13, 10, 128, 97]);
    strictEqual(await r.set(Buffer.from([0, 1, 255]), bin), "OK");
    deepStrictEqual(await r.getBuffer(Buffer.from([0, 1, 255])), bin);
    strictEqual(await r.get("nokey"), null);
    await expectRaw(raw, ["SET", "k", "v"], "+OK\r\n");
    await expectRaw(raw, ["GET", "k"], "$1\r\nv\r\n");
    await expectRaw(raw, ["GET", "nokey"], "$-1\r\n");
    await expectRaw(
      raw,
      ["SET", "k", "v", "ex", "0"],
      "-ERR invalid expire time in 'set' command\r\n",
    );
    await expectRaw(raw, ["SET", "k", "v", "nx", "xx"], "-ERR syntax error\r\n");
    await expectRaw(
      raw,
      ["SET", "k", "v", "ex", "abc"],
      "-ERR value is not an integer or out of range\r\n",
    );
    await expectRaw(
      raw,
      ["SETEX", "k", "-1", "v"],
      "-ERR invalid expire time in 'setex' command\r\n",
    );
    await expectRaw(
      raw,
      ["PSETEX", "k", "0", "v"],
      "-ERR invalid expire time in 'psetex' command\r\n",
    );
    await expectRaw(
      raw,
      ["GETEX", "k", "px", "0"],
      "-ERR invalid expire time in 'getex' command\r\n",
    );
    await expectRaw(raw, ["SET", "k"], "-ERR wrong number of arguments for 'set' command\r\n");
    await expectRaw(
      raw,
      ["MSET", "a", "1", "b"],
      "-ERR wrong number of arguments for 'mset' command\r\n",
    );
    await expectRaw(raw, ["INCRBYFLOAT", "f", "10.5"], "$4\r\n10.5\r\n");
    await expectRaw(raw, ["INCRBYFLOAT", "f", "0.1"], "$4\r\n10.6\r\n");
    await expectRaw(
      raw,
      ["INCRBYFLOAT", "f", "+inf"],
      "-ERR increment would produce NaN or Infinity\r\n",
    );
    await expectRaw(
      raw,
      ["DECRBY", "n", "-9223372036854775808"],
      "-ERR decrement would overflow\r\n",
    );
    await expectRaw(raw, ["MSET", "s1", "ohmytext", "s2", "mynewtext"], "+OK\r\n");
    await expectRaw(
      raw,
      ["LCS", "s1", "s2", "IDX", "WITHMATCHLEN"],
      "*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n" +
        "*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n",
    );
    await expectRaw(
      raw,
      ["LCS", "s1", "s2", "LEN", "IDX"],
      "-ERR If you want both the length and indexes, please just use IDX.\r\n",
    );
    // Switch to RESP3; the HELLO reply holds the client id, so skip up to a PING's reply.
    await raw.command("HELLO", "3");
    await raw.command("PING");
    let skipped = "";
    while (!skipped.endsWith("+PONG\r\n")) skipped += await raw.readBytes(1);
    await expectRaw(
      raw,
      ["LCS", "s1", "s2", "IDX", "MINMATCHLEN", "4"],
      "%2\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n",
    );
    await expectRaw(raw, ["GET", "nokey"], "_\r\n");
  } finally {
    raw.close();
    r.disconnect();
    await t.close();
  }
});

Deno.test("SET options: NX, XX, GET, KEEPTTL and expirations", async () => {
  const clock = new FakeClock();
  const t = startServer({}, { clock: clock.now });
  const r = await client(t);
  try {
    strictEqual(await r.set("k", "1", "NX"), "OK");
    strictEqual(await r.set("k", "2", "NX"), null);
    strictEqual(await r.set("missing", "1", "XX"), null);
    strictEqual(await r.exists("missing"), 0);
    strictEqual(await r.set("k", "3", "XX"), "OK");
    strictEqual(await r.call("set", "k", "4", "GET"), "3");
    strictEqual(await r.call("set", "k", "5", "NX", "GET"), "4");
    strictEqual(await r.get("k"), "4");
    strictEqual(await r.call("set", "new", "1", "XX", "GET"), null);
    strictEqual(await r.exists("new"), 0);
    strictEqual(await r.set("k", "v", "EX", 100), "OK");
    strictEqual(await r.pttl("k"), 100000);
    strictEqual(await r.call("set", "k", "w", "KEEPTTL"), "OK");
    strictEqual(await r.pttl("k"), 100000);
    strictEqual(await r.set("k", "x"), "OK");
    strictEqual(await r.pttl("k"), -1);
    strictEqual(await r.set("k", "v", "PX", 1500), "OK");
    strictEqual(await r.pttl("k"), 1500);
    await r.call("set", "k", "v", "EXAT", String(Math.floor(clock.ms / 1000) + 10));
    strictEqual((await r.ttl("k")) <= 10 && (await r.ttl("k")) >= 9, true);
    await r.call("set", "k", "v", "PXAT", String(clock.ms + 2500));
    strictEqual(await r.pttl("k"), 2500);
    await r.call("set", "k", "v", "EX", "10", "EX", "20");
    strictEqual(await r.ttl("k"), 20);
    clock.advance(20000);
    strictEqual(await r.get("k"), null);
    // An absolute time already past stores the key, which is gone on the next lookup.
    strictEqual(await r.call("set", "past", "v", "PXAT", "1"), "OK");
    strictEqual(await r.exists("past"), 0);
    for (
      const args of [
        ["EX", "10", "PX", "10"],
        ["KEEPTTL", "EX", "10"],
        ["EX", "10", "KEEPTTL"],
        ["XX", "NX"],
        ["EX"],
        ["PERSIST"],
        ["bogus"],
      ]
    ) {
      await rejects(r.call("set", "k", "v", ...args), /^ReplyError: ERR syntax error$/);
    }
    await rejects(
      r.call("set", "k", "v", "EX", "9223372036854775"),
      /ERR invalid expire time in 'set' command/,
    );
    strictEqual(await r.call("set", "k", "v", "EXAT", "9223372036854775"), "OK");
    t.server.keyspace.dbs[0]!.set("list", new FakeList());
    await rejects(r.call("set", "list", "v", "GET"), WRONGTYPE);
    strictEqual(await r.set("list", "v"), "OK");
    strictEqual(await r.type("list"), "string");
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("SETNX, SETEX, PSETEX, GETSET, GETDEL and GETEX", async () => {
  const clock = new FakeClock();
  const t = startServer({}, { clock: clock.now });
  const r = await client(t);
  try {
    strictEqual(await r.setnx("n", "a"), 1);
    strictEqual(await r.setnx("n", "b"), 0);
    strictEqual(await r.get("n"), "a");
    strictEqual(await r.setex("se", 100, "v"), "OK");
    strictEqual(await r.ttl("se"), 100);
    strictEqual(await r.psetex("pse", 1234, "v"), "OK");
    strictEqual(await r.pttl("pse"), 1234);
    clock.advance(1234);
    strictEqual(await r.setnx("pse", "again"), 1);
    strictEqual(await r.getset("se", "w"), "v");
    strictEqual(await r.ttl("se"), -1, "GETSET clears the TTL");
    strictEqual(await r.getset("fresh", "x"), null);
    strictEqual(await r.getdel("fresh"), "x");
    strictEqual(await r.getdel("fresh"), null);
    strictEqual(await r.exists("fresh"), 0);

    await r.set("g", "val");
    strictEqual(await r.getex("g"), "val");
    strictEqual(await r.getex("g", "EX", 10), "val");
    strictEqual(await r.ttl("g"), 10);
    strictEqual(await r.getex("g", "PX", 5000), "val");
    strictEqual(await r.pttl("g"), 5000);
    strictEqual(await r.getex("g", "EXAT", Math.floor(clock.ms / 1000) + 100), "val");
    strictEqual(await r.getex("g", "PXAT", clock.ms + 7000), "val");
    strictEqual(await r.pttl("g"), 7000);
    strictEqual(await r.getex("g", "PERSIST"), "val");
    strictEqual(await r.ttl("g"), -1);
    strictEqual(await r.getex("missing", "EX", 10), null);
    strictEqual(await r.call("getex", "missing", "EX", "abc"), null);
    await rejects(r.call("getex", "g", "EX", "abc"), /ERR value is not an integer or out of range/);
    await rejects(r.call("getex", "g", "EX", "10", "PERSIST"), /ERR syntax error/);
    await rejects(r.call("getex", "g", "NX"), /ERR syntax error/);
    await rejects(r.call("getex", "g", "EX", "0"), /ERR invalid expire time in 'getex' command/);
    // A time in the past deletes the key but still returns the value.
    strictEqual(await r.getex("g", "EXAT", 1), "val");
    strictEqual(await r.exists("g"), 0);
    t.server.keyspace.dbs[0]!.set("list", new FakeList());
    for (const cmd of [["getset", "list", "v"], ["getdel", "list"], ["getex", "list"]]) {
      await rejects(r.call(cmd[0]!, ...cmd.slice(1)), WRONGTYPE);
    }
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("string writes emit Redis's keyspace events", async () => {
  const t = startServer();
  const r = await client(t);
  const events = recordEvents(t);
  try {
    await r.set("a", "1");
    await r.set("a", "1", "EX", 10);
    await r.getex("a", "PERSIST");
    await r.getex("a", "PERSIST"); // no TTL left: no event
    await r.getex("a", "EX", 10);
    await r.getex("a", "PXAT", 1);
    await r.set("a", "1");
    await r.getdel("a");
    await r.setex("a", 10, "v");
    await r.setnx("a", "x"); // exists: no event
    await r.mset("m1", "1", "m2", "2");
    await r.append("a", "x");
    await r.setrange("a", 0, "y");
    await r.setrange("a", 0, ""); // nothing written: no event
    await r.incr("i");
    await r.incrbyfloat("i", 1.5);
    await r.decr("d");
    await r.getset("a", "z");
    deepStrictEqual(events, [
      "set:a",
      "set:a",
      "expire:a",
      "persist:a",
      "expire:a",
      "del:a",
      "set:a",
      "del:a",
      "set:a",
      "expire:a",
      "set:m1",
      "set:m2",
      "append:a",
      "setrange:a",
      "incrby:i",
      "incrbyfloat:i",
      "incrby:d",
      "set:a",
    ]);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("MSET, MSETNX and MGET handle many keys and non-string values", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    const args: string[] = [];
    const keys: string[] = [];
    for (let i = 0; i < 12000; i++) {
      args.push(`key:${i}`, `value:${i}`);
      keys.push(`key:${i}`);
    }
    strictEqual(await r.mset(...args), "OK");
    const values = await r.mget(...keys);
    strictEqual(values.length, 12000);
    strictEqual(values[0], "value:0");
    strictEqual(values[11999], "value:11999");
    strictEqual(await r.dbsize(), 12000);
    t.server.keyspace.dbs[0]!.set("list", new FakeList());
    deepStrictEqual(await r.mget("key:1", "nokey", "list"), ["value:1", null, null]);
    strictEqual(await r.msetnx("x1", "xxx", "y2", "yyy", "key:1", "20"), 0);
    strictEqual(await r.exists("x1", "y2"), 0);
    strictEqual(await r.msetnx("x1", "xxx", "x1", "yyy"), 1);
    strictEqual(await r.get("x1"), "yyy");
    await rejects(r.call("msetnx", "a", "1", "b"), /wrong number of arguments for 'msetnx'/);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("APPEND and SETRANGE edit a raw string in place, within proto-max-bulk-len", async () => {
  const t = startServer({ "proto-max-bulk-len": "1mb" });
  const r = await client(t);
  try {
    strictEqual(await r.append("a", "123"), 3);
    strictEqual(await r.object("ENCODING", "a"), "int", "a new key is stored like SET");
    strictEqual(await r.append("a", "4"), 4);
    strictEqual(await r.object("ENCODING", "a"), "raw");
    strictEqual(t.server.keyspace.dbs[0]!.get("a") instanceof RawString, true);
    for (let i = 0; i < 1000; i++) await r.append("a", "x");
    strictEqual(await r.strlen("a"), 1004);
    strictEqual(await r.incr("n"), 1);
    await r.append("n", Buffer.from([0, 0xff]));
    deepStrictEqual(await r.getBuffer("n"), Buffer.from([49, 0, 0xff]));
    deepStrictEqual(await r.getrangeBuffer("n", 1, -1), Buffer.from([0, 0xff]));
    await rejects(r.incr("n"), /ERR value is not an integer or out of range/);

    strictEqual(await r.setrange("s", 1, "foo"), 4);
    deepStrictEqual(await r.getBuffer("s"), Buffer.from("\x00foo", "latin1"));
    strictEqual(await r.setrange("empty", 5, ""), 0);
    strictEqual(await r.exists("empty"), 0);
    await r.set("i", "1234");
    strictEqual(await r.setrange("i", 0, ""), 4);
    strictEqual(await r.object("ENCODING", "i"), "int");
    strictEqual(await r.setrange("i", 6, "9"), 7);
    deepStrictEqual(await r.getBuffer("i"), Buffer.from("1234\x00\x009", "latin1"));
    strictEqual(await r.object("ENCODING", "i"), "raw");
    await r.set("ttl", "abc", "EX", 100);
    await r.setrange("ttl", 1, "x");
    await r.append("ttl", "y");
    strictEqual(await r.get("ttl"), "axcy");
    strictEqual(await r.ttl("ttl"), 100);

    await rejects(r.setrange("s", -1, "x"), /^ReplyError: ERR offset is out of range$/);
    const tooBig = /^ReplyError: ERR string exceeds maximum allowed size \(proto-max-bulk-len\)$/;
    strictEqual(await r.setrange("big", 1048575, "a"), 1048576);
    await rejects(r.setrange("big", 1048576, "a"), tooBig);
    await rejects(r.append("big", "a"), tooBig);
    strictEqual(await r.append("big", ""), 1048576);
    await rejects(r.setrange("nokey", 1048576, "a"), tooBig);
    t.server.keyspace.dbs[0]!.set("list", new FakeList());
    await rejects(r.append("list", "x"), WRONGTYPE);
    await rejects(r.setrange("list", 1048576, "x"), WRONGTYPE);
    await rejects(r.strlen("list"), WRONGTYPE);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("GETRANGE and SUBSTR clamp indexes like Redis", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    await r.set("s", "Hello World");
    strictEqual(await r.getrange("s", 0, 3), "Hell");
    strictEqual(await r.getrange("s", -4, -1), "orld");
    strictEqual(await r.getrange("s", 5, 3), "");
    strictEqual(await r.getrange("s", 0, -100), "H");
    strictEqual(await r.getrange("s", -100, -105), "");
    strictEqual(await r.getrange("s", -5000, 10000), "Hello World");
    strictEqual(await r.call("getrange", "s", "0", "9223372036854775807"), "Hello World");
    strictEqual(await r.call("substr", "s", "6", "-1"), "World");
    strictEqual(await r.getrange("nokey", 0, -1), "");
    await rejects(r.call("getrange", "nokey", "a", "1"), /not an integer/);
    await r.append("raw", "Hello World");
    strictEqual(await r.getrange("raw", 6, 100), "World");
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("INCR family: 64-bit range, overflow and canonical storage", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    strictEqual(await r.incr("c"), 1);
    strictEqual(await r.decrby("c", 11), -10);
    strictEqual(await r.incrby("c", 17179869184), 17179869174);
    await r.set("c", "9007199254740993");
    strictEqual(await r.call("incr", "c"), 9007199254740994);
    strictEqual(await r.get("c"), "9007199254740994");
    await r.set("c", "9223372036854775806");
    // ioredis turns integer replies into JS numbers: check the exact 64-bit reply raw.
    const raw = await RawClient.connect(t.port);
    await expectRaw(raw, ["INCR", "c"], ":9223372036854775807\r\n");
    await expectRaw(raw, ["DECRBY", "c", "9223372036854775807"], ":0\r\n");
    await expectRaw(raw, ["DECRBY", "c", "9223372036854775807"], ":-9223372036854775807\r\n");
    await expectRaw(raw, ["INCRBY", "c", "9223372036854775807"], ":0\r\n");
    raw.close();
    await r.set("c", "9223372036854775807");
    await rejects(r.incr("c"), /^ReplyError: ERR increment or decrement would overflow$/);
    await r.set("c", "-9223372036854775808");
    await rejects(r.decr("c"), /would overflow/);
    strictEqual(await r.object("ENCODING", "c"), "int");
    for (const bad of ["    11", "11 ", "011", "+1", "1.0", "-0", ""]) {
      await r.set("c", bad);
      await rejects(r.incr("c"), /^ReplyError: ERR value is not an integer or out of range$/);
    }
    await rejects(r.call("incrby", "c", "9223372036854775808"), /not an integer/);
    await r.set("c", "5");
    await r.expire("c", 100);
    strictEqual(await r.incr("c"), 6);
    strictEqual(await r.ttl("c"), 100, "INCR keeps the TTL");
    t.server.keyspace.dbs[0]!.set("list", new FakeList());
    await rejects(r.incr("list"), WRONGTYPE);
    await rejects(r.incrbyfloat("list", 1), WRONGTYPE);
    await rejects(r.call("incrby", "list", "abc"), /not an integer/);

    strictEqual(await r.incrbyfloat("f", 1), "1");
    strictEqual(await r.incrbyfloat("f", 0.25), "1.25");
    await r.set("f", "0.1");
    strictEqual(await r.incrbyfloat("f", 0.2), "0.3");
    strictEqual(await r.get("f"), "0.3");
    await r.set("f", " 11 ");
    await rejects(r.incrbyfloat("f", 1), /^ReplyError: ERR value is not a valid float$/);
    await r.set("f", "1");
    await r.setrange("f", 2, "2");
    await rejects(r.incrbyfloat("f", 1), /not a valid float/);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("LCS over keys: options, errors and the memory limit", async () => {
  const t = startServer({ "proto-max-bulk-len": "1mb" });
  const r = await client(t);
  try {
    await r.mset("a", "ohmytext", "b", "mynewtext");
    strictEqual(await r.call("lcs", "a", "b"), "mytext");
    strictEqual(await r.call("lcs", "a", "b", "LEN"), 6);
    deepStrictEqual(await r.call("lcs", "a", "b", "IDX", "MINMATCHLEN", "3", "WITHMATCHLEN"), [
      "matches",
      [[[4, 7], [5, 8], 4]],
      "len",
      6,
    ]);
    strictEqual(await r.call("lcs", "a", "nokey"), "");
    await rejects(r.call("lcs", "a", "b", "MINMATCHLEN"), /ERR syntax error/);
    await rejects(r.call("lcs", "a", "b", "bogus"), /ERR syntax error/);
    t.server.keyspace.dbs[0]!.set("list", new FakeList());
    await rejects(
      r.call("lcs", "list", "a", "bogus"),
      /^ReplyError: ERR The specified keys must contain string values$/,
    );
    await r.mset("x", "a".repeat(600), "y", "b".repeat(600));
    await rejects(
      r.call("lcs", "x", "y", "LEN"),
      /^ReplyError: ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len$/,
    );
  } finally {
    r.disconnect();
    await t.close();
  }
});
