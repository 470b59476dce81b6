/**
 * Lua scripting with EVAL: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD/EXISTS/FLUSH/
 * KILL/HELP, with Redis 7.0's script cache (by SHA1), `#!lua flags=` shebangs and replies.
 *
 * A script runs to completion inside the command that started it, so it is atomic like any
 * command; the commands it calls are propagated one by one (effects replication) within the
 * EVAL's execution unit, which wraps them in MULTI/EXEC. The bridge to the Lua engine
 * (redis.call, conversions, sandbox) is src/commands/lua_bridge.ts.
 *
 * @module
 */
import { LuaError, type LuaFunction, type LuaState, type LuaValue } from "../lua/mod.ts";
import { splitArgs } from "../resp/parser.ts";
import { intArg, isToken, writeHelp } from "./args.ts";
import { killCommand, KILLED_ERROR, runScriptFunction } from "./busy.ts";
import type { Client, ServerContext } from "./context.ts";
import {
  enoughReplicas,
  newScriptState,
  NOREPLICAS,
  scriptErrorReply,
  type ScriptRun,
  setGlobal,
  sha1hex,
  stringArray,
  writeLua,
  writeScriptError,
} from "./lua_bridge.ts";
import { type ArgSpec, type CommandSpec, type KeySpec, ReplyError } from "./spec.ts";

/** Script flags a `#!lua flags=` shebang may set. */
export interface ScriptFlags {
  /** The flags were declared (a shebang; always for functions): Redis's non-compat mode. */
  declared: boolean;
  /** `no-writes`: the script may only read. */
  noWrites: boolean;
  /** `allow-oom`: writes run even over maxmemory. */
  allowOom: boolean;
}

/** A compiled script of the cache. */
interface CachedScript {
  /** The body as sent. */
  body: string;
  /** The compiled chunk. */
  fn: LuaFunction;
  /** Flags from its shebang (none without one). */
  flags: ScriptFlags;
}

/** The EVAL state of a server: the Lua state and the script cache. */
export class ScriptingState {
  /** The Lua state scripts run in (recreated by SCRIPT FLUSH, as Redis does). */
  lua: LuaState;
  /** Compiled scripts by SHA1. */
  readonly scripts = new Map<string, CachedScript>();
  /** The same scripts by body, so a repeated EVAL finds its script without hashing it. */
  readonly #byBody = new Map<string, { sha: string; script: CachedScript }>();
  /** Total length of the cached bodies (INFO used_memory_scripts_eval). */
  bodyBytes = 0;

  constructor(readonly server: ServerContext) {
    this.lua = newScriptState(server);
  }

  /** Empties the cache and starts a fresh Lua state. */
  flush(): void {
    this.scripts.clear();
    this.#byBody.clear();
    this.bodyBytes = 0;
    this.lua = newScriptState(this.server);
  }

  /** The cached script with this body and its SHA1, if EVAL or SCRIPT LOAD saw it. */
  byBody(body: string): { sha: string; script: CachedScript } | undefined {
    return this.#byBody.get(body);
  }

  /** Compiles `body` into the cache (if not there yet); returns its SHA1. */
  load(body: string, sha = sha1hex(body)): CachedScript {
    const have = this.scripts.get(sha);
    if (have !== undefined) return have;
    const { flags, source } = parseShebang(body);
    let fn: LuaFunction;
    try {
      // Preemptible: a script past busy-reply-threshold can pause (src/commands/busy.ts).
      fn = this.lua.load(source, "@user_script", undefined, { preemptible: true });
    } catch (e) {
      if (!(e instanceof LuaError)) throw e;
      throw new ReplyError(`ERR Error compiling script (new function): ${e.message}`);
    }
    const script = { body, fn, flags };
    this.scripts.set(sha, script);
    this.#byBody.set(body, { sha, script });
    this.bodyBytes += body.length;
    return script;
  }
}

/** The EVAL state of `server`, created on first use. */
export function scriptingOf(server: ServerContext): ScriptingState {
  return server.scripting ??= new ScriptingState(server);
}

const NO_FLAGS: ScriptFlags = { declared: false, noWrites: false, allowOom: false };

/**
 * The checks Redis makes before running a script that declared its flags (a shebang, or any
 * function): unless `no-writes`, it is refused without the replicas `min-replicas-to-write`
 * asks for, over maxmemory (without `allow-oom`) and by the `_RO` commands.
 */
export function checkDeclaredFlags(c: Client, flags: ScriptFlags, roCommand: boolean): void {
  if (!flags.declared || flags.noWrites) return;
  if (!enoughReplicas(c.server)) throw new ReplyError(NOREPLICAS);
  if (!flags.allowOom && c.server.overMaxmemory === true) {
    throw new ReplyError("OOM command not allowed when used memory > 'maxmemory'.");
  }
  if (roCommand) {
    throw new ReplyError("ERR Can not execute a script with write flag using *_ro command.");
  }
}

/**
 * Splits a `#!lua [flags=a,b]` first line from `body` (the line is blanked, so line numbers
 * stay those of the body); errors as Redis's for other engines or options.
 */
