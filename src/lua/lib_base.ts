/**
 * Lua 5.1 base library (print, pcall, error, select, unpack, metatables, fenv,
 * loadstring, ...), the coroutine library and a minimal debug library.
 *
 * `pcall`/`xpcall`/`coroutine.resume` catch only {@link LuaError} (and JS stack overflow,
 * turned into Lua's "stack overflow"); any other JS exception (such as one thrown by the
 * instruction hook to implement SCRIPT KILL) passes through uncaught.
 *
 * @module
 */

import {
  checkAny,
  checkInt,
  checkTable,
  optInt,
  optString,
  setFuncs,
  typeError,
} from "./auxlib.ts";
import { gcall, gluaCall, INEXT, NEXT, YIELD } from "./runtime.ts";
import {
  argError,
  formatNumber,
  getMetamethod,
  luaCall,
  LuaError,
  luaError,
  LuaFunction,
  LuaTable,
  LuaThread,
  luaToNumber,
  luaToString,
  luaType,
  type LuaValue,
  nativeFunction,
  rangeError,
  rt,
  where,
} from "./value.ts";

/** Hooks the base library needs from the state. */
export interface BaseHost {
  /** Compiles a chunk, throwing LuaError on syntax errors. */
  load(source: string, chunkname: string, env: LuaTable): LuaFunction;
  /** Receives each line printed by `print`. */
  print(line: string): void;
}

/** Runs `fn`, converting a JS stack overflow into a Lua "stack overflow" error. */
export function protect<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError) throw rangeError(e);
    throw e;
  }
}

function catchable(e: unknown): LuaError | undefined {
  if (e instanceof LuaError) return e;
  if (e instanceof RangeError) return rangeError(e);
  return undefined;
}

/**
 * The result of pcall, or of xpcall (`withHandler`), whose call raised `e`: `false` and the
 * error (or what the handler made of it), with the call stack back at depth `d`. Errors no Lua
 * code may catch (a killed script) go through.
 */
function pcallFailed(
  e: unknown,
  withHandler: boolean,
  handler: LuaValue,
  d: number,
  cd: number,
): LuaValue[] {
  const le = catchable(e);
  if (le === undefined) throw e;
  let v: LuaValue = le.value;
  if (withHandler) {
    try {
      v = luaCall(handler, [le.value])[0];
    } catch (e2) {
      if (catchable(e2) === undefined) throw e2;
      v = undefined;
    }
  }
  rt.stack.depth = d;
  rt.cdepth = cd;
  return [false, v];
}

function fenvTarget(args: LuaValue[], fname: string): LuaFunction | 0 {
  const f = args[0];
  if (f instanceof LuaFunction) return f;
  const level = f === undefined ? 1 : checkInt(args, 0, fname);
  if (level < 0) argError(1, fname, "level must be non-negative");
  if (level === 0) return 0;
  const st = rt.stack;
  const d = st.depth - (level - 1);
  if (d <= 0) argError(1, fname, "invalid level");
  return st.fns[d] ?? 0;
}

