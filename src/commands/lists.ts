/**
 * List commands: pushes and pops at both ends, positional access, LREM/LINSERT/LPOS, moves
 * between lists, LMPOP, and the blocking variants (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH,
 * BLMPOP), which park the client through src/commands/blocking.ts when nothing is there.
 *
 * A list key never holds an empty list: whatever empties one deletes the key (with a `del`
 * event after the command's own event, as Redis does).
 *
 * @module
 */
import { parseInteger } from "../resp/numbers.ts";
import type { Value } from "../store/value.ts";
import { ListValue } from "../types/list.ts";
import { isToken, lookupRead, lookupWrite, written } from "./args.ts";
import { blockForKeys, mayBlock, parseTimeout } from "./blocking.ts";
import type { Client } from "./context.ts";
import { arityError } from "./dispatch.ts";
import {
  type ArgSpec,
  type CommandSpec,
  Errors,
  FIRST_KEY as ONE_KEY,
  KEY_ARG as KEY,
  type KeySpec,
  ReplyError,
} from "./spec.ts";

// --- helpers ---------------------------------------------------------------------------

/** `v` as a list, undefined when missing, or a WRONGTYPE error. */
function asList(v: Value | undefined): ListValue | undefined {
  if (v === undefined || v instanceof ListValue) return v;
  throw new ReplyError(Errors.wrongType);
}

/** The list at `key` for reading (WRONGTYPE when it is something else). */
function readList(c: Client, key: string): ListValue | undefined {
  return asList(lookupRead(c, key));
}

/** The list at `key` for writing (WRONGTYPE when it is something else). */
function writeList(c: Client, key: string): ListValue | undefined {
  return asList(lookupWrite(c, key));
}

/** A new empty list stored at `key`, sized by the current `list-max-listpack-size`. */
function createList(c: Client, key: string): ListValue {
  const list = new ListValue(c.server.config);
  c.db.set(key, list);
  return list;
}

/** Deletes `key` when its list is empty, with Redis's `del` event. */
function deleteIfEmpty(c: Client, key: string, list: ListValue): void {
  if (list.length !== 0) return;
  c.db.delete(key);
  c.server.keyspace.notify("g", "del", key, c.db.id);
}

/** A 64-bit integer argument as a JS number (beyond 2^53 precision no longer matters). */
function longArg(s: string, message: string = Errors.notInteger): number {
  const v = parseInteger(s);
  if (v === null) throw new ReplyError(message);
  return Number(v);
}

/** LEFT/RIGHT argument: true for LEFT (the head). */
function whereArg(s: string): boolean {
  if (isToken(s, "left")) return true;
  if (isToken(s, "right")) return false;
  throw new ReplyError(Errors.syntax);
}

/** Pops up to `count` elements from one end of `list` at `key`, with events; returns them. */
function popMany(c: Client, key: string, list: ListValue, head: boolean, count: number): string[] {
  const n = Math.min(count, list.length);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = list.pop(head)!;
  written(c, key, head ? "lpop" : "rpop", "l", n);
  deleteIfEmpty(c, key, list);
  return out;
}

/**
 * Moves one element from an end of `src` (an existing list) to an end of `dst` and replies
 * with it (LMOVE's core, also serving blocked BLMOVE). The destination's type must have
 * been checked. Events as in Redis: the push on the destination, then the pop on the source.
 */
function moveElement(
  c: Client,
  srcKey: string,
  src: ListValue,
  dstKey: string,
  dst: ListValue | undefined,
  fromHead: boolean,
  toHead: boolean,
): void {
  const value = src.pop(fromHead)!;
  const target = dst ?? createList(c, dstKey);
  target.push(value, toHead);
  written(c, dstKey, toHead ? "lpush" : "rpush", "l");
  written(c, srcKey, fromHead ? "lpop" : "rpop", "l");
  deleteIfEmpty(c, srcKey, src);
  c.w.bulk(value);
}

// --- command implementations ----------------------------------------------------------

