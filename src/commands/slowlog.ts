/**
 * SLOWLOG and LATENCY: the slow log, the latency monitor (events `command` and
 * `fast-command`) and the per-command latency histograms, as Redis 7.0 keeps them. All of it
 * lives in one {@link Observability} object on the server; {@link recordCall} is the one call
 * the dispatcher makes per command, after timing it.
 *
 * @module
 */
import { writeHelp } from "./args.ts";
import type { Config } from "../config/config.ts";
import type { Client, ServerContext } from "./context.ts";
import { type CommandSpec, ReplyError } from "./spec.ts";
import type { Command } from "./table.ts";
import { parseInteger } from "../resp/numbers.ts";
import {
  cumulativeBuckets,
  newHistogram,
  recordMicros,
  totalCount,
  valueAtPercentile,
} from "./latency_histogram.ts";

/** One slow log entry, as SLOWLOG GET reports it. */
export interface SlowlogEntry {
  /** Unique, increasing id (never reused, not even after SLOWLOG RESET). */
  readonly id: number;
  /** Unix time (s) the command ran. */
  readonly time: number;
  /** Duration in microseconds. */
  readonly duration: number;
  /** Arguments, trimmed as Redis trims them (see {@link slowlogArgv}). */
  readonly argv: string[];
  /** Client address `ip:port` (`?:0` for the script client). */
  readonly addr: string;
  /** Client name. */
  readonly name: string;
}

/** Samples kept per latency event (Redis's `LATENCY_TS_LEN`). */
export const LATENCY_TS_LEN = 160;

/** One latency event's samples: at most one per second, the highest of that second. */
export interface LatencyEvent {
  /** Samples `[unix time s, latency ms]`, oldest first, at most {@link LATENCY_TS_LEN}. */
  samples: [number, number][];
  /** All-time highest latency (ms). */
  max: number;
}

/** Most arguments a slow log entry keeps (Redis's `SLOWLOG_ENTRY_MAX_ARGC`). */
export const SLOWLOG_MAX_ARGC = 32;
/** Longest argument a slow log entry keeps whole (Redis's `SLOWLOG_ENTRY_MAX_STRING`). */
export const SLOWLOG_MAX_STRING = 128;

/** Slow log, latency monitor and histogram state, with the config they follow. */
export class Observability {
  /** Slow log entries, newest first. */
  slowlog: SlowlogEntry[] = [];
  /** Id of the next slow log entry. */
  nextId = 0;
  /** `slowlog-log-slower-than` (µs; negative: off). */
  slowerThan = 10000;
  /** `slowlog-max-len`. */
  maxLen = 128;
  /** `latency-monitor-threshold` (ms; 0: off). */
  latencyThreshold = 0;
  /** `latency-tracking`: per-command histograms. */
  tracking = true;
  /**
   * The shortest duration (µs) that needs a slow log entry or a latency sample: the hot path
   * compares a call's duration with this alone. Infinity when both are off.
   */
  sampleFrom = 10000;
  /** Latency events by name, in creation order. */
  readonly events: Map<string, LatencyEvent> = new Map();
  /** Clients in MONITOR mode (src/commands/monitor.ts). */
  readonly monitors: Set<Client> = new Set();
  /**
   * While a connection runs a batch of pipelined commands (set by the network edge): the
   * end time (µs) of the batch's previous call, reused as the next call's start, so a
   * pipelined command costs one clock read (a `performance.now()` is ~100 ns in Deno). -1:
   * not in a batch, or no call yet.
   */
  batchEnd = -1;
  /** Whether a batch is running (see {@link batchEnd}). */
  inBatch = false;

  /** Creates the state and keeps it in step with `config`. */
  constructor(readonly config: Config) {
    this.#sync();
    config.onChange((name) => {
      if (name.startsWith("slowlog-") || name.startsWith("latency-")) this.#sync();
    });
  }

