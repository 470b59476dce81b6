/**
 * String commands: GET/SET and their variants, counters, ranges and LCS.
 *
 * A string value is either a JS binary string (what SET stores: compact, no wrapper) or a
 * {@link RawString} once APPEND/SETRANGE edit it in place. GET and SET are the benchmark hot
 * path: they allocate nothing but the reply and only parse options when there are some.
 *
 * @module
 */
import { writeBinary } from "../resp/bytes.ts";
import { INT64_MAX, INT64_MIN, parseInteger } from "../resp/numbers.ts";
import { RawString, type Value } from "../store/value.ts";
import { incrByFloat, lcs, lcsTableBytes } from "../types/string_ops.ts";
import { asString, int64Arg, lookupRead, lookupWrite, written } from "./args.ts";
import type { Client } from "./context.ts";
import { arityError } from "./dispatch.ts";
import {
  type ArgSpec,
  type CommandSpec,
  Errors,
  FIRST_KEY as KEY_RANGE,
  KEY_ARG as KEY,
  ReplyError,
} from "./spec.ts";

/** A string-type value. */
type Str = string | RawString;

/** Writes a string-type value as a bulk reply. */
function replyString(c: Client, v: Str): void {
  if (typeof v === "string") c.w.bulk(v);
  else c.w.bulkBytes(v.view());
}

/** The contents of a string-type value as a binary string. */
function contents(v: Str): string {
  return typeof v === "string" ? v : v.toString();
}

/** `proto-max-bulk-len`, the largest string APPEND/SETRANGE may build. */
function maxStringLength(c: Client): number {
  return c.server.config.getNumber("proto-max-bulk-len");
}

const TOO_BIG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

// --- Expiry options (SET, GETEX, SETEX, PSETEX) ---------------------------------------

const F_NX = 1;
const F_XX = 2;
const F_GET = 4;
const F_KEEPTTL = 8;
const F_PERSIST = 16;
const F_EX = 32;
const F_PX = 64;
const F_EXAT = 128;
const F_PXAT = 256;
const F_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;

/** Options of SET / GETEX after the syntax pass; the expire time is parsed later. */
interface SetOptions {
  flags: number;
  /** The raw expire argument (the last one given), or null. */
  expire: string | null;
}

/**
 * Redis's `parseExtendedStringArgumentsOrReply`: one pass over the options that rejects
 * unknown tokens and conflicting combinations with a syntax error. A repeated option is
 * fine (the last value wins); numbers are checked afterwards.
 */
function parseSetOptions(argv: string[], start: number, getex: boolean): SetOptions {
  let flags = 0;
  let expire: string | null = null;
  const argc = argv.length;
  for (let j = start; j < argc; j++) {
    const opt = argv[j]!.toLowerCase();
    const hasNext = j + 1 < argc;
    let timeFlag = 0;
    if (!getex && opt === "nx" && !(flags & F_XX)) flags |= F_NX;
    else if (!getex && opt === "xx" && !(flags & F_NX)) flags |= F_XX;
    else if (!getex && opt === "get") flags |= F_GET;
    else if (!getex && opt === "keepttl" && !(flags & (F_PERSIST | F_EXPIRE))) {
      flags |= F_KEEPTTL;
    } else if (getex && opt === "persist" && !(flags & (F_KEEPTTL | F_EXPIRE))) {
      flags |= F_PERSIST;
    } else if (opt === "ex") timeFlag = F_EX;
    else if (opt === "px") timeFlag = F_PX;
    else if (opt === "exat") timeFlag = F_EXAT;
    else if (opt === "pxat") timeFlag = F_PXAT;
    else throw new ReplyError(Errors.syntax);
    if (timeFlag === 0) continue;
    const others = F_KEEPTTL | F_PERSIST | (F_EXPIRE & ~timeFlag);
    if (flags & others || !hasNext) throw new ReplyError(Errors.syntax);
    flags |= timeFlag;
    expire = argv[++j]!;
  }
  return { flags, expire };
}

const INT64_MAX_DIV_1000 = INT64_MAX / 1000n;

/**
 * Absolute expiry time in ms for an EX/PX/EXAT/PXAT argument, with Redis's checks: not an
 * integer, not positive, or overflowing 64 bits once converted to ms and made absolute is an
 * "invalid expire time in '<command>' command" error.
 */
