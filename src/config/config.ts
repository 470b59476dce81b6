/**
 * One typed configuration schema behind the config file, command-line arguments and
 * CONFIG GET/SET. Each parameter is declared once in {@link SCHEMA} with its type, default,
 * mutability and validation; values are kept in their canonical CONFIG GET text form plus a
 * parsed form for fast reads.
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
  /** Other accepted names (e.g. `slaveof` for `replicaof`). */
  aliases?: string[];
  /** Value type. */
  type: ConfigType;
  /** Default, in CONFIG GET text form. */
  default: string;
  /** May change with CONFIG SET. */
  mutable: boolean;
  /** Inclusive bounds for int/memory. */
  min?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Allowed values for enum (lower case). */
  values?: string[];
  /** enum that accepts several space-separated values (e.g. `oom-score-adj`). */
  multi?: boolean;
  /** Normalises and validates a `special` or `string` value; throws ConfigError. */
  parse?: (value: string) => string;
  /** Hidden from CONFIG GET * (like Redis's sensitive/debug configs) — unused for now. */
  hidden?: boolean;
}

const INT_MAX = 2147483647;
const LONG_MAX = Number.MAX_SAFE_INTEGER;

function bool(name: string, dflt: boolean, mutable = true, aliases?: string[]): ConfigDef {
  return { name, type: "bool", default: dflt ? "yes" : "no", mutable, aliases };
}
function int(name: string, dflt: number, min: number, max: number, mutable = true): ConfigDef {
  return { name, type: "int", default: String(dflt), min, max, mutable };
}
function mem(name: string, dflt: number, min = 0, max = LONG_MAX, mutable = true): ConfigDef {
  return { name, type: "memory", default: String(dflt), min, max, mutable };
}
function str(name: string, dflt: string, mutable = true, aliases?: string[]): ConfigDef {
  return { name, type: "string", default: dflt, mutable, aliases };
}
function enm(name: string, dflt: string, values: string[], mutable = true): ConfigDef {
  return { name, type: "enum", default: dflt, values, mutable };
}

/** Parses `save` lines: pairs of "<seconds> <changes>", or "" to disable. */
function parseSave(v: string): string {
  const parts = v.trim().split(/\s+/).filter((p) => p !== "");
  if (parts.length === 0) return "";
  if (parts.length % 2 !== 0) throw new ConfigError("Invalid save parameters");
  for (const p of parts) {
    if (!/^\d+$/.test(p)) throw new ConfigError("Invalid save parameters");
  }
  return parts.map((p) => String(Number(p))).join(" ");
}

const EVENT_CLASSES = "g$lshzxetmdnA";

/** Parses `notify-keyspace-events` into Redis's canonical order. */
function parseNotify(v: string): string {
  for (const ch of v) {
    if (!"KEg$lshzxeAtmdn".includes(ch)) {
      throw new ConfigError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    }
  }
  let classes = "";
  const all = v.includes("A");
  for (const ch of EVENT_CLASSES) {
    if (ch === "A") continue;
    if ((all && "g$lshzxet".includes(ch)) || v.includes(ch)) classes += ch;
  }
  // Redis prints A for the full set g$lshzxet, then m, d, n as given, then K and E.
  if ("g$lshzxet".split("").every((c) => classes.includes(c))) {
    classes = "A" + classes.replace(/[g$lshzxet]/g, "");
  }
  let out = "";
  if (classes === "" && !v.includes("K") && !v.includes("E")) return "";
  out += classes;
  if (v.includes("K")) out += "K";
  if (v.includes("E")) out += "E";
  return classes === "" ? "" : out;
}

