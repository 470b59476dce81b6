/**
 * Unit tests of the Lua 5.1 engine (src/lua): language semantics, error messages,
 * libraries, the host API (print hook, instruction hook, globals protection, random seed).
 */

import assert from "node:assert/strict";
import { LuaError, LuaFunction, LuaState, LuaTable, type LuaValue } from "../src/lua/mod.ts";

/** Runs `src` in a fresh state and returns its results. */
function run(src: string, name = "=test"): LuaValue[] {
  const L = new LuaState();
  return L.call(L.load(src, name), []);
}

/** Runs `src` and returns the printed lines. */
function printed(src: string): string[] {
  const L = new LuaState();
  const out: string[] = [];
  L.onPrint = (line) => out.push(line);
  L.call(L.load(src, "=test"), []);
  return out;
}

/** Runs `src` expecting an error; returns the error value. */
function runError(src: string, name = "@user_script"): LuaValue {
  try {
    run(src, name);
  } catch (e) {
    if (e instanceof LuaError) return e.value;
    throw e;
  }
  throw new Error("expected an error");
}

Deno.test("numbers print like lua5.1 (%.14g, integer-valued doubles without .0)", () => {
  assert.deepEqual(printed("print(10/2, 1e15, 1e14, 2^53, 0.1, -0.0 + 0, 1/3)"), [
    "5\t1e+15\t1e+14\t9.007199254741e+15\t0.1\t0\t0.33333333333333",
  ]);
  assert.deepEqual(printed("print(1/0, -1/0, 0/0)"), ["inf\t-inf\t-nan"]);
});

Deno.test("arithmetic coerces numeric strings and concatenation formats numbers", () => {
  assert.deepEqual(run('return "10" + 5, "3" * "4", 1 .. 2, -7 % 3, 7 % -3, 2^10'), [
    15,
    12,
    "12",
    2,
    -2,
    1024,
  ]);
});

Deno.test("runtime errors name the offending variable with chunk:line prefix", () => {
  assert.equal(
    runError("local x = 1\nreturn y + 1"),
    "user_script:2: attempt to perform arithmetic on global 'y' (a nil value)",
  );
  assert.equal(
    runError("local t\nreturn t.x"),
    "user_script:2: attempt to index local 't' (a nil value)",
  );
  assert.equal(
    runError("local t = {}\nt.foo()"),
    "user_script:2: attempt to call field 'foo' (a nil value)",
  );
  assert.equal(runError("return 1 < nil"), "user_script:1: attempt to compare number with nil");
  assert.equal(
    runError("table.insert(nil, 1)"),
    "user_script:1: bad argument #1 to 'insert' (table expected, got nil)",
  );
});

Deno.test("chunk names follow luaO_chunkid", () => {
  assert.equal(runError("error('x')", "=name"), "name:1: x");
  assert.equal(runError("error('x')", "@f.lua"), "f.lua:1: x");
  assert.equal(runError("error('x')", "error('x')"), "[string \"error('x')\"]:1: x");
});

Deno.test("syntax errors are LuaErrors with lua5.1 wording", () => {
  const L = new LuaState();
  assert.throws(() => L.load("x = = 1", "@s"), (e: unknown) => {
    return e instanceof LuaError && e.value === "s:1: unexpected symbol near '='";
  });
});

Deno.test("pcall returns non-string error values unchanged and error levels work", () => {
  const r = run(`
    local t = {}
    local ok, e = pcall(error, t)
    local ok2, e2 = pcall(error, "m", 0)
    local function f() error("lvl2", 2) end
    local ok3, e3 = pcall(function() f() end)
    return ok, e == t, e2, e3, select("#", pcall(error))
  `);
  assert.deepEqual(r, [false, true, "m", "test:6: lvl2", 2]);
});

Deno.test("xpcall calls the handler with the error", () => {
  assert.deepEqual(
    run("return xpcall(function() error('boom', 0) end, function(m) return 'h:' .. m end)"),
    [
      false,
      "h:boom",
    ],
  );
});

Deno.test("varargs and select('#') count trailing nils", () => {
  assert.deepEqual(run("local function f(...) return select('#', ...) end return f(nil, nil)"), [
    2,
  ]);
  assert.deepEqual(run("return select(-1, 1, 2, 3)"), [3]);
});

