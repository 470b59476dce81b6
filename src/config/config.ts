/**
 * One typed configuration schema behind the config file, command-line arguments and
 * CONFIG GET/SET. Each parameter is declared once in {@link SCHEMA} with its type, default,
 * bounds, mutability and validation, matching Redis 7.0 (as `CONFIG GET *` and the errors of
 * `CONFIG SET` show them); values are kept in their canonical CONFIG GET text form plus a
 * parsed form for fast reads.
 *
 * Deliberate differences from Redis's defaults: `bind` is `127.0.0.1 -::1` (loopback only),
 * `dir` is the data directory `./data` (made absolute by the server layer), and
 * `enable-debug-command` is `local`. TLS parameters are absent, as in a Redis built without
 * TLS.
 *
 * @module
 */

/** A rejected value; `message` is Redis's explanation (e.g. "argument must be 'yes' or 'no'"). */
export class ConfigError extends Error {
  /** Creates a config error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/** How a parameter's value is read and shown. */
export type ConfigType = "bool" | "int" | "memory" | "string" | "enum" | "special";

/** One configuration parameter. */
export interface ConfigDef {
  /** Canonical name. */
  name: string;
  /** Other accepted names (e.g. `slaveof` for `replicaof`); CONFIG GET lists them too. */
  aliases?: string[];
  /** Value type. */
  type: ConfigType;
  /** Default, in CONFIG GET text form. */
  default: string;
  /** May change with CONFIG SET. */
  mutable: boolean;
  /** Inclusive lower bound for int/memory. */
  min?: bigint;
  /** Inclusive upper bound for int/memory. */
  max?: bigint;
  /** Allowed values for enum (lower case, in Redis's order). */
  values?: string[];
  /** An enum of flags: several space-separated values (e.g. `shutdown-on-sigint`). */
  flags?: boolean;
  /**
   * Takes several arguments: several words on a config-file line, a space-separated list in
   * CONFIG SET (`save`, `bind`, `client-output-buffer-limit`...).
   */
  multiArg?: boolean;
  /** CONFIG SET needs `enable-protected-configs` (`dir`, `dbfilename`). */
  protected?: boolean;
  /** Left out of CONFIG GET patterns (Redis's debug configs); an exact name still works. */
  hidden?: boolean;
  /**
   * Validates and normalises the value of a `special` or `string` parameter: `args` are the
   * arguments (one for single-argument parameters), `current` the current text. Throws
   * ConfigError.
   */
  parse?: (args: string[], current: string) => string;
  /** Extra check on the normalised text of a typed (bool, int...) parameter; throws. */
  check?: (text: string) => void;
  /**
   * The values written by CONFIG REWRITE, one entry per line (without the name), or null to
   * use the type's format.
   */
  rewrite?: (text: string) => string[];
}

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const UINT_MAX = 4294967295n;
const LLONG_MIN = -9223372036854775808n;
const LLONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;

function bool(name: string, dflt: boolean, mutable = true, aliases?: string[]): ConfigDef {
  return { name, type: "bool", default: dflt ? "yes" : "no", mutable, aliases };
}
function int(
  name: string,
  dflt: number,
  min: bigint,
  max: bigint,
  mutable = true,
  aliases?: string[],
): ConfigDef {
  return { name, type: "int", default: String(dflt), min, max, mutable, aliases };
}
function mem(
  name: string,
  dflt: number,
  min = 0n,
  max = LLONG_MAX,
  aliases?: string[],
): ConfigDef {
  return { name, type: "memory", default: String(dflt), min, max, mutable: true, aliases };
}
function str(name: string, dflt: string, mutable = true, aliases?: string[]): ConfigDef {
  return { name, type: "string", default: dflt, mutable, aliases };
}
function enm(name: string, dflt: string, values: string[], mutable = true): ConfigDef {
  return { name, type: "enum", default: dflt, values, mutable };
}

/** Words of a multi-argument value given to CONFIG SET (Redis splits on single spaces). */
export function splitValue(v: string): string[] {
  return v === "" ? [] : v.split(" ");
}

/** Parses `save` arguments: pairs of "<seconds> <changes>", or nothing / "" to disable. */
function parseSave(args: string[]): string {
  if (args.length === 0 || (args.length === 1 && args[0] === "")) return "";
  if (args.length % 2 !== 0) throw new ConfigError("Invalid save parameters");
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const secs = args[i]!;
    const changes = args[i + 1]!;
    if (!/^\d+$/.test(secs) || !/^\d+$/.test(changes) || BigInt(secs) < 1n) {
      throw new ConfigError("Invalid save parameters");
    }
    out.push(String(BigInt(secs)), String(BigInt(changes)));
  }
  return out.join(" ");
}

/** One `save` line per pair; `save ""` when disabled (so the defaults don't come back). */
function rewriteSave(text: string): string[] {
  if (text === "") return ['""'];
  const p = text.split(" ");
  const lines: string[] = [];
  for (let i = 0; i + 1 < p.length; i += 2) lines.push(`${p[i]} ${p[i + 1]}`);
  return lines;
}

/** The event classes `A` stands for. */
const EVENT_ALL = "g$lshzxetd";

