/**
 * The stream type: entries ordered by ID, consumer groups with their pending entries lists.
 *
 * ## Layout
 * Entries live in *nodes* that mirror Redis's radix-tree-of-listpacks exactly: a node is
 * keyed by its master ID (the ID of the entry that created it), keeps its entries in ID
 * order, and deleted entries stay in it as tombstones until the whole node goes (Redis never
 * compacts a listpack either). A new node starts when the tail node holds
 * `stream-node-max-entries` entries (live plus deleted) or when its listpack (whose byte size
 * is computed with Redis's encoding rules) would reach `stream-node-max-bytes`. Keeping
 * Redis's node boundaries matters: approximate trimming (`MAXLEN ~`, `MINID ~`) only drops
 * whole nodes, and XINFO reports `radix-tree-keys` / `radix-tree-nodes`. Append is O(1), a
 * lookup is two binary searches (node, then entry), a range scan walks the nodes in order,
 * and deleting marks a tombstone (or drops an emptied node).
 *
 * IDs are 16-char binary strings (src/types/stream_id.ts); entry fields are flat arrays
 * `[field1, value1, field2, value2, ...]` of binary strings, shared (never mutated) once
 * added, so {@link StreamValue.clone} copies only node arrays.
 *
 * ## API for persistence (RDB, DUMP/RESTORE, AOF rewrite), DEBUG DIGEST and MEMORY USAGE
 * Reading:
 * - `length`, `lastId`, `firstId` (recorded-first-entry-id), `maxDeletedId`, `entriesAdded`
 *   (bigint) — the stream metadata RDB v10 stores;
 * - `entries()` — `[id, fields]` for every live entry, in ID order;
 * - `nodes()` — the raw node layout (master ID, master fields, entries in order, deleted ones
 *   as tombstones with null fields and their old pairs in `deletedFields`) for writers that
 *   want Redis's listpack layout;
 * - `groups()` — consumer groups in name order; each {@link ConsumerGroup} has `name`,
 *   `lastId`, `entriesRead` (bigint, -1n when unknown), `pel` (an {@link IdMap} of
 *   {@link Nack}: `deliveryTime`, `deliveryCount`, `consumer`) and `consumerList()` (name
 *   order; each {@link Consumer} has `name`, `seenTime` and its own `pel` of the same Nacks).
 *
 * Building (RDB loading, RESTORE):
 * ```ts
 * const s = StreamValue.from(entries, { lastId, entriesAdded, maxDeletedId, firstId }, config);
 * const g = s.createGroup(name, lastId, entriesRead)!;
 * g.addPending(id, deliveryTime, deliveryCount);  // the group PEL first
 * g.addConsumer(name, seenTime, pendingIds);     // then each consumer claims its NACKs
 * ```
 * `StreamValue.fromNodes(layout, meta)` instead keeps a persisted node layout as it was
 * (node boundaries and tombstones with their old fields, as `nodes()` yields them), which
 * is how Redis loads its listpacks.
 *
 * @example
 * ```ts
 * import { StreamValue } from "./stream.ts";
 * import { formatId, idFromParts } from "./stream_id.ts";
 * const s = new StreamValue();
 * s.append(idFromParts(1, 0), ["f", "v"]);
 * s.append(idFromParts(2, 0), ["f", "w"]);
 * const ids = [...s.entries()].map(([id]) => formatId(id));
 * if (ids.join() !== "1-0,2-0" || s.encoding() !== "stream") throw new Error("unexpected");
 * ```
 *
 * @module
 */
import { parseInteger } from "../resp/numbers.ts";
import type { TypedValue, TypeName } from "../store/value.ts";
import { IdMap } from "./id_map.ts";
import {
  formatIdDotted,
  idFromParts,
  incrId,
  MAX_ID,
  MIN_ID,
  msPart,
  seqPart,
  type StreamId,
} from "./stream_id.ts";
import { mallocSize } from "./malloc.ts";

/** Node size limits (`stream-node-max-entries`, `stream-node-max-bytes`). */
export interface StreamConfig {
  /** Entries (live and deleted) per node; 0 = no limit. */
  maxEntries: number;
  /** Listpack bytes per node; 0 = no limit (1 GB, as Redis). */
  maxBytes: number;
}

