/**
 * Stream commands: XADD, XRANGE/XREVRANGE, XLEN, XDEL, XTRIM, XSETID, XREAD (with BLOCK),
 * consumer groups (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM) and XINFO, with
 * Redis 7.0's replies and errors. The data structure is src/types/stream.ts.
 *
 * Which writes signal a modified key (WATCH, wake-ups) follows Redis: XADD, XDEL and XTRIM
 * do; consumer-group bookkeeping (XGROUP, XREADGROUP, XACK, XCLAIM, XSETID) only emits its
 * keyspace event and counts as dirty. Commands whose effect depends on time or on generated
 * IDs are propagated in a deterministic form, as Redis does: XADD with the generated ID and
 * the exact trim threshold, XREADGROUP / XCLAIM / XAUTOCLAIM as XCLAIM ... FORCE JUSTID plus
 * XGROUP SETID / CREATECONSUMER (an approximate trim's LIMIT is dropped from the rewritten
 * XADD / XTRIM, since the trim it describes is exact).
 *
 * XREAD / XREADGROUP BLOCK park the client through src/commands/blocking.ts. As in Redis, a
 * parked reader is served when its stream gets new entries (XADD) or a new stream object
 * appears under the key (RENAME, RESTORE...); XDEL, XSETID and the like do not wake it. An
 * XREADGROUP reader fails when its key or group goes away (DEL, FLUSHALL, XGROUP DESTROY).
 *
 * @module
 */
import type { Value } from "../store/value.ts";
import {
  type Consumer,
  type ConsumerGroup,
  INVALID_ENTRIES_READ,
  type Nack,
  nextDeliveryCount,
  type StreamConfig,
  StreamValue,
} from "../types/stream.ts";
import {
  decrId,
  formatId,
  idMs,
  incrId,
  MAX_ID,
  MIN_ID,
  parseId,
  type StreamId,
  U64_MAX,
} from "../types/stream_id.ts";
import { parseInteger } from "../resp/numbers.ts";
import { isToken, lookupRead, lookupWrite, writeHelp, written } from "./args.ts";
import { blockForKeys, mayBlock } from "./blocking.ts";
import type { Client } from "./context.ts";
import { arityError } from "./dispatch.ts";
import {
  type ArgSpec,
  type CommandSpec,
  Errors,
  FIRST_KEY as ONE_KEY,
  KEY_ARG as KEY,
  ReplyError,
} from "./spec.ts";

// --- Shared helpers ---------------------------------------------------------------------------

const INVALID_ID = "ERR Invalid stream ID specified as stream command argument";

/** Flat field/value pairs of an entry. */
type Fields = readonly string[];

/** The value as a stream (undefined stays undefined), or WRONGTYPE. */
function asStream(v: Value | undefined): StreamValue | undefined {
  if (v === undefined || v instanceof StreamValue) return v;
  throw new ReplyError(Errors.wrongType);
}

/** Runs the keyspace write barrier before a value found by a read lookup is changed. */
function barrier(c: Client, key: string): void {
  const b = c.server.keyspace.writeBarrier;
  if (b !== null) b(c.db, key);
}

/** Node size limits from the config. */
function streamConfig(c: Client): StreamConfig {
  const cfg = c.server.config;
  return {
    maxEntries: cfg.getNumber("stream-node-max-entries"),
    maxBytes: cfg.getNumber("stream-node-max-bytes"),
  };
}

/** Part of a C string: what `%s` prints and `strcmp` compares (up to a NUL byte). */
function cstr(s: string): string {
  const i = s.indexOf("\x00");
  return i < 0 ? s : s.slice(0, i);
}

/** A strict ID (no `-` / `+`), `<ms>` meaning `<ms>-0`. */
function strictId(arg: string): StreamId {
  const p = parseId(arg, 0n, true);
  if (p === null) throw new ReplyError(INVALID_ID);
  return p.id;
}

/** An ID where `-` and `+` are allowed; `<ms>` takes `missingSeq`. */
function looseId(arg: string, missingSeq: bigint): StreamId {
  const p = parseId(arg, missingSeq, false);
  if (p === null) throw new ReplyError(INVALID_ID);
  return p.id;
}

/**
 * A range bound (Redis's `streamParseIntervalIdOrReply`): `(` makes it exclusive, in which
 * case the rest must be a strict ID. `start` bounds move up, end bounds move down.
 */
function intervalId(arg: string, start: boolean): StreamId {
  const missingSeq = start ? 0n : U64_MAX;
  if (arg.length > 1 && arg[0] === "(") {
    const p = parseId(arg.slice(1), missingSeq, true);
    if (p === null) throw new ReplyError(INVALID_ID);
    const moved = start ? incrId(p.id) : decrId(p.id);
    if (moved === null) {
      throw new ReplyError(`ERR invalid ${start ? "start" : "end"} ID for the interval`);
    }
    return moved;
  }
  return looseId(arg, missingSeq);
}

/** A 64-bit integer argument (`getLongLongFromObjectOrReply`) with an optional message. */
function llArg(s: string, message: string = Errors.notInteger): number | bigint {
  const v = parseInteger(s);
  if (v === null) throw new ReplyError(message);
  return v;
}