  #sync(): void {
    const c = this.config;
    this.slowerThan = c.getNumber("slowlog-log-slower-than");
    this.maxLen = c.getNumber("slowlog-max-len");
    this.latencyThreshold = c.getNumber("latency-monitor-threshold");
    this.tracking = c.getBool("latency-tracking");
    let from = this.slowerThan < 0 ? Infinity : this.slowerThan;
    if (this.latencyThreshold > 0) from = Math.min(from, this.latencyThreshold * 1000);
    this.sampleFrom = from;
    // As in Redis, a lower slowlog-max-len trims the log at the next entry, not at once.
  }

  /** Adds a slow log entry for `argv` run by `c` (Redis `slowlogPushEntryIfNeeded`). */
  pushSlowlog(c: Client, argv: string[], duration: number, now: number): void {
    const entry: SlowlogEntry = {
      id: this.nextId++,
      time: Math.floor(now / 1000),
      duration,
      argv: slowlogArgv(redactedArgv(argv)),
      addr: c.addr === "" ? "?:0" : c.addr,
      name: c.name,
    };
    this.slowlog.unshift(entry);
    if (this.slowlog.length > this.maxLen) this.slowlog.length = this.maxLen;
  }

  /** Records a latency sample of `ms` for `event` when it reaches the threshold. */
  sampleLatency(event: string, ms: number, now: number): void {
    if (this.latencyThreshold === 0 || ms < this.latencyThreshold) return;
    const t = Math.floor(now / 1000);
    let e = this.events.get(event);
    if (e === undefined) this.events.set(event, e = { samples: [], max: 0 });
    if (ms > e.max) e.max = ms;
    const last = e.samples[e.samples.length - 1];
    if (last !== undefined && last[0] === t) {
      if (ms > last[1]) last[1] = ms;
      return;
    }
    e.samples.push([t, ms]);
    if (e.samples.length > LATENCY_TS_LEN) e.samples.shift();
  }
}

/** The observability state of `server`. */
export function observabilityOf(server: ServerContext): Observability {
  return server.observability;
}

/**
 * Records one finished call of `cmd` by `c` that took `duration` µs: the latency histogram,
 * and when long enough a slow log entry and a latency sample. The dispatcher calls this for
 * every call (not for one that blocked: that is recorded when it is unblocked).
 */
export function recordCall(
  o: Observability,
  c: Client,
  cmd: Command,
  argv: string[],
  duration: number,
): void {
  if (o.tracking) recordHistogram(cmd, duration);
  if (duration >= o.sampleFrom) {
    const now = c.server.keyspace.clock();
    if (o.latencyThreshold !== 0) {
      o.sampleLatency(cmd.isFast ? "fast-command" : "command", Math.floor(duration / 1000), now);
    }
    if (o.slowerThan >= 0 && duration >= o.slowerThan && !cmd.skipSlowlog) {
      o.pushSlowlog(c, argv, duration, now);
    }
  }
}

/**
 * Records the call that blocked `c` now that a key served it, with `extra` µs spent serving
 * it (a timeout or CLIENT UNBLOCK records nothing, as in Redis).
 */
export function finishBlockedCall(c: Client, extra: number): void {
  const b = c.blockedCall;
  if (b === null) return;
  c.blockedCall = null;
  b.cmd.usec += extra;
  recordCall(c.server.observability, c, b.cmd, b.argv, b.duration + extra);
}

/** Adds a call of `duration` µs to the histogram of `cmd` (reset when its stats were). */
function recordHistogram(cmd: Command, duration: number): void {
  let h = cmd.histogram;
  // CONFIG RESETSTAT zeroes `calls`: the histogram starts over with them.
  if (h === null || cmd.calls === 0) h = cmd.histogram = newHistogram();
  recordMicros(h, duration);
}

/**
 * Arguments as Redis keeps them in a slow log entry: at most {@link SLOWLOG_MAX_ARGC}, the
 * last one replaced by `... (N more arguments)`; each at most {@link SLOWLOG_MAX_STRING}
 * bytes, followed by `... (N more bytes)`.
 */
export function slowlogArgv(argv: string[]): string[] {
  const argc = Math.min(argv.length, SLOWLOG_MAX_ARGC);
  const out: string[] = new Array(argc);
  for (let j = 0; j < argc; j++) {
    if (j === argc - 1 && argc !== argv.length) {
      out[j] = `... (${argv.length - argc + 1} more arguments)`;
      continue;
    }
    const a = argv[j]!;
    out[j] = a.length > SLOWLOG_MAX_STRING
      ? `${a.slice(0, SLOWLOG_MAX_STRING)}... (${a.length - SLOWLOG_MAX_STRING} more bytes)`
      : a;
  }
  return out;
}

/** Configs whose values CONFIG SET hides in the slow log and MONITOR (Redis's sensitive). */
const SENSITIVE_CONFIGS = new Set(["masterauth", "requirepass"]);

