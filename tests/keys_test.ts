import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import {
  client,
  expectRaw,
  FakeClock,
  RawClient,
  startServer,
  type TestServer,
} from "./_server.ts";
import { parseScanCursor } from "../src/commands/keys.ts";
import { RawString, type TypedValue, type TypeName, type Value } from "../src/store/value.ts";

/** A minimal non-string value, so TYPE/COPY/SCAN TYPE can be tested without list commands. */
class FakeList implements TypedValue {
  readonly type: TypeName = "list";
  constructor(public items: string[]) {}
  encoding(): string {
    return "listpack";
  }
  clone(): FakeList {
    return new FakeList([...this.items]);
  }
}

/** Stores `value` under `key` directly in the keyspace (no string commands needed). */
function seed(t: TestServer, key: string, value: Value = "v", db = 0, ttlMs?: number): void {
  const d = t.server.keyspace.dbs[db]!;
  d.set(key, value);
  if (ttlMs !== undefined) d.setExpire(key, t.server.keyspace.clock() + ttlMs);
}

/** Records keyspace events as `event:key@db`. */
function recordEvents(t: TestServer): string[] {
  const events: string[] = [];
  t.server.keyspace.onEvent((cls, event, key, db) => {
    if (cls !== "n") events.push(`${event}:${key}@${db}`);
  });
  return events;
}

Deno.test("DEL and UNLINK delete existing keys, count each once, emit del", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  const events = recordEvents(t);
  for (const k of ["a", "b", "c"]) seed(t, k);
  await expectRaw(raw, ["DEL", "a", "a", "nokey", "b"], ":2\r\n");
  await expectRaw(raw, ["UNLINK", "c", "c"], ":1\r\n");
  await expectRaw(raw, ["DEL", "a"], ":0\r\n");
  await expectRaw(raw, ["DEL"], "-ERR wrong number of arguments for 'del' command\r\n");
  deepStrictEqual(events, ["del:a@0", "del:b@0", "del:c@0"]);
  strictEqual(t.server.keyspace.dirty, 3);
  raw.close();
  await t.close();
});

Deno.test("EXISTS counts repeated keys, TYPE names the type or none", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  seed(t, "s", "x");
  seed(t, "r", new RawString("raw"));
  seed(t, "l", new FakeList(["a"]));
  await expectRaw(raw, ["EXISTS", "s", "s", "l", "nokey"], ":3\r\n");
  await expectRaw(raw, ["TYPE", "s"], "+string\r\n");
  await expectRaw(raw, ["TYPE", "r"], "+string\r\n");
  await expectRaw(raw, ["TYPE", "l"], "+list\r\n");
  await expectRaw(raw, ["TYPE", "nokey"], "+none\r\n");
  const stats = t.server.keyspace.stats;
  strictEqual(stats.hits, 6);
  strictEqual(stats.misses, 2);
  raw.close();
  await t.close();
});

Deno.test("TOUCH returns the number of existing keys", async () => {
  const t = startServer();
  const r = await client(t);
  seed(t, "key1");
  seed(t, "key2");
  strictEqual(await r.touch("key0", "key1", "key2", "key3"), 2);
  r.disconnect();
  await t.close();
});

