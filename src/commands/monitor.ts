/**
 * MONITOR: a client in monitor mode receives, for every command run on the server, a line
 * `+<unix s>.<µs> [<db> <addr>] "arg" ...` with Redis's quoting (`sdscatrepr`). Commands
 * are shown once they ran (so SELECT shows the new db and EXEC follows its queued
 * commands), secrets redacted as in the slow log; admin commands are not shown, and scripts
 * (flagged `skip_monitor`) are shown before their own commands, which appear as `lua`.
 *
 * @module
 */
import type { Client } from "./context.ts";
import { type CommandSpec, ReplyError } from "./spec.ts";
import { redactedArgv } from "./slowlog.ts";

/** Appends `s` quoted as Redis's `sdscatrepr` does. */
export function reprString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    switch (ch) {
      case 0x5c:
        out += "\\\\";
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x07:
        out += "\\a";
        break;
      case 0x08:
        out += "\\b";
        break;
      default:
        if (ch >= 0x20 && ch <= 0x7e) out += s[i];
        else out += "\\x" + ch.toString(16).padStart(2, "0");
    }
  }
  return out + '"';
}

/** Sends `argv`, run by `c` in database `db`, to every client in MONITOR mode. */
export function feedMonitors(c: Client, db: number, argv: string[]): void {
  const monitors = c.server.observability.monitors;
  const us = Math.floor(c.server.platform.nowMicros());
  const sec = Math.floor(us / 1e6);
  const frac = String(us - sec * 1e6).padStart(6, "0");
  const who = c === c.server.scriptClient ? "lua" : c.addr;
  let line = `+${sec}.${frac} [${db} ${who}]`;
  for (const a of redactedArgv(argv)) line += " " + reprString(a);
  line += "\r\n";
  for (const m of monitors) {
    // A client closing after its reply (QUIT) gets nothing more, as in Redis.
    if (m.closeAfterReply) continue;
    m.w.raw(line);
    m.wake();
  }
}

/** Takes `c` out of MONITOR mode (RESET, disconnect; hooked in by connection.ts). */
export function leaveMonitor(c: Client): void {
  if (!c.monitor) return;
  c.monitor = false;
  c.server.observability.monitors.delete(c);
}

/** MONITOR. */
export const monitorCommands: CommandSpec[] = [
  {
    name: "monitor",
    arity: 1,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "server",
    since: "1.0.0",
    summary: "Listen for all requests received by the server in real time",
    run(c) {
      // Inside EXEC a reply per command is expected (Redis's CLIENT_DENY_BLOCKING).
      if (c.inExec) throw new ReplyError("ERR MONITOR isn't allowed for DENY BLOCKING client");
      // Redis ignores MONITOR from a client that already is a replica or a monitor.
      if (c.replica || c.monitor) return;
      c.monitor = true;
      c.server.observability.monitors.add(c);
      c.w.ok();
    },
  },
];
