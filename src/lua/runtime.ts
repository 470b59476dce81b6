/**
 * Operations used by compiled Lua code: arithmetic with coercion and metamethods,
 * comparison, concatenation, indexing, calls (plain and generator/coroutine mode).
 *
 * Every operation takes a "site" describing the source position and the names of the
 * operands (`global 'x'`, `local 'y'`, `field 'z'`, ...) so error messages match Lua 5.1.
 *
 * @module
 */

import {
  cpow,
  endTail,
  formatNumber,
  getMetamethod,
  luaCall,
  LuaError,
  LuaFunction,
  LuaTable,
  luaType,
  type LuaValue,
  MAX_DEPTH,
  rangeError,
  rt,
  str2number,
  TAILCALL,
} from "./value.ts";

/** Static description of an operation in the source. */
export interface Site {
  /** Chunk display name. */
  c: string;
  /** Line. */
  l: number;
  /** Description of the first operand (e.g. "global 'x'"). */
  d: string | undefined;
  /** Description of the second operand. */
  e: string | undefined;
  /** Descriptions of all operands of a concatenation chain. */
  ds?: (string | undefined)[];
}

function rtErr(s: Site, msg: string): never {
  // Sites with line 0 stand for C code (no position prefix, like luaG_runerror there).
  throw new LuaError(s.l > 0 ? `${s.c}:${s.l}: ${msg}` : msg);
}

function typeError(s: Site, v: LuaValue, desc: string | undefined, op: string): never {
  if (desc !== undefined) rtErr(s, `attempt to ${op} ${desc} (a ${luaType(v)} value)`);
  return rtErr(s, `attempt to ${op} a ${luaType(v)} value`);
}

/** Lua truthiness. */
export function T(v: LuaValue): boolean {
  return v !== undefined && v !== false;
}

function tonum(v: LuaValue): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") return str2number(v);
  return undefined;
}

/** Counts nested metamethod/native boundaries like Lua's nCcalls. */
function cEnter(s: Site | undefined): void {
  if (++rt.cdepth >= 200) {
    if (rt.cdepth === 200) {
      const msg = "C stack overflow";
      if (s) rtErr(s, msg);
      throw new LuaError(msg);
    }
    throw new LuaError("error in error handling");
  }
}

/** Calls a metamethod (counts as a C boundary) and returns its first result. */
function callMeta(mm: LuaValue, args: LuaValue[], s: Site | undefined): LuaValue {
  cEnter(s);
  if (s !== undefined && s.l > 0) {
    const st = rt.stack;
    st.lines[st.depth] = s.l;
  }
  const r = callValue(mm, args, s);
  rt.cdepth--;
  return r[0];
}

function callValue(f: LuaValue, args: LuaValue[], s: Site | undefined): LuaValue[] {
  rt.site = undefined; // metamethods are called by the VM: natives report '?'
  if (f instanceof LuaFunction) return endTail(f.call(args));
  const mm = getMetamethod(f, "__call");
  if (mm instanceof LuaFunction) return endTail(mm.call([f, ...args]));
  if (s) return typeError(s, f, undefined, "call");
  throw new LuaError(`attempt to call a ${luaType(f)} value`);
}

const ARITH_EVENTS: Record<string, string> = {
  "+": "__add",
  "-": "__sub",
  "*": "__mul",
  "/": "__div",
  "%": "__mod",
  "^": "__pow",
};

/** Generic arithmetic with string coercion and metamethods. */
export function arith(op: string, a: LuaValue, b: LuaValue, s: Site): LuaValue {
  const x = tonum(a), y = tonum(b);
  if (x !== undefined && y !== undefined) {
    switch (op) {
      case "+":
        return x + y;
      case "-":
        return x - y;
      case "*":
        return x * y;
      case "/":
        return x / y;
      case "%":
        return x - Math.floor(x / y) * y;
      case "^":
        return cpow(x, y);
    }
  }
  const ev = ARITH_EVENTS[op]!;
  let mm = getMetamethod(a, ev);
  if (mm === undefined) mm = getMetamethod(b, ev);
  if (mm !== undefined) return callMeta(mm, [a, b], s);
  if (x === undefined) return typeError(s, a, s.d, "perform arithmetic on");
  return typeError(s, b, s.e, "perform arithmetic on");
}

