import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { client, expectRaw, RawClient, recordEvents, startServer } from "./_server.ts";
import { RawString } from "../src/store/value.ts";
import {
  bitop,
  clampRange,
  countBits,
  fieldAdd,
  findBit,
  getBit,
  getSignedField,
  getUnsignedField,
  parseFieldType,
  setBit,
  setField,
} from "../src/types/bitmap.ts";

function bin(...bytes: number[]): string {
  return String.fromCharCode(...bytes);
}

/** Naive reference: bits of a binary string, most significant bit of each byte first. */
function bitsOf(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    for (let k = 7; k >= 0; k--) out.push((s.charCodeAt(i) >> k) & 1);
  }
  return out;
}

function randomBinary(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    const r = Math.random();
    s += String.fromCharCode(r < 0.3 ? 0 : r < 0.6 ? 0xff : Math.floor(Math.random() * 256));
  }
  return s;
}

Deno.test("bit helpers agree with a naive bit list on strings and byte views", () => {
  for (let round = 0; round < 300; round++) {
    const s = randomBinary(Math.floor(Math.random() * 12));
    const bytes = Uint8Array.from(s, (ch) => ch.charCodeAt(0));
    const bits = bitsOf(s);
    for (const src of [s, bytes]) {
      for (let i = 0; i < bits.length + 9; i++) strictEqual(getBit(src, i), bits[i] ?? 0);
      const a = Math.floor(Math.random() * (bits.length + 1));
      const b = Math.floor(Math.random() * (bits.length + 1)) - 1;
      const expectCount = bits.slice(a, b + 1).reduce((x, y) => x + y, 0);
      strictEqual(countBits(src, a, b), a > b ? 0 : expectCount, `count ${a}..${b}`);
      for (const bit of [0, 1]) {
        let expectPos = -1;
        for (let i = a; i <= b; i++) {
          if (bits[i] === bit) {
            expectPos = i;
            break;
          }
        }
        strictEqual(findBit(src, bit, a, b), expectPos, `find ${bit} in ${a}..${b}`);
      }
    }
  }
});

Deno.test("setBit returns the old bit and edits the byte in place", () => {
  const b = new Uint8Array(2);
  strictEqual(setBit(b, 0, 1), 0);
  strictEqual(setBit(b, 15, 1), 0);
  strictEqual(setBit(b, 0, 1), 1);
  deepStrictEqual([...b], [0x80, 0x01]);
  strictEqual(setBit(b, 0, 0), 1);
  deepStrictEqual([...b], [0x00, 0x01]);
});

Deno.test("clampRange converts negative indexes and clamps like Redis", () => {
  deepStrictEqual(clampRange(0, -1, 6), [0, 5]);
  deepStrictEqual(clampRange(-2, 1, 6), [4, 1]);
  deepStrictEqual(clampRange(-100, 100, 6), [0, 5]);
  deepStrictEqual(clampRange(3, -100, 6), [3, 0]);
});

Deno.test("bitop pads shorter inputs with zeros and treats missing keys as empty", () => {
  deepStrictEqual([...bitop("and", [bin(1, 2, 255, 255), bin(1, 2, 255)])], [1, 2, 255, 0]);
  deepStrictEqual([...bitop("or", [null, bin(1, 2, 255)])], [1, 2, 255]);
  deepStrictEqual([...bitop("and", [null, bin(1, 2, 255)])], [0, 0, 0]);
  deepStrictEqual([...bitop("xor", [bin(1, 2), Uint8Array.of(3, 2, 1)])], [2, 0, 1]);
  deepStrictEqual([...bitop("not", [bin(0xaa, 0, 0xff, 0x55)])], [0x55, 0xff, 0, 0xaa]);
  strictEqual(bitop("or", [null, ""]).length, 0);
});

Deno.test("bitfield types parse like Redis: lower-case i1..i64 and u1..u63", () => {
  deepStrictEqual(parseFieldType("i64"), { signed: true, bits: 64 });
  deepStrictEqual(parseFieldType("u63"), { signed: false, bits: 63 });
  deepStrictEqual(parseFieldType("u1"), { signed: false, bits: 1 });
  for (const bad of ["u64", "i65", "i0", "I8", "x8", "i", "i08", "i+8", "i-1", ""]) {
    strictEqual(parseFieldType(bad), null, bad);
  }
});

Deno.test("bitfield integers round-trip at unaligned offsets", () => {
  for (let round = 0; round < 500; round++) {
    const bits = 1 + Math.floor(Math.random() * 64);
    const offset = Math.floor(Math.random() * 40);
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    const before = bytes.slice();
    let v = 0n;
    for (let i = 0; i < bits; i++) v = (v << 1n) | BigInt(Math.random() < 0.5 ? 1 : 0);
    setField(bytes, offset, bits, v);
    strictEqual(getUnsignedField(bytes, offset, bits), v);
    strictEqual(getSignedField(bytes, offset, bits), BigInt.asIntN(bits, v));
    // Bits outside the field are untouched.
    for (let i = 0; i < 128; i++) {
      if (i >= offset && i < offset + bits) continue;
      strictEqual(getBit(bytes, i), getBit(before, i), `bit ${i}`);
    }
  }
});

