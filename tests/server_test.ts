import { deepStrictEqual, match, ok, rejects, strictEqual } from "node:assert/strict";
import { Redis } from "ioredis";
import { bytesToHuman, infoSections } from "../src/commands/info.ts";
import { keyMemoryUsage } from "../src/commands/memory.ts";
import { mallocSize } from "../src/types/malloc.ts";
import { RawString, type TypedValue } from "../src/store/value.ts";
import { RawClient, startServer, type TestServer } from "./_server.ts";

/** Runs `fn` with a fresh server and a connected ioredis client. */
async function withServer(
  fn: (r: Redis, t: TestServer) => Promise<void>,
  settings: Record<string, string> = {},
): Promise<void> {
  const t = startServer(settings);
  const r = new Redis({ port: t.port, lazyConnect: true, retryStrategy: () => null });
  await r.connect();
  try {
    await fn(r, t);
  } finally {
    r.disconnect();
    await t.close();
  }
}

/** Sends raw `request` and reads exactly `expected.length` bytes back. */
async function rawExchange(port: number, request: string, expected: string): Promise<string> {
  const c = await RawClient.connect(port);
  try {
    await c.send(request);
    return await c.read(expected);
  } finally {
    c.close();
  }
}

function infoFields(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0 && !line.startsWith("#")) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

function headers(text: string): string[] {
  return text.split("\r\n").filter((l) => l.startsWith("# "));
}

// ---- INFO

Deno.test("INFO default, all and everything pick Redis's sections in Redis's order", async () => {
  await withServer(async (r) => {
    const dflt = [
      "# Server",
      "# Clients",
      "# Memory",
      "# Persistence",
      "# Stats",
      "# Replication",
      "# CPU",
      "# Modules",
      "# Errorstats",
      "# Cluster",
      "# Keyspace",
    ];
    const all = [...dflt];
    all.splice(8, 0, "# Commandstats");
    all.splice(10, 0, "# Latencystats");
    deepStrictEqual(headers(await r.info()), dflt);
    deepStrictEqual(headers(await r.info("default")), dflt);
    deepStrictEqual(headers(await r.info("all")), all);
    deepStrictEqual(headers(await r.info("everything")), all);
    // Several sections come out once each, in the fixed order, whatever the argument order.
    deepStrictEqual(headers(await r.call("INFO", "keyspace", "CPU", "cpu") as string), [
      "# CPU",
      "# Keyspace",
    ]);
    deepStrictEqual(headers(await r.call("INFO", "cpu", "default") as string), dflt);
    strictEqual(await r.info("nosuchsection"), "");
    strictEqual(await r.info("modules"), "# Modules\r\n");
    strictEqual(await r.info("cluster"), "# Cluster\r\ncluster_enabled:0\r\n");
    const info = await r.info();
    ok(!info.includes("rejected_calls"));
    ok(!info.includes("sentinel_tilt"));
    ok((await r.info("all")).includes("rejected_calls"));
  });
});

Deno.test("INFO fields come from the server's real state", async () => {
  await withServer(async (r, t) => {
    const db0 = t.server.keyspace.dbs[0]!;
    db0.set("a", "1");
    db0.set("b", "2");
    db0.setExpire("b", Date.now() + 100_000);
    t.server.keyspace.dbs[3]!.set("c", "3");
    const f = infoFields(await r.info("all"));
    strictEqual(f.get("redis_version"), "7.0.15");
    strictEqual(f.get("redis_mode"), "standalone");
    strictEqual(f.get("tcp_port"), String(t.port));
    strictEqual(f.get("process_id"), String(Deno.pid));
    strictEqual(f.get("run_id"), t.server.runId);
    strictEqual(f.get("connected_clients"), "1");
    strictEqual(f.get("maxclients"), "10000");
    strictEqual(f.get("loading"), "0");
    strictEqual(f.get("role"), "master");
    strictEqual(f.get("cluster_enabled"), "0");
    strictEqual(f.get("db0"), "keys=2,expires=1,avg_ttl=0");
    strictEqual(f.get("db3"), "keys=1,expires=0,avg_ttl=0");
    strictEqual(f.has("db1"), false);
    match(f.get("master_replid")!, /^[0-9a-f]{40}$/);
    match(f.get("used_cpu_user")!, /^\d+\.\d{6}$/);
    ok(Number(f.get("used_memory")) > 0);
    strictEqual(f.get("used_memory_human"), bytesToHuman(Number(f.get("used_memory"))));
    match(f.get("mem_fragmentation_ratio")!, /^\d+\.\d\d$/);
    ok(Number(f.get("total_commands_processed")) >= 1);
    ok(Number(f.get("total_connections_received")) >= 1);
  });
});

