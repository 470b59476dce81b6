/**
 * The shape of a command declaration. Every command is declared once, as data plus its
 * handler; the dispatcher, `COMMAND`, `COMMAND DOCS`, arity errors and key extraction all
 * derive from these declarations.
 *
 * @module
 */
import type { Client } from "./context.ts";

/** Command flags, as `COMMAND INFO` reports them. */
export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "module"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "skip_slowlog"
  | "asking"
  | "fast"
  | "no_auth"
  | "may_replicate"
  | "sentinel"
  | "only_sentinel"
  | "no_mandatory_keys"
  | "protected"
  | "no_async_loading"
  | "no_multi"
  | "movablekeys"
  | "allow_busy";

/** All known flags (the table test rejects others). */
export const KNOWN_FLAGS: ReadonlySet<string> = new Set<CommandFlag>([
  "write",
  "readonly",
  "denyoom",
  "module",
  "admin",
  "pubsub",
  "noscript",
  "blocking",
  "loading",
  "stale",
  "skip_monitor",
  "skip_slowlog",
  "asking",
  "fast",
  "no_auth",
  "may_replicate",
  "sentinel",
  "only_sentinel",
  "no_mandatory_keys",
  "protected",
  "no_async_loading",
  "no_multi",
  "movablekeys",
  "allow_busy",
]);

/** Argument types used by `COMMAND DOCS`. */
export type ArgType =
  | "string"
  | "integer"
  | "double"
  | "key"
  | "pattern"
  | "unix-time"
  | "pure-token"
  | "oneof"
  | "block";

/** One argument, as `COMMAND DOCS` describes it. */
export interface ArgSpec {
  /** Argument name. */
  name: string;
  /** Argument type. */
  type: ArgType;
  /** Literal token preceding the value (e.g. `EX`). */
  token?: string;
  /** Index into the command's key specs, for `key` arguments. */
  keySpecIndex?: number;
  /** The argument may be omitted. */
  optional?: boolean;
  /** The argument may repeat. */
  multiple?: boolean;
  /** With `multiple`: the token repeats with each value. */
  multipleToken?: boolean;
  /** Version that added the argument. */
  since?: string;
  /** Display text for docs. */
  displayText?: string;
  /** Version that deprecated the argument (`COMMAND DOCS` `deprecated_since`). */
  deprecatedSince?: string;
  /** Children of `oneof` / `block`. */
  args?: ArgSpec[];
}

/** Legacy key positions (`first`, `last`, `step`) as in `COMMAND INFO`. */
export interface KeyRange {
  /** Position of the first key (1-based), 0 when none. */
  first: number;
  /** Position of the last key; negative counts from the end (-1 = last argument). */
  last: number;
  /** Step between keys. */
  step: number;
}

/** Key access flags in a key spec (`COMMAND INFO` key-specs). */
export type KeySpecFlag =
  | "RO"
  | "RW"
  | "OW"
  | "RM"
  | "access"
  | "update"
  | "insert"
  | "delete"
  | "not_key"
  | "incomplete"
  | "variable_flags";

/**
 * A full Redis 7 key spec, for commands whose keys `keys` + `keyFlags` can't describe (several
 * specs with different flags, notes, keyword or `numkeys` searches). `COMMAND INFO` shows
 * these as declared; without them one spec is derived from `keys` and `keyFlags`.
 */
export interface KeySpec {
  /** Free-text notes shown by `COMMAND INFO`. */
  notes?: string;
  /** Access flags. */
  flags: KeySpecFlag[];
  /** `begin_search`: a fixed argv index, a keyword searched from `startFrom`, or unknown. */
  begin: { index: number } | { keyword: string; startFrom: number } | "unknown";
  /**
   * `find_keys`: a range from the begin position (`lastKey` relative to it, negative counts
   * from the end of argv), a `numkeys` argument at `keyNumIdx` (relative), or unknown.
   */
  find:
    | { lastKey: number; keyStep: number; limit: number }
    | { keyNumIdx: number; firstKey: number; keyStep: number }
    | "unknown";
  /**
   * With the `variable_flags` flag: the flags that apply to one call (`COMMAND
   * GETKEYSANDFLAGS`), e.g. SET is `OW update` unless it has `GET`.
   */
  variableFlags?: (argv: string[]) => KeySpecFlag[];
}

/** A command handler: validates every argument, then mutates, then writes its reply. */
export type Handler = (c: Client, argv: string[]) => void;

/** One command (or subcommand) declaration. */
export interface CommandSpec {
  /** Lower-case name; for subcommands, the subcommand alone (e.g. `get` under `config`). */
  name: string;
  /** Redis arity: exact argc when positive, minimum argc when negative (argv[0] counts). */
  arity: number;
  /** Command flags. */
  flags: CommandFlag[];
  /**
   * ACL categories beyond those derived from flags and group (without `@`). Naming a
   * data-type-like category (`keyspace`, `string`, `list`, `connection`, ...) replaces the
   * one the group implies, as Redis does for e.g. SORT (`set sortedset list`) and WAIT.
   */
  acl?: string[];
  /** Legacy key positions; omitted for commands without keys. */
  keys?: KeyRange;
  /** Key spec flags for the keys in `keys` (defaults derived from command flags). */
  keyFlags?: KeySpecFlag[];
  /** Full key specs; when present they replace the one derived from `keys`/`keyFlags`. */
  keySpecs?: KeySpec[];
  /**
   * Key extraction for commands whose keys `keys` can't describe (e.g. `numkeys`); makes the
   * command `movablekeys`. Returns argv positions.
   */
  getKeys?: (argv: string[]) => number[];
  /** Command group (`string`, `generic`, `connection`, `server`, ...). */
  group: string;
  /** First Redis version with the command. */
  since: string;
  /** One-line summary. */
  summary: string;
  /** Complexity text. */
  complexity?: string;
  /** Arguments (for `COMMAND DOCS` and the table test). */
  args?: ArgSpec[];
  /** Command tips (`COMMAND INFO`). */
  tips?: string[];
  /** Version history `[version, description]`. */
  history?: [string, string][];
  /** Deprecated since this version (implies the `deprecated` doc flag). */
  deprecatedSince?: string;
  /** `COMMAND DOCS` doc flags (`syscmd` for internal commands like PSYNC). */
  docFlags?: ("deprecated" | "syscmd")[];
  /** Replacement for deprecated commands. */
  replacedBy?: string;
  /** Subcommands, for container commands (CONFIG, CLIENT, ...). */
  subcommands?: CommandSpec[];
  /** The handler; container commands have none. */
  run?: Handler;
}

/** A client-visible error: written as `-<message>`; never tears down a connection. */
export class ReplyError extends Error {
  /** `message` includes the code, e.g. `ERR syntax error`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ReplyError";
  }
}

/** Redis's standard error texts. */
export const Errors = {
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
  notInteger: "ERR value is not an integer or out of range",
  notFloat: "ERR value is not a valid float",
  syntax: "ERR syntax error",
  overflow: "ERR increment or decrement would overflow",
  noSuchKey: "ERR no such key",
  dbIndex: "ERR DB index is out of range",
  outOfRange: "ERR index out of range",
  noAuth: "NOAUTH Authentication required.",
} as const;

/** Throws a {@link ReplyError}; handy in expressions. */
export function fail(message: string): never {
  throw new ReplyError(message);
}

/** The `key` argument most commands start with (`COMMAND DOCS`). */
export const KEY_ARG: ArgSpec = { name: "key", type: "key", keySpecIndex: 0 };

/** Key positions of a command whose only key is its first argument. */
export const FIRST_KEY: KeyRange = { first: 1, last: 1, step: 1 };
