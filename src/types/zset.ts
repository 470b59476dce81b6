/**
 * The sorted set type: its two encodings, the score and range parsers, and one API that
 * hides which encoding is in use.
 *
 * - `listpack` (small sets): two parallel arrays, members and scores, kept in (score,
 *   member) order. Lookups by member are linear, like Redis's listpack walk; inserts splice.
 *   Redis stores listpack scores as text, so a score of -0 reads back as 0: this encoding
 *   normalises -0 the same way.
 * - `skiplist` (large sets): a {@link SkipList} for order and ranks plus a member→score
 *   `Map` for O(1) lookups.
 *
 * A set starts as a listpack and becomes a skip list when it would hold more than
 * `zset-max-listpack-entries` members or a member longer than `zset-max-listpack-value`
 * bytes. Like Redis, it never goes back on its own; only sets built whole (store commands,
 * loading) pick their encoding from their final contents.
 *
 * Ranks are 0-based throughout this API.
 *
 * @module
 */
import { formatDouble17g } from "../resp/numbers.ts";
import type { TypedValue, TypeName } from "../store/value.ts";
import { SkipList, type SkipNode } from "./skiplist.ts";
import { ScanCursors } from "../store/scan_cursors.ts";

/** Encoding thresholds (`zset-max-listpack-entries`, `zset-max-listpack-value`). */
export interface ZSetConfig {
  /** Most members a listpack-encoded set may hold. */
  maxListpackEntries: number;
  /** Longest member (bytes) a listpack-encoded set may hold. */
  maxListpackValue: number;
}

/** Redis's defaults. */
export const DEFAULT_ZSET_CONFIG: ZSetConfig = { maxListpackEntries: 128, maxListpackValue: 64 };

/** Something that reads config parameters by name (the server's `Config`). */
interface NumberSource {
  getNumber(name: string): number;
}

/** Thresholds from a {@link ZSetConfig} or from the server config, defaults when absent. */
export function zsetConfigOf(config?: ZSetConfig | NumberSource): ZSetConfig {
  if (config === undefined) return DEFAULT_ZSET_CONFIG;
  if ("getNumber" in config) {
    return {
      maxListpackEntries: config.getNumber("zset-max-listpack-entries"),
      maxListpackValue: config.getNumber("zset-max-listpack-value"),
    };
  }
  return config;
}

// --- Scores and ranges -----------------------------------------------------------------

const STRTOD = new RegExp(
  "^[\\t\\n\\v\\f\\r ]*([+-]?)(?:(inf(?:inity)?)|(nan(?:\\([0-9a-z_]*\\))?)|" +
    "0x([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)(?:p([+-]?\\d+))?|" +
    "(\\d+\\.?\\d*|\\.\\d+)(?:e([+-]?\\d+))?)",
  "i",
);

/** Result of {@link strtod}. */
export interface StrtodResult {
  /** The value (NaN for `nan`, 0 when nothing was parsed). */
  value: number;
  /** Index just past the parsed text (0 when nothing was parsed). */
  end: number;
  /** C's ERANGE: the value overflowed to ±inf or underflowed to 0. */
  range: boolean;
}

/**
 * C's `strtod` on a binary string: leading whitespace, sign, decimal or hex float, `inf`,
 * `infinity` or `nan`. Reports where parsing stopped and whether the value was out of range.
 */
