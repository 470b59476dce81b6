/**
 * An ordered map from string keys (stream IDs in practice) to values, for the pending entries
 * lists of consumer groups: lookups, inserts and deletes in O(log n + chunk size), ordered
 * scans from any key, and cheap appends at the end (the usual case: new deliveries have
 * growing IDs).
 *
 * Keys live in sorted chunks of at most {@link CHUNK} entries, with the chunks in key order.
 * A chunk splits in two when full and disappears when emptied, so no operation moves more than
 * one chunk's worth of entries plus the (n / CHUNK long) chunk list.
 *
 * @example
 * ```ts
 * import { IdMap } from "./id_map.ts";
 * const m = new IdMap<number>();
 * m.set("b", 2);
 * m.set("a", 1);
 * if ([...m.entries()].map(([k]) => k).join() !== "a,b") throw new Error("unordered");
 * ```
 *
 * @module
 */

/** Most keys per chunk. */
const CHUNK = 128;

interface Chunk<V> {
  keys: string[];
  vals: V[];
}

/** An ordered string-keyed map. */
export class IdMap<V> {
  #chunks: Chunk<V>[] = [];
  #size = 0;

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /** Index of the first chunk whose last key is >= `key` (chunks.length when none). */
  #chunkFor(key: string): number {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const keys = chunks[mid]!.keys;
      if (keys[keys.length - 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The value under `key`. */
  get(key: string): V | undefined {
    const ci = this.#chunkFor(key);
    const chunk = this.#chunks[ci];
    if (chunk === undefined) return undefined;
    const i = lowerBound(chunk.keys, key);
    return chunk.keys[i] === key ? chunk.vals[i] : undefined;
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets `key` to `value` (inserting or replacing). */
  set(key: string, value: V): void {
    const chunks = this.#chunks;
    let ci = this.#chunkFor(key);
    if (ci === chunks.length) {
      // Beyond every key: append to the last chunk (the common, cheap case).
      if (ci === 0 || chunks[ci - 1]!.keys.length >= CHUNK) {
        chunks.push({ keys: [key], vals: [value] });
        this.#size++;
        return;
      }
      ci--;
      const last = chunks[ci]!;
      last.keys.push(key);
      last.vals.push(value);
      this.#size++;
      return;
    }
    const chunk = chunks[ci]!;
    const i = lowerBound(chunk.keys, key);
    if (chunk.keys[i] === key) {
      chunk.vals[i] = value;
      return;
    }
    chunk.keys.splice(i, 0, key);
    chunk.vals.splice(i, 0, value);
    this.#size++;
    if (chunk.keys.length > CHUNK) {
      const half = chunk.keys.length >>> 1;
      chunks.splice(ci + 1, 0, { keys: chunk.keys.splice(half), vals: chunk.vals.splice(half) });
    }
  }

  /** Removes `key`; returns whether it was there. */
  delete(key: string): boolean {
    const ci = this.#chunkFor(key);
    const chunk = this.#chunks[ci];
    if (chunk === undefined) return false;
    const i = lowerBound(chunk.keys, key);
    if (chunk.keys[i] !== key) return false;
    chunk.keys.splice(i, 1);
    chunk.vals.splice(i, 1);
    if (chunk.keys.length === 0) this.#chunks.splice(ci, 1);
    this.#size--;
    return true;
  }

  /** Removes everything. */
  clear(): void {
    this.#chunks = [];
    this.#size = 0;
  }

  /** The smallest key, if any. */
  firstKey(): string | undefined {
    return this.#chunks[0]?.keys[0];
  }

  /** The largest key, if any. */
  lastKey(): string | undefined {
    const c = this.#chunks[this.#chunks.length - 1];
    return c?.keys[c.keys.length - 1];
  }

  /** The smallest key >= `key`, if any. */
  ceilingKey(key: string): string | undefined {
    const chunk = this.#chunks[this.#chunkFor(key)];
    if (chunk === undefined) return undefined;
    return chunk.keys[lowerBound(chunk.keys, key)];
  }

  /**
   * Entries with `from <= key <= to` in ascending key order (all by default). The map must
   * not change structurally during the iteration (values may be mutated).
   */
  *entries(from?: string, to?: string): Generator<[string, V]> {
    const chunks = this.#chunks;
    let ci = from === undefined ? 0 : this.#chunkFor(from);
    let i = from === undefined || ci >= chunks.length ? 0 : lowerBound(chunks[ci]!.keys, from);
    for (; ci < chunks.length; ci++, i = 0) {
      const { keys, vals } = chunks[ci]!;
      for (; i < keys.length; i++) {
        const k = keys[i]!;
        if (to !== undefined && k > to) return;
        yield [k, vals[i]!];
      }
    }
  }

  /** Keys in ascending order. */
  *keys(): Generator<string> {
    for (const c of this.#chunks) yield* c.keys;
  }
}

/** First index in sorted `keys` whose key is >= `key`. */
function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
