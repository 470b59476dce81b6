/**
 * Persistence and replication state of a server: the {@link Persistence} facade the engine
 * and the commands use, composed of
 * - {@link BackgroundJobs} (src/persistence/jobs.ts): SAVE, BGSAVE, save points and the one
 *   background job (BGSAVE or AOF rewrite) that runs in slices from timers;
 * - {@link AofWriter} (src/persistence/aof_writer.ts): the multi-part AOF, its fsync policies
 *   and rewrites;
 * - {@link Replication} (src/persistence/replication.ts): replication ids and full-sync
 *   replicas;
 * - {@link DatasetImages} (src/persistence/host.ts): the RDB images and snapshots all three
 *   make, and the keyspace's write barrier.
 *
 * The write feed and RDB loading stay here. Files are written through `PersistenceIO`
 * (src/persistence/io.ts); no part of persistence touches the platform directly.
 *
 * @module
 */
import { AofError } from "./aof.ts";
import { AofWriter, type CommandReplayer } from "./aof_writer.ts";
import { DatasetImages, type PersistenceHost } from "./host.ts";
import { BackgroundJobs } from "./jobs.ts";
import { Propagator } from "./propagate.ts";
import { loadRdb, type LoadResult, RdbError } from "./rdb.ts";
import { type ReplicaTarget, Replication } from "./replication.ts";

/** Persistence and replication for one server. */
export class Persistence {
  /** The write feed (replicas and AOF subscribe to it). */
  readonly feed: Propagator = new Propagator();
  /** Keys loaded / skipped as expired by the last RDB load. */
  lastLoad: { loaded: number; expired: number } = { loaded: 0, expired: 0 };

  readonly #host: PersistenceHost;
  readonly #images: DatasetImages;
  readonly #jobs: BackgroundJobs;
  readonly #aof: AofWriter;
  readonly #repl: Replication;

  /** Creates the state; nothing is read until {@link loadAtStartup}. */
  constructor(host: PersistenceHost) {
    this.#host = host;
    this.#images = new DatasetImages(host);
    this.#jobs = new BackgroundJobs(host, this.#images, () => this.#aof.startRewrite());
    this.#aof = new AofWriter(host, this.#images, this.feed, this.#jobs);
    this.#repl = new Replication(host, this.#images, this.feed);
  }

  // --- RDB saves and background jobs -----------------------------------------------------

  /** Unix time (s) of the last successful save. */
  get lastSave(): number {
    return this.#jobs.lastSave;
  }
  set lastSave(t: number) {
    this.#jobs.lastSave = t;
  }

  /** Saves done (SAVE and BGSAVE). */
  get rdbSaves(): number {
    return this.#jobs.rdbSaves;
  }
  set rdbSaves(n: number) {
    this.#jobs.rdbSaves = n;
  }

  /** Whether the last BGSAVE succeeded. */
  get lastBgsaveOk(): boolean {
    return this.#jobs.lastBgsaveOk;
  }
  set lastBgsaveOk(ok: boolean) {
    this.#jobs.lastBgsaveOk = ok;
  }

  /** Seconds the last BGSAVE took, -1 before the first. */
  get lastBgsaveTimeSec(): number {
    return this.#jobs.lastBgsaveTimeSec;
  }
  set lastBgsaveTimeSec(n: number) {
    this.#jobs.lastBgsaveTimeSec = n;
  }

  /** A BGSAVE waits for the running AOF rewrite. */
  get bgsaveScheduled(): boolean {
    return this.#jobs.bgsaveScheduled;
  }
  set bgsaveScheduled(on: boolean) {
    this.#jobs.bgsaveScheduled = on;
  }

  /** An AOF rewrite waits for the running BGSAVE. */
  get aofRewriteScheduled(): boolean {
    return this.#jobs.aofRewriteScheduled;
  }
  set aofRewriteScheduled(on: boolean) {
    this.#jobs.aofRewriteScheduled = on;
  }

  /** Whether a BGSAVE is running. */
  get bgsaveInProgress(): boolean {
    return this.#jobs.bgsaveInProgress;
  }

  /** Whether an AOF rewrite is running. */
  get aofRewriteInProgress(): boolean {
    return this.#jobs.aofRewriteInProgress;
  }