export function parseShebang(body: string): { flags: ScriptFlags; source: string } {
  if (!body.startsWith("#!")) return { flags: NO_FLAGS, source: body };
  const nl = body.indexOf("\n");
  const line = nl < 0 ? body : body.slice(0, nl);
  const parts = splitArgs(line);
  if (parts === null) throw new ReplyError("ERR Invalid engine in script shebang");
  if (parts[0] !== "#!lua") {
    throw new ReplyError(`ERR Unexpected engine in script shebang: ${parts[0]}`);
  }
  const flags = { declared: true, noWrites: false, allowOom: false };
  for (const opt of parts.slice(1)) {
    if (!opt.startsWith("flags=")) {
      throw new ReplyError(`ERR Unknown lua shebang option: ${opt}`);
    }
    for (const f of opt.slice(6).split(",")) {
      if (f === "") continue;
      if (f === "no-writes") flags.noWrites = true;
      else if (f === "allow-oom") flags.allowOom = true;
      else if (
        f !== "allow-stale" && f !== "no-cluster" && f !== "allow-cross-slot-keys"
      ) throw new ReplyError(`ERR Unexpected flag in script shebang: ${f}`);
    }
  }
  return { flags, source: nl < 0 ? "" : body.slice(nl) };
}

/** Parses `numkeys` at argv[2] against the arguments that follow. */
export function numkeysArg(argv: string[]): number {
  const n = intArg(argv[2]!);
  if (n > argv.length - 3) {
    throw new ReplyError("ERR Number of keys can't be greater than number of args");
  }
  if (n < 0) throw new ReplyError("ERR Number of keys can't be negative");
  return n;
}

/**
 * Runs `fn(...callArgs)` as a script for `c` and writes its result (or its error as Redis
 * words it, naming the script `name`: a SHA1 or a function name). With `keys`/`argv`, they
 * are first set as the KEYS and ARGV globals (EVAL). Shared by EVAL and FCALL.
 */
export function runScript(
  c: Client,
  L: LuaState,
  fn: LuaFunction,
  callArgs: LuaValue[],
  opts: {
    keys?: string[];
    argv?: string[];
    name: string;
    readOnly: boolean;
    allowOom: boolean;
    /** EVAL-family (true) or FCALL (false): which KILL command applies while it is busy. */
    isEval: boolean;
    /** The command line that started it (FUNCTION STATS). */
    command: readonly string[];
  },
): void {
  if (opts.keys !== undefined) {
    setGlobal(L, "KEYS", stringArray(opts.keys));
    setGlobal(L, "ARGV", stringArray(opts.argv ?? []));
  }
  const run: ScriptRun = {
    caller: c,
    readOnly: opts.readOnly,
    allowOom: opts.allowOom,
    resp: 2,
    repl: 3,
    wrote: false,
    start: c.server.keyspace.clock(),
  };
  const name = opts.name;
  runScriptFunction(c, L, fn, callArgs, run, {
    isEval: opts.isEval,
    name,
    argv: opts.command,
  }, (r) => {
    if (r.ok) writeLua(c.w, r.values[0], run.resp);
    else if ("killed" in r) {
      c.w.error(`${KILLED_ERROR} script: ${name}, on ${r.where ?? "@user_script:1"}.`);
    } else writeScriptError(c.w, scriptErrorReply(r.error, name, r.where), r.error.value);
  });
}

function evalGeneric(c: Client, argv: string[], bySha: boolean, readOnly: boolean): void {
  const numkeys = numkeysArg(argv);
  const st = scriptingOf(c.server);
  let sha: string;
  let script: CachedScript | undefined;
  if (bySha) {
    sha = argv[1]!.toLowerCase();
    script = st.scripts.get(sha);
    if (script === undefined) throw new ReplyError("NOSCRIPT No matching script. Please use EVAL.");
  } else {
    const known = st.byBody(argv[1]!);
    if (known !== undefined) {
      sha = known.sha;
      script = known.script;
    } else {
      sha = sha1hex(argv[1]!);
      script = st.load(argv[1]!, sha);
    }
  }
  checkDeclaredFlags(c, script.flags, readOnly);
  runScript(c, st.lua, script.fn, [], {
    keys: argv.slice(3, 3 + numkeys),
    argv: argv.slice(3 + numkeys),
    name: sha,
    readOnly: readOnly || script.flags.noWrites,
    allowOom: script.flags.allowOom,
    isEval: true,
    command: argv,
  });
}

