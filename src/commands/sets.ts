/**
 * Set commands: membership, random picks, moves, the set algebra (SINTER/SUNION/SDIFF and
 * their STORE and CARD forms) and SSCAN. The encodings live in src/types/set.ts; results that
 * Redis builds as a fresh set (SUNION, SDIFF, the STORE forms, SPOP of the whole set) are
 * built here the same way, through {@link SetValue.add}, so they get the encoding and hence
 * the member order Redis would give them (ascending for a small all-integer result).
 *
 * @module
 */
import { parseInteger } from "../resp/numbers.ts";
import { globMatch } from "../store/glob.ts";
import type { Value } from "../store/value.ts";
import { SetValue } from "../types/set.ts";
import { asType, isToken, lookupWrite, readTyped, writeTyped, written } from "./args.ts";
import {
  checkRepeatCount,
  parseScanOptions,
  randomCountArg,
  replyEmptyScan,
  SCAN_ARGS,
  SCAN_COMPLEXITY,
  scanCursorArg,
} from "./collection_args.ts";
import type { Client } from "./context.ts";
import {
  type ArgSpec,
  type CommandSpec,
  Errors,
  FIRST_KEY as ONE_KEY,
  KEY_ARG as KEY,
  type KeySpec,
  ReplyError,
} from "./spec.ts";

/** The value as a set, or a WRONGTYPE error. */
function asSet(v: Value): SetValue {
  return asType(v, SetValue)!;
}

/** The set at `key` for reading (null when missing), or a WRONGTYPE error. */
function readSet(c: Client, key: string): SetValue | null {
  return readTyped(c, key, SetValue) ?? null;
}

/** The set at `key` for writing (null when missing), or a WRONGTYPE error. */
function writeSet(c: Client, key: string): SetValue | null {
  return writeTyped(c, key, SetValue) ?? null;
}

/** `set-max-intset-entries`, read per command so CONFIG SET applies at once. */
function maxIntset(c: Client): number {
  return c.server.config.getNumber("set-max-intset-entries");
}

/** Emits a keyspace event without another signal or dirty count. */
function notify(c: Client, cls: "g" | "s", event: string, key: string): void {
  c.server.keyspace.notify(cls, event, key, c.db.id);
}

/** Deletes the emptied set at `key` with its `del` event (after the command's own event). */
function deleteIfEmpty(c: Client, key: string, set: SetValue): boolean {
  if (set.size !== 0) return false;
  c.db.delete(key);
  notify(c, "g", "del", key);
  return true;
}

/** Replies with members as a RESP3 set (an array in RESP2). */
function replyMembers(c: Client, members: Iterable<string>, size: number): void {
  const w = c.w;
  w.set(size);
  for (const m of members) w.bulk(m);
}

/** Replies with members as an array. */
function replyArray(c: Client, members: readonly string[]): void {
  c.w.bulkArray(members);
}

// --- Random picks ---------------------------------------------------------------------

/** Parses SPOP's count: any non-negative 64-bit integer (beyond 2^53: Infinity). */
function popCountArg(s: string): number {
  const n = parseInteger(s);
  if (n === null || n < 0) throw new ReplyError("ERR value is out of range, must be positive");
  return typeof n === "number" ? n : Infinity;
}

/** Propagates SPOP's removals as SREMs, in batches as Redis does. */
function propagateRemovals(c: Client, key: string, members: readonly string[]): void {
  const batches: string[][] = [];
  for (let i = 0; i < members.length; i += 1024) {
    batches.push(["srem", key, ...members.slice(i, i + 1024)]);
  }
  c.propagateAs(...batches);
}

function spop(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (argv.length > 3) throw new ReplyError(Errors.syntax);
  if (argv.length === 3) {
    spopWithCount(c, key, popCountArg(argv[2]!));
    return;
  }
  const set = writeSet(c, key);
  if (set === null) {
    c.w.nullBulk();
    return;
  }
  const m = set.pop();
  written(c, key, "spop", "s");
  deleteIfEmpty(c, key, set);
  c.propagateAs(["srem", key, m]);
  c.w.bulk(m);
}

