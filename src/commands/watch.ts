/**
 * WATCH bookkeeping shared by the transaction commands and the keyspace write hook.
 *
 * @module
 */
import type { Client, ServerContext } from "./context.ts";

/** Marks clients watching `key` in db `dbId` as dirty (their EXEC will fail). */
export function touchWatchedKey(server: ServerContext, dbId: number, key: string): void {
  if (server.watched.size === 0) return;
  const clients = server.watched.get(dbId)?.get(key);
  if (!clients) return;
  for (const c of clients) c.dirtyCas = true;
}

/** Marks every client watching any key of db `dbId` as dirty (FLUSHDB, SWAPDB...). */
export function touchAllWatchedKeysInDb(server: ServerContext, dbId: number): void {
  const keys = server.watched.get(dbId);
  if (!keys) return;
  const db = server.keyspace.dbs[dbId]!;
  for (const [key, clients] of keys) {
    if (!db.data.has(key)) continue;
    for (const c of clients) c.dirtyCas = true;
  }
}

/** Starts watching `key` in the client's current db. */
export function watchKey(c: Client, key: string): void {
  const dbId = c.db.id;
  c.watching ??= new Map();
  let mine = c.watching.get(dbId);
  if (!mine) c.watching.set(dbId, mine = new Set());
  if (mine.has(key)) return;
  mine.add(key);
  let keys = c.server.watched.get(dbId);
  if (!keys) c.server.watched.set(dbId, keys = new Map());
  let clients = keys.get(key);
  if (!clients) keys.set(key, clients = new Set());
  clients.add(c);
}

/** Drops every WATCH of client `c`. */
export function unwatchAll(c: Client): void {
  const server = c.server;
  if (c.watching !== null) {
    for (const [dbId, keys] of c.watching) {
      const m = server.watched.get(dbId);
      if (!m) continue;
      for (const k of keys) {
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
