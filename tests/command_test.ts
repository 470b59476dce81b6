/**
 * COMMAND replies. Unit level: a table of Redis-accurate declarations (GET, SET, MSET,
 * GETSET, RENAME, ZUNIONSTORE, EVAL, CONFIG GET) rendered by the COMMAND handlers and
 * compared byte for byte with what Redis 7.0.15 sends for the same commands. Server level:
 * COMMAND on the live table through ioredis and a raw socket.
 *
 * @module
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { Redis } from "ioredis";
import { RawClient, startServer } from "./_server.ts";
import {
  aclCategories,
  commandFlags,
  introspectionCommands,
  keySpecs,
  legacyRange,
} from "../src/commands/command.ts";
import type { Client } from "../src/commands/context.ts";
import { type CommandSpec, ReplyError } from "../src/commands/spec.ts";
import { CommandTable } from "../src/commands/table.ts";
import { ReplyWriter } from "../src/resp/writer.ts";

const noop = () => {};

/** `numkeys`-style key extraction: `numkeys` at `idx`, keys after it, plus `fixed` keys. */
function numkeys(idx: number, fixed: number[]) {
  return (argv: string[]): number[] => {
    const n = Number(argv[idx]);
    if (!Number.isInteger(n) || n < 0 || idx + n >= argv.length) return [];
    return [...fixed, ...Array.from({ length: n }, (_, i) => idx + 1 + i)];
  };
}

