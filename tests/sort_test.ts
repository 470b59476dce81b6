/**
 * SORT and SORT_RO through ioredis and a raw socket: numeric and ALPHA order, BY and GET
 * patterns (string keys and hash fields), LIMIT clamping, native order with `BY nosort`,
 * STORE (list creation, deletion, events, dirty counter, waking blocked clients), errors and
 * key extraction.
 *
 * @module
 */
import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { Redis } from "ioredis";
import { client, expectRaw, RawClient, startServer, type TestServer } from "./_server.ts";
import { sortKeys } from "../src/commands/sort.ts";

/** Runs `fn` against a fresh server and ioredis client, closing both afterwards. */
async function withServer(fn: (r: Redis, t: TestServer) => Promise<void>): Promise<void> {
  const t = startServer();
  const r = await client(t);
  try {
    await fn(r, t);
  } finally {
    r.disconnect();
    await t.close();
  }
}

const SCORE_ERROR = "ERR One or more scores can't be converted into double";

Deno.test("SORT orders lists numerically, DESC reverses, ties fall back to byte order", async () => {
  await withServer(async (r) => {
    await r.rpush("l", "3", "1", "2", "10", "-5", "2.5", "-inf", "inf", "0x10", " 7", "");
    deepStrictEqual(await r.sort("l"), [
      "-inf",
      "-5",
      "",
      "1",
      "2",
      "2.5",
      "3",
      " 7",
      "10",
      "0x10",
      "inf",
    ]);
    deepStrictEqual(await r.sort("l", "DESC", "LIMIT", "0", "3"), ["inf", "0x10", "10"]);
    await r.rpush("same", "1.0", "1", "01", "+1", "1e0");
    deepStrictEqual(await r.sort("same"), ["+1", "01", "1", "1.0", "1e0"]);
    deepStrictEqual(await r.sort("same", "DESC"), ["1e0", "1.0", "1", "01", "+1"]);
    deepStrictEqual(await r.call("SORT_RO", "same", "LIMIT", "1", "2"), ["01", "1"]);
  });
});

Deno.test("SORT rejects weights that are not doubles", async () => {
  await withServer(async (r) => {
    for (const bad of ["not-a-number", "1 ", "nan", "1e", "1e400", "1e-320"]) {
      await r.del("l");
      await r.rpush("l", "1", bad);
      await rejects(r.sort("l"), { message: SCORE_ERROR }, bad);
    }
    // Without sorting, nothing is parsed; ALPHA compares strings.
    deepStrictEqual(await r.sort("l", "BY", "nosort"), ["1", "1e-320"]);
    deepStrictEqual(await r.sort("l", "ALPHA"), ["1", "1e-320"]);
    await r.sadd("s", "1", "2");
    await r.mset("w_1", "10", "w_2", "oops");
    await rejects(r.sort("s", "BY", "w_*"), { message: SCORE_ERROR });
    // A NUL ends the number for C's strtod: the rest is ignored.
    await r.del("l");
    await r.rpush("l", "3", "2\x00junk", "1");
    deepStrictEqual(await r.sort("l"), ["1", "2\x00junk", "3"]);
  });
});

Deno.test("SORT ALPHA compares bytes, stopping at NUL unless storing", async () => {
  await withServer(async (r) => {
    await r.rpush("l", "2", "1", "3", "10", "b", "B", "a\x00c", "a\x00b", "a");
    deepStrictEqual(await r.sort("l", "ALPHA"), [
      "1",
      "10",
      "2",
      "3",
      "B",
      "a\x00c",
      "a\x00b",
      "a",
      "b",
    ]);
    strictEqual(await r.sort("l", "ALPHA", "STORE", "dst"), 9);
    deepStrictEqual(await r.lrange("dst", 0, -1), [
      "1",
      "10",
      "2",
      "3",
      "B",
      "a",
      "a\x00b",
      "a\x00c",
      "b",
    ]);
    deepStrictEqual(await r.sort("l", "ALPHA", "DESC", "LIMIT", "0", "2"), ["b", "a\x00c"]);
  });
});