/**
 * Parses `notify-keyspace-events` into Redis's canonical form: `A` or the classes in the
 * order `g$lshzxetdn`, then `K`, `E`, `m` (e.g. `KEA` → `AKE`). Like Redis, `n` is not shown
 * (and so not kept) next to `A`.
 */
function parseNotify(args: string[]): string {
  const v = args[0]!;
  for (const ch of v) {
    if (!"AKEg$lshzxetmdn".includes(ch)) {
      throw new ConfigError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    }
  }
  const has = (ch: string) => v.includes(ch) || (v.includes("A") && EVENT_ALL.includes(ch));
  let out = [...EVENT_ALL].every(has) ? "A" : [...(EVENT_ALL + "n")].filter(has).join("");
  for (const ch of "KEm") if (v.includes(ch)) out += ch;
  return out;
}

const COBL_CLASSES = ["normal", "slave", "pubsub"];
const COBL_DEFAULT = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

/** Parses `client-output-buffer-limit` (class hard soft seconds)..., changing `current`. */
function parseCobl(args: string[], current: string): string {
  if (args.length === 0) return current;
  if (args.length % 4 !== 0) {
    throw new ConfigError("Wrong number of arguments in buffer limit configuration.");
  }
  const cur = current.split(" ");
  const limits = new Map<string, string>();
  for (let i = 0; i + 3 < cur.length; i += 4) {
    limits.set(cur[i]!, `${cur[i + 1]} ${cur[i + 2]} ${cur[i + 3]}`);
  }
  for (let i = 0; i < args.length; i += 4) {
    let cls = args[i]!.toLowerCase();
    if (cls === "replica") cls = "slave";
    if (!COBL_CLASSES.includes(cls)) {
      throw new ConfigError("Invalid client class specified in buffer limit configuration.");
    }
    const hard = parseMemory(args[i + 1]!);
    const soft = parseMemory(args[i + 2]!);
    const secs = args[i + 3]!;
    if (hard === null || soft === null || !/^\d+$/.test(secs)) {
      throw new ConfigError(
        "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
      );
    }
    limits.set(cls, `${hard} ${soft} ${BigInt(secs)}`);
  }
  return COBL_CLASSES.map((c) => `${c} ${limits.get(c) ?? "0 0 0"}`).join(" ");
}

/** One line per class that differs from the default, with human memory units. */
function rewriteCobl(text: string): string[] {
  const p = text.split(" ");
  const d = COBL_DEFAULT.split(" ");
  const lines: string[] = [];
  for (let i = 0; i + 3 < p.length; i += 4) {
    if (p.slice(i, i + 4).join(" ") === d.slice(i, i + 4).join(" ")) continue;
    lines.push(
      `${p[i]} ${humanMemory(BigInt(p[i + 1]!))} ${humanMemory(BigInt(p[i + 2]!))} ${p[i + 3]}`,
    );
  }
  return lines;
}

/** Parses `oom-score-adj-values`: three integers in [-2000, 2000]. */
function parseOomValues(args: string[]): string {
  if (args.length !== 3) throw new ConfigError("wrong number of arguments");
  return args.map((a) => {
    if (!/^-?\d+$/.test(a) || Math.abs(Number(a)) > 2000) {
      throw new ConfigError(
        "Invalid oom-score-adj-values, elements must be between -2000 and 2000.",
      );
    }
    return String(Number(a));
  }).join(" ");
}

/** Parses `latency-tracking-info-percentiles`: doubles in [0, 100]. */
function parsePercentiles(args: string[]): string {
  const out: string[] = [];
  for (const a of args) {
    const n = a.trim() === "" ? NaN : Number(a);
    if (!Number.isFinite(n)) {
      throw new ConfigError("Invalid latency-tracking-info-percentiles parameters");
    }
    if (n < 0 || n > 100) {
      throw new ConfigError(
        "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]",
      );
    }
    out.push(String(n));
  }
  return out.join(" ");
}

/** Parses `maxmemory-clients`: a memory value or a percentage of maxmemory. */
function parseMemoryOrPercent(args: string[]): string {
  const v = args[0]!;
  const m = /^(\d+)%$/.exec(v);
  if (m) {
    const pct = BigInt(m[1]!);
    if (pct > 100n) throw new ConfigError("percentage argument must be less or equal to 100");
    return pct === 0n ? "0" : `${pct}%`;
  }
  const n = parseMemory(v);
  if (n === null) throw new ConfigError("argument must be a memory or percent value");
  return String(n);
}

/** Parses `replicaof`: `<host> <port>` or `no one`. */
function parseReplicaof(args: string[]): string {
  if (args.length === 0 || (args.length === 1 && args[0] === "")) return "";
  if (args.length !== 2) throw new ConfigError("wrong number of arguments");
  if (args[0]!.toLowerCase() === "no" && args[1]!.toLowerCase() === "one") return "";
  if (!/^\d+$/.test(args[1]!) || Number(args[1]) > 65535) {
    throw new ConfigError("Invalid master port");
  }
  return `${args[0]} ${Number(args[1])}`;
}