export function strtod(s: string): StrtodResult {
  const m = STRTOD.exec(s);
  if (m === null) return { value: 0, end: 0, range: false };
  const neg = m[1] === "-";
  const end = m[0].length;
  let value: number;
  let range = false;
  if (m[2] !== undefined) value = Infinity;
  else if (m[3] !== undefined) value = NaN;
  else if (m[4] !== undefined) {
    const [int, frac = ""] = m[4].split(".") as [string, string?];
    const digits = (int + frac).replace(/^0+/, "");
    const exp = parseInt(m[5] ?? "0", 10) - 4 * frac.length;
    if (digits === "") value = 0;
    else {
      // Exact mantissa as bigint; scaling by a power of two is exact unless it overflows.
      value = Number(BigInt("0x" + digits)) * Math.pow(2, exp);
      if (!Number.isFinite(value)) {
        value = Number(BigInt("0x" + digits)) * Math.pow(2, exp - 64) * Math.pow(2, 64);
      }
      if (!Number.isFinite(value) || value === 0) range = true;
    }
  } else {
    const text = m[6]! + (m[7] !== undefined ? "e" + m[7] : "");
    value = Number(text);
    if (value === Infinity) range = true;
    else if (value === 0 && /[1-9]/.test(m[6]!)) range = true;
  }
  return { value: neg ? -value : value, end, range };
}

/**
 * Parses a score or increment the way Redis's `getDoubleFromObject` does: the whole string
 * must be a float (no leading space), not NaN, and not out of range. Returns null otherwise.
 */
export function parseScore(s: string): number | null {
  if (s.length === 0) return null;
  const c = s.charCodeAt(0);
  if (c === 32 || (c >= 9 && c <= 13)) return null;
  const r = strtod(s);
  if (r.end !== s.length || r.end === 0 || Number.isNaN(r.value)) return null;
  if (r.range && (r.value === 0 || !Number.isFinite(r.value))) return null;
  return r.value;
}

/** A score interval; `minex`/`maxex` make a bound exclusive. */
export interface ScoreRange {
  /** Lower bound. */
  min: number;
  /** Upper bound. */
  max: number;
  /** Lower bound excluded. */
  minex: boolean;
  /** Upper bound excluded. */
  maxex: boolean;
}

function parseScoreBound(s: string): [number, boolean] | null {
  const ex = s.charCodeAt(0) === 40; /* ( */
  const text = ex ? s.slice(1) : s;
  const r = strtod(text);
  // strtod of "" parses nothing and ends at the terminator: Redis accepts it as 0.
  if (r.end !== text.length || Number.isNaN(r.value)) return null;
  return [r.value, ex];
}

/** Parses a ZRANGEBYSCORE-style `min max` (`(` for exclusive); null when either is bad. */
export function parseScoreRange(min: string, max: string): ScoreRange | null {
  const a = parseScoreBound(min);
  const b = parseScoreBound(max);
  if (a === null || b === null) return null;
  return { min: a[0], minex: a[1], max: b[0], maxex: b[1] };
}

/** Whether `score` is at or above the range's lower bound. */
export function scoreGteMin(score: number, r: ScoreRange): boolean {
  return r.minex ? score > r.min : score >= r.min;
}

/** Whether `score` is at or below the range's upper bound. */
export function scoreLteMax(score: number, r: ScoreRange): boolean {
  return r.maxex ? score < r.max : score <= r.max;
}

/** Whether no score can be in the range. */
function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** One end of a lex range: `-` (`inf` -1), `+` (`inf` 1), or a value. */
export interface LexBound {
  /** -1 for `-`, 1 for `+`, 0 for a value. */
  inf: -1 | 0 | 1;
  /** The value (when `inf` is 0). */
  value: string;
  /** Exclusive (`(`) rather than inclusive (`[`). */
  ex: boolean;
}

/** A member interval for the BYLEX commands. */
export interface LexRange {
  /** Lower end. */
  min: LexBound;
  /** Upper end. */
  max: LexBound;
}

function parseLexBound(s: string): LexBound | null {
  if (s === "+") return { inf: 1, value: "", ex: false };
  if (s === "-") return { inf: -1, value: "", ex: false };
  const c = s.charCodeAt(0);
  if (c === 40 /* ( */) return { inf: 0, value: s.slice(1), ex: true };
  if (c === 91 /* [ */) return { inf: 0, value: s.slice(1), ex: false };
  return null;
}

/** Parses a ZRANGEBYLEX-style `min max`; null when either is not a valid item. */
export function parseLexRange(min: string, max: string): LexRange | null {
  const a = parseLexBound(min);
  const b = parseLexBound(max);
  if (a === null || b === null) return null;
  return { min: a, max: b };
}

