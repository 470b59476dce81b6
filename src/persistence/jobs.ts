/**
 * Background jobs and RDB saves: SAVE, BGSAVE (with its scheduling and the save points of
 * the server cron) and the running of every background job, BGSAVE or AOF rewrite.
 *
 * A job is a {@link Snapshot} serialized into a temporary file in slices from timers,
 * standing in for Redis's forked child. Like Redis, at most one BGSAVE or AOF rewrite runs at
 * a time: the other one is scheduled and starts when the running one ends. What a finished
 * AOF rewrite installs is up to the AOF (src/persistence/aof_writer.ts), through the job's
 * {@link Job.complete} and {@link Job.fail}.
 *
 * @module
 */
import type { FileHandle } from "./io.ts";
import type { DatasetImages, PersistenceHost } from "./host.ts";
import type { Snapshot } from "./snapshot.ts";

/** Seconds before a failed automatic BGSAVE is retried (Redis's CONFIG_BGSAVE_RETRY_DELAY). */
const BGSAVE_RETRY_DELAY = 5;

/** A BGSAVE or AOF rewrite in progress. */
export interface Job {
  /** Which kind of job: a BGSAVE or an AOF rewrite. */
  kind: "rdb" | "aof";
  /** The snapshot written in slices; null when the output was written at the start. */
  snapshot: Snapshot | null;
  /** The temporary file the output goes to. */
  file: FileHandle;
  /** The temporary file's name (removed when the job fails or is killed). */
  tmp: string;
  /** When the job started (keyspace clock, ms). */
  started: number;
  /** Cancels the scheduled slice. */
  timer: (() => void) | undefined;
  /**
   * Installs the output, once the file is synced and closed and the job no longer runs;
   * `secs` is how long it took. A throw fails the job.
   */
  complete(secs: number): void;
  /** Records the failure, once the output is discarded; `secs` is how long the job ran. */
  fail(e: Error, secs: number): void;
}

/** A job to start: its start time and timer are set when it starts. */
export type JobStart = Omit<Job, "started" | "timer">;

/** SAVE, BGSAVE and the background job that runs (at most one). */
export class BackgroundJobs {
  /** Unix time (s) of the last successful save. */
  lastSave: number;
  /** Saves done (SAVE and BGSAVE). */
  rdbSaves = 0;
  /** Whether the last BGSAVE succeeded. */
  lastBgsaveOk = true;
  /** Seconds the last BGSAVE took, -1 before the first. */
  lastBgsaveTimeSec = -1;
  /** A BGSAVE waits for the running AOF rewrite. */
  bgsaveScheduled = false;
  /** An AOF rewrite waits for the running BGSAVE. */
  aofRewriteScheduled = false;
  /** Background jobs started (INFO `total_forks`: each stands for a fork in Redis). */
  totalForks = 0;

  readonly #host: PersistenceHost;
  readonly #images: DatasetImages;
  readonly #startRewrite: () => void;
  #job: Job | null = null;
  #lastBgsaveTry = 0;

  /**
   * Jobs over `host`'s dataset, snapshotted by `images`; `startRewrite` starts an AOF
   * rewrite (a scheduled one, once the running BGSAVE is done).
   */
  constructor(host: PersistenceHost, images: DatasetImages, startRewrite: () => void) {
    this.#host = host;
    this.#images = images;
    this.#startRewrite = startRewrite;
    this.lastSave = Math.floor(host.keyspace.clock() / 1000);
  }

  #now(): number {
    return this.#host.keyspace.clock();
  }

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
    const ks = this.#host.keyspace;
    try {
      this.#host.io.writeAtomic(this.#host.config.getText("dbfilename"), this.#images.image());
    } catch (e) {
      this.#host.log("warning", `Failed saving the DB: ${(e as Error).message}`);
      return "ERR";
    }
    ks.dirty = 0;
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
    const host = this.#host;
    const ks = host.keyspace;
    const tmp = `temp-${host.pid}.rdb`;
    let file: FileHandle;
    try {
      file = host.io.create(tmp);
    } catch (e) {
      this.lastBgsaveOk = false;
      host.log("warning", `Failed opening the temp RDB file ${tmp}: ${(e as Error).message}`);
      throw new Error("ERR Background save failed");
    }
    const snapshot = this.#images.snapshot(false);
    const dirtyAtStart = ks.dirty;
    host.log("notice", "Background saving started");
    this.run({
      kind: "rdb",
      snapshot,
      file,
      tmp,
      complete: (secs) => {
        host.io.rename(tmp, host.config.getText("dbfilename"));
        ks.dirty = Math.max(0, ks.dirty - dirtyAtStart);
        this.lastSave = Math.floor(this.#now() / 1000);
        this.lastBgsaveOk = true;
        this.lastBgsaveTimeSec = secs;
        this.rdbSaves++;
        host.log("notice", "Background saving terminated with success");
      },
      fail: (e, secs) => {
        this.lastBgsaveOk = false;
        this.lastBgsaveTimeSec = secs;
        host.log(
          "warning",
          `Background saving error: ${e.message}`,
        );
      },
    });
  }

  /** Starts a job (no other may be running), from now: its snapshot goes out in slices from timers. */
  run(start: JobStart): void {
    const job: Job = { ...start, started: this.#now(), timer: undefined };
    this.#job = job;
    this.totalForks++;
    if (job.snapshot !== null) this.#images.track(job.snapshot);
    const tick = () => {
      job.timer = undefined;
      if (this.#job !== job) return;
      const delayUs = this.#host.config.getNumber("rdb-key-save-delay");
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
    if (job.snapshot !== null) this.#images.untrack(job.snapshot);
    job.file.close();
    try {
      this.#host.io.remove(job.tmp);
    } catch { /* already moved or gone */ }
    if (this.#job === job) this.#job = null;
  }

  #failJob(job: Job, e: Error): void {
    this.#endJob(job);
    job.fail(e, Math.floor((this.#now() - job.started) / 1000));
    this.#startScheduled();
  }

  #completeJob(job: Job): void {
    job.file.sync();
    job.file.close();
    if (job.snapshot !== null) this.#images.untrack(job.snapshot);
    const secs = Math.floor((this.#now() - job.started) / 1000);
    this.#job = null;
    job.complete(secs);
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

  /** The jobs part of the server cron: a BGSAVE when save points are due, or a scheduled job. */
  cron(now: number): void {
    if (this.#job !== null) return;
    if (this.#savePointDue(now)) {
      try {
        this.#startBgsave();
      } catch { /* logged; retried after BGSAVE_RETRY_DELAY */ }
    } else this.#startScheduled();
  }

  /** Whether save points call for a BGSAVE now (Redis's serverCron check). */
  #savePointDue(now: number): boolean {
    const params = this.#host.config.getText("save");
    if (params === "") return false;
    const p = params.split(" ");
    const dirty = this.#host.keyspace.dirty;
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
    return this.#host.config.getText("save") !== "";
  }
}
