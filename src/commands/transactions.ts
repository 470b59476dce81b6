/**
 * Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
 *
 * While `c.multi` is set the dispatcher queues commands (replying `+QUEUED`) and flags the
 * transaction when one is rejected; EXEC then runs the queue through the dispatcher's
 * {@link call}, so each queued command behaves and counts exactly as if sent alone. Handlers
 * are synchronous, so nothing else runs between the queued commands: EXEC is atomic.
 *
 * @module
 */
import type { Client } from "./context.ts";
import { type CommandSpec, ReplyError } from "./spec.ts";
import { call } from "./dispatch.ts";
import { unwatchAll, watchedKeyExpired, watchKey } from "./watch.ts";

/** Leaves MULTI state and drops every WATCH (Redis `discardTransaction`). */
export function discardTransaction(c: Client): void {
  c.multi = null;
  unwatchAll(c);
}

/** Transaction commands. */
export const transactionCommands: CommandSpec[] = [
  {
    name: "multi",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    group: "transactions",
    since: "1.2.0",
    summary: "Mark the start of a transaction block",
    complexity: "O(1)",
    run(c) {
      if (c.multi !== null) throw new ReplyError("ERR MULTI calls can not be nested");
      c.multi = { queue: [], aborted: false };
      c.w.ok();
    },
  },
  {
    name: "exec",
    arity: 1,
    flags: ["noscript", "loading", "stale", "skip_slowlog"],
    group: "transactions",
    since: "1.2.0",
    summary: "Execute all commands issued after MULTI",
    complexity: "Depends on commands in the transaction",
    run(c) {
      const multi = c.multi;
      if (multi === null) throw new ReplyError("ERR EXEC without MULTI");
      if (multi.aborted) {
        discardTransaction(c);
        throw new ReplyError("EXECABORT Transaction discarded because of previous errors.");
      }
      if (c.dirtyCas || watchedKeyExpired(c)) {
        discardTransaction(c);
        c.w.nullArray();
        return;
      }
      // Unwatch first: writes made by the transaction itself must not mark this client.
      unwatchAll(c);
      const w = c.w;
      const errors = w.errors;
      // The client stays in MULTI state while its queue runs (CLIENT LIST shows flags=x), as
      // in Redis; nothing can re-enter the dispatcher for it meanwhile.
      c.inExec = true;
      try {
        w.array(multi.queue.length);
        for (const q of multi.queue) call(c, q.cmd, q.argv);
      } finally {
        c.inExec = false;
        c.multi = null;
      }
      // A queued command that failed counted as failed itself; EXEC did not fail.
      w.errors = errors;
      c.lastCommand = "exec";
    },
  },
  {
    name: "discard",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    group: "transactions",
    since: "2.0.0",
    summary: "Discard all commands issued after MULTI",
    complexity: "O(N), when N is the number of queued commands",
    run(c) {
      if (c.multi === null) throw new ReplyError("ERR DISCARD without MULTI");
      discardTransaction(c);
      c.w.ok();
    },
  },
  {
    name: "watch",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    keys: { first: 1, last: -1, step: 1 },
    keyFlags: ["RO"],
    group: "transactions",
    since: "2.2.0",
    summary: "Watch the given keys to determine execution of the MULTI/EXEC block",
    complexity: "O(1) for every key.",
    args: [{ name: "key", type: "key", keySpecIndex: 0, multiple: true }],
    run(c, argv) {
      if (c.multi !== null) throw new ReplyError("ERR WATCH inside MULTI is not allowed");
      for (let i = 1; i < argv.length; i++) watchKey(c, argv[i]!);
      c.w.ok();
    },
  },
  {
    name: "unwatch",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "allow_busy"],
    group: "transactions",
    since: "2.2.0",
    summary: "Forget about all watched keys",
    complexity: "O(1)",
    run(c) {
      unwatchAll(c);
      c.w.ok();
    },
  },
];