/** Redis's defaults. */
export const DEFAULT_STREAM_CONFIG: StreamConfig = { maxEntries: 100, maxBytes: 4096 };

/** Largest listpack Redis builds (`STREAM_LISTPACK_MAX_SIZE`). */
const LISTPACK_MAX = 2 ** 30;
/** Bytes Redis allocates for a new node (`STREAM_LISTPACK_MAX_PRE_ALLOCATE`). */
const LISTPACK_PREALLOC = 4096;

/** `entries_read` of a group whose position in the stream is unknown. */
export const INVALID_ENTRIES_READ = -1n;

// --- Listpack sizes (Redis's encoding rules, for node boundaries) ---------------------------

/** Bytes of an integer element (encoding plus back-length). */
function lpIntSize(v: number): number {
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= -2147483648 && v <= 2147483647) return 6;
  return 10;
}

/** Bytes of a string element; strings that are canonical integers are stored as integers. */
function lpStrSize(s: string): number {
  const n = s.length;
  if (n > 0 && n <= 20) {
    const v = parseInteger(s);
    if (v !== null) return lpIntSize(Number(v));
  }
  const l = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  return l + (l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5);
}

/** Bytes of the int64 difference `a - b` of two unsigned 64-bit parts. */
function diffSize(a: number | bigint, b: number | bigint): number {
  if (typeof a === "number" && typeof b === "number") return lpIntSize(a - b);
  return lpIntSize(Number(BigInt.asIntN(64, BigInt(a) - BigInt(b))));
}

/** One entry as stored in a node; `fields` null once deleted (a tombstone). */
export interface NodeEntry {
  /** Entry ID. */
  id: StreamId;
  /** Field/value pairs, or null for a deleted entry. */
  fields: readonly string[] | null;
  /**
   * The pairs a deleted entry had (Redis keeps them in the listpack, so persistence writes
   * them back and node sizes stay Redis's); absent for live entries.
   */
  deletedFields?: readonly string[];
}

/** A node as persistence reads or writes it (see {@link StreamValue.fromNodes}). */
export interface NodeLayout {
  /** The node key: the ID of the entry that created the node. */
  masterId: StreamId;
  /** Field names of that entry (the listpack's master entry). */
  masterFields: readonly string[];
  /** Entries in ID order, tombstones included. */
  entries: readonly NodeEntry[];
}

/** One node: a run of consecutive entries, like one listpack of Redis's radix tree. */
class StreamNode {
  /** Entry IDs in order, deleted ones included. */
  ids: StreamId[] = [];
  /** Field/value pairs per entry; null marks a tombstone. */
  vals: (readonly string[] | null)[] = [];
  /** Live entries. */
  live = 0;
  /** Tombstones. */
  deleted = 0;
  /** Listpack bytes, except the live / deleted / field-count integers of the master entry. */
  bytes: number;
  /**
   * Bytes allocated up front for the listpack (Redis preallocates the tail node), and whether
   * it was shrunk to fit once the next node started: MEMORY USAGE counts allocations.
   */
  prealloc = 0;
  shrunk = false;
  /** Pairs of deleted entries by ID (kept like Redis's listpack keeps them). */
  ghosts: Map<StreamId, readonly string[]> | null = null;

  constructor(readonly masterId: StreamId, readonly masterFields: readonly string[]) {
    // Header (6) + end byte (1) + master field names + the zero master terminator (2).
    let b = 9;
    for (const f of masterFields) b += lpStrSize(f);
    this.bytes = b;
  }

  /** Size of the node's listpack in bytes, as Redis's `lpBytes`. */
  lpBytes(): number {
    return this.bytes + lpIntSize(this.live) + lpIntSize(this.deleted) +
      lpIntSize(this.masterFields.length);
  }

  /** The ID of the physically last entry (a tombstone possibly). */
  get tailId(): StreamId {
    return this.ids[this.ids.length - 1]!;
  }

