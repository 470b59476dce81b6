/**
 * Hashes: the type module (listpack/hashtable conversions at both limits, random picks) at
 * unit level, and the commands through ioredis and a raw socket. The command scenarios run
 * once per encoding (listpack and hashtable, the latter forced with
 * `hash-max-listpack-entries 0`) with the same expectations.
 *
 * @module
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { client, expectRaw, hello3, RawClient, recordEvents, startServer } from "./_server.ts";
import { type HashConfig, HashValue } from "../src/types/hash.ts";

/** Pearson's chi-square statistic of `picks` against a uniform distribution over `n`. */
function chiSquare(picks: string[], n: number): number {
  const counts = new Map<string, number>();
  for (const p of picks) counts.set(p, (counts.get(p) ?? 0) + 1);
  const expected = picks.length / n;
  let chi = 0;
  for (const c of counts.values()) chi += (c - expected) ** 2 / expected;
  chi += (n - counts.size) * expected;
  return chi;
}

/** A flat field/value list as sorted `field=value` strings, to compare regardless of order. */
function pairs(flat: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push(`${flat[i]}=${flat[i + 1]}`);
  return out.sort();
}

const WRONGTYPE = /WRONGTYPE Operation against a key holding the wrong kind of value/;
const ENCODINGS = ["listpack", "hashtable"] as const;

/** Server settings that make new hashes use `enc`. */
function settingsFor(enc: "listpack" | "hashtable"): Record<string, string> {
  return enc === "listpack" ? {} : { "hash-max-listpack-entries": "0" };
}

// --- Type module -------------------------------------------------------------------------

Deno.test("a listpack hash converts on a long field or value, and past the entry limit", () => {
  const cfg: HashConfig = { maxListpackEntries: 2, maxListpackValue: 8 };
  const h = new HashValue();
  ok(h.set("a", "12345678", cfg));
  strictEqual(h.encoding(), "listpack");
  ok(!h.set("a", "1", cfg));
  ok(h.set("b", "2", cfg));
  strictEqual(h.encoding(), "listpack");
  ok(!h.set("b", "3", cfg)); // an update does not count as an entry
  strictEqual(h.encoding(), "listpack");
  ok(h.set("c", "3", cfg));
  strictEqual(h.encoding(), "hashtable");
  h.delete("a");
  h.delete("b");
  strictEqual(h.encoding(), "hashtable"); // never back
  deepStrictEqual([...h.entries()], [["c", "3"]]);

  const v = new HashValue();
  v.set("f", "1", cfg);
  v.set("f", "123456789", cfg); // an update with a long value converts too
  strictEqual(v.encoding(), "hashtable");
  strictEqual(v.get("f"), "123456789");
  const f = new HashValue();
  f.set("abcdefghi", "1", cfg);
  strictEqual(f.encoding(), "hashtable");
  // Reads of long fields never convert.
  const r = HashValue.from([["a", "1"]], cfg);
  strictEqual(r.get("abcdefghijk"), undefined);
  ok(!r.has("abcdefghijk") && !r.delete("abcdefghijk"));
  strictEqual(r.encoding(), "listpack");
});

Deno.test("HashValue.from keeps the last value of a repeated field and reads a Config", () => {
  const h = HashValue.from([["a", "1"], ["b", "2"], ["a", "3"]]);
  strictEqual(h.encoding(), "listpack");
  deepStrictEqual([...h.entries()], [["a", "3"], ["b", "2"]]);
  strictEqual(h.size, 2);
  const cfg = {
    getNumber: (n: string) => (n === "hash-max-listpack-entries" ? 1 : 64),
  };
  strictEqual(HashValue.from([["a", "1"], ["b", "2"]], cfg).encoding(), "hashtable");
  strictEqual(HashValue.from([["a", "x".repeat(65)]]).encoding(), "hashtable");
  const copy = h.clone();
  copy.set("c", "3", { maxListpackEntries: 512, maxListpackValue: 64 });
  strictEqual(h.size, 2);
  strictEqual(copy.size, 3);
  const seen: string[] = [];
  h.visit((f, v) => void seen.push(`${f}=${v}`));
  deepStrictEqual(seen, ["a=3", "b=2"]);
});

for (const enc of ENCODINGS) {
  Deno.test(`HashValue (${enc}) samples distinct entries and picks uniformly`, () => {
    const cfg: HashConfig = {
      maxListpackEntries: enc === "listpack" ? 512 : 0,
      maxListpackValue: 64,
    };
    const h = new HashValue();
    for (let i = 0; i < 10; i++) h.set(`f${i}`, `v${i}`, cfg);
    strictEqual(h.encoding(), enc);
    for (const n of [1, 2, 8, 9]) {
      const picked = h.sample(n);
      strictEqual(new Set(picked.map((e) => e[0])).size, n);
      for (const [f, v] of picked) strictEqual(h.get(f), v);
    }
    const picks: string[] = [];
    for (let i = 0; i < 2000; i++) picks.push(h.random()[0]);
    ok(chiSquare(picks, 10) < 40);
  });
}

