/**
 * Lua 5.1 values and the small runtime core shared by the compiler, the standard
 * library and host code (Redis scripting).
 *
 * Representation:
 * - nil is `undefined`, booleans and numbers are JS booleans and doubles.
 * - strings are JS "binary strings": each char code 0..255 is one byte.
 * - tables are {@link LuaTable}, which emulates Lua 5.1's array part / hash part sizing
 *   (rehash on a full hash part, `computesizes`) so that `#t` on tables with holes gives
 *   the same border as `lua5.1`.
 * - functions are {@link LuaFunction}; coroutines are {@link LuaThread}.
 *
 * @module
 */

/** Any Lua value. */
export type LuaValue =
  | undefined
  | boolean
  | number
  | string
  | LuaTable
  | LuaFunction
  | LuaThread;

/** An error raised by Lua code or the library: carries any Lua value. */
export class LuaError extends Error {
  /** The Lua error object (usually a string with a position prefix). */
  value: LuaValue;
  /** Lua traceback captured when the error was raised (best effort). */
  luaTraceback: string | undefined;
  /** Builds an error carrying `value`. */
  constructor(value: LuaValue) {
    super(typeof value === "string" ? value : luaTypeOrString(value));
    this.name = "LuaError";
    this.value = value;
    this.luaTraceback = undefined;
  }
}

function luaTypeOrString(v: LuaValue): string {
  if (typeof v === "number") return formatNumber(v);
  if (v === undefined) return "nil";
  return typeof v === "boolean" ? String(v) : `(error object is a ${luaType(v)} value)`;
}

/**
 * Per-thread call information used for error positions (`chunk:line:`), levels of
 * `error(msg, level)`, stack overflow detection and the instruction hook.
 * Compiled code writes `rt.lines[depth]` before calls and operations that may fail.
 */
export interface CallStack {
  /** Chunk display names per frame (index 1..depth). */
  chunks: string[];
  /** Current line per frame. */
  lines: number[];
  /** Function objects per frame (for getfenv/setfenv levels and tracebacks). */
  fns: (LuaFunction | undefined)[];
  /** Number of active Lua frames. */
  depth: number;
}

/** Global mutable runtime state (single-threaded). */
export const rt = {
  stack: { chunks: [""], lines: [0], fns: [undefined], depth: 0 } as CallStack,
  /** Countdown until the hook runs. */
  budget: Infinity,
  /** Steps between hook calls. */
  hookEvery: Infinity,
  /** The hook, if any. */
  hook: undefined as (() => void) | undefined,
  /** Metatable shared by all strings. */
  stringMeta: undefined as LuaTable | undefined,
  /**
   * Site of the latest call made by compiled code (names natives in "bad argument"
   * errors); undefined while a native calls back into Lua, null when host code calls.
   */
  site: null as { d: string | undefined } | null | undefined,
  /** Pending tail call (see {@link TAILCALL}). */
  tailFn: undefined as LuaFunction | undefined,
  /** Arguments of the pending tail call. */
  tailArgs: [] as LuaValue[],
  /** The currently running coroutine, if any. */
  currentThread: undefined as LuaThread | undefined,
  /** Number of nested native (C-like) boundaries, for "C stack overflow". */
  cdepth: 0,
};

/** Called by compiled code when `rt.budget` reaches zero. */
export function runHook(): void {
  rt.budget = rt.hookEvery;
  if (rt.hook) rt.hook();
}

/** Maximum nested Lua calls (Lua 5.1 fails past 16384 CallInfos; the JS stack may end first). */
export const MAX_DEPTH = 16380;

/** Returns the position prefix "chunk:line: " for the given level (1 = innermost Lua frame). */
export function where(level: number): string {
  const st = rt.stack;
  const d = st.depth - (level - 1);
  if (level <= 0 || d <= 0 || d > st.depth) return "";
  const line = st.lines[d] ?? 0;
  if (line <= 0) return "";
  return `${st.chunks[d]}:${line}: `;
}

/** Raises an error like `luaL_error`: `msg` prefixed with the position of Lua code at `level`. */
export function luaError(msg: string, level = 1): never {
  throw new LuaError(where(level) + msg);
}

