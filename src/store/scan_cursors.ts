/**
 * SCAN cursors: one table type for the keyspace (SCAN) and collections (SSCAN, HSCAN, ZSCAN).
 * A cursor is a handle to a live `Map` iterator, which visits every entry present from the
 * start to the end of the iteration exactly once whatever is added or deleted meanwhile: that
 * is the SCAN guarantee. Unlike Redis's stateless reverse-binary cursor, only `capacity` open
 * iterations are remembered per table (the least recently used goes first), and an unknown
 * cursor ends the iteration.
 *
 * @module
 */

/** Cursor numbers are unique process-wide, so a cursor of one table is unknown to another. */
let nextCursor = 1;

/** The open iterations of one keyspace database or collection. */
export class ScanCursors<T> {
  #its = new Map<number, Iterator<T>>();

  /** Remembers at most `capacity` open iterations. */
  constructor(readonly capacity: number) {}

  /**
   * One step: continues iteration `cursor` (0 starts one with `start()`), calling `visit`
   * for up to `count` elements. Returns the next cursor, 0 when the iteration is complete.
   */
  scan(cursor: number, count: number, start: () => Iterator<T>, visit: (t: T) => void): number {
    let it: Iterator<T> | undefined;
    if (cursor === 0) it = start();
    else {
      it = this.#its.get(cursor);
      if (it === undefined) return 0;
      this.#its.delete(cursor);
    }
    for (let i = 0; i < count; i++) {
      const r = it.next();
      if (r.done) return 0;
      visit(r.value);
    }
    const next = nextCursor++;
    if (nextCursor > Number.MAX_SAFE_INTEGER) nextCursor = 1;
    this.#its.set(next, it);
    if (this.#its.size > this.capacity) {
      const oldest = this.#its.keys().next().value;
      if (oldest !== undefined) this.#its.delete(oldest);
    }
    return next;
  }

  /** Forgets every open iteration (the collection was replaced). */
  clear(): void {
    this.#its.clear();
  }
}
