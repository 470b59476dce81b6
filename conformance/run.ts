/**
 * Conformance runner (`deno task conformance [--timeout ms] [name ...]`): starts a real
 * `redis-server` from PATH and cedis side by side, runs every `conformance/cases/*.txt` (or the
 * files named on the command line, with or without `.txt`) on both, and compares the raw RESP
 * bytes of every reply.
 *
 * Case file format: one command per line in redis-cli syntax (parsed by `splitArgs`, so
 * "double quotes" with `\n \r \t \xHH` escapes and 'single quotes' work), sent as a RESP
 * multibulk; `#` starts a comment line; blank lines are ignored. Each file runs on fresh
 * connections after FLUSHALL. One reply is read per command; a command that produces several
 * replies (SUBSCRIBE with many channels) leaves the rest to be compared by the next reads.
 * Directives:
 * - `@sleep <ms>` pauses;
 * - `@any <command>` sends the command to both servers and compares nothing;
 * - `@read` reads one more reply from both without sending anything, and compares it.
 *
 * Prints per file its ok/FAIL counts and each failure (line, command, both replies escaped),
 * then `N passed, M failed`; exits 1 when anything failed.
 *
 * @module
 */
import { splitArgs } from "../src/resp/parser.ts";
import { utf8ToBinary } from "../src/resp/bytes.ts";
import {
  HarnessError,
  ReplyConn,
  type ReplyResult,
  type ServerProcess,
  startCedis,
  startRedis,
} from "./harness.ts";
import { escapeBytes } from "./reply_reader.ts";

const casesDir = new URL("./cases/", import.meta.url).pathname;

/** One side of the comparison: a server and the connection used for the current file. */
class Side {
  conn: ReplyConn | null = null;
  constructor(readonly server: ServerProcess) {}

  async reset(): Promise<void> {
    this.conn?.close();
    this.conn = null;
    this.conn = await ReplyConn.open(this.server.port);
  }

  /** Sends `argv` (reconnecting when the server closed the connection) and reads a reply. */
  async call(argv: string[] | null, timeoutMs: number): Promise<ReplyResult> {
    const r = await this.#call(argv, timeoutMs);
    // After QUIT the server's close may be seen only once the next command went out: send
    // it again on a fresh connection when the old one closed without a byte of reply.
    if (argv !== null && r.kind === "closed" && r.bytes.length === 0) {
      return await this.#call(argv, timeoutMs);
    }
    return r;
  }

  async #call(argv: string[] | null, timeoutMs: number): Promise<ReplyResult> {
    try {
      if (this.conn === null || this.conn.closed) {
        this.conn?.close();
        this.conn = null;
        this.conn = await ReplyConn.open(this.server.port);
      }
      if (argv !== null) await this.conn.send(argv);
    } catch (e) {
      this.conn?.close();
      this.conn = null;
      return {
        kind: "closed",
        bytes: new TextEncoder().encode(`(cannot reach ${this.server.name}: ${e})`),
      };
    }
    return await this.conn.reply(timeoutMs);
  }

  close(): void {
    this.conn?.close();
    this.conn = null;
  }
}

function show(r: ReplyResult): string {
  const b = escapeBytes(r.bytes);
  if (r.kind === "reply") return b;
  return `${b}${b ? " " : ""}(${
    r.kind === "timeout"
      ? "no complete reply before the timeout"
      : r.kind === "closed"
      ? "connection closed"
      : "not valid RESP"
  })`;
}