Deno.test("bitfield overflow handling follows Redis, including its 64-bit headroom quirk", () => {
  const i8 = { signed: true, bits: 8 };
  const u8 = { signed: false, bits: 8 };
  deepStrictEqual(fieldAdd(u8, 100n, 257n, "wrap"), { value: 101n, overflowed: true });
  deepStrictEqual(fieldAdd(u8, 100n, 257n, "sat"), { value: 255n, overflowed: true });
  deepStrictEqual(fieldAdd(u8, 100n, -255n, "sat"), { value: 0n, overflowed: true });
  deepStrictEqual(fieldAdd(i8, 100n, 257n, "wrap"), { value: 101n, overflowed: true });
  deepStrictEqual(fieldAdd(i8, 100n, -255n, "sat"), { value: -128n, overflowed: true });
  deepStrictEqual(fieldAdd(i8, 100n, 27n, "fail"), { value: 127n, overflowed: false });
  // Unsigned SET of a negative value takes its 64-bit pattern.
  deepStrictEqual(fieldAdd(u8, -1n, 0n, "sat"), { value: 255n, overflowed: true });
  deepStrictEqual(fieldAdd(u8, -1n, 0n, "wrap"), { value: 255n, overflowed: true });
  // Redis computes max - value with wrap-around: near INT64_MIN a SET saturates to max.
  const min64 = -(2n ** 63n);
  deepStrictEqual(fieldAdd(i8, min64, 0n, "sat"), { value: 127n, overflowed: true });
  deepStrictEqual(fieldAdd(i8, min64 + 128n, 0n, "sat"), { value: -128n, overflowed: true });
  const i64 = { signed: true, bits: 64 };
  deepStrictEqual(fieldAdd(i64, min64, -1n, "sat"), { value: min64, overflowed: true });
  deepStrictEqual(fieldAdd(i64, min64, -1n, "wrap"), {
    value: 2n ** 63n - 1n,
    overflowed: true,
  });
});

Deno.test("SETBIT and GETBIT over the wire match Redis", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    strictEqual(await r.setbit("k", 7, 1), 0);
    strictEqual(await r.setbit("k", 7, 1), 1);
    strictEqual(await r.setbit("k", 100, 1), 0);
    strictEqual(await r.strlen("k"), 13);
    strictEqual(await r.getbit("k", 7), 1);
    strictEqual(await r.getbit("k", 100), 1);
    strictEqual(await r.getbit("k", 10000), 0);
    strictEqual(await r.getbit("nokey", 0), 0);
    await r.set("n", "1");
    strictEqual(await r.object("ENCODING", "n"), "int");
    strictEqual(await r.getbit("n", 2), 1);
    strictEqual(await r.setbit("n", 6, 1), 0);
    strictEqual(await r.get("n"), "3");
    strictEqual(await r.setbit("n", 2, 0), 1);
    strictEqual(await r.get("n"), "\x13");
    strictEqual(await r.object("ENCODING", "n"), "raw");
    await r.rpush("l", "a");
    await rejects(r.setbit("l", 0, 1), /WRONGTYPE/);
    await rejects(r.getbit("l", 0), /WRONGTYPE/);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("bitmap errors are byte-identical to Redis", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  try {
    const offErr = "-ERR bit offset is not an integer or out of range\r\n";
    const bitErr = "-ERR bit is not an integer or out of range\r\n";
    const typeErr =
      "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n";
    await expectRaw(raw, ["rpush", "l", "a"], ":1\r\n");
    await expectRaw(raw, ["setbit", "k", "4294967296", "1"], offErr);
    await expectRaw(raw, ["setbit", "k", "-1", "1"], offErr);
    await expectRaw(raw, ["setbit", "k", "01", "1"], offErr);
    await expectRaw(raw, ["setbit", "k", "0", "2"], bitErr);
    await expectRaw(raw, ["setbit", "l", "x", "1"], offErr);
    await expectRaw(raw, ["setbit", "l", "0", "5"], bitErr);
    await expectRaw(
      raw,
      ["setbit", "l", "0", "1"],
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
    );
    await expectRaw(raw, ["getbit", "nokey", "x"], offErr);
    await expectRaw(raw, ["bitpos", "nokey", "2"], "-ERR The bit argument must be 1 or 0.\r\n");
    await expectRaw(
      raw,
      ["bitop", "not", "d", "a", "b"],
      "-ERR BITOP NOT must be called with a single source key.\r\n",
    );
    await expectRaw(raw, ["bitop", "nand", "d", "a"], "-ERR syntax error\r\n");
    await expectRaw(raw, ["bitfield", "k", "get", "u64", "0"], typeErr);
    await expectRaw(raw, ["bitfield", "k", "get", "i8", "#-1"], offErr);
    await expectRaw(
      raw,
      ["bitfield", "k", "overflow", "foo"],
      "-ERR Invalid OVERFLOW type specified\r\n",
    );
    await expectRaw(raw, ["bitfield", "k", "set", "i8", "0"], "-ERR syntax error\r\n");
    await expectRaw(
      raw,
      ["bitfield_ro", "k", "set", "i8", "0", "1"],
      "-ERR BITFIELD_RO only supports the GET subcommand\r\n",
    );
    await expectRaw(raw, ["exists", "k"], ":0\r\n");
  } finally {
    raw.close();
    await t.close();
  }
});

