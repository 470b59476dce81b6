/**
 * HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST.
 *
 * An HLL is an ordinary string value in Redis's byte format (see src/types/hyperloglog.ts),
 * so GET, SET, DUMP and RESTORE move it between cedis and Redis unchanged. Commands that
 * modify it (including PFCOUNT, which caches the cardinality in the header) first turn the
 * value into a {@link RawString} and then edit it in place.
 *
 * @module
 */
import { binaryToBytes } from "../resp/bytes.ts";
import { RawString, type Value } from "../store/value.ts";
import {
  cachedCardinality,
  createHll,
  decodeSparse,
  denseGet,
  denseSet,
  HLL_DENSE,
  HLL_REGISTERS,
  HLL_SPARSE,
  hllAdd,
  hllCount,
  invalidateCache,
  isHll,
  mergeInto,
  rawCount,
  selfTest,
  setCachedCardinality,
  sparseSet,
  sparseToDense,
} from "../types/hyperloglog.ts";
import { lookupRead, lookupWrite, written } from "./args.ts";
import type { Client } from "./context.ts";
import { type CommandSpec, Errors, ReplyError } from "./spec.ts";

const NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
const CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

/**
 * The bytes of a value that must be an HLL (header checked), copying only JS strings: the
 * first `len` bytes of `b`. For a raw string `b` is its whole buffer, because a corrupt
 * sparse HLL can make Redis read the byte just past the end.
 */
function hllBytes(v: Value): { b: Uint8Array; len: number } {
  let b: Uint8Array;
  let len: number;
  if (typeof v === "string") {
    b = binaryToBytes(v);
    len = b.length;
  } else if (v instanceof RawString) {
    b = v.bytes;
    len = v.length;
  } else throw new ReplyError(Errors.wrongType);
  if (!isHll(b.subarray(0, len))) throw new ReplyError(NOT_HLL);
  return { b, len };
}

/** The HLL at `key` (value `v`) as a {@link RawString} stored in place, ready to edit. */
function hllForWrite(c: Client, key: string, v: Value): RawString {
  hllBytes(v);
  if (v instanceof RawString) return v;
  const raw = new RawString(v as string);
  c.db.replace(key, raw);
  return raw;
}

function sparseMaxBytes(c: Client): number {
  return c.server.config.getNumber("hll-sparse-max-bytes");
}

function pfaddCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const v = lookupWrite(c, key);
  let raw: RawString;
  let updated = 0;
  if (v === undefined) {
    raw = createHll();
    c.db.set(key, raw);
    updated++;
  } else raw = hllForWrite(c, key, v);
  const maxBytes = sparseMaxBytes(c);
  for (let j = 2; j < argv.length; j++) {
    const r = hllAdd(raw, argv[j]!, maxBytes);
    if (r === -1) throw new ReplyError(CORRUPT);
    updated += r;
  }
  if (updated > 0) {
    invalidateCache(raw.bytes);
    written(c, key, "pfadd", "$", updated);
  }
  c.w.int(updated > 0 ? 1 : 0);
}

function pfcountCommand(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    // Several keys: the union of their registers, estimated without touching any key.
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const v = lookupRead(c, argv[j]!);
      if (v === undefined) continue;
      const { b, len } = hllBytes(v);
      if (!mergeInto(max, b, len)) throw new ReplyError(CORRUPT);
    }
    c.w.int(rawCount(max));
    return;
  }
  const key = argv[1]!;
  const v = lookupRead(c, key);
  if (v === undefined) {
    c.w.int(0);
    return;
  }
  const raw = hllForWrite(c, key, v);
  const b = raw.bytes;
  let card = cachedCardinality(b);
  if (card < 0) {
    card = hllCount(b, raw.length);
    if (card < 0) throw new ReplyError(CORRUPT);
    setCachedCardinality(b, card);
    // The cache is part of the string: the value changed (WATCH, propagation), silently.
    c.server.keyspace.touched(c.db, key);
  }
  c.w.int(card);
}

function pfmergeCommand(c: Client, argv: string[]): void {
  const dest = argv[1]!;
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const v = lookupRead(c, argv[j]!);
    if (v === undefined) continue;
    const { b, len } = hllBytes(v);
    if (b[4] === HLL_DENSE) useDense = true;
    if (!mergeInto(max, b, len)) throw new ReplyError(CORRUPT);
  }
  const v = lookupWrite(c, dest);
  let raw: RawString;
  if (v === undefined) {
    raw = createHll();
    c.db.set(dest, raw);
  } else raw = hllForWrite(c, dest, v);
  // Dense if any input was: converting first avoids growing the sparse form step by step.
  if (useDense && !sparseToDense(raw)) throw new ReplyError(CORRUPT);
  const maxBytes = sparseMaxBytes(c);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    const m = max[j]!;
    if (m === 0) continue;
    if (raw.bytes[4] === HLL_DENSE) denseSet(raw.bytes, j, m);
    else sparseSet(raw, j, m, maxBytes);
  }
  invalidateCache(raw.bytes);
  // Redis reports a merge as a PFADD: it is a mass-add of elements.
  written(c, dest, "pfadd", "$");
  c.w.ok();
}

