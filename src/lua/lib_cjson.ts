/**
 * Lua CJSON 2.1.0 (`cjson` library) as bundled with Redis scripting.
 *
 * Encoding follows `lua_cjson.c`: strings are byte strings escaped with lua-cjson's
 * table (control characters, `"`, `\`, `/` and DEL), numbers use `%.14g`
 * (`encode_number_precision`), tables are arrays when every key is a positive integer
 * and the array is not excessively sparse (`encode_sparse_array`), otherwise objects
 * keyed in `next` order. Decoding follows lua-cjson's tokenizer, including its error
 * messages ("Expected value but found invalid token at character 1"), `strtod` number
 * syntax (hex, inf and nan are accepted while `decode_invalid_numbers` is on),
 * `\uXXXX` escapes (with surrogate pairs) decoded to UTF-8 bytes and the nesting limits.
 *
 * `cjson.null` is a light userdata NULL in C. The engine has no userdata type, so it is
 * the {@link CJSON_NULL} singleton (an instance of {@link LightUserdata}), which
 * `luaType` reports as "userdata".
 *
 * Redis 8.2 added `cjson.decode_array_with_array_mt` / `cjson.array_mt` (off by default);
 * it is provided here too: when enabled, decoded arrays get `cjson.array_mt` as
 * metatable and tables with that metatable always encode as JSON arrays (`[]` when empty).
 *
 * @module
 */

import { checkNumber, checkString } from "./auxlib.ts";
import {
  argError,
  formatG,
  luaError,
  LuaTable,
  luaType,
  type LuaValue,
  nativeFunction,
} from "./value.ts";

/** A stand-in for a C light userdata value (the engine has no userdata type). */
export class LightUserdata {
  /** Address-like id slot used by `addressOf` for `tostring`. */
  id = 0;
  /** Builds a light userdata labelled `label` (for debugging only). */
  constructor(readonly label: string) {}
}

/**
 * `cjson.null`: JSON null, a NULL light userdata in C. It is not a member of the engine's
 * `LuaValue` union, hence the cast; `luaType` already reports unknown objects as
 * "userdata".
 */
export const CJSON_NULL: LuaValue = new LightUserdata("NULL") as unknown as LuaValue;

/** True for the `cjson.null` sentinel. */
export function isCjsonNull(v: unknown): boolean {
  return v === CJSON_NULL;
}

const INT_MAX = 2147483647;

interface Config {
  sparseConvert: number;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  /** 0 = off (error), 1 = on, 2 = "null". */
  encodeInvalidNumbers: number;
  decodeInvalidNumbers: number;
  encodeKeepBuffer: number;
  precision: number;
  decodeArrayWithArrayMt: number;
  arrayMt: LuaTable;
}

// ---------------------------------------------------------------------------
// Encoding

const ESCAPES: string[] = [];
for (let i = 0; i < 32; i++) ESCAPES[i] = "\\u" + i.toString(16).padStart(4, "0");
ESCAPES[8] = "\\b";
ESCAPES[9] = "\\t";
ESCAPES[10] = "\\n";
ESCAPES[12] = "\\f";
ESCAPES[13] = "\\r";
ESCAPES[34] = '\\"';
ESCAPES[47] = "\\/";
ESCAPES[92] = "\\\\";
ESCAPES[127] = "\\u007f";

