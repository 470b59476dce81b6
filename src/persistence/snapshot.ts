/**
 * A point-in-time RDB image of the keyspace, produced incrementally (BGSAVE, AOF rewrite,
 * full sync of a replica) while the server keeps serving writes.
 *
 * Redis forks and lets the kernel copy pages on write. cedis has one thread and no fork, so
 * it copies on write at the value level instead:
 * - At the start it takes a shallow copy of every database's key→value and key→expiry maps
 *   (a native Map copy: O(keys), roughly tens of milliseconds per million keys; values are
 *   shared, not copied). Keys added, deleted, replaced or re-expired afterwards don't touch
 *   the copy, and JS strings are immutable, so most writes cost nothing extra.
 * - Values that are mutated in place (lists, sets, hashes, sorted sets, raw strings) are
 *   protected by a write barrier: write commands look keys up with `lookupWrite`, which calls
 *   {@link Snapshot.beforeWrite}; if the key's copied value is still the live object and not
 *   yet written, it is serialized right then, before the mutation (the pre-image).
 * - The rest is serialized in slices from a timer ({@link Snapshot.step}), so each slice
 *   blocks the event loop for a bounded time.
 *
 * Trade-offs against fork: no page-table copy and no second process, but the map copy at the
 * start is a pause proportional to the number of keys, the first write to a large aggregate
 * during a save pays for serializing it, and a handler that mutates a value without
 * `lookupWrite` would leak its change into a running snapshot. Memory grows by the copied
 * maps plus the aggregates written during the save, instead of by the touched pages.
 *
 * @module
 */
import type { Db, Keyspace } from "../store/keyspace.ts";
import type { Value } from "../store/value.ts";
import { ByteWriter } from "./byte_io.ts";
import { Crc64 } from "./crc64.ts";
import {
  type AuxInfo,
  type EncodeOptions,
  keyAccess,
  RdbOpcode,
  writeAuxFields,
  writeDbHeader,
  writeHeader,
  writeKeyValue,
} from "./rdb.ts";

/** Options of a {@link Snapshot}. */
export interface SnapshotOptions extends EncodeOptions {
  /** Append a CRC-64 (`rdbchecksum`); zeros otherwise. */
  checksum: boolean;
  /** `maxmemory-policy` (decides whether idle times or LFU counters are written). */
  policy: string;
}

interface DbCopy {
  db: Db;
  data: Map<string, Value>;
  expires: Map<string, number>;
  /** Records the write barrier produced before this database's section started. */
  early: ByteWriter | null;
  /** Keys in {@link early}. */
  earlyKeys: number;
}

/** Output is handed out in chunks of about this size. */
const CHUNK = 64 * 1024;

/** An RDB image being produced from a frozen view of the keyspace. */
export class Snapshot {
  readonly #copies: DbCopy[] = [];
  readonly #byId = new Map<number, DbCopy>();
  readonly #opts: SnapshotOptions;
  readonly #crc = new Crc64();
  #w = new ByteWriter(CHUNK * 2);
  #index = 0;
  #current: DbCopy | null = null;
  #iter: Iterator<[string, Value]> | null = null;
  #done = false;
  /** Keys written so far. */
  keysProcessed = 0;
  /** Keys in the image. */
  readonly keysTotal: number;

  /** Freezes the view of `ks`; nothing is serialized until {@link step}. */
  constructor(ks: Keyspace, info: AuxInfo, opts: SnapshotOptions) {
    this.#opts = opts;
    let total = 0;
    for (const db of ks.dbs) {
      if (db.data.size === 0) continue;
      const copy: DbCopy = {
        db,
        data: new Map(db.data),
        expires: new Map(db.expires),
        early: null,
        earlyKeys: 0,
      };
      total += copy.data.size;
      this.#copies.push(copy);
      this.#byId.set(db.id, copy);
    }
    this.keysTotal = total;
    writeHeader(this.#w);
    writeAuxFields(this.#w, info);
  }

  /** Whether the whole image has been handed out. */
  get done(): boolean {
    return this.#done;
  }

  /**
   * The write barrier: `key` of `db` is about to be modified in place. If the frozen view
   * still shares its value and it was not written yet, write it now.
   */
  beforeWrite(db: Db, key: string): void {
    const copy = this.#byId.get(db.id);
    if (copy === undefined || copy.db !== db) return;
    const v = copy.data.get(key);
    if (v === undefined || typeof v === "string") return;
    let w: ByteWriter;
    if (copy === this.#current) w = this.#w;
    else {
      // A database not reached yet: keep the record until its section starts. (A finished
      // database has an empty copy map, so it never gets here.)
      copy.early ??= new ByteWriter(1024);
      copy.earlyKeys++;
      w = copy.early;
    }
    this.#writeKey(w, copy, key, v);
    copy.data.delete(key);
  }

  #writeKey(w: ByteWriter, copy: DbCopy, key: string, v: Value): void {
    const opts = this.#opts;
    writeKeyValue(
      w,
      key,
      v,
      copy.expires.get(key) ?? -1,
      keyAccess(copy.db, key, opts.policy),
      opts,
    );
    this.keysProcessed++;
  }

  /**
   * Serializes until `deadline()` says stop (checked every few keys) or a chunk is full;
   * returns the bytes produced (possibly empty), or null once everything was returned.
   */
  step(deadline: () => boolean = () => false, maxKeys = Infinity): Uint8Array | null {
    if (this.#done) return null;
    const w = this.#w;
    let n = 0;
    while (w.length < CHUNK) {
      if (this.#iter === null) {
        const copy = this.#copies[this.#index++];
        if (copy === undefined) {
          this.#done = true;
          w.u8(RdbOpcode.EOF);
          if (this.#opts.checksum) {
            this.#crc.update(w.view());
            w.bytes(this.#crc.bytes());
          } else w.u64le(0);
          return w.take();
        }
        this.#current = copy;
        writeDbHeader(w, copy.db.id, copy.data.size + copy.earlyKeys, copy.expires.size);
        if (copy.early !== null) {
          w.bytes(copy.early.view());
          copy.early = null;
        }
        this.#iter = copy.data.entries();
      }
      const r = this.#iter.next();
      if (r.done) {
        this.#iter = null;
        this.#current!.data.clear();
        continue;
      }
      const [key, v] = r.value;
      this.#writeKey(w, this.#current!, key, v);
      this.#current!.data.delete(key);
      if (++n >= maxKeys || ((n & 63) === 0 && deadline())) break;
    }
    const out = w.take();
    this.#crc.update(out);
    return out;
  }

  /** Runs to completion; returns the remaining bytes. */
  finish(): Uint8Array {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const chunk = this.step();
      if (chunk === null) break;
      parts.push(chunk);
      size += chunk.length;
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(size);
    let off = 0;
    for (const p of parts) {
      out.set(p, off);
      off += p.length;
    }
    return out;
  }
}