/** a + b */
export function add(a: LuaValue, b: LuaValue, s: Site): LuaValue {
  return typeof a === "number" && typeof b === "number" ? a + b : arith("+", a, b, s);
}
/** a - b */
export function sub(a: LuaValue, b: LuaValue, s: Site): LuaValue {
  return typeof a === "number" && typeof b === "number" ? a - b : arith("-", a, b, s);
}
/** a * b */
export function mul(a: LuaValue, b: LuaValue, s: Site): LuaValue {
  return typeof a === "number" && typeof b === "number" ? a * b : arith("*", a, b, s);
}
/** a / b */
export function div(a: LuaValue, b: LuaValue, s: Site): LuaValue {
  return typeof a === "number" && typeof b === "number" ? a / b : arith("/", a, b, s);
}
/** a % b (a - floor(a/b)*b) */
export function mod(a: LuaValue, b: LuaValue, s: Site): LuaValue {
  return typeof a === "number" && typeof b === "number"
    ? a - Math.floor(a / b) * b
    : arith("%", a, b, s);
}
/** a ^ b */
export function pow(a: LuaValue, b: LuaValue, s: Site): LuaValue {
  return typeof a === "number" && typeof b === "number" ? cpow(a, b) : arith("^", a, b, s);
}

/** Unary minus. */
export function unm(a: LuaValue, s: Site): LuaValue {
  if (typeof a === "number") return -a;
  const x = tonum(a);
  if (x !== undefined) return -x;
  const mm = getMetamethod(a, "__unm");
  if (mm !== undefined) return callMeta(mm, [a, a], s);
  return typeError(s, a, s.d, "perform arithmetic on");
}

/** Length operator (`__len` is only consulted for non-table, non-string values, as 5.1). */
export function len(a: LuaValue, s: Site): LuaValue {
  if (typeof a === "string") return a.length;
  if (a instanceof LuaTable) return a.length();
  const mm = getMetamethod(a, "__len");
  if (mm !== undefined) return callMeta(mm, [a, undefined], s);
  return typeError(s, a, s.d, "get length of");
}

function isStrNum(v: LuaValue): v is string | number {
  return typeof v === "string" || typeof v === "number";
}

function str(v: string | number): string {
  return typeof v === "string" ? v : formatNumber(v);
}

/** a .. b */
export function concat(a: LuaValue, b: LuaValue, s: Site): LuaValue {
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (isStrNum(a) && isStrNum(b)) return str(a) + str(b);
  let mm = getMetamethod(a, "__concat");
  if (mm === undefined) mm = getMetamethod(b, "__concat");
  if (mm !== undefined) return callMeta(mm, [a, b], s);
  if (isStrNum(a)) return typeError(s, b, s.e, "concatenate");
  return typeError(s, a, s.d, "concatenate");
}

/** Concatenation of a chain `v1 .. v2 .. ... .. vn`, evaluated as Lua 5.1's luaV_concat. */
export function concatN(vals: LuaValue[], s: Site): LuaValue {
  const ds = s.ds ?? [];
  let top = vals.length;
  while (top > 1) {
    const a = vals[top - 2], b = vals[top - 1];
    if (!isStrNum(a) || !isStrNum(b)) {
      let mm = getMetamethod(a, "__concat");
      if (mm === undefined) mm = getMetamethod(b, "__concat");
      if (mm === undefined) {
        // ds holds null for operands without a name (JSON in the compiled code).
        if (isStrNum(a)) typeError(s, b, ds[top - 1] ?? undefined, "concatenate");
        typeError(s, a, ds[top - 2] ?? undefined, "concatenate");
      }
      vals[top - 2] = callMeta(mm, [a, b], s);
      top--;
      continue;
    }
    let n = 2;
    while (n < top && isStrNum(vals[top - n - 1])) n++;
    let r = "";
    for (let i = top - n; i < top; i++) r += str(vals[i] as string | number);
    vals[top - n] = r;
    top -= n - 1;
  }
  return vals[0];
}

function compTM(m1: LuaTable | undefined, m2: LuaTable | undefined, ev: string): LuaValue {
  if (m1 === undefined) return undefined;
  const tm1 = m1.getStr(ev);
  if (tm1 === undefined) return undefined;
  if (m1 === m2) return tm1;
  if (m2 === undefined) return undefined;
  const tm2 = m2.getStr(ev);
  if (tm2 === undefined) return undefined;
  return tm1 === tm2 ? tm1 : undefined;
}

