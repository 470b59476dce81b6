/**
 * The engine: all server state (keyspace, config, command table, clients, persistence,
 * registries) and the end-of-turn epilogue, without any platform API. The network edge
 * (src/server/) owns sockets, files, timers and signals and talks to the engine through
 * {@link Platform} and one small {@link ClientLink} per connection; tests can drive the engine
 * in-process without TCP (see {@link Engine.connect}).
 *
 * Every reply leaves through {@link Engine.endTurn}, Redis's `beforeSleep`: clients unblocked
 * during the turn run their pending input, the AOF is written and fsynced per policy, and only
 * then are replies handed to the sockets. So under `appendfsync always` no write is
 * acknowledged before it is on disk, whichever client (or timer) caused the reply.
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import {
  Client,
  newMetrics,
  newStats,
  type Platform,
  type ServerContext,
  type ServerMetrics,
  type ServerStats,
} from "../commands/context.ts";
import { touchWatchedKey, unwatchAll } from "../commands/watch.ts";
import { releaseClient } from "../commands/connection.ts";
import { CommandTable } from "../commands/table.ts";
import { allCommands } from "../commands/registry.ts";
import { sampleServerStats } from "../commands/info.ts";
import { commandReplayer } from "../commands/persistence.ts";
import type { BlockingRegistry } from "../commands/blocking.ts";
import { type FunctionRegistry, functionsOf } from "../commands/functions.ts";
import type { ScriptingState } from "../commands/scripting.ts";
import type { BusyScript } from "../commands/busy.ts";
import { Observability } from "../commands/slowlog.ts";
import { PauseState } from "../commands/pause.ts";
import { Keyspace } from "../store/keyspace.ts";
import { Persistence } from "../persistence/manager.ts";
import type { PersistenceIO } from "../persistence/io.ts";

/** What the engine needs from one connection (implemented by the network edge). */
export interface ClientLink {
  /** Runs the complete requests waiting in the connection's input (after an unblock). */
  runInput(): void;
  /** Starts writing the client's pending output to its socket (called only by the epilogue). */
  write(): void;
  /** Closes the connection now. */
  close(): void;
}

/** Options of {@link Engine}. */
export interface EngineOptions {
  /** Configuration. */
  config: Config;
  /** Platform services (logging, memory, timers, randomness, shutdown...). */
  platform: Platform;
  /** Clock in ms. */
  clock: () => number;
  /** The data directory. */
  io: PersistenceIO;
}

/** The server state and its turn loop. */
export class Engine implements ServerContext {
  readonly keyspace: Keyspace;
  readonly config: Config;
  readonly commands: CommandTable;
  readonly clients: Map<number, Client> = new Map();
  stats: ServerStats = newStats();
  readonly metrics: ServerMetrics = newMetrics();
  readonly startTime: number;
  readonly runId: string;
  readonly persistence: Persistence;
  readonly platform: Platform;
  readonly watched: Map<number, Map<string, Set<Client>>> = new Map();
  blocking?: BlockingRegistry;
  scriptClient?: Client;
  scripting?: ScriptingState;
  functions?: FunctionRegistry;
  busyScript: BusyScript | null = null;
  readonly observability: Observability;
  readonly pause: PauseState;
  /** Whether used memory (V8 heap + external buffers, as INFO used_memory) is over maxmemory. */
  overMaxmemory = false;

  readonly #links = new Map<Client, ClientLink>();
  /** Clients with output to write at the end of the turn. */
  readonly #outbox = new Set<Client>();
  /** Clients unblocked during the turn whose pending input must run before the turn ends. */
  #resumed: Client[] = [];
  #turnQueued = false;
  #inTurn = false;

  /** Creates the state; nothing is loaded until {@link loadData}. */
  constructor(opts: EngineOptions) {
    this.config = opts.config;
    this.platform = opts.platform;
    this.keyspace = new Keyspace(this.config.getNumber("databases"), opts.clock);
    this.commands = new CommandTable(allCommands());
    this.observability = new Observability(this.config);
    this.pause = new PauseState(this);
    this.startTime = opts.clock();
    this.runId = this.platform.randomHex(40);
    this.persistence = new Persistence({
      keyspace: this.keyspace,
      config: this.config,
      io: opts.io,
      pid: this.platform.pid,
      log: (level, msg) => this.platform.log(level, msg),
      usedMemory: () => this.platform.memory().rss,
      randomId: () => this.platform.randomHex(40),
      timer: (ms, fn) => this.platform.timer(ms, fn),
      sleep: (ms) => this.platform.sleep(ms),
      functions: {
        codes: () => this.functions?.codes() ?? [],
        restore: (codes, replace) =>
          functionsOf(this).restore(codes, replace ? "replace" : "append"),
      },
    });
    this.#wirePersistence();
    this.keyspace.onModified((db, key) => touchWatchedKey(this, db.id, key));
    this.#syncAccessTracking();
    this.config.onChange((name) => {
      if (name === "maxmemory-policy" || name.startsWith("lfu-")) this.#syncAccessTracking();
      if (name === "maxmemory") this.checkMaxmemory();
    });
  }

