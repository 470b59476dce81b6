/**
 * The bridge between Lua scripts and the command engine, shared by EVAL and FUNCTION: the
 * `redis` library (`redis.call`, `redis.pcall`, replies, logging, replication controls), the
 * conversions between replies and Lua values (Redis 7.0 rules for RESP2 and RESP3), the
 * sandbox a state is set up with (the libraries Redis loads, read-only library tables and the
 * global-variable protection) and the error text a failed script replies with.
 *
 * Commands called by a script run through the same {@link call} as any client's, on a script
 * client bound to the caller's database, so WATCH, keyspace events, statistics and
 * propagation (each call is propagated, inside the script's execution unit) are the same.
 * Their replies are decoded from the RESP the handler wrote, so every command's reply
 * reaches Lua exactly as a client would read it.
 *
 * @module
 */
import { sha1Hex } from "../store/sha1.ts";
import { REDIS_VERSION, REDIS_VERSION_NUM } from "../config/version.ts";
import { formatDouble17g } from "../resp/numbers.ts";
import { type Reply, ReplyDecoder } from "../resp/reply.ts";
import type { ReplyWriter } from "../resp/writer.ts";
import {
  endTail,
  formatNumber,
  LuaError,
  LuaFunction,
  LuaState,
  LuaTable,
  luaToNumber,
  type LuaValue,
  nativeFunction,
  rt,
} from "../lua/mod.ts";
import { openBit } from "../lua/lib_bit.ts";
import { CJSON_NULL, openCjson } from "../lua/lib_cjson.ts";
import { openCmsgpack } from "../lua/lib_cmsgpack.ts";
import { openStruct } from "../lua/lib_struct.ts";
import { Client, type ServerContext } from "./context.ts";
import { call, clockFrozen } from "./dispatch.ts";

/** SHA1 of a script body (a binary string), as lower-case hex. */
export function sha1hex(body: string): string {
  return sha1Hex(body);
}

/** The script being run: who called it and under which rules. */
export interface ScriptRun {
  /** The client that sent EVAL/FCALL. */
  caller: Client;
  /** No write commands (EVAL_RO, `no-writes`, FCALL_RO). */
  readOnly: boolean;
  /** `allow-oom`: write commands run even over maxmemory. */
  allowOom: boolean;
  /** Protocol of the replies `redis.call` returns (redis.setresp). */
  resp: 2 | 3;
  /** redis.set_repl flags (REPL_ALL: 3). */
  repl: number;
  /** A write command ran. */
  wrote: boolean;
  /** Start time (ms). */
  start: number;
}

/** A Lua table `{err = msg}` (what redis.call raises and redis.pcall returns). */
export function errorTable(msg: string): LuaTable {
  const t = new LuaTable(0, 1);
  t.set("err", msg);
  return t;
}

function statusTable(msg: string): LuaTable {
  const t = new LuaTable(0, 1);
  t.set("ok", msg);
  return t;
}

/** Raises a redis-lib error (a table: no position prefix, as Redis's own errors). */
function raise(msg: string): never {
  throw new LuaError(errorTable(msg));
}

/** Converts one decoded reply to Lua, by the rules of protocol `resp`. */
export function replyToLua(r: Reply, resp: 2 | 3): LuaValue {
  switch (r.type) {
    case "integer":
      return Number(r.value);
    case "bulk":
      return r.value;
    case "simple":
      return statusTable(r.value);
    case "error":
      return errorTable(r.value);
    case "null":
      return resp === 2 ? false : undefined;
    case "array":
    case "push": {
      const t = new LuaTable(r.value.length, 0);
      for (let i = 0; i < r.value.length; i++) t.set(i + 1, replyToLua(r.value[i]!, resp));
      return t;
    }
    case "set": {
      const inner = new LuaTable(0, r.value.length);
      for (const m of r.value) inner.set(replyToLua(m, resp), true);
      const t = new LuaTable(0, 1);
      t.set("set", inner);
      return t;
    }
    case "map": {
      const inner = new LuaTable(0, r.value.length);
      for (const [k, v] of r.value) inner.set(replyToLua(k, resp), replyToLua(v, resp));
      const t = new LuaTable(0, 1);
      t.set("map", inner);
      return t;
    }
    case "double": {
      const t = new LuaTable(0, 1);
      t.set("double", Number(r.value.replace("inf", "Infinity")));
      return t;
    }
    case "bool":
      return r.value;
    case "bignum": {
      const t = new LuaTable(0, 1);
      t.set("big_number", r.value);
      return t;
    }
    case "verbatim": {
      const inner = new LuaTable(0, 2);
      inner.set("string", r.value);
      inner.set("format", r.format);
      const t = new LuaTable(0, 1);
      t.set("verbatim_string", inner);
      return t;
    }
  }
}