/** Keys of EVAL-like commands: the `numkeys` names after argv[2]. */
export function evalKeys(argv: string[]): number[] {
  const n = Number(argv[2]);
  if (!Number.isInteger(n) || n < 0 || n > argv.length - 3) return [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(3 + i);
  return out;
}

/** The key spec of EVAL-like commands (`numkeys` at argv[2]). */
export function evalKeySpec(readOnly: boolean, notes?: string): KeySpec {
  return {
    ...(notes ? { notes } : {}),
    flags: readOnly ? ["RO", "access"] : ["RW", "access", "update"],
    begin: { index: 2 },
    find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
  };
}

const EVAL_NOTES = "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE";

function evalArgs(first: string): ArgSpec[] {
  return [
    { name: first, type: "string" },
    { name: "numkeys", type: "integer" },
    { name: "key", type: "key", keySpecIndex: 0, optional: true, multiple: true },
    { name: "arg", type: "string", optional: true, multiple: true },
  ];
}

function evalSpec(
  name: string,
  first: string,
  readOnly: boolean,
  bySha: boolean,
  summary: string,
  since: string,
): CommandSpec {
  return {
    name,
    arity: -3,
    flags: [
      ...(readOnly ? ["readonly" as const] : []),
      "noscript",
      "stale",
      "skip_monitor",
      "no_mandatory_keys",
      "movablekeys",
    ],
    keySpecs: [evalKeySpec(readOnly, name === "eval" ? EVAL_NOTES : undefined)],
    getKeys: evalKeys,
    group: "scripting",
    since,
    summary,
    complexity: "Depends on the script that is executed.",
    args: evalArgs(first),
    run: (c, argv) => evalGeneric(c, argv, bySha, readOnly),
  };
}

const SCRIPT_HELP = [
  "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "EXISTS <sha1> [<sha1> ...]",
  "    Return information about the existence of the scripts in the script cache.",
  "FLUSH [ASYNC|SYNC]",
  "    Flush the Lua scripts cache. Very dangerous on replicas.",
  "    When called without the optional mode argument, the behavior is determined by the",
  "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
  "    * ASYNC: Asynchronously flush the scripts cache.",
  "    * SYNC: Synchronously flush the scripts cache.",
  "KILL",
  "    Kill the currently executing Lua script.",
  "LOAD <script>",
  "    Load a script into the scripts cache without executing it.",
  "HELP",
  "    Prints this help.",
];

/** Scripting commands (EVAL family and SCRIPT). */
export const scriptingCommands: CommandSpec[] = [
  evalSpec("eval", "script", false, false, "Execute a Lua script server side", "2.6.0"),
  evalSpec("evalsha", "sha1", false, true, "Execute a Lua script server side", "2.6.0"),
  evalSpec(
    "eval_ro",
    "script",
    true,
    false,
    "Execute a read-only Lua script server side",
    "7.0.0",
  ),
  evalSpec(
    "evalsha_ro",
    "sha1",
    true,
    true,
    "Execute a read-only Lua script server side",
    "7.0.0",
  ),
  {
    name: "script",
    arity: -2,
    flags: [],
    group: "scripting",
    since: "2.6.0",
    summary: "A container for Lua scripts management commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "exists",
        arity: -3,
        flags: ["noscript"],
        group: "scripting",
        since: "2.6.0",
        summary: "Check existence of scripts in the script cache.",
        complexity: "O(N) with N being the number of scripts to check (so checking a single " +
          "script is an O(1) operation).",
        args: [{ name: "sha1", type: "string", multiple: true }],
        tips: ["request_policy:all_shards", "response_policy:agg_logical_and"],
        run(c, argv) {
          const scripts = c.server.scripting?.scripts;
          c.w.array(argv.length - 2);
          for (let i = 2; i < argv.length; i++) {
            c.w.int(scripts?.has(argv[i]!.toLowerCase()) ? 1 : 0);
          }
        },
      },
      {
        name: "flush",
        arity: -2,
        flags: ["noscript"],
        group: "scripting",
        since: "2.6.0",
        summary: "Remove all the scripts from the script cache.",
        complexity: "O(N) with N being the number of scripts in cache",
        history: [["6.2.0", "Added the `ASYNC` and `SYNC` flushing mode modifiers."]],
        args: [{
          name: "async",
          type: "oneof",
          optional: true,
          since: "6.2.0",
          args: [
            { name: "async", type: "pure-token", token: "ASYNC" },
            { name: "sync", type: "pure-token", token: "SYNC" },
          ],
        }],
        tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
        run(c, argv) {
          if (
            argv.length > 3 ||
            (argv.length === 3 && !isToken(argv[2]!, "async") && !isToken(argv[2]!, "sync"))
          ) {
            throw new ReplyError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
          }
          c.server.scripting?.flush();
          c.w.ok();
        },
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        group: "scripting",
        since: "5.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        run(c) {
          writeHelp(c, SCRIPT_HELP);
        },
      },
      {
        name: "kill",
        arity: 2,
        flags: ["noscript", "allow_busy"],
        group: "scripting",
        since: "2.6.0",
        summary: "Kill the script currently in execution.",
        complexity: "O(1)",
        tips: ["request_policy:all_shards", "response_policy:one_succeeded"],
        run: killCommand(true),
      },
      {
        name: "load",
        arity: 3,
        flags: ["noscript", "stale"],
        group: "scripting",
        since: "2.6.0",
        summary: "Load the specified Lua script into the script cache.",
        complexity: "O(N) with N being the length in bytes of the script body.",
        args: [{ name: "script", type: "string" }],
        tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
        run(c, argv) {
          const body = argv[2]!;
          const sha = sha1hex(body);
          scriptingOf(c.server).load(body, sha);
          c.w.bulk(sha);
        },
      },
    ],
  },
];
