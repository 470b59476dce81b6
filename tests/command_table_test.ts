/**
 * Checks the command table itself: every declaration (command and subcommand) must be
 * internally consistent, the way Redis's own generator rejects inconsistent command JSON.
 * The checker is also run on deliberately wrong declarations to prove it catches them.
 *
 * @module
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { allCommands } from "../src/commands/registry.ts";
import { ACL_CATEGORIES, keySpecs, legacyRange } from "../src/commands/command.ts";
import { type ArgSpec, type CommandSpec, KNOWN_FLAGS } from "../src/commands/spec.ts";
import { CommandTable } from "../src/commands/table.ts";

/** Command groups Redis 7.0 uses. */
const GROUPS = new Set([
  "bitmap",
  "cluster",
  "connection",
  "generic",
  "geo",
  "hash",
  "hyperloglog",
  "list",
  "pubsub",
  "scripting",
  "sentinel",
  "server",
  "set",
  "sorted-set",
  "stream",
  "string",
  "transactions",
]);

const ARG_TYPES = new Set([
  "string",
  "integer",
  "double",
  "key",
  "pattern",
  "unix-time",
  "pure-token",
  "oneof",
  "block",
]);

const KEY_SPEC_FLAGS = new Set([
  "RO",
  "RW",
  "OW",
  "RM",
  "access",
  "update",
  "insert",
  "delete",
  "not_key",
  "incomplete",
  "variable_flags",
]);

/** Where Redis 7.0's own declarations disagree with its argument docs; kept as in Redis. */
const ARITY_EXCEPTIONS = new Set(["geopos", "geohash", "pfmerge", "psync", "client|kill"]);
/** Redis 7.0 commands that take arguments but document none. */
const UNDOCUMENTED_ARGS = new Set(["command|getkeys", "command|getkeysandflags", "debug"]);
/** Redis 7.0 commands whose key access contradicts their read/write flag. */
const ACCESS_EXCEPTIONS = new Set(["pfcount", "xreadgroup"]);

const VERSION = /^\d+\.\d+\.\d+$/;

/** Minimum and maximum argument count an argument list accepts (`Infinity` when repeating). */
function argCounts(args: readonly ArgSpec[]): [number, number] {
  let min = 0;
  let max = 0;
  for (const a of args) {
    const [lo, hi] = oneArgCounts(a);
    min += a.optional ? 0 : lo;
    max += a.multiple ? Infinity : hi;
  }
  return [min, max];
}

function oneArgCounts(a: ArgSpec): [number, number] {
  const token = a.token !== undefined && a.type !== "pure-token" ? 1 : 0;
  if (a.type === "oneof") {
    const counts = (a.args ?? []).map((c) => argCounts([c]));
    const lo = Math.min(...counts.map((c) => c[0]));
    const hi = Math.max(...counts.map((c) => c[1]));
    return [lo + token, hi + token];
  }
  if (a.type === "block") {
    const [lo, hi] = argCounts(a.args ?? []);
    return [lo + token, hi + token];
  }
  return [1 + token, 1 + token];
}

function walkArgs(args: readonly ArgSpec[], f: (a: ArgSpec, path: string) => void, path = "") {
  for (const a of args) {
    const p = path ? `${path}.${a.name}` : a.name;
    f(a, p);
    if (a.args) walkArgs(a.args, f, p);
  }
}