Deno.test("SORT LIMIT clamps offsets and counts like Redis", async () => {
  await withServer(async (r) => {
    await r.rpush("l", "2", "1", "0");
    deepStrictEqual(await r.sort("l", "LIMIT", "-5", "2"), ["0", "1"]);
    deepStrictEqual(await r.sort("l", "LIMIT", "1", "-1"), ["1", "2"]);
    deepStrictEqual(await r.sort("l", "LIMIT", "5", "2"), []);
    deepStrictEqual(await r.sort("l", "LIMIT", "0", "0"), []);
    deepStrictEqual(await r.sort("l", "LIMIT", "1", "9223372036854775807"), ["1", "2"]);
    deepStrictEqual(
      await r.call("SORT_RO", "l", "BY", "a", "LIMIT", "2", "9223372036854775807"),
      ["0"],
    );
    await rejects(r.sort("l", "LIMIT", "1", "a"), {
      message: "ERR value is not an integer or out of range",
    });
    await rejects(r.sort("l", "LIMIT", "99999999999999999999", "1"), {
      message: "ERR value is not an integer or out of range",
    });
  });
});

Deno.test("SORT BY nosort keeps native order of lists and sorted sets", async () => {
  await withServer(async (r) => {
    await r.lpush("l", "2", "1", "4", "3", "5");
    deepStrictEqual(await r.sort("l", "BY", "nosort"), ["5", "3", "4", "1", "2"]);
    deepStrictEqual(await r.sort("l", "BY", "nosort", "DESC"), ["2", "1", "4", "3", "5"]);
    deepStrictEqual(await r.sort("l", "BY", "nosort", "DESC", "LIMIT", "1", "2"), ["1", "4"]);
    // Once a BY without `*` is seen, a later BY pattern doesn't bring sorting back.
    deepStrictEqual(await r.sort("l", "BY", "nosort", "BY", "w_*"), ["5", "3", "4", "1", "2"]);
    await r.zadd("z", "1", "a", "5", "b", "2", "c", "10", "d", "3", "e");
    strictEqual(await r.object("ENCODING", "z"), "listpack");
    deepStrictEqual(await r.sort("z", "BY", "nosort"), ["a", "c", "e", "b", "d"]);
    deepStrictEqual(await r.sort("z", "BY", "nosort", "DESC"), ["d", "b", "e", "c", "a"]);
    deepStrictEqual(await r.sort("z", "BY", "nosort", "LIMIT", "-10", "100"), [
      "a",
      "c",
      "e",
      "b",
      "d",
    ]);
    deepStrictEqual(await r.sort("z", "BY", "nosort", "DESC", "LIMIT", "0", "2"), ["d", "b"]);
    deepStrictEqual(await r.sort("z", "ALPHA", "DESC"), ["e", "d", "c", "b", "a"]);
    // Redis converts a sorted set to a skiplist when it sorts it.
    strictEqual(await r.object("ENCODING", "z"), "skiplist");
    deepStrictEqual(await r.zrange("z", 0, -1, "WITHSCORES"), [
      "a",
      "1",
      "c",
      "2",
      "e",
      "3",
      "b",
      "5",
      "d",
      "10",
    ]);
  });
});

Deno.test("SORT of a set BY a constant sorts ALPHA when it stores", async () => {
  await withServer(async (r) => {
    await r.sadd("s", "b", "aa", "c", "a", "azz");
    strictEqual(await r.sort("s", "BY", "_", "STORE", "dst"), 5);
    deepStrictEqual(await r.lrange("dst", 0, -1), ["a", "aa", "azz", "b", "c"]);
    strictEqual(await r.sort("s", "BY", "_", "DESC", "LIMIT", "0", "2", "STORE", "dst"), 2);
    deepStrictEqual(await r.lrange("dst", 0, -1), ["c", "b"]);
    await r.sadd("i", "3", "1", "2");
    deepStrictEqual(await r.sort("i", "BY", "nosort", "DESC"), ["1", "2", "3"]);
  });
});