/** Parses the `client-output-buffer-limit` value (class hard soft seconds)... */
function parseCobl(v: string): string {
  const parts = v.trim().split(/\s+/);
  if (parts.length % 4 !== 0) {
    throw new ConfigError("Wrong number of arguments in buffer limit configuration.");
  }
  const current = new Map([
    ["normal", "0 0 0"],
    ["slave", "268435456 67108864 60"],
    ["pubsub", "33554432 8388608 60"],
  ]);
  for (let i = 0; i < parts.length; i += 4) {
    let cls = parts[i]!.toLowerCase();
    if (cls === "replica") cls = "slave";
    if (!current.has(cls)) {
      throw new ConfigError("Invalid client class specified in buffer limit configuration.");
    }
    const hard = parseMemory(parts[i + 1]!);
    const soft = parseMemory(parts[i + 2]!);
    const secs = Number(parts[i + 3]);
    if (hard === null || soft === null || !Number.isInteger(secs) || secs < 0) {
      throw new ConfigError(
        "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
      );
    }
    current.set(cls, `${hard} ${soft} ${secs}`);
  }
  return [...current].map(([k, val]) => `${k} ${val}`).join(" ");
}

/** Every parameter cedis understands, with Redis 7.0's names and defaults. */
export const SCHEMA: ConfigDef[] = [
  // Network
  {
    name: "bind",
    type: "special",
    default: "* -::*",
    mutable: true,
    parse: (v) => v.trim().split(/\s+/).join(" "),
  },
  int("port", 6379, 0, 65535),
  int("tcp-backlog", 511, 0, INT_MAX, false),
  int("timeout", 0, 0, INT_MAX),
  int("tcp-keepalive", 300, 0, INT_MAX),
  bool("protected-mode", true),
  int("maxclients", 10000, 1, INT_MAX),
  str("unixsocket", "", false),
  // Protocol limits
  mem("proto-max-bulk-len", 512 * 1024 * 1024, 1024 * 1024),
  mem("client-query-buffer-limit", 1024 * 1024 * 1024, 1024 * 1024),
  {
    name: "client-output-buffer-limit",
    type: "special",
    default: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
    mutable: true,
    parse: parseCobl,
  },
  // General
  bool("daemonize", false, false),
  str("pidfile", "", false),
  enm("loglevel", "notice", ["debug", "verbose", "notice", "warning"]),
  str("logfile", "", false),
  int("databases", 16, 1, INT_MAX, false),
  int("hz", 10, 0, INT_MAX),
  bool("dynamic-hz", true),
  str("requirepass", ""),
  str("masterauth", ""),
  str("masteruser", ""),
  bool("always-show-logo", false, false),
  bool("set-proc-title", true, false),
  enm("enable-debug-command", "no", ["no", "yes", "local"], false),
  enm("enable-protected-configs", "no", ["no", "yes", "local"], false),
  enm("enable-module-command", "no", ["no", "yes", "local"], false),
  // Persistence
  {
    name: "save",
    type: "special",
    default: "3600 1 300 100 60 10000",
    mutable: true,
    parse: parseSave,
  },
  str("dir", "./data"),
  str("dbfilename", "dump.rdb"),
  bool("rdbcompression", true),
  bool("rdbchecksum", true),
  bool("stop-writes-on-bgsave-error", true),
  bool("appendonly", false),
  str("appendfilename", "appendonly.aof", false),
  str("appenddirname", "appendonlydir", false),
  enm("appendfsync", "everysec", ["always", "everysec", "no"]),
  bool("no-appendfsync-on-rewrite", false),
  int("auto-aof-rewrite-percentage", 100, 0, INT_MAX),
  mem("auto-aof-rewrite-min-size", 64 * 1024 * 1024),
  bool("aof-load-truncated", true),
  bool("aof-use-rdb-preamble", true),
  bool("aof-timestamp-enabled", false),
  // Memory
  mem("maxmemory", 0),
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
  int("maxmemory-samples", 5, 1, 64),
  int("maxmemory-eviction-tenacity", 10, 0, 100),
  bool("lazyfree-lazy-eviction", false),
  bool("lazyfree-lazy-expire", false),
  bool("lazyfree-lazy-server-del", false),
  bool("lazyfree-lazy-user-del", false),
  bool("lazyfree-lazy-user-flush", false),
  int("active-expire-effort", 1, 1, 10),
  // Encodings
  mem("hash-max-listpack-entries", 128, 0, LONG_MAX),
  mem("hash-max-listpack-value", 64, 0, LONG_MAX),
  int("list-max-listpack-size", -2, -5, INT_MAX),
  int("list-compress-depth", 0, 0, INT_MAX),
  mem("set-max-intset-entries", 512, 0, LONG_MAX),
  mem("zset-max-listpack-entries", 128, 0, LONG_MAX),
  mem("zset-max-listpack-value", 64, 0, LONG_MAX),
  mem("stream-node-max-bytes", 4096, 0, LONG_MAX),
  int("stream-node-max-entries", 100, 0, LONG_MAX),
  int("hll-sparse-max-bytes", 3000, 0, LONG_MAX),
  bool("activerehashing", true),
  // Events, logs, latency
  {
    name: "notify-keyspace-events",
    type: "special",
    default: "",
    mutable: true,
    parse: parseNotify,
  },
  int("slowlog-log-slower-than", 10000, -1, LONG_MAX),
  int("slowlog-max-len", 128, 0, LONG_MAX),
  int("latency-monitor-threshold", 0, 0, LONG_MAX),
  int("latency-tracking", 1, 0, 1),
  bool("lua-replicate-commands", true),
  int("lua-time-limit", 5000, 0, LONG_MAX),
  int("busy-reply-threshold", 5000, 0, LONG_MAX),
  // Replication (accepted for compatibility; replication is a later feature)
  str("replicaof", "", true, ["slaveof"]),
  bool("replica-read-only", true, true),
  bool("replica-serve-stale-data", true, true),
  int("repl-backlog-size", 1024 * 1024, 1, LONG_MAX),
  int("repl-timeout", 60, 1, INT_MAX),
  int("min-replicas-to-write", 0, 0, INT_MAX),
  int("min-replicas-max-lag", 10, 0, INT_MAX),
  int("tracking-table-max-keys", 1000000, 0, LONG_MAX),
  bool("crash-log-enabled", true),
  bool("crash-memcheck-enabled", true),
  bool("jemalloc-bg-thread", true),
  bool("activedefrag", false),
  str("acllog-max-len", "128"),
  str("aclfile", "", false),
  int("io-threads", 1, 1, 128, false),
  bool("io-threads-do-reads", false, false),
  bool("cluster-enabled", false, false),
  int("oom-score-adj", 0, 0, 0),
  str("oom-score-adj-values", "0 200 800"),
  bool("disable-thp", true, false),
  bool("supervised", false, false),
  enm("sanitize-dump-payload", "no", ["no", "yes", "clients"]),
  str("locale-collate", ""),
];

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