/** Problems in one declaration (and its subcommands); empty when it is consistent. */
function checkSpec(spec: CommandSpec, parent: CommandSpec | null): string[] {
  const full = parent ? `${parent.name}|${spec.name}` : spec.name;
  const out: string[] = [];
  const bad = (msg: string) => out.push(`${full}: ${msg}`);
  const base = parent ? 2 : 1;
  const isContainer = spec.subcommands !== undefined;

  if (!/^[a-z][a-z0-9_-]*$/.test(spec.name)) bad(`name must be lower case`);
  let arityOk = false;
  if (!Number.isInteger(spec.arity) || spec.arity === 0) bad(`arity must be a non-zero integer`);
  else if (Math.abs(spec.arity) < base) bad(`arity ${spec.arity} can't hold the name`);
  else arityOk = true;

  const flags = new Set<string>(spec.flags);
  if (flags.size !== spec.flags.length) bad(`duplicate flags`);
  for (const f of spec.flags) if (!KNOWN_FLAGS.has(f)) bad(`unknown flag '${f}'`);
  if (flags.has("write") && flags.has("readonly")) bad(`both write and readonly`);
  if (flags.has("denyoom") && !flags.has("write")) bad(`denyoom without write`);
  for (const c of spec.acl ?? []) {
    if (!ACL_CATEGORIES.includes(c)) bad(`unknown ACL category '${c}' (no '@')`);
  }

  if (!GROUPS.has(spec.group)) bad(`unknown group '${spec.group}'`);
  if (!VERSION.test(spec.since ?? "")) bad(`since must be a version`);
  if (!spec.summary) bad(`summary missing`);
  for (const h of spec.history ?? []) {
    if (!VERSION.test(h[0]) || !h[1]) bad(`bad history entry ${JSON.stringify(h)}`);
  }
  if (spec.deprecatedSince !== undefined && !VERSION.test(spec.deprecatedSince)) {
    bad(`deprecatedSince must be a version`);
  }
  if (parent && spec.group !== parent.group) bad(`group differs from its container's`);

  // Arguments: shape, and the arity they imply.
  const args = spec.args;
  if (args !== undefined) {
    walkArgs(args, (a, p) => {
      if (!a.name) bad(`argument without a name`);
      if (!ARG_TYPES.has(a.type)) bad(`argument ${p}: unknown type '${a.type}'`);
      const nested = a.type === "oneof" || a.type === "block";
      if (nested && !(a.args && a.args.length > 0)) bad(`argument ${p}: ${a.type} without args`);
      if (!nested && a.args) bad(`argument ${p}: only oneof/block have args`);
      if (a.type === "pure-token" && a.token === undefined) {
        bad(`argument ${p}: pure-token without token`);
      }
      if (a.multipleToken && !(a.multiple && a.token)) {
        bad(`argument ${p}: multipleToken needs multiple and a token`);
      }
      if (a.keySpecIndex !== undefined && a.type !== "key" && a.type !== "pattern") {
        bad(`argument ${p}: keySpecIndex on a ${a.type}`);
      }
      if (a.since !== undefined && !VERSION.test(a.since)) bad(`argument ${p}: bad since`);
    });
    if (arityOk && !ARITY_EXCEPTIONS.has(full)) {
      const [min, max] = argCounts(args);
      const minArgc = base + min;
      if (spec.arity > 0) {
        if (max !== min) bad(`arity ${spec.arity} is fixed but the arguments are variadic`);
        else if (minArgc !== spec.arity) {
          bad(`arity ${spec.arity} but the arguments need exactly ${minArgc}`);
        }
      } else if (spec.arity < 0) {
        if (max === min) bad(`arity ${spec.arity} is variadic but the arguments are fixed`);
        else if (minArgc !== -spec.arity) {
          bad(`arity ${spec.arity} but the arguments need at least ${minArgc}`);
        }
      }
    }
  } else if (
    arityOk && !isContainer && Math.abs(spec.arity) !== base && !UNDOCUMENTED_ARGS.has(full)
  ) {
    bad(`arity ${spec.arity} but no arguments are declared`);
  }

  // Keys: declared positions and key arguments go together.
  let keyArgs = 0;
  const ksis: number[] = [];
  walkArgs(args ?? [], (a) => {
    if (a.type === "key") keyArgs++;
    if (a.keySpecIndex !== undefined) ksis.push(a.keySpecIndex);
  });
  const specs = keySpecs(spec);
  const realKeys = specs.filter((ks) => !ks.flags.includes("not_key"));
  const hasPositions = spec.getKeys !== undefined || specs.length > 0;
  if (keyArgs > 0 && !hasPositions) bad(`has key arguments but no key positions`);
  if (keyArgs === 0 && realKeys.length > 0 && args !== undefined) {
    bad(`has key positions but no key arguments`);
  }
  for (const i of ksis) {
    if (i < 0 || i >= specs.length) bad(`keySpecIndex ${i} but ${specs.length} key specs`);
  }
  if (specs.length > 1) {
    walkArgs(args ?? [], (a, p) => {
      if (a.type === "key" && a.keySpecIndex === undefined) {
        bad(`argument ${p}: keySpecIndex needed with several key specs`);
      }
    });
  }
  if (spec.keyFlags && !spec.keys) bad(`keyFlags without keys`);
  const k = spec.keys;
  if (k) {
    if (k.first < 1 || k.step < 1) bad(`keys.first and keys.step must be >= 1`);
    if (k.last >= 0 && k.last < k.first) bad(`keys.last before keys.first`);
    if (spec.arity > 0 && (k.first >= spec.arity || k.last >= spec.arity)) {
      bad(`key positions beyond arity ${spec.arity}`);
    }
    if (spec.keySpecs) {
      const derived = legacyRange({ ...spec, keys: undefined });
      if (derived.join() !== [k.first, k.last, k.step].join()) {
        bad(`keys ${[k.first, k.last, k.step]} disagree with keySpecs (${derived})`);
      }
    }
  }
  for (const ks of specs) {
    for (const f of ks.flags) if (!KEY_SPEC_FLAGS.has(f)) bad(`unknown key spec flag '${f}'`);
    const access = ks.flags.filter((f) => f === "RO" || f === "RW" || f === "OW" || f === "RM");
    if (access.length > 1) bad(`key spec with several of RO/RW/OW/RM`);
    if (access.length === 0 && !ks.flags.includes("not_key")) bad(`key spec without RO/RW/OW/RM`);
  }
  if (!ACCESS_EXCEPTIONS.has(full)) {
    const writes = realKeys.some((ks) =>
      ks.flags.some((f) => f === "RW" || f === "OW" || f === "RM")
    );
    if (flags.has("readonly") && writes) bad(`readonly but a key spec writes`);
    if (flags.has("write") && realKeys.length > 0 && !writes) bad(`write but no key spec writes`);
  }

  // Containers and handlers.
  if (isContainer) {
    if (parent) bad(`subcommands can't have subcommands`);
    if (spec.run !== undefined && spec.arity !== -1) bad(`container with a handler`);
    if (spec.arity !== -2 && spec.arity !== -1) bad(`container arity must be -2`);
    const names = new Set<string>();
    for (const s of spec.subcommands!) {
      if (names.has(s.name)) bad(`duplicate subcommand '${s.name}'`);
      names.add(s.name);
      out.push(...checkSpec(s, spec));
    }
    if (!names.has("help")) bad(`container without a HELP subcommand`);
  } else if (typeof spec.run !== "function") bad(`no handler`);
  return out;
}

