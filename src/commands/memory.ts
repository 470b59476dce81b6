/**
 * MEMORY and its subcommands (USAGE, STATS, MALLOC-STATS, PURGE, HELP), and the size
 * model behind MEMORY USAGE: Redis's accounting (jemalloc size classes, sds headers, robj
 * and dict entries, listpack entries) applied to a value's logical contents.
 *
 * @module
 */
import { isIntEncodable, RawString, type TypedValue, type Value } from "../store/value.ts";
import { intArg, isToken, writeHelp } from "./args.ts";
import type { Client } from "./context.ts";
import { type CommandSpec, Errors, ReplyError } from "./spec.ts";
import { memoryFigures, tableSlots } from "./info.ts";
import { mallocSize } from "../types/malloc.ts";

// ---------------------------------------------------------------------------------------
// MEMORY USAGE: Redis's accounting (jemalloc size classes, sds headers, robj and dict
// entries), applied to the value's logical contents

/** Allocation of an sds string of `len` bytes (keys may use the 1-byte sdshdr5). */
function sdsSize(len: number, allowType5 = false): number {
  const hdr = allowType5 && len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : len < 2 ** 32 ? 9 : 17;
  return mallocSize(hdr + len + 1);
}

const ROBJ = 16;
const DICT_ENTRY = 24;
const DICT = 56;

/** Bytes a listpack entry holding `s` takes. */
export function listpackEntry(s: string): number {
  if (isIntEncodable(s)) {
    const n = BigInt(s);
    const size = n >= 0n && n <= 127n
      ? 1
      : n >= -4096n && n <= 4095n
      ? 2
      : n >= -32768n && n <= 32767n
      ? 3
      : n >= -8388608n && n <= 8388607n
      ? 4
      : n >= -2147483648n && n <= 2147483647n
      ? 5
      : 9;
    return size + 1;
  }
  const len = s.length;
  const hdr = len < 64 ? 1 : len < 4096 ? 2 : 5;
  const body = hdr + len;
  return body + (body < 128 ? 1 : body < 16384 ? 2 : 3);
}

/** Estimated bytes of string value `v` (robj plus sds, or one embstr allocation). */
function stringValueSize(v: string | RawString): number {
  if (typeof v !== "string") {
    const cap = v.bytes.length;
    return ROBJ + sdsSize(cap);
  }
  if (isIntEncodable(v)) return ROBJ;
  if (v.length <= 44) return mallocSize(ROBJ + 3 + v.length + 1);
  return ROBJ + sdsSize(v.length);
}

/**
 * Estimated bytes of a non-string value from its encoding and up to `samples` of its
 * elements (0 = all), scaled to its size, the way Redis's `objectComputeSize` samples.
 * Types that know better implement {@link TypedValue.memoryUsage}.
 */
function typedValueSize(v: TypedValue, samples: number): number {
  if (v.memoryUsage) return v.memoryUsage(samples);
  const count = v.count?.() ?? 0;
  const enc = v.encoding();
  const seen: [string, string | undefined][] = [];
  v.visit?.((a, b) => {
    seen.push([a, b]);
    return samples === 0 || seen.length < samples;
  });
  const scale = seen.length === 0 ? 0 : count / seen.length;
  const sum = (f: (a: string, b: string | undefined) => number) =>
    seen.reduce((n, [a, b]) => n + f(a, b), 0) * scale;
  switch (enc) {
    case "listpack":
      return ROBJ +
        mallocSize(7 + sum((a, b) => listpackEntry(a) + (b === undefined ? 0 : listpackEntry(b))));
    case "quicklist": {
      const bytes = sum((a) => listpackEntry(a));
      const nodes = Math.max(1, Math.ceil(bytes / 8192));
      return ROBJ + mallocSize(40) + nodes * 32 + nodes * mallocSize(7 + bytes / nodes);
    }
    case "intset": {
      let width = 2;
      for (const [a] of seen) {
        const n = Number(a);
        if (n < -2147483648 || n > 2147483647) width = 8;
        else if ((n < -32768 || n > 32767) && width < 4) width = 4;
      }
      return ROBJ + mallocSize(8 + width * count);
    }
    case "hashtable":
      return ROBJ + DICT + tableSlots(count) * 8 +
        sum((a, b) => DICT_ENTRY + sdsSize(a.length) + (b === undefined ? 0 : sdsSize(b.length)));
    case "skiplist":
      // zset: dict + skiplist; a node is 24 bytes plus 16 per level (1.33 levels on average).
      return ROBJ + 16 + 32 + DICT + tableSlots(count) * 8 + mallocSize(24 + 32 * 16) +
        sum((a) => sdsSize(a.length) + DICT_ENTRY + mallocSize(24 + 16 * 4 / 3));
    default:
      // Streams and anything else: the element bytes plus listpack-like overhead.
      return ROBJ + mallocSize(64) + sum((a, b) => a.length + (b?.length ?? 0) + 4);
  }
}

/** MEMORY USAGE of `key` holding `v`: key, value and the dict entry. */
export function keyMemoryUsage(key: string, v: Value, samples: number): number {
  const value = typeof v === "string" || v instanceof RawString
    ? stringValueSize(v)
    : typedValueSize(v, samples);
  return Math.round(sdsSize(key.length, true) + value + DICT_ENTRY);
}