Deno.test("KEYS matches Redis glob patterns and skips logically expired keys", async () => {
  const clock = new FakeClock();
  const t = startServer({}, { clock: clock.now });
  const r = await client(t);
  for (const k of ["key_x", "key_y", "key_z", "foo_a", "foo_b", "foo_c", "a*b", "h\x00llo"]) {
    seed(t, k);
  }
  const keys = async (p: string) => (await r.keys(p)).sort();
  deepStrictEqual(await keys("foo*"), ["foo_a", "foo_b", "foo_c"]);
  deepStrictEqual((await keys("*")).length, 8);
  deepStrictEqual(await keys("key_?"), ["key_x", "key_y", "key_z"]);
  deepStrictEqual(await keys("key_[xy]"), ["key_x", "key_y"]);
  deepStrictEqual(await keys("key_[^x]"), ["key_y", "key_z"]);
  deepStrictEqual(await keys("foo_[a-b]"), ["foo_a", "foo_b"]);
  deepStrictEqual(await keys("foo_[c-b]"), ["foo_b", "foo_c"]);
  deepStrictEqual(await keys("a\\*b"), ["a*b"]);
  deepStrictEqual(await keys("a\\*"), []);
  deepStrictEqual(await keys("h?llo"), ["h\x00llo"]);
  deepStrictEqual(await keys("nomatch*"), []);
  // Many stars against a long key must not blow up (Redis's nesting regression test).
  seed(t, "a".repeat(40));
  deepStrictEqual(await keys("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"), []);

  seed(t, "volatile", "v", 0, 1000);
  deepStrictEqual(await keys("vol*"), ["volatile"]);
  clock.advance(1000);
  deepStrictEqual(await keys("vol*"), []);
  strictEqual(t.server.keyspace.dbs[0]!.data.has("volatile"), true, "KEYS does not delete");
  r.disconnect();
  await t.close();
});

Deno.test("SCAN visits every key once over a full iteration, with COUNT, MATCH and TYPE", async () => {
  const t = startServer();
  const r = await client(t);
  for (let i = 0; i < 1000; i++) seed(t, `key:${i}`, "AAA");
  seed(t, "mylist", new FakeList(["x"]));

  async function scanAll(...opts: (string | number)[]): Promise<string[]> {
    const seen: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = (await r.call("SCAN", cursor, ...opts)) as [string, string[]];
      cursor = next;
      seen.push(...keys);
    } while (cursor !== "0");
    return seen;
  }
  const all = await scanAll();
  strictEqual(all.length, 1001);
  strictEqual(new Set(all).size, 1001);
  strictEqual(new Set(await scanAll("COUNT", 5)).size, 1001);
  strictEqual((await scanAll("MATCH", "key:1??")).length, 100);
  deepStrictEqual(await scanAll("TYPE", "list"), ["mylist"]);
  deepStrictEqual(await scanAll("type", "LIST"), ["mylist"]);
  strictEqual((await scanAll("TYPE", "string", "MATCH", "key:*", "COUNT", 10)).length, 1000);
  deepStrictEqual(await scanAll("TYPE", "nosuchtype"), []);
  // A big COUNT returns everything in one call.
  const [cursor, keys] = (await r.call("SCAN", "0", "COUNT", "100000")) as [string, string[]];
  strictEqual(cursor, "0");
  strictEqual(keys.length, 1001);
  r.disconnect();
  await t.close();
});

Deno.test("SCAN returns every key that exists throughout, even under writes", async () => {
  const t = startServer();
  const r = await client(t);
  for (let i = 0; i < 100; i++) seed(t, `k${i}`);
  const seen = new Set<string>();
  let cursor = "0";
  let added = 0;
  do {
    const [next, keys] = (await r.call("SCAN", cursor)) as [string, string[]];
    cursor = next;
    for (const k of keys) seen.add(k);
    for (let j = 0; j < 10; j++) seed(t, `addedkey:${added++}`);
    // Deleting keys mid-iteration must not hide other keys either.
    await r.del(`addedkey:${added - 5}`);
  } while (cursor !== "0");
  for (let i = 0; i < 100; i++) strictEqual(seen.has(`k${i}`), true, `k${i} reported`);
  r.disconnect();
  await t.close();
});

Deno.test("SCAN deletes expired keys it meets and does not return them", async () => {
  const clock = new FakeClock();
  const t = startServer({}, { clock: clock.now });
  const r = await client(t);
  t.server.keyspace.activeExpireEnabled = false;
  seed(t, "live");
  seed(t, "foo1", "v", 0, 1);
  seed(t, "foo2", "v", 0, 1);
  clock.advance(2);
  const events = recordEvents(t);
  deepStrictEqual(await r.call("SCAN", "0"), ["0", ["live"]]);
  deepStrictEqual(events.sort(), ["expired:foo1@0", "expired:foo2@0"]);
  strictEqual(t.server.keyspace.dbs[0]!.size, 1);
  r.disconnect();
  await t.close();
});

