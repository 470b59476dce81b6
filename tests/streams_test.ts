import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import {
  client,
  expectRaw,
  FakeClock,
  RawClient,
  recordEvents,
  startServer,
  type TestServer,
} from "./_server.ts";
import { IdMap } from "../src/types/id_map.ts";
import { INVALID_ENTRIES_READ, StreamValue } from "../src/types/stream.ts";
import {
  decrId,
  formatId,
  idFromParts,
  incrId,
  MAX_ID,
  MIN_ID,
  parseId,
  parseU64,
  type StreamId,
} from "../src/types/stream_id.ts";
import type { FeedOp } from "../src/persistence/propagate.ts";

/** Records the propagated write feed as space-joined commands. */
function recordFeed(t: TestServer): string[] {
  const out: string[] = [];
  t.server.persistence.feed.subscribe((ops: readonly FeedOp[]) => {
    for (const op of ops) out.push(op.argv.join(" "));
  });
  return out;
}

const id = (ms: number, seq: number): StreamId => idFromParts(ms, seq);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- IDs ---------------------------------------------------------------------------------

Deno.test("stream IDs order as 128-bit numbers and print as ms-seq", () => {
  const ids = [id(0, 1), id(0, 2 ** 40), id(1, 0), id(2 ** 32, 0), MAX_ID];
  for (let i = 1; i < ids.length; i++) ok(ids[i - 1]! < ids[i]!);
  strictEqual(formatId(MAX_ID), "18446744073709551615-18446744073709551615");
  strictEqual(formatId(idFromParts(18446744073709551615n, 7n)), "18446744073709551615-7");
  strictEqual(formatId(incrId(id(5, 2 ** 32 - 1))!), "5-4294967296");
  strictEqual(formatId(incrId(idFromParts(5n, 18446744073709551615n))!), "6-0");
  strictEqual(formatId(decrId(id(6, 0))!), "5-18446744073709551615");
  strictEqual(incrId(MAX_ID), null);
  strictEqual(decrId(MIN_ID), null);
});

Deno.test("ID arguments follow Redis's string2ull / strtoull rules", () => {
  strictEqual(parseU64("18446744073709551615"), 18446744073709551615n);
  strictEqual(parseU64("18446744073709551616"), null);
  strictEqual(parseU64(" 5"), 5n);
  strictEqual(parseU64("+6"), 6n);
  strictEqual(parseU64("007"), 7n);
  strictEqual(parseU64("-1"), null); // a canonical negative integer
  strictEqual(parseU64("-01"), 18446744073709551615n); // strtoull wraps it
  strictEqual(parseU64("-0"), 0n);
  strictEqual(parseU64("0x10"), null);
  strictEqual(parseU64(""), null);
  strictEqual(formatId(parseId("5", 0n, true)!.id), "5-0");
  strictEqual(formatId(parseId("5", 18446744073709551615n, false)!.id), "5-18446744073709551615");
  strictEqual(parseId("-", 0n, true), null);
  strictEqual(parseId("+", 0n, false)!.id, MAX_ID);
  strictEqual(parseId("5-*", 0n, true, true)!.seqGiven, false);
  strictEqual(parseId("5-*", 0n, true, false), null);
  strictEqual(formatId(parseId("8--01", 0n, true)!.id), "8-18446744073709551615");
  strictEqual(formatId(parseId("9\x00junk", 0n, true)!.id), "9-0"); // read as a C string
  strictEqual(parseId("1".repeat(128), 0n, true), null);
});

// --- IdMap --------------------------------------------------------------------------------

