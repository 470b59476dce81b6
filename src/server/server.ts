/**
 * The network edge: listens, runs one read loop per connection, feeds the parser, dispatches
 * every complete request of a read and writes all their replies in one write. Also owns the
 * `hz` timer (active expiry, client timeouts) and graceful shutdown. This is one of the few
 * modules that uses `Deno.*`.
 *
 * @module
 */
import process from "node:process";
import { resolve } from "node:path";
import { Config, ConfigError } from "../config/config.ts";
import type { Client, Platform } from "../commands/context.ts";
import { dispatch } from "../commands/dispatch.ts";
import { ProtocolError, RequestParser } from "../resp/parser.ts";
import { type ClientLink, Engine } from "../engine/engine.ts";
import { log, setLogLevel } from "./log.ts";
import { DataDir } from "./files.ts";

/** Options for {@link Server}. */
export interface ServerOptions {
  /** Configuration (defaults if omitted). */
  config?: Config;
  /** Config file path, for CONFIG REWRITE and INFO. */
  configFile?: string;
  /** Clock in ms (injectable for tests). */
  clock?: () => number;
  /** Don't install signal handlers (tests run several servers in one process). */
  noSignals?: boolean;
  /** Don't log (tests). */
  quiet?: boolean;
}

/** Deno hides descriptors; CLIENT LIST shows a per-connection number in their place. */
let nextFd = 8;

/** Largest read per socket read call. */
const READ_CHUNK = 64 * 1024;

/** A running cedis server: the {@link Engine} behind TCP listeners, timers and signals. */
export class Server {
  /** All server state; the network edge only feeds it. */
  readonly engine: Engine;
  readonly platform: Platform;
  #listeners: Deno.Listener[] = [];
  #listening = false;
  readonly #conns = new Set<Connection>();
  #cron: ReturnType<typeof setInterval> | undefined;
  #port = 0;
  #closing: Promise<void> | null = null;
  #done: { promise: Promise<void>; resolve: () => void };
  readonly #quiet: boolean;
  readonly #signalHandlers: [Deno.Signal, () => void][] = [];

