/**
 * COMMAND and its subcommands (COUNT, INFO, DOCS, LIST, GETKEYS, GETKEYSANDFLAGS, HELP). Every
 * reply is generated from the command declarations ({@link CommandSpec}); nothing here lists
 * commands by hand. The derivations (flags shown, ACL categories, key specs, legacy key range)
 * follow what Redis 7.0 reports for its own table, so they are exported for ACL and tests.
 *
 * @module
 */
import { writeHelp } from "./args.ts";
import type { ReplyWriter } from "../resp/writer.ts";
import { globMatch } from "../store/glob.ts";
import type { Client } from "./context.ts";
import {
  type ArgSpec,
  type CommandSpec,
  fail,
  type KeySpec,
  type KeySpecFlag,
  KNOWN_FLAGS,
  ReplyError,
} from "./spec.ts";
import { type Command, keyPositions } from "./table.ts";

/** ACL categories in the order Redis lists them. */
export const ACL_CATEGORIES: readonly string[] = [
  "keyspace",
  "read",
  "write",
  "set",
  "sortedset",
  "list",
  "hash",
  "string",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "admin",
  "fast",
  "slow",
  "blocking",
  "dangerous",
  "connection",
  "transaction",
  "scripting",
];

/** The category each command group implies (groups not listed imply none). */
const GROUP_CATEGORY: Record<string, string> = {
  generic: "keyspace",
  string: "string",
  list: "list",
  set: "set",
  "sorted-set": "sortedset",
  hash: "hash",
  bitmap: "bitmap",
  hyperloglog: "hyperloglog",
  geo: "geo",
  stream: "stream",
  connection: "connection",
  transactions: "transaction",
  scripting: "scripting",
};

/** Categories that describe what a command works on; one in `acl` replaces the group's. */
const KIND_CATEGORIES = new Set([
  "keyspace",
  "string",
  "list",
  "set",
  "sortedset",
  "hash",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "connection",
  "transaction",
  "scripting",
]);

/** Flags a non-sentinel server leaves out of `COMMAND INFO`. */
const HIDDEN_FLAGS = new Set(["sentinel", "only_sentinel"]);
const FLAG_ORDER = [...KNOWN_FLAGS];

/** Whether a key spec needs more than a fixed index and a range (Redis `movablekeys`). */
function isMovableSpec(ks: KeySpec): boolean {
  return typeof ks.begin !== "object" || !("index" in ks.begin) || typeof ks.find !== "object" ||
    !("lastKey" in ks.find);
}

/** The flags `COMMAND INFO` shows, in Redis's order (`movablekeys` added when it applies). */
export function commandFlags(spec: CommandSpec): string[] {
  const set = new Set<string>(spec.flags);
  if (spec.getKeys || keySpecs(spec).some(isMovableSpec)) set.add("movablekeys");
  const out: string[] = [];
  for (const f of FLAG_ORDER) if (set.has(f) && !HIDDEN_FLAGS.has(f)) out.push(f);
  return out;
}

/**
 * ACL categories (with `@`) in Redis's order: implied by flags (`write`, `read`, `admin` +
 * `dangerous`, `pubsub`, `fast`, `blocking`, else `slow`), by the group (not for containers),
 * plus {@link CommandSpec.acl}.
 */
export function aclCategories(spec: CommandSpec): string[] {
  const cats = new Set<string>(spec.acl ?? []);
  const flags = new Set<string>(spec.flags);
  if (flags.has("write")) cats.add("write");
  // Read-only scripts (EVAL_RO...) are not @read in Redis: they are @scripting.
  if (flags.has("readonly") && !cats.has("scripting") && spec.group !== "scripting") {
    cats.add("read");
  }
  if (flags.has("admin")) {
    cats.add("admin");
    cats.add("dangerous");
  }
  if (flags.has("pubsub")) cats.add("pubsub");
  if (flags.has("fast")) cats.add("fast");
  if (flags.has("blocking")) cats.add("blocking");
  if (!cats.has("fast")) cats.add("slow");
  const groupCat = GROUP_CATEGORY[spec.group];
  const isContainer = spec.subcommands !== undefined;
  if (groupCat && !isContainer && !(spec.acl ?? []).some((c) => KIND_CATEGORIES.has(c))) {
    cats.add(groupCat);
  }
  return ACL_CATEGORIES.filter((c) => cats.has(c)).map((c) => "@" + c);
}

