/**
 * Lua 5.1 string library (`lstrlib.c`): byte, char, dump, find, format, gmatch (and the
 * 5.1 compat alias gfind), gsub, len, lower, match, rep, reverse, sub, upper, with the
 * full Lua pattern language. Strings are binary strings (one char per byte).
 *
 * Also installs the string metatable (`("x"):rep(3)`).
 *
 * @module
 */

import {
  checkInteger,
  checkNumber,
  checkString,
  optInteger,
  toCInt,
  toLong,
  typeError,
} from "./auxlib.ts";
import { indexSlow } from "./runtime.ts";
import {
  argError,
  fmtExp,
  fmtFixed,
  formatG,
  formatNumber,
  luaCall,
  luaError,
  LuaFunction,
  LuaTable,
  luaType,
  type LuaValue,
  nativeFunction,
  rt,
} from "./value.ts";

/** Largest string the library builds (V8's limit is a bit above 2^29 chars). */
const MAX_STRING = (1 << 29) - 64;

function posrelat(pos: number, len: number): number {
  if (pos < 0) pos += len + 1;
  return pos >= 0 ? pos : 0;
}

// ---------------------------------------------------------------------------
// Pattern matching (a direct port of lstrlib.c's matcher)

const L_ESC = 37; // '%'
const SPECIALS = /[\^$*+?.(\[%-]/;
const CAP_UNFINISHED = -1;
const CAP_POSITION = -2;
const MAXCAPTURES = 32;

function isalpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isdigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function islower(c: number): boolean {
  return c >= 97 && c <= 122;
}
function isupper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isspace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function iscntrl(c: number): boolean {
  return c < 32 || c === 127;
}
function ispunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
    (c >= 123 && c <= 126);
}
function isxdigit(c: number): boolean {
  return isdigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function matchClass(c: number, cl: number): boolean {
  let res: boolean;
  switch (cl | 0x20) {
    case 97: // a
      res = isalpha(c);
      break;
    case 99: // c
      res = iscntrl(c);
      break;
    case 100: // d
      res = isdigit(c);
      break;
    case 108: // l
      res = islower(c);
      break;
    case 112: // p
      res = ispunct(c);
      break;
    case 115: // s
      res = isspace(c);
      break;
    case 117: // u
      res = isupper(c);
      break;
    case 119: // w
      res = isalpha(c) || isdigit(c);
      break;
    case 120: // x
      res = isxdigit(c);
      break;
    case 122: // z
      res = c === 0;
      break;
    default:
      return cl === c;
  }
  return isupper(cl) ? !res : res;
}

class MatchState {
  level = 0;
  capInit: number[] = new Array<number>(MAXCAPTURES).fill(0);
  capLen: number[] = new Array<number>(MAXCAPTURES).fill(0);
  /** Pattern end (5.1 stops patterns at the first NUL byte). */
  pend: number;
  constructor(public src: string, public pat: string) {
    const z = pat.indexOf("\0");
    this.pend = z >= 0 ? z : pat.length;
  }

  /** Pattern byte at i (0 past the end, like the C string terminator). */
  p(i: number): number {
    return i < this.pend ? this.pat.charCodeAt(i) : 0;
  }

  /** Source byte at i (0 past the end). */
  s(i: number): number {
    return i < this.src.length ? this.src.charCodeAt(i) : 0;
  }

  classEnd(p: number): number {
    const c = this.p(p++);
    if (c === L_ESC) {
      if (p >= this.pend) luaError("malformed pattern (ends with '%')");
      return p + 1;
    }
    if (c === 91) { // '['
      if (this.p(p) === 94) p++;
      do {
        if (p >= this.pend) luaError("malformed pattern (missing ']')");
        const cc = this.p(p++);
        if (cc === L_ESC && p < this.pend) p++;
      } while (this.p(p) !== 93);
      return p + 1;
    }
    return p;
  }

  matchBracketClass(c: number, p: number, ec: number): boolean {
    let sig = true;
    if (this.p(p + 1) === 94) {
      sig = false;
      p++;
    }
    while (++p < ec) {
      const pc = this.p(p);
      if (pc === L_ESC) {
        p++;
        if (matchClass(c, this.p(p))) return sig;
      } else if (this.p(p + 1) === 45 && p + 2 < ec) {
        p += 2;
        if (pc <= c && c <= this.p(p)) return sig;
      } else if (pc === c) return sig;
    }
    return !sig;
  }

  singleMatch(c: number, p: number, ep: number): boolean {
    const pc = this.p(p);
    switch (pc) {
      case 46: // '.'
        return true;
      case L_ESC:
        return matchClass(c, this.p(p + 1));
      case 91:
        return this.matchBracketClass(c, p, ep - 1);
      default:
        return pc === c;
    }
  }

  matchBalance(s: number, p: number): number {
    if (p >= this.pend || p + 1 >= this.pend) luaError("unbalanced pattern");
    if (this.s(s) !== this.p(p)) return -1;
    const b = this.p(p), e = this.p(p + 1);
    let cont = 1;
    const end = this.src.length;
    while (++s < end) {
      const c = this.src.charCodeAt(s);
      if (c === e) {
        if (--cont === 0) return s + 1;
      } else if (c === b) cont++;
    }
    return -1;
  }

  maxExpand(s: number, p: number, ep: number): number {
    let i = 0;
    const end = this.src.length;
    while (s + i < end && this.singleMatch(this.src.charCodeAt(s + i), p, ep)) i++;
    while (i >= 0) {
      const res = this.match(s + i, ep + 1);
      if (res !== -1) return res;
      i--;
    }
    return -1;
  }

  minExpand(s: number, p: number, ep: number): number {
    const end = this.src.length;
    for (;;) {
      const res = this.match(s, ep + 1);
      if (res !== -1) return res;
      if (s < end && this.singleMatch(this.src.charCodeAt(s), p, ep)) s++;
      else return -1;
    }
  }

  startCapture(s: number, p: number, what: number): number {
    const level = this.level;
    if (level >= MAXCAPTURES) luaError("too many captures");
    this.capInit[level] = s;
    this.capLen[level] = what;
    this.level = level + 1;
    const res = this.match(s, p);
    if (res === -1) this.level--;
    return res;
  }

  endCapture(s: number, p: number): number {
    let l = -1;
    for (let level = this.level - 1; level >= 0; level--) {
      if (this.capLen[level] === CAP_UNFINISHED) {
        l = level;
        break;
      }
    }
    if (l < 0) luaError("invalid pattern capture");
    this.capLen[l] = s - this.capInit[l]!;
    const res = this.match(s, p);
    if (res === -1) this.capLen[l] = CAP_UNFINISHED;
    return res;
  }

  matchCapture(s: number, lc: number): number {
    const l = lc - 49;
    if (l < 0 || l >= this.level || this.capLen[l] === CAP_UNFINISHED) {
      luaError("invalid capture index");
    }
    const len = this.capLen[l]!;
    if (len < 0) return -1;
    const init = this.capInit[l]!;
    if (this.src.length - s >= len && this.src.substr(init, len) === this.src.substr(s, len)) {
      return s + len;
    }
    return -1;
  }

  /** Returns the end of the match of pattern position `p` at source `s`, or -1. */
  match(s: number, p: number): number {
    const end = this.src.length;
    for (;;) {
      if (p >= this.pend) return s;
      const pc = this.pat.charCodeAt(p);
      switch (pc) {
        case 40: // '('
          if (this.p(p + 1) === 41) return this.startCapture(s, p + 2, CAP_POSITION);
          return this.startCapture(s, p + 1, CAP_UNFINISHED);
        case 41: // ')'
          return this.endCapture(s, p + 1);
        case L_ESC: {
          const nc = this.p(p + 1);
          if (nc === 98) { // 'b'
            s = this.matchBalance(s, p + 2);
            if (s === -1) return -1;
            p += 4;
            continue;
          }
          if (nc === 102) { // 'f'
            p += 2;
            if (this.p(p) !== 91) luaError("missing '[' after '%f' in pattern");
            const ep = this.classEnd(p);
            const prev = s === 0 ? 0 : this.src.charCodeAt(s - 1);
            if (
              this.matchBracketClass(prev, p, ep - 1) ||
              !this.matchBracketClass(this.s(s), p, ep - 1)
            ) return -1;
            p = ep;
            continue;
          }
          if (isdigit(nc)) {
            s = this.matchCapture(s, nc);
            if (s === -1) return -1;
            p += 2;
            continue;
          }
          break;
        }
        case 36: // '$'
          if (p + 1 >= this.pend) return s === end ? s : -1;
          break;
      }
      // default: a single char class, maybe followed by a quantifier
      const ep = this.classEnd(p);
      const m = s < end && this.singleMatch(this.src.charCodeAt(s), p, ep);
      const q = this.p(ep);
      if (q === 63) { // '?'
        if (m) {
          const res = this.match(s + 1, ep + 1);
          if (res !== -1) return res;
        }
        p = ep + 1;
        continue;
      }
      if (q === 42) return this.maxExpand(s, p, ep); // '*'
      if (q === 43) return m ? this.maxExpand(s + 1, p, ep) : -1; // '+'
      if (q === 45) return this.minExpand(s, p, ep); // '-'
      if (!m) return -1;
      s++;
      p = ep;
    }
  }

  oneCapture(i: number, s: number, e: number): LuaValue {
    if (i >= this.level) {
      if (i === 0) return this.src.slice(s, e);
      luaError("invalid capture index");
    }
    const l = this.capLen[i]!;
    if (l === CAP_UNFINISHED) luaError("unfinished capture");
    const init = this.capInit[i]!;
    if (l === CAP_POSITION) return init + 1;
    return this.src.substr(init, l);
  }

  captures(s: number, e: number, wholeIfNone: boolean): LuaValue[] {
    const n = this.level === 0 && wholeIfNone ? 1 : this.level;
    const out = new Array<LuaValue>(n);
    for (let i = 0; i < n; i++) out[i] = this.oneCapture(i, s, e);
    return out;
  }
}

function strFindAux(args: LuaValue[], find: boolean): LuaValue[] {
  const fname = find ? "find" : "match";
  const s = checkString(args, 0, fname);
  const p = checkString(args, 1, fname);
  const l1 = s.length;
  let init = posrelat(optInteger(args, 2, fname, 1), l1) - 1;
  if (init < 0) init = 0;
  else if (init > l1) init = l1;
  const a3 = args[3];
  const pz = p.indexOf("\0");
  if (
    find && ((a3 !== undefined && a3 !== false) || !SPECIALS.test(pz >= 0 ? p.slice(0, pz) : p))
  ) {
    const i = s.indexOf(p, init);
    if (i >= 0) return [i + 1, i + p.length];
  } else {
    const ms = new MatchState(s, p);
    const anchor = ms.p(0) === 94;
    const p0 = anchor ? 1 : 0;
    let s1 = init;
    do {
      ms.level = 0;
      const res = ms.match(s1, p0);
      if (res !== -1) {
        if (find) return [s1 + 1, res, ...ms.captures(-1, -1, false)];
        return ms.captures(s1, res, true);
      }
    } while (s1++ < l1 && !anchor);
  }
  return [undefined];
}

function addValue(
  ms: MatchState,
  s: number,
  e: number,
  repl: LuaValue,
  replStr: string | undefined,
): string {
  let v: LuaValue;
  if (replStr !== undefined) {
    let out = "";
    const l = replStr.length;
    for (let i = 0; i < l; i++) {
      const c = replStr.charCodeAt(i);
      if (c !== L_ESC) {
        out += replStr[i];
        continue;
      }
      i++;
      const d = i < l ? replStr.charCodeAt(i) : 0;
      if (!isdigit(d)) out += String.fromCharCode(d);
      else if (d === 48) out += ms.src.slice(s, e);
      else {
        const cap = ms.oneCapture(d - 49, s, e);
        out += typeof cap === "number" ? formatNumber(cap) : cap as string;
      }
    }
    return out;
  }
  if (repl instanceof LuaTable) {
    const k = ms.oneCapture(0, s, e);
    v = repl.get(k);
    if (v === undefined && repl.metatable !== undefined) v = indexSlow(repl, k, undefined);
  } else {
    v = luaCall(repl, ms.captures(s, e, true))[0];
  }
  if (v === undefined || v === false) return ms.src.slice(s, e);
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v);
  return luaError(`invalid replacement value (a ${luaType(v)})`);
}

function strGsub(args: LuaValue[]): LuaValue[] {
  const src = checkString(args, 0, "gsub");
  const pat = checkString(args, 1, "gsub");
  const repl = args[2];
  const tr = luaType(repl);
  const srcl = src.length;
  const maxS = args[3] === undefined ? srcl + 1 : toCInt(checkInteger(args, 3, "gsub"));
  if (tr !== "number" && tr !== "string" && tr !== "function" && tr !== "table") {
    argError(3, "gsub", "string/function/table expected");
  }
  const replStr = typeof repl === "number"
    ? formatNumber(repl)
    : typeof repl === "string"
    ? repl
    : undefined;
  const ms = new MatchState(src, pat);
  const anchor = ms.p(0) === 94;
  const p0 = anchor ? 1 : 0;
  let n = 0;
  let s = 0;
  const parts: string[] = [];
  while (n < maxS) {
    ms.level = 0;
    const e = ms.match(s, p0);
    if (e !== -1) {
      n++;
      parts.push(addValue(ms, s, e, repl, replStr));
    }
    if (e !== -1 && e > s) s = e;
    else if (s < srcl) parts.push(src[s++]!);
    else break;
    if (anchor) break;
  }
  parts.push(src.slice(s));
  return [parts.join(""), n];
}

function strGmatch(args: LuaValue[]): LuaValue[] {
  const s = checkString(args, 0, "gmatch");
  const p = checkString(args, 1, "gmatch");
  let pos = 0;
  const ms = new MatchState(s, p);
  return [nativeFunction("gmatch_aux", () => {
    for (let src = pos; src <= s.length; src++) {
      ms.level = 0;
      const e = ms.match(src, 0);
      if (e !== -1) {
        pos = e === src ? e + 1 : e;
        return ms.captures(src, e, true);
      }
    }
    return [];
  })];
}

// ---------------------------------------------------------------------------
// string.format

function intDigits(v: bigint, conv: string): string {
  switch (conv) {
    case "o":
      return v.toString(8);
    case "x":
      return v.toString(16);
    case "X":
      return v.toString(16).toUpperCase();
    default:
      return v.toString(10);
  }
}

function pad(body: string, sign: string, width: number, left: boolean, zero: boolean): string {
  const len = sign.length + body.length;
  if (len >= width) return sign + body;
  if (left) return sign + body + " ".repeat(width - len);
  if (zero) return sign + "0".repeat(width - len) + body;
  return " ".repeat(width - len) + sign + body;
}

function toBigLong(n: number, unsigned: boolean): bigint {
  if (!unsigned) return BigInt(toLong(n));
  // gcc's double -> unsigned long: values >= 2^63 go through (long)(d - 2^63) ^ 2^63.
  if (n >= 9223372036854775808) return n < 18446744073709551616 ? BigInt(n) : 0n;
  return BigInt.asUintN(64, BigInt(toLong(n)));
}

function formatOne(flags: string, width: number, prec: number, conv: string, n: number): string {
  const left = flags.includes("-");
  const plus = flags.includes("+");
  const space = flags.includes(" ");
  const alt = flags.includes("#");
  let zero = flags.includes("0") && !left;
  switch (conv) {
    case "d":
    case "i":
    case "o":
    case "u":
    case "x":
    case "X": {
      const signed = conv === "d" || conv === "i";
      const l = toLong(n);
      let neg: boolean, body: string, isZero: boolean;
      if (l >= 0 && l <= 9007199254740991) {
        // Fast path without BigInt.
        neg = false;
        isZero = l === 0;
        body = conv === "o"
          ? l.toString(8)
          : conv === "x"
          ? l.toString(16)
          : conv === "X"
          ? l.toString(16).toUpperCase()
          : String(l);
      } else {
        const v = toBigLong(n, !signed);
        neg = v < 0n;
        isZero = v === 0n;
        body = intDigits(neg ? -v : v, conv);
      }
      if (prec >= 0) {
        zero = false;
        if (prec === 0 && isZero) body = "";
        else if (body.length < prec) body = "0".repeat(prec - body.length) + body;
      }
      let sign = "";
      if (signed) sign = neg ? "-" : plus ? "+" : space ? " " : "";
      if (alt) {
        if (conv === "o" && body[0] !== "0") body = "0" + body;
        else if ((conv === "x" || conv === "X") && !isZero) sign = conv === "x" ? "0x" : "0X";
      }
      return pad(body, sign, width, left, zero);
    }
    default: {
      const neg = n < 0 || Object.is(n, -0) || n !== n; // NaN prints as "-nan" (see formatNumber)
      let body: string;
      const a = Math.abs(n);
      const upper = conv === "E" || conv === "G";
      if (!isFinite(a)) {
        body = a !== a ? "nan" : "inf";
        if (upper) body = body.toUpperCase();
        zero = false;
      } else {
        const p = prec < 0 ? 6 : prec;
        if (conv === "f") {
          body = fmtFixed(a, p);
          if (alt && p === 0) body += ".";
        } else if (conv === "e" || conv === "E") body = fmtExp(a, p, alt);
        else body = formatG(a, p, alt);
        if (upper) body = body.toUpperCase();
      }
      const sign = neg ? "-" : plus ? "+" : space ? " " : "";
      return pad(body, sign, width, left, zero);
    }
  }
}

function addQuoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    switch (c) {
      case '"':
      case "\\":
      case "\n":
        out += "\\" + c;
        break;
      case "\r":
        out += "\\r";
        break;
      case "\0":
        out += "\\000";
        break;
      default:
        out += c;
    }
  }
  return out + '"';
}