/** Opens the base library into `G`. */
export function openBase(G: LuaTable, host: BaseHost, state: { env: LuaTable }): void {
  const def = (name: string, fn: (args: LuaValue[]) => LuaValue[]): LuaFunction => {
    const f = nativeFunction(name, fn);
    G.set(name, f);
    return f;
  };
  G.set("_G", G);
  G.set("_VERSION", "Lua 5.1");
  G.set("next", NEXT);

  def("print", (args) => {
    const parts: string[] = [];
    const ts = G.get("tostring");
    for (let i = 0; i < args.length; i++) {
      const r = luaCall(ts, [args[i]])[0];
      const s = typeof r === "number" ? formatNumber(r) : r;
      if (typeof s !== "string") luaError("'tostring' must return a string to 'print'");
      // lua5.1 writes each value with fputs, which stops at an embedded NUL.
      const z = s.indexOf("\0");
      parts.push(z >= 0 ? s.slice(0, z) : s);
    }
    host.print(parts.join("\t"));
    return [];
  });
  def("type", (args) => [luaType(checkAny(args, 0, "type"))]);
  def("tostring", (args) => {
    const v = checkAny(args, 0, "tostring");
    // 5.1 returns whatever __tostring returns (not necessarily a string).
    const mm = v instanceof LuaTable ? getMetamethod(v, "__tostring") : undefined;
    if (mm !== undefined) return [luaCall(mm, [v])[0]];
    return [luaToString(v)];
  });
  def("tonumber", (args) => {
    const base = optInt(args, 1, "tonumber", 10);
    if (base === 10) return [luaToNumber(checkAny(args, 0, "tonumber"))];
    if (base < 2 || base > 36) argError(2, "tonumber", "base out of range");
    const v = args[0];
    if (typeof v !== "string" && typeof v !== "number") typeError(args, 0, "tonumber", "string");
    return [luaToNumber(v, base)];
  });
  def("assert", (args) => {
    const v = args[0];
    if (v === undefined || v === false) {
      if (args.length === 0) argError(1, "assert", "value expected");
      luaError(optString(args, 1, "assert", "assertion failed!"));
    }
    return args;
  });
  def("error", (args) => {
    const v = args[0];
    const level = optInt(args, 1, "error", 1);
    if ((typeof v === "string" || typeof v === "number") && level > 0) {
      throw new LuaError(where(level) + luaToString(v));
    }
    throw new LuaError(v);
  });
  const pcall = def("pcall", (args) => {
    checkAny(args, 0, "pcall");
    const st = rt.stack, d = st.depth, cd = rt.cdepth;
    try {
      // luaCall pushes a pseudo frame (no line) standing for pcall itself.
      const r = luaCall(args[0], args.slice(1));
      st.depth = d;
      return [true, ...r];
    } catch (e) {
      return pcallFailed(e, false, undefined, d, cd);
    }
  });
  const xpcall = def("xpcall", (args) => {
    checkAny(args, 1, "xpcall");
    const st = rt.stack, d = st.depth, cd = rt.cdepth;
    try {
      const r = luaCall(args[0], []);
      st.depth = d;
      return [true, ...r];
    } catch (e) {
      return pcallFailed(e, true, args[1], d, cd);
    }
  });
  // Generator versions for preemptible runs (LuaState.start): code under pcall/xpcall can
  // pause too, so a runaway loop inside pcall is still killable. Inside a coroutine they run
  // the plain version, so yielding across them fails as in Lua 5.1.
  pcall.gen = function* (args) {
    if (rt.currentThread !== undefined) return pcall.call(args);
    checkAny(args, 0, "pcall");
    const st = rt.stack, d = st.depth, cd = rt.cdepth;
    try {
      const r = yield* gluaCall(args[0], args.slice(1));
      st.depth = d;
      return [true, ...r];
    } catch (e) {
      return pcallFailed(e, false, undefined, d, cd);
    }
  };
  xpcall.gen = function* (args) {
    if (rt.currentThread !== undefined) return xpcall.call(args);
    checkAny(args, 1, "xpcall");
    const st = rt.stack, d = st.depth, cd = rt.cdepth;
    try {
      const r = yield* gluaCall(args[0], []);
      st.depth = d;
      return [true, ...r];
    } catch (e) {
      return pcallFailed(e, true, args[1], d, cd);
    }
  };
  def("select", (args) => {
    const n = args.length;
    const a0 = args[0];
    if (typeof a0 === "string" && a0[0] === "#") return [n - 1];
    let i = checkInt(args, 0, "select");
    if (i < 0) i = n + i;
    else if (i > n) i = n;
    if (i < 1) argError(1, "select", "index out of range");
    return args.slice(i);
  });
  def("unpack", (args) => {
    const t = checkTable(args, 0, "unpack");
    const i = optInt(args, 1, "unpack", 1);
    const j = args[2] === undefined ? t.length() : checkInt(args, 2, "unpack");
    if (i > j) return [];
    const n = j - i + 1;
    if (n >= 8000 || !isFinite(n)) luaError("too many results to unpack");
    const out = new Array<LuaValue>(n);
    for (let k = 0; k < n; k++) out[k] = t.get(i + k);
    return out;
  });
  def("rawget", (args) => {
    const t = checkTable(args, 0, "rawget");
    checkAny(args, 1, "rawget");
    return [t.get(args[1])];
  });
  def("rawset", (args) => {
    const t = checkTable(args, 0, "rawset");
    checkAny(args, 1, "rawset");
    checkAny(args, 2, "rawset");
    t.set(args[1], args[2]);
    return [t];
  });
  def("rawequal", (args) => {
    checkAny(args, 0, "rawequal");
    checkAny(args, 1, "rawequal");
    return [args[0] === args[1]];
  });
  def("setmetatable", (args) => {
    const t = checkTable(args, 0, "setmetatable");
    const mt = args[1];
    if (mt !== undefined && !(mt instanceof LuaTable)) {
      argError(2, "setmetatable", "nil or table expected");
    }
    if (t.metatable !== undefined && t.metatable.getStr("__metatable") !== undefined) {
      luaError("cannot change a protected metatable");
    }
    t.metatable = mt;
    return [t];
  });
  def("getmetatable", (args) => {
    const v = checkAny(args, 0, "getmetatable");
    const mt = v instanceof LuaTable
      ? v.metatable
      : typeof v === "string"
      ? rt.stringMeta
      : undefined;
    if (mt === undefined) return [undefined];
    const p = mt.getStr("__metatable");
    return [p !== undefined ? p : mt];
  });
  def("ipairs", (args) => {
    return [INEXT, checkTable(args, 0, "ipairs"), 0];
  });
  def("pairs", (args) => {
    const t = checkTable(args, 0, "pairs");
    return [NEXT, t, undefined];
  });
  def("rawlen", (args) => {
    const v = args[0];
    if (v instanceof LuaTable) return [v.length()];
    if (typeof v === "string") return [v.length];
    return argError(1, "rawlen", "table or string expected");
  });
  G.set("rawlen", undefined); // not in 5.1
  def("getfenv", (args) => {
    const f = fenvTarget(args, "getfenv");
    if (f === 0) return [state.env];
    return [f.env ?? state.env];
  });
  def("setfenv", (args) => {
    const t = checkTable(args, 1, "setfenv");
    const f = fenvTarget(args, "setfenv");
    if (f === 0) {
      state.env = t;
      return [];
    }
    if (f.native) luaError("'setfenv' cannot change environment of given object");
    f.env = t;
    return [f];
  });
  const loadChunk = (src: string, name: string): LuaValue[] => {
    if (src.charCodeAt(0) === 27) {
      return [undefined, `${name}: bad header in precompiled chunk`];
    }
    try {
      return [host.load(src, name, state.env)];
    } catch (e) {
      if (e instanceof LuaError) return [undefined, e.value];
      throw e;
    }
  };
  def("loadstring", (args) => {
    const s = args[0];
    if (typeof s !== "string" && typeof s !== "number") typeError(args, 0, "loadstring", "string");
    const src = typeof s === "number" ? luaToString(s) : s;
    const name = optString(args, 1, "loadstring", src);
    return loadChunk(src, name);
  });
  def("load", (args) => {
    const f = args[0];
    if (!(f instanceof LuaFunction)) typeError(args, 0, "load", "function");
    const name = optString(args, 1, "load", "=(load)");
    let src = "";
    for (;;) {
      const piece = luaCall(f, [])[0];
      if (piece === undefined || piece === "") break;
      if (typeof piece !== "string") return [undefined, "reader function must return a string"];
      src += piece;
    }
    return loadChunk(src, name);
  });
  def("dofile", () => luaError("dofile is not supported"));
  G.set("dofile", undefined);
  def("collectgarbage", (args) => {
    const opt = optString(args, 0, "collectgarbage", "collect");
    const opts = ["stop", "restart", "collect", "count", "step", "setpause", "setstepmul"];
    if (!opts.includes(opt)) argError(1, "collectgarbage", `invalid option '${opt}'`);
    if (opt === "count") return [128];
    if (opt === "step") return [true];
    return [0];
  });
  def("gcinfo", () => [128]);
  def("newproxy", () => luaError("newproxy is not supported"));
  G.set("newproxy", undefined);

  openCoroutine(G);
  openDebug(G);
}

