/**
 * Generic key-space commands: DEL, UNLINK, EXISTS, TYPE, TOUCH, KEYS, SCAN, RANDOMKEY,
 * RENAME(NX), COPY, MOVE, OBJECT, and expiry: (P)EXPIRE(AT), (P)TTL, (P)EXPIRETIME, PERSIST.
 *
 * @module
 */
import { globMatch } from "../store/glob.ts";
import type { Db } from "../store/keyspace.ts";
import { encodingOf, isIntEncodable, typeOf, type Value } from "../store/value.ts";
import { INT64_MAX, INT64_MIN, parseInteger } from "../resp/numbers.ts";
import { int64Arg, isToken, lookupRead, lookupWrite, writeHelp, written } from "./args.ts";
import type { Client } from "./context.ts";
import {
  type ArgSpec,
  type CommandSpec,
  Errors,
  KEY_ARG as KEY,
  type KeySpec,
  ReplyError,
} from "./spec.ts";

/** Keys returned per SCAN call when COUNT is not given. */
const SCAN_DEFAULT_COUNT = 10;

/** OBJECT REFCOUNT of Redis's shared integer objects (`OBJ_SHARED_REFCOUNT`). */
const SHARED_REFCOUNT = 2147483647;
/** Redis shares the integer objects 0..9999 (`OBJ_SHARED_INTEGERS`). */
const SHARED_INTEGERS = 10000;

const SAME_OBJECT = "ERR source and destination objects are the same";

// ---------------------------------------------------------------------------------------
// DEL, UNLINK, EXISTS, TYPE, TOUCH

function delCommand(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i]!;
    if (db.delete(key)) {
      written(c, key, "del");
      n++;
    }
  }
  c.w.int(n);
}

function existsCommand(c: Client, argv: string[]): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) {
    if (lookupRead(c, argv[i]!, false) !== undefined) n++;
  }
  c.w.int(n);
}

function touchCommand(c: Client, argv: string[]): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) {
    if (lookupRead(c, argv[i]!) !== undefined) n++;
  }
  c.w.int(n);
}

function typeCommand(c: Client, argv: string[]): void {
  const v = lookupRead(c, argv[1]!, false);
  c.w.simple(v === undefined ? "none" : typeOf(v));
}

// ---------------------------------------------------------------------------------------
// KEYS, SCAN, RANDOMKEY

function keysCommand(c: Client, argv: string[]): void {
  const pattern = argv[1]!;
  const all = pattern === "*";
  const db = c.db;
  const expires = db.expires;
  const now = c.server.keyspace.now;
  const out: string[] = [];
  for (const key of db.data.keys()) {
    if (!all && !globMatch(pattern, key)) continue;
    // Like Redis, logically expired keys are skipped but not deleted here.
    if (expires.size !== 0) {
      const when = expires.get(key);
      if (when !== undefined && when <= now) continue;
    }
    out.push(key);
  }
  c.w.bulkArray(out);
}

const UINT64_MAX = 18446744073709551615n;

/**
 * Parses a SCAN cursor like Redis (`strtoul`, no leading space): an optional sign, digits,
 * within 64 bits; a negative cursor wraps around as in C. The empty string is cursor 0.
 */
export function parseScanCursor(s: string): bigint {
  if (!/^([+-]?[0-9]+)?$/.test(s)) throw new ReplyError("ERR invalid cursor");
  if (s === "") return 0n;
  const neg = s[0] === "-";
  const mag = BigInt(neg || s[0] === "+" ? s.slice(1) : s);
  if (mag > UINT64_MAX) throw new ReplyError("ERR invalid cursor");
  return neg && mag !== 0n ? UINT64_MAX + 1n - mag : mag;
}