Deno.test("closures capture a fresh local per loop iteration", () => {
  assert.deepEqual(
    run("local f = {} for i = 1, 3 do f[i] = function() return i end end return f[1](), f[3]()"),
    [1, 3],
  );
});

Deno.test("multiple assignment evaluates all expressions before assigning", () => {
  assert.deepEqual(run("local a, b = 1, 2 a, b = b, a return a, b"), [2, 1]);
  assert.deepEqual(run("local t = {} local i = 1 i, t[i] = i + 1, 20 return i, t[1], t[2]"), [
    2,
    20,
    undefined,
  ]);
});

Deno.test("metatables: __index, __newindex, __call, __eq, __lt, __le, __concat, __unm", () => {
  const r = run(`
    local mt = {}
    mt.__index = function(t, k) return k .. "!" end
    mt.__call = function(self, x) return x * 2 end
    mt.__eq = function() return true end
    mt.__lt = function() return true end
    mt.__le = function() return false end
    mt.__concat = function() return "cat" end
    mt.__unm = function() return "neg" end
    local a, b = setmetatable({}, mt), setmetatable({}, mt)
    return a.x, a(21), a == b, a < b, a <= b, a .. 1, -a
  `);
  assert.deepEqual(r, ["x!", 42, true, true, false, "cat", "neg"]);
});

Deno.test("__len is not used for tables in Lua 5.1", () => {
  assert.deepEqual(run("return #setmetatable({1, 2}, {__len = function() return 9 end})"), [2]);
});

Deno.test("__metatable protects metatables; rawget/rawset/rawequal bypass metamethods", () => {
  assert.deepEqual(
    run(`
      local t = setmetatable({}, {__metatable = "locked", __index = function() return 1 end})
      rawset(t, "k", 5)
      return getmetatable(t), rawget(t, "zz"), t.zz, t.k, rawequal(t, t), pcall(setmetatable, t, {})
    `),
    ["locked", undefined, 1, 5, true, false, "cannot change a protected metatable"],
  );
});

Deno.test("pairs visits the array part first, ipairs stops at the first nil", () => {
  const lines = printed(`
    local t = {10, 20, 30}
    t.x = 1
    local ks = {}
    for k in pairs(t) do ks[#ks + 1] = tostring(k) end
    print(table.concat(ks, ","))
    local n = 0
    for i, v in ipairs({1, 2, nil, 4}) do n = n + 1 end
    print(n)
  `);
  assert.deepEqual(lines, ["1,2,3,x", "2"]);
});

Deno.test("# follows lua5.1 borders for tables built normally", () => {
  assert.deepEqual(run("local t = {1, 2, nil, 4} return #t"), [4]);
  assert.deepEqual(run("local t = {} t[1] = 1 t[2] = 2 t[4] = 4 return #t"), [4]);
});

Deno.test("tostring of tables/functions looks like an address", () => {
  const [a, b] = run("return tostring({}), tostring(print)");
  assert.match(a as string, /^table: 0x[0-9a-f]+$/);
  assert.match(b as string, /^function: 0x[0-9a-f]+$/);
});

Deno.test("tonumber handles bases, hex and whitespace", () => {
  assert.deepEqual(
    run(
      "return tonumber('0x10'), tonumber('  10  '), tonumber('1e'), tonumber('z', 36), tonumber('ff', 16)",
    ),
    [
      16,
      10,
      undefined,
      35,
      255,
    ],
  );
});

Deno.test("coroutines: resume/yield pass values, status and wrap", () => {
  const r = run(`
    local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
    local _, x = coroutine.resume(co, 1)
    local s1 = coroutine.status(co)
    local _, y = coroutine.resume(co, 10)
    local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
    return x, s1, y, coroutine.status(co), gen() + gen() + gen(), coroutine.resume(co)
  `);
  assert.deepEqual(r, [2, "suspended", 20, "dead", 6, false, "cannot resume dead coroutine"]);
});