/** Default key spec flags when a declaration gives none. */
function defaultKeyFlags(spec: CommandSpec): KeySpecFlag[] {
  if (spec.flags.includes("write")) return ["RW", "update"];
  return ["RO", "access"];
}

/** The key specs of a command: declared, or one derived from `keys` and `keyFlags`. */
export function keySpecs(spec: CommandSpec): KeySpec[] {
  if (spec.keySpecs) return spec.keySpecs;
  const k = spec.keys;
  if (!k || k.first === 0) return [];
  return [{
    flags: spec.keyFlags ?? defaultKeyFlags(spec),
    begin: { index: k.first },
    find: { lastKey: k.last < 0 ? k.last : k.last - k.first, keyStep: k.step, limit: 0 },
  }];
}

/**
 * Legacy `first, last, step` of `COMMAND INFO`: declared `keys`, else merged from the
 * index+range key specs the way Redis derives it, else `0 0 0`.
 */
export function legacyRange(spec: CommandSpec): [number, number, number] {
  if (spec.keys) return [spec.keys.first, spec.keys.last, spec.keys.step];
  let first = 0;
  let last = 0;
  let step = 0;
  for (const ks of keySpecs(spec)) {
    if (typeof ks.begin !== "object" || !("index" in ks.begin)) continue;
    if (typeof ks.find !== "object" || !("lastKey" in ks.find) || ks.find.limit !== 0) continue;
    const b = ks.begin.index;
    const l = ks.find.lastKey < 0 ? ks.find.lastKey : b + ks.find.lastKey;
    if (first === 0) {
      first = b;
      last = l;
      step = ks.find.keyStep;
    } else {
      if (b < first) first = b;
      if (l < 0 || (last >= 0 && l > last)) last = l;
    }
  }
  return [first, last, step];
}

/** Whether `COMMAND GETKEYS` can find keys in this command at all. */
function hasKeys(spec: CommandSpec): boolean {
  if (spec.getKeys) return true;
  return keySpecs(spec).some((ks) => !ks.flags.includes("not_key"));
}

/** argv positions each key spec of `spec` finds (empty for unknown specs). */
function positionsBySpec(spec: CommandSpec, argv: string[]): number[][] {
  const argc = argv.length;
  return keySpecs(spec).map((ks) => {
    let start: number;
    if (ks.begin === "unknown") return [];
    if ("index" in ks.begin) start = ks.begin.index;
    else {
      const { keyword, startFrom } = ks.begin;
      const kw = keyword.toLowerCase();
      start = -1;
      if (startFrom >= 0) {
        for (let i = startFrom; i < argc; i++) {
          if (argv[i]!.toLowerCase() === kw) {
            start = i + 1;
            break;
          }
        }
      } else {
        for (let i = argc + startFrom; i > 0; i--) {
          if (argv[i]!.toLowerCase() === kw) {
            start = i + 1;
            break;
          }
        }
      }
      if (start < 0) return [];
    }
    if (start >= argc || ks.find === "unknown") return [];
    const out: number[] = [];
    if ("lastKey" in ks.find) {
      const { lastKey, keyStep, limit } = ks.find;
      let last = lastKey >= 0
        ? start + lastKey
        : limit > 1
        ? start + Math.floor((argc - start) / limit) - 1
        : argc + lastKey;
      if (last >= argc) last = argc - 1;
      for (let i = start; i <= last; i += keyStep) out.push(i);
    } else {
      const { keyNumIdx, firstKey, keyStep } = ks.find;
      const n = Number(argv[start + keyNumIdx]);
      if (!Number.isInteger(n) || n < 0) return [];
      for (let i = 0, p = start + firstKey; i < n && p < argc; i++, p += keyStep) out.push(p);
    }
    return out;
  });
}

