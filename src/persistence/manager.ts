/**
 * Persistence and replication state of a server: the write feed, RDB saves (SAVE, BGSAVE,
 * save points), the AOF (multi-part, fsync policies, rewrites) and full-sync replicas.
 *
 * Background work (BGSAVE, AOF rewrite, a replica's RDB) is a {@link Snapshot} serialized in
 * slices from timers, standing in for Redis's forked child; like Redis, at most one BGSAVE or
 * AOF rewrite runs at a time (the other one is scheduled), while replica snapshots run on
 * their own. Files are written through {@link PersistenceIO}; this module never touches the
 * platform directly.
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import { REDIS_VERSION } from "../config/version.ts";
import type { Db, Keyspace } from "../store/keyspace.ts";
import { binaryToBytes } from "../resp/bytes.ts";
import {
  AofError,
  type AofFileInfo,
  type AofManifest,
  formatManifest,
  parseAofCommands,
  parseManifest,
  rewriteAsCommands,
} from "./aof.ts";
import type { FileHandle, PersistenceIO } from "./io.ts";
import { encodeCommand, FeedEncoder, type FeedOp, Propagator } from "./propagate.ts";
import {
  type AuxInfo,
  encodeOptions,
  encodeRdb,
  loadRdb,
  type LoadResult,
  RdbError,
} from "./rdb.ts";
import { Snapshot, type SnapshotOptions } from "./snapshot.ts";

/** Seconds before a failed automatic BGSAVE is retried (Redis's CONFIG_BGSAVE_RETRY_DELAY). */
const BGSAVE_RETRY_DELAY = 5;

/** What persistence needs from the server. */
export interface PersistenceHost {
  /** The databases. */
  keyspace: Keyspace;
  /** Configuration. */
  config: Config;
  /** The data directory. */
  io: PersistenceIO;
  /** Process id (temporary file names). */
  pid: number;
  /** Logs a line. */
  log(level: "debug" | "verbose" | "notice" | "warning", msg: string): void;
  /** Memory in use, in bytes (the `used-mem` AUX field). */
  usedMemory(): number;
  /** A fresh random 40-hex-char id (replication ids). */
  randomId(): string;
  /** Calls `fn` once after `ms` ms (background job slices); returns a cancel function. */
  timer(ms: number, fn: () => void): () => void;
  /** The FUNCTION libraries, saved in RDB files and AOF preambles (none when absent). */
  functions?: FunctionLibraries;
}

/** The function libraries as persistence sees them: their code. */
export interface FunctionLibraries {
  /** The code of every library (`#!lua name=...` first line included). */
  codes(): string[];
  /** Loads libraries read from a file, replacing same-named ones; throws on bad code. */
  restore(codes: string[]): void;
}

/** Runs the commands of an AOF being loaded (implemented by the command layer). */
export interface CommandReplayer {
  /** Runs one command; returns an error text when it failed. */
  run(argv: string[]): string | null;
  /** Called once the whole AOF was replayed (e.g. to check for an unterminated MULTI). */
  end(): void;
}

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

/** A BGSAVE or AOF rewrite in progress. */
interface Job {
  kind: "rdb" | "aof";
  snapshot: Snapshot | null;
  file: FileHandle;
  tmp: string;
  started: number;
  /** Cancels the scheduled slice. */
  timer: (() => void) | undefined;
  /** AOF rewrite: the incremental file opened when it started. */
  incr?: AofFileInfo;
  /** AOF rewrite: the manifest before it started (its files become history). */
  previous?: AofManifest;
  /** AOF rewrite: the base is written as commands. */
  textBase?: boolean;
}

/** The state of the AOF. */
type AofState = "off" | "on" | "wait_rewrite";

