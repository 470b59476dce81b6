/**
 * A Lua 5.1 implementation in TypeScript for Redis scripting (EVAL).
 *
 * Lua source is parsed to an AST (`parser.ts`) and compiled to JavaScript
 * (`compiler.ts`), which is instantiated with `new Function` so V8 JITs it. Values are
 * described in `value.ts`; runtime operations used by compiled code are in `runtime.ts`.
 *
 * The instruction hook ({@link LuaState.setHook}) runs about every `every` steps
 * (function entries plus loop iterations). If it throws a {@link LuaError}, Lua code can
 * catch it with `pcall`; if it throws any other JS error, nothing in Lua can catch it
 * (pcall, xpcall and coroutine.resume only catch LuaError), which is what SCRIPT KILL
 * needs. The hook and coroutine state are process-global (JS is single threaded).
 *
 * Host notes:
 * - Strings are binary strings (one char per byte): convert with {@link bytesToLua} /
 *   {@link luaToBytes}; pass script sources the same way.
 * - Calls from host code should go through {@link LuaState.call} (or `luaCall`), which
 *   also runs pending tail calls (see `TAILCALL` in value.ts).
 * - `math.random` is Redis' deterministic generator; call {@link LuaState.resetRandomSeed}
 *   before each script like Redis does.
 * - {@link LuaState.protectGlobals} reproduces Redis' global table protection; any table
 *   can be made readonly with `table.readonly = true`.
 * - Coroutine support (generator versions of functions) is compiled only for chunks whose
 *   source mentions `coroutine`; yielding from a function of another chunk fails with
 *   "attempt to yield across metamethod/C-call boundary".
 * - Deep recursion is bounded by the JS stack (about 5000 Lua calls with V8's default
 *   stack; `--v8-flags=--stack-size=7000` allows lua5.1's ~16000). Tail calls do not grow it.
 *
 * @example
 * ```ts
 * import { LuaState } from "./mod.ts";
 * const L = new LuaState();
 * const f = L.load("return 1 + 2, ('x'):rep(3)", "@user_script");
 * const r = L.call(f, []);
 * if (r[0] !== 3 || r[1] !== "xxx") throw new Error("unexpected");
 * ```
 *
 * @module
 */

import { compileChunk } from "./compiler.ts";
import { openBase } from "./lib_base.ts";
import { openMath, resetRandom } from "./lib_math.ts";
import { openString } from "./lib_string.ts";
import { openTable } from "./lib_table.ts";
import { chunkId, parse } from "./parser.ts";
import * as runtime from "./runtime.ts";
import {
  cpow,
  luaCall,
  luaError,
  type LuaFunction,
  LuaTable,
  luaToString,
  type LuaValue,
  nativeFunction,
  rangeError,
  rt,
  runHook,
} from "./value.ts";

export * from "./value.ts";
export { lrand48, resetRandom, seedRandom } from "./lib_math.ts";

/** Converts bytes (e.g. a script body or a Redis value) to a Lua binary string. */
export function bytesToLua(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) {
    s += String.fromCharCode(...b.subarray(i, Math.min(i + 8192, b.length)));
  }
  return s;
}

/** Converts a Lua binary string (chars 0..255) back to bytes. */
export function luaToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** How {@link LuaState.protectGlobals} guards the global table. */
export type GlobalsProtection =
  /** Redis 7: globals (and every table reachable from them) are readonly. */
  | "readonly"
  /** Redis <= 6.2: `__newindex` refuses new globals (existing ones can be reassigned). */
  | "newindex";

const R = { ...runtime, LuaTable, rt, runHook, cpow };

/** A Lua interpreter state with the standard libraries (no io/os/package). */
export class LuaState {
  /** The global table. */
  readonly globals: LuaTable;
  /** Receives lines written by `print` (default: discarded). */
  onPrint: (line: string) => void = () => {};
  private envRef: { env: LuaTable };

