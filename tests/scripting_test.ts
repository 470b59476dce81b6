/**
 * Scripting and functions behaviour checked against Redis 7.0.15: EVAL conversions and
 * errors, the sandbox, frozen time, error statistics, declared flags, FUNCTION LOAD/RESTORE
 * and FCALL (see also conformance/cases/scripting.txt).
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Redis } from "ioredis";
import { sha1hex } from "../src/commands/lua_bridge.ts";
import { client, expectRaw, hello3, RawClient, startServer, type TestServer } from "./_server.ts";

/** Runs `body` with a fresh server, an ioredis client and a raw client. */
async function withServer(
  body: (t: TestServer, r: Redis, raw: RawClient) => Promise<void>,
  settings: Record<string, string> = {},
): Promise<void> {
  const t = startServer(settings);
  const r = await client(t);
  const raw = await RawClient.connect(t.port);
  try {
    await body(t, r, raw);
  } finally {
    raw.close();
    r.disconnect();
    await t.close();
  }
}

/** The error message of a rejected ioredis call. */
async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

Deno.test("scripting: ioredis defineCommand runs through EVALSHA, loading on NOSCRIPT", async () => {
  await withServer(async (_t, r) => {
    r.defineCommand("getset2", {
      numberOfKeys: 1,
      lua: "local old = redis.call('get', KEYS[1]) redis.call('set', KEYS[1], ARGV[1]) return old",
    });
    // deno-lint-ignore no-explicit-any -- defineCommand adds methods ioredis cannot type
    const rr = r as any;
    strictEqual(await rr.getset2("k", "a"), null);
    strictEqual(await rr.getset2("k", "b"), "a");
    await r.script("FLUSH");
    strictEqual(await rr.getset2("k", "c"), "b");
    const sha = await r.script("LOAD", "return ARGV[1]") as string;
    strictEqual(await r.evalsha(sha, 0, "x"), "x");
    strictEqual(await r.evalsha(sha.toUpperCase(), 0, "y"), "y");
    deepStrictEqual(await r.script("EXISTS", sha, "f".repeat(40)), [1, 0]);
  });
});

Deno.test("scripting: numbers passed to redis.call keep %.17g precision", async () => {
  await withServer(async (_t, r, raw) => {
    strictEqual(
      await r.eval(
        "redis.call('set', KEYS[1], 9007199254740991) return redis.call('get', KEYS[1])",
        1,
        "n",
      ),
      "9007199254740991",
    );
    deepStrictEqual(
      await r.eval(
        "local z = -0.0 return {redis.call('echo', 0.1), redis.call('echo', math.huge), redis.call('echo', z), redis.sha1hex(0.1)}",
        0,
      ),
      ["0.10000000000000001", "inf", "-0", "180505679cfe0cca79bae51fdda0296b7cd9c493"],
    );
    await expectRaw(
      raw,
      ["EVAL", "return redis.call('echo', 123456789012345678)", "0"],
      "$22\r\n1.2345678901234568e+17\r\n",
    );
  });
});

Deno.test("scripting: XREAD/XREADGROUP BLOCK are refused from scripts", async () => {
  await withServer(async (_t, _r, raw) => {
    await expectRaw(
      raw,
      ["EVAL", "return redis.pcall('xread','BLOCK',0,'STREAMS','s','$')", "1", "s"],
      "-ERR xread command is not allowed with BLOCK option from scripts\r\n",
    );
    await expectRaw(
      raw,
      [
        "EVAL",
        "return redis.pcall('XREADGROUP','GROUP','g','c','BLOCK',0,'STREAMS','s','>')",
        "1",
        "s",
      ],
      "-ERR XREADGROUP command is not allowed with BLOCK option from scripts\r\n",
    );
    await expectRaw(
      raw,
      ["EVAL", "return redis.pcall('xread','STREAMS','s','$')", "1", "s"],
      "$-1\r\n",
    );
  });
});

