/**
 * Sorted sets: the type module (score parsing, encodings, conversions, ranges) at unit
 * level, and the commands through ioredis and a raw socket. The command scenarios run once
 * per encoding (listpack and skiplist) with the same expectations.
 *
 * @module
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { client, expectRaw, hello3, RawClient, recordEvents, startServer } from "./_server.ts";
import type { TypedValue, TypeName } from "../src/store/value.ts";
import {
  listpackScoreText,
  parseLexRange,
  parseScore,
  parseScoreRange,
  strtod,
  ZSetValue,
} from "../src/types/zset.ts";

const WRONGTYPE = /WRONGTYPE Operation against a key holding the wrong kind of value/;
const ENCODINGS = ["listpack", "skiplist"] as const;

/** Server settings that make new sorted sets use `enc`. */
function settingsFor(enc: "listpack" | "skiplist"): Record<string, string> {
  return enc === "listpack" ? {} : { "zset-max-listpack-entries": "0" };
}

// --- Type module -------------------------------------------------------------------------

Deno.test("scores parse like Redis's strtod-based getDoubleFromObject", () => {
  strictEqual(parseScore("1.5"), 1.5);
  strictEqual(parseScore("-3"), -3);
  strictEqual(parseScore("+inf"), Infinity);
  strictEqual(parseScore("-Infinity"), -Infinity);
  strictEqual(parseScore("0x10"), 16);
  strictEqual(parseScore("0x1p-2"), 0.25);
  strictEqual(parseScore(".5"), 0.5);
  strictEqual(parseScore("5."), 5);
  strictEqual(parseScore("1e-310"), 1e-310); // subnormal: kept
  for (
    const bad of ["", " 1", "1 ", "nan", "NaN", "1e400", "-1e400", "1e-400", "abc", "1e", "0x"]
  ) {
    strictEqual(parseScore(bad), null, JSON.stringify(bad));
  }
  deepStrictEqual(strtod("  12abc"), { value: 12, end: 4, range: false });
  deepStrictEqual(strtod("xyz"), { value: 0, end: 0, range: false });
});

Deno.test("score ranges accept ( for exclusive bounds and what strtod accepts", () => {
  deepStrictEqual(parseScoreRange("(1", "5"), { min: 1, minex: true, max: 5, maxex: false });
  deepStrictEqual(parseScoreRange("-inf", "(+inf"), {
    min: -Infinity,
    minex: false,
    max: Infinity,
    maxex: true,
  });
  // Unlike scores, range bounds take leading spaces, "" (as 0) and overflow (as inf).
  deepStrictEqual(parseScoreRange("", " 1"), { min: 0, minex: false, max: 1, maxex: false });
  strictEqual(parseScoreRange("1e400", "0")!.min, Infinity);
  strictEqual(parseScoreRange("nan", "1"), null);
  strictEqual(parseScoreRange("1", "x"), null);
  strictEqual(parseLexRange("a", "+"), null);
  strictEqual(parseLexRange("-", "[b")!.max.value, "b");
});

Deno.test("listpack score text uses integers within 2^62 and %.17g beyond", () => {
  strictEqual(listpackScoreText(3), "3");
  strictEqual(listpackScoreText(-0), "0");
  strictEqual(listpackScoreText(123456789012345678), "123456789012345680");
  strictEqual(listpackScoreText(2 ** 62), "4611686018427387904");
  strictEqual(listpackScoreText(2 ** 62 + 1024), "4.6116860184273889e+18");
  strictEqual(listpackScoreText(1.5), "1.5");
  strictEqual(listpackScoreText(1e20), "1e+20");
  strictEqual(listpackScoreText(-Infinity), "-inf");
});

