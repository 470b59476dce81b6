/**
 * Roberto Ierusalimschy's `struct` library as bundled with Redis scripting:
 * `struct.pack`, `struct.unpack` and `struct.size` over binary strings.
 *
 * @module
 */

import {
  argError,
  luaError,
  LuaTable,
  type LuaValue,
  nativeFunction,
  str2number,
} from "./value.ts";
import { checkNumber, checkString } from "./auxlib.ts";

const MAXINTSIZE = 32;
const MAXALIGN = 8;

interface Header {
  little: boolean;
  align: number;
}

interface Cursor {
  fmt: string;
  i: number;
}

/** The format as C sees it: up to the first NUL byte. */
function cString(s: string): string {
  const z = s.indexOf("\0");
  return z < 0 ? s : s.slice(0, z);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function getNum(c: Cursor, def: number): number {
  if (!isDigit(c.fmt[c.i])) return def;
  let a = 0;
  while (isDigit(c.fmt[c.i])) {
    const d = c.fmt.charCodeAt(c.i++) - 48;
    if (a > 214748364 || a * 10 > 2147483647 - d) luaError("integral size overflow");
    a = a * 10 + d;
  }
  return a;
}

function optSize(opt: string, c: Cursor): number {
  switch (opt) {
    case "B":
    case "b":
      return 1;
    case "H":
    case "h":
      return 2;
    case "L":
    case "l":
    case "T":
      return 8;
    case "f":
      return 4;
    case "d":
      return 8;
    case "x":
      return 1;
    case "c":
      return getNum(c, 1);
    case "i":
    case "I": {
      const sz = getNum(c, 4);
      if (sz > MAXINTSIZE) {
        luaError(`integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
      }
      return sz;
    }
    default:
      return 0; // other options need no alignment (invalid ones fail in controlOptions)
  }
}

function toAlign(len: number, h: Header, opt: string, size: number): number {
  let align = size;
  if (align <= 1 || opt === "c") return 0;
  if (align > h.align) align = h.align;
  return (align - (len & (align - 1))) & (align - 1);
}

function controlOptions(opt: string, c: Cursor, h: Header, fname: string): void {
  switch (opt) {
    case " ":
      return;
    case ">":
      h.little = false;
      return;
    case "<":
      h.little = true;
      return;
    case "!": {
      const a = getNum(c, MAXALIGN);
      if (a <= 0 || (a & (a - 1)) !== 0) luaError(`alignment ${a} is not a power of 2`);
      h.align = a;
      return;
    }
    default:
      argError(1, fname, `invalid format option '${opt}'`);
  }
}

function putInteger(n: number, little: boolean, size: number): string {
  // C: `n < 0 ? (unsigned long)(long)n : (unsigned long)n` with x86-64 conversions
  // (out-of-range and NaN give 0x8000000000000000, or 0 for values >= 2^64).
  let v: bigint;
  if (n !== n) v = 1n << 63n;
  else if (n < 0) v = n < -(2 ** 63) ? 1n << 63n : BigInt.asUintN(64, BigInt(Math.trunc(n)));
  else v = n >= 2 ** 64 ? 0n : BigInt(Math.trunc(n));
  const bytes = new Array<string>(size);
  for (let k = 0; k < size; k++) {
    const b = String.fromCharCode(Number(v & 0xffn));
    v >>= 8n;
    bytes[little ? k : size - 1 - k] = b;
  }
  return bytes.join("");
}

function getInteger(
  s: string,
  pos: number,
  little: boolean,
  signed: boolean,
  size: number,
): number {
  let v = 0n;
  for (let k = 0; k < size; k++) {
    const b = s.charCodeAt(little ? pos + size - 1 - k : pos + k);
    v = ((v << 8n) | BigInt(b)) & 0xffffffffffffffffn;
  }
  if (!signed) return Number(v);
  if (size <= 8) return Number(BigInt.asIntN(size * 8, v));
  // Wider than a long: C shifts ~0 by size*8-1, which x86-64 masks to 6 bits.
  const mask = (0xffffffffffffffffn << BigInt((size * 8 - 1) & 63)) & 0xffffffffffffffffn;
  if (v & mask) v |= mask;
  return Number(BigInt.asIntN(64, v));
}

const scratch = new DataView(new ArrayBuffer(8));

function packFloat(n: number, little: boolean, size: number): string {
  if (size === 4) scratch.setFloat32(0, n, little);
  else scratch.setFloat64(0, n, little);
  let out = "";
  for (let k = 0; k < size; k++) out += String.fromCharCode(scratch.getUint8(k));
  return out;
}

function unpackFloat(s: string, pos: number, little: boolean, size: number): number {
  for (let k = 0; k < size; k++) scratch.setUint8(k, s.charCodeAt(pos + k));
  return size === 4 ? scratch.getFloat32(0, little) : scratch.getFloat64(0, little);
}

function pack(args: LuaValue[]): LuaValue[] {
  const fmt = cString(checkString(args, 0, "pack"));
  const h: Header = { little: true, align: 1 };
  const c: Cursor = { fmt, i: 0 };
  let arg = 1;
  let total = 0;
  const out: string[] = [];
  while (c.i < fmt.length) {
    const opt = fmt[c.i++] as string;
    const size = optSize(opt, c);
    const pad = toAlign(total, h, opt, size);
    total += pad;
    if (pad > 0) out.push("\0".repeat(pad));
    let sz = size;
    switch (opt) {
      case "b":
      case "B":
      case "h":
      case "H":
      case "l":
      case "L":
      case "T":
      case "i":
      case "I":
        out.push(putInteger(checkNumber(args, arg++, "pack"), h.little, size));
        break;
      case "x":
        out.push("\0");
        break;
      case "f":
      case "d":
        out.push(packFloat(checkNumber(args, arg++, "pack"), h.little, size));
        break;
      case "c":
      case "s": {
        const s = checkString(args, arg, "pack");
        const l = s.length;
        if (size === 0) sz = l;
        // lua_struct reports the argument after the string (its `arg` was incremented).
        if (l < sz) argError(arg + 2, "pack", "string too short");
        arg++;
        out.push(s.slice(0, sz));
        if (opt === "s") {
          out.push("\0");
          sz = l + 1;
        }
        break;
      }
      default:
        controlOptions(opt, c, h, "pack");
    }
    total += sz;
  }
  return [out.join("")];
}

function unpack(args: LuaValue[]): LuaValue[] {
  const fmt = cString(checkString(args, 0, "unpack"));
  const data = checkString(args, 1, "unpack");
  const ld = data.length;
  const start = args[2] === undefined ? 1 : Math.trunc(checkNumber(args, 2, "unpack"));
  // `pos` is a size_t in C: only 0 fails this check; negative offsets wrap around and
  // fail the "data string too short" check instead.
  if (start === 0) argError(3, "unpack", "offset must be 1 or greater");
  let pos = start < 0 ? Infinity : start - 1;
  const h: Header = { little: true, align: 1 };
  const c: Cursor = { fmt, i: 0 };
  const res: LuaValue[] = [];
  while (c.i < fmt.length) {
    const opt = fmt[c.i++] as string;
    let size = optSize(opt, c);
    pos += toAlign(pos, h, opt, size);
    if (!(size <= ld && pos <= ld - size)) argError(2, "unpack", "data string too short");
    switch (opt) {
      case "b":
      case "B":
      case "h":
      case "H":
      case "l":
      case "L":
      case "T":
      case "i":
      case "I":
        res.push(getInteger(data, pos, h.little, opt >= "a", size));
        break;
      case "x":
        break;
      case "f":
      case "d":
        res.push(unpackFloat(data, pos, h.little, size));
        break;
      case "c": {
        if (size === 0) {
          const prev = res.length === 0 ? undefined : res[res.length - 1];
          // lua_isnumber: numeric strings count too.
          const n = typeof prev === "number"
            ? prev
            : typeof prev === "string"
            ? str2number(prev)
            : undefined;
          if (n === undefined) luaError("format 'c0' needs a previous size");
          res.pop();
          size = n >= 0 ? Math.trunc(n) : Infinity;
          if (!(size <= ld && pos <= ld - size)) argError(2, "unpack", "data string too short");
        }
        res.push(data.slice(pos, pos + size));
        break;
      }
      case "s": {
        const e = data.indexOf("\0", pos);
        if (e < 0) luaError("unfinished string in data");
        size = e - pos + 1;
        res.push(data.slice(pos, e));
        break;
      }
      default:
        controlOptions(opt, c, h, "unpack");
    }
    pos += size;
  }
  res.push(pos === Infinity ? start : pos + 1);
  return res;
}

function size(args: LuaValue[]): LuaValue[] {
  const fmt = cString(checkString(args, 0, "size"));
  const h: Header = { little: true, align: 1 };
  const c: Cursor = { fmt, i: 0 };
  let pos = 0;
  while (c.i < fmt.length) {
    const opt = fmt[c.i++] as string;
    const sz = optSize(opt, c);
    pos += toAlign(pos, h, opt, sz);
    if (opt === "s") argError(1, "size", "option 's' has no fixed size");
    else if (opt === "c" && sz === 0) argError(1, "size", "option 'c0' has no fixed size");
    if (!/[0-9A-Za-z]/.test(opt)) controlOptions(opt, c, h, "size");
    pos += sz;
  }
  return [pos];
}

/** Opens the `struct` library (pack, unpack, size) and registers the global `struct`. */
export function openStruct(G: LuaTable): LuaTable {
  const t = new LuaTable();
  t.set("pack", nativeFunction("pack", pack));
  t.set("unpack", nativeFunction("unpack", unpack));
  t.set("size", nativeFunction("size", size));
  G.set("struct", t);
  return t;
}
