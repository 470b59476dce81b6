/**
 * Dispatch: resolves argv to a command, applies Redis's checks in Redis's order (unknown
 * command, arity, auth, pub/sub context, MULTI queuing), runs the handler and records
 * statistics. A handler error never escapes: `ReplyError`s become error replies and anything
 * else is logged and replied as an internal error.
 *
 * @module
 */
import type { Client } from "./context.ts";
import { Errors, ReplyError } from "./spec.ts";
import type { Command } from "./table.ts";
import { unwatchAll } from "./watch.ts";
import { busyRejection } from "./busy.ts";
import { recordCall } from "./slowlog.ts";
import { feedMonitors } from "./monitor.ts";

/** Redis's unknown-command error text. */
export function unknownCommandError(argv: string[]): string {
  let args = "";
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${argv[i]!.slice(0, 128 - args.length)}' `;
  }
  return `ERR unknown command '${argv[0]!.slice(0, 128)}', with args beginning with: ${args}`;
}

/** Redis's arity error text. */
export function arityError(name: string): string {
  return `ERR wrong number of arguments for '${name}' command`;
}

/**
 * Commands whose writes are propagated by the commands they run (EXEC's queued commands,
 * scripts' calls), never as themselves.
 */
const NO_SELF_PROPAGATION = new Set([
  "exec",
  "eval",
  "evalsha",
  "eval_ro",
  "evalsha_ro",
  "fcall",
  "fcall_ro",
]);

/** Commands a RESP2 client may run while subscribed (Redis's pub/sub context). */
const PUBSUB_ALLOWED = new Set([
  "ping",
  "subscribe",
  "ssubscribe",
  "unsubscribe",
  "sunsubscribe",
  "psubscribe",
  "punsubscribe",
  "quit",
  "reset",
]);

/** Commands that run immediately inside MULTI instead of being queued. */
const MULTI_IMMEDIATE = new Set(["exec", "discard", "multi", "watch", "quit", "reset"]);