  /** Updates {@link overMaxmemory} from the platform's memory figures. */
  checkMaxmemory(): void {
    const max = this.config.getNumber("maxmemory");
    if (max <= 0) {
      this.overMaxmemory = false;
      return;
    }
    const m = this.platform.memory();
    this.overMaxmemory = m.heapUsed + m.external > max;
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

  /** Keyspace access tracking follows the eviction policy (LRU clock or LFU counter). */
  #syncAccessTracking(): void {
    const c = this.config;
    this.keyspace.configureAccess(
      c.getString("maxmemory-policy"),
      c.getNumber("lfu-log-factor"),
      c.getNumber("lfu-decay-time"),
    );
  }

  /**
   * Loads the dataset from `dir` as Redis does at startup: the AOF when `appendonly yes`,
   * else the RDB file. Throws with a readable message when the data can't be read.
   */
  loadData(): void {
    this.persistence.loadAtStartup(commandReplayer(this));
  }

  /**
   * Registers a new client whose connection is `link`; `addr`/`laddr` are `ip:port`.
   * The client's `wake`, `resume` and `kill` go through the engine.
   */
  connect(link: ClientLink, addr = "", laddr = ""): Client {
    const c = new Client(this, this.keyspace.clock());
    c.addr = addr;
    c.laddr = laddr;
    c.kill = () => link.close();
    c.wake = () => this.#want(c);
    c.resume = () => {
      this.#resumed.push(c);
      this.#want(c);
    };
    c.w.onError = (msg) => {
      const stats = this.stats;
      stats.errorReplies++;
      const sp = msg.indexOf(" ");
      const code = sp < 0 ? msg : msg.slice(0, sp);
      stats.errorCodes.set(code, (stats.errorCodes.get(code) ?? 0) + 1);
    };
    this.clients.set(c.id, c);
    this.#links.set(c, link);
    return c;
  }

  /** Forgets a client whose connection closed: its watches, blocking and subscriptions. */
  disconnect(c: Client): void {
    if (!this.#links.delete(c)) return;
    this.clients.delete(c.id);
    this.#outbox.delete(c);
    unwatchAll(c);
    c.blocked?.cancel();
    releaseClient(c);
  }

  /** `c` has output (or resumed input): the turn must end with an epilogue. */
  #want(c: Client): void {
    this.#outbox.add(c);
    if (this.#inTurn || this.#turnQueued) return;
    // Outside a read (a timer fired, a background job ended): end the turn in a microtask,
    // after whatever is running now.
    this.#turnQueued = true;
    queueMicrotask(() => {
      this.#turnQueued = false;
      this.endTurn();
    });
  }

  /**
   * Marks `c` as having output from its own requests; the read loop calls this and then
   * {@link endTurn}.
   */
  replied(c: Client): void {
    this.#outbox.add(c);
  }

  /**
   * The epilogue of an event-loop turn (Redis's `beforeSleep`): serves clients blocked on keys
   * made ready, runs the input of clients unblocked meanwhile (which may unblock more), flushes
   * and fsyncs the AOF per `appendfsync`, then starts writing every client's pending output.
   */
  endTurn(): void {
    if (this.#inTurn) return;
    this.#inTurn = true;
    try {
      for (;;) {
        const blocking = this.blocking;
        // While a script is busy its writes are not over: keys it made ready wait for it.
        if (blocking !== undefined && blocking.pending && this.busyScript === null) {
          blocking.handleReady();
        }
        if (this.#resumed.length === 0) break;
        const batch = this.#resumed;
        this.#resumed = [];
        for (const c of batch) {
          const link = this.#links.get(c);
          if (link === undefined) continue;
          try {
            link.runInput();
          } catch (e) {
            // A bug outside any handler: drop just this client.
            this.platform.log(
              "warning",
              `Internal error, closing client id=${c.id} addr=${c.addr}: ${
                (e as Error)?.stack ?? e
              }`,
            );
            link.close();
          }
        }
      }
      // The AOF is written (and fsynced under `appendfsync always`) before replies go out.
      this.persistence.flushAof();
      const out = this.#outbox;
      if (out.size !== 0) {
        // Starting a write never adds to the outbox, so it can be cleared after the loop.
        for (const c of out) this.#links.get(c)?.write();
        out.clear();
      }
    } finally {
      this.#inTurn = false;
    }
  }

  /** The periodic work of one `hz` tick: stats, maxmemory, active expiry, timeouts, saves. */
  tick(period: number): void {
    sampleServerStats(this);
    this.checkMaxmemory();
    if (this.busyScript !== null) {
      // A script is running (paused between slices): the dataset must not change under it,
      // so expiry, timeouts and saves wait, as Redis's cron does during a busy script.
      this.endTurn();
      return;
    }
    // Redis spends at most 25% of a tick on active expiry.
    const effort = this.config.getNumber("active-expire-effort");
    const t0 = this.platform.nowMicros();
    this.keyspace.activeExpireCycle(period * (0.25 + (effort - 1) * 0.02));
    const ms = Math.floor((this.platform.nowMicros() - t0) / 1000);
    this.observability.sampleLatency("expire-cycle", ms, this.keyspace.clock());
    const timeout = this.config.getNumber("timeout") * 1000;
    if (timeout > 0) {
      const now = this.keyspace.clock();
      for (const c of this.clients.values()) {
        // Blocked clients wait for their own timeout, as in Redis.
        if (now - c.lastInteraction > timeout && c.blocked === null && !c.replica) c.kill();
      }
    }
    this.persistence.cron();
    this.endTurn();
  }
}
