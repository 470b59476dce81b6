import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { client, expectRaw, RawClient, startServer } from "./_server.ts";
import { RawString } from "../src/store/value.ts";
import {
  createHll,
  decodeSparse,
  HLL_DENSE_SIZE,
  HLL_SPARSE,
  hllAdd,
  hllCount,
  isHll,
  murmurHash64A,
  patLen,
  selfTest,
  sparseToDense,
} from "../src/types/hyperloglog.ts";

async function sha256(b: Uint8Array): Promise<string> {
  return Buffer.from(await crypto.subtle.digest("SHA-256", new Uint8Array(b))).toString("hex");
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

/** MurmurHash64A written directly on 64-bit bigints, as a reference. */
function murmurReference(s: string, seed: bigint): bigint {
  const m = 0xc6a4a7935bd1e995n;
  const mask = (1n << 64n) - 1n;
  const n = s.length;
  let h = (seed ^ (BigInt(n) * m)) & mask;
  const blocks = n - (n & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(s.charCodeAt(i + j));
    k = (k * m) & mask;
    k ^= k >> 47n;
    k = (k * m) & mask;
    h ^= k;
    h = (h * m) & mask;
  }
  if (n & 7) {
    for (let j = (n & 7) - 1; j >= 0; j--) h ^= BigInt(s.charCodeAt(blocks + j)) << BigInt(8 * j);
    h = (h * m) & mask;
  }
  h ^= h >> 47n;
  h = (h * m) & mask;
  h ^= h >> 47n;
  return h;
}

// Vectors captured from Redis 7.0.15.
/** GET after `PFADD v1 foo-1 ... foo-20` then PFCOUNT (cache holds 20). */
const V1_HEX = "48594c4c010000001400000000000000496f80450780431b8c410080445e8445d68440648042a4" +
  "80427f8041658005a4443d8040df88404480446780418f8044ea8041d380412b8048d4880f";
/** GET after `PFADD v5 "\x00" "\xff\xfe" "a\x00b" 12345678 123456789abcdef0x`. */
const V5_HEX = "48594c4c010000000000000000000080428d845ff88446c98845b1804d7784437f";
/** PFCOUNT after each batch of `PFADD v2 ele:0 ... ele:499`, `ele:500 ...`, ... */
const V2_COUNTS = [502, 1002, 1500, 2005, 2507, 2991, 3510, 4016, 4498, 4993];
const V2_SHA = "82e1cfb478dbc7c04581e4f3ce1b8e1ed75487b9978abf54917377a7f8471ccd";
/** `PFADD v3 x0 ... x299`: a 688-byte sparse HLL (cache stale) counting 299. */
const V3_SHA = "423d007105286287be7f448c817efd879ba0a43485d99713300f66f0e29a520f";
/** `PFMERGE v4 v1 v3` then PFCOUNT (319): 725 bytes; `PFCOUNT v1 v2 v3` is 5305. */
const V4_SHA = "c64c6f76365a061830fb36aa19bbdf717e48a43c1abe4834cf9e097cab3f9814";

Deno.test("MurmurHash64A matches a 64-bit reference on strings and byte arrays", () => {
  for (let round = 0; round < 2000; round++) {
    let s = "";
    const n = Math.floor(Math.random() * 40);
    for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(Math.random() * 256));
    const expected = murmurReference(s, 0xadc83b19n);
    for (const key of [s, Uint8Array.from(s, (c) => c.charCodeAt(0))]) {
      const [hi, lo] = murmurHash64A(key, 0xadc83b19);
      strictEqual((BigInt(hi) << 32n) | BigInt(lo), expected, JSON.stringify(s));
    }
  }
});

Deno.test("patLen picks the register from the low 14 bits and counts trailing zeros", () => {
  for (const ele of ["a", "b", "foo", "", "\x00\xff"]) {
    const h = murmurReference(ele, 0xadc83b19n);
    const { index, count } = patLen(ele);
    strictEqual(index, Number(h & 16383n));
    let rest = (h >> 14n) | (1n << 50n);
    let expected = 1;
    while ((rest & 1n) === 0n) {
      expected++;
      rest >>= 1n;
    }
    strictEqual(count, expected);
  }
});

Deno.test("the sparse representation is built exactly like Redis's", () => {
  const raw = createHll();
  strictEqual(hex(raw.view()), "48594c4c010000000000000000000000" + "7fff");
  for (let i = 1; i <= 20; i++) hllAdd(raw, `foo-${i}`, 3000);
  strictEqual(hllCount(raw.view()), 20);
  // Redis's bytes also carry the cached count (20) that PFCOUNT stored.
  const expected = Buffer.from(V1_HEX, "hex");
  expected[8] = 0;
  strictEqual(hex(raw.view().subarray(16)), hex(expected.subarray(16)));
  strictEqual(decodeSparse(createHll().view()), "Z:16384");
  const v5 = createHll();
  for (const e of ["\x00", "\xff\xfe", "a\x00b", "12345678", "123456789abcdef0x"]) {
    hllAdd(v5, e, 3000);
  }
  v5.bytes[15]! |= 0x80;
  strictEqual(hex(v5.view()), V5_HEX);
});

