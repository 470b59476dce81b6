/**
 * Redis-style log lines: `pid:M 21 Nov 2026 09:49:14.123 * message`, written to stdout or
 * to the `logfile`.
 *
 * @module
 */

const LEVELS = { debug: 0, verbose: 1, notice: 2, warning: 3 } as const;
const MARKS = { debug: ".", verbose: "-", notice: "*", warning: "#" } as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A log level name. */
export type LogLevel = keyof typeof LEVELS;

/**
 * The role letter Redis puts after the pid: `C` while the configuration is read (before the
 * server exists), `M` for the running server.
 */
export type LogRole = "C" | "M";

let minLevel: number = LEVELS.notice;
let sink: Deno.FsFile | null = null;
const encoder = new TextEncoder();

/** Sets the lowest level written (`loglevel`). */
export function setLogLevel(level: string): void {
  minLevel = LEVELS[level as LogLevel] ?? LEVELS.notice;
}

/**
 * Sends log lines to the file at `path` (appending), or back to stdout for "". Throws the
 * platform error when the file can't be opened.
 */
export function setLogFile(path: string): void {
  sink?.close();
  sink = path === "" ? null : Deno.openSync(path, { append: true, create: true });
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** Formats a log line for `level` at time `now`. */
export function formatLogLine(
  level: LogLevel,
  msg: string,
  now = new Date(),
  pid = Deno.pid,
  role: LogRole = "M",
): string {
  const ts = `${pad(now.getDate())} ${MONTHS[now.getMonth()]} ${now.getFullYear()} ` +
    `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${
      pad(now.getMilliseconds(), 3)
    }`;
  return `${pid}:${role} ${ts} ${MARKS[level]} ${msg}`;
}

/** Writes a log line if `level` is enabled. */
export function log(level: LogLevel, msg: string, role: LogRole = "M"): void {
  if (LEVELS[level] < minLevel) return;
  write(formatLogLine(level, msg, new Date(), Deno.pid, role));
}

/** Writes `text` to the log as is, without the line prefix (Redis's raw log: the logo). */
export function logRaw(level: LogLevel, text: string): void {
  if (LEVELS[level] < minLevel) return;
  write(text);
}

function write(line: string): void {
  if (sink === null) {
    console.log(line);
    return;
  }
  try {
    sink.writeSync(encoder.encode(line + "\n"));
  } catch {
    console.log(line);
  }
}