  /** Creates a state and opens base, coroutine, table, string, math and debug. */
  constructor() {
    this.globals = new LuaTable();
    this.envRef = { env: this.globals };
    openBase(this.globals, {
      load: (src, name, env) => this.loadWithEnv(src, name, env),
      print: (line) => this.onPrint(line),
    }, this.envRef);
    openString(this.globals);
    openTable(this.globals);
    openMath(this.globals);
    resetRandom();
  }

  /** Resets `math.random` to seed 0 (Redis does this before every script). */
  resetRandomSeed(): void {
    resetRandom();
  }

  /**
   * Protects the global table like Redis scripting:
   * - reading a missing global raises "Script attempted to access nonexistent global
   *   variable 'x'";
   * - `"readonly"` (Redis 7): every table reachable from the globals becomes readonly,
   *   so any assignment raises "Attempt to modify a readonly table" (clear
   *   `globals.readonly` temporarily to set KEYS/ARGV);
   * - `"newindex"` (Redis <= 6.2): creating a global raises "Script attempted to create
   *   global variable 'x'".
   */
  protectGlobals(mode: GlobalsProtection): void {
    const G = this.globals;
    const mt = new LuaTable();
    mt.set(
      "__index",
      nativeFunction(
        "__index",
        (a) =>
          luaError(`Script attempted to access nonexistent global variable '${luaToString(a[1])}'`),
      ),
    );
    if (mode === "newindex") {
      mt.set(
        "__newindex",
        nativeFunction(
          "__newindex",
          (a) => luaError(`Script attempted to create global variable '${luaToString(a[1])}'`),
        ),
      );
      G.metatable = mt;
      return;
    }
    G.metatable = mt;
    LuaState.setReadonly(G, true);
  }

  /** Marks `t` and every table reachable from it (keys, values, metatables) readonly. */
  static setReadonly(t: LuaTable, readonly: boolean): void {
    const seen = new Set<LuaTable>();
    const visit = (v: LuaValue) => {
      if (!(v instanceof LuaTable) || seen.has(v)) return;
      seen.add(v);
      v.readonly = readonly;
      if (v.metatable) visit(v.metatable);
      for (let e = v.next(undefined); e !== undefined; e = v.next(e[0])) {
        visit(e[0]);
        visit(e[1]);
      }
    };
    visit(t);
    if (rt.stringMeta) visit(rt.stringMeta);
  }

  /**
   * Compiles `source`. Chunk names follow Lua: "@file" gives "file:1:", "=name" gives
   * "name:1:", anything else `[string "..."]`. Syntax errors throw LuaError.
   */
  load(
    source: string,
    chunkname: string,
    env?: LuaTable,
    opts: { preemptible?: boolean } = {},
  ): LuaFunction {
    return this.loadWithEnv(source, chunkname, env ?? this.envRef.env, opts.preemptible);
  }

  private loadWithEnv(
    source: string,
    chunkname: string,
    env: LuaTable,
    preemptible = false,
  ): LuaFunction {
    const chunk = chunkId(chunkname);
    const ast = parse(source, chunk);
    // Generator versions serve coroutines and preemptible runs ({@link start}).
    const withGen = preemptible || source.indexOf("coroutine") >= 0;
    const { source: js } = compileChunk(ast, chunk, withGen);
    // The compiled chunk is trusted code generated above from a parsed AST.
    const factory = new Function("R", js) as (r: unknown) => (env: LuaTable) => LuaFunction;
    return factory(R)(env);
  }

  /**
   * Starts `fn(...args)` as a run that can pause: when the hook sets `rt.preempt` (see
   * {@link requestPreempt}), the run stops at its next hook point outside any coroutine,
   * pcall or metamethod, and {@link LuaRun.step} returns false; calling `step` again resumes
   * it. Functions compiled without `preemptible` (no generator version) run to completion in
   * the first step.
   */
  start(fn: LuaFunction, args: LuaValue[]): LuaRun {
    return new LuaRun(this, fn, args);
  }