// deno-lint-ignore no-control-regex
const ESCAPE_RE = /[\x00-\x1f"\\/\x7f]/g;

function escapeChar(c: string): string {
  return ESCAPES[c.charCodeAt(0)] ?? c;
}

/** Encodes a byte string as a JSON string literal, as `json_append_string`. */
export function jsonQuote(s: string): string {
  return '"' + s.replace(ESCAPE_RE, escapeChar) + '"';
}

function encodeError(v: LuaValue, reason: string): never {
  return luaError(`Cannot serialise ${luaType(v)}: ${reason}`);
}

function encodeNumber(cfg: Config, n: number): string {
  if (n !== n || n === Infinity || n === -Infinity) {
    if (cfg.encodeInvalidNumbers === 0) encodeError(n, "must not be NaN or Inf");
    if (cfg.encodeInvalidNumbers === 2) return "null";
    if (n !== n) return "nan";
    return n > 0 ? "inf" : "-inf";
  }
  return formatG(n, cfg.precision);
}

/** `lua_array_length`: the array size, or -1 for an object. */
function arrayLength(cfg: Config, t: LuaTable): number {
  let max = 0, items = 0;
  for (let e = t.next(undefined); e !== undefined; e = t.next(e[0])) {
    const k = e[0];
    if (typeof k === "number" && k !== 0 && Math.floor(k) === k && k >= 1) {
      // `max` is a C int: larger keys wrap to INT_MIN as x86's conversion does.
      if (k > max) max = k > INT_MAX ? -2147483648 : k;
      items++;
      continue;
    }
    return -1;
  }
  if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
    if (!cfg.sparseConvert) encodeError(t, "excessively sparse array");
    return -1;
  }
  return max;
}

/**
 * Lua's limit on C stack slots (LUAI_MAXCSTACK): lua_checkstack fails beyond it, which
 * lua-cjson reports as excessive nesting when the depth limits are raised very high.
 */
const MAXCSTACK = 8000;

/** An open array or object while encoding (an explicit stack avoids JS recursion). */
interface EncodeFrame {
  t: LuaTable;
  /** Array length, or -1 for an object. */
  len: number;
  /** Next array index, or the last object key (undefined before the first). */
  i: number;
  key: LuaValue;
  depth: number;
  /** Lua stack slots the C encoder uses for the elements of this table. */
  slots: number;
}

/** Serialises `root` as `json_append_data` does. */
function encode(cfg: Config, root: LuaValue): string {
  const out: string[] = [];
  const stack: EncodeFrame[] = [];
  // `slots` is the C encoder's Lua stack use at this point: the argument plus one slot per
  // enclosing array and two per enclosing object; lua_checkstack(3) fails past
  // LUAI_MAXCSTACK, which lua-cjson reports as excessive nesting.
  const begin = (v: LuaValue, depth: number, slots: number): void => {
    switch (typeof v) {
      case "string":
        out.push(jsonQuote(v));
        return;
      case "number":
        out.push(encodeNumber(cfg, v));
        return;
      case "boolean":
        out.push(v ? "true" : "false");
        return;
      case "undefined":
        out.push("null");
        return;
    }
    if (v instanceof LuaTable) {
      depth++;
      if (depth > cfg.encodeMaxDepth || slots + 3 > MAXCSTACK) {
        luaError(`Cannot serialise, excessive nesting (${depth})`);
      }
      let len: number;
      if (v.metatable !== undefined && v.metatable === cfg.arrayMt) len = v.length();
      else {
        len = arrayLength(cfg, v);
        if (len <= 0) len = -1;
      }
      out.push(len >= 0 ? "[" : "{");
      stack.push({ t: v, len, i: 1, key: undefined, depth, slots });
      return;
    }
    if (v === CJSON_NULL) {
      out.push("null");
      return;
    }
    encodeError(v, "type not supported");
  };
  begin(root, 0, 1);
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.len >= 0) {
      if (f.i > f.len) {
        out.push("]");
        stack.pop();
        continue;
      }
      if (f.i > 1) out.push(",");
      const v = f.t.get(f.i++);
      begin(v, f.depth, f.slots + 1);
      continue;
    }
    const e = f.t.next(f.key);
    if (e === undefined) {
      out.push("}");
      stack.pop();
      continue;
    }
    if (f.key !== undefined) out.push(",");
    const k = e[0];
    f.key = k;
    if (typeof k === "number") out.push('"' + encodeNumber(cfg, k) + '":');
    else if (typeof k === "string") out.push(jsonQuote(k) + ":");
    else encodeError(k, "table key must be a number or string");
    begin(e[1], f.depth, f.slots + 2);
  }
  return out.join("");
}

