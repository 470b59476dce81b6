/**
 * Argument handling shared by the collection commands: the SSCAN/HSCAN cursor and options,
 * and the signed count of SRANDMEMBER/HRANDFIELD, with Redis's exact error texts and order.
 *
 * @module
 */
import { INT64_MIN } from "../resp/numbers.ts";
import { int64Arg, isToken } from "./args.ts";
import type { Client } from "./context.ts";
import { parseScanCursor } from "./keys.ts";
import { type ArgSpec, Errors, ReplyError } from "./spec.ts";

const RANDOM_COUNT_RANGE =
  "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

/**
 * Parses the count of SRANDMEMBER/HRANDFIELD (Redis's range -LONG_MAX..LONG_MAX). Counts
 * beyond 2^53 are as good as infinite and come back as ±Infinity.
 */
export function randomCountArg(s: string): number {
  const n = int64Arg(s);
  if (typeof n === "number") return n;
  if (n === INT64_MIN) throw new ReplyError(RANDOM_COUNT_RANGE);
  return n < 0n ? -Infinity : Infinity;
}

/**
 * Largest |count| of SRANDMEMBER/HRANDFIELD/ZRANDMEMBER with a negative count (picks with
 * repeats). cedis limit, not Redis 7.0's: Redis tries to build any such reply and hangs or
 * runs out of memory on e.g. `SRANDMEMBER k -9223372036854775807`; cedis replies Redis 7.2's
 * "ERR value is out of range" instead, so one client can't stall the server for minutes.
 */
export const RANDOM_REPEAT_MAX = 1 << 24;

/** Throws "value is out of range" when `n` repeated picks exceed {@link RANDOM_REPEAT_MAX}. */
export function checkRepeatCount(n: number | bigint): void {
  if (n > RANDOM_REPEAT_MAX) throw new ReplyError("ERR value is out of range");
}

/** Elements per SSCAN/HSCAN step when COUNT is not given. */
export const SCAN_DEFAULT_COUNT = 10;

/** SSCAN/HSCAN options after the cursor. */
export interface ScanOptions {
  /** Elements per step. */
  count: number;
  /** MATCH pattern, null for none (or `*`). */
  pattern: string | null;
}

/**
 * Parses `[MATCH pattern] [COUNT count]` from `argv[start]` on, as Redis's scan does (a
 * repeated option: the last one wins). Callers look the key up first: Redis answers a
 * missing key before it reads the options.
 */
export function parseScanOptions(argv: string[], start: number): ScanOptions {
  let count = SCAN_DEFAULT_COUNT;
  let pattern: string | null = null;
  for (let i = start; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const more = i + 1 < argv.length;
    if (more && isToken(opt, "count")) {
      const n = int64Arg(argv[i + 1]!);
      if (n < 1) throw new ReplyError(Errors.syntax);
      count = typeof n === "number" ? n : Number.MAX_SAFE_INTEGER;
    } else if (more && isToken(opt, "match")) {
      pattern = argv[i + 1]!;
      if (pattern === "*") pattern = null;
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  return { count, pattern };
}

/**
 * The cursor argument as a number (Redis's `strtoul` rules, "ERR invalid cursor"); a cursor
 * beyond 2^53 was never handed out and comes back as -1, which ends an iteration.
 */
export function scanCursorArg(s: string): number {
  const cursor = parseScanCursor(s);
  return cursor > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(cursor);
}

/** Replies to a scan of a missing key: cursor 0, no elements. */
export function replyEmptyScan(c: Client): void {
  c.w.array(2);
  c.w.bulk("0");
  c.w.array(0);
}

/** SSCAN/HSCAN argument docs. */
export const SCAN_ARGS: ArgSpec[] = [
  { name: "key", type: "key", keySpecIndex: 0 },
  { name: "cursor", type: "integer" },
  { name: "pattern", type: "pattern", token: "MATCH", optional: true },
  { name: "count", type: "integer", token: "COUNT", optional: true },
];

/** SSCAN/HSCAN complexity text. */
export const SCAN_COMPLEXITY =
  "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..";
