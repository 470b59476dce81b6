import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { Redis } from "ioredis";
import { startServer, type TestServer } from "./_server.ts";
import { Config } from "../src/config/config.ts";
import { Keyspace } from "../src/store/keyspace.ts";
import { crc64Bytes } from "../src/persistence/crc64.ts";
import { encodeListpack } from "../src/persistence/packed.ts";
import {
  decodeDumpPayload,
  dumpPayload,
  encodeOptions,
  encodeRdb,
  loadRdb,
  parseStreamNode,
  RdbError,
  streamNodeListpack,
  verifyDumpPayload,
} from "../src/persistence/rdb.ts";
import { StreamValue } from "../src/types/stream.ts";
import { formatId, idFromParts, type StreamId } from "../src/types/stream_id.ts";

const hex = (h: string) => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const config = new Config();
const plain = { compress: false, listNodeSize: -2 };
const packed = { compress: true, listNodeSize: -2 };

/**
 * DUMP payloads of streams captured from a real Redis 7.0.15 (`rdbcompression no` unless
 * said otherwise), after:
 */
const REDIS = {
  // XADD ga 5-1 f v; XADD ga 5-2 f w; XADD ga 6-0 f x g y; XGROUP CREATE ga grp 0;
  // XREADGROUP GROUP grp alice COUNT 2 STREAMS ga >; XREADGROUP GROUP grp bob COUNT 1 ...;
  // XGROUP CREATE ga g0 $; XGROUP CREATECONSUMER ga g0 carol; XDEL ga 5-2;
  // XCLAIM ga grp bob 0 5-1 TIME 1700000000000 RETRYCOUNT 7
  groups:
    "130110000000000000000500000000000000013f3f00000018000201010101018166020001020100010001817602" +
    "0401030100010101817702040100010101dfff0202018166028178028167028179020801ff020600050105020302" +
    "026730060081ffffffffffffffff0001056361726f6c92ffbefda101000000036772700600030300000000000000" +
    "0500000000000000010068e5cf8b010000070000000000000005000000000000000275ffbefda101000001000000" +
    "000000000600000000000000007effbefda1010000010205616c69636575ffbefda1010000010000000000000005" +
    "000000000000000203626f62a1ffbefda10100000200000000000000050000000000000001000000000000000600" +
    "000000000000000a00b293223ba68f7f0c",
  // stream-node-max-entries 3; XADD sn (100+i/4)-i a i b vi for i in 1..14; XADD sn 200-0
  // other x; XDEL sn 100-1 101-4 101-5 101-6 103-13 (a node emptied, tombstones elsewhere)
  nodes:
    "130410000000000000006400000000000000013f3f00000018000201010102018161028162020001030100010001" +
    "010182763103050102010001010102018276320305010201000102010301827633030501ff100000000000000065" +
    "00000000000000073f3f000000180003010001020181610281620200010201000100010701827637030501020101" +
    "01010108018276380305010201010102010901827639030501ff100000000000000066000000000000000a404242" +
    "000000180003010001020181610281620200010201000100010a01837631300405010201000101010b0183763131" +
    "0405010201010102010c0183763132040501ff100000000000000067000000000000000d40484800000019000201" +
    "0101020181610281620200010301000100010d01837631330405010201000101010e018376313404050100016101" +
    "dff3020101856f74686572068178020601ff0a40c80040640240670d0f000a00c3d78a6e2fddb72f",
  // XADD bi 1-1 f v; 9007199254740993-5 f w; 18446744073709551615-0 g w;
  // 18446744073709551615-18446744073709551615 f w; XGROUP CREATE bi g 9007199254740993-5
  bigIds:
    "13011000000000000000010000000000000001404f4f0000001b0004010001010181660200010201000100018176" +
    "0204010201f4000000000000200009040181770204010001dffe02dfff02010181670281770206010201dffe02df" +
    "fe028177020401ff0481ffffffffffffffff81ffffffffffffffff01010000040101678100200000000000010581" +
    "ffffffffffffffff00000a00c585557e2463e166",
  // XADD em MAXLEN 0 5-0 a 1; XGROUP CREATE em g $
  empty: "13000005000000000001010167050081ffffffffffffffff00000a00cd80f04d3a485125",
  // rdbcompression yes: an empty field name, integer-like values, a 180-byte value (LZF)
  lzf:
    "13011000000000000000010000000000000000c34076416e106e01000023000401000102018001dfff0240080000" +
    "2001078401020d0a05f4ff8000027f0905202000012017068330303704f4008000008020168030140301816e0283" +
    "312e3504816d02f1ffef03816f02f320200200050a20380003202504e0b4616263e0a8020401b6e04679e03c0003" +
    "480501ff0404000100000004000a00521658e1b9410637",
  // A Redis 5 payload (RDB_TYPE_STREAM_LISTPACKS) from Redis's own test suite
  legacy:
    "0f011000000000000000010000000000000000c3404a405716570000002300020104010101846461746105000103" +
    "010020010381610204200a0001400a0062600a0002400a0063600a4022018164200a4039200a0065600a0005400a" +
    "0066200a00ff02060002026731050004000000000000000100000000000000003ef783437a010000010000000000" +
    "00000200000000000000003ef783437a01000001000000000000000400000000000000003ef783437a0100000100" +
    "0000000000000500000000000000003ef783437a0100000101036331313ef783437a010000040000000000000001" +
    "00000000000000000000000000000002000000000000000000000000000000040000000000000000000000000000" +
    "000500000000000000000267320000000009003d52ef6867521dfa",
};

