/**
 * The hash type: its two encodings and the API that hides them.
 *
 * - `listpack`: at most `hash-max-listpack-entries` fields, none of whose field or value is
 *   longer than `hash-max-listpack-value` bytes. Kept as one flat array
 *   `[field0, value0, field1, value1, ...]` in insertion order and searched linearly, like
 *   Redis's listpack: for so few entries that beats a map on memory and is as fast.
 * - `hashtable`: a {@link Dict} (insertion-ordered map plus a slot array for fair random
 *   picks).
 *
 * Conversion is one-way, exactly when Redis converts: writing a field or value longer than
 * the value limit, or adding a field beyond the entry limit.
 *
 * @module
 */
import type { TypedValue, TypeName } from "../store/value.ts";
import { Dict, MAX_COLLECTION_CURSORS } from "./dict.ts";
import { ScanCursors } from "../store/scan_cursors.ts";

/** Encoding thresholds of hashes. */
export interface HashConfig {
  /** `hash-max-listpack-entries`. */
  maxListpackEntries: number;
  /** `hash-max-listpack-value`. */
  maxListpackValue: number;
}

/** Something that reads config parameters by name (the server's `Config`). */
interface NumberSource {
  getNumber(name: string): number;
}

/** Redis's default thresholds. */
export const DEFAULT_HASH_CONFIG: HashConfig = { maxListpackEntries: 512, maxListpackValue: 64 };

/** Thresholds from a {@link HashConfig} or from the server config, defaults when absent. */
export function hashConfigOf(config?: HashConfig | NumberSource): HashConfig {
  if (config === undefined) return DEFAULT_HASH_CONFIG;
  if ("getNumber" in config) {
    return {
      maxListpackEntries: config.getNumber("hash-max-listpack-entries"),
      maxListpackValue: config.getNumber("hash-max-listpack-value"),
    };
  }
  return config;
}

/** A hash value. */
export class HashValue implements TypedValue {
  /** Listpack encoding: fields and values interleaved; null once a hashtable. */
  #lp: string[] | null = [];
  #dict: Dict<string> | null = null;
  #cursors: ScanCursors<string> | null = null;

  /** Always `"hash"`. */
  get type(): TypeName {
    return "hash";
  }

  /** `listpack` or `hashtable`. */
  encoding(): string {
    return this.#lp !== null ? "listpack" : "hashtable";
  }

  /** Number of fields. */
  get size(): number {
    return this.#lp !== null ? this.#lp.length >> 1 : this.#dict!.size;
  }

  /** Number of fields (MEMORY USAGE). */
  count(): number {
    return this.size;
  }

  /**
   * A hash holding `pairs` (a repeated field keeps its last value), in the encoding Redis
   * would reach by setting them one by one, as it does when loading an RDB file.
   */
  static from(pairs: Iterable<[string, string]>, config?: HashConfig | NumberSource): HashValue {
    const cfg = hashConfigOf(config);
    const h = new HashValue();
    for (const [f, v] of pairs) h.set(f, v, cfg);
    return h;
  }

