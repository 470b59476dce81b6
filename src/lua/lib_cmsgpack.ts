/**
 * Redis's bundled lua-cmsgpack 0.4.0: MessagePack encoding of Lua values
 * (`cmsgpack.pack`, `cmsgpack.unpack`, `cmsgpack.unpack_one`, `cmsgpack.unpack_limit`).
 *
 * @module
 */

import { argError, LuaError, luaError, LuaTable, type LuaValue, nativeFunction } from "./value.ts";
import { checkNumber, checkString, toInt } from "./auxlib.ts";

/** Tables nested deeper than this are encoded as nil. */
const MAX_NESTING = 16;

const scratch = new DataView(new ArrayBuffer(8));

function bytesOf(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode(scratch.getUint8(i));
  return s;
}

function be(value: number, size: number): string {
  let s = "";
  for (let i = size - 1; i >= 0; i--) {
    s += String.fromCharCode(Math.floor(value / 2 ** (8 * i)) & 0xff);
  }
  return s;
}

function encodeInt(n: number): string {
  if (n >= 0) {
    if (n <= 127) return String.fromCharCode(n);
    if (n <= 0xff) return "\xcc" + be(n, 1);
    if (n <= 0xffff) return "\xcd" + be(n, 2);
    if (n <= 0xffffffff) return "\xce" + be(n, 4);
    scratch.setBigUint64(0, BigInt(n));
    return "\xcf" + bytesOf(8);
  }
  if (n >= -32) return String.fromCharCode(n & 0xff);
  if (n >= -128) return "\xd0" + String.fromCharCode(n & 0xff);
  if (n >= -32768) return "\xd1" + be(n & 0xffff, 2);
  if (n >= -2147483648) return "\xd2" + be(n >>> 0, 4);
  scratch.setBigInt64(0, BigInt(n));
  return "\xd3" + bytesOf(8);
}

function encodeNumber(n: number): string {
  // lua_cmsgpack checks `n == (int64_t)n`; values outside int64 are floats.
  if (Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63) return encodeInt(n);
  if (Math.fround(n) === n) {
    scratch.setFloat32(0, n);
    return "\xca" + bytesOf(4);
  }
  scratch.setFloat64(0, n);
  return "\xcb" + bytesOf(8);
}

function encodeString(s: string): string {
  const l = s.length;
  if (l < 32) return String.fromCharCode(0xa0 | l) + s;
  if (l <= 0xff) return "\xd9" + be(l, 1) + s;
  if (l <= 0xffff) return "\xda" + be(l, 2) + s;
  return "\xdb" + be(l, 4) + s;
}

/** Returns the array length when every key is a positive integer 1..n without holes. */
function arrayLength(t: LuaTable): number | undefined {
  let count = 0, max = 0;
  let e = t.next(undefined);
  while (e !== undefined) {
    const k = e[0];
    // lua_cmsgpack requires `(int)k == k`: keys beyond INT_MAX make a map.
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || k > 2147483647) {
      return undefined;
    }
    count++;
    if (k > max) max = k;
    e = t.next(k);
  }
  return max === count ? max : undefined;
}

function encodeTable(t: LuaTable, level: number, out: string[]): void {
  const n = arrayLength(t);
  if (n !== undefined) {
    if (n <= 15) out.push(String.fromCharCode(0x90 | n));
    else if (n <= 0xffff) out.push("\xdc" + be(n, 2));
    else out.push("\xdd" + be(n, 4));
    for (let i = 1; i <= n; i++) encodeValue(t.get(i), level + 1, out);
    return;
  }
  let count = 0;
  for (let e = t.next(undefined); e !== undefined; e = t.next(e[0])) count++;
  if (count <= 15) out.push(String.fromCharCode(0x80 | count));
  else if (count <= 0xffff) out.push("\xde" + be(count, 2));
  else out.push("\xdf" + be(count, 4));
  for (let e = t.next(undefined); e !== undefined; e = t.next(e[0])) {
    encodeValue(e[0], level + 1, out);
    encodeValue(e[1], level + 1, out);
  }
}

