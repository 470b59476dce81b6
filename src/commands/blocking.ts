/**
 * Blocking commands (BLPOP, BLMOVE, BLMPOP, and for other types BZPOPMIN, XREAD BLOCK...):
 * parking a client on keys until one of them can serve it or a timeout passes. Handlers
 * never wait; the mechanism follows Redis's:
 *
 * - A command that finds nothing to serve calls {@link blockForKeys} and returns without a
 *   reply. `Client.blocked` is then set and the connection runs none of the client's further
 *   input (it stays buffered) until the client is unblocked.
 * - Every modification of a key that a client waits on (the keyspace's modified-key hook,
 *   which every write goes through, including RENAME, MOVE, COPY, SORT STORE, RESTORE, and
 *   SWAPDB through its own hook) queues the key as *ready*.
 * - After each top-level command the dispatcher calls {@link BlockingRegistry.handleReady}:
 *   for every ready key, in the order they were signalled, the clients blocked on it are
 *   offered the key in the order they blocked (FIFO). A client's {@link BlockHandler.serve}
 *   decides whether the key can serve it now (right type, not empty...), and if so replies
 *   and the client is unblocked. What it propagates (AOF, replicas) is what it passes to
 *   `Client.propagateAs` (BLPOP served as `LPOP key`...). Writes done while serving (BLMOVE pushing to its
 *   destination) signal further keys, served in the same pass, so a chain of blocked
 *   clients settles before the next command runs. Serving only after the whole command
 *   makes MULTI/EXEC (and scripts) atomic for blocked clients too: `LPUSH` + `DEL` inside
 *   one EXEC wakes nobody.
 * - A timeout is a platform timer; when it fires the handler writes the timeout reply.
 * - A client that disconnects while blocked is removed ({@link BlockedState.cancel}).
 *
 * Inside MULTI/EXEC a blocking command must not block: see {@link mayBlock}.
 *
 * @module
 */
import { parseFloatStrict } from "../resp/numbers.ts";
import { executionUnit } from "./dispatch.ts";
import type { BlockedState, Client, ServerContext } from "./context.ts";
import { ReplyError } from "./spec.ts";
import { finishBlockedCall } from "./slowlog.ts";

/** What a blocked command does when one of its keys may be ready, or when it times out. */
export interface BlockHandler {
  /**
   * Tries to serve client `c` from `key` (in `c.db`), which was just modified. Returns true
   * when it wrote the command's reply (a result, or an error such as WRONGTYPE for BLMOVE's
   * destination): the client is then unblocked. Returns false to keep waiting (the key is
   * missing, empty or of another type). A thrown {@link ReplyError} is written as the reply.
   */
  serve(c: Client, key: string): boolean;
  /** Writes the reply of a timeout (also CLIENT UNBLOCK ... TIMEOUT). */
  timeout(c: Client): void;
}

/** Error text of CLIENT UNBLOCK ... ERROR. */
export const UNBLOCKED_ERROR = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

/** `setTimeout`'s largest delay; longer timeouts are re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One parked client. */
class Blocked implements BlockedState {
  /** Cancels the pending timeout timer, if any. */
  stopTimer: (() => void) | null = null;
  /** Unblocked already (served, timed out, cancelled). */
  done = false;

  constructor(
    readonly registry: BlockingRegistry,
    readonly client: Client,
    readonly db: number,
    readonly keys: readonly string[],
    readonly handler: BlockHandler,
  ) {}

  cancel(): void {
    this.registry.release(this);
  }
}

/** The clients blocked on keys, per database, and the keys ready to serve them. */
export class BlockingRegistry {
  /** db id → key → clients blocked on it, in the order they blocked. */
  readonly #byDb = new Map<number, Map<string, Set<Blocked>>>();
  /** Keys signalled ready since the last {@link handleReady}, in signal order. */
  #ready: [number, string][] = [];
  /** db id → keys in {@link #ready} (no key is queued twice). */
  #readySet = new Map<number, Set<string>>();
  #handling = false;
  /** Number of blocked clients. */
  count = 0;