/**
 * Raises "bad argument #n to 'name' (msg)" like `luaL_argerror`: the name is the one the
 * caller used (`global 'f'`, `field 'insert'`, `method 'rep'`, ...) taken from
 * {@link rt.site}, or '?' when the function was called from native code (e.g. pcall).
 * `fname` is only a fallback for hosts calling natives directly.
 */
export function argError(n: number, fname: string, msg: string): never {
  const d = rt.site ? rt.site.d : undefined;
  let name = "?";
  if (d !== undefined) {
    const q = d.indexOf("'");
    name = d.slice(q + 1, d.length - 1);
    if (d.startsWith("method")) {
      n--;
      if (n === 0) return luaError(`calling '${name}' on bad self (${msg})`);
    }
  } else if (rt.site === null) name = fname;
  return luaError(`bad argument #${n} to '${name}' (${msg})`);
}

// ---------------------------------------------------------------------------
// Tables

const MAXBITS = 26;
const MAXASIZE = 1 << MAXBITS;

function ceilLog2(x: number): number {
  let l = 0;
  x--;
  while (x >= 1) {
    l++;
    x = Math.floor(x / 2);
  }
  return l;
}

function arrayIndex(k: number): number {
  // Returns k when k is an integer usable as array key, else -1.
  return Number.isInteger(k) && k >= 1 && k <= MAXASIZE ? k : -1;
}

let tableIds = 0;

/** Hash parts up to this many slots are searched linearly (no Map allocation). */
const SMALL = 8;
/** Shared empty hash part (never written: `append` allocates real arrays first). */
const NOKEYS: LuaValue[] = [];

/** A Lua table with Lua 5.1's array/hash layout semantics. */
export class LuaTable {
  /** The metatable, if any. */
  metatable: LuaTable | undefined = undefined;
  /** When true, every raw or normal assignment raises "Attempt to modify a readonly table". */
  readonly = false;
  /** Array part: keys 1..arr.length (holes are `undefined`). */
  arr: LuaValue[];
  /** Hash part keys (dead keys keep their slot until a rehash, like Lua). */
  hkeys: LuaValue[] = NOKEYS;
  /** Hash part values, parallel to {@link hkeys}. */
  hvals: LuaValue[] = NOKEYS;
  /** Key -> slot in hkeys/hvals; only built once the hash part exceeds {@link SMALL}. */
  hidx: Map<LuaValue, number> | undefined = undefined;
  /** Hash part capacity (a power of two or 0), as Lua's node vector. */
  hcap: number;
  /** Unique id used for "table: 0x..." names. */
  id = 0;

  /** Creates a table with preallocated array and hash sizes (like `lua_createtable`). */
  constructor(narr = 0, nhash = 0) {
    this.arr = narr > 0 ? new Array<LuaValue>(narr).fill(undefined) : [];
    this.hcap = nhash > 0 ? 1 << ceilLog2(nhash) : 0;
  }

  /** Slot of `key` in the hash part, or -1. */
  slot(key: LuaValue): number {
    const m = this.hidx;
    if (m !== undefined) {
      const i = m.get(key);
      return i === undefined ? -1 : i;
    }
    const hk = this.hkeys;
    for (let i = 0; i < hk.length; i++) if (hk[i] === key) return i;
    return -1;
  }

  /** Raw get. */
  get(key: LuaValue): LuaValue {
    if (typeof key === "number") {
      const arr = this.arr;
      if (key >= 1 && key <= arr.length && (key | 0) === key) return arr[key - 1];
    }
    const i = this.slot(key);
    return i < 0 ? undefined : this.hvals[i];
  }

  /** Raw get of a string key (fast path for field access). */
  getStr(key: string): LuaValue {
    const m = this.hidx;
    if (m !== undefined) {
      const i = m.get(key);
      return i === undefined ? undefined : this.hvals[i];
    }
    const hk = this.hkeys;
    for (let i = 0; i < hk.length; i++) if (hk[i] === key) return this.hvals[i];
    return undefined;
  }

