/**
 * WATCH bookkeeping shared by the transaction commands and the keyspace write hook.
 *
 * Each watch remembers whether the key was already logically expired (stale: past its TTL
 * but not reclaimed yet) when it was watched, as Redis 7.0 does: reclaiming such a key is
 * not a change, while a live watched key that expires before EXEC is one.
 *
 * @module
 */
import type { Client, ServerContext } from "./context.ts";
import type { Db } from "../store/keyspace.ts";

/** Whether `key` is in `db` but past its TTL (Redis `keyIsExpired`; never deletes). */
function isStale(db: Db, key: string, now: number): boolean {
  const when = db.expires.get(key);
  return when !== undefined && when <= now && db.data.has(key);
}

/** Whether `key` is in `db` and not past its TTL, without lazy expiry. */
function isLive(db: Db, key: string, now: number): boolean {
  if (!db.data.has(key)) return false;
  const when = db.expires.get(key);
  return when === undefined || when > now;
}

/**
 * Marks clients watching `key` in db `dbId` as dirty (their EXEC will fail). Called after the
 * change, from the keyspace's modified-key hook.
 */
export function touchWatchedKey(server: ServerContext, dbId: number, key: string): void {
  if (server.watched.size === 0) return;
  const clients = server.watched.get(dbId)?.get(key);
  if (!clients) return;
  const db = server.keyspace.dbs[dbId]!;
  for (const c of clients) {
    const mine = c.watching?.get(dbId);
    if (mine?.get(key) === true && !db.data.has(key)) {
      // Stale when watched and now reclaimed: logically nothing changed.
      mine.set(key, false);
      continue;
    }
    c.dirtyCas = true;
  }
}

/**
 * Marks clients watching keys of db `dbId` as dirty when the keys are about to change because
 * the whole database is emptied (FLUSHDB, FLUSHALL: `replacedWith` omitted) or replaced by
 * the contents of db `replacedWith` (SWAPDB: call once per direction). Call it BEFORE the
 * databases change. A watched key counts as changed when it is live before or live after;
 * stale keys (past their TTL) count as absent, as in Redis 7.0.
 */
export function touchAllWatchedKeysInDb(
  server: ServerContext,
  dbId: number,
  replacedWith?: number,
): void {
  const keys = server.watched.get(dbId);
  if (!keys) return;
  const ks = server.keyspace;
  const now = ks.now;
  const db = ks.dbs[dbId]!;
  const other = replacedWith === undefined ? undefined : ks.dbs[replacedWith];
  for (const [key, clients] of keys) {
    const changed = isLive(db, key, now) || (other !== undefined && isLive(other, key, now));
    // A watched key that ends up stale must not fail EXEC as "expired since WATCH".
    const staleAfter = other !== undefined && isStale(other, key, now);
    for (const c of clients) {
      if (changed) c.dirtyCas = true;
      else c.watching?.get(dbId)?.set(key, staleAfter);
    }
  }
}

/** Starts watching `key` in the client's current db (Redis `watchForKey`). */
export function watchKey(c: Client, key: string): void {
  const dbId = c.db.id;
  c.watching ??= new Map();
  let mine = c.watching.get(dbId);
  if (!mine) c.watching.set(dbId, mine = new Map());
  if (mine.has(key)) return;
  mine.set(key, isStale(c.db, key, c.server.keyspace.now));
  let keys = c.server.watched.get(dbId);
  if (!keys) c.server.watched.set(dbId, keys = new Map());
  let clients = keys.get(key);
  if (!clients) keys.set(key, clients = new Set());
  clients.add(c);
}

/**
 * Whether a key watched by `c` while live has expired since (Redis 7.0 fails EXEC then, even
 * though nothing touched the key yet because expiry is lazy).
 */
export function watchedKeyExpired(c: Client): boolean {
  if (c.watching === null) return false;
  const ks = c.server.keyspace;
  for (const [dbId, keys] of c.watching) {
    const db = ks.dbs[dbId]!;
    if (db.expires.size === 0) continue;
    for (const [key, staleWhenWatched] of keys) {
      if (!staleWhenWatched && isStale(db, key, ks.now)) return true;
    }
  }
  return false;
}

/** Number of keys `c` watches. */
export function watchedKeyCount(c: Client): number {
  let n = 0;
  if (c.watching !== null) { for (const keys of c.watching.values()) n += keys.size; }
  return n;
}

/** Drops every WATCH of client `c` and clears its dirty flag (Redis `unwatchAllKeys`). */
export function unwatchAll(c: Client): void {
  const server = c.server;
  if (c.watching !== null) {
    for (const [dbId, keys] of c.watching) {
      const m = server.watched.get(dbId);
      if (!m) continue;
      for (const k of keys.keys()) {
        const set = m.get(k);
        set?.delete(c);
        if (set && set.size === 0) m.delete(k);
      }
      if (m.size === 0) server.watched.delete(dbId);
    }
  }
  c.watching = null;
  c.dirtyCas = false;
}