/** Parses Redis memory notation (`100`, `1k`, `5mb`, `2GB`); null when invalid. */
export function parseMemory(v: string): number | null {
  const m = /^(-?\d+)([a-z]*)$/i.exec(v);
  if (!m) return null;
  const unit = MEMORY_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return null;
  return Number(m[1]) * unit;
}

/** Parsed value of a parameter. */
export type ConfigValue = string | number | boolean;

/** Listener for changes (the server layer reacts to port, maxclients, hz...). */
export type ConfigListener = (name: string, value: ConfigValue) => void;

/** The live configuration. */
export class Config {
  readonly #defs = new Map<string, ConfigDef>();
  readonly #text = new Map<string, string>();
  readonly #parsed = new Map<string, ConfigValue>();
  readonly #listeners: ConfigListener[] = [];

  /** Creates a configuration with every parameter at its default. */
  constructor(schema: ConfigDef[] = SCHEMA) {
    for (const def of schema) {
      this.#defs.set(def.name, def);
      for (const a of def.aliases ?? []) this.#defs.set(a, def);
      this.#apply(def, this.#normalise(def, def.default));
    }
  }

  /** The definition of `name` (or an alias), if known. */
  def(name: string): ConfigDef | undefined {
    return this.#defs.get(name.toLowerCase());
  }

