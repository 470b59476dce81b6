/**
 * Argument parsing and key lookup helpers shared by command handlers, with Redis's exact
 * error texts, and the reply of HELP subcommands.
 *
 * @module
 */
import { parseFloatStrict, parseInteger } from "../resp/numbers.ts";
import { RawString, type Value } from "../store/value.ts";
import type { Client } from "./context.ts";
import { Errors, ReplyError } from "./spec.ts";

/**
 * Parses a 64-bit integer argument (Redis `getLongLongFromObjectOrReply`). Values outside the
 * JS safe range throw too: callers that need full 64-bit range use {@link parseInteger}.
 */
export function intArg(s: string, message: string = Errors.notInteger): number {
  const v = parseInteger(s);
  if (typeof v !== "number") throw new ReplyError(message);
  return v;
}

/** Parses a 64-bit integer argument, keeping precision beyond 2^53 as bigint. */
export function int64Arg(s: string, message: string = Errors.notInteger): number | bigint {
  const v = parseInteger(s);
  if (v === null) throw new ReplyError(message);
  return v;
}

/** Parses a float argument (Redis `getDoubleFromObjectOrReply`); rejects NaN. */
export function floatArg(s: string, message: string = Errors.notFloat): number {
  const v = parseFloatStrict(s);
  if (v === null) throw new ReplyError(message);
  return v;
}

/** Case-insensitive comparison of an argument with an upper- or lower-case token. */
export function isToken(arg: string, token: string): boolean {
  return arg.length === token.length && arg.toLowerCase() === token.toLowerCase();
}

/**
 * Looks a key up for reading (Redis `lookupKeyRead`): lazy expiry, keyspace hit/miss stats,
 * and an access for OBJECT IDLETIME/FREQ unless `touch` is false (Redis's LOOKUP_NOTOUCH,
 * used by TYPE, EXISTS, TTL and OBJECT).
 */
export function lookupRead(c: Client, key: string, touch = true): Value | undefined {
  const db = c.db;
  const v = db.get(key);
  const stats = c.server.keyspace.stats;
  if (v === undefined) stats.misses++;
  else {
    stats.hits++;
    if (touch) db.touch(key);
  }
  return v;
}

/**
 * Looks a key up for writing (Redis `lookupKeyWrite`): lazy expiry, an access, no stats. It
 * also runs the keyspace's write barrier, so a handler that mutates a value in place must get
 * it from here (a background save then keeps the value as it was).
 */
export function lookupWrite(c: Client, key: string): Value | undefined {
  const db = c.db;
  const barrier = c.server.keyspace.writeBarrier;
  if (barrier !== null) barrier(db, key);
  const v = db.get(key);
  if (v !== undefined) db.touch(key);
  return v;
}

/**
 * Records a write to `key` (Redis `signalModifiedKey` + `notifyKeyspaceEvent` + `dirty++`).
 * Call once per modified key after the mutation.
 */
export function written(
  c: Client,
  key: string,
  event: string,
  cls: "g" | "$" | "l" | "s" | "h" | "z" | "x" | "e" | "t" | "m" | "d" | "n" = "g",
  dirty = 1,
): void {
  c.server.keyspace.written(c.db, key, event, cls, dirty);
}

/** A value class, for {@link asType}. */
// deno-lint-ignore no-explicit-any -- constructor parameters differ per type and are irrelevant here
type ValueClass<T> = abstract new (...args: any[]) => T;

/** `v` as an instance of `cls`, or a WRONGTYPE error (undefined stays undefined). */
export function asType<T>(v: Value | undefined, cls: ValueClass<T>): T | undefined {
  if (v === undefined || v instanceof cls) return v;
  throw new ReplyError(Errors.wrongType);
}

/** The `cls` value at `key` for reading (undefined when missing), or a WRONGTYPE error. */
export function readTyped<T>(c: Client, key: string, cls: ValueClass<T>): T | undefined {
  return asType(lookupRead(c, key), cls);
}

/** The `cls` value at `key` for writing (undefined when missing), or a WRONGTYPE error. */
export function writeTyped<T>(c: Client, key: string, cls: ValueClass<T>): T | undefined {
  return asType(lookupWrite(c, key), cls);
}

/** `v` as a string-type value (plain or raw), or a WRONGTYPE error. */
export function asString(v: Value): string | RawString {
  if (typeof v === "string" || v instanceof RawString) return v;
  throw new ReplyError(Errors.wrongType);
}

/** Writes a HELP reply: an array of status lines. */
export function writeHelp(c: Client, lines: readonly string[]): void {
  c.w.array(lines.length);
  for (const line of lines) c.w.simple(line);
}