  /** Appends an entry, accounting its listpack bytes. */
  push(id: StreamId, fields: readonly string[]): void {
    const n = fields.length >> 1;
    const mf = this.masterFields;
    let same = n === mf.length;
    for (let i = 0; same && i < n; i++) same = fields[i * 2] === mf[i];
    // flags + ms delta + seq delta (+ field count) + fields/values + lp-count.
    let b = 2 + diffSize(msPart(id), msPart(this.masterId)) +
      diffSize(seqPart(id), seqPart(this.masterId));
    if (same) {
      for (let i = 1; i < fields.length; i += 2) b += lpStrSize(fields[i]!);
      b += lpIntSize(n + 3);
    } else {
      b += lpIntSize(n);
      for (const f of fields) b += lpStrSize(f);
      b += lpIntSize(2 * n + 4);
    }
    this.bytes += b;
    this.ids.push(id);
    this.vals.push(fields);
    this.live++;
  }

  /** A copy sharing the (immutable) field arrays. */
  clone(): StreamNode {
    const n = new StreamNode(this.masterId, this.masterFields);
    n.ids = this.ids.slice();
    n.vals = this.vals.slice();
    n.live = this.live;
    n.deleted = this.deleted;
    n.bytes = this.bytes;
    n.prealloc = this.prealloc;
    n.shrunk = this.shrunk;
    n.ghosts = this.ghosts === null ? null : new Map(this.ghosts);
    return n;
  }

  /** Bytes the allocator holds for this node's listpack. */
  allocated(): number {
    const bytes = this.lpBytes();
    return mallocSize(this.shrunk ? bytes : Math.max(bytes, this.prealloc));
  }
}

/**
 * Nodes of a Redis radix tree holding `keys` (sorted, distinct, all of the same length): the
 * root, every key (a leaf), every branching prefix and every child of a branching prefix
 * (where a compressed run starts), found from the common prefixes of adjacent keys.
 */
function raxNodeCount(keys: Iterable<string>): number {
  const seen = new Set<string>([""]);
  let prev: string | null = null;
  for (const k of keys) {
    seen.add(k);
    if (prev !== null) {
      let l = 0;
      while (l < k.length && prev.charCodeAt(l) === k.charCodeAt(l)) l++;
      seen.add(k.slice(0, l));
      seen.add(k.slice(0, l + 1));
      seen.add(prev.slice(0, l + 1));
    }
    prev = k;
  }
  return seen.size;
}

/** Redis's `streamRadixTreeMemoryUsage` estimate for a tree of IDs. */
function raxMemory(elements: number, nodes: number): number {
  return elements * 16 + nodes * 4 + nodes * 8 * 30;
}

/** First index in sorted `ids` whose ID is >= `id`. */
function lowerBound(ids: StreamId[], id: StreamId): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A pending (delivered, not acknowledged) entry of a consumer group. */
export interface Nack {
  /** Last delivery time, ms since the epoch. */
  deliveryTime: number;
  /** Times delivered (a bigint only beyond 2^53, e.g. set by XCLAIM RETRYCOUNT). */
  deliveryCount: number | bigint;
  /** The consumer owning it; null only while XCLAIM FORCE creates it. */
  consumer: Consumer | null;
}

/** The delivery count after one more delivery (unsigned 64-bit, wrapping). */
export function nextDeliveryCount(n: number | bigint): number | bigint {
  if (typeof n === "number" && n < Number.MAX_SAFE_INTEGER) return n + 1;
  return BigInt.asUintN(64, BigInt(n) + 1n);
}

/** A consumer of a group. */
export class Consumer {
  /** Its pending entries (the same {@link Nack} objects as the group PEL). */
  readonly pel: IdMap<Nack> = new IdMap();
  /** Creates consumer `name`, last seen at `seenTime` (ms). */
  constructor(readonly name: string, public seenTime: number) {}
}

/** A consumer group. */
export class ConsumerGroup {
  /** Pending entries of all consumers, by ID. */
  readonly pel: IdMap<Nack> = new IdMap();
  /** Consumers by name. */
  readonly consumers: Map<string, Consumer> = new Map();

  /**
   * Creates group `name` positioned at `lastId`, with `entriesRead` entries read so far
   * ({@link INVALID_ENTRIES_READ} when unknown).
   */
  constructor(readonly name: string, public lastId: StreamId, public entriesRead: bigint) {}

  /** Consumer `name`, if it exists. */
  consumer(name: string): Consumer | undefined {
    return this.consumers.get(name);
  }

