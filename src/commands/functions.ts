/**
 * Redis 7 functions: FUNCTION LOAD/LIST/DELETE/FLUSH/STATS/KILL/DUMP/RESTORE/HELP, FCALL and
 * FCALL_RO. A library is Lua code starting with `#!lua name=<lib>` that registers functions
 * with `redis.register_function`; libraries persist in RDB files (FUNCTION2 records) and in
 * the AOF (FUNCTION LOAD is propagated like any write).
 *
 * All libraries share one Lua state, separate from EVAL's. Its global table is an empty,
 * read-only proxy whose lookups go to the loading API while a library's code runs (only a
 * restricted `redis` with `register_function` and `log`) and to the full libraries while a
 * function runs, so code defined at load time sees the runtime globals when it is called,
 * as in Redis.
 *
 * @module
 */
import {
  formatNumber,
  LuaError,
  LuaFunction,
  type LuaState,
  LuaTable,
  type LuaValue,
  nativeFunction,
} from "../lua/mod.ts";
import {
  decodeFunctionsPayload,
  dumpFunctionsPayload,
  verifyDumpPayload,
} from "../persistence/rdb.ts";
import { binaryToBytes, bytesToBinary } from "../resp/bytes.ts";
import { splitArgs } from "../resp/parser.ts";
import { globMatch } from "../store/glob.ts";
import { isToken, writeHelp } from "./args.ts";
import type { Client, ServerContext } from "./context.ts";
import { callWithPosition, errorTable, newScriptState, nonexistentGlobal } from "./lua_bridge.ts";
import { checkDeclaredFlags, evalKeys, evalKeySpec, runScript } from "./scripting.ts";
import { type CommandSpec, ReplyError } from "./spec.ts";
import { killCommand } from "./busy.ts";

/** Flags a function may declare (`flags = {...}` in register_function). */
const FUNCTION_FLAGS = [
  "no-writes",
  "allow-oom",
  "allow-stale",
  "no-cluster",
  "allow-cross-slot-keys",
];

/** One registered function. */
interface FunctionDef {
  name: string;
  callback: LuaFunction;
  description: string | null;
  flags: string[];
  library: Library;
}

/** One library: its code and functions. */
interface Library {
  name: string;
  code: string;
  functions: Map<string, FunctionDef>;
}

const NAME_RE = /^[A-Za-z0-9_]+$/;
const NAME_ERROR =
  "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

/** How long a library's top-level code may run during FUNCTION LOAD (as Redis). */
const LOAD_TIMEOUT_MS = 500;

/** Raises a load-time error (a table: no position prefix). */
function raise(msg: string): never {
  throw new LuaError(errorTable(msg));
}

/** The function libraries of a server and the Lua state they run in. */
export class FunctionRegistry {
  lua!: LuaState;
  /** Libraries by name, in load order. */
  libraries = new Map<string, Library>();
  /** Functions by lower-cased name, across libraries (FCALL names are case-insensitive). */
  functions = new Map<string, FunctionDef>();
  /** What lookups of the global proxy reach: the loading API or the full globals. */
  #target!: LuaTable;
  #runtime!: LuaTable;
  #loadApi!: LuaTable;
  #env!: LuaTable;
  /** Functions registered by the library being loaded. */
  #pending: Map<string, FunctionDef> | null = null;
  #pendingLib: Library | null = null;

  constructor(readonly server: ServerContext) {
    this.#reset();
  }