const INT64_MIN = -9223372036854775808n;

/** A Lua number as the C `long long` Redis casts it to (truncation; out of range: INT64_MIN). */
function toLongLong(n: number): number | bigint {
  if (Number.isSafeInteger(Math.trunc(n))) return Math.trunc(n);
  if (!Number.isFinite(n) || Math.abs(n) >= 2 ** 63) return INT64_MIN;
  return BigInt(Math.trunc(n));
}

/** The error text a script's `{err = ...}` replies with (newlines become spaces). */
function errorText(err: string): string {
  return err.replace(/[\r\n]/g, " ");
}

/**
 * Error tables made from the error of a command a script called: that error was counted in
 * the error statistics when it happened, so a script replying with it does not count it again.
 */
const countedErrors = new WeakSet<LuaTable>();

/** Writes error reply `msg` for `v` (a script's error value), counted unless already done. */
export function writeScriptError(w: ReplyWriter, msg: string, v: LuaValue): void {
  if (!(v instanceof LuaTable) || !countedErrors.has(v)) {
    w.error(msg);
    return;
  }
  const onError = w.onError;
  w.onError = null;
  try {
    w.error(msg);
  } finally {
    w.onError = onError;
  }
}

/**
 * How deep a script's result may nest: Redis walks it on the Lua stack and answers "reached
 * lua stack limit" where the stack cannot grow (after 7995 levels of a self-nested table).
 */
const MAX_REPLY_DEPTH = 7995;

/**
 * Writes Lua value `v` (a script's result) as a reply, by Redis's Lua-to-RESP rules for a
 * script whose `redis.setresp` is `resp`. The walk uses its own stack, so deeply nested
 * tables cannot overflow the JS one.
 */
export function writeLua(w: ReplyWriter, v: LuaValue, resp: 2 | 3 = 2): void {
  const todo: [LuaValue, number][] = [[v, 0]];
  for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
    const children = writeOne(w, item[0], item[1], resp);
    if (children === null) continue;
    const d = item[1] + 1;
    for (let i = children.length - 1; i >= 0; i--) todo.push([children[i], d]);
  }
}

/** Writes the header of `v` (or all of it); returns the values to write after it, in order. */
function writeOne(w: ReplyWriter, v: LuaValue, depth: number, resp: 2 | 3): LuaValue[] | null {
  switch (typeof v) {
    case "string":
      w.bulk(v);
      return null;
    case "number":
      w.int(toLongLong(v));
      return null;
    case "boolean":
      // After redis.setresp(3) a boolean is a RESP3 boolean (`:1`/`:0` to RESP2 clients).
      if (resp === 3) w.bool(v);
      else if (v) w.int(1);
      else w.nullBulk();
      return null;
  }
  if (!(v instanceof LuaTable)) {
    w.nullBulk();
    return null;
  }
  if (depth >= MAX_REPLY_DEPTH) {
    w.error("ERR reached lua stack limit");
    return null;
  }
  const err = v.get("err");
  if (typeof err === "string") {
    writeScriptError(w, errorText(err), v);
    return null;
  }
  const ok = v.get("ok");
  if (typeof ok === "string") {
    w.simple(ok.replace(/[\r\n]/g, " "));
    return null;
  }
  const dbl = v.get("double");
  if (typeof dbl === "number") {
    w.double(dbl);
    return null;
  }
  const big = v.get("big_number");
  if (typeof big === "string") {
    w.bigNumber(big.replace(/[\r\n]/g, " "));
    return null;
  }
  const map = v.get("map");
  if (map instanceof LuaTable) {
    const items: LuaValue[] = [];
    for (let e = map.next(undefined); e !== undefined; e = map.next(e[0])) items.push(e[0], e[1]);
    w.map(items.length / 2);
    return items;
  }
  const set = v.get("set");
  if (set instanceof LuaTable) {
    const members: LuaValue[] = [];
    for (let e = set.next(undefined); e !== undefined; e = set.next(e[0])) members.push(e[0]);
    w.set(members.length);
    return members;
  }
  const verbatim = v.get("verbatim_string");
  if (verbatim instanceof LuaTable) {
    const s = verbatim.get("string");
    const f = verbatim.get("format");
    if (typeof s === "string" && typeof f === "string") {
      w.verbatim(s, f.slice(0, 3));
      return null;
    }
  }
  // An array: elements up to the first nil.
  const items: LuaValue[] = [];
  for (let x = v.get(1); x !== undefined; x = v.get(items.length + 1)) items.push(x);
  w.array(items.length);
  return items;
}