Deno.test("INFO keyspace_hits/misses, commandstats and errorstats, reset by CONFIG RESETSTAT", async () => {
  await withServer(async (r) => {
    await r.config("RESETSTAT");
    await rejects(r.call("NOSUCHCOMMAND"));
    await rejects(r.call("CONFIG", "GET"));
    await rejects(r.call("CONFIG", "SET", "hz", "x"));
    await r.call("DEBUG", "POPULATE", "1");
    await r.call("MEMORY", "USAGE", "key:0");
    const stats = infoFields(await r.info("commandstats"));
    match(
      stats.get("cmdstat_config|get")!,
      /^calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0$/,
    );
    match(
      stats.get("cmdstat_config|set")!,
      /^calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=1$/,
    );
    match(stats.get("cmdstat_config|resetstat")!, /^calls=1,/);
    match(stats.get("cmdstat_debug")!, /^calls=1,/);
    ok(!stats.has("cmdstat_ping"));
    const errors = await r.info("errorstats");
    strictEqual(errors, "# Errorstats\r\nerrorstat_ERR:count=3\r\n");
    await r.config("RESETSTAT");
    strictEqual(await r.info("errorstats"), "# Errorstats\r\n");
    const after = infoFields(await r.info("commandstats"));
    // Only what ran since the reset: the reset itself and the INFO errorstats above.
    deepStrictEqual([...after.keys()], ["cmdstat_info", "cmdstat_config|resetstat"]);
    match(after.get("cmdstat_info")!, /^calls=1,/);
    strictEqual(infoFields(await r.info("stats")).get("total_error_replies"), "0");
  });
});

/** Connects and switches to RESP3, consuming the HELLO reply. */
async function resp3Client(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  await c.send("HELLO 3\r\n");
  // The HELLO map ends with its "modules" field, an empty array.
  let buf = "";
  while (!buf.endsWith("$7\r\nmodules\r\n*0\r\n")) buf += await c.readBytes(1);
  return c;
}

Deno.test("INFO is a bulk string in RESP2 and a verbatim string in RESP3", async () => {
  const t = startServer();
  try {
    const bulk = "$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n";
    strictEqual(await rawExchange(t.port, "INFO cluster\r\n", bulk), bulk);
    const c = await resp3Client(t.port);
    const verbatim = "=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n";
    await c.send("INFO cluster\r\n");
    strictEqual(await c.read(verbatim), verbatim);
    c.close();
  } finally {
    await t.close();
  }
});

Deno.test("infoSections expands default/all/everything and lowercases names", () => {
  deepStrictEqual([...infoSections(["CPU", "Keyspace"])], ["cpu", "keyspace"]);
  strictEqual(infoSections([]).has("commandstats"), false);
  strictEqual(infoSections(["everything"]).has("latencystats"), true);
});

// ---- TIME, LASTSAVE, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB

Deno.test("TIME returns seconds and microseconds, LASTSAVE the start time", async () => {
  await withServer(async (r, t) => {
    const [s, us] = await r.time();
    ok(Math.abs(Number(s) - Date.now() / 1000) < 5);
    ok(Number(us) >= 0 && Number(us) < 1_000_000);
    strictEqual(await r.lastsave(), t.server.lastSave);
  });
});

Deno.test("DBSIZE, FLUSHDB and FLUSHALL count and clear keys, with dirty accounting", async () => {
  await withServer(async (r, t) => {
    strictEqual(await r.dbsize(), 0);
    await r.call("DEBUG", "POPULATE", "3");
    t.server.keyspace.dbs[1]!.set("other", "x");
    strictEqual(await r.dbsize(), 3);
    const dirty = () =>
      r.info("persistence").then((i) => infoFields(i).get("rdb_changes_since_last_save"));
    strictEqual(await dirty(), "0");
    strictEqual(await r.flushdb(), "OK");
    strictEqual(await r.dbsize(), 0);
    strictEqual(await dirty(), "3");
    strictEqual(t.server.keyspace.dbs[1]!.size, 1);
    await rejects(r.call("FLUSHDB", "foo"), { message: "ERR syntax error" });
    await rejects(r.call("FLUSHDB", "ASYNC", "SYNC"), { message: "ERR syntax error" });
    strictEqual(await r.call("FLUSHDB", "async"), "OK");
    strictEqual(await r.call("FLUSHALL", "SYNC"), "OK");
    strictEqual(t.server.keyspace.dbs[1]!.size, 0);
    // Without save points FLUSHALL counts the keys it removed, like FLUSHDB.
    strictEqual(await dirty(), "4");
  });
});

