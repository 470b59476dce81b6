/**
 * The `hashtable` encoding shared by sets and hashes, and the SCAN cursors over it.
 *
 * A JS `Map` gives O(1) lookups and an iteration that survives concurrent inserts and
 * deletes, but no random access, which SPOP, SRANDMEMBER and HRANDFIELD need (uniformly: the
 * Redis tests run a chi-square check on the picks). {@link Dict} therefore pairs the map with
 * a slot array: the map holds key → slot, the array slot → key (and value). A delete leaves
 * a hole; a random pick draws slots until it hits a live one, and the array is compacted once
 * holes outnumber live entries, so a pick takes fewer than two draws on average.
 *
 * @module
 */

/** Fewest holes worth a compaction (small dicts just keep them). */
const MIN_COMPACT_HOLES = 32;

/** A hash table with insertion-ordered iteration and O(1) uniform random picks. */
export class Dict<V> {
  #index = new Map<string, number>();
  #keys: (string | undefined)[] = [];
  #vals: (V | undefined)[] | null;
  #holes = 0;

  /** Creates an empty dict; `withValues` false keeps no value array (sets). */
  constructor(withValues: boolean) {
    this.#vals = withValues ? [] : null;
  }

  /** Number of entries. */
  get size(): number {
    return this.#index.size;
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this.#index.has(key);
  }

  /** The value of `key`, or undefined. */
  get(key: string): V | undefined {
    const slot = this.#index.get(key);
    return slot === undefined ? undefined : this.#vals?.[slot];
  }

  /** Adds or updates `key`; returns whether it was new. Updates keep the iteration place. */
  set(key: string, value?: V): boolean {
    const slot = this.#index.get(key);
    if (slot !== undefined) {
      if (this.#vals !== null) this.#vals[slot] = value;
      return false;
    }
    this.#index.set(key, this.#keys.length);
    this.#keys.push(key);
    if (this.#vals !== null) this.#vals.push(value);
    return true;
  }

  /** Removes `key`; returns whether it was present. */
  delete(key: string): boolean {
    const slot = this.#index.get(key);
    if (slot === undefined) return false;
    this.#index.delete(key);
    this.#removeSlot(slot);
    return true;
  }

  #removeSlot(slot: number): void {
    const keys = this.#keys;
    if (slot === keys.length - 1) {
      keys.pop();
      this.#vals?.pop();
      // Trailing holes would only cost random draws.
      while (keys.length > 0 && keys[keys.length - 1] === undefined) {
        keys.pop();
        this.#vals?.pop();
        this.#holes--;
      }
    } else {
      keys[slot] = undefined;
      if (this.#vals !== null) this.#vals[slot] = undefined;
      this.#holes++;
    }
    if (this.#holes > MIN_COMPACT_HOLES && this.#holes > this.#index.size) this.#compact();
  }

  /**
   * Rebuilds the slot array without holes. Updating the slot of an existing map key keeps
   * its iteration position, so live map iterators (SCAN cursors) are unaffected.
   */
  #compact(): void {
    const keys: string[] = [];
    const vals: (V | undefined)[] | null = this.#vals === null ? null : [];
    const old = this.#vals;
    for (const [k, slot] of this.#index) {
      if (vals !== null) vals.push(old![slot]);
      this.#index.set(k, keys.length);
      keys.push(k);
    }
    this.#keys = keys;
    this.#vals = vals;
    this.#holes = 0;
  }

  /** Keys in insertion order (a live iterator: safe across inserts and deletes). */
  keys(): IterableIterator<string> {
    return this.#index.keys();
  }

  /** Entries in insertion order. */
  *entries(): IterableIterator<[string, V]> {
    const vals = this.#vals;
    for (const [k, slot] of this.#index) yield [k, vals?.[slot] as V];
  }

  /** A uniformly random live slot; the dict must not be empty. */
  randomSlot(): number {
    const keys = this.#keys;
    for (;;) {
      const slot = Math.floor(Math.random() * keys.length);
      if (keys[slot] !== undefined) return slot;
    }
  }

  /** The key in a live `slot`. */
  keyAt(slot: number): string {
    return this.#keys[slot]!;
  }

  /** The value in a live `slot`. */
  valueAt(slot: number): V {
    return this.#vals?.[slot] as V;
  }

  /** Removes the entry in a live `slot`; returns its key. */
  deleteAt(slot: number): string {
    const key = this.#keys[slot]!;
    this.#index.delete(key);
    this.#removeSlot(slot);
    return key;
  }

  /** A deep copy (values are copied by reference: they are immutable strings). */
  clone(): Dict<V> {
    const d = new Dict<V>(this.#vals !== null);
    for (const [k, slot] of this.#index) d.set(k, this.#vals?.[slot]);
    return d;
  }
}

/** Most SCAN cursors remembered per collection; the least recently used goes first. */
export const MAX_COLLECTION_CURSORS = 1024;
