/**
 * The command table: compiles the declarations in {@link CommandSpec} into runtime entries
 * with precomputed flags, and answers lookups by name (any case) and key extraction.
 *
 * @module
 */
import type { CommandSpec, Handler } from "./spec.ts";

/** A compiled command or subcommand. */
export interface Command {
  /** The declaration. */
  readonly spec: CommandSpec;
  /** `name` or `container|name`. */
  readonly fullName: string;
  /** Arity (see {@link CommandSpec.arity}). */
  readonly arity: number;
  /** Handler (container commands have none). */
  readonly run: Handler | undefined;
  /** Subcommands by lower-case name. */
  readonly subs: Map<string, Command> | null;
  /** Parent container, for subcommands. */
  readonly parent: Command | null;
  /** Flag shortcuts for the dispatcher. */
  readonly isWrite: boolean;
  readonly isReadonly: boolean;
  readonly noAuth: boolean;
  readonly noMulti: boolean;
  readonly denyOom: boolean;
  readonly noScript: boolean;
  readonly allowBusy: boolean;
  readonly isAdmin: boolean;
  readonly isFast: boolean;
  readonly skipSlowlog: boolean;
  readonly skipMonitor: boolean;
  /**
   * Redis's `may_replicate` (which COMMAND INFO does not show): commands that may propagate
   * without being writes. A WRITE pause holds them; read-only scripts may not call them.
   */
  readonly mayReplicate: boolean;
  /**
   * Latency histogram (LATENCY HISTOGRAM, INFO latencystats): HDR counts of call durations,
   * see src/commands/latency_histogram.ts; null before the first call.
   */
  histogram: Int32Array | null;
  /** Statistics (INFO commandstats). */
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
}

/** The commands Redis 7.0 flags `may_replicate` (its command JSON files). */
const MAY_REPLICATE: ReadonlySet<string> = new Set([
  "eval",
  "evalsha",
  "fcall",
  "pfcount",
  "publish",
  "spublish",
]);

function compile(spec: CommandSpec, parent: Command | null): Command {
  const flags = new Set(spec.flags);
  const cmd: Command = {
    spec,
    fullName: parent ? `${parent.fullName}|${spec.name}` : spec.name,
    arity: spec.arity,
    run: spec.run,
    subs: null,
    parent,
    isWrite: flags.has("write"),
    isReadonly: flags.has("readonly"),
    noAuth: flags.has("no_auth"),
    noMulti: flags.has("no_multi"),
    denyOom: flags.has("denyoom"),
    noScript: flags.has("noscript"),
    allowBusy: flags.has("allow_busy"),
    isAdmin: flags.has("admin"),
    isFast: flags.has("fast"),
    skipSlowlog: flags.has("skip_slowlog"),
    skipMonitor: flags.has("skip_monitor"),
    mayReplicate: MAY_REPLICATE.has(parent ? `${parent.fullName}|${spec.name}` : spec.name),
    histogram: null,
    calls: 0,
    usec: 0,
    rejected: 0,
    failed: 0,
  };
  if (spec.subcommands) {
    const subs = new Map<string, Command>();
    for (const s of spec.subcommands) subs.set(s.name, compile(s, cmd));
    (cmd as { subs: Map<string, Command> }).subs = subs;
  }
  return cmd;
}

/** All commands, looked up by name. */
export class CommandTable {
  readonly #byName = new Map<string, Command>();
  /** Top-level commands in declaration order. */
  readonly commands: Command[] = [];

  /** Builds the table; throws on a duplicate name. */
  constructor(specs: CommandSpec[]) {
    for (const spec of specs) {
      if (this.#byName.has(spec.name)) throw new Error(`Duplicate command ${spec.name}`);
      const cmd = compile(spec, null);
      this.commands.push(cmd);
      this.#byName.set(spec.name, cmd);
      // Clients usually send upper case; a second entry saves a toLowerCase per command.
      this.#byName.set(spec.name.toUpperCase(), cmd);
    }
  }

  /** The command named `name` (any case), or undefined. */
  get(name: string): Command | undefined {
    return this.#byName.get(name) ?? this.#byName.get(name.toLowerCase());
  }

  /**
   * Resolves argv to the command or subcommand it names, the way Redis's `lookupCommand`
   * does: `undefined` for an unknown command, `null` for an unknown subcommand.
   */
  lookup(argv: string[]): Command | null | undefined {
    const cmd = this.get(argv[0]!);
    if (cmd === undefined || cmd.subs === null || argv.length < 2) return cmd;
    return cmd.subs.get(argv[1]!.toLowerCase()) ?? null;
  }

  /** Number of top-level commands. */
  get size(): number {
    return this.commands.length;
  }
}

/** Positions of the keys in `argv` for `cmd` (COMMAND GETKEYS and friends). */
export function keyPositions(cmd: Command, argv: string[]): number[] {
  const spec = cmd.spec;
  if (spec.getKeys) return spec.getKeys(argv);
  const k = spec.keys;
  if (!k || k.first === 0) return [];
  const last = k.last < 0 ? argv.length + k.last : k.last;
  const out: number[] = [];
  for (let i = k.first; i <= last && i < argv.length; i += k.step) out.push(i);
  return out;
}