/** A 64-bit integer argument as a number, clamped to ±2^53 (enough for counts and times). */
function llNum(s: string, message?: string): number {
  const v = llArg(s, message);
  return typeof v === "number" ? v : v > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

/** Writes an ID. */
function replyId(c: Client, id: StreamId): void {
  c.w.bulk(formatId(id));
}

/** Writes an entry: `[id, [field, value, ...]]`. */
function replyEntry(c: Client, id: StreamId, fields: Fields): void {
  const w = c.w;
  w.array(2);
  w.bulk(formatId(id));
  w.array(fields.length);
  for (let i = 0; i < fields.length; i++) w.bulk(fields[i]!);
}

/** Writes entries as an array; a null `fields` (deleted entry in a PEL) is a null array. */
function replyEntries(c: Client, entries: [StreamId, Fields | null][]): void {
  c.w.array(entries.length);
  for (const [id, fields] of entries) {
    if (fields !== null) replyEntry(c, id, fields);
    else {
      c.w.array(2);
      replyId(c, id);
      c.w.nullArray();
    }
  }
}

/** Writes a 64-bit counter the way `addReplyLongLong` does (signed). */
function replyCount(c: Client, n: number | bigint): void {
  c.w.int(typeof n === "number" ? n : BigInt.asIntN(64, n));
}

/** Live entries in `[start, end]` (descending when `rev`), at most `count` (0 = all). */
function collect(
  s: StreamValue,
  start: StreamId,
  end: StreamId,
  count: number,
  rev: boolean,
): [StreamId, Fields][] {
  const out: [StreamId, Fields][] = [];
  s.range(start, end, rev, (id, fields) => {
    out.push([id, fields]);
    return count === 0 || out.length < count;
  });
  return out;
}

/** Emits a stream keyspace event and counts a write, without signalling the key. */
function event(c: Client, key: string, name: string, dirty = 1): void {
  c.ks.notify("t", name, key, c.db.id);
  c.ks.markWritten(dirty);
}

/** The NOGROUP error of XREADGROUP / XPENDING / XCLAIM / XAUTOCLAIM. */
function noGroupError(key: string, group: string, suffix = ""): ReplyError {
  return new ReplyError(
    `NOGROUP No such key '${cstr(key)}' or consumer group '${cstr(group)}'${suffix}`,
  );
}

/** The NOGROUP error of XGROUP and XINFO CONSUMERS. */
function noSuchGroup(key: string, group: string): ReplyError {
  return new ReplyError(
    `NOGROUP No such consumer group '${cstr(group)}' for key name '${cstr(key)}'`,
  );
}

/** A consumer, created (with its keyspace event and a dirty count) when missing. */
function getOrCreateConsumer(
  c: Client,
  key: string,
  g: ConsumerGroup,
  name: string,
  refresh: boolean,
  props?: string[][],
): Consumer {
  const now = c.ks.now;
  const found = g.consumer(name);
  if (found !== undefined) {
    if (refresh) found.seenTime = now;
    return found;
  }
  const created = g.createConsumer(name, now)!;
  event(c, key, "xgroup-createconsumer");
  props?.push(["XGROUP", "CREATECONSUMER", key, g.name, name]);
  return created;
}

/** The XCLAIM Redis propagates for a delivered or claimed entry (idempotent on replicas). */
function xclaimPropagation(key: string, g: ConsumerGroup, id: StreamId, nack: Nack): string[] {
  return [
    "XCLAIM",
    key,
    g.name,
    nack.consumer?.name ?? "",
    "0",
    formatId(id),
    "TIME",
    String(nack.deliveryTime),
    "RETRYCOUNT",
    String(
      typeof nack.deliveryCount === "number"
        ? nack.deliveryCount
        : BigInt.asIntN(64, nack.deliveryCount),
    ),
    "FORCE",
    "JUSTID",
    "LASTID",
    formatId(g.lastId),
  ];
}

/** The XGROUP SETID Redis propagates when a group moved. */
function setIdPropagation(key: string, g: ConsumerGroup): string[] {
  return ["XGROUP", "SETID", key, g.name, formatId(g.lastId), "ENTRIESREAD", String(g.entriesRead)];
}

// --- XADD / XTRIM -----------------------------------------------------------------------------

/** Parsed XADD / XTRIM options (Redis's `streamAddTrimArgs`). */
interface AddTrimArgs {
  /** Trimming strategy, if any. */
  strategy: "maxlen" | "minid" | null;
  maxLen: number;
  minId: StreamId;
  approx: boolean;
  /** Entries a trim may remove (0 = unlimited). */
  limit: number;
  /** Index of the threshold argument (for the propagated rewrite). */
  thresholdIdx: number;
  /** Index of the LIMIT token, -1 when absent. */
  limitIdx: number;
  noMkStream: boolean;
  /** XADD: the explicit ID (null for `*`) and whether its sequence was given. */
  id: StreamId | null;
  seqGiven: boolean;
  /** XADD: index of the ID argument. */
  idIdx: number;
}

const TRIM_BOTH = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";

function parseAddTrim(c: Client, argv: string[], xadd: boolean): AddTrimArgs {
  const a: AddTrimArgs = {
    strategy: null,
    maxLen: -1,
    minId: MIN_ID,
    approx: false,
    limit: 0,
    thresholdIdx: -1,
    limitIdx: -1,
    noMkStream: false,
    id: null,
    seqGiven: true,
    idIdx: -1,
  };
  let limitGiven = false;
  const argc = argv.length;
  let i = 2;
  for (; i < argc; i++) {
    const more = argc - 1 - i;
    const opt = argv[i]!;
    if (xadd && opt === "*") break;
    if ((isToken(opt, "maxlen") || isToken(opt, "minid")) && more > 0) {
      const maxlen = opt.length === 6;
      if (a.strategy !== null) throw new ReplyError(TRIM_BOTH);
      a.approx = false;
      const next = argv[i + 1]!;
      if (more >= 2 && next === "~") {
        a.approx = true;
        i++;
      } else if (more >= 2 && next === "=") i++;
      if (maxlen) {
        const v = llArg(argv[i + 1]!);
        if (v < 0) throw new ReplyError("ERR The MAXLEN argument must be >= 0.");
        a.maxLen = Number(v);
        a.strategy = "maxlen";
      } else {
        a.minId = strictId(argv[i + 1]!);
        a.strategy = "minid";
      }
      i++;
      a.thresholdIdx = i;
    } else if (isToken(opt, "limit") && more > 0) {
      const v = llArg(argv[i + 1]!);
      if (v < 0) throw new ReplyError("ERR The LIMIT argument must be >= 0.");
      a.limit = Number(v);
      a.limitIdx = i;
      limitGiven = true;
      i++;
    } else if (xadd && isToken(opt, "nomkstream")) {
      a.noMkStream = true;
    } else if (xadd) {
      const p = parseId(opt, 0n, true, true);
      if (p === null) throw new ReplyError(INVALID_ID);
      a.id = p.id;
      a.seqGiven = p.seqGiven;
      break;
    } else throw new ReplyError(Errors.syntax);
  }
  a.idIdx = i;
  if (a.limit !== 0 && a.strategy === null) {
    throw new ReplyError(
      "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
    );
  }
  if (!xadd && a.strategy === null) {
    throw new ReplyError("ERR syntax error, XTRIM must be called with a trimming strategy");
  }
  if (limitGiven) {
    if (!a.approx) {
      throw new ReplyError("ERR syntax error, LIMIT cannot be used without the special ~ option");
    }
  } else if (a.approx) {
    // Bounded work per call unless the caller says otherwise.
    const n = 100 * c.server.config.getNumber("stream-node-max-entries");
    a.limit = n <= 0 || n > 10000 ? 10000 : n;
  }
  return a;
}

/** Runs the trim of `a` on `s`; returns the entries removed. */
function applyTrim(s: StreamValue, a: AddTrimArgs): number {
  const by = a.strategy === "maxlen" ? { maxLen: a.maxLen } : { minId: a.minId };
  return s.trim(by, a.approx, a.limit);
}

/**
 * The argv to propagate after an approximate trim: `~` becomes `=` with the threshold that
 * was actually reached, and LIMIT goes (a replica must trim exactly as much).
 */
function exactTrimArgv(argv: string[], s: StreamValue, a: AddTrimArgs): string[] {
  const out = argv.slice();
  out[a.thresholdIdx - 1] = "=";
  if (a.strategy === "maxlen") out[a.thresholdIdx] = String(s.length);
  else {
    const first = s.nodes().next();
    const id = first.done ? MAX_ID : first.value.entries[0]!.id;
    out[a.thresholdIdx] = formatId(id);
  }
  if (a.limitIdx >= 0) out.splice(a.limitIdx, 2);
  return out;
}

function xaddCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const a = parseAddTrim(c, argv, true);
  const fieldPos = a.idIdx + 1;
  const n = argv.length - fieldPos;
  if (n < 2 || n % 2 === 1) throw new ReplyError(arityError("xadd"));
  if (a.id !== null && a.seqGiven && a.id === MIN_ID) {
    throw new ReplyError("ERR The ID specified in XADD must be greater than 0-0");
  }
  let s = asStream(lookupWrite(c, key));
  if (s === undefined) {
    if (a.noMkStream) {
      c.w.nullBulk();
      return;
    }
    s = new StreamValue();
    c.db.set(key, s);
  }
  if (s.lastId === MAX_ID) {
    throw new ReplyError(
      "ERR The stream has exhausted the last possible ID, unable to add more items",
    );
  }
  let id: StreamId;
  if (a.id === null) id = s.nextId(c.ks.now)!;
  else if (a.seqGiven) id = a.id;
  else if (idMs(a.id) === idMs(s.lastId)) {
    const next = incrId(s.lastId)!;
    if (idMs(next) !== idMs(s.lastId)) {
      throw new ReplyError("ERR Elements are too large to be stored");
    }
    id = next;
  } else id = a.id;
  if (id <= s.lastId) {
    throw new ReplyError(
      "ERR The ID specified in XADD is equal or smaller than the target stream top item",
    );
  }
  const fields = argv.slice(fieldPos);
  s.append(id, fields, streamConfig(c));
  replyId(c, id);
  written(c, key, "xadd", "t");
  let prop = argv;
  if (a.id === null || !a.seqGiven) {
    prop = argv.slice();
    prop[a.idIdx] = formatId(id);
  }
  if (a.strategy !== null) {
    if (applyTrim(s, a) !== 0) c.ks.notify("t", "xtrim", key, c.db.id);
    if (a.approx) prop = exactTrimArgv(prop, s, a);
  }
  if (prop !== argv) c.propagateAs(prop);
}

function xtrimCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const a = parseAddTrim(c, argv, false);
  const s = asStream(lookupWrite(c, key));
  if (s === undefined) {
    c.w.int(0);
    return;
  }
  const deleted = applyTrim(s, a);
  if (deleted !== 0) {
    written(c, key, "xtrim", "t", deleted);
    if (a.approx) c.propagateAs(exactTrimArgv(argv, s, a));
  }
  c.w.int(deleted);
}

// --- XLEN / XRANGE / XDEL / XSETID ----------------------------------------------------------