  /** Creates consumer `name` seen at `now`; null when it already exists. */
  createConsumer(name: string, now: number): Consumer | null {
    if (this.consumers.has(name)) return null;
    const c = new Consumer(name, now);
    this.consumers.set(name, c);
    return c;
  }

  /**
   * Deletes consumer `name` and its pending entries (from the group PEL too). Returns how
   * many entries it had pending, or -1 when there is no such consumer.
   */
  deleteConsumer(name: string): number {
    const c = this.consumers.get(name);
    if (c === undefined) return -1;
    for (const id of c.pel.keys()) this.pel.delete(id);
    this.consumers.delete(name);
    return c.pel.size;
  }

  /** Consumers in name order (Redis keeps them in a radix tree). */
  consumerList(): Consumer[] {
    return [...this.consumers.keys()].sort().map((n) => this.consumers.get(n)!);
  }

  /** Acknowledges `id`; returns whether it was pending. */
  ack(id: StreamId): boolean {
    const nack = this.pel.get(id);
    if (nack === undefined) return false;
    this.pel.delete(id);
    nack.consumer?.pel.delete(id);
    return true;
  }

  /** Adds `id` to the group PEL without an owner yet (persistence; see module docs). */
  addPending(id: StreamId, deliveryTime: number, deliveryCount: number | bigint): void {
    this.pel.set(id, { deliveryTime, deliveryCount, consumer: null });
  }

  /**
   * Adds consumer `name` owning the group PEL entries `pending` (persistence). Returns false
   * when a listed ID is not in the group PEL or already owned.
   */
  addConsumer(name: string, seenTime: number, pending: Iterable<StreamId> = []): boolean {
    let c = this.consumers.get(name);
    if (c === undefined) this.consumers.set(name, c = new Consumer(name, seenTime));
    for (const id of pending) {
      const nack = this.pel.get(id);
      if (nack === undefined || nack.consumer !== null) return false;
      nack.consumer = c;
      c.pel.set(id, nack);
    }
    return true;
  }

  /** A deep copy (NACKs are re-linked to the copied consumers). */
  clone(): ConsumerGroup {
    const g = new ConsumerGroup(this.name, this.lastId, this.entriesRead);
    const map = new Map<Consumer, Consumer>();
    for (const [name, c] of this.consumers) {
      const copy = new Consumer(name, c.seenTime);
      map.set(c, copy);
      g.consumers.set(name, copy);
    }
    for (const [id, n] of this.pel.entries()) {
      const owner = n.consumer === null ? null : map.get(n.consumer)!;
      const copy: Nack = {
        deliveryTime: n.deliveryTime,
        deliveryCount: n.deliveryCount,
        consumer: owner,
      };
      g.pel.set(id, copy);
      owner?.pel.set(id, copy);
    }
    return g;
  }
}

/** What {@link StreamValue.from} needs besides the entries. */
export interface StreamMeta {
  /** Last generated ID. */
  lastId: StreamId;
  /** Entries ever added. */
  entriesAdded: bigint;
  /** Largest deleted ID (0-0 when none). */
  maxDeletedId: StreamId;
  /** Recorded first entry ID; derived from the entries when omitted. */
  firstId?: StreamId;
}

/** A stream value. */
export class StreamValue implements TypedValue {
  #nodes: StreamNode[] = [];
  #groups: Map<string, ConsumerGroup> | null = null;
  /** Number of live entries. */
  length = 0;
  /** The last generated ID (XADD must go beyond it). */
  lastId: StreamId = MIN_ID;
  /** ID of the first live entry (recorded-first-entry-id), 0-0 when empty. */
  firstId: StreamId = MIN_ID;
  /** Largest ID ever deleted with XDEL (max-deleted-entry-id). */
  maxDeletedId: StreamId = MIN_ID;
  /** Entries ever added (entries-added; XSETID may set it, int64 wrapping). */
  entriesAdded = 0n;
  /**
   * Appends so far by this object (not persisted): blocked readers compare it to tell an
   * XADD from other changes of the key, which do not wake them.
   */
  appendCount = 0;

  /** Always `"stream"`. */
  get type(): TypeName {
    return "stream";
  }

  /** Always `"stream"`. */
  encoding(): string {
    return "stream";
  }