Deno.test("string methods via the string metatable", () => {
  assert.deepEqual(run("return ('x'):rep(3), ('%d'):format(7), ('abc'):upper()"), [
    "xxx",
    "7",
    "ABC",
  ]);
});

Deno.test("string patterns: captures, position captures, %b, %f, back-references", () => {
  assert.deepEqual(run("return string.match('key = val', '(%w+)%s*=%s*(%w+)')"), ["key", "val"]);
  assert.deepEqual(run("return string.find('hello', '()ll()')"), [3, 4, 3, 5]);
  assert.deepEqual(run("return string.match('f(a(b)c)', '%b()')"), ["(a(b)c)"]);
  assert.deepEqual(run("return (string.gsub('THE (quick) fox', '%f[%a]%a+', string.lower))"), [
    "the (quick) fox",
  ]);
  assert.deepEqual(run("return string.match('hello hello', '(h%a+) %1')"), ["hello"]);
  assert.deepEqual(run("return string.gsub('abc', '%w', '%0%0')"), ["aabbcc", 3]);
});

Deno.test("string.format follows C printf", () => {
  assert.deepEqual(
    run(
      `return string.format("%5.2f|%-5d|%05d|%x|%X|%o|%e|%g|%q|%%|%c", 3.14159, 42, -42, 255, 255, 8, 12345.678, 0.0001, "a\\n", 65)`,
    ),
    [' 3.14|42   |-0042|ff|FF|10|1.234568e+04|0.0001|"a\\\n"|%|A'],
  );
  assert.deepEqual(run("return string.format('%.0f %.0f', 0.5, 1.5)"), ["0 2"]);
});

Deno.test("table.sort with comparator and invalid order function error", () => {
  assert.deepEqual(
    run(
      "local t = {3, 1, 2} table.sort(t, function(a, b) return a > b end) return table.concat(t, ',')",
    ),
    ["3,2,1"],
  );
  const [ok, msg] = run(`
    local t = {} for i = 1, 20 do t[i] = i % 5 end
    return pcall(table.sort, t, function() return true end)
  `);
  assert.equal(ok, false);
  assert.equal(msg, "invalid order function for sorting");
});

Deno.test("table.insert/remove/concat/maxn/getn; setn is obsolete", () => {
  assert.deepEqual(
    run(`
      local t = {}
      table.insert(t, "a") table.insert(t, 1, "b")
      local r = table.remove(t, 1)
      return table.concat(t, ","), r, table.maxn({[7] = 1}), table.getn({1, 2}), pcall(table.setn, {}, 1)
    `),
    ["a", "b", 7, 2, false, "'setn' is obsolete"],
  );
});

Deno.test("math library basics", () => {
  assert.deepEqual(
    run("return math.floor(-3.5), math.ceil(-3.5), math.max(1, 5, 3), math.fmod(-7, 3), math.huge"),
    [
      -4,
      -3,
      5,
      -1,
      Infinity,
    ],
  );
  assert.deepEqual(run("return math.modf(-3.5)"), [-3, -0.5]);
  assert.deepEqual(run("return math.frexp(8)"), [0.5, 4]);
});

Deno.test("math.random is Redis' deterministic lrand48 and reset per script", () => {
  const L = new LuaState();
  const f = L.load("return math.random(), math.random(100), math.random(5, 10)", "=r");
  const a = L.call(f, []);
  L.resetRandomSeed();
  const b = L.call(f, []);
  assert.deepEqual(a, b);
  // srand48(0); lrand48() == 366850414 (glibc agrees).
  assert.equal(a[0], 366850414 / 2147483647);
  const c = L.call(L.load("math.randomseed(42) return math.random()", "=r"), []);
  assert.equal(c[0], 1598855263 / 2147483647);
});

Deno.test("loadstring compiles chunks and reports syntax errors as values", () => {
  assert.deepEqual(run("return loadstring('return 1 + 1')()"), [2]);
  assert.deepEqual(run("return loadstring('x = ')"), [
    undefined,
    `[string "x = "]:1: unexpected symbol near '<eof>'`,
  ]);
});

Deno.test("_G, _VERSION, getfenv/setfenv", () => {
  assert.deepEqual(
    run(`
      local f = loadstring("return y")
      setfenv(f, {y = 5})
      return _VERSION, _G._G == _G, f(), getfenv(f).y
    `),
    ["Lua 5.1", true, 5, 5],
  );
});