/** Equality with `__eq` for tables. */
export function eq(a: LuaValue, b: LuaValue): boolean {
  if (a === b) return true;
  if (a instanceof LuaTable && b instanceof LuaTable) {
    const tm = compTM(a.metatable, b.metatable, "__eq");
    if (tm === undefined) return false;
    return T(callMeta(tm, [a, b], undefined));
  }
  return false;
}

function orderError(s: Site, a: LuaValue, b: LuaValue): never {
  const t1 = luaType(a), t2 = luaType(b);
  if (t1 === t2) rtErr(s, `attempt to compare two ${t1} values`);
  return rtErr(s, `attempt to compare ${t1} with ${t2}`);
}

function orderTM(a: LuaValue, b: LuaValue, ev: string): LuaValue {
  const tm1 = getMetamethod(a, ev);
  if (tm1 === undefined) return undefined;
  const tm2 = getMetamethod(b, ev);
  return tm1 === tm2 ? tm1 : undefined;
}

/** a < b */
export function lt(a: LuaValue, b: LuaValue, s: Site): boolean {
  const ta = typeof a, tb = typeof b;
  if (ta !== tb) return orderError(s, a, b);
  if (ta === "number" || ta === "string") return (a as number) < (b as number);
  const tm = orderTM(a, b, "__lt");
  if (tm === undefined) return orderError(s, a, b);
  return T(callMeta(tm, [a, b], s));
}

/** a <= b */
export function le(a: LuaValue, b: LuaValue, s: Site): boolean {
  const ta = typeof a, tb = typeof b;
  if (ta !== tb) return orderError(s, a, b);
  if (ta === "number" || ta === "string") return (a as number) <= (b as number);
  let tm = orderTM(a, b, "__le");
  if (tm !== undefined) return T(callMeta(tm, [a, b], s));
  tm = orderTM(b, a, "__lt");
  if (tm !== undefined) return !T(callMeta(tm, [b, a], s));
  return orderError(s, a, b);
}

/** Indexing with `__index` (luaV_gettable). */
export function index(o: LuaValue, k: LuaValue, s: Site): LuaValue {
  if (o instanceof LuaTable) {
    const v = o.get(k);
    if (v !== undefined || o.metatable === undefined) return v;
  }
  return indexSlow(o, k, s);
}

/** Indexing with a constant string key. */
export function indexS(o: LuaValue, k: string, s: Site): LuaValue {
  if (o instanceof LuaTable) {
    const v = o.getStr(k);
    if (v !== undefined || o.metatable === undefined) return v;
  }
  return indexSlow(o, k, s);
}

/** Slow path of indexing, following `__index` chains. */
export function indexSlow(o: LuaValue, k: LuaValue, s: Site | undefined): LuaValue {
  let desc = s?.d;
  for (let loop = 0; loop < 100; loop++) {
    let tm: LuaValue;
    if (o instanceof LuaTable) {
      const v = o.get(k);
      if (v !== undefined) return v;
      const mt = o.metatable;
      if (mt === undefined) return undefined;
      tm = mt.getStr("__index");
      if (tm === undefined) return undefined;
    } else {
      tm = getMetamethod(o, "__index");
      if (tm === undefined) {
        if (s) typeError(s, o, desc, "index");
        throw new LuaError(`attempt to index a ${luaType(o)} value`);
      }
    }
    if (tm instanceof LuaFunction) return callMeta(tm, [o, k], s);
    o = tm;
    desc = undefined;
  }
  if (s) rtErr(s, "loop in gettable");
  throw new LuaError("loop in gettable");
}

/** Assignment with `__newindex` (luaV_settable). */
export function setIndex(o: LuaValue, k: LuaValue, v: LuaValue, s: Site): void {
  if (o instanceof LuaTable && o.metatable === undefined) {
    o.set(k, v);
    return;
  }
  setIndexSlow(o, k, v, s);
}