/** Compares member `m` with a bound: negative, zero or positive. */
function cmpLex(m: string, b: LexBound): number {
  if (b.inf !== 0) return -b.inf;
  return m < b.value ? -1 : m > b.value ? 1 : 0;
}

/** Whether `m` is at or above the lower end. */
export function lexGteMin(m: string, r: LexRange): boolean {
  const c = cmpLex(m, r.min);
  return r.min.ex ? c > 0 : c >= 0;
}

/** Whether `m` is at or below the upper end. */
export function lexLteMax(m: string, r: LexRange): boolean {
  const c = cmpLex(m, r.max);
  return r.max.ex ? c < 0 : c <= 0;
}

/** Whether no member can be in the range. */
function lexRangeEmpty(r: LexRange): boolean {
  const a = r.min;
  const b = r.max;
  let c: number;
  if (a.inf === b.inf && a.inf !== 0) c = 0;
  else if (a.inf !== 0) c = a.inf;
  else c = cmpLex(a.value, b);
  return c > 0 || (c === 0 && (a.ex || b.ex));
}

/**
 * The text a listpack holds for `score`, which ZSCAN shows for listpack-encoded sets:
 * integral scores within ±2^62 as integers, others like `%.17g`.
 */
export function listpackScoreText(score: number): string {
  if (Number.isInteger(score) && score >= -4611686018427387904 && score <= 4611686018427387904) {
    return Object.is(score, -0) ? "0" : String(BigInt(score));
  }
  return formatDouble17g(score);
}

// --- The value -------------------------------------------------------------------------

/** Outcomes of {@link ZSetValue.add}. */
export const AddResult = {
  /** Nothing changed (NX on an existing member, XX on a missing one, GT/LT refused). */
  Nop: 0,
  /** A new member was added. */
  Added: 1,
  /** An existing member's score changed. */
  Updated: 2,
  /** The member exists with that score already. */
  Same: 3,
  /** INCR produced NaN: nothing changed. */
  NaN: 4,
} as const;
/** One of {@link AddResult}. */
export type AddResult = typeof AddResult[keyof typeof AddResult];

/** ZADD flags for {@link ZSetValue.add}. */
export const ZADD_INCR = 1;
/** Only add new members. */
export const ZADD_NX = 2;
/** Only update existing members. */
export const ZADD_XX = 4;
/** Only update when the new score is greater. */
export const ZADD_GT = 8;
/** Only update when the new score is less. */
export const ZADD_LT = 16;

/** Live ZSCAN iterations remembered per set (least recently started dropped first). */
const MAX_SCAN_CURSORS = 64;

/** A sorted set. */
export class ZSetValue implements TypedValue {
  // listpack encoding: parallel arrays in (score, member) order.
  #m: string[] | null = [];
  #s: number[] | null = [];
  // skiplist encoding.
  #sl: SkipList | null = null;
  #dict: Map<string, number> | null = null;
  #cursors: ScanCursors<string> | null = null;

  /** Always `"zset"`. */
  get type(): TypeName {
    return "zset";
  }

  /** `listpack` or `skiplist`. */
  encoding(): string {
    return this.#sl === null ? "listpack" : "skiplist";
  }

  /** Number of members. */
  get size(): number {
    return this.#sl === null ? this.#m!.length : this.#sl.length;
  }

  /** Number of members (MEMORY USAGE). */
  count(): number {
    return this.size;
  }

  /** An empty set in the encoding Redis would start with under `config`. */
  static empty(config?: ZSetConfig | NumberSource): ZSetValue {
    const z = new ZSetValue();
    if (zsetConfigOf(config).maxListpackEntries === 0) z.#toSkiplist();
    return z;
  }

