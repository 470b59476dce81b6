/**
 * Redis-style log lines: `pid:M 21 Nov 2026 09:49:14.123 * message`.
 *
 * @module
 */

const LEVELS = { debug: 0, verbose: 1, notice: 2, warning: 3 } as const;
const MARKS = { debug: ".", verbose: "-", notice: "*", warning: "#" } as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A log level name. */
export type LogLevel = keyof typeof LEVELS;

let minLevel: number = LEVELS.notice;

/** Sets the lowest level written (`loglevel`). */
export function setLogLevel(level: string): void {
  minLevel = LEVELS[level as LogLevel] ?? LEVELS.notice;
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
): string {
  const ts = `${pad(now.getDate())} ${MONTHS[now.getMonth()]} ${now.getFullYear()} ` +
    `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${
      pad(now.getMilliseconds(), 3)
    }`;
  return `${pid}:M ${ts} ${MARKS[level]} ${msg}`;
}

/** Writes a log line to stdout if `level` is enabled. */
export function log(level: LogLevel, msg: string): void {
  if (LEVELS[level] < minLevel) return;
  console.log(formatLogLine(level, msg));
}
