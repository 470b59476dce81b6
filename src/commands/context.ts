/**
 * What a command handler sees: the calling {@link Client} (Redis's `client *c`) and, through
 * it, the server state in {@link ServerContext}. The network layer implements the platform
 * parts (sockets, clock, shutdown); commands never touch Deno APIs.
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import type { Db, Keyspace } from "../store/keyspace.ts";
import { ReplyWriter } from "../resp/writer.ts";
import type { Command, CommandTable } from "./table.ts";
import type { Persistence } from "../persistence/manager.ts";
import type { BlockingRegistry } from "./blocking.ts";
import type { PubSubClient } from "./pubsub.ts";
import type { ScriptingState } from "./scripting.ts";
import type { FunctionRegistry } from "./functions.ts";
import type { BusyScript } from "./busy.ts";
import type { Observability } from "./slowlog.ts";
import type { PauseState } from "./pause.ts";

/** Counters shown by INFO stats and reset by CONFIG RESETSTAT. */
export interface ServerStats {
  /** Commands executed. */
  commands: number;
  /** Connections accepted. */
  connections: number;
  /** Connections refused for maxclients. */
  rejectedConnections: number;
  /** Bytes read from clients. */
  netInput: number;
  /** Bytes written to clients. */
  netOutput: number;
  /** Socket reads that returned data (INFO `total_reads_processed`). */
  readsProcessed: number;
  /** Socket writes of replies (INFO `total_writes_processed`). */
  writesProcessed: number;
  /** Error replies sent. */
  errorReplies: number;
  /** Commands that failed before running (unknown, arity, auth...). */
  rejectedCalls: number;
  /** Commands that ran and replied with an error. */
  failedCalls: number;
  /** Error counts by error code (the first word). */
  errorCodes: Map<string, number>;
  /** Per command: calls, total microseconds, rejected and failed calls. */
  perCommand: Map<string, CommandStats>;
}

/** Per-command statistics (INFO commandstats). */
export interface CommandStats {
  /** Calls. */
  calls: number;
  /** Total time in microseconds. */
  usec: number;
  /** Calls rejected before running. */
  rejected: number;
  /** Calls that replied with an error. */
  failed: number;
}

/** Creates zeroed statistics. */
export function newStats(): ServerStats {
  return {
    commands: 0,
    connections: 0,
    rejectedConnections: 0,
    netInput: 0,
    netOutput: 0,
    readsProcessed: 0,
    writesProcessed: 0,
    errorReplies: 0,
    rejectedCalls: 0,
    failedCalls: 0,
    errorCodes: new Map(),
    perCommand: new Map(),
  };
}

/** A rate sampled over time (`instantaneous_*` in INFO). */
export interface RateMetric {
  /** Per-second rates of the last samples. */
  samples: number[];
  /** Counter value at the last sample. */
  lastValue: number;
  /** Time (ms) of the last sample; 0 before the first. */
  lastTime: number;
}

/** Figures INFO derives over time, sampled from the `hz` timer. */
export interface ServerMetrics {
  /** Highest `used_memory` seen. */
  peakMemory: number;
  /** `used_memory` at the first sample (-1 before it). */
  startupMemory: number;
  /** Commands per second. */
  ops: RateMetric;
  /** Input bytes per second. */
  netIn: RateMetric;
  /** Output bytes per second. */
  netOut: RateMetric;
}

/** Creates empty metrics. */
export function newMetrics(): ServerMetrics {
  const rate = (): RateMetric => ({ samples: [], lastValue: 0, lastTime: 0 });
  return { peakMemory: 0, startupMemory: -1, ops: rate(), netIn: rate(), netOut: rate() };
}

/** Platform facts and actions the server layer provides to commands. */
export interface Platform {
  /** Process id. */
  pid: number;
  /** Resident set size and V8 heap, in bytes. */
  memory(): { rss: number; heapUsed: number; heapTotal: number; external: number };
  /** Path of the executable and of the config file ("" if none). */
  executable: string;
  /** Absolute path of the config file, or "" when started without one. */
  configFile: string;
  /** TCP port actually listened on. */
  port(): number;
  /** Requests a shutdown; returns an error text when it is refused. */
  shutdown(opts: { save: boolean | null; now: boolean; force: boolean }): string | null;
  /** Blocks the whole server for `ms` (DEBUG SLEEP): synchronous on purpose. */
  sleep(ms: number): void;
  /** Writes the config file (CONFIG REWRITE); returns an error text on failure. */
  rewriteConfig(text: string): string | null;
  /** Reads the config file text for CONFIG REWRITE, or null. */
  readConfig(): string | null;
  /** Log a line with Redis's log format. */
  log(level: "debug" | "verbose" | "notice" | "warning", msg: string): void;
  /** CPU time used by the process, in seconds (INFO cpu); absent when unknown. */
  cpuUsage?(): { user: number; sys: number };
  /** Host facts for INFO: `os` line, pointer size in bits, total RAM in bytes (0 if unknown). */
  host?(): { os: string; archBits: number; totalMemory: number };
  /**
   * Calls `fn` once after `ms` milliseconds (blocking-command timeouts, background jobs);
   * returns a function that cancels it.
   */
  timer(ms: number, fn: () => void): () => void;
  /** `n` random hex digits from a cryptographic source (run ids, replication ids). */
  randomHex(n: number): string;
  /**
   * Unix time in microseconds, with sub-millisecond resolution (command durations for
   * SLOWLOG, LATENCY and commandstats; MONITOR timestamps).
   */
  nowMicros(): number;
}

