/**
 * Hash commands: field reads and writes, counters, random fields and HSCAN. The encodings
 * live in src/types/hash.ts; every write goes through {@link HashValue.set} with the current
 * thresholds, so conversions happen exactly where Redis's do.
 *
 * @module
 */
import { INT64_MAX, INT64_MIN, parseInteger } from "../resp/numbers.ts";
import { globMatch } from "../store/glob.ts";
import type { Value } from "../store/value.ts";
import { type HashConfig, hashConfigOf, HashValue } from "../types/hash.ts";
import { incrByFloat, parseLongDouble } from "../types/string_ops.ts";
import { asType, int64Arg, isToken, lookupWrite, readTyped, writeTyped, written } from "./args.ts";
import type { Client } from "./context.ts";
import { arityError } from "./dispatch.ts";
import {
  checkRepeatCount,
  parseScanOptions,
  randomCountArg,
  replyEmptyScan,
  SCAN_ARGS,
  SCAN_COMPLEXITY,
  scanCursorArg,
} from "./collection_args.ts";
import {
  type ArgSpec,
  type CommandSpec,
  Errors,
  FIRST_KEY as ONE_KEY,
  KEY_ARG as KEY,
  ReplyError,
} from "./spec.ts";

/** The value as a hash, or a WRONGTYPE error. */
function asHash(v: Value): HashValue {
  return asType(v, HashValue)!;
}

/** The hash at `key` for reading (null when missing), or a WRONGTYPE error. */
function readHash(c: Client, key: string): HashValue | null {
  return readTyped(c, key, HashValue) ?? null;
}

/** The hash at `key` for writing (null when missing), or a WRONGTYPE error. */
function writeHash(c: Client, key: string): HashValue | null {
  return writeTyped(c, key, HashValue) ?? null;
}

/** `h`, or a new empty hash stored at `key` when `h` is null (the key was missing). */
function orCreate(c: Client, key: string, h: HashValue | null): HashValue {
  if (h !== null) return h;
  const created = new HashValue();
  c.db.set(key, created);
  return created;
}

/** The current encoding thresholds (read per command so CONFIG SET applies at once). */
function limits(c: Client): HashConfig {
  return hashConfigOf(c.server.config);
}

function hsetGeneric(c: Client, argv: string[], name: string): number {
  if (argv.length % 2 === 1) throw new ReplyError(arityError(name));
  const key = argv[1]!;
  const h = orCreate(c, key, writeHash(c, key));
  const cfg = limits(c);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) if (h.set(argv[i]!, argv[i + 1]!, cfg)) created++;
  written(c, key, "hset", "h", (argv.length - 2) / 2);
  return created;
}

function hincrby(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const field = argv[2]!;
  const by = int64Arg(argv[3]!);
  const h = writeHash(c, key);
  let cur: number | bigint = 0;
  const old = h?.get(field);
  if (old !== undefined) {
    const n = parseInteger(old);
    if (n === null) throw new ReplyError("ERR hash value is not an integer");
    cur = n;
  }
  let result: number | bigint;
  if (typeof cur === "number" && typeof by === "number" && Number.isSafeInteger(cur + by)) {
    result = cur + by;
  } else {
    const big = BigInt(cur) + BigInt(by);
    if (big > INT64_MAX || big < INT64_MIN) throw new ReplyError(Errors.overflow);
    result = big;
  }
  orCreate(c, key, h).set(field, String(result), limits(c));
  written(c, key, "hincrby", "h");
  c.w.int(result);
}

function hincrbyfloat(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const field = argv[2]!;
  const incr = parseLongDouble(argv[3]!);
  if (incr === null) throw new ReplyError(Errors.notFloat);
  if (incr.inf) throw new ReplyError("ERR value is NaN or Infinity");
  const h = writeHash(c, key);
  const r = incrByFloat(h?.get(field) ?? null, argv[3]!);
  if (!r.ok) {
    throw new ReplyError(
      r.error === "value"
        ? "ERR hash value is not a float"
        : "ERR increment would produce NaN or Infinity",
    );
  }
  orCreate(c, key, h).set(field, r.value, limits(c));
  written(c, key, "hincrbyfloat", "h");
  // Replicas and the AOF get the result, not the long double arithmetic.
  c.propagateAs(["hset", key, field, r.value]);
  c.w.bulk(r.value);
}

/** Writes one field (and its value) of an HRANDFIELD reply. */
function writeRandomEntry(c: Client, e: [string, string], withValues: boolean): void {
  const w = c.w;
  if (!withValues) {
    w.bulk(e[0]);
    return;
  }
  if (w.resp === 3) w.array(2);
  w.bulk(e[0]);
  w.bulk(e[1]);
}

/** Header of an HRANDFIELD reply with `n` entries: RESP3 nests field/value pairs. */
function randomHeader(c: Client, n: number, withValues: boolean): void {
  c.w.array(withValues && c.w.resp === 2 ? n * 2 : n);
}