  /** Number of live entries. */
  count(): number {
    return this.length;
  }

  /**
   * Builds a stream from `entries` (increasing IDs, flat field/value arrays) and `meta`,
   * cutting nodes with `config` as XADD would.
   */
  static from(
    entries: Iterable<readonly [StreamId, readonly string[]]>,
    meta?: StreamMeta,
    config: StreamConfig = DEFAULT_STREAM_CONFIG,
  ): StreamValue {
    const s = new StreamValue();
    for (const [id, fields] of entries) s.append(id, fields, config);
    if (meta !== undefined) {
      s.lastId = meta.lastId;
      s.entriesAdded = meta.entriesAdded;
      s.maxDeletedId = meta.maxDeletedId;
      if (meta.firstId !== undefined) s.firstId = meta.firstId;
    }
    return s;
  }

  /**
   * Builds a stream from a persisted node layout (RDB loading, RESTORE), keeping the nodes and
   * tombstones as given: entries must increase across the whole layout, and a node needs at
   * least one entry. A tombstone without `deletedFields` counts as having had none. The
   * length is the number of live entries; `meta.firstId` defaults to the first live ID.
   */
  static fromNodes(layout: Iterable<NodeLayout>, meta: StreamMeta): StreamValue {
    const s = new StreamValue();
    for (const l of layout) {
      if (l.entries.length === 0) continue;
      const node = new StreamNode(l.masterId, l.masterFields);
      for (const e of l.entries) {
        const fields = e.fields ?? e.deletedFields ?? [];
        node.push(e.id, fields);
        if (e.fields === null) {
          node.vals[node.vals.length - 1] = null;
          node.live--;
          node.deleted++;
          (node.ghosts ??= new Map()).set(e.id, fields);
        }
      }
      if (node.live === 0) continue;
      s.#nodes.push(node);
      s.length += node.live;
    }
    s.lastId = meta.lastId;
    s.entriesAdded = meta.entriesAdded;
    s.maxDeletedId = meta.maxDeletedId;
    s.firstId = meta.firstId ?? s.firstEntry()?.[0] ?? MIN_ID;
    return s;
  }