Deno.test("SWAPDB exchanges databases and invalidates WATCH on both", async () => {
  await withServer(async (r, t) => {
    const ks = t.server.keyspace;
    ks.dbs[0]!.set("a", "1");
    ks.dbs[1]!.set("x", "1");
    ks.dbs[1]!.set("y", "2");
    const w = new Redis({ port: t.port, lazyConnect: true });
    await w.connect();
    try {
      await w.watch("a");
      strictEqual(await r.swapdb(0, 1), "OK");
      strictEqual(await r.dbsize(), 2);
      strictEqual(ks.dbs[1]!.data.get("a"), "1");
      const res = await w.multi().ping().exec();
      strictEqual(res, null);
    } finally {
      w.disconnect();
    }
    await rejects(r.swapdb(0, 16), { message: "ERR DB index is out of range" });
    await rejects(r.call("SWAPDB", "x", "1"), { message: "ERR invalid first DB index" });
    await rejects(r.call("SWAPDB", "0", "x"), { message: "ERR invalid second DB index" });
    await rejects(r.call("SWAPDB", "-1", "0"), { message: "ERR DB index is out of range" });
  });
});

// ---- SHUTDOWN

Deno.test("SHUTDOWN checks its arguments, refuses SAVE when it can't save, NOSAVE stops", async () => {
  // A data directory that disappears after startup makes the final save fail.
  const dir = await Deno.makeTempDir();
  const t = startServer({ dir });
  await Deno.remove(dir);
  const r = new Redis({ port: t.port, lazyConnect: true, retryStrategy: () => null });
  await r.connect();
  try {
    await rejects(r.call("SHUTDOWN", "foo"), { message: "ERR syntax error" });
    await rejects(r.call("SHUTDOWN", "SAVE", "NOSAVE"), { message: "ERR syntax error" });
    await rejects(r.call("SHUTDOWN", "ABORT", "NOW"), { message: "ERR syntax error" });
    await rejects(r.call("SHUTDOWN", "ABORT"), { message: "ERR No shutdown in progress." });
    await rejects(r.call("SHUTDOWN", "SAVE"), {
      message: "ERR Errors trying to SHUTDOWN. Check logs.",
    });
    r.call("SHUTDOWN", "NOSAVE").catch(() => {});
    await t.server.finished;
  } finally {
    r.disconnect();
    await t.close();
  }
});

// ---- MEMORY