  #reset(): void {
    this.lua = newScriptState(this.server);
    this.#runtime = this.lua.globals;
    this.#loadApi = this.#makeLoadApi();
    this.#target = this.#runtime;
    const env = new LuaTable();
    const meta = new LuaTable(0, 1);
    meta.set(
      "__index",
      nativeFunction("__index", (args) => {
        const v = this.#target.get(args[1]);
        if (v !== undefined) return [v];
        return nonexistentGlobal(args[1]);
      }),
    );
    meta.readonly = true;
    env.metatable = meta;
    env.readonly = true;
    this.#env = env;
    this.libraries = new Map();
    this.functions = new Map();
  }

  /** The `redis` table code sees while a library loads. */
  #makeLoadApi(): LuaTable {
    const full = this.#runtime.get("redis") as LuaTable;
    const redis = new LuaTable(0, 16);
    redis.set(
      "register_function",
      nativeFunction("register_function", (args) => {
        this.#register(args);
        return [];
      }),
    );
    for (const k of ["log", "REDIS_VERSION", "REDIS_VERSION_NUM", "LOG_DEBUG", "LOG_VERBOSE"]) {
      redis.set(k, full.get(k));
    }
    redis.set("LOG_NOTICE", full.get("LOG_NOTICE"));
    redis.set("LOG_WARNING", full.get("LOG_WARNING"));
    const meta = new LuaTable(0, 1);
    meta.set(
      "__index",
      nativeFunction("__index", (args) => {
        return nonexistentGlobal(args[1]);
      }),
    );
    meta.readonly = true;
    redis.metatable = meta;
    redis.readonly = true;
    const api = new LuaTable(0, 1);
    api.set("redis", redis);
    api.readonly = true;
    return api;
  }

  /** `redis.register_function(name, fn)` or `redis.register_function{...}`. */
  #register(args: LuaValue[]): void {
    const pending = this.#pending;
    if (pending === null) {
      raise("ERR redis.register_function can only be called on FUNCTION LOAD command");
    }
    let name: LuaValue;
    let callback: LuaValue;
    let description: string | null = null;
    let flags: string[] = [];
    if (args.length === 1) {
      const t = args[0];
      if (!(t instanceof LuaTable)) {
        raise(
          "ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).",
        );
      }
      for (let e = t.next(undefined); e !== undefined; e = t.next(e[0])) {
        const [k, v] = e;
        if (k === "function_name") name = v;
        else if (k === "callback") callback = v;
        else if (k === "description") {
          if (typeof v !== "string") {
            raise("ERR description argument given to redis.register_function must be a string");
          }
          description = v;
        } else if (k === "flags") {
          if (!(v instanceof LuaTable)) {
            raise(
              "ERR flags argument to redis.register_function must be a table representing function flags",
            );
          }
          flags = [];
          for (let i = 1; v.get(i) !== undefined; i++) {
            const f = v.get(i);
            if (typeof f !== "string" || !FUNCTION_FLAGS.includes(f)) {
              raise("ERR unknown flag given");
            }
            if (!flags.includes(f)) flags.push(f);
          }
        } else raise("ERR unknown argument given to redis.register_function");
      }
      if (name === undefined) {
        raise("ERR redis.register_function must get a function name argument");
      }
      if (callback === undefined) raise("ERR redis.register_function must get a callback argument");
      if (typeof name !== "string" && typeof name !== "number") {
        raise("ERR function_name argument given to redis.register_function must be a string");
      }
      if (!(callback instanceof LuaFunction)) {
        raise("ERR callback argument given to redis.register_function must be a function");
      }
    } else if (args.length === 2) {
      name = args[0];
      callback = args[1];
    } else raise("ERR wrong number of arguments to redis.register_function");
    if (typeof name === "number") name = formatNumber(name);
    if (typeof name !== "string") {
      raise("ERR first argument to redis.register_function must be a string");
    }
    if (!(callback instanceof LuaFunction)) {
      raise("ERR second argument to redis.register_function must be a function");
    }
    if (!NAME_RE.test(name)) raise(`ERR ${NAME_ERROR}`);
    if (pending.has(name)) raise("ERR Function already exists in the library");
    pending.set(name, { name, callback, description, flags, library: this.#pendingLib! });
  }

  /**
   * Loads library `code` (FUNCTION LOAD); returns its name. Errors are thrown as
   * ReplyError with Redis's texts; nothing changes on error.
   */
  load(code: string, replace: boolean): string {
    const { name, source } = parseLibraryHeader(code);
    const old = this.libraries.get(name);
    if (old !== undefined && !replace) throw new ReplyError(`ERR Library '${name}' already exists`);
    let chunk: LuaFunction;
    try {
      chunk = this.lua.load(source, "@user_function", this.#env, { preemptible: true });
    } catch (e) {
      if (!(e instanceof LuaError)) throw e;
      throw new ReplyError(`ERR Error compiling function: ${e.message}`);
    }
    const lib: Library = { name, code, functions: new Map() };
    this.#pending = lib.functions;
    this.#pendingLib = lib;
    this.#target = this.#loadApi;
    let r: ReturnType<typeof callWithPosition>;
    const clock = this.server.keyspace.clock;
    const deadline = clock() + LOAD_TIMEOUT_MS;
    this.lua.setHook(() => {
      if (clock() > deadline) raise("ERR FUNCTION LOAD timeout");
    }, 10000);
    try {
      r = callWithPosition(chunk, []);
    } finally {
      this.lua.setHook(undefined, 0);
      this.#target = this.#runtime;
      this.#pending = null;
      this.#pendingLib = null;
    }
    if (!r.ok) {
      const v = r.error.value;
      const msg = v instanceof LuaTable && typeof v.get("err") === "string"
        ? v.get("err") as string
        : "ERR " + (typeof v === "string" ? v : typeof v === "number" ? formatNumber(v) : "nil");
      throw new ReplyError(`ERR Error registering functions: ${msg}`);
    }
    if (lib.functions.size === 0) throw new ReplyError("ERR No functions registered");
    for (const fname of lib.functions.keys()) {
      const other = this.functions.get(fname.toLowerCase());
      if (other !== undefined && other.library !== old) {
        throw new ReplyError(`ERR Function ${fname} already exists`);
      }
    }
    if (old !== undefined) this.#remove(old);
    this.libraries.set(name, lib);
    for (const f of lib.functions.values()) this.functions.set(f.name.toLowerCase(), f);
    return name;
  }

  #remove(lib: Library): void {
    this.libraries.delete(lib.name);
    for (const f of lib.functions.keys()) this.functions.delete(f.toLowerCase());
  }

  /** FUNCTION DELETE: false when there is no such library. */
  delete(name: string): boolean {
    const lib = this.libraries.get(name);
    if (lib === undefined) return false;
    this.#remove(lib);
    return true;
  }

  /** FUNCTION FLUSH: no libraries, a fresh Lua state. */
  flush(): void {
    this.#reset();
  }

  /** The code of every library, in load order. */
  codes(): string[] {
    return [...this.libraries.values()].map((l) => l.code);
  }

  /**
   * Loads libraries from a file or a RESTORE payload. `policy` says what happens to existing
   * ones: FLUSH drops them first, APPEND fails on a name collision, REPLACE replaces them.
   * All or nothing: on error the previous libraries are back.
   */
  restore(codes: string[], policy: "flush" | "append" | "replace"): void {
    const saved = { libs: this.libraries, fns: this.functions };
    const snapshot = { libs: new Map(this.libraries), fns: new Map(this.functions) };
    if (policy === "flush") {
      this.libraries = new Map();
      this.functions = new Map();
    }
    try {
      for (const code of codes) {
        if (policy === "append") {
          // Checked before loading, with the wording of Redis's library join.
          const { name } = parseLibraryHeader(code);
          if (this.libraries.has(name)) throw new ReplyError(`ERR Library ${name} already exists`);
        }
        this.load(code, policy !== "append");
      }
    } catch (e) {
      this.libraries = policy === "flush" ? saved.libs : snapshot.libs;
      this.functions = policy === "flush" ? saved.fns : snapshot.fns;
      throw e;
    }
  }
}