// ---------------------------------------------------------------------------
// Decoding

const enum T {
  OBJ_BEGIN,
  OBJ_END,
  ARR_BEGIN,
  ARR_END,
  STRING,
  NUMBER,
  BOOLEAN,
  NULL,
  COLON,
  COMMA,
  END,
  WHITESPACE,
  ERROR,
  UNKNOWN,
}

const TOKEN_NAMES = [
  "T_OBJ_BEGIN",
  "T_OBJ_END",
  "T_ARR_BEGIN",
  "T_ARR_END",
  "T_STRING",
  "T_NUMBER",
  "T_BOOLEAN",
  "T_NULL",
  "T_COLON",
  "T_COMMA",
  "T_END",
  "T_WHITESPACE",
  "T_ERROR",
  "T_UNKNOWN",
];

const CH2TOKEN: T[] = new Array<T>(256).fill(T.ERROR);
CH2TOKEN[0x7b] = T.OBJ_BEGIN;
CH2TOKEN[0x7d] = T.OBJ_END;
CH2TOKEN[0x5b] = T.ARR_BEGIN;
CH2TOKEN[0x5d] = T.ARR_END;
CH2TOKEN[0x2c] = T.COMMA;
CH2TOKEN[0x3a] = T.COLON;
CH2TOKEN[0] = T.END;
for (const c of " \t\n\r") CH2TOKEN[c.charCodeAt(0)] = T.WHITESPACE;
for (const c of 'fiInNt"+-0123456789') CH2TOKEN[c.charCodeAt(0)] = T.UNKNOWN;

const ESCAPE2CHAR: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
};

interface Token {
  // A plain number: the fields are mutated by helper calls, which defeats narrowing.
  type: number;
  index: number;
  /** String value, or the error description for T.ERROR. */
  str: string;
  num: number;
  bool: boolean;
}

interface Parser {
  s: string;
  p: number;
  depth: number;
  /** Lua stack slots the C parser would be using (for lua_checkstack). */
  slots: number;
  cfg: Config;
}