Deno.test("IdMap keeps keys ordered through random inserts and deletes", () => {
  const m = new IdMap<number>();
  const ref = new Map<string, number>();
  let seed = 42;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let i = 0; i < 5000; i++) {
    const k = id(rnd(2000), rnd(3));
    if (rnd(3) === 0) strictEqual(m.delete(k), ref.delete(k));
    else {
      m.set(k, i);
      ref.set(k, i);
    }
  }
  const sorted = [...ref.keys()].sort();
  strictEqual(m.size, ref.size);
  deepStrictEqual([...m.keys()], sorted);
  deepStrictEqual([...m.entries()].map(([k, v]) => [k, v]), sorted.map((k) => [k, ref.get(k)]));
  strictEqual(m.firstKey(), sorted[0]);
  strictEqual(m.lastKey(), sorted[sorted.length - 1]);
  const from = id(1000, 0);
  const to = id(1500, 0);
  deepStrictEqual(
    [...m.entries(from, to)].map(([k]) => k),
    sorted.filter((k) => k >= from && k <= to),
  );
  strictEqual(m.ceilingKey(from), sorted.find((k) => k >= from));
  strictEqual(m.get(id(99999, 0)), undefined);
});

// --- StreamValue ----------------------------------------------------------------------------

Deno.test("stream ranges, deletes and trims agree with a plain array model", () => {
  const s = new StreamValue();
  const model: [StreamId, string[]][] = [];
  const cfg = { maxEntries: 7, maxBytes: 4096 };
  let seed = 7;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  let ms = 1;
  let seq = 0;
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < 25; i++) {
      ms += rnd(3);
      const e = id(ms, seq++);
      const fields = ["f", String(rnd(1000))];
      s.append(e, fields, cfg);
      model.push([e, fields]);
    }
    for (let i = 0; i < 5 && model.length > 0; i++) {
      const victim = model[rnd(model.length)]![0];
      strictEqual(s.deleteIds([victim]), 1);
      model.splice(model.findIndex(([k]) => k === victim), 1);
    }
    if (round % 10 === 9) {
      const removed = s.trim({ maxLen: 30 }, false, 0);
      strictEqual(removed, model.length - 30);
      model.splice(0, model.length - 30);
    }
    strictEqual(s.length, model.length);
    const a = model[rnd(model.length)]![0];
    const b = model[rnd(model.length)]![0];
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const fwd: StreamId[] = [];
    s.range(lo, hi, false, (k) => void fwd.push(k));
    deepStrictEqual(fwd, model.filter(([k]) => k >= lo && k <= hi).map(([k]) => k));
    const rev: StreamId[] = [];
    s.range(lo, hi, true, (k) => void rev.push(k));
    deepStrictEqual(rev, fwd.slice().reverse());
  }
  deepStrictEqual([...s.entries()].map(([k]) => k), model.map(([k]) => k));
  strictEqual(s.firstId, model[0]![0]);
  // No node holds more than maxEntries entries (live and deleted).
  for (const n of s.nodes()) ok(n.entries.length <= 7);
});

Deno.test("approximate trims drop whole nodes only, bounded by LIMIT", () => {
  const s = new StreamValue();
  const cfg = { maxEntries: 10, maxBytes: 0 };
  for (let i = 1; i <= 100; i++) s.append(id(i, 0), ["f", "v"], cfg);
  strictEqual(s.radixTreeKeys(), 10);
  strictEqual(s.trim({ maxLen: 55 }, true, 30), 30);
  strictEqual(s.length, 70);
  strictEqual(s.trim({ maxLen: 55 }, true, 0), 10);
  strictEqual(s.length, 60);
  // Nodes whose last entry is below 75 go; the node holding 71..80 stays whole.
  strictEqual(s.trim({ minId: id(75, 0) }, true, 0), 30);
  strictEqual(formatId(s.firstId), "71-0");
  strictEqual(s.trim({ minId: id(75, 0) }, false, 0), 4);
  strictEqual(formatId(s.firstId), "75-0");
});

Deno.test("radix tree node counts follow the node keys", () => {
  const s = new StreamValue();
  strictEqual(s.radixTreeNodes(), 1);
  s.append(id(1, 0), ["a", "1"]);
  strictEqual(s.radixTreeNodes(), 2);
  strictEqual(s.encoding(), "stream");
  strictEqual(s.type, "stream");
});