  /** Creates the registry of `server` and subscribes it to key modifications. */
  constructor(readonly server: ServerContext) {
    const ks = server.keyspace;
    ks.onModified((db, key) => {
      if (this.count !== 0) this.#signal(db.id, key);
    });
    ks.onSwapped((a, b) => {
      if (this.count === 0) return;
      for (const db of [a, b]) {
        const keys = this.#byDb.get(db.id);
        if (keys) { for (const key of keys.keys()) this.#signal(db.id, key); }
      }
    });
  }

  /** Whether keys wait to be served. */
  get pending(): boolean {
    return this.#ready.length !== 0;
  }

  /** Queues `key` of db `dbId` as ready when a client waits on it. */
  #signal(dbId: number, key: string): void {
    if (!this.#byDb.get(dbId)?.has(key)) return;
    let set = this.#readySet.get(dbId);
    if (!set) this.#readySet.set(dbId, set = new Set());
    if (set.has(key)) return;
    set.add(key);
    this.#ready.push([dbId, key]);
  }

  /** Parks `c`; see {@link blockForKeys}. */
  block(c: Client, keys: readonly string[], timeoutMs: number, handler: BlockHandler): void {
    const unique = [...new Set(keys)];
    const b = new Blocked(this, c, c.db.id, unique, handler);
    let byKey = this.#byDb.get(b.db);
    if (!byKey) this.#byDb.set(b.db, byKey = new Map());
    for (const key of unique) {
      let set = byKey.get(key);
      if (!set) byKey.set(key, set = new Set());
      set.add(b);
    }
    c.blocked = b;
    this.count++;
    if (timeoutMs > 0) this.#arm(b, timeoutMs);
  }

  /** Starts (or continues, for delays beyond the timer range) the timeout of `b`. */
  #arm(b: Blocked, ms: number): void {
    const step = Math.min(ms, MAX_TIMER_MS);
    const fire = () => {
      b.stopTimer = null;
      if (b.done) return;
      if (ms > step) return this.#arm(b, ms - step);
      this.release(b);
      b.handler.timeout(b.client);
      // Redis records a blocked command in the slow log when it is served, not on timeout.
      b.client.blockedCall = null;
      b.client.resume();
    };
    b.stopTimer = this.server.platform.timer(step, fire);
  }

  /** Forgets `b` (no reply): removes it from its keys and stops its timer. */
  release(b: Blocked): void {
    if (b.done) return;
    b.done = true;
    this.count--;
    b.stopTimer?.();
    b.stopTimer = null;
    const byKey = this.#byDb.get(b.db);
    if (byKey) {
      for (const key of b.keys) {
        const set = byKey.get(key);
        if (!set) continue;
        set.delete(b);
        if (set.size === 0) byKey.delete(key);
      }
      if (byKey.size === 0) this.#byDb.delete(b.db);
    }
    if (b.client.blocked === b) b.client.blocked = null;
  }

  /**
   * Serves blocked clients from the keys signalled ready, until no key is left (serving may
   * signal more keys). Called by the dispatcher after each top-level command.
   */
  handleReady(): void {
    if (this.#handling) return;
    this.#handling = true;
    // Keys that expired while the command ran (a DEBUG SLEEP in an EXEC...) serve nobody.
    this.server.keyspace.refreshTime();
    try {
      while (this.#ready.length !== 0) {
        const batch = this.#ready;
        this.#ready = [];
        this.#readySet = new Map();
        for (const [dbId, key] of batch) this.#serveKey(dbId, key);
      }
    } finally {
      this.#handling = false;
    }
  }

  /** Offers `key` to the clients blocked on it, first blocked first. */
  #serveKey(dbId: number, key: string): void {
    const set = this.#byDb.get(dbId)?.get(key);
    if (!set) return;
    for (const b of [...set]) {
      if (b.done) continue;
      const c = b.client;
      // Serving is a write of its own, propagated in the form the handler chooses.
      const t0 = c.server.platform.nowMicros();
      const served = executionUnit(c, null, true, serveBlocked, b.handler, key);
      if (!served) continue;
      finishBlockedCall(c, Math.floor(c.server.platform.nowMicros() - t0));
      this.release(b);
      c.resume();
      // Nothing left to serve once the key is gone.
      if (!c.server.keyspace.dbs[dbId]!.data.has(key)) return;
    }
  }

