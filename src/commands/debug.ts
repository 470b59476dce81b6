/**
 * DEBUG and its subcommands (OBJECT, DIGEST, DIGEST-VALUE, PROTOCOL, POPULATE, SLEEP,
 * SET-ACTIVE-EXPIRE, CHANGE-REPL-ID, ...; the persistence ones are in persistence.ts), and
 * the dataset digest, computed with Redis's exact algorithm so digests match real Redis.
 *
 * @module
 */
import { sha1 } from "../store/sha1.ts";
import { parseMemory } from "../config/config.ts";
import { ListValue, setPackedThreshold } from "../types/list.ts";
import type { Db } from "../store/keyspace.ts";
import {
  encodingOf,
  isIntEncodable,
  RawString,
  stringOf,
  typeOf,
  type Value,
} from "../store/value.ts";
import { writeHelp } from "./args.ts";
import type { Client, ServerContext } from "./context.ts";
import { type CommandSpec, Errors, ReplyError } from "./spec.ts";
import { persistenceDebug } from "./persistence.ts";
import { configRewrite, isLocalClient } from "./config_commands.ts";
import { listpackEntry } from "./memory.ts";
import { setDenyScripts } from "./lua_bridge.ts";
import { encodeOptions, serializedLength as rdbSerializedLength } from "../persistence/rdb.ts";

/** The Redis type number used by DEBUG DIGEST. */
const TYPE_IDS: Record<string, number> = {
  string: 0,
  list: 1,
  set: 2,
  zset: 3,
  hash: 4,
  stream: 6,
};

// ---------------------------------------------------------------------------------------
// DEBUG DIGEST: Redis's exact algorithm (SHA1 mixing), so digests match real Redis

function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

function xorDigest(d: Uint8Array, data: Uint8Array): void {
  const h = sha1(data);
  for (let i = 0; i < 20; i++) d[i]! ^= h[i]!;
}

function mixDigest(d: Uint8Array, data: Uint8Array): void {
  xorDigest(d, data);
  d.set(sha1(d));
}

function be32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/** Adds value `v` (with or without a TTL) to `d`, as Redis's `xorObjectDigest`. */
function objectDigest(d: Uint8Array, v: Value, hasExpire: boolean): void {
  const type = typeOf(v);
  mixDigest(d, be32(TYPE_IDS[type] ?? 5));
  if (typeof v === "string" || v instanceof RawString) {
    mixDigest(d, bytesOf(stringOf(v)));
  } else {
    const visit = v.visit?.bind(v);
    if (visit === undefined) {
      // A type without element access: digest what is observable (its encoding).
      mixDigest(d, bytesOf(v.encoding()));
    } else if (type === "list" || type === "stream") {
      visit((a, b) => {
        mixDigest(d, bytesOf(a));
        if (b !== undefined) mixDigest(d, bytesOf(b));
      });
    } else if (type === "set") {
      visit((a) => xorDigest(d, bytesOf(a)));
    } else {
      visit((a, b) => {
        const e = new Uint8Array(20);
        mixDigest(e, bytesOf(a));
        mixDigest(e, bytesOf(b ?? ""));
        xorDigest(d, e);
      });
    }
  }
  if (hasExpire) xorDigest(d, bytesOf("!!expire!!"));
}

