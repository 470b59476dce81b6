/**
 * The append-only file, Redis 7 multi-part layout: a directory (`appenddirname`) holding a
 * base file (an RDB image when `aof-use-rdb-preamble`, else commands), incremental files of
 * RESP commands, and a manifest (`<appendfilename>.manifest`) listing them:
 *
 * ```
 * file appendonly.aof.1.base.rdb seq 1 type b
 * file appendonly.aof.1.incr.aof seq 1 type i
 * ```
 *
 * This module is the format: manifest text, command parsing for loading, and the command
 * form of a dataset for bases written without the RDB preamble.
 *
 * @module
 */
import type { Keyspace } from "../store/keyspace.ts";
import { RawString, type Value } from "../store/value.ts";
import { formatDouble17g } from "../resp/numbers.ts";
import { bytesToBinary } from "../resp/bytes.ts";
import { encodeCommand } from "./propagate.ts";
import { hashEntries, listItems, setMembers } from "./types.ts";
import type { ZSetValue } from "../types/zset.ts";

/** One file named by the manifest. */
export interface AofFileInfo {
  /** File name inside the AOF directory. */
  name: string;
  /** Sequence number. */
  seq: number;
  /** `b` base, `i` incremental, `h` history (to be deleted). */
  type: "b" | "i" | "h";
}

/** The manifest: the base (if any), the incremental files in order, and history. */
export interface AofManifest {
  /** The base file. */
  base: AofFileInfo | null;
  /** Incremental files, oldest first. */
  incrs: AofFileInfo[];
  /** Files no longer needed. */
  history: AofFileInfo[];
}

/** A manifest or AOF that can't be read. */
export class AofError extends Error {
  /**
   * The lines Redis logs for this error before exiting (the manifest's FATAL report, the
   * missing file), in place of a generic "Fatal error loading the DB" line; null for others.
   */
  readonly report: string[] | null;
  /** Creates the error; `report` as for {@link AofError.report}. */
  constructor(message: string, options?: ErrorOptions & { report?: string[] }) {
    super(message, options);
    this.name = "AofError";
    this.report = options?.report ?? null;
  }
}

/** Redis's limit on a manifest line (AOF_MANIFEST_MAX_LINE). */
const MANIFEST_MAX_LINE = 1024;

/** The heading of Redis's report on a manifest that can't be read. */
const MANIFEST_FATAL = "\n*** FATAL AOF MANIFEST FILE ERROR ***\n";

/** A manifest error at `lineNo` (1-based) reading `line`, with Redis's report. */
function manifestError(message: string, lineNo?: number, line?: string): AofError {
  const report = [MANIFEST_FATAL];
  if (lineNo !== undefined) {
    report.push(`Reading the manifest file, at line ${lineNo}`, `>>> '${line}'`);
  }
  report.push(message);
  return new AofError(message, { report });
}

/** Splits a manifest line into words, honouring "double quotes" with escapes. */
function words(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === " " || line[i] === "\t") i++;
    if (i >= line.length) break;
    if (line[i] === '"') {
      let w = "";
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < line.length) {
          const n = line[++i]!;
          if (n === "x" && i + 2 < line.length) {
            w += String.fromCharCode(parseInt(line.slice(i + 1, i + 3), 16));
            i += 2;
          } else w += n === "n" ? "\n" : n === "r" ? "\r" : n === "t" ? "\t" : n;
        } else w += line[i];
        i++;
      }
      if (line[i] !== '"') throw new AofError("Invalid AOF manifest file format");
      i++;
      out.push(w);
    } else {
      let j = i;
      while (j < line.length && line[j] !== " " && line[j] !== "\t") j++;
      out.push(line.slice(i, j));
      i = j;
    }
  }
  return out;
}

/**
 * Parses manifest text as Redis 7.0 does: `#` comments are skipped, every other line (a blank
 * one too) holds `key value` pairs among which `file`, `seq` and `type` (b, i or h); unknown
 * keys are ignored, incremental files must come in increasing `seq` order. Errors carry
 * Redis's report ({@link AofError.report}).
 */
