/**
 * Sorted set commands (the `sorted-set` group): ZADD and friends, ranges by rank, score and
 * lex, pops, random members, set algebra (ZUNION/ZINTER/ZDIFF and their STORE forms) and
 * ZSCAN. The type itself lives in src/types/zset.ts; this module parses arguments with
 * Redis's exact rules and error texts, validates everything before the first mutation, and
 * shapes RESP2/RESP3 replies as Redis 7.0 does.
 *
 * @module
 */
import { formatDouble17g, parseInteger } from "../resp/numbers.ts";
import { globMatch } from "../store/glob.ts";
import type { Value } from "../store/value.ts";
import {
  AddResult,
  lexGteMin,
  lexLteMax,
  type LexRange,
  listpackScoreText,
  parseLexRange,
  parseScore,
  parseScoreRange,
  scoreGteMin,
  scoreLteMax,
  type ScoreRange,
  ZADD_GT,
  ZADD_INCR,
  ZADD_LT,
  ZADD_NX,
  ZADD_XX,
  type ZSetConfig,
  zsetConfigOf,
  ZSetValue,
} from "../types/zset.ts";
import {
  int64Arg,
  isToken,
  lookupRead,
  lookupWrite,
  readTyped,
  writeTyped,
  written,
} from "./args.ts";
import type { Client } from "./context.ts";
import { blockForKeys, mayBlock, parseTimeout } from "./blocking.ts";
import { checkRepeatCount } from "./collection_args.ts";
import { parseScanCursor } from "./keys.ts";
import { type CommandSpec, Errors, ReplyError } from "./spec.ts";

const NOT_FLOAT_RANGE = "ERR min or max is not a float";
const NOT_LEX_RANGE = "ERR min or max not valid string range item";
const NAN_RESULT = "ERR resulting score is not a number (NaN)";

/** The encoding thresholds in force now (CONFIG SET applies to the next write). */
function cfg(c: Client): ZSetConfig {
  return zsetConfigOf(c.server.config);
}

/** Looks `key` up for reading: undefined when missing, WRONGTYPE when not a sorted set. */
function readZset(c: Client, key: string): ZSetValue | undefined {
  return readTyped(c, key, ZSetValue);
}

/** Looks `key` up for writing: undefined when missing, WRONGTYPE when not a sorted set. */
function writeZset(c: Client, key: string): ZSetValue | undefined {
  return writeTyped(c, key, ZSetValue);
}

/** Parses a score argument (Redis `getDoubleFromObjectOrReply`). */
function scoreArg(s: string, message: string = Errors.notFloat): number {
  const v = parseScore(s);
  if (v === null) throw new ReplyError(message);
  return v;
}

/** A 64-bit integer argument clamped into the safe range (enough for ranks and counts). */
function longArg(s: string): number {
  const v = int64Arg(s);
  if (typeof v === "number") return v;
  return v > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

/**
 * Records the removal of members from `key` (event `event`, `n` changes) and deletes the key
 * when the set became empty, with the extra `del` event Redis sends then.
 */
function removed(c: Client, key: string, z: ZSetValue, event: string, n: number): void {
  const gone = z.size === 0;
  if (gone) c.db.delete(key);
  written(c, key, event, "z", n);
  if (gone) c.server.keyspace.notify("g", "del", key, c.db.id);
}

/** Stores `z` under `dst` (replacing any value and TTL) or deletes `dst` when `z` is empty. */
function store(c: Client, dst: string, z: ZSetValue | null, event: string): void {
  if (z !== null && z.size > 0) {
    c.db.set(dst, z);
    written(c, dst, event, "z");
    c.w.int(z.size);
    return;
  }
  if (c.db.delete(dst)) written(c, dst, "del", "g");
  c.w.int(0);
}

/** Writes members, with their scores as RESP3 `[member, double]` pairs or flat in RESP2. */
function replyRange(c: Client, ms: string[], ss: number[] | null): void {
  const w = c.w;
  if (ss === null) {
    w.bulkArray(ms);
    return;
  }
  const pairs = w.resp === 3;
  w.array(pairs ? ms.length : ms.length * 2);
  for (let i = 0; i < ms.length; i++) {
    if (pairs) w.array(2);
    w.bulk(ms[i]!);
    w.double(ss[i]!);
  }
}

// --- ZADD / ZINCRBY --------------------------------------------------------------------

/** ZADD and ZINCRBY (Redis's `zaddGenericCommand`). */
function zaddGeneric(c: Client, argv: string[], incrCommand: boolean): void {
  const key = argv[1]!;
  const argc = argv.length;
  let flags = incrCommand ? ZADD_INCR : 0;
  let ch = false;
  let idx = 2;
  for (; idx < argc; idx++) {
    const opt = argv[idx]!.toLowerCase();
    if (opt === "nx") flags |= ZADD_NX;
    else if (opt === "xx") flags |= ZADD_XX;
    else if (opt === "ch") ch = true;
    else if (opt === "incr") flags |= ZADD_INCR;
    else if (opt === "gt") flags |= ZADD_GT;
    else if (opt === "lt") flags |= ZADD_LT;
    else break;
  }
  const elements = argc - idx;
  if (elements === 0 || elements % 2 !== 0) throw new ReplyError(Errors.syntax);
  const n = elements / 2;
  const nx = (flags & ZADD_NX) !== 0;
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;
  const incr = (flags & ZADD_INCR) !== 0;
  if (nx && flags & ZADD_XX) {
    throw new ReplyError("ERR XX and NX options at the same time are not compatible");
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    throw new ReplyError("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (incr && n > 1) {
    throw new ReplyError("ERR INCR option supports a single increment-element pair");
  }
  const scores = new Array<number>(n);
  for (let j = 0; j < n; j++) scores[j] = scoreArg(argv[idx + j * 2]!);

  let z = writeZset(c, key);
  const created = z === undefined;
  if (z === undefined) {
    if (flags & ZADD_XX) {
      if (incr) c.w.nullBulk();
      else c.w.int(0);
      return;
    }
    z = ZSetValue.empty(c.server.config);
  }
  const config = cfg(c);
  const out = [0];
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  for (let j = 0; j < n; j++) {
    const r = z.add(argv[idx + j * 2 + 1]!, scores[j]!, flags, config, out);
    if (r === AddResult.NaN) throw new ReplyError(NAN_RESULT);
    if (r === AddResult.Added) added++;
    else if (r === AddResult.Updated) updated++;
    if (r !== AddResult.Nop) {
      processed++;
      score = out[0]!;
    }
  }
  if (added + updated > 0) {
    if (created) c.db.set(key, z);
    written(c, key, incr ? "zincr" : "zadd", "z", added + updated);
  }
  if (incr) {
    if (processed > 0) c.w.double(score);
    else c.w.nullBulk();
  } else c.w.int(ch ? added + updated : added);
}

export function zaddCommand(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, false);
}

function zincrbyCommand(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, true);
}