/** Shared server state visible to commands. */
export interface ServerContext {
  /** The databases. */
  readonly keyspace: Keyspace;
  /** Configuration. */
  readonly config: Config;
  /** The command table. */
  readonly commands: CommandTable;
  /** Connected clients by id. */
  readonly clients: Map<number, Client>;
  /** Statistics. */
  stats: ServerStats;
  /** Sampled rates and memory peaks (INFO). */
  readonly metrics: ServerMetrics;
  /** Server start time (ms since epoch). */
  readonly startTime: number;
  /** 40-hex-char run id. */
  readonly runId: string;
  /** Unix time (s) of the last successful save. */
  lastSave: number;
  /** Platform services. */
  readonly platform: Platform;
  /** Keys touched per database watched by clients (WATCH). */
  readonly watched: Map<number, Map<string, Set<Client>>>;
  /**
   * Used memory is over a non-zero `maxmemory`: commands flagged `denyoom` are refused with
   * OOM. Kept up to date by the server (each `hz` tick and on CONFIG SET maxmemory) so the
   * dispatcher only reads a boolean. cedis does not evict yet, so every policy refuses.
   */
  overMaxmemory?: boolean;
  /** RDB/AOF persistence, the write feed and replicas (src/persistence/manager.ts). */
  readonly persistence: Persistence;
  /**
   * Clients parked by blocking commands, created on first use by src/commands/blocking.ts;
   * the dispatcher serves the keys it marks ready after each command.
   */
  blocking?: BlockingRegistry;
  /** The client scripts run their commands on (src/commands/lua_bridge.ts), once needed. */
  scriptClient?: Client;
  /** The EVAL script cache and Lua state (src/commands/scripting.ts), once needed. */
  scripting?: ScriptingState;
  /** The FUNCTION libraries (src/commands/functions.ts), once needed. */
  functions?: FunctionRegistry;
  /** The script running past `busy-reply-threshold` (src/commands/busy.ts), if any. */
  busyScript?: BusyScript | null;
  /** Slow log, latency monitor, latency histograms and MONITOR clients (slowlog.ts). */
  readonly observability: Observability;
  /** CLIENT PAUSE state and the clients it holds (src/commands/pause.ts). */
  readonly pause: PauseState;
}

/** A client parked by a blocking command (BLPOP...), see src/commands/blocking.ts. */
export interface BlockedState {
  /** Database the command ran in. */
  readonly db: number;
  /** Keys waited on (without repeats). */
  readonly keys: readonly string[];
  /** Unblocks without any reply (the client disconnected). */
  cancel(): void;
}

/** A queued MULTI transaction. */
export interface MultiState {
  /** Queued commands (argv, with their command resolved at queue time). */
  queue: { cmd: Command; argv: string[] }[];
  /** An error while queuing makes EXEC fail with EXECABORT. */
  aborted: boolean;
}

let nextClientId = 1;

