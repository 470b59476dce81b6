/**
 * The redis.conf front end: parses config text (one `name value...` directive per line,
 * `#` comments, Redis's quoting, `include` files, repeated `save` lines), turns command-line
 * `--name value` arguments into the same text, and rewrites a config file for CONFIG
 * REWRITE keeping its comments and unknown lines. Pure: files are read through a callback.
 *
 * @module
 */
import { splitArgs } from "../resp/parser.ts";
import { type Config, ConfigError, quote, splitValue } from "./config.ts";
import { REDIS_VERSION } from "./version.ts";

/** A config line that could not be applied, located like Redis reports it. */
export class ConfigFileError extends Error {
  /**
   * Creates the error for line `line` (1-based) whose text is `text`; `reason` is Redis's
   * explanation ("argument couldn't be parsed into an integer").
   */
  constructor(readonly line: number, readonly text: string, readonly reason: string) {
    super(reason);
    this.name = "ConfigFileError";
  }

  /** The report Redis prints before exiting (starts with a blank line). */
  get report(): string {
    return `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n` +
      `Reading the configuration file, at line ${this.line}\n` +
      `>>> '${this.text}'\n${this.reason}\n`;
  }
}

/** An `include`d file could not be read (Redis: "Fatal error, can't open config file"). */
export class IncludeError extends Error {
  /** Creates the error for `path`; `cause` is the reader's error. */
  constructor(readonly path: string, options?: ErrorOptions) {
    super(`can't open config file '${path}'`, options);
    this.name = "IncludeError";
  }
}

/** Options of {@link loadConfig}. */
export interface LoadOptions {
  /** Reads an `include`d file (throws when it can't). */
  readFile: (path: string) => string;
  /**
   * State shared by the whole load (the file, its includes and the command-line options):
   * the first `save` directive replaces the default, later ones add to it.
   */
  state?: LoadState;
}

/** State of one startup load; see {@link LoadOptions.state}. */
export interface LoadState {
  /** A `save` directive was seen. */
  saveSeen: boolean;
  /** Include depth, to stop include cycles. */
  depth: number;
}

/** Deepest include nesting accepted (a cycle would otherwise never end). */
const MAX_INCLUDE_DEPTH = 32;

/**
 * Applies config text to `config`, line by line, like Redis's `loadServerConfigFromString`:
 * immutable parameters may be set, each line is validated by the schema, and the first bad
 * line throws a {@link ConfigFileError}. `include <path>` loads another file (its errors name
 * its own lines).
 */
export function loadConfig(config: Config, text: string, opts: LoadOptions): void {
  const state = opts.state ?? { saveSeen: false, depth: 0 };
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    if (line === "" || line.startsWith("#")) continue;
    const fail = (reason: string): never => {
      throw new ConfigFileError(i + 1, line, reason);
    };
    const argv = splitArgs(line);
    if (argv === null) fail("Unbalanced quotes in configuration line");
    if (argv!.length === 0) continue;
    const name = argv![0]!.toLowerCase();
    const args = argv!.slice(1);
    if (name === "include" && args.length === 1) {
      if (state.depth >= MAX_INCLUDE_DEPTH) fail("Too many nested include directives");
      let sub: string;
      try {
        sub = opts.readFile(args[0]!);
      } catch (e) {
        throw new IncludeError(args[0]!, { cause: e });
      }
      state.depth++;
      try {
        loadConfig(config, sub, { ...opts, state });
      } finally {
        state.depth--;
      }
      continue;
    }
    const def = config.def(name);
    if (!def) fail("Bad directive or wrong number of arguments");
    try {
      if (def!.name === "save") {
        // `save ""` clears; otherwise the first save line replaces the default and the
        // following ones add their points.
        const words = args.length === 1 ? splitValue(args[0]!) : args;
        const clear = words.length === 0;
        const add = words;
        const prefix = state.saveSeen && !clear ? config.getText("save") : "";
        state.saveSeen = true;
        config.setArgs(def!, prefix === "" ? add : [...prefix.split(" "), ...add]);
      } else {
        // A multi-argument value may also come as one string ("nosave now").
        const multi = def!.multiArg && args.length === 1 ? splitValue(args[0]!) : args;
        config.setArgs(def!, multi);
      }
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      fail(e.message);
    }
  }
}

/** What the command line asks for. */
export interface CommandLine {
  /** Config file path, or null. */
  configFile: string | null;
  /** `--name value` options as config text (one directive per line). */
  options: string;
  /** `-v` / `--version`. */
  version: boolean;
  /** `-h` / `--help`. */
  help: boolean;
}