/** Parses `unixsocketperm` (octal). */
function parseOctal(args: string[]): string {
  const v = args[0]!;
  if (!/^[0-7]+$/.test(v) || parseInt(v, 8) > 0o777) {
    throw new ConfigError("argument couldn't be parsed as an octal number");
  }
  return parseInt(v, 8).toString(8);
}

/** Parses `bind`: up to 16 addresses (a leading `-` marks an optional one). */
function parseBind(args: string[]): string {
  const addrs = args.filter((a) => a !== "");
  if (addrs.length > 16) throw new ConfigError("Too many bind addresses specified.");
  return addrs.join(" ");
}

/** Checks `dbfilename`: a name, not a path. */
function parseFilename(args: string[]): string {
  const v = args[0]!;
  if (v.includes("/") || v.includes("\\")) {
    throw new ConfigError("dbfilename can't be a path, just a filename");
  }
  return v;
}

const TITLE_VARS: Record<string, string> = {
  "title": "",
  "listen-addr": "*:0",
  "server-mode": "",
  "port": "0",
  "tls-port": "0",
  "unixsocket": "",
  "config-file": "",
};

/**
 * Checks `proc-title-template` as Redis does: known `{variables}` only, and something left
 * once they are expanded with an empty title.
 */
function parseProcTitle([v]: string[]): string {
  const invalid = () => new ConfigError("template format is invalid or contains unknown variables");
  let out = "";
  for (let i = 0; i < v!.length; i++) {
    if (v![i] !== "{") {
      out += v![i];
      continue;
    }
    const end = v!.indexOf("}", i);
    if (end < 0) throw invalid();
    const value = TITLE_VARS[v!.slice(i + 1, end)];
    if (value === undefined) throw invalid();
    out += value;
    i = end;
  }
  if (out.trim() === "") throw invalid();
  return v!;
}

/** Parses a flags enum such as `shutdown-on-sigint` (`nosave now`). */
function flagsParser(values: string[]): (args: string[]) => string {
  return (args) => {
    const set = new Set<string>();
    if (args.length === 0) {
      throw new ConfigError(`argument(s) must be one of the following: ${values.join(", ")}`);
    }
    for (const a of args) {
      const v = a.toLowerCase();
      if (!values.includes(v)) {
        throw new ConfigError(`argument(s) must be one of the following: ${values.join(", ")}`);
      }
      set.add(v);
    }
    if (set.has("save") && set.has("nosave")) {
      throw new ConfigError("shutdown options SAVE and NOSAVE can't be used simultaneously");
    }
    const out = values.filter((v) => v !== "default" && set.has(v));
    return out.length === 0 ? "default" : out.join(" ");
  };
}

const SHUTDOWN_FLAGS = ["default", "save", "nosave", "now", "force"];

/**
 * Every parameter cedis understands, with Redis 7.0's names, types, defaults and bounds.
 * Parameters for features cedis doesn't have yet (cluster, replication, defrag...) are
 * accepted and shown like Redis does, so configs and clients written for Redis work.
 */
