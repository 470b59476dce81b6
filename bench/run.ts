/**
 * Benchmark (`deno task bench [--throughput | --memory] [-n N]`): starts a real `redis-server`
 * and cedis (`deno run -A main.ts`), both without persistence, and compares them in one run.
 *
 * 1. Throughput: `redis-benchmark --csv -c 50 -r 100000` for SET, GET, INCR and MSET with
 *    `-P 1` and `-P 16`; for each test the two servers run back to back (after one untimed
 *    warm-up round on each). Prints test, pipeline, redis rps, cedis rps, ratio.
 * 2. Memory: on fresh servers, loads 1,000,000 distinct keys `key:%012d` (redis-benchmark's
 *    `-r` key format) with value `xxx`, checks DBSIZE on both, and compares the RSS
 *    (/proc/<pid>/status VmRSS) before and after. redis-benchmark itself can't do this part:
 *    its `-r` keys are random, so `-n 1000000 -r 1000000` makes only ~632,000 distinct keys.
 *
 * Servers are stopped in all cases (errors, Ctrl-C).
 *
 * @module
 */
import {
  HarnessError,
  ReplyConn,
  type ServerProcess,
  startCedis,
  startRedis,
} from "../conformance/harness.ts";

/** One throughput test: a built-in redis-benchmark test (`-t`) or a command to send. */
interface Test {
  label: string;
  args: string[];
  /** Fraction of the run's request count (slow tests run fewer requests). */
  scale: number;
}

const builtin = (t: string): Test => ({ label: t.toUpperCase(), args: ["-t", t], scale: 1 });

/** A CPU-bound script: a loop of arithmetic, string building and table work. */
const CPU_SCRIPT = "local t = {} local s = 0 for i = 1, 2000 do s = s + (i * 7) % 13 " +
  "t[#t + 1] = tostring(s) end return #table.concat(t, ',')";

const TESTS: Test[] = [
  builtin("set"),
  builtin("get"),
  builtin("incr"),
  builtin("mset"),
  {
    label: "EVAL_INCR",
    args: ["EVAL", "return redis.call('INCR', KEYS[1])", "1", "counter:__rand_int__"],
    scale: 1,
  },
  { label: "EVAL_CPU", args: ["EVAL", CPU_SCRIPT, "0"], scale: 0.02 },
];
const CLIENTS = 50;
const KEYSPACE = 100_000;
const MEMORY_KEYS = 1_000_000;

interface Options {
  throughput: boolean;
  memory: boolean;
  /** Requests per run for -P 1 and -P 16. */
  n1: number;
  n16: number;
}

function parseArgs(args: string[]): Options {
  const o: Options = { throughput: true, memory: true, n1: 200_000, n16: 1_000_000 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--throughput") o.memory = false;
    else if (a === "--memory") o.throughput = false;
    else if (a === "-n") {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n <= 0) usage();
      o.n1 = n;
      o.n16 = n * 5;
    } else usage();
  }
  return o;
}

function usage(): never {
  console.error("usage: deno task bench [--throughput | --memory] [-n requests-at-P1]");
  Deno.exit(2);
}

/** Runs redis-benchmark for one test; returns requests per second. */
async function benchmark(port: number, test: Test, pipeline: number, n: number): Promise<number> {
  n = Math.max(1000, Math.round(n * test.scale));
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("redis-benchmark", {
      args: [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-c",
        String(CLIENTS),
        "-n",
        String(n),
        "-r",
        String(KEYSPACE),
        "-P",
        String(pipeline),
        "--csv",
        ...test.args,
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new HarnessError(
        "'redis-benchmark' was not found on PATH (install it: apt-get install redis-tools)",
      );
    }
    throw e;
  }
  const text = new TextDecoder().decode(out.stdout);
  // CSV rows: "test","rps",...; the header row has "rps" where the number goes.
  for (const line of text.split("\n")) {
    const m = /^"([^"]+)","([\d.]+)"/.exec(line);
    if (m) return Number(m[2]);
  }
  throw new HarnessError(
    `redis-benchmark ${test.label} -P ${pipeline} on port ${port} gave no result:\n${text}\n` +
      new TextDecoder().decode(out.stderr),
  );
}

function fmtRps(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)).join("  ");
}

async function throughput(redis: ServerProcess, cedis: ServerProcess, o: Options) {
  console.log(
    `\nThroughput: redis-benchmark -c ${CLIENTS} -r ${KEYSPACE} ` +
      `(-n ${o.n1} at -P 1, -n ${o.n16} at -P 16)`,
  );
  // Untimed warm-up: lets cedis's JIT compile the hot paths before anything is measured.
  for (const s of [redis, cedis]) {
    for (const t of TESTS) await benchmark(s.port, t, 16, 20_000);
  }
  const widths = [9, 8, 12, 12, 6];
  console.log(row(["test", "pipeline", "redis rps", "cedis rps", "ratio"], widths));
  for (const pipeline of [1, 16]) {
    for (const t of TESTS) {
      const n = pipeline === 1 ? o.n1 : o.n16;
      const r = await benchmark(redis.port, t, pipeline, n);
      const c = await benchmark(cedis.port, t, pipeline, n);
      console.log(
        row([t.label, String(pipeline), fmtRps(r), fmtRps(c), (c / r).toFixed(2)], widths),
      );
    }
  }
}