Deno.test("scripting: a self-nested table replies nested arrays up to the Lua stack limit", async () => {
  await withServer(async (_t, r, raw) => {
    await raw.command("EVAL", "local a = {}; local b = {a}; a[1] = b; return a", "0");
    const expected = "*1\r\n".repeat(7995) + "-ERR reached lua stack limit\r\n";
    strictEqual(await raw.read(expected), expected);
    await expectRaw(raw, ["PING"], "+PONG\r\n");
    const many =
      "local a = {} for i = 1, 7999 do a[i] = 1 end return redis.call('lpush', 'l', unpack(a))";
    strictEqual(await r.eval(many, 0), 7999);
  });
});

Deno.test("scripting: global protection errors are Redis's", async () => {
  await withServer(async (_t, _r, raw) => {
    const cases: [string, string][] = [
      ["setmetatable(_G, {})", "ERR Attempt to modify a readonly table"],
      ["rawset(_G, 'a', 1)", "ERR Attempt to modify a readonly table"],
      [
        "local g = getmetatable(_G)\ng.__index = {}",
        "ERR user_script:2: Attempt to modify a readonly table",
      ],
      ["redis = 1", "ERR user_script:1: Attempt to modify a readonly table"],
      ["cmsgpack.pack = 1", "ERR user_script:1: Attempt to modify a readonly table"],
      [
        "print('x')",
        "ERR user_script:1: Script attempted to access nonexistent global variable 'print'",
      ],
      [
        "loadfile('x')",
        "ERR user_script:1: Script attempted to access nonexistent global variable 'loadfile'",
      ],
    ];
    for (const [body, msg] of cases) {
      await raw.command("EVAL", body, "0");
      const line = body.includes("\n") ? 2 : 1;
      const expected = `-${msg} script: ${sha1hex(body)}, on @user_script:${line}.\r\n`;
      strictEqual(await raw.read(expected), expected, body);
    }
    // The protection stays in place after an attempt.
    await expectRaw(
      raw,
      ["EVAL", "return {pcall(setmetatable, _G, {})}", "0"],
      "*2\r\n$-1\r\n$34\r\nAttempt to modify a readonly table\r\n",
    );
    await raw.command("EVAL", "return nosuch", "0");
    const msg = await raw.readBytes(4);
    strictEqual(msg, "-ERR");
  });
});

Deno.test("scripting: error position comes from the erroring line", async () => {
  await withServer(async (_t, r) => {
    const body = "local x = 1\nredis.call('nosuchcommand')";
    strictEqual(
      await errorOf(r.eval(body, 0)),
      `ERR Unknown Redis command called from script script: ${sha1hex(body)}, on @user_script:2.`,
    );
  });
});

Deno.test("scripting: time is frozen while a script runs", async () => {
  await withServer(async (_t, r) => {
    const body = "redis.call('set', 'key', 'v', 'PX', 1) local s = redis.call('time') " +
      "repeat local n = redis.call('time') until (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > 5000 " +
      "return redis.call('exists', 'key')";
    strictEqual(await r.eval(body, 0), 1);
    strictEqual(await r.exists("key"), 0);
  });
});