  /** Background jobs started, each standing for one of Redis's forks (INFO `total_forks`). */
  get totalForks(): number {
    return this.#jobs.totalForks;
  }

  /** Keys written / total of the running background save (INFO current_save_keys_*). */
  get jobProgress(): { processed: number; total: number } {
    return this.#jobs.jobProgress;
  }

  /** Seconds the running job has taken so far, or -1. */
  jobSeconds(kind: "rdb" | "aof"): number {
    return this.#jobs.jobSeconds(kind);
  }

  /** Whether `save` points are configured. */
  get hasSavePoints(): boolean {
    return this.#jobs.hasSavePoints;
  }

  /** A complete RDB image of the current dataset, made synchronously. */
  rdbImage(aofBase = false): Uint8Array {
    return this.#images.image(aofBase);
  }

  /** SAVE: writes the dataset synchronously; returns the error reply text, or null. */
  save(): string | null {
    return this.#jobs.save();
  }

  /**
   * BGSAVE: starts a background save. Returns Redis's status text, or throws an Error whose
   * message is the error reply.
   */
  bgsave(schedule = false): string {
    return this.#jobs.bgsave(schedule);
  }

  /** Runs the background job (if any) to completion now. */
  finishJob(): void {
    this.#jobs.finishJob();
  }

  /** Stops the background job (if any), discarding its output. */
  killJob(): void {
    this.#jobs.killJob();
  }

  /**
   * Loads the RDB file into the keyspace (emptied by the caller unless `merge`); null when
   * the file does not exist.
   */
  loadRdbFile(opts: { merge?: boolean } = {}): LoadResult | null {
    const host = this.#host;
    const c = host.config;
    const ks = host.keyspace;
    const name = c.getText("dbfilename");
    const bytes = host.io.read(name);
    if (bytes === null) return null;
    const start = ks.clock();
    this.feed.suspended++;
    try {
      const res = loadRdb(bytes, ks, {
        config: c,
        checksum: c.getBool("rdbchecksum"),
        now: ks.clock(),
        merge: opts.merge,
      });
      if (res.functions.length !== 0) host.functions?.restore(res.functions, opts.merge === true);
      this.lastLoad = { loaded: res.loaded, expired: res.expired };
      host.log(
        "notice",
        `Done loading RDB, keys loaded: ${res.loaded}, keys expired: ${res.expired}.`,
      );
      host.log(
        "notice",
        `DB loaded from disk: ${((ks.clock() - start) / 1000).toFixed(3)} seconds`,
      );
      return res;
    } finally {
      this.feed.suspended--;
    }
  }

  // --- AOF -------------------------------------------------------------------------------

  /** AOF rewrites done. */
  get aofRewrites(): number {
    return this.#aof.aofRewrites;
  }
  set aofRewrites(n: number) {
    this.#aof.aofRewrites = n;
  }

  /** AOF rewrites failed in a row (INFO `aof_rewrites_consecutive_failures`). */
  get aofRewritesConsecutiveFailures(): number {
    return this.#aof.consecutiveRewriteFailures;
  }

  /** Whether the last AOF rewrite succeeded. */
  get lastAofRewriteOk(): boolean {
    return this.#aof.lastAofRewriteOk;
  }
  set lastAofRewriteOk(ok: boolean) {
    this.#aof.lastAofRewriteOk = ok;
  }

  /** Seconds the last AOF rewrite took, -1 before the first. */
  get lastAofRewriteTimeSec(): number {
    return this.#aof.lastAofRewriteTimeSec;
  }
  set lastAofRewriteTimeSec(n: number) {
    this.#aof.lastAofRewriteTimeSec = n;
  }

  /** Whether the last AOF write succeeded. */
  get lastAofWriteOk(): boolean {
    return this.#aof.lastAofWriteOk;
  }
  set lastAofWriteOk(ok: boolean) {
    this.#aof.lastAofWriteOk = ok;
  }

  /** Whether the AOF is on (or waiting for its first rewrite). */
  get aofEnabled(): boolean {
    return this.#aof.enabled;
  }