/** Persistence and replication for one server. */
export class Persistence {
  /** The write feed (replicas and AOF subscribe to it). */
  readonly feed: Propagator = new Propagator();
  /** Unix time (s) of the last successful save. */
  lastSave: number;
  /** Saves done (SAVE and BGSAVE). */
  rdbSaves = 0;
  /** Whether the last BGSAVE succeeded. */
  lastBgsaveOk = true;
  /** Seconds the last BGSAVE took, -1 before the first. */
  lastBgsaveTimeSec = -1;
  /** Keys loaded / skipped as expired by the last RDB load. */
  lastLoad: { loaded: number; expired: number } = { loaded: 0, expired: 0 };
  /** A BGSAVE waits for the running AOF rewrite. */
  bgsaveScheduled = false;
  /** An AOF rewrite waits for the running BGSAVE. */
  aofRewriteScheduled = false;
  /** AOF rewrites done. */
  aofRewrites = 0;
  /** Whether the last AOF rewrite succeeded. */
  lastAofRewriteOk = true;
  /** Seconds the last AOF rewrite took, -1 before the first. */
  lastAofRewriteTimeSec = -1;
  /** Whether the last AOF write succeeded. */
  lastAofWriteOk = true;
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
  #job: Job | null = null;
  #dirtyAtJobStart = 0;
  #lastBgsaveTry = 0;
  readonly #snapshots = new Set<Snapshot>();
  // AOF
  #aofState: AofState = "off";
  #aofFile: FileHandle | null = null;
  #aofFileName = "";
  #aofBuf = "";
  #aofEncoder = new FeedEncoder();
  #aofLastFsync = 0;
  #aofBaseSize = 0;
  #aofCurrentSize = 0;
  #manifest: AofManifest = { base: null, incrs: [], history: [] };
  readonly #aofListener = (ops: readonly FeedOp[]) => {
    this.#aofBuf += this.#aofEncoder.encode(ops);
  };
  // Replication
  readonly #replicas = new Set<Replica>();
  readonly #replEncoder = new FeedEncoder();
  #lastPing = 0;
  readonly #replListener = (ops: readonly FeedOp[]) =>
    this.#replFeed(this.#replEncoder.encode(ops));

  /** Creates the state; nothing is read until {@link loadAtStartup}. */
  constructor(host: PersistenceHost) {
    this.#host = host;
    const now = host.keyspace.clock();
    this.lastSave = Math.floor(now / 1000);
    this.#lastPing = now;
    this.replId = host.randomId();
  }

  /** Starts a new replication history (Redis's `changeReplicationId`). */
  changeReplicationId(): void {
    this.replId = this.#host.randomId();
  }

  get #config(): Config {
    return this.#host.config;
  }

  get #ks(): Keyspace {
    return this.#host.keyspace;
  }

  #now(): number {
    return this.#ks.clock();
  }

  #snapshotOptions(): SnapshotOptions {
    const c = this.#config;
    return {
      ...encodeOptions(c),
      checksum: c.getBool("rdbchecksum"),
      policy: c.getString("maxmemory-policy"),
    };
  }

  #aux(aofBase: boolean, repl: AuxInfo["repl"] = null): AuxInfo {
    return {
      redisVersion: REDIS_VERSION,
      ctime: Math.floor(this.#now() / 1000),
      usedMem: this.#host.usedMemory(),
      aofBase,
      repl,
      functions: this.#host.functions?.codes() ?? [],
    };
  }

  /** A complete RDB image of the current dataset, made synchronously. */
  rdbImage(aofBase = false): Uint8Array {
    return encodeRdb(this.#ks, this.#aux(aofBase), this.#snapshotOptions());
  }

  // --- Snapshots and the write barrier ---------------------------------------------------

  #track(s: Snapshot): void {
    this.#snapshots.add(s);
    this.#ks.writeBarrier = (db: Db, key: string) => {
      for (const snap of this.#snapshots) snap.beforeWrite(db, key);
    };
  }

  #untrack(s: Snapshot): void {
    this.#snapshots.delete(s);
    if (this.#snapshots.size === 0) this.#ks.writeBarrier = null;
  }

  // --- RDB -------------------------------------------------------------------------------

  /** Whether a BGSAVE is running. */
  get bgsaveInProgress(): boolean {
    return this.#job?.kind === "rdb";
  }

  /** Whether an AOF rewrite is running. */
  get aofRewriteInProgress(): boolean {
    return this.#job?.kind === "aof";
  }

  /** Keys written / total of the running background save (INFO current_save_keys_*). */
  get jobProgress(): { processed: number; total: number } {
    const s = this.#job?.snapshot;
    return s ? { processed: s.keysProcessed, total: s.keysTotal } : { processed: 0, total: 0 };
  }

  /** Seconds the running job has taken so far, or -1. */
  jobSeconds(kind: "rdb" | "aof"): number {
    const j = this.#job;
    return j !== null && j.kind === kind ? Math.floor((this.#now() - j.started) / 1000) : -1;
  }

  /** SAVE: writes the dataset synchronously; returns the error reply text, or null. */
  save(): string | null {
    if (this.bgsaveInProgress) return "Background save already in progress";
    const start = this.#now();
    try {
      this.#host.io.writeAtomic(this.#config.getText("dbfilename"), this.rdbImage());
    } catch (e) {
      this.#host.log("warning", `Failed saving the DB: ${(e as Error).message}`);
      return "ERR";
    }
    this.#ks.dirty = 0;
    this.lastSave = Math.floor(this.#now() / 1000);
    this.lastBgsaveOk = true;
    this.rdbSaves++;
    this.#host.log("notice", `DB saved on disk (${this.#now() - start} ms)`);
    return null;
  }

  /**
   * BGSAVE: starts a background save. Returns Redis's status text, or throws an Error whose
   * message is the error reply.
   */
  bgsave(schedule = false): string {
    if (this.bgsaveInProgress) throw new Error("ERR Background save already in progress");
    if (this.aofRewriteInProgress) {
      if (schedule) {
        this.bgsaveScheduled = true;
        return "Background saving scheduled";
      }
      throw new Error(
        "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE " +
          "SCHEDULE in order to schedule a BGSAVE whenever possible.",
      );
    }
    this.#startBgsave();
    return "Background saving started";
  }

  #startBgsave(): void {
    this.#lastBgsaveTry = this.#now();
    const io = this.#host.io;
    const tmp = `temp-${this.#host.pid}.rdb`;
    let file: FileHandle;
    try {
      file = io.create(tmp);
    } catch (e) {
      this.lastBgsaveOk = false;
      this.#host.log("warning", `Failed opening the temp RDB file ${tmp}: ${(e as Error).message}`);
      throw new Error("ERR Background save failed");
    }
    const snapshot = new Snapshot(this.#ks, this.#aux(false), this.#snapshotOptions());
    this.#dirtyAtJobStart = this.#ks.dirty;
    this.#host.log("notice", "Background saving started");
    this.#runJob({ kind: "rdb", snapshot, file, tmp, started: this.#now(), timer: undefined });
  }

  #runJob(job: Job): void {
    this.#job = job;
    if (job.snapshot !== null) this.#track(job.snapshot);
    const tick = () => {
      job.timer = undefined;
      if (this.#job !== job) return;
      const delayUs = this.#config.getNumber("rdb-key-save-delay");
      try {
        if (job.snapshot !== null) {
          const deadline = this.#now() + 20;
          const chunk = job.snapshot.step(
            () => this.#now() >= deadline,
            delayUs > 0 ? 1 : Infinity,
          );
          if (chunk !== null && chunk.length > 0) job.file.write(chunk);
          if (!job.snapshot.done) {
            job.timer = this.#host.timer(delayUs > 0 ? Math.ceil(delayUs / 1000) : 0, tick);
            return;
          }
        }
        this.#completeJob(job);
      } catch (e) {
        this.#failJob(job, e as Error);
      }
    };
    job.timer = this.#host.timer(0, tick);
  }

  /** Runs the background job (if any) to completion now. */
  finishJob(): void {
    const job = this.#job;
    if (job === null) return;
    job.timer?.();
    try {
      if (job.snapshot !== null && !job.snapshot.done) job.file.write(job.snapshot.finish());
      this.#completeJob(job);
    } catch (e) {
      this.#failJob(job, e as Error);
    }
  }

  /** Stops the background job (if any), discarding its output. */
  killJob(): void {
    const job = this.#job;
    if (job === null) return;
    job.timer?.();
    // Like a child killed on purpose in Redis: not an error of the save itself.
    this.#endJob(job);
    this.#host.log("warning", `Background ${job.kind === "rdb" ? "saving" : "AOF rewrite"} killed`);
  }

  #endJob(job: Job): void {
    if (job.snapshot !== null) this.#untrack(job.snapshot);
    job.file.close();
    try {
      this.#host.io.remove(job.tmp);
    } catch { /* already moved or gone */ }
    if (this.#job === job) this.#job = null;
  }

  #failJob(job: Job, e: Error): void {
    this.#endJob(job);
    const secs = Math.floor((this.#now() - job.started) / 1000);
    if (job.kind === "rdb") {
      this.lastBgsaveOk = false;
      this.lastBgsaveTimeSec = secs;
      this.#host.log("warning", `Background saving error: ${e.message}`);
    } else {
      this.lastAofRewriteOk = false;
      this.lastAofRewriteTimeSec = secs;
      this.#host.log("warning", `Background AOF rewrite error: ${e.message}`);
    }
    this.#startScheduled();
  }

  #completeJob(job: Job): void {
    const io = this.#host.io;
    job.file.sync();
    job.file.close();
    if (job.snapshot !== null) this.#untrack(job.snapshot);
    const secs = Math.floor((this.#now() - job.started) / 1000);
    if (job.kind === "rdb") {
      io.rename(job.tmp, this.#config.getText("dbfilename"));
      this.#job = null;
      this.#ks.dirty = Math.max(0, this.#ks.dirty - this.#dirtyAtJobStart);
      this.lastSave = Math.floor(this.#now() / 1000);
      this.lastBgsaveOk = true;
      this.lastBgsaveTimeSec = secs;
      this.rdbSaves++;
      this.#host.log("notice", "Background saving terminated with success");
    } else {
      this.#job = null;
      this.#installRewrite(job);
      this.lastAofRewriteTimeSec = secs;
    }
    this.#startScheduled();
  }

  #startScheduled(): void {
    if (this.#job !== null) return;
    if (this.aofRewriteScheduled) {
      this.aofRewriteScheduled = false;
      this.#startRewrite();
    } else if (this.bgsaveScheduled) {
      this.bgsaveScheduled = false;
      try {
        this.#startBgsave();
      } catch { /* logged */ }
    }
  }

  /**
   * Loads the RDB file into the keyspace (emptied by the caller unless `merge`); null when
   * the file does not exist.
   */
  loadRdbFile(opts: { merge?: boolean } = {}): LoadResult | null {
    const c = this.#config;
    const name = c.getText("dbfilename");
    const bytes = this.#host.io.read(name);
    if (bytes === null) return null;
    const start = this.#now();
    this.feed.suspended++;
    try {
      const res = loadRdb(bytes, this.#ks, {
        config: c,
        checksum: c.getBool("rdbchecksum"),
        now: this.#now(),
        merge: opts.merge,
      });
      if (res.functions.length !== 0) this.#host.functions?.restore(res.functions);
      this.lastLoad = { loaded: res.loaded, expired: res.expired };
      this.#host.log(
        "notice",
        `Done loading RDB, keys loaded: ${res.loaded}, keys expired: ${res.expired}.`,
      );
      this.#host.log(
        "notice",
        `DB loaded from disk: ${((this.#now() - start) / 1000).toFixed(3)} seconds`,
      );
      return res;
    } finally {
      this.feed.suspended--;
    }
  }

  /** Whether save points call for a BGSAVE now (Redis's serverCron check). */
  #savePointDue(now: number): boolean {
    const params = this.#config.getText("save");
    if (params === "") return false;
    const p = params.split(" ");
    const dirty = this.#ks.dirty;
    const elapsed = now / 1000 - this.lastSave;
    const retryOk = this.lastBgsaveOk || (now - this.#lastBgsaveTry) / 1000 > BGSAVE_RETRY_DELAY;
    for (let i = 0; i + 1 < p.length; i += 2) {
      const secs = Number(p[i]);
      const changes = Number(p[i + 1]);
      if (dirty >= changes && elapsed > secs && retryOk) {
        this.#host.log("notice", `${changes} changes in ${secs} seconds. Saving...`);
        return true;
      }
    }
    return false;
  }

  /** Whether `save` points are configured. */
  get hasSavePoints(): boolean {
    return this.#config.getText("save") !== "";
  }

  // --- AOF -------------------------------------------------------------------------------

  /** Whether the AOF is on (or waiting for its first rewrite). */
  get aofEnabled(): boolean {
    return this.#aofState !== "off";
  }

  /** AOF sizes for INFO. */
  get aofSizes(): { current: number; base: number; buffer: number } {
    return { current: this.#aofCurrentSize, base: this.#aofBaseSize, buffer: this.#aofBuf.length };
  }

  #aofDir(): string {
    return this.#config.getText("appenddirname");
  }

  #aofPath(name: string): string {
    return `${this.#aofDir()}/${name}`;
  }

  #manifestName(): string {
    return `${this.#config.getText("appendfilename")}.manifest`;
  }

  #writeManifest(m: AofManifest): void {
    const text = formatManifest(m);
    this.#host.io.writeAtomic(this.#aofPath(this.#manifestName()), binaryToBytes(text));
  }

  /** Reads the manifest, or null when there is none. */
  #readManifest(): AofManifest | null {
    const bytes = this.#host.io.read(this.#aofPath(this.#manifestName()));
    if (bytes === null) return null;
    return parseManifest(new TextDecoder().decode(bytes));
  }

  /** Turns the AOF on at runtime (CONFIG SET appendonly yes): a rewrite creates the base. */
  startAof(): void {
    if (this.#aofState !== "off") return;
    this.#aofState = "wait_rewrite";
    if (this.#job?.kind === "rdb") this.aofRewriteScheduled = true;
    else this.#startRewrite();
  }

  /** Turns the AOF off (CONFIG SET appendonly no). */
  stopAof(): void {
    if (this.#aofState === "off") return;
    this.flushAof(true);
    if (this.#job?.kind === "aof") this.killJob();
    this.aofRewriteScheduled = false;
    this.feed.unsubscribe(this.#aofListener);
    this.#aofFile?.close();
    this.#aofFile = null;
    this.#aofState = "off";
    this.#aofBuf = "";
  }

  /**
   * BGREWRITEAOF. Returns Redis's status text, or throws an Error whose message is the error
   * reply.
   */
  rewriteAof(): string {
    if (this.aofRewriteInProgress) {
      throw new Error("ERR Background append only file rewriting already in progress");
    }
    if (this.bgsaveInProgress) {
      this.aofRewriteScheduled = true;
      return "Background append only file rewriting scheduled";
    }
    this.#startRewrite();
    return "Background append only file rewriting started";
  }

  /** Opens a new incremental file; the feed goes there from now on. */
  #openNewIncr(): AofFileInfo {
    const io = this.#host.io;
    io.mkdir(this.#aofDir());
    this.flushAof(true);
    const seq = Math.max(0, ...this.#manifest.incrs.map((f) => f.seq)) + 1;
    const info: AofFileInfo = {
      name: `${this.#config.getText("appendfilename")}.${seq}.incr.aof`,
      seq,
      type: "i",
    };
    const file = io.create(this.#aofPath(info.name));
    this.#aofFile?.close();
    this.#aofFile = file;
    this.#aofFileName = info.name;
    this.#aofEncoder.selected = -1;
    if (this.#aofState === "on" || this.#aofState === "wait_rewrite") {
      this.feed.subscribe(this.#aofListener);
    }
    return info;
  }

  #startRewrite(): void {
    const io = this.#host.io;
    const previous: AofManifest = {
      base: this.#manifest.base,
      incrs: [...this.#manifest.incrs],
      history: [...this.#manifest.history],
    };
    let incr: AofFileInfo;
    try {
      incr = this.#openNewIncr();
      if (this.#aofState === "on") {
        // Until the new base exists, the old files plus the new incremental one are the AOF.
        this.#manifest = { ...previous, incrs: [...previous.incrs, incr] };
        this.#writeManifest(this.#manifest);
      } else this.#manifest = { ...previous, incrs: [...previous.incrs, incr] };
    } catch (e) {
      this.lastAofRewriteOk = false;
      this.#host.log("warning", `Can't open the append-only file: ${(e as Error).message}`);
      return;
    }
    const tmp = `temp-rewriteaof-bg-${this.#host.pid}.aof`;
    const file = io.create(tmp);
    const textBase = !this.#config.getBool("aof-use-rdb-preamble");
    let snapshot: Snapshot | null = null;
    if (textBase) {
      try {
        file.write(
          binaryToBytes(rewriteAsCommands(this.#ks, this.#host.functions?.codes() ?? [])),
        );
      } catch (e) {
        file.close();
        io.remove(tmp);
        this.lastAofRewriteOk = false;
        this.#host.log("warning", `Background AOF rewrite error: ${(e as Error).message}`);
        return;
      }
    } else snapshot = new Snapshot(this.#ks, this.#aux(true), this.#snapshotOptions());
    this.#dirtyAtJobStart = this.#ks.dirty;
    this.#host.log("notice", "Background append only file rewriting started");
    this.#runJob({
      kind: "aof",
      snapshot,
      file,
      tmp,
      started: this.#now(),
      timer: undefined,
      incr,
      previous,
      textBase,
    });
  }

  #installRewrite(job: Job): void {
    const io = this.#host.io;
    const prev = job.previous!;
    const seq = (prev.base?.seq ?? 0) + 1;
    const ext = job.textBase ? "aof" : "rdb";
    const base: AofFileInfo = {
      name: `${this.#config.getText("appendfilename")}.${seq}.base.${ext}`,
      seq,
      type: "b",
    };
    io.rename(job.tmp, this.#aofPath(base.name));
    // Incremental files opened since the rewrite started stay; older ones become history.
    const keep = this.#manifest.incrs.filter((f) => f.seq >= job.incr!.seq);
    const history = [
      ...prev.history,
      ...(prev.base ? [{ ...prev.base, type: "h" as const }] : []),
      ...prev.incrs.map((f) => ({ ...f, type: "h" as const })),
    ];
    const autoGc = !this.#config.getBool("aof-disable-auto-gc");
    this.#manifest = { base, incrs: keep, history: autoGc ? [] : history };
    this.#writeManifest(this.#manifest);
    if (autoGc) { for (const f of history) io.remove(this.#aofPath(f.name)); }
    this.#aofBaseSize = io.size(this.#aofPath(base.name));
    this.#aofCurrentSize = this.#aofBaseSize + io.size(this.#aofPath(this.#aofFileName));
    this.aofRewrites++;
    this.lastAofRewriteOk = true;
    if (this.#aofState === "wait_rewrite") this.#aofState = "on";
    this.#host.log("notice", "Background AOF rewrite terminated with success");
  }

  /**
   * Writes the AOF buffer to the incremental file; fsyncs when `appendfsync always` (or
   * `force`). Called after every batch of commands, before their replies go out.
   */
  flushAof(force = false): void {
    const file = this.#aofFile;
    if (file === null) return;
    const policy = this.#config.getString("appendfsync");
    if (this.#aofBuf.length > 0) {
      const data = binaryToBytes(this.#aofBuf);
      this.#aofBuf = "";
      try {
        file.write(data);
        this.#aofCurrentSize += data.length;
        this.lastAofWriteOk = true;
      } catch (e) {
        this.lastAofWriteOk = false;
        this.#host.log("warning", `Error writing to the AOF file: ${(e as Error).message}`);
        return;
      }
      if (policy === "always" || force) this.#fsyncAof();
    } else if (force) this.#fsyncAof();
  }

  #fsyncAof(): void {
    try {
      this.#aofFile?.sync();
    } catch (e) {
      this.#host.log("warning", `Can't fsync the AOF: ${(e as Error).message}`);
    }
    this.#aofLastFsync = this.#now();
  }

  /**
   * Loads the AOF named by the manifest into the (emptied) keyspace, running its commands
   * through `replayer`. Returns false when there is no AOF. Throws on a malformed AOF.
   */
  loadAof(replayer: CommandReplayer): boolean {
    this.finishJob();
    this.flushAof(true);
    const m = this.#readManifest();
    if (m === null) return false;
    const io = this.#host.io;
    const c = this.#config;
    const start = this.#now();
    // Replayed writes are not changes since the last save.
    const dirty = this.#ks.dirty;
    this.feed.suspended++;
    try {
      const replay = (bytes: Uint8Array, from: number, name: string, last: boolean) => {
        const parsed = parseAofCommands(bytes, from);
        for (const argv of parsed.commands) {
          const err = replayer.run(argv);
          if (err !== null) {
            throw new AofError(`Error running command '${argv[0]}' from the AOF (${name}): ${err}`);
          }
        }
        if (parsed.truncated) {
          if (!last || !c.getBool("aof-load-truncated")) {
            throw new AofError(`Unexpected end of file reading the append only file ${name}`);
          }
          this.#host.log(
            "warning",
            `!!! Warning: short read while loading the AOF file ${name}!!! AOF loaded anyway ` +
              "because aof-load-truncated is enabled",
          );
          // Appends must not follow the partial command.
          io.truncate(this.#aofPath(name), parsed.validUpTo);
          this.#host.log("warning", `AOF ${name} truncated to ${parsed.validUpTo} bytes`);
        }
      };
      const files = [...(m.base ? [m.base] : []), ...m.incrs];
      for (let i = 0; i < files.length; i++) {
        const f = files[i]!;
        const bytes = io.read(this.#aofPath(f.name));
        if (bytes === null) {
          if (f.type === "i" && i === files.length - 1 && bytes === null) continue;
          throw new AofError(`The AOF file ${f.name} doesn't exist`);
        }
        let from = 0;
        if (bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === "REDIS") {
          const res = loadRdb(bytes, this.#ks, {
            config: c,
            checksum: c.getBool("rdbchecksum"),
            now: this.#now(),
          });
          if (res.functions.length !== 0) this.#host.functions?.restore(res.functions);
          from = res.end;
        }
        replay(bytes, from, f.name, i === files.length - 1);
      }
      replayer.end();
    } finally {
      this.feed.suspended--;
      this.#ks.dirty = dirty;
    }
    this.#manifest = m;
    this.#aofBaseSize = m.base ? io.size(this.#aofPath(m.base.name)) : 0;
    this.#aofCurrentSize = this.#aofBaseSize +
      m.incrs.reduce((n, f) => n + io.size(this.#aofPath(f.name)), 0);
    this.#host.log(
      "notice",
      `DB loaded from append only file: ${((this.#now() - start) / 1000).toFixed(3)} seconds`,
    );
    return true;
  }

  /**
   * Startup: with `appendonly yes` loads the AOF (creating it when missing) and keeps it
   * open; otherwise loads the RDB file if there is one. Throws on unreadable data.
   */
  loadAtStartup(replayer: CommandReplayer): void {
    if (this.#config.getBool("appendonly")) {
      const loaded = this.loadAof(replayer);
      this.#aofState = "on";
      if (loaded && this.#manifest.incrs.length > 0) {
        const last = this.#manifest.incrs[this.#manifest.incrs.length - 1]!;
        this.#host.io.mkdir(this.#aofDir());
        this.#aofFile = this.#host.io.append(this.#aofPath(last.name));
        this.#aofFileName = last.name;
        this.#aofEncoder.selected = -1;
        this.feed.subscribe(this.#aofListener);
      } else {
        // No AOF yet: write the base now so the manifest is complete from the start.
        this.#startRewrite();
        this.finishJob();
      }
      return;
    }
    this.loadRdbFile();
  }

  // --- Replication -----------------------------------------------------------------------

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
    if (this.#replicas.size === 0) this.feed.subscribe(this.#replListener);
    const r: Replica = { target, pending: [] };
    this.#replicas.add(r);
    // A new replica starts from a fresh SELECT, as after any full sync in Redis.
    this.#replEncoder.selected = -1;
    if (psync) target.send(`+FULLRESYNC ${this.replId} ${this.replOffset}\r\n`);
    const snap = new Snapshot(
      this.#ks,
      this.#aux(false, { db: 0, id: this.replId, offset: this.replOffset }),
      this.#snapshotOptions(),
    );
    this.#track(snap);
    const parts: Uint8Array[] = [];
    const finish = () => {
      this.#untrack(snap);
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
        this.#untrack(snap);
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

  #replFeed(data: string): void {
    this.replOffset += data.length;
    for (const r of this.#replicas) {
      if (!r.target.alive()) {
        this.#replicas.delete(r);
        continue;
      }
      if (r.pending !== null) r.pending.push(data);
      else r.target.send(data);
    }
    if (this.#replicas.size === 0) this.feed.unsubscribe(this.#replListener);
  }

  // --- Timers ----------------------------------------------------------------------------

  /** Periodic work from the server's `hz` timer: save points, fsync, replica pings. */
  cron(): void {
    const now = this.#now();
    if (this.#job === null) {
      if (this.#savePointDue(now)) {
        try {
          this.#startBgsave();
        } catch { /* logged; retried after BGSAVE_RETRY_DELAY */ }
      } else this.#startScheduled();
    }
    if (this.#aofFile !== null) {
      this.flushAof();
      if (
        this.#config.getString("appendfsync") === "everysec" && now - this.#aofLastFsync >= 1000
      ) this.#fsyncAof();
    }
    if (this.#replicas.size > 0) {
      const period = this.#config.getNumber("repl-ping-replica-period") * 1000;
      if (now - this.#lastPing >= period) {
        this.#lastPing = now;
        this.#replFeed(encodeCommand(["PING"]));
      }
    }
  }

  /**
   * Shutdown: finishes or stops background work, flushes the AOF, and saves when `save` is
   * true or (null) when save points are configured. Returns an error text when saving failed.
   */
  shutdown(save: boolean | null): string | null {
    if (this.#job !== null) this.killJob();
    if (this.#aofFile !== null) {
      this.flushAof(true);
      this.#aofFile.close();
      this.#aofFile = null;
    }
    if (save === true || (save === null && this.hasSavePoints)) {
      this.#host.log("notice", "Saving the final RDB snapshot before exiting.");
      const err = this.save();
      if (err !== null) return "Error trying to save the DB, can't exit.";
    }
    return null;
  }

  /** Stops timers and background work without saving (tests, abrupt close). */
  close(): void {
    if (this.#job !== null) this.killJob();
    this.#aofFile?.close();
    this.#aofFile = null;
  }
}

export { AofError, RdbError };