  /** A deep copy (COPY). */
  clone(): StreamValue {
    const s = new StreamValue();
    s.#nodes = this.#nodes.map((n) => n.clone());
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    if (this.#groups !== null) {
      s.#groups = new Map();
      for (const [name, g] of this.#groups) s.#groups.set(name, g.clone());
    }
    return s;
  }

  // --- Entries ------------------------------------------------------------------------------

  /**
   * The ID XADD `*` generates at time `nowMs` (Redis's `streamNextID`), or null when the last
   * ID is the largest possible.
   */
  nextId(nowMs: number): StreamId | null {
    const now = idFromParts(nowMs, 0);
    // Compare the ms halves: a later millisecond starts at sequence 0.
    if (now.slice(0, 8) > this.lastId.slice(0, 8)) return now;
    return incrId(this.lastId);
  }

  /**
   * Appends an entry; `id` must be greater than {@link lastId} (the caller checks). Starts a
   * new node when the tail one is full under `config`.
   */
  append(
    id: StreamId,
    fields: readonly string[],
    config: StreamConfig = DEFAULT_STREAM_CONFIG,
  ): void {
    let tail = this.#nodes[this.#nodes.length - 1];
    if (tail !== undefined) {
      let maxBytes = config.maxBytes;
      if (maxBytes === 0 || maxBytes > LISTPACK_MAX) maxBytes = LISTPACK_MAX;
      let total = 0;
      for (const f of fields) total += f.length;
      if (tail.lpBytes() + total >= maxBytes) tail = undefined;
      else if (config.maxEntries !== 0 && tail.live + tail.deleted >= config.maxEntries) {
        tail = undefined;
      }
    }
    if (tail === undefined) {
      const last = this.#nodes[this.#nodes.length - 1];
      if (last !== undefined) last.shrunk = true;
      const names: string[] = [];
      for (let i = 0; i < fields.length; i += 2) names.push(fields[i]!);
      tail = new StreamNode(id, names);
      const max = config.maxBytes;
      tail.prealloc = max > 0 && max < LISTPACK_PREALLOC ? max : LISTPACK_PREALLOC;
      this.#nodes.push(tail);
    }
    tail.push(id, fields);
    this.appendCount++;
    this.length++;
    this.entriesAdded = BigInt.asIntN(64, this.entriesAdded + 1n);
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Index of the last node whose master ID is <= `id`, or -1. */
  #nodeAt(id: StreamId): number {
    const nodes = this.#nodes;
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nodes[mid]!.masterId <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The fields of live entry `id`, or null. */
  get(id: StreamId): readonly string[] | null {
    const ni = this.#nodeAt(id);
    if (ni < 0) return null;
    const node = this.#nodes[ni]!;
    const i = lowerBound(node.ids, id);
    return node.ids[i] === id ? node.vals[i]! : null;
  }

  /** Whether live entry `id` exists. */
  has(id: StreamId): boolean {
    return this.get(id) !== null;
  }

  /**
   * Deletes live entry `id` (a tombstone; an emptied node goes). Returns whether it existed.
   * Does not update {@link firstId} / {@link maxDeletedId}: see {@link deleteIds}.
   */
  deleteEntry(id: StreamId): boolean {
    const ni = this.#nodeAt(id);
    if (ni < 0) return false;
    const node = this.#nodes[ni]!;
    const i = lowerBound(node.ids, id);
    if (node.ids[i] !== id || node.vals[i] === null) return false;
    if (node.live === 1) this.#nodes.splice(ni, 1);
    else {
      (node.ghosts ??= new Map()).set(id, node.vals[i]!);
      node.vals[i] = null;
      node.live--;
      node.deleted++;
    }
    this.length--;
    return true;
  }

  /** XDEL: deletes `ids`, maintaining first and max-deleted IDs; returns how many existed. */
  deleteIds(ids: readonly StreamId[]): number {
    let deleted = 0;
    let first = false;
    for (const id of ids) {
      if (!this.deleteEntry(id)) continue;
      if (id === this.firstId) first = true;
      if (id > this.maxDeletedId) this.maxDeletedId = id;
      deleted++;
    }
    if (deleted !== 0) {
      if (this.length === 0) this.firstId = MIN_ID;
      else if (first) this.firstId = this.firstEntry()![0];
    }
    return deleted;
  }

  /**
   * Trims from the head (Redis's `streamTrim`): by `maxLen` (keep at most that many entries)
   * or `minId` (drop entries below it). `approx` only drops whole nodes; `limit` (0 = none)
   * caps the entries removed, counting whole nodes. Returns the number removed.
   */
  trim(
    by: { maxLen: number } | { minId: StreamId },
    approx: boolean,
    limit: number,
  ): number {
    const nodes = this.#nodes;
    const maxLen = "maxLen" in by ? by.maxLen : -1;
    const minId = "minId" in by ? by.minId : MIN_ID;
    let deleted = 0;
    let dropped = 0;
    for (; dropped < nodes.length; dropped++) {
      if (maxLen >= 0 && this.length <= maxLen) break;
      const node = nodes[dropped]!;
      const entries = node.live;
      if (limit !== 0 && deleted + entries > limit) break;
      const remove = maxLen >= 0 ? this.length - entries >= maxLen : node.tailId < minId;
      if (remove) {
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      // Only part of this node goes: tombstone entries until the condition holds.
      for (let i = 0; i < node.ids.length; i++) {
        if (maxLen >= 0 ? this.length <= maxLen : node.ids[i]! >= minId) break;
        if (node.vals[i] === null) continue;
        (node.ghosts ??= new Map()).set(node.ids[i]!, node.vals[i]!);
        node.vals[i] = null;
        node.live--;
        node.deleted++;
        this.length--;
        deleted++;
      }
      break;
    }
    if (dropped !== 0) nodes.splice(0, dropped);
    if (deleted !== 0) this.firstId = this.length === 0 ? MIN_ID : this.firstEntry()![0];
    return deleted;
  }

  /**
   * Calls `fn` for live entries with `start <= id <= end`, ascending (or descending when
   * `rev`), until it returns false.
   */
  range(
    start: StreamId,
    end: StreamId,
    rev: boolean,
    fn: (id: StreamId, fields: readonly string[]) => boolean | void,
  ): void {
    if (start > end) return;
    const nodes = this.#nodes;
    if (!rev) {
      let ni = this.#nodeAt(start);
      let i = 0;
      if (ni < 0) ni = 0;
      else i = lowerBound(nodes[ni]!.ids, start);
      for (; ni < nodes.length; ni++, i = 0) {
        const { ids, vals } = nodes[ni]!;
        for (; i < ids.length; i++) {
          const id = ids[i]!;
          if (id > end) return;
          const v = vals[i]!;
          if (v !== null && fn(id, v) === false) return;
        }
      }
      return;
    }
    let ni = this.#nodeAt(end);
    if (ni < 0) return;
    let i = lowerBound(nodes[ni]!.ids, incrId(end) ?? MAX_ID);
    if (end === MAX_ID) i = nodes[ni]!.ids.length;
    for (; ni >= 0; ni--, i = nodes[ni]?.ids.length ?? 0) {
      const { ids, vals } = nodes[ni]!;
      for (i--; i >= 0; i--) {
        const id = ids[i]!;
        if (id < start) return;
        const v = vals[i]!;
        if (v !== null && fn(id, v) === false) return;
      }
    }
  }

  /** The first live entry, or null. */
  firstEntry(): [StreamId, readonly string[]] | null {
    let out: [StreamId, readonly string[]] | null = null;
    this.range(MIN_ID, MAX_ID, false, (id, f) => {
      out = [id, f];
      return false;
    });
    return out;
  }

  /** The last live entry, or null. */
  lastEntry(): [StreamId, readonly string[]] | null {
    let out: [StreamId, readonly string[]] | null = null;
    this.range(MIN_ID, MAX_ID, true, (id, f) => {
      out = [id, f];
      return false;
    });
    return out;
  }

  /** Every live entry `[id, fields]` in ID order (persistence, digests). */
  *entries(): Generator<[StreamId, readonly string[]]> {
    for (const node of this.#nodes) {
      const { ids, vals } = node;
      for (let i = 0; i < ids.length; i++) {
        const v = vals[i]!;
        if (v !== null) yield [ids[i]!, v];
      }
    }
  }

  /** The node layout, tombstones included (for writers of Redis's exact listpacks). */
  *nodes(): Generator<
    { masterId: StreamId; masterFields: readonly string[]; entries: NodeEntry[] }
  > {
    for (const n of this.#nodes) {
      yield {
        masterId: n.masterId,
        masterFields: n.masterFields,
        entries: n.ids.map((id, i) => {
          const fields = n.vals[i]!;
          const gone = fields === null ? n.ghosts?.get(id) : undefined;
          return gone === undefined ? { id, fields } : { id, fields, deletedFields: gone };
        }),
      };
    }
  }

  /** Number of nodes (XINFO `radix-tree-keys`). */
  radixTreeKeys(): number {
    return this.#nodes.length;
  }

  /** Nodes of the radix tree Redis would hold for the node keys (XINFO `radix-tree-nodes`). */
  radixTreeNodes(): number {
    return raxNodeCount(this.#nodes.map((n) => n.masterId));
  }

  /** The ID of the last live entry (Redis's `streamLastValidID`), 0-0 when empty. */
  lastValidId(): StreamId {
    return this.lastEntry()?.[0] ?? MIN_ID;
  }

  // --- Read counters and lag (Redis 7.0) ---------------------------------------------------------

  /** Whether a deleted ID may lie in `[start, end]` (Redis's `streamRangeHasTombstones`). */
  rangeHasTombstones(start: StreamId, end: StreamId = MAX_ID): boolean {
    if (this.length === 0 || this.maxDeletedId === MIN_ID) return false;
    if (this.firstId > this.maxDeletedId) return false;
    return start <= this.maxDeletedId && this.maxDeletedId <= end;
  }

  /**
   * The logical read counter of `id` (how many entries were added up to it), or
   * {@link INVALID_ENTRIES_READ} when it cannot be known (Redis's
   * `streamEstimateDistanceFromFirstEverEntry`).
   */
  estimateDistance(id: StreamId): bigint {
    if (this.entriesAdded === 0n) return 0n;
    if (this.length === 0 && id <= this.lastId) return this.entriesAdded;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return INVALID_ENTRIES_READ;
    if (this.maxDeletedId === MIN_ID || this.maxDeletedId < this.firstId) {
      if (id < this.firstId) return this.entriesAdded - BigInt(this.length);
      if (id === this.firstId) return this.entriesAdded - BigInt(this.length) + 1n;
    }
    return INVALID_ENTRIES_READ;
  }

  /** The lag of group `g` (entries not read yet), or null when unknown. */
  lag(g: ConsumerGroup): bigint | null {
    if (this.entriesAdded === 0n) return 0n;
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(g.lastId)) {
      return BigInt.asIntN(64, this.entriesAdded - g.entriesRead);
    }
    const read = this.estimateDistance(g.lastId);
    return read === INVALID_ENTRIES_READ ? null : BigInt.asIntN(64, this.entriesAdded - read);
  }

  /**
   * Moves group `g` past entry `id` it just delivered, keeping its read counter exact when
   * possible (Redis's logic in `streamReplyWithRange`).
   */
  advanceGroup(g: ConsumerGroup, id: StreamId): void {
    if (id <= g.lastId) return;
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(id)) {
      g.entriesRead = BigInt.asIntN(64, g.entriesRead + 1n);
    } else if (this.entriesAdded !== 0n) {
      g.entriesRead = this.estimateDistance(id);
    }
    g.lastId = id;
  }

  // --- Consumer groups ---------------------------------------------------------------------

  /** Group `name`, if it exists. */
  group(name: string): ConsumerGroup | undefined {
    return this.#groups?.get(name);
  }

  /** Number of groups. */
  groupCount(): number {
    return this.#groups?.size ?? 0;
  }

  /** Creates a group; null when one with that name exists. */
  createGroup(name: string, lastId: StreamId, entriesRead: bigint): ConsumerGroup | null {
    this.#groups ??= new Map();
    if (this.#groups.has(name)) return null;
    const g = new ConsumerGroup(name, lastId, entriesRead);
    this.#groups.set(name, g);
    return g;
  }

  /** Deletes group `name`; returns whether it existed. */
  destroyGroup(name: string): boolean {
    return this.#groups?.delete(name) ?? false;
  }

  /** Groups in name order (Redis keeps them in a radix tree). */
  groups(): ConsumerGroup[] {
    const m = this.#groups;
    if (m === null) return [];
    return [...m.keys()].sort().map((n) => m.get(n)!);
  }

  // --- Introspection -----------------------------------------------------------------------------

  /**
   * Visits entries for DEBUG DIGEST: each ID as `ms.seq`, then each field/value pair (groups
   * are not digested, as in Redis).
   */
  visit(fn: (a: string, b?: string) => boolean | void): void {
    for (const [id, fields] of this.entries()) {
      if (fn(formatIdDotted(id)) === false) return;
      for (let i = 0; i < fields.length; i += 2) {
        if (fn(fields[i]!, fields[i + 1]!) === false) return;
      }
    }
  }

  /**
   * MEMORY USAGE, computed like Redis's `objectComputeSize`: the object and stream structs,
   * the radix tree, the listpacks' allocations (the first `samples` nodes, 0 = all, averaged
   * over all but the tail, plus the tail), and each group's struct, PEL trees and NACKs plus
   * each consumer's struct, name and PEL tree.
   */
  memoryUsage(samples: number): number {
    const nodes = this.#nodes;
    let size = 16 + 80 + raxMemory(nodes.length, this.radixTreeNodes());
    const limit = samples <= 0 ? nodes.length : samples;
    let lp = 0;
    let n = 0;
    for (; n < limit && n < nodes.length; n++) lp += nodes[n]!.allocated();
    if (nodes.length <= n) size += lp;
    else {
      if (n !== 0) lp = Math.floor(lp / n);
      size += lp * (nodes.length - 1) + nodes[nodes.length - 1]!.allocated();
    }
    for (const g of this.#groups?.values() ?? []) {
      size += 40 + raxMemory(g.pel.size, raxNodeCount(g.pel.keys())) + 24 * g.pel.size;
      for (const c of g.consumers.values()) {
        size += 24 + c.name.length + raxMemory(c.pel.size, raxNodeCount(c.pel.keys()));
      }
    }
    return size;
  }
}