// --- Simple reads and ZREM -------------------------------------------------------------

function zremCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const z = writeZset(c, key);
  if (z === undefined) {
    c.w.int(0);
    return;
  }
  let deleted = 0;
  for (let j = 2; j < argv.length; j++) {
    if (z.delete(argv[j]!)) deleted++;
    if (z.size === 0) break;
  }
  if (deleted > 0) removed(c, key, z, "zrem", deleted);
  c.w.int(deleted);
}

function zcardCommand(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]!);
  c.w.int(z === undefined ? 0 : z.size);
}

function zscoreCommand(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]!);
  const s = z?.score(argv[2]!);
  if (s === undefined) c.w.nullBulk();
  else c.w.double(s);
}

function zmscoreCommand(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]!);
  c.w.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = z?.score(argv[j]!);
    if (s === undefined) c.w.nullBulk();
    else c.w.double(s);
  }
}

function zrankGeneric(c: Client, argv: string[], reverse: boolean): void {
  const z = readZset(c, argv[1]!);
  const r = z === undefined ? -1 : z.rank(argv[2]!);
  if (r < 0) c.w.nullBulk();
  else c.w.int(reverse ? z!.size - 1 - r : r);
}

function zrankCommand(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, false);
}

function zrevrankCommand(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, true);
}

function scoreRangeArg(min: string, max: string): ScoreRange {
  const r = parseScoreRange(min, max);
  if (r === null) throw new ReplyError(NOT_FLOAT_RANGE);
  return r;
}

function lexRangeArg(min: string, max: string): LexRange {
  const r = parseLexRange(min, max);
  if (r === null) throw new ReplyError(NOT_LEX_RANGE);
  return r;
}

function zcountCommand(c: Client, argv: string[]): void {
  const range = scoreRangeArg(argv[2]!, argv[3]!);
  const z = readZset(c, argv[1]!);
  if (z === undefined) {
    c.w.int(0);
    return;
  }
  const first = z.firstInScoreRange(range);
  c.w.int(first < 0 ? 0 : z.lastInScoreRange(range) - first + 1);
}

function zlexcountCommand(c: Client, argv: string[]): void {
  const range = lexRangeArg(argv[2]!, argv[3]!);
  const z = readZset(c, argv[1]!);
  if (z === undefined) {
    c.w.int(0);
    return;
  }
  const first = z.firstInLexRange(range);
  let n = 0;
  if (first < 0) n = 0;
  else if (!z.isListpack) n = z.lastInLexRange(range) - first + 1;
  else {
    // A listpack counts by walking on from the first match, as Redis does.
    z.walk(first, false, (m) => lexLteMax(m, range) && (n++, true));
  }
  c.w.int(Math.max(0, n));
}

// --- ZRANGE and its variants -----------------------------------------------------------

const BY_AUTO = -1;
const BY_RANK = 0;
const BY_SCORE = 1;
const BY_LEX = 2;
const DIR_AUTO = -1;
const DIR_FORWARD = 0;
const DIR_REVERSE = 1;

/** The members (and scores) a parsed range selects from `z`. */
interface RangeResult {
  ms: string[];
  ss: number[];
}

/** Members of ranks `start..end` (Redis rank semantics, negative from the end). */
function rankRange(z: ZSetValue, start: number, end: number, reverse: boolean): RangeResult {
  const out: RangeResult = { ms: [], ss: [] };
  const llen = z.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return out;
  if (end >= llen) end = llen - 1;
  let n = end - start + 1;
  z.walk(reverse ? llen - 1 - start : start, reverse, (m, s) => {
    out.ms.push(m);
    out.ss.push(s);
    return --n > 0;
  });
  return out;
}

/** Members in a score or lex range, after skipping `offset`, at most `limit` (-1: all). */
function boundedRange(
  z: ZSetValue,
  byLex: boolean,
  range: ScoreRange | LexRange,
  reverse: boolean,
  offset: number,
  limit: number,
): RangeResult {
  const out: RangeResult = { ms: [], ss: [] };
  if (offset > 0 && offset >= z.size) return out;
  let start: number;
  if (byLex) {
    const r = range as LexRange;
    start = reverse ? z.lastInLexRange(r) : z.firstInLexRange(r);
  } else {
    const r = range as ScoreRange;
    start = reverse ? z.lastInScoreRange(r) : z.firstInScoreRange(r);
  }
  // A negative offset skips everything, as Redis's `while (offset--)` walks off the end.
  if (start < 0 || offset < 0 || limit === 0) return out;
  let skip = offset;
  z.walk(start, reverse, (m, s) => {
    if (skip > 0) {
      skip--;
      return true;
    }
    if (byLex) {
      const r = range as LexRange;
      if (reverse ? !lexGteMin(m, r) : !lexLteMax(m, r)) return false;
    } else {
      const r = range as ScoreRange;
      if (reverse ? !scoreGteMin(s, r) : !scoreLteMax(s, r)) return false;
    }
    out.ms.push(m);
    out.ss.push(s);
    return limit < 0 || out.ms.length < limit;
  });
  return out;
}

/**
 * Redis's `zrangeGenericCommand`: ZRANGE, ZRANGESTORE and the older ZRANGEBYSCORE,
 * ZREVRANGE, ... forms. `by` and `dir` are fixed by the older commands, AUTO for ZRANGE.
 * `dst` is the destination key for ZRANGESTORE, else null.
 */
function zrangeGeneric(
  c: Client,
  argv: string[],
  argStart: number,
  dst: string | null,
  by: number,
  dir: number,
): void {
  const key = argv[argStart]!;
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  let withScores = false;
  let hasLimit = false;
  let offset = 0;
  let limit = -1;
  const argc = argv.length;
  for (let j = argStart + 3; j < argc; j++) {
    const left = argc - j - 1;
    const opt = argv[j]!;
    if (dst === null && isToken(opt, "withscores")) withScores = true;
    else if (isToken(opt, "limit") && left >= 2) {
      offset = longArg(argv[j + 1]!);
      limit = longArg(argv[j + 2]!);
      hasLimit = true;
      j += 2;
    } else if (dir === DIR_AUTO && isToken(opt, "rev")) dir = DIR_REVERSE;
    else if (by === BY_AUTO && isToken(opt, "bylex")) by = BY_LEX;
    else if (by === BY_AUTO && isToken(opt, "byscore")) by = BY_SCORE;
    else throw new ReplyError(Errors.syntax);
  }
  if (by === BY_AUTO) by = BY_RANK;
  if (dir === DIR_AUTO) dir = DIR_FORWARD;
  if (hasLimit && by === BY_RANK) {
    throw new ReplyError(
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
    );
  }
  if (withScores && by === BY_LEX) {
    throw new ReplyError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  }
  const reverse = dir === DIR_REVERSE;
  if (reverse && by !== BY_RANK) [minIdx, maxIdx] = [maxIdx, minIdx];
  let start = 0;
  let end = 0;
  let range: ScoreRange | LexRange | null = null;
  if (by === BY_RANK) {
    start = longArg(argv[minIdx]!);
    end = longArg(argv[maxIdx]!);
  } else if (by === BY_SCORE) range = scoreRangeArg(argv[minIdx]!, argv[maxIdx]!);
  else range = lexRangeArg(argv[minIdx]!, argv[maxIdx]!);

  const z = readZset(c, key);
  let result: RangeResult | null = null;
  if (z !== undefined) {
    result = by === BY_RANK
      ? rankRange(z, start, end, reverse)
      : boundedRange(z, by === BY_LEX, range!, reverse, offset, limit);
  }
  if (dst !== null) {
    const pairs: [string, number][] = [];
    if (result !== null) {
      for (let i = 0; i < result.ms.length; i++) pairs.push([result.ms[i]!, result.ss[i]!]);
    }
    store(c, dst, pairs.length > 0 ? ZSetValue.from(pairs, cfg(c)) : null, "zrangestore");
    return;
  }
  if (result === null) c.w.array(0);
  else replyRange(c, result.ms, withScores ? result.ss : null);
}

function zrangeCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, BY_AUTO, DIR_AUTO);
}

function zrangestoreCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 2, argv[1]!, BY_AUTO, DIR_AUTO);
}

function zrevrangeCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, BY_RANK, DIR_REVERSE);
}

function zrangebyscoreCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, BY_SCORE, DIR_FORWARD);
}

function zrevrangebyscoreCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, BY_SCORE, DIR_REVERSE);
}

function zrangebylexCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, BY_LEX, DIR_FORWARD);
}

function zrevrangebylexCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, BY_LEX, DIR_REVERSE);
}

// --- ZREMRANGEBY* ----------------------------------------------------------------------

function zremrangeGeneric(c: Client, argv: string[], by: number): void {
  const key = argv[1]!;
  let start = 0;
  let end = 0;
  let srange: ScoreRange | null = null;
  let lrange: LexRange | null = null;
  if (by === BY_RANK) {
    start = longArg(argv[2]!);
    end = longArg(argv[3]!);
  } else if (by === BY_SCORE) srange = scoreRangeArg(argv[2]!, argv[3]!);
  else lrange = lexRangeArg(argv[2]!, argv[3]!);
  const z = writeZset(c, key);
  if (z === undefined) {
    c.w.int(0);
    return;
  }
  let first: number;
  let last: number;
  if (by === BY_RANK) {
    const llen = z.size;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) {
      c.w.int(0);
      return;
    }
    if (end >= llen) end = llen - 1;
    first = start;
    last = end;
  } else if (srange !== null) {
    first = z.firstInScoreRange(srange);
    last = first < 0 ? -1 : z.lastInScoreRange(srange);
  } else {
    first = z.firstInLexRange(lrange!);
    last = first - 1;
    if (first >= 0) z.walk(first, false, (m) => lexLteMax(m, lrange!) && (last++, true));
  }
  const deleted = first < 0 ? 0 : z.deleteRange(first, last);
  if (deleted > 0) {
    const event = by === BY_RANK
      ? "zremrangebyrank"
      : by === BY_SCORE
      ? "zremrangebyscore"
      : "zremrangebylex";
    removed(c, key, z, event, deleted);
  }
  c.w.int(deleted);
}

function zremrangebyrankCommand(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, BY_RANK);
}

function zremrangebyscoreCommand(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, BY_SCORE);
}

function zremrangebylexCommand(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, BY_LEX);
}

// --- Pops ------------------------------------------------------------------------------

/** Reply shapes of the pop commands. */
const POP_PLAIN = 0; // ZPOPMIN/ZPOPMAX: flat, or RESP3 pairs when a count was given
const POP_BLOCKING = 1; // BZPOPMIN/BZPOPMAX: [key, member, score]
const POP_MULTI = 2; // ZMPOP/BZMPOP: [key, [[member, score], ...]]

/**
 * Pops up to `count` members (-1: one, without the count form of the reply) from `z` at
 * `key`, writes the reply in `shape` and records the write. Returns how many it popped.
 */
function popFrom(
  c: Client,
  key: string,
  z: ZSetValue,
  max: boolean,
  count: number,
  shape: number,
): number {
  const w = c.w;
  const n = Math.min(count < 0 ? 1 : count, z.size);
  const nested = shape === POP_MULTI || (shape === POP_PLAIN && count >= 0 && w.resp === 3);
  if (shape === POP_BLOCKING) {
    w.array(3);
    w.bulk(key);
  } else if (shape === POP_MULTI) {
    w.array(2);
    w.bulk(key);
    w.array(n);
  } else w.array(nested ? n : n * 2);
  const size = z.size;
  let left = n;
  z.walk(max ? size - 1 : 0, max, (m, s) => {
    if (nested) w.array(2);
    w.bulk(m);
    w.double(s);
    return --left > 0;
  });
  if (max) z.deleteRange(size - n, size - 1);
  else z.deleteRange(0, n - 1);
  removed(c, key, z, max ? "zpopmax" : "zpopmin", n);
  return n;
}

/** The first existing sorted set among `keys` (WRONGTYPE stops the search), or null. */
function firstZset(c: Client, keys: readonly string[]): [string, ZSetValue] | null {
  for (const key of keys) {
    const z = writeZset(c, key);
    if (z !== undefined) return [key, z];
  }
  return null;
}

/** The command a pop propagates as (Redis rewrites ZMPOP and the blocking pops). */
function popAs(max: boolean, key: string, n?: number): string[] {
  const name = max ? "ZPOPMAX" : "ZPOPMIN";
  return n === undefined ? [name, key] : [name, key, String(n)];
}

/** A non-negative 64-bit integer argument (Redis `getPositiveLongFromObjectOrReply`). */
function positiveLongArg(s: string, message: string): number {
  const v = parseIntegerOrNull(s);
  if (v === null || v < 0) throw new ReplyError(message);
  return v;
}

/** A 64-bit integer clamped to the safe range, or null when not an integer. */
function parseIntegerOrNull(s: string): number | null {
  const v = parseInteger(s);
  if (v === null) return null;
  if (typeof v === "number") return v;
  return v > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
}

function zpopMinMax(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) throw new ReplyError(Errors.syntax);
  let count = -1;
  if (argv.length === 3) {
    count = positiveLongArg(argv[2]!, "ERR value is out of range, must be positive");
  }
  const key = argv[1]!;
  const z = writeZset(c, key);
  if (z === undefined || count === 0) {
    c.w.array(0);
    return;
  }
  popFrom(c, key, z, max, count, POP_PLAIN);
}

