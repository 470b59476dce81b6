/**
 * cedis-cli: a redis-cli-like client for cedis and Redis.
 *
 * ```
 * deno run --allow-net cli.ts [-h host] [-p port] [-a password] [--user name] [-n db]
 *                             [-3|--resp3] [--raw|--no-raw] [--no-auth-warning] [cmd args...]
 * ```
 *
 * With a command it runs it once and prints the reply; without one it reads commands from
 * stdin line by line (a prompt like `127.0.0.1:6379> ` when stdin is a terminal). Replies are
 * printed like redis-cli: `(integer) 1`, `"bar"`, `(nil)`, `(error) ERR ...`, numbered nested
 * arrays; or raw (`--raw`, the default when stdout is not a terminal, as in redis-cli).
 *
 * The formatting and argument parsing are pure functions exported for tests; only `main`
 * touches Deno APIs.
 *
 * @module
 */
import { splitArgs } from "./src/resp/parser.ts";
import { type Reply, ReplyDecoder } from "./src/resp/reply.ts";
import { binaryToBytes, bytesToBinary, utf8ToBinary } from "./src/resp/bytes.ts";

/** Parsed command line. */
export interface CliOptions {
  /** Server host. */
  host: string;
  /** Server port. */
  port: number;
  /** `-a` password, or undefined. */
  password?: string;
  /** `--user` name for AUTH. */
  user?: string;
  /** `-n` database to SELECT (0 = none). */
  db: number;
  /** `-3`/`--resp3`: send HELLO 3 first. */
  resp3: boolean;
  /** `--raw` (true), `--no-raw` (false), or undefined (raw when stdout isn't a terminal). */
  raw?: boolean;
  /** `--no-auth-warning`. */
  noAuthWarning: boolean;
  /** `--help` / `--version`. */
  help: boolean;
  version: boolean;
  /** The command to run once; empty for the REPL. */
  command: string[];
}

/** Version string printed by `--version`. */
export const CLI_VERSION = "cedis-cli 7.0.15";

/** Usage text for `--help`. */
export const USAGE = `Usage: cedis-cli [OPTIONS] [cmd [arg [arg ...]]]
  -h <hostname>      Server hostname (default: 127.0.0.1).
  -p <port>          Server port (default: 6379).
  -a <password>      Password to use when connecting to the server.
  --user <username>  Used to send ACL style 'AUTH username pass'. Needs -a.
  --pass <password>  Alias of -a for consistency with the new --user option.
  -n <db>            Database number.
  -3, --resp3        Start session in RESP3 protocol mode.
  --raw              Use raw formatting for replies (default when STDOUT is
                     not a tty).
  --no-raw           Force formatted output even when STDOUT is not a tty.
  --no-auth-warning  Don't show warning message when using password on command
                     line interface.
  --help             Output this help and exit.
  -v, --version      Output version and exit.

When no command is given, cedis-cli reads commands from standard input, one per line
(interactive mode when it is a terminal). Type quit or exit to leave.
`;

/** Parses command-line arguments like redis-cli; throws an `Error` with a message on misuse. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const o: CliOptions = {
    host: "127.0.0.1",
    port: 6379,
    db: 0,
    resp3: false,
    noAuthWarning: false,
    help: false,
    version: false,
    command: [],
  };
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) {
      throw new Error(`Unrecognized option or bad number of args for: '${flag}'`);
    }
    return v;
  };
  const integer = (flag: string): number => {
    const v = value(flag);
    if (!/^-?\d+$/.test(v)) throw new Error(`Invalid value for '${flag}': ${v}`);
    return Number(v);
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-h") o.host = value(a);
    else if (a === "-p") o.port = integer(a);
    else if (a === "-a" || a === "--pass") o.password = value(a);
    else if (a === "--user") o.user = value(a);
    else if (a === "-n") o.db = integer(a);
    else if (a === "-3" || a === "--resp3") o.resp3 = true;
    else if (a === "-2" || a === "--resp2") o.resp3 = false;
    else if (a === "--raw") o.raw = true;
    else if (a === "--no-raw") o.raw = false;
    else if (a === "--no-auth-warning") o.noAuthWarning = true;
    else if (a === "--help") o.help = true;
    else if (a === "-v" || a === "--version") o.version = true;
    else if (a.startsWith("-") && a.length > 1 && o.command.length === 0) {
      throw new Error(`Unrecognized option or bad number of args for: '${a}'`);
    } else {
      o.command = argv.slice(i).map(utf8ToBinary);
      break;
    }
  }
  return o;
}

/** Encodes `args` (binary strings) as a RESP multibulk request. */
export function encodeCommand(args: readonly string[]): Uint8Array {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return binaryToBytes(s);
}