/** Byte at `i`, 0 past the end (the C parser works on a NUL-terminated buffer). */
function byteAt(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : 0;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 0x20;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function decodeHex4(s: string, i: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const d = hexDigit(byteAt(s, i + k));
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

function utf8(cp: number): string {
  if (cp <= 0x7f) return String.fromCharCode(cp);
  if (cp <= 0x7ff) return String.fromCharCode((cp >> 6) | 0xc0, (cp & 0x3f) | 0x80);
  if (cp <= 0xffff) {
    return String.fromCharCode((cp >> 12) | 0xe0, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
  }
  return String.fromCharCode(
    (cp >> 18) | 0xf0,
    ((cp >> 12) & 0x3f) | 0x80,
    ((cp >> 6) & 0x3f) | 0x80,
    (cp & 0x3f) | 0x80,
  );
}

function setError(tok: Token, json: Parser, msg: string): void {
  tok.type = T.ERROR;
  tok.index = json.p;
  tok.str = msg;
}

function nextString(json: Parser, tok: Token): void {
  const s = json.s;
  let p = json.p + 1;
  let out = "";
  let start = p;
  for (;;) {
    const ch = byteAt(s, p);
    if (ch === 0x22) break;
    if (ch === 0) {
      json.p = p;
      setError(tok, json, "unexpected end of string");
      return;
    }
    if (ch !== 0x5c) {
      p++;
      continue;
    }
    out += s.slice(start, p);
    const esc = p + 1 < s.length ? s[p + 1]! : "\0";
    if (esc === "u") {
      let cp = decodeHex4(s, p + 2);
      let len = 6;
      if (cp >= 0 && (cp & 0xf800) === 0xd800) {
        // Surrogate pair: a high surrogate must be followed by a \u low surrogate.
        if (cp & 0x400) cp = -1;
        else if (byteAt(s, p + 6) !== 0x5c || byteAt(s, p + 7) !== 0x75) cp = -1;
        else {
          const low = decodeHex4(s, p + 8);
          if (low < 0 || (low & 0xfc00) !== 0xdc00) cp = -1;
          else {
            cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
            len = 12;
          }
        }
      }
      if (cp < 0) {
        json.p = p;
        setError(tok, json, "invalid unicode escape code");
        return;
      }
      out += utf8(cp);
      p += len;
    } else {
      const c = ESCAPE2CHAR[esc];
      if (c === undefined) {
        json.p = p;
        setError(tok, json, "invalid escape code");
        return;
      }
      out += c;
      p += 2;
    }
    start = p;
  }
  out += s.slice(start, p);
  json.p = p + 1;
  tok.type = T.STRING;
  tok.str = out;
}

const HEX_RE = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?/;
const DEC_RE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;
const INF_RE = /^([+-]?)inf(?:inity)?/i;
const NAN_RE = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?/i;

function parseHexFloat(t: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?[0-9]+))?$/.exec(t)!;
  const digits = (m[2] ?? "") + (m[3] ?? "");
  let v = 0;
  for (const d of digits) v = v * 16 + parseInt(d, 16);
  const exp = (m[4] === undefined ? 0 : parseInt(m[4], 10)) - 4 * (m[3] ?? "").length;
  v = v * 2 ** exp;
  return m[1] === "-" ? -v : v;
}

/** C `strtod` on `s` from `i`: [value, end index] (end === i when nothing parsed). */
export function strtod(s: string, i: number): [number, number] {
  // Numbers are short; look at a bounded window for the regular expressions.
  const w = s.slice(i, i + 400);
  let m = HEX_RE.exec(w);
  if (m) return [parseHexFloat(m[0]), i + m[0].length];
  m = DEC_RE.exec(w);
  if (m) {
    if (m[0].length === 400) {
      // Very long literal: take the whole run.
      const long = DEC_RE.exec(s.slice(i))!;
      return [parseFloat(long[0]), i + long[0].length];
    }
    return [parseFloat(m[0]), i + m[0].length];
  }
  m = INF_RE.exec(w);
  if (m) return [m[1] === "-" ? -Infinity : Infinity, i + m[0].length];
  m = NAN_RE.exec(w);
  if (m) return [NaN, i + m[0].length];
  return [0, i];
}

/** `json_is_invalid_number`: syntax strtod accepts but strict JSON does not. */
function isInvalidNumber(s: string, p: number): boolean {
  let c = byteAt(s, p);
  if (c === 0x2b) return true;
  if (c === 0x2d) c = byteAt(s, ++p);
  if (c === 0x30) {
    const c2 = byteAt(s, p + 1);
    return (c2 | 0x20) === 0x78 || (c2 >= 0x30 && c2 <= 0x39);
  }
  if (c <= 0x39) return false;
  const w = s.slice(p, p + 3).toLowerCase();
  return w === "inf" || w === "nan";
}

function nextNumber(json: Parser, tok: Token): void {
  const [v, end] = strtod(json.s, json.p);
  if (end === json.p) {
    setError(tok, json, "invalid number");
    return;
  }
  tok.type = T.NUMBER;
  tok.num = v;
  json.p = end;
}

function nextToken(json: Parser, tok: Token): void {
  const s = json.s;
  let ch: number;
  for (;;) {
    ch = byteAt(s, json.p);
    tok.type = ch > 255 ? T.ERROR : CH2TOKEN[ch]!;
    if (tok.type !== T.WHITESPACE) break;
    json.p++;
  }
  tok.index = json.p;
  if (tok.type === T.ERROR) {
    setError(tok, json, "invalid token");
    return;
  }
  if (tok.type === T.END) return;
  if (tok.type !== T.UNKNOWN) {
    json.p++;
    return;
  }
  if (ch === 0x22) {
    nextString(json, tok);
    return;
  }
  if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) {
    if (!json.cfg.decodeInvalidNumbers && isInvalidNumber(s, json.p)) {
      setError(tok, json, "invalid number");
      return;
    }
    nextNumber(json, tok);
    return;
  }
  if (s.startsWith("true", json.p)) {
    tok.type = T.BOOLEAN;
    tok.bool = true;
    json.p += 4;
    return;
  }
  if (s.startsWith("false", json.p)) {
    tok.type = T.BOOLEAN;
    tok.bool = false;
    json.p += 5;
    return;
  }
  if (s.startsWith("null", json.p)) {
    tok.type = T.NULL;
    json.p += 4;
    return;
  }
  if (json.cfg.decodeInvalidNumbers && isInvalidNumber(s, json.p)) {
    nextNumber(json, tok);
    return;
  }
  setError(tok, json, "invalid token");
}