/** Per-connection state. */
export class Client {
  /** Unique id (CLIENT ID). */
  readonly id: number = nextClientId++;
  /** Reply encoder for this client. */
  readonly w: ReplyWriter = new ReplyWriter();
  /** Selected database. */
  db: Db;
  /** CLIENT SETNAME name ("" when none). */
  name = "";
  /** Whether AUTH succeeded (or none is needed). */
  authenticated: boolean;
  /** Authenticated user name. */
  user = "default";
  /** Active MULTI, or null. */
  multi: MultiState | null = null;
  /**
   * Keys watched by this client: db id → key → whether the key was stale (past its TTL, not
   * reclaimed yet) when watched. See src/commands/watch.ts.
   */
  watching: Map<number, Map<string, boolean>> | null = null;
  /** A watched key changed: EXEC must fail. */
  dirtyCas = false;
  /**
   * EXEC is running this client's queued commands (Redis keeps CLIENT_MULTI set then):
   * blocking commands must not block and answer as on timeout.
   */
  inExec = false;
  /** CLIENT REPLY mode. */
  replyMode: "on" | "off" | "skip" = "on";
  /**
   * Suppress the reply of the running command only: set by the connection loop for the
   * command that follows CLIENT REPLY SKIP (`replyMode` "skip" means such a skip is armed).
   */
  skipNext = false;
  /** CLIENT NO-EVICT. */
  noEvict = false;
  /** Close after the pending replies are written (QUIT, protocol errors, CLIENT KILL). */
  closeAfterReply = false;
  /** Creation time (ms). */
  readonly createdAt: number;
  /** Time of the last command (ms). */
  lastInteraction: number;
  /** Full name of the last command (e.g. `client|list`). */
  lastCommand = "NULL";
  /** Remote address `ip:port`. */
  addr = "";
  /** Local address `ip:port`. */
  laddr = "";
  /** Socket descriptor number shown by CLIENT LIST (`fd`). */
  fd = -1;
  /** Client library name and version (CLIENT SETINFO is 7.2; kept for CLIENT LIST). */
  libName = "";
  /** Size of the query buffer and its allocation (CLIENT LIST qbuf / qbuf-free). */
  queryBuffer: () => { used: number; capacity: number } = () => ({ used: 0, capacity: 0 });
  /** Bytes of replies written out but not yet acknowledged by the socket. */
  pendingOutput = 0;
  /** Closes the connection (CLIENT KILL); set by the network layer. */
  kill: () => void = () => {};
  /**
   * What the running command propagates to replicas and the AOF instead of its argv (Redis's
   * command rewriting), set through {@link propagateAs}; null: the argv as received.
   */
  propagate: string[][] | null = null;
  /** A replica connection (after SYNC/PSYNC): it gets the write feed and no replies. */
  replica = false;
  /**
   * Writes pending output now (set by the network layer): for output produced outside the
   * client's own requests, such as the replication stream.
   */
  wake: () => void = () => {};

  /**
   * Makes the running command propagate `commands` (possibly none) instead of its argv, even
   * if it did not change the dataset: e.g. `SET k v PXAT <ms>` for a relative TTL, `DEL k`
   * for GETDEL, none at all with no arguments.
   */
  propagateAs(...commands: string[][]): void {
    this.propagate = commands;
  }
  /**
   * Set while a blocking command has parked this client: the connection then runs none of
   * its further input until it is unblocked.
   */
  blocked: BlockedState | null = null;
  /**
   * Called once a blocked client has been unblocked (reply written): the network layer
   * sends the reply and runs the input that arrived meanwhile, in a later task.
   */
  resume: () => void = () => {};
  /** In MONITOR mode: every command other clients run is sent to it (monitor.ts). */
  monitor = false;
  /**
   * A command held by CLIENT PAUSE (the client is blocked meanwhile): the connection runs it
   * before any further input once the pause ends (src/commands/pause.ts).
   */
  postponed: string[] | null = null;
  /**
   * The call that blocked this client, for the slow log and the latency figures that Redis
   * records when a blocked command is unblocked: its command, argv and µs spent so far.
   */
  blockedCall: { cmd: Command; argv: string[]; duration: number } | null = null;
  /** Pub/sub subscriptions (src/commands/pubsub.ts); null when subscribed to nothing. */
  pubsub: PubSubClient | null = null;
  /**
   * Pushes to this client that must be sent even though the running command's replies are
   * suppressed (CLIENT REPLY OFF/SKIP): the connection appends them after dropping the replies.
   */
  outOfBand: Uint8Array[] | null = null;
  /** Flags shown in CLIENT LIST. */
  get flags(): string {
    let f = this.monitor ? "O" : "";
    if (this.pubsub !== null) f += "P";
    if (this.multi) f += "x";
    if (this.blocked) f += "b";
    if (this.dirtyCas) f += "d";
    if (this.closeAfterReply) f += "c";
    if (this.noEvict) f += "e";
    if (this.replica) f += "S";
    return f || "N";
  }

  /** Creates a client bound to `server`, starting in database 0. */
  constructor(readonly server: ServerContext, now: number) {
    this.db = server.keyspace.dbs[0]!;
    this.authenticated = !server.config.getString("requirepass");
    this.createdAt = now;
    this.lastInteraction = now;
  }

  /** The keyspace. */
  get ks(): Keyspace {
    return this.server.keyspace;
  }
}