const MEMORY_HELP = [
  "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DOCTOR",
  "    Return memory problems reports.",
  "MALLOC-STATS",
  "    Return internal statistics report from the memory allocator.",
  "PURGE",
  "    Attempt to purge dirty pages for reclamation by the allocator.",
  "STATS",
  "    Return information about the memory usage of the server.",
  "USAGE <key> [SAMPLES <count>]",
  "    Return memory in bytes used by <key> and its value. Nested values are",
  "    sampled up to <count> times (default: 5, 0 means sample all).",
  "HELP",
  "    Prints this help.",
];

/** MEMORY STATS: Redis's fields, from the same figures as INFO memory. */
function memoryStats(c: Client): void {
  const s = c.server;
  const f = memoryFigures(s);
  const dbs = s.keyspace.dbs.filter((db) => db.size > 0);
  const keys = s.keyspace.totalKeys();
  const w = c.w;
  // Redis keeps these ratios in C floats; so does the reply.
  const float = (n: number) => w.double(Math.fround(Number.isFinite(n) ? n : 0));
  w.map(27 + dbs.length);
  const int = (name: string, n: number) => {
    w.bulk(name);
    w.int(Math.round(n));
  };
  const dbl = (name: string, n: number) => {
    w.bulk(name);
    float(n);
  };
  int("peak.allocated", f.peak);
  int("total.allocated", f.used);
  int("startup.allocated", f.startup);
  int("replication.backlog", 0);
  int("clients.slaves", 0);
  int("clients.normal", f.clients);
  int("cluster.links", 0);
  int("aof.buffer", 0);
  int("lua.caches", 0);
  int("functions.caches", 0);
  for (const db of dbs) {
    w.bulk(`db.${db.id}`);
    w.map(3);
    int("overhead.hashtable.main", DICT + db.size * DICT_ENTRY + tableSlots(db.size) * 8);
    int(
      "overhead.hashtable.expires",
      db.expires.size === 0
        ? 0
        : DICT + db.expires.size * DICT_ENTRY + tableSlots(db.expires.size) * 8,
    );
    int("overhead.hashtable.slot-to-keys", 0);
  }
  int("overhead.total", f.overhead);
  int("keys.count", keys);
  int("keys.bytes-per-key", keys === 0 ? 0 : Math.floor(f.netUsed / keys));
  int("dataset.bytes", f.dataset);
  dbl("dataset.percentage", f.netUsed === 0 ? 0 : (f.dataset * 100) / f.netUsed);
  dbl("peak.percentage", f.peak === 0 ? 0 : (f.used * 100) / f.peak);
  int("allocator.allocated", f.used);
  int("allocator.active", f.active);
  int("allocator.resident", f.rss);
  dbl("allocator-fragmentation.ratio", f.used === 0 ? 0 : f.active / f.used);
  int("allocator-fragmentation.bytes", f.active - f.used);
  dbl("allocator-rss.ratio", f.active === 0 ? 0 : f.rss / f.active);
  int("allocator-rss.bytes", f.rss - f.active);
  dbl("rss-overhead.ratio", 1);
  int("rss-overhead.bytes", 0);
  dbl("fragmentation", f.used === 0 ? 0 : f.rss / f.used);
  int("fragmentation.bytes", f.rss - f.used);
}

function memoryUsage(c: Client, argv: string[]): void {
  let samples = 5;
  for (let i = 3; i < argv.length; i++) {
    if (isToken(argv[i]!, "samples") && i + 1 < argv.length) {
      samples = intArg(argv[++i]!);
      if (samples < 0) throw new ReplyError(Errors.syntax);
    } else throw new ReplyError(Errors.syntax);
  }
  // Like Redis, a plain table lookup: no expiry, no statistics, no access.
  const key = argv[2]!;
  const v = c.db.data.get(key);
  if (v === undefined) {
    c.w.nullBulk();
    return;
  }
  c.w.int(keyMemoryUsage(key, v, samples));
}

// ---------------------------------------------------------------------------------------
// Declarations

/** MEMORY and its subcommands. */
export const memoryCommands: CommandSpec[] = [
  {
    name: "memory",
    arity: -2,
    flags: [],
    group: "server",
    since: "4.0.0",
    summary: "A container for memory diagnostics commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "malloc-stats",
        arity: 2,
        flags: [],
        group: "server",
        since: "4.0.0",
        summary: "Show allocator internal stats",
        complexity: "Depends on how much memory is allocated, could be slow",
        tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        // What Redis answers when built without jemalloc: V8 exposes no allocator stats.
        run: (c) => c.w.bulk("Stats not supported for the current allocator"),
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        group: "server",
        since: "4.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        run: (c) => writeHelp(c, MEMORY_HELP),
      },
      {
        name: "purge",
        arity: 2,
        flags: [],
        group: "server",
        since: "4.0.0",
        summary: "Ask the allocator to release memory",
        complexity: "Depends on how much memory is allocated, could be slow",
        tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
        // V8 returns memory on its own schedule; like Redis without jemalloc, nothing to do.
        run: (c) => c.w.ok(),
      },
      {
        name: "stats",
        arity: 2,
        flags: [],
        group: "server",
        since: "4.0.0",
        summary: "Show memory usage details",
        complexity: "O(1)",
        tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        run: memoryStats,
      },
      {
        name: "usage",
        arity: -3,
        flags: ["readonly"],
        keys: { first: 2, last: 2, step: 1 },
        keyFlags: ["RO"],
        group: "server",
        since: "4.0.0",
        summary: "Estimate the memory usage of a key",
        complexity: "O(N) where N is the number of samples.",
        args: [
          { name: "key", type: "key", keySpecIndex: 0 },
          { name: "count", type: "integer", token: "SAMPLES", optional: true },
        ],
        run: memoryUsage,
      },
    ],
  },
];
