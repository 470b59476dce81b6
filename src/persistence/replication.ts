/**
 * The master side of replication: the replication ids and offset, and full-sync replicas
 * (SYNC, or PSYNC answered with FULLRESYNC). A replica gets an RDB of the dataset, made from
 * a snapshot in slices of its own (not a background job: it runs alongside BGSAVE
 * and AOF rewrites), then the write feed from that point on, and PINGs from the server cron.
 *
 * @module
 */
import type { DatasetImages, PersistenceHost } from "./host.ts";
import { encodeCommand, FeedEncoder, type FeedOp, type Propagator } from "./propagate.ts";

/** A connection that receives the replication stream. */
export interface ReplicaTarget {
  /** Sends bytes (a binary string or bytes). */
  send(data: string | Uint8Array): void;
  /** Whether the connection is still open. */
  alive(): boolean;
  /** Drops the connection (its snapshot failed). */
  drop(): void;
}

interface Replica {
  target: ReplicaTarget;
  /** Stream produced while its RDB was being made; null once the RDB went out. */
  pending: string[] | null;
}

/** The replicas of one server and the stream they get. */
export class Replication {
  /**
   * The replication id (INFO `master_replid`, PSYNC's `+FULLRESYNC`, the RDB `repl-id`): one
   * field, so every place shows the same id.
   */
  replId: string;
  /** The previous replication id (INFO `master_replid2`), all zeros when none. */
  replId2 = "0".repeat(40);
  /** Bytes of replication stream produced. */
  replOffset = 0;

  readonly #host: PersistenceHost;
  readonly #images: DatasetImages;
  readonly #feed: Propagator;
  readonly #replicas = new Set<Replica>();
  readonly #encoder = new FeedEncoder();
  #lastPing = 0;
  readonly #listener = (ops: readonly FeedOp[]) => this.#send(this.#encoder.encode(ops));

  /**
   * Replication of `host`'s dataset: replicas get RDBs made from `images`, then the writes
   * of `feed` (subscribed to while there are replicas).
   */
  constructor(host: PersistenceHost, images: DatasetImages, feed: Propagator) {
    this.#host = host;
    this.#images = images;
    this.#feed = feed;
    this.#lastPing = host.keyspace.clock();
    this.replId = host.randomId();
  }

  #now(): number {
    return this.#host.keyspace.clock();
  }

  /** Starts a new replication history (Redis's `changeReplicationId`). */
  changeReplicationId(): void {
    this.replId = this.#host.randomId();
  }

  /** Number of replicas attached. */
  get replicaCount(): number {
    for (const r of this.#replicas) if (!r.target.alive()) this.#replicas.delete(r);
    return this.#replicas.size;
  }

  /**
   * Attaches a replica (SYNC, or PSYNC answered with FULLRESYNC): it gets an RDB of the
   * dataset as `$<len>\r\n<rdb>`, then the write feed from that point on.
   */
  addReplica(target: ReplicaTarget, psync: boolean): void {
    if (this.#replicas.size === 0) this.#feed.subscribe(this.#listener);
    const r: Replica = { target, pending: [] };
    this.#replicas.add(r);
    // A new replica starts from a fresh SELECT, as after any full sync in Redis.
    this.#encoder.selected = -1;
    if (psync) target.send(`+FULLRESYNC ${this.replId} ${this.replOffset}\r\n`);
    const snap = this.#images.snapshot(false, {
      db: 0,
      id: this.replId,
      offset: this.replOffset,
    });
    this.#images.track(snap);
    const parts: Uint8Array[] = [];
    const finish = () => {
      this.#images.untrack(snap);
      let size = 0;
      for (const p of parts) size += p.length;
      if (!target.alive()) {
        this.#replicas.delete(r);
        return;
      }
      target.send(`$${size}\r\n`);
      for (const p of parts) target.send(p);
      const pending = r.pending!;
      r.pending = null;
      if (pending.length > 0) target.send(pending.join(""));
    };
    const tick = () => {
      try {
        const deadline = this.#now() + 20;
        const chunk = snap.step(() => this.#now() >= deadline);
        if (chunk !== null) parts.push(chunk);
      } catch (e) {
        this.#images.untrack(snap);
        this.#replicas.delete(r);
        this.#host.log("warning", `Can't make the RDB for a replica: ${(e as Error).message}`);
        target.drop();
        return;
      }
      if (snap.done) finish();
      else this.#host.timer(0, tick);
    };
    // Small datasets are done in the first slice: the replica gets its RDB at once.
    tick();
  }

  /** Sends `data` to the replicas (queued for those still waiting for their RDB). */
  #send(data: string): void {
    this.replOffset += data.length;
    for (const r of this.#replicas) {
      if (!r.target.alive()) {
        this.#replicas.delete(r);
        continue;
      }
      if (r.pending !== null) r.pending.push(data);
      else r.target.send(data);
    }
    if (this.#replicas.size === 0) this.#feed.unsubscribe(this.#listener);
  }

  /** The replication part of the server cron: PINGs replicas every `repl-ping-replica-period`. */
  cron(now: number): void {
    if (this.#replicas.size === 0) return;
    const period = this.#host.config.getNumber("repl-ping-replica-period") * 1000;
    if (now - this.#lastPing >= period) {
      this.#lastPing = now;
      this.#send(encodeCommand(["PING"]));
    }
  }
}