  /**
   * A set holding `pairs` (member, score), in the encoding its size and longest member call
   * for. Pairs may come in any order; a repeated member keeps its last score.
   */
  static from(pairs: [string, number][], config?: ZSetConfig | NumberSource): ZSetValue {
    const cfg = zsetConfigOf(config);
    const z = new ZSetValue();
    let sorted = true;
    let maxLen = 0;
    for (let i = 0; i < pairs.length; i++) {
      const [m, s] = pairs[i]!;
      if (m.length > maxLen) maxLen = m.length;
      if (i > 0) {
        const [pm, ps] = pairs[i - 1]!;
        if (!(ps < s || (ps === s && pm < m))) sorted = false;
      }
    }
    let list = pairs;
    if (!sorted) {
      const dedup = new Map<string, number>();
      for (const [m, s] of pairs) dedup.set(m, s);
      list = [...dedup].sort(comparePairs);
    }
    if (list.length <= cfg.maxListpackEntries && maxLen <= cfg.maxListpackValue) {
      const ms = new Array<string>(list.length);
      const ss = new Array<number>(list.length);
      for (let i = 0; i < list.length; i++) {
        ms[i] = list[i]![0];
        ss[i] = list[i]![1] + 0; // -0 becomes 0, as listpack text does
      }
      z.#m = ms;
      z.#s = ss;
    } else {
      z.#m = null;
      z.#s = null;
      const sl = new SkipList();
      const dict = new Map<string, number>();
      for (const [m, s] of list) {
        sl.insert(s, m);
        dict.set(m, s);
      }
      z.#sl = sl;
      z.#dict = dict;
    }
    return z;
  }

  /** A deep copy. */
  clone(): ZSetValue {
    const z = new ZSetValue();
    if (this.#sl === null) {
      z.#m = this.#m!.slice();
      z.#s = this.#s!.slice();
    } else {
      z.#m = null;
      z.#s = null;
      const sl = new SkipList();
      const dict = new Map<string, number>();
      for (const n of this.#sl) {
        sl.insert(n.score, n.member);
        dict.set(n.member, n.score);
      }
      z.#sl = sl;
      z.#dict = dict;
    }
    return z;
  }