  /** Creates a server; call {@link listen} to start it. */
  constructor(opts: ServerOptions = {}) {
    const config = opts.config ?? new Config();
    this.#quiet = opts.quiet ?? false;
    const clock = opts.clock ?? Date.now;
    this.#done = Promise.withResolvers<void>();
    this.platform = {
      pid: Deno.pid,
      executable: Deno.execPath(),
      configFile: opts.configFile ?? "",
      memory: () => {
        const m = Deno.memoryUsage();
        return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
      },
      port: () => this.#port,
      shutdown: (o) => this.#shutdownCommand(o),
      sleep: (ms) => {
        // A blocking sleep, like Redis's DEBUG SLEEP: the whole server stops.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      },
      rewriteConfig: (text) => {
        if (!opts.configFile) return "The server is running without a config file";
        try {
          Deno.writeTextFileSync(opts.configFile, text);
          return null;
        } catch (e) {
          return `Rewriting config file: ${(e as Error).message}`;
        }
      },
      readConfig: () => {
        if (!opts.configFile) return null;
        try {
          return Deno.readTextFileSync(opts.configFile);
        } catch {
          return null;
        }
      },
      log: (level, msg) => {
        if (!this.#quiet) log(level, msg);
      },
      cpuUsage: () => {
        const u = process.cpuUsage();
        return { user: u.user / 1e6, sys: u.system / 1e6 };
      },
      host: () => hostInfo(),
      timer: (ms, fn) => {
        const id = setTimeout(fn, ms);
        return () => clearTimeout(id);
      },
      randomHex,
      nowMicros: () => (performance.timeOrigin + performance.now()) * 1000,
    };
    this.engine = new Engine({
      config,
      platform: this.platform,
      clock,
      io: new DataDir(() => config.getText("dir")),
    });
    this.#wireConfig();
    setLogLevel(config.getString("loglevel"));
    config.onChange((name, value) => {
      if (name === "hz") this.#startCron();
      if (name === "loglevel") setLogLevel(String(value));
      if (name === "proto-max-bulk-len") {
        for (const c of this.#conns) c.parser.options.maxBulkLen = Number(value);
      }
    });
  }

  /** The configuration. */
  get config(): Config {
    return this.engine.config;
  }

  /** The databases. */
  get keyspace(): Engine["keyspace"] {
    return this.engine.keyspace;
  }

  /** The command table. */
  get commands(): Engine["commands"] {
    return this.engine.commands;
  }

  /** Connected clients by id. */
  get clients(): Engine["clients"] {
    return this.engine.clients;
  }

  /** Statistics. */
  get stats(): Engine["stats"] {
    return this.engine.stats;
  }

  /** Persistence and replication. */
  get persistence(): Engine["persistence"] {
    return this.engine.persistence;
  }

  /** Watched keys (WATCH). */
  get watched(): Engine["watched"] {
    return this.engine.watched;
  }

  /** The run id. */
  get runId(): string {
    return this.engine.runId;
  }

  /**
   * Config wiring: `dir` is shown as an absolute path and must exist; port and bind changes
   * rebind the listeners (a failure makes CONFIG SET fail and roll back).
   */
  #wireConfig(): void {
    const config = this.config;
    config.resolvePath = (p) => resolve(p);
    config.setArgs(config.def("dir")!, [config.getText("dir")]);
    config.onApply("dir", (_, value) => {
      let isDir = false;
      try {
        isDir = Deno.statSync(String(value)).isDirectory;
      } catch (e) {
        throw new ConfigError(
          e instanceof Deno.errors.NotFound ? "No such file or directory" : (e as Error).message,
        );
      }
      if (!isDir) throw new ConfigError("Not a directory");
    });
    config.onApply("port", () => this.#rebind(true));
    config.onApply("bind", () => this.#rebind(false));
  }

  /** Unix time (s) of the last successful save. */
  get lastSave(): number {
    return this.engine.lastSave;
  }

  /** Loads the dataset from `dir` (see {@link Engine.loadData}). */
  loadData(): void {
    this.engine.loadData();
  }

  /** The TCP port listened on. */
  get port(): number {
    return this.#port;
  }

  /** Resolves when the server has shut down. */
  get finished(): Promise<void> {
    return this.#done.promise;
  }

  /**
   * Binds the configured addresses and starts accepting clients (served once the running
   * code, e.g. loading the data, yields), as Redis binds before it loads. {@link listen} does
   * it when not done yet.
   */
  bind(): void {
    if (this.#listening) return;
    this.#startListeners(this.#openListeners(this.config.getNumber("port"), this.#binds()));
    this.#listening = true;
  }

  /** Binds (see {@link bind}), starts the cron and logs that the server is ready. */
  listen(): void {
    this.bind();
    this.#startCron();
    if (!this.#quiet && !this.config.getBool("daemonize")) {
      this.platform.log("notice", "Ready to accept connections");
    }
  }

  #binds(): string[] {
    const binds = this.config.getText("bind").split(" ").filter((b) => b !== "");
    return binds.length ? binds : ["127.0.0.1"];
  }

  /**
   * Opens a listener per address of `binds` on `port` (0: any free port, the same for all);
   * a `-` prefix marks an address that may fail. Throws when a required one fails.
   */
  #openListeners(port: number, binds: string[]): Deno.Listener[] {
    const opened: Deno.Listener[] = [];
    for (const b of binds) {
      const optional = b.startsWith("-");
      const host = listenHost(b);
      try {
        const l = Deno.listen({ hostname: host, port, transport: "tcp" });
        port = (l.addr as Deno.NetAddr).port;
        opened.push(l);
      } catch (e) {
        if (optional) continue;
        for (const l of opened) l.close();
        throw new Error(
          `Could not create server TCP listening socket ${host}:${port}: ${(e as Error).message}`,
        );
      }
    }
    return opened;
  }

  #startListeners(ls: Deno.Listener[]): void {
    this.#listeners = ls;
    if (ls.length > 0) this.#port = (ls[0]!.addr as Deno.NetAddr).port;
    for (const l of ls) this.#acceptLoop(l);
  }

  #closeListeners(): void {
    for (const l of this.#listeners) {
      try {
        l.close();
      } catch { /* already closed */ }
    }
    this.#listeners = [];
  }

  /**
   * CONFIG SET port/bind: a new port is bound before the old one closes; new addresses
   * replace the old ones (reopened if the new ones fail). Existing clients stay connected.
   */
  #rebind(portChange: boolean): void {
    if (!this.#listening) return;
    const port = this.config.getNumber("port");
    if (portChange) {
      let fresh: Deno.Listener[];
      try {
        fresh = this.#openListeners(port, this.#binds());
      } catch (e) {
        this.platform.log("warning", (e as Error).message);
        throw new ConfigError("Unable to listen on this port. Check server logs.");
      }
      this.#closeListeners();
      this.#startListeners(fresh);
      return;
    }
    // Addresses that stay keep their listener (closing and reopening one at once can fail
    // while its pending accept winds down); new ones open first, removed ones close last.
    const keep = new Map(this.#listeners.map((l) => [(l.addr as Deno.NetAddr).hostname, l]));
    const kept: Deno.Listener[] = [];
    const wanted: string[] = [];
    for (const b of this.#binds()) {
      const host = listenHost(b);
      const l = keep.get(host);
      if (l !== undefined) {
        kept.push(l);
        keep.delete(host);
      } else wanted.push(b);
    }
    let fresh: Deno.Listener[];
    try {
      fresh = this.#openListeners(this.#port, wanted);
    } catch (e) {
      this.platform.log("warning", (e as Error).message);
      throw new ConfigError("Failed to bind to specified addresses.");
    }
    for (const l of keep.values()) {
      try {
        l.close();
      } catch { /* already closed */ }
    }
    this.#listeners = [...kept, ...fresh];
    for (const l of fresh) this.#acceptLoop(l);
  }

  /** Installs SIGINT/SIGTERM handlers that shut down gracefully. */
  handleSignals(): void {
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      const h = () => {
        this.platform.log("warning", `Received ${sig} scheduling shutdown...`);
        // Like Redis: a signal saves when save points are configured.
        const err = this.engine.persistence.shutdown(null);
        if (err !== null) this.platform.log("warning", err);
        this.close();
      };
      Deno.addSignalListener(sig, h);
      this.#signalHandlers.push([sig, h]);
    }
  }

  async #acceptLoop(l: Deno.Listener): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await l.accept();
      } catch {
        return; // listener closed
      }
      const engine = this.engine;
      engine.stats.connections++;
      if (engine.clients.size >= this.config.getNumber("maxclients")) {
        engine.stats.rejectedConnections++;
        conn.write(new TextEncoder().encode("-ERR max number of clients reached\r\n"))
          .catch(() => {})
          .finally(() => conn.close());
        continue;
      }
      const c = new Connection(this, conn as Deno.TcpConn);
      this.#conns.add(c);
      c.run().finally(() => this.#conns.delete(c));
    }
  }

  #startCron(): void {
    if (this.#cron !== undefined) clearInterval(this.#cron);
    const hz = Math.min(500, Math.max(1, this.config.getNumber("hz")));
    const period = 1000 / hz;
    this.#cron = setInterval(() => this.engine.tick(period), period);
  }

  #shutdownCommand(o: { save: boolean | null; now: boolean; force: boolean }): string | null {
    this.platform.log("warning", "User requested shutdown...");
    const err = this.engine.persistence.shutdown(o.save);
    if (err !== null) {
      this.platform.log("warning", err);
      if (!o.force) return "Errors trying to SHUTDOWN. Check logs.";
    }
    queueMicrotask(() => this.close());
    return null;
  }

  /** Stops listening, closes every client and resolves {@link finished}. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closing = (async () => {
      if (this.#cron !== undefined) clearInterval(this.#cron);
      this.engine.persistence.close();
      this.#closeListeners();
      for (const [sig, h] of this.#signalHandlers) Deno.removeSignalListener(sig, h);
      const pending = [...this.#conns].map((c) => c.closeGracefully());
      await Promise.allSettled(pending);
      this.platform.log("warning", "Redis is now ready to exit, bye bye...");
      this.#done.resolve();
    })();
    return this.#closing;
  }
}

/** The address to listen on for a `bind` entry (`-` marks it optional; `*` is any). */
function listenHost(bind: string): string {
  const host = bind.startsWith("-") ? bind.slice(1) : bind;
  return host === "*" ? "0.0.0.0" : host === "::*" ? "::" : host;
}