/** Declarations copied from Redis 7.0's COMMAND INFO / COMMAND DOCS. */
const FIXTURES: CommandSpec[] = [
  {
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "string",
    since: "1.0.0",
    summary: "Get the value of a key",
    complexity: "O(1)",
    args: [{ name: "key", type: "key", keySpecIndex: 0 }],
    run: noop,
  },
  {
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [{
      notes: "RW and ACCESS due to the optional `GET` argument",
      flags: ["RW", "access", "update", "variable_flags"],
      begin: { index: 1 },
      find: { lastKey: 0, keyStep: 1, limit: 0 },
      variableFlags: (argv) =>
        argv.some((a, i) => i > 2 && a.toLowerCase() === "get")
          ? ["RW", "access", "update"]
          : ["OW", "update"],
    }],
    group: "string",
    since: "1.0.0",
    summary: "Set the string value of a key",
    complexity: "O(1)",
    history: [
      ["2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."],
      ["6.0.0", "Added the `KEEPTTL` option."],
      ["6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."],
      ["7.0.0", "Allowed the `NX` and `GET` options to be used together."],
    ],
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "value", type: "string" },
      {
        name: "condition",
        type: "oneof",
        since: "2.6.12",
        optional: true,
        args: [
          { name: "nx", type: "pure-token", token: "NX" },
          { name: "xx", type: "pure-token", token: "XX" },
        ],
      },
      { name: "get", type: "pure-token", token: "GET", since: "6.2.0", optional: true },
      {
        name: "expiration",
        type: "oneof",
        optional: true,
        args: [
          { name: "seconds", type: "integer", token: "EX", since: "2.6.12" },
          { name: "milliseconds", type: "integer", token: "PX", since: "2.6.12" },
          { name: "unix-time-seconds", type: "unix-time", token: "EXAT", since: "6.2.0" },
          { name: "unix-time-milliseconds", type: "unix-time", token: "PXAT", since: "6.2.0" },
          { name: "keepttl", type: "pure-token", token: "KEEPTTL", since: "6.0.0" },
        ],
      },
    ],
    run: noop,
  },
  {
    name: "mset",
    arity: -3,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: -1, step: 2 },
    keyFlags: ["OW", "update"],
    group: "string",
    since: "1.0.1",
    summary: "Set multiple keys to multiple values",
    complexity: "O(N) where N is the number of keys to set.",
    tips: ["request_policy:multi_shard", "response_policy:all_succeeded"],
    args: [{
      name: "key_value",
      type: "block",
      multiple: true,
      args: [{ name: "key", type: "key", keySpecIndex: 0 }, { name: "value", type: "string" }],
    }],
    run: noop,
  },
  {
    name: "getset",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    group: "string",
    since: "1.0.0",
    summary: "Set the string value of a key and return its old value",
    complexity: "O(1)",
    deprecatedSince: "6.2.0",
    replacedBy: "`SET` with the `!GET` argument",
    args: [{ name: "key", type: "key", keySpecIndex: 0 }, { name: "value", type: "string" }],
    run: noop,
  },
  {
    name: "rename",
    arity: 3,
    flags: ["write"],
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: [
      {
        flags: ["RW", "access", "delete"],
        begin: { index: 1 },
        find: { lastKey: 0, keyStep: 1, limit: 0 },
      },
      { flags: ["OW", "update"], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    group: "generic",
    since: "1.0.0",
    summary: "Rename a key",
    complexity: "O(1)",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "newkey", type: "key", keySpecIndex: 1 },
    ],
    run: noop,
  },
  {
    name: "zunionstore",
    arity: -4,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [
      { flags: ["OW", "update"], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      {
        flags: ["RO", "access"],
        begin: { index: 2 },
        find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
      },
    ],
    getKeys: numkeys(2, [1]),
    group: "sorted-set",
    since: "2.0.0",
    summary: "Add multiple sorted sets and store the resulting sorted set in a new key",
    complexity: "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, " +
      "and M being the number of elements in the resulting sorted set.",
    args: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 1, multiple: true },
      { name: "weight", type: "integer", token: "WEIGHTS", optional: true, multiple: true },
      {
        name: "aggregate",
        type: "oneof",
        token: "AGGREGATE",
        optional: true,
        args: [
          { name: "sum", type: "pure-token", token: "SUM" },
          { name: "min", type: "pure-token", token: "MIN" },
          { name: "max", type: "pure-token", token: "MAX" },
        ],
      },
    ],
    run: noop,
  },
  {
    name: "eval",
    arity: -3,
    flags: ["noscript", "stale", "skip_monitor", "no_mandatory_keys"],
    keySpecs: [{
      notes: "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE",
      flags: ["RW", "access", "update"],
      begin: { index: 2 },
      find: { keyNumIdx: 0, firstKey: 1, keyStep: 1 },
    }],
    getKeys: numkeys(2, []),
    group: "scripting",
    since: "2.6.0",
    summary: "Execute a Lua script server side",
    complexity: "Depends on the script that is executed.",
    args: [
      { name: "script", type: "string" },
      { name: "numkeys", type: "integer" },
      { name: "key", type: "key", keySpecIndex: 0, optional: true, multiple: true },
      { name: "arg", type: "string", optional: true, multiple: true },
    ],
    run: noop,
  },
  {
    name: "config",
    arity: -2,
    flags: [],
    group: "server",
    since: "2.0.0",
    summary: "A container for server configuration commands",
    complexity: "Depends on subcommand.",
    subcommands: [{
      name: "get",
      arity: -3,
      flags: ["admin", "noscript", "loading", "stale"],
      group: "server",
      since: "2.0.0",
      summary: "Get the values of configuration parameters",
      complexity: "O(N) when N is the number of configuration parameters provided",
      history: [["7.0.0", "Added the ability to pass multiple pattern parameters in one call"]],
      args: [{
        name: "parameter",
        type: "block",
        multiple: true,
        args: [{ name: "parameter", type: "string" }],
      }],
      run: noop,
    }],
  },
];

const table = new CommandTable([...FIXTURES, ...introspectionCommands]);

/** Runs `argv` (a COMMAND call) against the fixture table; returns the reply bytes as text. */
function run(line: string, resp: 2 | 3 = 2): string {
  const argv = line.split(" ");
  const w = new ReplyWriter();
  w.resp = resp;
  // The COMMAND handlers only read the table and write replies: a minimal client suffices.
  const c = { server: { commands: table }, w } as unknown as Client;
  const cmd = table.lookup(argv);
  try {
    cmd!.run!(c, argv);
  } catch (e) {
    if (!(e instanceof ReplyError)) throw e;
    w.error(e.message);
  }
  return new TextDecoder().decode(w.take());
}

