/**
 * Lua 5.1 table library (`ltablib.c`): concat, foreach, foreachi, getn, insert, maxn,
 * remove, setn (obsolete, errors) and sort (the same quicksort as Lua 5.1, so results
 * with ties or inconsistent comparators match `lua5.1`).
 *
 * @module
 */

import { checkInt, checkTable, optString, setFuncs, typeError } from "./auxlib.ts";
import { lt } from "./runtime.ts";
import {
  formatNumber,
  luaCall,
  luaError,
  LuaFunction,
  LuaTable,
  luaType,
  type LuaValue,
  nativeFunction,
} from "./value.ts";

/** Comparisons made by sort itself are C code: errors carry no position. */
const NOSITE = { c: "?", l: 0, d: undefined, e: undefined };

function checkFunction(args: LuaValue[], i: number, fname: string): LuaFunction {
  const f = args[i];
  if (f instanceof LuaFunction) return f;
  return typeError(args, i, fname, "function");
}

function sortComp(f: LuaValue, a: LuaValue, b: LuaValue): boolean {
  if (f === undefined) {
    if (typeof a === "number" && typeof b === "number") return a < b;
    if (typeof a === "string" && typeof b === "string") return a < b;
    return lt(a, b, NOSITE);
  }
  const r = luaCall(f, [a, b])[0];
  return r !== undefined && r !== false;
}

function auxsort(t: LuaTable, f: LuaValue, l: number, u: number): void {
  const get = (i: number) => t.get(i);
  const set = (i: number, v: LuaValue) => t.set(i, v);
  while (l < u) {
    let i: number, j: number;
    {
      const al = get(l), au = get(u);
      if (sortComp(f, au, al)) {
        set(l, au);
        set(u, al);
      }
    }
    if (u - l === 1) break;
    i = Math.floor((l + u) / 2);
    {
      const ai = get(i), al = get(l);
      if (sortComp(f, ai, al)) {
        set(i, al);
        set(l, ai);
      } else {
        const au = get(u);
        if (sortComp(f, au, ai)) {
          set(i, au);
          set(u, ai);
        }
      }
    }
    if (u - l === 2) break;
    const P = get(i);
    {
      const au1 = get(u - 1);
      set(i, au1);
      set(u - 1, P);
    }
    i = l;
    j = u - 1;
    for (;;) {
      let ai: LuaValue, aj: LuaValue;
      while ((ai = get(++i)), sortComp(f, ai, P)) {
        if (i > u) luaError("invalid order function for sorting");
      }
      while ((aj = get(--j)), sortComp(f, P, aj)) {
        if (j < l) luaError("invalid order function for sorting");
      }
      if (j < i) break;
      set(i, aj);
      set(j, ai);
    }
    {
      const au1 = get(u - 1), ai = get(i);
      set(u - 1, ai);
      set(i, au1);
    }
    if (i - l < u - i) {
      j = l;
      i = i - 1;
      l = i + 2;
    } else {
      j = i + 1;
      i = u;
      u = j - 2;
    }
    auxsort(t, f, j, i);
  }
}

/** Opens the table library. */
export function openTable(G: LuaTable): LuaTable {
  const T = new LuaTable();
  setFuncs(T, {
    concat: (args) => {
      const sep = optString(args, 1, "concat", "");
      const t = checkTable(args, 0, "concat");
      let i = args[2] === undefined ? 1 : checkInt(args, 2, "concat");
      const last = args[3] === undefined ? t.length() : checkInt(args, 3, "concat");
      const parts: string[] = [];
      const field = (k: number) => {
        const v = t.get(k);
        if (typeof v === "string") parts.push(v);
        else if (typeof v === "number") parts.push(formatNumber(v));
        // Wording of Debian's lua5.1 (stock 5.1.5 says "invalid value (at index %d) ...").
        else luaError(`invalid value (${luaType(v)}) at index ${k} in table for 'concat'`);
      };
      for (; i < last; i++) {
        field(i);
        parts.push(sep);
      }
      if (i === last) field(i);
      return [parts.join("")];
    },
    foreach: (args) => {
      const t = checkTable(args, 0, "foreach");
      const f = checkFunction(args, 1, "foreach");
      let e = t.next(undefined);
      while (e !== undefined) {
        const r = luaCall(f, [e[0], e[1]])[0];
        if (r !== undefined) return [r];
        e = t.next(e[0]);
      }
      return [];
    },
    foreachi: (args) => {
      const t = checkTable(args, 0, "foreachi");
      const n = t.length();
      const f = checkFunction(args, 1, "foreachi");
      for (let i = 1; i <= n; i++) {
        const r = luaCall(f, [i, t.get(i)])[0];
        if (r !== undefined) return [r];
      }
      return [];
    },
    getn: (args) => [checkTable(args, 0, "getn").length()],
    setn: (args) => {
      checkTable(args, 0, "setn");
      return luaError("'setn' is obsolete");
    },
    maxn: (args) => {
      const t = checkTable(args, 0, "maxn");
      let max = 0;
      let e = t.next(undefined);
      while (e !== undefined) {
        const k = e[0];
        if (typeof k === "number" && k > max) max = k;
        e = t.next(k);
      }
      return [max];
    },
    insert: (args) => {
      const t = checkTable(args, 0, "insert");
      let e = t.length() + 1;
      let pos: number;
      if (args.length === 2) pos = e;
      else if (args.length === 3) {
        pos = checkInt(args, 1, "insert");
        if (pos > e) e = pos;
        for (let i = e; i > pos; i--) t.set(i, t.get(i - 1));
      } else return luaError("wrong number of arguments to 'insert'");
      t.set(pos, args[args.length - 1]);
      return [];
    },
    remove: (args) => {
      const t = checkTable(args, 0, "remove");
      const e = t.length();
      let pos = args[1] === undefined ? e : checkInt(args, 1, "remove");
      if (!(1 <= pos && pos <= e)) return [];
      const r = t.get(pos);
      for (; pos < e; pos++) t.set(pos, t.get(pos + 1));
      t.set(e, undefined);
      return [r];
    },
    sort: (args) => {
      const t = checkTable(args, 0, "sort");
      const n = t.length();
      const f = args[1];
      if (f !== undefined) checkFunction(args, 1, "sort");
      auxsort(t, f, 1, n);
      return [];
    },
  }, nativeFunction);
  G.set("table", T);
  return T;
}