  /**
   * Queues `key` of db `dbId` as ready without it counting as modified (Redis's
   * `signalKeyAsReady` without `signalModifiedKey`): e.g. XGROUP DESTROY must wake the
   * XREADGROUP clients of the group, but must not fail a WATCH.
   */
  signalKey(dbId: number, key: string): void {
    if (this.count !== 0) this.#signal(dbId, key);
  }

  /**
   * Queues every key of db `dbId` that clients wait on (the database was emptied: FLUSHDB,
   * FLUSHALL), so handlers can react to their keys being gone (XREADGROUP fails then).
   */
  signalDb(dbId: number): void {
    if (this.count === 0) return;
    const keys = this.#byDb.get(dbId);
    if (keys) { for (const key of keys.keys()) this.#signal(dbId, key); }
  }

  /** Keys with blocked clients in db `dbId` (for introspection and tests). */
  blockedKeys(dbId: number): string[] {
    return [...(this.#byDb.get(dbId)?.keys() ?? [])];
  }
}

/** Lets `handler` serve `c` from `key`; an error is the client's reply and serves it. */
function serveBlocked(c: Client, handler: BlockHandler, key: string): boolean {
  try {
    return handler.serve(c, key);
  } catch (e) {
    if (!(e instanceof ReplyError)) {
      c.server.platform.log(
        "warning",
        `Internal error serving a blocked client: ${(e as Error)?.stack ?? e}`,
      );
      c.w.error("ERR internal error while serving a blocked client");
    } else c.w.error(e.message);
    return true;
  }
}

/** The blocking registry of `server`, created (and hooked to the keyspace) on first use. */
export function registryOf(server: ServerContext): BlockingRegistry {
  return server.blocking ??= new BlockingRegistry(server);
}

/**
 * Whether the running command may block (Redis's CLIENT_DENY_BLOCKING): not while EXEC runs
 * queued commands (nor in scripts, which run as such too). A command that may not block
 * answers as if it timed out at once.
 */
export function mayBlock(c: Client): boolean {
  return !c.inExec;
}

/**
 * Parks client `c` on `keys` (in its current db) until `handler.serve` replies for one of
 * them, `timeoutMs` passes (0 = forever; see {@link parseTimeout}) or the client goes away.
 * The calling handler must return without writing a reply.
 */
export function blockForKeys(
  c: Client,
  keys: readonly string[],
  timeoutMs: number,
  handler: BlockHandler,
): void {
  registryOf(c.server).block(c, keys, timeoutMs, handler);
}

/**
 * CLIENT UNBLOCK: unblocks `c` as on a timeout, or with the UNBLOCKED error when `error`.
 * Returns false when `c` is not blocked.
 */
export function unblockClient(c: Client, error: boolean): boolean {
  const b = c.blocked;
  if (!(b instanceof Blocked)) return false;
  b.registry.release(b);
  if (error) c.w.error(UNBLOCKED_ERROR);
  else b.handler.timeout(c);
  c.blockedCall = null;
  c.resume();
  return true;
}

/** Largest timeout in ms that a C `long long` holds. */
const LLONG_MAX = 9223372036854775807;

/**
 * Parses a blocking timeout in seconds (a float) into milliseconds, 0 meaning forever, with
 * Redis's errors. A positive timeout below a millisecond still times out (after 1 ms), a
 * negative one above -1 ms blocks forever, and one whose milliseconds overflow a C
 * `long long` is "negative", as in Redis.
 */
export function parseTimeout(arg: string): number {
  const v = parseFloatStrict(arg);
  if (v === null) throw new ReplyError("ERR timeout is not a float or out of range");
  const ms = Math.ceil(v * 1000);
  if (ms < 0 || !(ms <= LLONG_MAX)) throw new ReplyError("ERR timeout is negative");
  return ms === 0 ? 0 : ms;
}