Deno.test("SCAN argument errors match Redis", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  seed(t, "a");
  const invalid = "-ERR invalid cursor\r\n";
  await expectRaw(raw, ["SCAN", "abc"], invalid);
  await expectRaw(raw, ["SCAN", " 1"], invalid);
  await expectRaw(raw, ["SCAN", "1x"], invalid);
  await expectRaw(raw, ["SCAN", "18446744073709551616"], invalid);
  await expectRaw(raw, ["SCAN", "abc", "COUNT", "0"], invalid);
  const syntax = "-ERR syntax error\r\n";
  await expectRaw(raw, ["SCAN", "0", "COUNT", "0"], syntax);
  await expectRaw(raw, ["SCAN", "0", "COUNT", "-1"], syntax);
  await expectRaw(raw, ["SCAN", "0", "COUNT"], syntax);
  await expectRaw(raw, ["SCAN", "0", "MATCH"], syntax);
  await expectRaw(raw, ["SCAN", "0", "TYPE"], syntax);
  await expectRaw(raw, ["SCAN", "0", "foo", "bar"], syntax);
  await expectRaw(
    raw,
    ["SCAN", "0", "COUNT", "abc"],
    "-ERR value is not an integer or out of range\r\n",
  );
  // Cursors Redis accepts (strtoul) but this server never handed out end the iteration.
  await expectRaw(raw, ["SCAN", "18446744073709551615"], "*2\r\n$1\r\n0\r\n*0\r\n");
  await expectRaw(raw, ["SCAN", "", "MATCH", "a"], "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n");
  await expectRaw(raw, ["SCAN", "+0", "MATCH", "a"], "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n");
  raw.close();
  await t.close();
});

Deno.test("SCAN cursors parse like strtoul", () => {
  strictEqual(parseScanCursor("0"), 0n);
  strictEqual(parseScanCursor(""), 0n);
  strictEqual(parseScanCursor("00"), 0n);
  strictEqual(parseScanCursor("-0"), 0n);
  strictEqual(parseScanCursor("+7"), 7n);
  strictEqual(parseScanCursor("-1"), 18446744073709551615n);
  strictEqual(parseScanCursor("18446744073709551615"), 18446744073709551615n);
  for (const bad of ["+", "-", " 1", "1 ", "0x10", "1.0", "18446744073709551616"]) {
    let threw = false;
    try {
      parseScanCursor(bad);
    } catch {
      threw = true;
    }
    strictEqual(threw, true, `cursor ${JSON.stringify(bad)} rejected`);
  }
});

Deno.test("RANDOMKEY returns each key eventually, null when empty, skips expired keys", async () => {
  const clock = new FakeClock();
  const t = startServer({}, { clock: clock.now });
  const raw = await RawClient.connect(t.port);
  const r = await client(t);
  await expectRaw(raw, ["RANDOMKEY"], "$-1\r\n");
  seed(t, "foo");
  seed(t, "bar");
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) seen.add((await r.randomkey())!);
  deepStrictEqual([...seen].sort(), ["bar", "foo"]);
  await r.del("foo", "bar");
  await expectRaw(raw, ["RANDOMKEY"], "$-1\r\n");
  t.server.keyspace.activeExpireEnabled = false;
  seed(t, "gone1", "v", 0, 5);
  seed(t, "gone2", "v", 0, 5);
  seed(t, "stays");
  clock.advance(5);
  for (let i = 0; i < 20; i++) strictEqual(await r.randomkey(), "stays");
  strictEqual(t.server.keyspace.dbs[0]!.size, 1);
  r.disconnect();
  raw.close();
  await t.close();
});