Deno.test("scripting: DEBUG SET-DISABLE-DENY-SCRIPTS lets scripts call noscript commands", async () => {
  await withServer(async (_t, r) => {
    ok(
      (await errorOf(r.eval("return redis.call('debug', 'sleep', 0)", 0))).includes("not allowed"),
    );
    strictEqual(await r.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1"), "OK");
    strictEqual(await r.eval("return redis.call('debug', 'sleep', 0)", 0), "OK");
    strictEqual(await r.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0"), "OK");
    ok(
      (await errorOf(r.eval("return redis.call('debug', 'sleep', 0)", 0))).includes("not allowed"),
    );
  }, { "enable-debug-command": "yes" });
});

Deno.test("scripting: shebang flags are parsed with quotes", async () => {
  await withServer(async (_t, r) => {
    strictEqual(await r.eval('#!lua flags="no-writes"\nreturn 1', 0), 1);
    strictEqual(
      await errorOf(r.eval('#!lua flags="no-writes\nreturn 1', 0)),
      "ERR Invalid engine in script shebang",
    );
  });
});

Deno.test("functions: FCALL names are case-insensitive", async () => {
  await withServer(async (_t, r) => {
    strictEqual(
      await r.call(
        "FUNCTION",
        "LOAD",
        "#!lua name=lib\nredis.register_function('test', function() return 'hi' end)",
      ),
      "lib",
    );
    strictEqual(await r.call("FCALL", "TEST", "0"), "hi");
    strictEqual(await r.call("FCALL", "tEsT", "0"), "hi");
    strictEqual(
      await errorOf(
        r.call(
          "FUNCTION",
          "LOAD",
          "#!lua name=lib2\nredis.register_function('TEST', function() return 1 end)",
        ),
      ),
      "ERR Function TEST already exists",
    );
    strictEqual(await r.call("FUNCTION", "DELETE", "lib"), "OK");
    strictEqual(await errorOf(r.call("FCALL", "test", "0")), "ERR Function not found");
  });
});

Deno.test("functions: load errors as Redis words them", async () => {
  await withServer(async (_t, r) => {
    const load = (code: string) => r.call("FUNCTION", "LOAD", "REPLACE", code);
    strictEqual(
      await errorOf(load("#!lua name=l\nlocal a = 1\nwhile 1 do a = a + 1 end")),
      "ERR Error registering functions: ERR FUNCTION LOAD timeout",
    );
    strictEqual(
      await errorOf(
        load(
          "#!lua name=l\nredis.register_function{function_name=function() end, callback=function() end}",
        ),
      ),
      "ERR Error registering functions: ERR function_name argument given to redis.register_function must be a string",
    );
    strictEqual(
      await errorOf(
        load("#!lua name=l\nredis.register_function{function_name='f', callback='bad'}"),
      ),
      "ERR Error registering functions: ERR callback argument given to redis.register_function must be a function",
    );
    strictEqual(
      await errorOf(load("#!lua name=a name=b\nredis.register_function('f', function() end)")),
      "ERR Invalid metadata value, name argument was given multiple times",
    );
    strictEqual(
      await errorOf(load("#!lua name=\"a\nredis.register_function('f', function() end)")),
      "ERR Invalid library metadata",
    );
    strictEqual(
      await load("#!lua name=\"quoted\"\nredis.register_function('qf', function() end)"),
      "quoted",
    );
    strictEqual(await errorOf(load("#!\nreturn 1")), "ERR Library name was not given");
  });
});

Deno.test("functions: FLUSH/RESTORE argument errors and RESTORE collisions", async () => {
  await withServer(async (_t, r) => {
    strictEqual(
      await errorOf(r.call("FUNCTION", "FLUSH", "bad")),
      "ERR FUNCTION FLUSH only supports SYNC|ASYNC option",
    );
    strictEqual(
      await errorOf(r.call("FUNCTION", "flush", "sync", "extra")),
      "ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.",
    );
    strictEqual(
      await errorOf(r.call("FUNCTION", "restore", "a", "b", "c")),
      "ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.",
    );
    await r.call(
      "FUNCTION",
      "LOAD",
      "#!lua name=lib1\nredis.register_function('f1', function() return 1 end)",
    );
    const payload = await r.callBuffer("FUNCTION", "DUMP") as Buffer;
    strictEqual(
      await errorOf(r.call("FUNCTION", "RESTORE", payload)),
      "ERR Library lib1 already exists",
    );
    strictEqual(await r.call("FUNCTION", "RESTORE", payload, "REPLACE"), "OK");
    strictEqual(await r.call("FUNCTION", "FLUSH"), "OK");
    await r.call(
      "FUNCTION",
      "LOAD",
      "#!lua name=lib2\nredis.register_function('f1', function() return 2 end)",
    );
    strictEqual(
      await errorOf(r.call("FUNCTION", "RESTORE", payload)),
      "ERR Function f1 already exists",
    );
    strictEqual(await r.call("FCALL", "f1", "0"), 2);
  });
});

Deno.test("functions: a function's errors name the function", async () => {
  await withServer(async (_t, r) => {
    await r.call(
      "FUNCTION",
      "LOAD",
      "#!lua name=lib\nredis.register_function('bad', function()\n  return redis.call('nosuch')\nend)",
    );
    await rejects(
      r.call("FCALL", "bad", "0"),
      /ERR Unknown Redis command called from script script: bad, on @user_function:3\./,
    );
  });
});

Deno.test("scripting: redis.error_reply adds ERR to messages without a code", async () => {
  await withServer(async (_t, _r, raw) => {
    const cases: [string, string][] = [
      ["return redis.error_reply('')", "-ERR \r\n"],
      ["return redis.error_reply('x')", "-ERR x\r\n"],
      ["return redis.error_reply('--x')", "-ERR -x\r\n"],
      ["return redis.error_reply(' x')", "- x\r\n"],
      ["return redis.error_reply('-MY x')", "-MY x\r\n"],
      ["return redis.error_reply()", "-ERR wrong number or type of arguments\r\n"],
      ["return {err = '-MY x'}", "--MY x\r\n"],
      ["return {err = 'MY\\nx'}", "-MY x\r\n"],
      ["return redis.sha1hex({})", "$40\r\nda39a3ee5e6b4b0d3255bfef95601890afd80709\r\n"],
      ["return redis.log(1.5, 'x')", "$-1\r\n"],
    ];
    for (const [body, expected] of cases) await expectRaw(raw, ["EVAL", body, "0"], expected);
    const raised: [string, string][] = [
      ["redis.sha1hex()", "ERR wrong number of arguments"],
      ["redis.log()", "ERR redis.log() requires two arguments or more."],
      ["redis.log('x', 'y')", "ERR First argument must be a number (log level)."],
      ["redis.set_repl()", "ERR redis.set_repl() requires two arguments."],
    ];
    for (const [body, msg] of raised) {
      const expected = `-${msg} script: ${sha1hex(body)}, on @user_script:1.\r\n`;
      await expectRaw(raw, ["EVAL", body, "0"], expected);
    }
  });
});

Deno.test("scripting: a command's error inside a script is counted once", async () => {
  await withServer(async (_t, r) => {
    const errorstats = async () =>
      (await r.info("errorstats")).split("\r\n").slice(1).join(" ").trim();
    await r.config("RESETSTAT");
    await errorOf(r.eval("return redis.call('select', 99)", 0));
    strictEqual(await errorstats(), "errorstat_ERR:count=1");
    strictEqual(
      await r.eval("return redis.pcall('select', 99).err", 0),
      "ERR DB index is out of range",
    );
    strictEqual(await errorstats(), "errorstat_ERR:count=2");
    await errorOf(r.eval("return redis.pcall('select', 99)", 0));
    strictEqual(await errorstats(), "errorstat_ERR:count=3");
    await errorOf(r.eval("return redis.error_reply('MY_CODE custom')", 0));
    strictEqual(await errorstats(), "errorstat_ERR:count=3 errorstat_MY_CODE:count=1");
    await r.config("RESETSTAT");
    await errorOf(r.call("EVAL_RO", "return redis.call('set', 'x', 'y')", "1", "x"));
    const stats = await r.info("commandstats");
    ok(/cmdstat_set:calls=0,.*rejected_calls=1,failed_calls=0/.test(stats), stats);
    ok(/cmdstat_eval_ro:calls=1,.*rejected_calls=0,failed_calls=1/.test(stats), stats);
    strictEqual(await errorstats(), "errorstat_ERR:count=1");
  });
});

Deno.test("scripting: declared flags against maxmemory, _RO commands and min-replicas", async () => {
  await withServer(async (_t, r) => {
    await r.set("x", "v");
    strictEqual(
      await errorOf(r.call("EVAL_RO", "#!lua\nreturn 1", "0")),
      "ERR Can not execute a script with write flag using *_ro command.",
    );
    await r.config("SET", "min-replicas-to-write", "1");
    strictEqual(await r.eval("#!lua flags=no-writes\nreturn redis.call('get', 'x')", 0), "v");
    strictEqual(await r.eval("return redis.call('get', 'x')", 0), "v");
    strictEqual(
      await errorOf(r.eval("#!lua\nreturn 1", 0)),
      "NOREPLICAS Not enough good replicas to write.",
    );
    ok((await errorOf(r.eval("return redis.call('set', 'x', 1)", 0))).startsWith("NOREPLICAS "));
    await r.config("SET", "min-replicas-to-write", "0");
    await r.call(
      "FUNCTION",
      "LOAD",
      "#!lua name=l\nredis.register_function('f', function() return 1 end)",
    );
    await r.config("SET", "maxmemory", "1");
    const oom = "OOM command not allowed when used memory > 'maxmemory'.";
    strictEqual(await errorOf(r.eval("#!lua\nreturn 1", 0)), oom);
    strictEqual(await errorOf(r.call("FCALL", "f", "0")), oom);
    strictEqual(await r.eval("#!lua flags=allow-oom\nreturn 1", 0), 1);
    strictEqual(await r.eval("return 1", 0), 1);
    await r.config("SET", "maxmemory", "0");
  });
});

Deno.test("scripting: booleans are RESP3 booleans after redis.setresp(3)", async () => {
  await withServer(async (_t, _r, raw) => {
    await expectRaw(
      raw,
      ["EVAL", "redis.setresp(3) return {true, false}", "0"],
      "*2\r\n:1\r\n:0\r\n",
    );
    await expectRaw(raw, ["EVAL", "return {true, false}", "0"], "*2\r\n:1\r\n$-1\r\n");
    await hello3(raw);
    await expectRaw(
      raw,
      ["EVAL", "redis.setresp(3) return {true, false}", "0"],
      "*2\r\n#t\r\n#f\r\n",
    );
    await expectRaw(raw, ["EVAL", "return {true, false}", "0"], "*2\r\n:1\r\n_\r\n");
  });
});

Deno.test("scripting: SORT BY a constant sorts a set for scripts; INFO counts scripts", async () => {
  await withServer(async (_t, r) => {
    await r.sadd("s", "b", "aa", "c", "a");
    deepStrictEqual(await r.eval("return redis.call('sort', KEYS[1], 'by', 'nosort')", 1, "s"), [
      "a",
      "aa",
      "b",
      "c",
    ]);
    ok((await r.info("memory")).includes("number_of_cached_scripts:1\r\n"));
    await r.script("FLUSH");
    ok((await r.info("memory")).includes("number_of_cached_scripts:0\r\n"));
  });
});

Deno.test("DEBUG RELOAD keeps function libraries; NOFLUSH without MERGE fails on a collision", async () => {
  const dir = await Deno.makeTempDir();
  const t = startServer({ dir });
  const r = await client(t);
  try {
    const lib = "#!lua name=keep\nredis.register_function('keep', function() return 'kept' end)";
    await r.call("FUNCTION", "LOAD", lib);
    await r.call("DEBUG", "RELOAD");
    strictEqual(await r.call("FCALL", "keep", "0"), "kept");
    await rejects(
      () => r.call("DEBUG", "RELOAD", "NOFLUSH"),
      /Error trying to load the RDB dump/,
    );
    await r.call("DEBUG", "RELOAD", "NOFLUSH", "MERGE");
    strictEqual(await r.call("FCALL", "keep", "0"), "kept");
  } finally {
    r.disconnect();
    await t.close();
    await Deno.remove(dir, { recursive: true });
  }
});
