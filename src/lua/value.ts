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
  /**
   * Set by the hook to make a preemptible run ({@link LuaState.start}) pause at its next
   * hook point; generator-mode code yields then.
   */
  preempt: false,
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

/** Hash parts up to this many nodes are searched linearly (no Map allocation). */
const SMALL = 8;
/** Shared empty array part (never written: `resize` allocates a real one to grow). */
const NOARRAY: LuaValue[] = [];
/** Shared empty node vector (never written: `setNodeVector` allocates real arrays). */
const NONODES: LuaValue[] = [];
const NONEXT: number[] = [];

const hashView = new DataView(new ArrayBuffer(8));

/** Lua 5.1's `luaS_hash` of a binary string. */
function strHash(s: string): number {
  const l = s.length;
  let h = l >>> 0;
  const step = (l >> 5) + 1;
  for (let l1 = l; l1 >= step; l1 -= step) {
    h = (h ^ ((((h << 5) >>> 0) + (h >>> 2) + (s.charCodeAt(l1 - 1) & 255)) >>> 0)) >>> 0;
  }
  return h;
}

/**
 * A Lua table with Lua 5.1's array part and node hash part (`ltable.c`): main positions
 * from Lua's hash functions, collisions resolved with the `lastfree` pointer, rehash and
 * `computesizes` when no free node is left. `next` (and so `pairs`) therefore visits keys
 * in the same order as lua5.1 for string, number and boolean keys, and `#t` finds the
 * same border. (Tables, functions and threads as keys hash by a synthetic address.)
 */
export class LuaTable {
  /** The metatable, if any. */
  metatable: LuaTable | undefined = undefined;
  /** When true, every raw or normal assignment raises "Attempt to modify a readonly table". */
  readonly = false;
  /** Array part: keys 1..arr.length (holes are `undefined`). */
  arr: LuaValue[];
  /** Node keys (undefined = never used; a key with an undefined value is dead). */
  nkeys: LuaValue[] = NONODES;
  /** Node values, parallel to {@link nkeys}. */
  nvals: LuaValue[] = NONODES;
  /** Collision chains: index of the next node, or -1 (allocated on the first collision). */
  nnext: number[] = NONEXT;
  /** Free-node search position (`lastfree`): only moves down. */
  lastfree = 0;
  /** Key -> node index; only built for node vectors larger than {@link SMALL}. */
  hidx: Map<LuaValue, number> | undefined = undefined;
  /** Node vector size: a power of two, or 0 for Lua's shared dummy node. */
  hcap = 0;
  /** Unique id used for "table: 0x..." names (and pointer hashing). */
  id = 0;

  /** Creates a table with preallocated array and hash sizes (like `lua_createtable`). */
  constructor(narr = 0, nhash = 0) {
    this.arr = narr > 0 ? new Array<LuaValue>(narr).fill(undefined) : NOARRAY;
    if (nhash > 0) this.setNodeVector(nhash);
  }

  private setNodeVector(size: number): void {
    if (size === 0) {
      this.nkeys = NONODES;
      this.nvals = NONODES;
      this.nnext = NONEXT;
      this.hcap = 0;
      this.lastfree = 0;
      this.hidx = undefined;
      return;
    }
    const n = 1 << ceilLog2(size);
    if (n <= 4) {
      // Literals avoid the cost of Array(n).fill for the common small tables.
      this.nkeys = n === 1 ? [undefined] : n === 2 ? [undefined, undefined] : [
        undefined,
        undefined,
        undefined,
        undefined,
      ];
      this.nvals = n === 1 ? [undefined] : n === 2 ? [undefined, undefined] : [
        undefined,
        undefined,
        undefined,
        undefined,
      ];
    } else {
      this.nkeys = new Array<LuaValue>(n).fill(undefined);
      this.nvals = new Array<LuaValue>(n).fill(undefined);
    }
    this.nnext = NONEXT; // allocated on the first collision
    this.hcap = n;
    this.lastfree = n;
    this.hidx = n > SMALL ? new Map() : undefined;
  }

  /** Main position of a key in the node vector (`mainposition`). */
  private mainPosition(key: LuaValue): number {
    const size = this.hcap;
    switch (typeof key) {
      case "string":
        return strHash(key) & (size - 1);
      case "number": {
        if (key === 0) return 0;
        hashView.setFloat64(0, key, true);
        const a = (hashView.getUint32(0, true) + hashView.getUint32(4, true)) >>> 0;
        return a % ((size - 1) | 1);
      }
      case "boolean":
        return (key ? 1 : 0) & (size - 1);
      default: {
        const v = key as LuaTable | LuaFunction | LuaThread;
        if (v.id === 0) addressOf(v);
        return ((0x55550000 + v.id * 32) >>> 0) % ((size - 1) | 1);
      }
    }
  }

  /** Node index holding `key`, or -1. */
  slot(key: LuaValue): number {
    const m = this.hidx;
    if (m !== undefined) {
      const i = m.get(key);
      return i === undefined ? -1 : i;
    }
    const nk = this.nkeys;
    for (let i = 0; i < nk.length; i++) if (nk[i] === key) return i;
    return -1;
  }

  /** Raw get. */
  get(key: LuaValue): LuaValue {
    if (typeof key === "number") {
      const arr = this.arr;
      if (key >= 1 && key <= arr.length && (key | 0) === key) return arr[key - 1];
    }
    const i = this.slot(key);
    return i < 0 ? undefined : this.nvals[i];
  }