function scanCommand(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[1]!);
  let count = SCAN_DEFAULT_COUNT;
  let pattern: string | null = null;
  let type: string | null = null;
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const more = i + 1 < argv.length;
    if (more && isToken(opt, "count")) {
      const n = int64Arg(argv[i + 1]!);
      if (n < 1) throw new ReplyError(Errors.syntax);
      // Counts beyond 2^53 mean "everything" just as well.
      count = typeof n === "number" ? n : Number.MAX_SAFE_INTEGER;
    } else if (more && isToken(opt, "match")) {
      pattern = argv[i + 1]!;
      if (pattern === "*") pattern = null;
    } else if (more && isToken(opt, "type")) {
      type = argv[i + 1]!.toLowerCase();
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  const db = c.db;
  const found: string[] = [];
  // Cursors above 2^53 can't be handles this server gave out: they end the iteration.
  const next = cursor > BigInt(Number.MAX_SAFE_INTEGER)
    ? 0
    : db.scan(Number(cursor), count, (key) => found.push(key));
  const out: string[] = [];
  for (const key of found) {
    if (pattern !== null && !globMatch(pattern, key)) continue;
    const v = db.get(key); // deletes the key if it expired, as Redis's SCAN does
    if (v === undefined) continue;
    if (type !== null && typeOf(v) !== type) continue;
    out.push(key);
  }
  const w = c.w;
  w.array(2);
  w.bulk(String(next));
  w.bulkArray(out);
}

function randomKeyCommand(c: Client): void {
  const key = c.db.randomKey();
  if (key === null) c.w.nullBulk();
  else c.w.bulk(key);
}

// ---------------------------------------------------------------------------------------
// RENAME, RENAMENX, COPY, MOVE

function renameGeneric(c: Client, argv: string[], nx: boolean): void {
  const src = argv[1]!;
  const dst = argv[2]!;
  const db = c.db;
  const value = lookupWrite(c, src);
  if (value === undefined) throw new ReplyError(Errors.noSuchKey);
  if (src === dst) {
    if (nx) c.w.int(0);
    else c.w.ok();
    return;
  }
  const expire = db.getExpire(src);
  if (lookupWrite(c, dst) !== undefined) {
    if (nx) {
      c.w.int(0);
      return;
    }
    db.delete(dst);
  }
  // The value object moves, so its access clock goes with it.
  const access = db.access.get(src);
  db.set(dst, value);
  if (expire !== -1) db.setExpire(dst, expire);
  db.delete(src);
  if (access !== undefined) db.access.set(dst, access);
  written(c, src, "rename_from", "g", 0);
  written(c, dst, "rename_to");
  if (nx) c.w.int(1);
  else c.w.ok();
}

/**
 * Parses a database index argument like Redis's `getIntFromObjectOrReply` and checks it
 * names an existing database.
 */
function dbArg(c: Client, s: string): Db {
  const n = dbIndexArg(s);
  const db = c.server.keyspace.dbs[n];
  if (db === undefined) throw new ReplyError(Errors.dbIndex);
  return db;
}

function dbIndexArg(s: string): number {
  const v = parseInteger(s);
  if (v === null) throw new ReplyError(Errors.notInteger);
  if (typeof v !== "number" || v < -2147483648 || v > 2147483647) {
    throw new ReplyError(
      "ERR value is out of range, value must between -2147483648 and 2147483647",
    );
  }
  return v;
}

/** A copy of `v` that shares nothing mutable with it. */
function cloneValue(v: Value): Value {
  // JS strings are immutable: sharing them is a copy.
  return typeof v === "string" ? v : v.clone();
}

function copyCommand(c: Client, argv: string[]): void {
  const src = argv[1]!;
  const dst = argv[2]!;
  let replace = false;
  const srcDb = c.db;
  let dstDb = srcDb;
  for (let i = 3; i < argv.length; i++) {
    const opt = argv[i]!;
    if (isToken(opt, "replace")) replace = true;
    // The index is range-checked as soon as it is read, before later options.
    else if (isToken(opt, "db") && i + 1 < argv.length) dstDb = dbArg(c, argv[++i]!);
    else throw new ReplyError(Errors.syntax);
  }
  if (srcDb === dstDb && src === dst) throw new ReplyError(SAME_OBJECT);
  const value = lookupRead(c, src);
  if (value === undefined) {
    c.w.int(0);
    return;
  }
  const exists = dstDb.get(dst) !== undefined;
  if (exists && !replace) {
    c.w.int(0);
    return;
  }
  const copy = cloneValue(value);
  const expire = srcDb.getExpire(src);
  if (exists) dstDb.delete(dst);
  dstDb.set(dst, copy);
  if (expire !== -1) dstDb.setExpire(dst, expire);
  c.server.keyspace.written(dstDb, dst, "copy_to");
  c.w.int(1);
}

function moveCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const dstDb = dbArg(c, argv[2]!);
  const srcDb = c.db;
  if (dstDb === srcDb) throw new ReplyError(SAME_OBJECT);
  const value = lookupWrite(c, key);
  if (value === undefined || dstDb.get(key) !== undefined) {
    c.w.int(0);
    return;
  }
  const expire = srcDb.getExpire(key);
  const access = srcDb.access.get(key);
  dstDb.set(key, value);
  if (expire !== -1) dstDb.setExpire(key, expire);
  if (access !== undefined) dstDb.access.set(key, access);
  srcDb.delete(key);
  const ks = c.server.keyspace;
  ks.written(srcDb, key, "move_from", "g", 0);
  ks.written(dstDb, key, "move_to");
  c.w.int(1);
}

// ---------------------------------------------------------------------------------------
// Expiry

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** Parses the NX/XX/GT/LT flags of the EXPIRE family (all of them before any check). */
function parseExpireFlags(argv: string[]): number {
  let flags = 0;
  for (let i = 3; i < argv.length; i++) {
    const opt = argv[i]!;
    if (isToken(opt, "nx")) flags |= EXPIRE_NX;
    else if (isToken(opt, "xx")) flags |= EXPIRE_XX;
    else if (isToken(opt, "gt")) flags |= EXPIRE_GT;
    else if (isToken(opt, "lt")) flags |= EXPIRE_LT;
    else throw new ReplyError(`ERR Unsupported option ${opt}`);
  }
  if ((flags & EXPIRE_NX) && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
    throw new ReplyError("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if ((flags & EXPIRE_GT) && (flags & EXPIRE_LT)) {
    throw new ReplyError("ERR GT and LT options at the same time are not compatible");
  }
  return flags;
}

/**
 * Converts an EXPIRE-family time argument to an absolute time in ms, with Redis's overflow
 * checks (64-bit signed arithmetic): seconds are multiplied by 1000, relative times get
 * `now` added.
 */
export function expireTimeArg(
  arg: string,
  seconds: boolean,
  relative: boolean,
  now: number,
  command: string,
): number {
  const v = int64Arg(arg);
  // Fast path: small values can't overflow and are exact as doubles.
  if (typeof v === "number" && v < 1e12 && v > -1e12) {
    return (seconds ? v * 1000 : v) + (relative ? now : 0);
  }
  const invalid = () => new ReplyError(`ERR invalid expire time in '${command}' command`);
  let when = BigInt(v);
  if (seconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) throw invalid();
    when *= 1000n;
  }
  if (relative) {
    const base = BigInt(now);
    if (when > INT64_MAX - base) throw invalid();
    when += base;
  }
  return Number(when);
}

function expireGeneric(
  c: Client,
  argv: string[],
  seconds: boolean,
  relative: boolean,
  command: string,
): void {
  const key = argv[1]!;
  const flags = parseExpireFlags(argv);
  const ks = c.server.keyspace;
  const now = ks.now;
  const when = expireTimeArg(argv[2]!, seconds, relative, now, command);
  const db = c.db;
  if (lookupWrite(c, key) === undefined) {
    c.w.int(0);
    return;
  }
  if (flags !== 0) {
    const current = db.getExpire(key);
    if ((flags & EXPIRE_NX) && current !== -1) return c.w.int(0);
    if ((flags & EXPIRE_XX) && current === -1) return c.w.int(0);
    // No TTL counts as an infinite one: GT never applies to it, LT always does.
    if ((flags & EXPIRE_GT) && (current === -1 || when <= current)) return c.w.int(0);
    if ((flags & EXPIRE_LT) && current !== -1 && when >= current) return c.w.int(0);
  }
  if (when <= now && !c.ks.loading) {
    // A time in the past deletes the key (propagated as DEL), and still counts as set.
    db.delete(key);
    written(c, key, "del");
    c.propagateAs(["DEL", key]);
  } else {
    db.setExpire(key, when);
    written(c, key, "expire");
    // Replicas and the AOF get an absolute time in ms.
    if (!isToken(argv[0]!, "pexpireat")) c.propagateAs(["PEXPIREAT", key, String(when)]);
  }
  c.w.int(1);
}