function pushCommand(c: Client, argv: string[], head: boolean, onlyExisting: boolean): void {
  const key = argv[1]!;
  let list = writeList(c, key);
  if (list === undefined) {
    if (onlyExisting) {
      c.w.int(0);
      return;
    }
    list = createList(c, key);
  }
  for (let i = 2; i < argv.length; i++) list.push(argv[i]!, head);
  written(c, key, head ? "lpush" : "rpush", "l", argv.length - 2);
  c.w.int(list.length);
}

const POSITIVE = "ERR value is out of range, must be positive";

function popCommand(c: Client, argv: string[], head: boolean): void {
  if (argv.length > 3) throw new ReplyError(arityError(head ? "lpop" : "rpop"));
  let count = -1;
  if (argv.length === 3) {
    const v = parseInteger(argv[2]!);
    if (v === null || v < 0) throw new ReplyError(POSITIVE);
    count = Number(v);
  }
  const key = argv[1]!;
  const list = writeList(c, key);
  if (list === undefined) {
    if (count === -1) c.w.nullBulk();
    else c.w.nullArray();
    return;
  }
  if (count === -1) {
    c.w.bulk(popMany(c, key, list, head, 1)[0]!);
    return;
  }
  if (count === 0) {
    c.w.array(0);
    return;
  }
  c.w.bulkArray(popMany(c, key, list, head, count));
}

function lindexCommand(c: Client, argv: string[]): void {
  const list = readList(c, argv[1]!);
  if (list === undefined) {
    c.w.nullBulk();
    return;
  }
  const value = list.index(longArg(argv[2]!));
  if (value === undefined) c.w.nullBulk();
  else c.w.bulk(value);
}

function lsetCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const list = writeList(c, key);
  if (list === undefined) throw new ReplyError(Errors.noSuchKey);
  const index = longArg(argv[2]!);
  if (!list.set(index, argv[3]!)) throw new ReplyError(Errors.outOfRange);
  written(c, key, "lset", "l");
  c.w.ok();
}