/**
 * `argv` with the secrets Redis redacts replaced by `(redacted)`: AUTH's arguments, HELLO's
 * AUTH user and password, CONFIG SET's sensitive values, ACL SETUSER's rules, MIGRATE's
 * AUTH/AUTH2 credentials. The same array when nothing is hidden.
 */
export function redactedArgv(argv: string[]): string[] {
  const name = argv[0]!.toLowerCase();
  const R = "(redacted)";
  switch (name) {
    case "auth":
      return [argv[0]!, ...argv.slice(1).map(() => R)];
    case "hello": {
      const out = argv.slice();
      for (let i = 2; i < out.length; i++) {
        if (out[i]!.toLowerCase() === "auth") {
          if (i + 1 < out.length) out[i + 1] = R;
          if (i + 2 < out.length) out[i + 2] = R;
          i += 2;
        } else if (out[i]!.toLowerCase() === "setname") i++;
      }
      return out;
    }
    case "config": {
      if (argv.length < 3 || argv[1]!.toLowerCase() !== "set") return argv;
      const out = argv.slice();
      for (let i = 2; i + 1 < out.length; i += 2) {
        if (SENSITIVE_CONFIGS.has(out[i]!.toLowerCase())) out[i + 1] = R;
      }
      return out;
    }
    case "acl": {
      if (argv.length < 3 || argv[1]!.toLowerCase() !== "setuser") return argv;
      return [argv[0]!, argv[1]!, ...argv.slice(2).map(() => R)];
    }
    case "migrate": {
      const out = argv.slice();
      for (let i = 6; i < out.length; i++) {
        const t = out[i]!.toLowerCase();
        if (t === "keys") break;
        if (t === "auth" && i + 1 < out.length) out[++i] = R;
        else if (t === "auth2" && i + 2 < out.length) {
          out[++i] = R;
          out[++i] = R;
        }
      }
      return out;
    }
    default:
      return argv;
  }
}

// ---------------------------------------------------------------------------------------
// SLOWLOG

const SLOWLOG_HELP = [
  "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET [<count>]",
  "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
  "    Entries are made of:",
  "    id, timestamp, time in microseconds, arguments array, client IP and port,",
  "    client name",
  "LEN",
  "    Return the length of the slowlog.",
  "RESET",
  "    Reset the slowlog.",
  "HELP",
  "    Prints this help.",
];

function slowlogGet(c: Client, argv: string[]): void {
  const o = observabilityOf(c.server);
  if (argv.length > 3) {
    throw new ReplyError(
      "ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.",
    );
  }
  let count = 10;
  if (argv.length === 3) {
    const n = parseInteger(argv[2]!);
    if (n === null || n < -1) {
      throw new ReplyError("ERR count should be greater than or equal to -1");
    }
    count = Number(n) === -1 ? Infinity : Number(n);
  }
  const entries = o.slowlog.slice(0, Math.min(count, o.slowlog.length));
  const w = c.w;
  w.array(entries.length);
  for (const e of entries) {
    w.array(6);
    w.int(e.id);
    w.int(e.time);
    w.int(e.duration);
    w.array(e.argv.length);
    for (const a of e.argv) w.bulk(a);
    w.bulk(e.addr);
    w.bulk(e.name);
  }
}

// ---------------------------------------------------------------------------------------
// LATENCY

const LATENCY_HELP = [
  "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DOCTOR",
  "    Return a human readable latency analysis report.",
  "GRAPH <event>",
  "    Return an ASCII latency graph for the <event> class.",
  "HISTORY <event>",
  "    Return time-latency samples for the <event> class.",
  "LATEST",
  "    Return the latest latency samples for all events.",
  "RESET [<event> ...]",
  "    Reset latency data of one or more <event> classes.",
  "    (default: reset all data for all event classes)",
  "HISTOGRAM [COMMAND ...]",
  "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
  "    If no commands are specified then all histograms are replied.",
  "HELP",
  "    Prints this help.",
];

/** Writes one command's histogram: `calls` and the cumulative `histogram_usec` buckets. */
function writeHistogram(c: Client, cmd: Command): void {
  const h = cmd.histogram!;
  const w = c.w;
  w.bulk(cmd.fullName);
  w.map(2);
  w.bulk("calls");
  w.int(totalCount(h));
  w.bulk("histogram_usec");
  const buckets = cumulativeBuckets(h);
  w.map(buckets.length);
  for (const [us, n] of buckets) {
    w.int(us);
    w.int(n);
  }
}

/** A percentile as Redis prints it in INFO (`%f` with trailing zeros trimmed). */
function percentileName(p: number): string {
  let s = p.toFixed(6);
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s;
}

