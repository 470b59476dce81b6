/**
 * The data directory as the persistence layer sees it: synchronous file operations on names
 * relative to `dir` (read at every call, so CONFIG SET dir takes effect at once). This is the
 * only place persistence touches `Deno.*`.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { FileHandle, PersistenceIO } from "../persistence/io.ts";

/** {@link PersistenceIO} on the local file system. */
export class DataDir implements PersistenceIO {
  /** Files under the directory `dir()` returns. */
  constructor(readonly dir: () => string) {}

  #path(name: string): string {
    return join(this.dir(), name);
  }

  read(name: string): Uint8Array | null {
    try {
      return Deno.readFileSync(this.#path(name));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return null;
      throw e;
    }
  }

  writeAtomic(name: string, data: Uint8Array): void {
    const path = this.#path(name);
    const tmp = join(dirname(path), `temp-${Deno.pid}-${Date.now()}.tmp`);
    const f = Deno.openSync(tmp, { write: true, create: true, truncate: true });
    try {
      let off = 0;
      while (off < data.length) off += f.writeSync(data.subarray(off));
      f.syncSync();
    } catch (e) {
      f.close();
      try {
        Deno.removeSync(tmp);
      } catch { /* gone */ }
      throw e;
    }
    f.close();
    Deno.renameSync(tmp, path);
  }

  create(name: string): FileHandle {
    return handle(Deno.openSync(this.#path(name), { write: true, create: true, truncate: true }));
  }

  append(name: string): FileHandle {
    return handle(Deno.openSync(this.#path(name), { append: true, create: true }));
  }

  rename(from: string, to: string): void {
    Deno.renameSync(this.#path(from), this.#path(to));
  }

  remove(name: string): void {
    try {
      Deno.removeSync(this.#path(name));
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }

  exists(name: string): boolean {
    try {
      Deno.statSync(this.#path(name));
      return true;
    } catch {
      return false;
    }
  }

  size(name: string): number {
    try {
      return Deno.statSync(this.#path(name)).size;
    } catch {
      return 0;
    }
  }

  mkdir(name: string): void {
    Deno.mkdirSync(this.#path(name), { recursive: true });
  }

  truncate(name: string, size: number): void {
    Deno.truncateSync(this.#path(name), size);
  }
}

function handle(f: Deno.FsFile): FileHandle {
  return {
    write(data) {
      let off = 0;
      while (off < data.length) off += f.writeSync(data.subarray(off));
    },
    sync() {
      f.syncSync();
    },
    close() {
      try {
        f.close();
      } catch { /* closed */ }
    },
  };
}