/** Key positions of `argv` with the access flags of the key spec that finds each. */
export function keysWithFlags(cmd: Command, argv: string[]): [number, KeySpecFlag[]][] {
  const positions = keyPositions(cmd, argv).filter((p) => p > 0 && p < argv.length);
  const specs = keySpecs(cmd.spec);
  const found = positionsBySpec(cmd.spec, argv);
  // A key no spec finds (SORT ... STORE, found by the command's own extraction) takes the
  // flags of the last spec that Redis marks "unknown", else of the last spec.
  const fallback = [...specs].reverse().find((s) => s.begin === "unknown") ??
    specs[specs.length - 1];
  return positions.map((p) => {
    const i = found.findIndex((list) => list.includes(p));
    const ks = i >= 0 ? specs[i]! : fallback;
    const flags = ks?.variableFlags?.(argv) ?? ks?.flags ?? defaultKeyFlags(cmd.spec);
    return [p, flags];
  });
}

function writeStatusSet(w: ReplyWriter, items: readonly string[]): void {
  w.set(items.length);
  for (const s of items) w.simple(s);
}

function writeKeySpec(w: ReplyWriter, ks: KeySpec): void {
  w.map(ks.notes !== undefined ? 4 : 3);
  if (ks.notes !== undefined) {
    w.bulk("notes");
    w.bulk(ks.notes);
  }
  w.bulk("flags");
  writeStatusSet(w, ks.flags);
  w.bulk("begin_search");
  w.map(2);
  w.bulk("type");
  if (ks.begin === "unknown") {
    w.bulk("unknown");
    w.bulk("spec");
    w.map(0);
  } else if ("index" in ks.begin) {
    w.bulk("index");
    w.bulk("spec");
    w.map(1);
    w.bulk("index");
    w.int(ks.begin.index);
  } else {
    w.bulk("keyword");
    w.bulk("spec");
    w.map(2);
    w.bulk("keyword");
    w.bulk(ks.begin.keyword);
    w.bulk("startfrom");
    w.int(ks.begin.startFrom);
  }
  w.bulk("find_keys");
  w.map(2);
  w.bulk("type");
  if (ks.find === "unknown") {
    w.bulk("unknown");
    w.bulk("spec");
    w.map(0);
  } else if ("lastKey" in ks.find) {
    w.bulk("range");
    w.bulk("spec");
    w.map(3);
    w.bulk("lastkey");
    w.int(ks.find.lastKey);
    w.bulk("keystep");
    w.int(ks.find.keyStep);
    w.bulk("limit");
    w.int(ks.find.limit);
  } else {
    w.bulk("keynum");
    w.bulk("spec");
    w.map(3);
    w.bulk("keynumidx");
    w.int(ks.find.keyNumIdx);
    w.bulk("firstkey");
    w.int(ks.find.firstKey);
    w.bulk("keystep");
    w.int(ks.find.keyStep);
  }
}

/** Writes the 10-element `COMMAND INFO` entry of `cmd` (subcommands nested the same way). */
export function writeCommandInfo(w: ReplyWriter, cmd: Command): void {
  const spec = cmd.spec;
  const [first, last, step] = legacyRange(spec);
  w.array(10);
  w.bulk(cmd.fullName);
  w.int(spec.arity);
  writeStatusSet(w, commandFlags(spec));
  w.int(first);
  w.int(last);
  w.int(step);
  writeStatusSet(w, aclCategories(spec));
  const tips = spec.tips ?? [];
  w.set(tips.length);
  for (const t of tips) w.bulk(t);
  const specs = keySpecs(spec);
  // Redis sends key specs as a RESP3 set, and subcommands as an array, or an empty set.
  w.set(specs.length);
  for (const ks of specs) writeKeySpec(w, ks);
  const subs = cmd.subs ? [...cmd.subs.values()] : [];
  if (subs.length === 0) w.set(0);
  else w.array(subs.length);
  for (const s of subs) writeCommandInfo(w, s);
}