function zpopminCommand(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, false);
}

function zpopmaxCommand(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, true);
}

/** Parsed `numkeys key... MIN|MAX [COUNT count]` of ZMPOP/BZMPOP. */
interface MpopArgs {
  keys: string[];
  max: boolean;
  count: number;
}

/** Parses ZMPOP-style arguments starting at the `numkeys` index. */
function parseMpop(argv: string[], numkeysIdx: number): MpopArgs {
  const numkeys = parseIntegerOrNull(argv[numkeysIdx]!);
  if (numkeys === null || numkeys < 1) {
    throw new ReplyError("ERR numkeys should be greater than 0");
  }
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw new ReplyError(Errors.syntax);
  const where = argv[whereIdx]!;
  let max: boolean;
  if (isToken(where, "min")) max = false;
  else if (isToken(where, "max")) max = true;
  else throw new ReplyError(Errors.syntax);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && isToken(argv[j]!, "count") && more > 0) {
      j++;
      const v = parseIntegerOrNull(argv[j]!);
      if (v === null || v < 1) throw new ReplyError("ERR count should be greater than 0");
      count = v;
    } else throw new ReplyError(Errors.syntax);
  }
  if (count === -1) count = 1;
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), max, count };
}

function zmpopCommand(c: Client, argv: string[]): void {
  const a = parseMpop(argv, 1);
  const hit = firstZset(c, a.keys);
  if (hit === null) {
    c.w.nullArray();
    return;
  }
  const n = popFrom(c, hit[0], hit[1], a.max, a.count, POP_MULTI);
  c.propagateAs(popAs(a.max, hit[0], n));
}

/**
 * The blocking pops (Redis's `blockingGenericZpopCommand`): pop at once from the first
 * non-empty key, else (unless inside MULTI/EXEC) park the client until a ZADD... serves it.
 * `count` is null for BZPOPMIN/BZPOPMAX, whose reply has no count form.
 */
function blockingPop(
  c: Client,
  keys: string[],
  timeoutArg: string,
  max: boolean,
  count: number | null,
): void {
  const timeout = parseTimeout(timeoutArg);
  const shape = count === null ? POP_BLOCKING : POP_MULTI;
  const hit = firstZset(c, keys);
  if (hit !== null) {
    const n = popFrom(c, hit[0], hit[1], max, count ?? -1, shape);
    c.propagateAs(popAs(max, hit[0], count === null ? undefined : n));
    return;
  }
  if (!mayBlock(c)) {
    c.w.nullArray();
    return;
  }
  blockForKeys(c, keys, timeout, {
    serve(c, key) {
      const v = lookupWrite(c, key);
      if (!(v instanceof ZSetValue)) return false;
      const n = popFrom(c, key, v, max, count ?? -1, shape);
      // Served after the command that woke it: its write goes to the feed on its own.
      c.server.persistence.feed.add(c.db.id, popAs(max, key, count === null ? undefined : n));
      return true;
    },
    timeout: (c) => c.w.nullArray(),
  });
}

function bzpopminCommand(c: Client, argv: string[]): void {
  blockingPop(c, argv.slice(1, -1), argv[argv.length - 1]!, false, null);
}

function bzpopmaxCommand(c: Client, argv: string[]): void {
  blockingPop(c, argv.slice(1, -1), argv[argv.length - 1]!, true, null);
}

function bzmpopCommand(c: Client, argv: string[]): void {
  const a = parseMpop(argv, 2);
  blockingPop(c, a.keys, argv[1]!, a.max, a.count);
}

// --- ZRANDMEMBER -----------------------------------------------------------------------

const RANGE_LONG =
  "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

function zrandmemberCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const w = c.w;
  if (argv.length >= 3) {
    const raw = int64Arg(argv[2]!);
    if (raw === -9223372036854775808n) throw new ReplyError(RANGE_LONG);
    let withScores = false;
    if (argv.length > 4 || (argv.length === 4 && !isToken(argv[3]!, "withscores"))) {
      throw new ReplyError(Errors.syntax);
    } else if (argv.length === 4) {
      withScores = true;
      const half = 4611686018427387903n;
      if (BigInt(raw) < -half || BigInt(raw) > half) {
        throw new ReplyError("ERR value is out of range");
      }
    }
    const z = readZset(c, key);
    if (z === undefined) {
      w.array(0);
      return;
    }
    randomMembers(c, z, raw, withScores);
    return;
  }
  const z = readZset(c, key);
  if (z === undefined) {
    w.nullBulk();
    return;
  }
  w.bulk(z.at(Math.floor(Math.random() * z.size))[0]);
}

