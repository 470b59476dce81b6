/**
 * Compiles a parsed Lua chunk to JavaScript source, instantiated with `new Function`
 * so V8 can JIT it.
 *
 * - Lua locals become JS `let` bindings (a fresh binding per loop iteration, which gives
 *   Lua's closure-in-loop semantics for free); upvalues are JS closures.
 * - A Lua function is a {@link LuaFunction} whose `call(args)` takes and returns arrays.
 * - When the chunk mentions `coroutine`, every function also gets a generator version
 *   (`gen`); coroutines run those, and calls inside them use `yield*`. Natives and
 *   metamethods always run the plain version, so a yield there fails with Lua's
 *   "attempt to yield across metamethod/C-call boundary".
 * - Every function entry and loop back-edge decrements `rt.budget` for the hook.
 *
 * @module
 */

import type { Expr, FuncNode, LocalDecl, Stat, TableItem } from "./parser.ts";

interface Ctx {
  gen: boolean; // compiling the generator version
  fvar: string; // JS name of the LuaFunction object ($F<n>)
  temps: string[];
  vararg: boolean;
  /** Sign of the first zero constant: Lua 5.1 keeps one constant slot for 0 and -0. */
  zero?: boolean;
  /** Whether the function has loops (needs the `$h` hook counter). */
  loops?: boolean;
}

/** Output of {@link compileChunk}: JS source of a factory `(R) => (env) => LuaFunction`. */
export interface CompiledChunk {
  /** JS source. */
  source: string;
}

let tempId = 0;