  /** Raw set; errors on nil or NaN keys and on readonly tables. */
  set(key: LuaValue, value: LuaValue): void {
    if (this.readonly) luaError("Attempt to modify a readonly table");
    if (typeof key === "number") {
      const arr = this.arr;
      if (key >= 1 && key <= arr.length && (key | 0) === key) {
        arr[key - 1] = value;
        return;
      }
      if (key !== key) luaError("table index is NaN");
    } else if (key === undefined) luaError("table index is nil");
    const i = this.slot(key);
    if (i >= 0) {
      this.hvals[i] = value;
      return;
    }
    this.newKey(key, value);
  }

  private newKey(key: LuaValue, value: LuaValue): void {
    if (this.hkeys.length >= this.hcap) {
      this.rehash(key);
      // After the rehash the key may belong to the array part.
      if (typeof key === "number") {
        if (key >= 1 && key <= this.arr.length && (key | 0) === key) {
          this.arr[key - 1] = value;
          return;
        }
      }
    }
    this.append(key, value);
  }

  private append(key: LuaValue, value: LuaValue): void {
    let hk = this.hkeys;
    if (hk === NOKEYS) {
      this.hkeys = hk = [];
      this.hvals = [];
    }
    const m = this.hidx;
    if (m !== undefined) m.set(key, hk.length);
    else if (hk.length >= SMALL) {
      const nm = new Map<LuaValue, number>();
      for (let i = 0; i < hk.length; i++) nm.set(hk[i], i);
      nm.set(key, hk.length);
      this.hidx = nm;
    }
    hk.push(key);
    this.hvals.push(value);
  }

  private rehash(extra: LuaValue): void {
    const nums = new Array<number>(MAXBITS + 1).fill(0);
    let nasize = 0;
    // numusearray
    const arr = this.arr;
    {
      let lg = 0, ttlg = 1, i = 1;
      for (; lg <= MAXBITS; lg++, ttlg *= 2) {
        let lc = 0;
        let lim = ttlg;
        if (lim > arr.length) {
          lim = arr.length;
          if (i > lim) break;
        }
        for (; i <= lim; i++) if (arr[i - 1] !== undefined) lc++;
        nums[lg]! += lc;
        nasize += lc;
      }
    }
    let totaluse = nasize;
    const countint = (k: LuaValue): number => {
      if (typeof k === "number") {
        const ai = arrayIndex(k);
        if (ai > 0) {
          nums[ceilLog2(ai)]!++;
          return 1;
        }
      }
      return 0;
    };
    const hk = this.hkeys, hv = this.hvals;
    for (let i = 0; i < hk.length; i++) {
      if (hv[i] !== undefined) {
        nasize += countint(hk[i]);
        totaluse++;
      }
    }
    nasize += countint(extra);
    totaluse++;
    // computesizes
    let a = 0, na = 0, n = 0;
    for (let i = 0, twotoi = 1; twotoi / 2 < nasize; i++, twotoi *= 2) {
      const c = nums[i] ?? 0;
      if (c > 0) {
        a += c;
        if (a > twotoi / 2) {
          n = twotoi;
          na = a;
        }
      }
    }
    this.resize(n, totaluse - na);
  }

  /** Resizes array part to `nasize` and the hash part to hold `nhsize` keys, reinserting. */
  resize(nasize: number, nhsize: number): void {
    const oldArr = this.arr;
    const oldKeys = this.hkeys, oldVals = this.hvals;
    this.hkeys = NOKEYS;
    this.hvals = NOKEYS;
    this.hidx = undefined;
    this.hcap = nhsize > 0 ? 1 << ceilLog2(nhsize) : 0;
    if (nasize >= oldArr.length) {
      while (oldArr.length < nasize) oldArr.push(undefined);
    } else {
      const moved = oldArr.splice(nasize);
      this.arr = oldArr;
      for (let i = 0; i < moved.length; i++) {
        const v = moved[i];
        if (v !== undefined) this.rawInsert(nasize + i + 1, v);
      }
    }
    for (let i = 0; i < oldKeys.length; i++) {
      const v = oldVals[i];
      if (v !== undefined) this.rawInsert(oldKeys[i], v);
    }
  }