Deno.test("memory usage counts allocations the way Redis does", () => {
  // Redis 7.0.15 reports MEMORY USAGE 4728, then 5012, for these (the key adds 32 bytes).
  const s = new StreamValue();
  s.append(id(1, 1), ["a", "1", "b", "2"]);
  s.append(idFromParts(18446744073709551615n, 5n), ["c", "3"]);
  strictEqual(s.memoryUsage(5), 4696);
  s.createGroup("g", MIN_ID, INVALID_ENTRIES_READ);
  strictEqual(s.memoryUsage(5), 4980);
});

Deno.test("clone is deep: groups, PELs and entries are independent", () => {
  const s = new StreamValue();
  s.append(id(1, 0), ["a", "1"]);
  s.append(id(2, 0), ["b", "2"]);
  const g = s.createGroup("g", id(2, 0), 2n)!;
  g.addPending(id(1, 0), 1000, 3);
  g.addPending(id(2, 0), 2000, 1);
  ok(g.addConsumer("alice", 500, [id(1, 0), id(2, 0)]));
  const copy = s.clone();
  s.deleteIds([id(1, 0)]);
  g.ack(id(1, 0));
  strictEqual(copy.length, 2);
  const cg = copy.group("g")!;
  strictEqual(cg.pel.size, 2);
  strictEqual(cg.consumer("alice")!.pel.size, 2);
  strictEqual(cg.pel.get(id(1, 0))!.consumer, cg.consumer("alice"));
  strictEqual(cg.pel.get(id(1, 0))!.deliveryCount, 3);
  strictEqual(g.consumer("alice")!.pel.size, 1);
});

Deno.test("StreamValue.from rebuilds a stream with its metadata", () => {
  const s = StreamValue.from([[id(3, 0), ["x", "y"]], [id(4, 1), ["x", "z"]]], {
    lastId: id(9, 9),
    entriesAdded: 12n,
    maxDeletedId: id(2, 0),
  });
  strictEqual(s.length, 2);
  strictEqual(formatId(s.lastId), "9-9");
  strictEqual(s.entriesAdded, 12n);
  strictEqual(formatId(s.firstId), "3-0");
  const seen: string[] = [];
  s.visit((a, b) => void seen.push(b === undefined ? a : `${a}=${b}`));
  deepStrictEqual(seen, ["3.0", "x=y", "4.1", "x=z"]);
});

Deno.test("group read counters and lag follow Redis 7.0", () => {
  const s = new StreamValue();
  for (let i = 1; i <= 5; i++) s.append(id(i, 0), ["d", String(i)]);
  const g = s.createGroup("g", MIN_ID, INVALID_ENTRIES_READ)!;
  strictEqual(s.lag(g), 5n);
  s.advanceGroup(g, id(1, 0));
  strictEqual(g.entriesRead, 1n);
  strictEqual(s.lag(g), 4n);
  // A deletion after the group's position makes the counter unknowable...
  s.deleteIds([id(3, 0)]);
  const h = s.createGroup("h", MIN_ID, INVALID_ENTRIES_READ)!;
  strictEqual(s.lag(h), null);
  // ...until the group reaches the end of the stream.
  for (const k of [1, 2, 4, 5]) s.advanceGroup(h, id(k, 0));
  strictEqual(h.entriesRead, 5n);
  strictEqual(s.lag(h), 0n);
});

// --- Commands --------------------------------------------------------------------------------