Deno.test("SORT BY and GET read string keys and hash fields", async () => {
  await withServer(async (r) => {
    await r.rpush("l", "1", "2", "3", "4");
    await r.mset("w_1", "40", "w_2", "10", "w_3", "30");
    await r.hset("h_1", "f", "1", "g", "z");
    await r.hset("h_2", "f", "2", "g", "y");
    await r.hset("h_3", "f", "3");
    await r.hset("h_4", "f", "4", "g", "x");
    // A missing weight counts as 0 (numeric) or sorts first (ALPHA).
    deepStrictEqual(await r.sort("l", "BY", "w_*"), ["4", "2", "3", "1"]);
    deepStrictEqual(await r.sort("l", "BY", "h_*->f", "DESC"), ["4", "3", "2", "1"]);
    deepStrictEqual(await r.sort("l", "BY", "h_*->g", "ALPHA"), ["3", "4", "2", "1"]);
    deepStrictEqual(await r.sort("l", "BY", "w_*", "GET", "#", "GET", "w_*", "GET", "h_*->g"), [
      "4",
      null,
      "x",
      "2",
      "10",
      "y",
      "3",
      "30",
      null,
      "1",
      "40",
      "z",
    ]);
    // Wrong types, constant patterns and a trailing `->` give nothing / a plain key.
    deepStrictEqual(await r.sort("l", "GET", "h_*", "LIMIT", "0", "1"), [null]);
    deepStrictEqual(await r.sort("l", "GET", "w_*->f", "LIMIT", "0", "1"), [null]);
    deepStrictEqual(await r.sort("l", "GET", "const", "LIMIT", "0", "2"), [null, null]);
    await r.set("x:1->", "100");
    deepStrictEqual(await r.sort("l", "GET", "x:*->", "LIMIT", "0", "1"), ["100"]);
    deepStrictEqual(await r.call("SORT_RO", "l", "BY", "nosort", "GET", "w_*"), [
      "40",
      "10",
      "30",
      null,
    ]);
  });
});

Deno.test("SORT STORE writes a list, replaces or deletes the destination", async () => {
  await withServer(async (r, t) => {
    await r.rpush("l", "3", "1", "2");
    await r.set("dst", "string", "EX", 100);
    const events: string[] = [];
    t.server.keyspace.onEvent((cls, event, key) => events.push(`${cls}:${event}:${key}`));
    const dirty = t.server.keyspace.dirty;
    strictEqual(await r.sort("l", "GET", "#", "GET", "nokey_*", "STORE", "dst"), 6);
    strictEqual(t.server.keyspace.dirty - dirty, 6);
    strictEqual(await r.type("dst"), "list");
    strictEqual(await r.ttl("dst"), -1);
    strictEqual(await r.object("ENCODING", "dst"), "quicklist");
    deepStrictEqual(await r.lrange("dst", 0, -1), ["1", "", "2", "", "3", ""]);
    deepStrictEqual(events, ["l:sortstore:dst"]);
    // An empty result deletes the destination, and creates nothing.
    strictEqual(await r.sort("l", "LIMIT", "10", "10", "STORE", "dst"), 0);
    strictEqual(await r.exists("dst"), 0);
    strictEqual(await r.sort("missing", "STORE", "dst"), 0);
    deepStrictEqual(events, ["l:sortstore:dst", "g:del:dst"]);
    // A read-only SORT leaves the dirty counter (and so propagation) alone.
    const before = t.server.keyspace.dirty;
    await r.sort("l");
    strictEqual(t.server.keyspace.dirty, before);
    // The last STORE wins; the source can be its own destination.
    strictEqual(await r.sort("l", "STORE", "a", "STORE", "b"), 3);
    strictEqual(await r.exists("a"), 0);
    strictEqual(await r.sort("l", "DESC", "STORE", "l"), 3);
    deepStrictEqual(await r.lrange("l", 0, -1), ["3", "2", "1"]);
  });
});

