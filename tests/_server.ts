/**
 * Test helpers: start a cedis server in-process on port 0, and a raw TCP client that sends
 * bytes and reads exact reply bytes.
 *
 * @module
 */
import { strictEqual } from "node:assert/strict";
import { Redis } from "ioredis";
import { Config } from "../src/config/config.ts";
import { Server } from "../src/server/server.ts";
import type { Platform } from "../src/commands/context.ts";

/** A running test server. */
export interface TestServer {
  /** The server. */
  server: Server;
  /** Port it listens on. */
  port: number;
  /** Shuts it down. */
  close(): Promise<void>;
}

/** Options of {@link startServer} beyond config settings. */
export interface StartOptions {
  /** Clock in ms used by the server (expiry, TTLs); e.g. a {@link FakeClock}'s `now`. */
  clock?: () => number;
}

/** Starts a server on 127.0.0.1, a free port, with `settings` applied as startup config. */
export function startServer(
  settings: Record<string, string> = {},
  opts: StartOptions = {},
): TestServer {
  const config = new Config();
  config.set("port", "0", true);
  config.set("bind", "127.0.0.1", true);
  config.set("save", "", true);
  for (const [k, v] of Object.entries(settings)) config.set(k, v, true);
  const server = new Server({ config, quiet: true, clock: opts.clock });
  server.listen();
  return { server, port: server.port, close: () => server.close() };
}

/** A settable clock for expiry tests: time only moves when the test moves it. */
export class FakeClock {
  /** Current time in ms. */
  ms: number;
  /** Starts at `startMs` (defaults to the real time, so absolute times look plausible). */
  constructor(startMs: number = Date.now()) {
    this.ms = startMs;
  }
  /** The clock function to hand to the server. */
  readonly now = (): number => this.ms;
  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.ms += ms;
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A raw socket client for byte-exact tests. */
export class RawClient {
  #buf = new Uint8Array(0);
  private constructor(readonly conn: Deno.TcpConn) {}

  /** Connects to `port` on 127.0.0.1. */
  static async connect(port: number): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Sends a string (UTF-8) or bytes. */
  async send(data: string | Uint8Array): Promise<void> {
    const b = typeof data === "string" ? enc.encode(data) : data;
    let off = 0;
    while (off < b.length) off += await this.conn.write(b.subarray(off));
  }

  /** Sends a command as a RESP multibulk. */
  command(...args: string[]): Promise<void> {
    let s = `*${args.length}\r\n`;
    for (const a of args) s += `$${enc.encode(a).length}\r\n${a}\r\n`;
    return this.send(s);
  }

  /** Reads until `n` bytes are buffered (or EOF), then returns and removes them as text. */
  async readBytes(n: number, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.#buf.length < n) {
      if (Date.now() > deadline) throw new Error(`timeout waiting for ${n} bytes`);
      const chunk = new Uint8Array(64 * 1024);
      const r = await this.conn.read(chunk);
      if (r === null) break;
      const next = new Uint8Array(this.#buf.length + r);
      next.set(this.#buf);
      next.set(chunk.subarray(0, r), this.#buf.length);
      this.#buf = next;
    }
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(out.length);
    return dec.decode(out);
  }

  /** Reads exactly the bytes of `expected` and returns them (compare with assertEquals). */
  read(expected: string): Promise<string> {
    return this.readBytes(enc.encode(expected).length);
  }

  /** Reads until the server closes the connection; returns everything received. */
  async readToEnd(timeoutMs = 5000): Promise<string> {
    const parts: string[] = [dec.decode(this.#buf)];
    this.#buf = new Uint8Array(0);
    const deadline = Date.now() + timeoutMs;
    const chunk = new Uint8Array(64 * 1024);
    for (;;) {
      if (Date.now() > deadline) throw new Error("timeout waiting for close");
      let r: number | null;
      try {
        r = await this.conn.read(chunk);
      } catch {
        break;
      }
      if (r === null) break;
      parts.push(dec.decode(chunk.subarray(0, r)));
    }
    return parts.join("");
  }

  /** Closes the socket. */
  close(): void {
    try {
      this.conn.close();
    } catch { /* closed */ }
  }
}

/** An ioredis client connected to `t` (no ready check, so it works before INFO matters). */
export async function client(t: TestServer): Promise<Redis> {
  const r = new Redis({ port: t.port, lazyConnect: true, enableReadyCheck: false });
  await r.connect();
  return r;
}

/** Sends one command over a raw socket and checks the exact reply bytes. */
export async function expectRaw(
  raw: RawClient,
  args: string[],
  expected: string,
): Promise<void> {
  await raw.command(...args);
  strictEqual(await raw.read(expected), expected, `reply to ${args.join(" ")}`);
}

/** Switches `raw` to RESP3 and consumes the HELLO reply (its length varies with the id). */
export async function hello3(raw: RawClient): Promise<void> {
  await raw.command("HELLO", "3");
  let buf = "";
  while (!buf.endsWith("modules\r\n*0\r\n")) buf += await raw.readBytes(1);
}

/**
 * Records keyspace events as `event:key`. Class n ("new" on key creation) is left out: the
 * tests check each type's own events.
 */
export function recordEvents(t: TestServer): string[] {
  const events: string[] = [];
  t.server.keyspace.onEvent((cls, event, key) => {
    if (cls !== "n") events.push(`${event}:${key}`);
  });
  return events;
}

/** A platform for engines driven in-process: timers run only when the test fires them. */
export function fakePlatform(
  clock: () => number = Date.now,
): { platform: Platform; fire: () => void } {
  const timers: (() => void)[] = [];
  const platform: Platform = {
    pid: 1,
    memory: () => ({ rss: 0, heapUsed: 0, heapTotal: 0, external: 0 }),
    executable: "cedis",
    configFile: "",
    port: () => 0,
    shutdown: () => null,
    sleep: () => {},
    rewriteConfig: () => null,
    readConfig: () => null,
    log: () => {},
    timer: (_ms, fn) => {
      timers.push(fn);
      return () => {
        const i = timers.indexOf(fn);
        if (i >= 0) timers.splice(i, 1);
      };
    },
    randomHex: (n) => "ab".repeat(n / 2),
    nowMicros: () => clock() * 1000,
  };
  return { platform, fire: () => timers.splice(0).forEach((f) => f()) };
}