function xlenCommand(c: Client, argv: string[]): void {
  const s = asStream(lookupRead(c, argv[1]!));
  c.w.int(s?.length ?? 0);
}

function xrangeGeneric(c: Client, argv: string[], rev: boolean): void {
  const start = intervalId(argv[rev ? 3 : 2]!, true);
  const end = intervalId(argv[rev ? 2 : 3]!, false);
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (isToken(argv[j]!, "count") && j + 1 < argv.length) {
      count = Math.max(0, llNum(argv[++j]!));
    } else throw new ReplyError(Errors.syntax);
  }
  const s = asStream(lookupRead(c, argv[1]!));
  if (s === undefined) {
    c.w.array(0);
    return;
  }
  if (count === 0) {
    c.w.nullArray();
    return;
  }
  replyEntries(c, collect(s, start, end, count === -1 ? 0 : count, rev));
}

function xrangeCommand(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, false);
}

function xrevrangeCommand(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, true);
}

function xdelCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const s = asStream(lookupWrite(c, key));
  if (s === undefined) {
    c.w.int(0);
    return;
  }
  const ids = argv.slice(2).map(strictId);
  const deleted = s.deleteIds(ids);
  if (deleted !== 0) written(c, key, "xdel", "t", deleted);
  c.w.int(deleted);
}

function xsetidCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const id = strictId(argv[2]!);
  let maxDeleted = MIN_ID;
  let entriesAdded = -1n;
  for (let i = 3; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const more = i + 1 < argv.length;
    if (isToken(opt, "entriesadded") && more) {
      entriesAdded = BigInt(llArg(argv[i + 1]!));
      if (entriesAdded < 0n) throw new ReplyError("ERR entries_added must be positive");
    } else if (isToken(opt, "maxdeletedid") && more) {
      maxDeleted = strictId(argv[i + 1]!);
      if (id < maxDeleted) {
        throw new ReplyError(
          "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
        );
      }
    } else throw new ReplyError(Errors.syntax);
  }
  const s = asStream(lookupWrite(c, key));
  if (s === undefined) throw new ReplyError(Errors.noSuchKey);
  if (s.length > 0) {
    if (id < s.lastValidId()) {
      throw new ReplyError(
        "ERR The ID specified in XSETID is smaller than the target stream top item",
      );
    }
    if (entriesAdded !== -1n && BigInt(s.length) > entriesAdded) {
      throw new ReplyError(
        "ERR The entries_added specified in XSETID is smaller than the target stream length",
      );
    }
  }
  s.lastId = id;
  if (entriesAdded !== -1n) s.entriesAdded = entriesAdded;
  if (maxDeleted !== MIN_ID) s.maxDeletedId = maxDeleted;
  event(c, key, "xsetid");
  c.w.ok();
}

// --- XREAD / XREADGROUP -------------------------------------------------------------------------

/** Entries returned when a blocked XREAD without COUNT is served. */
const BLOCKED_DEFAULT_COUNT = 1000;

/** Parsed XREAD / XREADGROUP arguments. */
interface ReadArgs {
  count: number;
  /** Block timeout in ms (0 = forever), or -1 without BLOCK. */
  timeout: number;
  keys: string[];
  ids: string[];
  group: string | null;
  consumer: string | null;
  noack: boolean;
}

function parseRead(argv: string[], isGroup: boolean): ReadArgs {
  const a: ReadArgs = {
    count: 0,
    timeout: -1,
    keys: [],
    ids: [],
    group: null,
    consumer: null,
    noack: false,
  };
  const name = isGroup ? "XREADGROUP" : "XREAD";
  const argc = argv.length;
  let streamsAt = 0;
  for (let i = 1; i < argc; i++) {
    const more = argc - i - 1;
    const o = argv[i]!;
    if (isToken(o, "block") && more > 0) {
      i++;
      const v = llArg(argv[i]!, "ERR timeout is not an integer or out of range");
      if (v < 0) throw new ReplyError("ERR timeout is negative");
      a.timeout = Number(v);
    } else if (isToken(o, "count") && more > 0) {
      i++;
      a.count = Math.max(0, llNum(argv[i]!));
    } else if (isToken(o, "streams") && more > 0) {
      streamsAt = i + 1;
      const n = argc - streamsAt;
      if (n % 2 !== 0) {
        throw new ReplyError(
          `ERR Unbalanced ${name} list of streams: for each stream key an ID or '${
            isGroup ? ">" : "$"
          }' must be specified.`,
        );
      }
      a.keys = argv.slice(streamsAt, streamsAt + n / 2);
      a.ids = argv.slice(streamsAt + n / 2);
      break;
    } else if (isToken(o, "group") && more >= 2) {
      if (!isGroup) {
        throw new ReplyError(
          "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
        );
      }
      a.group = argv[i + 1]!;
      a.consumer = argv[i + 2]!;
      i += 2;
    } else if (isToken(o, "noack")) {
      if (!isGroup) {
        throw new ReplyError(
          "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
        );
      }
      a.noack = true;
    } else throw new ReplyError(Errors.syntax);
  }
  if (streamsAt === 0) throw new ReplyError(Errors.syntax);
  if (isGroup && a.group === null) throw new ReplyError("ERR Missing GROUP option for XREADGROUP");
  return a;
}

/**
 * Delivers new entries after `after` to `consumer` of group `g` (the `>` case of
 * XREADGROUP): advances the group, records NACKs unless `noack`, and collects what to
 * propagate into `props`.
 */
function deliverNew(
  c: Client,
  key: string,
  s: StreamValue,
  g: ConsumerGroup,
  consumer: Consumer,
  after: StreamId,
  count: number,
  noack: boolean,
  props: string[][],
): [StreamId, Fields][] {
  const start = incrId(after);
  if (start === null) return [];
  const entries = collect(s, start, MAX_ID, count, false);
  const now = c.ks.now;
  let moved = false;
  for (const [id] of entries) {
    if (id > g.lastId) {
      s.advanceGroup(g, id);
      moved = true;
    }
    if (noack) continue;
    let nack = g.pel.get(id);
    if (nack === undefined) {
      nack = { deliveryTime: now, deliveryCount: 1, consumer };
      g.pel.set(id, nack);
      consumer.pel.set(id, nack);
    } else {
      // XGROUP SETID moved the group back: the entry changes owner.
      nack.consumer?.pel.delete(id);
      nack.consumer = consumer;
      nack.deliveryTime = now;
      nack.deliveryCount = 1;
      consumer.pel.set(id, nack);
    }
    props.push(xclaimPropagation(key, g, id, nack));
  }
  // Each XCLAIM carries the group's new last ID; without NACKs a SETID moves it instead.
  if (moved && noack) props.push(setIdPropagation(key, g));
  return entries;
}

/**
 * The history case of XREADGROUP: the consumer's pending entries after `after`; entries
 * deleted from the stream come back with null fields. Each one counts as a new delivery.
 */
function deliverHistory(
  c: Client,
  s: StreamValue,
  consumer: Consumer,
  after: StreamId,
  count: number,
): [StreamId, Fields | null][] {
  const start = incrId(after);
  const out: [StreamId, Fields | null][] = [];
  if (start === null) return out;
  const now = c.ks.now;
  for (const [id, nack] of consumer.pel.entries(start)) {
    if (count !== 0 && out.length >= count) break;
    const fields = s.get(id);
    out.push([id, fields]);
    if (fields !== null) {
      nack.deliveryTime = now;
      nack.deliveryCount = nextDeliveryCount(nack.deliveryCount);
    }
  }
  return out;
}

/** Writes the XREAD reply: a map (RESP3) or array of `[key, entries]`. */
function replyStreams(c: Client, served: [string, [StreamId, Fields | null][]][]): void {
  const w = c.w;
  if (w.resp === 3) w.map(served.length);
  else w.array(served.length);
  for (const [key, entries] of served) {
    if (w.resp === 2) w.array(2);
    w.bulk(key);
    replyEntries(c, entries);
  }
}

