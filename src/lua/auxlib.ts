/**
 * Argument checking helpers with Lua 5.1 `lauxlib` messages.
 *
 * @module
 */

import { argError, LuaTable, luaType, type LuaValue, str2number } from "./value.ts";
import { formatNumber } from "./value.ts";

/** Type name of argument `i` (0-based) as `luaL_typename`, "no value" when absent. */
export function typeName(args: LuaValue[], i: number): string {
  return i >= args.length ? "no value" : luaType(args[i]);
}

/** Raises "bad argument #n to 'fname' (T expected, got X)". */
export function typeError(args: LuaValue[], i: number, fname: string, expected: string): never {
  return argError(i + 1, fname, `${expected} expected, got ${typeName(args, i)}`);
}

/** luaL_checkany. */
export function checkAny(args: LuaValue[], i: number, fname: string): LuaValue {
  if (i >= args.length) argError(i + 1, fname, "value expected");
  return args[i];
}

/** luaL_checktype(table). */
export function checkTable(args: LuaValue[], i: number, fname: string): LuaTable {
  const v = args[i];
  if (v instanceof LuaTable) return v;
  return typeError(args, i, fname, "table");
}

/** luaL_checknumber (numeric strings accepted). */
export function checkNumber(args: LuaValue[], i: number, fname: string): number {
  const v = args[i];
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const n = str2number(v);
    if (n !== undefined) return n;
  }
  return typeError(args, i, fname, "number");
}

/** luaL_optnumber. */
export function optNumber(args: LuaValue[], i: number, fname: string, def: number): number {
  return args[i] === undefined ? def : checkNumber(args, i, fname);
}

/** Truncation toward zero as a C cast of a double to an integer. */
export function toInt(n: number): number {
  if (n !== n) return 0;
  if (!isFinite(n)) return n > 0 ? 2147483647 : -2147483648;
  return Math.trunc(n);
}

/** luaL_checkint / luaL_checkinteger. */
export function checkInt(args: LuaValue[], i: number, fname: string): number {
  return toCInt(toLong(checkNumber(args, i, fname)));
}

/** luaL_optint / luaL_optinteger. */
export function optInt(args: LuaValue[], i: number, fname: string, def: number): number {
  return args[i] === undefined ? def : checkInt(args, i, fname);
}

/** luaL_checkstring (numbers are converted). */
export function checkString(args: LuaValue[], i: number, fname: string): string {
  const v = args[i];
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v);
  return typeError(args, i, fname, "string");
}

/** luaL_optstring. */
export function optString(args: LuaValue[], i: number, fname: string, def: string): string {
  return args[i] === undefined ? def : checkString(args, i, fname);
}

/** Sets a list of native functions on a table. */
export function setFuncs(
  t: LuaTable,
  fns: Record<string, (args: LuaValue[]) => LuaValue[]>,
  make: (name: string, fn: (args: LuaValue[]) => LuaValue[]) => LuaValue,
): void {
  for (const [k, f] of Object.entries(fns)) t.set(k, make(k, f));
}

/** C's `(long)d` on x86-64: truncation, or LONG_MIN when out of range (also NaN). */
export function toLong(n: number): number {
  if (n > -9223372036854775808 && n < 9223372036854775808) return Math.trunc(n) || 0;
  return -9223372036854775808;
}

/** luaL_checkinteger (`lua_Integer` is `ptrdiff_t`, 64-bit). */
export function checkInteger(args: LuaValue[], i: number, fname: string): number {
  return toLong(checkNumber(args, i, fname));
}

/** luaL_optinteger. */
export function optInteger(args: LuaValue[], i: number, fname: string, def: number): number {
  return args[i] === undefined ? def : checkInteger(args, i, fname);
}

/** `(int)` of a `lua_Integer`: keeps the low 32 bits, signed. */
export function toCInt(n: number): number {
  if (n >= -2147483648 && n <= 2147483647) return n;
  return Number(BigInt.asIntN(32, BigInt(n)));
}
