/**
 * The write-propagation feed (Redis 7.0 semantics): every command that changed the dataset
 * is propagated, as received or in the deterministic form its handler chose (relative TTLs
 * as absolute times, INCRBYFLOAT as SET...), to the replicas and the AOF.
 *
 * Propagation happens per execution unit: the dispatcher opens a unit around each top-level
 * command ({@link Propagator.enter}/{@link Propagator.exit}); writes inside it (the command
 * itself, commands run by EXEC, keys lazily expired on the way) are collected and, when more
 * than one was collected by a command that may write, wrapped in MULTI/EXEC so replicas
 * apply them atomically. A read-only command's lazy-expiry DELs stay separate (Redis
 * 7.0.15). Writes outside any unit (active expiry) go out at once.
 *
 * Each consumer turns ops into RESP with its own {@link FeedEncoder}, which inserts SELECT
 * whenever the database changes.
 *
 * @module
 */

/** One propagated command. */
export interface FeedOp {
  /** Database it applies to. */
  db: number;
  /** Arguments (binary strings). */
  argv: string[];
}

/** Receives batches of ops (already wrapped in MULTI/EXEC when needed). */
export type FeedListener = (ops: readonly FeedOp[]) => void;

/** Collects writes per execution unit and hands them to the consumers. */
export class Propagator {
  #depth = 0;
  #pending: FeedOp[] = [];
  #listeners = new Set<FeedListener>();
  /** While positive, nothing is propagated (loading data, replaying the AOF). */
  suspended = 0;

  /** Whether anything consumes the feed (otherwise writes are not even collected). */
  get active(): boolean {
    return this.#listeners.size !== 0 && this.suspended === 0;
  }

  /** Adds a consumer. */
  subscribe(listener: FeedListener): void {
    this.#listeners.add(listener);
  }

  /** Removes a consumer. */
  unsubscribe(listener: FeedListener): void {
    this.#listeners.delete(listener);
  }

  /** Opens an execution unit (nested calls, e.g. EXEC's commands, join the outer one). */
  enter(): void {
    this.#depth++;
  }

  /**
   * Closes an execution unit; the outermost one emits what was collected, wrapped in
   * MULTI/EXEC when there are several writes and `mayWrap` (the command is not read-only).
   */
  exit(mayWrap: boolean): void {
    if (--this.#depth > 0 || this.#pending.length === 0) return;
    const ops = this.#pending;
    this.#pending = [];
    if (ops.length > 1 && mayWrap) {
      ops.unshift({ db: ops[0]!.db, argv: ["MULTI"] });
      ops.push({ db: ops[ops.length - 1]!.db, argv: ["EXEC"] });
      this.#emit(ops);
    } else {
      // Unwrapped ops go out one by one, as separate units.
      for (const op of ops) this.#emit([op]);
    }
  }

  /** Propagates `argv` for database `db` (within the current unit, if any). */
  add(db: number, argv: string[]): void {
    if (!this.active) return;
    if (this.#depth > 0) this.#pending.push({ db, argv });
    else this.#emit([{ db, argv }]);
  }

  #emit(ops: FeedOp[]): void {
    for (const l of this.#listeners) l(ops);
  }
}

/** Encodes one command as a RESP multibulk (binary string). */
export function encodeCommand(argv: readonly string[]): string {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** Turns ops into a RESP command stream, inserting SELECT when the database changes. */
export class FeedEncoder {
  /** Database the receiving side has selected (-1: unknown, the next op selects). */
  selected = -1;

  /** The RESP text for `ops` (binary string). */
  encode(ops: readonly FeedOp[]): string {
    let out = "";
    for (const op of ops) {
      if (op.db !== this.selected) {
        out += encodeCommand(["SELECT", String(op.db)]);
        this.selected = op.db;
      }
      out += encodeCommand(op.argv);
    }
    return out;
  }
}