Deno.test("ZSetValue.from picks the encoding from size and longest member", () => {
  const cfg = { maxListpackEntries: 3, maxListpackValue: 5 };
  const pairs: [string, number][] = [["c", 3], ["a", 1], ["b", 2], ["a", 0]];
  const z = ZSetValue.from(pairs, cfg);
  strictEqual(z.encoding(), "listpack");
  deepStrictEqual([...z.entries()], [["a", 0], ["b", 2], ["c", 3]]);
  strictEqual(ZSetValue.from([["a", 1], ["b", 2], ["c", 3], ["d", 4]], cfg).encoding(), "skiplist");
  strictEqual(ZSetValue.from([["toolong", 1]], cfg).encoding(), "skiplist");
  // The server config works too (persistence passes it).
  const z2 = ZSetValue.from([["x", 1]], { getNumber: () => 0 });
  strictEqual(z2.encoding(), "skiplist");
});

for (const enc of ENCODINGS) {
  Deno.test(`ZSetValue (${enc}) keeps order, ranks and ranges`, () => {
    const cfg = enc === "listpack"
      ? { maxListpackEntries: 1000, maxListpackValue: 64 }
      : { maxListpackEntries: 0, maxListpackValue: 64 };
    const z = ZSetValue.empty(cfg);
    const out = [0];
    for (let i = 0; i < 100; i++) z.add("m" + String(i).padStart(3, "0"), i % 10, 0, cfg, out);
    strictEqual(z.encoding(), enc);
    strictEqual(z.size, 100);
    const entries = [...z.entries()];
    for (let i = 1; i < entries.length; i++) {
      const [pm, ps] = entries[i - 1]!;
      const [m, s] = entries[i]!;
      ok(ps < s || (ps === s && pm < m));
    }
    for (let i = 0; i < entries.length; i++) strictEqual(z.rank(entries[i]![0]), i);
    const r = parseScoreRange("(3", "5")!;
    strictEqual(z.firstInScoreRange(r), 40);
    strictEqual(z.lastInScoreRange(r), 59);
    strictEqual(z.firstInScoreRange(parseScoreRange("20", "30")!), -1);
    strictEqual(z.deleteRange(0, 9), 10);
    strictEqual(z.size, 90);
    strictEqual(z.at(0)[1], 1);
    const copy = z.clone();
    z.delete("m001");
    strictEqual(copy.size, 90);
    strictEqual(z.size, 89);
    // A visit stops when the callback says so, and formats scores like %.17g.
    const seen: string[] = [];
    z.visit((m, s) => {
      seen.push(`${m}=${s}`);
      return seen.length < 2;
    });
    deepStrictEqual(seen, ["m011=1", "m021=1"]);
  });
}

Deno.test("a listpack set becomes a skiplist when it outgrows the thresholds", () => {
  const cfg = { maxListpackEntries: 2, maxListpackValue: 4 };
  const out = [0];
  const z = ZSetValue.empty(cfg);
  z.add("a", 1, 0, cfg, out);
  z.add("b", 2, 0, cfg, out);
  strictEqual(z.encoding(), "listpack");
  z.add("a", 5, 0, cfg, out); // an update does not convert
  strictEqual(z.encoding(), "listpack");
  z.add("c", 3, 0, cfg, out);
  strictEqual(z.encoding(), "skiplist");
  deepStrictEqual([...z.entries()], [["b", 2], ["c", 3], ["a", 5]]);
  const z2 = ZSetValue.empty(cfg);
  z2.add("long!", 1, 0, cfg, out);
  strictEqual(z2.encoding(), "skiplist");
});

// --- Commands, once per encoding ---------------------------------------------------------