function cstr(s: string): string {
  // sprintf output is added with strlen(): it stops at the first NUL byte.
  const z = s.indexOf("\0");
  return z >= 0 ? s.slice(0, z) : s;
}

function strFormat(args: LuaValue[]): LuaValue[] {
  const fmt = checkString(args, 0, "format");
  const top = args.length;
  let arg = 0;
  let out = "";
  const n = fmt.length;
  let i = 0;
  while (i < n) {
    const c = fmt[i]!;
    if (c !== "%") {
      out += c;
      i++;
      continue;
    }
    i++;
    if (fmt[i] === "%") {
      out += "%";
      i++;
      continue;
    }
    if (++arg >= top) argError(arg + 1, "format", "no value");
    // scanformat
    const fstart = i;
    while (i < n && "-+ #0".includes(fmt[i]!)) i++;
    if (i - fstart >= 6) luaError("invalid format (repeated flags)");
    const flags = fmt.slice(fstart, i);
    let width = 0, prec = -1;
    let wd = 0;
    while (isdigit(fmt.charCodeAt(i)) && wd < 2) {
      width = width * 10 + fmt.charCodeAt(i) - 48;
      i++;
      wd++;
    }
    if (fmt[i] === ".") {
      i++;
      prec = 0;
      let pd = 0;
      while (isdigit(fmt.charCodeAt(i)) && pd < 2) {
        prec = prec * 10 + fmt.charCodeAt(i) - 48;
        i++;
        pd++;
      }
    }
    if (isdigit(fmt.charCodeAt(i))) luaError("invalid format (width or precision too long)");
    const conv = fmt[i] ?? "\0";
    i++;
    switch (conv) {
      case "c": {
        const v = toCInt(toLong(checkNumber(args, arg, "format")));
        out += cstr(pad(String.fromCharCode(v & 255), "", width, flags.includes("-"), false));
        break;
      }
      case "d":
      case "i":
      case "o":
      case "u":
      case "x":
      case "X":
      case "e":
      case "E":
      case "f":
      case "g":
      case "G":
        out += formatOne(flags, width, prec, conv, checkNumber(args, arg, "format"));
        break;
      case "q":
        out += addQuoted(checkString(args, arg, "format"));
        break;
      case "s": {
        const s = checkString(args, arg, "format");
        if (prec < 0 && s.length >= 100) {
          out += s;
        } else {
          let body = cstr(s);
          if (prec >= 0) body = body.slice(0, prec);
          out += pad(body, "", width, flags.includes("-"), false);
        }
        break;
      }
      default:
        luaError(`invalid option '%${conv === "\0" ? "" : conv}' to 'format'`);
    }
  }
  return [out];
}

