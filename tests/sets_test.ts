/**
 * Sets: the type module (intset widening and search, the hashtable's random picks and live
 * iteration, conversions) at unit level, and the commands through ioredis and a raw socket.
 * The command scenarios run once per encoding (intset and hashtable, the latter forced with
 * `set-max-intset-entries 0` so both see the same integer members) with the same expectations.
 *
 * @module
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { client, expectRaw, hello3, RawClient, recordEvents, startServer } from "./_server.ts";
import { Dict } from "../src/types/dict.ts";
import { IntSet, intsetValue, SetValue } from "../src/types/set.ts";

/** Sorted copy of string members (numeric members sort as numbers). */
function sorted(xs: string[]): string[] {
  return [...xs].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Pearson's chi-square statistic of `picks` against a uniform distribution over `n`
 * categories (what Redis's tests bound with `chi_square_value`).
 */
function chiSquare(picks: string[], n: number): number {
  const counts = new Map<string, number>();
  for (const p of picks) counts.set(p, (counts.get(p) ?? 0) + 1);
  const expected = picks.length / n;
  let chi = 0;
  for (const c of counts.values()) chi += (c - expected) ** 2 / expected;
  chi += (n - counts.size) * expected; // categories never picked
  return chi;
}

const WRONGTYPE = /WRONGTYPE Operation against a key holding the wrong kind of value/;
const ENCODINGS = ["intset", "hashtable"] as const;

/** Server settings that make new all-integer sets use `enc`. */
function settingsFor(enc: "intset" | "hashtable"): Record<string, string> {
  return enc === "intset" ? {} : { "set-max-intset-entries": "0" };
}

// --- Type module -------------------------------------------------------------------------

Deno.test("intset members are canonical 64-bit decimals, as Redis's string2ll accepts", () => {
  strictEqual(intsetValue("0"), 0);
  strictEqual(intsetValue("-17"), -17);
  strictEqual(intsetValue("9007199254740991"), 9007199254740991);
  strictEqual(intsetValue("9223372036854775807"), 9223372036854775807n);
  strictEqual(intsetValue("-9223372036854775808"), -9223372036854775808n);
  for (const s of ["", "-", "-0", "+1", "01", " 1", "1 ", "1.0", "1e3", "9223372036854775808"]) {
    strictEqual(intsetValue(s), null, JSON.stringify(s));
  }
});

Deno.test("an intset widens its slots from 16 to 32 to 64 bits and stays sorted", () => {
  const s = new IntSet();
  for (const v of [5, -3, 32767, -32768]) ok(s.add(v));
  strictEqual(s.width, 2);
  ok(!s.add(5));
  ok(s.add(100000));
  strictEqual(s.width, 4);
  ok(!s.has(2147483648));
  ok(s.add(2147483648));
  strictEqual(s.width, 8);
  ok(s.add(-9223372036854775808n));
  ok(s.add(9223372036854775807n));
  deepStrictEqual([...s.values()], [
    "-9223372036854775808",
    "-32768",
    "-3",
    "5",
    "32767",
    "100000",
    "2147483648",
    "9223372036854775807",
  ]);
  ok(s.has(-3) && s.has(9223372036854775807n) && !s.has(4));
  ok(s.delete(5));
  ok(!s.delete(5));
  ok(!s.delete(9223372036854775806n));
  strictEqual(s.length, 7);
  strictEqual(s.at(0), "-9223372036854775808");
  const copy = s.clone();
  copy.removeAt(0);
  strictEqual(s.length, 7);
  strictEqual(copy.length, 6);
});

Deno.test("an intset keeps order through many random inserts and deletes", () => {
  const s = new IntSet();
  const model = new Set<number>();
  for (let i = 0; i < 3000; i++) {
    const v = Math.floor(Math.random() * 2000) - 1000;
    if (Math.random() < 0.6) {
      strictEqual(s.add(v), !model.has(v));
      model.add(v);
    } else strictEqual(s.delete(v), model.delete(v));
  }
  deepStrictEqual([...s.values()], [...model].sort((a, b) => a - b).map(String));
});

Deno.test("a dict picks only live keys, uniformly, and survives compaction", () => {
  const d = new Dict<string>(true);
  for (let i = 0; i < 1000; i++) d.set(`k${i}`, `v${i}`);
  for (let i = 0; i < 1000; i++) if (i % 10 !== 0) d.delete(`k${i}`);
  strictEqual(d.size, 100);
  const picks: string[] = [];
  for (let i = 0; i < 20000; i++) {
    const slot = d.randomSlot();
    const k = d.keyAt(slot);
    strictEqual(d.valueAt(slot), "v" + k.slice(1));
    picks.push(k);
  }
  strictEqual(new Set(picks).size, 100);
  // df = 99: 200 is far beyond any plausible value for a uniform pick.
  ok(chiSquare(picks, 100) < 200);
  strictEqual(d.get("k10"), "v10");
  strictEqual(d.get("k11"), undefined);
  ok(!d.set("k10", "new"));
  strictEqual(d.get("k10"), "new");
});

Deno.test("a dict iterator sees every key that lives through the iteration exactly once", () => {
  const d = new Dict<never>(false);
  for (let i = 0; i < 500; i++) d.set(String(i));
  const it = d.keys();
  const seen: string[] = [];
  for (let step = 0; step < 50; step++) {
    const r = it.next();
    if (r.done) break;
    seen.push(r.value);
  }
  // Delete most keys (forcing compactions) and add new ones mid-iteration.
  for (let i = 100; i < 500; i++) d.delete(String(i));
  for (let i = 1000; i < 1100; i++) d.set(String(i));
  for (let r = it.next(); !r.done; r = it.next()) seen.push(r.value);
  for (let i = 0; i < 100; i++) strictEqual(seen.filter((k) => k === String(i)).length, 1);
  strictEqual(new Set(seen).size, seen.length);
});

Deno.test("SetValue converts to a hashtable on a non-integer or past the intset limit", () => {
  const s = SetValue.from(["3", "1", "2"], { maxIntsetEntries: 3 });
  strictEqual(s.encoding(), "intset");
  deepStrictEqual([...s.members()], ["1", "2", "3"]);
  ok(!s.add("2", 3));
  ok(s.add("4", 3));
  strictEqual(s.encoding(), "hashtable");
  ok(s.has("4") && s.has("1") && !s.has("5"));
  ok(s.delete("4"));
  strictEqual(s.encoding(), "hashtable"); // never back
  const t = SetValue.from(["1", "a"]);
  strictEqual(t.encoding(), "hashtable");
  strictEqual(SetValue.from(["1"], { maxIntsetEntries: 0 }).encoding(), "hashtable");
  // A Config-like source works too (what persistence passes).
  const cfg = { getNumber: (n: string) => (n === "set-max-intset-entries" ? 1 : 0) };
  strictEqual(SetValue.from(["1", "2"], cfg).encoding(), "hashtable");
  const copy = t.clone();
  copy.add("b", 512);
  strictEqual(t.size, 2);
  strictEqual(copy.size, 3);
  const seen: string[] = [];
  t.visit((m) => void seen.push(m));
  deepStrictEqual(seen, ["1", "a"]);
});

for (const enc of ENCODINGS) {
  Deno.test(`SetValue (${enc}) pops and samples distinct members`, () => {
    const max = enc === "intset" ? 512 : 0;
    const s = new SetValue();
    for (let i = 0; i < 50; i++) s.add(String(i * 7), max);
    strictEqual(s.encoding(), enc);
    for (const n of [1, 5, 20, 49]) {
      const picked = s.sample(n);
      strictEqual(picked.length, n);
      strictEqual(new Set(picked).size, n);
      for (const m of picked) ok(s.has(m));
    }
    const popped = s.popMany(30);
    strictEqual(new Set(popped).size, 30);
    strictEqual(s.size, 20);
    for (const m of popped) ok(!s.has(m));
    const rest = [...s.members()];
    deepStrictEqual(sorted([...popped, ...rest]), Array.from({ length: 50 }, (_, i) => `${i * 7}`));
    const one = s.pop();
    ok(!s.has(one));
    strictEqual(s.size, 19);
  });
}

// --- Commands, once per encoding ---------------------------------------------------------

for (const enc of ENCODINGS) {
  Deno.test(`SADD, SREM, SCARD, SISMEMBER, SMISMEMBER and SMEMBERS (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      strictEqual(await r.sadd("s", 17), 1);
      strictEqual(await r.object("ENCODING", "s"), enc);
      strictEqual(await r.sadd("s", 16, 16, 15), 2);
      strictEqual(await r.scard("s"), 3);
      strictEqual(await r.sismember("s", 16), 1);
      strictEqual(await r.sismember("s", 18), 0);
      strictEqual(await r.sismember("s", "a"), 0);
      deepStrictEqual(await r.smismember("s", 16, 18, 17, "x"), [1, 0, 1, 0]);
      deepStrictEqual(sorted(await r.smembers("s")), ["15", "16", "17"]);
      strictEqual(await r.srem("s", 99, 15), 1);
      strictEqual(await r.srem("s", 16, 17, 16), 2);
      strictEqual(await r.exists("s"), 0);
      strictEqual(await r.scard("s"), 0);
      deepStrictEqual(await r.smembers("s"), []);
      deepStrictEqual(await r.smismember("s", 1, 2), [0, 0]);
      await r.set("str", "x");
      await rejects(r.sadd("str", 1), WRONGTYPE);
      await rejects(r.srem("str", 1), WRONGTYPE);
      await rejects(r.smembers("str"), WRONGTYPE);
      await rejects(r.sismember("str", 1), WRONGTYPE);
      await rejects(r.scard("str"), WRONGTYPE);
      await rejects(r.call("SADD", "s"), /wrong number of arguments for 'sadd' command/);
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`SPOP and SRANDMEMBER with and without count (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      const all = Array.from({ length: 20 }, (_, i) => String(i + 1));
      await r.sadd("s", ...all);
      strictEqual(await r.object("ENCODING", "s"), enc);
      const one = await r.spop("s");
      ok(one !== null && all.includes(one));
      const three = await r.spop("s", 3);
      strictEqual(new Set(three).size, 3);
      strictEqual(await r.scard("s"), 16);
      deepStrictEqual(await r.spop("s", 0), []);
      const rest = await r.spop("s", 100);
      strictEqual(await r.exists("s"), 0);
      deepStrictEqual(sorted([one!, ...three, ...rest]), all);
      strictEqual(await r.spop("s"), null);
      deepStrictEqual(await r.spop("s", 3), []);
      await rejects(r.spop("s", -1), /value is out of range, must be positive/);
      await rejects(r.call("SPOP", "s", "1", "2"), /syntax error/);

      await r.sadd("r", ...all);
      const pick = await r.srandmember("r");
      ok(all.includes(pick!));
      const dup = await r.srandmember("r", -100);
      strictEqual(dup.length, 100);
      for (const m of dup) ok(all.includes(m));
      for (const n of [5, 15, 19]) {
        const uniq = await r.srandmember("r", n);
        strictEqual(uniq.length, n);
        strictEqual(new Set(uniq).size, n);
      }
      deepStrictEqual(sorted(await r.srandmember("r", 20)), all);
      deepStrictEqual(sorted(await r.srandmember("r", 1000)), all);
      deepStrictEqual(await r.srandmember("r", 0), []);
      strictEqual(await r.scard("r"), 20);
      strictEqual(await r.srandmember("nokey"), null);
      deepStrictEqual(await r.srandmember("nokey", 5), []);
      await rejects(
        r.srandmember("r", "-9223372036854775808"),
        /value is out of range, value must between -9223372036854775807 and 9223372036854775807/,
      );
      await rejects(r.srandmember("r", "abc"), /value is not an integer or out of range/);
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`SRANDMEMBER picks are uniform for every count path (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      await r.sadd("s", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
      // df = 9: Redis's own test bounds the statistic at 40 (p = 0.00001).
      ok(chiSquare(await r.srandmember("s", -1000), 10) < 40);
      for (const size of [8, 2]) {
        const picks: string[] = [];
        for (let i = 0; i < 1000 / size; i++) picks.push(...await r.srandmember("s", size));
        ok(chiSquare(picks, 10) < 40, `count ${size}`);
      }
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`SMOVE between sets and onto missing keys (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      await r.sadd("a", 1, 2, 3);
      await r.sadd("b", 4);
      strictEqual(await r.smove("a", "b", 1), 1);
      deepStrictEqual(sorted(await r.smembers("b")), ["1", "4"]);
      strictEqual(await r.smove("a", "b", 9), 0);
      strictEqual(await r.smove("a", "a", 2), 1);
      strictEqual(await r.smove("a", "a", 9), 0);
      strictEqual(await r.smove("a", "c", 2), 1);
      strictEqual(await r.object("ENCODING", "c"), enc);
      await r.sadd("b", 3);
      strictEqual(await r.smove("a", "b", 3), 1); // already in b: a loses it anyway
      strictEqual(await r.exists("a"), 0);
      deepStrictEqual(sorted(await r.smembers("b")), ["1", "3", "4"]);
      strictEqual(await r.smove("nokey", "b", 1), 0);
      await r.set("str", "x");
      strictEqual(await r.smove("nokey", "str", 1), 0);
      await rejects(r.smove("str", "b", 1), WRONGTYPE);
      await rejects(r.smove("b", "str", 1), WRONGTYPE);
      strictEqual(await r.scard("b"), 3);
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`SINTER, SUNION, SDIFF, their STORE forms and SINTERCARD (${enc})`, async () => {
    const t = startServer(settingsFor(enc));
    const r = await client(t);
    try {
      await r.sadd("a", 1, 2, 3, 4, 5, 6);
      await r.sadd("b", 4, 5, 6, 7, 8);
      await r.sadd("c", 5, 6, 9);
      deepStrictEqual(sorted(await r.sinter("a", "b")), ["4", "5", "6"]);
      deepStrictEqual(sorted(await r.sinter("a", "b", "c")), ["5", "6"]);
      deepStrictEqual(await r.sinter("a", "nokey"), []);
      deepStrictEqual(sorted(await r.sinter("a", "a", "a")), ["1", "2", "3", "4", "5", "6"]);
      deepStrictEqual(sorted(await r.sunion("b", "c", "nokey")), ["4", "5", "6", "7", "8", "9"]);
      deepStrictEqual(sorted(await r.sdiff("a", "b")), ["1", "2", "3"]);
      deepStrictEqual(sorted(await r.sdiff("a", "b", "c")), ["1", "2", "3"]);
      deepStrictEqual(await r.sdiff("a", "a"), []);
      deepStrictEqual(await r.sdiff("nokey", "a"), []);
      deepStrictEqual(sorted(await r.sdiff("a", "nokey")), ["1", "2", "3", "4", "5", "6"]);

      strictEqual(await r.sinterstore("d", "a", "b"), 3);
      strictEqual(await r.object("ENCODING", "d"), enc);
      strictEqual(await r.sunionstore("d", "b", "c"), 6);
      deepStrictEqual(sorted(await r.smembers("d")), ["4", "5", "6", "7", "8", "9"]);
      strictEqual(await r.sdiffstore("d", "a", "b", "c"), 3);
      strictEqual(await r.sdiffstore("d", "a", "a"), 0);
      strictEqual(await r.exists("d"), 0);
      await r.set("d", "x");
      strictEqual(await r.sinterstore("d", "a", "nokey"), 0);
      strictEqual(await r.exists("d"), 0);
      // The destination is replaced whatever its type, and loses its TTL.
      await r.set("d", "x", "EX", 100);
      strictEqual(await r.sunionstore("d", "c"), 3);
      strictEqual(await r.ttl("d"), -1);

      strictEqual(await r.call("SINTERCARD", 2, "a", "b"), 3);
      strictEqual(await r.call("SINTERCARD", 2, "a", "b", "LIMIT", 2), 2);
      strictEqual(await r.call("SINTERCARD", 2, "a", "b", "LIMIT", 0), 3);
      strictEqual(await r.call("SINTERCARD", 3, "a", "b", "c"), 2);
      strictEqual(await r.call("SINTERCARD", 2, "a", "nokey"), 0);
      await rejects(r.call("SINTERCARD", 0, "a"), /numkeys should be greater than 0/);
      await rejects(
        r.call("SINTERCARD", 3, "a", "b"),
        /Number of keys can't be greater than number of args/,
      );
      await rejects(r.call("SINTERCARD", 1, "a", "b"), /syntax error/);
      await rejects(r.call("SINTERCARD", 1, "a", "LIMIT", -1), /LIMIT can't be negative/);

      await r.set("str", "x");
      await rejects(r.sinter("nokey", "str"), WRONGTYPE);
      await rejects(r.sunion("a", "str"), WRONGTYPE);
      await rejects(r.sdiff("str", "a"), WRONGTYPE);
      await r.sadd("keep", 1);
      await rejects(r.sinterstore("keep", "a", "str"), WRONGTYPE);
      deepStrictEqual(await r.smembers("keep"), ["1"]);
    } finally {
      r.disconnect();
      await t.close();
    }
  });

  Deno.test(`SSCAN returns every member across cursors (${enc})`, async () => {
    const t = startServer(enc === "intset" ? {} : { "set-max-intset-entries": "0" });
    const r = await client(t);
    try {
      const all = Array.from({ length: 300 }, (_, i) => String(i));
      await r.sadd("s", ...all);
      let cursor = "0";
      const seen: string[] = [];
      let calls = 0;
      do {
        const [next, items] = await r.sscan("s", cursor, "COUNT", 20);
        cursor = next;
        seen.push(...items);
        calls++;
      } while (cursor !== "0");
      deepStrictEqual(sorted(seen), all);
      // An intset comes back in one call, like Redis's compact encodings.
      ok(enc === "intset" ? calls === 1 : calls >= 15);
      const [c2, matched] = await r.sscan("s", 0, "MATCH", "1?", "COUNT", 1000);
      strictEqual(c2, "0");
      deepStrictEqual(sorted(matched), [
        "10",
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
      ]);
      deepStrictEqual(await r.sscan("nokey", 0), ["0", []]);
      await rejects(r.sscan("s", "abc"), /invalid cursor/);
      await rejects(r.sscan("s", 0, "COUNT", 0), /syntax error/);
    } finally {
      r.disconnect();
      await t.close();
    }
  });
}

// --- Encodings, scan guarantee, events, replies --------------------------------------------

Deno.test("set encodings convert when Redis converts, including after CONFIG SET", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    await r.sadd("s", 1, 2, 3);
    strictEqual(await r.object("ENCODING", "s"), "intset");
    await r.sadd("s", "a");
    strictEqual(await r.object("ENCODING", "s"), "hashtable");
    await r.srem("s", "a");
    strictEqual(await r.object("ENCODING", "s"), "hashtable");
    await r.sadd("big", "213244124402402314402033402");
    strictEqual(await r.object("ENCODING", "big"), "hashtable");
    const ints = Array.from({ length: 512 }, (_, i) => i);
    await r.sadd("lim", ...ints);
    strictEqual(await r.object("ENCODING", "lim"), "intset");
    await r.sadd("lim", 512);
    strictEqual(await r.object("ENCODING", "lim"), "hashtable");
    await r.config("SET", "set-max-intset-entries", "2");
    await r.sadd("small", 1, 2);
    strictEqual(await r.object("ENCODING", "small"), "intset");
    await r.sadd("small", 3);
    strictEqual(await r.object("ENCODING", "small"), "hashtable");
    await r.sadd("x", 1, 2);
    strictEqual(await r.sinterstore("d", "x", "x"), 2);
    strictEqual(await r.object("ENCODING", "d"), "intset");
    await r.config("SET", "set-max-intset-entries", "1");
    strictEqual(await r.sunionstore("d", "x"), 2);
    strictEqual(await r.object("ENCODING", "d"), "hashtable");
    // A moved integer starts an intset; SUNION of an all-integer hashtable comes out sorted.
    await r.config("SET", "set-max-intset-entries", "512");
    await r.sadd("h", 30, 10, 20, "z");
    await r.srem("h", "z");
    strictEqual(await r.smove("h", "m", 10), 1);
    strictEqual(await r.object("ENCODING", "m"), "intset");
    await r.sadd("h", 5);
    deepStrictEqual(await r.sunion("h"), ["5", "20", "30"]);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("SSCAN of a hashtable keeps the SCAN guarantee while the set shrinks and grows", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    await r.sadd("s", "x");
    const keep = Array.from({ length: 100 }, (_, i) => String(i));
    const drop = Array.from({ length: 900 }, (_, i) => String(i + 100));
    await r.sadd("s", ...keep, ...drop);
    const seen = new Set<string>();
    let cursor = "0";
    let step = 0;
    do {
      const [next, items] = await r.sscan("s", cursor);
      for (const m of items) seen.add(m);
      cursor = next;
      if (++step === 3) await r.srem("s", ...drop);
      if (step === 4) await r.sadd("s", "new1", "new2");
    } while (cursor !== "0");
    for (const m of keep) ok(seen.has(m), `missing ${m}`);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("set writes emit Redis's keyspace events; empty sets are deleted", async () => {
  const t = startServer();
  const events = recordEvents(t);
  const r = await client(t);
  try {
    await r.sadd("s", 1, 2, 3);
    await r.sadd("s", 1);
    await r.srem("s", 9);
    await r.srem("s", 1);
    await r.spop("s");
    await r.sadd("s", 1, 2, 3);
    await r.spop("s", 1);
    await r.spop("s", 10);
    await r.sadd("s", 1, 2);
    await r.smove("s", "d", 1);
    await r.smove("s", "d", 2);
    await r.sadd("s", 1);
    await r.smove("s", "d", 1);
    await r.sadd("a", 1, 2);
    await r.sinterstore("x", "a", "a");
    await r.sinterstore("x", "a", "nokey");
    await r.sunionstore("x", "a");
    await r.sdiffstore("x", "a", "a");
    await r.sdiffstore("x", "a", "a");
    deepStrictEqual(events, [
      "sadd:s",
      "srem:s",
      "spop:s",
      "sadd:s",
      "spop:s",
      "spop:s",
      "del:s",
      "sadd:s",
      "srem:s",
      "sadd:d",
      "srem:s",
      "del:s",
      "sadd:d",
      "sadd:s",
      "srem:s",
      "del:s",
      "sadd:a",
      "sinterstore:x",
      "del:x",
      "sunionstore:x",
      "del:x",
    ]);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("SMOVE leaves a WATCHed destination alone when the member is already there", async () => {
  const t = startServer();
  const r = await client(t);
  const r2 = await client(t);
  try {
    await r.sadd("src", "a", "b");
    await r.sadd("dst", "a");
    await r.watch("dst");
    const tx = r.multi().sadd("dst", "c");
    strictEqual(await r2.smove("src", "dst", "a"), 1);
    deepStrictEqual(await tx.exec(), [[null, 1]]);
    strictEqual(await r.scard("dst"), 2);
    await r.watch("dst");
    const tx2 = r.multi().scard("dst");
    strictEqual(await r2.smove("src", "dst", "b"), 1);
    strictEqual(await tx2.exec(), null);
  } finally {
    r.disconnect();
    r2.disconnect();
    await t.close();
  }
});

Deno.test("SPOP propagates as SREM of the popped members, or DEL for the whole set", async () => {
  const t = startServer();
  const fed: string[] = [];
  t.server.persistence.feed.subscribe((ops) => {
    for (const op of ops) fed.push(op.argv.join(" "));
  });
  const r = await client(t);
  try {
    await r.sadd("s", 7);
    await r.spop("s");
    await r.sadd("s", 1, 2);
    const [m] = await r.spop("s", 1);
    await r.spop("s", 5);
    await r.spop("s", 5); // nothing left: nothing propagated
    await r.sadd("t", 1);
    await r.sadd("t", 1); // no change
    deepStrictEqual(fed, [
      "sadd s 7",
      "srem s 7",
      "sadd s 1 2",
      `srem s ${m}`,
      "del s",
      "sadd t 1",
    ]);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("set replies are byte-exact in RESP2 and RESP3", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  try {
    await expectRaw(raw, ["SADD", "s", "3", "1", "2"], ":3\r\n");
    await expectRaw(raw, ["SMEMBERS", "s"], "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    await expectRaw(raw, ["SPOP", "nokey"], "$-1\r\n");
    await expectRaw(raw, ["SRANDMEMBER", "nokey", "2"], "*0\r\n");
    await expectRaw(
      raw,
      ["SSCAN", "s", "0"],
      "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n",
    );
    await hello3(raw);
    await expectRaw(raw, ["SMEMBERS", "s"], "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    await expectRaw(raw, ["SMEMBERS", "nokey"], "~0\r\n");
    await expectRaw(raw, ["SINTER", "s", "s"], "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    await expectRaw(raw, ["SRANDMEMBER", "s", "5"], "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    await expectRaw(raw, ["SRANDMEMBER", "nokey"], "_\r\n");
    await expectRaw(raw, ["SPOP", "nokey", "2"], "~0\r\n");
    await expectRaw(raw, ["SMISMEMBER", "s", "1", "9"], "*2\r\n:1\r\n:0\r\n");
    await expectRaw(raw, ["SPOP", "s", "3"], "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  } finally {
    raw.close();
    await t.close();
  }
});