/** Redis's start/end normalisation for LRANGE; null when the range is empty. */
function listRange(len: number, start: number, end: number): [number, number] | null {
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

function lrangeCommand(c: Client, argv: string[]): void {
  const start = longArg(argv[2]!);
  const end = longArg(argv[3]!);
  const list = readList(c, argv[1]!);
  const range = list === undefined ? null : listRange(list.length, start, end);
  if (range === null) {
    c.w.array(0);
    return;
  }
  const w = c.w;
  w.array(range[1] - range[0] + 1);
  list!.range(range[0], range[1], (s) => w.bulk(s));
}

function ltrimCommand(c: Client, argv: string[]): void {
  const start = longArg(argv[2]!);
  const end = longArg(argv[3]!);
  const key = argv[1]!;
  const list = writeList(c, key);
  if (list === undefined) {
    c.w.ok();
    return;
  }
  const len = list.length;
  const range = listRange(len, start, end);
  const left = range === null ? len : range[0];
  const right = range === null ? 0 : len - 1 - range[1];
  list.trimHead(left);
  list.trimTail(right);
  written(c, key, "ltrim", "l", left + right);
  deleteIfEmpty(c, key, list);
  c.w.ok();
}

function lremCommand(c: Client, argv: string[]): void {
  const count = longArg(argv[2]!);
  const key = argv[1]!;
  const list = writeList(c, key);
  if (list === undefined) {
    c.w.int(0);
    return;
  }
  const removed = list.remove(argv[3]!, count);
  if (removed > 0) {
    written(c, key, "lrem", "l", removed);
    deleteIfEmpty(c, key, list);
  }
  c.w.int(removed);
}

function linsertCommand(c: Client, argv: string[]): void {
  let after: boolean;
  if (isToken(argv[2]!, "after")) after = true;
  else if (isToken(argv[2]!, "before")) after = false;
  else throw new ReplyError(Errors.syntax);
  const key = argv[1]!;
  const list = writeList(c, key);
  if (list === undefined) {
    c.w.int(0);
    return;
  }
  if (!list.insert(argv[3]!, argv[4]!, after)) {
    c.w.int(-1);
    return;
  }
  written(c, key, "linsert", "l");
  c.w.int(list.length);
}

const RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, " +
  "2 from the second ... or use negative to start from the end of the list";

function lposCommand(c: Client, argv: string[]): void {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  const argc = argv.length;
  for (let j = 3; j < argc; j++) {
    const opt = argv[j]!;
    const more = j + 1 < argc;
    if (more && isToken(opt, "rank")) {
      const v = parseInteger(argv[++j]!);
      if (v === null) throw new ReplyError(Errors.notInteger);
      if (v === 0) throw new ReplyError(RANK_ZERO);
      // Redis negates LLONG_MIN into itself, which then matches like -1.
      rank = v === -9223372036854775808n ? -1 : Number(v);
    } else if (more && isToken(opt, "count")) {
      const v = parseInteger(argv[++j]!);
      if (v === null || v < 0) throw new ReplyError("ERR COUNT can't be negative");
      count = Number(v);
    } else if (more && isToken(opt, "maxlen")) {
      const v = parseInteger(argv[++j]!);
      if (v === null || v < 0) throw new ReplyError("ERR MAXLEN can't be negative");
      maxlen = Number(v);
    } else throw new ReplyError(Errors.syntax);
  }
  const list = readList(c, argv[1]!);
  if (list === undefined) {
    if (count !== -1) c.w.array(0);
    else c.w.nullBulk();
    return;
  }
  const element = argv[2]!;
  const reverse = rank < 0;
  const want = Math.abs(rank);
  const found: number[] = [];
  let matches = 0;
  let seen = 0;
  list.scan(reverse, (item, index) => {
    if (maxlen !== 0 && seen >= maxlen) return false;
    seen++;
    if (item !== element) return;
    matches++;
    if (matches < want) return;
    found.push(index);
    if (count === -1 || (count !== 0 && found.length === count)) return false;
  });
  if (count === -1) {
    if (found.length === 0) c.w.nullBulk();
    else c.w.int(found[0]!);
    return;
  }
  c.w.array(found.length);
  for (const i of found) c.w.int(i);
}

function lmoveCommand(
  c: Client,
  srcKey: string,
  dstKey: string,
  fromHead: boolean,
  toHead: boolean,
): void {
  const src = writeList(c, srcKey);
  if (src === undefined) {
    c.w.nullBulk();
    return;
  }
  const dst = writeList(c, dstKey);
  moveElement(c, srcKey, src, dstKey, dst, fromHead, toHead);
}

/**
 * BLMOVE / BRPOPLPUSH: moves at once when the source has elements, else blocks. A move is
 * propagated as `propagate` (LMOVE / RPOPLPUSH).
 */
function blmoveCommand(
  c: Client,
  srcKey: string,
  dstKey: string,
  fromHead: boolean,
  toHead: boolean,
  timeoutArg: string,
  propagate: string[],
): void {
  const timeout = parseTimeout(timeoutArg);
  const src = writeList(c, srcKey);
  if (src !== undefined) {
    moveElement(c, srcKey, src, dstKey, writeList(c, dstKey), fromHead, toHead);
    c.propagateAs(propagate);
    return;
  }
  if (!mayBlock(c)) {
    c.w.nullBulk();
    return;
  }
  blockForKeys(c, [srcKey], timeout, {
    serve(c) {
      const src = lookupWrite(c, srcKey);
      if (!(src instanceof ListValue)) return false;
      // A destination of another type fails the command but leaves the element in place.
      const dst = writeList(c, dstKey);
      moveElement(c, srcKey, src, dstKey, dst, fromHead, toHead);
      c.propagateAs(propagate);
      return true;
    },
    // Redis answers a timed-out BLMOVE with a null array, not a null bulk.
    timeout: (c) => c.w.nullArray(),
  });
}

/** Replies `[key, element]` after popping one element (BLPOP/BRPOP). */
function popOneReply(c: Client, key: string, list: ListValue, head: boolean): void {
  const value = popMany(c, key, list, head, 1)[0]!;
  c.propagateAs([head ? "LPOP" : "RPOP", key]);
  c.w.array(2);
  c.w.bulk(key);
  c.w.bulk(value);
}

function bpopCommand(c: Client, argv: string[], head: boolean): void {
  const timeout = parseTimeout(argv[argv.length - 1]!);
  const keys = argv.slice(1, -1);
  for (const key of keys) {
    const list = writeList(c, key);
    if (list === undefined) continue;
    popOneReply(c, key, list, head);
    return;
  }
  if (!mayBlock(c)) {
    c.w.nullArray();
    return;
  }
  blockForKeys(c, keys, timeout, {
    serve(c, key) {
      const list = lookupWrite(c, key);
      if (!(list instanceof ListValue)) return false;
      popOneReply(c, key, list, head);
      return true;
    },
    timeout: (c) => c.w.nullArray(),
  });
}

/** Parsed LMPOP / BLMPOP arguments. */
interface MpopArgs {
  keys: string[];
  head: boolean;
  count: number;
}

/** Parses `numkeys key... LEFT|RIGHT [COUNT count]` starting at `argv[at]`. */
function parseMpop(argv: string[], at: number): MpopArgs {
  const argc = argv.length;
  const v = parseInteger(argv[at]!);
  if (v === null || v <= 0) throw new ReplyError("ERR numkeys should be greater than 0");
  const first = at + 1;
  if (v > argc - first - 1) throw new ReplyError(Errors.syntax);
  const numkeys = Number(v);
  const keys = argv.slice(first, first + numkeys);
  const head = whereArg(argv[first + numkeys]!);
  let count = -1;
  for (let j = first + numkeys + 1; j < argc; j++) {
    if (count === -1 && isToken(argv[j]!, "count") && j + 1 < argc) {
      const n = parseInteger(argv[++j]!);
      if (n === null || n <= 0) throw new ReplyError("ERR count should be greater than 0");
      count = Number(n);
    } else throw new ReplyError(Errors.syntax);
  }
  return { keys, head, count: count === -1 ? 1 : count };
}

/** Replies `[key, [elements...]]` after popping up to `count` elements. */
function mpopReply(c: Client, key: string, list: ListValue, a: MpopArgs): void {
  const items = popMany(c, key, list, a.head, a.count);
  c.propagateAs([a.head ? "LPOP" : "RPOP", key, String(items.length)]);
  c.w.array(2);
  c.w.bulk(key);
  c.w.bulkArray(items);
}

/** The first non-empty list among `keys` (WRONGTYPE stops the search). */
function firstList(c: Client, keys: string[]): [string, ListValue] | null {
  for (const key of keys) {
    const list = writeList(c, key);
    if (list !== undefined) return [key, list];
  }
  return null;
}

function lmpopCommand(c: Client, argv: string[]): void {
  const a = parseMpop(argv, 1);
  const hit = firstList(c, a.keys);
  if (hit === null) c.w.nullArray();
  else mpopReply(c, hit[0], hit[1], a);
}

function blmpopCommand(c: Client, argv: string[]): void {
  const a = parseMpop(argv, 2);
  const timeout = parseTimeout(argv[1]!);
  const hit = firstList(c, a.keys);
  if (hit !== null) {
    mpopReply(c, hit[0], hit[1], a);
    return;
  }
  if (!mayBlock(c)) {
    c.w.nullArray();
    return;
  }
  blockForKeys(c, a.keys, timeout, {
    serve(c, key) {
      const list = lookupWrite(c, key);
      if (!(list instanceof ListValue)) return false;
      mpopReply(c, key, list, a);
      return true;
    },
    timeout: (c) => c.w.nullArray(),
  });
}

// --- declarations ----------------------------------------------------------------------

const KEYS: ArgSpec = { name: "key", type: "key", keySpecIndex: 0, multiple: true };
const ELEMENTS: ArgSpec = { name: "element", type: "string", multiple: true };
const TWO_KEYS = { first: 1, last: 2, step: 1 };
const TIMEOUT: ArgSpec = { name: "timeout", type: "double" };
const TIMEOUT_HISTORY: [string, string][] = [[
  "6.0.0",
  "`timeout` is interpreted as a double instead of an integer.",
]];
const PUSH_COMPLEXITY = "O(1) for each element added, so O(N) to add N elements when the " +
  "command is called with multiple arguments.";

function where(name: string): ArgSpec {
  return {
    name,
    type: "oneof",
    args: [
      { name: "left", type: "pure-token", token: "LEFT" },
      { name: "right", type: "pure-token", token: "RIGHT" },
    ],
  };
}

/** Key specs of the two-key move commands: pop from the first, push to the second. */
const MOVE_KEY_SPECS: KeySpec[] = [
  {
    flags: ["RW", "access", "delete"],
    begin: { index: 1 },
    find: { lastKey: 0, keyStep: 1, limit: 0 },
  },
  { flags: ["RW", "insert"], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
];
const MOVE_ARGS: ArgSpec[] = [
  { name: "source", type: "key", keySpecIndex: 0 },
  { name: "destination", type: "key", keySpecIndex: 1 },
];
const MPOP_ARGS: ArgSpec[] = [
  { name: "numkeys", type: "integer" },
  KEYS,
  where("where"),
  { name: "count", type: "integer", token: "COUNT", optional: true },
];
/** Key positions of LMPOP (`numkeys` at `at`) for COMMAND GETKEYS; none when invalid. */
function mpopKeys(argv: string[], at: number): number[] {
  const n = parseInteger(argv[at] ?? "");
  if (typeof n !== "number" || n <= 0 || at + 1 + n > argv.length) return [];
  return Array.from({ length: n }, (_, i) => at + 1 + i);
}

const MPOP_COMPLEXITY = "O(N+M) where N is the number of provided keys and M is the number " +
  "of elements returned.";

function pushSpec(name: string, since: string, summary: string, history: string): CommandSpec {
  const head = name.startsWith("l");
  const onlyExisting = name.endsWith("x");
  return {
    name,
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "insert"],
    group: "list",
    since,
    summary,
    complexity: PUSH_COMPLEXITY,
    history: [[history, "Accepts multiple `element` arguments."]],
    args: [KEY, ELEMENTS],
    run: (c, argv) => pushCommand(c, argv, head, onlyExisting),
  };
}

function popSpec(name: string, summary: string): CommandSpec {
  const head = name === "lpop";
  return {
    name,
    arity: -2,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "access", "delete"],
    group: "list",
    since: "1.0.0",
    summary,
    complexity: "O(N) where N is the number of elements returned",
    history: [["6.2.0", "Added the `count` argument."]],
    args: [KEY, { name: "count", type: "integer", since: "6.2.0", optional: true }],
    run: (c, argv) => popCommand(c, argv, head),
  };
}

