/**
 * Long-running scripts (Redis's "busy script" state). A script runs atomically: no other
 * client's command runs before it ends. Like Redis, once it has run longer than
 * `busy-reply-threshold` the server serves the network again while it runs — other clients
 * get `-BUSY` for anything but SCRIPT KILL / FUNCTION KILL / FUNCTION STATS / SHUTDOWN
 * NOSAVE (and the connection commands flagged `allow_busy`), so a runaway script can be
 * killed.
 *
 * cedis has one thread and no way to serve sockets from inside running JavaScript, so a
 * script is compiled in the engine's preemptible form (generator functions, see
 * `LuaState.start`): past the threshold the Lua hook asks it to pause at its next hook point,
 * the command returns with the caller parked (like a blocked client), and the script
 * continues in timer slices, between which the event loop runs. The script's writes stay in
 * one execution unit across slices (propagated together, MULTI/EXEC-wrapped, when it ends),
 * and the engine's timer work (active expiry, saves) waits until it is over, so the dataset
 * changes only through the script meanwhile, as in Redis.
 *
 * @module
 */
import { type LuaError, type LuaFunction, LuaState, type LuaValue, rt } from "../lua/mod.ts";
import type { BlockedState, Client, ServerContext } from "./context.ts";
import { errorPosition, type ScriptRun, withScript } from "./lua_bridge.ts";
import type { Command } from "./table.ts";
import { ReplyError } from "./spec.ts";

/** How a script run ended. */
export type ScriptResult =
  | { ok: true; values: LuaValue[] }
  | { ok: false; error: LuaError; where: string | null }
  | { ok: false; killed: true; where: string | null };

/** Steps between two checks of the clock by the hook. */
const HOOK_STEPS = 1000;
/** Once busy, how long a slice runs before the event loop gets a turn (ms). */
const SLICE_MS = 50;

/** The script running past `busy-reply-threshold`, while it runs. */
export interface BusyScript {
  /** The client that called it (parked until it ends). */
  readonly caller: Client;
  /** EVAL (true) or FCALL (false): which KILL command and BUSY text apply. */
  readonly isEval: boolean;
  /** Script (SHA1) or function name. */
  readonly name: string;
  /** The EVAL/FCALL command line (FUNCTION STATS). */
  readonly argv: readonly string[];
  /** Start time (ms). */
  readonly start: number;
  /** Its redis.call state (whether it wrote). */
  readonly script: ScriptRun;
  /** SCRIPT KILL / FUNCTION KILL asked to stop it. */
  killed: boolean;
}

const BUSY_EVAL =
  "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
const BUSY_FUNCTION =
  "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

/**
 * The error `c` gets for `cmd` while a script is busy, or null when it may run: the caller
 * itself never gets here (it is parked), and only `allow_busy` commands pass, the KILL and
 * STATS ones only for their own kind of script.
 */
export function busyRejection(server: ServerContext, cmd: Command, argv: string[]): string | null {
  const busy = server.busyScript;
  if (busy === undefined || busy === null) return null;
  const text = busy.isEval ? BUSY_EVAL : BUSY_FUNCTION;
  if (!cmd.allowBusy) return text;
  const name = cmd.fullName;
  if (name === "script|kill") return busy.isEval ? null : text;
  if (name === "function|kill" || name === "function|stats") return busy.isEval ? text : null;
  if (name === "shutdown") {
    return argv.some((a) => a.toLowerCase() === "nosave") ? null : text;
  }
  return null;
}

/**
 * SCRIPT KILL / FUNCTION KILL: the reply for a kill of the busy script of kind `isEval`
 * (null: killed, `+OK`).
 */
export function killBusyScript(server: ServerContext, isEval: boolean): string | null {
  const busy = server.busyScript;
  if (busy === undefined || busy === null) return "NOTBUSY No scripts in execution right now.";
  if (busy.isEval !== isEval) return isEval ? BUSY_FUNCTION : BUSY_EVAL;
  if (busy.script.wrote) {
    return "UNKILLABLE Sorry the script already executed write commands against the dataset. " +
      "You can either wait the script termination or kill the server in a hard way using the " +
      "SHUTDOWN NOSAVE command.";
  }
  busy.killed = true;
  return null;
}