  /** Raw get of a string key (fast path for field access). */
  getStr(key: string): LuaValue {
    const m = this.hidx;
    if (m !== undefined) {
      const i = m.get(key);
      return i === undefined ? undefined : this.nvals[i];
    }
    const nk = this.nkeys;
    for (let i = 0; i < nk.length; i++) if (nk[i] === key) return this.nvals[i];
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
      this.nvals[i] = value;
      return;
    }
    this.newKey(key, value);
  }

  private getFreePos(): number {
    const nk = this.nkeys;
    while (this.lastfree-- > 0) {
      if (nk[this.lastfree] === undefined) return this.lastfree;
    }
    this.lastfree = 0;
    return -1;
  }

  /** Inserts a key known to be absent (`luaH_newkey` / `newkey`). */
  private newKey(key: LuaValue, value: LuaValue): void {
    if (this.hcap === 0) {
      this.rehash(key);
      this.rawInsert(key, value);
      return;
    }
    const nk = this.nkeys, nv = this.nvals;
    let mp = this.mainPosition(key);
    if (nv[mp] !== undefined) {
      let nx = this.nnext;
      if (nx === NONEXT) nx = this.nnext = new Array<number>(nk.length).fill(-1);
      // Main position is taken by a live entry (a dead key there is simply replaced).
      const n = this.getFreePos();
      if (n < 0) {
        this.rehash(key);
        this.rawInsert(key, value);
        return;
      }
      const other = this.mainPosition(nk[mp]);
      if (other !== mp) {
        // Colliding node is out of its main position: move it to the free slot.
        let o = other;
        while (nx[o] !== mp) o = nx[o]!;
        nx[o] = n;
        nk[n] = nk[mp];
        nv[n] = nv[mp];
        nx[n] = nx[mp]!;
        if (this.hidx !== undefined) this.hidx.set(nk[n], n);
        nx[mp] = -1;
        nk[mp] = undefined;
        nv[mp] = undefined;
      } else {
        // Colliding node is in its own main position: the new key goes to the free slot.
        nx[n] = nx[mp]!;
        nx[mp] = n;
        mp = n;
      }
    }
    const old = nk[mp];
    if (old !== undefined && this.hidx !== undefined) this.hidx.delete(old);
    nk[mp] = key;
    nv[mp] = value;
    if (this.hidx !== undefined) this.hidx.set(key, mp);
  }

  private rehash(extra: LuaValue): void {
    const nums = new Array<number>(MAXBITS + 1).fill(0);
    let nasize = 0;
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
    const nk = this.nkeys, nv = this.nvals;
    for (let i = nk.length - 1; i >= 0; i--) {
      if (nv[i] !== undefined) {
        nasize += countint(nk[i]);
        totaluse++;
      }
    }
    nasize += countint(extra);
    totaluse++;
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

  /** Resizes the array part to `nasize` and the node vector for `nhsize` keys (`resize`). */
  resize(nasize: number, nhsize: number): void {
    let oldArr = this.arr;
    const oldKeys = this.nkeys, oldVals = this.nvals;
    if (nasize > oldArr.length) {
      if (oldArr === NOARRAY) this.arr = oldArr = [];
      while (oldArr.length < nasize) oldArr.push(undefined);
    }
    this.setNodeVector(nhsize);
    if (nasize < oldArr.length) {
      const moved = oldArr.splice(nasize);
      this.arr = oldArr;
      for (let i = 0; i < moved.length; i++) {
        const v = moved[i];
        if (v !== undefined) this.rawInsert(nasize + i + 1, v);
      }
    }
    for (let i = oldKeys.length - 1; i >= 0; i--) {
      const v = oldVals[i];
      if (v !== undefined) this.rawInsert(oldKeys[i], v);
    }
  }

  /** `luaH_set` without the readonly/nil checks (used when re-inserting). */
  private rawInsert(key: LuaValue, value: LuaValue): void {
    if (typeof key === "number" && key >= 1 && key <= this.arr.length && (key | 0) === key) {
      this.arr[key - 1] = value;
      return;
    }
    const i = this.slot(key);
    if (i >= 0) {
      this.nvals[i] = value;
      return;
    }
    this.newKey(key, value);
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
    const nk = this.nkeys, nv = this.nvals;
    for (let i = hstart; i < nk.length; i++) {
      if (nv[i] !== undefined) return [nk[i], nv[i]];
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

/**
 * Converts a JS RangeError into the Lua error lua5.1 would raise: "stack overflow" at the
 * innermost Lua frame for call stack exhaustion, "not enough memory" for oversized
 * strings or arrays.
 */
export function rangeError(e: RangeError): LuaError {
  if (/call stack/i.test(e.message)) return new LuaError(where(1) + "stack overflow");
  return new LuaError("not enough memory");
}

/** Calls any callable value (functions, or values with `__call`). */
export function luaCall(fn: LuaValue, args: LuaValue[]): LuaValue[] {
  const saved = rt.site;
  rt.site = undefined;
  // A pseudo frame without a line stands for the calling native (a C function in Lua),
  // so error levels and positions skip it like lua5.1 does.
  const st = rt.stack;
  const d = st.depth;
  const pd = d + 1;
  st.depth = pd;
  st.lines[pd] = 0;
  st.fns[pd] = undefined;
  try {
    if (fn instanceof LuaFunction) return endTail(fn.call(args));
    const mm = getMetamethod(fn, "__call");
    if (mm instanceof LuaFunction) return endTail(mm.call([fn, ...args]));
    return luaError(`attempt to call a ${luaType(fn)} value`);
  } catch (e) {
    // A JS stack overflow becomes Lua's error, positioned at the innermost Lua frame.
    if (e instanceof RangeError) throw rangeError(e);
    throw e;
  } finally {
    rt.site = saved;
    st.depth = d;
  }
}