function openCoroutine(G: LuaTable): void {
  const co = new LuaTable();
  G.set("coroutine", co);

  const resume = (th: LuaThread, args: LuaValue[]): [boolean, LuaValue[]] => {
    if (th.status !== "suspended") return [false, [`cannot resume ${th.status} coroutine`]];
    const prev = rt.currentThread;
    const prevStack = rt.stack;
    const cd = rt.cdepth;
    if (prev) prev.status = "normal";
    rt.currentThread = th;
    th.status = "running";
    rt.stack = th.stack;
    try {
      let r: IteratorResult<LuaValue[], LuaValue[]>;
      if (th.gen === undefined) {
        const f = th.fn;
        th.gen = f.gen !== undefined ? f.gen(args) : (function* () {
          return yield* gcall(f, args, { c: "?", l: 0, d: undefined, e: undefined });
        })();
        r = th.gen.next([]);
      } else {
        r = th.gen.next(args);
      }
      th.status = r.done ? "dead" : "suspended";
      return [true, r.value];
    } catch (e) {
      const le = catchable(e);
      th.status = "dead";
      if (le === undefined) throw e;
      return [false, [le.value]];
    } finally {
      rt.stack = prevStack;
      rt.currentThread = prev;
      rt.cdepth = cd;
      if (prev) prev.status = "running";
    }
  };

  const checkCo = (args: LuaValue[], fname: string): LuaThread => {
    const t = args[0];
    if (t instanceof LuaThread) return t;
    return argError(1, fname, "coroutine expected");
  };

  setFuncs(co, {
    create: (args) => {
      const f = args[0];
      if (!(f instanceof LuaFunction) || f.native) argError(1, "create", "Lua function expected");
      return [new LuaThread(f)];
    },
    resume: (args) => {
      const th = checkCo(args, "resume");
      const [ok, vals] = resume(th, args.slice(1));
      return [ok, ...vals];
    },
    status: (args) => [checkCo(args, "status").status],
    running: () => [rt.currentThread],
    wrap: (args) => {
      const f = args[0];
      if (!(f instanceof LuaFunction) || f.native) argError(1, "wrap", "Lua function expected");
      const th = new LuaThread(f);
      return [nativeFunction("wrap", (a) => {
        const [ok, vals] = resume(th, a);
        if (!ok) {
          const ev = vals[0];
          if (typeof ev === "string") throw new LuaError(where(1) + ev);
          throw new LuaError(ev);
        }
        return vals;
      })];
    },
  }, nativeFunction);
  co.set("yield", YIELD);
}