export const SCHEMA: ConfigDef[] = [
  // Network
  {
    name: "bind",
    type: "special",
    default: "127.0.0.1 -::1",
    mutable: true,
    multiArg: true,
    parse: parseBind,
  },
  str("bind-source-addr", ""),
  int("port", 6379, 0n, 65535n),
  int("tcp-backlog", 511, 0n, INT_MAX, false),
  int("timeout", 0, 0n, INT_MAX),
  int("tcp-keepalive", 300, 0n, INT_MAX),
  int("socket-mark-id", 0, 0n, UINT_MAX, false),
  bool("protected-mode", true),
  int("maxclients", 10000, 1n, UINT_MAX),
  str("unixsocket", "", false),
  {
    name: "unixsocketperm",
    type: "special",
    default: "0",
    mutable: false,
    parse: parseOctal,
  },
  // Protocol and client limits
  mem("proto-max-bulk-len", 512 * 1024 * 1024, 1024n * 1024n),
  mem("client-query-buffer-limit", 1024 * 1024 * 1024, 1024n * 1024n),
  {
    name: "client-output-buffer-limit",
    type: "special",
    default: COBL_DEFAULT,
    mutable: true,
    multiArg: true,
    parse: parseCobl,
    rewrite: rewriteCobl,
  },
  {
    name: "maxmemory-clients",
    type: "special",
    default: "0",
    mutable: true,
    parse: parseMemoryOrPercent,
    rewrite: (t) => [t.endsWith("%") ? t : humanMemory(BigInt(t))],
  },
  // General
  bool("daemonize", false, false),
  enm("supervised", "no", ["upstart", "systemd", "auto", "no"], false),
  str("pidfile", "", false),
  enm("loglevel", "notice", ["debug", "verbose", "notice", "warning"]),
  str("logfile", "", false),
  bool("syslog-enabled", false, false),
  str("syslog-ident", "redis", false),
  enm("syslog-facility", "local0", [
    "user",
    "local0",
    "local1",
    "local2",
    "local3",
    "local4",
    "local5",
    "local6",
    "local7",
  ], false),
  bool("crash-log-enabled", true),
  bool("crash-memcheck-enabled", true),
  int("databases", 16, 1n, INT_MAX, false),
  bool("always-show-logo", false, false),
  bool("set-proc-title", true, false),
  {
    name: "proc-title-template",
    type: "string",
    default: "{title} {listen-addr} {server-mode}",
    mutable: true,
    parse: parseProcTitle,
  },
  str("ignore-warnings", ""),
  int("hz", 10, 0n, INT_MAX),
  bool("dynamic-hz", true),
  enm("enable-protected-configs", "no", ["no", "yes", "local"], false),
  enm("enable-debug-command", "local", ["no", "yes", "local"], false),
  enm("enable-module-command", "no", ["no", "yes", "local"], false),
  {
    name: "shutdown-on-sigint",
    type: "special",
    default: "default",
    mutable: true,
    multiArg: true,
    flags: true,
    values: SHUTDOWN_FLAGS,
    parse: flagsParser(SHUTDOWN_FLAGS),
  },
  {
    name: "shutdown-on-sigterm",
    type: "special",
    default: "default",
    mutable: true,
    multiArg: true,
    flags: true,
    values: SHUTDOWN_FLAGS,
    parse: flagsParser(SHUTDOWN_FLAGS),
  },
  int("shutdown-timeout", 10, 0n, INT_MAX),
  // Security
  str("requirepass", ""),
  str("aclfile", "", false),
  int("acllog-max-len", 128, 0n, LLONG_MAX),
  enm("acl-pubsub-default", "resetchannels", ["allchannels", "resetchannels"]),
  // Snapshotting
  {
    name: "save",
    type: "special",
    default: "3600 1 300 100 60 10000",
    mutable: true,
    multiArg: true,
    parse: parseSave,
    rewrite: rewriteSave,
  },
  bool("stop-writes-on-bgsave-error", true),
  bool("rdbcompression", true),
  bool("rdbchecksum", true, false),
  enm("sanitize-dump-payload", "no", ["no", "yes", "clients"]),
  {
    name: "dbfilename",
    type: "string",
    default: "dump.rdb",
    mutable: true,
    protected: true,
    parse: parseFilename,
  },
  bool("rdb-del-sync-files", false),
  bool("rdb-save-incremental-fsync", true),
  {
    name: "dir",
    type: "special",
    default: "./data",
    mutable: true,
    protected: true,
    parse: (args) => args[0]!,
    rewrite: (t) => [quote(t)],
  },
  str("bgsave_cpulist", "", false),
  str("server_cpulist", "", false),
  str("bio_cpulist", "", false),
  str("aof_rewrite_cpulist", "", false),
  // Append only file
  bool("appendonly", false),
  str("appendfilename", "appendonly.aof", false),
  str("appenddirname", "appendonlydir", false),
  enm("appendfsync", "everysec", ["everysec", "always", "no"]),
  bool("no-appendfsync-on-rewrite", false),
  int("auto-aof-rewrite-percentage", 100, 0n, INT_MAX),
  mem("auto-aof-rewrite-min-size", 64 * 1024 * 1024),
  bool("aof-load-truncated", true),
  bool("aof-use-rdb-preamble", true),
  bool("aof-timestamp-enabled", false),
  bool("aof-rewrite-incremental-fsync", true),
  bool("aof-disable-auto-gc", false),
  // Replication
  {
    name: "replicaof",
    aliases: ["slaveof"],
    type: "special",
    default: "",
    mutable: false,
    multiArg: true,
    parse: parseReplicaof,
  },
  str("masterauth", ""),
  str("masteruser", ""),
  bool("replica-serve-stale-data", true, true, ["slave-serve-stale-data"]),
  bool("replica-read-only", true, true, ["slave-read-only"]),
  bool("repl-diskless-sync", true),
  int("repl-diskless-sync-delay", 5, 0n, INT_MAX),
  int("repl-diskless-sync-max-replicas", 0, 0n, INT_MAX),
  enm("repl-diskless-load", "disabled", ["disabled", "on-empty-db", "swapdb"]),
  int("repl-ping-replica-period", 10, 1n, INT_MAX, true, ["repl-ping-slave-period"]),
  int("repl-timeout", 60, 1n, INT_MAX),
  bool("repl-disable-tcp-nodelay", false),
  // Redis keeps at least 16 KB of backlog whatever is asked for (see #normalise).
  mem("repl-backlog-size", 1024 * 1024, 1n),
  int("repl-backlog-ttl", 3600, 0n, LLONG_MAX),
  int("replica-priority", 100, 0n, INT_MAX, true, ["slave-priority"]),
  bool("replica-announced", true),
  str("replica-announce-ip", "", true, ["slave-announce-ip"]),
  int("replica-announce-port", 0, 0n, 65535n, true, ["slave-announce-port"]),
  int("min-replicas-to-write", 0, 0n, INT_MAX, true, ["min-slaves-to-write"]),
  int("min-replicas-max-lag", 10, 0n, INT_MAX, true, ["min-slaves-max-lag"]),
  bool("replica-lazy-flush", false, true, ["slave-lazy-flush"]),
  bool("replica-ignore-maxmemory", true, true, ["slave-ignore-maxmemory"]),
  bool("replica-ignore-disk-write-errors", false),
  enm("propagation-error-behavior", "ignore", ["ignore", "panic", "panic-on-replicas"]),
  // Memory management
  mem("maxmemory", 0, 0n, ULLONG_MAX),
  enm("maxmemory-policy", "noeviction", [
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "noeviction",
  ]),
  int("maxmemory-samples", 5, 1n, INT_MAX),
  int("maxmemory-eviction-tenacity", 10, 0n, 100n),
  int("lfu-log-factor", 10, 0n, INT_MAX),
  int("lfu-decay-time", 1, 0n, INT_MAX),
  bool("lazyfree-lazy-eviction", false),
  bool("lazyfree-lazy-expire", false),
  bool("lazyfree-lazy-server-del", false),
  bool("lazyfree-lazy-user-del", false),
  bool("lazyfree-lazy-user-flush", false),
  int("active-expire-effort", 1, 1n, 10n),
  enm("oom-score-adj", "no", ["no", "yes", "relative", "absolute"]),
  {
    name: "oom-score-adj-values",
    type: "special",
    default: "0 200 800",
    mutable: true,
    multiArg: true,
    parse: parseOomValues,
  },
  bool("disable-thp", true, false),
  bool("jemalloc-bg-thread", true),
  // Threads
  int("io-threads", 1, 1n, 128n, false),
  bool("io-threads-do-reads", false, false),
  // Scripting and functions
  int("busy-reply-threshold", 5000, 0n, LLONG_MAX, true, ["lua-time-limit"]),
  // Cluster (cedis runs standalone; accepted for compatibility)
  bool("cluster-enabled", false, false),
  str("cluster-config-file", "nodes.conf", false),
  int("cluster-node-timeout", 15000, 0n, LLONG_MAX),
  int("cluster-port", 0, 0n, 65535n, false),
  int("cluster-replica-validity-factor", 10, 0n, INT_MAX, true, [
    "cluster-slave-validity-factor",
  ]),
  int("cluster-migration-barrier", 1, 0n, INT_MAX),
  bool("cluster-allow-replica-migration", true),
  bool("cluster-require-full-coverage", true),
  bool("cluster-replica-no-failover", false, true, ["cluster-slave-no-failover"]),
  bool("cluster-allow-reads-when-down", false),
  bool("cluster-allow-pubsubshard-when-down", true),
  mem("cluster-link-sendbuf-limit", 0, 0n, ULLONG_MAX),
  {
    name: "cluster-announce-hostname",
    type: "string",
    default: "",
    mutable: true,
    parse: ([v]) => {
      if (!/^[A-Za-z0-9.-]*$/.test(v!)) {
        throw new ConfigError(
          "Hostnames may only contain alphanumeric characters, hyphens or dots",
        );
      }
      return v!;
    },
  },
  enm("cluster-preferred-endpoint-type", "ip", ["ip", "hostname", "unknown-endpoint"]),
  str("cluster-announce-ip", ""),
  int("cluster-announce-port", 0, 0n, 65535n),
  int("cluster-announce-bus-port", 0, 0n, 65535n),
  int("cluster-announce-tls-port", 0, 0n, 65535n),
  // Slow log, latency, notifications
  int("slowlog-log-slower-than", 10000, -1n, LLONG_MAX),
  int("slowlog-max-len", 128, 0n, LLONG_MAX),
  int("latency-monitor-threshold", 0, 0n, LLONG_MAX),
  bool("latency-tracking", true),
  {
    name: "latency-tracking-info-percentiles",
    type: "special",
    default: "50 99 99.9",
    mutable: true,
    multiArg: true,
    parse: parsePercentiles,
  },
  {
    name: "notify-keyspace-events",
    type: "special",
    default: "",
    mutable: true,
    parse: parseNotify,
    rewrite: (t) => [quote(t)],
  },
  // Encodings
  int("hash-max-listpack-entries", 512, 0n, LLONG_MAX, true, ["hash-max-ziplist-entries"]),
  mem("hash-max-listpack-value", 64, 0n, LLONG_MAX, ["hash-max-ziplist-value"]),
  int("list-max-listpack-size", -2, INT_MIN, INT_MAX, true, ["list-max-ziplist-size"]),
  int("list-compress-depth", 0, 0n, INT_MAX),
  int("set-max-intset-entries", 512, 0n, LLONG_MAX),
  int("zset-max-listpack-entries", 128, 0n, LLONG_MAX, true, ["zset-max-ziplist-entries"]),
  mem("zset-max-listpack-value", 64, 0n, LLONG_MAX, ["zset-max-ziplist-value"]),
  mem("hll-sparse-max-bytes", 3000),
  mem("stream-node-max-bytes", 4096),
  int("stream-node-max-entries", 100, 0n, LLONG_MAX),
  bool("activerehashing", true),
  // Active defragmentation: needs Redis's jemalloc; cedis refuses to enable it like such a
  // Redis build does.
  {
    ...bool("activedefrag", false),
    check: (t) => {
      if (t === "yes") {
        throw new ConfigError(
          "Active defragmentation cannot be enabled: it requires a Redis server compiled " +
            "with a modified Jemalloc like the one shipped by default with the Redis source " +
            "distribution",
        );
      }
    },
  },
  mem("active-defrag-ignore-bytes", 100 * 1024 * 1024, 1n),
  int("active-defrag-threshold-lower", 10, 0n, 1000n),
  int("active-defrag-threshold-upper", 100, 0n, 1000n),
  int("active-defrag-cycle-min", 1, 1n, 99n),
  int("active-defrag-cycle-max", 25, 1n, 99n),
  int("active-defrag-max-scan-fields", 1000, 1n, LLONG_MAX),
  // Client tracking
  int("tracking-table-max-keys", 1000000, 0n, LLONG_MAX),
  // Debug parameters, hidden from CONFIG GET patterns as in Redis.
  { ...int("key-load-delay", 0, INT_MIN, INT_MAX), hidden: true },
  { ...int("rdb-key-save-delay", 0, INT_MIN, INT_MAX), hidden: true },
  {
    ...int("loading-process-events-interval-bytes", 2 * 1024 * 1024, 1024n, INT_MAX),
    hidden: true,
  },
  { ...int("watchdog-period", 0, 0n, INT_MAX), hidden: true },
];