export function parseManifest(text: string): AofManifest {
  const m: AofManifest = { base: null, incrs: [], history: [] };
  const lines = text.split("\n");
  // A final newline ends the last line rather than starting an empty one.
  if (lines[lines.length - 1] === "") lines.pop();
  let lastIncrSeq = 0;
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    if (raw.length + 1 > MANIFEST_MAX_LINE) {
      throw manifestError("The AOF manifest file contains too long line");
    }
    if (raw.startsWith("#")) continue;
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    const invalid = () => manifestError("Invalid AOF manifest file format", n + 1, line);
    let w: string[];
    try {
      w = words(line);
    } catch {
      throw invalid();
    }
    if (w.length < 6 || w.length % 2 !== 0) throw invalid();
    const info: Partial<AofFileInfo> & { typeText?: string } = {};
    for (let i = 0; i < w.length; i += 2) {
      const k = w[i]!;
      const v = w[i + 1]!;
      if (k === "file") info.name = v;
      else if (k === "seq") info.seq = /^-?\d+$/.test(v) ? Number(v) : 0;
      else if (k === "type") info.typeText = v;
    }
    if (info.name === undefined || info.seq === undefined || info.typeText === undefined) {
      throw invalid();
    }
    const t = info.typeText;
    if (t !== "b" && t !== "i" && t !== "h") {
      throw manifestError("Unknown AOF file type", n + 1, line);
    }
    const f: AofFileInfo = { name: info.name, seq: info.seq, type: t };
    if (f.type === "b") {
      if (m.base !== null) {
        throw manifestError("Found duplicate base file information", n + 1, line);
      }
      m.base = f;
    } else if (f.type === "i") {
      if (f.seq <= lastIncrSeq) {
        throw manifestError("Found a non-monotonic sequence number", n + 1, line);
      }
      lastIncrSeq = f.seq;
      m.incrs.push(f);
    } else m.history.push(f);
  }
  if (m.base === null && m.incrs.length === 0) throw manifestError("Found an empty AOF manifest");
  return m;
}