function xreadGeneric(c: Client, argv: string[], isGroup: boolean): void {
  const a = parseRead(argv, isGroup);
  const n = a.keys.length;
  const gts: StreamId[] = [];
  const groups: (ConsumerGroup | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const key = a.keys[i]!;
    const s = asStream(lookupRead(c, key));
    if (isGroup) {
      const g = s?.group(a.group!);
      if (g === undefined) throw noGroupError(key, a.group!, " in XREADGROUP with GROUP option");
      groups[i] = g;
    }
    const arg = cstr(a.ids[i]!);
    if (arg === "$") {
      if (isGroup) {
        throw new ReplyError(
          "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the " +
            "history of this consumer by specifying a proper ID, or use the > ID to get new " +
            "messages. The $ ID would just return an empty result set.",
        );
      }
      gts[i] = s?.lastId ?? MIN_ID;
    } else if (arg === ">") {
      if (!isGroup) {
        throw new ReplyError(
          "ERR The > ID can be specified only when calling XREADGROUP using the GROUP " +
            "<group> <consumer> option.",
        );
      }
      gts[i] = MAX_ID;
    } else gts[i] = strictId(a.ids[i]!);
  }

  const served: [string, [StreamId, Fields | null][]][] = [];
  const props: string[][] = [];
  for (let i = 0; i < n; i++) {
    const key = a.keys[i]!;
    const s = lookupRead(c, key) as StreamValue | undefined;
    if (s === undefined) continue;
    let gt = gts[i]!;
    const g = groups[i];
    let history = false;
    let serve = false;
    if (g !== undefined) {
      if (gt !== MAX_ID) serve = history = true;
      else if (s.length !== 0 && s.lastValidId() > g.lastId) {
        serve = true;
        gt = g.lastId;
      }
    } else if (s.length !== 0 && s.lastValidId() > gt) serve = true;
    if (!serve) continue;
    if (g === undefined) {
      const start = incrId(gt);
      served.push([key, start === null ? [] : collect(s, start, MAX_ID, a.count, false)]);
      continue;
    }
    barrier(c, key);
    // Propagated XCLAIMs create the consumer on replicas; with NOACK nothing else would.
    const consumer = getOrCreateConsumer(
      c,
      key,
      g,
      a.consumer!,
      false,
      a.noack ? props : undefined,
    );
    consumer.seenTime = c.ks.now;
    served.push([
      key,
      history
        ? deliverHistory(c, s, consumer, gt, a.count)
        : deliverNew(c, key, s, g, consumer, gt, a.count, a.noack, props),
    ]);
    c.ks.markWritten();
  }
  if (isGroup) c.propagateAs(...props);
  if (served.length !== 0) {
    replyStreams(c, served);
    return;
  }
  if (a.timeout === -1 || !mayBlock(c)) {
    c.w.nullArray();
    return;
  }
  blockRead(c, a, gts);
}

/**
 * Parks an XREAD / XREADGROUP client. It is served when one of its streams got new entries
 * (XADD), or a new stream object appeared under the key (RENAME, RESTORE...), beyond the ID
 * it waits for; an XREADGROUP client gets an error when its key or group goes away. Other
 * changes of the key (XDEL, XSETID...) do not wake it, as in Redis.
 */
function blockRead(c: Client, a: ReadArgs, gts: StreamId[]): void {
  // A repeated key waits for the ID given first.
  const waits = new Map<string, { gt: StreamId; seen: StreamValue | undefined; adds: number }>();
  for (let i = 0; i < a.keys.length; i++) {
    const key = a.keys[i]!;
    if (waits.has(key)) continue;
    const v = c.db.get(key);
    const s = v instanceof StreamValue ? v : undefined;
    waits.set(key, { gt: gts[i]!, seen: s, adds: s?.appendCount ?? 0 });
  }
  const count = a.count !== 0 ? a.count : BLOCKED_DEFAULT_COUNT;
  blockForKeys(c, [...waits.keys()], a.timeout, {
    serve(c, key) {
      const wait = waits.get(key)!;
      const v = c.db.get(key);
      if (!(v instanceof StreamValue)) {
        wait.seen = undefined;
        if (a.group === null) return false;
        blockedError(c, "UNBLOCKED the stream key no longer exists");
        return true;
      }
      const signalled = v !== wait.seen || v.appendCount !== wait.adds;
      wait.seen = v;
      wait.adds = v.appendCount;
      let g: ConsumerGroup | undefined;
      if (a.group !== null) {
        g = v.group(a.group);
        if (g === undefined) {
          blockedError(c, "NOGROUP the consumer group this client was blocked on no longer exists");
          return true;
        }
        wait.gt = g.lastId;
      }
      if (!signalled || v.lastId <= wait.gt) return false;
      const props: string[][] = [];
      let entries: [StreamId, Fields][];
      if (g === undefined) {
        entries = collect(v, incrId(wait.gt)!, MAX_ID, count, false);
      } else {
        barrier(c, key);
        const consumer = getOrCreateConsumer(
          c,
          key,
          g,
          a.consumer!,
          true,
          a.noack ? props : undefined,
        );
        entries = deliverNew(c, key, v, g, consumer, wait.gt, count, a.noack, props);
        c.propagateAs(...props);
      }
      replyStreams(c, [[key, entries]]);
      return true;
    },
    timeout: (c) => c.w.nullArray(),
  });
}

/**
 * Fails a blocked command with `message`. The call was counted when it blocked; like Redis
 * when it unblocks a client, the failure is counted now (INFO commandstats failed_calls).
 */
function blockedError(c: Client, message: string): void {
  c.w.error(message);
  const cmd = c.server.commands.get(c.lastCommand);
  if (cmd !== undefined) cmd.failed++;
  c.server.stats.failedCalls++;
}

function xreadCommand(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, false);
}

function xreadgroupCommand(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, true);
}

/** Keys of XREAD / XREADGROUP: the first half of what follows STREAMS. */
function xreadKeys(argv: string[]): number[] {
  for (let i = 1; i < argv.length; i++) {
    if (!isToken(argv[i]!, "streams")) continue;
    const n = argv.length - i - 1;
    if (n % 2 !== 0) return [];
    return Array.from({ length: n / 2 }, (_, k) => i + 1 + k);
  }
  return [];
}

// --- XGROUP -------------------------------------------------------------------------------------

const XGROUP_HELP = [
  "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CREATE <key> <groupname> <id|$> [option]",
  "    Create a new consumer group. Options are:",
  "    * MKSTREAM",
  "      Create the empty stream if it does not exist.",
  "    * ENTRIESREAD entries_read",
  "      Set the group's entries_read counter (internal use).",
  "CREATECONSUMER <key> <groupname> <consumer>",
  "    Create a new consumer in the specified group.",
  "DELCONSUMER <key> <groupname> <consumer>",
  "    Remove the specified consumer.",
  "DESTROY <key> <groupname>",
  "    Remove the specified group.",
  "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
  "    Set the current group ID and entries_read counter.",
  "HELP",
  "    Prints this help.",
];

const XINFO_HELP = [
  "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CONSUMERS <key> <groupname>",
  "    Show consumers of <groupname>.",
  "GROUPS <key>",
  "    Show the stream consumer groups.",
  "STREAM <key> [FULL [COUNT <count>]",
  "    Show information about the stream.",
  "HELP",
  "    Prints this help.",
];

/** Redis's `addReplySubcommandSyntaxError` for a container command. */
function subcommandSyntax(argv: string[]): ReplyError {
  return new ReplyError(
    `ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${
      argv[0]!.toUpperCase()
    } HELP.`,
  );
}

/** ENTRIESREAD value: a non-negative integer or -1. */
function entriesReadArg(s: string): bigint {
  const v = BigInt(llArg(s));
  if (v < 0n && v !== INVALID_ENTRIES_READ) {
    throw new ReplyError("ERR value for ENTRIESREAD must be positive or -1");
  }
  return v;
}

/**
 * The common prologue of XGROUP subcommands: the stream (WRONGTYPE checked), which must
 * exist unless `mkstream`, and the group, which `needGroup` subcommands require.
 */
