/**
 * SLOWLOG, LATENCY, MONITOR and CLIENT PAUSE / UNPAUSE, over ioredis and raw RESP against an
 * in-process server, plus the pure helpers (argument trimming, redaction, quoting).
 */
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import type { Redis } from "ioredis";
import { client, fakePlatform, RawClient, startServer, type TestServer } from "./_server.ts";
import {
  redactedArgv,
  SLOWLOG_MAX_ARGC,
  SLOWLOG_MAX_STRING,
  slowlogArgv,
} from "../src/commands/slowlog.ts";
import { reprString } from "../src/commands/monitor.ts";
import {
  cumulativeBuckets,
  highestEquivalent,
  newHistogram,
  recordMicros,
  totalCount,
  valueAtPercentile,
} from "../src/commands/latency_histogram.ts";
import { latencyStatsLines } from "../src/commands/slowlog.ts";
import { Engine } from "../src/engine/engine.ts";
import { Config } from "../src/config/config.ts";
import { MemoryIO } from "../src/persistence/io.ts";
import { dispatch } from "../src/commands/dispatch.ts";
import type { Client } from "../src/commands/context.ts";

/** Runs `fn` with a fresh server and one ioredis client. */
async function withServer(
  fn: (r: Redis, t: TestServer) => Promise<void>,
  settings: Record<string, string> = {},
): Promise<void> {
  const t = startServer(settings);
  const r = await client(t);
  try {
    await fn(r, t);
  } finally {
    r.disconnect();
    await t.close();
  }
}

type Entry = [number, number, number, string[], string, string];