Deno.test("BITCOUNT and BITPOS honour ranges, units and Redis's special cases", async () => {
  const t = startServer();
  const r = await client(t);
  const raw = await RawClient.connect(t.port);
  try {
    await r.set("s", "foobar");
    strictEqual(await r.bitcount("s"), 26);
    strictEqual(await r.bitcount("s", 1, -2), 18);
    strictEqual(await r.bitcount("s", -2, 1), 0);
    strictEqual(await r.call("bitcount", "s", 3, 29, "BIT"), 16);
    strictEqual(await r.call("bitcount", "s", 10, -34, "bit"), 4);
    strictEqual(await r.call("bitcount", "s", 0, 1, "BiT"), 1);
    // Negative ranges that cross are answered before the unit is even parsed.
    strictEqual(await r.call("bitcount", "s", -1, -2, "hello"), 0);
    await rejects(r.call("bitcount", "s", 0), /syntax error/);
    strictEqual(await r.call("bitcount", "nokey", 0), 0);
    await r.set("ff", Buffer.from([0xff, 0xff]));
    // Clear bit past the end: found only when no end was given.
    strictEqual(await r.bitpos("ff", 0), 16);
    strictEqual(await r.bitpos("ff", 0, 1), 16);
    strictEqual(await r.bitpos("ff", 0, 0, -1), -1);
    strictEqual(await r.call("bitpos", "ff", 0, 3, -1, "bit"), -1);
    strictEqual(await r.bitpos("ff", 0, 100), -1);
    strictEqual(await r.bitpos("nokey", 0), 0);
    strictEqual(await r.bitpos("nokey", 1), -1);
    await r.set("str", Buffer.from([0x00, 0xff, 0x00]));
    strictEqual(await r.call("bitpos", "str", 1, 7, 8, "BIT"), 8);
    strictEqual(await r.call("bitpos", "str", 0, 8, 8, "bit"), -1);
    strictEqual(await r.call("bitpos", "str", 0, 16, 200, "bit"), 16);
    await expectRaw(raw, ["bitpos", "str", "1", "0", "abc", "foo"], "-ERR syntax error\r\n");
    await expectRaw(raw, ["bitpos", "str", "1", "-1", "-2", "foo"], "-ERR syntax error\r\n");
    await expectRaw(
      raw,
      ["bitcount", "s", "0", "b"],
      "-ERR value is not an integer or out of range\r\n",
    );
  } finally {
    raw.close();
    r.disconnect();
    await t.close();
  }
});