  private rawInsert(key: LuaValue, value: LuaValue): void {
    if (typeof key === "number" && key >= 1 && key <= this.arr.length && (key | 0) === key) {
      this.arr[key - 1] = value;
      return;
    }
    const i = this.slot(key);
    if (i >= 0) {
      this.hvals[i] = value;
      return;
    }
    this.append(key, value);
  }

  /** Raw length (`#`), a border computed as Lua 5.1's `luaH_getn`. */
  length(): number {
    const arr = this.arr;
    let j = arr.length;
    if (j > 0 && arr[j - 1] === undefined) {
      let i = 0;
      while (j - i > 1) {
        const m = Math.floor((i + j) / 2);
        if (arr[m - 1] === undefined) j = m;
        else i = m;
      }
      return i;
    }
    if (this.hcap === 0) return j;
    // unbound_search
    let i = j;
    j++;
    while (this.get(j) !== undefined) {
      i = j;
      j *= 2;
      if (j > 2147483646) {
        let k = 1;
        while (this.get(k) !== undefined) k++;
        return k - 1;
      }
    }
    while (j - i > 1) {
      const m = Math.floor((i + j) / 2);
      if (this.get(m) === undefined) j = m;
      else i = m;
    }
    return i;
  }

  /** Iteration: returns the entry after `key` (nil starts), or undefined at the end. */
  next(key: LuaValue): [LuaValue, LuaValue] | undefined {
    const arr = this.arr;
    let hstart = 0;
    if (key === undefined) {
      for (let i = 0; i < arr.length; i++) {
        if (arr[i] !== undefined) return [i + 1, arr[i]];
      }
    } else {
      let found = false;
      if (typeof key === "number" && key >= 1 && key <= arr.length && (key | 0) === key) {
        for (let i = key; i < arr.length; i++) {
          if (arr[i] !== undefined) return [i + 1, arr[i]];
        }
        found = true;
      }
      if (!found) {
        const i = this.slot(key);
        if (i < 0) luaError("invalid key to 'next'");
        hstart = i + 1;
      }
    }
    const hk = this.hkeys, hv = this.hvals;
    for (let i = hstart; i < hk.length; i++) {
      if (hv[i] !== undefined) return [hk[i], hv[i]];
    }
    return undefined;
  }

  /** Appends at `#t + 1` (used by table.insert and constructors). */
  push(value: LuaValue): void {
    this.set(this.length() + 1, value);
  }
}

// ---------------------------------------------------------------------------
// Functions and threads

let fnIds = 0;

/** A callable Lua value: a compiled Lua function or a native function. */
export class LuaFunction {
  /** Name used in error messages and tracebacks. */
  readonly name: string;
  /** Calls the function with the given arguments, returning all results. */
  call: (args: LuaValue[]) => LuaValue[];
  /** Generator version (Lua functions compiled with coroutine support). */
  gen: ((args: LuaValue[]) => Generator<LuaValue[], LuaValue[], LuaValue[]>) | undefined;
  /** Environment (globals table) for Lua functions; undefined for natives. */
  env: LuaTable | undefined;
  /** True for native (JS) functions. */
  readonly native: boolean;
  /** Unique id for "function: 0x..." names. */
  id = 0;

  /** Creates a function; use {@link nativeFunction} for natives. */
  constructor(
    name: string,
    call: (args: LuaValue[]) => LuaValue[],
    native: boolean,
    env?: LuaTable,
  ) {
    this.name = name;
    this.call = call;
    this.native = native;
    this.env = env;
    this.gen = undefined;
  }
}

/** Wraps a JS function taking and returning Lua value arrays as a Lua function. */
export function nativeFunction(name: string, fn: (args: LuaValue[]) => LuaValue[]): LuaFunction {
  return new LuaFunction(name, fn, true);
}

/** Coroutine status as reported by `coroutine.status`. */
export type ThreadStatus = "suspended" | "running" | "normal" | "dead";

