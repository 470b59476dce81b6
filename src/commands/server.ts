/**
 * Server commands that act on the server or the whole dataset: TIME, LASTSAVE, DBSIZE,
 * FLUSHDB, FLUSHALL, SWAPDB and SHUTDOWN. INFO, CONFIG, MEMORY and DEBUG have modules of
 * their own (info.ts, config_commands.ts, memory.ts, debug.ts).
 *
 * @module
 */
import type { Db } from "../store/keyspace.ts";
import { intArg, isToken } from "./args.ts";
import type { Client } from "./context.ts";
import { type CommandSpec, Errors, ReplyError } from "./spec.ts";
import { touchAllWatchedKeysInDb } from "./watch.ts";

// ---------------------------------------------------------------------------------------
// DBSIZE, FLUSHDB, FLUSHALL, SWAPDB

/** Empties `db`, marking its watched keys dirty; returns the number of keys removed. */
function emptyDb(c: Client, db: Db): number {
  const n = db.size;
  touchAllWatchedKeysInDb(c.server, db.id);
  db.clear();
  // Blocked clients learn that their keys are gone (XREADGROUP then fails).
  c.server.blocking?.signalDb(db.id);
  return n;
}

/** FLUSHDB/FLUSHALL's optional ASYNC|SYNC (both free memory at once in cedis). */
function flushMode(argv: string[]): void {
  if (argv.length > 2) throw new ReplyError(Errors.syntax);
  if (argv.length === 2 && !isToken(argv[1]!, "async") && !isToken(argv[1]!, "sync")) {
    throw new ReplyError(Errors.syntax);
  }
}

function flushdbCommand(c: Client, argv: string[]): void {
  flushMode(argv);
  c.ks.markWritten(emptyDb(c, c.db));
  // Propagated even when the database was already empty, as Redis does.
  c.propagateAs(argv);
  c.w.ok();
}

function flushallCommand(c: Client, argv: string[]): void {
  flushMode(argv);
  let removed = 0;
  for (const db of c.ks.dbs) removed += emptyDb(c, db);
  c.ks.markWritten(removed);
  // Redis stops a running BGSAVE and, when save points are configured, saves the (empty)
  // dataset right away; FLUSHALL is always propagated, even on an empty dataset.
  const p = c.server.persistence;
  if (p.bgsaveInProgress) p.killJob();
  if (p.hasSavePoints) p.save();
  c.propagateAs(argv);
  c.w.ok();
}

function swapdbCommand(c: Client, argv: string[]): void {
  const a = intArg(argv[1]!, "ERR invalid first DB index");
  const b = intArg(argv[2]!, "ERR invalid second DB index");
  const dbs = c.ks.dbs;
  if (a < 0 || a >= dbs.length || b < 0 || b >= dbs.length) {
    throw new ReplyError(Errors.dbIndex);
  }
  if (a !== b) {
    const da = dbs[a]!;
    const db = dbs[b]!;
    // A key watched in either db changes if it exists on either side of the swap.
    touchAllWatchedKeysInDb(c.server, a, b);
    touchAllWatchedKeysInDb(c.server, b, a);
    da.swapWith(db);
  }
  c.ks.markWritten();
  c.w.ok();
}

// ---------------------------------------------------------------------------------------
// SHUTDOWN

function shutdownCommand(c: Client, argv: string[]): void {
  let save: boolean | null = null;
  let now = false;
  let force = false;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (isToken(a, "nosave")) save = save === true ? fail() : false;
    else if (isToken(a, "save")) save = save === false ? fail() : true;
    else if (isToken(a, "now")) now = true;
    else if (isToken(a, "force")) force = true;
    else if (isToken(a, "abort")) abort = true;
    else throw new ReplyError(Errors.syntax);
  }
  if (abort && (save !== null || now || force)) throw new ReplyError(Errors.syntax);
  if (abort) {
    // Shutdowns in cedis are immediate: there is never one in progress to abort.
    throw new ReplyError("ERR No shutdown in progress.");
  }
  const err = c.server.platform.shutdown({ save, now, force });
  if (err !== null) throw new ReplyError("ERR " + err);
  // No reply: the connection closes as the server exits.
}