Deno.test("RENAME and RENAMENX move value and TTL, handle same key and missing key", async () => {
  const clock = new FakeClock();
  const t = startServer({}, { clock: clock.now });
  const raw = await RawClient.connect(t.port);
  const db = t.server.keyspace.dbs[0]!;
  const events = recordEvents(t);
  seed(t, "mykey", "hello", 0, 100_000);
  await expectRaw(raw, ["RENAME", "mykey", "mykey1"], "+OK\r\n");
  strictEqual(db.get("mykey1"), "hello");
  strictEqual(db.has("mykey"), false);
  strictEqual(db.getExpire("mykey1"), clock.ms + 100_000);
  await expectRaw(raw, ["PTTL", "mykey1"], ":100000\r\n");
  deepStrictEqual(events, ["rename_from:mykey@0", "rename_to:mykey1@0"]);

  // The target's own TTL is not inherited.
  seed(t, "src", "a");
  seed(t, "dst", "b", 0, 100_000);
  await expectRaw(raw, ["RENAME", "src", "dst"], "+OK\r\n");
  strictEqual(db.get("dst"), "a");
  await expectRaw(raw, ["TTL", "dst"], ":-1\r\n");

  await expectRaw(raw, ["RENAME", "nokey", "x"], "-ERR no such key\r\n");
  await expectRaw(raw, ["RENAME", "nokey", "nokey"], "-ERR no such key\r\n");
  await expectRaw(raw, ["RENAMENX", "nokey", "x"], "-ERR no such key\r\n");
  await expectRaw(raw, ["RENAME", "dst", "dst"], "+OK\r\n");
  await expectRaw(raw, ["RENAMENX", "dst", "dst"], ":0\r\n");

  seed(t, "other", "o");
  await expectRaw(raw, ["RENAMENX", "dst", "other"], ":0\r\n");
  strictEqual(db.get("other"), "o");
  await expectRaw(raw, ["RENAMENX", "dst", "fresh"], ":1\r\n");
  strictEqual(db.get("fresh"), "a");
  strictEqual(db.has("dst"), false);

  // An expired source is gone: RENAME must not resurrect it.
  seed(t, "short", "s", 0, 10);
  clock.advance(10);
  await expectRaw(raw, ["RENAME", "short", "x"], "-ERR no such key\r\n");
  raw.close();
  await t.close();
});

Deno.test("COPY copies values independently, with DB, REPLACE and the TTL", async () => {
  const clock = new FakeClock();
  const t = startServer({}, { clock: clock.now });
  const raw = await RawClient.connect(t.port);
  const ks = t.server.keyspace;
  const db0 = ks.dbs[0]!;
  const db10 = ks.dbs[10]!;
  const events = recordEvents(t);
  seed(t, "mykey", "foobar");
  await expectRaw(raw, ["COPY", "mykey", "mynewkey"], ":1\r\n");
  strictEqual(db0.get("mynewkey"), "foobar");
  await expectRaw(raw, ["COPY", "mykey", "mynewkey", "DB", "10"], ":1\r\n");
  strictEqual(db10.get("mynewkey"), "foobar");
  deepStrictEqual(events, ["copy_to:mynewkey@0", "copy_to:mynewkey@10"]);

  seed(t, "mykey2", "hello");
  await expectRaw(raw, ["COPY", "mykey2", "mynewkey", "DB", "10"], ":0\r\n");
  await expectRaw(raw, ["COPY", "mykey2", "mynewkey", "db", "10", "replace"], ":1\r\n");
  strictEqual(db10.get("mynewkey"), "hello");
  await expectRaw(raw, ["COPY", "mykey", "mykey", "DB", "10"], ":1\r\n");

  // Mutable values are deep copies.
  const list = new FakeList(["a", "b"]);
  seed(t, "list", list);
  await expectRaw(raw, ["COPY", "list", "list2"], ":1\r\n");
  const copy = db0.get("list2") as FakeList;
  strictEqual(copy === list, false);
  deepStrictEqual(copy.items, ["a", "b"]);
  list.items.push("c");
  deepStrictEqual(copy.items, ["a", "b"]);
  const rs = new RawString("abc");
  seed(t, "raw", rs);
  await expectRaw(raw, ["COPY", "raw", "raw2"], ":1\r\n");
  rs.append("def");
  strictEqual((db0.get("raw2") as RawString).toString(), "abc");

  // TTL metadata goes along; no TTL stays no TTL.
  seed(t, "vol", "v", 0, 100_000);
  await expectRaw(raw, ["COPY", "vol", "vol2", "REPLACE"], ":1\r\n");
  strictEqual(db0.getExpire("vol2"), clock.ms + 100_000);
  await expectRaw(raw, ["COPY", "mykey", "vol2", "REPLACE"], ":1\r\n");
  strictEqual(db0.getExpire("vol2"), -1);

  await expectRaw(raw, ["COPY", "nokey", "x"], ":0\r\n");
  const same = "-ERR source and destination objects are the same\r\n";
  await expectRaw(raw, ["COPY", "mykey", "mykey"], same);
  await expectRaw(raw, ["COPY", "nokey", "nokey", "DB", "0"], same);
  const notInt = "-ERR value is not an integer or out of range\r\n";
  await expectRaw(raw, ["COPY", "mykey", "b", "DB", "notanumber"], notInt);
  await expectRaw(raw, ["COPY", "mykey", "b", "DB", "16"], "-ERR DB index is out of range\r\n");
  await expectRaw(raw, ["COPY", "mykey", "b", "DB", "-1"], "-ERR DB index is out of range\r\n");
  await expectRaw(
    raw,
    ["COPY", "mykey", "b", "DB", "4294967296"],
    "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
  );
  await expectRaw(raw, ["COPY", "mykey", "b", "DB"], "-ERR syntax error\r\n");
  // The index is checked when read, before a later bad option.
  await expectRaw(
    raw,
    ["COPY", "mykey", "b", "DB", "99", "foo"],
    "-ERR DB index is out of range\r\n",
  );
  await expectRaw(raw, ["COPY", "mykey", "b", "DB", "1", "foo"], "-ERR syntax error\r\n");
  await expectRaw(raw, ["COPY", "mykey", "b", "foo"], "-ERR syntax error\r\n");
  strictEqual(db0.has("b"), false);
  raw.close();
  await t.close();
});