function spopWithCount(c: Client, key: string, count: number): void {
  const set = writeSet(c, key);
  if (set === null || count === 0) {
    c.w.set(0);
    return;
  }
  const size = set.size;
  if (count >= size) {
    // The whole set goes: Redis replies as SUNION of the one set would (a fresh set, so a
    // small all-integer one comes out sorted) and propagates a DEL.
    const all = unionOf([set], maxIntset(c));
    written(c, key, "spop", "s", size);
    c.db.delete(key);
    notify(c, "g", "del", key);
    c.propagateAs(["del", key]);
    replyMembers(c, all.members(), all.size);
    return;
  }
  const popped = set.popMany(count);
  written(c, key, "spop", "s", count);
  propagateRemovals(c, key, popped);
  replyMembers(c, popped, popped.length);
}

function srandmember(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (argv.length > 3) throw new ReplyError(Errors.syntax);
  if (argv.length === 2) {
    const set = readSet(c, key);
    if (set === null) c.w.nullBulk();
    else c.w.bulk(set.random());
    return;
  }
  const count = randomCountArg(argv[2]!);
  const set = readSet(c, key);
  if (set === null || count === 0) {
    c.w.array(0);
    return;
  }
  const w = c.w;
  if (count < 0) {
    // Repeats allowed: independent uniform picks.
    const n = -count;
    checkRepeatCount(n);
    w.array(n);
    for (let i = 0; i < n; i++) w.bulk(set.random());
    return;
  }
  if (count >= set.size) {
    const all = unionOf([set], maxIntset(c));
    w.array(all.size);
    for (const m of all.members()) w.bulk(m);
    return;
  }
  replyArray(c, set.sample(count));
}

// --- Set algebra ----------------------------------------------------------------------

/**
 * The sets at `keys`, type-checked all before any result is computed (a WRONGTYPE anywhere
 * wins over an empty result); missing keys are null. STORE forms look their sources up for
 * writing, as Redis does (no hit/miss statistics).
 */
function sourceSets(c: Client, keys: readonly string[], forWrite: boolean): (SetValue | null)[] {
  return keys.map((k) => (forWrite ? writeSet(c, k) : readSet(c, k)));
}

/** A fresh set holding the union, built member by member like Redis's result set. */
function unionOf(sets: readonly (SetValue | null)[], max: number): SetValue {
  const out = new SetValue();
  for (const s of sets) if (s !== null) { for (const m of s.members()) out.add(m, max); }
  return out;
}

/** A fresh set holding the first set minus all others. */
function diffOf(sets: readonly (SetValue | null)[], max: number): SetValue {
  const out = new SetValue();
  const first = sets[0];
  if (first === null || first === undefined || first.size === 0) return out;
  const others = sets.slice(1).filter((s): s is SetValue => s !== null && s.size !== 0);
  // Redis's two strategies: test each member of the first set against the others, or copy
  // the first set and remove everything in the others, whichever touches fewer members.
  const perMember = first.size * others.length;
  let total = first.size;
  for (const s of others) total += s.size;
  if (perMember <= total) {
    outer: for (const m of first.members()) {
      for (const s of others) if (s.has(m)) continue outer;
      out.add(m, max);
    }
  } else {
    for (const m of first.members()) out.add(m, max);
    for (const s of others) {
      if (s === first) return new SetValue();
      for (const m of s.members()) out.delete(m);
      if (out.size === 0) break;
    }
  }
  return out;
}

/**
 * Visits the intersection in the iteration order of the smallest set (as Redis streams it),
 * stopping once `visit` returns false. Nothing is visited when a set is missing.
 */