/** The handler of SCRIPT KILL (`isEval`) or FUNCTION KILL. */
export function killCommand(isEval: boolean): (c: Client) => void {
  return (c) => {
    const err = killBusyScript(c.server, isEval);
    if (err !== null) throw new ReplyError(err);
    c.w.ok();
  };
}

/** The error a killed script's caller gets (Redis words it the same for functions). */
export const KILLED_ERROR = "ERR Script killed by user with SCRIPT KILL...";

/**
 * Runs `fn(...args)` as the script `script` for `c`. `done` gets the result: at once, or —
 * for a script that outlives `busy-reply-threshold` — after the server went busy, served
 * other clients' BUSY replies and KILLs between slices, and resumed it. Scripts inside EXEC
 * (`c.inExec`) and scripts replayed from the AOF always run to completion at once.
 */
export function runScriptFunction(
  c: Client,
  L: LuaState,
  fn: LuaFunction,
  args: LuaValue[],
  script: ScriptRun,
  about: { isEval: boolean; name: string; argv: readonly string[] },
  done: (r: ScriptResult) => void,
): void {
  const server = c.server;
  const ks = server.keyspace;
  const threshold = server.config.getNumber("busy-reply-threshold");
  const run = L.start(fn, args);
  let where: string | null = null;
  run.onError = (e, base) => {
    where = errorPosition(e as LuaError, base);
  };
  // Only a top-level command may pause: EXEC must stay atomic, and a replayed AOF has no
  // clients to serve.
  const preemptible = !c.inExec && c.fd >= 0 && threshold > 0;
  let sliceStart = ks.clock();
  let busy: BusyScript | null = null;
  L.setHook(() => {
    if (!preemptible) return;
    const now = ks.clock();
    if (now - script.start >= threshold && now - sliceStart >= (busy === null ? 0 : SLICE_MS)) {
      LuaState.requestPreempt();
    }
  }, HOOK_STEPS);

  const step = (): ScriptResult | null => {
    try {
      return withScript(script, () => run.step()) ? { ok: true, values: run.values } : null;
    } catch (e) {
      if (e instanceof Error && e.name === "LuaError") {
        return { ok: false, error: e as LuaError, where };
      }
      throw e;
    }
  };

  const finish = (r: ScriptResult): void => {
    L.setHook(undefined, 0);
    if (busy !== null) {
      server.busyScript = null;
      // The unit kept open across slices: the script's writes go out together now.
      server.persistence.feed.exit(true);
      c.blocked = null;
      done(r);
      c.resume();
    } else done(r);
  };

  const first = step();
  if (first !== null) {
    finish(first);
    return;
  }
  // Past the threshold: go busy, park the caller, continue from timer slices.
  busy = {
    caller: c,
    isEval: about.isEval,
    name: about.name,
    argv: about.argv,
    start: script.start,
    script,
    killed: false,
  };
  server.busyScript = busy;
  server.persistence.feed.enter();
  const parked: BlockedState = {
    db: c.db.id,
    keys: [],
    // The caller disconnected: the script still runs to its end, as in Redis.
    cancel: () => {},
  };
  c.blocked = parked;
  const slice = (): void => {
    if (busy!.killed) {
      // Reported where the script was paused, as Redis reports where the kill hit it.
      const st = rt.stack;
      const at = st.depth > 0 ? `@${st.chunks[st.depth]}:${st.lines[st.depth] ?? 0}` : null;
      run.cancel();
      finish({ ok: false, killed: true, where: at });
      return;
    }
    sliceStart = ks.clock();
    let r: ScriptResult | null;
    try {
      r = step();
    } catch (e) {
      // Not a Lua error: a bug. End the script as failed rather than leave the server busy.
      server.platform.log("warning", `Internal error in a script: ${(e as Error)?.stack ?? e}`);
      finish({ ok: false, killed: true, where: null });
      return;
    }
    if (r === null) server.platform.timer(0, slice);
    else finish(r);
  };
  server.platform.timer(0, slice);
}