function writeArgs(w: ReplyWriter, args: readonly ArgSpec[]): void {
  w.array(args.length);
  for (const a of args) {
    const flags: string[] = [];
    if (a.optional) flags.push("optional");
    if (a.multiple) flags.push("multiple");
    if (a.multipleToken) flags.push("multiple_token");
    // Redis documents every key argument with the key spec it belongs to.
    const ksi = a.keySpecIndex ?? (a.type === "key" ? 0 : undefined);
    const nested = (a.type === "oneof" || a.type === "block") && a.args !== undefined;
    const n = 2 + (ksi !== undefined ? 1 : 0) + (a.token !== undefined ? 1 : 0) +
      (a.since !== undefined ? 1 : 0) + (a.deprecatedSince !== undefined ? 1 : 0) +
      (flags.length > 0 ? 1 : 0) + (nested ? 1 : 0);
    w.map(n);
    w.bulk("name");
    w.bulk(a.name);
    w.bulk("type");
    w.bulk(a.type);
    if (ksi !== undefined) {
      w.bulk("key_spec_index");
      w.int(ksi);
    }
    if (a.token !== undefined) {
      w.bulk("token");
      w.bulk(a.token);
    }
    if (a.since !== undefined) {
      w.bulk("since");
      w.bulk(a.since);
    }
    if (a.deprecatedSince !== undefined) {
      w.bulk("deprecated_since");
      w.bulk(a.deprecatedSince);
    }
    if (flags.length > 0) {
      w.bulk("flags");
      writeStatusSet(w, flags);
    }
    if (nested) {
      w.bulk("arguments");
      writeArgs(w, a.args!);
    }
  }
}

/** The doc flags of a command (`deprecated` implied by `deprecatedSince`). */
export function docFlags(spec: CommandSpec): string[] {
  const flags = new Set<string>(spec.docFlags ?? []);
  if (spec.deprecatedSince !== undefined) flags.add("deprecated");
  return ["deprecated", "syscmd"].filter((f) => flags.has(f));
}

/** Writes the `COMMAND DOCS` map of one command (without its name). */
export function writeCommandDocs(w: ReplyWriter, cmd: Command): void {
  const spec = cmd.spec;
  const dflags = docFlags(spec);
  const subs = cmd.subs ? [...cmd.subs.values()] : [];
  const args = spec.args !== undefined && spec.args.length > 0 ? spec.args : undefined;
  const n = 3 + (spec.complexity !== undefined ? 1 : 0) + (dflags.length > 0 ? 1 : 0) +
    (spec.deprecatedSince !== undefined ? 1 : 0) + (spec.replacedBy !== undefined ? 1 : 0) +
    (spec.history !== undefined && spec.history.length > 0 ? 1 : 0) +
    (args !== undefined ? 1 : 0) + (subs.length > 0 ? 1 : 0);
  w.map(n);
  w.bulk("summary");
  w.bulk(spec.summary);
  w.bulk("since");
  w.bulk(spec.since);
  w.bulk("group");
  w.bulk(spec.group);
  if (spec.complexity !== undefined) {
    w.bulk("complexity");
    w.bulk(spec.complexity);
  }
  if (dflags.length > 0) {
    w.bulk("doc_flags");
    writeStatusSet(w, dflags);
  }
  if (spec.deprecatedSince !== undefined) {
    w.bulk("deprecated_since");
    w.bulk(spec.deprecatedSince);
  }
  if (spec.replacedBy !== undefined) {
    w.bulk("replaced_by");
    w.bulk(spec.replacedBy);
  }
  if (spec.history !== undefined && spec.history.length > 0) {
    w.bulk("history");
    w.set(spec.history.length);
    for (const [version, text] of spec.history) {
      w.array(2);
      w.bulk(version);
      w.bulk(text);
    }
  }
  if (args !== undefined) {
    w.bulk("arguments");
    writeArgs(w, args);
  }
  if (subs.length > 0) {
    w.bulk("subcommands");
    w.map(subs.length);
    for (const s of subs) {
      w.bulk(s.fullName);
      writeCommandDocs(w, s);
    }
  }
}