/** The Lua value of a script's error, as the reply Redis gives (`script: <sha>, on ...`). */
export function scriptErrorReply(e: LuaError, sha: string, where: string | null): string {
  const v = e.value;
  let msg: string;
  if (v instanceof LuaTable && typeof v.get("err") === "string") {
    msg = errorText(v.get("err") as string);
  } else if (typeof v === "string") msg = "ERR " + v;
  else if (typeof v === "number") msg = "ERR " + formatNumber(v);
  else msg = "ERR " + (v === undefined ? "nil" : "unknown error");
  return where === null ? msg : `${msg} script: ${sha}, on ${where}.`;
}

/**
 * `@source:line` where error `e` was raised (Redis's `script: ..., on @user_script:N.`): the
 * position prefix of a runtime error's message, else the current line of the innermost Lua
 * frame above `base` (the line of the call that raised), or null.
 */
export function errorPosition(e: LuaError, base = 0): string | null {
  const v = e.value;
  if (typeof v === "string") {
    const m = /^([^:\n]+):(\d+): /.exec(v);
    if (m !== null) return `@${m[1]}:${m[2]}`;
  }
  const st = rt.stack;
  for (let i = st.depth; i > base; i--) {
    const line = st.lines[i] ?? 0;
    if (st.fns[i] !== undefined && line > 0) return `@${st.chunks[i]}:${line}`;
  }
  return null;
}

/**
 * Calls Lua function `fn` like `LuaState.call`, but reads the position of an error before
 * the call stack is unwound (calling it directly: `luaCall` unwinds its frames as the error
 * passes). Returns the results, or the error and where it was raised.
 */
export function callWithPosition(
  fn: LuaFunction,
  args: LuaValue[],
): { ok: true; values: LuaValue[] } | { ok: false; error: LuaError; where: string | null } {
  const st = rt.stack, d = st.depth, cd = rt.cdepth, site = rt.site;
  rt.site = undefined;
  try {
    return { ok: true, values: endTail(fn.call(args)) };
  } catch (e) {
    let error: LuaError;
    if (e instanceof LuaError) error = e;
    else if (e instanceof RangeError) error = new LuaError(errorTable("ERR stack overflow"));
    else {
      st.depth = d;
      rt.cdepth = cd;
      throw e;
    }
    const where = errorPosition(error, d);
    st.depth = d;
    rt.cdepth = cd;
    return { ok: false, error, where };
  } finally {
    rt.site = site;
  }
}

/** The script client of `server`: runs the commands of scripts (Redis's lua client). */
function scriptClient(server: ServerContext): Client {
  if (server.scriptClient === undefined) {
    const c = new Client(server, server.keyspace.clock());
    c.authenticated = true;
    c.inExec = true; // scripts never block: blocking commands answer as on timeout
    server.scriptClient = c;
  }
  return server.scriptClient;
}

const decoder = new ReplyDecoder();

/**
 * Runs one `redis.call`/`redis.pcall` for `run`: checks as Redis does, runs the command on
 * the script client, and converts its reply (an error is raised by call, returned by pcall).
 */