Deno.test("MOVE moves a key with its TTL to another database", async () => {
  const clock = new FakeClock();
  const t = startServer({}, { clock: clock.now });
  const raw = await RawClient.connect(t.port);
  const ks = t.server.keyspace;
  const events = recordEvents(t);
  seed(t, "mykey", "foobar", 0, 100_000);
  await expectRaw(raw, ["MOVE", "mykey", "10"], ":1\r\n");
  strictEqual(ks.dbs[0]!.has("mykey"), false);
  strictEqual(ks.dbs[10]!.get("mykey"), "foobar");
  strictEqual(ks.dbs[10]!.getExpire("mykey"), clock.ms + 100_000);
  deepStrictEqual(events, ["move_from:mykey@0", "move_to:mykey@10"]);

  seed(t, "mykey", "hello");
  await expectRaw(raw, ["MOVE", "mykey", "10"], ":0\r\n");
  strictEqual(ks.dbs[0]!.get("mykey"), "hello");
  seed(t, "plain", "p");
  await expectRaw(raw, ["MOVE", "plain", "3"], ":1\r\n");
  strictEqual(ks.dbs[3]!.getExpire("plain"), -1);
  await expectRaw(raw, ["MOVE", "nokey", "1"], ":0\r\n");

  const notInt = "-ERR value is not an integer or out of range\r\n";
  await expectRaw(raw, ["MOVE", "mykey", "notanumber"], notInt);
  await expectRaw(raw, ["MOVE", "mykey", "1.0"], notInt);
  await expectRaw(
    raw,
    ["MOVE", "mykey", "2147483648"],
    "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
  );
  await expectRaw(raw, ["MOVE", "mykey", "16"], "-ERR DB index is out of range\r\n");
  await expectRaw(raw, ["MOVE", "mykey", "-1"], "-ERR DB index is out of range\r\n");
  const same = "-ERR source and destination objects are the same\r\n";
  await expectRaw(raw, ["MOVE", "mykey", "0"], same);
  await expectRaw(raw, ["MOVE", "nokey", "0"], same);
  raw.close();
  await t.close();
});