for (const enc of ENCODINGS) {
  Deno.test(`ZADD options, ZINCRBY and ZSCORE (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      strictEqual(await r.zadd("z", 1, "a", 2, "b"), 2);
      strictEqual(await r.object("ENCODING", "z"), enc);
      strictEqual(await r.zadd("z", "CH", 10, "a", 2, "b", 3, "c"), 2);
      strictEqual(await r.zadd("z", "NX", 100, "a", 4, "d"), 1);
      strictEqual(await r.zscore("z", "a"), "10");
      strictEqual(await r.zadd("z", "XX", 5, "e"), 0);
      strictEqual(await r.zscore("z", "e"), null);
      strictEqual(await r.zadd("z", "GT", "CH", 5, "a", 20, "b"), 1);
      strictEqual(await r.zadd("z", "LT", "CH", 1, "a", 30, "c"), 1);
      deepStrictEqual(await r.zrange("z", 0, -1, "WITHSCORES"), [
        "a",
        "1",
        "c",
        "3",
        "d",
        "4",
        "b",
        "20",
      ]);
      strictEqual(await r.zadd("z", "INCR", 2.5, "a"), "3.5");
      strictEqual(await r.zincrby("z", -1, "a"), "2.5");
      strictEqual(await r.zadd("z", "GT", "INCR", -1, "a"), null);
      strictEqual(await r.zadd("z", "XX", "INCR", 1, "zz"), null);
      strictEqual(await r.zincrby("z", 0.1, "a"), "2.6000000000000001");
      await rejects(r.zadd("z", "XX", "NX", 1, "a"), /XX and NX options/);
      await rejects(r.zadd("z", "GT", "LT", 1, "a"), /GT, LT, and\/or NX options/);
      await rejects(r.zadd("z", "INCR", 1, "a", 2, "b"), /INCR option supports a single/);
      await rejects(r.zadd("z", "nan", "a"), /value is not a valid float/);
      await rejects(r.zadd("z", 1, "a", 2), /syntax error/);
      await r.zadd("inf", "+inf", "x");
      await rejects(r.zincrby("inf", "-inf", "x"), /resulting score is not a number \(NaN\)/);
      strictEqual(await r.zscore("inf", "x"), "inf");
      await r.set("str", "v");
      await rejects(r.zadd("str", 1, "a"), WRONGTYPE);
      strictEqual(await r.zadd("missing", "XX", 1, "a"), 0);
      strictEqual(await r.exists("missing"), 0);
      // A long member converts a listpack; nothing converts back.
      await r.zadd("z", 1, "x".repeat(65));
      strictEqual(await r.object("ENCODING", "z"), "skiplist");
      await r.zrem("z", "x".repeat(65));
      strictEqual(await r.object("ENCODING", "z"), "skiplist");
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`ranges by rank, score and lex, and removals (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      await r.zadd("z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e");
      deepStrictEqual(await r.zrange("z", 1, 3), ["b", "c", "d"]);
      deepStrictEqual(await r.zrange("z", -2, -1, "REV"), ["b", "a"]);
      deepStrictEqual(await r.zrevrange("z", 0, 1, "WITHSCORES"), ["e", "5", "d", "4"]);
      deepStrictEqual(await r.zrange("z", "(1", "4", "BYSCORE", "LIMIT", 1, 2), ["c", "d"]);
      deepStrictEqual(await r.zrange("z", "4", "(1", "BYSCORE", "REV"), ["d", "c", "b"]);
      deepStrictEqual(await r.zrangebyscore("z", "-inf", "+inf", "LIMIT", -1, 2), []);
      deepStrictEqual(await r.zrevrangebyscore("z", 3, 2), ["c", "b"]);
      strictEqual(await r.zcount("z", "(1", "+inf"), 4);
      strictEqual(await r.zrank("z", "c"), 2);
      strictEqual(await r.zrevrank("z", "c"), 2);
      strictEqual(await r.zrank("z", "nope"), null);
      deepStrictEqual(await r.zmscore("z", "a", "nope", "e"), ["1", null, "5"]);
      await rejects(r.zrange("z", 0, -1, "LIMIT", 0, 1), /LIMIT is only supported/);
      await rejects(r.zrange("z", "-", "+", "BYLEX", "WITHSCORES"), /WITHSCORES not supported/);
      await rejects(r.zrangebyscore("z", "x", 1), /min or max is not a float/);
      // ZRANGESTORE builds the destination, and an empty result deletes it.
      strictEqual(await r.zrangestore("dst", "z", 1, 2), 2);
      deepStrictEqual(await r.zrange("dst", 0, -1, "WITHSCORES"), ["b", "2", "c", "3"]);
      strictEqual(await r.object("ENCODING", "dst"), enc);
      strictEqual(await r.zrangestore("dst", "z", 10, 20), 0);
      strictEqual(await r.exists("dst"), 0);

      await r.zadd("lex", 0, "alpha", 0, "bar", 0, "cool", 0, "down", 0, "elephant");
      deepStrictEqual(await r.zrangebylex("lex", "[bar", "(down"), ["bar", "cool"]);
      deepStrictEqual(await r.zrevrangebylex("lex", "+", "-", "LIMIT", 1, 2), ["down", "cool"]);
      strictEqual(await r.zlexcount("lex", "(alpha", "+"), 4);
      await rejects(r.zrangebylex("lex", "a", "+"), /min or max not valid string range item/);
      strictEqual(await r.zremrangebylex("lex", "[bar", "[cool"), 2);
      deepStrictEqual(await r.zrange("lex", 0, -1), ["alpha", "down", "elephant"]);

      strictEqual(await r.zremrangebyscore("z", "(1", 2), 1);
      strictEqual(await r.zremrangebyrank("z", -1, -1), 1);
      deepStrictEqual(await r.zrange("z", 0, -1), ["a", "c", "d"]);
      strictEqual(await r.zrem("z", "a", "nope", "c"), 2);
      strictEqual(await r.zremrangebyrank("z", 0, -1), 1);
      strictEqual(await r.exists("z"), 0);
      strictEqual(await r.zcard("z"), 0);
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`pops, ZMPOP and ZRANDMEMBER (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      await r.zadd("z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e");
      deepStrictEqual(await r.zpopmin("z"), ["a", "1"]);
      deepStrictEqual(await r.zpopmax("z", 2), ["e", "5", "d", "4"]);
      deepStrictEqual(await r.zpopmin("z", 0), []);
      await rejects(r.zpopmin("z", -1), /value is out of range, must be positive/);
      deepStrictEqual(await r.call("ZMPOP", 2, "nokey", "z", "MAX", "COUNT", 5), [
        "z",
        [["c", "3"], ["b", "2"]],
      ]);
      strictEqual(await r.exists("z"), 0);
      strictEqual(await r.call("ZMPOP", 1, "z", "MIN"), null);
      await rejects(r.call("ZMPOP", 0, "z", "MIN"), /numkeys should be greater than 0/);
      await rejects(r.call("ZMPOP", 1, "z", "MIN", "COUNT", 0), /count should be greater than 0/);

      await r.zadd("z", 1, "a", 2, "b", 3, "c");
      // Asking for at least the whole set returns it from the highest score down.
      deepStrictEqual(await r.zrandmember("z", 10), ["c", "b", "a"]);
      const two = await r.zrandmember("z", 2) as string[];
      strictEqual(new Set(two).size, 2);
      const many = await r.zrandmember("z", -50, "WITHSCORES") as string[];
      strictEqual(many.length, 100);
      for (let i = 0; i < many.length; i += 2) {
        strictEqual(many[i + 1], String(" abc".indexOf(many[i]!)));
      }
      ok(["a", "b", "c"].includes(await r.zrandmember("z") as string));
      strictEqual(await r.zrandmember("nokey"), null);
      deepStrictEqual(await r.zrandmember("nokey", 3), []);
      await rejects(r.zrandmember("z", "-9223372036854775808"), /value is out of range/);
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`ZUNION, ZINTER, ZDIFF and their STORE forms (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      await r.zadd("a", 1, "x", 2, "y", 3, "z");
      await r.zadd("b", 10, "y", 20, "z", 30, "w");
      deepStrictEqual(await r.zunion(2, "a", "b", "WITHSCORES"), [
        "x",
        "1",
        "y",
        "12",
        "z",
        "23",
        "w",
        "30",
      ]);
      deepStrictEqual(await r.zinter(2, "a", "b", "AGGREGATE", "MAX", "WITHSCORES"), [
        "y",
        "10",
        "z",
        "20",
      ]);
      deepStrictEqual(await r.zinter(2, "a", "b", "WEIGHTS", 2, 0.5, "WITHSCORES"), [
        "y",
        "9",
        "z",
        "16",
      ]);
      deepStrictEqual(await r.zdiff(2, "a", "b", "WITHSCORES"), ["x", "1"]);
      strictEqual(await r.zintercard(2, "a", "b"), 2);
      strictEqual(await r.zintercard(2, "a", "b", "LIMIT", 1), 1);
      strictEqual(await r.zunionstore("dst", 2, "a", "b", "AGGREGATE", "MIN"), 4);
      deepStrictEqual(await r.zrange("dst", 0, -1, "WITHSCORES"), [
        "x",
        "1",
        "y",
        "2",
        "z",
        "3",
        "w",
        "30",
      ]);
      // The stored result's encoding depends on its own size, not the inputs'.
      strictEqual(await r.object("ENCODING", "dst"), enc);
      strictEqual(await r.zinterstore("dst", 2, "a", "nokey"), 0);
      strictEqual(await r.exists("dst"), 0);
      strictEqual(await r.zdiffstore("dst", 2, "a", "b"), 1);
      await r.zadd("i1", "inf", "k");
      await r.zadd("i2", "-inf", "k");
      deepStrictEqual(await r.zunion(2, "i1", "i2", "WITHSCORES"), ["k", "0"]);
      deepStrictEqual(await r.zunion(2, "i1", "i2", "WEIGHTS", 0, 1, "WITHSCORES"), [
        "k",
        "-inf",
      ]);
      await rejects(r.zunion(0, "a"), /at least 1 input key is needed for 'zunion' command/);
      await rejects(r.zunion(2, "a", "b", "WEIGHTS", 1, "nan"), /weight value is not a float/);
      await rejects(r.zunionstore("dst", 1, "a", "WITHSCORES"), /syntax error/);
      await rejects(r.zintercard(1, "a", "LIMIT", -1), /LIMIT can't be negative/);
      await r.set("str", "v");
      await rejects(r.zunion(2, "a", "str"), WRONGTYPE);
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`ZSCAN visits every member once across cursors (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      const n = enc === "listpack" ? 50 : 500;
      const args: (string | number)[] = [];
      for (let i = 0; i < n; i++) args.push(i, "m" + i);
      await r.zadd("z", ...args);
      const seen = new Map<string, string>();
      let cursor = "0";
      let rounds = 0;
      do {
        const [next, items] = await r.zscan("z", cursor, "COUNT", 20);
        for (let i = 0; i < items.length; i += 2) seen.set(items[i]!, items[i + 1]!);
        // Writes during the scan: members present all along must still be returned.
        if (rounds === 1) await r.zadd("z", 1000, "late", 7, "m7");
        cursor = next;
        rounds++;
      } while (cursor !== "0");
      // A listpack is returned whole in one call; a skiplist takes several.
      // (The skiplist holds n + 1 members by then; a full last batch needs one more call.)
      strictEqual(rounds, enc === "listpack" ? 1 : Math.floor((n + 1) / 20) + 1);
      for (let i = 0; i < n; i++) ok(seen.has("m" + i), "m" + i);
      strictEqual(seen.get("m3"), "3");
      const [, matched] = await r.zscan("z", 0, "MATCH", "m1?", "COUNT", 1000);
      strictEqual(matched.length, 20);
      deepStrictEqual(await r.zscan("nokey", 0), ["0", []]);
      await rejects(r.zscan("z", "x"), /invalid cursor/);
      await rejects(r.zscan("z", 0, "COUNT", 0), /syntax error/);
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`RESP2 and RESP3 reply bytes (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const raw = await RawClient.connect(t.port);
    try {
      await expectRaw(raw, ["ZADD", "z", "1", "a", "2.5", "b", "inf", "c"], ":3\r\n");
      await expectRaw(
        raw,
        ["ZRANGE", "z", "0", "1", "WITHSCORES"],
        "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n",
      );
      await expectRaw(raw, ["ZSCORE", "z", "nope"], "$-1\r\n");
      await expectRaw(raw, ["ZINCRBY", "z", "0.1", "a"], "$18\r\n1.1000000000000001\r\n");
      await expectRaw(raw, ["ZPOPMAX", "z"], "*2\r\n$1\r\nc\r\n$3\r\ninf\r\n");
      await expectRaw(raw, ["ZMPOP", "1", "nokey", "MIN"], "*-1\r\n");
      await hello3(raw);
      await expectRaw(
        raw,
        ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
        "*2\r\n*2\r\n$1\r\na\r\n,1.1000000000000001\r\n*2\r\n$1\r\nb\r\n,2.5\r\n",
      );
      await expectRaw(raw, ["ZSCORE", "z", "b"], ",2.5\r\n");
      await expectRaw(raw, ["ZSCORE", "z", "nope"], "_\r\n");
      await expectRaw(raw, ["ZMSCORE", "z", "b", "x"], "*2\r\n,2.5\r\n_\r\n");
      await expectRaw(raw, ["ZRANK", "z", "x"], "_\r\n");
      await expectRaw(
        raw,
        ["ZPOPMIN", "z", "1"],
        "*1\r\n*2\r\n$1\r\na\r\n,1.1000000000000001\r\n",
      );
      await expectRaw(raw, ["ZPOPMIN", "z"], "*2\r\n$1\r\nb\r\n,2.5\r\n");
      await expectRaw(raw, ["ZMPOP", "1", "z", "MIN"], "_\r\n");
      await expectRaw(raw, ["ZADD", "z", "NX", "INCR", "1", "q"], ",1\r\n");
      await expectRaw(raw, ["ZADD", "z", "NX", "INCR", "1", "q"], "_\r\n");
      await expectRaw(
        raw,
        ["ZRANDMEMBER", "z", "1", "WITHSCORES"],
        "*1\r\n*2\r\n$1\r\nq\r\n,1\r\n",
      );
      // ZSCAN scores stay bulk strings in RESP3.
      await expectRaw(raw, ["ZSCAN", "z", "0"], "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nq\r\n$1\r\n1\r\n");
    } finally {
      raw.close();
      await t.close();
    }
  });
}

// --- Encodings, events, deletion -----------------------------------------------------------

Deno.test("encodings convert when Redis converts, including at CONFIG SET time", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    await r.config("SET", "zset-max-listpack-entries", "2");
    await r.zadd("z", 1, "a", 1, "a", 1, "a");
    strictEqual(await r.object("ENCODING", "z"), "listpack"); // duplicates don't count
    await r.zadd("z", 2, "b");
    strictEqual(await r.object("ENCODING", "z"), "listpack");
    await r.zadd("z", 3, "c");
    strictEqual(await r.object("ENCODING", "z"), "skiplist");
    strictEqual(await r.zrangestore("r1", "z", 0, 0), 1);
    strictEqual(await r.object("ENCODING", "r1"), "listpack");
    strictEqual(await r.zrangestore("r2", "z", 0, -1), 3);
    strictEqual(await r.object("ENCODING", "r2"), "skiplist");
    strictEqual(await r.zunionstore("u", 1, "r1"), 1);
    strictEqual(await r.object("ENCODING", "u"), "listpack");
    await r.config("SET", "zset-max-listpack-entries", "0");
    await r.zadd("zero", 1, "a");
    strictEqual(await r.object("ENCODING", "zero"), "skiplist");
    strictEqual(await r.zrangestore("r3", "zero", 0, -1), 1);
    strictEqual(await r.object("ENCODING", "r3"), "skiplist");
    await r.config("SET", "zset-max-listpack-entries", "128");
    await r.config("SET", "zset-max-listpack-value", "3");
    await r.zincrby("long", 1, "abcd");
    strictEqual(await r.object("ENCODING", "long"), "skiplist");
    strictEqual(await r.zdiffstore("d", 1, "long"), 1);
    strictEqual(await r.object("ENCODING", "d"), "skiplist");
    await r.config("SET", "zset-max-listpack-value", "64");
    strictEqual(await r.zdiffstore("d", 1, "long"), 1);
    strictEqual(await r.object("ENCODING", "d"), "listpack");
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("-0 reads back as 0 from a listpack but stays -0 in a skiplist", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    strictEqual(await r.zadd("lp", "INCR", "-0", "x"), "-0"); // the reply shows the sum
    strictEqual(await r.zscore("lp", "x"), "0");
    await r.config("SET", "zset-max-listpack-entries", "0");
    await r.zadd("sl", "-0", "x");
    strictEqual(await r.zscore("sl", "x"), "-0");
    strictEqual(await r.zadd("sl", "0", "x"), 0); // equal scores: no update
    strictEqual(await r.zscore("sl", "x"), "-0");
    deepStrictEqual(await r.zscan("sl", 0), ["0", ["x", "-0"]]);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("writes emit Redis's keyspace events and empty sets are deleted", async () => {
  const t = startServer();
  const events = recordEvents(t);
  const r = await client(t);
  try {
    await r.zadd("z", 1, "a", 2, "b", 3, "c", 4, "d");
    await r.zadd("z", "NX", 1, "a"); // nothing changed: no event
    await r.zincrby("z", 1, "a");
    await r.zrem("z", "nope");
    await r.zrem("z", "a");
    await r.zremrangebyscore("z", 2, 2);
    await r.zremrangebyrank("z", 0, 0);
    await r.zadd("z", 0, "p", 0, "q");
    await r.zremrangebylex("z", "[p", "[p");
    await r.zpopmin("z");
    await r.zpopmax("z");
    strictEqual(await r.exists("z"), 0);
    await r.zadd("s", 1, "a");
    await r.zunionstore("u", 1, "s");
    await r.zinterstore("u", 1, "s");
    await r.zdiffstore("u", 2, "s", "s");
    await r.zrangestore("r", "s", 0, -1);
    await r.zrangestore("r", "s", 5, 6);
    deepStrictEqual(events, [
      "zadd:z",
      "zincr:z",
      "zrem:z",
      "zremrangebyscore:z",
      "zremrangebyrank:z",
      "zadd:z",
      "zremrangebylex:z",
      "zpopmin:z",
      "zpopmax:z",
      "del:z",
      "zadd:s",
      "zunionstore:u",
      "zinterstore:u",
      "del:u",
      "zrangestore:r",
      "del:r",
    ]);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("sorted set commands reply WRONGTYPE on other types, after argument checks", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    await r.set("str", "v");
    for (
      const args of [
        ["ZCARD", "str"],
        ["ZSCORE", "str", "a"],
        ["ZRANGE", "str", 0, -1],
        ["ZRANGEBYLEX", "str", "-", "+"],
        ["ZREM", "str", "a"],
        ["ZPOPMIN", "str", 0],
        ["ZRANDMEMBER", "str", 0],
        ["ZSCAN", "str", 0],
        ["ZMPOP", 1, "str", "MIN"],
        ["ZINTERCARD", 1, "str"],
      ]
    ) {
      await rejects(r.call(...(args as [string, ...(string | number)[]])), WRONGTYPE);
    }
    // Argument errors come first.
    await rejects(r.zadd("str", "x", "a"), /value is not a valid float/);
    await rejects(r.zcount("str", "x", 1), /min or max is not a float/);
    await rejects(r.zrange("str", "x", 1), /value is not an integer or out of range/);
    // ZRANGESTORE overwrites a destination of any type.
    await r.zadd("z", 1, "a");
    strictEqual(await r.zrangestore("str", "z", 0, -1), 1);
    strictEqual(await r.type("str"), "zset");
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("BZPOPMIN and BZMPOP pop at once, block until a write, and time out", async () => {
  const t = startServer();
  const r = await client(t);
  const blocked = await client(t);
  try {
    await r.zadd("z", 1, "a", 2, "b");
    deepStrictEqual(await r.bzpopmin("nokey", "z", 0), ["z", "a", "1"]);
    deepStrictEqual(await r.call("BZMPOP", 0, 1, "z", "MAX", "COUNT", 5), ["z", [["b", "2"]]]);
    strictEqual(await r.bzpopmax("z", 0.01), null);
    // A waiting client is served by the next write, in arrival order.
    const waiting = blocked.bzpopmax("z", "z2", 0);
    await new Promise((res) => setTimeout(res, 20));
    // ZADD + DEL inside one EXEC leaves nothing to serve.
    await r.multi().zadd("z", 5, "x").del("z").exec();
    await r.zadd("z2", 7, "y", 8, "w");
    deepStrictEqual(await waiting, ["z2", "w", "8"]);
    deepStrictEqual(await r.zrange("z2", 0, -1), ["y"]);
    const multi = blocked.call("BZMPOP", 0, 2, "a", "b", "MIN", "COUNT", 3);
    await new Promise((res) => setTimeout(res, 20));
    await r.zadd("b", 1, "p", 2, "q");
    deepStrictEqual(await multi, ["b", [["p", "1"], ["q", "2"]]]);
    strictEqual(await r.exists("b"), 0);
    // Inside MULTI a blocking pop answers like a timeout at once.
    deepStrictEqual(await r.multi().bzpopmin("nokey", 0).exec(), [[null, null]]);
    await rejects(r.bzpopmin("z", -1), /timeout is negative/);
    await r.set("str", "v");
    await rejects(r.bzpopmin("str", 0), WRONGTYPE);
  } finally {
    r.disconnect();
    blocked.disconnect();
    await t.close();
  }
});

Deno.test("pops that Redis rewrites propagate as ZPOPMIN/ZPOPMAX with the popped count", async () => {
  const t = startServer();
  const fed: string[] = [];
  t.server.persistence.feed.subscribe((ops) => {
    for (const op of ops) fed.push(op.argv.join(" "));
  });
  const r = await client(t);
  const blocked = await client(t);
  try {
    await r.zadd("z", 1, "a", 2, "b", 3, "c");
    await r.call("ZMPOP", 1, "z", "MIN");
    await r.call("ZMPOP", 2, "nokey", "z", "MAX", "COUNT", 10);
    await r.call("ZMPOP", 1, "z", "MAX");
    await r.zadd("z", 1, "a", 2, "b");
    await r.bzpopmax("z", 0);
    await r.zpopmin("z", 5);
    await r.zpopmin("z", 5);
    const waiting = blocked.call("BZMPOP", 0, 1, "z", "MIN", "COUNT", 5);
    await new Promise((res) => setTimeout(res, 20));
    await r.zadd("z", 1, "a", 2, "b");
    await waiting;
    await r.zadd("z", 1, "a");
    await r.zadd("z", "INCR", 0, "a"); // no change: nothing propagated
    deepStrictEqual(fed, [
      "zadd z 1 a 2 b 3 c",
      "ZPOPMIN z 1",
      "ZPOPMAX z 2",
      "zadd z 1 a 2 b",
      "ZPOPMAX z",
      "zpopmin z 5",
      "zadd z 1 a 2 b",
      "ZPOPMIN z 2",
      "zadd z 1 a",
    ]);
  } finally {
    r.disconnect();
    blocked.disconnect();
    await t.close();
  }
});

/** A stand-in for a SET value with the API src/types/set.ts exposes (members, size). */
class FakeSet implements TypedValue {
  readonly type: TypeName = "set";
  constructor(readonly items: string[]) {}
  get size(): number {
    return this.items.length;
  }
  members(): Iterable<string> {
    return this.items;
  }
  encoding(): string {
    return "listpack";
  }
  clone(): FakeSet {
    return new FakeSet(this.items.slice());
  }
}

Deno.test("set algebra takes SETs as inputs with every score 1", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    t.server.keyspace.dbs[0]!.set("s", new FakeSet(["x", "w", "v"]));
    await r.zadd("a", 1, "x", 2, "y", 3, "z");
    await r.zadd("b", 10, "y", 20, "z", 30, "w");
    deepStrictEqual(await r.zunion(3, "a", "b", "s", "WITHSCORES"), [
      "v",
      "1",
      "x",
      "2",
      "y",
      "12",
      "z",
      "23",
      "w",
      "31",
    ]);
    deepStrictEqual(await r.zinter(2, "a", "s", "WEIGHTS", 1, 5, "WITHSCORES"), ["x", "6"]);
    deepStrictEqual(await r.zdiff(2, "s", "a", "WITHSCORES"), ["v", "1", "w", "1"]);
    strictEqual(await r.zintercard(1, "s"), 3);
    strictEqual(await r.zunionstore("dst", 1, "s"), 3);
    deepStrictEqual(await r.zrange("dst", 0, -1, "WITHSCORES"), ["v", "1", "w", "1", "x", "1"]);
  } finally {
    r.disconnect();
    await t.close();
  }
});
