/**
 * Connection commands: PING, ECHO, QUIT, SELECT, AUTH, HELLO, RESET, CLIENT.
 *
 * Authentication knows the `default` user only: its password is `requirepass` (none = any
 * password is accepted, as Redis's `nopass`). {@link authenticate} is the single place an
 * ACL layer would extend.
 *
 * @module
 */
import { REDIS_VERSION } from "../config/version.ts";
import { type ArgSpec, type CommandSpec, Errors, ReplyError } from "./spec.ts";
import { arityError, authRequired } from "./dispatch.ts";
import type { Client } from "./context.ts";
import { isToken, writeHelp } from "./args.ts";
import { parseInteger } from "../resp/numbers.ts";
import { unwatchAll } from "./watch.ts";
import { clientPause, clientUnpause } from "./pause.ts";
import { leaveMonitor } from "./monitor.ts";
import { dropSubscriptions, subscriptionCounts } from "./pubsub.ts";
import { unblockClient } from "./blocking.ts";

/** The client's class for CLIENT LIST/KILL TYPE filters. */
function clientType(c: Client): "normal" | "master" | "replica" | "pubsub" {
  return c.pubsub !== null ? "pubsub" : "normal";
}

/**
 * Releases what other modules hold for `c` when its connection closes: its subscriptions and
 * its MONITOR registration (its watches and blocking are released by the engine).
 */
export function releaseClient(c: Client): void {
  leaveMonitor(c);
  dropSubscriptions(c);
}

/** Whether `c` has any pub/sub subscription (Redis's CLIENT_PUBSUB flag). */
function isSubscribed(c: Client): boolean {
  const [sub, psub, ssub] = subscriptionCounts(c);
  return sub + psub + ssub > 0;
}

/**
 * Checks `user`/`password` and, on success, authenticates `c` as `user` (Redis
 * `ACLAuthenticateUser`). The default user without `requirepass` accepts any password.
 */
export function authenticate(c: Client, user: string, password: string): boolean {
  if (user !== "default") return false;
  const pass = c.server.config.getString("requirepass");
  if (pass !== "" && password !== pass) return false;
  c.authenticated = true;
  c.user = user;
  return true;
}

const WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

/** Validates and sets a client name (CLIENT SETNAME, HELLO SETNAME); "" clears it. */
function setName(c: Client, name: string): void {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    // Only printable ASCII without space: names appear in space-separated CLIENT LIST lines.
    if (ch < 33 || ch > 126) {
      throw new ReplyError(
        "ERR Client names cannot contain spaces, newlines or special characters.",
      );
    }
  }
  c.name = name;
}

/** Resolves a TYPE filter name (Redis `getClientTypeByName`); `slave` is `replica`. */
function clientTypeByName(name: string): "normal" | "master" | "replica" | "pubsub" | null {
  switch (name.toLowerCase()) {
    case "normal":
      return "normal";
    case "slave":
    case "replica":
      return "replica";
    case "pubsub":
      return "pubsub";
    case "master":
      return "master";
    default:
      return null;
  }
}

/** Bytes held by queued MULTI commands, the way CLIENT LIST `multi-mem` counts them. */
function multiMemory(c: Client): number {
  if (c.multi === null) return 0;
  let n = 0;
  // Redis counts each argument's bytes plus one pointer.
  for (const q of c.multi.queue) for (const a of q.argv) n += a.length + 8;
  return n;
}

/**
 * One CLIENT LIST / CLIENT INFO line, field for field as Redis 7.0 prints it. `self` is the
 * client running the command and `argv` its arguments (only a running client has
 * `argv-mem`).
 */
