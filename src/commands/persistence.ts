/**
 * Persistence and replication commands: DUMP/RESTORE (payloads byte-compatible with Redis
 * 7.0), SAVE, BGSAVE, BGREWRITEAOF, SYNC/PSYNC/REPLCONF (full sync of a replica followed by
 * the write feed), and DEBUG RELOAD / DEBUG LOADAOF (called from the DEBUG container in
 * src/commands/debug.ts). The state they act on lives in src/persistence/manager.ts.
 *
 * @module
 */
import { binaryToBytes, bytesToBinary } from "../resp/bytes.ts";
import {
  decodeDumpPayload,
  dumpPayload,
  encodeOptions,
  RdbError,
  verifyDumpPayload,
} from "../persistence/rdb.ts";
import { AofError } from "../persistence/aof.ts";
import type { CommandReplayer } from "../persistence/aof_writer.ts";
import type { ReplicaTarget } from "../persistence/replication.ts";
import { int64Arg, intArg, isToken, lookupRead, lookupWrite, written } from "./args.ts";
import { Client, type ServerContext } from "./context.ts";
import { dispatch } from "./dispatch.ts";
import { type CommandSpec, Errors, KEY_ARG as KEY, ReplyError } from "./spec.ts";
import { touchAllWatchedKeysInDb } from "./watch.ts";

// ---------------------------------------------------------------------------------------
// DUMP / RESTORE

function dumpCommand(c: Client, argv: string[]): void {
  const v = lookupRead(c, argv[1]!);
  if (v === undefined) {
    c.w.nullBulk();
    return;
  }
  let payload: Uint8Array;
  try {
    payload = dumpPayload(v, encodeOptions(c.server.config));
  } catch (e) {
    if (e instanceof RdbError) throw new ReplyError(`ERR ${e.message}`);
    throw e;
  }
  c.w.bulk(bytesToBinary(payload));
}

function restoreCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  let replace = false;
  let absttl = false;
  let idle = -1;
  let freq = -1;
  // Options first, each checked as it is read (Redis's order of errors).
  for (let j = 4; j < argv.length; j++) {
    const a = argv[j]!;
    const more = j + 1 < argv.length;
    if (isToken(a, "replace")) replace = true;
    else if (isToken(a, "absttl")) absttl = true;
    else if (isToken(a, "idletime") && more && freq === -1) {
      idle = intArg(argv[++j]!);
      if (idle < 0) throw new ReplyError("ERR Invalid IDLETIME value, must be >= 0");
    } else if (isToken(a, "freq") && more && idle === -1) {
      freq = intArg(argv[++j]!);
      if (freq < 0 || freq > 255) {
        throw new ReplyError("ERR Invalid FREQ value, must be >= 0 and <= 255");
      }
    } else throw new ReplyError(Errors.syntax);
  }
  if (!replace && lookupWrite(c, key) !== undefined) {
    throw new ReplyError("BUSYKEY Target key name already exists.");
  }
  const ttlArg = int64Arg(argv[2]!);
  if (ttlArg < 0) throw new ReplyError("ERR Invalid TTL value, must be >= 0");
  const payload = binaryToBytes(argv[3]!);
  if (!verifyDumpPayload(payload)) {
    throw new ReplyError("ERR DUMP payload version or checksum are wrong");
  }
  let value;
  try {
    value = decodeDumpPayload(payload, c.server.config);
  } catch {
    throw new ReplyError("ERR Bad data format");
  }
  const db = c.db;
  const ks = c.server.keyspace;
  const deleted = replace && db.delete(key);
  let ttl = Number(ttlArg);
  if (ttl !== 0 && !absttl) ttl += ks.now;
  if (ttl !== 0 && ttl <= ks.now) {
    // Already expired: nothing is created, and a replaced key is simply gone.
    if (deleted) {
      c.propagateAs(["DEL", key]);
      written(c, key, "del");
    }
    c.w.ok();
    return;
  }
  db.set(key, value);
  if (ttl !== 0) db.setExpire(key, ttl);
  if (idle !== -1 || freq !== -1) {
    db.setAccess(key, idle === -1 ? null : idle, freq === -1 ? null : freq);
  }
  written(c, key, "restore");
  // A relative TTL is propagated as an absolute one.
  if (ttl !== 0 && !absttl) {
    c.propagateAs([argv[0]!, key, String(ttl), ...argv.slice(3), "ABSTTL"]);
  }
  c.w.ok();
}

// ---------------------------------------------------------------------------------------
// SAVE, BGSAVE, BGREWRITEAOF

function saveCommand(c: Client): void {
  const err = c.server.persistence.save();
  if (err !== null) {
    throw new ReplyError(err === "ERR" ? "ERR" : `ERR ${err}`);
  }
  c.w.ok();
}

