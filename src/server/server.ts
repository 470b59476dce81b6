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
import {
  Client,
  newStats,
  type Platform,
  type ServerContext,
  type ServerStats,
} from "../commands/context.ts";
import { dispatch } from "../commands/dispatch.ts";
import { touchWatchedKey, unwatchAll } from "../commands/watch.ts";
import { clientExtensions } from "../commands/connection.ts";
import { CommandTable } from "../commands/table.ts";
import { allCommands } from "../commands/registry.ts";
import { sampleServerStats } from "../commands/server.ts";
import { ProtocolError, RequestParser } from "../resp/parser.ts";
import { Keyspace } from "../store/keyspace.ts";
import { log, setLogLevel } from "./log.ts";
import { Persistence } from "../persistence/manager.ts";
import { commandReplayer } from "../commands/persistence.ts";
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

/** A running cedis server. */
export class Server implements ServerContext {
  readonly keyspace: Keyspace;
  readonly config: Config;
  readonly commands: CommandTable;
  readonly clients: Map<number, Client> = new Map();
  stats: ServerStats = newStats();
  readonly startTime: number;
  readonly runId: string;
  readonly persistence: Persistence;
  readonly platform: Platform;
  readonly watched: Map<number, Map<string, Set<Client>>> = new Map();
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
    this.config = opts.config ?? new Config();
    this.#quiet = opts.quiet ?? false;
    const clock = opts.clock ?? Date.now;
    this.keyspace = new Keyspace(this.config.getNumber("databases"), clock);
    this.commands = new CommandTable(allCommands());
    this.startTime = clock();
    this.persistence = new Persistence({
      keyspace: this.keyspace,
      config: this.config,
      io: new DataDir(() => this.config.getText("dir")),
      pid: Deno.pid,
      log: (level, msg) => this.platform.log(level, msg),
      usedMemory: () => Deno.memoryUsage().rss,
    });
    this.runId = randomHex(40);
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
    };
    this.#wireConfig();
    this.#wirePersistence();
    setLogLevel(this.config.getString("loglevel"));
    this.config.onChange((name, value) => {
      if (name === "hz") this.#startCron();
      if (name === "loglevel") setLogLevel(String(value));
      if (name === "proto-max-bulk-len") {
        for (const c of this.#conns) c.parser.options.maxBulkLen = Number(value);
      }
    });
    this.keyspace.onModified((db, key) => touchWatchedKey(this, db.id, key));
    this.#syncAccessTracking();
    this.config.onChange((name) => {
      if (name === "maxmemory-policy" || name.startsWith("lfu-")) this.#syncAccessTracking();
      if (name === "maxmemory") this.#checkMaxmemory();
    });
  }

  /** Whether used memory (V8 heap + external buffers, as INFO used_memory) is over maxmemory. */
  overMaxmemory = false;

  #checkMaxmemory(): void {
    const max = this.config.getNumber("maxmemory");
    if (max <= 0) {
      this.overMaxmemory = false;
      return;
    }
    const m = this.platform.memory();
    this.overMaxmemory = m.heapUsed + m.external > max;
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

  /** Unix time (s) of the last successful save (kept by the persistence state). */
  get lastSave(): number {
    return this.persistence.lastSave;
  }

  set lastSave(t: number) {
    this.persistence.lastSave = t;
  }

  /**
   * Persistence wiring: CONFIG SET appendonly turns the AOF on (through a rewrite) or off;
   * keys deleted by expiry or eviction are propagated as DEL.
   */
  #wirePersistence(): void {
    const p = this.persistence;
    this.config.onApply("appendonly", (_, value) => {
      if (value === true) p.startAof();
      else p.stopAof();
    });
    this.keyspace.onEvent((cls, event, key, db) => {
      if ((cls === "x" && event === "expired") || (cls === "e" && event === "evicted")) {
        p.feed.add(db, ["DEL", key]);
      }
    });
  }

  /**
   * Loads the dataset from `dir` as Redis does at startup: the AOF when `appendonly yes`,
   * else the RDB file. Throws with a readable message when the data can't be read.
   */
  loadData(): void {
    this.persistence.loadAtStartup(commandReplayer(this));
  }

  /** Keyspace access tracking follows the eviction policy (LRU clock or LFU counter). */
  #syncAccessTracking(): void {
    const c = this.config;
    this.keyspace.configureAccess(
      c.getString("maxmemory-policy"),
      c.getNumber("lfu-log-factor"),
      c.getNumber("lfu-decay-time"),
    );
  }

  /** The TCP port listened on. */
  get port(): number {
    return this.#port;
  }

  /** Resolves when the server has shut down. */
  get finished(): Promise<void> {
    return this.#done.promise;
  }

  /** Binds the configured addresses and starts accepting clients. */
  listen(): void {
    this.#startListeners(this.#openListeners(this.config.getNumber("port"), this.#binds()));
    this.#listening = true;
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
        const err = this.persistence.shutdown(null);
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
      this.stats.connections++;
      if (this.clients.size >= this.config.getNumber("maxclients")) {
        this.stats.rejectedConnections++;
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
    this.#cron = setInterval(() => this.#tick(period), period);
  }

  #tick(period: number): void {
    sampleServerStats(this);
    this.#checkMaxmemory();
    // Redis spends at most 25% of a tick on active expiry.
    const effort = this.config.getNumber("active-expire-effort");
    this.keyspace.activeExpireCycle(period * (0.25 + (effort - 1) * 0.02));
    const timeout = this.config.getNumber("timeout") * 1000;
    if (timeout > 0) {
      const now = this.keyspace.clock();
      for (const c of this.clients.values()) {
        // Blocked clients wait for their own timeout, as in Redis.
        if (now - c.lastInteraction > timeout && c.blocked === null && !c.replica) c.kill();
      }
    }
    this.persistence.cron();
  }

  #shutdownCommand(o: { save: boolean | null; now: boolean; force: boolean }): string | null {
    this.platform.log("warning", "User requested shutdown...");
    const err = this.persistence.shutdown(o.save);
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
      this.persistence.close();
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