Deno.test("MEMORY USAGE matches Redis's numbers for strings", async () => {
  await withServer(async (r, t) => {
    const db = t.server.keyspace.dbs[0]!;
    // Values from redis-server 7.0.15 (jemalloc) for the same keys and values.
    const cases: [string, string, number][] = [
      ["a", "1", 48],
      ["ab", "12345678901", 48],
      ["abc", "hello", 64],
      ["k44", "x".repeat(44), 96],
      ["k45", "x".repeat(45), 112],
      ["k100", "x".repeat(100), 160],
      ["k1000", "x".repeat(1000), 1072],
      ["longkeyname-with-more-than-thirty-two-bytes-in-it", "v", 120],
    ];
    for (const [k, v] of cases) db.set(k, v);
    for (const [k, , n] of cases) strictEqual(await r.call("MEMORY", "USAGE", k), n, k);
    strictEqual(await r.call("MEMORY", "USAGE", "abc", "SAMPLES", "0"), 64);
    strictEqual(await r.call("MEMORY", "USAGE", "nokey"), null);
    await rejects(r.call("MEMORY", "USAGE", "a", "SAMPLES", "-1"), { message: "ERR syntax error" });
    await rejects(r.call("MEMORY", "USAGE", "a", "SAMPLES", "x"), {
      message: "ERR value is not an integer or out of range",
    });
    await rejects(r.call("MEMORY", "USAGE", "a", "SAMPLES"), { message: "ERR syntax error" });
    strictEqual(await r.call("MEMORY", "PURGE"), "OK");
    strictEqual(
      await r.call("MEMORY", "MALLOC-STATS"),
      "Stats not supported for the current allocator",
    );
    const stats = await r.call("MEMORY", "STATS") as (string | number | unknown[])[];
    const names = stats.filter((_, i) => i % 2 === 0);
    strictEqual(names.length, 28);
    deepStrictEqual(names.slice(0, 11), [
      "peak.allocated",
      "total.allocated",
      "startup.allocated",
      "replication.backlog",
      "clients.slaves",
      "clients.normal",
      "cluster.links",
      "aof.buffer",
      "lua.caches",
      "functions.caches",
      "db.0",
    ]);
    strictEqual(stats[stats.indexOf("keys.count") + 1], cases.length);
    match(String(stats[stats.indexOf("fragmentation") + 1]), /^\d+(\.\d+)?$/);
    const help = await r.call("MEMORY", "HELP") as string[];
    strictEqual(help[0], "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  });
});

Deno.test("MEMORY USAGE estimates other types from their encoding and sampled elements", () => {
  strictEqual(mallocSize(49), 64);
  strictEqual(mallocSize(1006), 1024);
  strictEqual(mallocSize(129), 160);
  // A raw string is sized by its allocation.
  const raw = new RawString("hello", 0);
  strictEqual(keyMemoryUsage("app", raw, 5), 8 + 16 + 32 + 24);
  const set = (members: string[], encoding: string): TypedValue => ({
    type: "set",
    encoding: () => encoding,
    clone() {
      return this;
    },
    count: () => members.length,
    visit(fn) {
      for (const m of members) if (fn(m) === false) return;
    },
  });
  // Redis 7.0.15: SADD s2 a b c (hashtable) uses 232 bytes, SADD s 1 2 3 (intset) 64.
  strictEqual(keyMemoryUsage("s2", set(["a", "b", "c"], "hashtable"), 5), 232);
  strictEqual(keyMemoryUsage("s", set(["1", "2", "3"], "intset"), 5), 64);
  // Sampling scales: a large set costs about count × the sampled element size.
  const big = set(Array.from({ length: 1000 }, (_, i) => `member:${i}`), "hashtable");
  const sampled = keyMemoryUsage("big", big, 5);
  const full = keyMemoryUsage("big", big, 0);
  ok(Math.abs(sampled - full) / full < 0.05, `${sampled} vs ${full}`);
});

// ---- DEBUG

Deno.test("DEBUG PROTOCOL replies every RESP type, RESP2 and RESP3 shapes", async () => {
  const t = startServer();
  try {
    const resp2: [string, string][] = [
      ["string", "$11\r\nHello World\r\n"],
      ["integer", ":12345\r\n"],
      ["double", "$5\r\n3.141\r\n"],
      ["bignum", "$37\r\n1234567999999999999999999999999999999\r\n"],
      ["null", "$-1\r\n"],
      ["array", "*3\r\n:0\r\n:1\r\n:2\r\n"],
      ["set", "*3\r\n:0\r\n:1\r\n:2\r\n"],
      ["map", "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n"],
      ["attrib", "$39\r\nSome real reply following the attribute\r\n"],
      ["push", "-ERR RESP2 is not supported by this command\r\n"],
      ["verbatim", "$25\r\nThis is a verbatim\nstring\r\n"],
      ["true", ":1\r\n"],
      ["false", ":0\r\n"],
    ];
    for (const [type, want] of resp2) {
      strictEqual(await rawExchange(t.port, `DEBUG PROTOCOL ${type}\r\n`, want), want, type);
    }
    const resp3: [string, string][] = [
      ["double", ",3.141\r\n"],
      ["bignum", "(1234567999999999999999999999999999999\r\n"],
      ["null", "_\r\n"],
      ["set", "~3\r\n:0\r\n:1\r\n:2\r\n"],
      ["map", "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"],
      [
        "attrib",
        "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n" +
        "$39\r\nSome real reply following the attribute\r\n",
      ],
      [
        "push",
        ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n",
      ],
      ["verbatim", "=29\r\ntxt:This is a verbatim\nstring\r\n"],
      ["true", "#t\r\n"],
    ];
    for (const [type, want] of resp3) {
      const c = await resp3Client(t.port);
      await c.send(`DEBUG PROTOCOL ${type}\r\n`);
      strictEqual(await c.read(want), want, type);
      c.close();
    }
    const bad = "-ERR Wrong protocol type name. Please use one of the following: " +
      "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n";
    strictEqual(await rawExchange(t.port, "DEBUG PROTOCOL foo\r\n", bad), bad);
  } finally {
    await t.close();
  }
});

Deno.test("DEBUG DIGEST and DIGEST-VALUE match Redis's SHA1 digests", async () => {
  await withServer(async (r, t) => {
    const zeros = "0".repeat(40);
    strictEqual(await r.call("DEBUG", "DIGEST"), zeros);
    const db = t.server.keyspace.dbs[0]!;
    db.set("a", "1");
    db.set("e", "hello");
    db.setExpire("e", Date.now() + 100_000);
    // Digests computed by redis-server 7.0.15 for the same data.
    deepStrictEqual(await r.call("DEBUG", "DIGEST-VALUE", "a", "e", "nokey"), [
      "b4fc66738120fba0b5aa500ab5c2bf89cea1c5da",
      "d037c4eb8a8b36b602fbced4000daeab0714c1e3",
      zeros,
    ]);
    const before = await r.call("DEBUG", "DIGEST");
    match(before as string, /^[0-9a-f]{40}$/);
    // Order of insertion does not matter; content does.
    db.clear();
    db.set("e", "hello");
    db.setExpire("e", Date.now() + 100_000);
    db.set("a", "1");
    strictEqual(await r.call("DEBUG", "DIGEST"), before);
    db.set("a", "2");
    ok(await r.call("DEBUG", "DIGEST") !== before);
  });
});

Deno.test("DEBUG OBJECT, POPULATE, SLEEP, SET-ACTIVE-EXPIRE, ERROR and errors", async () => {
  await withServer(async (r, t) => {
    strictEqual(await r.call("DEBUG", "POPULATE", "2", "pre", "10"), "OK");
    strictEqual(t.server.keyspace.dbs[0]!.data.get("pre:1"), "value:1\0\0\0");
    match(
      await r.call("DEBUG", "OBJECT", "pre:1") as string,
      /^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:11 lru:\d+ lru_seconds_idle:\d+$/,
    );
    t.server.keyspace.dbs[0]!.set("n", "7");
    match(
      await r.call("DEBUG", "OBJECT", "n") as string,
      /refcount:2147483647 encoding:int serializedlength:2 /,
    );
    await rejects(r.call("DEBUG", "OBJECT", "nokey"), { message: "ERR no such key" });
    await rejects(r.call("DEBUG", "POPULATE", "-1"), {
      message: "ERR value is out of range, must be positive",
    });
    const start = performance.now();
    strictEqual(await r.call("DEBUG", "SLEEP", "0.05"), "OK");
    ok(performance.now() - start >= 45);
    strictEqual(await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"), "OK");
    strictEqual(t.server.keyspace.activeExpireEnabled, false);
    strictEqual(await r.call("DEBUG", "SET-ACTIVE-EXPIRE", "1"), "OK");
    strictEqual(t.server.keyspace.activeExpireEnabled, true);
    await rejects(r.call("DEBUG", "ERROR", "MYERR something"), { message: "MYERR something" });
    await rejects(r.call("DEBUG", "SLEEP"), {
      message: "ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.",
    });
    await rejects(r.call("DEBUG"), {
      message: "ERR wrong number of arguments for 'debug' command",
    });
    const repl = () => r.info("replication").then((i) => infoFields(i).get("master_replid"));
    const id = await repl();
    strictEqual(await r.call("DEBUG", "CHANGE-REPL-ID"), "OK");
    ok(id !== await repl());
  });
});

Deno.test("DEBUG follows enable-debug-command: no refuses, local allows loopback", async () => {
  const refused = "ERR DEBUG command not allowed. If the enable-debug-command option is set to " +
    '"local", you can run it from a local connection, otherwise you need to set this option ' +
    "in the configuration file, and then restart the server.";
  await withServer(async (r) => {
    await rejects(r.call("DEBUG", "HELP"), { message: refused });
  }, { "enable-debug-command": "no" });
  await withServer(async (r) => {
    const help = await r.call("DEBUG", "HELP") as string[];
    strictEqual(help[0], "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  }, { "enable-debug-command": "local" });
});

Deno.test("CONFIG SET timeout closes idle clients", async () => {
  await withServer(async (r, t) => {
    const idle = await RawClient.connect(t.port);
    await r.config("SET", "timeout", "1");
    const start = Date.now();
    const rest = await idle.readToEnd(4000);
    strictEqual(rest, "");
    ok(Date.now() - start >= 500);
    idle.close();
  });
});