function parseError(expected: string, tok: Token): never {
  const found = tok.type === T.ERROR ? tok.str : TOKEN_NAMES[tok.type]!;
  return luaError(`Expected ${expected} but found ${found} at character ${tok.index + 1}`);
}

function descend(json: Parser, slots: number): void {
  json.depth++;
  if (json.depth > json.cfg.decodeMaxDepth || json.slots + slots > MAXCSTACK) {
    luaError(`Found too many nested data structures (${json.depth}) at character ${json.p}`);
  }
}

function newToken(): Token {
  return { type: T.END, index: 0, str: "", num: 0, bool: false };
}

/** Reads the token type without TypeScript narrowing (helpers mutate the token). */
function ty(tok: Token): number {
  return tok.type;
}

/** An open array or object while decoding (an explicit stack avoids JS recursion). */
interface DecodeFrame {
  t: LuaTable;
  /** Next array index, or 0 for an object. */
  i: number;
  /** Pending object key. */
  key: string;
}

/** Reads `"key" :` in an object and moves to the value's first token. */
function readKey(json: Parser, tok: Token, f: DecodeFrame): void {
  if (ty(tok) !== T.STRING) parseError("object key string", tok);
  f.key = tok.str;
  nextToken(json, tok);
  if (ty(tok) !== T.COLON) parseError("colon", tok);
  nextToken(json, tok);
  json.slots++; // the key stays on the Lua stack while the value is parsed
}