  /** Asks the preemptible run in progress to pause at its next hook point. */
  static requestPreempt(): void {
    rt.preempt = true;
  }

  /** Calls a Lua value; errors propagate as LuaError (or the hook's own exception). */
  call(fn: LuaValue, args: LuaValue[]): LuaValue[] {
    const st = rt.stack, d = st.depth, cd = rt.cdepth;
    try {
      return luaCall(fn, args);
    } catch (e) {
      if (e instanceof RangeError) {
        const le = rangeError(e);
        st.depth = d;
        rt.cdepth = cd;
        throw le;
      }
      st.depth = d;
      rt.cdepth = cd;
      throw e;
    }
  }

  /**
   * Installs (or removes) the instruction hook, run about every `every` steps: each
   * function entry is one step, loop iterations are charged in batches of 256 (so a
   * tight loop reaches the hook within 256 iterations of its budget running out).
   */
  setHook(hook: (() => void) | undefined, every: number): void {
    rt.hook = hook;
    if (hook === undefined) {
      rt.hookEvery = Infinity;
      rt.budget = Infinity;
    } else {
      rt.hookEvery = Math.max(1, every);
      rt.budget = rt.hookEvery;
    }
  }

  /** Sets a global library table. */
  register(name: string, table: LuaTable): void {
    this.globals.set(name, table);
  }
}

/** A Lua call that can pause between steps (see {@link LuaState.start}). */
export class LuaRun {
  #gen: Generator<LuaValue[], LuaValue[], LuaValue[]> | null;
  #plain: (() => LuaValue[]) | null = null;
  /** Call-stack depth and native nesting when the run started (restored when it ends). */
  #base: { depth: number; cdepth: number } | null = null;
  /** The results, once {@link done}. */
  values: LuaValue[] = [];
  /** Whether the call has returned. */
  done = false;
  /**
   * Called with an error the script raised, before the call stack is unwound (so the host can
   * read the error's position from `rt.stack`), with the depth the run started at.
   */
  onError: ((e: unknown, baseDepth: number) => void) | null = null;

  /** Prepares the run; nothing executes before the first {@link step}. */
  constructor(readonly state: LuaState, fn: LuaFunction, args: LuaValue[]) {
    if (fn.gen !== undefined) this.#gen = fn.gen(args);
    else {
      this.#gen = null;
      this.#plain = () => state.call(fn, args);
    }
  }

  /**
   * Runs until the call returns (true) or pauses (false). Errors raised by the script are
   * thrown (LuaError), as by {@link LuaState.call}; the run is over then.
   */
  step(): boolean {
    if (this.done) return true;
    rt.preempt = false;
    if (this.#plain !== null) {
      this.values = this.#plain();
      this.done = true;
      return true;
    }
    const st = rt.stack;
    const base = this.#base ??= { depth: st.depth, cdepth: rt.cdepth };
    const d = base.depth, cd = base.cdepth;
    const site = rt.site;
    rt.site = undefined;
    try {
      const r = this.#gen!.next();
      if (!r.done) return false;
      this.values = r.value;
      this.done = true;
      st.depth = d;
      return true;
    } catch (e) {
      this.done = true;
      const err = e instanceof RangeError ? rangeError(e) : e;
      this.onError?.(err, d);
      st.depth = d;
      rt.cdepth = cd;
      throw err;
    } finally {
      rt.site = site;
      rt.preempt = false;
    }
  }

  /** Abandons a paused run (SCRIPT KILL): its pending frames are dropped. */
  cancel(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.#gen?.return([]);
    } catch { /* a finally block of the script's frames threw: nothing to do */ }
    if (this.#base !== null) {
      rt.stack.depth = this.#base.depth;
      rt.cdepth = this.#base.cdepth;
    }
  }
}