Deno.test("OBJECT ENCODING and REFCOUNT report Redis's encodings and shared integers", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  seed(t, "int", "1234");
  seed(t, "big", "10000");
  seed(t, "neg", "-1");
  seed(t, "emb", "hello");
  seed(t, "long", "x".repeat(45));
  seed(t, "raw", new RawString("abc"));
  seed(t, "list", new FakeList([]));
  await expectRaw(raw, ["OBJECT", "ENCODING", "int"], "$3\r\nint\r\n");
  await expectRaw(raw, ["OBJECT", "encoding", "emb"], "$6\r\nembstr\r\n");
  await expectRaw(raw, ["OBJECT", "ENCODING", "long"], "$3\r\nraw\r\n");
  await expectRaw(raw, ["OBJECT", "ENCODING", "raw"], "$3\r\nraw\r\n");
  await expectRaw(raw, ["OBJECT", "ENCODING", "list"], "$8\r\nlistpack\r\n");
  await expectRaw(raw, ["OBJECT", "ENCODING", "nokey"], "$-1\r\n");
  await expectRaw(raw, ["OBJECT", "REFCOUNT", "int"], ":2147483647\r\n");
  await expectRaw(raw, ["OBJECT", "REFCOUNT", "big"], ":1\r\n");
  await expectRaw(raw, ["OBJECT", "REFCOUNT", "neg"], ":1\r\n");
  await expectRaw(raw, ["OBJECT", "REFCOUNT", "emb"], ":1\r\n");
  await expectRaw(raw, ["OBJECT", "REFCOUNT", "list"], ":1\r\n");
  await expectRaw(raw, ["OBJECT", "REFCOUNT", "nokey"], "$-1\r\n");
  // With maxmemory and an LRU/LFU policy Redis stops sharing integers.
  t.server.config.set("maxmemory", "1073741824");
  t.server.config.set("maxmemory-policy", "allkeys-random");
  await expectRaw(raw, ["OBJECT", "REFCOUNT", "int"], ":2147483647\r\n");
  t.server.config.set("maxmemory-policy", "volatile-lru");
  await expectRaw(raw, ["OBJECT", "REFCOUNT", "int"], ":1\r\n");
  raw.close();
  await t.close();
});

Deno.test("OBJECT IDLETIME: TTL, TYPE, EXISTS and OBJECT don't touch keys, reads and TOUCH do", async () => {
  const clock = new FakeClock();
  const t = startServer({}, { clock: clock.now });
  const raw = await RawClient.connect(t.port);
  seed(t, "foo", "bar");
  clock.advance(3000);
  for (const cmd of ["TTL", "PTTL", "TYPE", "EXISTS", "EXPIRETIME"]) {
    await raw.command(cmd, "foo");
  }
  await raw.command("OBJECT", "ENCODING", "foo");
  await raw.read(":-1\r\n:-1\r\n+string\r\n:1\r\n:-1\r\n$6\r\nembstr\r\n");
  await expectRaw(raw, ["OBJECT", "IDLETIME", "foo"], ":3\r\n");
  await expectRaw(raw, ["TOUCH", "foo"], ":1\r\n");
  await expectRaw(raw, ["OBJECT", "IDLETIME", "foo"], ":0\r\n");
  clock.advance(5000);
  // Write lookups count as accesses too.
  await expectRaw(raw, ["EXPIRE", "foo", "100"], ":1\r\n");
  await expectRaw(raw, ["OBJECT", "IDLETIME", "foo"], ":0\r\n");
  clock.advance(2000);
  await expectRaw(raw, ["OBJECT", "IDLETIME", "foo"], ":2\r\n");
  await expectRaw(raw, ["OBJECT", "IDLETIME", "nokey"], "$-1\r\n");
  // RENAME keeps the object and so its idle time.
  await expectRaw(raw, ["RENAME", "foo", "foo2"], "+OK\r\n");
  clock.advance(4000);
  await expectRaw(raw, ["OBJECT", "IDLETIME", "foo2"], ":4\r\n");
  raw.close();
  await t.close();
});