/** XINFO STREAM ga FULL on Redis 7.0.15 after RESTORE of REDIS.groups. */
const GROUPS_XINFO =
  '["length",2,"radix-tree-keys",1,"radix-tree-nodes",2,"last-generated-id","6-0","max-deleted-entry-id","5-2","entries-added",3,"recorded-first-entry-id","5-1","entries",[["5-1",["f","v"]],["6-0",["f","x","g","y"]]],"groups",[["name","g0","last-delivered-id","6-0","entries-read",null,"lag",0,"pel-count",0,"pending",[],"consumers",[["name","carol","seen-time",1795258515346,"pel-count",0,"pending",[]]]],["name","grp","last-delivered-id","6-0","entries-read",3,"lag",0,"pel-count",3,"pending",[["5-1","bob",1700000000000,7],["5-2","alice",1795258515317,1],["6-0","bob",1795258515326,1]],"consumers",[["name","alice","seen-time",1795258515317,"pel-count",1,"pending",[["5-2",1795258515317,1]]],["name","bob","seen-time",1795258515361,"pel-count",2,"pending",[["5-1",1700000000000,7],["6-0",1795258515326,1]]]]]]]';

/** Everything persistence must keep, in comparable form. */
function snapshot(s: StreamValue) {
  return {
    length: s.length,
    lastId: formatId(s.lastId),
    firstId: formatId(s.firstId),
    maxDeletedId: formatId(s.maxDeletedId),
    entriesAdded: String(s.entriesAdded),
    nodes: [...s.nodes()].map((n) => ({
      master: formatId(n.masterId),
      fields: n.masterFields,
      entries: n.entries.map((e) => [formatId(e.id), e.fields, e.deletedFields ?? null]),
    })),
    groups: s.groups().map((g) => ({
      name: g.name,
      lastId: formatId(g.lastId),
      entriesRead: String(g.entriesRead),
      pel: [...g.pel.entries()].map(([id, n]) => [
        formatId(id),
        n.deliveryTime,
        String(n.deliveryCount),
        n.consumer?.name,
      ]),
      consumers: g.consumerList().map((c) => [c.name, c.seenTime, [...c.pel.keys()].map(formatId)]),
    })),
  };
}

function decode(h: string): StreamValue {
  const p = hex(h);
  ok(verifyDumpPayload(p));
  const v = decodeDumpPayload(p, config);
  ok(v instanceof StreamValue);
  return v;
}

/** A DUMP payload around a value part (type code included). */
function payload(body: Uint8Array): Uint8Array {
  const b = new Uint8Array(body.length + 2);
  b.set(body);
  b[body.length] = 10;
  const out = new Uint8Array(b.length + 8);
  out.set(b);
  out.set(crc64Bytes(b), b.length);
  return out;
}

