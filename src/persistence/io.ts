/**
 * What persistence needs from the platform: synchronous operations on files of the data
 * directory, by name relative to it, and (optionally) a process standing in for the child
 * Redis forks for a background job. `src/server/files.ts` implements it with Deno; tests
 * can use an in-memory one.
 *
 * @module
 */

/** An open file. */
export interface FileHandle {
  /** Writes all of `data` at the current position. */
  write(data: Uint8Array): void;
  /** Flushes to stable storage (fsync). */
  sync(): void;
  /** Closes the file. */
  close(): void;
}

/** File operations on the data directory. Errors are thrown as the platform reports them. */
export interface PersistenceIO {
  /** A file's contents, or null when it does not exist. */
  read(name: string): Uint8Array | null;
  /** Replaces a file atomically: a temporary file, fsync, rename. */
  writeAtomic(name: string, data: Uint8Array): void;
  /** Creates (or truncates) a file for writing. */
  create(name: string): FileHandle;
  /** Opens a file for appending, creating it if needed. */
  append(name: string): FileHandle;
  /** Renames a file. */
  rename(from: string, to: string): void;
  /** Removes a file if it exists. */
  remove(name: string): void;
  /** Whether a file exists. */
  exists(name: string): boolean;
  /** A file's size in bytes (0 when missing). */
  size(name: string): number;
  /** Creates a directory (and its parents). */
  mkdir(name: string): void;
  /** Cuts a file down to `size` bytes. */
  truncate(name: string, size: number): void;
}

/** An in-memory {@link PersistenceIO} (tests). */
export class MemoryIO implements PersistenceIO {
  /** File contents by name. */
  readonly files = new Map<string, Uint8Array>();

  read(name: string): Uint8Array | null {
    return this.files.get(name)?.slice() ?? null;
  }
  writeAtomic(name: string, data: Uint8Array): void {
    this.files.set(name, data.slice());
  }
  create(name: string): FileHandle {
    this.files.set(name, new Uint8Array(0));
    return this.append(name);
  }
  append(name: string): FileHandle {
    if (!this.files.has(name)) this.files.set(name, new Uint8Array(0));
    return {
      write: (data) => {
        const old = this.files.get(name) ?? new Uint8Array(0);
        const next = new Uint8Array(old.length + data.length);
        next.set(old);
        next.set(data, old.length);
        this.files.set(name, next);
      },
      sync: () => {},
      close: () => {},
    };
  }
  rename(from: string, to: string): void {
    const d = this.files.get(from);
    if (d === undefined) throw new Error(`No such file: ${from}`);
    this.files.delete(from);
    this.files.set(to, d);
  }
  remove(name: string): void {
    this.files.delete(name);
  }
  exists(name: string): boolean {
    return this.files.has(name);
  }
  size(name: string): number {
    return this.files.get(name)?.length ?? 0;
  }
  mkdir(_name: string): void {}
  truncate(name: string, size: number): void {
    const d = this.files.get(name);
    if (d !== undefined) this.files.set(name, d.slice(0, size));
  }
}
