/**
 * The keyspace: 16 (configurable) databases, each a `Map` from binary-string key to value,
 * plus a second map of absolute expiry times. Expiry is lazy (checked on every lookup) and
 * active ({@link Keyspace.activeExpireCycle}, run from the server's `hz` timer).
 *
 * Every write goes through {@link Keyspace.signalModified}: WATCH, blocking commands,
 * notifications and the dirty counter (save points, AOF) all subscribe to that one hook.
 *
 * @module
 */
import type { Value } from "./value.ts";
import { ScanCursors } from "./scan_cursors.ts";

/** Most concurrent SCAN cursors kept per database; the least recently used goes first. */
export const MAX_SCAN_CURSORS = 4096;

/** Keys sampled per active-expiry loop, and the share of expired ones that repeats the loop. */
const EXPIRE_SAMPLE = 20;
const EXPIRE_REPEAT_RATIO = 0.1;

/** Largest value of the 24-bit access clock (Redis's `LRU_CLOCK_MAX`). */
export const LRU_CLOCK_MAX = (1 << 24) - 1;
/** LFU counter of a new key (Redis's `LFU_INIT_VAL`). */
export const LFU_INIT_VAL = 5;

/** Keyspace event classes, as `notify-keyspace-events` names them. */
export type EventClass = "g" | "$" | "l" | "s" | "h" | "z" | "x" | "e" | "t" | "m" | "d" | "n";

/** Receives keyspace events (`del`, `expired`, `set`, ...). */
export type EventListener = (cls: EventClass, event: string, key: string, db: number) => void;

/** Receives every modification of a key (WATCH, blocking wake-ups, client tracking). */
export type ModifiedListener = (db: Db, key: string) => void;

/** Receives database swaps (SWAPDB): any key of either database may have changed. */
export type SwapListener = (a: Db, b: Db) => void;

/** One logical database. */
export class Db {
  /** Key → value. */
  data: Map<string, Value> = new Map();
  /** Key → absolute expiry time in ms, only for keys that have one. */
  expires: Map<string, number> = new Map();
  #cursors = new ScanCursors<string>(MAX_SCAN_CURSORS);
  #expireIter: Iterator<[string, number]> | null = null;
  #randomIter: Iterator<string> | null = null;
  /** Average TTL of keys seen by active expiry (for INFO keyspace `avg_ttl`). */
  avgTtl = 0;
  /**
   * Key → 24-bit access clock, Redis's per-object `lru` field: under an LRU (or no) eviction
   * policy the LRU clock in seconds of the last access; under an LFU policy the last
   * decrement time in minutes (16 bits) and a logarithmic access counter (8 bits). Kept
   * beside {@link data} rather than in each value so strings stay plain JS strings; values
   * stay small integers (Smis), so an entry costs no heap number. An entry still costs ~30
   * bytes, so the map is only kept once something needs it ({@link Keyspace.trackAccess}).
   */
  access: Map<string, number> = new Map();

  /** Creates database number `id`. */
  constructor(readonly id: number, readonly ks: Keyspace) {}

  /** Number of keys, including logically expired ones not reclaimed yet (as DBSIZE). */
  get size(): number {
    return this.data.size;
  }

  /**
   * The live value of `key`, deleting it first if it has expired. Counts as an access for
   * keyspace hit/miss statistics only when `stat` is set.
   */
  get(key: string): Value | undefined {
    if (this.expires.size !== 0 && this.#expireIfNeeded(key)) return undefined;
    return this.data.get(key);
  }

  /** Whether `key` exists (after lazy expiry). */
  has(key: string): boolean {
    if (this.expires.size !== 0 && this.#expireIfNeeded(key)) return false;
    return this.data.has(key);
  }

  /** Deletes `key` if its time has come; returns whether it did. */
  #expireIfNeeded(key: string): boolean {
    const when = this.expires.get(key);
    if (when === undefined || when > this.ks.now || this.ks.loading) return false;
    // During CLIENT PAUSE keys only read as expired: nothing is deleted (or propagated).
    if (this.ks.expiryPaused) return true;
    this.#deleteExpired(key);
    return true;
  }

  #deleteExpired(key: string): void {
    this.data.delete(key);
    this.expires.delete(key);
    if (this.access.size !== 0) this.access.delete(key);
    this.ks.stats.expiredKeys++;
    this.ks.notify("x", "expired", key, this.id);
    this.ks.signalModified(this, key);
  }