/** [command, the bytes Redis 7.0.15 replies in RESP2]. */
const RESP2: [string, string][] = [
  [
    "COMMAND INFO get set mset",
    "*3\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n" +
    "+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n" +
    "+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n" +
    "*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\n" +
    "spec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n" +
    "*10\r\n$3\r\nset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n*3\r\n" +
    "+@write\r\n+@string\r\n+@slow\r\n*0\r\n*1\r\n*8\r\n$5\r\nnotes\r\n$48\r\n" +
    "RW and ACCESS due to the optional `GET` argument\r\n$5\r\nflags\r\n*4\r\n+RW\r\n" +
    "+access\r\n+update\r\n+variable_flags\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n" +
    "$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\n" +
    "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n" +
    ":1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n*10\r\n$4\r\nmset\r\n:-3\r\n*2\r\n+write\r\n" +
    "+denyoom\r\n:1\r\n:-1\r\n:2\r\n*3\r\n+@write\r\n+@string\r\n+@slow\r\n*2\r\n$26\r\n" +
    "request_policy:multi_shard\r\n$29\r\nresponse_policy:all_succeeded\r\n*1\r\n*6\r\n$5\r\n" +
    "flags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\n" +
    "index\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\n" +
    "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n" +
    ":2\r\n$5\r\nlimit\r\n:0\r\n*0\r\n",
  ],
  [
    "COMMAND INFO rename zunionstore eval",
    "*3\r\n*10\r\n$6\r\nrename\r\n:3\r\n*1\r\n+write\r\n:1\r\n:2\r\n:1\r\n*3\r\n" +
    "+@keyspace\r\n+@write\r\n+@slow\r\n*0\r\n*2\r\n*6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n" +
    "+access\r\n+delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\n" +
    "spec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\n" +
    "range\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\n" +
    "limit\r\n:0\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n" +
    "*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\n" +
    "find_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n" +
    ":0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n*10\r\n$11\r\nzunionstore\r\n" +
    ":-4\r\n*3\r\n+write\r\n+denyoom\r\n+movablekeys\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@write\r\n" +
    "+@sortedset\r\n+@slow\r\n*0\r\n*2\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n" +
    "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\n" +
    "index\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n" +
    "*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*6\r\n$5\r\n" +
    "flags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\n" +
    "index\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\n" +
    "type\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n*6\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n" +
    ":1\r\n$7\r\nkeystep\r\n:1\r\n*0\r\n*10\r\n$4\r\neval\r\n:-3\r\n*5\r\n+noscript\r\n" +
    "+stale\r\n+skip_monitor\r\n+no_mandatory_keys\r\n+movablekeys\r\n:0\r\n:0\r\n:0\r\n" +
    "*2\r\n+@slow\r\n+@scripting\r\n*0\r\n*1\r\n*8\r\n$5\r\nnotes\r\n$78\r\n" +
    "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE\r\n$5\r\n" +
    "flags\r\n*3\r\n+RW\r\n+access\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n" +
    "$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\n" +
    "type\r\n$6\r\nkeynum\r\n$4\r\nspec\r\n*6\r\n$9\r\nkeynumidx\r\n:0\r\n$8\r\nfirstkey\r\n" +
    ":1\r\n$7\r\nkeystep\r\n:1\r\n*0\r\n",
  ],
  [
    "COMMAND DOCS set",
    "*2\r\n$3\r\nset\r\n*12\r\n$7\r\nsummary\r\n$29\r\nSet the string value of a key\r\n" +
    "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\n" +
    "O(1)\r\n$7\r\nhistory\r\n*4\r\n*2\r\n$6\r\n2.6.12\r\n$44\r\n" +
    "Added the `EX`, `PX`, `NX` and `XX` options.\r\n*2\r\n$5\r\n6.0.0\r\n$27\r\n" +
    "Added the `KEEPTTL` option.\r\n*2\r\n$5\r\n6.2.0\r\n$42\r\n" +
    "Added the `GET`, `EXAT` and `PXAT` option.\r\n*2\r\n$5\r\n7.0.0\r\n$55\r\n" +
    "Allowed the `NX` and `GET` options to be used together.\r\n$9\r\narguments\r\n*5\r\n" +
    "*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n" +
    ":0\r\n*4\r\n$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n*10\r\n$4\r\n" +
    "name\r\n$9\r\ncondition\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\nsince\r\n$6\r\n2.6.12\r\n" +
    "$5\r\nflags\r\n*1\r\n+optional\r\n$9\r\narguments\r\n*2\r\n*6\r\n$4\r\nname\r\n$2\r\n" +
    "nx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$2\r\nNX\r\n*6\r\n$4\r\nname\r\n" +
    "$2\r\nxx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$2\r\nXX\r\n*10\r\n$4\r\n" +
    "name\r\n$3\r\nget\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$3\r\nGET\r\n" +
    "$5\r\nsince\r\n$5\r\n6.2.0\r\n$5\r\nflags\r\n*1\r\n+optional\r\n*8\r\n$4\r\nname\r\n" +
    "$10\r\nexpiration\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\nflags\r\n*1\r\n+optional\r\n" +
    "$9\r\narguments\r\n*5\r\n*8\r\n$4\r\nname\r\n$7\r\nseconds\r\n$4\r\ntype\r\n$7\r\n" +
    "integer\r\n$5\r\ntoken\r\n$2\r\nEX\r\n$5\r\nsince\r\n$6\r\n2.6.12\r\n*8\r\n$4\r\n" +
    "name\r\n$12\r\nmilliseconds\r\n$4\r\ntype\r\n$7\r\ninteger\r\n$5\r\ntoken\r\n$2\r\n" +
    "PX\r\n$5\r\nsince\r\n$6\r\n2.6.12\r\n*8\r\n$4\r\nname\r\n$17\r\nunix-time-seconds\r\n" +
    "$4\r\ntype\r\n$9\r\nunix-time\r\n$5\r\ntoken\r\n$4\r\nEXAT\r\n$5\r\nsince\r\n$5\r\n" +
    "6.2.0\r\n*8\r\n$4\r\nname\r\n$22\r\nunix-time-milliseconds\r\n$4\r\ntype\r\n$9\r\n" +
    "unix-time\r\n$5\r\ntoken\r\n$4\r\nPXAT\r\n$5\r\nsince\r\n$5\r\n6.2.0\r\n*8\r\n$4\r\n" +
    "name\r\n$7\r\nkeepttl\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$7\r\n" +
    "KEEPTTL\r\n$5\r\nsince\r\n$5\r\n6.0.0\r\n",
  ],
  [
    "COMMAND DOCS getset zunionstore",
    "*4\r\n$6\r\ngetset\r\n*16\r\n$7\r\nsummary\r\n$54\r\n" +
    "Set the string value of a key and return its old value\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n" +
    "$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\ndoc_flags\r\n" +
    "*1\r\n+deprecated\r\n$16\r\ndeprecated_since\r\n$5\r\n6.2.0\r\n$11\r\nreplaced_by\r\n" +
    "$30\r\n`SET` with the `!GET` argument\r\n$9\r\narguments\r\n*2\r\n*6\r\n$4\r\nname\r\n" +
    "$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n*4\r\n$4\r\n" +
    "name\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n$11\r\nzunionstore\r\n*10\r\n$7\r\n" +
    "summary\r\n$72\r\n" +
    "Add multiple sorted sets and store the resulting sorted set in a new key\r\n$5\r\n" +
    "since\r\n$5\r\n2.0.0\r\n$5\r\ngroup\r\n$10\r\nsorted-set\r\n$10\r\ncomplexity\r\n" +
    "$140\r\n" +
    "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.\r\n" +
    "$9\r\narguments\r\n*5\r\n*6\r\n$4\r\nname\r\n$11\r\ndestination\r\n$4\r\ntype\r\n$3\r\n" +
    "key\r\n$14\r\nkey_spec_index\r\n:0\r\n*4\r\n$4\r\nname\r\n$7\r\nnumkeys\r\n$4\r\n" +
    "type\r\n$7\r\ninteger\r\n*8\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n" +
    "$14\r\nkey_spec_index\r\n:1\r\n$5\r\nflags\r\n*1\r\n+multiple\r\n*8\r\n$4\r\nname\r\n" +
    "$6\r\nweight\r\n$4\r\ntype\r\n$7\r\ninteger\r\n$5\r\ntoken\r\n$7\r\nWEIGHTS\r\n$5\r\n" +
    "flags\r\n*2\r\n+optional\r\n+multiple\r\n*10\r\n$4\r\nname\r\n$9\r\naggregate\r\n$4\r\n" +
    "type\r\n$5\r\noneof\r\n$5\r\ntoken\r\n$9\r\nAGGREGATE\r\n$5\r\nflags\r\n*1\r\n" +
    "+optional\r\n$9\r\narguments\r\n*3\r\n*6\r\n$4\r\nname\r\n$3\r\nsum\r\n$4\r\ntype\r\n" +
    "$10\r\npure-token\r\n$5\r\ntoken\r\n$3\r\nSUM\r\n*6\r\n$4\r\nname\r\n$3\r\nmin\r\n$4\r\n" +
    "type\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$3\r\nMIN\r\n*6\r\n$4\r\nname\r\n$3\r\n" +
    "max\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$3\r\nMAX\r\n",
  ],
  [
    "COMMAND INFO config|get nope",
    "*2\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n" +
    "+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n" +
    "$-1\r\n",
  ],
  [
    "COMMAND DOCS config|get nope",
    "*2\r\n$10\r\nconfig|get\r\n*12\r\n$7\r\nsummary\r\n$42\r\n" +
    "Get the values of configuration parameters\r\n$5\r\nsince\r\n$5\r\n2.0.0\r\n$5\r\n" +
    "group\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$62\r\n" +
    "O(N) when N is the number of configuration parameters provided\r\n$7\r\nhistory\r\n" +
    "*1\r\n*2\r\n$5\r\n7.0.0\r\n$65\r\n" +
    "Added the ability to pass multiple pattern parameters in one call\r\n$9\r\narguments\r\n" +
    "*1\r\n*8\r\n$4\r\nname\r\n$9\r\nparameter\r\n$4\r\ntype\r\n$5\r\nblock\r\n$5\r\n" +
    "flags\r\n*1\r\n+multiple\r\n$9\r\narguments\r\n*1\r\n*4\r\n$4\r\nname\r\n$9\r\n" +
    "parameter\r\n$4\r\ntype\r\n$6\r\nstring\r\n",
  ],
  ["COMMAND GETKEYSANDFLAGS set a b", "*1\r\n*2\r\n$1\r\na\r\n*2\r\n+OW\r\n+update\r\n"],
  [
    "COMMAND GETKEYSANDFLAGS set a b NX GET EX 10",
    "*1\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+update\r\n",
  ],
  [
    "COMMAND GETKEYSANDFLAGS rename a b",
    "*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n" +
    "+update\r\n",
  ],
  [
    "COMMAND GETKEYSANDFLAGS zunionstore d 2 a b WEIGHTS 1 2",
    "*3\r\n*2\r\n$1\r\nd\r\n*2\r\n+OW\r\n+update\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n" +
    "*2\r\n$1\r\nb\r\n*2\r\n+RO\r\n+access\r\n",
  ],
  ["COMMAND GETKEYS zunionstore d 3 a b", "-ERR Invalid arguments specified for command\r\n"],
  ["COMMAND GETKEYS zunionstore d x a b", "-ERR Invalid arguments specified for command\r\n"],
  ["COMMAND GETKEYS eval s 0", "*0\r\n"],
  [
    "COMMAND GETKEYSANDFLAGS eval s 2 a b c",
    "*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+update\r\n*2\r\n$1\r\nb\r\n*3\r\n+RW\r\n" +
    "+access\r\n+update\r\n",
  ],
  ["COMMAND GETKEYS mset a 1 b 2", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"],
  ["COMMAND GETKEYS mset a 1 b", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"],
  ["COMMAND GETKEYS get a b", "-ERR Invalid number of arguments specified for command\r\n"],
  ["COMMAND GETKEYS config get x", "-ERR The command has no key arguments\r\n"],
  ["COMMAND GETKEYS config nope x", "-ERR Invalid command specified\r\n"],
  ["COMMAND GETKEYS nope a", "-ERR Invalid command specified\r\n"],
  ["COMMAND GETKEYS CONFIG x y", "-ERR Invalid command specified\r\n"],
  // (Redis lists its whole table; these two expect the fixture table's share of it.)
  ["COMMAND LIST FILTERBY PATTERN *s?t", "*3\r\n$3\r\nset\r\n$4\r\nmset\r\n$6\r\ngetset\r\n"],
  ["COMMAND LIST FILTERBY ACLCAT Admin", "*1\r\n$10\r\nconfig|get\r\n"],
  ["COMMAND LIST FILTERBY ACLCAT @admin", "*0\r\n"],
  ["COMMAND LIST FILTERBY MODULE x", "*0\r\n"],
  ["COMMAND LIST FILTERBY PATTERN", "-ERR syntax error\r\n"],
  ["COMMAND LIST FILTERBY KIND x", "-ERR syntax error\r\n"],
  ["COMMAND LIST x", "-ERR syntax error\r\n"],
];

/** The same in RESP3 (after HELLO 3). */
const RESP3: [string, string][] = [
  [
    "COMMAND INFO get set",
    "*2\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n" +
    "+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n" +
    "+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n" +
    "%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\n" +
    "spec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n" +
    "*10\r\n$3\r\nset\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:1\r\n:1\r\n~3\r\n" +
    "+@write\r\n+@string\r\n+@slow\r\n~0\r\n~1\r\n%4\r\n$5\r\nnotes\r\n$48\r\n" +
    "RW and ACCESS due to the optional `GET` argument\r\n$5\r\nflags\r\n~4\r\n+RW\r\n" +
    "+access\r\n+update\r\n+variable_flags\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n" +
    "$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\n" +
    "type\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n" +
    ":1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n",
  ],
  [
    "COMMAND DOCS getset",
    "%1\r\n$6\r\ngetset\r\n%8\r\n$7\r\nsummary\r\n$54\r\n" +
    "Set the string value of a key and return its old value\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n" +
    "$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\ndoc_flags\r\n" +
    "~1\r\n+deprecated\r\n$16\r\ndeprecated_since\r\n$5\r\n6.2.0\r\n$11\r\nreplaced_by\r\n" +
    "$30\r\n`SET` with the `!GET` argument\r\n$9\r\narguments\r\n*2\r\n%3\r\n$4\r\nname\r\n" +
    "$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n%2\r\n$4\r\n" +
    "name\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n",
  ],
  [
    "COMMAND GETKEYSANDFLAGS rename a b",
    "*2\r\n*2\r\n$1\r\na\r\n~3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n~2\r\n+OW\r\n" +
    "+update\r\n",
  ],
  ["COMMAND INFO nope", "*1\r\n_\r\n"],
  ["COMMAND DOCS nope", "%0\r\n"],
];

Deno.test("COMMAND INFO, DOCS, GETKEYS and LIST replies match Redis byte for byte (RESP2)", () => {
  for (const [line, expected] of RESP2) strictEqual(run(line), expected, line);
});

Deno.test("COMMAND replies use RESP3 sets, maps and nulls like Redis", () => {
  for (const [line, expected] of RESP3) strictEqual(run(line, 3), expected, line);
});

Deno.test("flags, ACL categories and key specs derive from the declaration", () => {
  const get = table.get("get")!.spec;
  deepStrictEqual(commandFlags(get), ["readonly", "fast"]);
  deepStrictEqual(aclCategories(get), ["@read", "@string", "@fast"]);
  // movablekeys comes from getKeys; sentinel flags are not shown outside Sentinel.
  deepStrictEqual(commandFlags(table.get("zunionstore")!.spec), [
    "write",
    "denyoom",
    "movablekeys",
  ]);
  deepStrictEqual(commandFlags({ ...get, flags: ["fast", "sentinel"] }), ["fast"]);
  // Containers get no group category; an `acl` kind category replaces the group's.
  deepStrictEqual(aclCategories(table.get("config")!.spec), ["@slow"]);
  deepStrictEqual(aclCategories({ ...get, group: "generic", acl: ["connection"] }), [
    "@read",
    "@fast",
    "@connection",
  ]);
  deepStrictEqual(aclCategories({ ...get, flags: ["admin"], acl: ["keyspace"] }), [
    "@keyspace",
    "@admin",
    "@slow",
    "@dangerous",
  ]);
  // One key spec is derived from `keys` (lastkey relative to the first key).
  deepStrictEqual(keySpecs(table.get("mset")!.spec), [{
    flags: ["OW", "update"],
    begin: { index: 1 },
    find: { lastKey: -1, keyStep: 2, limit: 0 },
  }]);
  deepStrictEqual(keySpecs({ ...get, keyFlags: undefined, flags: ["write"] })[0]!.flags, [
    "RW",
    "update",
  ]);
  // Without `keys`, the legacy range is merged from the index/range key specs.
  deepStrictEqual(legacyRange({ ...table.get("rename")!.spec, keys: undefined }), [1, 2, 1]);
  deepStrictEqual(legacyRange(table.get("eval")!.spec), [0, 0, 0]);
});

// --- the live server: whatever commands the registry holds --------------------------------

Deno.test("COMMAND on the server: COUNT, LIST and INFO agree with each other", async () => {
  const t = startServer();
  const r = new Redis({ port: t.port, lazyConnect: true, enableReadyCheck: false });
  await r.connect();
  try {
    const all = (await r.call("COMMAND")) as unknown[][];
    const count = (await r.call("COMMAND", "COUNT")) as number;
    strictEqual(all.length, count);
    const names = (await r.call("COMMAND", "LIST")) as string[];
    const top = names.filter((n) => !n.includes("|"));
    deepStrictEqual(top.sort(), all.map((e) => e[0] as string).sort());
    ok(names.includes("command|getkeys"));
    // Every listed name, subcommands included, resolves in COMMAND INFO and DOCS.
    const infos = (await r.call("COMMAND", "INFO", ...names)) as unknown[][];
    deepStrictEqual(infos.map((e) => e[0]), names);
    const docs = (await r.call("COMMAND", "DOCS", ...names)) as unknown[];
    strictEqual(docs.length, names.length * 2);
    deepStrictEqual(await r.call("COMMAND", "INFO", "no-such-command"), [null]);
    deepStrictEqual(await r.call("COMMAND", "DOCS", "no-such-command"), []);
    const cmdInfo = (await r.call("COMMAND", "INFO", "command")) as unknown[][];
    deepStrictEqual(cmdInfo[0]!.slice(0, 7), [
      "command",
      -1,
      ["loading", "stale"],
      0,
      0,
      0,
      ["@slow", "@connection"],
    ]);
    deepStrictEqual((cmdInfo[0]![9] as unknown[][]).map((s) => s[0]), [
      "command|count",
      "command|docs",
      "command|getkeys",
      "command|getkeysandflags",
      "command|help",
      "command|info",
      "command|list",
    ]);
    deepStrictEqual(await r.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "command|get*"), [
      "command|getkeys",
      "command|getkeysandflags",
    ]);
    await rejects(
      r.call("COMMAND", "GETKEYS", "ping", "x"),
      /^ReplyError: ERR The command has no key arguments/,
    );
    await rejects(r.call("COMMAND", "NOPE"), /ERR unknown subcommand 'NOPE'. Try COMMAND HELP./);
  } finally {
    r.disconnect();
    await t.close();
  }
});

/** Replies of the live server to COMMAND calls, as Redis 7.0.15 sends them. */
const LIVE: [string[], string][] = [
  [
    ["COMMAND", "INFO", "command|count"],
    "*1\r\n*10\r\n$13\r\ncommand|count\r\n:2\r\n*2\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n" +
    ":0\r\n*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n",
  ],
  [
    ["COMMAND", "DOCS", "command|list"],
    "*2\r\n$12\r\ncommand|list\r\n*10\r\n$7\r\nsummary\r\n$35\r\n" +
    "Get an array of Redis command names\r\n$5\r\nsince\r\n$5\r\n7.0.0\r\n$5\r\ngroup\r\n" +
    "$6\r\nserver\r\n$10\r\ncomplexity\r\n$50\r\n" +
    "O(N) where N is the total number of Redis commands\r\n$9\r\narguments\r\n*1\r\n*10\r\n" +
    "$4\r\nname\r\n$8\r\nfilterby\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\ntoken\r\n$8\r\n" +
    "FILTERBY\r\n$5\r\nflags\r\n*1\r\n+optional\r\n$9\r\narguments\r\n*3\r\n*6\r\n$4\r\n" +
    "name\r\n$11\r\nmodule-name\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\ntoken\r\n$6\r\n" +
    "MODULE\r\n*6\r\n$4\r\nname\r\n$8\r\ncategory\r\n$4\r\ntype\r\n$6\r\nstring\r\n$5\r\n" +
    "token\r\n$6\r\nACLCAT\r\n*6\r\n$4\r\nname\r\n$7\r\npattern\r\n$4\r\ntype\r\n$7\r\n" +
    "pattern\r\n$5\r\ntoken\r\n$7\r\nPATTERN\r\n",
  ],
  [
    ["COMMAND", "HELP"],
    "*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n" +
    "+(no subcommand)\r\n+    Return details about all Redis commands.\r\n+COUNT\r\n" +
    "+    Return the total number of commands in this Redis server.\r\n+LIST\r\n" +
    "+    Return a list of all commands in this Redis server.\r\n" +
    "+INFO [<command-name> ...]\r\n+    Return details about multiple Redis commands.\r\n" +
    "+    If no command names are given, documentation details for all\r\n" +
    "+    commands are returned.\r\n+DOCS [<command-name> ...]\r\n" +
    "+    Return documentation details about multiple Redis commands.\r\n" +
    "+    If no command names are given, documentation details for all\r\n" +
    "+    commands are returned.\r\n+GETKEYS <full-command>\r\n" +
    "+    Return the keys from a full Redis command.\r\n+GETKEYSANDFLAGS <full-command>\r\n" +
    "+    Return the keys and the access flags from a full Redis command.\r\n+HELP\r\n" +
    "+    Prints this help.\r\n",
  ],
  [
    ["COMMAND", "GETKEYS"],
    "-ERR wrong number of arguments for 'command|getkeys' command\r\n",
  ],
  [["COMMAND", "COUNT", "x"], "-ERR wrong number of arguments for 'command|count' command\r\n"],
  [["COMMAND", "INFO", "command|nope", "command|count|x", "COUNT"], "*3\r\n$-1\r\n$-1\r\n$-1\r\n"],
  [["COMMAND", "GETKEYS", "nope", "a"], "-ERR Invalid command specified\r\n"],
  [["COMMAND", "GETKEYS", "command", "nope"], "-ERR Invalid command specified\r\n"],
  [["COMMAND", "GETKEYS", "ping", "a", "b"], "-ERR The command has no key arguments\r\n"],
  [["COMMAND", "LIST", "FILTERBY", "MODULE", "x"], "*0\r\n"],
  [["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nope"], "*0\r\n"],
  [["COMMAND", "LIST", "FILTERBY", "x", "y"], "-ERR syntax error\r\n"],
  [["COMMAND", "LIST", "x"], "-ERR syntax error\r\n"],
];

Deno.test("COMMAND on the server replies byte for byte like Redis", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  try {
    for (const [argv, expected] of LIVE) {
      await raw.command(...argv);
      strictEqual(await raw.read(expected), expected, argv.join(" "));
    }
  } finally {
    raw.close();
    await t.close();
  }
});