function xgroupTarget(
  c: Client,
  argv: string[],
  mkstream: boolean,
  needGroup: boolean,
): { s: StreamValue | undefined; g: ConsumerGroup | undefined } {
  const s = asStream(lookupWrite(c, argv[2]!));
  let g: ConsumerGroup | undefined;
  if (!mkstream) {
    if (s === undefined) {
      throw new ReplyError(
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may " +
          "want to use the MKSTREAM option to create an empty stream automatically.",
      );
    }
    g = s.group(argv[3]!);
    if (g === undefined && needGroup) throw noSuchGroup(argv[2]!, argv[3]!);
  }
  return { s, g };
}

function xgroupCreate(c: Client, argv: string[]): void {
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  for (let i = 5; i < argv.length;) {
    if (isToken(argv[i]!, "mkstream")) {
      mkstream = true;
      i++;
    } else if (isToken(argv[i]!, "entriesread") && i + 1 < argv.length) {
      entriesRead = entriesReadArg(argv[i + 1]!);
      i += 2;
    } else throw subcommandSyntax(argv);
  }
  let { s } = xgroupTarget(c, argv, mkstream, false);
  if (argv.length > 8) throw subcommandSyntax(argv);
  const key = argv[2]!;
  const id = cstr(argv[4]!) === "$" ? s?.lastId ?? MIN_ID : strictId(argv[4]!);
  if (s === undefined) {
    s = new StreamValue();
    c.db.set(key, s);
  }
  if (s.createGroup(argv[3]!, id, entriesRead) === null) {
    throw new ReplyError("BUSYGROUP Consumer Group name already exists");
  }
  c.w.ok();
  event(c, key, "xgroup-create");
}

function xgroupSetid(c: Client, argv: string[]): void {
  let entriesRead = INVALID_ENTRIES_READ;
  if (argv.length === 7 && isToken(argv[5]!, "entriesread")) {
    entriesRead = entriesReadArg(argv[6]!);
  } else if (argv.length !== 5) throw subcommandSyntax(argv);
  const { s, g } = xgroupTarget(c, argv, false, true);
  const id = cstr(argv[4]!) === "$" ? s!.lastId : looseId(argv[4]!, 0n);
  g!.lastId = id;
  g!.entriesRead = entriesRead;
  c.w.ok();
  event(c, argv[2]!, "xgroup-setid");
}

function xgroupDestroy(c: Client, argv: string[]): void {
  const key = argv[2]!;
  const { s, g } = xgroupTarget(c, argv, false, false);
  if (g === undefined) {
    c.w.int(0);
    return;
  }
  s!.destroyGroup(g.name);
  c.w.int(1);
  event(c, key, "xgroup-destroy");
  // Clients blocked in XREADGROUP on this group must get -NOGROUP.
  c.server.blocking?.signalKey(c.db.id, key);
}

function xgroupCreateConsumer(c: Client, argv: string[]): void {
  const { g } = xgroupTarget(c, argv, false, true);
  const created = g!.createConsumer(argv[4]!, c.ks.now) !== null;
  if (created) event(c, argv[2]!, "xgroup-createconsumer");
  c.w.int(created ? 1 : 0);
}

function xgroupDelConsumer(c: Client, argv: string[]): void {
  const { g } = xgroupTarget(c, argv, false, true);
  const pending = g!.deleteConsumer(argv[4]!);
  if (pending >= 0) event(c, argv[2]!, "xgroup-delconsumer");
  c.w.int(Math.max(0, pending));
}

function xgroupHelp(c: Client): void {
  writeHelp(c, XGROUP_HELP);
}

// --- XACK / XPENDING / XCLAIM / XAUTOCLAIM ------------------------------------------------------

/** The stream and group of XACK/XPENDING/XCLAIM-like commands, or null when either is missing. */
function groupOf(c: Client, key: string, group: string): [StreamValue, ConsumerGroup] | null {
  const s = asStream(lookupRead(c, key));
  const g = s?.group(group);
  return g === undefined ? null : [s!, g];
}

function xackCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const found = groupOf(c, key, argv[2]!);
  if (found === null) {
    c.w.int(0);
    return;
  }
  const ids = argv.slice(3).map(strictId);
  barrier(c, key);
  let acked = 0;
  for (const id of ids) if (found[1].ack(id)) acked++;
  c.ks.markWritten(acked);
  c.w.int(acked);
}

function xpendingCommand(c: Client, argv: string[]): void {
  const argc = argv.length;
  const key = argv[1]!;
  const group = argv[2]!;
  if (argc !== 3 && (argc < 6 || argc > 9)) throw new ReplyError(Errors.syntax);
  let start = MIN_ID;
  let end = MAX_ID;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | null = null;
  if (argc >= 6) {
    let at = 3;
    if (isToken(argv[3]!, "idle")) {
      minIdle = llNum(argv[4]!);
      if (argc < 8) throw new ReplyError(Errors.syntax);
      at += 2;
    }
    count = Math.max(0, llNum(argv[at + 2]!));
    start = intervalId(argv[at]!, true);
    end = intervalId(argv[at + 1]!, false);
    if (at + 3 < argc) consumerName = argv[at + 3]!;
  }
  const found = groupOf(c, key, group);
  if (found === null) throw noGroupError(key, group);
  const g = found[1];
  const w = c.w;
  if (argc === 3) {
    w.array(4);
    w.int(g.pel.size);
    if (g.pel.size === 0) {
      w.nullBulk();
      w.nullBulk();
      w.nullArray();
      return;
    }
    replyId(c, g.pel.firstKey()!);
    replyId(c, g.pel.lastKey()!);
    const owners = g.consumerList().filter((k) => k.pel.size !== 0);
    w.array(owners.length);
    for (const k of owners) {
      w.array(2);
      w.bulk(k.name);
      w.bulk(String(k.pel.size));
    }
    return;
  }
  let pel = g.pel;
  if (consumerName !== null) {
    const k = g.consumer(consumerName);
    if (k === undefined) {
      w.array(0);
      return;
    }
    pel = k.pel;
  }
  const now = c.ks.now;
  const rows: [StreamId, Nack][] = [];
  if (count > 0) {
    for (const [id, nack] of pel.entries(start, end)) {
      if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
      rows.push([id, nack]);
      if (rows.length >= count) break;
    }
  }
  w.array(rows.length);
  for (const [id, nack] of rows) {
    w.array(4);
    replyId(c, id);
    w.bulk(nack.consumer!.name);
    w.int(Math.max(0, now - nack.deliveryTime));
    replyCount(c, nack.deliveryCount);
  }
}

/** Moves `nack` (of entry `id`) to `consumer`, with a new delivery time and count. */
function claim(
  id: StreamId,
  nack: Nack,
  consumer: Consumer,
  deliveryTime: number,
  retryCount: number | bigint | null,
  justId: boolean,
): void {
  if (nack.consumer !== consumer) {
    nack.consumer?.pel.delete(id);
    nack.consumer = consumer;
    consumer.pel.set(id, nack);
  }
  nack.deliveryTime = deliveryTime;
  if (retryCount !== null) nack.deliveryCount = retryCount;
  else if (!justId) nack.deliveryCount = nextDeliveryCount(nack.deliveryCount);
}

function xclaimCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const found = groupOf(c, key, argv[2]!);
  if (found === null) throw noGroupError(key, argv[2]!);
  const [s, g] = found;
  const minIdle = Math.max(0, llNum(argv[4]!, "ERR Invalid min-idle-time argument for XCLAIM"));
  let j = 5;
  const ids: StreamId[] = [];
  for (; j < argv.length; j++) {
    const p = parseId(argv[j]!, 0n, true);
    if (p === null) break;
    ids.push(p.id);
  }
  const now = c.ks.now;
  let force = false;
  let justId = false;
  let deliveryTime = -1;
  let retryCount: number | bigint | null = null;
  let lastId = MIN_ID;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (isToken(opt, "force")) force = true;
    else if (isToken(opt, "justid")) justId = true;
    else if (isToken(opt, "idle") && more > 0) {
      deliveryTime = now - llNum(argv[++j]!, "ERR Invalid IDLE option argument for XCLAIM");
    } else if (isToken(opt, "time") && more > 0) {
      deliveryTime = llNum(argv[++j]!, "ERR Invalid TIME option argument for XCLAIM");
    } else if (isToken(opt, "retrycount") && more > 0) {
      const v = llArg(argv[++j]!, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
      retryCount = v < 0 ? null : v;
    } else if (isToken(opt, "lastid") && more > 0) {
      lastId = strictId(argv[++j]!);
    } else throw new ReplyError(`ERR Unrecognized XCLAIM option '${cstr(opt)}'`);
  }
  barrier(c, key);
  const props: string[][] = [];
  let moved = false;
  if (lastId > g.lastId) {
    g.lastId = lastId;
    moved = true;
  }
  if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  const name = argv[3]!;
  let consumer: Consumer | null = null;
  const out: [StreamId, Fields | null][] = [];
  for (const id of ids) {
    let nack = g.pel.get(id);
    const fields = s.get(id);
    if (fields === null) {
      // The entry is gone: drop it from the PEL.
      if (nack !== undefined) {
        props.push(xclaimPropagation(key, g, id, nack));
        moved = false;
        c.ks.markWritten();
        g.ack(id);
      }
      continue;
    }
    if (force && nack === undefined) {
      nack = { deliveryTime: now, deliveryCount: 1, consumer: null };
      g.pel.set(id, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    consumer ??= getOrCreateConsumer(c, key, g, name, true);
    claim(id, nack, consumer, deliveryTime, retryCount, justId);
    out.push([id, justId ? null : fields]);
    props.push(xclaimPropagation(key, g, id, nack));
    moved = false;
    c.ks.markWritten();
  }
  if (moved) {
    props.push(setIdPropagation(key, g));
    c.ks.markWritten();
  }
  c.propagateAs(...props);
  if (justId) {
    c.w.array(out.length);
    for (const [id] of out) replyId(c, id);
  } else replyEntries(c, out);
}

/** Largest XAUTOCLAIM COUNT (LONG_MAX / 16, so `count * 10` attempts cannot overflow). */
const AUTOCLAIM_MAX_COUNT = 576460752303423487n;
/** COUNTs whose 16-byte-per-ID buffer (over 64 GB) Redis's allocator refuses. */
const AUTOCLAIM_ALLOC_MAX = 2 ** 32;

function xautoclaimCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const minIdle = Math.max(
    0,
    llNum(argv[4]!, "ERR Invalid min-idle-time argument for XAUTOCLAIM"),
  );
  let cursor: StreamId | null = intervalId(argv[5]!, true);
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const opt = argv[j]!;
    if (isToken(opt, "count") && j + 1 < argv.length) {
      const v = parseInteger(argv[j + 1]!);
      if (v === null || v < 1 || BigInt(v) > AUTOCLAIM_MAX_COUNT) {
        throw new ReplyError("ERR COUNT must be > 0");
      }
      count = Number(v);
      j++;
    } else if (isToken(opt, "justid")) justId = true;
    else throw new ReplyError(Errors.syntax);
  }
  const found = groupOf(c, key, argv[2]!);
  if (found === null) throw noGroupError(key, argv[2]!);
  // Redis allocates COUNT deleted-ID slots up front; a COUNT no allocator can satisfy fails.
  if (count > AUTOCLAIM_ALLOC_MAX) {
    throw new ReplyError(
      "ERR Insufficient memory, failed allocating transient memory, COUNT too high.",
    );
  }
  const [s, g] = found;
  barrier(c, key);
  const now = c.ks.now;
  const name = argv[3]!;
  let attempts = count * 10;
  let consumer: Consumer | null = null;
  const claimed: [StreamId, Fields | null][] = [];
  const deleted: StreamId[] = [];
  const props: string[][] = [];
  // Each step looks up the next pending ID >= cursor, so removing entries on the way is safe.
  let next: string | undefined = cursor === null ? undefined : g.pel.ceilingKey(cursor);
  while (attempts > 0 && count > 0 && next !== undefined) {
    attempts--;
    const id = next;
    const nack = g.pel.get(id)!;
    cursor = incrId(id);
    const fields = s.get(id);
    if (fields === null) {
      props.push(xclaimPropagation(key, g, id, nack));
      c.ks.markWritten();
      g.ack(id);
      deleted.push(id);
      count--;
    } else if (minIdle === 0 || now - nack.deliveryTime >= minIdle) {
      consumer ??= getOrCreateConsumer(c, key, g, name, true);
      claim(id, nack, consumer, now, null, justId);
      claimed.push([id, fields]);
      count--;
      props.push(xclaimPropagation(key, g, id, nack));
      c.ks.markWritten();
    }
    next = cursor === null ? undefined : g.pel.ceilingKey(cursor);
  }
  c.propagateAs(...props);
  const w = c.w;
  w.array(3);
  replyId(c, next ?? MIN_ID);
  if (justId) {
    w.array(claimed.length);
    for (const [id] of claimed) replyId(c, id);
  } else replyEntries(c, claimed);
  w.array(deleted.length);
  for (const id of deleted) replyId(c, id);
}

// --- XINFO ----------------------------------------------------------------------------------------

/** Writes a group's lag (null when unknown). */
function replyLag(c: Client, s: StreamValue, g: ConsumerGroup): void {
  const lag = s.lag(g);
  if (lag === null) c.w.nullBulk();
  else c.w.int(lag);
}

/** Writes a group's entries-read (null when unknown). */
function replyEntriesRead(c: Client, g: ConsumerGroup): void {
  if (g.entriesRead === INVALID_ENTRIES_READ) c.w.nullBulk();
  else c.w.int(g.entriesRead);
}

function xinfoStream(c: Client, argv: string[]): void {
  const argc = argv.length;
  let full = false;
  let count = 10;
  if (argc > 3) {
    if ((argc !== 4 && argc !== 6) || !isToken(argv[3]!, "full")) throw subcommandSyntax(argv);
    if (argc === 6) {
      if (!isToken(argv[4]!, "count")) throw subcommandSyntax(argv);
      count = llNum(argv[5]!);
      if (count < 0) count = 10;
    }
    full = true;
  }
  const s = asStream(lookupRead(c, argv[2]!));
  if (s === undefined) throw new ReplyError(Errors.noSuchKey);
  const w = c.w;
  w.map(full ? 9 : 10);
  w.bulk("length");
  w.int(s.length);
  w.bulk("radix-tree-keys");
  w.int(s.radixTreeKeys());
  w.bulk("radix-tree-nodes");
  w.int(s.radixTreeNodes());
  w.bulk("last-generated-id");
  replyId(c, s.lastId);
  w.bulk("max-deleted-entry-id");
  replyId(c, s.maxDeletedId);
  w.bulk("entries-added");
  w.int(s.entriesAdded);
  w.bulk("recorded-first-entry-id");
  replyId(c, s.firstId);
  if (!full) {
    w.bulk("groups");
    w.int(s.groupCount());
    for (
      const [label, e] of [["first-entry", s.firstEntry()], ["last-entry", s.lastEntry()]] as const
    ) {
      w.bulk(label);
      if (e === null) w.nullBulk();
      else replyEntry(c, e[0], e[1]);
    }
    return;
  }
  w.bulk("entries");
  replyEntries(c, collect(s, MIN_ID, MAX_ID, count, false));
  w.bulk("groups");
  const groups = s.groups();
  w.array(groups.length);
  for (const g of groups) {
    w.map(7);
    w.bulk("name");
    w.bulk(g.name);
    w.bulk("last-delivered-id");
    replyId(c, g.lastId);
    w.bulk("entries-read");
    replyEntriesRead(c, g);
    w.bulk("lag");
    replyLag(c, s, g);
    w.bulk("pel-count");
    w.int(g.pel.size);
    w.bulk("pending");
    const pending = [...limited(g.pel.entries(), count)];
    w.array(pending.length);
    for (const [id, nack] of pending) {
      w.array(4);
      replyId(c, id);
      w.bulk(nack.consumer?.name ?? "");
      w.int(nack.deliveryTime);
      replyCount(c, nack.deliveryCount);
    }
    w.bulk("consumers");
    const consumers = g.consumerList();
    w.array(consumers.length);
    for (const k of consumers) {
      w.map(4);
      w.bulk("name");
      w.bulk(k.name);
      w.bulk("seen-time");
      w.int(k.seenTime);
      w.bulk("pel-count");
      w.int(k.pel.size);
      w.bulk("pending");
      const own = [...limited(k.pel.entries(), count)];
      w.array(own.length);
      for (const [id, nack] of own) {
        w.array(3);
        replyId(c, id);
        w.int(nack.deliveryTime);
        replyCount(c, nack.deliveryCount);
      }
    }
  }
}