Deno.test("SORT STORE wakes a client blocked on the destination", async () => {
  await withServer(async (r, t) => {
    const blocked = await client(t);
    try {
      const pop = blocked.blpop("foo", 5);
      while (!(await r.client("LIST") as string).includes("cmd=blpop")) {
        await new Promise((res) => setTimeout(res, 5));
      }
      await r.lpush("notfoo", "hello", "hola", "aguacate", "konichiwa", "zanzibar");
      await r.sort("notfoo", "ALPHA", "STORE", "foo");
      deepStrictEqual(await pop, ["foo", "aguacate"]);
    } finally {
      blocked.disconnect();
    }
  });
});

Deno.test("SORT errors: syntax, wrong type, SORT_RO with STORE", async () => {
  await withServer(async (r) => {
    await r.set("str", "x");
    await r.rpush("l", "1");
    const wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
    await rejects(r.sort("str"), { message: wrongType });
    await rejects(r.call("SORT_RO", "str"), { message: wrongType });
    // Options are parsed before the key's type is checked.
    await rejects(r.call("SORT", "str", "LIMIT"), { message: "ERR syntax error" });
    for (
      const args of [["LIMIT"], ["LIMIT", "1"], ["BY"], ["GET"], ["STORE"], ["foo"], ["ALPHA", "x"]]
    ) {
      await rejects(r.call("SORT", "l", ...args), { message: "ERR syntax error" }, args.join(" "));
    }
    await rejects(r.call("SORT_RO", "l", "STORE", "dst"), { message: "ERR syntax error" });
    deepStrictEqual(await r.sort("missing", "DESC", "ALPHA", "GET", "#"), []);
  });
});

Deno.test("SORT key extraction follows Redis, and replies are byte-exact", async () => {
  deepStrictEqual(sortKeys(["sort", "abc"]), [1]);
  deepStrictEqual(sortKeys(["sort", "abc", "store", "def"]), [1, 3]);
  deepStrictEqual(sortKeys(["sort", "abc", "store", "x", "store", "y", "store", "def"]), [1, 7]);
  deepStrictEqual(sortKeys(["sort", "abc", "store"]), [1]);
  deepStrictEqual(sortKeys(["sort", "abc", "limit", "store", "def", "x"]), [1]);
  deepStrictEqual(sortKeys(["sort", "abc", "get", "store", "def"]), [1]);
  deepStrictEqual(sortKeys(["sort", "abc", "store", "store", "def"]), [1, 4]);
  await withServer(async (r) => {
    deepStrictEqual(await r.call("COMMAND", "GETKEYS", "sort", "abc", "STORE", "def"), [
      "abc",
      "def",
    ]);
    deepStrictEqual(await r.call("COMMAND", "GETKEYSANDFLAGS", "sort", "abc", "store", "d"), [
      ["abc", ["RO", "access"]],
      ["d", ["OW", "update"]],
    ]);
    deepStrictEqual(await r.call("COMMAND", "GETKEYS", "sort_ro", "abc", "store", "d"), ["abc"]);
  });
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  try {
    await expectRaw(raw, ["RPUSH", "l", "b", "a"], ":2\r\n");
    await expectRaw(
      raw,
      ["SORT", "l", "ALPHA", "GET", "#", "GET", "x_*"],
      "*4\r\n$1\r\na\r\n$-1\r\n$1\r\nb\r\n$-1\r\n",
    );
    await expectRaw(raw, ["SORT", "l", "ALPHA", "STORE", "d"], ":2\r\n");
    await expectRaw(raw, ["SORT", "missing"], "*0\r\n");
    await expectRaw(raw, ["SORT", "l"], `-${SCORE_ERROR}\r\n`);
    await expectRaw(
      raw,
      ["SORT_RO"],
      "-ERR wrong number of arguments for 'sort_ro' command\r\n",
    );
  } finally {
    raw.close();
    await t.close();
  }
});