export function clientInfoLine(c: Client, self: Client, argv: string[]): string {
  const now = c.server.keyspace.now;
  const nowSec = Math.floor(now / 1000);
  const [sub, psub, ssub] = subscriptionCounts(c);
  const qb = c.queryBuffer();
  let argvMem = 0;
  if (c === self) { for (const a of argv) argvMem += a.length; }
  const multiMem = multiMemory(c);
  const rbs = 16384;
  const obl = c.w.length;
  const omem = c.pendingOutput;
  const totMem = qb.capacity + rbs + argvMem + multiMem + omem + 1024;
  return `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name}` +
    ` age=${nowSec - Math.floor(c.createdAt / 1000)}` +
    ` idle=${nowSec - Math.floor(c.lastInteraction / 1000)} flags=${c.flags} db=${c.db.id}` +
    ` sub=${sub} psub=${psub} ssub=${ssub} multi=${c.multi === null ? -1 : c.multi.queue.length}` +
    ` qbuf=${qb.used} qbuf-free=${Math.max(0, qb.capacity - qb.used)} argv-mem=${argvMem}` +
    ` multi-mem=${multiMem} rbs=${rbs} rbp=${c === self ? obl : 0} obl=${obl} oll=0` +
    ` omem=${omem} tot-mem=${totMem} events=${omem > 0 ? "rw" : "r"} cmd=${c.lastCommand}` +
    ` user=${c.user} redir=-1 resp=${c.w.resp}`;
}

/** CLIENT LIST [TYPE type | ID id...]. */
function clientList(c: Client, argv: string[]): void {
  const clients = c.server.clients;
  let out = "";
  if (argv.length === 4 && isToken(argv[2]!, "type")) {
    const type = clientTypeByName(argv[3]!);
    if (type === null) throw new ReplyError(`ERR Unknown client type '${argv[3]}'`);
    for (const o of clients.values()) {
      if (clientType(o) === type) out += clientInfoLine(o, c, argv) + "\n";
    }
  } else if (argv.length > 3 && isToken(argv[2]!, "id")) {
    const ids: number[] = [];
    for (let i = 3; i < argv.length; i++) {
      const id = parseInteger(argv[i]!);
      if (id === null) throw new ReplyError("ERR Invalid client ID");
      ids.push(Number(id));
    }
    for (const id of ids) {
      const o = clients.get(id);
      if (o !== undefined) out += clientInfoLine(o, c, argv) + "\n";
    }
  } else if (argv.length !== 2) {
    throw new ReplyError(Errors.syntax);
  } else {
    for (const o of clients.values()) out += clientInfoLine(o, c, argv) + "\n";
  }
  c.w.verbatim(out);
}

/** CLIENT KILL addr | CLIENT KILL [filter value]... */
function clientKill(c: Client, argv: string[]): void {
  const clients = c.server.clients;
  if (argv.length === 3) {
    // Old form: the address of one client; an error when there is none.
    for (const o of clients.values()) {
      if (o.addr !== argv[2]) continue;
      c.w.ok();
      killClient(c, o);
      return;
    }
    throw new ReplyError("ERR No such client");
  }
  let id: number | null = null;
  let type: string | null = null;
  let user: string | null = null;
  let addr: string | null = null;
  let laddr: string | null = null;
  let skipMe = true;
  for (let i = 2; i < argv.length; i += 2) {
    if (i + 1 >= argv.length) throw new ReplyError(Errors.syntax);
    const opt = argv[i]!;
    const val = argv[i + 1]!;
    if (isToken(opt, "id")) {
      const v = parseInteger(val);
      if (v === null || v <= 0) throw new ReplyError("ERR client-id should be greater than 0");
      id = Number(v);
    } else if (isToken(opt, "type")) {
      type = clientTypeByName(val);
      if (type === null) throw new ReplyError(`ERR Unknown client type '${val}'`);
    } else if (isToken(opt, "addr")) {
      addr = val;
    } else if (isToken(opt, "laddr")) {
      laddr = val;
    } else if (isToken(opt, "user")) {
      if (val !== "default") throw new ReplyError(`ERR No such user '${val}'`);
      user = val;
    } else if (isToken(opt, "skipme")) {
      if (isToken(val, "yes")) skipMe = true;
      else if (isToken(val, "no")) skipMe = false;
      else throw new ReplyError(Errors.syntax);
    } else {
      throw new ReplyError(Errors.syntax);
    }
  }
  const victims: Client[] = [];
  for (const o of clients.values()) {
    if (addr !== null && o.addr !== addr) continue;
    if (laddr !== null && o.laddr !== laddr) continue;
    if (id !== null && o.id !== id) continue;
    if (type !== null && clientType(o) !== type) continue;
    if (user !== null && o.user !== user) continue;
    if (o === c && skipMe) continue;
    victims.push(o);
  }
  c.w.int(victims.length);
  for (const o of victims) killClient(c, o);
}