Deno.test("Redis 7.0.15 stream payloads decode to the streams Redis reports", () => {
  const s = decode(REDIS.groups);
  const snap = snapshot(s);
  deepStrictEqual(
    [snap.length, snap.lastId, snap.firstId, snap.maxDeletedId, snap.entriesAdded],
    [2, "6-0", "5-1", "5-2", "3"],
  );
  deepStrictEqual(snap.nodes, [{
    master: "5-1",
    fields: ["f"],
    entries: [["5-1", ["f", "v"], null], ["5-2", null, ["f", "w"]], [
      "6-0",
      ["f", "x", "g", "y"],
      null,
    ]],
  }]);
  deepStrictEqual(snap.groups, [
    {
      name: "g0",
      lastId: "6-0",
      entriesRead: "-1",
      pel: [],
      consumers: [["carol", 1795258515346, []]],
    },
    {
      name: "grp",
      lastId: "6-0",
      entriesRead: "3",
      pel: [
        ["5-1", 1700000000000, "7", "bob"],
        ["5-2", 1795258515317, "1", "alice"],
        ["6-0", 1795258515326, "1", "bob"],
      ],
      consumers: [
        ["alice", 1795258515317, ["5-2"]],
        ["bob", 1795258515361, ["5-1", "6-0"]],
      ],
    },
  ]);

  const n = decode(REDIS.nodes);
  strictEqual(n.length, 10);
  strictEqual(n.radixTreeKeys(), 4);
  strictEqual(n.radixTreeNodes(), 10);
  deepStrictEqual([...n.nodes()].map((x) => x.entries.length), [3, 3, 3, 3]);
  deepStrictEqual(
    [...n.entries()].map(([id]) => formatId(id)).join(),
    "100-2,100-3,101-7,102-8,102-9,102-10,102-11,103-12,103-14,200-0",
  );

  const b = decode(REDIS.bigIds);
  deepStrictEqual([...b.entries()].map(([id]) => formatId(id)), [
    "1-1",
    "9007199254740993-5",
    "18446744073709551615-0",
    "18446744073709551615-18446744073709551615",
  ]);
  strictEqual(formatId(b.groups()[0]!.lastId), "9007199254740993-5");

  const e = decode(REDIS.empty);
  deepStrictEqual([e.length, e.radixTreeKeys(), formatId(e.lastId), e.entriesAdded], [
    0,
    0,
    "5-0",
    1n,
  ]);
  strictEqual(e.groups()[0]!.name, "g");
});

Deno.test("DUMP of a stream is byte-identical to Redis's without compression", () => {
  for (const h of [REDIS.groups, REDIS.nodes, REDIS.bigIds, REDIS.empty]) {
    strictEqual(toHex(dumpPayload(decode(h), plain)), h);
  }
  // With LZF the bytes may differ from Redis's compressor, never the value.
  const v = decode(REDIS.lzf);
  const again = decodeDumpPayload(dumpPayload(v, packed), config) as StreamValue;
  deepStrictEqual(snapshot(again), snapshot(v));
  deepStrictEqual([...v.entries()][3]![1], ["", "abc".repeat(60), "-1", "y".repeat(70)]);
  deepStrictEqual([...v.entries()][1]![1], ["", "007", "-1", "-9223372036854775808"]);
});

Deno.test("a Redis 5 stream payload (type 15) gets the 7.0 counters derived on load", () => {
  const s = decode(REDIS.legacy);
  const snap = snapshot(s);
  deepStrictEqual(
    [snap.length, snap.lastId, snap.firstId, snap.maxDeletedId, snap.entriesAdded],
    [2, "6-0", "5-0", "0-0", "2"],
  );
  deepStrictEqual(snap.groups.map((g) => [g.name, g.lastId, g.entriesRead, g.pel.length]), [
    ["g1", "5-0", "1", 4],
    ["g2", "0-0", "0", 0],
  ]);
  // Tombstones of the old node survive (3-0 was deleted, 1-0..4-0 trimmed).
  deepStrictEqual(snap.nodes[0]!.entries.map(([id, f]) => [id, f === null]), [
    ["1-0", true],
    ["2-0", true],
    ["3-0", true],
    ["4-0", true],
    ["5-0", false],
    ["6-0", false],
  ]);
  // Written back as type 19.
  strictEqual(dumpPayload(s, plain)[0], 19);
});