function redisCommand(run: ScriptRun, args: LuaValue[], raising: boolean): LuaValue[] {
  if (args.length === 0) raise("ERR Please specify at least one argument for this redis lib call");
  const argv: string[] = new Array(args.length);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === "string") argv[i] = a;
    // Redis formats numbers with `%.17g` here, not Lua's lossy `%.14g`.
    else if (typeof a === "number") argv[i] = a !== a ? "-nan" : formatDouble17g(a);
    else raise("ERR Lua redis lib command arguments must be strings or integers");
  }
  const server = run.caller.server;
  // The command's error (already counted in the error statistics): raised or returned.
  const fail = (msg: string): LuaValue[] => {
    const t = errorTable(msg);
    countedErrors.add(t);
    if (raising) throw new LuaError(t);
    return [t];
  };
  const cmd = server.commands.lookup(argv);
  // A command refused before it runs counts as an error reply and a rejected call.
  const reject = (msg: string): LuaValue[] => {
    run.caller.w.onError?.(msg);
    if (cmd) cmd.rejected++;
    server.stats.rejectedCalls++;
    return fail(msg);
  };
  if (cmd === undefined || cmd === null) {
    return reject("ERR Unknown Redis command called from script");
  }
  const argc = argv.length;
  if ((cmd.arity > 0 && cmd.arity !== argc) || argc < -cmd.arity) {
    return reject("ERR Wrong number of args calling Redis command from script");
  }
  if (cmd.noScript && !denyDisabled.has(server)) {
    return reject("ERR This Redis command is not allowed from script");
  }
  if ((cmd.fullName === "xread" || cmd.fullName === "xreadgroup") && hasBlockOption(argv)) {
    return reject(`ERR ${argv[0]} command is not allowed with BLOCK option from scripts`);
  }
  // Commands that may replicate (PUBLISH, PFCOUNT...) count as writes for read-only scripts.
  if (run.readOnly && cmd.mayReplicate && !cmd.isWrite) {
    return reject("ERR Write commands are not allowed from read-only scripts.");
  }
  if (cmd.isWrite) {
    if (run.readOnly) return reject("ERR Write commands are not allowed from read-only scripts.");
    if (!run.wrote && !enoughReplicas(server)) return reject(NOREPLICAS);
    if (cmd.denyOom && !run.allowOom && !run.wrote && server.overMaxmemory === true) {
      return reject("OOM command not allowed when used memory > 'maxmemory'.");
    }
    run.wrote = true;
  }
  const c = scriptClient(server);
  c.w.resp = run.resp;
  const feed = server.persistence.feed;
  const silent = (run.repl & 3) === 0;
  if (silent) feed.suspended++;
  try {
    call(c, cmd, argv);
  } finally {
    if (silent) feed.suspended--;
  }
  const bytes = c.w.take();
  c.w.shrink();
  decoder.feed(bytes);
  const reply = decoder.next();
  // Anything after the first reply (none is expected) is dropped with the decoder's state.
  while (decoder.next() !== undefined) { /* drain */ }
  if (reply === undefined) return [undefined];
  if (reply.type === "error") return fail(reply.value);
  return [replyToLua(reply, run.resp)];
}

/** Redis's error for a write refused by `min-replicas-to-write`. */
export const NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";

/**
 * Whether `server` has the replicas `min-replicas-to-write` asks for (when it and
 * `min-replicas-max-lag` are set). Every attached replica counts as good: replica lag is not
 * tracked.
 */
export function enoughReplicas(server: ServerContext): boolean {
  const min = server.config.getNumber("min-replicas-to-write");
  if (min === 0 || server.config.getNumber("min-replicas-max-lag") === 0) return true;
  return server.persistence.replicaCount >= min;
}

/** Servers where DEBUG SET-DISABLE-DENY-SCRIPTS lets scripts call `noscript` commands. */
const denyDisabled = new WeakSet<ServerContext>();

/** DEBUG SET-DISABLE-DENY-SCRIPTS: whether scripts of `server` may call `noscript` commands. */
export function setDenyScripts(server: ServerContext, disabled: boolean): void {
  if (disabled) denyDisabled.add(server);
  else denyDisabled.delete(server);
}

/** Whether XREAD/XREADGROUP `argv` has a BLOCK option (with a value) before STREAMS. */
function hasBlockOption(argv: string[]): boolean {
  for (let i = 1; i < argv.length - 1; i++) {
    const o = argv[i]!.toLowerCase();
    if (o === "streams") return false;
    if (o === "block") return true;
    if (o === "group") i += 2;
    else if (o === "count") i++;
  }
  return false;
}

