/**
 * What persistence needs from the server ({@link PersistenceHost}), and
 * {@link DatasetImages}: the one place the parts of persistence (background jobs, the AOF,
 * replication) make RDB images and snapshots of the dataset from, which also keeps the
 * keyspace's write barrier set while any snapshot runs.
 *
 * @module
 */
import type { Config } from "../config/config.ts";
import { REDIS_VERSION } from "../config/version.ts";
import type { Db, Keyspace } from "../store/keyspace.ts";
import type { PersistenceIO } from "./io.ts";
import { type AuxInfo, encodeOptions, encodeRdb } from "./rdb.ts";
import { Snapshot, type SnapshotOptions } from "./snapshot.ts";

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
  /** Blocks the process for `ms` ms (DEBUG AOF-FLUSH-SLEEP). */
  sleep?(ms: number): void;
}

/** The function libraries as persistence sees them: their code. */
export interface FunctionLibraries {
  /** The code of every library (`#!lua name=...` first line included). */
  codes(): string[];
  /**
   * Loads libraries read from a file; throws on bad code, and on a library that exists
   * already unless `replace` (DEBUG RELOAD MERGE, AOF loads).
   */
  restore(codes: string[], replace: boolean): void;
}

/**
 * Makes RDB images (synchronous) and {@link Snapshot}s (incremental) of the host's dataset,
 * with the AUX fields and encoding options of the current configuration, and routes the
 * keyspace's write barrier to the snapshots being tracked.
 */
export class DatasetImages {
  readonly #host: PersistenceHost;
  readonly #snapshots = new Set<Snapshot>();

  /** Images of `host`'s keyspace. */
  constructor(host: PersistenceHost) {
    this.#host = host;
  }

  #options(): SnapshotOptions {
    const c = this.#host.config;
    return {
      ...encodeOptions(c),
      checksum: c.getBool("rdbchecksum"),
      policy: c.getString("maxmemory-policy"),
    };
  }

  #aux(aofBase: boolean, repl: AuxInfo["repl"]): AuxInfo {
    return {
      redisVersion: REDIS_VERSION,
      ctime: Math.floor(this.#host.keyspace.clock() / 1000),
      usedMem: this.#host.usedMemory(),
      aofBase,
      repl,
      functions: this.#host.functions?.codes() ?? [],
    };
  }

  /** A complete RDB image of the current dataset, made synchronously. */
  image(aofBase = false): Uint8Array {
    return encodeRdb(this.#host.keyspace, this.#aux(aofBase, null), this.#options());
  }

  /**
   * A snapshot of the current dataset, to serialize in slices (not tracked yet: see
   * {@link track}). `aofBase` marks an AOF base; `repl` adds a replica's AUX fields.
   */
  snapshot(aofBase: boolean, repl: AuxInfo["repl"] = null): Snapshot {
    return new Snapshot(this.#host.keyspace, this.#aux(aofBase, repl), this.#options());
  }

  /** Puts `s` behind the write barrier: writes to keys it has not saved yet save them first. */
  track(s: Snapshot): void {
    this.#snapshots.add(s);
    this.#host.keyspace.writeBarrier = (db: Db, key: string) => {
      for (const snap of this.#snapshots) snap.beforeWrite(db, key);
    };
  }

  /** Takes `s` from behind the write barrier (removed when no snapshot is left). */
  untrack(s: Snapshot): void {
    this.#snapshots.delete(s);
    if (this.#snapshots.size === 0) this.#host.keyspace.writeBarrier = null;
  }
}