/** A Lua coroutine. */
export class LuaThread {
  /** Current status. */
  status: ThreadStatus = "suspended";
  /** The body function. */
  fn: LuaFunction;
  /** The running generator once started. */
  gen: Generator<LuaValue[], LuaValue[], LuaValue[]> | undefined = undefined;
  /** Saved call stack of this coroutine. */
  stack: CallStack = { chunks: [""], lines: [0], fns: [undefined], depth: 0 };
  /** Unique id for "thread: 0x..." names. */
  id = 0;
  /** Creates a suspended coroutine running `fn`. */
  constructor(fn: LuaFunction) {
    this.fn = fn;
  }
}

// ---------------------------------------------------------------------------
// Conversions

/** Returns Lua's type name of a value. */
export function luaType(v: LuaValue): string {
  switch (typeof v) {
    case "undefined":
      return "nil";
    case "boolean":
      return "boolean";
    case "number":
      return "number";
    case "string":
      return "string";
    default:
      if (v instanceof LuaTable) return "table";
      if (v instanceof LuaFunction) return "function";
      if (v instanceof LuaThread) return "thread";
      return "userdata";
  }
}

const f64 = new DataView(new ArrayBuffer(8));

/** Whether a NaN has its sign bit set (x86 arithmetic such as 0/0 gives "-nan"). */
export function nanNegative(n: number): boolean {
  f64.setFloat64(0, n);
  return (f64.getUint8(0) & 0x80) !== 0;
}

/** Exact decimal value of a finite double `x >= 0` as `N / 10^k`. */
function exactDecimal(x: number): [bigint, number] {
  f64.setFloat64(0, x);
  const hi = f64.getUint32(0), lo = f64.getUint32(4);
  let e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e === 0) e = 1;
  else m |= 1n << 52n;
  e -= 1075;
  if (e >= 0) return [m << BigInt(e), 0];
  return [m * 5n ** BigInt(-e), -e];
}