/** Parses the `#!lua name=<lib>` first line of library code (blanked in the source). */
export function parseLibraryHeader(code: string): { name: string; source: string } {
  if (!code.startsWith("#!")) throw new ReplyError("ERR Missing library metadata");
  const nl = code.indexOf("\n");
  const line = nl < 0 ? code : code.slice(0, nl);
  const parts = splitArgs(line);
  if (parts === null || parts.length === 0) throw new ReplyError("ERR Invalid library metadata");
  const engine = parts[0]!.slice(2);
  let name: string | null = null;
  for (const opt of parts.slice(1)) {
    if (!opt.startsWith("name=")) throw new ReplyError(`ERR Invalid metadata value given: ${opt}`);
    if (name !== null) {
      throw new ReplyError("ERR Invalid metadata value, name argument was given multiple times");
    }
    name = opt.slice(5);
  }
  if (name === null) throw new ReplyError("ERR Library name was not given");
  if (engine.toLowerCase() !== "lua") throw new ReplyError(`ERR Engine '${engine}' not found`);
  if (!NAME_RE.test(name)) throw new ReplyError(`ERR ${NAME_ERROR}`);
  return { name, source: nl < 0 ? "" : code.slice(nl) };
}

/** The function registry of `server`, created on first use. */
export function functionsOf(server: ServerContext): FunctionRegistry {
  return server.functions ??= new FunctionRegistry(server);
}