function hrandfield(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (argv.length === 2) {
    const h = readHash(c, key);
    if (h === null) c.w.nullBulk();
    else c.w.bulk(h.random()[0]);
    return;
  }
  const count = randomCountArg(argv[2]!);
  let withValues = false;
  if (argv.length >= 4) {
    if (argv.length > 4 || !isToken(argv[3]!, "withvalues")) throw new ReplyError(Errors.syntax);
    withValues = true;
    // The reply would hold 2 * |count| elements: Redis refuses what overflows a long.
    if (count < -4611686018427387903) throw new ReplyError("ERR value is out of range");
  }
  const h = readHash(c, key);
  if (h === null || count === 0) {
    c.w.array(0);
    return;
  }
  if (count < 0) {
    const n = -count;
    checkRepeatCount(n);
    randomHeader(c, n, withValues);
    for (let i = 0; i < n; i++) writeRandomEntry(c, h.random(), withValues);
    return;
  }
  if (count >= h.size) {
    randomHeader(c, h.size, withValues);
    for (const e of h.entries()) writeRandomEntry(c, e, withValues);
    return;
  }
  const picked = h.sample(count);
  randomHeader(c, picked.length, withValues);
  for (const e of picked) writeRandomEntry(c, e, withValues);
}

function hscan(c: Client, argv: string[]): void {
  const cursor = scanCursorArg(argv[2]!);
  const h = readHash(c, argv[1]!);
  if (h === null) {
    replyEmptyScan(c);
    return;
  }
  const { count, pattern } = parseScanOptions(argv, 3);
  const found: string[] = [];
  const next = h.scan(cursor, count, (f, v) => {
    if (pattern === null || globMatch(pattern, f)) found.push(f, v);
  });
  const w = c.w;
  w.array(2);
  w.bulk(String(next));
  w.bulkArray(found);
}

// --- Argument docs --------------------------------------------------------------------

const FIELD: ArgSpec = { name: "field", type: "string" };
const FIELDS: ArgSpec = { name: "field", type: "string", multiple: true };
const FIELD_VALUES: ArgSpec = {
  name: "field_value",
  type: "block",
  multiple: true,
  args: [FIELD, { name: "value", type: "string" }],
};

// --- Commands -------------------------------------------------------------------------