Deno.test("OBJECT FREQ and IDLETIME follow the maxmemory policy like Redis", async () => {
  const clock = new FakeClock();
  const t = startServer({}, { clock: clock.now });
  const raw = await RawClient.connect(t.port);
  const note =
    "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
  seed(t, "k");
  await expectRaw(raw, ["OBJECT", "FREQ", "nokey"], "$-1\r\n");
  await expectRaw(
    raw,
    ["OBJECT", "FREQ", "k"],
    `-ERR An LFU maxmemory policy is not selected, access frequency not tracked. ${note}\r\n`,
  );
  t.server.config.set("maxmemory-policy", "allkeys-lfu");
  await expectRaw(
    raw,
    ["OBJECT", "IDLETIME", "k"],
    `-ERR An LFU maxmemory policy is selected, idle time not tracked. ${note}\r\n`,
  );
  await expectRaw(raw, ["OBJECT", "IDLETIME", "nokey"], "$-1\r\n");
  seed(t, "hot");
  await expectRaw(raw, ["OBJECT", "FREQ", "hot"], ":5\r\n");
  // The first access always increments (counter at LFU_INIT_VAL), later ones get rarer.
  await expectRaw(raw, ["TOUCH", "hot"], ":1\r\n");
  await expectRaw(raw, ["OBJECT", "FREQ", "hot"], ":6\r\n");
  for (let i = 0; i < 200; i++) await raw.command("TOUCH", "hot");
  await raw.read(":1\r\n".repeat(200));
  const r = await client(t);
  const freq = (await r.call("OBJECT", "FREQ", "hot")) as number;
  strictEqual(freq > 6 && freq < 40, true, `log counter ${freq}`);
  r.disconnect();
  // One decrement per idle minute (lfu-decay-time 1).
  clock.advance(3 * 60_000);
  await expectRaw(raw, ["OBJECT", "FREQ", "hot"], `:${freq - 3}\r\n`);
  raw.close();
  await t.close();
});

Deno.test("OBJECT HELP and subcommand errors", async () => {
  const t = startServer();
  const r = await client(t);
  const help = (await r.call("OBJECT", "HELP")) as string[];
  strictEqual(help.length, 15);
  strictEqual(help[0], "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  strictEqual(help[14], "    Prints this help.");
  await rejects(r.call("OBJECT"), /ERR wrong number of arguments for 'object' command/);
  await rejects(r.call("OBJECT", "FOO", "k"), /ERR unknown subcommand 'FOO'. Try OBJECT HELP./);
  await rejects(
    r.call("OBJECT", "ENCODING", "a", "b"),
    /ERR wrong number of arguments for 'object\|encoding' command/,
  );
  r.disconnect();
  await t.close();
});

Deno.test("access clocks cost nothing until OBJECT IDLETIME or an LRU/LFU policy asks", async () => {
  const clock = new FakeClock();
  const t = startServer({}, { clock: clock.now });
  const raw = await RawClient.connect(t.port);
  const ks = t.server.keyspace;
  const db = ks.dbs[0]!;
  seed(t, "old");
  await expectRaw(raw, ["TOUCH", "old"], ":1\r\n");
  strictEqual(ks.trackAccess, false);
  strictEqual(db.access.size, 0);
  clock.advance(7000);
  // Untouched since tracking began: idle since the server started.
  await expectRaw(raw, ["OBJECT", "IDLETIME", "old"], ":7\r\n");
  strictEqual(ks.trackAccess, true);
  seed(t, "new");
  clock.advance(2000);
  await expectRaw(raw, ["OBJECT", "IDLETIME", "new"], ":2\r\n");
  await expectRaw(raw, ["OBJECT", "IDLETIME", "old"], ":9\r\n");
  await expectRaw(raw, ["DEL", "new", "old"], ":2\r\n");
  strictEqual(db.access.size, 0, "deleted keys drop their clocks");
  raw.close();
  await t.close();

  const lru = startServer({ "maxmemory-policy": "allkeys-lru" });
  strictEqual(lru.server.keyspace.trackAccess, true);
  await lru.close();
});