// ---------------------------------------------------------------------------

/** Opens the string library and installs the string metatable. */
export function openString(G: LuaTable): LuaTable {
  const S = new LuaTable();
  const def = (name: string, fn: (args: LuaValue[]) => LuaValue[]) =>
    S.set(name, nativeFunction(name, fn));
  def("len", (a) => [checkString(a, 0, "len").length]);
  def("sub", (a) => {
    const s = checkString(a, 0, "sub");
    const l = s.length;
    let start = posrelat(checkInteger(a, 1, "sub"), l);
    let end = posrelat(optInteger(a, 2, "sub", -1), l);
    if (start < 1) start = 1;
    if (end > l) end = l;
    return [start <= end ? s.slice(start - 1, end) : ""];
  });
  def("reverse", (a) => {
    const s = checkString(a, 0, "reverse");
    let r = "";
    for (let i = s.length - 1; i >= 0; i--) r += s[i];
    return [r];
  });
  def("lower", (a) => [checkString(a, 0, "lower").replace(/[A-Z]+/g, (m) => m.toLowerCase())]);
  def("upper", (a) => [checkString(a, 0, "upper").replace(/[a-z]+/g, (m) => m.toUpperCase())]);
  def("rep", (a) => {
    const s = checkString(a, 0, "rep");
    const n = checkInteger(a, 1, "rep");
    if (n <= 0 || s.length === 0) return [""];
    if (s.length * n > MAX_STRING) luaError("not enough memory");
    return [s.repeat(n)];
  });
  def("byte", (a) => {
    const s = checkString(a, 0, "byte");
    const l = s.length;
    let posi = posrelat(optInteger(a, 1, "byte", 1), l);
    let pose = posrelat(optInteger(a, 2, "byte", posi), l);
    if (posi <= 0) posi = 1;
    if (pose > l) pose = l;
    if (posi > pose) return [];
    const n = pose - posi + 1;
    if (n > 8000) luaError("string slice too long");
    const out = new Array<LuaValue>(n);
    for (let i = 0; i < n; i++) out[i] = s.charCodeAt(posi - 1 + i);
    return out;
  });
  def("char", (a) => {
    let r = "";
    for (let i = 0; i < a.length; i++) {
      const c = toCInt(checkInteger(a, i, "char"));
      if ((c & 255) !== c) argError(i + 1, "char", "invalid value");
      r += String.fromCharCode(c);
    }
    return [r];
  });
  def("dump", (a) => {
    if (!(a[0] instanceof LuaFunction)) typeError(a, 0, "dump", "function");
    return luaError("unable to dump given function");
  });
  def("find", (a) => strFindAux(a, true));
  def("match", (a) => strFindAux(a, false));
  def("gmatch", strGmatch);
  def("gfind", strGmatch);
  def("gsub", strGsub);
  def("format", strFormat);
  G.set("string", S);
  const meta = new LuaTable();
  meta.set("__index", S);
  rt.stringMeta = meta;
  return S;
}