/** Problems in a whole command list: per-declaration checks plus unique names. */
export function checkCommandSpecs(specs: readonly CommandSpec[]): string[] {
  const out: string[] = [];
  const names = new Set<string>();
  for (const s of specs) {
    if (names.has(s.name)) out.push(`${s.name}: declared twice`);
    names.add(s.name);
    out.push(...checkSpec(s, null));
  }
  return out;
}

// ---------------------------------------------------------------------------------------

Deno.test("every command and subcommand declaration is consistent", () => {
  deepStrictEqual(checkCommandSpecs(allCommands()), []);
});

Deno.test("the command table compiles and resolves every subcommand", () => {
  const table = new CommandTable(allCommands());
  for (const cmd of table.commands) {
    strictEqual(table.get(cmd.spec.name.toUpperCase()), cmd);
    for (const sub of cmd.subs?.values() ?? []) {
      strictEqual(table.lookup([cmd.spec.name, sub.spec.name.toUpperCase()]), sub);
      strictEqual(sub.fullName, `${cmd.spec.name}|${sub.spec.name}`);
    }
  }
});

/** A correct declaration to break one field at a time. */
function good(): CommandSpec {
  return {
    name: "getset",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "access", "update"],
    group: "string",
    since: "1.0.0",
    summary: "Set the string value of a key and return its old value",
    args: [{ name: "key", type: "key", keySpecIndex: 0 }, { name: "value", type: "string" }],
    run() {},
  };
}

function problems(spec: CommandSpec): string[] {
  return checkCommandSpecs([spec]);
}

Deno.test("the checker accepts a correct declaration", () => {
  deepStrictEqual(problems(good()), []);
});

Deno.test("the checker rejects names, flags and metadata Redis would reject", () => {
  deepStrictEqual(problems({ ...good(), name: "GetSet" }), ["GetSet: name must be lower case"]);
  deepStrictEqual(problems({ ...good(), flags: ["write", "denyoom", "quick" as "fast"] }), [
    "getset: unknown flag 'quick'",
  ]);
  deepStrictEqual(problems({ ...good(), flags: ["write", "readonly"] }), [
    "getset: both write and readonly",
    "getset: readonly but a key spec writes",
  ]);
  deepStrictEqual(problems({ ...good(), flags: ["readonly", "denyoom"], keyFlags: ["RO"] }), [
    "getset: denyoom without write",
  ]);
  deepStrictEqual(problems({ ...good(), acl: ["@dangerous"] }), [
    "getset: unknown ACL category '@dangerous' (no '@')",
  ]);
  deepStrictEqual(problems({ ...good(), group: "strings" }), [
    "getset: unknown group 'strings'",
  ]);
  deepStrictEqual(problems({ ...good(), since: "" }), ["getset: since must be a version"]);
  deepStrictEqual(problems({ ...good(), summary: "" }), ["getset: summary missing"]);
  deepStrictEqual(checkCommandSpecs([good(), good()]), ["getset: declared twice"]);
  deepStrictEqual(problems({ ...good(), run: undefined }), ["getset: no handler"]);
});