Deno.test("BITOP stores a raw string, or deletes the destination when the result is empty", async () => {
  const t = startServer();
  const r = await client(t);
  const events = recordEvents(t);
  try {
    await r.set("a", Buffer.from([1, 2, 255, 255]));
    await r.set("b", Buffer.from([1, 2, 255]));
    strictEqual(await r.bitop("AND", "res", "a", "b"), 4);
    deepStrictEqual([...(await r.getBuffer("res"))!], [1, 2, 255, 0]);
    strictEqual(await r.object("ENCODING", "res"), "raw");
    strictEqual(await r.bitop("XOR", "res", "a", "b"), 4);
    deepStrictEqual([...(await r.getBuffer("res"))!], [0, 0, 0, 255]);
    strictEqual(await r.bitop("NOT", "a", "a"), 4);
    deepStrictEqual([...(await r.getBuffer("a"))!], [254, 253, 0, 0]);
    await r.set("i1", "1");
    await r.set("i2", "2");
    strictEqual(await r.bitop("XOR", "res", "i1", "i2", "i1"), 1);
    strictEqual(await r.get("res"), "2");
    await r.set("x", "v", "EX", 100);
    strictEqual(await r.bitop("OR", "x", "a"), 4);
    strictEqual(await r.ttl("x"), -1);
    strictEqual(await r.bitop("AND", "res", "nokey", "nokey2"), 0);
    strictEqual(await r.exists("res"), 0);
    await r.rpush("l", "a");
    await rejects(r.bitop("AND", "res", "a", "l"), /WRONGTYPE/);
    deepStrictEqual(events.filter((e) => e.endsWith(":res")), [
      "set:res",
      "set:res",
      "set:res",
      "del:res",
    ]);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("SETBIT edits one raw string in place with geometric growth", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    await r.set("k", "abc");
    strictEqual(await r.setbit("k", 0, 0), 0);
    const db = t.server.keyspace.dbs[0]!;
    const first = db.get("k");
    strictEqual(first instanceof RawString, true);
    const pipe = r.pipeline();
    for (let i = 0; i < 20000; i++) pipe.setbit("k", i * 8 + 7, 1);
    await pipe.exec();
    strictEqual(db.get("k"), first, "the same object is edited");
    const rawValue = first as RawString;
    strictEqual(rawValue.length, 20000);
    strictEqual(rawValue.bytes.length < 2 * 20000 + 16, true, "capacity stays proportional");
    // "abc" keeps its bits (3 + 3 + 4) plus bit 7 of "b" and "c"; 19997 new bytes of 0x01.
    strictEqual(await r.bitcount("k"), 3 + 4 + 4 + 19997);
    strictEqual(await r.object("ENCODING", "k"), "raw");
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("SETBIT and BITFIELD count changes and emit setbit only when something changed", async () => {
  const t = startServer();
  const r = await client(t);
  const events = recordEvents(t);
  const dirty = () => t.server.keyspace.dirty;
  try {
    let d = dirty();
    await r.setbit("foo", 0, 0); // created
    await r.call("bitfield", "foo2", "set", "i5", 0, 0);
    strictEqual(dirty(), d + 2);
    d = dirty();
    await r.setbit("foo", 0, 0);
    await r.call("bitfield", "foo2", "set", "i5", 0, 0);
    await r.call("bitfield", "foo2", "incrby", "i5", 0, 0);
    strictEqual(dirty(), d);
    await r.setbit("foo", 0, 1);
    await r.call("bitfield", "foo2", "set", "i5", 0, 1, "set", "i5", 5, 1);
    strictEqual(dirty(), d + 3);
    d = dirty();
    await r.setbit("foo", 90, 0); // grows only
    strictEqual(dirty(), d + 1);
    deepStrictEqual(events, [
      "setbit:foo",
      "setbit:foo2",
      "setbit:foo",
      "setbit:foo2",
      "setbit:foo",
    ]);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("BITFIELD matches vectors captured from Redis 7.0.15", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    for (const off of [0, 7, 13, 100, 1000, 65535]) await r.setbit("b1", off, 1);
    strictEqual(await r.strlen("b1"), 8192);
    strictEqual(await r.bitcount("b1"), 6);
    strictEqual(await r.call("bitcount", "b1", 1, -1, "bit"), 5);
    strictEqual(await r.bitpos("b1", 1, 1), 13);
    strictEqual(await r.bitpos("b1", 0, 0, 0), 1);
    deepStrictEqual(
      await r.call(
        "bitfield",
        ...["b1", "get", "i5", "3", "get", "u16", "0", "incrby", "i12", "90", "-1000"],
        ...["overflow", "sat", "incrby", "u7", "#200", "300", "set", "i64", "1", "-2"],
      ),
      [1, 33028, -998, 127, 146366987889541120],
    );
    const v = (await r.getBuffer("b1"))!;
    strictEqual(v.subarray(0, 20).toString("hex"), "ffffffffffffffff000000306800000000000000");
    strictEqual(v.subarray(120, 130).toString("hex"), "00000000008000000000");
    const digest = await crypto.subtle.digest("SHA-256", new Uint8Array(v));
    strictEqual(
      Buffer.from(digest).toString("hex"),
      "efcafc916b92d7de1881730f0268b2ef3545ade4cc2fdd6dab4621f4d94961c2",
    );
    // FAIL leaves the field alone and answers nil; the other operations still run.
    await r.del("bits");
    deepStrictEqual(
      await r.call(
        "bitfield",
        ...["bits", "get", "i8", "0", "set", "i8", "0", "1", "overflow", "fail"],
        ...["incrby", "i8", "0", "200", "get", "u4", "0"],
      ),
      [0, 0, null, 0],
    );
    deepStrictEqual(await r.call("bitfield_ro", "bits", "get", "i8", "0", "GET", "u16", "#0"), [
      1,
      256,
    ]);
    deepStrictEqual(await r.call("bitfield", "bits"), []);
    deepStrictEqual(await r.call("bitfield_ro", "nokey", "get", "u63", "100"), [0]);
    strictEqual(await r.exists("nokey"), 0);
  } finally {
    r.disconnect();
    await t.close();
  }
});