Deno.test("XADD appends with explicit, partial and automatic IDs", async () => {
  const clock = new FakeClock(1_700_000_000_000);
  const t = startServer({}, { clock: clock.now });
  const r = await client(t);
  try {
    strictEqual(await r.xadd("s", "5-1", "a", "1"), "5-1");
    strictEqual(await r.xadd("s", "5-*", "a", "2"), "5-2");
    strictEqual(await r.xadd("s", "7-*", "a", "3"), "7-0");
    strictEqual(await r.xadd("s", "*", "a", "4"), "1700000000000-0");
    strictEqual(await r.xadd("s", "*", "a", "5"), "1700000000000-1");
    clock.advance(5);
    strictEqual(await r.xadd("s", "*", "a", "6"), "1700000000005-0");
    strictEqual(await r.xlen("s"), 6);
    strictEqual(await r.type("s"), "stream");
    strictEqual(await r.object("ENCODING", "s"), "stream");
    await rejects(
      r.xadd("s", "7-0", "a", "1"),
      /ERR The ID specified in XADD is equal or smaller than the target stream top item/,
    );
    await rejects(r.xadd("s", "0-0", "a", "1"), /must be greater than 0-0/);
    await rejects(r.xadd("s", "x", "a", "1"), /ERR Invalid stream ID specified/);
    strictEqual(await r.xadd("nostream", "NOMKSTREAM", "*", "a", "1"), null);
    strictEqual(await r.exists("nostream"), 0);
    await r.set("str", "x");
    await rejects(r.xadd("str", "*", "a", "1"), /^ReplyError: WRONGTYPE/);
    await r.xadd("max", "18446744073709551615-18446744073709551615", "a", "1");
    await rejects(r.xadd("max", "*", "a", "1"), /exhausted the last possible ID/);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("XADD and XTRIM trim by MAXLEN and MINID, exactly or by whole nodes", async () => {
  const t = startServer({ "stream-node-max-entries": "10" });
  const r = await client(t);
  try {
    for (let i = 1; i <= 100; i++) await r.xadd("s", `${i}-0`, "f", "v");
    strictEqual(await r.xtrim("s", "MAXLEN", "~", "55", "LIMIT", "30"), 30);
    strictEqual(await r.xlen("s"), 70);
    strictEqual(await r.xtrim("s", "MAXLEN", "~", "55"), 10);
    strictEqual(await r.xtrim("s", "MAXLEN", "=", "55"), 5);
    strictEqual(await r.xtrim("s", "MINID", "60"), 14);
    deepStrictEqual((await r.xrange("s", "-", "+", "COUNT", 1))[0]![0], "60-0");
    await r.call("XADD", "s", "MAXLEN", "2", "200-0", "f", "v");
    strictEqual(await r.xlen("s"), 2);
    await rejects(
      r.xtrim("s", "MAXLEN", "1", "LIMIT", "3"),
      /LIMIT cannot be used without the special ~/,
    );
    await rejects(r.call("XTRIM", "s", "MAXLEN", "-1"), /The MAXLEN argument must be >= 0/);
    await rejects(
      r.call("XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "f", "v"),
      /MAXLEN and MINID options at the same time are not compatible/,
    );
    strictEqual(await r.xtrim("nokey", "MAXLEN", "0"), 0);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("XRANGE / XREVRANGE with COUNT and exclusive bounds, byte-exact", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  try {
    await expectRaw(raw, ["XADD", "s", "1-1", "a", "1"], "$3\r\n1-1\r\n");
    await expectRaw(raw, ["XADD", "s", "2-1", "b", "2"], "$3\r\n2-1\r\n");
    const e1 = "*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n";
    const e2 = "*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n";
    await expectRaw(raw, ["XRANGE", "s", "-", "+"], `*2\r\n${e1}${e2}`);
    await expectRaw(raw, ["XRANGE", "s", "(1-1", "+"], `*1\r\n${e2}`);
    await expectRaw(raw, ["XREVRANGE", "s", "+", "-", "COUNT", "1"], `*1\r\n${e2}`);
    await expectRaw(raw, ["XRANGE", "s", "-", "+", "COUNT", "0"], "*-1\r\n");
    await expectRaw(raw, ["XRANGE", "nokey", "-", "+"], "*0\r\n");
    await expectRaw(
      raw,
      ["XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"],
      "-ERR invalid start ID for the interval\r\n",
    );
    await expectRaw(raw, ["XRANGE", "s", "-", "(0-0"], "-ERR invalid end ID for the interval\r\n");
    await expectRaw(
      raw,
      ["XRANGE", "s", "(-", "+"],
      "-ERR Invalid stream ID specified as stream command argument\r\n",
    );
    await expectRaw(raw, ["XRANGE", "s", "-", "+", "FOO"], "-ERR syntax error\r\n");
    await expectRaw(raw, ["XDEL", "s", "1-1", "9-9"], ":1\r\n");
    await expectRaw(raw, ["XRANGE", "s", "-", "+"], `*1\r\n${e2}`);
  } finally {
    raw.close();
    await t.close();
  }
});

Deno.test("XSETID and XINFO STREAM report the stream metadata", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    await r.xadd("s", "1-0", "a", "1");
    await r.xadd("s", "2-0", "b", "2");
    await r.xadd("s", "3-0", "c", "3");
    await r.xdel("s", "2-0");
    const info = await r.call("XINFO", "STREAM", "s") as unknown[];
    deepStrictEqual(info, [
      "length",
      2,
      "radix-tree-keys",
      1,
      "radix-tree-nodes",
      2,
      "last-generated-id",
      "3-0",
      "max-deleted-entry-id",
      "2-0",
      "entries-added",
      3,
      "recorded-first-entry-id",
      "1-0",
      "groups",
      0,
      "first-entry",
      ["1-0", ["a", "1"]],
      "last-entry",
      ["3-0", ["c", "3"]],
    ]);
    strictEqual(
      await r.call("XSETID", "s", "9-0", "ENTRIESADDED", "10", "MAXDELETEDID", "5-0"),
      "OK",
    );
    await rejects(r.call("XSETID", "s", "1-0"), /smaller than the target stream top item/);
    await rejects(r.call("XSETID", "nokey", "1-0"), /ERR no such key/);
    await rejects(r.call("XSETID", "s", "9-0", "0"), /ERR syntax error/);
    const full = await r.call("XINFO", "STREAM", "s", "FULL", "COUNT", "1") as unknown[];
    deepStrictEqual(full.slice(0, 16), [
      "length",
      2,
      "radix-tree-keys",
      1,
      "radix-tree-nodes",
      2,
      "last-generated-id",
      "9-0",
      "max-deleted-entry-id",
      "5-0",
      "entries-added",
      10,
      "recorded-first-entry-id",
      "1-0",
      "entries",
      [["1-0", ["a", "1"]]],
    ]);
    await rejects(r.call("XINFO", "STREAM", "nokey"), /ERR no such key/);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("XREAD serves at once, blocks until XADD, and times out with a null", async () => {
  const t = startServer();
  const r = await client(t);
  const blocked = await client(t);
  try {
    await r.xadd("s", "1-0", "a", "1");
    deepStrictEqual(await r.xread("STREAMS", "s", "0"), [["s", [["1-0", ["a", "1"]]]]]);
    strictEqual(await r.xread("STREAMS", "s", "$"), null);
    const pending = blocked.xread("BLOCK", 0, "STREAMS", "s", "other", "$", "$");
    await sleep(30);
    // Changes other than appends do not wake the reader.
    await r.xdel("s", "1-0");
    await r.call("XSETID", "s", "1-5");
    await r.xadd("s", "2-0", "b", "2");
    deepStrictEqual(await pending, [["s", [["2-0", ["b", "2"]]]]]);
    const t0 = Date.now();
    strictEqual(await blocked.xread("BLOCK", 30, "STREAMS", "s", "$"), null);
    ok(Date.now() - t0 >= 25);
    // Inside MULTI a blocking XREAD answers as on timeout.
    const res = await r.multi().xread("BLOCK", 0, "STREAMS", "s", "$").exec();
    deepStrictEqual(res, [[null, null]]);
    await rejects(r.xread("BLOCK", -1, "STREAMS", "s", "$"), /ERR timeout is negative/);
    await rejects(r.xread("STREAMS", "s", "a", "0"), /Unbalanced XREAD list of streams/);
  } finally {
    r.disconnect();
    blocked.disconnect();
    await t.close();
  }
});

Deno.test("XREAD replies with a map in RESP3, byte-exact", async () => {
  const t = startServer();
  const r = await client(t);
  const raw = await RawClient.connect(t.port);
  try {
    await r.xadd("s", "1-0", "a", "1");
    await raw.command("HELLO", "3");
    // Skip the HELLO map, which ends with its empty `modules` array.
    let hello = "";
    while (!hello.endsWith("modules\r\n*0\r\n")) hello += await raw.readBytes(1);
    await expectRaw(
      raw,
      ["XREAD", "STREAMS", "s", "0"],
      "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
    );
    await expectRaw(raw, ["XREAD", "STREAMS", "s", "$"], "_\r\n");
    await expectRaw(raw, ["XREAD", "BLOCK", "10", "STREAMS", "s", "$"], "_\r\n");
    await expectRaw(raw, ["XRANGE", "s", "-", "+", "COUNT", "0"], "_\r\n");
  } finally {
    raw.close();
    r.disconnect();
    await t.close();
  }
});

Deno.test("consumer groups deliver, track pending entries and acknowledge", async () => {
  const clock = new FakeClock(1_000_000);
  const t = startServer({}, { clock: clock.now });
  const r = await client(t);
  const events = recordEvents(t);
  try {
    for (let i = 1; i <= 4; i++) await r.xadd("s", `${i}-0`, "f", String(i));
    strictEqual(await r.xgroup("CREATE", "s", "g", "0"), "OK");
    await rejects(
      r.xgroup("CREATE", "s", "g", "0"),
      /^ReplyError: BUSYGROUP Consumer Group name already exists/,
    );
    deepStrictEqual(
      await r.xreadgroup("GROUP", "g", "alice", "COUNT", 2, "STREAMS", "s", ">"),
      [["s", [["1-0", ["f", "1"]], ["2-0", ["f", "2"]]]]],
    );
    clock.advance(100);
    await r.xreadgroup("GROUP", "g", "bob", "STREAMS", "s", ">");
    deepStrictEqual(await r.xpending("s", "g"), [4, "1-0", "4-0", [["alice", "2"], ["bob", "2"]]]);
    clock.advance(50);
    deepStrictEqual(await r.xpending("s", "g", "-", "+", 10, "alice"), [
      ["1-0", "alice", 150, 1],
      ["2-0", "alice", 150, 1],
    ]);
    deepStrictEqual(await r.xpending("s", "g", "IDLE", 100, "-", "+", 10), [
      ["1-0", "alice", 150, 1],
      ["2-0", "alice", 150, 1],
    ]);
    // History: the consumer's own pending entries, counting one more delivery.
    deepStrictEqual(await r.xreadgroup("GROUP", "g", "bob", "STREAMS", "s", "0"), [
      ["s", [["3-0", ["f", "3"]], ["4-0", ["f", "4"]]]],
    ]);
    strictEqual(await r.xack("s", "g", "1-0", "1-0", "9-0"), 1);
    await r.xdel("s", "2-0");
    deepStrictEqual(await r.xreadgroup("GROUP", "g", "alice", "STREAMS", "s", "0"), [
      ["s", [["2-0", null]]],
    ]);
    const groups = await r.xinfo("GROUPS", "s") as unknown[];
    deepStrictEqual(groups, [[
      "name",
      "g",
      "consumers",
      2,
      "pending",
      3,
      "last-delivered-id",
      "4-0",
      "entries-read",
      4,
      "lag",
      0,
    ]]);
    deepStrictEqual(await r.xinfo("CONSUMERS", "s", "g"), [
      ["name", "alice", "pending", 1, "idle", 0],
      ["name", "bob", "pending", 2, "idle", 0],
    ]);
    strictEqual(await r.xgroup("DELCONSUMER", "s", "g", "bob"), 2);
    strictEqual(await r.xgroup("CREATECONSUMER", "s", "g", "carol"), 1);
    strictEqual(await r.xgroup("CREATECONSUMER", "s", "g", "carol"), 0);
    strictEqual(await r.xgroup("DESTROY", "s", "g"), 1);
    strictEqual(await r.xgroup("DESTROY", "s", "g"), 0);
    await rejects(
      r.xreadgroup("GROUP", "g", "x", "STREAMS", "s", ">"),
      /^ReplyError: NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option/,
    );
    deepStrictEqual(events.filter((e) => e.startsWith("xgroup")), [
      "xgroup-create:s",
      "xgroup-createconsumer:s",
      "xgroup-createconsumer:s",
      "xgroup-delconsumer:s",
      "xgroup-createconsumer:s",
      "xgroup-destroy:s",
    ]);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("XCLAIM and XAUTOCLAIM move idle entries and drop deleted ones", async () => {
  const clock = new FakeClock(5_000_000);
  const t = startServer({}, { clock: clock.now });
  const r = await client(t);
  try {
    for (let i = 1; i <= 4; i++) await r.xadd("x", `${i}-0`, "f", "v");
    await r.xgroup("CREATE", "x", "grp", "0");
    await r.xreadgroup("GROUP", "grp", "alice", "STREAMS", "x", ">");
    clock.advance(1000);
    // Not idle long enough: nothing moves.
    deepStrictEqual(await r.xclaim("x", "grp", "bob", 5000, "1-0"), []);
    deepStrictEqual(await r.xclaim("x", "grp", "bob", 500, "1-0"), [["1-0", ["f", "v"]]]);
    deepStrictEqual(
      await r.xclaim("x", "grp", "bob", 0, "2-0", "RETRYCOUNT", 9, "IDLE", 300, "JUSTID"),
      ["2-0"],
    );
    deepStrictEqual(await r.xpending("x", "grp", "-", "+", 10), [
      ["1-0", "bob", 0, 2],
      ["2-0", "bob", 300, 9],
      ["3-0", "alice", 1000, 1],
      ["4-0", "alice", 1000, 1],
    ]);
    await r.xdel("x", "3-0");
    deepStrictEqual(await r.xautoclaim("x", "grp", "carol", 900, "0", "COUNT", 1), [
      "4-0",
      [],
      ["3-0"],
    ]);
    deepStrictEqual(await r.xautoclaim("x", "grp", "carol", 900, "0"), [
      "0-0",
      [["4-0", ["f", "v"]]],
      [],
    ]);
    await rejects(r.xautoclaim("x", "grp", "carol", 0, "0", "COUNT", 0), /ERR COUNT must be > 0/);
    await rejects(
      r.xclaim("x", "grp", "c", "x", "1-0"),
      /Invalid min-idle-time argument for XCLAIM/,
    );
    await rejects(
      r.call("XCLAIM", "x", "grp", "c", "0", "1-0", "BOGUS"),
      /Unrecognized XCLAIM option 'BOGUS'/,
    );
    await rejects(
      r.xclaim("x", "nogrp", "c", 0, "1-0"),
      /^ReplyError: NOGROUP No such key 'x' or consumer group 'nogrp'/,
    );
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("blocked XREADGROUP is served by XADD and fails when the group or key goes", async () => {
  const t = startServer();
  const r = await client(t);
  const b = await client(t);
  try {
    await r.xgroup("CREATE", "s", "g", "$", "MKSTREAM");
    const served = b.xreadgroup("GROUP", "g", "bob", "BLOCK", 0, "STREAMS", "s", ">");
    await sleep(30);
    // Bob is only created once there is data for him.
    deepStrictEqual(await r.xinfo("CONSUMERS", "s", "g"), []);
    await r.xadd("s", "1-0", "k", "v");
    deepStrictEqual(await served, [["s", [["1-0", ["k", "v"]]]]]);
    deepStrictEqual(await r.xpending("s", "g"), [1, "1-0", "1-0", [["bob", "1"]]]);

    const destroyed = b.xreadgroup("GROUP", "g", "bob", "BLOCK", 0, "STREAMS", "s", ">");
    await sleep(30);
    await r.xgroup("DESTROY", "s", "g");
    await rejects(
      destroyed,
      /^ReplyError: NOGROUP the consumer group this client was blocked on no longer exists/,
    );

    await r.xgroup("CREATE", "s", "g", "$");
    const deleted = b.xreadgroup("GROUP", "g", "bob", "BLOCK", 0, "STREAMS", "s", ">");
    await sleep(30);
    await r.del("s");
    await rejects(deleted, /^ReplyError: UNBLOCKED the stream key no longer exists/);

    await r.xgroup("CREATE", "s", "g", "$", "MKSTREAM");
    const flushed = b.xreadgroup("GROUP", "g", "bob", "BLOCK", 0, "STREAMS", "s", ">");
    await sleep(30);
    await r.flushall();
    await rejects(flushed, /^ReplyError: UNBLOCKED the stream key no longer exists/);
  } finally {
    r.disconnect();
    b.disconnect();
    await t.close();
  }
});

Deno.test("only XADD, XDEL and XTRIM touch watched keys", async () => {
  const t = startServer();
  const r = await client(t);
  const other = await client(t);
  try {
    await r.xadd("s", "1-0", "f", "v");
    await r.xadd("s", "2-0", "f", "v");
    const attempt = async (cmd: string[]) => {
      await r.watch("s");
      await other.call(cmd[0]!, ...cmd.slice(1));
      return (await r.multi().ping().exec()) !== null;
    };
    strictEqual(await attempt(["XGROUP", "CREATE", "s", "g", "0"]), true);
    strictEqual(await attempt(["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"]), true);
    strictEqual(await attempt(["XACK", "s", "g", "1-0"]), true);
    strictEqual(await attempt(["XSETID", "s", "5-0"]), true);
    strictEqual(await attempt(["XDEL", "s", "1-0"]), false);
    strictEqual(await attempt(["XADD", "s", "6-0", "f", "v"]), false);
    strictEqual(await attempt(["XTRIM", "s", "MAXLEN", "0"]), false);
  } finally {
    r.disconnect();
    other.disconnect();
    await t.close();
  }
});

Deno.test("stream writes propagate in a deterministic form", async () => {
  const clock = new FakeClock(1_600_000_000_000);
  const t = startServer({ "stream-node-max-entries": "2" }, { clock: clock.now });
  const feed = recordFeed(t);
  const r = await client(t);
  try {
    await r.xadd("s", "*", "a", "1");
    await r.xadd("s", "5-*", "a", "2").catch(() => {});
    await r.xadd("s", "1600000000000-*", "a", "3");
    await r.call("XADD", "s", "MAXLEN", "~", "1", "LIMIT", "5", "*", "b", "4");
    await r.xgroup("CREATE", "s", "g", "0");
    await r.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", "s", ">");
    await r.xadd("s", "1600000000001-0", "d", "5");
    await r.xreadgroup("GROUP", "g", "n", "NOACK", "STREAMS", "s", ">");
    deepStrictEqual(feed, [
      "xadd s 1600000000000-0 a 1",
      "xadd s 1600000000000-1 a 3",
      // The approximate trim is propagated as the exact length it reached.
      "XADD s MAXLEN = 1 1600000000000-2 b 4",
      "xgroup CREATE s g 0",
      "XCLAIM s g c 0 1600000000000-2 TIME 1600000000000 RETRYCOUNT 1 FORCE JUSTID LASTID 1600000000000-2",
      "xadd s 1600000000001-0 d 5",
      "MULTI",
      "XGROUP CREATECONSUMER s g n",
      "XGROUP SETID s g 1600000000001-0 ENTRIESREAD 4",
      "EXEC",
    ]);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("COPY duplicates a stream with its groups; digests match", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    await r.xadd("s", "1-0", "a", "1");
    await r.xadd("s", "2-0", "b", "2");
    await r.xgroup("CREATE", "s", "g", "0");
    await r.xreadgroup("GROUP", "g", "alice", "COUNT", 1, "STREAMS", "s", ">");
    strictEqual(await r.copy("s", "t"), 1);
    const digest = async (key: string) => String(await r.call("DEBUG", "DIGEST-VALUE", key));
    strictEqual(await digest("s"), await digest("t"));
    ok((await digest("s")) !== String(await r.call("DEBUG", "DIGEST-VALUE", "nokey")));
    deepStrictEqual(
      await r.call("XINFO", "STREAM", "t", "FULL"),
      await r.call("XINFO", "STREAM", "s", "FULL"),
    );
    await r.xack("s", "g", "1-0");
    await r.xadd("s", "3-0", "c", "3");
    strictEqual(await r.xlen("t"), 2);
    deepStrictEqual(await r.xpending("t", "g"), [1, "1-0", "1-0", [["alice", "1"]]]);
  } finally {
    r.disconnect();
    await t.close();
  }
});