/** Quotes a binary string like redis-cli (`sdscatrepr`): `"a\"b\\n\xff"`. */
export function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) out += "\\\\";
    else if (c === 0x22) out += '\\"';
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x07) out += "\\a";
    else if (c === 0x08) out += "\\b";
    else if (c >= 0x20 && c <= 0x7e) out += s[i];
    else out += "\\x" + c.toString(16).padStart(2, "0");
  }
  return out + '"';
}

function isAggregate(r: Reply): r is Extract<Reply, { value: unknown[] }> {
  return r.type === "array" || r.type === "set" || r.type === "push" || r.type === "map";
}

/**
 * Formats a reply for a terminal like redis-cli: one line per element, numbered (`1)`,
 * `1~` for sets, `1#` with `key => value` for maps), nested aggregates indented. `prefix` is
 * the indentation of nested lines. The result ends with a newline.
 */
export function formatTTY(r: Reply, prefix = ""): string {
  switch (r.type) {
    case "error":
      return `(error) ${r.value}\n`;
    case "simple":
      return r.value + "\n";
    case "integer":
      return `(integer) ${r.value}\n`;
    case "double":
      return `(double) ${r.value}\n`;
    case "bignum":
      return `(big number) ${r.value}\n`;
    case "bulk":
      return repr(r.value) + "\n";
    case "verbatim":
      return r.value + "\n";
    case "null":
      return "(nil)\n";
    case "bool":
      return r.value ? "(true)\n" : "(false)\n";
  }
  const n = r.value.length;
  if (n === 0) {
    return r.type === "array"
      ? "(empty array)\n"
      : r.type === "map"
      ? "(empty hash)\n"
      : r.type === "set"
      ? "(empty set)\n"
      : "(empty push)\n";
  }
  const idxlen = String(n).length;
  const inner = prefix + " ".repeat(idxlen + 2);
  const sep = r.type === "set" ? "~" : r.type === "map" ? "#" : ")";
  let out = "";
  for (let i = 0; i < n; i++) {
    // The first element goes on the line the caller already started (after its index).
    out += (i === 0 ? "" : prefix) + String(i + 1).padStart(idxlen) + sep + " ";
    if (r.type === "map") {
      const [k, v] = r.value[i]!;
      out += formatTTY(k, inner).slice(0, -1) + " => ";
      const value = formatTTY(v, inner);
      // A value spanning several lines starts on its own line.
      if (isAggregate(v) && value.indexOf("\n") < value.length - 1) out += "\n" + inner;
      out += value;
    } else {
      out += formatTTY(r.value[i]!, inner);
    }
  }
  return out;
}

/**
 * Formats a reply like `redis-cli --raw`: strings as they are, aggregate elements one per
 * line, map entries as `key value`. No trailing newline (the caller adds one per reply).
 */
export function formatRaw(r: Reply): string {
  switch (r.type) {
    case "error":
      return r.value + "\n";
    case "simple":
    case "bulk":
    case "verbatim":
    case "double":
    case "bignum":
      return r.value;
    case "integer":
      return String(r.value);
    case "null":
      return "";
    case "bool":
      return r.value ? "(true)" : "(false)";
    case "map":
      return r.value.map(([k, v]) => formatRaw(k) + " " + formatRaw(v)).join("\n");
    default:
      return r.value.map(formatRaw).join("\n");
  }
}

/** One reply as printed: raw or formatted, always ending with a newline. */
export function formatReply(r: Reply, raw: boolean): string {
  return raw ? formatRaw(r) + "\n" : formatTTY(r);
}