Deno.test("print goes through onPrint with tab-separated tostring values", () => {
  assert.deepEqual(printed("print(1, nil, true, 'x')"), ["1\tnil\ttrue\tx"]);
});

Deno.test("the hook runs in loops and can abort with an uncatchable JS error", () => {
  const L = new LuaState();
  let ticks = 0;
  class Killed extends Error {}
  L.setHook(() => {
    if (++ticks > 10) throw new Killed("killed");
  }, 1000);
  const f = L.load("pcall(function() while true do end end) return 'caught'", "=k");
  assert.throws(() => L.call(f, []), Killed);
  L.setHook(undefined, 0);
  assert.deepEqual(L.call(L.load("return 1", "=k"), []), [1]);
});

Deno.test("the hook also runs in recursive calls and inside coroutines", () => {
  const L = new LuaState();
  let ticks = 0;
  L.setHook(() => {
    ticks++;
  }, 100);
  L.call(
    L.load(
      `local function f(n) if n == 0 then return 0 end return f(n - 1) + 1 end
       for i = 1, 100 do f(50) end
       local co = coroutine.wrap(function() for i = 1, 10000 do coroutine.yield(i) end end)
       for i = 1, 10000 do co() end`,
      "=h",
    ),
    [],
  );
  L.setHook(undefined, 0);
  assert.ok(ticks > 100, `hook ran ${ticks} times`);
});

Deno.test("a hook throwing LuaError is catchable by pcall", () => {
  const L = new LuaState();
  let armed = true;
  L.setHook(() => {
    if (armed) {
      armed = false;
      throw new LuaError("timeout");
    }
  }, 10);
  const r = L.call(L.load("return pcall(function() for i = 1, 1000 do end end)", "=h"), []);
  L.setHook(undefined, 0);
  assert.deepEqual(r, [false, "timeout"]);
});

Deno.test("deep recursion becomes a catchable 'stack overflow' error", () => {
  const [ok, msg] = run("local function f() return 1 + f() end return pcall(f)");
  assert.equal(ok, false);
  assert.match(msg as string, /stack overflow/);
});

Deno.test("readonly tables refuse assignment", () => {
  const L = new LuaState();
  const t = new LuaTable();
  t.readonly = true;
  L.globals.set("ro", t);
  const r = L.call(L.load("return pcall(function() ro.x = 1 end)", "@s"), []);
  assert.deepEqual(r, [false, "s:1: Attempt to modify a readonly table"]);
});

Deno.test("protectGlobals('readonly') behaves like Redis 7 scripting", () => {
  const L = new LuaState();
  L.protectGlobals("readonly");
  const e1 = (() => {
    try {
      L.call(L.load("x = 1", "@user_script"), []);
    } catch (e) {
      return (e as LuaError).value;
    }
  })();
  assert.equal(e1, "user_script:1: Attempt to modify a readonly table");
  const e2 = (() => {
    try {
      L.call(L.load("return nosuch", "@user_script"), []);
    } catch (e) {
      return (e as LuaError).value;
    }
  })();
  assert.equal(
    e2,
    "user_script:1: Script attempted to access nonexistent global variable 'nosuch'",
  );
  assert.deepEqual(L.call(L.load("local t = {} t.a = 1 return t.a", "=ok"), []), [1]);
  assert.deepEqual(L.call(L.load("return pcall(function() string.x = 1 end)", "=s"), []), [
    false,
    "s:1: Attempt to modify a readonly table",
  ]);
});

Deno.test("protectGlobals('newindex') refuses global creation like Redis 6", () => {
  const L = new LuaState();
  L.protectGlobals("newindex");
  assert.deepEqual(
    L.call(L.load("return pcall(function() newglobal = 1 end)", "@user_script"), []),
    [
      false,
      "user_script:1: Script attempted to create global variable 'newglobal'",
    ],
  );
});

