/**
 * SORT and SORT_RO: sorting lists, sets and sorted sets, by their elements or by weights
 * found through `BY` patterns, with `GET` lookups, `LIMIT` and `STORE`.
 *
 * Redis compares with `strcoll`, which under the C locale is `strcmp`: byte order that stops
 * at the first NUL byte. With `STORE` it compares binary-safe instead, so what is stored (and
 * propagated) does not depend on the locale.
 *
 * @module
 */
import { parseInteger } from "../resp/numbers.ts";
import { RawString, type Value } from "../store/value.ts";
import { HashValue } from "../types/hash.ts";
import { ListValue } from "../types/list.ts";
import { SetValue } from "../types/set.ts";
import { strtod, ZSetValue } from "../types/zset.ts";
import { isToken, lookupRead, written } from "./args.ts";
import type { Client } from "./context.ts";
import { currentScript } from "./lua_bridge.ts";
import { type ArgSpec, type CommandSpec, Errors, type KeySpec, ReplyError } from "./spec.ts";

/** Error of a numeric sort when a weight is not a number. */
const SCORE_ERROR = "ERR One or more scores can't be converted into double";

/** Smallest positive normal double: glibc's `strtod` reports ERANGE below it. */
const MIN_NORMAL = 2.2250738585072014e-308;

/** Parsed SORT options. */
interface SortOptions {
  desc: boolean;
  alpha: boolean;
  /** LIMIT offset and count (count < 0: all). */
  offset: number;
  count: number;
  /** BY pattern, or null. */
  by: string | null;
  /** The BY pattern has no `*`: keep the native order. */
  dontSort: boolean;
  /** GET patterns, in order. */
  gets: string[];
  /** STORE destination, or null. */
  store: string | null;
}

/** One element being sorted, with its weight. */
interface SortItem {
  obj: string;
  score: number;
  /** ALPHA + BY: the weight string, or null when its key is missing. */
  cmp: string | null;
}

/** A C string's view of a binary string: everything before the first NUL. */
function cString(s: string): string {
  const nul = s.indexOf("\0");
  return nul < 0 ? s : s.slice(0, nul);
}

/** A LIMIT argument (a C long); values past the safe range are clamped, as they act alike. */
function limitArg(s: string): number {
  const v = parseInteger(s);
  if (v === null) throw new ReplyError(Errors.notInteger);
  if (typeof v === "number") return v;
  return v < 0n ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
}