function fcallGeneric(c: Client, argv: string[], readOnly: boolean): void {
  const reg = c.server.functions;
  const f = reg?.functions.get(argv[1]!.toLowerCase());
  if (reg === undefined || f === undefined) throw new ReplyError("ERR Function not found");
  const n = Number(argv[2]);
  if (!/^-?\d+$/.test(argv[2]!) || !Number.isSafeInteger(n)) {
    throw new ReplyError("ERR Bad number of keys provided");
  }
  if (n > argv.length - 3) {
    throw new ReplyError("ERR Number of keys can't be greater than number of args");
  }
  if (n < 0) throw new ReplyError("ERR Number of keys can't be negative");
  const noWrites = f.flags.includes("no-writes");
  checkDeclaredFlags(
    c,
    { declared: true, noWrites, allowOom: f.flags.includes("allow-oom") },
    readOnly,
  );
  runFunction(c, reg.lua, f, argv, n, readOnly || noWrites);
}

/** Calls `f.callback(KEYS, ARGV)` as a script named after the function. */
function runFunction(
  c: Client,
  L: LuaState,
  f: FunctionDef,
  command: string[],
  numkeys: number,
  readOnly: boolean,
): void {
  const keys = command.slice(3, 3 + numkeys);
  const args = command.slice(3 + numkeys);
  const keysT = new LuaTable(keys.length, 0);
  keys.forEach((k, i) => keysT.set(i + 1, k));
  const argsT = new LuaTable(args.length, 0);
  args.forEach((a, i) => argsT.set(i + 1, a));
  runScript(c, L, f.callback, [keysT, argsT], {
    name: f.name,
    readOnly,
    allowOom: f.flags.includes("allow-oom"),
    isEval: false,
    command,
  });
}

/** FUNCTION LIST for `c`. */
function functionList(c: Client, argv: string[]): void {
  let pattern: string | null = null;
  let withCode = false;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (isToken(a, "withcode")) {
      if (withCode) throw new ReplyError("ERR Unknown argument withcode");
      withCode = true;
    } else if (isToken(a, "libraryname")) {
      if (pattern !== null) throw new ReplyError("ERR Unknown argument libraryname");
      if (i + 1 >= argv.length) throw new ReplyError("ERR library name argument was not given");
      pattern = argv[++i]!;
    } else throw new ReplyError(`ERR Unknown argument ${a}`);
  }
  const libs = [...(c.server.functions?.libraries.values() ?? [])]
    .filter((l) => pattern === null || globMatch(pattern, l.name));
  const w = c.w;
  w.array(libs.length);
  for (const lib of libs) {
    w.map(withCode ? 4 : 3);
    w.bulk("library_name");
    w.bulk(lib.name);
    w.bulk("engine");
    w.bulk("LUA");
    w.bulk("functions");
    w.array(lib.functions.size);
    for (const f of lib.functions.values()) {
      w.map(3);
      w.bulk("name");
      w.bulk(f.name);
      w.bulk("description");
      w.bulkOrNull(f.description);
      w.bulk("flags");
      w.set(f.flags.length);
      for (const fl of f.flags) w.simple(fl);
    }
    if (withCode) {
      w.bulk("library_code");
      w.bulk(lib.code);
    }
  }
}