function bpopSpec(name: string, summary: string): CommandSpec {
  const head = name === "blpop";
  return {
    name,
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    keys: { first: 1, last: -2, step: 1 },
    keyFlags: ["RW", "access", "delete"],
    group: "list",
    since: "2.0.0",
    summary,
    complexity: "O(N) where N is the number of provided keys.",
    history: TIMEOUT_HISTORY,
    args: [KEYS, TIMEOUT],
    run: (c, argv) => bpopCommand(c, argv, head),
  };
}

/** List commands. */
export const listCommands: CommandSpec[] = [
  pushSpec("lpush", "1.0.0", "Prepend one or multiple elements to a list", "2.4.0"),
  pushSpec("rpush", "1.0.0", "Append one or multiple elements to a list", "2.4.0"),
  pushSpec("lpushx", "2.2.0", "Prepend an element to a list, only if the list exists", "4.0.0"),
  pushSpec("rpushx", "2.2.0", "Append an element to a list, only if the list exists", "4.0.0"),
  popSpec("lpop", "Remove and get the first elements in a list"),
  popSpec("rpop", "Remove and get the last elements in a list"),
  {
    name: "llen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RO"],
    group: "list",
    since: "1.0.0",
    summary: "Get the length of a list",
    complexity: "O(1)",
    args: [KEY],
    run(c, argv) {
      c.w.int(readList(c, argv[1]!)?.length ?? 0);
    },
  },
  {
    name: "lindex",
    arity: 3,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    group: "list",
    since: "1.0.0",
    summary: "Get an element from a list by its index",
    complexity: "O(N) where N is the number of elements to traverse to get to the element at " +
      "index. This makes asking for the first or the last element of the list O(1).",
    args: [KEY, { name: "index", type: "integer" }],
    run: lindexCommand,
  },
  {
    name: "lset",
    arity: 4,
    flags: ["write", "denyoom"],
    keys: ONE_KEY,
    keyFlags: ["RW", "update"],
    group: "list",
    since: "1.0.0",
    summary: "Set the value of an element in a list by its index",
    complexity: "O(N) where N is the length of the list. Setting either the first or the last " +
      "element of the list is O(1).",
    args: [KEY, { name: "index", type: "integer" }, { name: "element", type: "string" }],
    run: lsetCommand,
  },
  {
    name: "lrange",
    arity: 4,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    group: "list",
    since: "1.0.0",
    summary: "Get a range of elements from a list",
    complexity: "O(S+N) where S is the distance of start offset from HEAD for small lists, " +
      "from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in " +
      "the specified range.",
    args: [KEY, { name: "start", type: "integer" }, { name: "stop", type: "integer" }],
    run: lrangeCommand,
  },
  {
    name: "ltrim",
    arity: 4,
    flags: ["write"],
    keys: ONE_KEY,
    keyFlags: ["RW", "delete"],
    group: "list",
    since: "1.0.0",
    summary: "Trim a list to the specified range",
    complexity: "O(N) where N is the number of elements to be removed by the operation.",
    args: [KEY, { name: "start", type: "integer" }, { name: "stop", type: "integer" }],
    run: ltrimCommand,
  },
  {
    name: "lrem",
    arity: 4,
    flags: ["write"],
    keys: ONE_KEY,
    keyFlags: ["RW", "delete"],
    group: "list",
    since: "1.0.0",
    summary: "Remove elements from a list",
    complexity: "O(N+M) where N is the length of the list and M is the number of elements " +
      "removed.",
    args: [KEY, { name: "count", type: "integer" }, { name: "element", type: "string" }],
    run: lremCommand,
  },
  {
    name: "linsert",
    arity: 5,
    flags: ["write", "denyoom"],
    keys: ONE_KEY,
    keyFlags: ["RW", "insert"],
    group: "list",
    since: "2.2.0",
    summary: "Insert an element before or after another element in a list",
    complexity: "O(N) where N is the number of elements to traverse before seeing the value " +
      "pivot. This means that inserting somewhere on the left end on the list (head) can be " +
      "considered O(1) and inserting somewhere on the right end (tail) is O(N).",
    args: [
      KEY,
      {
        name: "where",
        type: "oneof",
        args: [
          { name: "before", type: "pure-token", token: "BEFORE" },
          { name: "after", type: "pure-token", token: "AFTER" },
        ],
      },
      { name: "pivot", type: "string" },
      { name: "element", type: "string" },
    ],
    run: linsertCommand,
  },
  {
    name: "lpos",
    arity: -3,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    group: "list",
    since: "6.0.6",
    summary: "Return the index of matching elements on a list",
    complexity: "O(N) where N is the number of elements in the list, for the average case. " +
      "When searching for elements near the head or the tail of the list, or when the MAXLEN " +
      "option is provided, the command may run in constant time.",
    args: [
      KEY,
      { name: "element", type: "string" },
      { name: "rank", type: "integer", token: "RANK", optional: true },
      { name: "num-matches", type: "integer", token: "COUNT", optional: true },
      { name: "len", type: "integer", token: "MAXLEN", optional: true },
    ],
    run: lposCommand,
  },
  {
    name: "lmove",
    arity: 5,
    flags: ["write", "denyoom"],
    keys: TWO_KEYS,
    keySpecs: MOVE_KEY_SPECS,
    group: "list",
    since: "6.2.0",
    summary: "Pop an element from a list, push it to another list and return it",
    complexity: "O(1)",
    args: [...MOVE_ARGS, where("wherefrom"), where("whereto")],
    run(c, argv) {
      const fromHead = whereArg(argv[3]!);
      const toHead = whereArg(argv[4]!);
      lmoveCommand(c, argv[1]!, argv[2]!, fromHead, toHead);
    },
  },
  {
    name: "rpoplpush",
    arity: 3,
    flags: ["write", "denyoom"],
    keys: TWO_KEYS,
    keySpecs: MOVE_KEY_SPECS,
    group: "list",
    since: "1.2.0",
    summary: "Remove the last element in a list, prepend it to another list and return it",
    complexity: "O(1)",
    deprecatedSince: "6.2.0",
    replacedBy: "`LMOVE` with the `RIGHT` and `LEFT` arguments",
    args: MOVE_ARGS,
    run: (c, argv) => lmoveCommand(c, argv[1]!, argv[2]!, false, true),
  },
  {
    name: "lmpop",
    arity: -4,
    flags: ["write"],
    keySpecs: [{
      flags: ["RW", "access", "delete"],
      begin: { index: 1 },
      find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
    }],
    getKeys: (argv) => mpopKeys(argv, 1),
    group: "list",
    since: "7.0.0",
    summary: "Pop elements from a list",
    complexity: MPOP_COMPLEXITY,
    args: MPOP_ARGS,
    run: lmpopCommand,
  },
  bpopSpec(
    "blpop",
    "Remove and get the first element in a list, or block until one is available",
  ),
  bpopSpec(
    "brpop",
    "Remove and get the last element in a list, or block until one is available",
  ),
  {
    name: "blmove",
    arity: 6,
    flags: ["write", "denyoom", "noscript", "blocking"],
    keys: TWO_KEYS,
    keySpecs: MOVE_KEY_SPECS,
    group: "list",
    since: "6.2.0",
    summary: "Pop an element from a list, push it to another list and return it; or block " +
      "until one is available",
    complexity: "O(1)",
    args: [...MOVE_ARGS, where("wherefrom"), where("whereto"), TIMEOUT],
    run(c, argv) {
      const fromHead = whereArg(argv[3]!);
      const toHead = whereArg(argv[4]!);
      const as = ["LMOVE", argv[1]!, argv[2]!, argv[3]!, argv[4]!];
      blmoveCommand(c, argv[1]!, argv[2]!, fromHead, toHead, argv[5]!, as);
    },
  },
  {
    name: "brpoplpush",
    arity: 4,
    flags: ["write", "denyoom", "noscript", "blocking"],
    keys: TWO_KEYS,
    keySpecs: MOVE_KEY_SPECS,
    group: "list",
    since: "2.2.0",
    summary: "Pop an element from a list, push it to another list and return it; or block " +
      "until one is available",
    complexity: "O(1)",
    deprecatedSince: "6.2.0",
    replacedBy: "`BLMOVE` with the `RIGHT` and `LEFT` arguments",
    history: TIMEOUT_HISTORY,
    args: [...MOVE_ARGS, TIMEOUT],
    run: (c, argv) =>
      blmoveCommand(c, argv[1]!, argv[2]!, false, true, argv[3]!, [
        "RPOPLPUSH",
        argv[1]!,
        argv[2]!,
      ]),
  },
  {
    name: "blmpop",
    arity: -5,
    flags: ["write", "blocking"],
    keySpecs: [{
      flags: ["RW", "access", "delete"],
      begin: { index: 2 },
      find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
    }],
    getKeys: (argv) => mpopKeys(argv, 2),
    group: "list",
    since: "7.0.0",
    summary: "Pop elements from a list, or block until one is available",
    complexity: MPOP_COMPLEXITY,
    args: [TIMEOUT, ...MPOP_ARGS],
    run: blmpopCommand,
  },
];