function forEachInIntersection(
  sets: readonly (SetValue | null)[],
  visit: (m: string) => boolean | void,
): void {
  if (sets.some((s) => s === null || s.size === 0)) return;
  const sorted = (sets as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const smallest = sorted[0]!;
  const rest = sorted.slice(1).filter((s) => s !== smallest);
  outer: for (const m of smallest.members()) {
    for (const s of rest) if (!s.has(m)) continue outer;
    if (visit(m) === false) return;
  }
}

function sinter(c: Client, argv: string[]): void {
  const sets = sourceSets(c, argv.slice(1), false);
  const found: string[] = [];
  forEachInIntersection(sets, (m) => {
    found.push(m);
  });
  replyMembers(c, found, found.length);
}

/** Stores `result` at `dst` (or deletes `dst` when it is empty) and replies its size. */
function storeResult(c: Client, dst: string, result: SetValue, event: string): void {
  const db = c.db;
  if (result.size === 0) {
    if (db.delete(dst)) written(c, dst, "del", "g");
    c.w.int(0);
    return;
  }
  db.set(dst, result);
  written(c, dst, event, "s");
  c.w.int(result.size);
}

function sinterstore(c: Client, argv: string[]): void {
  const dst = argv[1]!;
  const sets = sourceSets(c, argv.slice(2), true);
  const max = maxIntset(c);
  const out = new SetValue();
  forEachInIntersection(sets, (m) => {
    out.add(m, max);
  });
  storeResult(c, dst, out, "sinterstore");
}

function sunionDiff(c: Client, argv: string[], store: boolean, diff: boolean): void {
  const keys = argv.slice(store ? 2 : 1);
  const sets = sourceSets(c, keys, store);
  const max = maxIntset(c);
  const out = diff ? diffOf(sets, max) : unionOf(sets, max);
  if (store) storeResult(c, argv[1]!, out, diff ? "sdiffstore" : "sunionstore");
  else replyMembers(c, out.members(), out.size);
}

/** Parses SINTERCARD's `numkeys`, checking it against the arguments. */
function sintercardKeyCount(argv: string[]): number {
  const n = parseInteger(argv[1]!);
  if (n === null || n <= 0) throw new ReplyError("ERR numkeys should be greater than 0");
  if (n > argv.length - 2) {
    throw new ReplyError("ERR Number of keys can't be greater than number of args");
  }
  return Number(n);
}

function sintercard(c: Client, argv: string[]): void {
  const numkeys = sintercardKeyCount(argv);
  let limit = 0;
  for (let i = 2 + numkeys; i < argv.length; i++) {
    if (isToken(argv[i]!, "limit") && i + 1 < argv.length) {
      const n = parseInteger(argv[++i]!);
      if (n === null || n < 0) throw new ReplyError("ERR LIMIT can't be negative");
      limit = typeof n === "number" ? n : Infinity;
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  const sets = sourceSets(c, argv.slice(2, 2 + numkeys), false);
  let n = 0;
  forEachInIntersection(sets, () => ++n !== limit);
  c.w.int(n);
}

// --- SSCAN ----------------------------------------------------------------------------

function sscan(c: Client, argv: string[]): void {
  const cursor = scanCursorArg(argv[2]!);
  const set = readSet(c, argv[1]!);
  if (set === null) {
    replyEmptyScan(c);
    return;
  }
  const { count, pattern } = parseScanOptions(argv, 3);
  const found: string[] = [];
  const next = set.scan(cursor, count, (m) => {
    if (pattern === null || globMatch(pattern, m)) found.push(m);
  });
  const w = c.w;
  w.array(2);
  w.bulk(String(next));
  w.bulkArray(found);
}

// --- Argument docs --------------------------------------------------------------------

const KEYS: ArgSpec = { name: "key", type: "key", keySpecIndex: 0, multiple: true };
const MEMBER: ArgSpec = { name: "member", type: "string" };
const MEMBERS: ArgSpec = { name: "member", type: "string", multiple: true };
const ALL_KEYS = { first: 1, last: -1, step: 1 };
const ALGEBRA_COMPLEXITY = "O(N) where N is the total number of elements in all given sets.";
const INTER_COMPLEXITY =
  "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";

/** Key specs of the STORE forms: the destination (with `dstFlags`), then the sources. */
function storeKeySpecs(dstFlags: KeySpec["flags"]): KeySpec[] {
  return [
    { flags: dstFlags, begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    { flags: ["RO", "access"], begin: { index: 2 }, find: { lastKey: -1, keyStep: 1, limit: 0 } },
  ];
}

const STORE_ARGS: ArgSpec[] = [
  { name: "destination", type: "key", keySpecIndex: 0 },
  { name: "key", type: "key", keySpecIndex: 1, multiple: true },
];

// --- Commands -------------------------------------------------------------------------

/** Set commands. */
export const setCommands: CommandSpec[] = [
  {
    name: "sadd",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "insert"],
    group: "set",
    since: "1.0.0",
    summary: "Add one or more members to a set",
    complexity:
      "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    history: [["2.4.0", "Accepts multiple `member` arguments."]],
    args: [KEY, MEMBERS],
    run(c, argv) {
      const key = argv[1]!;
      let set = writeSet(c, key);
      if (set === null) {
        set = new SetValue();
        c.db.set(key, set);
      }
      const max = maxIntset(c);
      let added = 0;
      for (let i = 2; i < argv.length; i++) if (set.add(argv[i]!, max)) added++;
      if (added > 0) written(c, key, "sadd", "s", added);
      c.w.int(added);
    },
  },
  {
    name: "srem",
    arity: -3,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "delete"],
    group: "set",
    since: "1.0.0",
    summary: "Remove one or more members from a set",
    complexity: "O(N) where N is the number of members to be removed.",
    history: [["2.4.0", "Accepts multiple `member` arguments."]],
    args: [KEY, MEMBERS],
    run(c, argv) {
      const key = argv[1]!;
      const set = writeSet(c, key);
      let removed = 0;
      if (set !== null) {
        for (let i = 2; i < argv.length; i++) {
          if (!set.delete(argv[i]!)) continue;
          removed++;
          if (set.size === 0) break;
        }
        if (removed > 0) {
          written(c, key, "srem", "s", removed);
          deleteIfEmpty(c, key, set);
        }
      }
      c.w.int(removed);
    },
  },
  {
    name: "smembers",
    arity: 2,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    tips: ["nondeterministic_output_order"],
    group: "set",
    since: "1.0.0",
    summary: "Get all the members in a set",
    complexity: "O(N) where N is the set cardinality.",
    args: [KEY],
    run(c, argv) {
      const set = readSet(c, argv[1]!);
      if (set === null) c.w.set(0);
      else replyMembers(c, set.members(), set.size);
    },
  },
  {
    name: "sismember",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RO"],
    group: "set",
    since: "1.0.0",
    summary: "Determine if a given value is a member of a set",
    complexity: "O(1)",
    args: [KEY, MEMBER],
    run(c, argv) {
      const set = readSet(c, argv[1]!);
      c.w.int(set !== null && set.has(argv[2]!) ? 1 : 0);
    },
  },
  {
    name: "smismember",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    group: "set",
    since: "6.2.0",
    summary: "Returns the membership associated with the given elements for a set",
    complexity: "O(N) where N is the number of elements being checked for membership",
    args: [KEY, MEMBERS],
    run(c, argv) {
      const set = readSet(c, argv[1]!);
      const w = c.w;
      w.array(argv.length - 2);
      for (let i = 2; i < argv.length; i++) w.int(set !== null && set.has(argv[i]!) ? 1 : 0);
    },
  },
  {
    name: "scard",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RO"],
    group: "set",
    since: "1.0.0",
    summary: "Get the number of members in a set",
    complexity: "O(1)",
    args: [KEY],
    run(c, argv) {
      const set = readSet(c, argv[1]!);
      c.w.int(set === null ? 0 : set.size);
    },
  },
  {
    name: "spop",
    arity: -2,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "access", "delete"],
    tips: ["nondeterministic_output"],
    group: "set",
    since: "1.0.0",
    summary: "Remove and return one or multiple random members from a set",
    complexity:
      "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
    history: [["3.2.0", "Added the `count` argument."]],
    args: [KEY, { name: "count", type: "integer", since: "3.2.0", optional: true }],
    run: spop,
  },
  {
    name: "srandmember",
    arity: -2,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    tips: ["nondeterministic_output"],
    group: "set",
    since: "1.0.0",
    summary: "Get one or multiple random members from a set",
    complexity:
      "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
    history: [["2.6.0", "Added the optional `count` argument."]],
    args: [KEY, { name: "count", type: "integer", since: "2.6.0", optional: true }],
    run: srandmember,
  },
  {
    name: "smove",
    arity: 4,
    flags: ["write", "fast"],
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: [
      {
        flags: ["RW", "access", "delete"],
        begin: { index: 1 },
        find: { lastKey: 0, keyStep: 1, limit: 0 },
      },
      { flags: ["RW", "insert"], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    group: "set",
    since: "1.0.0",
    summary: "Move a member from one set to another",
    complexity: "O(1)",
    args: [
      { name: "source", type: "key", keySpecIndex: 0 },
      { name: "destination", type: "key", keySpecIndex: 1 },
      MEMBER,
    ],
    run(c, argv) {
      const srcKey = argv[1]!;
      const dstKey = argv[2]!;
      const member = argv[3]!;
      const srcValue = lookupWrite(c, srcKey);
      const dstValue = lookupWrite(c, dstKey);
      // A missing source answers 0 before the destination's type is looked at, as in Redis.
      if (srcValue === undefined) {
        c.w.int(0);
        return;
      }
      const src = asSet(srcValue);
      let dst = dstValue === undefined ? null : asSet(dstValue);
      if (src === dst) {
        c.w.int(src.has(member) ? 1 : 0);
        return;
      }
      if (!src.delete(member)) {
        c.w.int(0);
        return;
      }
      written(c, srcKey, "srem", "s");
      deleteIfEmpty(c, srcKey, src);
      if (dst === null) {
        dst = new SetValue();
        c.db.set(dstKey, dst);
      }
      // Only a real addition touches the destination (WATCH on it stays valid otherwise).
      if (dst.add(member, maxIntset(c))) written(c, dstKey, "sadd", "s");
      c.w.int(1);
    },
  },
  {
    name: "sinter",
    arity: -2,
    flags: ["readonly"],
    keys: ALL_KEYS,
    keyFlags: ["RO", "access"],
    tips: ["nondeterministic_output_order"],
    group: "set",
    since: "1.0.0",
    summary: "Intersect multiple sets",
    complexity: INTER_COMPLEXITY,
    args: [KEYS],
    run: sinter,
  },
  {
    name: "sintercard",
    arity: -3,
    flags: ["readonly"],
    keySpecs: [{
      flags: ["RO", "access"],
      begin: { index: 1 },
      find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
    }],
    getKeys(argv) {
      const n = parseInteger(argv[1] ?? "");
      if (n === null || n <= 0 || n > argv.length - 2) return [];
      return Array.from({ length: Number(n) }, (_, i) => i + 2);
    },
    group: "set",
    since: "7.0.0",
    summary: "Intersect multiple sets and return the cardinality of the result",
    complexity: INTER_COMPLEXITY,
    args: [
      { name: "numkeys", type: "integer" },
      KEYS,
      { name: "limit", type: "integer", token: "LIMIT", optional: true },
    ],
    run: sintercard,
  },
  {
    name: "sinterstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: ALL_KEYS,
    keySpecs: storeKeySpecs(["RW", "update"]),
    group: "set",
    since: "1.0.0",
    summary: "Intersect multiple sets and store the resulting set in a key",
    complexity: INTER_COMPLEXITY,
    args: STORE_ARGS,
    run: sinterstore,
  },
  {
    name: "sunion",
    arity: -2,
    flags: ["readonly"],
    keys: ALL_KEYS,
    keyFlags: ["RO", "access"],
    tips: ["nondeterministic_output_order"],
    group: "set",
    since: "1.0.0",
    summary: "Add multiple sets",
    complexity: ALGEBRA_COMPLEXITY,
    args: [KEYS],
    run(c, argv) {
      sunionDiff(c, argv, false, false);
    },
  },
  {
    name: "sunionstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: ALL_KEYS,
    keySpecs: storeKeySpecs(["OW", "update"]),
    group: "set",
    since: "1.0.0",
    summary: "Add multiple sets and store the resulting set in a key",
    complexity: ALGEBRA_COMPLEXITY,
    args: STORE_ARGS,
    run(c, argv) {
      sunionDiff(c, argv, true, false);
    },
  },
  {
    name: "sdiff",
    arity: -2,
    flags: ["readonly"],
    keys: ALL_KEYS,
    keyFlags: ["RO", "access"],
    tips: ["nondeterministic_output_order"],
    group: "set",
    since: "1.0.0",
    summary: "Subtract multiple sets",
    complexity: ALGEBRA_COMPLEXITY,
    args: [KEYS],
    run(c, argv) {
      sunionDiff(c, argv, false, true);
    },
  },
  {
    name: "sdiffstore",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: ALL_KEYS,
    keySpecs: storeKeySpecs(["OW", "update"]),
    group: "set",
    since: "1.0.0",
    summary: "Subtract multiple sets and store the resulting set in a key",
    complexity: ALGEBRA_COMPLEXITY,
    args: STORE_ARGS,
    run(c, argv) {
      sunionDiff(c, argv, true, true);
    },
  },
  {
    name: "sscan",
    arity: -3,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    tips: ["nondeterministic_output"],
    group: "set",
    since: "2.8.0",
    summary: "Incrementally iterate Set elements",
    complexity: SCAN_COMPLEXITY,
    args: SCAN_ARGS,
    run: sscan,
  },
];