  /** (member, score) pairs in ascending order. */
  *entries(): IterableIterator<[string, number]> {
    if (this.#sl === null) {
      const m = this.#m!;
      const s = this.#s!;
      for (let i = 0; i < m.length; i++) yield [m[i]!, s[i]!];
    } else {
      for (const n of this.#sl) yield [n.member, n.score];
    }
  }

  /** Visits (member, score as `%.17g`) in ascending order; `false` stops. */
  visit(fn: (a: string, b?: string) => boolean | void): void {
    this.walk(0, false, (m, s) => fn(m, formatDouble17g(s)));
  }

  /** Converts to the skiplist encoding. */
  #toSkiplist(): void {
    if (this.#sl !== null) return;
    const sl = new SkipList();
    const dict = new Map<string, number>();
    const m = this.#m!;
    const s = this.#s!;
    for (let i = 0; i < m.length; i++) {
      sl.insert(s[i]!, m[i]!);
      dict.set(m[i]!, s[i]!);
    }
    this.#sl = sl;
    this.#dict = dict;
    this.#m = null;
    this.#s = null;
  }

  /** Index in the listpack arrays where (score, member) belongs. */
  #lpSearch(score: number, member: string): number {
    const m = this.#m!;
    const s = this.#s!;
    let lo = 0;
    let hi = m.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const ms = s[mid]!;
      if (ms < score || (ms === score && m[mid]! < member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The score of `member`, or undefined. */
  score(member: string): number | undefined {
    if (this.#dict !== null) return this.#dict.get(member);
    const i = this.#m!.indexOf(member);
    return i < 0 ? undefined : this.#s![i];
  }

  /** Inserts a member known to be absent, converting the encoding if it outgrows it. */
  #insert(member: string, score: number, cfg: ZSetConfig): void {
    if (this.#sl === null) {
      const m = this.#m!;
      if (m.length + 1 > cfg.maxListpackEntries || member.length > cfg.maxListpackValue) {
        this.#toSkiplist();
      } else {
        score += 0;
        const i = this.#lpSearch(score, member);
        m.splice(i, 0, member);
        this.#s!.splice(i, 0, score);
        return;
      }
    }
    this.#sl!.insert(score, member);
    this.#dict!.set(member, score);
  }

  /** Changes the score of a present member from `old` to `score`. */
  #rescore(member: string, old: number, score: number): void {
    if (this.#sl === null) {
      const m = this.#m!;
      const s = this.#s!;
      score += 0;
      const i = this.#lpSearch(old, member);
      m.splice(i, 1);
      s.splice(i, 1);
      const j = this.#lpSearch(score, member);
      m.splice(j, 0, member);
      s.splice(j, 0, score);
      return;
    }
    this.#sl.updateScore(old, member, score);
    this.#dict!.set(member, score);
  }

  /**
   * Redis's `zsetAdd`: adds or updates `member` under ZADD `flags`. With {@link ZADD_INCR}
   * `score` is an increment. Returns what happened and the member's resulting score
   * (in `out[0]`, when not Nop/NaN).
   */
  add(
    member: string,
    score: number,
    flags: number,
    config: ZSetConfig,
    out: number[],
  ): AddResult {
    const cur = this.score(member);
    if (cur !== undefined) {
      if (flags & ZADD_NX) return AddResult.Nop;
      if (flags & ZADD_INCR) {
        score += cur;
        if (Number.isNaN(score)) return AddResult.NaN;
      }
      if ((flags & ZADD_LT && score >= cur) || (flags & ZADD_GT && score <= cur)) {
        return AddResult.Nop;
      }
      // The reply shows the computed score, even a -0 that a listpack stores as 0.
      out[0] = score;
      if (score === cur) return AddResult.Same;
      this.#rescore(member, cur, score);
      return AddResult.Updated;
    }
    if (flags & ZADD_XX) return AddResult.Nop;
    this.#insert(member, score, config);
    out[0] = score;
    return AddResult.Added;
  }

  /** Removes `member`; returns whether it was there. */
  delete(member: string): boolean {
    if (this.#sl === null) {
      const i = this.#m!.indexOf(member);
      if (i < 0) return false;
      this.#m!.splice(i, 1);
      this.#s!.splice(i, 1);
      return true;
    }
    const s = this.#dict!.get(member);
    if (s === undefined) return false;
    this.#dict!.delete(member);
    this.#sl.delete(s, member);
    return true;
  }

  /** 0-based rank of `member` in ascending order, or -1. */
  rank(member: string): number {
    if (this.#sl === null) return this.#m!.indexOf(member);
    const s = this.#dict!.get(member);
    if (s === undefined) return -1;
    return this.#sl.rankOf(s, member) - 1;
  }

  /** The member and score at 0-based `rank` (which must be in range). */
  at(rank: number): [string, number] {
    if (this.#sl === null) return [this.#m![rank]!, this.#s![rank]!];
    const n = this.#sl.nodeAt(rank + 1)!;
    return [n.member, n.score];
  }

  /**
   * Visits members from 0-based `rank` towards the end (or the start when `reverse`) until
   * `fn` returns false or the set ends.
   */
  walk(rank: number, reverse: boolean, fn: (member: string, score: number) => boolean | void) {
    if (rank < 0 || rank >= this.size) return;
    if (this.#sl === null) {
      const m = this.#m!;
      const s = this.#s!;
      if (reverse) {
        for (let i = rank; i >= 0; i--) if (fn(m[i]!, s[i]!) === false) return;
      } else {
        for (let i = rank; i < m.length; i++) if (fn(m[i]!, s[i]!) === false) return;
      }
      return;
    }
    let n: SkipNode | null = this.#sl.nodeAt(rank + 1);
    while (n !== null) {
      if (fn(n.member, n.score) === false) return;
      n = reverse ? n.backward : n.next[0]!;
    }
  }

  /** Rank of the first member whose score is in `r`, or -1. */
  firstInScoreRange(r: ScoreRange): number {
    if (scoreRangeEmpty(r) || this.size === 0) return -1;
    let i: number;
    if (this.#sl === null) {
      const s = this.#s!;
      let lo = 0;
      let hi = s.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (!scoreGteMin(s[mid]!, r)) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    } else {
      i = this.#sl.countWhile((n) => !scoreGteMin(n.score, r));
    }
    if (i >= this.size) return -1;
    return scoreLteMax(this.at(i)[1], r) ? i : -1;
  }

  /** Rank of the last member whose score is in `r`, or -1. */
  lastInScoreRange(r: ScoreRange): number {
    if (scoreRangeEmpty(r) || this.size === 0) return -1;
    let i: number;
    if (this.#sl === null) {
      const s = this.#s!;
      let lo = 0;
      let hi = s.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (scoreLteMax(s[mid]!, r)) lo = mid + 1;
        else hi = mid;
      }
      i = lo - 1;
    } else {
      i = this.#sl.countWhile((n) => scoreLteMax(n.score, r)) - 1;
    }
    if (i < 0) return -1;
    return scoreGteMin(this.at(i)[1], r) ? i : -1;
  }

  /** Rank of the first member in lex range `r`, or -1 (members assumed of equal score). */
  firstInLexRange(r: LexRange): number {
    if (lexRangeEmpty(r) || this.size === 0) return -1;
    let i: number;
    if (this.#sl === null) {
      // A walk from the head, as Redis does on a listpack (it matters only for sets whose
      // scores differ, where lex order is not the set's order).
      const m = this.#m!;
      i = 0;
      while (i < m.length && !lexGteMin(m[i]!, r)) i++;
    } else {
      i = this.#sl.countWhile((n) => !lexGteMin(n.member, r));
    }
    if (i >= this.size) return -1;
    return lexLteMax(this.at(i)[0], r) ? i : -1;
  }

  /** Rank of the last member in lex range `r`, or -1. */
  lastInLexRange(r: LexRange): number {
    if (lexRangeEmpty(r) || this.size === 0) return -1;
    let i: number;
    if (this.#sl === null) {
      const m = this.#m!;
      i = m.length - 1;
      while (i >= 0 && !lexLteMax(m[i]!, r)) i--;
    } else {
      i = this.#sl.countWhile((n) => lexLteMax(n.member, r)) - 1;
    }
    if (i < 0) return -1;
    return lexGteMin(this.at(i)[0], r) ? i : -1;
  }

  /** Removes 0-based ranks `start..end` (inclusive, in range); returns how many. */
  deleteRange(start: number, end: number): number {
    if (start > end) return 0;
    if (this.#sl === null) {
      this.#m!.splice(start, end - start + 1);
      this.#s!.splice(start, end - start + 1);
      return end - start + 1;
    }
    const dict = this.#dict!;
    return this.#sl.deleteRangeByRank(start + 1, end + 1, (n) => dict.delete(n.member));
  }

  /**
   * One ZSCAN step: visits about `count` members (all of them for a listpack, as Redis
   * does) and returns the next cursor, 0 when done. Cursors are handles to live `Map`
   * iterators, which visit every entry present for the whole iteration exactly once; an
   * unknown cursor ends the iteration.
   */
  scan(cursor: number, count: number, fn: (member: string, score: number) => void): number {
    if (this.#sl === null) {
      const m = this.#m!;
      const s = this.#s!;
      for (let i = 0; i < m.length; i++) fn(m[i]!, s[i]!);
      return 0;
    }
    const dict = this.#dict!;
    this.#cursors ??= new ScanCursors(MAX_SCAN_CURSORS);
    return this.#cursors.scan(cursor, count, () => dict.keys(), (m) => {
      const score = dict.get(m);
      if (score !== undefined) fn(m, score);
    });
  }

  /** Whether the set is listpack-encoded (ZSCAN then shows scores as listpack text). */
  get isListpack(): boolean {
    return this.#sl === null;
  }
}

function comparePairs(a: [string, number], b: [string, number]): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