async function slowlog(r: Redis, ...count: string[]): Promise<Entry[]> {
  return await r.call("slowlog", "get", ...count) as Entry[];
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

// ---- SLOWLOG: pure helpers

Deno.test("slowlogArgv keeps 32 arguments and 128 bytes each, as Redis trims them", () => {
  const exact = Array.from({ length: SLOWLOG_MAX_ARGC }, (_, i) => `a${i}`);
  deepStrictEqual(slowlogArgv(exact), exact);
  const more = [...exact, "x", "y"];
  const trimmed = slowlogArgv(more);
  strictEqual(trimmed.length, SLOWLOG_MAX_ARGC);
  strictEqual(trimmed[30], "a30");
  strictEqual(trimmed[31], "... (3 more arguments)");
  strictEqual(slowlogArgv([...exact, "x"])[31], "... (2 more arguments)");
  const long = "A".repeat(SLOWLOG_MAX_STRING);
  deepStrictEqual(slowlogArgv(["set", long]), ["set", long]);
  deepStrictEqual(slowlogArgv(["set", long + "BC"]), ["set", `${long}... (2 more bytes)`]);
});

Deno.test("redactedArgv hides AUTH, HELLO AUTH, sensitive CONFIG SET values and ACL rules", () => {
  deepStrictEqual(redactedArgv(["AUTH", "u", "p"]), ["AUTH", "(redacted)", "(redacted)"]);
  deepStrictEqual(redactedArgv(["hello", "3", "AUTH", "u", "p", "SETNAME", "n"]), [
    "hello",
    "3",
    "AUTH",
    "(redacted)",
    "(redacted)",
    "SETNAME",
    "n",
  ]);
  deepStrictEqual(redactedArgv(["config", "set", "masterauth", "s", "maxmemory", "1"]), [
    "config",
    "set",
    "masterauth",
    "(redacted)",
    "maxmemory",
    "1",
  ]);
  deepStrictEqual(redactedArgv(["acl", "setuser", "u", "+get"]), [
    "acl",
    "setuser",
    "(redacted)",
    "(redacted)",
  ]);
  const plain = ["set", "k", "v"];
  strictEqual(redactedArgv(plain), plain);
});

// ---- SLOWLOG over the wire

Deno.test("SLOWLOG logs commands over the threshold with Redis's entry fields", async () => {
  await withServer(async (r) => {
    await r.client("SETNAME", "tester");
    await r.config("SET", "slowlog-log-slower-than", "0");
    await r.call("slowlog", "reset");
    await r.set("k", "v");
    const entries = await slowlog(r);
    // Newest first: SET, then SLOWLOG RESET (CONFIG SET ran before the reset).
    strictEqual(entries.length, 2);
    const [id, time, duration, argv, addr, name] = entries[0]!;
    deepStrictEqual(argv, ["set", "k", "v"]);
    strictEqual(entries[1]![0], id - 1);
    ok(Math.abs(time - Date.now() / 1000) < 5);
    ok(Number.isInteger(duration) && duration >= 0);
    match(addr, /^127\.0\.0\.1:\d+$/);
    strictEqual(name, "tester");
    strictEqual(await r.call("slowlog", "len"), 3);
    // Ids keep counting after a reset.
    await r.call("slowlog", "reset");
    const after = await slowlog(r);
    ok(after[0]![0] > id);
  });
});

Deno.test("SLOWLOG threshold: commands faster than it are not logged, -1 disables", async () => {
  await withServer(async (r) => {
    await r.config("SET", "slowlog-log-slower-than", "100000");
    await r.call("slowlog", "reset");
    await r.ping();
    strictEqual(await r.call("slowlog", "len"), 0);
    await r.call("debug", "sleep", "0.11");
    const [e] = await slowlog(r);
    deepStrictEqual(e![3], ["debug", "sleep", "0.11"]);
    ok(e![2] >= 100000);
    await r.config("SET", "slowlog-log-slower-than", "-1");
    await r.call("slowlog", "reset");
    await r.call("debug", "sleep", "0.01");
    strictEqual(await r.call("slowlog", "len"), 0);
  });
});

Deno.test("slowlog-max-len bounds the log, also when lowered at runtime", async () => {
  await withServer(async (r) => {
    await r.config("SET", "slowlog-log-slower-than", "0");
    await r.config("SET", "slowlog-max-len", "10");
    for (let i = 0; i < 50; i++) await r.ping();
    strictEqual(await r.call("slowlog", "len"), 10);
    strictEqual((await slowlog(r, "5")).length, 5);
    strictEqual((await slowlog(r, "-1")).length, 10);
    strictEqual((await slowlog(r)).length, 10);
    strictEqual((await slowlog(r, "0")).length, 0);
    // A lower max-len applies at the next entry (here CONFIG SET's own).
    await r.config("SET", "slowlog-max-len", "3");
    strictEqual(await r.call("slowlog", "len"), 3);
    await r.config("SET", "slowlog-log-slower-than", "-1");
    await r.config("SET", "slowlog-max-len", "1");
    strictEqual(await r.call("slowlog", "len"), 3);
    await r.config("SET", "slowlog-log-slower-than", "0");
    strictEqual(await r.call("slowlog", "len"), 1);
    await r.config("SET", "slowlog-max-len", "0");
    await r.ping();
    strictEqual(await r.call("slowlog", "len"), 0);
  });
});

Deno.test("SLOWLOG trims long argument lists and long arguments", async () => {
  await withServer(async (r) => {
    await r.config("SET", "slowlog-log-slower-than", "0");
    await r.call("slowlog", "reset");
    const members = Array.from({ length: 33 }, (_, i) => String(i));
    await r.sadd("set", ...members);
    const [sadd] = await slowlog(r, "2");
    strictEqual(sadd![3].length, 32);
    strictEqual(sadd![3][30], "28");
    strictEqual(sadd![3][31], "... (4 more arguments)");
    await r.set("k", "x".repeat(200));
    const [set] = await slowlog(r, "2");
    deepStrictEqual(set![3], ["set", "k", "x".repeat(128) + "... (72 more bytes)"]);
  });
});

Deno.test("SLOWLOG: EXEC is not logged but its commands are; AUTH and secrets redacted", async () => {
  await withServer(async (r) => {
    await r.config("SET", "slowlog-log-slower-than", "0");
    await r.call("slowlog", "reset");
    await r.multi().set("a", "1").get("a").exec();
    const argvs = (await slowlog(r)).map((e) => e[3].join(" "));
    deepStrictEqual(argvs, ["get a", "set a 1", "multi", "slowlog reset"]);
    await r.call("slowlog", "reset");
    await r.config("SET", "masterauth", "secret");
    await r.call("auth", "pw").catch(() => {});
    const [auth, config] = await slowlog(r);
    deepStrictEqual(auth![3], ["auth", "(redacted)"]);
    deepStrictEqual(config![3], ["config", "SET", "masterauth", "(redacted)"]);
  });
});

Deno.test("SLOWLOG logs a blocked command when it is served, with its own argv", async () => {
  await withServer(async (r, t) => {
    await r.config("SET", "slowlog-log-slower-than", "0");
    const other = await client(t);
    try {
      const popped = other.blpop("l", 0);
      await sleep(50);
      await r.call("slowlog", "reset");
      await r.lpush("l", "x");
      deepStrictEqual(await popped, ["l", "x"]);
      const argvs = (await slowlog(r)).map((e) => e[3].join(" "));
      deepStrictEqual(argvs.slice(0, 2), ["blpop l 0", "lpush l x"]);
      // A timeout is not logged (Redis 7.0 logs blocked commands when served only).
      await r.call("slowlog", "reset");
      strictEqual(await other.blpop("l", 0.02), null);
      const after = (await slowlog(r)).map((e) => e[3].join(" "));
      deepStrictEqual(after, ["slowlog reset"]);
    } finally {
      other.disconnect();
    }
  });
});

Deno.test("SLOWLOG errors and help match Redis", async () => {
  await withServer(async (_r, t) => {
    const raw = await RawClient.connect(t.port);
    try {
      const cases: [string[], string][] = [
        [["SLOWLOG", "GET", "-2"], "-ERR count should be greater than or equal to -1\r\n"],
        [["SLOWLOG", "GET", "x"], "-ERR count should be greater than or equal to -1\r\n"],
        [
          ["SLOWLOG", "GET", "1", "2"],
          "-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n",
        ],
        [["SLOWLOG", "LEN", "x"], "-ERR wrong number of arguments for 'slowlog|len' command\r\n"],
        [["SLOWLOG", "nope"], "-ERR unknown subcommand 'nope'. Try SLOWLOG HELP.\r\n"],
      ];
      for (const [args, want] of cases) {
        await raw.command(...args);
        strictEqual(await raw.read(want), want);
      }
      await raw.command("SLOWLOG", "HELP");
      const help = await raw.readBytes(16);
      strictEqual(help, "*12\r\n+SLOWLOG <s");
    } finally {
      raw.close();
    }
  });
});

// ---- LATENCY

Deno.test("LATENCY monitors command latency over latency-monitor-threshold", async () => {
  await withServer(async (r) => {
    strictEqual(
      await r.call("latency", "doctor"),
      "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis " +
        'instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in ' +
        "order to enable it. If we weren't in a deep space mission I'd suggest to take a look " +
        "at https://redis.io/topics/latency-monitor.\n",
    );
    await r.config("SET", "latency-monitor-threshold", "20");
    match(String(await r.call("latency", "doctor")), /^Dave, no latency spike/);
    await r.call("debug", "sleep", "0.05");
    await r.ping();
    const history = await r.call("latency", "history", "command") as [number, number][];
    strictEqual(history.length, 1);
    ok(history[0]![1] >= 50 && history[0]![1] < 1000);
    const latest = await r.call("latency", "latest") as [string, number, number, number][];
    strictEqual(latest.length, 1);
    strictEqual(latest[0]![0], "command");
    strictEqual(latest[0]![1], history[0]![0]);
    strictEqual(latest[0]![3], history[0]![1]);
    deepStrictEqual(await r.call("latency", "history", "nope"), []);
    const graph = String(await r.call("latency", "graph", "command"));
    match(graph, /^command - high \d+ ms, low \d+ ms \(all time high \d+ ms\)\n-{80}\n/);
    match(String(await r.call("latency", "doctor")), /1\. command: 1 latency spikes/);
    strictEqual(await r.call("latency", "reset", "nope", "command", "command"), 1);
    deepStrictEqual(await r.call("latency", "latest"), []);
    strictEqual(await r.call("latency", "reset"), 0);
  });
});

Deno.test("LATENCY errors match Redis", async () => {
  await withServer(async (_r, t) => {
    const raw = await RawClient.connect(t.port);
    try {
      const cases: [string[], string][] = [
        [["LATENCY", "GRAPH", "x"], "-ERR No samples available for event 'x'\r\n"],
        [["LATENCY", "HELP", "x"], "-ERR wrong number of arguments for 'latency|help' command\r\n"],
        [
          ["LATENCY", "HISTORY"],
          "-ERR wrong number of arguments for 'latency|history' command\r\n",
        ],
        [["LATENCY", "x"], "-ERR unknown subcommand 'x'. Try LATENCY HELP.\r\n"],
        [["LATENCY", "RESET"], ":0\r\n"],
        [["LATENCY", "HISTOGRAM", "nosuch"], "*0\r\n"],
      ];
      for (const [args, want] of cases) {
        await raw.command(...args);
        strictEqual(await raw.read(want), want);
      }
    } finally {
      raw.close();
    }
  });
});

/** Redis's `histogram_usec` labels: highest equivalent values of 1024·2^k ns, in µs. */
const LABELS = [1, 2, 4, 8, 16, 33, 66, 132, 264, 528, 1056, 2113, 4227, 8454, 16908, 33816];

Deno.test("LATENCY HISTOGRAM: calls and cumulative power-of-2 buckets per command", async () => {
  await withServer(async (r, t) => {
    await r.config("RESETSTAT");
    await r.set("a", "b");
    await r.set("c", "d");
    await r.client("ID");
    await r.call("debug", "sleep", "0.003");
    const all = await r.call("latency", "histogram") as unknown[];
    const names = all.filter((_, i) => i % 2 === 0);
    deepStrictEqual(names.sort(), ["client|id", "config|resetstat", "debug", "set"]);
    const set = await r.call("latency", "histogram", "set") as [string, unknown[]];
    strictEqual(set[0], "set");
    const [callsKey, calls, histKey, buckets] = set[1] as [string, number, string, number[]];
    deepStrictEqual([callsKey, calls, histKey], ["calls", 2, "histogram_usec"]);
    for (let i = 0; i < buckets.length; i += 2) ok(LABELS.includes(buckets[i]!));
    strictEqual(buckets[buckets.length - 1], 2);
    // A container name gives its subcommands; unknown names are skipped.
    const client = await r.call("latency", "histogram", "client", "nosuch") as unknown[];
    deepStrictEqual(client.filter((_, i) => i % 2 === 0), ["client|id"]);
    // DEBUG SLEEP 0.003 lands in the 4227 µs bucket (3000..4226 µs: sleeps overshoot a bit).
    const debug = await r.call("latency", "histogram", "debug") as [string, unknown[]];
    const db = (debug[1] as unknown[])[3] as number[];
    ok(db[0]! >= 2113, `debug bucket ${db[0]}`);
    // RESP3: maps.
    const raw = await RawClient.connect(t.port);
    try {
      await raw.command("HELLO", "3");
      let buf = "";
      while (!buf.endsWith("modules\r\n*0\r\n")) buf += await raw.readBytes(1);
      await raw.command("CONFIG", "RESETSTAT");
      await raw.read("+OK\r\n");
      await raw.command("LATENCY", "HISTOGRAM", "config|resetstat");
      const head = "%1\r\n$16\r\nconfig|resetstat\r\n%2\r\n$5\r\ncalls\r\n:1\r\n" +
        "$14\r\nhistogram_usec\r\n%1\r\n:";
      strictEqual(await raw.read(head), head);
    } finally {
      raw.close();
    }
    // CONFIG RESETSTAT starts the histograms over.
    await r.config("RESETSTAT");
    const after = await r.call("latency", "histogram") as unknown[];
    deepStrictEqual(after[0], "config|resetstat");
    strictEqual(after.length, 2);
  });
});

Deno.test("the latency histogram reads as Redis's HDR histogram (2 significant digits)", () => {
  const h = newHistogram();
  strictEqual(totalCount(h), 0);
  deepStrictEqual(cumulativeBuckets(h), []);
  // Values Redis 7.0 reported: 4 µs -> p0 4.000, p50 4.015; 10 µs -> 9.984 / 10.047;
  // 3162 µs -> 3145.728 / 3162.111.
  recordMicros(h, 4);
  strictEqual(valueAtPercentile(h, 0), 4000);
  strictEqual(valueAtPercentile(h, 50), 4015);
  deepStrictEqual(cumulativeBuckets(h), [[4, 1]]);
  recordMicros(h, 10);
  recordMicros(h, 3162);
  strictEqual(valueAtPercentile(h, 100), 3162111);
  strictEqual(valueAtPercentile(h, 50), 10047);
  deepStrictEqual(cumulativeBuckets(h), [[4, 1], [16, 2], [4227, 3]]);
  // 0 µs counts as 1 ns; durations past 1 s as 1 s.
  recordMicros(h, 0);
  recordMicros(h, 5_000_000);
  strictEqual(totalCount(h), 5);
  deepStrictEqual(cumulativeBuckets(h)[0], [1, 1]);
  strictEqual(valueAtPercentile(h, 100), highestEquivalent(1e9));
  strictEqual(highestEquivalent(1024), 1031);
  strictEqual(highestEquivalent(131072), 132095);
});

Deno.test("INFO latencystats lines: percentiles per command, as configured", async () => {
  await withServer(async (r, t) => {
    await r.config("RESETSTAT");
    await r.set("a", "b");
    const engine = t.server.engine;
    const line = latencyStatsLines(engine).find((l) =>
      l.startsWith("latency_percentiles_usec_set:")
    );
    match(line!, /^latency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/);
    await r.config("SET", "latency-tracking-info-percentiles", "0 33.5 99.99999");
    match(
      latencyStatsLines(engine).join("\n"),
      /usec_set:p0=[\d.]+,p33\.5=[\d.]+,p99\.99999=[\d.]+/,
    );
    await r.config("SET", "latency-tracking-info-percentiles", "");
    ok(latencyStatsLines(engine).includes("latency_percentiles_usec_set:"));
    await r.config("SET", "latency-tracking-info-percentiles", "50 99 99.9");
    match(
      await r.info("latencystats"),
      /^# Latencystats\r\n(latency_percentiles_usec_\S+:\S+\r\n)+$/,
    );
    await r.config("SET", "latency-tracking", "no");
    deepStrictEqual(latencyStatsLines(engine), []);
    strictEqual(await r.info("latencystats"), "# Latencystats\r\n");
  });
});

Deno.test("latency-tracking no keeps no histograms", async () => {
  await withServer(async (r) => {
    await r.config("SET", "latency-tracking", "no");
    await r.config("RESETSTAT");
    await r.set("a", "b");
    deepStrictEqual(await r.call("latency", "histogram", "set"), []);
  });
});

// ---- MONITOR

Deno.test("reprString quotes as Redis's sdscatrepr", () => {
  strictEqual(
    reprString('a"b\\c\n\r\t\x07\x08\x01\x7f\xff d'),
    '"a\\"b\\\\c\\n\\r\\t\\a\\b\\x01\\x7f\\xff d"',
  );
});

/** Reads one MONITOR line from `raw`. */
async function monitorLine(raw: RawClient): Promise<string> {
  let line = "";
  while (!line.endsWith("\r\n")) line += await raw.readBytes(1);
  return line;
}

Deno.test("MONITOR shows other clients' commands as Redis does", async () => {
  await withServer(async (r, t) => {
    const mon = await RawClient.connect(t.port);
    try {
      await mon.command("MONITOR");
      strictEqual(await mon.read("+OK\r\n"), "+OK\r\n");
      await r.set("foo", 'a"b\n');
      const line = await monitorLine(mon);
      match(line, /^\+\d{10}\.\d{6} \[0 127\.0\.0\.1:\d+\] "set" "foo" "a\\"b\\n"\r\n$/);
      // Admin commands are hidden; SELECT shows the database it switched to.
      await r.config("GET", "port");
      await r.select(2);
      match(await monitorLine(mon), /\[2 [^\]]+\] "select" "2"\r\n$/);
      await r.select(0);
      await monitorLine(mon);
      // MULTI, then the queued commands as they run, then EXEC.
      await r.multi().set("x", "1").exec();
      match(await monitorLine(mon), /"multi"\r\n$/);
      match(await monitorLine(mon), /"set" "x" "1"\r\n$/);
      match(await monitorLine(mon), /"exec"\r\n$/);
      // A script first, then its commands from the lua client.
      await r.eval("return redis.call('get', KEYS[1])", 1, "x");
      match(await monitorLine(mon), /"eval" "return redis\.call\('get', KEYS\[1\]\)" "1" "x"/);
      match(await monitorLine(mon), /\[0 lua\] "get" "x"\r\n$/);
      await r.call("auth", "secret").catch(() => {});
      match(await monitorLine(mon), /"auth" "\(redacted\)"\r\n$/);
      // Rejected commands are not shown.
      await r.call("get").catch(() => {});
      await r.ping();
      match(await monitorLine(mon), /"ping"\r\n$/);
      // RESET leaves monitor mode.
      await mon.command("RESET");
      strictEqual(await mon.read("+RESET\r\n"), "+RESET\r\n");
      await r.ping();
      await mon.command("PING");
      strictEqual(await mon.read("+PONG\r\n"), "+PONG\r\n");
    } finally {
      mon.close();
    }
  });
});

Deno.test("MONITOR: QUIT ends it; CLIENT LIST shows flag O", async () => {
  await withServer(async (r, t) => {
    const mon = await RawClient.connect(t.port);
    try {
      await mon.command("MONITOR");
      await mon.read("+OK\r\n");
      match(await r.client("LIST") as string, /flags=O /);
      await mon.command("QUIT");
      const rest = await mon.readToEnd();
      match(rest, /^\+OK\r\n$/);
      await sleep(20);
      strictEqual((await r.client("LIST") as string).trim().split("\n").length, 1);
    } finally {
      mon.close();
    }
  });
});

Deno.test("redis-cli monitor works against cedis", async () => {
  const t = startServer();
  try {
    const cli = new Deno.Command("redis-cli", {
      args: ["-p", String(t.port), "monitor"],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const r = await client(t);
    try {
      for (let i = 0; i < 50 && !(await r.client("LIST") as string).includes("flags=O"); i++) {
        await sleep(20);
      }
      await r.set("k", "v");
      await sleep(100);
    } finally {
      r.disconnect();
    }
    cli.kill("SIGTERM");
    const out = new TextDecoder().decode((await cli.output()).stdout);
    match(out, /^OK\n\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "set" "k" "v"\n/);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return; // no redis-cli on this machine
    throw e;
  } finally {
    await t.close();
  }
});

// ---- CLIENT PAUSE

function blockedClients(info: string): number {
  return Number(/blocked_clients:(\d+)/.exec(info)![1]);
}

Deno.test("CLIENT PAUSE WRITE holds writes (not reads) until CLIENT UNPAUSE", async () => {
  await withServer(async (r, t) => {
    const other = await client(t);
    try {
      strictEqual(await r.client("PAUSE", "100000", "WRITE"), "OK");
      strictEqual(await other.get("k"), null);
      let done = false;
      const set = other.set("k", "v").then((v) => {
        done = true;
        return v;
      });
      await sleep(50);
      strictEqual(done, false);
      strictEqual(blockedClients(await r.info("clients")), 1);
      match(await r.client("LIST") as string, /flags=b /);
      // Arity errors answer at once.
      await r.call("set", "k").catch((e: Error) => match(e.message, /wrong number/));
      strictEqual(await r.client("UNPAUSE"), "OK");
      strictEqual(await set, "OK");
      strictEqual(await r.get("k"), "v");
      strictEqual(blockedClients(await r.info("clients")), 0);
    } finally {
      other.disconnect();
    }
  });
});

Deno.test("CLIENT PAUSE: the timeout ends it; pipelined input after a held command waits", async () => {
  await withServer(async (r, t) => {
    const raw = await RawClient.connect(t.port);
    try {
      await r.client("PAUSE", "150", "WRITE");
      const start = Date.now();
      await raw.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*1\r\n$4\r\nPING\r\n");
      strictEqual(await raw.read("+OK\r\n+PONG\r\n"), "+OK\r\n+PONG\r\n");
      ok(Date.now() - start >= 100, "held until the pause ended");
    } finally {
      raw.close();
    }
  });
});

Deno.test("CLIENT PAUSE ALL holds every command; scripts and EXEC follow Redis's rules", async () => {
  await withServer(async (r, t) => {
    const other = await client(t);
    try {
      // WRITE: read-only transactions and no-writes scripts run; write ones wait.
      await r.client("PAUSE", "100000", "WRITE");
      deepStrictEqual(await other.multi().ping().get("x").exec(), [[null, "PONG"], [null, null]]);
      strictEqual(await other.eval("#!lua flags=no-writes\nreturn 1", 0), 1);
      let evalDone = false;
      const ev = other.eval("return 2", 0).then((v) => (evalDone = true, v));
      await sleep(30);
      strictEqual(evalDone, false);
      await r.client("UNPAUSE");
      strictEqual(await ev, 2);
      // ALL: even reads wait.
      await r.client("PAUSE", "100000", "ALL");
      let pinged = false;
      const ping = other.ping().then((v) => (pinged = true, v));
      await sleep(30);
      strictEqual(pinged, false);
      t.server.engine.pause.unpause();
      strictEqual(await ping, "PONG");
    } finally {
      other.disconnect();
    }
  });
});

Deno.test("CLIENT PAUSE errors match Redis", async () => {
  await withServer(async (_r, t) => {
    const raw = await RawClient.connect(t.port);
    try {
      const cases: [string[], string][] = [
        [["CLIENT", "PAUSE", "abc"], "-ERR timeout is not an integer or out of range\r\n"],
        [["CLIENT", "PAUSE", "1.5"], "-ERR timeout is not an integer or out of range\r\n"],
        [["CLIENT", "PAUSE", "-1"], "-ERR timeout is negative\r\n"],
        [["CLIENT", "PAUSE", "10", "x"], "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n"],
        [
          ["CLIENT", "PAUSE", "10", "write", "x"],
          "-ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.\r\n",
        ],
        [
          ["CLIENT", "UNPAUSE", "x"],
          "-ERR wrong number of arguments for 'client|unpause' command\r\n",
        ],
        [["CLIENT", "PAUSE", "0"], "+OK\r\n"],
        [["CLIENT", "UNPAUSE"], "+OK\r\n"],
      ];
      for (const [args, want] of cases) {
        await raw.command(...args);
        strictEqual(await raw.read(want), want);
      }
    } finally {
      raw.close();
    }
  });
});

Deno.test("CLIENT PAUSE: keys are not expired while paused, only read as missing", async () => {
  await withServer(async (r) => {
    await r.set("k", "v", "PX", 20);
    await r.client("PAUSE", "100000", "WRITE");
    // Long enough for a few hz ticks of active expiry.
    await sleep(250);
    strictEqual(await r.get("k"), null);
    strictEqual(await r.dbsize(), 1);
    const expired = () => r.info("stats").then((s) => Number(/expired_keys:(\d+)/.exec(s)![1]));
    strictEqual(await expired(), 0);
    await r.client("UNPAUSE");
    strictEqual(await r.get("k"), null);
    strictEqual(await expired(), 1);
  });
});

Deno.test("CLIENT PAUSE in the engine: the pause timer resumes held clients in order", async () => {
  let now = 1_700_000_000_000;
  const { platform, fire } = fakePlatform(() => now);
  const engine = new Engine({
    config: new Config(),
    platform,
    clock: () => now,
    io: new MemoryIO(),
  });
  const dec = new TextDecoder();
  /** A link that runs queued requests the way the server's connection does. */
  const connect = () => {
    const inputs: string[][] = [];
    const out: string[] = [];
    const ref = {} as { c: Client };
    const link = {
      runInput() {
        const c = ref.c;
        while (c.blocked === null) {
          const argv = c.postponed ?? inputs.shift();
          c.postponed = null;
          if (argv === undefined) break;
          dispatch(c, argv);
        }
      },
      write() {
        out.push(dec.decode(ref.c.w.take()));
      },
      close() {},
    };
    const c = ref.c = engine.connect(link);
    return {
      c,
      out,
      send(...argv: string[]) {
        inputs.push(argv);
        link.runInput();
        engine.replied(c);
        engine.endTurn();
      },
    };
  };
  const admin = connect();
  const a = connect();
  const b = connect();
  admin.send("CLIENT", "PAUSE", "1000", "WRITE");
  a.send("SET", "k", "a");
  b.send("SET", "k", "b");
  b.send("GET", "k");
  deepStrictEqual([a.out.join(""), b.out.join("")], ["", ""]);
  strictEqual(engine.pause.held.length, 2);
  now += 1000;
  fire();
  await new Promise((r) => setTimeout(r, 0));
  deepStrictEqual([a.out.join(""), b.out.join("")], ["+OK\r\n", "+OK\r\n$1\r\nb\r\n"]);
  strictEqual(engine.pause.type, 0);
});