const MEMORY_UNITS: Record<string, bigint> = {
  "": 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
};

/**
 * Parses Redis memory notation (`100`, `1k`, `5mb`, `2GB`; "" is 0) into bytes, saturating at
 * 2^64-1 like Redis; null when invalid (negative numbers included).
 */
export function parseMemory(v: string): bigint | null {
  const m = /^(\d*)([a-z]*)$/i.exec(v);
  if (!m) return null;
  const unit = MEMORY_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return null;
  const n = (m[1] === "" ? 0n : BigInt(m[1]!)) * unit;
  return n > ULLONG_MAX ? ULLONG_MAX : n;
}

/**
 * Values Redis accepts but adjusts: `hz` runs between 1 and 500, and at least 16 KB of
 * replication backlog is kept.
 */
function clamp(name: string, n: bigint): bigint {
  if (name === "hz") return n < 1n ? 1n : n > 500n ? 500n : n;
  if (name === "repl-backlog-size" && n < 16384n) return 16384n;
  return n;
}

/** Parses a strict decimal 64-bit integer (Redis `string2ll`), or null. */
function parseStrictInt(v: string): bigint | null {
  if (!/^(0|-?[1-9]\d*)$/.test(v)) return null;
  const n = BigInt(v);
  return n < LLONG_MIN || n > LLONG_MAX ? null : n;
}