/** Closes `victim`; the calling client itself goes only after its reply is written. */
function killClient(c: Client, victim: Client): void {
  if (victim === c) c.closeAfterReply = true;
  else victim.kill();
}

// Redis's CLIENT HELP text, minus the subcommands cedis doesn't have yet (CACHING,
// TRACKING): help lists only what works.
const CLIENT_HELP = [
  "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GETREDIR",
  "    Return the client ID we are redirecting to when tracking is enabled.",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are:",
  "    * ADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made from the specified address",
  "    * LADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made to specified local address",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Kill connections by type.",
  "    * USER <username>",
  "      Kill connections authenticated by <username>.",
  "    * SKIPME (YES|NO)",
  "      Skip killing current connection (default: yes).",
  "LIST [options ...]",
  "    Return information about client connections. Options:",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Return clients of specified type.",
  "UNPAUSE",
  "    Stop the current client pause, resuming traffic.",
  "PAUSE <timeout> [WRITE|ALL]",
  "    Suspend all, or just write, clients for <timeout> milliseconds.",
  "REPLY (ON|OFF|SKIP)",
  "    Control the replies sent to the current connection.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the specified blocked client.",
  "TRACKINGINFO",
  "    Report tracking status for the current connection.",
  "NO-EVICT (ON|OFF)",
  "    Protect current client connection from eviction.",
  "HELP",
  "    Prints this help.",
];

/** `TYPE` filter argument shared by CLIENT LIST and CLIENT KILL docs. */
function typeArg(name: string, withSlave: boolean): ArgSpec[] {
  const tokens = withSlave
    ? [
      { name: "normal", type: "pure-token" as const, token: "NORMAL" },
      { name: "master", type: "pure-token" as const, token: "MASTER", since: "3.2.0" },
      { name: "slave", type: "pure-token" as const, token: "SLAVE" },
      { name: "replica", type: "pure-token" as const, token: "REPLICA", since: "5.0.0" },
      { name: "pubsub", type: "pure-token" as const, token: "PUBSUB" },
    ]
    : [
      { name: "normal", type: "pure-token" as const, token: "NORMAL" },
      { name: "master", type: "pure-token" as const, token: "MASTER" },
      { name: "replica", type: "pure-token" as const, token: "REPLICA" },
      { name: "pubsub", type: "pure-token" as const, token: "PUBSUB" },
    ];
  return [{
    name,
    type: "oneof",
    token: "TYPE",
    since: withSlave ? "2.8.12" : "5.0.0",
    optional: true,
    args: tokens,
  }];
}

/** `ON`/`OFF` tokens of CLIENT REPLY and CLIENT NO-EVICT docs. */
function onOff(): ArgSpec[] {
  return [
    { name: "on", type: "pure-token", token: "ON" },
    { name: "off", type: "pure-token", token: "OFF" },
  ];
}

