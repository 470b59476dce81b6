/**
 * The append-only file of a running server (the file format is src/persistence/aof.ts):
 * multi-part AOF (a base, incremental files and the manifest that names them in
 * `appenddirname`), the write feed appended to the current incremental file with the
 * `appendfsync` policies, AOF rewrites (started here, run as background jobs by
 * src/persistence/jobs.ts, installed here) and loading the AOF at startup or on demand.
 *
 * @module
 */
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
import type { DatasetImages, PersistenceHost } from "./host.ts";
import type { FileHandle } from "./io.ts";
import type { BackgroundJobs } from "./jobs.ts";
import { FeedEncoder, type FeedOp, type Propagator } from "./propagate.ts";
import { loadRdb } from "./rdb.ts";
import type { Snapshot } from "./snapshot.ts";

/** Runs the commands of an AOF being loaded (implemented by the command layer). */
export interface CommandReplayer {
  /** Runs one command; returns an error text when it failed. */
  run(argv: string[]): string | null;
  /**
   * Called once the whole AOF was replayed: an unterminated MULTI is reverted when
   * `truncatedOk` (`aof-load-truncated`), else it throws.
   */
  end(truncatedOk: boolean): void;
}

/** Failed rewrites in a row after which automatic ones are put on hold. */
const REWRITE_FAILURE_LIMIT = 3;

/** The longest hold of automatic rewrites, in minutes. */
const REWRITE_LIMIT_MAX_MINUTES = 60;

/** The state of the AOF. */
type AofState = "off" | "on" | "wait_rewrite";

/** The AOF of one server: its files, its buffer of fed writes, its rewrites. */
export class AofWriter {
  /** AOF rewrites done. */
  aofRewrites = 0;
  /** Whether the last AOF rewrite succeeded. */
  lastAofRewriteOk = true;
  /** Seconds the last AOF rewrite took, -1 before the first. */
  lastAofRewriteTimeSec = -1;
  /** Whether the last AOF write succeeded. */
  lastAofWriteOk = true;
  /** AOF rewrites failed in a row (INFO `aof_rewrites_consecutive_failures`). */
  consecutiveRewriteFailures = 0;

  readonly #host: PersistenceHost;
  readonly #images: DatasetImages;
  readonly #feed: Propagator;
  readonly #jobs: BackgroundJobs;
  #state: AofState = "off";
  #file: FileHandle | null = null;
  #fileName = "";
  #buf = "";
  #encoder = new FeedEncoder();
  #lastFsync = 0;
  #baseSize = 0;
  #currentSize = 0;
  #manifest: AofManifest = { base: null, incrs: [], history: [] };
  /** The AOF's size after the last rewrite or load (auto-aof-rewrite-percentage's base). */
  #rewriteBaseSize = 0;
  /** The current hold of automatic rewrites: its length (minutes) and end (clock ms). */
  #limitDelayMinutes = 0;
  #limitUntil = 0;
  /** Unix second of the last `#TS:` annotation written (aof-timestamp-enabled). */
  #annotated = 0;
  readonly #listener = (ops: readonly FeedOp[]) => {
    if (this.#host.config.getBool("aof-timestamp-enabled")) {
      const sec = Math.floor(this.#now() / 1000);
      if (sec > this.#annotated) {
        this.#annotated = sec;
        this.#buf += tsAnnotation(sec);
      }
    }
    this.#buf += this.#encoder.encode(ops);
  };

  /**
   * The AOF of `host`'s dataset: it subscribes to `feed` while on, makes rewrite bases from
   * `images` and runs rewrites as `jobs`.
   */
  constructor(
    host: PersistenceHost,
    images: DatasetImages,
    feed: Propagator,
    jobs: BackgroundJobs,
  ) {
    this.#host = host;
    this.#images = images;
    this.#feed = feed;
    this.#jobs = jobs;
    // Turning auto gc back on removes the history kept meanwhile.
    host.config.onChange((name) => {
      if (name === "aof-disable-auto-gc" && !host.config.getBool("aof-disable-auto-gc")) {
        this.#deleteHistory();
      }
    });
  }