Deno.test("sparse and dense estimates agree, and promotion keeps the header", () => {
  for (let round = 0; round < 30; round++) {
    const sparse = createHll();
    const dense = createHll();
    strictEqual(sparseToDense(dense), true);
    strictEqual(dense.length, HLL_DENSE_SIZE);
    const n = Math.floor(Math.random() * 200);
    for (let i = 0; i < n; i++) {
      const e = String(Math.random());
      hllAdd(sparse, e, 1_000_000);
      hllAdd(dense, e, 1_000_000);
    }
    strictEqual(sparse.bytes[4], HLL_SPARSE);
    strictEqual(hllCount(sparse.view()), hllCount(dense.view()));
    const copy = sparse.clone();
    strictEqual(sparseToDense(copy), true);
    strictEqual(hex(copy.view().subarray(16)), hex(dense.view().subarray(16)));
  }
  // A run that overflows the registers is corruption, not a shorter HLL.
  const bad = new RawString("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\x80");
  strictEqual(isHll(bad.view()), true);
  strictEqual(hllCount(bad.view()), -1);
  strictEqual(sparseToDense(bad), false);
  strictEqual(bad.bytes[4], HLL_SPARSE);
});

Deno.test("the self test passes on a smaller run", () => {
  strictEqual(selfTest(3000, 20_000), null);
});