function decode(cfg: Config, s: string): LuaValue {
  if (s.length >= 2 && (s.charCodeAt(0) === 0 || s.charCodeAt(1) === 0)) {
    luaError("JSON parser does not support UTF-16 or UTF-32");
  }
  // `slots` mirrors the C parser's Lua stack use (the argument, one slot per open array,
  // two per open object) for json_decode_descend's lua_checkstack.
  const json: Parser = { s, p: 0, depth: 0, slots: 1, cfg };
  const tok = newToken();
  const stack: DecodeFrame[] = [];
  let result: LuaValue;
  nextToken(json, tok);
  parse: for (;;) {
    // Parse the value starting at `tok` (json_process_value).
    let v: LuaValue;
    switch (ty(tok)) {
      case T.STRING:
        v = tok.str;
        break;
      case T.NUMBER:
        v = tok.num;
        break;
      case T.BOOLEAN:
        v = tok.bool;
        break;
      case T.NULL:
        v = CJSON_NULL;
        break;
      case T.OBJ_BEGIN: {
        descend(json, 3); // table, key, value
        const t = new LuaTable();
        nextToken(json, tok);
        if (ty(tok) === T.OBJ_END) {
          json.depth--;
          v = t;
          break;
        }
        json.slots++; // the table
        const f: DecodeFrame = { t, i: 0, key: "" };
        readKey(json, tok, f);
        stack.push(f);
        continue parse;
      }
      case T.ARR_BEGIN: {
        descend(json, 2); // table, value
        const t = new LuaTable();
        if (cfg.decodeArrayWithArrayMt) t.metatable = cfg.arrayMt;
        nextToken(json, tok);
        if (ty(tok) === T.ARR_END) {
          json.depth--;
          v = t;
          break;
        }
        json.slots++; // the table
        stack.push({ t, i: 1, key: "" });
        continue parse;
      }
      default:
        return parseError("value", tok);
    }
    // Store the finished value in the enclosing containers, closing those that end.
    for (;;) {
      const f = stack[stack.length - 1];
      if (f === undefined) {
        result = v;
        break parse;
      }
      if (f.i > 0) {
        f.t.set(f.i, v);
        nextToken(json, tok);
        if (ty(tok) === T.ARR_END) {
          json.depth--;
          json.slots--;
          stack.pop();
          v = f.t;
          continue;
        }
        if (ty(tok) !== T.COMMA) parseError("comma or array end", tok);
        nextToken(json, tok);
        f.i++;
        continue parse;
      }
      json.slots--; // the key
      f.t.set(f.key, v);
      nextToken(json, tok);
      if (ty(tok) === T.OBJ_END) {
        json.depth--;
        json.slots--;
        stack.pop();
        v = f.t;
        continue;
      }
      if (ty(tok) !== T.COMMA) parseError("comma or object end", tok);
      nextToken(json, tok);
      readKey(json, tok, f);
      continue parse;
    }
  }
  nextToken(json, tok);
  if (ty(tok) !== T.END) parseError("the end", tok);
  return result;
}

// ---------------------------------------------------------------------------
// Configuration functions

/** `json_arg_init`: at most `n` arguments. */
function argInit(args: LuaValue[], n: number, fname: string): void {
  if (args.length > n) argError(n + 1, fname, "found too many arguments");
}

/** luaL_checkinteger (a C cast of the number to an integer). */
function checkInteger(args: LuaValue[], i: number, fname: string): number {
  const n = checkNumber(args, i, fname);
  if (n !== n) return 0;
  return Math.trunc(n);
}

function integerOption(
  args: LuaValue[],
  i: number,
  fname: string,
  get: () => number,
  set: (v: number) => void,
  min: number,
  max: number,
): number {
  if (args[i] !== undefined) {
    const v = checkInteger(args, i, fname);
    // lua_cjson reports the range error against argument #1 whatever the position.
    if (!(min <= v && v <= max)) argError(1, fname, `expected integer between ${min} and ${max}`);
    set(v);
  }
  return get();
}

function enumOption(
  args: LuaValue[],
  i: number,
  fname: string,
  get: () => number,
  set: (v: number) => void,
  options: string[] | undefined,
  boolTrue: number,
): LuaValue {
  if (options === undefined) {
    options = ["off", "on"];
    boolTrue = 1;
  }
  const v = args[i];
  if (v !== undefined) {
    if (boolTrue && typeof v === "boolean") set(v ? boolTrue : 0);
    else {
      const name = checkString(args, i, fname);
      const idx = options.indexOf(name);
      if (idx < 0) argError(i + 1, fname, `invalid option '${name}'`);
      set(idx);
    }
  }
  const cur = get();
  if (boolTrue && (cur === 0 || cur === boolTrue)) return cur !== 0;
  return options[cur];
}

function checkOneArg(args: LuaValue[], fname: string): void {
  if (args.length !== 1) argError(1, fname, "expected 1 argument");
}