function hex(d: Uint8Array): string {
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** DEBUG DIGEST: a 40-hex signature of the whole dataset; zeros when it is empty. */
export function datasetDigest(server: ServerContext): string {
  const final = new Uint8Array(20);
  for (const db of server.keyspace.dbs) {
    if (db.size === 0) continue;
    mixDigest(final, be32(db.id));
    for (const [key, v] of db.data) {
      const d = new Uint8Array(20);
      mixDigest(d, bytesOf(key));
      objectDigest(d, v, db.expires.has(key));
      xorDigest(final, d);
    }
  }
  return hex(final);
}

// ---------------------------------------------------------------------------------------
// DEBUG

const DEBUG_HELP = [
  "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CHANGE-REPL-ID",
  "    Change the replication IDs of the instance.",
  "    Dangerous: should be used only for testing the replication subsystem.",
  "CONFIG-REWRITE-FORCE-ALL",
  "    Like CONFIG REWRITE but writes all configuration options, including",
  "    keywords not listed in original configuration file or default values.",
  "DIGEST",
  "    Output a hex signature representing the current DB content.",
  "DIGEST-VALUE <key> [<key> ...]",
  "    Output a hex signature of the values of all the specified keys.",
  "ERROR <string>",
  "    Return a Redis protocol error with <string> as message. Useful for clients",
  "    unit tests to simulate Redis errors.",
  "LOG <message>",
  "    Write <message> to the server log.",
  "OBJECT <key>",
  "    Show low level info about `key` and associated value.",
  "POPULATE <count> [<prefix>] [<size>]",
  "    Create <count> string keys named key:<num>. If <prefix> is specified then",
  "    it is used instead of the 'key' prefix. These are not propagated to",
  "    replicas. Cluster slots are not respected so keys not belonging to the",
  "    current node can be created in cluster mode.",
  "PROTOCOL <type>",
  "    Reply with a test value of the specified type. <type> can be: string,",
  "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
  "    true, false.",
  "SET-ACTIVE-EXPIRE <0|1>",
  "    Setting it to 0 disables expiring keys in background when they are not",
  "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
  "    default.",
  "SLEEP <seconds>",
  "    Stop the server for <seconds>. Decimals allowed.",
  "HELP",
  "    Prints this help.",
];

const DEBUG_NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option " +
  'is set to "local", you can run it from a local connection, otherwise you need to set ' +
  "this option in the configuration file, and then restart the server.";

/** Whether `enable-debug-command` lets `c` run DEBUG. */
function debugAllowed(c: Client): boolean {
  const mode = c.server.config.getString("enable-debug-command");
  return mode === "yes" || (mode === "local" && isLocalClient(c));
}

/** Parses a C `strtod`-style prefix; 0 when there is no number. */
function strtod(s: string): number {
  const n = parseFloat(s);
  return Number.isNaN(n) ? 0 : n;
}

/** A per-key pseudo address for DEBUG OBJECT: stable while the key holds its value. */
function objectAddress(db: Db, key: string, v: Value): string {
  let h = 0x811c9dc5 ^ db.id;
  const id = typeof v === "string" ? key : key + "\0" + typeOf(v);
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return "0x7f" + ((h >>> 0) * 16).toString(16).padStart(10, "0");
}

/** Length of an RDB length prefix for `n`. */
function rdbLenSize(n: number): number {
  return n < 64 ? 1 : n < 16384 ? 2 : n <= 0xffffffff ? 5 : 9;
}

/** Bytes an RDB string takes (integer encodings for small integers, no LZF estimate). */
function rdbStringSize(s: string): number {
  if (isIntEncodable(s) && s.length <= 11) {
    const n = Number(s);
    if (n >= -128 && n <= 127) return 2;
    if (n >= -32768 && n <= 32767) return 3;
    if (n >= -2147483648 && n <= 2147483647) return 5;
  }
  return rdbLenSize(s.length) + s.length;
}

/**
 * DEBUG OBJECT's `serializedlength`: the exact size of the value's RDB encoding, or an
 * estimate for types persistence can't encode yet.
 */
function serializedLength(c: Client, v: Value): number {
  try {
    return rdbSerializedLength(v, encodeOptions(c.server.config));
  } catch { /* not encodable yet: estimate below */ }
  if (typeof v === "string" || v instanceof RawString) return rdbStringSize(stringOf(v));
  let n = rdbLenSize(v.count?.() ?? 0);
  v.visit?.((a, b) => {
    n += rdbStringSize(a) + (b === undefined ? 0 : rdbStringSize(b));
  });
  return n;
}

/** Whether Redis would hold string `v` as one of its shared integers 0..9999. */
function isSharedInteger(c: Client, v: Value): boolean {
  if (typeof v !== "string" || v.length > 4 || !isIntEncodable(v) || v[0] === "-") return false;
  const config = c.server.config;
  if (config.getNumber("maxmemory") === 0) return true;
  const policy = config.getString("maxmemory-policy");
  return !policy.endsWith("-lru") && !policy.endsWith("-lfu");
}

function debugObject(c: Client, key: string): void {
  const db = c.db;
  const v = db.data.get(key);
  if (v === undefined) throw new ReplyError(Errors.noSuchKey);
  const refcount = isSharedInteger(c, v) ? 2147483647 : 1;
  const lru = db.access.get(key) ?? c.ks.lruClock();
  let extra = "";
  const enc = encodingOf(v);
  if (v instanceof ListValue) {
    const nodes = Math.max(1, v.nodeCount);
    extra = ` ql_nodes:${v.nodeCount} ql_avg_node:${(v.length / nodes).toFixed(2)}` +
      ` ql_listpack_max:${v.fill} ql_compressed:0 ql_uncompressed_size:${v.bytes}`;
  } else if (enc === "quicklist" && typeof v !== "string") {
    // Estimated like MEMORY USAGE: 8 KB listpack nodes (list-max-listpack-size -2).
    const n = v.count?.() ?? 0;
    let bytes = 0;
    v.visit?.((a) => {
      bytes += listpackEntry(a);
    });
    const nodes = Math.max(1, Math.ceil(bytes / 8192));
    const maxSize = c.server.config.getNumber("list-max-listpack-size");
    extra = ` ql_nodes:${nodes} ql_avg_node:${(n / nodes).toFixed(2)} ql_listpack_max:${maxSize}` +
      ` ql_compressed:0 ql_uncompressed_size:${bytes + 7 * nodes}`;
  }
  c.w.simple(
    `Value at:${objectAddress(db, key, v)} refcount:${refcount} encoding:${enc} ` +
      `serializedlength:${serializedLength(c, v)} lru:${lru} ` +
      `lru_seconds_idle:${db.idleTime(key)}${extra}`,
  );
}

function debugProtocol(c: Client, type: string): void {
  const w = c.w;
  switch (type.toLowerCase()) {
    case "string":
      return w.bulk("Hello World");
    case "integer":
      return w.int(12345);
    case "double":
      return w.double(3.141);
    case "bignum":
      return w.bigNumber("1234567999999999999999999999999999999");
    case "null":
      return w.nullBulk();
    case "array":
    case "set":
      if (type.toLowerCase() === "set") w.set(3);
      else w.array(3);
      for (let i = 0; i < 3; i++) w.int(i);
      return;
    case "map":
      w.map(3);
      for (let i = 0; i < 3; i++) {
        w.int(i);
        w.bool(i === 1);
      }
      return;
    case "attrib":
      if (w.resp === 3) {
        w.attribute(1);
        w.bulk("key-popularity");
        w.array(2);
        w.bulk("key:123");
        w.int(90);
      }
      return w.bulk("Some real reply following the attribute");
    case "push":
      if (w.resp !== 3) throw new ReplyError("ERR RESP2 is not supported by this command");
      w.push(2);
      w.bulk("server-cpu-usage");
      w.int(42);
      return w.bulk("Some real reply following the push reply");
    case "verbatim":
      return w.verbatim("This is a verbatim\nstring", "txt");
    case "true":
      return w.bool(true);
    case "false":
      return w.bool(false);
    default:
      throw new ReplyError(
        "ERR Wrong protocol type name. Please use one of the following: " +
          "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
      );
  }
}

function debugPopulate(c: Client, argv: string[]): void {
  const positive = (s: string) => {
    const n = Number(s);
    if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(n) || n < 0) {
      throw new ReplyError("ERR value is out of range, must be positive");
    }
    return n;
  };
  const count = positive(argv[2]!);
  const prefix = argv[3] ?? "key";
  const size = argv.length > 4 ? positive(argv[4]!) : 0;
  const db = c.db;
  for (let i = 0; i < count; i++) {
    const key = `${prefix}:${i}`;
    if (db.data.has(key)) continue;
    let value = `value:${i}`;
    if (size !== 0) {
      value = size <= value.length
        ? value.slice(0, size)
        : value + "\0".repeat(size - value.length);
    }
    db.set(key, value);
  }
}