  /**
   * Stores `value` under `key`. Clears any TTL unless `keepTtl`. Does not signal: callers
   * signal once per command through {@link Keyspace.signalModified}.
   */
  set(key: string, value: Value, keepTtl = false): void {
    const size = this.data.size;
    this.data.set(key, value);
    // A key that did not exist is "new" (Redis's dbAdd event, class `n`).
    if (this.data.size !== size) this.ks.notify("n", "new", key, this.id);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    // A new object starts with a fresh access clock; under LFU an overwrite keeps the
    // counter of the key it replaces, as Redis's dbOverwrite does.
    const ks = this.ks;
    if (!ks.trackAccess) return;
    if (!ks.lfu) this.access.set(key, ks.lruClock());
    else if (!this.access.has(key)) this.access.set(key, ks.lfuInit());
  }

  /** Replaces the value of an existing key, keeping its TTL. */
  replace(key: string, value: Value): void {
    this.data.set(key, value);
  }

  /** Deletes `key`; returns whether it existed (live). */
  delete(key: string): boolean {
    if (this.expires.size !== 0 && this.#expireIfNeeded(key)) return false;
    if (!this.data.delete(key)) return false;
    if (this.expires.size !== 0) this.expires.delete(key);
    if (this.access.size !== 0) this.access.delete(key);
    return true;
  }

  /**
   * Records an access to `key` (Redis updates the object's LRU clock or LFU counter on every
   * lookup that is not NOTOUCH). The key must exist.
   */
  touch(key: string): void {
    const ks = this.ks;
    if (!ks.trackAccess) return;
    if (!ks.lfu) this.access.set(key, ks.lruClock());
    else this.access.set(key, ks.lfuAccess(this.access.get(key)));
  }

  /**
   * Seconds since the last access to `key` (OBJECT IDLETIME), from the 24-bit clock. Starts
   * access tracking; a key not accessed since tracking began counts from server start.
   */
  idleTime(key: string): number {
    const ks = this.ks;
    ks.trackAccess = true;
    const lru = this.access.get(key) ?? ks.accessBaseline;
    const now = ks.lruClock();
    return now >= lru ? now - lru : now + (LRU_CLOCK_MAX - lru);
  }

  /** The decayed LFU counter of `key` (OBJECT FREQ), without counting an access. */
  frequency(key: string): number {
    this.ks.trackAccess = true;
    const v = this.access.get(key);
    return v === undefined ? LFU_INIT_VAL : this.ks.lfuDecayed(v);
  }

  /**
   * Sets the access clock of `key` from an idle time in seconds or an LFU frequency
   * (RESTORE IDLETIME / FREQ, RDB loading).
   */
  setAccess(key: string, idleSeconds: number | null, freq: number | null): void {
    const ks = this.ks;
    ks.trackAccess = true;
    if (freq !== null && ks.lfu) {
      this.access.set(key, (ks.lfuMinutes() << 8) | Math.min(255, Math.max(0, freq)));
    } else if (idleSeconds !== null && !ks.lfu) {
      const now = ks.lruClock();
      const idle = Math.min(idleSeconds, LRU_CLOCK_MAX);
      this.access.set(key, now >= idle ? now - idle : LRU_CLOCK_MAX - (idle - now));
    }
  }

  /** Sets an absolute expiry time in ms. The key must exist. */
  setExpire(key: string, whenMs: number): void {
    this.expires.set(key, whenMs);
  }

  /** Absolute expiry in ms, or -1 when the key has no TTL. */
  getExpire(key: string): number {
    return this.expires.get(key) ?? -1;
  }

  /** Removes the TTL; returns whether there was one. */
  persist(key: string): boolean {
    return this.expires.delete(key);
  }

  /** Removes every key. */
  clear(): void {
    this.data = new Map();
    this.expires = new Map();
    this.access = new Map();
    this.#cursors.clear();
    this.#expireIter = null;
    this.#randomIter = null;
    this.avgTtl = 0;
  }

  /** Exchanges contents with `other` (SWAPDB). */
  swapWith(other: Db): void {
    [this.data, other.data] = [other.data, this.data];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.access, other.access] = [other.access, this.access];
    [this.avgTtl, other.avgTtl] = [other.avgTtl, this.avgTtl];
    for (const db of [this, other]) {
      db.#cursors.clear();
      db.#expireIter = null;
      db.#randomIter = null;
    }
    this.ks.signalSwapped(this, other);
  }

