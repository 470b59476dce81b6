/**
 * The list type, laid out like Redis's quicklist: a doubly linked list of nodes, each a
 * small array of elements standing in for one listpack. Pushes and pops at either end are
 * O(1) (amortised: a node keeps spare room at its front for LPUSH, like a gap buffer), and
 * positional access walks nodes rather than elements, from the nearer end.
 *
 * Node sizes follow `list-max-listpack-size` (the list's *fill*, fixed when the list is
 * created, as in Redis): a positive fill caps the entries of a node (and its estimated bytes
 * at 8 KB), a negative one caps its estimated listpack bytes at 4/8/16/32/64 KB. Byte
 * estimates use listpack's entry encoding, so node counts (DEBUG OBJECT, MEMORY USAGE) track
 * Redis's. Elements at least as large as the packed threshold (DEBUG
 * QUICKLIST-PACKED-THRESHOLD, 1 GB by default) get a node of their own, like Redis's plain
 * nodes. Redis 7.0 reports every list as `quicklist` (the `listpack` list encoding is 7.2's),
 * so the encoding never changes. Node compression (`list-compress-depth`) is not simulated.
 *
 * @module
 */
import type { TypedValue, TypeName } from "../store/value.ts";
import { mallocSize } from "./malloc.ts";

/** Encoding thresholds of a list: `list-max-listpack-size` (Redis's quicklist fill). */
export interface ListOptions {
  /** Entries per node when positive; -1..-5 for 4..64 KB nodes. Default -2 (8 KB). */
  fill?: number;
}

/** Anything that can answer `getNumber("list-max-listpack-size")` (the server Config). */
export interface ConfigLike {
  /** A numeric config value. */
  getNumber(name: string): number;
}

/** Either explicit options or the server configuration to read them from. */
export type ListConfig = ListOptions | ConfigLike;

/** Bytes of a listpack's header (total bytes, entry count) plus its end marker. */
const LISTPACK_OVERHEAD = 7;
/** Largest node a positive fill may build (Redis's `SIZE_SAFETY_LIMIT`). */
const SIZE_SAFETY_LIMIT = 8192;
/** Node byte limits for fill -1..-5. */
const SIZE_LIMITS = [4096, 8192, 16384, 32768, 65536];
/** Largest positive fill (Redis's `FILL_MAX`). */
const FILL_MAX = 32767;
/** Default packed threshold: 1 GB. */
const DEFAULT_PACKED_THRESHOLD = 1 << 30;

/** `sizeof(robj) + sizeof(quicklist)`, and `sizeof(quicklistNode)`, on 64-bit Redis. */
const OBJECT_HEADERS = 16 + 40;
const QUICKLIST_NODE = 40;

let packedThreshold = DEFAULT_PACKED_THRESHOLD;

/**
 * Sets the size from which an element gets a node of its own (DEBUG
 * QUICKLIST-PACKED-THRESHOLD); 0 restores the default. Returns false when out of range
 * (4 GB or more, Redis's limit).
 */
export function setPackedThreshold(bytes: number): boolean {
  if (bytes >= 2 ** 32 || bytes < 0) return false;
  packedThreshold = bytes === 0 ? DEFAULT_PACKED_THRESHOLD : bytes;
  return true;
}

/** The fill a list created with `config` uses. */
export function fillOf(config?: ListConfig): number {
  let fill = -2;
  if (config !== undefined) {
    if ("getNumber" in config && typeof config.getNumber === "function") {
      fill = config.getNumber("list-max-listpack-size");
    } else fill = (config as ListOptions).fill ?? -2;
  }
  if (fill > FILL_MAX) return FILL_MAX;
  if (fill < -5) return -5;
  // Redis treats 0 as the smallest positive fill.
  return fill === 0 ? 1 : fill;
}

/** Bytes a listpack entry holding `s` takes (encoding, data and back-length). */
export function listpackEntrySize(s: string): number {
  const n = s.length;
  if (n > 0 && n <= 20) {
    const c = s.charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 45) {
      const size = intEntrySize(s);
      if (size !== 0) return size + 1;
    }
  }
  const body = (n < 64 ? 1 : n < 4096 ? 2 : 5) + n;
  return body + (body < 128 ? 1 : body < 16384 ? 2 : body < 2097152 ? 3 : body < 268435456 ? 4 : 5);
}