/** Resident set size of `pid` in bytes, from /proc/<pid>/status. */
function rss(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new HarnessError(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

async function command(port: number, argv: string[]): Promise<string> {
  const c = await ReplyConn.open(port);
  try {
    await c.send(argv);
    const r = await c.reply(30_000);
    return new TextDecoder().decode(r.bytes);
  } finally {
    c.close();
  }
}

/** Loads keys `key:%012d` 0..count-1 with value `xxx`, with pipelined MSETs of 100 keys. */
async function loadKeys(port: number, count: number): Promise<void> {
  const c = await ReplyConn.open(port);
  const perCommand = 100;
  const perWrite = 20;
  const enc = new TextEncoder();
  try {
    for (let i = 0; i < count;) {
      let req = "";
      let commands = 0;
      while (commands < perWrite && i < count) {
        const k = Math.min(perCommand, count - i);
        req += `*${1 + 2 * k}\r\n$4\r\nMSET\r\n`;
        for (let j = 0; j < k; j++, i++) {
          req += `$16\r\nkey:${String(i).padStart(12, "0")}\r\n$3\r\nxxx\r\n`;
        }
        commands++;
      }
      await c.send(enc.encode(req));
      for (let j = 0; j < commands; j++) {
        const r = await c.reply(30_000);
        const text = new TextDecoder().decode(r.bytes);
        if (r.kind !== "reply" || text !== "+OK\r\n") {
          throw new HarnessError(`MSET on port ${port} replied ${JSON.stringify(text)}`);
        }
      }
    }
  } finally {
    c.close();
  }
}

async function memory(redis: ServerProcess, cedis: ServerProcess): Promise<void> {
  console.log(`\nMemory: ${MEMORY_KEYS.toLocaleString("en-US")} keys key:%012d = "xxx"`);
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1) + " MB";
  const before = [rss(redis.pid), rss(cedis.pid)];
  for (const s of [redis, cedis]) {
    const t0 = performance.now();
    await loadKeys(s.port, MEMORY_KEYS);
    console.log(`  loaded ${s.name} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  // Give V8 a moment to finish any concurrent GC work before sampling.
  await new Promise((r) => setTimeout(r, 1000));
  const after = [rss(redis.pid), rss(cedis.pid)];
  const dbsize = await Promise.all([redis, cedis].map((s) => command(s.port, ["DBSIZE"])));
  const widths = [6, 12, 12, 12, 10];
  console.log(row(["", "DBSIZE", "RSS empty", "RSS loaded", "per key"], widths));
  const names = ["redis", "cedis"];
  for (let i = 0; i < 2; i++) {
    console.log(row([
      names[i]!,
      dbsize[i]!.replace(/^:|\r\n$/g, ""),
      mb(before[i]!),
      mb(after[i]!),
      ((after[i]! - before[i]!) / MEMORY_KEYS).toFixed(0) + " B",
    ], widths));
  }
  console.log(
    `  RSS ratio cedis/redis: loaded ${(after[1]! / after[0]!).toFixed(2)}, ` +
      `growth ${((after[1]! - before[1]!) / (after[0]! - before[0]!)).toFixed(2)}`,
  );
  for (const s of dbsize) {
    if (s !== `:${MEMORY_KEYS}\r\n`) throw new HarnessError(`unexpected DBSIZE reply ${s}`);
  }
}

async function main(): Promise<number> {
  const o = parseArgs(Deno.args);
  const dir = Deno.makeTempDirSync({ prefix: "cedis-bench-" });
  const servers: ServerProcess[] = [];
  const stopAll = async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    servers.length = 0;
  };
  const onSignal = async () => {
    await stopAll();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const start = async (): Promise<[ServerProcess, ServerProcess]> => {
    const started = await Promise.allSettled([startRedis({ dir }), startCedis({ dir })]);
    for (const s of started) if (s.status === "fulfilled") servers.push(s.value);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    return [servers[0]!, servers[1]!];
  };
  try {
    if (o.throughput) {
      const [redis, cedis] = await start();
      console.log(
        `redis-server pid ${redis.pid} port ${redis.port}; cedis pid ${cedis.pid} port ${cedis.port}`,
      );
      await throughput(redis, cedis, o);
      await stopAll();
    }
    if (o.memory) {
      // Fresh servers, so the throughput runs leave no keys or garbage behind.
      const [redis, cedis] = await start();
      await memory(redis, cedis);
    }
  } catch (e) {
    if (e instanceof HarnessError) {
      console.error(`bench: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await stopAll();
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* best effort */ }
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main());