function bgsaveCommand(c: Client, argv: string[]): void {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length === 2 && isToken(argv[1]!, "schedule")) schedule = true;
    else throw new ReplyError(Errors.syntax);
  }
  let status: string;
  try {
    status = c.server.persistence.bgsave(schedule);
  } catch (e) {
    throw new ReplyError((e as Error).message);
  }
  c.w.simple(status);
}

function bgrewriteaofCommand(c: Client): void {
  let status: string;
  try {
    status = c.server.persistence.rewriteAof();
  } catch (e) {
    throw new ReplyError((e as Error).message);
  }
  c.w.simple(status);
}

// ---------------------------------------------------------------------------------------
// Replication: SYNC, PSYNC, REPLCONF

/** The replication stream's view of a client connection. */
function replicaTarget(c: Client): ReplicaTarget {
  return {
    send(data) {
      if (typeof data === "string") c.w.raw(data);
      else c.w.rawBytes(data);
      c.wake();
    },
    alive: () => c.server.clients.get(c.id) === c,
    drop: () => c.kill(),
  };
}

function syncCommand(c: Client, argv: string[]): void {
  // A replica asking again is ignored, as in Redis.
  if (c.replica) return;
  if (c.w.length > 0) {
    throw new ReplyError("ERR SYNC and PSYNC are invalid with pending output");
  }
  const psync = argv[0]!.toLowerCase() === "psync";
  if (psync) intArg(argv[2]!);
  c.replica = true;
  c.server.platform.log(
    "notice",
    `Replica ${c.addr} asks for synchronization`,
  );
  c.server.persistence.addReplica(replicaTarget(c), psync);
}

/** REPLCONF options that take a value and are accepted silently. */
const REPLCONF_OPTIONS = new Set([
  "listening-port",
  "ip-address",
  "capa",
  "rdb-only",
  "getack",
]);

function replconfCommand(c: Client, argv: string[]): void {
  if (argv.length % 2 === 0) throw new ReplyError(Errors.syntax);
  for (let j = 1; j < argv.length; j += 2) {
    const opt = argv[j]!.toLowerCase();
    // ACK carries a replica's offset and gets no reply.
    if (opt === "ack") return;
    if (!REPLCONF_OPTIONS.has(opt)) {
      throw new ReplyError(`ERR Unrecognized REPLCONF option: ${argv[j]}`);
    }
  }
  c.w.ok();
}

// ---------------------------------------------------------------------------------------
// Loading: DEBUG RELOAD, DEBUG LOADAOF, the AOF replayer

/** Empties every database, marking watched keys dirty (Redis's emptyData). */
function emptyData(server: ServerContext): void {
  for (const db of server.keyspace.dbs) {
    if (db.size !== 0) touchAllWatchedKeysInDb(server, db.id);
    db.clear();
  }
}

/**
 * A replayer that runs AOF commands through the dispatcher on a detached client (not listed
 * by CLIENT LIST), as Redis's fake AOF client does.
 */
export function commandReplayer(server: ServerContext): CommandReplayer {
  const c = new Client(server, server.keyspace.clock());
  c.authenticated = true;
  return {
    run(argv) {
      if (server.commands.get(argv[0]!) === undefined) {
        return `Unknown command '${argv[0]}' reading the append only file`;
      }
      dispatch(c, argv);
      c.w.clear();
      return null;
    },
    end(truncatedOk) {
      if (c.multi !== null) {
        if (!truncatedOk) {
          c.multi = null;
          throw new AofError(
            "Unexpected end of file reading the append only file: an incomplete MULTI/EXEC " +
              "transaction (set aof-load-truncated yes to revert it and start)",
          );
        }
        server.platform.log(
          "warning",
          "Revert incomplete MULTI/EXEC transaction in AOF file",
        );
        c.multi = null;
      }
    },
  };
}

function debugReload(c: Client, argv: string[]): void {
  let merge = false;
  let noflush = false;
  let nosave = false;
  for (let j = 2; j < argv.length; j++) {
    const o = argv[j]!;
    if (isToken(o, "merge")) merge = true;
    else if (isToken(o, "noflush")) noflush = true;
    else if (isToken(o, "nosave")) nosave = true;
    else {
      throw new ReplyError(
        "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.",
      );
    }
  }
  const server = c.server;
  const p = server.persistence;
  if (!nosave) {
    const err = p.save();
    if (err !== null) throw new ReplyError("ERR");
  }
  if (!noflush) {
    emptyData(server);
    // The functions come back from the file too (without NOFLUSH they are not kept).
    server.functions?.flush();
  }
  const dirty = server.keyspace.dirty;
  try {
    p.loadRdbFile({ merge });
  } catch (e) {
    server.platform.log("warning", `Error loading the RDB file: ${(e as Error).message}`);
    throw new ReplyError("ERR Error trying to load the RDB dump, check server logs.");
  } finally {
    server.keyspace.dirty = dirty;
  }
  server.platform.log("notice", "DB reloaded by DEBUG RELOAD");
  c.w.ok();
}