/**
 * Parses `[/path/to/cedis.conf] [--name value ...]` like redis-server 7.0: the first argument
 * is the config file unless it starts with `-`; `--name` starts a directive and the following
 * arguments are its values, quoted as Redis does. An option still waiting for its first
 * value takes the next argument even if it starts with `--` (`--proc-title-template --x`);
 * a bare `--save` means `save ""`; `"--name value"` in one argument is the directive as
 * written; words before any `--option` form a directive of their own.
 */
export function parseCommandLine(args: string[]): CommandLine {
  const out: CommandLine = { configFile: null, options: "", version: false, help: false };
  let j = 0;
  const first = args[0];
  if (first === "-v" || first === "--version") return { ...out, version: true };
  if (first === "-h" || first === "--help") return { ...out, help: true };
  if (first !== undefined && !first.startsWith("-")) {
    out.configFile = first;
    j = 1;
  }
  const lines: string[] = [];
  // Whether the directive being built may end: it has a value (or there is none yet).
  let hasValue = true;
  for (; j < args.length; j++) {
    const a = args[j]!;
    if (isOption(a) && hasValue) {
      const name = a.slice(2);
      const next = args[j + 1];
      lines.push(name);
      hasValue = name.includes(" ");
      if (name.toLowerCase() === "save" && (next === undefined || isOption(next))) {
        lines[lines.length - 1] += ' ""';
        hasValue = true;
      }
    } else {
      if (lines.length === 0) lines.push(quote(a));
      else lines[lines.length - 1] += " " + quote(a);
      hasValue = true;
    }
  }
  out.options = lines.join("\n");
  return out;
}

function isOption(a: string): boolean {
  return a.startsWith("--") && a.length > 2;
}

/**
 * The config text Redis builds at startup: the file's contents, a newline, then the
 * command-line directives. Line numbers in errors count in this text.
 */
export function startupConfigText(fileText: string, options: string): string {
  return fileText + "\n" + options;
}

/** The line CONFIG REWRITE adds before the parameters it appends. */
export const REWRITE_SIGNATURE = "# Generated by CONFIG REWRITE";

/** Parameters CONFIG REWRITE always writes (their defaults depend on the environment). */
const FORCED = new Set(["dir", "save"]);

/**
 * CONFIG REWRITE: the new text of a config file whose current text is `old`. Lines of known
 * parameters are rewritten in place with the current values (aliases become canonical
 * names), surplus lines of a parameter become blank, comments and unknown lines (includes,
 * ACL users...) stay as they are, and parameters that differ from their defaults but are not
 * in the file are appended after a `# Generated by CONFIG REWRITE` line. Lines are split on
 * "\n" and trimmed, runs of blank lines collapse to one, as Redis does. `forceAll` writes every
 * parameter, defaults included (DEBUG CONFIG-REWRITE-FORCE-ALL).
 */
export function rewriteConfig(config: Config, old: string, forceAll = false): string {
  const lines = old === ""
    ? []
    : old.split("\n").map((l) => l.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ""));
  // Where each parameter appears in the old file.
  const at = new Map<string, number[]>();
  let hasSignature = false;
  lines.forEach((line, i) => {
    if (line === REWRITE_SIGNATURE) hasSignature = true;
    if (line === "" || line.startsWith("#")) return;
    const argv = splitArgs(line);
    if (argv === null || argv.length === 0) return;
    const def = config.def(argv[0]!.toLowerCase());
    if (!def) return;
    const list = at.get(def.name) ?? [];
    list.push(i);
    at.set(def.name, list);
  });
  const out = [...lines];
  const appended: string[] = [];
  for (const def of config.defs()) {
    const inFile = at.get(def.name) ?? [];
    const force = forceAll || FORCED.has(def.name);
    if (inFile.length === 0 && !force && config.isDefault(def.name)) continue;
    if (def.hidden && inFile.length === 0) continue;
    // Some parameters write no line at their defaults even when listed (buffer limits).
    const values = config.rewriteValues(def).map((v) => `${def.name} ${v}`);
    values.forEach((line, k) => {
      if (k < inFile.length) out[inFile[k]!] = line;
      else appended.push(line);
    });
    for (let k = values.length; k < inFile.length; k++) out[inFile[k]!] = "";
  }
  if (appended.length > 0 && !hasSignature) out.push(REWRITE_SIGNATURE);
  out.push(...appended);
  // Like Redis, every run of blank lines becomes one blank line.
  let text = "";
  let wasEmpty = false;
  for (const l of out) {
    if (l === "" && wasEmpty) continue;
    wasEmpty = l === "";
    text += l + "\n";
  }
  return text;
}