Deno.test("the checker rejects an arity that disagrees with the arguments", () => {
  deepStrictEqual(problems({ ...good(), arity: 4 }), [
    "getset: arity 4 but the arguments need exactly 3",
  ]);
  deepStrictEqual(problems({ ...good(), arity: -3 }), [
    "getset: arity -3 is variadic but the arguments are fixed",
  ]);
  const variadic: CommandSpec = {
    ...good(),
    args: [{ name: "key", type: "key" }, { name: "value", type: "string", multiple: true }],
  };
  deepStrictEqual(problems(variadic), [
    "getset: arity 3 is fixed but the arguments are variadic",
  ]);
  deepStrictEqual(problems({ ...variadic, arity: -4 }), [
    "getset: arity -4 but the arguments need at least 3",
  ]);
  deepStrictEqual(problems({ ...variadic, arity: -3 }), []);
  // A required token + value counts two, a required oneof its shortest branch.
  const tokens: CommandSpec = {
    ...good(),
    arity: -5,
    args: [
      { name: "key", type: "key" },
      { name: "seconds", type: "integer", token: "EX" },
      {
        name: "mode",
        type: "oneof",
        args: [{ name: "nx", type: "pure-token", token: "NX" }, {
          name: "b",
          type: "block",
          args: [{ name: "x", type: "string" }, { name: "y", type: "string" }],
        }],
      },
    ],
  };
  deepStrictEqual(problems(tokens), []);
  deepStrictEqual(problems({ ...good(), arity: 3, args: undefined }), [
    "getset: arity 3 but no arguments are declared",
  ]);
});

Deno.test("the checker rejects missing or inconsistent key positions", () => {
  deepStrictEqual(problems({ ...good(), keys: undefined, keyFlags: undefined }), [
    "getset: has key arguments but no key positions",
    "getset: keySpecIndex 0 but 0 key specs",
  ]);
  deepStrictEqual(
    problems({
      ...good(),
      args: [{ name: "key", type: "string" }, { name: "value", type: "string" }],
    }),
    ["getset: has key positions but no key arguments"],
  );
  deepStrictEqual(problems({ ...good(), keys: { first: 1, last: 3, step: 1 } }), [
    "getset: key positions beyond arity 3",
  ]);
  deepStrictEqual(problems({ ...good(), keys: { first: 0, last: 0, step: 0 } }), [
    "getset: has key arguments but no key positions",
    "getset: keySpecIndex 0 but 0 key specs",
    "getset: keys.first and keys.step must be >= 1",
  ]);
  deepStrictEqual(problems({ ...good(), keyFlags: ["RO", "access"] }), [
    "getset: write but no key spec writes",
  ]);
  deepStrictEqual(problems({ ...good(), keyFlags: ["RW", "XX" as "RO"] }), [
    "getset: unknown key spec flag 'XX'",
  ]);
  deepStrictEqual(
    problems({
      ...good(),
      keys: undefined,
      keyFlags: undefined,
      keySpecs: [
        { flags: ["RW"], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
        { flags: ["OW"], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      ],
      args: [{ name: "key", type: "key" }, { name: "value", type: "key", keySpecIndex: 2 }],
    }),
    [
      "getset: keySpecIndex 2 but 2 key specs",
      "getset: argument key: keySpecIndex needed with several key specs",
    ],
  );
});

Deno.test("the checker rejects malformed containers", () => {
  const sub: CommandSpec = {
    name: "get",
    arity: -3,
    flags: ["admin"],
    group: "server",
    since: "2.0.0",
    summary: "Get",
    args: [{ name: "parameter", type: "string", multiple: true }],
    run() {},
  };
  const help: CommandSpec = {
    name: "help",
    arity: 2,
    flags: [],
    group: "server",
    since: "5.0.0",
    summary: "Help",
    run() {},
  };
  const container: CommandSpec = {
    name: "config",
    arity: -2,
    flags: [],
    group: "server",
    since: "2.0.0",
    summary: "A container",
    subcommands: [sub, help],
  };
  deepStrictEqual(problems(container), []);
  deepStrictEqual(problems({ ...container, subcommands: [sub] }), [
    "config: container without a HELP subcommand",
  ]);
  deepStrictEqual(problems({ ...container, subcommands: [{ ...sub, arity: -2 }, help] }), [
    "config|get: arity -2 but the arguments need at least 3",
  ]);
  deepStrictEqual(problems({ ...container, subcommands: [{ ...help, arity: 1 }] }), [
    "config|help: arity 1 can't hold the name",
  ]);
  deepStrictEqual(problems({ ...container, subcommands: [sub, help, help] }), [
    "config: duplicate subcommand 'help'",
  ]);
  deepStrictEqual(problems({ ...container, arity: 2 }), ["config: container arity must be -2"]);
});