/** Executes one request from client `c`. Replies go to `c.w`. */
export function dispatch(c: Client, argv: string[]): void {
  const server = c.server;
  const table = server.commands;
  let cmd = table.get(argv[0]!);
  if (cmd !== undefined && cmd.subs !== null && argv.length >= 2) {
    const sub = cmd.subs.get(argv[1]!.toLowerCase());
    if (sub === undefined) {
      reject(
        c,
        `ERR unknown subcommand '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`,
      );
      return;
    }
    cmd = sub;
  }
  if (cmd === undefined) {
    reject(c, unknownCommandError(argv));
    return;
  }
  const argc = argv.length;
  const arity = cmd.arity;
  if ((arity > 0 && arity !== argc) || argc < -arity) {
    cmd.rejected++;
    reject(c, arityError(cmd.fullName), cmd);
    return;
  }
  if (!c.authenticated && !cmd.noAuth && authRequired(c)) {
    cmd.rejected++;
    reject(c, Errors.noAuth, cmd);
    return;
  }
  if (cmd.denyOom && c.server.overMaxmemory === true) {
    cmd.rejected++;
    reject(c, "OOM command not allowed when used memory > 'maxmemory'.", cmd);
    return;
  }
  if (c.pubsub !== null && c.w.resp === 2 && !PUBSUB_ALLOWED.has(cmd.fullName)) {
    cmd.rejected++;
    reject(
      c,
      `ERR Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      cmd,
    );
    return;
  }
  // A script running past busy-reply-threshold (src/commands/busy.ts): only its KILL
  // commands and a few others run meanwhile.
  if (server.busyScript != null) {
    const busy = busyRejection(server, cmd, argv);
    if (busy !== null) {
      cmd.rejected++;
      reject(c, busy, cmd);
      return;
    }
  }
  if (c.multi !== null && !MULTI_IMMEDIATE.has(cmd.fullName)) {
    if (cmd.noMulti) {
      cmd.rejected++;
      reject(c, "ERR Command not allowed inside a transaction", cmd);
      return;
    }
    c.multi.queue.push({ cmd, argv });
    c.lastCommand = cmd.fullName;
    c.w.raw("+QUEUED\r\n");
    return;
  }
  // CLIENT PAUSE holds the command (and the client) until the pause ends.
  if (server.pause.type !== 0 && server.pause.holds(c, cmd, argv)) return;
  call(c, cmd, argv);
  // Blocked clients are served once the whole command (a whole EXEC) is done.
  const blocking = server.blocking;
  if (blocking !== undefined && blocking.pending && server.busyScript == null) {
    blocking.handleReady();
  }
}

/**
 * Writes a rejection; inside MULTI it also makes EXEC fail with EXECABORT. A rejected EXEC
 * itself (in MULTI or not) discards any transaction at once and answers EXECABORT with the
 * reason, as Redis words it (the generic `ERR ` code dropped, other codes kept).
 */
function reject(c: Client, message: string, cmd?: Command): void {
  if (cmd?.fullName === "exec") {
    if (c.multi !== null) {
      c.multi = null;
      unwatchAll(c);
    }
    message = "EXECABORT Transaction discarded because of: " +
      (message.startsWith("ERR ") ? message.slice(4) : message);
  } else if (c.multi !== null) c.multi.aborted = true;
  c.server.stats.rejectedCalls++;
  c.w.error(message);
}

/**
 * Whether `c` must still authenticate (Redis `authRequired`): a client that connected while
 * no password was set stays authenticated, and clearing `requirepass` lets everyone in.
 */
export function authRequired(c: Client): boolean {
  return !c.authenticated && c.server.config.getString("requirepass") !== "";
}

/** Runs the handler of `cmd`; errors become replies (a bug's error is logged first). */
function runHandler(c: Client, cmd: Command, argv: string[]): void {
  try {
    cmd.run!(c, argv);
  } catch (e) {
    if (e instanceof ReplyError) {
      c.w.error(e.message);
    } else {
      c.server.platform.log(
        "warning",
        `Internal error in '${cmd.fullName}': ${(e as Error)?.stack ?? e}`,
      );
      c.w.error(`ERR internal error while running '${cmd.fullName}'`);
    }
  }
}

/**
 * Runs `fn(c, a, b)` as one execution unit of `c` (the propagation half of Redis's `call()`),
 * used by dispatch (EXEC's queued commands join the unit of EXEC) and by blocked-client
 * serving. What the unit wrote is propagated to the AOF and replicas together: in the form
 * the handler chose with `c.propagateAs`, else as `self` when the keyspace recorded a write;
 * several writes are wrapped in MULTI/EXEC when `mayWrap`. Returns what `fn` returned.
 */
export function executionUnit<A, B, R>(
  c: Client,
  self: string[] | null,
  mayWrap: boolean,
  fn: (c: Client, a: A, b: B) => R,
  a: A,
  b: B,
): R {
  const ks = c.server.keyspace;
  const feed = c.server.persistence.feed;
  const writesBefore = ks.writes;
  const outerPropagate = c.propagate;
  c.propagate = null;
  feed.enter();
  try {
    return fn(c, a, b);
  } finally {
    if (feed.active) {
      // Set by the handler (TypeScript still sees the null assigned above).
      const rewritten = c.propagate as string[][] | null;
      if (rewritten !== null) {
        for (const op of rewritten) feed.add(c.db.id, op);
      } else if (self !== null && ks.writes !== writesBefore) {
        feed.add(c.db.id, self);
      }
    }
    c.propagate = outerPropagate;
    feed.exit(mayWrap);
  }
}

/** While `depth` > 0 (a script runs), {@link call} keeps the keyspace's time, as Redis does. */
export const clockFrozen = { depth: 0 };

/**
 * Runs `cmd` for `c` (also used by EXEC for queued commands and by scripts): refreshes the
 * clock, calls the handler, turns thrown errors into replies, updates statistics, the
 * latency histogram, slow log and latency monitor (once a blocked command is unblocked, for
 * one that blocked), and feeds MONITOR clients.
 */
export function call(c: Client, cmd: Command, argv: string[]): void {
  const server = c.server;
  const ks = server.keyspace;
  const start = clockFrozen.depth > 0 ? ks.now : ks.refreshTime();
  c.lastInteraction = start;
  c.lastCommand = cmd.fullName;
  const errorsBefore = c.w.errors;
  const obs = server.observability;
  // Scripts (flagged skip_monitor) are shown before the commands they run.
  if (obs.monitors.size !== 0 && cmd.skipMonitor) feedMonitors(c, c.db.id, argv);
  const platform = server.platform;
  const t0 = obs.inBatch && obs.batchEnd >= 0 ? obs.batchEnd : platform.nowMicros();
  executionUnit(
    c,
    NO_SELF_PROPAGATION.has(cmd.fullName) ? null : argv,
    !cmd.isReadonly,
    runHandler,
    cmd,
    argv,
  );
  // Whole microseconds, as Redis's ustime() differences.
  const t1 = platform.nowMicros();
  const duration = Math.floor(t1 - t0);
  if (obs.inBatch) obs.batchEnd = t1;
  if (c.w.errors !== errorsBefore) {
    cmd.failed++;
    server.stats.failedCalls++;
  }
  if (c.blocked === null) recordCall(obs, c, cmd, argv, duration);
  else c.blockedCall = { cmd, argv, duration };
  cmd.calls++;
  server.stats.commands++;
  cmd.usec += duration;
  if (obs.monitors.size !== 0 && !cmd.isAdmin && !cmd.skipMonitor) {
    feedMonitors(c, c.db.id, argv);
  }
}