/** The first `count` items of `it` (all when `count` is 0). */
function* limited<T>(it: Iterable<T>, count: number): Generator<T> {
  let n = 0;
  for (const x of it) {
    if (count !== 0 && n++ >= count) return;
    yield x;
  }
}

function xinfoGroups(c: Client, argv: string[]): void {
  const s = asStream(lookupRead(c, argv[2]!));
  if (s === undefined) throw new ReplyError(Errors.noSuchKey);
  const groups = s.groups();
  const w = c.w;
  w.array(groups.length);
  for (const g of groups) {
    w.map(6);
    w.bulk("name");
    w.bulk(g.name);
    w.bulk("consumers");
    w.int(g.consumers.size);
    w.bulk("pending");
    w.int(g.pel.size);
    w.bulk("last-delivered-id");
    replyId(c, g.lastId);
    w.bulk("entries-read");
    replyEntriesRead(c, g);
    w.bulk("lag");
    replyLag(c, s, g);
  }
}

function xinfoConsumers(c: Client, argv: string[]): void {
  const key = argv[2]!;
  const s = asStream(lookupRead(c, key));
  if (s === undefined) throw new ReplyError(Errors.noSuchKey);
  const g = s.group(argv[3]!);
  if (g === undefined) throw noSuchGroup(key, argv[3]!);
  const now = c.ks.now;
  const consumers = g.consumerList();
  const w = c.w;
  w.array(consumers.length);
  for (const k of consumers) {
    w.map(3);
    w.bulk("name");
    w.bulk(k.name);
    w.bulk("pending");
    w.int(k.pel.size);
    w.bulk("idle");
    w.int(Math.max(0, now - k.seenTime));
  }
}

function xinfoHelp(c: Client): void {
  writeHelp(c, XINFO_HELP);
}

// --- Declarations -------------------------------------------------------------------------------

const SUB_KEY = { first: 2, last: 2, step: 1 };
const TRIM_ARG: ArgSpec = {
  name: "trim",
  type: "block",
  args: [
    {
      name: "strategy",
      type: "oneof",
      args: [
        { name: "maxlen", type: "pure-token", token: "MAXLEN" },
        { name: "minid", type: "pure-token", token: "MINID", since: "6.2.0" },
      ],
    },
    {
      name: "operator",
      type: "oneof",
      optional: true,
      args: [
        { name: "equal", type: "pure-token", token: "=" },
        { name: "approximately", type: "pure-token", token: "~" },
      ],
    },
    { name: "threshold", type: "string" },
    { name: "count", type: "integer", token: "LIMIT", optional: true, since: "6.2.0" },
  ],
};
const GROUP_ID: ArgSpec = {
  name: "id",
  type: "oneof",
  args: [
    { name: "id", type: "string" },
    { name: "new_id", type: "pure-token", token: "$" },
  ],
};