function debugLoadAof(c: Client): void {
  const server = c.server;
  const p = server.persistence;
  if (p.aofEnabled) {
    p.flushAof(true);
    emptyData(server);
    try {
      p.loadAof(commandReplayer(server));
    } catch (e) {
      server.platform.log("warning", `Error loading the AOF: ${(e as Error).message}`);
      throw new ReplyError("ERR Error trying to load the AOF files, check server logs.");
    } finally {
      // Like Redis: the loaded dataset is what is on disk, nothing to save.
      server.keyspace.dirty = 0;
    }
    server.platform.log("notice", "Append Only File loaded by DEBUG LOADAOF");
  }
  c.w.ok();
}

/**
 * DEBUG subcommands about persistence (RELOAD, LOADAOF); returns false when `argv` is not
 * one of them, so the DEBUG container can go on.
 */
export function persistenceDebug(c: Client, argv: string[]): boolean {
  const sub = argv[1]!.toLowerCase();
  if (sub === "reload") {
    debugReload(c, argv);
    return true;
  }
  if (sub === "loadaof" && argv.length === 2) {
    debugLoadAof(c);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Declarations

/** Commands of this group. */
export const persistenceCommands: CommandSpec[] = [
  {
    name: "dump",
    arity: 2,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    acl: ["keyspace"],
    group: "generic",
    since: "2.6.0",
    summary: "Return a serialized version of the value stored at the specified key.",
    complexity: "O(1) to access the key and additional O(N*M) to serialize it, where N is " +
      "the number of Redis objects composing the value and M their average size. For small " +
      "string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
    tips: ["nondeterministic_output"],
    args: [KEY],
    run: dumpCommand,
  },
  {
    name: "restore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["OW", "update"],
    acl: ["keyspace", "dangerous"],
    group: "generic",
    since: "2.6.0",
    summary: "Create a key using the provided serialized value, previously obtained using DUMP.",
    complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the " +
      "serialized value, where N is the number of Redis objects composing the value and M " +
      "their average size. For small string values the time complexity is thus O(1)+O(1*M) " +
      "where M is small, so simply O(1). However for sorted set values the complexity is " +
      "O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
    history: [
      ["3.0.0", "Added the `REPLACE` modifier."],
      ["5.0.0", "Added the `ABSTTL` modifier."],
      ["5.0.0", "Added the `IDLETIME` and `FREQ` options."],
    ],
    args: [
      KEY,
      { name: "ttl", type: "integer" },
      { name: "serialized-value", type: "string" },
      { name: "replace", type: "pure-token", token: "REPLACE", since: "3.0.0", optional: true },
      { name: "absttl", type: "pure-token", token: "ABSTTL", since: "5.0.0", optional: true },
      { name: "seconds", type: "integer", token: "IDLETIME", since: "5.0.0", optional: true },
      { name: "frequency", type: "integer", token: "FREQ", since: "5.0.0", optional: true },
    ],
    run: restoreCommand,
  },
  {
    name: "save",
    arity: 1,
    flags: ["admin", "noscript", "no_async_loading", "no_multi"],
    group: "server",
    since: "1.0.0",
    summary: "Synchronously save the dataset to disk",
    complexity: "O(N) where N is the total number of keys in all databases",
    run: saveCommand,
  },
  {
    name: "bgsave",
    arity: -1,
    flags: ["admin", "noscript", "no_async_loading"],
    group: "server",
    since: "1.0.0",
    summary: "Asynchronously save the dataset to disk",
    complexity: "O(1)",
    history: [["3.2.2", "Added the `SCHEDULE` option."]],
    args: [{
      name: "schedule",
      type: "pure-token",
      token: "SCHEDULE",
      since: "3.2.2",
      optional: true,
    }],
    run: bgsaveCommand,
  },
  {
    name: "bgrewriteaof",
    arity: 1,
    flags: ["admin", "noscript", "no_async_loading"],
    group: "server",
    since: "1.0.0",
    summary: "Asynchronously rewrite the append-only file",
    complexity: "O(1)",
    run: bgrewriteaofCommand,
  },
  {
    name: "sync",
    arity: 1,
    flags: ["admin", "noscript", "no_async_loading", "no_multi"],
    group: "server",
    since: "1.0.0",
    summary: "Internal command used for replication",
    run: syncCommand,
  },
  {
    name: "psync",
    arity: -3,
    flags: ["admin", "noscript", "no_async_loading", "no_multi"],
    group: "server",
    since: "2.8.0",
    summary: "Internal command used for replication",
    args: [{ name: "replicationid", type: "string" }, { name: "offset", type: "integer" }],
    run: syncCommand,
  },
  {
    name: "replconf",
    arity: -1,
    flags: ["admin", "noscript", "loading", "stale", "allow_busy"],
    group: "server",
    since: "3.0.0",
    summary: "An internal command for configuring the replication stream",
    complexity: "O(1)",
    docFlags: ["syscmd"],
    run: replconfCommand,
  },
];