  /** Canonical parameter names in schema order. */
  names(): string[] {
    return [...new Set([...this.#defs.values()].map((d) => d.name))];
  }

  /** Subscribes to changes. */
  onChange(listener: ConfigListener): void {
    this.#listeners.push(listener);
  }

  /** CONFIG GET text of `name`. */
  getText(name: string): string {
    return this.#text.get(name) ?? "";
  }

  /** Parsed value of an int/memory parameter. */
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

  /** Validates `value` for `def` and returns its canonical text; throws ConfigError. */
  #normalise(def: ConfigDef, value: string): string {
    switch (def.type) {
      case "bool": {
        const v = value.toLowerCase();
        if (v !== "yes" && v !== "no") throw new ConfigError("argument must be 'yes' or 'no'");
        return v;
      }
      case "int":
      case "memory": {
        let n: number | null;
        if (def.type === "memory") {
          n = parseMemory(value);
          if (n === null) throw new ConfigError("argument must be a memory value");
        } else {
          n = /^-?\d+$/.test(value) ? Number(value) : null;
          if (n === null || !Number.isSafeInteger(n)) {
            throw new ConfigError("argument couldn't be parsed into an integer");
          }
        }
        if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) {
          throw new ConfigError(`argument must be between ${def.min} and ${def.max} inclusive`);
        }
        return String(n);
      }
      case "enum": {
        const v = value.toLowerCase();
        if (!def.values!.includes(v)) {
          throw new ConfigError(
            `argument(s) must be one of the following: ${def.values!.join(", ")}`,
          );
        }
        return v;
      }
      case "string":
        return def.parse ? def.parse(value) : value;
      case "special":
        return def.parse ? def.parse(value) : value;
    }
  }

  #apply(def: ConfigDef, text: string): void {
    this.#text.set(def.name, text);
    const parsed: ConfigValue = def.type === "bool"
      ? text === "yes"
      : def.type === "int" || def.type === "memory"
      ? Number(text)
      : text;
    this.#parsed.set(def.name, parsed);
  }

  /**
   * Sets `name` to `value`. At startup (`startup` true) immutable parameters may be set.
   * Throws ConfigError with Redis's reason.
   */
  set(name: string, value: string, startup = false): void {
    const def = this.def(name);
    if (!def) throw new ConfigError("Bad directive or wrong number of arguments");
    if (!startup && !def.mutable) throw new ConfigError("can't set immutable config");
    const text = this.#normalise(def, value);
    const old = this.#text.get(def.name);
    this.#apply(def, text);
    if (old !== text) {
      for (const l of this.#listeners) l(def.name, this.#parsed.get(def.name)!);
    }
  }

  /**
   * Sets several parameters atomically (CONFIG SET a 1 b 2): all are validated first; on any
   * failure none is changed. Throws `[ConfigError, name]`.
   */
  setMany(pairs: [string, string][]): void {
    const seen = new Set<string>();
    const plan: [ConfigDef, string][] = [];
    for (const [name, value] of pairs) {
      const def = this.def(name);
      if (!def) throw new SetError(name, null);
      if (seen.has(def.name)) throw new SetError(name, "duplicate parameter");
      seen.add(def.name);
      if (!def.mutable) throw new SetError(name, "can't set immutable config");
      try {
        plan.push([def, this.#normalise(def, value)]);
      } catch (e) {
        throw new SetError(name, (e as Error).message);
      }
    }
    for (const [def, text] of plan) this.set(def.name, text, true);
  }

  /** Parameter names matching a glob `pattern`, each with its CONFIG GET text. */
  match(test: (name: string) => boolean): [string, string][] {
    const out: [string, string][] = [];
    const done = new Set<string>();
    for (const [name, def] of this.#defs) {
      if (def.hidden) continue;
      if (!test(name)) continue;
      if (done.has(name)) continue;
      done.add(name);
      out.push([name, this.#text.get(def.name)!]);
    }
    return out;
  }
}

/** A failed CONFIG SET for parameter `param`; `reason` null means unknown parameter. */
export class SetError extends Error {
  /** Creates the error. */
  constructor(readonly param: string, readonly reason: string | null) {
    super(reason ?? `Unknown option ${param}`);
    this.name = "SetError";
  }
}