/** Looks up `name` or `container|sub` (any case), as COMMAND INFO/DOCS accept them. */
export function commandByFullName(c: Client, name: string): Command | undefined {
  const table = c.server.commands;
  const bar = name.indexOf("|");
  if (bar < 0) return table.get(name);
  const parent = table.get(name.slice(0, bar));
  const sub = name.slice(bar + 1);
  if (!parent?.subs || sub.includes("|")) return undefined;
  return parent.subs.get(sub.toLowerCase());
}

/** Every command and subcommand, each container followed by its subcommands. */
function allCommandsAndSubs(c: Client): Command[] {
  const out: Command[] = [];
  for (const cmd of c.server.commands.commands) {
    out.push(cmd);
    if (cmd.subs) out.push(...cmd.subs.values());
  }
  return out;
}

const HELP_LINES = [
  "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "(no subcommand)",
  "    Return details about all Redis commands.",
  "COUNT",
  "    Return the total number of commands in this Redis server.",
  "LIST",
  "    Return a list of all commands in this Redis server.",
  "INFO [<command-name> ...]",
  "    Return details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "DOCS [<command-name> ...]",
  "    Return documentation details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "GETKEYS <full-command>",
  "    Return the keys from a full Redis command.",
  "GETKEYSANDFLAGS <full-command>",
  "    Return the keys and the access flags from a full Redis command.",
  "HELP",
  "    Prints this help.",
];

/** Shared by GETKEYS and GETKEYSANDFLAGS: validates like Redis, returns key positions. */
function getKeysOf(c: Client, argv: string[]): { cmd: Command; keys: [number, KeySpecFlag[]][] } {
  const target = argv.slice(2);
  const cmd = c.server.commands.lookup(target);
  if (!cmd) fail("ERR Invalid command specified");
  if (!hasKeys(cmd.spec)) fail("ERR The command has no key arguments");
  const argc = target.length;
  if ((cmd.arity > 0 && cmd.arity !== argc) || argc < -cmd.arity) {
    fail("ERR Invalid number of arguments specified for command");
  }
  let keys: [number, KeySpecFlag[]][] = [];
  // Like Redis, a key spec whose fixed index lies past the arguments makes the whole
  // extraction invalid (e.g. `PFMERGE dest` has no room for its source keys).
  const truncated = !cmd.spec.getKeys &&
    keySpecs(cmd.spec).some((ks) =>
      typeof ks.begin === "object" && "index" in ks.begin && ks.begin.index >= argc &&
      !ks.flags.includes("incomplete")
    );
  if (!truncated) {
    try {
      keys = keysWithFlags(cmd, target);
    } catch (e) {
      if (!(e instanceof ReplyError)) throw e;
    }
  }
  if (keys.length === 0 && !cmd.spec.flags.includes("no_mandatory_keys")) {
    fail("ERR Invalid arguments specified for command");
  }
  return { cmd, keys };
}

const NONDETERMINISTIC = "nondeterministic_output_order";