/** Encoded bytes of `s` as a listpack integer, or 0 when it is not a canonical int64. */
function intEntrySize(s: string): number {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return 0;
  if (s.charCodeAt(i) === 48 && n > i + 1) return 0;
  if (i === 1 && n === 2 && s.charCodeAt(1) === 48) return 0; // "-0"
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return 0;
  }
  if (n >= 19) {
    const b = BigInt(s);
    if (b > 9223372036854775807n || b < -9223372036854775808n) return 0;
    return b >= -2147483648n && b <= 2147483647n ? 5 : 9;
  }
  const v = Number(s);
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** One node: a run of consecutive elements (Redis's quicklistNode + its listpack). */
class Node {
  /** Elements live in `items[head..]`; slots before `head` are spare room for pushes. */
  items: string[];
  head = 0;
  /** Estimated listpack bytes, header included. */
  bytes: number;
  prev: Node | null = null;
  next: Node | null = null;

  constructor(items: string[], bytes: number) {
    this.items = items;
    this.bytes = bytes;
  }

  /** Creates a node holding `items`. */
  static of(items: string[]): Node {
    let bytes = LISTPACK_OVERHEAD;
    for (const s of items) bytes += listpackEntrySize(s);
    return new Node(items, bytes);
  }

  get count(): number {
    return this.items.length - this.head;
  }

  /** A plain node: one element at least as large as the packed threshold. */
  get plain(): boolean {
    return this.count === 1 && this.items[this.head]!.length >= packedThreshold;
  }

  at(i: number): string {
    return this.items[this.head + i]!;
  }

  /** Drops the spare front room so indexes into `items` are positions (for splicing). */
  compact(): string[] {
    if (this.head !== 0) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return this.items;
  }

  unshift(s: string, size: number): void {
    if (this.head === 0) {
      // Grow at the front geometrically so a run of LPUSHes is amortised O(1).
      const old = this.items;
      const n = old.length;
      const room = n < 8 ? 8 : n;
      const items = new Array<string>(room + n);
      for (let i = 0; i < room; i++) items[i] = "";
      for (let i = 0; i < n; i++) items[room + i] = old[i]!;
      this.items = items;
      this.head = room;
    }
    this.items[--this.head] = s;
    this.bytes += size;
  }

  push(s: string, size: number): void {
    this.items.push(s);
    this.bytes += size;
  }

  shift(): string {
    const s = this.items[this.head]!;
    this.items[this.head++] = "";
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 64 && this.head > this.count) this.compact();
    this.bytes -= listpackEntrySize(s);
    return s;
  }

  pop(): string {
    const s = this.items.pop()!;
    this.bytes -= listpackEntrySize(s);
    return s;
  }
}

/** A Redis list. */
export class ListValue implements TypedValue {
  #head: Node | null = null;
  #tail: Node | null = null;
  #length = 0;
  #nodes = 0;
  /** Node size policy (see {@link fillOf}). */
  readonly fill: number;

  /** Creates an empty list; `config` gives `list-max-listpack-size`. */
  constructor(config?: ListConfig) {
    this.fill = fillOf(config);
  }

  /** A list holding `items`, head first. */
  static from(items: Iterable<string>, config?: ListConfig): ListValue {
    const l = new ListValue(config);
    for (const s of items) l.pushTail(s);
    return l;
  }

  /** Always `"list"`. */
  get type(): TypeName {
    return "list";
  }

  /** Number of elements. */
  get length(): number {
    return this.#length;
  }

  /** Number of nodes (DEBUG OBJECT `ql_nodes`). */
  get nodeCount(): number {
    return this.#nodes;
  }

