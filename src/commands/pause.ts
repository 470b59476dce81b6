/**
 * CLIENT PAUSE / CLIENT UNPAUSE (Redis 7.0): while a pause is in effect, the commands it
 * covers (all of them, or with WRITE only those that may write or replicate) are held: the
 * client is blocked with the command kept aside, and its further input waits in its buffer.
 * When the pause ends (timeout or CLIENT UNPAUSE) the held clients are resumed in the order
 * they were held and run the command first. Keys do not expire (neither lazily nor actively)
 * while a pause is in effect: they only read as missing.
 *
 * @module
 */
import type { BlockedState, Client, ServerContext } from "./context.ts";
import { ReplyError } from "./spec.ts";
import type { Command } from "./table.ts";
import { parseShebang } from "./scripting.ts";
import { parseInteger } from "../resp/numbers.ts";

/** No pause, a WRITE pause, an ALL pause (stronger wins when pauses overlap). */
export type PauseType = 0 | 1 | 2;

/** Largest value of a C `long long`, for the end time of a pause. */
const LLONG_MAX = 9223372036854775807;

/** The server's pause and the clients it holds. */
export class PauseState {
  /** The pause in effect (0: none). */
  type: PauseType = 0;
  /** When it ends (ms since the epoch). */
  end = 0;
  /** Clients held, in the order they were. */
  readonly held: Client[] = [];
  #stopTimer: (() => void) | null = null;

  constructor(readonly server: ServerContext) {}

  /** Starts (or extends, or strengthens) a pause until `end` ms. */
  pause(type: 1 | 2, end: number): void {
    if (type > this.type) this.type = type;
    if (end > this.end) this.end = end;
    this.server.keyspace.expiryPaused = true;
    this.#arm();
  }

  #arm(): void {
    this.#stopTimer?.();
    const ms = Math.max(0, Math.min(this.end - this.server.keyspace.clock(), 2 ** 31 - 1));
    this.#stopTimer = this.server.platform.timer(ms, () => {
      this.#stopTimer = null;
      if (this.server.keyspace.clock() >= this.end) this.unpause();
      else this.#arm();
    });
  }

  /** Ends the pause and resumes every held client. */
  unpause(): void {
    this.type = 0;
    this.end = 0;
    this.#stopTimer?.();
    this.#stopTimer = null;
    this.server.keyspace.expiryPaused = false;
    const held = this.held.splice(0);
    for (const c of held) {
      c.blocked = null;
      c.resume();
    }
  }

  /**
   * Whether `cmd` from `c` must wait for the pause to end (Redis's processCommand check);
   * if so, holds `c` with `argv`. Replicas are never paused.
   */
  holds(c: Client, cmd: Command, argv: string[]): boolean {
    if (c.replica) return false;
    if (this.type === 1 && !mayWrite(c, cmd, argv)) return false;
    if (this.end <= c.server.keyspace.now) {
      // The timer has not fired yet, but the pause is over.
      this.unpause();
      return false;
    }
    c.postponed = argv;
    const held = this.held;
    const state: BlockedState = {
      db: c.db.id,
      keys: [],
      cancel() {
        const i = held.indexOf(c);
        if (i >= 0) held.splice(i, 1);
        c.postponed = null;
        if (c.blocked === state) c.blocked = null;
      },
    };
    c.blocked = state;
    held.push(c);
    return true;
  }
}

/**
 * Whether running `cmd` may write or replicate (what a WRITE pause holds): write commands,
 * `may_replicate` ones unless a script declared `no-writes`, and EXEC of a transaction
 * holding any of those.
 */
function mayWrite(c: Client, cmd: Command, argv: string[]): boolean {
  if (cmd.isWrite) return true;
  const name = cmd.fullName;
  if (name === "exec") {
    const q = c.multi?.queue ?? [];
    return q.some((e) => mayWrite(c, e.cmd, e.argv));
  }
  // `may_replicate` commands; scripts declared `no-writes` are exempt.
  if (!cmd.mayReplicate) return false;
  const server = c.server;
  switch (name) {
    case "eval":
      return !parseShebang(argv[1] ?? "").flags.noWrites;
    case "evalsha": {
      const script = server.scripting?.scripts.get((argv[1] ?? "").toLowerCase());
      return script === undefined || !script.flags.noWrites;
    }
    case "fcall": {
      const f = server.functions?.functions.get((argv[1] ?? "").toLowerCase());
      return f === undefined || !f.flags.includes("no-writes");
    }
    default:
      return true;
  }
}

/** CLIENT PAUSE timeout [WRITE|ALL]. */
export function clientPause(c: Client, argv: string[]): void {
  const t = parseInteger(argv[2]!);
  if (t === null) throw new ReplyError("ERR timeout is not an integer or out of range");
  if (t < 0n) throw new ReplyError("ERR timeout is negative");
  let type: 1 | 2 = 2;
  if (argv.length === 4) {
    const mode = argv[3]!.toLowerCase();
    if (mode === "write") type = 1;
    else if (mode !== "all") throw new ReplyError("ERR CLIENT PAUSE mode must be WRITE or ALL");
  } else if (argv.length > 4) {
    throw new ReplyError(
      "ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.",
    );
  }
  // Redis adds the timeout to the time in a C long long: past its range the end wraps into
  // the past, so the pause is over at once.
  const now = c.server.keyspace.now;
  const end = Number(t) + now > LLONG_MAX ? 0 : Number(t) + now;
  c.server.pause.pause(type, end);
  c.w.ok();
}

/** CLIENT UNPAUSE. */
export function clientUnpause(c: Client): void {
  c.server.pause.unpause();
  c.w.ok();
}