/** Builds a fresh `cjson` module table with its own configuration (`cjson.new`). */
export function newCjson(): LuaTable {
  const arrayMt = new LuaTable();
  const cfg: Config = {
    sparseConvert: 0,
    sparseRatio: 2,
    sparseSafe: 10,
    encodeMaxDepth: 1000,
    decodeMaxDepth: 1000,
    encodeInvalidNumbers: 0,
    decodeInvalidNumbers: 1,
    encodeKeepBuffer: 1,
    precision: 14,
    decodeArrayWithArrayMt: 0,
    arrayMt,
  };
  const t = new LuaTable();
  const def = (name: string, fn: (args: LuaValue[]) => LuaValue[]) => {
    t.set(name, nativeFunction(name, fn));
  };
  def("encode", (args) => {
    checkOneArg(args, "encode");
    return [encode(cfg, args[0])];
  });
  def("decode", (args) => {
    checkOneArg(args, "decode");
    return [decode(cfg, checkString(args, 0, "decode"))];
  });
  def("encode_sparse_array", (args) => {
    const f = "encode_sparse_array";
    argInit(args, 3, f);
    return [
      enumOption(args, 0, f, () => cfg.sparseConvert, (v) => cfg.sparseConvert = v, undefined, 1),
      integerOption(args, 1, f, () => cfg.sparseRatio, (v) => cfg.sparseRatio = v, 0, INT_MAX),
      integerOption(args, 2, f, () => cfg.sparseSafe, (v) => cfg.sparseSafe = v, 0, INT_MAX),
    ];
  });
  def("encode_max_depth", (args) => {
    const f = "encode_max_depth";
    argInit(args, 1, f);
    return [
      integerOption(
        args,
        0,
        f,
        () => cfg.encodeMaxDepth,
        (v) => cfg.encodeMaxDepth = v,
        1,
        INT_MAX,
      ),
    ];
  });
  def("decode_max_depth", (args) => {
    const f = "decode_max_depth";
    argInit(args, 1, f);
    return [
      integerOption(
        args,
        0,
        f,
        () => cfg.decodeMaxDepth,
        (v) => cfg.decodeMaxDepth = v,
        1,
        INT_MAX,
      ),
    ];
  });
  def("encode_number_precision", (args) => {
    const f = "encode_number_precision";
    argInit(args, 1, f);
    return [integerOption(args, 0, f, () => cfg.precision, (v) => cfg.precision = v, 1, 14)];
  });
  def("encode_keep_buffer", (args) => {
    const f = "encode_keep_buffer";
    argInit(args, 1, f);
    return [
      enumOption(
        args,
        0,
        f,
        () => cfg.encodeKeepBuffer,
        (v) => cfg.encodeKeepBuffer = v,
        undefined,
        1,
      ),
    ];
  });
  def("encode_invalid_numbers", (args) => {
    const f = "encode_invalid_numbers";
    argInit(args, 1, f);
    return [
      enumOption(
        args,
        0,
        f,
        () => cfg.encodeInvalidNumbers,
        (v) => cfg.encodeInvalidNumbers = v,
        ["off", "on", "null"],
        1,
      ),
    ];
  });
  def("decode_invalid_numbers", (args) => {
    const f = "decode_invalid_numbers";
    argInit(args, 1, f);
    return [
      enumOption(
        args,
        0,
        f,
        () => cfg.decodeInvalidNumbers,
        (v) => cfg.decodeInvalidNumbers = v,
        undefined,
        1,
      ),
    ];
  });
  def("decode_array_with_array_mt", (args) => {
    const f = "decode_array_with_array_mt";
    argInit(args, 1, f);
    return [
      enumOption(
        args,
        0,
        f,
        () => cfg.decodeArrayWithArrayMt,
        (v) => cfg.decodeArrayWithArrayMt = v,
        undefined,
        1,
      ),
    ];
  });
  def("new", () => [newCjson()]);
  t.set("null", CJSON_NULL);
  t.set("array_mt", arrayMt);
  t.set("_NAME", "cjson");
  t.set("_VERSION", "2.1.0");
  return t;
}

/** Opens the `cjson` library and registers it as the global `cjson`. */
export function openCjson(G: LuaTable): LuaTable {
  const t = newCjson();
  G.set("cjson", t);
  return t;
}