/** Slow path of assignment. */
export function setIndexSlow(o: LuaValue, k: LuaValue, v: LuaValue, s: Site | undefined): void {
  let desc = s?.d;
  for (let loop = 0; loop < 100; loop++) {
    let tm: LuaValue;
    if (o instanceof LuaTable) {
      const mt = o.metatable;
      if (mt === undefined || o.get(k) !== undefined) {
        o.set(k, v);
        return;
      }
      tm = mt.getStr("__newindex");
      if (tm === undefined) {
        o.set(k, v);
        return;
      }
    } else {
      tm = getMetamethod(o, "__newindex");
      if (tm === undefined) {
        if (s) typeError(s, o, desc, "index");
        throw new LuaError(`attempt to index a ${luaType(o)} value`);
      }
    }
    if (tm instanceof LuaFunction) {
      cEnter(s);
      if (s !== undefined && s.l > 0) {
        const st = rt.stack;
        st.lines[st.depth] = s.l;
      }
      rt.site = undefined;
      endTail(tm.call([o, k, v]));
      rt.cdepth--;
      return;
    }
    o = tm;
    desc = undefined;
  }
  if (s) rtErr(s, "loop in settable");
  throw new LuaError("loop in settable");
}

/** Global read. */
export function gget(env: LuaTable, k: string, s: Site): LuaValue {
  const v = env.getStr(k);
  if (v !== undefined || env.metatable === undefined) return v;
  return indexSlow(env, k, s);
}

/** Global write. */
export function gset(env: LuaTable, k: string, v: LuaValue, s: Site): void {
  if (env.metatable === undefined) env.set(k, v);
  else setIndexSlow(env, k, v, s);
}

/** Function call. */
export function call(f: LuaValue, args: LuaValue[], s: Site): LuaValue[] {
  if (f instanceof LuaFunction) {
    rt.site = s;
    // The caller's current line is the call's line (used by error levels and natives).
    const st = rt.stack;
    st.lines[st.depth] = s.l;
    const r = f.call(args);
    return r === TAILCALL ? endTail(r) : r;
  }
  return callSlow(f, args, s);
}

/**
 * `return f(...)`: for a Lua function, leaves the call pending and returns
 * {@link TAILCALL} so the caller runs it after this frame is gone; other values are called
 * right away.
 */
export function tailcall(f: LuaValue, args: LuaValue[], s: Site): LuaValue[] {
  if (!(f instanceof LuaFunction)) {
    const mm = getMetamethod(f, "__call");
    if (!(mm instanceof LuaFunction) || mm.native) return call(f, args, s);
    args = [f, ...args];
    f = mm;
  }
  if (!f.native) {
    const st = rt.stack;
    st.lines[st.depth] = s.l;
    rt.tailFn = f;
    rt.tailArgs = args;
    return TAILCALL;
  }
  return call(f, args, s);
}

function callSlow(f: LuaValue, args: LuaValue[], s: Site): LuaValue[] {
  const mm = getMetamethod(f, "__call");
  if (mm instanceof LuaFunction) {
    rt.site = undefined;
    return endTail(mm.call([f, ...args]));
  }
  return typeError(s, f, s.d, "call");
}

/** What a preemptible run yields when it pauses at a hook point (see `rt.preempt`). */
export const PREEMPT: LuaValue[] = [];

/** The native `coroutine.yield`; generator-mode calls recognise it and really yield. */
export const YIELD: LuaFunction = new LuaFunction("yield", () => {
  throw new LuaError("attempt to yield across metamethod/C-call boundary");
}, true);

/** Function call in generator (coroutine) mode. */
export function* gcall(
  f: LuaValue,
  args: LuaValue[],
  s: Site,
): Generator<LuaValue[], LuaValue[], LuaValue[]> {
  if (f instanceof LuaFunction) {
    rt.site = s;
    const st = rt.stack;
    st.lines[st.depth] = s.l;
    if (f.gen !== undefined) return yield* f.gen(args);
    if (f === YIELD) {
      if (rt.currentThread === undefined) {
        throw new LuaError("attempt to yield across metamethod/C-call boundary");
      }
      return yield args;
    }
    return endTail(f.call(args));
  }
  return callSlow(f, args, s);
}

/**
 * `luaCall` in generator mode: the callee's generator version runs under the pseudo frame
 * that stands for the calling native (pcall/xpcall), so a preemptible run can pause in it.
 */
export function* gluaCall(
  fn: LuaValue,
  args: LuaValue[],
): Generator<LuaValue[], LuaValue[], LuaValue[]> {
  if (!(fn instanceof LuaFunction) || fn.gen === undefined) return luaCall(fn, args);
  const saved = rt.site;
  rt.site = undefined;
  const st = rt.stack;
  const d = st.depth;
  const pd = d + 1;
  st.depth = pd;
  st.lines[pd] = 0;
  st.fns[pd] = undefined;
  try {
    return yield* fn.gen(args);
  } catch (e) {
    if (e instanceof RangeError) throw rangeError(e);
    throw e;
  } finally {
    rt.site = saved;
    st.depth = d;
  }
}