/** A manifest file name as Redis writes it: quoted with escapes when it needs to be. */
function quoteName(name: string): string {
  if (/^[\x21-\x7e]+$/.test(name) && !/["'\\]/.test(name)) return name;
  let s = '"';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (ch === "\\" || ch === '"') s += "\\" + ch;
    else if (ch === "\n") s += "\\n";
    else if (ch === "\r") s += "\\r";
    else if (ch === "\t") s += "\\t";
    else if (ch === "\x07") s += "\\a";
    else if (ch === "\b") s += "\\b";
    else if (c < 0x20 || c >= 0x7f) s += "\\x" + c.toString(16).padStart(2, "0");
    else s += ch;
  }
  return s + '"';
}

/** Formats a manifest (base first, then history, then incrementals, as Redis does). */
export function formatManifest(m: AofManifest): string {
  let s = "";
  const line = (f: AofFileInfo) => `file ${quoteName(f.name)} seq ${f.seq} type ${f.type}\n`;
  if (m.base !== null) s += line(m.base);
  for (const f of m.history) s += line(f);
  for (const f of m.incrs) s += line(f);
  return s;
}

/** Result of parsing an AOF command stream. */
export interface ParsedAof {
  /** Complete commands. */
  commands: string[][];
  /** Whether the data ended in the middle of a command (a truncated AOF). */
  truncated: boolean;
  /** Offset just past the last complete command. */
  validUpTo: number;
}

/**
 * Parses RESP multibulk commands from `bytes[start..)`. A malformed command is an error; an
 * incomplete last command is reported as truncation.
 */
export function parseAofCommands(bytes: Uint8Array, start = 0): ParsedAof {
  const commands: string[][] = [];
  let pos = start;
  const n = bytes.length;
  const readLine = (): string | null => {
    let i = pos;
    while (i + 1 < n && !(bytes[i] === 13 && bytes[i + 1] === 10)) i++;
    if (i + 1 >= n) return null;
    const s = bytesToBinary(bytes, pos, i);
    pos = i + 2;
    return s;
  };
  let validUpTo = pos;
  while (pos < n) {
    const head = readLine();
    if (head === null) return { commands, truncated: true, validUpTo };
    // An annotation (`#TS:<unix>` timestamps): not a command.
    if (head[0] === "#") {
      validUpTo = pos;
      continue;
    }
    if (head[0] !== "*") throw new AofError("Bad file format reading the append only file");
    const argc = Number(head.slice(1));
    if (!Number.isInteger(argc) || argc < 1) {
      throw new AofError("Bad file format reading the append only file");
    }
    const argv: string[] = [];
    for (let i = 0; i < argc; i++) {
      const lenLine = readLine();
      if (lenLine === null) return { commands, truncated: true, validUpTo };
      if (lenLine[0] !== "$") throw new AofError("Bad file format reading the append only file");
      const len = Number(lenLine.slice(1));
      if (!Number.isInteger(len) || len < 0) {
        throw new AofError("Bad file format reading the append only file");
      }
      if (pos + len + 2 > n) return { commands, truncated: true, validUpTo };
      argv.push(bytesToBinary(bytes, pos, pos + len));
      pos += len + 2;
    }
    commands.push(argv);
    validUpTo = pos;
  }
  return { commands, truncated: false, validUpTo };
}

/** Items per command when a rewrite spells out an aggregate (Redis's AOF_REWRITE_ITEMS_PER_CMD). */
const ITEMS_PER_CMD = 64;

/** The commands that recreate `key` holding `v` (used for bases without the RDB preamble). */
export function commandsForKey(key: string, v: Value, expireMs: number): string[][] {
  const out: string[][] = [];
  if (typeof v === "string" || v instanceof RawString) {
    out.push(["SET", key, typeof v === "string" ? v : v.toString()]);
  } else {
    const batch = (cmd: string, items: Iterable<string[]>) => {
      let cur: string[] = [cmd, key];
      for (const it of items) {
        cur.push(...it);
        if ((cur.length - 2) / it.length >= ITEMS_PER_CMD) {
          out.push(cur);
          cur = [cmd, key];
        }
      }
      if (cur.length > 2) out.push(cur);
    };
    const map = <T>(it: Iterable<T>, f: (x: T) => string[]) =>
      (function* () {
        for (const x of it) yield f(x);
      })();
    switch (v.type) {
      case "list":
        batch("RPUSH", map(listItems(v), (s) => [s]));
        break;
      case "set":
        batch("SADD", map(setMembers(v), (s) => [s]));
        break;
      case "hash":
        batch("HMSET", map(hashEntries(v), ([f, x]) => [f, x]));
        break;
      case "zset":
        batch("ZADD", map((v as ZSetValue).entries(), ([m, s]) => [formatDouble17g(s), m]));
        break;
      default:
        throw new AofError(`Can't rewrite a ${v.type} value yet`);
    }
  }
  if (expireMs !== -1) out.push(["PEXPIREAT", key, String(expireMs)]);
  return out;
}

/**
 * The whole keyspace as AOF commands (binary string), after a FUNCTION LOAD per function
 * library as Redis 7.0 writes them.
 */
export function rewriteAsCommands(ks: Keyspace, functions: readonly string[] = []): string {
  let s = "";
  for (const code of functions) s += encodeCommand(["FUNCTION", "LOAD", code]);
  for (const db of ks.dbs) {
    if (db.data.size === 0) continue;
    s += encodeCommand(["SELECT", String(db.id)]);
    for (const [key, v] of db.data) {
      for (const cmd of commandsForKey(key, v, db.expires.get(key) ?? -1)) {
        s += encodeCommand(cmd);
      }
    }
  }
  return s;
}