/** Hash commands. */
export const hashCommands: CommandSpec[] = [
  {
    name: "hset",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "update"],
    group: "hash",
    since: "2.0.0",
    summary: "Set the string value of a hash field",
    complexity:
      "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
    history: [["4.0.0", "Accepts multiple `field` and `value` arguments."]],
    args: [KEY, FIELD_VALUES],
    run(c, argv) {
      c.w.int(hsetGeneric(c, argv, "hset"));
    },
  },
  {
    name: "hsetnx",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "insert"],
    group: "hash",
    since: "2.0.0",
    summary: "Set the value of a hash field, only if the field does not exist",
    complexity: "O(1)",
    args: [KEY, FIELD, { name: "value", type: "string" }],
    run(c, argv) {
      const key = argv[1]!;
      const h = writeHash(c, key);
      if (h !== null && h.has(argv[2]!)) {
        c.w.int(0);
        return;
      }
      orCreate(c, key, h).set(argv[2]!, argv[3]!, limits(c));
      written(c, key, "hset", "h");
      c.w.int(1);
    },
  },
  {
    name: "hget",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    group: "hash",
    since: "2.0.0",
    summary: "Get the value of a hash field",
    complexity: "O(1)",
    args: [KEY, FIELD],
    run(c, argv) {
      c.w.bulkOrNull(readHash(c, argv[1]!)?.get(argv[2]!));
    },
  },
  {
    name: "hmset",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "update"],
    group: "hash",
    since: "2.0.0",
    summary: "Set multiple hash fields to multiple values",
    complexity: "O(N) where N is the number of fields being set.",
    deprecatedSince: "4.0.0",
    replacedBy: "`HSET` with multiple field-value pairs",
    args: [KEY, FIELD_VALUES],
    run(c, argv) {
      hsetGeneric(c, argv, "hmset");
      c.w.ok();
    },
  },
  {
    name: "hmget",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    group: "hash",
    since: "2.0.0",
    summary: "Get the values of all the given hash fields",
    complexity: "O(N) where N is the number of fields being requested.",
    args: [KEY, FIELDS],
    run(c, argv) {
      const h = readHash(c, argv[1]!);
      const w = c.w;
      w.array(argv.length - 2);
      for (let i = 2; i < argv.length; i++) w.bulkOrNull(h?.get(argv[i]!));
    },
  },
  {
    name: "hgetall",
    arity: 2,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    tips: ["nondeterministic_output_order"],
    group: "hash",
    since: "2.0.0",
    summary: "Get all the fields and values in a hash",
    complexity: "O(N) where N is the size of the hash.",
    args: [KEY],
    run(c, argv) {
      const h = readHash(c, argv[1]!);
      const w = c.w;
      if (h === null) {
        w.map(0);
        return;
      }
      w.map(h.size);
      for (const [f, v] of h.entries()) {
        w.bulk(f);
        w.bulk(v);
      }
    },
  },
  {
    name: "hdel",
    arity: -3,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "delete"],
    group: "hash",
    since: "2.0.0",
    summary: "Delete one or more hash fields",
    complexity: "O(N) where N is the number of fields to be removed.",
    history: [["2.4.0", "Accepts multiple `field` arguments."]],
    args: [KEY, FIELDS],
    run(c, argv) {
      const key = argv[1]!;
      const v = lookupWrite(c, key);
      let deleted = 0;
      if (v !== undefined) {
        const h = asHash(v);
        for (let i = 2; i < argv.length; i++) {
          if (!h.delete(argv[i]!)) continue;
          deleted++;
          if (h.size === 0) break;
        }
        if (deleted > 0) {
          written(c, key, "hdel", "h", deleted);
          if (h.size === 0) {
            c.db.delete(key);
            c.server.keyspace.notify("g", "del", key, c.db.id);
          }
        }
      }
      c.w.int(deleted);
    },
  },
  {
    name: "hlen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RO"],
    group: "hash",
    since: "2.0.0",
    summary: "Get the number of fields in a hash",
    complexity: "O(1)",
    args: [KEY],
    run(c, argv) {
      c.w.int(readHash(c, argv[1]!)?.size ?? 0);
    },
  },
  {
    name: "hstrlen",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RO"],
    group: "hash",
    since: "3.2.0",
    summary: "Get the length of the value of a hash field",
    complexity: "O(1)",
    args: [KEY, FIELD],
    run(c, argv) {
      c.w.int(readHash(c, argv[1]!)?.get(argv[2]!)?.length ?? 0);
    },
  },
  {
    name: "hexists",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RO"],
    group: "hash",
    since: "2.0.0",
    summary: "Determine if a hash field exists",
    complexity: "O(1)",
    args: [KEY, FIELD],
    run(c, argv) {
      c.w.int(readHash(c, argv[1]!)?.has(argv[2]!) ? 1 : 0);
    },
  },
  {
    name: "hkeys",
    arity: 2,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    tips: ["nondeterministic_output_order"],
    group: "hash",
    since: "2.0.0",
    summary: "Get all the fields in a hash",
    complexity: "O(N) where N is the size of the hash.",
    args: [KEY],
    run(c, argv) {
      const h = readHash(c, argv[1]!);
      const w = c.w;
      w.array(h?.size ?? 0);
      if (h !== null) { for (const f of h.fields()) w.bulk(f); }
    },
  },
  {
    name: "hvals",
    arity: 2,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    tips: ["nondeterministic_output_order"],
    group: "hash",
    since: "2.0.0",
    summary: "Get all the values in a hash",
    complexity: "O(N) where N is the size of the hash.",
    args: [KEY],
    run(c, argv) {
      const h = readHash(c, argv[1]!);
      const w = c.w;
      w.array(h?.size ?? 0);
      if (h !== null) { for (const [, v] of h.entries()) w.bulk(v); }
    },
  },
  {
    name: "hincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "access", "update"],
    group: "hash",
    since: "2.0.0",
    summary: "Increment the integer value of a hash field by the given number",
    complexity: "O(1)",
    args: [KEY, FIELD, { name: "increment", type: "integer" }],
    run: hincrby,
  },
  {
    name: "hincrbyfloat",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "access", "update"],
    group: "hash",
    since: "2.6.0",
    summary: "Increment the float value of a hash field by the given amount",
    complexity: "O(1)",
    args: [KEY, FIELD, { name: "increment", type: "double" }],
    run: hincrbyfloat,
  },
  {
    name: "hrandfield",
    arity: -2,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    tips: ["nondeterministic_output"],
    group: "hash",
    since: "6.2.0",
    summary: "Get one or multiple random fields from a hash",
    complexity: "O(N) where N is the number of fields returned",
    args: [KEY, {
      name: "options",
      type: "block",
      optional: true,
      args: [
        { name: "count", type: "integer" },
        { name: "withvalues", type: "pure-token", token: "WITHVALUES", optional: true },
      ],
    }],
    run: hrandfield,
  },
  {
    name: "hscan",
    arity: -3,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    tips: ["nondeterministic_output"],
    group: "hash",
    since: "2.8.0",
    summary: "Incrementally iterate hash fields and associated values",
    complexity: SCAN_COMPLEXITY,
    args: SCAN_ARGS,
    run: hscan,
  },
];