/**
 * INFO latencystats: `latency_percentiles_usec_<command>:p50=...,p99=...` for every command
 * with a histogram, at the `latency-tracking-info-percentiles` percentiles (none when
 * `latency-tracking` is off).
 */
export function latencyStatsLines(server: ServerContext): string[] {
  if (!server.config.getBool("latency-tracking")) return [];
  const text = server.config.getString("latency-tracking-info-percentiles");
  const ps = text === "" ? [] : text.split(" ").map(Number);
  const out: string[] = [];
  const add = (cmd: Command) => {
    if (!hasHistogram(cmd)) return;
    const h = cmd.histogram!;
    const vals = ps.map((p) =>
      `p${percentileName(p)}=${(valueAtPercentile(h, p) / 1000).toFixed(3)}`
    );
    out.push(`latency_percentiles_usec_${cmd.fullName}:${vals.join(",")}`);
  };
  for (const cmd of server.commands.commands) {
    add(cmd);
    if (cmd.subs !== null) { for (const s of cmd.subs.values()) add(s); }
  }
  return out;
}

/** Whether `cmd` has a histogram to report (called since the last CONFIG RESETSTAT). */
function hasHistogram(cmd: Command): boolean {
  return cmd.histogram !== null && cmd.calls !== 0;
}

function latencyHistogram(c: Client, argv: string[]): void {
  const table = c.server.commands;
  const picked: Command[] = [];
  const addWithSubs = (cmd: Command) => {
    if (hasHistogram(cmd)) picked.push(cmd);
    if (cmd.subs !== null) {
      for (const s of cmd.subs.values()) {
        if (hasHistogram(s)) picked.push(s);
      }
    }
  };
  if (argv.length === 2) {
    for (const cmd of table.commands) addWithSubs(cmd);
  } else {
    for (let i = 2; i < argv.length; i++) {
      const name = argv[i]!;
      const bar = name.indexOf("|");
      let cmd: Command | undefined;
      if (bar < 0) cmd = table.get(name);
      else {
        cmd = table.get(name.slice(0, bar))?.subs?.get(name.slice(bar + 1).toLowerCase());
      }
      if (cmd !== undefined) addWithSubs(cmd);
    }
  }
  c.w.map(picked.length);
  for (const cmd of picked) writeHistogram(c, cmd);
}

/** Time-ago label of a graph column (Redis: `Ns`, `Nm`, `Nh`, `Nd`). */
function agoLabel(elapsed: number): string {
  if (elapsed < 60) return `${elapsed}s`;
  if (elapsed < 3600) return `${Math.floor(elapsed / 60)}m`;
  if (elapsed < 86400) return `${Math.floor(elapsed / 3600)}h`;
  return `${Math.floor(elapsed / 86400)}d`;
}

/** LATENCY GRAPH: Redis's filled sparkline, 4 rows, labels below, 80 columns per chunk. */
function latencyGraph(name: string, e: LatencyEvent, nowSec: number): string {
  const values = e.samples.map((s) => s[1]);
  const labels = e.samples.map((s) => agoLabel(nowSec - s[0]));
  const min = Math.min(...values);
  const max = Math.max(...values);
  let out = `${name} - high ${max} ms, low ${min} ms (all time high ${e.max} ms)\n` +
    "-".repeat(80) + "\n";
  const rows = 4;
  const fill = "_o#";
  const steps = fill.length * rows;
  const relmax = max - min === 0 ? 1 : max - min;
  for (let off = 0; off < values.length; off += 80) {
    const len = Math.min(80, values.length - off);
    for (let row = 0;; row++) {
      let loop = false;
      const chars = new Array(len).fill(" ");
      for (let j = 0; j < len; j++) {
        let step = Math.trunc(((values[off + j]! - min) * steps) / relmax);
        if (step < 0) step = 0;
        if (step >= steps) step = steps - 1;
        if (row < rows) {
          loop = true;
          const idx = step - (rows - row - 1) * fill.length;
          if (idx >= 0 && idx < fill.length) chars[j] = fill[idx]!;
          else if (idx >= fill.length) chars[j] = "|";
        } else {
          if (row - rows < 1) {
            loop = true;
            break;
          }
          const label = labels[off + j]!;
          const at = row - rows - 1;
          if (label.length > at) {
            loop = true;
            chars[j] = label[at]!;
          }
        }
      }
      if (!loop) break;
      out += chars.join("") + "\n";
    }
  }
  return out;
}