/** Memory in CONFIG REWRITE form: `2gb`, `16kb`, or bytes when not a whole unit. */
export function humanMemory(n: bigint): string {
  const GB = 1024n * 1024n * 1024n;
  const MB = 1024n * 1024n;
  if (n === 0n) return "0";
  if (n % GB === 0n) return `${n / GB}gb`;
  if (n % MB === 0n) return `${n / MB}mb`;
  if (n % 1024n === 0n) return `${n / 1024n}kb`;
  return String(n);
}

/** Quotes `s` like Redis's `sdscatrepr` ("..." with C escapes for unprintable bytes). */
export function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = s.charCodeAt(i);
    if (ch === "\\" || ch === '"') out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c < 32 || c > 126) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

/** Parsed value of a parameter. */
export type ConfigValue = string | number | boolean;

/** Listener for changes (the server layer reacts to port, maxclients, hz...). */
export type ConfigListener = (name: string, value: ConfigValue) => void;

/**
 * Puts a changed value into effect (rebinding a port, checking a directory...). Throwing a
 * ConfigError makes CONFIG SET fail and every parameter of the call roll back.
 */
export type ConfigApplier = (name: string, value: ConfigValue) => void;

/** Who is calling CONFIG SET: protected configs may need a local connection. */
export interface SetOptions {
  /** The client connected over loopback. */
  local?: boolean;
}

/** The live configuration. */
export class Config {
  readonly #defs = new Map<string, ConfigDef>();
  readonly #order: ConfigDef[] = [];
  readonly #text = new Map<string, string>();
  readonly #parsed = new Map<string, ConfigValue>();
  readonly #listeners: ConfigListener[] = [];
  readonly #appliers = new Map<string, ConfigApplier[]>();
  /**
   * Makes a relative `dir` absolute. The server layer sets it (this module stays free of
   * platform APIs); by default paths are kept as given.
   */
  resolvePath: (path: string) => string = (p) => p;

  /** Creates a configuration with every parameter at its default. */
  constructor(schema: ConfigDef[] = SCHEMA) {
    for (const def of schema) {
      this.#order.push(def);
      this.#defs.set(def.name, def);
      for (const a of def.aliases ?? []) this.#defs.set(a, def);
      this.#store(def, this.#normalise(def, this.#defaultArgs(def), def.default));
    }
  }