  /** Estimated listpack bytes of all nodes (DEBUG OBJECT `ql_uncompressed_size`). */
  get bytes(): number {
    let n = 0;
    for (let node = this.#head; node !== null; node = node.next) n += node.bytes;
    return n;
  }

  /** Always `"quicklist"`: Redis 7.0's only list encoding. */
  encoding(): string {
    return "quicklist";
  }

  /** Number of elements. */
  count(): number {
    return this.#length;
  }

  /** A deep copy with the same node layout. */
  clone(): ListValue {
    const l = new ListValue({ fill: this.fill });
    for (let node = this.#head; node !== null; node = node.next) {
      l.#linkAfter(l.#tail, new Node(node.items.slice(node.head), node.bytes));
    }
    l.#length = this.#length;
    return l;
  }

  /** The elements, head to tail. */
  *items(): IterableIterator<string> {
    for (let node = this.#head; node !== null; node = node.next) {
      for (let i = node.head; i < node.items.length; i++) yield node.items[i]!;
    }
  }

  /**
   * MEMORY USAGE estimate as Redis computes it for a quicklist: the object and quicklist
   * headers plus, per node, its struct and its listpack's allocation, averaged over the
   * first `samples` nodes (0 = all) and scaled to the node count.
   */
  memoryUsage(samples: number): number {
    let sampled = 0;
    let bytes = 0;
    for (let node = this.#head; node !== null; node = node.next) {
      bytes += QUICKLIST_NODE + mallocSize(node.bytes);
      if (++sampled === samples) break;
    }
    return OBJECT_HEADERS + (sampled === 0 ? 0 : (bytes / sampled) * this.#nodes);
  }

  /** Calls `fn` for each element, head to tail, until it returns false. */
  visit(fn: (item: string) => boolean | void): void {
    for (let node = this.#head; node !== null; node = node.next) {
      const items = node.items;
      for (let i = node.head; i < items.length; i++) if (fn(items[i]!) === false) return;
    }
  }

  // --- node plumbing ---------------------------------------------------------------------

  /** Whether `s` (of listpack size `size`) may join `node` (Redis `_quicklistNodeAllowInsert`). */
  #allows(node: Node, s: string, size: number): boolean {
    if (s.length >= packedThreshold || node.plain) return false;
    const bytes = node.bytes + size;
    const fill = this.fill;
    if (fill < 0) return bytes <= SIZE_LIMITS[-fill - 1]!;
    return node.count < fill && bytes <= SIZE_SAFETY_LIMIT;
  }

  /** Links `node` after `prev` (null: at the head). */
  #linkAfter(prev: Node | null, node: Node): void {
    const next = prev === null ? this.#head : prev.next;
    node.prev = prev;
    node.next = next;
    if (prev === null) this.#head = node;
    else prev.next = node;
    if (next === null) this.#tail = node;
    else next.prev = node;
    this.#nodes++;
  }