  /** AOF sizes for INFO. */
  get aofSizes(): { current: number; base: number; buffer: number } {
    return this.#aof.sizes;
  }

  /** Turns the AOF on at runtime (CONFIG SET appendonly yes): a rewrite creates the base. */
  startAof(): void {
    this.#aof.start();
  }

  /** Turns the AOF off (CONFIG SET appendonly no). */
  stopAof(): void {
    this.#aof.stop();
  }

  /**
   * BGREWRITEAOF. Returns Redis's status text, or throws an Error whose message is the error
   * reply.
   */
  rewriteAof(): string {
    return this.#aof.rewrite();
  }

  /**
   * Writes the AOF buffer to the incremental file; fsyncs when `appendfsync always` (or
   * `force`). Called after every batch of commands, before their replies go out.
   */
  flushAof(force = false): void {
    this.#aof.flush(force);
  }

  /** DEBUG AOF-FLUSH-SLEEP: a pause before each AOF write, in ms. */
  get aofFlushSleepMs(): number {
    return this.#aof.flushSleepMs;
  }

  set aofFlushSleepMs(ms: number) {
    this.#aof.flushSleepMs = ms;
  }

  /**
   * Loads the AOF named by the manifest into the (emptied) keyspace, running its commands
   * through `replayer`. Returns false when there is no AOF. Throws on a malformed AOF.
   */
  loadAof(replayer: CommandReplayer): boolean {
    return this.#aof.load(replayer);
  }

  /**
   * Startup: with `appendonly yes` loads the AOF (creating it when missing) and keeps it
   * open; otherwise loads the RDB file if there is one. Throws on unreadable data.
   */
  loadAtStartup(replayer: CommandReplayer): void {
    if (this.#host.config.getBool("appendonly")) this.#aof.loadAtStartup(replayer);
    else this.loadRdbFile();
  }

  // --- Replication -----------------------------------------------------------------------

  /**
   * The replication id (INFO `master_replid`, PSYNC's `+FULLRESYNC`, the RDB `repl-id`): one
   * field, so every place shows the same id.
   */
  get replId(): string {
    return this.#repl.replId;
  }
  set replId(id: string) {
    this.#repl.replId = id;
  }

  /** The previous replication id (INFO `master_replid2`), all zeros when none. */
  get replId2(): string {
    return this.#repl.replId2;
  }
  set replId2(id: string) {
    this.#repl.replId2 = id;
  }

  /** Bytes of replication stream produced. */
  get replOffset(): number {
    return this.#repl.replOffset;
  }
  set replOffset(n: number) {
    this.#repl.replOffset = n;
  }

  /** Starts a new replication history (Redis's `changeReplicationId`). */
  changeReplicationId(): void {
    this.#repl.changeReplicationId();
  }

  /** Number of replicas attached. */
  get replicaCount(): number {
    return this.#repl.replicaCount;
  }

  /**
   * Attaches a replica (SYNC, or PSYNC answered with FULLRESYNC): it gets an RDB of the
   * dataset as `$<len>\r\n<rdb>`, then the write feed from that point on.
   */
  addReplica(target: ReplicaTarget, psync: boolean): void {
    this.#repl.addReplica(target, psync);
  }

  // --- Timers and shutdown ---------------------------------------------------------------

  /** Periodic work from the server's `hz` timer: save points, fsync, replica pings. */
  cron(): void {
    const now = this.#host.keyspace.clock();
    this.#jobs.cron(now);
    this.#aof.cron(now);
    this.#repl.cron(now);
  }

  /**
   * Shutdown: finishes or stops background work, flushes the AOF, and saves when `save` is
   * true or (null) when save points are configured. Returns an error text when saving failed.
   */
  shutdown(save: boolean | null): string | null {
    this.#jobs.killJob();
    this.#aof.close(true);
    if (save === true || (save === null && this.hasSavePoints)) {
      this.#host.log("notice", "Saving the final RDB snapshot before exiting.");
      const err = this.save();
      if (err !== null) return "Error trying to save the DB, can't exit.";
    }
    return null;
  }

  /** Stops timers and background work without saving (tests, abrupt close). */
  close(): void {
    this.#jobs.killJob();
    this.#aof.close(false);
  }
}

export { AofError, RdbError };