/** Divides by 10^d rounding half to even (the C library's rounding of exact values). */
function roundDiv(n: bigint, d: number): bigint {
  if (d <= 0) return n * 10n ** BigInt(-d);
  const p = 10n ** BigInt(d);
  const q = n / p, r = n % p;
  const twice = r * 2n;
  if (twice > p || (twice === p && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Exact `%.<prec>f` of a finite `x >= 0` (digits only). */
function exactFixed(x: number, prec: number): string {
  const [n, k] = exactDecimal(x);
  const s = roundDiv(n, k - prec).toString();
  if (prec === 0) return s;
  const padded = s.padStart(prec + 1, "0");
  return padded.slice(0, padded.length - prec) + "." + padded.slice(padded.length - prec);
}

/** Exact `%.<prec>e` of a finite `x > 0`: [mantissa digits (prec + 1), decimal exponent]. */
function exactExp(x: number, prec: number): [string, number] {
  const [n, k] = exactDecimal(x);
  const len = n.toString().length;
  let exp10 = len - 1 - k;
  let s = roundDiv(n, len - (prec + 1)).toString();
  if (s.length > prec + 1) {
    s = s.slice(0, prec + 1);
    exp10++;
  }
  return [s, exp10];
}

/** C's `%.<prec>f` for a finite number (sign included, no flags). */
export function fmtFixed(x: number, prec: number): string {
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let s: string | undefined;
  if (a < 1e21 && prec <= 99) {
    s = a.toFixed(prec);
    // JS rounds exact ties away from zero; C rounds them to even: redo exactly.
    if (a.toFixed(prec + 1).endsWith("5")) s = undefined;
  }
  if (s === undefined) s = exactFixed(a, prec);
  return neg ? "-" + s : s;
}

/** Mantissa digits and exponent of `%.<prec>e` for finite `a > 0`. */
function expParts(a: number, prec: number): [string, number] {
  if (prec <= 99) {
    const t = a.toExponential(Math.min(prec + 1, 100));
    const ti = t.indexOf("e");
    if (prec + 1 > 100 || t[ti - 1] !== "5") {
      const s = a.toExponential(prec);
      const ei = s.indexOf("e");
      return [s.slice(0, ei).replace(".", ""), parseInt(s.slice(ei + 1), 10)];
    }
  }
  return exactExp(a, prec);
}

/** C's `%.<prec>e` for a finite number (sign included, no flags except `alt`). */
export function fmtExp(x: number, prec: number, alt = false): string {
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let digits: string, e: number;
  if (a === 0) {
    digits = "0".repeat(prec + 1);
    e = 0;
  } else [digits, e] = expParts(a, prec);
  const mant = digits[0] + (prec > 0 || alt ? "." : "") + digits.slice(1);
  const ae = Math.abs(e);
  return `${neg ? "-" : ""}${mant}e${e < 0 ? "-" : "+"}${ae < 10 ? "0" : ""}${ae}`;
}

/** Formats a finite number with C's `%.<prec>g` (`alt` is the `#` flag). */
export function formatG(n: number, prec: number, alt = false): string {
  if (prec === 0) prec = 1;
  const neg = n < 0 || Object.is(n, -0);
  const a = Math.abs(n);
  let x = 0;
  if (a !== 0) x = expParts(a, prec - 1)[1];
  let s: string;
  if (x < -4 || x >= prec) {
    s = fmtExp(a, prec - 1, alt);
    if (!alt) {
      const ei = s.indexOf("e");
      let mant = s.slice(0, ei);
      if (mant.indexOf(".") >= 0) mant = mant.replace(/\.?0+$/, "");
      s = mant + s.slice(ei);
    }
  } else {
    s = fmtFixed(a, prec - 1 - x);
    if (alt) {
      if (s.indexOf(".") < 0) s += ".";
    } else if (s.indexOf(".") >= 0) s = s.replace(/\.?0+$/, "");
  }
  return neg ? "-" + s : s;
}

/** C99 `pow`: unlike Math.pow, pow(1, y) and pow(-1, +-inf) are 1 (also for NaN y). */
export function cpow(x: number, y: number): number {
  if (x === 1 || ((x === -1) && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

/** Lua 5.1 number to string conversion ("%.14g"). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) {
    if (n === 0) return Object.is(n, -0) ? "-0" : "0";
    if (Math.abs(n) < 1e14) return String(n);
  }
  // x86 arithmetic NaNs (0/0, inf-inf, ...) print as "-nan" with glibc. V8 does not keep
  // NaN sign bits reliably (arrays canonicalize them), so every NaN prints that way.
  if (n !== n) return "-nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  return formatG(n, 14);
}

const WS = " \f\n\r\t\v";

function isSpace(c: string): boolean {
  return c !== "" && WS.indexOf(c) >= 0;
}

const DEC_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;

/**
 * Converts a string to a number like Lua 5.1's `luaO_str2d` on glibc: `strtod` (decimal,
 * hexadecimal with optional fraction and `p` exponent, inf/nan), surrounding whitespace
 * allowed. Returns undefined when the whole string is not a number.
 */
export function str2number(s: string): number | undefined {
  let i = 0, j = s.length;
  const z = s.indexOf("\0");
  if (z >= 0) j = z; // C string semantics
  while (i < j && isSpace(s[i]!)) i++;
  while (j > i && isSpace(s[j - 1]!)) j--;
  if (i >= j) return undefined;
  const t = i === 0 && j === s.length ? s : s.slice(i, j);
  if (DEC_RE.test(t)) return parseFloat(t);
  const hx = HEX_RE.exec(t);
  if (hx) {
    const ip = hx[2]!, fp = hx[3] ?? "";
    if (ip === "" && fp === "") return undefined;
    let v = ip === "" ? 0 : parseInt(ip, 16);
    for (let k = 0; k < fp.length; k++) v += parseInt(fp[k]!, 16) / 16 ** (k + 1);
    if (hx[4] !== undefined) v *= 2 ** parseInt(hx[4], 10);
    return hx[1] === "-" ? -v : v;
  }
  const low = t.toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(low)) return low[0] === "-" ? -Infinity : Infinity;
  if (/^[+-]?nan(\([0-9a-z_]*\))?$/.test(low)) return NaN;
  return undefined;
}

/** `tonumber()` semantics: numbers pass through, strings are parsed, others give undefined. */
export function luaToNumber(v: LuaValue, base?: number): number | undefined {
  if (base === undefined || base === 10) {
    if (typeof v === "number") return v;
    if (typeof v === "string") return str2number(v);
    return undefined;
  }
  const s = typeof v === "number" ? formatNumber(v) : typeof v === "string" ? v : undefined;
  if (s === undefined) return undefined;
  // strtoul(s, &end, base), then only trailing spaces are allowed.
  let i = 0;
  const z = s.indexOf("\0");
  const j = z >= 0 ? z : s.length;
  while (i < j && isSpace(s[i]!)) i++;
  let neg = false;
  if (s[i] === "-" || s[i] === "+") {
    neg = s[i] === "-";
    i++;
  }
  if (base === 16 && s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X")) {
    const c = s.charCodeAt(i + 2);
    const d = c >= 48 && c <= 57 ? c - 48 : (c | 32) >= 97 && (c | 32) <= 102 ? (c | 32) - 87 : 99;
    if (d < 16) i += 2;
  }
  let n = 0n, any = false;
  const B = BigInt(base);
  for (; i < j; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 122) d = c - 87;
    else if (c >= 65 && c <= 90) d = c - 55;
    else break;
    if (d >= base) break;
    n = n * B + BigInt(d);
    any = true;
  }
  if (!any) return undefined;
  while (i < j && isSpace(s[i]!)) i++;
  if (i < j) return undefined;
  const MAXU = (1n << 64n) - 1n;
  if (n > MAXU) return Number(MAXU);
  return Number(neg ? BigInt.asUintN(64, -n) : n);
}

function hexId(id: number): string {
  return "0x" + (0x55550000 + id * 32).toString(16).padStart(8, "0");
}

/** Assigns and returns a stable address-like name for a reference value. */
export function addressOf(v: LuaTable | LuaFunction | LuaThread): string {
  if (v.id === 0) v.id = v instanceof LuaTable ? ++tableIds : ++fnIds;
  return hexId(v.id * 2 + (v instanceof LuaTable ? 0 : 1));
}

/** Gets a metatable field of any value (tables and strings have metatables). */
export function getMetamethod(v: LuaValue, event: string): LuaValue {
  let mt: LuaTable | undefined;
  if (v instanceof LuaTable) mt = v.metatable;
  else if (typeof v === "string") mt = rt.stringMeta;
  return mt === undefined ? undefined : mt.getStr(event);
}

/** `tostring()` semantics, including `__tostring`. */
export function luaToString(v: LuaValue): string {
  switch (typeof v) {
    case "string":
      return v;
    case "number":
      return formatNumber(v);
    case "undefined":
      return "nil";
    case "boolean":
      return v ? "true" : "false";
  }
  const mm = getMetamethod(v, "__tostring");
  if (mm !== undefined) {
    const r = luaCall(mm, [v])[0];
    if (typeof r !== "string") {
      if (typeof r === "number") return formatNumber(r);
      luaError("'__tostring' must return a string");
    }
    return r;
  }
  return `${luaType(v)}: ${addressOf(v as LuaTable | LuaFunction | LuaThread)}`;
}

/**
 * Marker returned by a compiled Lua function for `return f(...)` when `f` is a Lua
 * function: the call is left in {@link rt.tailFn}/{@link rt.tailArgs} and run by the
 * caller ({@link endTail}), so tail calls do not grow the stack, as in Lua.
 * Code invoking `LuaFunction.call` directly must pass the result through endTail
 * (luaCall does).
 */
export const TAILCALL: LuaValue[] = [];

/** Runs pending tail calls until a real result is produced. */
export function endTail(r: LuaValue[]): LuaValue[] {
  while (r === TAILCALL) {
    const f = rt.tailFn!, a = rt.tailArgs;
    rt.tailFn = undefined;
    rt.tailArgs = TAILCALL;
    r = f.call(a);
  }
  return r;
}

/** Calls any callable value (functions, or values with `__call`). */
export function luaCall(fn: LuaValue, args: LuaValue[]): LuaValue[] {
  const saved = rt.site;
  rt.site = undefined;
  try {
    if (fn instanceof LuaFunction) return endTail(fn.call(args));
    const mm = getMetamethod(fn, "__call");
    if (mm instanceof LuaFunction) return endTail(mm.call([fn, ...args]));
    return luaError(`attempt to call a ${luaType(fn)} value`);
  } finally {
    rt.site = saved;
  }
}