function fail(): never {
  throw new ReplyError(Errors.syntax);
}

// ---------------------------------------------------------------------------------------
// Declarations

/** Server commands. */
export const serverCommands: CommandSpec[] = [
  {
    name: "time",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    group: "server",
    since: "2.6.0",
    summary: "Return the current server time",
    complexity: "O(1)",
    tips: ["nondeterministic_output"],
    run(c) {
      const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
      c.w.array(2);
      c.w.bulk(String(Math.floor(us / 1e6)));
      c.w.bulk(String(us % 1e6));
    },
  },
  {
    name: "lastsave",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    acl: ["admin", "dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Get the UNIX time stamp of the last successful save to disk",
    complexity: "O(1)",
    tips: ["nondeterministic_output"],
    run(c) {
      c.w.int(c.server.lastSave);
    },
  },
  {
    name: "dbsize",
    arity: 1,
    flags: ["readonly", "fast"],
    acl: ["keyspace"],
    group: "server",
    since: "1.0.0",
    summary: "Return the number of keys in the selected database",
    complexity: "O(1)",
    tips: ["request_policy:all_shards", "response_policy:agg_sum"],
    run(c) {
      c.w.int(c.db.size);
    },
  },
  {
    name: "flushdb",
    arity: -1,
    flags: ["write"],
    acl: ["keyspace", "dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Remove all keys from the current database",
    complexity: "O(N) where N is the number of keys in the selected database",
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
    history: [
      ["4.0.0", "Added the `ASYNC` flushing mode modifier."],
      ["6.2.0", "Added the `SYNC` flushing mode modifier."],
    ],
    args: [flushArg()],
    run: flushdbCommand,
  },
  {
    name: "flushall",
    arity: -1,
    flags: ["write"],
    acl: ["keyspace", "dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Remove all keys from all databases",
    complexity: "O(N) where N is the total number of keys in all databases",
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
    history: [
      ["4.0.0", "Added the `ASYNC` flushing mode modifier."],
      ["6.2.0", "Added the `SYNC` flushing mode modifier."],
    ],
    args: [flushArg()],
    run: flushallCommand,
  },
  {
    name: "swapdb",
    arity: 3,
    flags: ["write", "fast"],
    acl: ["keyspace", "dangerous"],
    group: "server",
    since: "4.0.0",
    summary: "Swaps two Redis databases",
    complexity:
      "O(N) where N is the count of clients watching or blocking on keys from both databases.",
    args: [{ name: "index1", type: "integer" }, { name: "index2", type: "integer" }],
    run: swapdbCommand,
  },
  {
    name: "shutdown",
    arity: -1,
    flags: ["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"],
    group: "server",
    since: "1.0.0",
    summary: "Synchronously save the dataset to disk and then shut down the server",
    complexity:
      "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
    history: [["7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers."]],
    args: [
      {
        name: "nosave_save",
        type: "oneof",
        optional: true,
        args: [
          { name: "nosave", type: "pure-token", token: "NOSAVE" },
          { name: "save", type: "pure-token", token: "SAVE" },
        ],
      },
      { name: "now", type: "pure-token", token: "NOW", since: "7.0.0", optional: true },
      { name: "force", type: "pure-token", token: "FORCE", since: "7.0.0", optional: true },
      { name: "abort", type: "pure-token", token: "ABORT", since: "7.0.0", optional: true },
    ],
    run: shutdownCommand,
  },
];

function flushArg() {
  return {
    name: "async",
    type: "oneof" as const,
    optional: true,
    args: [
      { name: "async", type: "pure-token" as const, token: "ASYNC", since: "4.0.0" },
      { name: "sync", type: "pure-token" as const, token: "SYNC", since: "6.2.0" },
    ],
  };
}