  /** Index of `field` in the listpack array, or -1. */
  #find(field: string): number {
    const lp = this.#lp!;
    for (let i = 0; i < lp.length; i += 2) if (lp[i] === field) return i;
    return -1;
  }

  /** The value of `field`, or undefined. */
  get(field: string): string | undefined {
    if (this.#lp === null) return this.#dict!.get(field);
    const i = this.#find(field);
    return i < 0 ? undefined : this.#lp[i + 1];
  }

  /** Whether `field` exists. */
  has(field: string): boolean {
    return this.#lp !== null ? this.#find(field) >= 0 : this.#dict!.has(field);
  }

  /**
   * Sets `field` to `value`; returns whether the field was new. A listpack converts first
   * when either string is longer than the value limit, and after an insert that takes it
   * past the entry limit.
   */
  set(field: string, value: string, config: HashConfig): boolean {
    let lp = this.#lp;
    if (
      lp !== null &&
      (field.length > config.maxListpackValue || value.length > config.maxListpackValue)
    ) {
      this.#toHashtable();
      lp = null;
    }
    if (lp === null) return this.#dict!.set(field, value);
    const i = this.#find(field);
    if (i >= 0) {
      lp[i + 1] = value;
      return false;
    }
    lp.push(field, value);
    if (lp.length >> 1 > config.maxListpackEntries) this.#toHashtable();
    return true;
  }

  /** Removes `field`; returns whether it existed. */
  delete(field: string): boolean {
    if (this.#lp === null) return this.#dict!.delete(field);
    const i = this.#find(field);
    if (i < 0) return false;
    this.#lp.splice(i, 2);
    return true;
  }

  #toHashtable(): void {
    const d = new Dict<string>(true);
    const lp = this.#lp!;
    for (let i = 0; i < lp.length; i += 2) d.set(lp[i]!, lp[i + 1]!);
    this.#dict = d;
    this.#lp = null;
  }

  /** Field/value pairs in iteration order (insertion order in both encodings). */
  *entries(): IterableIterator<[string, string]> {
    const lp = this.#lp;
    if (lp === null) {
      yield* this.#dict!.entries();
      return;
    }
    for (let i = 0; i < lp.length; i += 2) yield [lp[i]!, lp[i + 1]!];
  }

  /** Fields in iteration order. */
  *fields(): IterableIterator<string> {
    const lp = this.#lp;
    if (lp === null) {
      yield* this.#dict!.keys();
      return;
    }
    for (let i = 0; i < lp.length; i += 2) yield lp[i]!;
  }

  /** Visits every field and value (DEBUG DIGEST, MEMORY USAGE); `false` from `fn` stops. */
  visit(fn: (a: string, b?: string) => boolean | void): void {
    for (const [f, v] of this.entries()) if (fn(f, v) === false) return;
  }

  /** A uniformly random entry; the hash must not be empty. */
  random(): [string, string] {
    const lp = this.#lp;
    if (lp !== null) {
      const i = Math.floor(Math.random() * (lp.length >> 1)) * 2;
      return [lp[i]!, lp[i + 1]!];
    }
    const d = this.#dict!;
    const slot = d.randomSlot();
    return [d.keyAt(slot), d.valueAt(slot)];
  }

  /**
   * `count` distinct random entries (`count` below the size). Few picks draw at random until
   * enough distinct ones came up; many pick from a shuffled copy, as Redis's HRANDFIELD
   * switches strategy when the count nears the size.
   */
  sample(count: number): [string, string][] {
    const size = this.size;
    const out: [string, string][] = [];
    if (this.#lp !== null || count * 3 > size) {
      const all = [...this.entries()];
      for (let i = 0; i < count; i++) {
        const j = i + Math.floor(Math.random() * (size - i));
        const t = all[j]!;
        all[j] = all[i]!;
        all[i] = t;
        out.push(t);
      }
      return out;
    }
    const seen = new Set<string>();
    while (out.length < count) {
      const e = this.random();
      if (seen.has(e[0])) continue;
      seen.add(e[0]);
      out.push(e);
    }
    return out;
  }

  /**
   * One HSCAN step: a listpack is returned whole with cursor 0, as Redis does for its compact
   * encodings; a hashtable is walked through a live iterator handle (see {@link ScanCursors}).
   * `visit` gets fields; values come from {@link get}.
   */
  scan(cursor: number, count: number, visit: (field: string, value: string) => void): number {
    const lp = this.#lp;
    if (lp !== null) {
      for (let i = 0; i < lp.length; i += 2) visit(lp[i]!, lp[i + 1]!);
      return 0;
    }
    const d = this.#dict!;
    if (cursor === 0 && d.size <= count) {
      // Small enough for one step: Redis's bucket walk would return it all at once too.
      for (const [f, v] of d.entries()) visit(f, v);
      return 0;
    }
    this.#cursors ??= new ScanCursors(MAX_COLLECTION_CURSORS);
    return this.#cursors.scan(cursor, count, () => d.keys(), (f) => visit(f, d.get(f)!));
  }

  /** A deep copy (for COPY). */
  clone(): HashValue {
    const h = new HashValue();
    h.#lp = this.#lp?.slice() ?? null;
    h.#dict = this.#dict?.clone() ?? null;
    return h;
  }
}