function encodeValue(v: LuaValue, level: number, out: string[]): void {
  switch (typeof v) {
    case "string":
      out.push(encodeString(v));
      return;
    case "boolean":
      out.push(v ? "\xc3" : "\xc2");
      return;
    case "number":
      out.push(encodeNumber(v));
      return;
  }
  if (v instanceof LuaTable && level < MAX_NESTING) encodeTable(v, level, out);
  else out.push("\xc0");
}

function pack(args: LuaValue[]): LuaValue[] {
  if (args.length === 0) argError(0, "pack", "MessagePack pack needs input.");
  const out: string[] = [];
  for (const v of args) encodeValue(v, 0, out);
  return [out.join("")];
}

class Eof extends Error {}
class BadFormat extends Error {}

interface Cursor {
  s: string;
  p: number;
  /** Lua stack slots (top - base) the C decoder would be using, for luaL_checkstack. */
  top: number;
}

/** LUAI_MAXCSTACK: luaL_checkstack fails beyond this many slots. */
const MAXCSTACK = 8000;

function need(c: Cursor, n: number): void {
  if (c.s.length - c.p < n) throw new Eof();
}

function readUint(c: Cursor, n: number): number {
  need(c, n);
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + c.s.charCodeAt(c.p++);
  return v;
}

function read8(c: Cursor): void {
  need(c, 8);
  for (let i = 0; i < 8; i++) scratch.setUint8(i, c.s.charCodeAt(c.p++));
}

function readBytes(c: Cursor, n: number): string {
  need(c, n);
  const s = c.s.slice(c.p, c.p + n);
  c.p += n;
  return s;
}

/** An array or map header: `n` elements (pairs for maps) follow. */
class Open {
  constructor(readonly map: boolean, readonly n: number) {}
}

/** A table being filled while decoding (an explicit stack avoids JS recursion). */
interface Frame {
  t: LuaTable;
  map: boolean;
  n: number;
  /** Elements (or pairs) stored so far. */
  done: number;
  key: LuaValue;
  haveKey: boolean;
}

/**
 * `mp_decode_to_lua_type` for one top-level value. `c.top` follows the C decoder's Lua
 * stack use (table, pending index or key per open container) for luaL_checkstack.
 */
function decodeValue(c: Cursor): LuaValue {
  const stack: Frame[] = [];
  for (;;) {
    const h = decodeHead(c);
    let v: LuaValue;
    if (h instanceof Open) {
      const t = new LuaTable();
      c.top++; // the table
      if (!h.map && c.top + 1 > MAXCSTACK) {
        luaError("stack overflow (in function mp_decode_to_lua_array)");
      }
      if (h.n > 0) {
        stack.push({ t, map: h.map, n: h.n, done: 0, key: undefined, haveKey: false });
        if (!h.map) c.top++; // the index of the first element
        continue;
      }
      c.top--;
      v = t;
    } else {
      v = h;
    }
    // Store `v` in the open containers, closing those that are complete.
    for (;;) {
      const f = stack[stack.length - 1];
      if (f === undefined) return v;
      if (!f.map) {
        f.t.set(f.done + 1, v);
        c.top--; // index and value popped by lua_settable
        if (++f.done < f.n) {
          c.top++; // the next index
          break;
        }
      } else if (!f.haveKey) {
        f.key = v;
        f.haveKey = true;
        c.top++; // the key, while the value is decoded
        break;
      } else {
        const k = f.key;
        // lua_settable raises these from C, so without a position prefix.
        if (k === undefined) throw new LuaError("table index is nil");
        if (typeof k === "number" && k !== k) throw new LuaError("table index is NaN");
        f.t.set(k, v);
        c.top--;
        f.haveKey = false;
        if (++f.done < f.n) break;
      }
      stack.pop();
      c.top--; // the finished table becomes the value for its parent
      v = f.t;
    }
  }
}