const clientSubcommands: CommandSpec[] = [
  {
    name: "id",
    arity: 2,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "5.0.0",
    summary: "Returns the client ID for the current connection",
    complexity: "O(1)",
    run(c) {
      c.w.int(c.id);
    },
  },
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "connection",
    since: "5.0.0",
    summary: "Show helpful text about the different subcommands",
    complexity: "O(1)",
    run(c) {
      writeHelp(c, CLIENT_HELP);
    },
  },
  {
    name: "info",
    arity: 2,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "6.2.0",
    summary: "Returns information about the current client connection.",
    complexity: "O(1)",
    tips: ["nondeterministic_output"],
    run(c, argv) {
      c.w.verbatim(clientInfoLine(c, c, argv) + "\n");
    },
  },
  {
    name: "setname",
    arity: 3,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "2.6.9",
    summary: "Set the current connection name",
    complexity: "O(1)",
    args: [{ name: "connection-name", type: "string" }],
    run(c, argv) {
      setName(c, argv[2]!);
      c.w.ok();
    },
  },
  {
    name: "kill",
    arity: -3,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "connection",
    since: "2.4.0",
    summary: "Kill the connection of a client",
    complexity: "O(N) where N is the number of client connections",
    history: [
      ["2.8.12", "Added new filter format."],
      ["2.8.12", "`ID` option."],
      ["3.2.0", "Added `master` type in for `TYPE` option."],
      [
        "5.0.0",
        "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.",
      ],
      ["6.2.0", "`LADDR` option."],
    ],
    args: [{
      name: "filter",
      type: "oneof",
      args: [
        { name: "ip:port", type: "string", deprecatedSince: "2.8.12" },
        {
          name: "new-format",
          type: "oneof",
          multiple: true,
          args: [
            {
              name: "client-id",
              type: "integer",
              token: "ID",
              since: "2.8.12",
              optional: true,
            },
            ...typeArg("normal_master_slave_pubsub", true),
            { name: "username", type: "string", token: "USER", optional: true },
            { name: "ip:port", type: "string", token: "ADDR", optional: true },
            { name: "ip:port", type: "string", token: "LADDR", since: "6.2.0", optional: true },
            { name: "yes/no", type: "string", token: "SKIPME", optional: true },
          ],
        },
      ],
    }],
    run: clientKill,
  },
  {
    name: "list",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "connection",
    since: "2.4.0",
    summary: "Get the list of client connections",
    complexity: "O(N) where N is the number of client connections",
    tips: ["nondeterministic_output"],
    history: [
      ["2.8.12", "Added unique client `id` field."],
      ["5.0.0", "Added optional `TYPE` filter."],
      ["6.0.0", "Added `user` field."],
      [
        "6.2.0",
        "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.",
      ],
      ["7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."],
      ["7.0.3", "Added `ssub` field."],
    ],
    args: [
      ...typeArg("normal_master_replica_pubsub", false),
      {
        name: "id",
        type: "block",
        token: "ID",
        since: "6.2.0",
        optional: true,
        args: [{ name: "client-id", type: "integer", multiple: true }],
      },
    ],
    run: clientList,
  },
  {
    name: "getname",
    arity: 2,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "2.6.9",
    summary: "Get the current connection name",
    complexity: "O(1)",
    run(c) {
      c.w.bulkOrNull(c.name === "" ? null : c.name);
    },
  },
  {
    name: "reply",
    arity: 3,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "3.2.0",
    summary: "Instruct the server whether to reply to commands",
    complexity: "O(1)",
    args: [{
      name: "on_off_skip",
      type: "oneof",
      args: [...onOff(), { name: "skip", type: "pure-token", token: "SKIP" }],
    }],
    run(c, argv) {
      // OFF and SKIP answer nothing; the connection loop applies the mode (see server.ts).
      const mode = argv[2]!;
      if (isToken(mode, "on")) {
        c.replyMode = "on";
        c.skipNext = false;
        c.w.ok();
      } else if (isToken(mode, "off")) {
        c.replyMode = "off";
      } else if (isToken(mode, "skip")) {
        if (c.replyMode !== "off") c.replyMode = "skip";
      } else {
        throw new ReplyError(Errors.syntax);
      }
    },
  },
  {
    name: "getredir",
    arity: 2,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "6.0.0",
    summary: "Get tracking notifications redirection client ID if any",
    complexity: "O(1)",
    run(c) {
      // Client-side caching (CLIENT TRACKING) is not supported, so tracking is always off.
      c.w.int(-1);
    },
  },
  {
    name: "trackinginfo",
    arity: 2,
    flags: ["noscript", "loading", "stale"],
    group: "connection",
    since: "6.2.0",
    summary:
      "Return information about server assisted client side caching for the current connection",
    complexity: "O(1)",
    run(c) {
      const w = c.w;
      w.map(3);
      w.bulk("flags");
      w.set(1);
      w.bulk("off");
      w.bulk("redirect");
      w.int(-1);
      w.bulk("prefixes");
      w.array(0);
    },
  },
  {
    name: "pause",
    arity: -3,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "connection",
    since: "2.9.50",
    summary: "Stop processing commands from clients for some time",
    complexity: "O(1)",
    history: [["6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option."]],
    args: [
      { name: "timeout", type: "integer" },
      {
        name: "mode",
        type: "oneof",
        since: "6.2.0",
        optional: true,
        args: [
          { name: "write", type: "pure-token", token: "WRITE" },
          { name: "all", type: "pure-token", token: "ALL" },
        ],
      },
    ],
    run: clientPause,
  },
  {
    name: "unpause",
    arity: 2,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "connection",
    since: "6.2.0",
    summary: "Resume processing of clients that were paused",
    complexity: "O(N) Where N is the number of paused clients",
    run: clientUnpause,
  },
  {
    name: "unblock",
    arity: -3,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "connection",
    since: "5.0.0",
    summary: "Unblock a client blocked in a blocking command from a different connection",
    complexity: "O(log N) where N is the number of client connections",
    args: [
      { name: "client-id", type: "integer" },
      {
        name: "timeout_error",
        type: "oneof",
        optional: true,
        args: [
          { name: "timeout", type: "pure-token", token: "TIMEOUT" },
          { name: "error", type: "pure-token", token: "ERROR" },
        ],
      },
    ],
    run(c, argv) {
      if (argv.length > 4) {
        throw new ReplyError(
          `ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try CLIENT HELP.`,
        );
      }
      let withError = false;
      if (argv.length === 4) {
        if (isToken(argv[3]!, "error")) withError = true;
        else if (!isToken(argv[3]!, "timeout")) {
          throw new ReplyError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        }
      }
      const id = parseInteger(argv[2]!);
      if (id === null) throw new ReplyError(Errors.notInteger);
      const target = c.server.clients.get(Number(id));
      c.w.int(target !== undefined && unblockClient(target, withError) ? 1 : 0);
    },
  },
  {
    name: "no-evict",
    arity: 3,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "connection",
    since: "7.0.0",
    summary: "Set client eviction mode for the current connection",
    complexity: "O(1)",
    args: [{ name: "enabled", type: "oneof", args: onOff() }],
    run(c, argv) {
      if (isToken(argv[2]!, "on")) c.noEvict = true;
      else if (isToken(argv[2]!, "off")) c.noEvict = false;
      else throw new ReplyError(Errors.syntax);
      c.w.ok();
    },
  },
];

