/**
 * The set type: its two encodings and the API that hides them.
 *
 * - `intset`: every member is a canonical 64-bit decimal integer and there are at most
 *   `set-max-intset-entries` of them. Kept, like Redis's intset, as a sorted typed array that
 *   starts with 16-bit slots and widens to 32 and then 64 bits when a member needs it, with
 *   binary search for lookups. Members iterate in ascending numeric order, which is what
 *   makes SMEMBERS/SSCAN of a small integer set deterministic in Redis.
 * - `hashtable`: a {@link Dict} (insertion-ordered map plus a slot array for fair random
 *   picks).
 *
 * Conversion is one-way, exactly when Redis converts: adding a non-integer member, or an
 * integer that makes the intset longer than `set-max-intset-entries`.
 *
 * @module
 */
import type { TypedValue, TypeName } from "../store/value.ts";
import { isIntEncodable } from "../store/value.ts";
import { Dict, MAX_COLLECTION_CURSORS } from "./dict.ts";
import { ScanCursors } from "../store/scan_cursors.ts";

/** Encoding thresholds of sets. */
export interface SetConfig {
  /** `set-max-intset-entries`. */
  maxIntsetEntries: number;
}

/** Something that reads config parameters by name (the server's `Config`). */
interface NumberSource {
  getNumber(name: string): number;
}

/** Redis's default thresholds. */
export const DEFAULT_SET_CONFIG: SetConfig = { maxIntsetEntries: 512 };

/** Thresholds from a {@link SetConfig} or from the server config, defaults when absent. */
export function setConfigOf(config?: SetConfig | NumberSource): SetConfig {
  if (config === undefined) return DEFAULT_SET_CONFIG;
  if ("getNumber" in config) {
    return { maxIntsetEntries: config.getNumber("set-max-intset-entries") };
  }
  return config;
}

/**
 * The integer a member stands for when it can live in an intset (a canonical decimal within
 * 64 bits, as Redis's `string2ll` accepts), as a number when exact, else a bigint; null
 * otherwise.
 */