/** The interactive prompt: `host:port`, `[db]` when not 0, `(TX)` inside MULTI. */
export function promptFor(host: string, port: number, db: number, inTx: boolean): string {
  return `${host}:${port}${db !== 0 ? `[${db}]` : ""}${inTx ? "(TX)" : ""}> `;
}

/** Splits an input line into arguments; a leading number repeats the command (`3 ping`). */
export function parseLine(line: string): { repeat: number; args: string[] } | null {
  const args = splitArgs(line);
  if (args === null) return null;
  let repeat = 1;
  if (args.length > 1 && /^\d+$/.test(args[0]!)) {
    repeat = Number(args[0]);
    args.shift();
  }
  return { repeat, args };
}

// ---------------------------------------------------------------------------------------
// Everything below uses Deno APIs.

/** A connection to the server that sends commands and reads decoded replies. */
class ServerConnection {
  #decoder = new ReplyDecoder();
  #buf = new Uint8Array(64 * 1024);

  private constructor(readonly conn: Deno.TcpConn) {}

  /** Connects, or throws an `Error` with redis-cli's message. */
  static async open(host: string, port: number): Promise<ServerConnection> {
    try {
      return new ServerConnection(await Deno.connect({ hostname: host, port }));
    } catch (e) {
      const why = e instanceof Deno.errors.ConnectionRefused
        ? "Connection refused"
        : (e as Error).message;
      throw new Error(`Could not connect to Redis at ${host}:${port}: ${why}`);
    }
  }

  async send(args: readonly string[]): Promise<void> {
    const b = encodeCommand(args);
    let off = 0;
    while (off < b.length) off += await this.conn.write(b.subarray(off));
  }

  /** Next reply (push messages included); null when the server closed the connection. */
  async read(): Promise<Reply | null> {
    for (;;) {
      const r = this.#decoder.next();
      if (r !== undefined) return r;
      let n: number | null;
      try {
        n = await this.conn.read(this.#buf);
      } catch {
        n = null;
      }
      if (n === null) return null;
      this.#decoder.feed(this.#buf.subarray(0, n));
    }
  }

  /**
   * Sends a command and returns its reply. Out-of-band RESP3 push messages (client tracking
   * invalidations...) are skipped unless `pushIsReply` (SUBSCRIBE replies are pushes).
   */
  async call(args: readonly string[], pushIsReply = false): Promise<Reply | null> {
    await this.send(args);
    for (;;) {
      const r = await this.read();
      if (r === null || r.type !== "push" || pushIsReply) return r;
    }
  }

  close(): void {
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }
}

/** Commands after which the server keeps sending messages. */
const STREAMING = new Set(["subscribe", "psubscribe", "ssubscribe", "monitor"]);
/** The streaming commands of pub/sub, which redis-cli announces. */
const PUBSUB = new Set(["subscribe", "psubscribe", "ssubscribe"]);

/** Session state shown in the prompt. */
interface Session {
  opts: CliOptions;
  conn: ServerConnection | null;
  db: number;
  inTx: boolean;
  raw: boolean;
}

async function writeOut(s: string): Promise<void> {
  const b = binaryToBytes(s);
  let off = 0;
  while (off < b.length) off += await Deno.stdout.write(b.subarray(off));
}

async function writeErr(s: string): Promise<void> {
  const b = new TextEncoder().encode(s);
  let off = 0;
  while (off < b.length) off += await Deno.stderr.write(b.subarray(off));
}

/** Connects and runs the AUTH / HELLO / SELECT preamble; prints failures like redis-cli. */
async function connect(s: Session): Promise<boolean> {
  const o = s.opts;
  try {
    s.conn = await ServerConnection.open(o.host, o.port);
  } catch (e) {
    await writeErr((e as Error).message + "\n");
    s.conn = null;
    return false;
  }
  if (o.password !== undefined) {
    const args = o.user !== undefined ? ["AUTH", o.user, o.password] : ["AUTH", o.password];
    const r = await s.conn.call(args.map(utf8ToBinary));
    if (r?.type === "error") await writeErr(`AUTH failed: ${r.value}\n`);
  }
  if (o.resp3) {
    const r = await s.conn.call(["HELLO", "3"]);
    if (r?.type === "error") await writeErr(`HELLO 3 failed: ${r.value}\n`);
  }
  if (o.db !== 0) {
    const r = await s.conn.call(["SELECT", String(o.db)]);
    if (r?.type === "error") await writeErr(`SELECT ${o.db} failed: ${r.value}\n`);
    else s.db = o.db;
  }
  return true;
}

/** Runs one command and prints its reply (and, for SUBSCRIBE/MONITOR, what follows). */
async function runCommand(s: Session, args: string[]): Promise<void> {
  if (s.conn === null && !(await connect(s))) return;
  const conn = s.conn!;
  const name = args[0]!.toLowerCase();
  const streaming = STREAMING.has(name);
  if (PUBSUB.has(name) && !s.raw) await writeOut("Reading messages... (press Ctrl-C to quit)\n");
  let r: Reply | null;
  try {
    r = await conn.call(args, streaming);
  } catch {
    r = null;
  }
  if (r === null) {
    await writeErr("Error: Server closed the connection\n");
    conn.close();
    s.conn = null;
    return;
  }
  await writeOut(formatReply(r, s.raw));
  if (r.type !== "error") {
    if (name === "select" && args.length === 2) s.db = Number(args[1]);
    else if (name === "multi") s.inTx = true;
    else if (name === "exec" || name === "discard") s.inTx = false;
    else if (name === "reset") {
      s.db = 0;
      s.inTx = false;
    }
  } else if (name === "exec") s.inTx = false;
  if (streaming && r.type !== "error") {
    for (;;) {
      const m = await conn.read();
      if (m === null) break;
      await writeOut(formatReply(m, s.raw));
    }
    conn.close();
    s.conn = null;
  }
}

/** Reads stdin as lines of binary strings (a trailing `\r` dropped). */
async function* stdinLines(): AsyncGenerator<string> {
  const buf = new Uint8Array(64 * 1024);
  let pending = "";
  for (;;) {
    const n = await Deno.stdin.read(buf);
    if (n === null) break;
    pending += bytesToBinary(buf, 0, n);
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      let line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      yield line;
    }
  }
  if (pending !== "") yield pending;
}