function ttlGeneric(c: Client, argv: string[], ms: boolean, absolute: boolean): void {
  const key = argv[1]!;
  if (lookupRead(c, key, false) === undefined) {
    c.w.int(-2);
    return;
  }
  const when = c.db.getExpire(key);
  if (when === -1) {
    c.w.int(-1);
    return;
  }
  if (absolute) {
    // Redis rounds EXPIRETIME to the nearest second, like TTL.
    c.w.int(ms ? when : Math.floor((when + 500) / 1000));
    return;
  }
  const ttl = Math.max(0, when - c.server.keyspace.now);
  c.w.int(ms ? ttl : Math.floor((ttl + 500) / 1000));
}

function persistCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (lookupWrite(c, key) !== undefined && c.db.persist(key)) {
    written(c, key, "persist");
    c.w.int(1);
  } else {
    c.w.int(0);
  }
}

// ---------------------------------------------------------------------------------------
// OBJECT

const LFU_NOTE =
  "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

const OBJECT_HELP = [
  "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
  "HELP",
  "    Prints this help.",
];

/** Whether Redis would hold string `v` as one of its shared integer objects. */
function isSharedInteger(c: Client, v: Value): boolean {
  if (typeof v !== "string" || v.length > 4 || !isIntEncodable(v) || v[0] === "-") return false;
  if (Number(v) >= SHARED_INTEGERS) return false;
  // With maxmemory and an LRU/LFU policy every object needs its own access clock.
  const config = c.server.config;
  if (config.getNumber("maxmemory") === 0) return true;
  const policy = config.getString("maxmemory-policy");
  return !policy.endsWith("-lru") && !policy.endsWith("-lfu");
}

/** Runs `f` on the key's value (OBJECT never counts as an access), or replies null. */
function objectLookup(c: Client, argv: string[], f: (v: Value, key: string) => void): void {
  const key = argv[2]!;
  const v = lookupRead(c, key, false);
  if (v === undefined) c.w.nullBulk();
  else f(v, key);
}

// ---------------------------------------------------------------------------------------
// Declarations

const KEYS_MULTI: ArgSpec[] = [{ name: "key", type: "key", keySpecIndex: 0, multiple: true }];
const MULTI_KEY_TIPS = ["request_policy:multi_shard", "response_policy:agg_sum"];
const EXPIRE_HISTORY: [string, string][] = [["7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."]];
const EXPIRE_CONDITION: ArgSpec = {
  name: "condition",
  type: "oneof",
  since: "7.0.0",
  optional: true,
  args: [
    { name: "nx", type: "pure-token", token: "NX" },
    { name: "xx", type: "pure-token", token: "XX" },
    { name: "gt", type: "pure-token", token: "GT" },
    { name: "lt", type: "pure-token", token: "LT" },
  ],
};

