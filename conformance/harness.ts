/**
 * Shared by `conformance/run.ts` and `bench/run.ts`: starts a real `redis-server` and cedis as
 * child processes on free ports, waits until they answer, stops them; and a small client that
 * sends commands and returns the raw bytes of each reply.
 *
 * @module
 */
import { binaryToBytes } from "../src/resp/bytes.ts";
import { replyEnd } from "./reply_reader.ts";

/** A server child process. */
export interface ServerProcess {
  /** "redis" or "cedis". */
  name: string;
  /** Port it listens on. */
  port: number;
  /** Process id (for /proc/<pid>/status). */
  pid: number;
  /** Where its stdout and stderr go. */
  logFile: string;
  /** Exit code once the process has ended, else null. */
  exitCode(): number | null;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s); safe to call twice. */
  stop(): Promise<void>;
}

/** Thrown when a server can't be started; the message says why. */
export class HarnessError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HarnessError";
  }
}

/** A TCP port that was free a moment ago. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Repository root (this file lives in `conformance/`). */
export const repoRoot: string = new URL("..", import.meta.url).pathname;

function spawn(
  name: string,
  cmd: string,
  args: string[],
  port: number,
  logFile: string,
): ServerProcess {
  const log = Deno.openSync(logFile, { write: true, create: true, truncate: true });
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, {
      args,
      cwd: repoRoot,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    log.close();
    if (e instanceof Deno.errors.NotFound) {
      throw new HarnessError(
        `'${cmd}' was not found on PATH` +
          (name === "redis" ? " (install it: apt-get install redis-server redis-tools)" : ""),
      );
    }
    throw e;
  }
  // Both streams go to one log file; piping through us keeps the file handle ours to close.
  const pump = Promise.all([child.stdout, child.stderr].map(async (s) => {
    for await (const chunk of s) {
      try {
        log.writeSync(chunk);
      } catch { /* log closed */ }
    }
  }));
  let stopped: Promise<void> | null = null;
  let code: number | null = null;
  child.status.then((s) => code = s.code);
  return {
    name,
    port,
    pid: child.pid,
    logFile,
    exitCode: () => code,
    stop() {
      stopped ??= (async () => {
        try {
          child.kill("SIGTERM");
        } catch { /* already exited */ }
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* already exited */ }
        }, 5000);
        await child.status;
        clearTimeout(timer);
        await pump.catch(() => {});
        log.close();
      })();
      return stopped;
    },
  };
}

/** Options for starting a server. */
export interface StartOptions {
  /** Directory for the log file (and cedis's data dir). */
  dir: string;
  /** Port; a free one when omitted. */
  port?: number;
  /** Extra `--name value` arguments. */
  extra?: string[];
}

/** Starts `redis-server` from PATH without persistence and with DEBUG enabled. */
export async function startRedis(o: StartOptions): Promise<ServerProcess> {
  const port = o.port ?? freePort();
  const p = spawn(
    "redis",
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--enable-debug-command",
      "yes",
      "--dir",
      o.dir,
      ...(o.extra ?? []),
    ],
    port,
    `${o.dir}/redis.log`,
  );
  await ready(p);
  return p;
}

/** Starts cedis (`deno run -A main.ts`) without persistence, data dir `o.dir`. */
export async function startCedis(o: StartOptions): Promise<ServerProcess> {
  const port = o.port ?? freePort();
  const p = spawn(
    "cedis",
    Deno.execPath(),
    [
      "run",
      "-A",
      "main.ts",
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--dir",
      o.dir,
      "--enable-debug-command",
      "yes",
      ...(o.extra ?? []),
    ],
    port,
    `${o.dir}/cedis.log`,
  );
  await ready(p);
  return p;
}

/** Waits until `p` answers PING (up to 30 s); stops it and throws if it never does. */
async function ready(p: ServerProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && p.exitCode() === null) {
    try {
      const c = await ReplyConn.open(p.port);
      try {
        await c.send(["PING"]);
        const r = await c.reply(2000);
        if (r.kind === "reply" && new TextDecoder().decode(r.bytes) === "+PONG\r\n") return;
      } finally {
        c.close();
      }
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const why = p.exitCode() === null ? "did not answer PING" : `exited (code ${p.exitCode()})`;
  await p.stop();
  let tail = "";
  try {
    tail = Deno.readTextFileSync(p.logFile).split("\n").slice(-20).join("\n");
  } catch { /* no log */ }
  throw new HarnessError(`${p.name} on port ${p.port} ${why}. Log:\n${tail}`);
}

/** Encodes argv (binary strings) as a RESP multibulk request. */
export function encodeCommand(argv: readonly string[]): Uint8Array {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return binaryToBytes(s);
}

/** The outcome of waiting for one reply. */
export type ReplyResult =
  | { kind: "reply"; bytes: Uint8Array }
  | { kind: "timeout"; bytes: Uint8Array }
  | { kind: "closed"; bytes: Uint8Array }
  /** The bytes are not RESP (all buffered bytes are returned). */
  | { kind: "invalid"; bytes: Uint8Array };

/** A client connection that returns the exact bytes of each reply. */
export class ReplyConn {
  #conn: Deno.TcpConn;
  #buf = new Uint8Array(0);
  #closed = false;
  #wake: (() => void) | null = null;

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
    this.#readLoop();
  }

  /** Connects to 127.0.0.1:`port`. */
  static async open(port: number): Promise<ReplyConn> {
    return new ReplyConn(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Whether the server closed the connection. */
  get closed(): boolean {
    return this.#closed;
  }

  async #readLoop(): Promise<void> {
    const chunk = new Uint8Array(64 * 1024);
    for (;;) {
      let n: number | null;
      try {
        n = await this.#conn.read(chunk);
      } catch {
        n = null;
      }
      if (n === null) {
        this.#closed = true;
        this.#wake?.();
        return;
      }
      const next = new Uint8Array(this.#buf.length + n);
      next.set(this.#buf);
      next.set(chunk.subarray(0, n), this.#buf.length);
      this.#buf = next;
      this.#wake?.();
    }
  }

  /** Sends a command (argv of binary strings) or raw bytes. */
  async send(cmd: readonly string[] | Uint8Array): Promise<void> {
    const b = cmd instanceof Uint8Array ? cmd : encodeCommand(cmd);
    let off = 0;
    while (off < b.length) off += await this.#conn.write(b.subarray(off));
  }

  /** Waits for one complete reply; on timeout or close returns what arrived so far. */
  async reply(timeoutMs: number): Promise<ReplyResult> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let end: number;
      try {
        end = replyEnd(this.#buf);
      } catch {
        return { kind: "invalid", bytes: this.#take() };
      }
      if (end >= 0) {
        const bytes = this.#buf.slice(0, end);
        this.#buf = this.#buf.slice(end);
        return { kind: "reply", bytes };
      }
      if (this.#closed) return { kind: "closed", bytes: this.#take() };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: "timeout", bytes: this.#take() };
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.#wake = null;
    }
  }

  #take(): Uint8Array {
    const b = this.#buf;
    this.#buf = new Uint8Array(0);
    return b;
  }

  /** Closes the socket. */
  close(): void {
    try {
      this.#conn.close();
    } catch { /* closed */ }
  }
}