function expireTime(
  c: Client,
  raw: string,
  seconds: boolean,
  absolute: boolean,
  command: string,
): number {
  const v = parseInteger(raw);
  if (v === null) throw new ReplyError(Errors.notInteger);
  const invalid = `ERR invalid expire time in '${command}' command`;
  const now = c.server.keyspace.now;
  if (typeof v === "number") {
    if (v <= 0) throw new ReplyError(invalid);
    const ms = seconds ? v * 1000 : v;
    const when = absolute ? ms : ms + now;
    if (when <= Number.MAX_SAFE_INTEGER) return when;
  }
  let b = BigInt(v);
  if (b <= 0n) throw new ReplyError(invalid);
  if (seconds) {
    if (b > INT64_MAX_DIV_1000) throw new ReplyError(invalid);
    b *= 1000n;
  }
  if (!absolute) {
    if (b > INT64_MAX - BigInt(now)) throw new ReplyError(invalid);
    b += BigInt(now);
  }
  return Number(b);
}

/** Expiry time of parsed options, or -1 when they set none. */
function optionsExpireTime(c: Client, o: SetOptions, command: string): number {
  const f = o.flags;
  if (!(f & F_EXPIRE)) return -1;
  return expireTime(
    c,
    o.expire!,
    (f & (F_EX | F_EXAT)) !== 0,
    (f & (F_EXAT | F_PXAT)) !== 0,
    command,
  );
}

/** Emits a keyspace event without counting another write (the command already did). */
function notifyAlso(c: Client, event: string, key: string): void {
  c.server.keyspace.notify("g", event, key, c.db.id);
}

/** SET with options (Redis's `setGenericCommand`). */
function setWithOptions(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const o = parseSetOptions(argv, 3, false);
  const when = optionsExpireTime(c, o, "set");
  const f = o.flags;
  const db = c.db;
  if (f & F_GET) {
    const old = lookupRead(c, key);
    if (old === undefined) c.w.nullBulk();
    else replyString(c, asString(old));
  }
  const found = lookupWrite(c, key) !== undefined;
  if ((f & F_NX && found) || (f & F_XX && !found)) {
    if (!(f & F_GET)) c.w.nullBulk();
    return;
  }
  db.set(key, argv[2]!, (f & F_KEEPTTL) !== 0);
  written(c, key, "set", "$");
  if (when >= 0) {
    db.setExpire(key, when);
    notifyAlso(c, "expire", key);
    // Replicas and the AOF get the absolute time (and no NX/XX/GET: it was applied).
    c.propagateAs(["SET", key, argv[2]!, "PXAT", String(when)]);
  }
  if (!(f & F_GET)) c.w.ok();
}

/** SETEX / PSETEX. */
function setWithTtl(c: Client, argv: string[], seconds: boolean): void {
  const key = argv[1]!;
  const when = expireTime(c, argv[2]!, seconds, false, seconds ? "setex" : "psetex");
  const db = c.db;
  if (db.expires.size !== 0) db.get(key); // lazy expiry first, as Redis's lookup does
  db.set(key, argv[3]!);
  written(c, key, "set", "$");
  db.setExpire(key, when);
  notifyAlso(c, "expire", key);
  c.propagateAs(["SET", key, argv[3]!, "PXAT", String(when)]);
  c.w.ok();
}

// --- Counters -------------------------------------------------------------------------

/** The integer held by a string value, or null when it is not a 64-bit decimal. */
function integerValue(v: Str): number | bigint | null {
  if (typeof v === "string") return parseInteger(v);
  return v.length > 20 ? null : parseInteger(v.toString());
}

/** INCR/DECR/INCRBY/DECRBY on one generic path (Redis's `incrDecrCommand`). */
function incrDecr(c: Client, key: string, by: number | bigint): void {
  const v = lookupWrite(c, key);
  let cur: number | bigint = 0;
  if (v !== undefined) {
    const n = integerValue(asString(v));
    if (n === null) throw new ReplyError(Errors.notInteger);
    cur = n;
  }
  let result: number | bigint;
  if (typeof cur === "number" && typeof by === "number" && Number.isSafeInteger(cur + by)) {
    result = cur + by;
  } else {
    const big = BigInt(cur) + BigInt(by);
    if (big > INT64_MAX || big < INT64_MIN) throw new ReplyError(Errors.overflow);
    result = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
  }
  const s = String(result);
  // Redis keeps the TTL: the counter is updated in place.
  if (v === undefined) c.db.set(key, s);
  else c.db.replace(key, s);
  written(c, key, "incrby", "$");
  c.w.int(result);
}