/** Decodes one value, or the header of an array or map (returned as {@link Open}). */
function decodeHead(c: Cursor): LuaValue | Open {
  need(c, 1);
  if (c.top + 1 > MAXCSTACK) {
    luaError(
      "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)",
    );
  }
  const b = c.s.charCodeAt(c.p++);
  if (b <= 0x7f) return b;
  if (b >= 0xe0) return b - 256;
  if ((b & 0xe0) === 0xa0) return readBytes(c, b & 0x1f);
  if ((b & 0xf0) === 0x90) return new Open(false, b & 0x0f);
  if ((b & 0xf0) === 0x80) return new Open(true, b & 0x0f);
  switch (b) {
    case 0xc0:
      return undefined;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xca:
      need(c, 4);
      for (let i = 0; i < 4; i++) scratch.setUint8(i, c.s.charCodeAt(c.p++));
      return scratch.getFloat32(0);
    case 0xcb:
      read8(c);
      return scratch.getFloat64(0);
    case 0xcc:
      return readUint(c, 1);
    case 0xcd:
      return readUint(c, 2);
    case 0xce:
      return readUint(c, 4);
    case 0xcf:
    case 0xd3:
      // lua_cmsgpack pushes uint64 values through a signed 64-bit integer.
      read8(c);
      return Number(scratch.getBigInt64(0));
    case 0xd0: {
      const v = readUint(c, 1);
      return v >= 0x80 ? v - 0x100 : v;
    }
    case 0xd1: {
      const v = readUint(c, 2);
      return v >= 0x8000 ? v - 0x10000 : v;
    }
    case 0xd2: {
      const v = readUint(c, 4);
      return v >= 0x80000000 ? v - 0x100000000 : v;
    }
    case 0xd9:
      return readBytes(c, readUint(c, 1));
    case 0xda:
      return readBytes(c, readUint(c, 2));
    case 0xdb:
      return readBytes(c, readUint(c, 4));
    case 0xdc:
      return new Open(false, readUint(c, 2));
    case 0xdd:
      return new Open(false, readUint(c, 4));
    case 0xde:
      return new Open(true, readUint(c, 2));
    case 0xdf:
      return new Open(true, readUint(c, 4));
  }
  throw new BadFormat();
}

/** `mp_unpack_full`; `base` is the number of arguments left on the C function's stack. */
function unpackFull(s: string, limit: number, offset: number, base = 1): LuaValue[] {
  const len = s.length;
  const all = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) {
    // Redis's message prints the input length where the limit belongs.
    luaError(`Invalid request to unpack with offset of ${offset} and limit of ${len}.`);
  } else if (offset > len) {
    luaError(`Start offset ${offset} greater than input length ${len}.`);
  }
  if (all) limit = Infinity;
  const c: Cursor = { s, p: offset, top: 1 };
  const out: LuaValue[] = [];
  for (let cnt = 0; c.p < len && cnt < limit; cnt++) {
    try {
      c.top = base + out.length; // earlier results stay on the Lua stack
      out.push(decodeValue(c));
    } catch (e) {
      if (e instanceof Eof) luaError("Missing bytes in input.");
      if (e instanceof BadFormat) luaError("Bad data format in input.");
      throw e;
    }
  }
  if (!all) out.unshift(c.p >= len ? -1 : c.p);
  return out;
}

/** Opens the `cmsgpack` library and registers it as the global `cmsgpack`. */
export function openCmsgpack(G: LuaTable): LuaTable {
  const t = new LuaTable();
  t.set("pack", nativeFunction("pack", pack));
  t.set(
    "unpack",
    nativeFunction("unpack", (a) => unpackFull(checkString(a, 0, "unpack"), 0, 0, a.length)),
  );
  t.set(
    "unpack_one",
    nativeFunction("unpack_one", (a) => {
      // As in C: the offset is checked before the string.
      const off = a[1] === undefined ? 0 : toInt(checkNumber(a, 1, "unpack_one"));
      return unpackFull(checkString(a, 0, "unpack_one"), 1, off);
    }),
  );
  t.set(
    "unpack_limit",
    nativeFunction("unpack_limit", (a) => {
      const limit = toInt(checkNumber(a, 1, "unpack_limit"));
      const off = a[2] === undefined ? 0 : toInt(checkNumber(a, 2, "unpack_limit"));
      return unpackFull(checkString(a, 0, "unpack_limit"), limit, off);
    }),
  );
  t.set("_NAME", "cmsgpack");
  t.set("_VERSION", "lua-cmsgpack 0.4.0");
  t.set("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo");
  t.set("_DESCRIPTION", "MessagePack C implementation for Lua");
  G.set("cmsgpack", t);
  return t;
}