function sameResult(a: ReplyResult, b: ReplyResult): boolean {
  if (a.kind !== b.kind || a.bytes.length !== b.bytes.length) return false;
  for (let i = 0; i < a.bytes.length; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  return true;
}

interface FileResult {
  passed: number;
  failed: number;
  report: string[];
}

async function runFile(
  path: string,
  redis: Side,
  cedis: Side,
  timeoutMs: number,
): Promise<FileResult> {
  const res: FileResult = { passed: 0, failed: 0, report: [] };
  const fail = (lineNo: number, text: string, why: string) => {
    res.failed++;
    res.report.push(`  line ${lineNo}: ${text}`, why);
  };
  await Promise.all([redis.reset(), cedis.reset()]);
  // FLUSHALL's reply is not compared: a file's first line must not depend on it.
  await Promise.all([redis.call(["FLUSHALL"], timeoutMs), cedis.call(["FLUSHALL"], timeoutMs)]);

  const lines = Deno.readTextFileSync(path).split("\n");
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const text = lines[i]!.trim();
    if (text === "" || text.startsWith("#")) continue;
    let compare = true;
    let cmd = text;
    if (text.startsWith("@")) {
      const sp = text.search(/\s/);
      const directive = sp < 0 ? text : text.slice(0, sp);
      const rest = sp < 0 ? "" : text.slice(sp).trim();
      if (directive === "@sleep") {
        const ms = Number(rest);
        if (!Number.isFinite(ms) || ms < 0 || rest === "") {
          fail(lineNo, text, "    bad @sleep argument");
        } else await new Promise((r) => setTimeout(r, ms));
        continue;
      }
      if (directive === "@read") {
        const [a, b] = await Promise.all([
          redis.call(null, timeoutMs),
          cedis.call(null, timeoutMs),
        ]);
        record(res, lineNo, text, a, b, redis, cedis);
        continue;
      }
      if (directive !== "@any") {
        fail(lineNo, text, `    unknown directive ${directive}`);
        continue;
      }
      compare = false;
      cmd = rest;
    }
    const argv = splitArgs(utf8ToBinary(cmd));
    if (argv === null || argv.length === 0) {
      fail(lineNo, text, argv === null ? "    unbalanced quotes" : "    no command");
      continue;
    }
    const [a, b] = await Promise.all([
      redis.call(argv, timeoutMs),
      cedis.call(argv, timeoutMs),
    ]);
    if (compare) record(res, lineNo, text, a, b, redis, cedis);
  }
  redis.close();
  cedis.close();
  return res;
}

function record(
  res: FileResult,
  lineNo: number,
  text: string,
  a: ReplyResult,
  b: ReplyResult,
  redis: Side,
  cedis: Side,
): void {
  if (sameResult(a, b)) {
    res.passed++;
    return;
  }
  res.failed++;
  res.report.push(`  line ${lineNo}: ${text}`, `    redis: ${show(a)}`, `    cedis: ${show(b)}`);
  // A late reply would be taken for the next command's: start the lagging side afresh.
  if (a.kind === "timeout") redis.close();
  if (b.kind === "timeout") cedis.close();
}

function usage(): never {
  console.error("usage: deno task conformance [--timeout ms] [case-name ...]");
  Deno.exit(2);
}

async function main(): Promise<number> {
  let timeoutMs = 5000;
  const names: string[] = [];
  const args = [...Deno.args];
  while (args.length) {
    const a = args.shift()!;
    if (a === "--timeout") {
      timeoutMs = Number(args.shift());
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) usage();
    } else if (a === "-h" || a === "--help") usage();
    else names.push(a.replace(/^.*\//, "").replace(/\.txt$/, ""));
  }

  const all = [...Deno.readDirSync(casesDir)]
    .filter((e) => e.isFile && e.name.endsWith(".txt"))
    .map((e) => e.name.slice(0, -4))
    .sort();
  for (const n of names) {
    if (!all.includes(n)) {
      console.error(`no such case file: conformance/cases/${n}.txt`);
      return 2;
    }
  }
  const files = names.length ? all.filter((n) => names.includes(n)) : all;

  const dir = Deno.makeTempDirSync({ prefix: "cedis-conformance-" });
  const servers: ServerProcess[] = [];
  const stopAll = () => Promise.allSettled(servers.map((s) => s.stop()));
  const onSignal = async () => {
    await stopAll();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  let passed = 0;
  let failed = 0;
  try {
    const started = await Promise.allSettled([startRedis({ dir }), startCedis({ dir })]);
    for (const s of started) if (s.status === "fulfilled") servers.push(s.value);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    const [redisProc, cedisProc] = servers as [ServerProcess, ServerProcess];
    console.log(
      `redis-server on port ${redisProc.port}, cedis on port ${cedisProc.port}; ` +
        `${files.length} case file(s)`,
    );
    const redis = new Side(redisProc);
    const cedis = new Side(cedisProc);
    const width = Math.max(8, ...files.map((f) => f.length + 4));
    for (const f of files) {
      const r = await runFile(`${casesDir}${f}.txt`, redis, cedis, timeoutMs);
      passed += r.passed;
      failed += r.failed;
      console.log(
        `${(f + ".txt").padEnd(width)} ok ${String(r.passed).padStart(4)}  FAIL ${
          String(r.failed).padStart(4)
        }`,
      );
      for (const line of r.report) console.log(line);
    }
  } catch (e) {
    if (e instanceof HarnessError) {
      console.error(`conformance: ${e.message}`);
      return 2;
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
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