function flushArg(argv: string[]): void {
  if (argv.length > 3) throw subcommandSyntaxError(argv);
  if (argv.length === 3 && !isToken(argv[2]!, "async") && !isToken(argv[2]!, "sync")) {
    throw new ReplyError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
  }
}

/** Redis's error for a FUNCTION subcommand given too many arguments. */
function subcommandSyntaxError(argv: string[]): ReplyError {
  return new ReplyError(
    `ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try FUNCTION HELP.`,
  );
}

const FUNCTION_HELP = [
  "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "LOAD [REPLACE] <FUNCTION CODE>",
  "    Create a new library with the given library name and code.",
  "DELETE <LIBRARY NAME>",
  "    Delete the given library.",
  "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
  "    Return general information on all the libraries:",
  "    * Library name",
  "    * The engine used to run the Library",
  "    * Library description",
  "    * Functions list",
  "    * Library code (if WITHCODE is given)",
  "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
  "STATS",
  "    Return information about the current function running:",
  "    * Function name",
  "    * Command used to run the function",
  "    * Duration in MS that the function is running",
  "    If no function is running, return nil",
  "    In addition, returns a list of available engines.",
  "KILL",
  "    Kill the current running function.",
  "FLUSH [ASYNC|SYNC]",
  "    Delete all the libraries.",
  "    When called without the optional mode argument, the behavior is determined by the",
  "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
  "    * ASYNC: Asynchronously flush the libraries.",
  "    * SYNC: Synchronously flush the libraries.",
  "DUMP",
  "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
  "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
  "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
  "    control how to handle existing libraries (default APPEND):",
  "    * FLUSH: delete all existing libraries.",
  "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
  "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
  "      libraries with the new libraries (notice that even on this option there is a chance of failure",
  "      in case of functions name collision with another library).",
  "HELP",
  "    Prints this help.",
];

function fcallSpec(name: string, readOnly: boolean, summary: string): CommandSpec {
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
    keySpecs: [
      evalKeySpec(
        readOnly,
        readOnly
          ? undefined
          : "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE",
      ),
    ],
    getKeys: evalKeys,
    group: "scripting",
    since: "7.0.0",
    summary,
    complexity: "Depends on the function that is executed.",
    args: [
      { name: "function", type: "string" },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, optional: true, multiple: true },
      { name: "arg", type: "string", optional: true, multiple: true },
    ],
    run: (c, argv) => fcallGeneric(c, argv, readOnly),
  };
}