  #now(): number {
    return this.#host.keyspace.clock();
  }

  /** Whether the AOF is on (or waiting for its first rewrite). */
  get enabled(): boolean {
    return this.#state !== "off";
  }

  /** AOF sizes for INFO. */
  get sizes(): { current: number; base: number; buffer: number } {
    return { current: this.#currentSize, base: this.#baseSize, buffer: this.#buf.length };
  }

  #dir(): string {
    return this.#host.config.getText("appenddirname");
  }

  #path(name: string): string {
    return `${this.#dir()}/${name}`;
  }

  #manifestName(): string {
    return `${this.#host.config.getText("appendfilename")}.manifest`;
  }

  #writeManifest(m: AofManifest): void {
    const text = formatManifest(m);
    this.#host.io.writeAtomic(this.#path(this.#manifestName()), binaryToBytes(text));
  }

  /** Reads the manifest, or null when there is none. */
  #readManifest(): AofManifest | null {
    const bytes = this.#host.io.read(this.#path(this.#manifestName()));
    if (bytes === null) return null;
    return parseManifest(new TextDecoder().decode(bytes));
  }

  /** Turns the AOF on at runtime (CONFIG SET appendonly yes): a rewrite creates the base. */
  start(): void {
    if (this.#state !== "off") return;
    this.#state = "wait_rewrite";
    if (this.#jobs.bgsaveInProgress) this.#jobs.aofRewriteScheduled = true;
    else this.startRewrite();
  }

  /** Turns the AOF off (CONFIG SET appendonly no). */
  stop(): void {
    if (this.#state === "off") return;
    this.flush(true);
    if (this.#jobs.aofRewriteInProgress) this.#jobs.killJob();
    this.#jobs.aofRewriteScheduled = false;
    if (this.#state === "wait_rewrite") this.#dropTempIncr();
    this.#feed.unsubscribe(this.#listener);
    this.#file?.close();
    this.#file = null;
    this.#state = "off";
    this.#buf = "";
  }

  /**
   * BGREWRITEAOF. Returns Redis's status text, or throws an Error whose message is the error
   * reply.
   */
  rewrite(): string {
    if (this.#jobs.aofRewriteInProgress) {
      throw new Error("ERR Background append only file rewriting already in progress");
    }
    if (this.#jobs.bgsaveInProgress) {
      this.#jobs.aofRewriteScheduled = true;
      return "Background append only file rewriting scheduled";
    }
    this.startRewrite();
    return "Background append only file rewriting started";
  }

  /** Opens a new incremental file; the feed goes there from now on. */
  #openNewIncr(): AofFileInfo {
    const io = this.#host.io;
    io.mkdir(this.#dir());
    this.flush(true);
    const seq = Math.max(0, ...this.#manifest.incrs.map((f) => f.seq)) + 1;
    const info: AofFileInfo = {
      name: `${this.#host.config.getText("appendfilename")}.${seq}.incr.aof`,
      seq,
      type: "i",
    };
    const file = io.create(this.#path(info.name));
    this.#file?.close();
    this.#file = file;
    this.#fileName = info.name;
    this.#encoder.selected = -1;
    if (this.#state === "on" || this.#state === "wait_rewrite") {
      this.#feed.subscribe(this.#listener);
    }
    return info;
  }

  /**
   * Starts an AOF rewrite now (no background job may be running): a new incremental file
   * takes the feed, and a background job writes the new base. `inline` when the caller
   * finishes the job at once (startup): no stand-in child process then.
   */
  startRewrite(inline = false): void {
    const host = this.#host;
    const io = host.io;
    const previous: AofManifest = {
      base: this.#manifest.base,
      incrs: [...this.#manifest.incrs],
      history: [...this.#manifest.history],
    };
    // The incremental file the writes go to meanwhile: a new one named by the manifest when
    // the AOF is on; a temporary one, named once the rewrite succeeds, while the AOF waits
    // for its first rewrite; none when the AOF is off.
    let incr: AofFileInfo | null = null;
    try {
      if (this.#state === "on") {
        incr = this.#openNewIncr();
        // Until the new base exists, the old files plus the new incremental one are the AOF.
        this.#manifest = { ...previous, incrs: [...previous.incrs, incr] };
        this.#writeManifest(this.#manifest);
      } else if (this.#state === "wait_rewrite") this.#openTempIncr();
    } catch (e) {
      this.lastAofRewriteOk = false;
      host.log("warning", `Can't open the append-only file: ${(e as Error).message}`);
      return;
    }
    const tmp = `temp-rewriteaof-bg-${host.pid}.aof`;
    const file = io.create(tmp);
    const textBase = !host.config.getBool("aof-use-rdb-preamble");
    let snapshot: Snapshot | null = null;
    if (textBase) {
      try {
        file.write(
          binaryToBytes(
            (host.config.getBool("aof-timestamp-enabled")
              ? tsAnnotation(Math.floor(this.#now() / 1000))
              : "") + rewriteAsCommands(host.keyspace, host.functions?.codes() ?? []),
          ),
        );
      } catch (e) {
        file.close();
        io.remove(tmp);
        this.lastAofRewriteOk = false;
        host.log("warning", `Background AOF rewrite error: ${(e as Error).message}`);
        return;
      }
    } else snapshot = this.#images.snapshot(true);
    if (!inline) host.log("notice", "Background append only file rewriting started");
    this.#jobs.run({
      kind: "aof",
      snapshot,
      file,
      tmp,
      complete: (secs) => {
        this.#installRewrite(tmp, incr, previous, textBase, inline);
        this.lastAofRewriteTimeSec = secs;
      },
      fail: (e, secs) => {
        this.lastAofRewriteOk = false;
        this.consecutiveRewriteFailures++;
        this.lastAofRewriteTimeSec = secs;
        host.log(
          "warning",
          `Background AOF rewrite error: ${e.message}`,
        );
        if (this.#state === "wait_rewrite") {
          this.#dropTempIncr();
          // The AOF is not complete yet: try again (Redis's server cron does).
          this.#jobs.aofRewriteScheduled = true;
        }
      },
    });
  }

  /**
   * Makes the rewrite's output `tmp` the new base: incremental files from `incr` on stay,
   * the files of the `previous` manifest become history (removed unless
   * `aof-disable-auto-gc`).
   */
  #installRewrite(
    tmp: string,
    incr: AofFileInfo | null,
    previous: AofManifest,
    textBase: boolean,
    inline = false,
  ): void {
    const io = this.#host.io;
    const config = this.#host.config;
    const name = config.getText("appendfilename");
    const seq = (previous.base?.seq ?? 0) + 1;
    const ext = textBase ? "aof" : "rdb";
    const base: AofFileInfo = { name: `${name}.${seq}.base.${ext}`, seq, type: "b" };
    io.rename(tmp, this.#path(base.name));
    // Incremental files opened since the rewrite started stay; older ones become history.
    let keep = incr === null ? [] : this.#manifest.incrs.filter((f) => f.seq >= incr.seq);
    if (this.#state === "wait_rewrite" && this.#file !== null) {
      // The temporary incremental file becomes the AOF's first one.
      const seq = Math.max(0, ...previous.incrs.map((f) => f.seq)) + 1;
      const info: AofFileInfo = { name: `${name}.${seq}.incr.aof`, seq, type: "i" };
      this.flush(true);
      io.rename(this.#path(this.#tempIncrName()), this.#path(info.name));
      this.#fileName = info.name;
      keep = [info];
    }
    // Newest first, as Redis lists them: the replaced incremental files, then the old base.
    const history = [
      ...previous.incrs.filter((f) => !keep.includes(f)).reverse().map((f) => ({
        ...f,
        type: "h" as const,
      })),
      ...(previous.base ? [{ ...previous.base, type: "h" as const }] : []),
      ...previous.history,
    ];
    this.#manifest = { base, incrs: keep, history };
    this.#writeManifest(this.#manifest);
    if (!config.getBool("aof-disable-auto-gc")) this.#deleteHistory();
    this.#baseSize = io.size(this.#path(base.name));
    this.#currentSize = this.#baseSize +
      (this.#fileName === "" ? 0 : io.size(this.#path(this.#fileName)));
    this.#rewriteBaseSize = this.#currentSize;
    // The base made at startup is no rewrite (INFO aof_rewrites, as in Redis).
    if (!inline) this.aofRewrites++;
    this.lastAofRewriteOk = true;
    this.consecutiveRewriteFailures = 0;
    if (this.#state === "wait_rewrite") this.#state = "on";
    if (inline) {
      // The AOF made at startup, as Redis logs it.
      this.#host.log("notice", `Creating AOF base file ${base.name} on server start`);
      for (const f of keep) {
        this.#host.log("notice", `Creating AOF incr file ${f.name} on server start`);
      }
    } else this.#host.log("notice", "Background AOF rewrite terminated with success");
  }

  /** Removes the history files and drops them from the manifest (AOF auto gc). */
  #deleteHistory(): void {
    const history = this.#manifest.history;
    if (history.length === 0) return;
    this.#manifest = { ...this.#manifest, history: [] };
    this.#writeManifest(this.#manifest);
    for (const f of history) {
      try {
        this.#host.io.remove(this.#path(f.name));
      } catch (e) {
        this.#host.log("warning", `Can't remove the AOF file ${f.name}: ${(e as Error).message}`);
      }
    }
  }

  /** The temporary incremental file of an AOF waiting for its first rewrite. */
  #tempIncrName(): string {
    return `temp-${this.#host.config.getText("appendfilename")}.incr`;
  }

  /** Opens the temporary incremental file; the feed goes there from now on. */
  #openTempIncr(): void {
    const io = this.#host.io;
    io.mkdir(this.#dir());
    const file = io.create(this.#path(this.#tempIncrName()));
    this.#file?.close();
    this.#file = file;
    this.#fileName = this.#tempIncrName();
    this.#buf = "";
    this.#encoder.selected = -1;
    this.#feed.subscribe(this.#listener);
  }

  /** Closes and removes the temporary incremental file (its rewrite failed). */
  #dropTempIncr(): void {
    if (this.#file === null) return;
    this.#feed.unsubscribe(this.#listener);
    this.#file.close();
    this.#file = null;
    this.#fileName = "";
    this.#buf = "";
    const name = this.#tempIncrName();
    this.#host.log("notice", `Removing the temp incr aof file ${name} in the background`);
    this.#host.io.remove(this.#path(name));
  }

  /** DEBUG AOF-FLUSH-SLEEP: a pause before each write of the buffer, in ms. */
  flushSleepMs = 0;

  /**
   * Writes the AOF buffer to the incremental file; fsyncs when `appendfsync always` (or
   * `force`). Called after every batch of commands, before their replies go out.
   */
  flush(force = false): void {
    const file = this.#file;
    if (file === null) return;
    const policy = this.#host.config.getString("appendfsync");
    if (this.#buf.length > 0) {
      if (this.flushSleepMs > 0) this.#host.sleep?.(this.flushSleepMs);
      const data = binaryToBytes(this.#buf);
      this.#buf = "";
      try {
        file.write(data);
        this.#currentSize += data.length;
        this.lastAofWriteOk = true;
      } catch (e) {
        this.lastAofWriteOk = false;
        this.#host.log("warning", `Error writing to the AOF file: ${(e as Error).message}`);
        return;
      }
      if (policy === "always" || force) this.#fsync();
    } else if (force) this.#fsync();
  }

  #fsync(): void {
    try {
      this.#file?.sync();
    } catch (e) {
      this.#host.log("warning", `Can't fsync the AOF: ${(e as Error).message}`);
    }
    this.#lastFsync = this.#now();
  }

  /** The AOF part of the server cron: flushes the buffer, fsyncs with `appendfsync everysec`. */
  cron(now: number): void {
    if (this.#file === null) return;
    this.flush();
    if (
      this.#host.config.getString("appendfsync") === "everysec" && now - this.#lastFsync >= 1000
    ) this.#fsync();
    this.#autoRewrite(now);
  }

  /**
   * Starts a rewrite when the AOF grew by `auto-aof-rewrite-percentage` since the last one
   * (and is over `auto-aof-rewrite-min-size`), unless repeated failures put it on hold.
   */
  #autoRewrite(now: number): void {
    const c = this.#host.config;
    const perc = c.getNumber("auto-aof-rewrite-percentage");
    if (
      this.#state !== "on" || perc <= 0 || this.#jobs.bgsaveInProgress ||
      this.#jobs.aofRewriteInProgress ||
      this.#currentSize <= c.getNumber("auto-aof-rewrite-min-size")
    ) return;
    const base = this.#rewriteBaseSize > 0 ? this.#rewriteBaseSize : 1;
    const growth = Math.floor(this.#currentSize * 100 / base) - 100;
    if (growth < perc || this.#rewriteLimited(now)) return;
    this.#host.log("notice", `Starting automatic rewriting of AOF on ${growth}% growth`);
    this.startRewrite();
  }

  /**
   * Whether automatic rewrites are on hold after {@link REWRITE_FAILURE_LIMIT} failures in a
   * row: for a minute, then twice as long each time, up to an hour (Redis's limit).
   */
  #rewriteLimited(now: number): boolean {
    if (this.consecutiveRewriteFailures < REWRITE_FAILURE_LIMIT) {
      this.#limitDelayMinutes = 0;
      this.#limitUntil = 0;
      return false;
    }
    if (this.#limitUntil !== 0) {
      if (now < this.#limitUntil) return true;
      this.#limitUntil = 0;
      return false;
    }
    this.#limitDelayMinutes = Math.min(
      this.#limitDelayMinutes === 0 ? 1 : this.#limitDelayMinutes * 2,
      REWRITE_LIMIT_MAX_MINUTES,
    );
    this.#limitUntil = now + this.#limitDelayMinutes * 60_000;
    this.#host.log(
      "warning",
      "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in " +
        `${this.#limitDelayMinutes} minutes`,
    );
    return true;
  }

  /**
   * Moves an AOF of the single-file layout (Redis < 7: `appendfilename` in `dir`) into the
   * AOF directory as the base of a new manifest, as Redis 7.0 does at startup when the
   * directory or its manifest is missing, or when the manifest names only that base and it
   * is not in the directory yet (an upgrade interrupted before the file was moved). Returns
   * the manifest to load.
   */
  #upgrade(m: AofManifest | null): AofManifest | null {
    const io = this.#host.io;
    const name = this.#host.config.getText("appendfilename");
    if (!io.exists(name)) return m;
    const needed = !io.exists(this.#dir()) || m === null ||
      (m.base !== null && m.incrs.length === 0 && m.base.name === name &&
        !io.exists(this.#path(name)));
    if (!needed) return m;
    io.mkdir(this.#dir());
    const up: AofManifest = m ?? { base: null, incrs: [], history: [] };
    if (up.base === null) up.base = { name, seq: 1, type: "b" };
    // The manifest first: once it names the base, a restart finishes an interrupted move.
    this.#writeManifest(up);
    io.rename(name, this.#path(name));
    this.#host.log(
      "notice",
      `Successfully migrated an old-style AOF file (${name}) into the AOF directory ` +
        `(${this.#dir()}).`,
    );
    return up;
  }

  /**
   * Loads the AOF named by the manifest into the (emptied) keyspace, running its commands
   * through `replayer`. Returns false when there is no AOF. Throws on a malformed AOF.
   */
  load(replayer: CommandReplayer): boolean {
    // A background job goes on: its snapshot holds copies of the dataset's maps, which the
    // emptied and reloaded databases replace rather than change.
    this.flush(true);
    const m = this.#readManifest();
    if (m === null) return false;
    this.#loadFiles(m, replayer);
    return true;
  }

  /** Loads the files of manifest `m` (see {@link load}). */
  #loadFiles(m: AofManifest, replayer: CommandReplayer): void {
    const host = this.#host;
    const io = host.io;
    const c = host.config;
    const ks = host.keyspace;
    const files = [...(m.base ? [m.base] : []), ...m.incrs];
    // Like Redis, every file must be there before anything loads.
    for (const f of files) {
      if (!io.exists(this.#path(f.name))) {
        const line =
          `Unable to obtain the AOF file ${f.name} length. stat: No such file or directory`;
        throw new AofError(line, { report: [line] });
      }
    }
    const start = this.#now();
    // Replayed writes are not changes since the last save, nor writes of the running command
    // (DEBUG LOADAOF must not be propagated).
    const dirty = ks.dirty;
    const writes = ks.writes;
    this.#feed.suspended++;
    // Nothing expires while the AOF replays (a PEXPIREAT in the past sets the TTL, later
    // commands still see the key): keys are reclaimed once loading is over, as in Redis.
    ks.loading = true;
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
          host.log(
            "warning",
            `!!! Warning: short read while loading the AOF file ${name}!!! AOF loaded anyway ` +
              "because aof-load-truncated is enabled",
          );
          // Appends must not follow the partial command.
          io.truncate(this.#path(name), parsed.validUpTo);
          host.log("warning", `AOF ${name} truncated to ${parsed.validUpTo} bytes`);
        }
      };
      for (let i = 0; i < files.length; i++) {
        const f = files[i]!;
        const fileStart = this.#now();
        const bytes = io.read(this.#path(f.name));
        if (bytes === null) {
          const line =
            `Unable to obtain the AOF file ${f.name} length. stat: No such file or directory`;
          throw new AofError(line, { report: [line] });
        }
        let from = 0;
        if (bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === "REDIS") {
          const res = loadRdb(bytes, ks, {
            config: c,
            checksum: c.getBool("rdbchecksum"),
            now: this.#now(),
          });
          if (res.functions.length !== 0) host.functions?.restore(res.functions, true);
          from = res.end;
        }
        replay(bytes, from, f.name, i === files.length - 1);
        host.log(
          "notice",
          `DB loaded from ${f.type === "b" ? "base" : "incr"} file ${f.name}: ` +
            `${((this.#now() - fileStart) / 1000).toFixed(3)} seconds`,
        );
      }
      replayer.end(c.getBool("aof-load-truncated"));
    } finally {
      ks.loading = false;
      this.#feed.suspended--;
      ks.dirty = dirty;
      ks.writes = writes;
    }
    this.#manifest = m;
    this.#baseSize = m.base ? io.size(this.#path(m.base.name)) : 0;
    this.#currentSize = this.#baseSize +
      m.incrs.reduce((n, f) => n + io.size(this.#path(f.name)), 0);
    this.#rewriteBaseSize = this.#currentSize;
    host.log(
      "notice",
      `DB loaded from append only file: ${((this.#now() - start) / 1000).toFixed(3)} seconds`,
    );
  }

  /**
   * Startup with `appendonly yes`: upgrades a single-file AOF of an older version, loads the
   * AOF and keeps its last incremental file open (a new one when the manifest has none),
   * or, when there is no AOF yet, creates it with a base of the current dataset.
   */
  loadAtStartup(replayer: CommandReplayer): void {
    this.#jobs.finishJob();
    const m = this.#upgrade(this.#readManifest());
    if (m !== null) this.#loadFiles(m, replayer);
    this.#state = "on";
    const io = this.#host.io;
    if (m !== null && this.#manifest.incrs.length > 0) {
      const last = this.#manifest.incrs[this.#manifest.incrs.length - 1]!;
      io.mkdir(this.#dir());
      this.#file = io.append(this.#path(last.name));
      this.#fileName = last.name;
      this.#encoder.selected = -1;
      this.#feed.subscribe(this.#listener);
    } else if (m !== null) {
      // A base alone: the writes go to a new incremental file.
      const incr = this.#openNewIncr();
      this.#manifest = { ...this.#manifest, incrs: [incr] };
      this.#writeManifest(this.#manifest);
      this.#host.log("notice", `Creating AOF incr file ${incr.name} on server start`);
    } else {
      // No AOF yet: write the base now so the manifest is complete from the start.
      this.startRewrite(true);
      this.#jobs.finishJob();
    }
  }

  /** Closes the incremental file; `flush` first writes and fsyncs the buffer. */
  close(flush: boolean): void {
    if (this.#file === null) return;
    if (flush) this.flush(true);
    this.#file.close();
    this.#file = null;
  }
}

/** An AOF timestamp annotation (`#TS:<unix seconds>`), as Redis 7 writes them. */
function tsAnnotation(sec: number): string {
  return `#TS:${sec}\r\n`;
}