export function intsetValue(s: string): number | bigint | null {
  if (!isIntEncodable(s)) return null;
  if (s.length < 16) return Number(s);
  const b = BigInt(s);
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

// --- intset ---------------------------------------------------------------------------

type IntArray = Int16Array | Int32Array | BigInt64Array;

/** Bytes per slot a value needs: 2, 4 or 8 (Redis's `_intsetValueEncoding`). */
function widthOf(v: number | bigint): 2 | 4 | 8 {
  if (typeof v === "bigint") return 8;
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

/** A sorted array of distinct 64-bit integers in the narrowest slot width that fits them all. */
export class IntSet {
  #a: IntArray;
  #n = 0;

  /** Creates an empty set with 16-bit slots. */
  constructor(capacity = 4) {
    this.#a = new Int16Array(capacity);
  }

  /** Number of members. */
  get length(): number {
    return this.#n;
  }

  /** Slot width in bytes (2, 4 or 8). */
  get width(): number {
    return this.#a.BYTES_PER_ELEMENT;
  }

  /** Index of `v`, or `-(insertion point) - 1` when absent. */
  #search(v: number | bigint): number {
    const a = this.#a;
    let lo = 0;
    let hi = this.#n - 1;
    if (a instanceof BigInt64Array) {
      const b = BigInt(v);
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const m = a[mid]!;
        if (m < b) lo = mid + 1;
        else if (m > b) hi = mid - 1;
        else return mid;
      }
    } else {
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const m = a[mid]!;
        if (m < v) lo = mid + 1;
        else if (m > v) hi = mid - 1;
        else return mid;
      }
    }
    return -lo - 1;
  }

  /** Whether `v` is a member. */
  has(v: number | bigint): boolean {
    // A value wider than the slots can't be in the set.
    if (widthOf(v) > this.#a.BYTES_PER_ELEMENT) return false;
    return this.#search(v) >= 0;
  }

  /** Adds `v`; returns whether it was new. */
  add(v: number | bigint): boolean {
    const w = widthOf(v);
    if (w > this.#a.BYTES_PER_ELEMENT) this.#widen(w);
    const i = this.#search(v);
    if (i >= 0) return false;
    const pos = -i - 1;
    if (this.#n === this.#a.length) this.#resize(Math.max(4, this.#n * 2));
    const a = this.#a;
    a.copyWithin(pos + 1, pos, this.#n);
    if (a instanceof BigInt64Array) a[pos] = BigInt(v);
    else a[pos] = v as number;
    this.#n++;
    return true;
  }

  /** Removes `v`; returns whether it was present. */
  delete(v: number | bigint): boolean {
    if (widthOf(v) > this.#a.BYTES_PER_ELEMENT) return false;
    const i = this.#search(v);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /** Removes the member at index `i`. */
  removeAt(i: number): void {
    this.#a.copyWithin(i, i + 1, this.#n);
    this.#n--;
    if (this.#n > 16 && this.#n < this.#a.length / 4) this.#resize(this.#n * 2);
  }

  /** The member at index `i`, as its decimal string. */
  at(i: number): string {
    return String(this.#a[i]);
  }

  /** Members in ascending order, as decimal strings. */
  *values(): IterableIterator<string> {
    const a = this.#a;
    for (let i = 0; i < this.#n; i++) yield String(a[i]);
  }

  /**
   * Keeps only the members whose index `keep` accepts (one pass, for popping many at once).
   */
  filter(keep: (i: number) => boolean): void {
    const a = this.#a;
    let j = 0;
    for (let i = 0; i < this.#n; i++) {
      if (!keep(i)) continue;
      if (i !== j) a[j] = a[i]!;
      j++;
    }
    this.#n = j;
  }

  #widen(w: 2 | 4 | 8): void {
    const old = this.#a;
    const cap = Math.max(old.length, 4);
    if (w === 8) {
      const next = new BigInt64Array(cap);
      for (let i = 0; i < this.#n; i++) next[i] = BigInt(old[i]!);
      this.#a = next;
    } else {
      const next = new Int32Array(cap);
      next.set(old.subarray(0, this.#n) as Int16Array);
      this.#a = next;
    }
  }

  #resize(cap: number): void {
    const old = this.#a;
    const next = old instanceof BigInt64Array
      ? new BigInt64Array(cap)
      : old instanceof Int32Array
      ? new Int32Array(cap)
      : new Int16Array(cap);
    // deno-lint-ignore no-explicit-any -- same element type on both sides; TS can't see it
    (next as any).set(old.subarray(0, this.#n));
    this.#a = next;
  }

  /** A copy. */
  clone(): IntSet {
    const s = new IntSet(1);
    s.#a = this.#a.slice(0, Math.max(this.#n, 4));
    s.#n = this.#n;
    return s;
  }
}

// --- the set type ---------------------------------------------------------------------

/** A set value. */
export class SetValue implements TypedValue {
  #ints: IntSet | null = new IntSet();
  #dict: Dict<never> | null = null;
  #cursors: ScanCursors<string> | null = null;

  /** Always `"set"`. */
  get type(): TypeName {
    return "set";
  }

  /** `intset` or `hashtable`. */
  encoding(): string {
    return this.#ints !== null ? "intset" : "hashtable";
  }

  /** Number of members. */
  get size(): number {
    return this.#ints !== null ? this.#ints.length : this.#dict!.size;
  }

  /** Number of members (MEMORY USAGE). */
  count(): number {
    return this.size;
  }

  /**
   * A set holding `members` (duplicates collapse), in the encoding Redis would reach by
   * adding them one by one, as it does when loading an RDB file.
   */
  static from(members: Iterable<string>, config?: SetConfig | NumberSource): SetValue {
    const max = setConfigOf(config).maxIntsetEntries;
    const s = new SetValue();
    for (const m of members) s.add(m, max);
    return s;
  }

  /** Whether `member` is in the set. */
  has(member: string): boolean {
    if (this.#ints === null) return this.#dict!.has(member);
    const v = intsetValue(member);
    return v !== null && this.#ints.has(v);
  }

  /**
   * Adds `member`; returns whether it was new. `maxIntsetEntries` is the current
   * `set-max-intset-entries`: an intset converts when it would outgrow it, or when the member
   * is not an integer.
   */
  add(member: string, maxIntsetEntries: number): boolean {
    const ints = this.#ints;
    if (ints !== null) {
      const v = intsetValue(member);
      if (v !== null) {
        if (!ints.add(v)) return false;
        if (ints.length > maxIntsetEntries) this.#toHashtable();
        return true;
      }
      this.#toHashtable();
    }
    return this.#dict!.set(member);
  }

  /** Removes `member`; returns whether it was present. */
  delete(member: string): boolean {
    if (this.#ints === null) return this.#dict!.delete(member);
    const v = intsetValue(member);
    return v !== null && this.#ints.delete(v);
  }

  #toHashtable(): void {
    const d = new Dict<never>(false);
    for (const m of this.#ints!.values()) d.set(m);
    this.#dict = d;
    this.#ints = null;
  }

  /** Members: ascending for an intset, insertion order for a hashtable. */
  members(): Iterable<string> {
    return this.#ints !== null ? this.#ints.values() : this.#dict!.keys();
  }

  /** Visits every member (DEBUG DIGEST, MEMORY USAGE); `false` from `fn` stops. */
  visit(fn: (a: string, b?: string) => boolean | void): void {
    for (const m of this.members()) if (fn(m) === false) return;
  }

  /** A uniformly random member; the set must not be empty. */
  random(): string {
    if (this.#ints !== null) return this.#ints.at(Math.floor(Math.random() * this.#ints.length));
    const d = this.#dict!;
    return d.keyAt(d.randomSlot());
  }

  /** Removes and returns a uniformly random member; the set must not be empty. */
  pop(): string {
    const ints = this.#ints;
    if (ints !== null) {
      const i = Math.floor(Math.random() * ints.length);
      const m = ints.at(i);
      ints.removeAt(i);
      return m;
    }
    const d = this.#dict!;
    return d.deleteAt(d.randomSlot());
  }

  /**
   * Removes and returns `count` distinct random members (`count` below the size). An intset
   * drops them all in one pass instead of shifting its array once per member.
   */
  popMany(count: number): string[] {
    const ints = this.#ints;
    const out: string[] = [];
    if (ints === null) {
      for (let i = 0; i < count; i++) out.push(this.pop());
      return out;
    }
    const picked = pickDistinct(ints.length, count);
    for (const i of picked) out.push(ints.at(i));
    ints.filter((i) => !picked.has(i));
    return out;
  }

  /**
   * `count` distinct random members (`count` below the size), without removing them. Few
   * picks draw at random until enough distinct ones came up; many pick from a shuffled copy,
   * as Redis's SRANDMEMBER switches strategy when the count nears the size.
   */
  sample(count: number): string[] {
    const size = this.size;
    const ints = this.#ints;
    if (ints !== null) return [...pickDistinct(size, count)].map((i) => ints.at(i));
    const out: string[] = [];
    if (count * 3 > size) {
      const all = [...this.#dict!.keys()];
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
    const d = this.#dict!;
    while (out.length < count) {
      const m = d.keyAt(d.randomSlot());
      if (seen.has(m)) continue;
      seen.add(m);
      out.push(m);
    }
    return out;
  }

  /**
   * One SSCAN step: an intset is returned whole with cursor 0, as Redis does for its compact
   * encodings; a hashtable is walked through a live iterator handle (see {@link ScanCursors}).
   * A negative cursor is one never handed out: it ends the iteration.
   */
  scan(cursor: number, count: number, visit: (member: string) => void): number {
    if (this.#ints !== null) {
      for (const m of this.#ints.values()) visit(m);
      return 0;
    }
    const d = this.#dict!;
    if (cursor === 0 && d.size <= count) {
      // Small enough for one step: Redis's bucket walk would return it all at once too.
      for (const m of d.keys()) visit(m);
      return 0;
    }
    this.#cursors ??= new ScanCursors(MAX_COLLECTION_CURSORS);
    return this.#cursors.scan(cursor, count, () => d.keys(), visit);
  }

  /** A deep copy (for COPY). */
  clone(): SetValue {
    const s = new SetValue();
    s.#ints = this.#ints?.clone() ?? null;
    s.#dict = this.#dict?.clone() ?? null;
    return s;
  }
}

/** `count` distinct indexes below `n`, uniformly chosen (Floyd's algorithm). */
function pickDistinct(n: number, count: number): Set<number> {
  const picked = new Set<number>();
  for (let j = n - count; j < n; j++) {
    const t = Math.floor(Math.random() * (j + 1));
    picked.add(picked.has(t) ? j : t);
  }
  return picked;
}