/** ZRANDMEMBER with a count: repeats allowed when negative, distinct members otherwise. */
function randomMembers(c: Client, z: ZSetValue, raw: number | bigint, withScores: boolean) {
  const w = c.w;
  const size = z.size;
  const pairs = withScores && w.resp === 3;
  const emit = (m: string, s: number) => {
    if (pairs) w.array(2);
    w.bulk(m);
    if (withScores) w.double(s);
  };
  const header = (n: number) => w.array(withScores && !pairs ? n * 2 : n);
  if (raw === 0 || raw === 0n) {
    w.array(0);
    return;
  }
  if (raw < 0) {
    // Counts beyond what a reply can hold would never finish in Redis either.
    const n = Number(-BigInt(raw));
    checkRepeatCount(n);
    header(n);
    for (let i = 0; i < n; i++) {
      const [m, s] = z.at(Math.floor(Math.random() * size));
      emit(m, s);
    }
    return;
  }
  const count = raw > BigInt(size) ? size : Number(raw);
  header(count);
  if (count === size) {
    // The whole set, from the highest score down, as Redis replies it.
    z.walk(size - 1, true, emit);
    return;
  }
  // Distinct ranks: a partial Fisher-Yates shuffle when most are wanted, else rejection.
  let ranks: number[];
  if (count * 3 > size) {
    const all = Array.from({ length: size }, (_, i) => i);
    for (let i = size - 1; i >= count; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    ranks = all.slice(0, count).sort((a, b) => a - b);
  } else {
    const picked = new Set<number>();
    while (picked.size < count) picked.add(Math.floor(Math.random() * size));
    ranks = [...picked];
  }
  for (const r of ranks) {
    const [m, s] = z.at(r);
    emit(m, s);
  }
}

// --- ZUNION / ZINTER / ZDIFF -----------------------------------------------------------

const OP_UNION = 0;
const OP_INTER = 1;
const OP_DIFF = 2;

/** A member → score view of an input key: a sorted set, or a set with every score 1. */
interface Source {
  size: number;
  /** (member, score) pairs. */
  each(fn: (m: string, s: number) => void): void;
  /** Score of `m`, or undefined. */
  score(m: string): number | undefined;
  weight: number;
}

/**
 * A SET value, through the API its type module (src/types/set.ts) exposes; typed
 * structurally so this module needs nothing from it but that API.
 */
interface SetLike {
  size: number;
  members(): Iterable<string>;
  has?(member: string): boolean;
}

/** A source over `v` (a sorted set or a set), or a WRONGTYPE error. */
function sourceOf(v: Value | undefined): Source {
  if (v === undefined) {
    return { size: 0, each() {}, score: () => undefined, weight: 1 };
  }
  if (v instanceof ZSetValue) {
    return {
      size: v.size,
      each: (fn) => v.walk(0, false, (m, s) => void fn(m, s)),
      score: (m) => v.score(m),
      weight: 1,
    };
  }
  if (typeof v !== "string" && v.type === "set") {
    const set = v as unknown as SetLike;
    let members: Set<string> | null = null;
    return {
      size: set.size,
      each(fn) {
        for (const m of set.members()) fn(m, 1);
      },
      score(m) {
        if (typeof set.has === "function") return set.has(m) ? 1 : undefined;
        members ??= new Set(set.members());
        return members.has(m) ? 1 : undefined;
      },
      weight: 1,
    };
  }
  throw new ReplyError(Errors.wrongType);
}

const AGG_SUM = 0;
const AGG_MIN = 1;
const AGG_MAX = 2;

function aggregate(agg: number, a: number, b: number): number {
  if (agg === AGG_SUM) {
    const r = a + b;
    // inf + -inf: Redis keeps 0 rather than a NaN score.
    return Number.isNaN(r) ? 0 : r;
  }
  if (agg === AGG_MIN) return b < a ? b : a;
  return b > a ? b : a;
}

/** Weighted score; inf * 0 gives 0 rather than NaN, as in Redis. */
function weighted(weight: number, s: number): number {
  const r = weight * s;
  return Number.isNaN(r) ? 0 : r;
}

/**
 * Redis's `zunionInterDiffGenericCommand`: ZUNION, ZINTER, ZDIFF, their STORE forms and
 * ZINTERCARD (`cardOnly`). `dst` is the destination key for the STORE forms.
 */
function setOpGeneric(
  c: Client,
  argv: string[],
  numkeysIdx: number,
  dst: string | null,
  op: number,
  cardOnly: boolean,
): void {
  const name = argv[0]!.toLowerCase();
  const numkeys = longArg(argv[numkeysIdx]!);
  if (numkeys < 1) {
    throw new ReplyError(`ERR at least 1 input key is needed for '${name}' command`);
  }
  if (numkeys > argv.length - numkeysIdx - 1) throw new ReplyError(Errors.syntax);
  const srcs: Source[] = [];
  for (let i = 0; i < numkeys; i++) {
    const key = argv[numkeysIdx + 1 + i]!;
    srcs.push(sourceOf(dst !== null ? lookupWrite(c, key) : lookupRead(c, key)));
  }
  let agg = AGG_SUM;
  let withScores = false;
  let limit = 0;
  let j = numkeysIdx + numkeys + 1;
  let remaining = argv.length - j;
  while (remaining > 0) {
    const opt = argv[j]!;
    if (op !== OP_DIFF && !cardOnly && remaining >= numkeys + 1 && isToken(opt, "weights")) {
      j++;
      remaining--;
      for (let i = 0; i < numkeys; i++, j++, remaining--) {
        srcs[i]!.weight = scoreArg(argv[j]!, "ERR weight value is not a float");
      }
    } else if (op !== OP_DIFF && !cardOnly && remaining >= 2 && isToken(opt, "aggregate")) {
      const a = argv[j + 1]!;
      if (isToken(a, "sum")) agg = AGG_SUM;
      else if (isToken(a, "min")) agg = AGG_MIN;
      else if (isToken(a, "max")) agg = AGG_MAX;
      else throw new ReplyError(Errors.syntax);
      j += 2;
      remaining -= 2;
    } else if (dst === null && !cardOnly && isToken(opt, "withscores")) {
      withScores = true;
      j++;
      remaining--;
    } else if (cardOnly && remaining >= 2 && isToken(opt, "limit")) {
      limit = positiveLongArg(argv[j + 1]!, "ERR LIMIT can't be negative");
      j += 2;
      remaining -= 2;
    } else throw new ReplyError(Errors.syntax);
  }

  const result = new Map<string, number>();
  if (op === OP_INTER || op === OP_UNION) {
    // Smallest first: intersections probe fewer members, and sums add in Redis's order.
    const order = srcs.slice().sort((a, b) => a.size - b.size);
    if (op === OP_INTER) {
      const first = order[0]!;
      let count = 0;
      if (first.size > 0 && order.every((s) => s.size > 0)) {
        let done = false;
        first.each((m, s) => {
          if (done) return;
          let score = weighted(first.weight, s);
          for (let i = 1; i < order.length; i++) {
            const other = order[i]!;
            const os = other.score(m);
            if (os === undefined) return;
            score = aggregate(agg, score, weighted(other.weight, os));
          }
          if (cardOnly) {
            count++;
            if (limit > 0 && count >= limit) done = true;
          } else result.set(m, score);
        });
      }
      if (cardOnly) {
        c.w.int(count);
        return;
      }
    } else {
      for (const src of order) {
        src.each((m, s) => {
          const score = weighted(src.weight, s);
          const cur = result.get(m);
          result.set(m, cur === undefined ? score : aggregate(agg, cur, score));
        });
      }
    }
  } else {
    const [first, ...rest] = srcs;
    first!.each((m, s) => {
      for (const other of rest) if (other.score(m) !== undefined) return;
      result.set(m, s);
    });
  }

  const pairs = [...result];
  if (dst !== null) {
    const event = op === OP_UNION ? "zunionstore" : op === OP_INTER ? "zinterstore" : "zdiffstore";
    store(c, dst, pairs.length > 0 ? ZSetValue.from(pairs, cfg(c)) : null, event);
    return;
  }
  pairs.sort((a, b) => a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  replyRange(c, pairs.map((p) => p[0]), withScores ? pairs.map((p) => p[1]) : null);
}

function zunionCommand(c: Client, argv: string[]): void {
  setOpGeneric(c, argv, 1, null, OP_UNION, false);
}

function zinterCommand(c: Client, argv: string[]): void {
  setOpGeneric(c, argv, 1, null, OP_INTER, false);
}

function zdiffCommand(c: Client, argv: string[]): void {
  setOpGeneric(c, argv, 1, null, OP_DIFF, false);
}

function zunionstoreCommand(c: Client, argv: string[]): void {
  setOpGeneric(c, argv, 2, argv[1]!, OP_UNION, false);
}

function zinterstoreCommand(c: Client, argv: string[]): void {
  setOpGeneric(c, argv, 2, argv[1]!, OP_INTER, false);
}

function zdiffstoreCommand(c: Client, argv: string[]): void {
  setOpGeneric(c, argv, 2, argv[1]!, OP_DIFF, false);
}

function zintercardCommand(c: Client, argv: string[]): void {
  setOpGeneric(c, argv, 1, null, OP_INTER, true);
}

// --- ZSCAN -----------------------------------------------------------------------------

function zscanCommand(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[2]!);
  const z = readZset(c, argv[1]!);
  const w = c.w;
  if (z === undefined) {
    w.array(2);
    w.bulk("0");
    w.array(0);
    return;
  }
  let count = 10;
  let pattern: string | null = null;
  for (let i = 3; i < argv.length; i += 2) {
    const more = argv.length - i >= 2;
    const opt = argv[i]!;
    if (more && isToken(opt, "count")) {
      count = longArg(argv[i + 1]!);
      if (count < 1) throw new ReplyError(Errors.syntax);
    } else if (more && isToken(opt, "match")) {
      pattern = argv[i + 1]!;
      if (pattern === "*") pattern = null;
    } else throw new ReplyError(Errors.syntax);
  }
  const out: string[] = [];
  const listpack = z.isListpack;
  // Cursors above 2^53 can't be handles this server gave out: they end the iteration (a
  // listpack ignores the cursor and is returned whole).
  const big = cursor > BigInt(Number.MAX_SAFE_INTEGER);
  const next = big && !listpack ? 0 : z.scan(big ? -1 : Number(cursor), count, (m, s) => {
    if (pattern !== null && !globMatch(pattern, m)) return;
    out.push(m, listpack ? listpackScoreText(s) : formatDouble17g(s));
  });
  w.array(2);
  w.bulk(String(next));
  w.bulkArray(out);
}

// --- Key extraction for numkeys commands -----------------------------------------------

/** Keys of `numkeys key...` at `numkeysIdx` (plus a destination at 1 when `withDst`). */
function numkeysKeys(numkeysIdx: number, withDst: boolean): (argv: string[]) => number[] {
  return (argv) => {
    const n = Number(argv[numkeysIdx]);
    if (!Number.isInteger(n) || n < 1 || n > argv.length - numkeysIdx - 1) return [];
    const out = withDst ? [1] : [];
    for (let i = 0; i < n; i++) out.push(numkeysIdx + 1 + i);
    return out;
  };
}

// --- Declarations ----------------------------------------------------------------------

/** Commands of the sorted-set group. */
export const zsetCommands: CommandSpec[] = [
  {
    name: "bzmpop",
    arity: -5,
    flags: ["write", "blocking"],
    keySpecs: [
      {
        flags: ["RW", "access", "delete"],
        begin: { index: 2 },
        find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
      },
    ],
    getKeys: numkeysKeys(2, false),
    group: "sorted-set",
    since: "7.0.0",
    summary:
      "Remove and return members with scores in a sorted set or block until one is available",
    complexity:
      "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    args: [
      { name: "timeout", type: "double" },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, multiple: true },
      {
        name: "where",
        type: "oneof",
        args: [
          { name: "min", type: "pure-token", token: "MIN" },
          { name: "max", type: "pure-token", token: "MAX" },
        ],
      },
      { name: "count", type: "integer", token: "COUNT", optional: true },
    ],
    run: bzmpopCommand,
  },
  {
    name: "bzpopmax",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    keys: { first: 1, last: -2, step: 1 },
    keyFlags: ["RW", "access", "delete"],
    group: "sorted-set",
    since: "5.0.0",
    summary:
      "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    history: [
      ["6.0.0", "`timeout` is interpreted as a double instead of an integer."],
    ],
    args: [
      { name: "key", type: "key", keySpecIndex: 0, multiple: true },
      { name: "timeout", type: "double" },
    ],
    run: bzpopmaxCommand,
  },
  {
    name: "bzpopmin",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    keys: { first: 1, last: -2, step: 1 },
    keyFlags: ["RW", "access", "delete"],
    group: "sorted-set",
    since: "5.0.0",
    summary:
      "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    history: [
      ["6.0.0", "`timeout` is interpreted as a double instead of an integer."],
    ],
    args: [
      { name: "key", type: "key", keySpecIndex: 0, multiple: true },
      { name: "timeout", type: "double" },
    ],
    run: bzpopminCommand,
  },
  {
    name: "zadd",
    arity: -4,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "update"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Add one or more members to a sorted set, or update its score if it already exists",
    complexity:
      "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
    history: [
      ["2.4.0", "Accepts multiple elements."],
      ["3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."],
      ["6.2.0", "Added the `GT` and `LT` options."],
    ],
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      {
        name: "condition",
        type: "oneof",
        optional: true,
        since: "3.0.2",
        args: [
          { name: "nx", type: "pure-token", token: "NX" },
          { name: "xx", type: "pure-token", token: "XX" },
        ],
      },
      {
        name: "comparison",
        type: "oneof",
        optional: true,
        since: "6.2.0",
        args: [
          { name: "gt", type: "pure-token", token: "GT" },
          { name: "lt", type: "pure-token", token: "LT" },
        ],
      },
      { name: "change", type: "pure-token", token: "CH", optional: true, since: "3.0.2" },
      { name: "increment", type: "pure-token", token: "INCR", optional: true, since: "3.0.2" },
      {
        name: "score_member",
        type: "block",
        multiple: true,
        args: [
          { name: "score", type: "double" },
          { name: "member", type: "string" },
        ],
      },
    ],
    run: zaddCommand,
  },
  {
    name: "zcard",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Get the number of members in a sorted set",
    complexity: "O(1)",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
    ],
    run: zcardCommand,
  },
  {
    name: "zcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Count the members in a sorted set with scores within the given values",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "double" },
      { name: "max", type: "double" },
    ],
    run: zcountCommand,
  },
  {
    name: "zdiff",
    arity: -3,
    flags: ["readonly"],
    keySpecs: [
      {
        flags: ["RO", "access"],
        begin: { index: 1 },
        find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
      },
    ],
    getKeys: numkeysKeys(1, false),
    group: "sorted-set",
    since: "6.2.0",
    summary: "Subtract multiple sorted sets",
    complexity:
      "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
    args: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, multiple: true },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", optional: true },
    ],
    run: zdiffCommand,
  },
  {
    name: "zdiffstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [
      { flags: ["OW", "update"], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      {
        flags: ["RO", "access"],
        begin: { index: 2 },
        find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
      },
    ],
    getKeys: numkeysKeys(2, true),
    group: "sorted-set",
    since: "6.2.0",
    summary: "Subtract multiple sorted sets and store the resulting sorted set in a new key",
    complexity:
      "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
    args: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 1, multiple: true },
    ],
    run: zdiffstoreCommand,
  },
  {
    name: "zincrby",
    arity: 4,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Increment the score of a member in a sorted set",
    complexity: "O(log(N)) where N is the number of elements in the sorted set.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "increment", type: "integer" },
      { name: "member", type: "string" },
    ],
    run: zincrbyCommand,
  },
  {
    name: "zinter",
    arity: -3,
    flags: ["readonly"],
    keySpecs: [
      {
        flags: ["RO", "access"],
        begin: { index: 1 },
        find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
      },
    ],
    getKeys: numkeysKeys(1, false),
    group: "sorted-set",
    since: "6.2.0",
    summary: "Intersect multiple sorted sets",
    complexity:
      "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
    args: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, multiple: true },
      { name: "weight", type: "integer", token: "WEIGHTS", optional: true, multiple: true },
      {
        name: "aggregate",
        type: "oneof",
        token: "AGGREGATE",
        optional: true,
        args: [
          { name: "sum", type: "pure-token", token: "SUM" },
          { name: "min", type: "pure-token", token: "MIN" },
          { name: "max", type: "pure-token", token: "MAX" },
        ],
      },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", optional: true },
    ],
    run: zinterCommand,
  },
  {
    name: "zintercard",
    arity: -3,
    flags: ["readonly"],
    keySpecs: [
      {
        flags: ["RO", "access"],
        begin: { index: 1 },
        find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
      },
    ],
    getKeys: numkeysKeys(1, false),
    group: "sorted-set",
    since: "7.0.0",
    summary: "Intersect multiple sorted sets and return the cardinality of the result",
    complexity:
      "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
    args: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, multiple: true },
      { name: "limit", type: "integer", token: "LIMIT", optional: true },
    ],
    run: zintercardCommand,
  },
  {
    name: "zinterstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [
      { flags: ["OW", "update"], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      {
        flags: ["RO", "access"],
        begin: { index: 2 },
        find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
      },
    ],
    getKeys: numkeysKeys(2, true),
    group: "sorted-set",
    since: "2.0.0",
    summary: "Intersect multiple sorted sets and store the resulting sorted set in a new key",
    complexity:
      "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
    args: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 1, multiple: true },
      { name: "weight", type: "integer", token: "WEIGHTS", optional: true, multiple: true },
      {
        name: "aggregate",
        type: "oneof",
        token: "AGGREGATE",
        optional: true,
        args: [
          { name: "sum", type: "pure-token", token: "SUM" },
          { name: "min", type: "pure-token", token: "MIN" },
          { name: "max", type: "pure-token", token: "MAX" },
        ],
      },
    ],
    run: zinterstoreCommand,
  },
  {
    name: "zlexcount",
    arity: 4,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "2.8.9",
    summary: "Count the number of members in a sorted set between a given lexicographical range",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "string" },
      { name: "max", type: "string" },
    ],
    run: zlexcountCommand,
  },
  {
    name: "zmpop",
    arity: -4,
    flags: ["write"],
    keySpecs: [
      {
        flags: ["RW", "access", "delete"],
        begin: { index: 1 },
        find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
      },
    ],
    getKeys: numkeysKeys(1, false),
    group: "sorted-set",
    since: "7.0.0",
    summary: "Remove and return members with scores in a sorted set",
    complexity:
      "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    args: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, multiple: true },
      {
        name: "where",
        type: "oneof",
        args: [
          { name: "min", type: "pure-token", token: "MIN" },
          { name: "max", type: "pure-token", token: "MAX" },
        ],
      },
      { name: "count", type: "integer", token: "COUNT", optional: true },
    ],
    run: zmpopCommand,
  },
  {
    name: "zmscore",
    arity: -3,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Get the score associated with the given members in a sorted set",
    complexity: "O(N) where N is the number of members being requested.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", multiple: true },
    ],
    run: zmscoreCommand,
  },
  {
    name: "zpopmax",
    arity: -2,
    flags: ["write", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "delete"],
    group: "sorted-set",
    since: "5.0.0",
    summary: "Remove and return members with the highest scores in a sorted set",
    complexity:
      "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer", optional: true },
    ],
    run: zpopmaxCommand,
  },
  {
    name: "zpopmin",
    arity: -2,
    flags: ["write", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "delete"],
    group: "sorted-set",
    since: "5.0.0",
    summary: "Remove and return members with the lowest scores in a sorted set",
    complexity:
      "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "count", type: "integer", optional: true },
    ],
    run: zpopminCommand,
  },
  {
    name: "zrandmember",
    arity: -2,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Get one or multiple random elements from a sorted set",
    complexity: "O(N) where N is the number of elements returned",
    tips: ["nondeterministic_output"],
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      {
        name: "options",
        type: "block",
        optional: true,
        args: [
          { name: "count", type: "integer" },
          { name: "withscores", type: "pure-token", token: "WITHSCORES", optional: true },
        ],
      },
    ],
    run: zrandmemberCommand,
  },
  {
    name: "zrange",
    arity: -4,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Return a range of members in a sorted set",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
    history: [
      ["6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options."],
    ],
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "start", type: "string" },
      { name: "stop", type: "string" },
      {
        name: "sortby",
        type: "oneof",
        optional: true,
        since: "6.2.0",
        args: [
          { name: "byscore", type: "pure-token", token: "BYSCORE" },
          { name: "bylex", type: "pure-token", token: "BYLEX" },
        ],
      },
      { name: "rev", type: "pure-token", token: "REV", optional: true, since: "6.2.0" },
      {
        name: "offset_count",
        type: "block",
        token: "LIMIT",
        optional: true,
        since: "6.2.0",
        args: [
          { name: "offset", type: "integer" },
          { name: "count", type: "integer" },
        ],
      },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", optional: true },
    ],
    run: zrangeCommand,
  },
  {
    name: "zrangebylex",
    arity: -4,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "2.8.9",
    summary: "Return a range of members in a sorted set, by lexicographical range",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    deprecatedSince: "6.2.0",
    replacedBy: "`ZRANGE` with the `BYLEX` argument",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "string" },
      { name: "max", type: "string" },
      {
        name: "offset_count",
        type: "block",
        token: "LIMIT",
        optional: true,
        args: [
          { name: "offset", type: "integer" },
          { name: "count", type: "integer" },
        ],
      },
    ],
    run: zrangebylexCommand,
  },
  {
    name: "zrangebyscore",
    arity: -4,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "1.0.5",
    summary: "Return a range of members in a sorted set, by score",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    history: [
      ["2.0.0", "Added the `WITHSCORES` modifier."],
    ],
    deprecatedSince: "6.2.0",
    replacedBy: "`ZRANGE` with the `BYSCORE` argument",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "double" },
      { name: "max", type: "double" },
      {
        name: "withscores",
        type: "pure-token",
        token: "WITHSCORES",
        optional: true,
        since: "2.0.0",
      },
      {
        name: "offset_count",
        type: "block",
        token: "LIMIT",
        optional: true,
        args: [
          { name: "offset", type: "integer" },
          { name: "count", type: "integer" },
        ],
      },
    ],
    run: zrangebyscoreCommand,
  },
  {
    name: "zrangestore",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: [
      { flags: ["OW", "update"], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["RO", "access"], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    group: "sorted-set",
    since: "6.2.0",
    summary: "Store a range of members from sorted set into another key",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
    args: [
      { name: "dst", type: "key", keySpecIndex: 0 },
      { name: "src", type: "key", keySpecIndex: 1 },
      { name: "min", type: "string" },
      { name: "max", type: "string" },
      {
        name: "sortby",
        type: "oneof",
        optional: true,
        args: [
          { name: "byscore", type: "pure-token", token: "BYSCORE" },
          { name: "bylex", type: "pure-token", token: "BYLEX" },
        ],
      },
      { name: "rev", type: "pure-token", token: "REV", optional: true },
      {
        name: "offset_count",
        type: "block",
        token: "LIMIT",
        optional: true,
        args: [
          { name: "offset", type: "integer" },
          { name: "count", type: "integer" },
        ],
      },
    ],
    run: zrangestoreCommand,
  },
  {
    name: "zrank",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Determine the index of a member in a sorted set",
    complexity: "O(log(N))",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string" },
    ],
    run: zrankCommand,
  },
  {
    name: "zrem",
    arity: -3,
    flags: ["write", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "delete"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Remove one or more members from a sorted set",
    complexity:
      "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
    history: [
      ["2.4.0", "Accepts multiple elements."],
    ],
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", multiple: true },
    ],
    run: zremCommand,
  },
  {
    name: "zremrangebylex",
    arity: 4,
    flags: ["write"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "delete"],
    group: "sorted-set",
    since: "2.8.9",
    summary: "Remove all members in a sorted set between the given lexicographical range",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "string" },
      { name: "max", type: "string" },
    ],
    run: zremrangebylexCommand,
  },
  {
    name: "zremrangebyrank",
    arity: 4,
    flags: ["write"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "delete"],
    group: "sorted-set",
    since: "2.0.0",
    summary: "Remove all members in a sorted set within the given indexes",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
    ],
    run: zremrangebyrankCommand,
  },
  {
    name: "zremrangebyscore",
    arity: 4,
    flags: ["write"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "delete"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Remove all members in a sorted set within the given scores",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "min", type: "double" },
      { name: "max", type: "double" },
    ],
    run: zremrangebyscoreCommand,
  },
  {
    name: "zrevrange",
    arity: -4,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "1.2.0",
    summary:
      "Return a range of members in a sorted set, by index, with scores ordered from high to low",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
    deprecatedSince: "6.2.0",
    replacedBy: "`ZRANGE` with the `REV` argument",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "start", type: "integer" },
      { name: "stop", type: "integer" },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", optional: true },
    ],
    run: zrevrangeCommand,
  },
  {
    name: "zrevrangebylex",
    arity: -4,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "2.8.9",
    summary:
      "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    deprecatedSince: "6.2.0",
    replacedBy: "`ZRANGE` with the `REV` and `BYLEX` arguments",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "max", type: "string" },
      { name: "min", type: "string" },
      {
        name: "offset_count",
        type: "block",
        token: "LIMIT",
        optional: true,
        args: [
          { name: "offset", type: "integer" },
          { name: "count", type: "integer" },
        ],
      },
    ],
    run: zrevrangebylexCommand,
  },
  {
    name: "zrevrangebyscore",
    arity: -4,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "2.2.0",
    summary:
      "Return a range of members in a sorted set, by score, with scores ordered from high to low",
    complexity:
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
    history: [
      ["2.1.6", "`min` and `max` can be exclusive."],
    ],
    deprecatedSince: "6.2.0",
    replacedBy: "`ZRANGE` with the `REV` and `BYSCORE` arguments",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "max", type: "double" },
      { name: "min", type: "double" },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", optional: true },
      {
        name: "offset_count",
        type: "block",
        token: "LIMIT",
        optional: true,
        args: [
          { name: "offset", type: "integer" },
          { name: "count", type: "integer" },
        ],
      },
    ],
    run: zrevrangebyscoreCommand,
  },
  {
    name: "zrevrank",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "2.0.0",
    summary:
      "Determine the index of a member in a sorted set, with scores ordered from high to low",
    complexity: "O(log(N))",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string" },
    ],
    run: zrevrankCommand,
  },
  {
    name: "zscan",
    arity: -3,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "2.8.0",
    summary: "Incrementally iterate sorted sets elements and associated scores",
    complexity:
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    tips: ["nondeterministic_output"],
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "cursor", type: "integer" },
      { name: "pattern", type: "pattern", token: "MATCH", optional: true },
      { name: "count", type: "integer", token: "COUNT", optional: true },
    ],
    run: zscanCommand,
  },
  {
    name: "zscore",
    arity: 3,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "sorted-set",
    since: "1.2.0",
    summary: "Get the score associated with the given member in a sorted set",
    complexity: "O(1)",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string" },
    ],
    run: zscoreCommand,
  },
  {
    name: "zunion",
    arity: -3,
    flags: ["readonly"],
    keySpecs: [
      {
        flags: ["RO", "access"],
        begin: { index: 1 },
        find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
      },
    ],
    getKeys: numkeysKeys(1, false),
    group: "sorted-set",
    since: "6.2.0",
    summary: "Add multiple sorted sets",
    complexity:
      "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
    args: [
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, multiple: true },
      { name: "weight", type: "integer", token: "WEIGHTS", optional: true, multiple: true },
      {
        name: "aggregate",
        type: "oneof",
        token: "AGGREGATE",
        optional: true,
        args: [
          { name: "sum", type: "pure-token", token: "SUM" },
          { name: "min", type: "pure-token", token: "MIN" },
          { name: "max", type: "pure-token", token: "MAX" },
        ],
      },
      { name: "withscores", type: "pure-token", token: "WITHSCORES", optional: true },
    ],
    run: zunionCommand,
  },
  {
    name: "zunionstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [
      { flags: ["OW", "update"], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      {
        flags: ["RO", "access"],
        begin: { index: 2 },
        find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
      },
    ],
    getKeys: numkeysKeys(2, true),
    group: "sorted-set",
    since: "2.0.0",
    summary: "Add multiple sorted sets and store the resulting sorted set in a new key",
    complexity:
      "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
    args: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 1, multiple: true },
      { name: "weight", type: "integer", token: "WEIGHTS", optional: true, multiple: true },
      {
        name: "aggregate",
        type: "oneof",
        token: "AGGREGATE",
        optional: true,
        args: [
          { name: "sum", type: "pure-token", token: "SUM" },
          { name: "min", type: "pure-token", token: "MIN" },
          { name: "max", type: "pure-token", token: "MAX" },
        ],
      },
    ],
    run: zunionstoreCommand,
  },
];