Deno.test("host can call Lua functions and pass native functions", () => {
  const L = new LuaState();
  L.globals.set("twice", new LuaFunction("twice", (a) => [(a[0] as number) * 2], true));
  const f = L.call(L.load("return function(x) return twice(x) + 1 end", "=h"), [])[0];
  assert.deepEqual(L.call(f, [20]), [41]);
});

Deno.test("binary strings keep bytes 0-255", () => {
  assert.deepEqual(run("local s = string.char(0, 200, 255) return #s, s:byte(1, 3)"), [
    3,
    0,
    200,
    255,
  ]);
});

Deno.test("gcinfo and collectgarbage('count') return plausible numbers", () => {
  const [a, b] = run("return gcinfo(), collectgarbage('count')");
  assert.equal(typeof a, "number");
  assert.ok((b as number) > 0);
});

Deno.test("tail calls do not grow the stack", () => {
  assert.deepEqual(
    run(
      "local function loop(n) if n == 0 then return 'done' end return loop(n - 1) end return loop(200000)",
    ),
    ["done"],
  );
});

Deno.test("comparison operands are evaluated left to right even for > and >=", () => {
  assert.deepEqual(
    printed("local function f(x) print(x) return x end local r = f(1) > f(2) print(r)"),
    ["1", "2", "false"],
  );
});

Deno.test("bytesToLua/luaToBytes round-trip binary data", async () => {
  const { bytesToLua, luaToBytes } = await import("../src/lua/mod.ts");
  const bytes = new Uint8Array([0, 1, 127, 128, 255]);
  const s = bytesToLua(bytes);
  assert.equal(s.length, 5);
  assert.deepEqual(luaToBytes(s), bytes);
  const L = new LuaState();
  assert.deepEqual(L.call(L.load("return #..., (...):byte(5)", "=b"), [s]), [5, 255]);
});

Deno.test("string.format rounds exact ties to even like glibc", () => {
  assert.deepEqual(run("return string.format('%.0f %.0f %.2f %.1f', 2.5, 3.5, 0.125, 0.25)"), [
    "2 4 0.12 0.2",
  ]);
  assert.deepEqual(run("return tostring(12345678901234.5)"), ["12345678901234"]);
});

Deno.test("bad argument names follow the call site (global, local, method, pcall)", () => {
  assert.equal(
    runError("local f = string.rep\nf()"),
    "user_script:2: bad argument #1 to 'f' (string expected, got no value)",
  );
  assert.equal(
    runError("local s = 'x'\ns:rep()"),
    "user_script:2: bad argument #1 to 'rep' (number expected, got no value)",
  );
  assert.deepEqual(run("return pcall(string.rep)"), [
    false,
    "bad argument #1 to '?' (string expected, got no value)",
  ]);
});

Deno.test("pairs visits string keys in lua5.1's hash order", () => {
  assert.deepEqual(
    printed(
      `local o = {} for k in pairs({a = 1, b = 2, c = 3}) do o[#o + 1] = k end print(table.concat(o, " "))`,
    ),
    ["a c b"],
  );
});

Deno.test("error levels skip native frames such as table.sort", () => {
  assert.deepEqual(
    run("local ok, e = pcall(table.sort, {2, 1}, function() error('cmp', 2) end) return e"),
    ["cmp"],
  );
});

Deno.test("a JS stack overflow or huge string becomes a catchable Lua error", () => {
  const [ok, msg] = run(
    "local s = string.rep('x', 2^27) return pcall(function() for i = 1, 10 do s = s .. s end end)",
  );
  assert.equal(ok, false);
  assert.equal(msg, "not enough memory");
});

Deno.test("a hook abort inside a coroutine leaves the state usable", () => {
  const L = new LuaState();
  class Killed extends Error {}
  let ticks = 0;
  L.setHook(() => {
    if (++ticks > 5) throw new Killed("killed");
  }, 100);
  const f = L.load(
    "local co = coroutine.wrap(function() while true do end end) pcall(co) return 'unreachable'",
    "=k",
  );
  try {
    assert.throws(() => L.call(f, []), Killed);
  } finally {
    L.setHook(undefined, 0);
  }
  assert.deepEqual(
    L.call(L.load("return coroutine.running(), select('#', 1, 2)", "=k2"), []),
    [undefined, 2],
  );
});