/** LATENCY DOCTOR's report (a simplified rendition of Redis's `createLatencyReport`). */
function latencyDoctor(c: Client): string {
  const o = observabilityOf(c.server);
  if (o.events.size === 0) {
    if (o.latencyThreshold === 0) {
      return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis " +
        'instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in ' +
        "order to enable it. If we weren't in a deep space mission I'd suggest to take a look " +
        "at https://redis.io/topics/latency-monitor.\n";
    }
    return "Dave, no latency spike was observed during the lifetime of this Redis instance, " +
      "not in the slightest bit. I honestly think you ought to sit down calmly, take a stress " +
      "pill, and think things over.\n";
  }
  const nowSec = Math.floor(c.server.keyspace.clock() / 1000);
  let out = "Dave, I have observed latency spikes in this Redis instance. You don't mind " +
    "talking about it, do you Dave?\n\n";
  let i = 1;
  let slowlogEnable = false;
  let slowlogTuning = false;
  let commands = false;
  let fast = false;
  for (const [name, e] of o.events) {
    const n = e.samples.length;
    const sum = e.samples.reduce((a, s) => a + s[1], 0);
    // Redis's integer average, and the mean deviation from it.
    const avg = n === 0 ? 0 : Math.floor(sum / n);
    const mad = n === 0
      ? 0
      : Math.floor(e.samples.reduce((a, s) => a + Math.abs(s[1] - avg), 0) / n);
    let span = n === 0 ? 0 : nowSec - e.samples[0]![0];
    if (span === 0) span = 1;
    const period = n === 0 ? 0 : span / n;
    out += `${i++}. ${name}: ${n} latency spikes (average ${avg}ms, mean ` +
      `deviation ${mad}ms, period ${period.toFixed(2)} sec). Worst all time ` +
      `event ${e.max}ms.\n`;
    if (name === "command") {
      commands = true;
      if (o.slowerThan < 0) slowlogEnable = true;
      else if (Math.floor(o.slowerThan / 1000) > o.latencyThreshold) slowlogTuning = true;
    }
    if (name === "fast-command") fast = true;
  }
  out += "\nI have a few advices for you:\n\n";
  const suggested = o.latencyThreshold * 1000;
  if (slowlogEnable) {
    out += "- There are latency issues with potentially slow commands you are using. Try to " +
      "enable the Slow Log Redis feature using the command 'CONFIG SET " +
      `slowlog-log-slower-than ${suggested}'. If the Slow log is disabled Redis is not able ` +
      "to log slow commands execution for you.\n";
  }
  if (slowlogTuning) {
    out += "- Your current Slow Log configuration only logs events that are slower than your " +
      "configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than " +
      `${suggested}'.\n`;
  }
  if (commands) {
    out += "- Check your Slow Log to understand what are the commands you are running which " +
      "are too slow to execute. Please check https://redis.io/commands/slowlog for more " +
      "information.\n";
  }
  if (fast) {
    out += "- The system is slow to execute Redis code paths not containing system calls. " +
      "This usually means the system does not provide Redis CPU time to run for long " +
      "periods. You should try to:\n" +
      "  1) Lower the system load.\n" +
      "  2) Use a computer / VM just for Redis if you are running other software in the " +
      "same system.\n" +
      '  3) Check if you have a "noisy neighbour" problem.\n' +
      "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in " +
      "your system.\n" +
      "  5) Check if the problem is allocator-related by recompiling Redis with " +
      "MALLOC=libc, if you are using Jemalloc. However this may create fragmentation " +
      "problems.\n";
  }
  out += "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a " +
    "blocking operation. If you have very large objects that are often deleted, expired, or " +
    "evicted, try to fragment those objects into multiple smaller objects.\n";
  return out;
}