/** Parses the options after the key; every error is raised before the key is looked at. */
function parseOptions(argv: string[], readonly: boolean): SortOptions {
  const o: SortOptions = {
    desc: false,
    alpha: false,
    offset: 0,
    count: -1,
    by: null,
    dontSort: false,
    gets: [],
    store: null,
  };
  for (let j = 2; j < argv.length; j++) {
    const a = argv[j]!;
    const left = argv.length - j - 1;
    if (isToken(a, "asc")) o.desc = false;
    else if (isToken(a, "desc")) o.desc = true;
    else if (isToken(a, "alpha")) o.alpha = true;
    else if (isToken(a, "limit") && left >= 2) {
      o.offset = limitArg(argv[j + 1]!);
      o.count = limitArg(argv[j + 2]!);
      j += 2;
    } else if (isToken(a, "store") && left >= 1 && !readonly) {
      o.store = argv[++j]!;
    } else if (isToken(a, "by") && left >= 1) {
      o.by = argv[++j]!;
      // A pattern without `*` names no per-element key: nothing to sort by. Once set this
      // stays set, even if a later BY has a `*`.
      if (!cString(o.by).includes("*")) o.dontSort = true;
    } else if (isToken(a, "get") && left >= 1) {
      o.gets.push(argv[++j]!);
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  return o;
}

/**
 * Looks up the value a BY/GET pattern names for element `subst` (Redis's
 * `lookupKeyByPattern`): `#` is the element itself; the first `*` is replaced by the
 * element; `key->field` reads a hash field. Missing keys, keys of the wrong type and
 * patterns without `*` give undefined.
 */
export function lookupByPattern(c: Client, pattern: string, subst: string): string | undefined {
  const cpat = cString(pattern);
  if (cpat === "#") return subst;
  const star = cpat.indexOf("*");
  if (star < 0) return undefined;
  const arrow = cpat.indexOf("->", star + 1);
  const hasField = arrow >= 0 && arrow + 2 < cpat.length;
  const key = pattern.slice(0, star) + subst +
    (hasField ? pattern.slice(star + 1, arrow) : pattern.slice(star + 1));
  const v = lookupRead(c, key);
  if (v === undefined) return undefined;
  if (hasField) {
    if (!(v instanceof HashValue)) return undefined;
    return v.get(pattern.slice(arrow + 2));
  }
  if (typeof v === "string") return v;
  return v instanceof RawString ? v.toString() : undefined;
}

/** Byte order of binary strings, length breaking ties (Redis `compareStringObjects`). */
function binaryCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `strcmp` of binary strings: stops at the first NUL (Redis's `strcoll` in the C locale). */
function cCompare(a: string, b: string): number {
  return binaryCompare(cString(a), cString(b));
}

/** Converts a listpack sorted set to a skiplist in place, as Redis's SORT does. */
function toSkiplist(c: Client, key: string, z: ZSetValue): ZSetValue {
  if (z.encoding() === "skiplist") return z;
  const barrier = c.server.keyspace.writeBarrier;
  if (barrier !== null) barrier(c.db, key);
  const converted = ZSetValue.from([...z.entries()], {
    maxListpackEntries: 0,
    maxListpackValue: 0,
  });
  c.db.replace(key, converted);
  return converted;
}

/** The elements of `v` in their native order (list head to tail, set order, zset by score). */
function elementsOf(v: Value | undefined): string[] {
  if (v === undefined) return [];
  if (v instanceof ListValue) return [...v.items()];
  if (v instanceof SetValue) return [...v.members()];
  if (v instanceof ZSetValue) {
    const out: string[] = [];
    for (const [m] of v.entries()) out.push(m);
    return out;
  }
  return [];
}

/** SORT / SORT_RO. */
function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  const o = parseOptions(argv, readonly);
  const key = argv[1]!;
  let v = lookupRead(c, key);
  if (
    v !== undefined &&
    !(v instanceof ListValue || v instanceof SetValue || v instanceof ZSetValue)
  ) {
    throw new ReplyError(Errors.wrongType);
  }
  let by = o.by;
  let alpha = o.alpha;
  let dontSort = o.dontSort;
  // A set has no order of its own: when the result is stored (and so replicated) or read by
  // a script, sort it anyway so every replica gets the same list.
  if (dontSort && v instanceof SetValue && (o.store !== null || currentScript() !== null)) {
    dontSort = false;
    alpha = true;
    by = null;
  }
  if (v instanceof ZSetValue) v = toSkiplist(c, key, v);

  const elements = elementsOf(v);
  // Without sorting, a list or sorted set is read in DESC order from its tail.
  if (dontSort && o.desc && !(v instanceof SetValue)) elements.reverse();
  const n = elements.length;

  let start = o.offset < 0 ? 0 : o.offset;
  let end = o.count < 0 ? n - 1 : start + o.count - 1;
  if (start >= n) {
    start = n - 1;
    end = n - 2;
  }
  if (end >= n) end = n - 1;

  let items: SortItem[] = elements.map((obj) => ({ obj, score: 0, cmp: null }));
  if (!dontSort) {
    let bad = false;
    for (const item of items) {
      let w: string | undefined;
      if (by !== null) {
        w = lookupByPattern(c, by, item.obj);
        if (w === undefined) continue;
      } else {
        w = item.obj;
      }
      if (alpha) {
        if (by !== null) item.cmp = w;
      } else {
        const r = strtod(w);
        // C's strtod stops at a NUL byte, which ends the string for Redis's check too.
        const rest = r.end === w.length || w.charCodeAt(r.end) === 0;
        const tiny = r.value !== 0 && Math.abs(r.value) < MIN_NORMAL;
        if (!rest || r.range || tiny || Number.isNaN(r.value)) bad = true;
        item.score = r.value;
      }
    }
    if (bad) throw new ReplyError(SCORE_ERROR);
    const cmp = comparator(alpha, by !== null, o.store !== null, o.desc);
    items = items.sort(cmp);
  }

  const out = items.slice(start, end + 1);
  const gets = o.gets;
  const outputLen = gets.length === 0 ? out.length : gets.length * out.length;
  if (o.store === null) {
    const w = c.w;
    w.array(outputLen);
    for (const item of out) {
      if (gets.length === 0) w.bulk(item.obj);
      for (const g of gets) {
        const val = lookupByPattern(c, g, item.obj);
        if (val === undefined) w.nullBulk();
        else w.bulk(val);
      }
    }
    return;
  }
  const dst = o.store;
  const values: string[] = [];
  for (const item of out) {
    if (gets.length === 0) values.push(item.obj);
    for (const g of gets) values.push(lookupByPattern(c, g, item.obj) ?? "");
  }
  if (outputLen > 0) {
    c.db.set(dst, ListValue.from(values, c.server.config));
    written(c, dst, "sortstore", "l", outputLen);
  } else if (c.db.delete(dst)) {
    written(c, dst, "del", "g");
  }
  c.w.int(outputLen);
}

/** The SORT comparison for the given options (Redis `sortCompare`). */
function comparator(
  alpha: boolean,
  byPattern: boolean,
  store: boolean,
  desc: boolean,
): (a: SortItem, b: SortItem) => number {
  let cmp: (a: SortItem, b: SortItem) => number;
  if (!alpha) {
    // Equal weights fall back to the elements, so the order is always deterministic.
    cmp = (a, b) => a.score > b.score ? 1 : a.score < b.score ? -1 : binaryCompare(a.obj, b.obj);
  } else if (byPattern) {
    const strCmp = store ? binaryCompare : cCompare;
    cmp = (a, b) => {
      if (a.cmp === null || b.cmp === null) {
        return a.cmp === b.cmp ? 0 : a.cmp === null ? -1 : 1;
      }
      return strCmp(a.cmp, b.cmp);
    };
  } else {
    const strCmp = store ? binaryCompare : cCompare;
    cmp = (a, b) => strCmp(a.obj, b.obj);
  }
  // Negating keeps ties at 0, so a stable sort leaves them in input order, as glibc's
  // (merge sort based) qsort does.
  return desc ? (a, b) => -cmp(a, b) || 0 : cmp;
}

/**
 * SORT's key positions (COMMAND GETKEYS): the sorted key, and the argument after the last
 * STORE, skipping the arguments of LIMIT, GET and BY the way Redis does.
 */
export function sortKeys(argv: string[]): number[] {
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (isToken(a, "limit")) i += 2;
    else if (isToken(a, "get") || isToken(a, "by")) i += 1;
    else if (isToken(a, "store") && i + 1 < argv.length) store = i + 1;
  }
  return store < 0 ? [1] : [1, store];
}

// --- Declarations ---------------------------------------------------------------------

const SORTED_KEY_SPEC: KeySpec = {
  flags: ["RO", "access"],
  begin: { index: 1 },
  find: { lastKey: 0, keyStep: 1, limit: 0 },
};

const PATTERN_KEY_SPEC: KeySpec = {
  notes:
    "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
  flags: ["RO", "access"],
  begin: "unknown",
  find: "unknown",
};

const STORE_KEY_SPEC: KeySpec = {
  notes:
    "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
  flags: ["OW", "update"],
  begin: "unknown",
  find: "unknown",
};

const SORT_ARGS: ArgSpec[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "pattern", type: "pattern", keySpecIndex: 1, token: "BY", optional: true },
  {
    name: "offset_count",
    type: "block",
    token: "LIMIT",
    optional: true,
    args: [{ name: "offset", type: "integer" }, { name: "count", type: "integer" }],
  },
  {
    name: "pattern",
    type: "pattern",
    keySpecIndex: 1,
    token: "GET",
    optional: true,
    multiple: true,
    multipleToken: true,
  },
  {
    name: "order",
    type: "oneof",
    optional: true,
    args: [
      { name: "asc", type: "pure-token", token: "ASC" },
      { name: "desc", type: "pure-token", token: "DESC" },
    ],
  },
  { name: "sorting", type: "pure-token", token: "ALPHA", optional: true },
];

const SORT_COMPLEXITY =
  "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";

/** SORT and SORT_RO. */
export const sortCommands: CommandSpec[] = [
  {
    name: "sort",
    arity: -2,
    flags: ["write", "denyoom"],
    acl: ["set", "sortedset", "list", "dangerous"],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [SORTED_KEY_SPEC, PATTERN_KEY_SPEC, STORE_KEY_SPEC],
    getKeys: sortKeys,
    group: "generic",
    since: "1.0.0",
    summary: "Sort the elements in a list, set or sorted set",
    complexity: SORT_COMPLEXITY,
    args: [
      ...SORT_ARGS,
      { name: "destination", type: "key", keySpecIndex: 2, token: "STORE", optional: true },
    ],
    run: (c, argv) => sortGeneric(c, argv, false),
  },
  {
    name: "sort_ro",
    arity: -2,
    flags: ["readonly"],
    acl: ["set", "sortedset", "list", "dangerous"],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [SORTED_KEY_SPEC, PATTERN_KEY_SPEC],
    group: "generic",
    since: "7.0.0",
    summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
    complexity: SORT_COMPLEXITY,
    args: SORT_ARGS,
    run: (c, argv) => sortGeneric(c, argv, true),
  },
];