/** Two single-key specs at argv 1 and 2 (RENAME, RENAMENX, COPY). */
function twoKeySpecs(first: KeySpec["flags"], second: KeySpec["flags"]): KeySpec[] {
  return [
    { flags: first, begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    { flags: second, begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
  ];
}

function expireSpec(
  name: string,
  since: string,
  summary: string,
  timeArg: ArgSpec,
  seconds: boolean,
  relative: boolean,
): CommandSpec {
  return {
    name,
    arity: -3,
    flags: ["write", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "update"],
    group: "generic",
    since,
    summary,
    complexity: "O(1)",
    history: EXPIRE_HISTORY,
    args: [KEY, timeArg, EXPIRE_CONDITION],
    run: (c, argv) => expireGeneric(c, argv, seconds, relative, name),
  };
}

function ttlSpec(
  name: string,
  since: string,
  summary: string,
  ms: boolean,
  absolute: boolean,
  extra: Partial<CommandSpec> = {},
): CommandSpec {
  return {
    name,
    arity: 2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "generic",
    since,
    summary,
    complexity: "O(1)",
    args: [KEY],
    ...extra,
    run: (c, argv) => ttlGeneric(c, argv, ms, absolute),
  };
}

function objectSub(
  name: string,
  summary: string,
  since: string,
  run: (c: Client, argv: string[]) => void,
): CommandSpec {
  return {
    name,
    arity: 3,
    flags: ["readonly"],
    keys: { first: 2, last: 2, step: 1 },
    keyFlags: ["RO"],
    group: "generic",
    since,
    summary,
    complexity: "O(1)",
    tips: ["nondeterministic_output"],
    args: [KEY],
    run,
  };
}

/** Commands of the generic (key-space) group. */
export const keyCommands: CommandSpec[] = [
  {
    name: "del",
    arity: -2,
    flags: ["write"],
    keys: { first: 1, last: -1, step: 1 },
    keyFlags: ["RM", "delete"],
    group: "generic",
    since: "1.0.0",
    summary: "Delete a key",
    complexity:
      "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
    tips: MULTI_KEY_TIPS,
    args: KEYS_MULTI,
    run: delCommand,
  },
  {
    name: "unlink",
    arity: -2,
    flags: ["write", "fast"],
    keys: { first: 1, last: -1, step: 1 },
    keyFlags: ["RM", "delete"],
    group: "generic",
    since: "4.0.0",
    summary:
      "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
    complexity:
      "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
    tips: MULTI_KEY_TIPS,
    args: KEYS_MULTI,
    // Values are reclaimed by the garbage collector, so UNLINK is DEL.
    run: delCommand,
  },
  {
    name: "exists",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: -1, step: 1 },
    keyFlags: ["RO"],
    group: "generic",
    since: "1.0.0",
    summary: "Determine if a key exists",
    complexity: "O(N) where N is the number of keys to check.",
    history: [["3.0.3", "Accepts multiple `key` arguments."]],
    tips: MULTI_KEY_TIPS,
    args: KEYS_MULTI,
    run: existsCommand,
  },
  {
    name: "type",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO"],
    group: "generic",
    since: "1.0.0",
    summary: "Determine the type stored at key",
    complexity: "O(1)",
    args: [KEY],
    run: typeCommand,
  },
  {
    name: "touch",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: -1, step: 1 },
    keyFlags: ["RO"],
    group: "generic",
    since: "3.2.1",
    summary:
      "Alters the last access time of a key(s). Returns the number of existing keys specified.",
    complexity: "O(N) where N is the number of keys that will be touched.",
    tips: MULTI_KEY_TIPS,
    args: KEYS_MULTI,
    run: touchCommand,
  },
  {
    name: "keys",
    arity: 2,
    flags: ["readonly"],
    acl: ["dangerous"],
    group: "generic",
    since: "1.0.0",
    summary: "Find all keys matching the given pattern",
    complexity:
      "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
    tips: ["request_policy:all_shards", "nondeterministic_output_order"],
    args: [{ name: "pattern", type: "pattern" }],
    run: keysCommand,
  },
  {
    name: "scan",
    arity: -2,
    flags: ["readonly"],
    group: "generic",
    since: "2.8.0",
    summary: "Incrementally iterate the keys space",
    complexity:
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
    history: [["6.0.0", "Added the `TYPE` subcommand."]],
    tips: ["nondeterministic_output", "request_policy:special"],
    args: [
      { name: "cursor", type: "integer" },
      { name: "pattern", type: "pattern", token: "MATCH", optional: true },
      { name: "count", type: "integer", token: "COUNT", optional: true },
      { name: "type", type: "string", token: "TYPE", since: "6.0.0", optional: true },
    ],
    run: scanCommand,
  },
  {
    name: "randomkey",
    arity: 1,
    flags: ["readonly"],
    group: "generic",
    since: "1.0.0",
    summary: "Return a random key from the keyspace",
    complexity: "O(1)",
    tips: ["request_policy:all_shards", "nondeterministic_output"],
    run: randomKeyCommand,
  },
  {
    name: "rename",
    arity: 3,
    flags: ["write"],
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: twoKeySpecs(["RW", "access", "delete"], ["OW", "update"]),
    group: "generic",
    since: "1.0.0",
    summary: "Rename a key",
    complexity: "O(1)",
    args: [KEY, { name: "newkey", type: "key", keySpecIndex: 1 }],
    run: (c, argv) => renameGeneric(c, argv, false),
  },
  {
    name: "renamenx",
    arity: 3,
    flags: ["write", "fast"],
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: twoKeySpecs(["RW", "access", "delete"], ["OW", "insert"]),
    group: "generic",
    since: "1.0.0",
    summary: "Rename a key, only if the new key does not exist",
    complexity: "O(1)",
    history: [[
      "3.2.0",
      "The command no longer returns an error when source and destination names are the same.",
    ]],
    args: [KEY, { name: "newkey", type: "key", keySpecIndex: 1 }],
    run: (c, argv) => renameGeneric(c, argv, true),
  },
  {
    name: "copy",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: twoKeySpecs(["RO", "access"], ["OW", "update"]),
    group: "generic",
    since: "6.2.0",
    summary: "Copy a key",
    complexity:
      "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
    args: [
      { name: "source", type: "key", keySpecIndex: 0 },
      { name: "destination", type: "key", keySpecIndex: 1 },
      { name: "destination-db", type: "integer", token: "DB", optional: true },
      { name: "replace", type: "pure-token", token: "REPLACE", optional: true },
    ],
    run: copyCommand,
  },
  {
    name: "move",
    arity: 3,
    flags: ["write", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    group: "generic",
    since: "1.0.0",
    summary: "Move a key to another database",
    complexity: "O(1)",
    args: [KEY, { name: "db", type: "integer" }],
    run: moveCommand,
  },
  expireSpec(
    "expire",
    "1.0.0",
    "Set a key's time to live in seconds",
    { name: "seconds", type: "integer" },
    true,
    true,
  ),
  expireSpec(
    "pexpire",
    "2.6.0",
    "Set a key's time to live in milliseconds",
    { name: "milliseconds", type: "integer" },
    false,
    true,
  ),
  expireSpec(
    "expireat",
    "1.2.0",
    "Set the expiration for a key as a UNIX timestamp",
    { name: "unix-time-seconds", type: "unix-time" },
    true,
    false,
  ),
  expireSpec(
    "pexpireat",
    "2.6.0",
    "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
    { name: "unix-time-milliseconds", type: "unix-time" },
    false,
    false,
  ),
  ttlSpec("ttl", "1.0.0", "Get the time to live for a key in seconds", false, false, {
    history: [["2.8.0", "Added the -2 reply."]],
    tips: ["nondeterministic_output"],
  }),
  ttlSpec("pttl", "2.6.0", "Get the time to live for a key in milliseconds", true, false, {
    history: [["2.8.0", "Added the -2 reply."]],
    tips: ["nondeterministic_output"],
  }),
  ttlSpec("expiretime", "7.0.0", "Get the expiration Unix timestamp for a key", false, true),
  ttlSpec(
    "pexpiretime",
    "7.0.0",
    "Get the expiration Unix timestamp for a key in milliseconds",
    true,
    true,
  ),
  {
    name: "persist",
    arity: 2,
    flags: ["write", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "update"],
    group: "generic",
    since: "2.2.0",
    summary: "Remove the expiration from a key",
    complexity: "O(1)",
    args: [KEY],
    run: persistCommand,
  },
  {
    name: "object",
    arity: -2,
    flags: [],
    group: "generic",
    since: "2.2.3",
    summary: "A container for object introspection commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        group: "generic",
        since: "6.2.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        run(c) {
          writeHelp(c, OBJECT_HELP);
        },
      },
      objectSub(
        "freq",
        "Get the logarithmic access frequency counter of a Redis object",
        "4.0.0",
        (c, argv) =>
          objectLookup(c, argv, (_v, key) => {
            if (!c.server.keyspace.lfu) {
              throw new ReplyError(
                `ERR An LFU maxmemory policy is not selected, access frequency not tracked. ${LFU_NOTE}`,
              );
            }
            c.w.int(c.db.frequency(key));
          }),
      ),
      objectSub(
        "idletime",
        "Get the time since a Redis object was last accessed",
        "2.2.3",
        (c, argv) =>
          objectLookup(c, argv, (_v, key) => {
            if (c.server.keyspace.lfu) {
              throw new ReplyError(
                `ERR An LFU maxmemory policy is selected, idle time not tracked. ${LFU_NOTE}`,
              );
            }
            c.w.int(c.db.idleTime(key));
          }),
      ),
      objectSub(
        "encoding",
        "Inspect the internal encoding of a Redis object",
        "2.2.3",
        (c, argv) => objectLookup(c, argv, (v) => c.w.bulk(encodingOf(v))),
      ),
      objectSub(
        "refcount",
        "Get the number of references to the value of the key",
        "2.2.3",
        (c, argv) =>
          objectLookup(c, argv, (v) => c.w.int(isSharedInteger(c, v) ? SHARED_REFCOUNT : 1)),
      ),
    ],
  },
];