// --- Commands, once per encoding ---------------------------------------------------------

for (const enc of ENCODINGS) {
  Deno.test(`HSET, HGET, HMSET, HMGET, HSETNX, HDEL and friends (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      strictEqual(await r.hset("h", "a", "1"), 1);
      strictEqual(await r.object("ENCODING", "h"), enc);
      strictEqual(await r.hset("h", "b", "2", "c", "3", "a", "10"), 2);
      strictEqual(await r.hmset("h", "d", "4"), "OK");
      strictEqual(await r.hlen("h"), 4);
      strictEqual(await r.hget("h", "a"), "10");
      strictEqual(await r.hget("h", "x"), null);
      strictEqual(await r.hget("nokey", "a"), null);
      deepStrictEqual(await r.hmget("h", "a", "x", "d"), ["10", null, "4"]);
      deepStrictEqual(await r.hmget("nokey", "a", "b"), [null, null]);
      strictEqual(await r.hexists("h", "b"), 1);
      strictEqual(await r.hexists("h", "x"), 0);
      strictEqual(await r.hstrlen("h", "a"), 2);
      strictEqual(await r.hstrlen("h", "x"), 0);
      strictEqual(await r.hsetnx("h", "a", "99"), 0);
      strictEqual(await r.hsetnx("h", "e", "5"), 1);
      deepStrictEqual(await r.hgetall("h"), { a: "10", b: "2", c: "3", d: "4", e: "5" });
      deepStrictEqual((await r.hkeys("h")).sort(), ["a", "b", "c", "d", "e"]);
      deepStrictEqual((await r.hvals("h")).sort(), ["10", "2", "3", "4", "5"]);
      strictEqual(await r.hdel("h", "x", "y"), 0);
      strictEqual(await r.hdel("h", "a", "c", "a"), 2);
      strictEqual(await r.hdel("h", "b", "d", "e", "z"), 3);
      strictEqual(await r.exists("h"), 0);
      deepStrictEqual(await r.hgetall("h"), {});
      strictEqual(await r.hlen("h"), 0);
      await rejects(r.call("HSET", "h", "a", "1", "b"), /wrong number of arguments for 'hset'/);
      await rejects(r.call("HMSET", "h", "a"), /wrong number of arguments for 'hmset'/);
      await r.set("str", "x");
      for (
        const p of [
          r.hset("str", "a", "1"),
          r.hget("str", "a"),
          r.hmget("str", "a"),
          r.hgetall("str"),
          r.hdel("str", "a"),
          r.hlen("str"),
          r.hkeys("str"),
          r.hincrby("str", "a", 1),
          r.hrandfield("str"),
        ]
      ) await rejects(p, WRONGTYPE);
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`HINCRBY and HINCRBYFLOAT (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      strictEqual(await r.hincrby("h", "n", 2), 2);
      strictEqual(await r.hincrby("h", "n", 3), 5);
      await r.hset("h", "big", "17179869184");
      strictEqual(await r.hincrby("h", "big", 17179869184), 34359738368);
      await r.hset("h", "edge", "-9223372036854775484");
      strictEqual(await r.call("HINCRBY", "h", "edge", "-1"), -9223372036854775485);
      await rejects(r.hincrby("h", "edge", -10000), /increment or decrement would overflow/);
      for (const bad of [" 11", "11 ", "007", "1.5"]) {
        await r.hset("h", "s", bad);
        await rejects(r.hincrby("h", "s", 1), /^ReplyError: ERR hash value is not an integer$/);
      }
      await rejects(r.call("HINCRBY", "h", "n", "1.5"), /value is not an integer or out of range/);

      strictEqual(await r.hincrbyfloat("f", "x", "2.5"), "2.5");
      strictEqual(await r.hincrbyfloat("f", "x", "3.5"), "6");
      strictEqual(await r.hincrbyfloat("f", "y", "1.23"), "1.23");
      strictEqual(await r.hincrbyfloat("f", "y", "0.77"), "2");
      strictEqual(await r.hincrbyfloat("f", "y", "-0.1"), "1.9");
      // 1e308 as an x87 long double, printed in full like Redis's %.17Lf (read from Redis).
      strictEqual(
        await r.hincrbyfloat("g", "z", "1e308"),
        "99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048",
      );
      for (const bad of [" 11", "11 ", "1\x002"]) {
        await r.hset("f", "s", bad);
        await rejects(r.hincrbyfloat("f", "s", 1), /^ReplyError: ERR hash value is not a float$/);
      }
      await rejects(r.hincrbyfloat("f", "x", "abc"), /value is not a valid float/);
      await rejects(r.hincrbyfloat("f", "x", "+inf"), /value is NaN or Infinity/);
      await rejects(r.hincrbyfloat("nokey", "x", "inf"), /value is NaN or Infinity/);
      strictEqual(await r.exists("nokey"), 0);
      await r.hset("f", "i", "inf");
      await rejects(r.hincrbyfloat("f", "i", 1), /increment would produce NaN or Infinity/);
      strictEqual(await r.object("ENCODING", "f"), enc);
      strictEqual(await r.object("ENCODING", "g"), "hashtable"); // a 308-byte value
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`HRANDFIELD count paths, WITHVALUES and uniform picks (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      const flat: string[] = [];
      for (let i = 0; i < 10; i++) flat.push(`f${i}`, `v${i}`);
      await r.hset("h", ...flat);
      strictEqual(await r.object("ENCODING", "h"), enc);
      ok((await r.hrandfield("h") as string).startsWith("f"));
      strictEqual(await r.hrandfield("nokey"), null);
      deepStrictEqual(await r.hrandfield("nokey", 5), []);
      deepStrictEqual(await r.hrandfield("h", 0), []);
      const neg = await r.hrandfield("h", -1001) as string[];
      strictEqual(neg.length, 1001);
      ok(chiSquare(neg, 10) < 40);
      const negv = await r.hrandfield("h", -20, "WITHVALUES") as string[];
      strictEqual(negv.length, 40);
      for (let i = 0; i < negv.length; i += 2) strictEqual(negv[i + 1], "v" + negv[i]!.slice(1));
      deepStrictEqual(pairs(await r.hrandfield("h", 20, "WITHVALUES") as string[]), pairs(flat));
      deepStrictEqual(
        ((await r.hrandfield("h", 10)) as string[]).sort(),
        pairs(flat).map((p) => p.split("=")[0]),
      );
      for (const size of [8, 2]) {
        const picks: string[] = [];
        for (let i = 0; i < 1000 / size; i++) {
          const got = await r.hrandfield("h", size) as string[];
          strictEqual(new Set(got).size, size);
          picks.push(...got);
        }
        ok(chiSquare(picks, 10) < 40, `count ${size}`);
      }
      await rejects(r.hrandfield("h", "abc"), /value is not an integer or out of range/);
      await rejects(r.call("HRANDFIELD", "h", 1, "foo"), /syntax error/);
      await rejects(
        r.call("HRANDFIELD", "h", "-9223372036854770000", "WITHVALUES"),
        /^ReplyError: ERR value is out of range$/,
      );
      await rejects(
        r.call("HRANDFIELD", "h", "-9223372036854775808"),
        /value must between -9223372036854775807 and 9223372036854775807/,
      );
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`HSCAN returns every field with its value across cursors (${enc})`, async () => {
    const n = enc === "listpack" ? 30 : 1000;
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      const flat: string[] = [];
      for (let i = 0; i < n; i++) flat.push(`key:${i}`, String(i));
      await r.hset("h", ...flat);
      let cursor = "0";
      const seen: string[] = [];
      let calls = 0;
      do {
        const [next, items] = await r.hscan("h", cursor);
        cursor = next;
        seen.push(...items);
        calls++;
      } while (cursor !== "0");
      deepStrictEqual(pairs(seen), pairs(flat));
      ok(enc === "listpack" ? calls === 1 : calls >= 100);
      const [c2, matched] = await r.hscan("h", 0, "MATCH", "key:1?", "COUNT", 10000);
      strictEqual(c2, "0");
      strictEqual(matched.length, 20);
      deepStrictEqual(await r.hscan("nokey", 0), ["0", []]);
      await rejects(r.hscan("h", "abc"), /invalid cursor/);
      await rejects(r.hscan("h", 0, "COUNT", 0), /syntax error/);
    } finally {
      r.disconnect();
      await t.close();
    }
  });
}

// --- Encodings, events, propagation, replies -----------------------------------------------

Deno.test("hash encodings convert exactly where Redis converts them", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    await r.config("SET", "hash-max-listpack-value", "8");
    const cases: [string, () => Promise<unknown>, string][] = [
      ["v1", () => r.hset("v1", "f", "12345678"), "listpack"],
      ["v2", () => r.hset("v2", "f", "123456789"), "hashtable"],
      ["v3", () => r.hset("v3", "abcdefghi", "1"), "hashtable"],
      ["v4", () => r.hincrby("v4", "f", 123456789), "hashtable"],
      ["v5", () => r.hsetnx("v5", "f", "123456789"), "hashtable"],
      ["v6", () => r.hincrbyfloat("v6", "tmp", "0.000005"), "listpack"],
      ["v7", () => r.hincrbyfloat("v7", "tmp", "0.0000005"), "hashtable"],
      ["v8", () => r.hincrbyfloat("v8", "abcdefghi", "1"), "hashtable"],
    ];
    for (const [key, write, expected] of cases) {
      await write();
      strictEqual(await r.object("ENCODING", key), expected, key);
    }
    await r.hset("v9", "f", "1");
    strictEqual(await r.hsetnx("v9", "f", "123456789"), 0); // no write, no conversion
    strictEqual(await r.hget("v9", "abcdefghijklmnop"), null);
    strictEqual(await r.object("ENCODING", "v9"), "listpack");
    await r.config("SET", "hash-max-listpack-value", "64");
    await r.config("SET", "hash-max-listpack-entries", "2");
    await r.hset("e1", "a", "1", "b", "2");
    await r.hset("e1", "a", "3");
    strictEqual(await r.object("ENCODING", "e1"), "listpack");
    await r.hset("e1", "c", "3");
    strictEqual(await r.object("ENCODING", "e1"), "hashtable");
    await r.hdel("e1", "a", "b");
    strictEqual(await r.object("ENCODING", "e1"), "hashtable");
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("hash writes emit Redis's keyspace events; empty hashes are deleted", async () => {
  const t = startServer();
  const events = recordEvents(t);
  const r = await client(t);
  try {
    await r.hset("h", "a", "1");
    await r.hsetnx("h", "a", "1");
    await r.hsetnx("h", "b", "1");
    await r.hincrby("h", "a", 1);
    await r.hincrbyfloat("h", "a", "1");
    await r.hdel("h", "zz");
    await r.hdel("h", "a", "b");
    await r.hmset("h", "a", "1");
    await rejects(r.hincrby("h", "a", "x"));
    deepStrictEqual(events, [
      "hset:h",
      "hset:h",
      "hincrby:h",
      "hincrbyfloat:h",
      "hdel:h",
      "del:h",
      "hset:h",
    ]);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("HINCRBYFLOAT propagates as HSET of the result; field writes keep the TTL", async () => {
  const t = startServer();
  const fed: string[] = [];
  t.server.persistence.feed.subscribe((ops) => {
    for (const op of ops) fed.push(op.argv.join(" "));
  });
  const r = await client(t);
  try {
    await r.hincrbyfloat("h", "f", "0.1");
    await r.hincrbyfloat("h", "f", "0.2");
    await r.hsetnx("h", "f", "x"); // no change: nothing propagated
    await r.hincrby("h", "n", 1);
    deepStrictEqual(fed, ["hset h f 0.1", "hset h f 0.3", "hincrby h n 1"]);
    await r.expire("h", 100);
    await r.hset("h", "g", "1");
    await r.hdel("h", "g");
    ok((await r.ttl("h")) > 0);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("hash replies are byte-exact in RESP2 and RESP3", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  try {
    await expectRaw(raw, ["HSET", "h", "a", "1", "b", "2"], ":2\r\n");
    await expectRaw(raw, ["HGETALL", "h"], "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
    await expectRaw(raw, ["HGET", "h", "x"], "$-1\r\n");
    await expectRaw(raw, ["HMGET", "h", "a", "x"], "*2\r\n$1\r\n1\r\n$-1\r\n");
    await expectRaw(
      raw,
      ["HRANDFIELD", "h", "5", "WITHVALUES"],
      "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n",
    );
    await expectRaw(
      raw,
      ["HSCAN", "h", "0"],
      "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n",
    );
    await expectRaw(raw, ["HINCRBYFLOAT", "h", "a", "1.5"], "$3\r\n2.5\r\n");
    await hello3(raw);
    await expectRaw(raw, ["HGETALL", "h"], "%2\r\n$1\r\na\r\n$3\r\n2.5\r\n$1\r\nb\r\n$1\r\n2\r\n");
    await expectRaw(raw, ["HGETALL", "nokey"], "%0\r\n");
    await expectRaw(raw, ["HGET", "h", "x"], "_\r\n");
    await expectRaw(
      raw,
      ["HRANDFIELD", "h", "5", "WITHVALUES"],
      "*2\r\n*2\r\n$1\r\na\r\n$3\r\n2.5\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
    );
    await expectRaw(raw, ["HRANDFIELD", "h", "5"], "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    await expectRaw(raw, ["HRANDFIELD", "nokey", "5", "WITHVALUES"], "*0\r\n");
    await expectRaw(raw, ["HRANDFIELD", "nokey"], "_\r\n");
    await expectRaw(raw, ["HKEYS", "h"], "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  } finally {
    raw.close();
    await t.close();
  }
});