function openDebug(G: LuaTable): void {
  const dbg = new LuaTable();
  G.set("debug", dbg);
  setFuncs(dbg, {
    traceback: (args) => {
      const msg = args[0];
      if (msg !== undefined && typeof msg !== "string" && typeof msg !== "number") return [msg];
      const st = rt.stack;
      const lines: string[] = [];
      if (msg !== undefined) lines.push(luaToString(msg));
      lines.push("stack traceback:");
      for (let d = st.depth; d >= 1; d--) {
        const f = st.fns[d];
        const nm = f && f.name !== "main chunk" ? `function '${f.name}'` : "main chunk";
        lines.push(`\t${st.chunks[d]}:${st.lines[d]}: in ${nm}`);
      }
      lines.push("\t[C]: ?");
      return [lines.join("\n")];
    },
    getinfo: (args) => {
      const st = rt.stack;
      const t = new LuaTable();
      const a0 = args[0];
      if (a0 instanceof LuaFunction) {
        t.set("what", a0.native ? "C" : "Lua");
        t.set("source", a0.native ? "=[C]" : "=?");
        t.set("short_src", a0.native ? "[C]" : "?");
        t.set("currentline", -1);
        t.set("func", a0);
        t.set("nups", 0);
        return [t];
      }
      const level = checkInt(args, 0, "getinfo");
      const d = st.depth - (level - 1);
      if (level === 0) {
        t.set("what", "C");
        t.set("source", "=[C]");
        t.set("short_src", "[C]");
        t.set("currentline", -1);
        t.set("name", "getinfo");
        return [t];
      }
      if (d < 1) return [undefined];
      const f = st.fns[d];
      t.set("currentline", st.lines[d]);
      t.set("short_src", st.chunks[d]);
      t.set("source", "@" + st.chunks[d]);
      t.set("what", f && f.name === "main chunk" ? "main" : "Lua");
      if (f) t.set("func", f);
      return [t];
    },
    getmetatable: (args) => {
      const v = args[0];
      return [
        v instanceof LuaTable ? v.metatable : typeof v === "string" ? rt.stringMeta : undefined,
      ];
    },
    setmetatable: (args) => {
      const v = args[0];
      const mt = args[1];
      if (mt !== undefined && !(mt instanceof LuaTable)) {
        argError(2, "setmetatable", "nil or table expected");
      }
      if (v instanceof LuaTable) v.metatable = mt;
      else if (typeof v === "string") rt.stringMeta = mt;
      return [true];
    },
    getfenv: (args) => [args[0] instanceof LuaFunction ? args[0].env : undefined],
    sethook: () => [],
    gethook: () => [],
  }, nativeFunction);
}