/** The COMMAND container and its subcommands. */
export const introspectionCommands: CommandSpec[] = [
  {
    name: "command",
    arity: -1,
    flags: ["loading", "stale"],
    acl: ["connection"],
    group: "server",
    since: "2.8.13",
    summary: "Get array of Redis command details",
    complexity: "O(N) where N is the total number of Redis commands",
    tips: [NONDETERMINISTIC],
    run(c) {
      const cmds = c.server.commands.commands;
      c.w.array(cmds.length);
      for (const cmd of cmds) writeCommandInfo(c.w, cmd);
    },
    subcommands: [
      {
        name: "count",
        arity: 2,
        flags: ["loading", "stale"],
        acl: ["connection"],
        group: "server",
        since: "2.8.13",
        summary: "Get total number of Redis commands",
        complexity: "O(1)",
        run(c) {
          c.w.int(c.server.commands.size);
        },
      },
      {
        name: "docs",
        arity: -2,
        flags: ["loading", "stale"],
        acl: ["connection"],
        group: "server",
        since: "7.0.0",
        summary: "Get array of specific Redis command documentation",
        complexity: "O(N) where N is the number of commands to look up",
        tips: [NONDETERMINISTIC],
        args: [{ name: "command-name", type: "string", optional: true, multiple: true }],
        run(c, argv) {
          const cmds = argv.length === 2
            ? c.server.commands.commands
            : argv.slice(2).map((n) => commandByFullName(c, n)).filter((x) => x !== undefined);
          c.w.map(cmds.length);
          for (const cmd of cmds) {
            c.w.bulk(cmd.fullName);
            writeCommandDocs(c.w, cmd);
          }
        },
      },
      {
        name: "getkeys",
        arity: -4,
        flags: ["loading", "stale"],
        acl: ["connection"],
        group: "server",
        since: "2.8.13",
        summary: "Extract keys given a full Redis command",
        complexity: "O(N) where N is the number of arguments to the command",
        run(c, argv) {
          const { keys } = getKeysOf(c, argv);
          const target = argv.slice(2);
          c.w.array(keys.length);
          for (const [p] of keys) c.w.bulk(target[p]!);
        },
      },
      {
        name: "getkeysandflags",
        arity: -4,
        flags: ["loading", "stale"],
        acl: ["connection"],
        group: "server",
        since: "7.0.0",
        summary: "Extract keys and access flags given a full Redis command",
        complexity: "O(N) where N is the number of arguments to the command",
        run(c, argv) {
          const { keys } = getKeysOf(c, argv);
          const target = argv.slice(2);
          c.w.array(keys.length);
          for (const [p, flags] of keys) {
            c.w.array(2);
            c.w.bulk(target[p]!);
            writeStatusSet(c.w, flags);
          }
        },
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        acl: ["connection"],
        group: "server",
        since: "5.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        run(c) {
          writeHelp(c, HELP_LINES);
        },
      },
      {
        name: "info",
        arity: -2,
        flags: ["loading", "stale"],
        acl: ["connection"],
        group: "server",
        since: "2.8.13",
        summary: "Get array of specific Redis command details, or all when no argument is given.",
        complexity: "O(N) where N is the number of commands to look up",
        tips: [NONDETERMINISTIC],
        history: [["7.0.0", "Allowed to be called with no argument to get info on all commands."]],
        args: [{ name: "command-name", type: "string", optional: true, multiple: true }],
        run(c, argv) {
          const w = c.w;
          if (argv.length === 2) {
            const cmds = c.server.commands.commands;
            w.array(cmds.length);
            for (const cmd of cmds) writeCommandInfo(w, cmd);
            return;
          }
          w.array(argv.length - 2);
          for (let i = 2; i < argv.length; i++) {
            const cmd = commandByFullName(c, argv[i]!);
            if (cmd) writeCommandInfo(w, cmd);
            else w.nullBulk();
          }
        },
      },
      {
        name: "list",
        arity: -2,
        flags: ["loading", "stale"],
        acl: ["connection"],
        group: "server",
        since: "7.0.0",
        summary: "Get an array of Redis command names",
        complexity: "O(N) where N is the total number of Redis commands",
        tips: [NONDETERMINISTIC],
        args: [{
          name: "filterby",
          type: "oneof",
          token: "FILTERBY",
          optional: true,
          args: [
            { name: "module-name", type: "string", token: "MODULE" },
            { name: "category", type: "string", token: "ACLCAT" },
            { name: "pattern", type: "pattern", token: "PATTERN" },
          ],
        }],
        run(c, argv) {
          let keep: (cmd: Command) => boolean = () => true;
          if (argv.length === 5 && argv[2]!.toLowerCase() === "filterby") {
            const kind = argv[3]!.toLowerCase();
            const value = argv[4]!;
            if (kind === "module") keep = () => false;
            else if (kind === "aclcat") {
              const cat = "@" + value.toLowerCase();
              keep = (cmd) => aclCategories(cmd.spec).includes(cat);
            } else if (kind === "pattern") {
              keep = (cmd) => globMatch(value, cmd.fullName, true);
            } else fail("ERR syntax error");
          } else if (argv.length !== 2) fail("ERR syntax error");
          const names = allCommandsAndSubs(c).filter(keep).map((cmd) => cmd.fullName);
          c.w.bulkArray(names);
        },
      },
    ],
  },
];