  #defaultArgs(def: ConfigDef): string[] {
    return def.multiArg ? splitValue(def.default) : [def.default];
  }

  /** The definition of `name` (or an alias, any case), if known. */
  def(name: string): ConfigDef | undefined {
    return this.#defs.get(name) ?? this.#defs.get(name.toLowerCase());
  }

  /** Every definition, in schema order. */
  defs(): readonly ConfigDef[] {
    return this.#order;
  }

  /** Canonical parameter names in schema order. */
  names(): string[] {
    return this.#order.map((d) => d.name);
  }

  /** Subscribes to changes (after they took effect). */
  onChange(listener: ConfigListener): void {
    this.#listeners.push(listener);
  }

  /** Registers what puts a new value of `name` into effect; see {@link ConfigApplier}. */
  onApply(name: string, applier: ConfigApplier): void {
    const list = this.#appliers.get(name) ?? [];
    list.push(applier);
    this.#appliers.set(name, list);
  }

  /** CONFIG GET text of `name` (canonical name or alias). */
  getText(name: string): string {
    const def = this.def(name);
    return def ? this.#text.get(def.name)! : "";
  }

  /** Parsed value of an int/memory parameter (a JS number: exact up to 2^53). */
  getNumber(name: string): number {
    return this.#parsed.get(name) as number;
  }

  /** Parsed value of a bool parameter. */
  getBool(name: string): boolean {
    return this.#parsed.get(name) as boolean;
  }

  /** Value of a string/enum/special parameter. */
  getString(name: string): string {
    return this.#parsed.get(name) as string;
  }

  /** Whether `name` still has its default value. */
  isDefault(name: string): boolean {
    const def = this.def(name);
    return def !== undefined && this.#text.get(def.name) === this.defaultText(def);
  }

  /** The default of `def` in canonical text form. */
  defaultText(def: ConfigDef): string {
    return this.#normalise(def, this.#defaultArgs(def), def.default);
  }

  /**
   * Validates `args` for `def` and returns the canonical text; throws ConfigError with
   * Redis's reason. `current` is the present text (some values are relative to it).
   */
  #normalise(def: ConfigDef, args: string[], current: string): string {
    if (!def.multiArg && args.length !== 1) throw new ConfigError("wrong number of arguments");
    const value = args[0] ?? "";
    let text: string;
    switch (def.type) {
      case "bool": {
        text = value.toLowerCase();
        if (text !== "yes" && text !== "no") {
          throw new ConfigError("argument must be 'yes' or 'no'");
        }
        break;
      }
      case "int":
      case "memory": {
        const n = def.type === "memory" ? parseMemory(value) : parseStrictInt(value);
        if (n === null) {
          throw new ConfigError(
            def.type === "memory"
              ? "argument must be a memory value"
              : "argument couldn't be parsed into an integer",
          );
        }
        if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) {
          throw new ConfigError(`argument must be between ${def.min} and ${def.max} inclusive`);
        }
        text = String(clamp(def.name, n));
        break;
      }
      case "enum": {
        text = value.toLowerCase();
        if (!def.values!.includes(text)) {
          throw new ConfigError(
            `argument(s) must be one of the following: ${def.values!.join(", ")}`,
          );
        }
        break;
      }
      case "string":
        text = def.parse ? def.parse(args, current) : value;
        break;
      case "special":
        text = def.name === "dir"
          ? this.resolvePath(def.parse!(args, current))
          : def.parse!(args, current);
        break;
    }
    def.check?.(text);
    return text;
  }

  #store(def: ConfigDef, text: string): void {
    this.#text.set(def.name, text);
    const parsed: ConfigValue = def.type === "bool"
      ? text === "yes"
      : def.type === "int" || def.type === "memory"
      ? Number(text)
      : text;
    this.#parsed.set(def.name, parsed);
  }

  /**
   * Sets `name` to `value` (one string; multi-argument parameters split on spaces as in
   * CONFIG SET). At startup (`startup` true) immutable and protected parameters may be set.
   * Throws ConfigError with Redis's reason.
   */
  set(name: string, value: string, startup = false): void {
    const def = this.def(name);
    if (!def) throw new ConfigError("Bad directive or wrong number of arguments");
    if (!startup && !def.mutable) throw new ConfigError("can't set immutable config");
    this.setArgs(def, def.multiArg ? splitValue(value) : [value]);
  }

  /**
   * Sets `def` from config-file style arguments (one per word); no mutability check: this is
   * what the config file and command-line arguments use. Appliers run; a failing one
   * restores the old value and its error propagates.
   */
  setArgs(def: ConfigDef, args: string[]): void {
    const old = this.#text.get(def.name)!;
    const text = this.#normalise(def, args, old);
    if (old === text) return;
    this.#store(def, text);
    try {
      this.#runAppliers(def);
    } catch (e) {
      this.#store(def, old);
      throw e;
    }
    this.#notify(def);
  }

  #runAppliers(def: ConfigDef): void {
    for (const a of this.#appliers.get(def.name) ?? []) a(def.name, this.#parsed.get(def.name)!);
  }

  #notify(def: ConfigDef): void {
    for (const l of this.#listeners) l(def.name, this.#parsed.get(def.name)!);
  }

  /** Whether CONFIG SET may change protected parameters for this caller. */
  #protectedAllowed(opts: SetOptions): boolean {
    const mode = this.getString("enable-protected-configs");
    return mode === "yes" || (mode === "local" && opts.local === true);
  }

  /**
   * CONFIG SET of several parameters, atomically as Redis does: names are checked first
   * (unknown, immutable, protected, duplicate name), then every value is validated, then all are
   * set and put into effect; if putting one into effect fails, every parameter of the call
   * goes back to its old value. Throws {@link SetError}.
   */
  setMany(pairs: [string, string][], opts: SetOptions = {}): void {
    const seen = new Set<string>();
    const defs: ConfigDef[] = [];
    for (const [name] of pairs) {
      const def = this.def(name);
      if (!def) throw new SetError(name, null);
      if (!def.mutable) throw new SetError(name, "can't set immutable config");
      if (def.protected && !this.#protectedAllowed(opts)) {
        throw new SetError(name, "can't set protected config");
      }
      // Like Redis, duplicates are spotted by name: an alias and its target both apply.
      if (seen.has(name.toLowerCase())) throw new SetError(name, "duplicate parameter");
      seen.add(name.toLowerCase());
      defs.push(def);
    }
    const plan: { def: ConfigDef; name: string; text: string; old: string }[] = [];
    pairs.forEach(([name, value], i) => {
      const def = defs[i]!;
      const old = this.#text.get(def.name)!;
      try {
        const args = def.multiArg ? splitValue(value) : [value];
        plan.push({ def, name, text: this.#normalise(def, args, old), old });
      } catch (e) {
        throw new SetError(name, (e as Error).message);
      }
    });
    // Set in order (an alias and its target: the last one wins), then put into effect the
    // parameters whose value changed; a failure restores all and re-applies what was applied.
    const olds = new Map<ConfigDef, { name: string; old: string }>();
    for (const p of plan) {
      if (!olds.has(p.def)) olds.set(p.def, { name: p.name, old: p.old });
      this.#store(p.def, p.text);
    }
    const changed = [...olds].filter(([def, { old }]) => this.#text.get(def.name) !== old);
    const applied: ConfigDef[] = [];
    for (const [def, { name }] of changed) {
      try {
        this.#runAppliers(def);
        applied.push(def);
      } catch (e) {
        for (const [d, { old }] of olds) this.#store(d, old);
        for (const d of applied) {
          try {
            this.#runAppliers(d);
          } catch { /* best effort: the old value worked before */ }
        }
        throw new SetError(name, (e as Error).message);
      }
    }
    for (const [def] of changed) this.#notify(def);
  }

  /**
   * CONFIG GET: `[name, value]` pairs for each pattern. A pattern without glob characters is
   * an exact (case-insensitive) name, answered under the name as given, hidden parameters
   * included; glob patterns match canonical names and aliases, skipping hidden ones. Each
   * parameter appears once.
   */
  get(patterns: string[], glob: (pattern: string, name: string) => boolean): [string, string][] {
    const out: [string, string][] = [];
    const done = new Set<string>();
    for (const pattern of patterns) {
      if (!/[*?[]/.test(pattern)) {
        const def = this.def(pattern);
        const key = pattern.toLowerCase();
        if (def && !done.has(key)) {
          done.add(key);
          out.push([pattern, this.#text.get(def.name)!]);
        }
        continue;
      }
      for (const def of this.#order) {
        if (def.hidden) continue;
        for (const name of [def.name, ...(def.aliases ?? [])]) {
          if (done.has(name) || !glob(pattern, name)) continue;
          done.add(name);
          out.push([name, this.#text.get(def.name)!]);
        }
      }
    }
    return out;
  }

  /** Parameter names (canonical and aliases) accepted by `test`, each with its text. */
  match(test: (name: string) => boolean): [string, string][] {
    const out: [string, string][] = [];
    for (const def of this.#order) {
      if (def.hidden) continue;
      for (const name of [def.name, ...(def.aliases ?? [])]) {
        if (test(name)) out.push([name, this.#text.get(def.name)!]);
      }
    }
    return out;
  }

  /**
   * The values CONFIG REWRITE writes for `def`, one entry per line (without the name), in
   * the type's config-file format.
   */
  rewriteValues(def: ConfigDef): string[] {
    const text = this.#text.get(def.name)!;
    if (def.rewrite) return def.rewrite(text);
    switch (def.type) {
      case "memory":
        return [humanMemory(BigInt(text))];
      case "string":
        return [quote(text)];
      default:
        return [text];
    }
  }
}

/** A failed CONFIG SET for parameter `param`; `reason` null means unknown parameter. */
export class SetError extends Error {
  /** Creates the error. */
  constructor(readonly param: string, readonly reason: string | null) {
    super(reason ?? `Unknown option ${param}`);
    this.name = "SetError";
  }

  /** The CONFIG SET error reply, in Redis's words. */
  get reply(): string {
    return this.reason === null
      ? `ERR Unknown option or number of arguments for CONFIG SET - '${this.param}'`
      : `ERR CONFIG SET failed (possibly related to argument '${this.param}') - ${this.reason}`;
  }
}