function pfdebugCommand(c: Client, argv: string[]): void {
  const sub = argv[1]!;
  const key = argv[2]!;
  const v = lookupWrite(c, key);
  if (v === undefined) throw new ReplyError("ERR The specified key does not exist");
  const raw = hllForWrite(c, key, v);
  switch (sub.toLowerCase()) {
    case "getreg": {
      if (raw.bytes[4] === HLL_SPARSE) {
        if (!sparseToDense(raw)) throw new ReplyError(CORRUPT);
        c.server.keyspace.markWritten(); // an encoding change is propagated
      }
      const b = raw.bytes;
      c.w.array(HLL_REGISTERS);
      for (let i = 0; i < HLL_REGISTERS; i++) c.w.int(denseGet(b, i));
      return;
    }
    case "decode":
      if (raw.bytes[4] !== HLL_SPARSE) throw new ReplyError("ERR HLL encoding is not sparse");
      c.w.bulk(decodeSparse(raw.bytes, raw.length));
      return;
    case "encoding":
      c.w.simple(raw.bytes[4] === HLL_DENSE ? "dense" : "sparse");
      return;
    case "todense": {
      let converted = 0;
      if (raw.bytes[4] === HLL_SPARSE) {
        if (!sparseToDense(raw)) throw new ReplyError(CORRUPT);
        converted = 1;
        c.server.keyspace.markWritten();
      }
      c.w.int(converted);
      return;
    }
    default:
      throw new ReplyError(`ERR Unknown PFDEBUG subcommand '${sub}'`);
  }
}

function pfselftestCommand(c: Client): void {
  const failure = selfTest(sparseMaxBytes(c));
  if (failure !== null) throw new ReplyError("ERR " + failure);
  c.w.ok();
}

/** Commands of the hyperloglog group. */
export const hyperLogLogCommands: CommandSpec[] = [
  {
    name: "pfadd",
    arity: -2,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "insert"],
    group: "hyperloglog",
    since: "2.8.9",
    summary: "Adds the specified elements to the specified HyperLogLog.",
    complexity: "O(1) to add every element.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "element", type: "string", optional: true, multiple: true },
    ],
    run: pfaddCommand,
  },
  {
    name: "pfcount",
    arity: -2,
    flags: ["readonly"],
    keys: { first: 1, last: -1, step: 1 },
    keySpecs: [{
      notes:
        "RW because it may change the internal representation of the key, and propagate to replicas",
      flags: ["RW", "access"],
      begin: { index: 1 },
      find: { lastKey: -1, keyStep: 1, limit: 0 },
    }],
    group: "hyperloglog",
    since: "2.8.9",
    summary:
      "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).",
    complexity:
      "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.",
    args: [{ name: "key", type: "key", keySpecIndex: 0, multiple: true }],
    run: pfcountCommand,
  },
  {
    name: "pfmerge",
    arity: -2,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: -1, step: 1 },
    keySpecs: [
      {
        flags: ["RW", "access", "insert"],
        begin: { index: 1 },
        find: { lastKey: 0, keyStep: 1, limit: 0 },
      },
      {
        flags: ["RO", "access"],
        begin: { index: 2 },
        find: { lastKey: -1, keyStep: 1, limit: 0 },
      },
    ],
    group: "hyperloglog",
    since: "2.8.9",
    summary: "Merge N different HyperLogLogs into a single one.",
    complexity: "O(N) to merge N HyperLogLogs, but with high constant times.",
    args: [
      { name: "destkey", type: "key", keySpecIndex: 0 },
      { name: "sourcekey", type: "key", keySpecIndex: 1, multiple: true },
    ],
    run: pfmergeCommand,
  },
  {
    name: "pfdebug",
    arity: 3,
    flags: ["write", "denyoom", "admin"],
    keys: { first: 2, last: 2, step: 1 },
    keyFlags: ["RW", "access"],
    group: "hyperloglog",
    since: "2.8.9",
    summary: "Internal commands for debugging HyperLogLog values",
    complexity: "N/A",
    docFlags: ["syscmd"],
    args: [
      { name: "subcommand", type: "string" },
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    run: pfdebugCommand,
  },
  {
    name: "pfselftest",
    arity: 1,
    flags: ["admin"],
    group: "hyperloglog",
    since: "2.8.9",
    summary: "An internal command for testing HyperLogLog values",
    complexity: "N/A",
    docFlags: ["syscmd"],
    run: pfselftestCommand,
  },
];