/** One client connection: its socket, parser and read/write loop. */
class Connection {
  readonly client: Client;
  readonly parser: RequestParser;
  #writing = false;
  #closed = false;
  #flushed: Promise<void> | null = null;
  /** Query buffer length shown by CLIENT LIST (`qbuf`). */
  #qbuf = 0;

  constructor(readonly server: Server, readonly conn: Deno.TcpConn) {
    const now = server.keyspace.clock();
    const c = new Client(server, now);
    this.client = c;
    const ra = conn.remoteAddr as Deno.NetAddr;
    const la = conn.localAddr as Deno.NetAddr;
    c.addr = fmtAddr(ra);
    c.laddr = fmtAddr(la);
    c.fd = nextFd++;
    this.parser = new RequestParser({ maxBulkLen: server.config.getNumber("proto-max-bulk-len") });
    this.parser.unauthenticated = !c.authenticated;
    c.queryBuffer = () => ({ used: this.#qbuf, capacity: this.parser.capacity });
    c.kill = () => this.#close();
    c.wake = () => {
      this.flush().catch(() => {});
    };
    // Unblocked by another client's command or a timer: send the reply and run the input
    // that arrived meanwhile, after the current command is done (never re-entrantly).
    c.resume = () =>
      queueMicrotask(() => {
        if (this.#closed) return;
        try {
          this.#process();
        } catch (e) {
          // Outside any read loop: an escaping error would end the process, so drop just
          // this client, as run() does.
          server.platform.log(
            "warning",
            `Internal error, closing client id=${c.id} addr=${c.addr}: ${(e as Error)?.stack ?? e}`,
          );
          this.#close();
          return;
        }
        this.flush().catch(() => {});
      });
    c.w.onError = (msg) => {
      const stats = server.stats;
      stats.errorReplies++;
      const sp = msg.indexOf(" ");
      const code = sp < 0 ? msg : msg.slice(0, sp);
      stats.errorCodes.set(code, (stats.errorCodes.get(code) ?? 0) + 1);
    };
    server.clients.set(c.id, c);
    try {
      conn.setNoDelay(true);
      if (server.config.getNumber("tcp-keepalive") > 0) conn.setKeepAlive(true);
    } catch { /* not fatal */ }
  }

  async run(): Promise<void> {
    const c = this.client;
    const parser = this.parser;
    const server = this.server;
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
        server.stats.netInput += n;
        server.stats.readsProcessed++;
        // Like Redis, any input (even a partial command) counts as activity for `timeout`.
        c.lastInteraction = server.keyspace.clock();
        this.#process();
        // The AOF is written (and fsynced under `appendfsync always`) before replies go out.
        server.persistence.flushAof();
        if (parser.pending > server.config.getNumber("client-query-buffer-limit")) {
          server.platform.log(
            "warning",
            `Closing client that reached max query buffer length: id=${c.id} addr=${c.addr}`,
          );
          break;
        }
        await this.flush();
        if (c.closeAfterReply) break;
      }
    } catch (e) {
      // Handler errors are caught by dispatch; anything reaching here is a bug outside a
      // handler. Dropping this client is safe; letting it reject would end the process.
      server.platform.log(
        "warning",
        `Internal error, closing client id=${c.id} addr=${c.addr}: ${(e as Error)?.stack ?? e}`,
      );
    } finally {
      await this.flush().catch(() => {});
      this.#close();
    }
  }

  /** Parses and runs every complete request in the buffer. */
  #process(): void {
    const c = this.client;
    const parser = this.parser;
    const w = c.w;
    // Like Redis's query buffer, CLIENT LIST's qbuf counts the whole batch being processed
    // (the running command included) and what is left once it is done.
    this.#qbuf = parser.pending;
    // A blocked client's further input waits in the parser until it is unblocked.
    while (!c.closeAfterReply && !this.#closed && c.blocked === null) {
      let argv: string[] | null;
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

  /** Writes everything pending; concurrent callers wait for the same write loop. */
  flush(): Promise<void> {
    if (this.#writing) return this.#flushed!;
    if (this.client.w.length === 0) return Promise.resolve();
    this.#writing = true;
    this.#flushed = (async () => {
      const w = this.client.w;
      try {
        while (w.length > 0 && !this.#closed) {
          const data = w.take();
          this.client.pendingOutput = data.length;
          let off = 0;
          while (off < data.length) off += await this.conn.write(data.subarray(off));
          this.server.stats.netOutput += data.length;
          this.server.stats.writesProcessed++;
        }
      } catch {
        this.#close();
      } finally {
        this.client.pendingOutput = 0;
        this.#writing = false;
        w.shrink();
      }
    })();
    return this.#flushed;
  }

  /** Sends pending replies, then closes. */
  async closeGracefully(): Promise<void> {
    await this.flush().catch(() => {});
    this.#close();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const c = this.client;
    this.server.clients.delete(c.id);
    unwatchAll(c);
    c.blocked?.cancel();
    for (const hook of clientExtensions.onClose) hook(c);
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }
}

function fmtAddr(a: Deno.NetAddr): string {
  return `${a.hostname}:${a.port}`;
}