const slowlogSubcommands: CommandSpec[] = [
  {
    name: "get",
    arity: -2,
    flags: ["admin", "loading", "stale"],
    group: "server",
    since: "2.2.12",
    summary: "Get the slow log's entries",
    complexity: "O(N) where N is the number of entries returned",
    args: [{ name: "count", type: "integer", optional: true }],
    tips: ["request_policy:all_nodes", "nondeterministic_output"],
    history: [["4.0.0", "Added client IP address, port and name to the reply."]],
    run: slowlogGet,
  },
  {
    name: "len",
    arity: 2,
    flags: ["admin", "loading", "stale"],
    group: "server",
    since: "2.2.12",
    summary: "Get the slow log's length",
    complexity: "O(1)",
    tips: ["request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"],
    run(c) {
      c.w.int(observabilityOf(c.server).slowlog.length);
    },
  },
  {
    name: "reset",
    arity: 2,
    flags: ["admin", "loading", "stale"],
    group: "server",
    since: "2.2.12",
    summary: "Clear all entries from the slow log",
    complexity: "O(N) where N is the number of entries in the slowlog",
    tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
    run(c) {
      observabilityOf(c.server).slowlog = [];
      c.w.ok();
    },
  },
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "server",
    since: "6.2.0",
    summary: "Show helpful text about the different subcommands",
    complexity: "O(1)",
    run(c) {
      writeHelp(c, SLOWLOG_HELP);
    },
  },
];

const latencySubcommands: CommandSpec[] = [
  {
    name: "doctor",
    arity: 2,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "server",
    since: "2.8.13",
    summary: "Return a human readable latency analysis report.",
    complexity: "O(1)",
    tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
    run(c) {
      c.w.verbatim(latencyDoctor(c));
    },
  },
  {
    name: "graph",
    arity: 3,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "server",
    since: "2.8.13",
    summary: "Return a latency graph for the event.",
    complexity: "O(1)",
    args: [{ name: "event", type: "string" }],
    tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
    run(c, argv) {
      const e = observabilityOf(c.server).events.get(argv[2]!);
      if (e === undefined) {
        throw new ReplyError(`ERR No samples available for event '${argv[2]}'`);
      }
      const nowSec = Math.floor(c.server.keyspace.clock() / 1000);
      c.w.verbatim(latencyGraph(argv[2]!, e, nowSec));
    },
  },
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "server",
    since: "2.8.13",
    summary: "Show helpful text about the different subcommands.",
    complexity: "O(1)",
    run(c) {
      writeHelp(c, LATENCY_HELP);
    },
  },
  {
    name: "histogram",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "server",
    since: "7.0.0",
    summary: "Return the cumulative distribution of latencies of a subset of commands or all.",
    complexity: "O(N) where N is the number of commands with latency information being retrieved.",
    args: [{ name: "command", type: "string", optional: true, multiple: true }],
    tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
    run: latencyHistogram,
  },
  {
    name: "history",
    arity: 3,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "server",
    since: "2.8.13",
    summary: "Return timestamp-latency samples for the event.",
    complexity: "O(1)",
    args: [{ name: "event", type: "string" }],
    tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
    run(c, argv) {
      const e = observabilityOf(c.server).events.get(argv[2]!);
      const samples = e?.samples ?? [];
      c.w.array(samples.length);
      for (const [t, ms] of samples) {
        c.w.array(2);
        c.w.int(t);
        c.w.int(ms);
      }
    },
  },
  {
    name: "latest",
    arity: 2,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "server",
    since: "2.8.13",
    summary: "Return the latest latency samples for all events.",
    complexity: "O(1)",
    tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
    run(c) {
      const events = observabilityOf(c.server).events;
      c.w.array(events.size);
      for (const [name, e] of events) {
        const last = e.samples[e.samples.length - 1]!;
        c.w.array(4);
        c.w.bulk(name);
        c.w.int(last[0]);
        c.w.int(last[1]);
        c.w.int(e.max);
      }
    },
  },
  {
    name: "reset",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "server",
    since: "2.8.13",
    summary: "Reset latency data for one or more events.",
    complexity: "O(1)",
    args: [{ name: "event", type: "string", optional: true, multiple: true }],
    tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
    run(c, argv) {
      const events = observabilityOf(c.server).events;
      let n = 0;
      if (argv.length === 2) {
        n = events.size;
        events.clear();
      } else {
        for (let i = 2; i < argv.length; i++) if (events.delete(argv[i]!)) n++;
      }
      c.w.int(n);
    },
  },
];

/** SLOWLOG and LATENCY. */
export const slowlogCommands: CommandSpec[] = [
  {
    name: "slowlog",
    arity: -2,
    flags: [],
    group: "server",
    since: "2.2.12",
    summary: "A container for slow log commands",
    complexity: "Depends on subcommand.",
    subcommands: slowlogSubcommands,
  },
  {
    name: "latency",
    arity: -2,
    flags: [],
    group: "server",
    since: "2.8.13",
    summary: "A container for latency diagnostics commands",
    complexity: "Depends on subcommand.",
    subcommands: latencySubcommands,
  },
];