/** Function commands. */
export const functionCommands: CommandSpec[] = [
  fcallSpec("fcall", false, "Invoke a function"),
  fcallSpec("fcall_ro", true, "Invoke a read-only function"),
  {
    name: "function",
    arity: -2,
    flags: [],
    group: "scripting",
    since: "7.0.0",
    summary: "A container for function commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "delete",
        arity: 3,
        flags: ["write", "noscript"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "Delete a function by name",
        complexity: "O(1)",
        args: [{ name: "library-name", type: "string" }],
        tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
        run(c, argv) {
          if (c.server.functions?.delete(argv[2]!) !== true) {
            throw new ReplyError("ERR Library not found");
          }
          c.ks.markWritten();
          c.w.ok();
        },
      },
      {
        name: "dump",
        arity: 2,
        flags: ["noscript"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "Dump all functions into a serialized binary payload",
        complexity: "O(N) where N is the number of functions",
        run(c) {
          const codes = c.server.functions?.codes() ?? [];
          c.w.bulk(
            bytesToBinary(dumpFunctionsPayload(codes, c.server.config.getBool("rdbcompression"))),
          );
        },
      },
      {
        name: "flush",
        arity: -2,
        flags: ["write", "noscript"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "Deleting all functions",
        complexity: "O(N) where N is the number of functions deleted",
        args: [{
          name: "async",
          type: "oneof",
          optional: true,
          args: [
            { name: "async", type: "pure-token", token: "ASYNC" },
            { name: "sync", type: "pure-token", token: "SYNC" },
          ],
        }],
        tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
        run(c, argv) {
          flushArg(argv);
          c.server.functions?.flush();
          c.ks.markWritten();
          c.w.ok();
        },
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        run(c) {
          writeHelp(c, FUNCTION_HELP);
        },
      },
      {
        name: "kill",
        arity: 2,
        flags: ["noscript", "allow_busy"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "Kill the function currently in execution.",
        complexity: "O(1)",
        tips: ["request_policy:all_shards", "response_policy:one_succeeded"],
        run: killCommand(false),
      },
      {
        name: "list",
        arity: -2,
        flags: ["noscript"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "List information about all the functions",
        complexity: "O(N) where N is the number of functions",
        args: [
          { name: "library-name-pattern", type: "string", token: "LIBRARYNAME", optional: true },
          { name: "withcode", type: "pure-token", token: "WITHCODE", optional: true },
        ],
        tips: ["nondeterministic_output_order"],
        run: functionList,
      },
      {
        name: "load",
        arity: -3,
        flags: ["write", "denyoom", "noscript"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "Create a function with the given arguments (name, code, description)",
        complexity: "O(1) (considering compilation time is redundant)",
        args: [
          { name: "replace", type: "pure-token", token: "REPLACE", optional: true },
          { name: "function-code", type: "string" },
        ],
        tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
        run(c, argv) {
          let replace = false;
          let i = 2;
          for (; i < argv.length - 1; i++) {
            if (isToken(argv[i]!, "replace")) replace = true;
            else throw new ReplyError(`ERR Unknown option given: ${argv[i]}`);
          }
          if (i !== argv.length - 1) throw new ReplyError("ERR Function code was not given");
          const name = functionsOf(c.server).load(argv[i]!, replace);
          c.ks.markWritten();
          c.w.bulk(name);
        },
      },
      {
        name: "restore",
        arity: -3,
        flags: ["write", "denyoom", "noscript"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary: "Restore all the functions on the given payload",
        complexity: "O(N) where N is the number of functions on the payload",
        args: [
          { name: "serialized-value", type: "string" },
          {
            name: "policy",
            type: "oneof",
            optional: true,
            args: [
              { name: "flush", type: "pure-token", token: "FLUSH" },
              { name: "append", type: "pure-token", token: "APPEND" },
              { name: "replace", type: "pure-token", token: "REPLACE" },
            ],
          },
        ],
        tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
        run(c, argv) {
          if (argv.length > 4) throw subcommandSyntaxError(argv);
          let policy: "flush" | "append" | "replace" = "append";
          if (argv.length === 4) {
            const p = argv[3]!.toLowerCase();
            if (p !== "flush" && p !== "append" && p !== "replace") {
              throw new ReplyError(
                "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
              );
            }
            policy = p;
          }
          const payload = binaryToBytes(argv[2]!);
          if (!verifyDumpPayload(payload)) {
            throw new ReplyError("ERR DUMP payload version or checksum are wrong");
          }
          let codes: string[];
          try {
            codes = decodeFunctionsPayload(payload);
          } catch {
            throw new ReplyError("ERR given type is not a function");
          }
          functionsOf(c.server).restore(codes, policy);
          c.ks.markWritten();
          c.w.ok();
        },
      },
      {
        name: "stats",
        arity: 2,
        flags: ["noscript", "allow_busy"],
        acl: ["scripting"],
        group: "scripting",
        since: "7.0.0",
        summary:
          "Return information about the function currently running (name, description, duration)",
        complexity: "O(1)",
        tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        run(c) {
          const reg = c.server.functions;
          const w = c.w;
          w.map(2);
          w.bulk("running_script");
          const busy = c.server.busyScript;
          if (busy == null || busy.isEval) w.nullBulk();
          else {
            w.map(3);
            w.bulk("name");
            w.bulk(busy.name);
            w.bulk("command");
            w.bulkArray(busy.argv);
            w.bulk("duration_ms");
            w.int(c.server.keyspace.clock() - busy.start);
          }
          w.bulk("engines");
          w.map(1);
          w.bulk("LUA");
          w.map(2);
          w.bulk("libraries_count");
          w.int(reg?.libraries.size ?? 0);
          w.bulk("functions_count");
          w.int(reg?.functions.size ?? 0);
        },
      },
    ],
  },
];