/** Converts a numeric for-loop control value, erroring like Lua 5.1. */
export function forNum(v: LuaValue, what: string, s: Site): number {
  if (typeof v === "number") return v;
  const n = tonum(v);
  if (n === undefined) rtErr(s, `'for' ${what} must be a number`);
  return n;
}

/** Raises "stack overflow" at the caller's position. */
export function overflow(): never {
  const st = rt.stack;
  const d = st.depth - 1;
  st.depth = d;
  const line = st.lines[d] ?? 0;
  throw new LuaError(
    d > 0 && line > 0 ? `${st.chunks[d]}:${line}: stack overflow` : "stack overflow",
  );
}

/** Creates an empty Lua function object to be filled by compiled code. */
export function mkfn(name: string, env: LuaTable | undefined): LuaFunction {
  return new LuaFunction(name, NOCALL, false, env);
}

const NOCALL = (): LuaValue[] => [];

function fb(x: number): number {
  // luaO_fb2int(luaO_int2fb(x)): table constructor sizes are rounded like Lua 5.1.
  let e = 0;
  while (x >= 16) {
    x = (x + 1) >> 1;
    e++;
  }
  if (x < 8) return x;
  const f = ((e + 1) << 3) | (x - 8);
  const ee = (f >> 3) & 31;
  return ee === 0 ? f : ((f & 7) + 8) << (ee - 1);
}

/** Creates a constructor table with Lua 5.1's preallocated sizes. */
export function newTable(na: number, nh: number): LuaTable {
  return new LuaTable(na > 0 ? fb(na) : 0, nh > 0 ? fb(nh) : 0);
}

/** Stores positional constructor items (SETLIST). */
export function setList(t: LuaTable, vals: LuaValue[]): LuaTable {
  const arr = t.arr;
  for (let i = 0; i < vals.length; i++) {
    if (i < arr.length) arr[i] = vals[i];
    else t.set(i + 1, vals[i]);
  }
  return t;
}

/** Table constructor with only positional items. */
export function tableArr(na: number, vals: LuaValue[]): LuaTable {
  return setList(newTable(na, 0), vals);
}

/** The `next` native (identity is used for the pairs fast path). */
export const NEXT: LuaFunction = new LuaFunction("next", (args) => {
  const t = args[0];
  if (!(t instanceof LuaTable)) {
    throw new LuaError(
      `bad argument #1 to 'next' (table expected, got ${
        t === undefined && args.length === 0 ? "no value" : luaType(t)
      })`,
    );
  }
  return t.next(args[1]) ?? [undefined];
}, true);

/** The iterator returned by ipairs. */
export const INEXT: LuaFunction = new LuaFunction("ipairs_iter", (args) => {
  const t = args[0];
  const i = (args[1] as number) + 1;
  const v = t instanceof LuaTable ? t.get(i) : index(t, i, ITER_SITE);
  return v === undefined ? [undefined] : [i, v];
}, true);

const ITER_SITE: Site = { c: "?", l: 0, d: undefined, e: undefined };

/** One step of a generic for loop with fast paths for next and ipairs. */
export function iter(f: LuaValue, st: LuaValue, c: LuaValue, s: Site): LuaValue[] {
  if (f === NEXT && st instanceof LuaTable) return st.next(c) ?? NILS;
  if (f === INEXT && st instanceof LuaTable) {
    const i = (c as number) + 1;
    const v = st.get(i);
    return v === undefined ? NILS : [i, v];
  }
  return call(f, [st, c], s);
}

const NILS: LuaValue[] = [];

/** Generator-mode generic for step. */
export function* giter(
  f: LuaValue,
  st: LuaValue,
  c: LuaValue,
  s: Site,
): Generator<LuaValue[], LuaValue[], LuaValue[]> {
  if (f === NEXT && st instanceof LuaTable) return st.next(c) ?? NILS;
  if (f === INEXT && st instanceof LuaTable) {
    const i = (c as number) + 1;
    const v = st.get(i);
    return v === undefined ? NILS : [i, v];
  }
  return yield* gcall(f, [st, c], s);
}

export { MAX_DEPTH };