/** Commands of this group. */
export const streamCommands: CommandSpec[] = [
  {
    name: "xadd",
    arity: -5,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    keySpecs: [{
      notes: "UPDATE instead of INSERT because of the optional trimming feature",
      flags: ["RW", "update"],
      begin: { index: 1 },
      find: { lastKey: 0, keyStep: 1, limit: 0 },
    }],
    group: "stream",
    since: "5.0.0",
    summary: "Appends a new entry to a stream",
    complexity:
      "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
    tips: ["nondeterministic_output"],
    history: [
      ["6.2.0", "Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option."],
      ["7.0.0", "Added support for the `<ms>-*` explicit ID form."],
    ],
    args: [
      KEY,
      {
        name: "nomkstream",
        type: "pure-token",
        token: "NOMKSTREAM",
        optional: true,
        since: "6.2.0",
      },
      { ...TRIM_ARG, optional: true },
      {
        name: "id_or_auto",
        type: "oneof",
        args: [
          { name: "auto_id", type: "pure-token", token: "*" },
          { name: "id", type: "string" },
        ],
      },
      {
        name: "field_value",
        type: "block",
        multiple: true,
        args: [{ name: "field", type: "string" }, { name: "value", type: "string" }],
      },
    ],
    run: xaddCommand,
  },
  {
    name: "xlen",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RO"],
    group: "stream",
    since: "5.0.0",
    summary: "Return the number of entries in a stream",
    complexity: "O(1)",
    args: [KEY],
    run: xlenCommand,
  },
  {
    name: "xrange",
    arity: -4,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    group: "stream",
    since: "5.0.0",
    summary: "Return a range of elements in a stream, with IDs matching the specified IDs interval",
    complexity:
      "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
    history: [["6.2.0", "Added exclusive ranges."]],
    args: [
      KEY,
      { name: "start", type: "string" },
      { name: "end", type: "string" },
      { name: "count", type: "integer", token: "COUNT", optional: true },
    ],
    run: xrangeCommand,
  },
  {
    name: "xrevrange",
    arity: -4,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    group: "stream",
    since: "5.0.0",
    summary:
      "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE",
    complexity:
      "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
    history: [["6.2.0", "Added exclusive ranges."]],
    args: [
      KEY,
      { name: "end", type: "string" },
      { name: "start", type: "string" },
      { name: "count", type: "integer", token: "COUNT", optional: true },
    ],
    run: xrevrangeCommand,
  },
  {
    name: "xdel",
    arity: -3,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "delete"],
    group: "stream",
    since: "5.0.0",
    summary:
      "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.",
    complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
    args: [KEY, { name: "id", type: "string", multiple: true }],
    run: xdelCommand,
  },
  {
    name: "xtrim",
    arity: -4,
    flags: ["write"],
    keys: ONE_KEY,
    keyFlags: ["RW", "delete"],
    group: "stream",
    since: "5.0.0",
    summary: "Trims the stream to (approximately if '~' is passed) a certain size",
    complexity:
      "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
    tips: ["nondeterministic_output"],
    history: [["6.2.0", "Added the `MINID` trimming strategy and the `LIMIT` option."]],
    args: [KEY, TRIM_ARG],
    run: xtrimCommand,
  },
  {
    name: "xread",
    arity: -4,
    flags: ["readonly", "blocking"],
    keySpecs: [{
      flags: ["RO", "access"],
      begin: { keyword: "STREAMS", startFrom: 1 },
      find: { lastKey: -1, keyStep: 1, limit: 2 },
    }],
    getKeys: xreadKeys,
    group: "stream",
    since: "5.0.0",
    summary:
      "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.",
    complexity:
      "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.",
    args: [
      { name: "count", type: "integer", token: "COUNT", optional: true },
      { name: "milliseconds", type: "integer", token: "BLOCK", optional: true },
      {
        name: "streams",
        type: "block",
        token: "STREAMS",
        args: [
          { name: "key", type: "key", keySpecIndex: 0, multiple: true },
          { name: "id", type: "string", multiple: true },
        ],
      },
    ],
    run: xreadCommand,
  },
  {
    name: "xgroup",
    arity: -2,
    flags: [],
    group: "stream",
    since: "5.0.0",
    summary: "A container for consumer groups commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "createconsumer",
        arity: 5,
        flags: ["write", "denyoom"],
        keys: SUB_KEY,
        keyFlags: ["RW", "insert"],
        group: "stream",
        since: "6.2.0",
        summary: "Create a consumer in a consumer group.",
        complexity: "O(1)",
        args: [
          KEY,
          { name: "groupname", type: "string" },
          { name: "consumername", type: "string" },
        ],
        run: xgroupCreateConsumer,
      },
      {
        name: "delconsumer",
        arity: 5,
        flags: ["write"],
        keys: SUB_KEY,
        keyFlags: ["RW", "delete"],
        group: "stream",
        since: "5.0.0",
        summary: "Delete a consumer from a consumer group.",
        complexity: "O(1)",
        args: [
          KEY,
          { name: "groupname", type: "string" },
          { name: "consumername", type: "string" },
        ],
        run: xgroupDelConsumer,
      },
      {
        name: "setid",
        arity: -5,
        flags: ["write"],
        keys: SUB_KEY,
        keyFlags: ["RW", "update"],
        group: "stream",
        since: "5.0.0",
        summary: "Set a consumer group to an arbitrary last delivered ID value.",
        complexity: "O(1)",
        history: [["7.0.0", "Added the optional `entries_read` argument."]],
        args: [
          KEY,
          { name: "groupname", type: "string" },
          GROUP_ID,
          { name: "entries_read", type: "integer", token: "ENTRIESREAD", optional: true },
        ],
        run: xgroupSetid,
      },
      {
        name: "destroy",
        arity: 4,
        flags: ["write"],
        keys: SUB_KEY,
        keyFlags: ["RW", "delete"],
        group: "stream",
        since: "5.0.0",
        summary: "Destroy a consumer group.",
        complexity:
          "O(N) where N is the number of entries in the group's pending entries list (PEL).",
        args: [KEY, { name: "groupname", type: "string" }],
        run: xgroupDestroy,
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        group: "stream",
        since: "5.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        run: xgroupHelp,
      },
      {
        name: "create",
        arity: -5,
        flags: ["write", "denyoom"],
        keys: SUB_KEY,
        keyFlags: ["RW", "insert"],
        group: "stream",
        since: "5.0.0",
        summary: "Create a consumer group.",
        complexity: "O(1)",
        history: [["7.0.0", "Added the `entries_read` named argument."]],
        args: [
          KEY,
          { name: "groupname", type: "string" },
          GROUP_ID,
          { name: "mkstream", type: "pure-token", token: "MKSTREAM", optional: true },
          { name: "entries_read", type: "integer", token: "ENTRIESREAD", optional: true },
        ],
        run: xgroupCreate,
      },
    ],
  },
  {
    name: "xreadgroup",
    arity: -7,
    flags: ["write", "blocking"],
    keySpecs: [{
      flags: ["RO", "access"],
      begin: { keyword: "STREAMS", startFrom: 4 },
      find: { lastKey: -1, keyStep: 1, limit: 2 },
    }],
    getKeys: xreadKeys,
    group: "stream",
    since: "5.0.0",
    summary:
      "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.",
    complexity:
      "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
    args: [
      {
        name: "group_consumer",
        type: "block",
        token: "GROUP",
        args: [{ name: "group", type: "string" }, { name: "consumer", type: "string" }],
      },
      { name: "count", type: "integer", token: "COUNT", optional: true },
      { name: "milliseconds", type: "integer", token: "BLOCK", optional: true },
      { name: "noack", type: "pure-token", token: "NOACK", optional: true },
      {
        name: "streams",
        type: "block",
        token: "STREAMS",
        args: [
          { name: "key", type: "key", keySpecIndex: 0, multiple: true },
          { name: "id", type: "string", multiple: true },
        ],
      },
    ],
    run: xreadgroupCommand,
  },
  {
    name: "xack",
    arity: -4,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "update"],
    group: "stream",
    since: "5.0.0",
    summary:
      "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.",
    complexity: "O(1) for each message ID processed.",
    args: [KEY, { name: "group", type: "string" }, { name: "id", type: "string", multiple: true }],
    run: xackCommand,
  },
  {
    name: "xpending",
    arity: -3,
    flags: ["readonly"],
    keys: ONE_KEY,
    keyFlags: ["RO", "access"],
    group: "stream",
    since: "5.0.0",
    summary:
      "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.",
    complexity:
      "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
    tips: ["nondeterministic_output"],
    history: [["6.2.0", "Added the `IDLE` option and exclusive range intervals."]],
    args: [
      KEY,
      { name: "group", type: "string" },
      {
        name: "filters",
        type: "block",
        optional: true,
        args: [
          { name: "min-idle-time", type: "integer", token: "IDLE", optional: true, since: "6.2.0" },
          { name: "start", type: "string" },
          { name: "end", type: "string" },
          { name: "count", type: "integer" },
          { name: "consumer", type: "string", optional: true },
        ],
      },
    ],
    run: xpendingCommand,
  },
  {
    name: "xclaim",
    arity: -6,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "update"],
    group: "stream",
    since: "5.0.0",
    summary:
      "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.",
    complexity: "O(log N) with N being the number of messages in the PEL of the consumer group.",
    tips: ["nondeterministic_output"],
    args: [
      KEY,
      { name: "group", type: "string" },
      { name: "consumer", type: "string" },
      { name: "min-idle-time", type: "string" },
      { name: "id", type: "string", multiple: true },
      { name: "ms", type: "integer", token: "IDLE", optional: true },
      { name: "unix-time-milliseconds", type: "unix-time", token: "TIME", optional: true },
      { name: "count", type: "integer", token: "RETRYCOUNT", optional: true },
      { name: "force", type: "pure-token", token: "FORCE", optional: true },
      { name: "justid", type: "pure-token", token: "JUSTID", optional: true },
      { name: "id", type: "string", token: "LASTID", optional: true },
    ],
    run: xclaimCommand,
  },
  {
    name: "xautoclaim",
    arity: -6,
    flags: ["write", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "delete"],
    group: "stream",
    since: "6.2.0",
    summary:
      "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.",
    complexity: "O(1) if COUNT is small.",
    tips: ["nondeterministic_output"],
    history: [[
      "7.0.0",
      "Added an element to the reply array, containing deleted entries the command cleared from the PEL",
    ]],
    args: [
      KEY,
      { name: "group", type: "string" },
      { name: "consumer", type: "string" },
      { name: "min-idle-time", type: "string" },
      { name: "start", type: "string" },
      { name: "count", type: "integer", token: "COUNT", optional: true },
      { name: "justid", type: "pure-token", token: "JUSTID", optional: true },
    ],
    run: xautoclaimCommand,
  },
  {
    name: "xinfo",
    arity: -2,
    flags: [],
    group: "stream",
    since: "5.0.0",
    summary: "A container for stream introspection commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "consumers",
        arity: 4,
        flags: ["readonly"],
        keys: SUB_KEY,
        keyFlags: ["RO", "access"],
        group: "stream",
        since: "5.0.0",
        summary: "List the consumers in a consumer group",
        complexity: "O(1)",
        tips: ["nondeterministic_output"],
        args: [KEY, { name: "groupname", type: "string" }],
        run: xinfoConsumers,
      },
      {
        name: "stream",
        arity: -3,
        flags: ["readonly"],
        keys: SUB_KEY,
        keyFlags: ["RO", "access"],
        group: "stream",
        since: "5.0.0",
        summary: "Get information about a stream",
        complexity: "O(1)",
        history: [
          ["6.0.0", "Added the `FULL` modifier."],
          [
            "7.0.0",
            "Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields",
          ],
        ],
        args: [
          KEY,
          {
            name: "full",
            type: "block",
            token: "FULL",
            optional: true,
            args: [{ name: "count", type: "integer", token: "COUNT", optional: true }],
          },
        ],
        run: xinfoStream,
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        group: "stream",
        since: "5.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        run: xinfoHelp,
      },
      {
        name: "groups",
        arity: 3,
        flags: ["readonly"],
        keys: SUB_KEY,
        keyFlags: ["RO", "access"],
        group: "stream",
        since: "5.0.0",
        summary: "List the consumer groups of a stream",
        complexity: "O(1)",
        history: [["7.0.0", "Added the `entries-read` and `lag` fields"]],
        args: [KEY],
        run: xinfoGroups,
      },
    ],
  },
  {
    name: "xsetid",
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    keys: ONE_KEY,
    keyFlags: ["RW", "update"],
    group: "stream",
    since: "5.0.0",
    summary: "An internal command for replicating stream values",
    complexity: "O(1)",
    history: [["7.0.0", "Added the `entries_added` and `max_deleted_entry_id` arguments."]],
    args: [
      KEY,
      { name: "last-id", type: "string" },
      {
        name: "entries_added",
        type: "integer",
        token: "ENTRIESADDED",
        optional: true,
        since: "7.0.0",
      },
      {
        name: "max_deleted_entry_id",
        type: "string",
        token: "MAXDELETEDID",
        optional: true,
        since: "7.0.0",
      },
    ],
    run: xsetidCommand,
  },
];