/** The read-eval-print loop over stdin. */
async function repl(s: Session): Promise<void> {
  const interactive = Deno.stdin.isTerminal();
  const prompt = () =>
    s.conn === null ? "not connected> " : promptFor(s.opts.host, s.opts.port, s.db, s.inTx);
  await connect(s);
  if (interactive) await writeOut(prompt());
  for await (const line of stdinLines()) {
    const parsed = parseLine(line);
    if (parsed === null) await writeOut("Invalid argument(s)\n");
    else if (parsed.args.length > 0) {
      const name = parsed.args[0]!.toLowerCase();
      if (name === "quit" || name === "exit") break;
      for (let i = 0; i < parsed.repeat; i++) await runCommand(s, parsed.args);
    }
    if (interactive) await writeOut(prompt());
  }
  s.conn?.close();
}

/** Entry point. */
async function main(): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCliArgs(Deno.args);
  } catch (e) {
    await writeErr((e as Error).message + "\nTry cedis-cli --help for more information.\n");
    return 1;
  }
  if (opts.help) {
    await writeOut(USAGE);
    return 0;
  }
  if (opts.version) {
    await writeOut(CLI_VERSION + "\n");
    return 0;
  }
  if (opts.password !== undefined && !opts.noAuthWarning) {
    await writeErr(
      "Warning: Using a password with '-a' or '-u' option on the command line interface " +
        "may not be safe.\n",
    );
  }
  const s: Session = {
    opts,
    conn: null,
    db: 0,
    inTx: false,
    raw: opts.raw ?? !Deno.stdout.isTerminal(),
  };
  if (opts.command.length === 0) {
    await repl(s);
    return 0;
  }
  if (!(await connect(s))) return 1;
  await runCommand(s, opts.command);
  s.conn?.close();
  return 0;
}

if (import.meta.main) Deno.exit(await main());