/** Connection commands. */
export const connectionCommands: CommandSpec[] = [
  {
    name: "ping",
    arity: -1,
    flags: ["fast", "sentinel"],
    group: "connection",
    since: "1.0.0",
    summary: "Ping the server",
    complexity: "O(1)",
    args: [{ name: "message", type: "string", optional: true }],
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
    run(c, argv) {
      if (argv.length > 2) throw new ReplyError(arityError("ping"));
      if (c.w.resp === 2 && isSubscribed(c)) {
        // RESP2 subscribers can only receive arrays, so PING answers in the message shape.
        c.w.array(2);
        c.w.bulk("pong");
        c.w.bulk(argv.length === 2 ? argv[1]! : "");
      } else if (argv.length === 2) c.w.bulk(argv[1]!);
      else c.w.raw("+PONG\r\n");
    },
  },
  {
    name: "echo",
    arity: 2,
    flags: ["loading", "stale", "fast"],
    group: "connection",
    since: "1.0.0",
    summary: "Echo the given string",
    complexity: "O(1)",
    args: [{ name: "message", type: "string" }],
    run(c, argv) {
      c.w.bulk(argv[1]!);
    },
  },
  {
    name: "quit",
    arity: -1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    group: "connection",
    since: "1.0.0",
    summary: "Close the connection",
    complexity: "O(1)",
    run(c) {
      c.w.ok();
      c.closeAfterReply = true;
    },
  },
  {
    name: "select",
    arity: 2,
    flags: ["loading", "stale", "fast"],
    group: "connection",
    since: "1.0.0",
    summary: "Change the selected database for the current connection",
    complexity: "O(1)",
    args: [{ name: "index", type: "integer" }],
    run(c, argv) {
      const v = parseInteger(argv[1]!);
      if (v === null) throw new ReplyError(Errors.notInteger);
      if (v < -2147483648 || v > 2147483647) {
        throw new ReplyError(
          "ERR value is out of range, value must between -2147483648 and 2147483647",
        );
      }
      const db = c.server.keyspace.dbs[Number(v)];
      if (db === undefined) throw new ReplyError(Errors.dbIndex);
      c.db = db;
      c.w.ok();
    },
  },
  {
    name: "auth",
    arity: -2,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    group: "connection",
    since: "1.0.0",
    summary: "Authenticate to the server",
    complexity: "O(N) where N is the number of passwords defined for the user",
    history: [["6.0.0", "Added ACL style (username and password)."]],
    args: [
      { name: "username", type: "string", since: "6.0.0", optional: true },
      { name: "password", type: "string" },
    ],
    run(c, argv) {
      if (argv.length > 3) throw new ReplyError(Errors.syntax);
      let user = "default";
      let pass = argv[1]!;
      if (argv.length === 3) {
        user = argv[1]!;
        pass = argv[2]!;
      } else if (c.server.config.getString("requirepass") === "") {
        throw new ReplyError(
          "ERR AUTH <password> called without any password configured for the default user. " +
            "Are you sure your configuration is correct?",
        );
      }
      if (!authenticate(c, user, pass)) throw new ReplyError(WRONGPASS);
      c.w.ok();
    },
  },
  {
    name: "hello",
    arity: -1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    group: "connection",
    since: "6.0.0",
    summary: "Handshake with Redis",
    complexity: "O(1)",
    history: [[
      "6.2.0",
      "`protover` made optional; when called without arguments the command reports the current connection's context.",
    ]],
    args: [{
      name: "arguments",
      type: "block",
      optional: true,
      args: [
        { name: "protover", type: "integer" },
        {
          name: "username_password",
          type: "block",
          token: "AUTH",
          optional: true,
          args: [{ name: "username", type: "string" }, { name: "password", type: "string" }],
        },
        { name: "clientname", type: "string", token: "SETNAME", optional: true },
      ],
    }],
    run(c, argv) {
      let ver: 2 | 3 | 0 = 0;
      if (argv.length >= 2) {
        const v = parseInteger(argv[1]!);
        if (v === null) {
          throw new ReplyError("ERR Protocol version is not an integer or out of range");
        }
        if (v !== 2 && v !== 3) throw new ReplyError("NOPROTO unsupported protocol version");
        ver = v;
      }
      // Options apply one by one, as Redis does: an error leaves earlier ones in effect.
      for (let j = 2; j < argv.length; j++) {
        const more = argv.length - 1 - j;
        const opt = argv[j]!;
        if (isToken(opt, "auth") && more >= 2) {
          if (!authenticate(c, argv[j + 1]!, argv[j + 2]!)) throw new ReplyError(WRONGPASS);
          j += 2;
        } else if (isToken(opt, "setname") && more >= 1) {
          setName(c, argv[j + 1]!);
          j++;
        } else {
          throw new ReplyError(`ERR Syntax error in HELLO option '${opt}'`);
        }
      }
      if (authRequired(c)) {
        throw new ReplyError(
          "NOAUTH HELLO must be called with the client already authenticated, otherwise the " +
            "HELLO AUTH <user> <pass> option can be used to authenticate the client and select " +
            "the RESP protocol version at the same time",
        );
      }
      if (ver !== 0) c.w.resp = ver;
      const w = c.w;
      w.map(7);
      w.bulk("server");
      w.bulk("redis");
      w.bulk("version");
      w.bulk(REDIS_VERSION);
      w.bulk("proto");
      w.int(w.resp);
      w.bulk("id");
      w.int(c.id);
      w.bulk("mode");
      w.bulk("standalone");
      w.bulk("role");
      w.bulk("master");
      w.bulk("modules");
      w.array(0);
    },
  },
  {
    name: "reset",
    arity: 1,
    flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"],
    group: "connection",
    since: "6.2.0",
    summary: "Reset the connection",
    complexity: "O(1)",
    run(c) {
      c.multi = null;
      unwatchAll(c);
      c.db = c.server.keyspace.dbs[0]!;
      c.w.resp = 2;
      c.replyMode = "on";
      c.skipNext = false;
      c.name = "";
      c.user = "default";
      c.authenticated = c.server.config.getString("requirepass") === "";
      leaveMonitor(c);
      dropSubscriptions(c);
      c.w.simple("RESET");
    },
  },
  {
    name: "client",
    arity: -2,
    flags: [],
    group: "connection",
    since: "2.4.0",
    summary: "A container for client connection commands",
    complexity: "Depends on subcommand.",
    subcommands: clientSubcommands,
  },
];