let host: { os: string; archBits: number; totalMemory: number } | null = null;

/** Operating system line and total memory for INFO (needs --allow-sys; degrades without). */
function hostInfo(): { os: string; archBits: number; totalMemory: number } {
  if (host !== null) return host;
  const os = Deno.build.os === "linux"
    ? "Linux"
    : Deno.build.os === "darwin"
    ? "Darwin"
    : Deno.build.os;
  let release = "";
  let totalMemory = 0;
  try {
    release = Deno.osRelease() + " ";
    totalMemory = Deno.systemMemoryInfo().total;
  } catch { /* no --allow-sys */ }
  host = { os: `${os} ${release}${Deno.build.arch}`, archBits: 64, totalMemory };
  return host;
}

function randomHex(n: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n / 2));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * One client connection: its socket, parser and read loop. It never writes on its own: the
 * engine's end-of-turn epilogue calls {@link ClientLink.write} once the AOF is durable.
 */
class Connection implements ClientLink {
  readonly client: Client;
  readonly parser: RequestParser;
  #writing: Promise<void> | null = null;
  #closed = false;
  /** Query buffer length shown by CLIENT LIST (`qbuf`). */
  #qbuf = 0;

  constructor(readonly server: Server, readonly conn: Deno.TcpConn) {
    const engine = server.engine;
    const c = engine.connect(
      this,
      fmtAddr(conn.remoteAddr as Deno.NetAddr),
      fmtAddr(conn.localAddr as Deno.NetAddr),
    );
    this.client = c;
    c.fd = nextFd++;
    this.parser = new RequestParser({ maxBulkLen: server.config.getNumber("proto-max-bulk-len") });
    this.parser.unauthenticated = !c.authenticated;
    c.queryBuffer = () => ({ used: this.#qbuf, capacity: this.parser.capacity });
    try {
      conn.setNoDelay(true);
      if (server.config.getNumber("tcp-keepalive") > 0) conn.setKeepAlive(true);
    } catch { /* not fatal */ }
  }

  async run(): Promise<void> {
    const c = this.client;
    const parser = this.parser;
    const engine = this.server.engine;
    try {
      while (!this.#closed) {
        const region = parser.writableRegion(READ_CHUNK);
        let n: number | null;
        try {
          n = await this.conn.read(
            region.length > READ_CHUNK * 4 ? region.subarray(0, READ_CHUNK * 4) : region,
          );
        } catch {
          break;
        }
        if (n === null || this.#closed) break;
        parser.commit(n);
        engine.stats.netInput += n;
        engine.stats.readsProcessed++;
        // Like Redis, any input (even a partial command) counts as activity for `timeout`.
        c.lastInteraction = engine.keyspace.clock();
        this.runInput();
        engine.replied(c);
        engine.endTurn();
        if (parser.pending > engine.config.getNumber("client-query-buffer-limit")) {
          engine.platform.log(
            "warning",
            `Closing client that reached max query buffer length: id=${c.id} addr=${c.addr}`,
          );
          break;
        }
        // Backpressure: read more only once this batch's replies are on the socket.
        await this.#drained();
        if (c.closeAfterReply) break;
      }
    } catch (e) {
      // Handler errors are caught by dispatch; anything reaching here is a bug outside a
      // handler. Dropping this client is safe; letting it reject would end the process.
      engine.platform.log(
        "warning",
        `Internal error, closing client id=${c.id} addr=${c.addr}: ${(e as Error)?.stack ?? e}`,
      );
    } finally {
      await this.closeGracefully();
    }
  }

  /** Parses and runs every complete request in the buffer. */
  runInput(): void {
    // Like Redis's query buffer, CLIENT LIST's qbuf counts the whole batch being processed
    // (the running command included) and what is left once it is done.
    this.#qbuf = this.parser.pending;
    // Consecutive calls of this batch share clock reads (see Observability.batchEnd).
    const obs = this.server.engine.observability;
    obs.inBatch = true;
    obs.batchEnd = -1;
    try {
      this.#runBatch();
    } finally {
      obs.inBatch = false;
      obs.batchEnd = -1;
    }
  }

  #runBatch(): void {
    const c = this.client;
    const parser = this.parser;
    const w = c.w;
    // A blocked client's further input waits in the parser until it is unblocked.
    while (!c.closeAfterReply && !this.#closed && c.blocked === null) {
      // A command held by CLIENT PAUSE runs first once the pause is over.
      let argv: string[] | null = c.postponed;
      if (argv !== null) c.postponed = null;
      else {
        try {
          argv = parser.next();
        } catch (e) {
          if (!(e instanceof ProtocolError)) throw e;
          w.error("ERR " + e.message);
          this.server.platform.log(
            "verbose",
            `Protocol error (${e.message}) from client: id=${c.id} addr=${c.addr}`,
          );
          c.closeAfterReply = true;
          return;
        }
      }
      if (argv === null) break;
      if (argv.length === 0) continue;
      // CLIENT REPLY: a pending SKIP applies to this command only (and CLIENT REPLY ON/SKIP
      // run now may lift or re-arm it); OFF silences everything until CLIENT REPLY ON.
      if (c.replyMode === "skip") {
        c.replyMode = "on";
        c.skipNext = true;
      }
      const mark = w.mark();
      // A replica gets the replication stream only, never replies to its own commands.
      const replica = c.replica;
      dispatch(c, argv);
      if (c.skipNext || c.replyMode === "off" || replica) {
        w.truncate(mark);
        c.skipNext = false;
      }
      if (c.outOfBand !== null) {
        for (const b of c.outOfBand) w.rawBytes(b);
        c.outOfBand = null;
      }
      // AUTH lifts the unauthenticated protocol limits; RESET may bring them back.
      if (parser.unauthenticated === c.authenticated) {
        parser.unauthenticated = !c.authenticated &&
          this.server.config.getString("requirepass") !== "";
      }
    }
    parser.shrink();
    this.#qbuf = parser.pending;
  }

  /** Starts writing everything pending (the engine's epilogue calls this); one loop at a time. */
  write(): void {
    if (this.#writing !== null || this.#closed || this.client.w.length === 0) return;
    this.#writing = this.#writeLoop();
  }

  async #writeLoop(): Promise<void> {
    const c = this.client;
    const w = c.w;
    const stats = this.server.engine.stats;
    try {
      while (w.length > 0 && !this.#closed) {
        const data = w.take();
        c.pendingOutput = data.length;
        let off = 0;
        while (off < data.length) off += await this.conn.write(data.subarray(off));
        stats.netOutput += data.length;
        stats.writesProcessed++;
      }
    } catch {
      this.close();
    } finally {
      c.pendingOutput = 0;
      this.#writing = null;
      w.shrink();
    }
  }

  /** Resolves when the write loop started by the epilogue (if any) has finished. */
  async #drained(): Promise<void> {
    while (this.#writing !== null) await this.#writing;
  }

  /** Sends pending replies (through the epilogue), then closes. */
  async closeGracefully(): Promise<void> {
    if (!this.#closed) {
      const engine = this.server.engine;
      engine.replied(this.client);
      engine.endTurn();
      await this.#drained().catch(() => {});
    }
    this.close();
  }

  /** Closes the socket now and forgets the client. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.server.engine.disconnect(this.client);
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }
}

function fmtAddr(a: Deno.NetAddr): string {
  return `${a.hostname}:${a.port}`;
}