/** Compiles a chunk AST to JS source. */
export function compileChunk(main: FuncNode, chunk: string, withGen: boolean): CompiledChunk {
  const sites: string[] = [];
  const siteOf = (line: number, d?: string, e?: string, ds?: (string | undefined)[]): string => {
    const name = `S${sites.length}`;
    const dsPart = ds ? `, ds: ${JSON.stringify(ds.map((x) => x ?? null))}` : "";
    sites.push(
      `const ${name} = {c: CH, l: ${line}, d: ${
        d === undefined ? "undefined" : JSON.stringify(d)
      }, e: ${e === undefined ? "undefined" : JSON.stringify(e)}${dsPart}};`,
    );
    return name;
  };

  const describe = (e: Expr): string | undefined => {
    switch (e.k) {
      case "local":
        return `${e.upval ? "upvalue" : "local"} '${e.decl.name}'`;
      case "global":
        return `global '${e.name}'`;
      case "index":
        return e.key.k === "str" ? `field '${e.key.v}'` : "field '?'";
      case "method":
        return undefined;
      case "paren":
        return describe(e.e); // `(x)` still names the register holding x
    }
    return undefined;
  };

  const isMulti = (e: Expr | undefined): boolean =>
    e !== undefined && (e.k === "call" || e.k === "method" || e.k === "vararg");

  const numLit = (v: number): string => {
    if (Object.is(v, -0)) return "(-0)";
    if (v === Infinity) return "Infinity";
    if (v === -Infinity) return "(-Infinity)";
    if (v !== v) return "NaN";
    return v < 0 ? `(${String(v)})` : String(v);
  };

  const isSimple = (e: Expr): boolean => e.k === "local" || e.k === "num";

  const temp = (c: Ctx): string => {
    const t = `$t${++tempId}`;
    c.temps.push(t);
    return t;
  };

  // Both versions (plain and generator) of a parent embed the same closure code.
  const fnCache = new Map<FuncNode, string>();
  const fnExpr = (f: FuncNode, c: Ctx): string => {
    const cached = fnCache.get(f);
    if (cached !== undefined) return cached;
    const code = fnExprUncached(f, c);
    fnCache.set(f, code);
    return code;
  };
  const fnExprUncached = (f: FuncNode, c: Ctx): string => {
    const fv = `$F${f.depth}`;
    const body = compileFunc(f, false, fv);
    const gbody = withGen ? compileFunc(f, true, fv) : "";
    const name = JSON.stringify(f.name);
    return `((${fv}) => (${fv}.call = ${body}${
      withGen ? `, ${fv}.gen = ${gbody}` : ""
    }, ${fv}))(mkfn(${name}, ${c.fvar}.env))`;
  };

  const callCode = (fn: string, args: string, site: string, c: Ctx, tail = false): string => {
    if (c.gen) return `(yield* gcall(${fn}, ${args}, ${site}))`;
    // A Lua tail call runs after this frame is popped (see runtime.tailcall).
    if (tail) return `tailcall(${fn}, ${args}, ${site})`;
    return `call(${fn}, ${args}, ${site})`;
  };

  // Array of values for an expression list, with the last expression expanded.
  const list = (es: Expr[], c: Ctx): string => {
    if (es.length === 0) return "[]";
    const last = es[es.length - 1]!;
    if (isMulti(last)) {
      const m = multi(last, c);
      if (es.length === 1) return last.k === "vararg" ? `${m}.slice()` : m;
      return `[${es.slice(0, -1).map((e) => exp(e, c)).join(", ")}, ...${m}]`;
    }
    return `[${es.map((e) => exp(e, c)).join(", ")}]`;
  };

  const multi = (e: Expr, c: Ctx, tail = false): string => {
    switch (e.k) {
      case "vararg":
        return "$va";
      case "call": {
        const site = siteOf(e.line, describe(e.fn));
        return callCode(exp(e.fn, c), list(e.args, c), site, c, tail);
      }
      case "method": {
        const t = temp(c);
        const s1 = siteOf(e.line, describe(e.obj));
        const s2 = siteOf(e.line, `method '${e.name}'`);
        const args = e.args.length === 0 ? `[${t}]` : (() => {
          const l = list(e.args, c);
          if (l.startsWith("[")) return `[${t}, ${l.slice(1)}`;
          return `[${t}, ...${l}]`;
        })();
        return `(${t} = ${exp(e.obj, c)}, ${
          callCode(`indexS(${t}, ${JSON.stringify(e.name)}, ${s1})`, args, s2, c, tail)
        })`;
      }
      default:
        return `[${exp(e, c)}]`;
    }
  };

  const cond = (e: Expr, c: Ctx): string => {
    switch (e.k) {
      case "true":
        return "true";
      case "false":
      case "nil":
        return "false";
      case "un":
        if (e.op === "not") return `!${cond(e.a, c)}`;
        break;
      case "bin":
        switch (e.op) {
          case "and":
            return `(${cond(e.a, c)} && ${cond(e.b, c)})`;
          case "or":
            return `(${cond(e.a, c)} || ${cond(e.b, c)})`;
          case "==":
          case "~=":
          case "<":
          case "<=":
          case ">":
          case ">=":
            return exp(e, c);
        }
    }
    if (e.k === "local") return `(${e.decl.js} !== undefined && ${e.decl.js} !== false)`;
    return `T(${exp(e, c)})`;
  };

  const ARITH: Record<string, [string, string]> = {
    "+": ["add", "+"],
    "-": ["sub", "-"],
    "*": ["mul", "*"],
    "/": ["div", "/"],
  };

  const exp = (e: Expr, c: Ctx): string => {
    switch (e.k) {
      case "nil":
        return "undefined";
      case "true":
        return "true";
      case "false":
        return "false";
      case "num":
        if (e.v === 0) {
          if (c.zero === undefined) c.zero = Object.is(e.v, -0);
          return c.zero ? "(-0)" : "0";
        }
        return numLit(e.v);
      case "str":
        return JSON.stringify(e.v);
      case "vararg":
        return "$va[0]";
      case "func":
        return fnExpr(e.f, c);
      case "paren":
        return exp(e.e, c);
      case "local":
        return e.decl.js;
      case "global":
        return `gget(${c.fvar}.env, ${JSON.stringify(e.name)}, ${siteOf(e.line)})`;
      case "index": {
        const s = siteOf(e.line, describe(e.obj));
        if (e.key.k === "str") return `indexS(${exp(e.obj, c)}, ${JSON.stringify(e.key.v)}, ${s})`;
        return `index(${exp(e.obj, c)}, ${exp(e.key, c)}, ${s})`;
      }
      case "call":
      case "method":
        return `${multi(e, c)}[0]`;
      case "table":
        return tableExp(e.items, c);
      case "un": {
        const s = siteOf(e.line, describe(e.a));
        if (e.op === "not") return `!${cond(e.a, c)}`;
        if (e.op === "-") {
          if (e.a.k === "local") {
            const v = e.a.decl.js;
            return `(typeof ${v} === "number" ? -${v} : unm(${v}, ${s}))`;
          }
          return `unm(${exp(e.a, c)}, ${s})`;
        }
        return `len(${exp(e.a, c)}, ${s})`;
      }
      case "bin":
        return binExp(e, c);
    }
  };

  const binExp = (e: Expr & { k: "bin" }, c: Ctx): string => {
    const op = e.op;
    if (op === "and" || op === "or") {
      const t = temp(c);
      const a = exp(e.a, c), b = exp(e.b, c);
      const truth = `(${t} = ${a}, ${t} !== undefined && ${t} !== false)`;
      return op === "and" ? `(${truth} ? ${b} : ${t})` : `(${truth} ? ${t} : ${b})`;
    }
    if (op === "..") {
      const ops: Expr[] = [];
      let cur: Expr = e;
      while (cur.k === "bin" && cur.op === "..") {
        ops.push(cur.a);
        cur = cur.b;
      }
      ops.push(cur);
      if (ops.length === 2) {
        const s = siteOf(e.line, describe(ops[0]!), describe(ops[1]!));
        return `concat(${exp(ops[0]!, c)}, ${exp(ops[1]!, c)}, ${s})`;
      }
      const s = siteOf(e.line, undefined, undefined, ops.map(describe));
      return `concatN([${ops.map((o) => exp(o, c)).join(", ")}], ${s})`;
    }
    // Comparison operands: a > b is b < a (as Lua 5.1 compiles it).
    let a = e.a, b = e.b;
    let jop = op;
    let A: string, B: string;
    if (op === ">" || op === ">=") {
      // Operands are still evaluated left to right.
      const EA = exp(a, c), EB = exp(b, c);
      if (isSimple(a) && isSimple(b)) {
        A = EB;
        B = EA;
      } else {
        const ta = temp(c), tb = temp(c);
        A = `(${ta} = ${EA}, ${tb} = ${EB}, ${tb})`;
        B = ta;
      }
      [a, b] = [b, a];
      jop = op === ">" ? "<" : "<=";
    } else {
      A = exp(a, c);
      B = exp(b, c);
    }
    const s = siteOf(e.line, describe(a), describe(b));
    const simple = isSimple(a) && isSimple(b);
    const numCheck = (x: Expr, X: string) => x.k === "num" ? "" : `typeof ${X} === "number"`;
    const guard = () => [numCheck(a, A), numCheck(b, B)].filter((x) => x !== "").join(" && ");
    switch (jop) {
      case "==":
      case "~=": {
        const neg = jop === "~=" ? "!" : "";
        if (
          a.k === "num" || b.k === "num" || a.k === "str" || b.k === "str" || a.k === "nil" ||
          b.k === "nil" || a.k === "true" || b.k === "false" || a.k === "false" || b.k === "true"
        ) {
          return `(${A} ${jop === "==" ? "===" : "!=="} ${B})`;
        }
        return `${neg}eq(${A}, ${B})`;
      }
      case "<":
      case "<=": {
        const fn = jop === "<" ? "lt" : "le";
        if (simple && guard() !== "") {
          return `(${guard()} ? ${A} ${jop} ${B} : ${fn}(${A}, ${B}, ${s}))`;
        }
        return `${fn}(${A}, ${B}, ${s})`;
      }
    }
    const ar = ARITH[op];
    if (simple && guard() !== "") {
      let fast: string;
      if (ar) fast = `${A} ${ar[1]} ${B}`;
      else if (op === "%") fast = `${A} - Math.floor(${A} / ${B}) * ${B}`;
      else fast = `cpow(${A}, ${B})`;
      return `(${guard()} ? ${fast} : arith(${JSON.stringify(op)}, ${A}, ${B}, ${s}))`;
    }
    const fn = ar ? ar[0] : op === "%" ? "mod" : "pow";
    return `${fn}(${A}, ${B}, ${s})`;
  };

  const tableExp = (items: TableItem[], c: Ctx): string => {
    if (items.length === 0) return "new LuaTable()";
    let na = 0, nh = 0;
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (it.k === "pos") {
        if (!(i === items.length - 1 && isMulti(it.v))) na++;
      } else nh++;
    }
    if (nh === 0) {
      return `tableArr(${na}, ${list(items.map((it) => it.v), c)})`;
    }
    const t = temp(c);
    if (na === 0 && !items.some((it) => it.k === "pos")) {
      const ps: string[] = [`${t} = newTable(0, ${nh})`];
      for (const it of items) {
        if (it.k === "kv") ps.push(`${t}.set(${exp(it.key, c)}, ${exp(it.v, c)})`);
      }
      ps.push(t);
      return `(${ps.join(", ")})`;
    }
    const a = temp(c);
    const parts: string[] = [`${t} = newTable(${na}, ${nh})`, `${a} = []`];
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (it.k === "kv") {
        parts.push(`${t}.set(${exp(it.key, c)}, ${exp(it.v, c)})`);
      } else if (i === items.length - 1 && isMulti(it.v)) {
        parts.push(`${a}.push(...${multi(it.v, c)})`);
      } else {
        parts.push(`${a}.push(${exp(it.v, c)})`);
      }
    }
    parts.push(`setList(${t}, ${a})`);
    return `(${parts.join(", ")})`;
  };

  const HOOK = "if (--rt.budget <= 0) runHook();";
  // In generator mode the hook may also ask the running script to pause (rt.preempt) so the
  // host can serve its event loop; only the outermost run yields (not a Lua coroutine).
  const PREEMPT_POINT = "if (rt.preempt && rt.currentThread === undefined) yield PREEMPT;";
  const hook = (c: Ctx): string =>
    c.gen ? `if (--rt.budget <= 0) { runHook(); ${PREEMPT_POINT} }` : HOOK;
  // Loop back-edges count in a function-local counter and charge the shared budget
  // every 256 iterations (a shared-counter update per iteration is measurably slow).
  const LOOPHOOK = "if ((++$h & 255) === 0 && (rt.budget -= 256) <= 0) runHook();";
  // A pause reports the loop's line (a kill names where the script was).
  const loopHook = (c: Ctx, line = 0): string =>
    c.gen
      ? `if ((++$h & 255) === 0 && (rt.budget -= 256) <= 0) { ${
        line > 0 ? `$st.lines[$d] = ${line}; ` : ""
      }runHook(); ${PREEMPT_POINT} }`
      : LOOPHOOK;

  // Whether evaluating `e` may raise an error that takes its position from the frame's
  // current line (table constructors with keys can fail with "table index is nil").
  // Calls, arithmetic, indexing and comparisons carry their own line in their site.
  const risky = (e: Expr | undefined): boolean => {
    if (e === undefined) return false;
    switch (e.k) {
      case "table":
        return e.items.some((it) => it.k === "kv" || risky(it.v));
      case "bin":
        return risky(e.a) || risky(e.b);
      case "un":
        return risky(e.a);
      case "paren":
        return risky(e.e);
      case "index":
        return risky(e.obj) || risky(e.key);
      case "call":
        return risky(e.fn) || e.args.some(risky);
      case "method":
        return risky(e.obj) || e.args.some(risky);
      default:
        return false;
    }
  };
  const anyRisky = (es: Expr[]) => es.some(risky);

  const block = (stats: Stat[], c: Ctx): string => stats.map((s) => stat(s, c)).join("\n");

  const lineSet = (line: number) => `$st.lines[$d] = ${line};`;

  const assignTo = (target: Expr, val: string, c: Ctx, line: number): string => {
    if (target.k === "local") return `${target.decl.js} = ${val};`;
    if (target.k === "global") {
      return `gset(${c.fvar}.env, ${JSON.stringify(target.name)}, ${val}, ${siteOf(line)});`;
    }
    if (target.k === "index") {
      const s = siteOf(target.line, describe(target.obj));
      return `setIndex(${exp(target.obj, c)}, ${exp(target.key, c)}, ${val}, ${s});`;
    }
    throw new Error("bad assignment target");
  };

  const stat = (s: Stat, c: Ctx): string => {
    switch (s.k) {
      case "local": {
        const n = s.decls.length;
        const decls = s.decls.map((d) => d.js);
        if (s.exprs.length === 0) return `let ${decls.join(", ")};`;
        const pre = anyRisky(s.exprs) ? lineSet(s.line) : "";
        const last = s.exprs[s.exprs.length - 1]!;
        if (s.exprs.length < n && isMulti(last)) {
          const t = temp(c);
          const vals = s.exprs.slice(0, -1).map((e) => exp(e, c));
          const code = [`${pre}`];
          const firsts: string[] = [];
          for (let i = 0; i < vals.length; i++) {
            const tv = temp(c);
            code.push(`${tv} = ${vals[i]};`);
            firsts.push(tv);
          }
          code.push(`${t} = ${multi(last, c)};`);
          const binds = decls.map((d, i) =>
            i < firsts.length ? `${d} = ${firsts[i]}` : `${d} = ${t}[${i - firsts.length}]`
          );
          code.push(`let ${binds.join(", ")};`);
          return code.join(" ");
        }
        if (n === 1 && s.exprs.length === 1) return `${pre} let ${decls[0]} = ${exp(last, c)};`;
        // Evaluate all expressions first (into temps), then bind.
        const code = [pre];
        const tv: string[] = [];
        s.exprs.forEach((e, i) => {
          const t = temp(c);
          code.push(`${t} = ${i < n ? exp(e, c) : multi(e, c)};`);
          tv.push(t);
        });
        code.push(
          `let ${decls.map((d, i) => `${d} = ${i < tv.length ? tv[i] : "undefined"}`).join(", ")};`,
        );
        return code.join(" ");
      }
      case "localfunc":
        return `let ${s.decl.js}; ${s.decl.js} = ${fnExpr(s.f, c)};`;
      case "assign": {
        const pre = s.targets.some((t) => t.k !== "local") || anyRisky(s.exprs)
          ? lineSet(s.line)
          : "";
        if (s.targets.length === 1 && s.exprs.length === 1) {
          return `${pre} ${assignTo(s.targets[0]!, exp(s.exprs[0]!, c), c, s.line)}`;
        }
        const code = [pre];
        // Evaluate table and key expressions of targets first.
        const tgt: { kind: "local" | "global" | "index"; a: string; b: string; s: string }[] = [];
        for (const t of s.targets) {
          if (t.k === "local") tgt.push({ kind: "local", a: t.decl.js, b: "", s: "" });
          else if (t.k === "global") {
            tgt.push({ kind: "global", a: JSON.stringify(t.name), b: "", s: siteOf(s.line) });
          } else if (t.k === "index") {
            const to = temp(c), tk = temp(c);
            code.push(`${to} = ${exp(t.obj, c)}; ${tk} = ${exp(t.key, c)};`);
            tgt.push({ kind: "index", a: to, b: tk, s: siteOf(t.line, describe(t.obj)) });
          }
        }
        const vals: string[] = [];
        const n = s.targets.length;
        const last = s.exprs[s.exprs.length - 1]!;
        s.exprs.forEach((e, i) => {
          const t = temp(c);
          if (i === s.exprs.length - 1 && isMulti(last) && i < n) {
            code.push(`${t} = ${multi(e, c)};`);
            for (let j = i; j < n; j++) vals.push(`${t}[${j - i}]`);
          } else {
            code.push(`${t} = ${exp(e, c)};`);
            if (i < n) vals.push(t);
          }
        });
        while (vals.length < n) vals.push("undefined");
        for (let i = n - 1; i >= 0; i--) {
          const t = tgt[i]!;
          if (t.kind === "local") code.push(`${t.a} = ${vals[i]};`);
          else if (t.kind === "global") {
            code.push(`gset(${c.fvar}.env, ${t.a}, ${vals[i]}, ${t.s});`);
          } else code.push(`setIndex(${t.a}, ${t.b}, ${vals[i]}, ${t.s});`);
        }
        return code.join(" ");
      }
      case "callstat":
        // The call records its own line (runtime.call); only risky arguments need it early.
        return `${risky(s.call) ? lineSet(s.line) : ""} ${multi(s.call, c)};`;
      case "do":
        return `{ ${block(s.body, c)} }`;
      case "while":
        c.loops = true;
        if (!risky(s.cond)) {
          return `while (${cond(s.cond, c)}) { ${loopHook(c, s.line)} ${block(s.body, c)} }`;
        }
        return `while ($st.lines[$d] = ${s.line}, ${cond(s.cond, c)}) { ${loopHook(c, s.line)} ${
          block(s.body, c)
        } }`;
      case "repeat":
        c.loops = true;
        return `for (;;) { ${loopHook(c, s.line)} ${block(s.body, c)} ${
          risky(s.cond) ? lineSet(s.line) : ""
        } if (${cond(s.cond, c)}) break; }`;
      case "if": {
        let code = `${anyRisky(s.conds) ? lineSet(s.line) : ""} if (${cond(s.conds[0]!, c)}) { ${
          block(s.blocks[0]!, c)
        } }`;
        for (let i = 1; i < s.conds.length; i++) {
          code += ` else if (${cond(s.conds[i]!, c)}) { ${block(s.blocks[i]!, c)} }`;
        }
        if (s.els) code += ` else { ${block(s.els, c)} }`;
        return code;
      }
      case "fornum": {
        const i = temp(c), lim = temp(c), step = temp(c);
        const st = siteOf(s.line);
        const stepCode = s.step ? `forNum(${exp(s.step, c)}, "step", ${st})` : "1";
        const v = s.v.js;
        c.loops = true;
        const pre = `${
          risky(s.start) || risky(s.limit) || risky(s.step) ? lineSet(s.line) : ""
        } ${i} = forNum(${exp(s.start, c)}, "initial value", ${st}); ${lim} = forNum(${
          exp(s.limit, c)
        }, "limit", ${st}); ${step} = ${stepCode};`;
        if (!s.step || (s.step.k === "num" && s.step.v > 0)) {
          const sv = s.step ? numLit((s.step as { v: number }).v) : "1";
          return `${pre} for (${i} = ${i} - ${sv}; (${i} += ${sv}) <= ${lim};) { ${
            loopHook(c, s.line)
          } let ${v} = ${i}; ${block(s.body, c)} }`;
        }
        return `${pre} for (${i} = ${i} - ${step}; ${i} += ${step}, (0 < ${step} ? ${i} <= ${lim} : ${lim} <= ${i});) { ${
          loopHook(c, s.line)
        } let ${v} = ${i}; ${block(s.body, c)} }`;
      }
      case "forin": {
        const f = temp(c), st = temp(c), ctl = temp(c), r = temp(c);
        const site = siteOf(s.line);
        c.loops = true;
        const code = [`${lineSet(s.line)} ${r} = ${list(s.exprs, c)};`];
        code.push(`${f} = ${r}[0]; ${st} = ${r}[1]; ${ctl} = ${r}[2];`);
        const step = c.gen
          ? `(yield* giter(${f}, ${st}, ${ctl}, ${site}))`
          : `iter(${f}, ${st}, ${ctl}, ${site})`;
        const binds = s.vars.map((d, j) => `${d.js} = ${r}[${j}]`).join(", ");
        code.push(
          `for (;;) { ${loopHook(c, s.line)} ${r} = ${step}; let ${binds}; if (${
            s.vars[0]!.js
          } === undefined) break; ${ctl} = ${s.vars[0]!.js}; ${block(s.body, c)} }`,
        );
        return `{ ${code.join(" ")} }`;
      }
      case "return": {
        const pre = anyRisky(s.exprs) ? lineSet(s.line) : "";
        if (s.exprs.length === 0) return `{ $st.depth = $d - 1; return []; }`;
        const t = temp(c);
        const e0 = s.exprs[0]!;
        if (s.exprs.length === 1 && (e0.k === "call" || e0.k === "method")) {
          return `{ ${pre} ${t} = ${multi(e0, c, true)}; $st.depth = $d - 1; return ${t}; }`;
        }
        return `{ ${pre} ${t} = ${list(s.exprs, c)}; $st.depth = $d - 1; return ${t}; }`;
      }
      case "break":
        return "break;";
    }
  };

  const compileFunc = (f: FuncNode, gen: boolean, fvar: string): string => {
    const c: Ctx = { gen, fvar, temps: [], vararg: f.vararg };
    const np = f.params.length;
    const params = f.params.map((p: LocalDecl, i: number) => `${p.js} = args[${i}]`);
    const body = block(f.body, c);
    const head = [
      hook(c),
      `const $st = rt.stack; const $d = ++$st.depth; if ($d > MAX_DEPTH) overflow();`,
      `$st.chunks[$d] = CH; $st.lines[$d] = ${f.line}; $st.fns[$d] = ${fvar};`,
    ];
    if (params.length) head.push(`let ${params.join(", ")};`);
    if (f.vararg) head.push(`const $va = args.length > ${np} ? args.slice(${np}) : [];`);
    if (c.temps.length) head.push(`let ${c.temps.join(", ")};`);
    if (c.loops) head.push("let $h = 0;");
    return `function${gen ? "*" : ""} (args) { ${
      head.join(" ")
    }\n${body}\n$st.depth = $d - 1; return []; }`;
  };

  const mainBody = compileFunc(main, false, "$F0");
  const mainGen = withGen ? compileFunc(main, true, "$F0") : "";
  const source = [
    `"use strict";`,
    `const {LuaTable, rt, runHook, MAX_DEPTH, overflow, mkfn, T, arith, add, sub, mul, div, mod, pow, unm, len, concat, concatN, eq, lt, le, index, indexS, setIndex, gget, gset, call, tailcall, gcall, PREEMPT, cpow, forNum, newTable, setList, tableArr, iter, giter} = R;`,
    `const CH = ${JSON.stringify(chunk)};`,
    ...sites,
    `return (env) => { const $F0 = mkfn("main chunk", env); $F0.call = ${mainBody};${
      withGen ? ` $F0.gen = ${mainGen};` : ""
    } return $F0; };`,
  ].join("\n");
  return { source };
}