function debugCommand(c: Client, argv: string[]): void {
  if (!debugAllowed(c)) throw new ReplyError(DEBUG_NOT_ALLOWED);
  const sub = argv[1]!.toLowerCase();
  const argc = argv.length;
  const server = c.server;
  if (sub === "help" && argc === 2) return writeHelp(c, DEBUG_HELP);
  if (sub === "sleep" && argc === 3) {
    server.platform.sleep(Math.max(0, strtod(argv[2]!) * 1000));
    return c.w.ok();
  }
  if (sub === "set-disable-deny-scripts" && argc === 3) {
    setDenyScripts(server, Math.trunc(strtod(argv[2]!)) !== 0);
    return c.w.ok();
  }
  if (sub === "aof-flush-sleep" && argc === 3) {
    // Sleep this many microseconds before each AOF write (tests of the fsync barrier).
    server.persistence.aofFlushSleepMs = Math.max(0, Math.trunc(strtod(argv[2]!))) / 1000;
    return c.w.ok();
  }
  if (sub === "set-active-expire" && argc === 3) {
    c.ks.activeExpireEnabled = Math.trunc(strtod(argv[2]!)) !== 0;
    return c.w.ok();
  }
  if (sub === "quicklist-packed-threshold" && argc === 3) {
    // Elements from this size get a list node of their own (src/types/list.ts).
    const bytes = parseMemory(argv[2]!);
    if (bytes === null || !setPackedThreshold(Number(bytes))) {
      throw new ReplyError(
        "ERR argument must be a memory value bigger than 1 and smaller than 4gb",
      );
    }
    return c.w.ok();
  }
  if (sub === "object" && argc === 3) return debugObject(c, argv[2]!);
  if (sub === "protocol" && argc === 3) return debugProtocol(c, argv[2]!);
  if (sub === "digest" && argc === 2) return c.w.simple(datasetDigest(server));
  if (sub === "digest-value" && argc >= 2) {
    c.w.array(argc - 2);
    for (let i = 2; i < argc; i++) {
      const d = new Uint8Array(20);
      const v = c.db.data.get(argv[i]!);
      if (v !== undefined) objectDigest(d, v, c.db.expires.has(argv[i]!));
      c.w.simple(hex(d));
    }
    return;
  }
  if (sub === "change-repl-id" && argc === 2) {
    server.persistence.changeReplicationId();
    server.persistence.replId2 = "0".repeat(40);
    server.platform.log("warning", "Changing replication IDs after receiving DEBUG change-repl-id");
    return c.w.ok();
  }
  if (sub === "log" && argc === 3) {
    server.platform.log("warning", `DEBUG LOG: ${argv[2]}`);
    return c.w.ok();
  }
  if (sub === "error" && argc === 3) return c.w.error(argv[2]!);
  if (sub === "populate" && argc >= 3 && argc <= 5) {
    debugPopulate(c, argv);
    return c.w.ok();
  }
  if (sub === "config-rewrite-force-all" && argc === 2) {
    const err = configRewrite(server, true);
    if (err !== null) throw new ReplyError("ERR CONFIG-REWRITE-FORCE-ALL failed: " + err);
    return c.w.ok();
  }
  if (persistenceDebug(c, argv)) return;
  throw new ReplyError(
    `ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try DEBUG HELP.`,
  );
}

// ---------------------------------------------------------------------------------------
// Declarations

/** DEBUG. */
export const debugCommands: CommandSpec[] = [
  {
    name: "debug",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "server",
    since: "1.0.0",
    summary: "A container for debugging commands",
    complexity: "Depends on subcommand.",
    docFlags: ["syscmd"],
    run: debugCommand,
  },
];