  /**
   * One SCAN step. Cursors are handles to live `Map` iterators: a `Map` iterator visits every
   * entry that exists from the start to the end of the iteration exactly once, whatever is
   * added or deleted meanwhile, which is the SCAN guarantee. The trade-off against Redis's
   * stateless reverse-binary cursor: at most {@link MAX_SCAN_CURSORS} iterations per
   * database are remembered (least recently used dropped), and an unknown cursor ends the
   * iteration.
   *
   * Calls `visit` for up to about `count` keys; returns the next cursor (0 when done).
   */
  scan(cursor: number, count: number, visit: (key: string) => void): number {
    return this.#cursors.scan(cursor, count, () => this.data.keys(), visit);
  }

  /**
   * A random live key, or `null` when the database is empty. A rotating iterator advanced by
   * a random stride keeps this O(1) amortised instead of walking the map.
   */
  randomKey(): string | null {
    for (let attempts = 0; attempts < 100 && this.data.size > 0; attempts++) {
      const skip = Math.floor(Math.random() * Math.min(16, this.data.size));
      let key: string | undefined;
      for (let i = 0; i <= skip; i++) {
        if (this.#randomIter === null) this.#randomIter = this.data.keys();
        const r = this.#randomIter.next();
        if (r.done) {
          this.#randomIter = null;
          i--;
          continue;
        }
        key = r.value;
      }
      if (key === undefined) continue;
      if (this.expires.size !== 0 && this.#expireIfNeeded(key)) continue;
      return key;
    }
    // Every sampled key was expired; fall back to a full walk.
    for (const key of this.data.keys()) {
      if (!this.has(key)) continue;
      return key;
    }
    return null;
  }

  /**
   * Active expiry for this database: samples keys with a TTL and deletes expired ones,
   * repeating while more than 10% of a sample was expired and `deadline` is not reached.
   * Returns the number of keys deleted.
   */
  activeExpire(deadline: number, clock: () => number): number {
    let deleted = 0;
    let loops = 0;
    for (;;) {
      if (this.expires.size === 0) return deleted;
      let sampled = 0;
      let expired = 0;
      let ttlSum = 0;
      let ttlCount = 0;
      const now = this.ks.now;
      const n = Math.min(EXPIRE_SAMPLE, this.expires.size);
      while (sampled < n) {
        if (this.#expireIter === null) this.#expireIter = this.expires.entries();
        const r = this.#expireIter.next();
        if (r.done) {
          this.#expireIter = null;
          if (sampled === 0 && this.expires.size === 0) break;
          continue;
        }
        sampled++;
        const [key, when] = r.value;
        if (when <= now) {
          this.#deleteExpired(key);
          expired++;
        } else {
          ttlSum += when - now;
          ttlCount++;
        }
      }
      deleted += expired;
      if (ttlCount > 0) {
        const avg = ttlSum / ttlCount;
        this.avgTtl = this.avgTtl === 0 ? avg : (this.avgTtl / 50) * 49 + avg / 50;
      }
      loops++;
      if (expired <= sampled * EXPIRE_REPEAT_RATIO) return deleted;
      if ((loops & 15) === 0 && clock() >= deadline) return deleted;
    }
  }
}

/** Counters shown by INFO stats. */
export interface KeyspaceStats {
  /** Keys deleted because their TTL passed. */
  expiredKeys: number;
  /** Keys evicted for maxmemory. */
  evictedKeys: number;
  /** Successful key lookups. */
  hits: number;
  /** Failed key lookups. */
  misses: number;
}

/** All databases plus the hooks that react to writes. */
export class Keyspace {
  /** The databases, 0..n-1. */
  readonly dbs: Db[];
  /** Cached current time in ms; refreshed by the dispatcher before each command. */
  now: number;
  /**
   * Writes since the last successful save (Redis's `dirty`); the persistence layer resets it.
   * Commands count writes only through {@link written}, {@link touched} and {@link markWritten}.
   */
  dirty = 0;
  /**
   * Writes ever made (never reset): an execution unit that sees it grow propagates itself to
   * the AOF and replicas, so propagation follows what was written, not what a handler says.
   */
  writes = 0;
  /** Statistics. */
  readonly stats: KeyspaceStats = { expiredKeys: 0, evictedKeys: 0, hits: 0, misses: 0 };
  /** Whether the hz timer expires keys (`DEBUG SET-ACTIVE-EXPIRE`). */
  activeExpireEnabled = true;
  /**
   * Set during CLIENT PAUSE: expired keys read as missing but are neither deleted lazily
   * nor by active expiry, so nothing is written (or propagated) while clients are paused.
   */
  expiryPaused = false;
  /**
   * Set while the AOF replays: keys don't expire (lookups and EXPIRE in the past keep them),
   * so the replayed commands see the dataset they saw when they ran.
   */
  loading = false;
  /**
   * Whether per-key access clocks ({@link Db.access}) are kept. Off until something needs
   * them (an LRU/LFU eviction policy, OBJECT IDLETIME/FREQ, RESTORE IDLETIME/FREQ), so a
   * keyspace that never asks pays neither the memory nor the map update per lookup.
   */
  trackAccess = false;
  /** LRU clock at creation: the last access assumed for keys untouched since tracking began. */
  readonly accessBaseline: number;
  /** Whether `maxmemory-policy` is an LFU one: access clocks then hold LFU counters. */
  lfu = false;
  /** `lfu-log-factor`: how many hits it takes to saturate the LFU counter. */
  lfuLogFactor = 10;
  /** `lfu-decay-time`: minutes per decrement of an idle key's LFU counter (0 = never). */
  lfuDecayTime = 1;
  /**
   * Called by `lookupWrite` before a key's value may be modified in place, while a background
   * snapshot needs the value as it was (src/persistence/snapshot.ts); null when none runs.
   */
  writeBarrier: ((db: Db, key: string) => void) | null = null;
  #modified: ModifiedListener[] = [];
  #events: EventListener[] = [];
  #swapped: SwapListener[] = [];

  /** Creates `count` empty databases. `clock` returns the time in ms (injectable for tests). */
  constructor(count = 16, readonly clock: () => number = Date.now) {
    this.dbs = Array.from({ length: count }, (_, i) => new Db(i, this));
    this.now = clock();
    this.accessBaseline = this.lruClock();
  }

  /** Refreshes {@link now} from the clock. */
  refreshTime(): number {
    return (this.now = this.clock());
  }

  /**
   * Applies the eviction-policy settings that shape access tracking (from the config):
   * `policy` is `maxmemory-policy`; LRU and LFU policies need access clocks.
   */
  configureAccess(policy: string, logFactor: number, decayTime: number): void {
    this.lfu = policy.endsWith("-lfu");
    if (this.lfu || policy.endsWith("-lru")) this.trackAccess = true;
    this.lfuLogFactor = logFactor;
    this.lfuDecayTime = decayTime;
  }

  /** The 24-bit LRU clock: seconds, wrapping (Redis's `LRU_CLOCK()`, 1 s resolution). */
  lruClock(): number {
    return Math.floor(this.now / 1000) & LRU_CLOCK_MAX;
  }

  /** Minutes, 16 bits (Redis's `LFUGetTimeInMinutes`). */
  lfuMinutes(): number {
    return Math.floor(this.now / 60000) & 65535;
  }

  /** The access clock of a new object under LFU. */
  lfuInit(): number {
    return (this.lfuMinutes() << 8) | LFU_INIT_VAL;
  }

  /** The LFU counter of access clock `v` after decay for the minutes elapsed since it was set. */
  lfuDecayed(v: number): number {
    const ldt = v >> 8;
    let counter = v & 255;
    if (this.lfuDecayTime === 0) return counter;
    const now = this.lfuMinutes();
    const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    const periods = Math.floor(elapsed / this.lfuDecayTime);
    if (periods > 0) counter = periods > counter ? 0 : counter - periods;
    return counter;
  }

  /**
   * The access clock after one more access under LFU: decay, then a logarithmic increment
   * (probability 1 / ((counter - LFU_INIT_VAL) * lfu-log-factor + 1)), as Redis's updateLFU.
   */
  lfuAccess(v: number | undefined): number {
    let counter = v === undefined ? LFU_INIT_VAL : this.lfuDecayed(v);
    if (counter < 255) {
      const base = Math.max(0, counter - LFU_INIT_VAL);
      if (Math.random() < 1 / (base * this.lfuLogFactor + 1)) counter++;
    }
    return (this.lfuMinutes() << 8) | counter;
  }

  /** Subscribes to key modifications. */
  onModified(listener: ModifiedListener): void {
    this.#modified.push(listener);
  }

  /** Subscribes to database swaps (blocked clients may now find their keys). */
  onSwapped(listener: SwapListener): void {
    this.#swapped.push(listener);
  }

  /** Signals that databases `a` and `b` exchanged contents. */
  signalSwapped(a: Db, b: Db): void {
    for (const l of this.#swapped) l(a, b);
  }

  /** Subscribes to keyspace events. */
  onEvent(listener: EventListener): void {
    this.#events.push(listener);
  }

  /** Signals that `key` changed in `db` (Redis's `signalModifiedKey`). */
  signalModified(db: Db, key: string): void {
    const ls = this.#modified;
    for (let i = 0; i < ls.length; i++) ls[i]!(db, key);
  }

  /**
   * The write API every handler uses after changing `key` in `db`: the modified-key signal
   * (WATCH, blocked clients), the keyspace event `event` of class `cls`, and `n` counted writes
   * (save points, propagation) in one call, so none of them can be forgotten.
   */
  written(db: Db, key: string, event: string, cls: EventClass = "g", n = 1): void {
    this.signalModified(db, key);
    this.notify(cls, event, key, db.id);
    this.dirty += n;
    this.writes += n;
  }

  /** A write to `key` that emits no keyspace event (e.g. a cached HyperLogLog count). */
  touched(db: Db, key: string, n = 1): void {
    this.signalModified(db, key);
    this.dirty += n;
    this.writes += n;
  }

  /**
   * `n` writes that belong to no single key (FLUSHDB, SWAPDB, stream group state already
   * signalled): counted for save points and propagation.
   */
  markWritten(n = 1): void {
    this.dirty += n;
    this.writes += n;
  }

  /** Emits a keyspace event (Redis's `notifyKeyspaceEvent`). */
  notify(cls: EventClass, event: string, key: string, db: number): void {
    const ls = this.#events;
    for (let i = 0; i < ls.length; i++) ls[i]!(cls, event, key, db);
  }

  /** Total number of keys in all databases. */
  totalKeys(): number {
    let n = 0;
    for (const db of this.dbs) n += db.size;
    return n;
  }

  /**
   * One active-expiry pass over all databases within `timeBudgetMs` (Redis spends up to 25%
   * of each `hz` tick). Returns the number of keys deleted.
   */
  activeExpireCycle(timeBudgetMs: number): number {
    if (!this.activeExpireEnabled || this.expiryPaused) return 0;
    const start = this.refreshTime();
    const deadline = start + timeBudgetMs;
    let n = 0;
    for (const db of this.dbs) {
      if (db.expires.size === 0) continue;
      n += db.activeExpire(deadline, this.clock);
      if (this.clock() >= deadline) break;
    }
    return n;
  }
}
