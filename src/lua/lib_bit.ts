/**
 * LuaBitOp 1.0.2 (`bit` library) as loaded by Redis scripting.
 *
 * Arguments are normalised like LuaBitOp does with its 2^52+2^51 trick: the number
 * is rounded to an integer and wrapped modulo 2^32, then read as a signed 32-bit value.
 *
 * @module
 */

import { argError, LuaTable, luaType, type LuaValue, nativeFunction, str2number } from "./value.ts";

const numView = new DataView(new ArrayBuffer(8));

/**
 * Normalises a Lua number to a signed 32-bit integer exactly as LuaBitOp's `barg`:
 * adds 2^52+2^51 in double arithmetic and takes the low 32 bits of the IEEE-754 bit
 * pattern (so values beyond 2^51, infinities and NaN behave as in C).
 */
export function toBit(n: number): number {
  numView.setFloat64(0, n + 6755399441055744);
  return numView.getInt32(4);
}

function barg(args: LuaValue[], i: number, fname: string): number {
  const v = args[i];
  let n: number | undefined;
  if (typeof v === "number") n = v;
  else if (typeof v === "string") n = str2number(v);
  // lua_tonumber gives 0 for non-numbers; LuaBitOp only complains when the result is 0.
  const b = toBit(n ?? 0);
  if (b === 0 && n === undefined) {
    const got = i >= args.length ? "no value" : luaType(v);
    return argError(i + 1, fname, `number expected, got ${got}`);
  }
  return b;
}

/** Opens the `bit` library and registers it as the global `bit`. */
export function openBit(G: LuaTable): LuaTable {
  const t = new LuaTable();
  const def = (name: string, fn: (args: LuaValue[]) => LuaValue[]) => {
    t.set(name, nativeFunction(name, fn));
  };
  const reduce = (name: string, op: (a: number, b: number) => number) =>
    def(name, (args) => {
      // Like LuaBitOp: argument 1 first, then the others from last to second.
      let r = barg(args, 0, name);
      for (let i = args.length - 1; i > 0; i--) r = op(r, barg(args, i, name));
      return [r | 0];
    });
  def("tobit", (a) => [barg(a, 0, "tobit")]);
  def("bnot", (a) => [~barg(a, 0, "bnot")]);
  reduce("band", (x, y) => x & y);
  reduce("bor", (x, y) => x | y);
  reduce("bxor", (x, y) => x ^ y);
  def("lshift", (a) => [barg(a, 0, "lshift") << (barg(a, 1, "lshift") & 31)]);
  def("rshift", (a) => [(barg(a, 0, "rshift") >>> (barg(a, 1, "rshift") & 31)) | 0]);
  def("arshift", (a) => [barg(a, 0, "arshift") >> (barg(a, 1, "arshift") & 31)]);
  def("rol", (a) => {
    const b = barg(a, 0, "rol"), n = barg(a, 1, "rol") & 31;
    return [((b << n) | (b >>> (32 - n))) | 0];
  });
  def("ror", (a) => {
    const b = barg(a, 0, "ror"), n = barg(a, 1, "ror") & 31;
    return [((b >>> n) | (b << (32 - n))) | 0];
  });
  def("bswap", (a) => {
    const b = barg(a, 0, "bswap");
    return [
      ((b >>> 24) | ((b >> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24)) | 0,
    ];
  });
  def("tohex", (a) => {
    const b = barg(a, 0, "tohex");
    // lua_isnone: an explicit nil is checked (and rejected) like any other argument.
    let n = a.length < 2 ? 8 : barg(a, 1, "tohex");
    let upper = false;
    if (n < 0) {
      n = -n;
      upper = true;
    }
    if (n > 8) n = 8;
    let s = (b >>> 0).toString(16).padStart(8, "0").slice(8 - n);
    if (upper) s = s.toUpperCase();
    return [s];
  });
  G.set("bit", t);
  return t;
}