/** The script running now (one at a time: scripts don't nest). */
let current: ScriptRun | null = null;

/** The script running now, if any. */
export function currentScript(): ScriptRun | null {
  return current;
}

/** Runs `body` with `run` as the current script, restoring the script client's db after. */
export function withScript<T>(run: ScriptRun, body: () => T): T {
  const c = scriptClient(run.caller.server);
  c.db = run.caller.db;
  c.user = run.caller.user;
  // Errors of the commands a script calls count in the error statistics like the caller's.
  c.w.onError = run.caller.w.onError;
  const outer = current;
  current = run;
  clockFrozen.depth++;
  try {
    return body();
  } finally {
    clockFrozen.depth--;
    current = outer;
  }
}

const LOG_LEVELS = ["debug", "verbose", "notice", "warning"] as const;

function requireRun(): ScriptRun {
  if (current === null) raise("ERR redis.call() can only be used from a running script");
  return current;
}

/** The `redis` library table, bound to whatever script runs. */
function redisLibrary(server: ServerContext): LuaTable {
  const t = new LuaTable(0, 32);
  const fn = (name: string, f: (args: LuaValue[]) => LuaValue[]) =>
    t.set(name, nativeFunction(name, f));
  fn("call", (args) => redisCommand(requireRun(), args, true));
  fn("pcall", (args) => redisCommand(requireRun(), args, false));
  // error_reply and status_reply return (not raise) their argument errors, as Redis.
  fn("error_reply", (args) => {
    const s = args[0];
    if (args.length !== 1 || typeof s !== "string") {
      return [errorTable("ERR wrong number or type of arguments")];
    }
    // One leading '-' is dropped, and a message without an error code gets "ERR ".
    const msg = s.startsWith("-") ? s.slice(1) : s;
    return [errorTable(msg.includes(" ") ? msg : "ERR " + msg)];
  });
  fn("status_reply", (args) => {
    const s = args[0];
    if (args.length !== 1 || typeof s !== "string") {
      return [errorTable("ERR wrong number or type of arguments")];
    }
    return [statusTable(s)];
  });
  fn("sha1hex", (args) => {
    const s = args[0];
    if (args.length !== 1) raise("ERR wrong number of arguments");
    // What is neither a string nor a number hashes as the empty string.
    return [sha1hex(typeof s === "number" ? formatNumber(s) : typeof s === "string" ? s : "")];
  });
  fn("log", (args) => {
    if (args.length < 2) raise("ERR redis.log() requires two arguments or more.");
    // A number or a numeric string, truncated (lua_tointeger).
    const n = luaToNumber(args[0]);
    if (n === undefined) raise("ERR First argument must be a number (log level).");
    const level = Math.trunc(n);
    if (!(level >= 0 && level <= 3)) raise("ERR Invalid debug level.");
    const parts: string[] = [];
    for (let i = 1; i < args.length; i++) {
      const a = args[i];
      if (typeof a === "string") parts.push(a);
      else if (typeof a === "number") parts.push(formatNumber(a));
    }
    server.platform.log(LOG_LEVELS[level]!, parts.join(" "));
    return [];
  });
  fn("setresp", (args) => {
    const run = requireRun();
    if (args.length !== 1) raise("ERR redis.setresp() requires one argument.");
    const v = args[0];
    if (v !== 2 && v !== 3) raise("ERR RESP version must be 2 or 3.");
    run.resp = v;
    return [];
  });
  fn("set_repl", (args) => {
    const run = requireRun();
    if (args.length !== 1) raise("ERR redis.set_repl() requires two arguments.");
    const v = args[0];
    if (typeof v !== "number" || (v & ~3) !== 0) {
      raise("ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    }
    run.repl = v;
    return [];
  });
  fn("replicate_commands", () => [true]);
  fn("breakpoint", () => [false]);
  fn("debug", () => []);
  fn("acl_check_cmd", (args) => {
    requireRun();
    if (args.length === 0) {
      raise("ERR Please specify at least one argument for this redis lib call");
    }
    const argv = args.map((a) =>
      typeof a === "string" ? a : typeof a === "number" ? formatNumber(a) : ""
    );
    const cmd = server.commands.lookup(argv);
    if (cmd === undefined || cmd === null) {
      raise("ERR Invalid command passed to redis.acl_check_cmd()");
    }
    return [true];
  });
  t.set("REDIS_VERSION", REDIS_VERSION);
  t.set("REDIS_VERSION_NUM", REDIS_VERSION_NUM);
  t.set("LOG_DEBUG", 0);
  t.set("LOG_VERBOSE", 1);
  t.set("LOG_NOTICE", 2);
  t.set("LOG_WARNING", 3);
  t.set("REPL_NONE", 0);
  t.set("REPL_AOF", 1);
  t.set("REPL_SLAVE", 2);
  t.set("REPL_REPLICA", 2);
  t.set("REPL_ALL", 3);
  return t;
}

/** Globals Redis removes from the base library. */
const REMOVED = [
  "print",
  "dofile",
  "loadfile",
  "getfenv",
  "setfenv",
  "newproxy",
  "module",
  "require",
];

/**
 * A Lua state set up as Redis 7.0 sets up its scripting state: base, table, string, math,
 * coroutine, cjson, cmsgpack, struct, bit and redis; every library table read-only; the
 * global table read-only, and reading an undefined global an error.
 */
export function newScriptState(server: ServerContext): LuaState {
  const L = new LuaState();
  const G = L.globals;
  for (const name of REMOVED) G.set(name, undefined);
  G.set("package", undefined);
  G.set("debug", undefined);
  G.set("os", undefined);
  G.set("io", undefined);
  openCjson(G);
  openCmsgpack(G);
  openStruct(G);
  openBit(G);
  G.set("redis", redisLibrary(server));
  G.set(
    "__redis__err__handler",
    nativeFunction("__redis__err__handler", (args) => {
      const e = args[0];
      return [e instanceof LuaTable ? e : errorTable(typeof e === "string" ? e : "")];
    }),
  );
  // setmetatable and rawset refuse read-only tables (the global protection) with Redis's
  // Lua error, which has no position prefix.
  for (const name of ["setmetatable", "rawset"]) {
    const f = G.get(name);
    if (!(f instanceof LuaFunction)) continue;
    G.set(
      name,
      nativeFunction(name, (args) => {
        const t = args[0];
        if (t instanceof LuaTable && t.readonly) {
          throw new LuaError("Attempt to modify a readonly table");
        }
        return f.call(args);
      }),
    );
  }
  for (let e = G.next(undefined); e !== undefined; e = G.next(e[0])) {
    if (e[1] instanceof LuaTable && e[1] !== G) e[1].readonly = true;
  }
  const meta = new LuaTable(0, 1);
  meta.set(
    "__index",
    nativeFunction("__index", (args) => {
      return nonexistentGlobal(args[1]);
    }),
  );
  meta.readonly = true;
  G.metatable = meta;
  G.readonly = true;
  return L;
}

/** Raises Redis's error for reading a global that doesn't exist (at the script's position). */
export function nonexistentGlobal(name: LuaValue): never {
  throw new LuaError(
    `${positionPrefix()}Script attempted to access nonexistent global variable '${
      typeof name === "string" ? name : formatNumber(name as number)
    }'`,
  );
}

function positionPrefix(): string {
  const st = rt.stack;
  const d = st.depth;
  return d > 0 ? `${st.chunks[d]}:${st.lines[d] ?? 0}: ` : "";
}

/** Sets a global of a read-only global table (KEYS, ARGV before a run). */
export function setGlobal(L: LuaState, name: string, value: LuaValue): void {
  const G = L.globals;
  G.readonly = false;
  try {
    G.set(name, value);
  } finally {
    G.readonly = true;
  }
}

/** A Lua array of strings. */
export function stringArray(items: readonly string[]): LuaTable {
  const t = new LuaTable(items.length, 0);
  for (let i = 0; i < items.length; i++) t.set(i + 1, items[i]!);
  return t;
}

/** Whether `v` is cjson.null (converted to a null reply, as any userdata). */
export function isNullValue(v: LuaValue): boolean {
  return (v as unknown) === CJSON_NULL;
}