/** A deterministic pseudo-random generator. */
function rng(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** A random stream: several node sizes, deletes, trims, odd IDs and values, groups. */
function randomStream(seed: number): StreamValue {
  const rand = rng(seed);
  const cfg = { maxEntries: 1 + Math.floor(rand() * 6), maxBytes: rand() < 0.3 ? 200 : 4096 };
  const s = new StreamValue();
  let ms = rand() < 0.2 ? 2n ** 60n : BigInt(Math.floor(rand() * 1000));
  let seq = 0n;
  const values = [
    "0",
    "-1",
    "127",
    "128",
    "-4096",
    "70000",
    "9223372036854775807",
    "007",
    "1.5",
    "",
    "\x00\xff",
    "x".repeat(100),
  ];
  const ids: StreamId[] = [];
  const n = Math.floor(rand() * 60);
  for (let i = 0; i < n; i++) {
    if (rand() < 0.5) {
      ms += BigInt(1 + Math.floor(rand() * 3));
      seq = 0n;
    } else seq += BigInt(1 + Math.floor(rand() * 1000));
    const id = idFromParts(ms, seq);
    const fields: string[] = [];
    const pairs = 1 + Math.floor(rand() * 3);
    for (let j = 0; j < pairs; j++) {
      fields.push(rand() < 0.7 ? `f${j}` : `g${j}`, values[Math.floor(rand() * values.length)]!);
    }
    s.append(id, fields, cfg);
    ids.push(id);
  }
  s.deleteIds(ids.filter(() => rand() < 0.25));
  if (rand() < 0.3) s.trim({ maxLen: Math.floor(s.length / 2) }, rand() < 0.5, 0);
  for (let g = 0; g < Math.floor(rand() * 3); g++) {
    const grp = s.createGroup(
      `grp${g}`,
      ids[Math.floor(rand() * ids.length)] ?? idFromParts(0, 0),
      rand() < 0.3 ? -1n : BigInt(Math.floor(rand() * 100)),
    )!;
    const consumers = ["alice", "bob", "\x00c"].slice(0, 1 + Math.floor(rand() * 3));
    const owned: StreamId[][] = consumers.map(() => []);
    for (const id of ids) {
      if (rand() < 0.4) continue;
      grp.addPending(
        id,
        1700000000000 + Math.floor(rand() * 1e6),
        rand() < 0.1 ? 2n ** 63n : 1 + Math.floor(rand() * 5),
      );
      owned[Math.floor(rand() * consumers.length)]!.push(id);
    }
    consumers.forEach((c, i) => ok(grp.addConsumer(c, 1700000000000 + i, owned[i])));
  }
  return s;
}

Deno.test("random streams round-trip through DUMP and RDB with nodes, tombstones and groups", () => {
  for (let seed = 1; seed <= 60; seed++) {
    const s = randomStream(seed);
    const want = snapshot(s);
    for (const opts of [plain, packed]) {
      const back = decodeDumpPayload(dumpPayload(s, opts), config) as StreamValue;
      deepStrictEqual(snapshot(back), want, `seed ${seed}`);
      // Sizes follow the layout: a reloaded stream reports the same MEMORY USAGE as the
      // same stream reloaded again.
      const twice = decodeDumpPayload(dumpPayload(back, opts), config) as StreamValue;
      strictEqual(twice.memoryUsage(0), back.memoryUsage(0));
    }
    const ks = new Keyspace(16);
    ks.dbs[2]!.data.set("s", s);
    const image = encodeRdb(ks, { redisVersion: "7.0.15", ctime: 1, usedMem: 1, aofBase: false }, {
      ...encodeOptions(config),
      checksum: true,
      policy: "noeviction",
    });
    const loaded = new Keyspace(16);
    strictEqual(loadRdb(image, loaded, { config, checksum: true, now: 0 }).loaded, 1);
    deepStrictEqual(snapshot(loaded.dbs[2]!.data.get("s") as StreamValue), want, `seed ${seed}`);
  }
});

Deno.test("a node's listpack follows Redis's master entry and delta layout", () => {
  const s = new StreamValue();
  s.append(idFromParts(5, 1), ["f", "v"]);
  s.append(idFromParts(5, 2), ["f", "w"]);
  s.append(idFromParts(6, 0), ["f", "x", "g", "y"]);
  s.deleteIds([idFromParts(5, 2)]);
  const node = [...s.nodes()][0]!;
  const lp = streamNodeListpack(node);
  // count, deleted, master fields, "f", terminator; then flags, ms and seq deltas, values
  // (same fields) or count and pairs, and each entry's lp-count.
  deepStrictEqual(
    lp,
    encodeListpack([
      "2",
      "1",
      "1",
      "f",
      "0",
      "2",
      "0",
      "0",
      "v",
      "4",
      "3",
      "0",
      "1",
      "w",
      "4",
      "0",
      "1",
      "-1",
      "2",
      "f",
      "x",
      "g",
      "y",
      "8",
    ]),
  );
  deepStrictEqual(
    parseStreamNode(node.masterId, [
      "2",
      "1",
      "1",
      "f",
      "0",
      "2",
      "0",
      "0",
      "v",
      "4",
      "3",
      "0",
      "1",
      "w",
      "4",
      "0",
      "1",
      "-1",
      "2",
      "f",
      "x",
      "g",
      "y",
      "8",
    ]),
    node,
  );
});

Deno.test("malformed stream payloads are rejected, not loaded half-way", () => {
  const lp = (items: string[]) => encodeListpack(items);
  const good = ["1", "0", "1", "f", "0", "2", "0", "0", "v", "4"];
  const value = (nodeLp: Uint8Array, tail: number[]) => {
    const key = Array.from(idFromParts(1, 0), (c) => c.charCodeAt(0));
    return payload(Uint8Array.from([19, 1, 16, ...key, nodeLp.length, ...nodeLp, ...tail]));
  };
  // length 1, last 1-0, first 1-0, max deleted 0-0, entries added 1, no groups
  const tail = [1, 1, 0, 1, 0, 0, 0, 1, 0];
  strictEqual((decodeDumpPayload(value(lp(good), tail), config) as StreamValue).length, 1);
  const bad: [string, Uint8Array][] = [
    ["wrong lp-count", value(lp([...good.slice(0, -1), "5"]), tail)],
    ["live count off", value(lp(["2", ...good.slice(1)]), tail)],
    ["no terminator", value(lp(["1", "0", "1", "f", "1", "2", "0", "0", "v", "4"]), tail)],
    ["bad flags", value(lp(["1", "0", "1", "f", "0", "9", "0", "0", "v", "4"]), tail)],
    ["flag not an integer", value(lp(["1", "0", "1", "f", "0", "x", "0", "0", "v", "4"]), tail)],
    ["empty listpack", value(lp([]), tail)],
    [
      "entry below its master",
      value(lp(["1", "0", "1", "f", "0", "2", "-1", "0", "v", "4"]), tail),
    ],
    ["length mismatch", value(lp(good), [2, ...tail.slice(1)])],
    ["last ID below the entries", value(lp(good), [1, 0, 5, 1, 0, 0, 0, 1, 0])],
    ["truncated", value(lp(good), tail.slice(0, 4))],
    [
      "duplicate group",
      value(lp(good), [...tail.slice(0, -1), 2, 1, 103, 0, 0, 0, 0, 0, 1, 103, 0, 0, 0, 0, 0]),
    ],
    [
      "PEL entry without a consumer",
      value(lp(good), [
        ...tail.slice(0, -1),
        1,
        1,
        103,
        1,
        0,
        1,
        1,
        ...Array.from(idFromParts(1, 0), (c) => c.charCodeAt(0)),
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        1,
        0,
      ]),
    ],
  ];
  for (const [what, p] of bad) {
    ok(verifyDumpPayload(p), what);
    throws(() => decodeDumpPayload(p, config), RdbError, what);
  }
});

Deno.test("an empty stream is kept by an RDB load (Redis keeps them too)", () => {
  const ks = new Keyspace(16);
  ks.dbs[0]!.data.set("e", decode(REDIS.empty));
  const image = encodeRdb(ks, { redisVersion: "7.0.15", ctime: 1, usedMem: 1, aofBase: false }, {
    ...encodeOptions(config),
    checksum: true,
    policy: "noeviction",
  });
  const back = new Keyspace(16);
  strictEqual(loadRdb(image, back, { config, checksum: true, now: 0 }).loaded, 1);
  strictEqual((back.dbs[0]!.data.get("e") as StreamValue).groupCount(), 1);
});

async function client(t: TestServer): Promise<Redis> {
  const r = new Redis({ port: t.port, lazyConnect: true });
  await r.connect();
  return r;
}

Deno.test("RESTORE of Redis's payload gives Redis's XINFO STREAM FULL; DUMP/RESTORE, DEBUG RELOAD and SAVE keep streams", async () => {
  const dir = await Deno.makeTempDir();
  const t = startServer({ dir, "enable-debug-command": "yes" });
  const r = await client(t);
  try {
    strictEqual(await r.restore("ga", 0, Buffer.from(hex(REDIS.groups))), "OK");
    deepStrictEqual(await r.call("XINFO", "STREAM", "ga", "FULL"), JSON.parse(GROUPS_XINFO));
    strictEqual(await r.restore("legacy", 0, Buffer.from(hex(REDIS.legacy))), "OK");

    await r.config("SET", "stream-node-max-entries", "4");
    for (let i = 1; i <= 30; i++) {
      await r.xadd("s", `${i}-${i}`, "a", String(i), "b", "x".repeat(i));
    }
    await r.xdel("s", "1-1", "6-6", "7-7", "30-30");
    await r.xgroup("CREATE", "s", "g", "0");
    await r.xreadgroup("GROUP", "g", "alice", "COUNT", "5", "STREAMS", "s", ">");
    await r.xreadgroup("GROUP", "g", "bob", "COUNT", "3", "STREAMS", "s", ">");
    await r.xack("s", "g", "3-3");
    await r.call("XADD", "empty", "MAXLEN", "0", "1-0", "a", "1");
    const keys = ["ga", "legacy", "s", "empty"];
    const full = () => Promise.all(keys.map((k) => r.call("XINFO", "STREAM", k, "FULL")));
    const before = await full();
    const digest = await r.call("DEBUG", "DIGEST");

    const dumped = await r.dumpBuffer("s");
    strictEqual(await r.restore("copy", 0, dumped), "OK");
    deepStrictEqual(await r.call("XINFO", "STREAM", "copy", "FULL"), before[2]);
    deepStrictEqual(
      await r.call("DEBUG", "DIGEST-VALUE", "copy"),
      await r.call("DEBUG", "DIGEST-VALUE", "s"),
    );
    await r.del("copy");

    strictEqual(await r.call("DEBUG", "RELOAD"), "OK");
    deepStrictEqual(await full(), before);
    strictEqual(await r.call("DEBUG", "DIGEST"), digest);

    strictEqual(await r.save(), "OK");
    const t2 = startServer({ dir });
    t2.server.loadData();
    const r2 = await client(t2);
    try {
      deepStrictEqual(
        await Promise.all(keys.map((k) => r2.call("XINFO", "STREAM", k, "FULL"))),
        before,
      );
      // The loaded node layout keeps filling like the saved one.
      await r2.config("SET", "stream-node-max-entries", "4");
      await r.xadd("s", "31-0", "a", "1");
      await r2.xadd("s", "31-0", "a", "1");
      deepStrictEqual(await r2.call("XINFO", "STREAM", "s"), await r.call("XINFO", "STREAM", "s"));
    } finally {
      r2.disconnect();
      await t2.close();
    }
  } finally {
    r.disconnect();
    await t.close();
    await Deno.remove(dir, { recursive: true });
  }
});