Deno.test("PFADD and PFCOUNT reproduce Redis's counts and bytes", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    strictEqual(await r.pfadd("v1", ...Array.from({ length: 20 }, (_, i) => `foo-${i + 1}`)), 1);
    strictEqual(await r.pfcount("v1"), 20);
    strictEqual(hex((await r.getBuffer("v1"))!), V1_HEX);
    const counts: number[] = [];
    for (let k = 0; k < 10; k++) {
      await r.pfadd("v2", ...Array.from({ length: 500 }, (_, i) => `ele:${k * 500 + i}`));
      counts.push(await r.pfcount("v2"));
    }
    deepStrictEqual(counts, V2_COUNTS);
    strictEqual(await r.call("pfdebug", "encoding", "v2"), "dense");
    const v2 = (await r.getBuffer("v2"))!;
    strictEqual(v2.length, 12304);
    strictEqual(await sha256(v2), V2_SHA);
    await r.pfadd("v3", ...Array.from({ length: 300 }, (_, i) => `x${i}`));
    const v3 = (await r.getBuffer("v3"))!;
    strictEqual(v3.length, 688);
    strictEqual(await sha256(v3), V3_SHA);
    strictEqual(await r.pfcount("v3"), 299);
    strictEqual(await r.pfmerge("v4", "v1", "v3"), "OK");
    strictEqual(await r.pfcount("v4"), 319);
    strictEqual(await sha256((await r.getBuffer("v4"))!), V4_SHA);
    strictEqual(await r.pfcount("v1", "v2", "v3"), 5305);
    strictEqual(await r.pfcount("nokey"), 0);
    strictEqual(await r.pfcount("v1", "nokey"), 20);
    strictEqual(await r.object("ENCODING", "v1"), "raw");
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("the cached cardinality is kept in the header and invalidated by changes", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    strictEqual(await r.pfadd("h"), 1);
    strictEqual(
      hex((await r.getBuffer("h"))!),
      "48594c4c01000000000000000000008" + "07fff",
    );
    strictEqual(await r.pfadd("h", "a", "b", "c"), 1);
    strictEqual((await r.getrangeBuffer("h", 15, 15))[0], 0x80);
    let dirty = t.server.keyspace.dirty;
    strictEqual(await r.pfcount("h"), 3);
    strictEqual(t.server.keyspace.dirty, dirty + 1, "storing the cache is a change");
    strictEqual(hex(await r.getrangeBuffer("h", 8, 15)), "0300000000000000");
    dirty = t.server.keyspace.dirty;
    strictEqual(await r.pfcount("h"), 3);
    strictEqual(t.server.keyspace.dirty, dirty, "a valid cache is just read");
    strictEqual(await r.pfadd("h", "a", "b", "c"), 0);
    strictEqual((await r.getrangeBuffer("h", 15, 15))[0], 0);
    strictEqual(await r.pfadd("h", "1", "2", "3"), 1);
    strictEqual((await r.getrangeBuffer("h", 15, 15))[0], 0x80);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("HLL strings written by Redis are read and extended here", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    // PFADD h a b c on Redis, after PFCOUNT.
    const fromRedis = "48594c4c010000000300000000000000" + "60f38050b1844bfb80425a";
    await r.set("copy", Buffer.from(fromRedis, "hex"));
    strictEqual(await r.object("ENCODING", "copy"), "embstr");
    strictEqual(await r.pfcount("copy"), 3);
    strictEqual(await r.object("ENCODING", "copy"), "raw");
    strictEqual(
      await r.call("pfdebug", "decode", "copy"),
      "Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603",
    );
    strictEqual(await r.pfadd("copy", "a", "b", "c"), 0);
    strictEqual(await r.pfadd("copy", "d"), 1);
    strictEqual(await r.pfcount("copy"), 4);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("hll-sparse-max-bytes decides when a sparse HLL turns dense", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    await r.config("SET", "hll-sparse-max-bytes", "30");
    for (const e of ["a", "b", "c", "d"]) await r.pfadd("s", e);
    strictEqual(await r.call("pfdebug", "encoding", "s"), "sparse");
    strictEqual(await r.strlen("s"), 30);
    await r.pfadd("s", "e", "f", "g");
    strictEqual(await r.call("pfdebug", "encoding", "s"), "dense");
    strictEqual(await r.pfcount("s"), 7);
    await r.config("SET", "hll-sparse-max-bytes", "3000");
    await r.pfadd("t", ...Array.from({ length: 100 }, (_, i) => `e${i}`));
    strictEqual(await r.call("pfdebug", "encoding", "t"), "sparse");
    strictEqual(await r.call("pfdebug", "todense", "t"), 1);
    strictEqual(await r.call("pfdebug", "todense", "t"), 0);
    strictEqual(await r.call("pfdebug", "encoding", "t"), "dense");
    const regs = (await r.call("pfdebug", "getreg", "t")) as number[];
    strictEqual(regs.length, 16384);
    strictEqual(regs.filter((v) => v > 0).length <= 100, true);
    strictEqual(await r.pfcount("t"), 100);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("HLL errors are byte-identical to Redis", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  try {
    const notHll = "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n";
    const corrupt = "-INVALIDOBJ Corrupted HLL object detected\r\n";
    const wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    await expectRaw(raw, ["set", "foo", "bar"], "+OK\r\n");
    await expectRaw(raw, ["pfadd", "foo", "1"], notHll);
    await expectRaw(raw, ["pfcount", "foo"], notHll);
    await expectRaw(raw, ["pfmerge", "bar", "foo"], notHll);
    await expectRaw(raw, ["pfmerge", "foo", "bar"], notHll);
    await expectRaw(raw, ["set", "num", "123"], "+OK\r\n");
    await expectRaw(raw, ["pfcount", "num"], notHll);
    await expectRaw(raw, ["rpush", "l", "a"], ":1\r\n");
    await expectRaw(raw, ["pfadd", "l", "a"], wrongType);
    await expectRaw(raw, ["pfcount", "l"], wrongType);
    await expectRaw(raw, ["pfadd", "h", "a", "b", "c"], ":1\r\n");
    await expectRaw(raw, ["append", "h", "hello"], ":32\r\n");
    await expectRaw(raw, ["pfcount", "h"], corrupt);
    await expectRaw(raw, ["pfcount", "h", "h"], corrupt);
    await expectRaw(raw, ["pfdebug", "todense", "h"], corrupt);
    await expectRaw(
      raw,
      ["pfdebug", "encoding", "nokey"],
      "-ERR The specified key does not exist\r\n",
    );
    await expectRaw(raw, ["pfdebug", "foo", "foo"], notHll);
    await expectRaw(raw, ["pfadd", "ok", "x"], ":1\r\n");
    await expectRaw(raw, ["pfdebug", "foo", "ok"], "-ERR Unknown PFDEBUG subcommand 'foo'\r\n");
    await expectRaw(raw, ["pfdebug", "decode", "ok"], "$17\r\nZ:16374 v:2,1 z:9\r\n");
    await expectRaw(raw, ["pfdebug", "todense", "ok"], ":1\r\n");
    await expectRaw(raw, ["pfdebug", "decode", "ok"], "-ERR HLL encoding is not sparse\r\n");
    // A stored count is trusted as it is, even one past 2^53.
    const c9 = "HYLL\x01\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\x7f\x7f\xff";
    await raw.send(
      Uint8Array.from(`*3\r\n$3\r\nset\r\n$2\r\nc9\r\n$18\r\n${c9}\r\n`, (ch) => ch.charCodeAt(0)),
    );
    await raw.read("+OK\r\n");
    await expectRaw(raw, ["pfcount", "c9"], ":9223372036854775807\r\n");
  } finally {
    raw.close();
    await t.close();
  }
});

Deno.test("PFADD and PFMERGE emit pfadd events; PFCOUNT signals the key silently", async () => {
  const t = startServer();
  const r = await client(t);
  const events: string[] = [];
  const modified: string[] = [];
  t.server.keyspace.onEvent((cls, event, key) => {
    if (cls !== "n") events.push(`${event}:${key}`);
  });
  t.server.keyspace.onModified((_db, key) => modified.push(key));
  try {
    await r.pfadd("a", "x");
    await r.pfadd("a", "x");
    await r.pfmerge("m", "a");
    await r.pfcount("m");
    deepStrictEqual(events, ["pfadd:a", "pfadd:m"]);
    deepStrictEqual(modified, ["a", "m", "m"]);
  } finally {
    r.disconnect();
    await t.close();
  }
});