// --- Ranges ---------------------------------------------------------------------------

/** Redis's GETRANGE index arithmetic; returns [start, end) or null for an empty result. */
function rangeOf(
  start: number | bigint,
  end: number | bigint,
  len: number,
): [number, number] | null {
  if (start < 0 && end < 0 && start > end) return null;
  let s = Number(start);
  let e = Number(end);
  if (s < 0) s = len + s;
  if (e < 0) e = len + e;
  if (s < 0) s = 0;
  if (e < 0) e = 0;
  if (e >= len) e = len - 1;
  if (s > e || len === 0) return null;
  return [s, e + 1];
}

function getrange(c: Client, argv: string[]): void {
  const start = int64Arg(argv[2]!);
  const end = int64Arg(argv[3]!);
  const v = lookupRead(c, argv[1]!);
  if (v === undefined) {
    c.w.bulk("");
    return;
  }
  const s = asString(v);
  const r = rangeOf(start, end, s.length);
  if (r === null) c.w.bulk("");
  else if (typeof s === "string") {
    c.w.bulk(r[0] === 0 && r[1] === s.length ? s : s.slice(r[0], r[1]));
  } else c.w.bulkBytes(s.view().subarray(r[0], r[1]));
}

/** A raw copy of `v` to edit in place, with room for `extra` more bytes. */
function toRaw(v: string, extra: number): RawString {
  return new RawString(v, extra);
}

// --- Argument docs --------------------------------------------------------------------

const VALUE: ArgSpec = { name: "value", type: "string" };

const EXPIRATION_ARGS: ArgSpec[] = [
  { name: "seconds", type: "integer", token: "EX" },
  { name: "milliseconds", type: "integer", token: "PX" },
  { name: "unix-time-seconds", type: "unix-time", token: "EXAT" },
  { name: "unix-time-milliseconds", type: "unix-time", token: "PXAT" },
];

// --- Commands -------------------------------------------------------------------------