  #unlink(node: Node): void {
    if (node.prev === null) this.#head = node.next;
    else node.prev.next = node.next;
    if (node.next === null) this.#tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = node.next = null;
    this.#nodes--;
  }

  /** The node holding position `index` (0 <= index < length) and the offset in it. */
  #locate(index: number): [Node, number] {
    if (index < this.#length / 2) {
      let node = this.#head!;
      while (index >= node.count) {
        index -= node.count;
        node = node.next!;
      }
      return [node, index];
    }
    let back = this.#length - 1 - index;
    let node = this.#tail!;
    while (back >= node.count) {
      back -= node.count;
      node = node.prev!;
    }
    return [node, node.count - 1 - back];
  }

  /** Removes element `offset` of `node`, dropping the node when it empties. */
  #removeAt(node: Node, offset: number): void {
    if (offset === 0) node.shift();
    else if (offset === node.count - 1) node.pop();
    else {
      const s = node.compact().splice(offset, 1)[0]!;
      node.bytes -= listpackEntrySize(s);
    }
    this.#length--;
    if (node.count === 0) this.#unlink(node);
  }

  // --- ends ------------------------------------------------------------------------------

  /** Adds `s` at the head (LPUSH). */
  pushHead(s: string): void {
    const size = listpackEntrySize(s);
    const head = this.#head;
    if (head !== null && this.#allows(head, s, size)) head.unshift(s, size);
    else this.#linkAfter(null, new Node([s], LISTPACK_OVERHEAD + size));
    this.#length++;
  }

  /** Adds `s` at the tail (RPUSH). */
  pushTail(s: string): void {
    const size = listpackEntrySize(s);
    const tail = this.#tail;
    if (tail !== null && this.#allows(tail, s, size)) tail.push(s, size);
    else this.#linkAfter(this.#tail, new Node([s], LISTPACK_OVERHEAD + size));
    this.#length++;
  }

  /** Adds `s` at the head when `head`, else at the tail. */
  push(s: string, head: boolean): void {
    if (head) this.pushHead(s);
    else this.pushTail(s);
  }

  /** Removes and returns the head element (LPOP). */
  popHead(): string | undefined {
    const node = this.#head;
    if (node === null) return undefined;
    const s = node.shift();
    this.#length--;
    if (node.count === 0) this.#unlink(node);
    return s;
  }

  /** Removes and returns the tail element (RPOP). */
  popTail(): string | undefined {
    const node = this.#tail;
    if (node === null) return undefined;
    const s = node.pop();
    this.#length--;
    if (node.count === 0) this.#unlink(node);
    return s;
  }

  /** Removes and returns the head element when `head`, else the tail one. */
  pop(head: boolean): string | undefined {
    return head ? this.popHead() : this.popTail();
  }

  // --- positions -------------------------------------------------------------------------

  /** Element at `index`; negative counts from the tail (-1 = last). Undefined when outside. */
  index(index: number): string | undefined {
    if (index < 0) index += this.#length;
    if (index < 0 || index >= this.#length) return undefined;
    const [node, i] = this.#locate(index);
    return node.at(i);
  }

  /** Replaces the element at `index` (negative from the tail); false when outside. */
  set(index: number, s: string): boolean {
    if (index < 0) index += this.#length;
    if (index < 0 || index >= this.#length) return false;
    const [node, i] = this.#locate(index);
    const old = node.at(i);
    const size = listpackEntrySize(s);
    const oldSize = listpackEntrySize(old);
    if (
      node.count > 1 &&
      (s.length >= packedThreshold || node.bytes - oldSize + size > this.#maxBytes())
    ) {
      // Too big for its node now: give it a node of its own, as Redis splits the listpack.
      const tail = node.compact().splice(i);
      tail.shift();
      node.bytes = Node.of(node.items).bytes;
      let at: Node | null = node;
      if (node.count === 0) {
        at = node.prev;
        this.#unlink(node);
      }
      const mine = new Node([s], LISTPACK_OVERHEAD + size);
      this.#linkAfter(at, mine);
      if (tail.length > 0) this.#linkAfter(mine, Node.of(tail));
      return true;
    }
    node.items[node.head + i] = s;
    node.bytes += size - oldSize;
    return true;
  }

  /** The largest node size this list's fill allows. */
  #maxBytes(): number {
    return this.fill < 0 ? SIZE_LIMITS[-this.fill - 1]! : SIZE_SAFETY_LIMIT;
  }

  /** Calls `fn` for the elements at `start..stop` (inclusive, 0 <= start <= stop < length). */
  range(start: number, stop: number, fn: (item: string) => void): void {
    if (start > stop || start >= this.#length) return;
    let [node, i]: [Node | null, number] = this.#locate(start);
    let left = stop - start + 1;
    while (node !== null && left > 0) {
      const items = node.items;
      let k = node.head + i;
      const end = Math.min(items.length, k + left);
      left -= end - k;
      for (; k < end; k++) fn(items[k]!);
      node = node.next;
      i = 0;
    }
  }

  /** The elements at `start..stop` (inclusive, 0 <= start <= stop < length). */
  slice(start: number, stop: number): string[] {
    const out: string[] = [];
    this.range(start, stop, (s) => out.push(s));
    return out;
  }

  /**
   * Walks the elements from the head (or from the tail when `reverse`), calling `fn` with
   * each element and its index from the head, until `fn` returns false.
   */
  scan(reverse: boolean, fn: (item: string, index: number) => boolean | void): void {
    if (!reverse) {
      let index = 0;
      for (let node = this.#head; node !== null; node = node.next) {
        const items = node.items;
        for (let i = node.head; i < items.length; i++) {
          if (fn(items[i]!, index++) === false) return;
        }
      }
      return;
    }
    let index = this.#length - 1;
    for (let node = this.#tail; node !== null; node = node.prev) {
      const items = node.items;
      for (let i = items.length - 1; i >= node.head; i--) {
        if (fn(items[i]!, index--) === false) return;
      }
    }
  }

  // --- bulk removal and insertion ----------------------------------------------------------

  /** Removes `n` elements from the head. */
  trimHead(n: number): void {
    n = Math.min(n, this.#length);
    this.#length -= n;
    while (n > 0) {
      const node = this.#head!;
      if (node.count <= n) {
        n -= node.count;
        this.#unlink(node);
        continue;
      }
      const items = node.compact();
      for (const s of items.splice(0, n)) node.bytes -= listpackEntrySize(s);
      n = 0;
    }
  }

  /** Removes `n` elements from the tail. */
  trimTail(n: number): void {
    n = Math.min(n, this.#length);
    this.#length -= n;
    while (n > 0) {
      const node = this.#tail!;
      if (node.count <= n) {
        n -= node.count;
        this.#unlink(node);
        continue;
      }
      for (let i = 0; i < n; i++) node.pop();
      n = 0;
    }
  }

  /**
   * Removes elements equal to `value` (LREM): the first `count` from the head when positive,
   * the last `-count` from the tail when negative, all when 0. Returns how many went.
   */
  remove(value: string, count: number): number {
    const limit = count === 0 ? Infinity : Math.abs(count);
    let removed = 0;
    const fromTail = count < 0;
    let node = fromTail ? this.#tail : this.#head;
    while (node !== null && removed < limit) {
      const next = fromTail ? node.prev : node.next;
      const items = node.compact();
      let hits = 0;
      for (const s of items) if (s === value) hits++;
      if (hits !== 0) {
        const take = Math.min(hits, limit - removed);
        let kept: string[];
        if (take === hits) kept = items.filter((s) => s !== value);
        else if (!fromTail) {
          let left = take;
          kept = items.filter((s) => !(s === value && left-- > 0));
        } else {
          let left = take;
          kept = [];
          for (let i = items.length - 1; i >= 0; i--) {
            const s = items[i]!;
            if (s === value && left > 0) left--;
            else kept.push(s);
          }
          kept.reverse();
        }
        removed += take;
        this.#length -= take;
        if (kept.length === 0) this.#unlink(node);
        else {
          node.items = kept;
          node.bytes -= take * listpackEntrySize(value);
        }
      }
      node = next;
    }
    return removed;
  }

  /**
   * Inserts `value` before (or `after`) the first element equal to `pivot` (LINSERT).
   * Returns false when there is no such element.
   */
  insert(pivot: string, value: string, after: boolean): boolean {
    for (let node = this.#head; node !== null; node = node.next) {
      const items = node.items;
      for (let i = node.head; i < items.length; i++) {
        if (items[i] !== pivot) continue;
        this.#insertAt(node, i - node.head, value, after);
        return true;
      }
    }
    return false;
  }

  /** Inserts `value` next to element `offset` of `node` (Redis `_quicklistInsert`). */
  #insertAt(node: Node, offset: number, value: string, after: boolean): void {
    const size = listpackEntrySize(value);
    this.#length++;
    const atTail = after && offset === node.count - 1;
    const atHead = !after && offset === 0;
    if (this.#allows(node, value, size)) {
      if (atTail) node.push(value, size);
      else if (atHead) node.unshift(value, size);
      else {
        node.compact().splice(after ? offset + 1 : offset, 0, value);
        node.bytes += size;
      }
      return;
    }
    if (atTail && node.next !== null && this.#allows(node.next, value, size)) {
      node.next.unshift(value, size);
      return;
    }
    if (atHead && node.prev !== null && this.#allows(node.prev, value, size)) {
      node.prev.push(value, size);
      return;
    }
    const fresh = new Node([value], LISTPACK_OVERHEAD + size);
    if (atTail) return this.#linkAfter(node, fresh);
    if (atHead) return this.#linkAfter(node.prev, fresh);
    // In the middle of a full node: split it around the new element.
    const rest = node.compact().splice(after ? offset + 1 : offset);
    node.bytes = Node.of(node.items).bytes;
    this.#linkAfter(node, fresh);
    this.#linkAfter(fresh, Node.of(rest));
  }

  /** Removes the element at `index` (0 <= index < length). */
  removeIndex(index: number): void {
    const [node, i] = this.#locate(index);
    this.#removeAt(node, i);
  }
}