/** String commands. */
export const stringCommands: CommandSpec[] = [
  {
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RO", "access"],
    group: "string",
    since: "1.0.0",
    summary: "Get the value of a key",
    complexity: "O(1)",
    args: [KEY],
    run(c, argv) {
      const v = lookupRead(c, argv[1]!);
      if (v === undefined) c.w.nullBulk();
      else if (typeof v === "string") c.w.bulk(v);
      else if (v instanceof RawString) c.w.bulkBytes(v.view());
      else throw new ReplyError(Errors.wrongType);
    },
  },
  {
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: KEY_RANGE,
    keySpecs: [{
      notes: "RW and ACCESS due to the optional `GET` argument",
      flags: ["RW", "access", "update", "variable_flags"],
      begin: { index: 1 },
      find: { lastKey: 0, keyStep: 1, limit: 0 },
      variableFlags: (argv) =>
        argv.slice(3).some((a) => a.toLowerCase() === "get")
          ? ["RW", "access", "update"]
          : ["OW", "update"],
    }],
    group: "string",
    since: "1.0.0",
    summary: "Set the string value of a key",
    complexity: "O(1)",
    history: [
      ["2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."],
      ["6.0.0", "Added the `KEEPTTL` option."],
      ["6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."],
      ["7.0.0", "Allowed the `NX` and `GET` options to be used together."],
    ],
    args: [
      KEY,
      VALUE,
      {
        name: "condition",
        type: "oneof",
        since: "2.6.12",
        optional: true,
        args: [
          { name: "nx", type: "pure-token", token: "NX" },
          { name: "xx", type: "pure-token", token: "XX" },
        ],
      },
      { name: "get", type: "pure-token", token: "GET", since: "6.2.0", optional: true },
      {
        name: "expiration",
        type: "oneof",
        optional: true,
        args: [
          { name: "seconds", type: "integer", token: "EX", since: "2.6.12" },
          { name: "milliseconds", type: "integer", token: "PX", since: "2.6.12" },
          { name: "unix-time-seconds", type: "unix-time", token: "EXAT", since: "6.2.0" },
          { name: "unix-time-milliseconds", type: "unix-time", token: "PXAT", since: "6.2.0" },
          { name: "keepttl", type: "pure-token", token: "KEEPTTL", since: "6.0.0" },
        ],
      },
    ],
    run(c, argv) {
      if (argv.length !== 3) {
        setWithOptions(c, argv);
        return;
      }
      const key = argv[1]!;
      const db = c.db;
      // Lazy expiry first, as Redis's lookup does (it emits `expired` for a dead key).
      if (db.expires.size !== 0) db.get(key);
      db.set(key, argv[2]!);
      written(c, key, "set", "$");
      c.w.ok();
    },
  },
  {
    name: "setnx",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["OW", "insert"],
    group: "string",
    since: "1.0.0",
    summary: "Set the value of a key, only if the key does not exist",
    complexity: "O(1)",
    args: [KEY, VALUE],
    run(c, argv) {
      const key = argv[1]!;
      if (lookupWrite(c, key) !== undefined) {
        c.w.int(0);
        return;
      }
      c.db.set(key, argv[2]!);
      written(c, key, "set", "$");
      c.w.int(1);
    },
  },
  {
    name: "setex",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: KEY_RANGE,
    keyFlags: ["OW", "update"],
    group: "string",
    since: "2.0.0",
    summary: "Set the value and expiration of a key",
    complexity: "O(1)",
    args: [KEY, { name: "seconds", type: "integer" }, VALUE],
    run(c, argv) {
      setWithTtl(c, argv, true);
    },
  },
  {
    name: "psetex",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: KEY_RANGE,
    keyFlags: ["OW", "update"],
    group: "string",
    since: "2.6.0",
    summary: "Set the value and expiration in milliseconds of a key",
    complexity: "O(1)",
    args: [KEY, { name: "milliseconds", type: "integer" }, VALUE],
    run(c, argv) {
      setWithTtl(c, argv, false);
    },
  },
  {
    name: "getset",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RW", "access", "update"],
    group: "string",
    since: "1.0.0",
    summary: "Set the string value of a key and return its old value",
    complexity: "O(1)",
    deprecatedSince: "6.2.0",
    replacedBy: "`SET` with the `!GET` argument",
    args: [KEY, VALUE],
    run(c, argv) {
      const key = argv[1]!;
      const old = lookupRead(c, key);
      if (old === undefined) c.w.nullBulk();
      else replyString(c, asString(old));
      c.db.set(key, argv[2]!);
      written(c, key, "set", "$");
    },
  },
  {
    name: "getex",
    arity: -2,
    flags: ["write", "fast"],
    keys: KEY_RANGE,
    keySpecs: [{
      notes: "RW and UPDATE because it changes the TTL",
      flags: ["RW", "access", "update"],
      begin: { index: 1 },
      find: { lastKey: 0, keyStep: 1, limit: 0 },
    }],
    group: "string",
    since: "6.2.0",
    summary: "Get the value of a key and optionally set its expiration",
    complexity: "O(1)",
    args: [
      KEY,
      {
        name: "expiration",
        type: "oneof",
        optional: true,
        args: [...EXPIRATION_ARGS, { name: "persist", type: "pure-token", token: "PERSIST" }],
      },
    ],
    run(c, argv) {
      const key = argv[1]!;
      const o = parseSetOptions(argv, 2, true);
      const v = lookupRead(c, key);
      if (v === undefined) {
        c.w.nullBulk();
        return;
      }
      const s = asString(v);
      const when = optionsExpireTime(c, o, "getex");
      replyString(c, s);
      const db = c.db;
      if (when >= 0) {
        if (when <= c.server.keyspace.now) {
          db.delete(key);
          written(c, key, "del", "g");
          c.propagateAs(["DEL", key]);
        } else {
          db.setExpire(key, when);
          written(c, key, "expire", "g");
          c.propagateAs(["PEXPIREAT", key, String(when)]);
        }
      } else if (o.flags & F_PERSIST && db.persist(key)) {
        written(c, key, "persist", "g");
        c.propagateAs(["PERSIST", key]);
      }
    },
  },
  {
    name: "getdel",
    arity: 2,
    flags: ["write", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RW", "access", "delete"],
    group: "string",
    since: "6.2.0",
    summary: "Get the value of a key and delete the key",
    complexity: "O(1)",
    args: [KEY],
    run(c, argv) {
      const key = argv[1]!;
      const v = lookupRead(c, key);
      if (v === undefined) {
        c.w.nullBulk();
        return;
      }
      replyString(c, asString(v));
      c.db.delete(key);
      written(c, key, "del", "g");
      c.propagateAs(["DEL", key]);
    },
  },
  {
    name: "mget",
    arity: -2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: -1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "string",
    since: "1.0.0",
    summary: "Get the values of all the given keys",
    complexity: "O(N) where N is the number of keys to retrieve.",
    tips: ["request_policy:multi_shard"],
    args: [{ ...KEY, multiple: true }],
    run(c, argv) {
      const n = argv.length;
      c.w.array(n - 1);
      for (let i = 1; i < n; i++) {
        const v = lookupRead(c, argv[i]!);
        if (typeof v === "string") c.w.bulk(v);
        else if (v instanceof RawString) c.w.bulkBytes(v.view());
        else c.w.nullBulk();
      }
    },
  },
  {
    name: "mset",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: -1, step: 2 },
    keyFlags: ["OW", "update"],
    group: "string",
    since: "1.0.1",
    summary: "Set multiple keys to multiple values",
    complexity: "O(N) where N is the number of keys to set.",
    tips: ["request_policy:multi_shard", "response_policy:all_succeeded"],
    args: [{ name: "key_value", type: "block", multiple: true, args: [KEY, VALUE] }],
    run(c, argv) {
      const n = argv.length;
      if (n % 2 === 0) throw new ReplyError(arityError("mset"));
      const db = c.db;
      const lazy = db.expires.size !== 0;
      for (let i = 1; i < n; i += 2) {
        const key = argv[i]!;
        if (lazy) db.get(key);
        db.set(key, argv[i + 1]!);
        written(c, key, "set", "$");
      }
      c.w.ok();
    },
  },
  {
    name: "msetnx",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: -1, step: 2 },
    keyFlags: ["OW", "insert"],
    group: "string",
    since: "1.0.1",
    summary: "Set multiple keys to multiple values, only if none of the keys exist",
    complexity: "O(N) where N is the number of keys to set.",
    tips: ["request_policy:multi_shard", "response_policy:agg_min"],
    args: [{ name: "key_value", type: "block", multiple: true, args: [KEY, VALUE] }],
    run(c, argv) {
      const n = argv.length;
      if (n % 2 === 0) throw new ReplyError(arityError("msetnx"));
      for (let i = 1; i < n; i += 2) {
        if (lookupWrite(c, argv[i]!) !== undefined) {
          c.w.int(0);
          return;
        }
      }
      const db = c.db;
      for (let i = 1; i < n; i += 2) {
        const key = argv[i]!;
        db.set(key, argv[i + 1]!);
        written(c, key, "set", "$");
      }
      c.w.int(1);
    },
  },
  {
    name: "append",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RW", "insert"],
    group: "string",
    since: "2.0.0",
    summary: "Append a value to a key",
    complexity:
      "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
    args: [KEY, VALUE],
    run(c, argv) {
      const key = argv[1]!;
      const add = argv[2]!;
      const v = lookupWrite(c, key);
      if (v === undefined) {
        // A new key is stored like SET stores it (Redis encodes it as int/embstr too).
        c.db.set(key, add);
        written(c, key, "append", "$");
        c.w.int(add.length);
        return;
      }
      const s = asString(v);
      if (s.length + add.length > maxStringLength(c)) throw new ReplyError(TOO_BIG);
      let raw: RawString;
      if (typeof s === "string") {
        raw = toRaw(s, add.length);
        c.db.replace(key, raw);
      } else raw = s;
      raw.append(add);
      written(c, key, "append", "$");
      c.w.int(raw.length);
    },
  },
  {
    name: "strlen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RO"],
    group: "string",
    since: "2.2.0",
    summary: "Get the length of the value stored in a key",
    complexity: "O(1)",
    args: [KEY],
    run(c, argv) {
      const v = lookupRead(c, argv[1]!);
      c.w.int(v === undefined ? 0 : asString(v).length);
    },
  },
  {
    name: "setrange",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: KEY_RANGE,
    keyFlags: ["RW", "update"],
    group: "string",
    since: "2.2.0",
    summary: "Overwrite part of a string at key starting at the specified offset",
    complexity:
      "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
    args: [KEY, { name: "offset", type: "integer" }, VALUE],
    run(c, argv) {
      const key = argv[1]!;
      const off = int64Arg(argv[2]!);
      if (off < 0) throw new ReplyError("ERR offset is out of range");
      const value = argv[3]!;
      const v = lookupWrite(c, key);
      let raw: RawString;
      if (v === undefined) {
        if (value.length === 0) {
          c.w.int(0);
          return;
        }
        if (Number(off) + value.length > maxStringLength(c)) throw new ReplyError(TOO_BIG);
        raw = new RawString("", Number(off) + value.length);
        c.db.set(key, raw);
      } else {
        const s = asString(v);
        if (value.length === 0) {
          c.w.int(s.length);
          return;
        }
        if (Number(off) + value.length > maxStringLength(c)) throw new ReplyError(TOO_BIG);
        if (typeof s === "string") {
          raw = toRaw(s, 0);
          c.db.replace(key, raw);
        } else raw = s;
      }
      const offset = Number(off);
      const end = offset + value.length;
      raw.reserve(end);
      if (offset > raw.length) raw.bytes.fill(0, raw.length, offset);
      writeBinary(value, raw.bytes, offset);
      if (end > raw.length) raw.length = end;
      written(c, key, "setrange", "$");
      c.w.int(raw.length);
    },
  },
  {
    name: "getrange",
    arity: 4,
    flags: ["readonly"],
    keys: KEY_RANGE,
    keyFlags: ["RO", "access"],
    group: "string",
    since: "2.4.0",
    summary: "Get a substring of the string stored at a key",
    complexity:
      "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
    args: [KEY, { name: "start", type: "integer" }, { name: "end", type: "integer" }],
    run: getrange,
  },
  {
    name: "substr",
    arity: 4,
    flags: ["readonly"],
    keys: KEY_RANGE,
    keyFlags: ["RO", "access"],
    group: "string",
    since: "1.0.0",
    summary: "Get a substring of the string stored at a key",
    complexity:
      "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
    deprecatedSince: "2.0.0",
    replacedBy: "`GETRANGE`",
    args: [KEY, { name: "start", type: "integer" }, { name: "end", type: "integer" }],
    run: getrange,
  },
  {
    name: "incr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RW", "access", "update"],
    group: "string",
    since: "1.0.0",
    summary: "Increment the integer value of a key by one",
    complexity: "O(1)",
    args: [KEY],
    run(c, argv) {
      incrDecr(c, argv[1]!, 1);
    },
  },
  {
    name: "decr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RW", "access", "update"],
    group: "string",
    since: "1.0.0",
    summary: "Decrement the integer value of a key by one",
    complexity: "O(1)",
    args: [KEY],
    run(c, argv) {
      incrDecr(c, argv[1]!, -1);
    },
  },
  {
    name: "incrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RW", "access", "update"],
    group: "string",
    since: "1.0.0",
    summary: "Increment the integer value of a key by the given amount",
    complexity: "O(1)",
    args: [KEY, { name: "increment", type: "integer" }],
    run(c, argv) {
      incrDecr(c, argv[1]!, int64Arg(argv[2]!));
    },
  },
  {
    name: "decrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RW", "access", "update"],
    group: "string",
    since: "1.0.0",
    summary: "Decrement the integer value of a key by the given number",
    complexity: "O(1)",
    args: [KEY, { name: "decrement", type: "integer" }],
    run(c, argv) {
      const by = int64Arg(argv[2]!);
      if (by === INT64_MIN) throw new ReplyError("ERR decrement would overflow");
      incrDecr(c, argv[1]!, -by);
    },
  },
  {
    name: "incrbyfloat",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: KEY_RANGE,
    keyFlags: ["RW", "access", "update"],
    group: "string",
    since: "2.6.0",
    summary: "Increment the float value of a key by the given amount",
    complexity: "O(1)",
    args: [KEY, { name: "increment", type: "double" }],
    run(c, argv) {
      const key = argv[1]!;
      const v = lookupWrite(c, key);
      let cur: string | null = null;
      if (v !== undefined) {
        const s = asString(v);
        // Longer strings can't be a valid long double; skip copying them.
        cur = s.length >= 5120 ? "" : contents(s);
      }
      const r = incrByFloat(cur, argv[2]!);
      if (!r.ok) {
        if (r.error === "nan-or-inf") {
          throw new ReplyError("ERR increment would produce NaN or Infinity");
        }
        throw new ReplyError(Errors.notFloat);
      }
      if (v === undefined) c.db.set(key, r.value);
      else c.db.replace(key, r.value);
      written(c, key, "incrbyfloat", "$");
      // Float formatting may differ between hosts: replicas get the result.
      c.propagateAs(["SET", key, r.value, "KEEPTTL"]);
      c.w.bulk(r.value);
    },
  },
  {
    name: "lcs",
    arity: -3,
    flags: ["readonly"],
    keys: { first: 1, last: 2, step: 1 },
    keyFlags: ["RO", "access"],
    group: "string",
    since: "7.0.0",
    summary: "Find longest common substring",
    complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
    args: [
      { name: "key1", type: "key", keySpecIndex: 0 },
      { name: "key2", type: "key", keySpecIndex: 0 },
      { name: "len", type: "pure-token", token: "LEN", optional: true },
      { name: "idx", type: "pure-token", token: "IDX", optional: true },
      { name: "len", type: "integer", token: "MINMATCHLEN", optional: true },
      { name: "withmatchlen", type: "pure-token", token: "WITHMATCHLEN", optional: true },
    ],
    run(c, argv) {
      const va = lookupRead(c, argv[1]!);
      const vb = lookupRead(c, argv[2]!);
      const notString = (v: Value | undefined) =>
        v !== undefined && typeof v !== "string" && !(v instanceof RawString);
      if (notString(va) || notString(vb)) {
        throw new ReplyError("ERR The specified keys must contain string values");
      }
      let getLen = false;
      let getIdx = false;
      let withMatchLen = false;
      let minMatchLen = 0;
      for (let j = 3; j < argv.length; j++) {
        const opt = argv[j]!.toLowerCase();
        if (opt === "idx") getIdx = true;
        else if (opt === "len") getLen = true;
        else if (opt === "withmatchlen") withMatchLen = true;
        else if (opt === "minmatchlen" && j + 1 < argv.length) {
          const n = int64Arg(argv[++j]!);
          minMatchLen = n < 0 ? 0 : Number(n);
        } else throw new ReplyError(Errors.syntax);
      }
      if (getLen && getIdx) {
        throw new ReplyError("ERR If you want both the length and indexes, please just use IDX.");
      }
      const a = bytesOf(va as Str | undefined);
      const b = bytesOf(vb as Str | undefined);
      if (lcsTableBytes(a.length, b.length) > maxStringLength(c)) {
        throw new ReplyError(
          "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
        );
      }
      const r = lcs(a, b, { text: !getLen && !getIdx, matches: getIdx, minMatchLen });
      const w = c.w;
      if (getLen) {
        w.int(r.len);
      } else if (getIdx) {
        w.map(2);
        w.bulk("matches");
        w.array(r.matches.length);
        for (const m of r.matches) {
          w.array(withMatchLen ? 3 : 2);
          w.array(2);
          w.int(m.a[0]);
          w.int(m.a[1]);
          w.array(2);
          w.int(m.b[0]);
          w.int(m.b[1]);
          if (withMatchLen) w.int(m.len);
        }
        w.bulk("len");
        w.int(r.len);
      } else {
        w.bulk(r.text);
      }
    },
  },
];

const EMPTY = new Uint8Array(0);

/** The bytes of a string value (a missing key is the empty string). */
function bytesOf(v: Str | undefined): Uint8Array {
  if (v === undefined) return EMPTY;
  if (typeof v !== "string") return v.view();
  const out = new Uint8Array(v.length);
  writeBinary(v, out, 0);
  return out;
}
