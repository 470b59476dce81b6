/**
 * Server commands: INFO, CONFIG, TIME, LASTSAVE, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, SHUTDOWN,
 * MEMORY and DEBUG, plus the statistics sampling the server cron feeds INFO with.
 *
 * @module
 */
import { REDIS_VERSION } from "../config/version.ts";
import { createHash } from "node:crypto";
import { parseMemory, SetError } from "../config/config.ts";
import { rewriteConfig } from "../config/file.ts";
import { globMatch } from "../store/glob.ts";
import { ListValue, setPackedThreshold } from "../types/list.ts";
import type { Db } from "../store/keyspace.ts";
import {
  encodingOf,
  isIntEncodable,
  RawString,
  stringOf,
  type TypedValue,
  typeOf,
  type Value,
} from "../store/value.ts";
import { intArg, isToken } from "./args.ts";
import {
  type Client,
  newMetrics,
  newStats,
  type RateMetric,
  type ServerContext,
  type ServerMetrics,
} from "./context.ts";
import { type CommandSpec, Errors, ReplyError } from "./spec.ts";
import type { Command } from "./table.ts";
import { touchAllWatchedKeysInDb } from "./watch.ts";
import { persistenceDebug } from "./persistence.ts";
import { pubsubCounts } from "./pubsub.ts";
import { encodeOptions, serializedLength as rdbSerializedLength } from "../persistence/rdb.ts";

// ---------------------------------------------------------------------------------------
// Per-server runtime state that only these commands use

/** Samples kept for the `instantaneous_*` metrics (Redis: 16 samples, one per 100 ms). */
const METRIC_SAMPLES = 16;
/** Minimum interval between two metric samples, in ms. */
const METRIC_PERIOD = 100;

function runtime(server: ServerContext): ServerMetrics {
  const rt = server.metrics;
  if (rt.startupMemory < 0) {
    rt.startupMemory = rt.peakMemory = usedMemory(server);
  }
  return rt;
}

function track(m: RateMetric, value: number, now: number): void {
  if (m.lastTime !== 0 && now > m.lastTime) {
    m.samples.push(((value - m.lastValue) * 1000) / (now - m.lastTime));
    if (m.samples.length > METRIC_SAMPLES) m.samples.shift();
  }
  m.lastValue = value;
  m.lastTime = now;
}

function average(m: RateMetric): number {
  if (m.samples.length === 0) return 0;
  return m.samples.reduce((a, b) => a + b, 0) / m.samples.length;
}

/**
 * Samples the statistics INFO derives over time (`instantaneous_ops_per_sec`, network
 * rates, peak memory). The server calls it from its `hz` timer; samples closer than 100 ms
 * are skipped, like Redis's `run_with_period(100)`.
 */
export function sampleServerStats(
  server: ServerContext,
  now = server.keyspace.clock(),
): void {
  const rt = runtime(server);
  const used = usedMemory(server);
  if (used > rt.peakMemory) rt.peakMemory = used;
  if (rt.ops.lastTime !== 0 && now - rt.ops.lastTime < METRIC_PERIOD) return;
  const s = server.stats;
  track(rt.ops, s.commands, now);
  track(rt.netIn, s.netInput, now);
  track(rt.netOut, s.netOutput, now);
}

/** Bytes in use: the V8 heap plus memory held outside it (buffers). */
function usedMemory(server: ServerContext): number {
  const m = server.platform.memory();
  return m.heapUsed + m.external;
}

// ---------------------------------------------------------------------------------------
// Small helpers

/** Writes a HELP reply: an array of status lines. */
function writeHelp(c: Client, lines: readonly string[]): void {
  c.w.array(lines.length);
  for (const line of lines) c.w.simple(line);
}

/** Redis's `bytesToHuman`. */
export function bytesToHuman(n: number): string {
  const units = ["K", "M", "G", "T", "P"];
  if (n < 1024) return `${n}B`;
  let d = n / 1024;
  for (const u of units) {
    if (d < 1024 || u === "P") return `${d.toFixed(2)}${u}`;
    d /= 1024;
  }
  return `${n}B`;
}

/** Whether the client connected over loopback (Redis's `islocalClient`). */
export function isLocalClient(c: Client): boolean {
  const i = c.addr.lastIndexOf(":");
  let host = i < 0 ? c.addr : c.addr.slice(0, i);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host.startsWith("::ffff:")) host = host.slice(7);
  return host.startsWith("127.") || host === "::1" || host === "";
}

/** The Redis type number used by DEBUG DIGEST. */
const TYPE_IDS: Record<string, number> = {
  string: 0,
  list: 1,
  set: 2,
  zset: 3,
  hash: 4,
  stream: 6,
};

// ---------------------------------------------------------------------------------------
// INFO

const SECTION_TITLES: [string, string][] = [
  ["server", "Server"],
  ["clients", "Clients"],
  ["memory", "Memory"],
  ["persistence", "Persistence"],
  ["stats", "Stats"],
  ["replication", "Replication"],
  ["cpu", "CPU"],
  ["modules", "Modules"],
  ["commandstats", "Commandstats"],
  ["errorstats", "Errorstats"],
  ["latencystats", "Latencystats"],
  ["cluster", "Cluster"],
  ["keyspace", "Keyspace"],
];

const DEFAULT_SECTIONS = [
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "cpu",
  "modules",
  "errorstats",
  "cluster",
  "keyspace",
];

/**
 * The sections INFO `args` asks for: none means `default`; `all` is every section (cedis
 * has no module sections, so `everything` is the same); other names are taken as section
 * names, case-insensitively (unknown ones produce nothing).
 */
export function infoSections(args: string[]): Set<string> {
  const out = new Set<string>();
  if (args.length === 0) args = ["default"];
  for (const a of args) {
    const s = a.toLowerCase();
    if (s === "default") { for (const d of DEFAULT_SECTIONS) out.add(d); }
    else if (s === "all" || s === "everything") {
      for (const [name] of SECTION_TITLES) out.add(name);
    } else out.add(s);
  }
  return out;
}

/** The INFO text for `sections`: `# Title` blocks of `field:value` lines, CRLF-separated. */
export function infoText(server: ServerContext, sections: Set<string>): string {
  const blocks: string[] = [];
  for (const [name, title] of SECTION_TITLES) {
    if (!sections.has(name)) continue;
    const lines = SECTION_BUILDERS[name]!(server);
    blocks.push(`# ${title}\r\n` + lines.map((l) => l + "\r\n").join(""));
  }
  return blocks.join("\r\n");
}

type Fields = [string, string | number][];

function fields(f: Fields): string[] {
  return f.map(([k, v]) => `${k}:${v}`);
}

const SECTION_BUILDERS: Record<string, (s: ServerContext) => string[]> = {
  server: infoServer,
  clients: infoClients,
  memory: infoMemory,
  persistence: infoPersistence,
  stats: infoStats,
  replication: infoReplication,
  cpu: infoCpu,
  modules: () => [],
  commandstats: infoCommandStats,
  errorstats: infoErrorStats,
  // cedis keeps no per-command latency histograms: the section is empty.
  latencystats: () => [],
  cluster: () => ["cluster_enabled:0"],
  keyspace: infoKeyspace,
};

function infoServer(s: ServerContext): string[] {
  const now = s.keyspace.clock();
  const uptime = Math.floor((now - s.startTime) / 1000);
  const host = s.platform.host?.() ?? { os: "unknown", archBits: 64, totalMemory: 0 };
  return fields([
    ["redis_version", REDIS_VERSION],
    ["redis_git_sha1", "00000000"],
    ["redis_git_dirty", 0],
    ["redis_build_id", "0"],
    ["redis_mode", "standalone"],
    ["os", host.os],
    ["arch_bits", host.archBits],
    ["monotonic_clock", "Date.now"],
    ["multiplexing_api", "tokio"],
    ["atomicvar_api", "single-threaded"],
    ["gcc_version", "0.0.0"],
    ["process_id", s.platform.pid],
    ["process_supervised", "no"],
    ["run_id", s.runId],
    ["tcp_port", s.platform.port()],
    ["server_time_usec", now * 1000],
    ["uptime_in_seconds", uptime],
    ["uptime_in_days", Math.floor(uptime / 86400)],
    ["hz", s.config.getNumber("hz")],
    ["configured_hz", s.config.getNumber("hz")],
    ["lru_clock", s.keyspace.lruClock()],
    ["executable", s.platform.executable],
    ["config_file", s.platform.configFile],
    ["io_threads_active", 0],
  ]);
}

/** A client parked by a blocking command (the blocking layer sets a truthy `blocked`). */
function isBlocked(c: Client): boolean {
  return Boolean((c as { blocked?: unknown }).blocked);
}

function infoClients(s: ServerContext): string[] {
  let maxIn = 0;
  let maxOut = 0;
  let blocked = 0;
  for (const c of s.clients.values()) {
    maxIn = Math.max(maxIn, c.queryBuffer().used);
    maxOut = Math.max(maxOut, c.w.length + c.pendingOutput);
    if (isBlocked(c)) blocked++;
  }
  return fields([
    ["connected_clients", s.clients.size],
    ["cluster_connections", 0],
    ["maxclients", s.config.getText("maxclients")],
    ["client_recent_max_input_buffer", maxIn],
    ["client_recent_max_output_buffer", maxOut],
    ["blocked_clients", blocked],
    ["tracking_clients", 0],
    ["clients_in_timeout_table", 0],
  ]);
}

/** Bytes of client buffers (query buffers and pending replies). */
function clientsMemory(s: ServerContext): number {
  let n = 0;
  for (const c of s.clients.values()) {
    n += c.queryBuffer().capacity + c.w.length + c.pendingOutput;
  }
  return n;
}

/** Per-key overhead of the keyspace tables, as Redis counts its dict entries and buckets. */
function keyspaceOverhead(s: ServerContext): number {
  let n = 0;
  for (const db of s.keyspace.dbs) {
    n += db.data.size * 24 + tableSlots(db.data.size) * 8;
    n += db.expires.size * 24 + tableSlots(db.expires.size) * 8;
  }
  return n;
}

function tableSlots(n: number): number {
  if (n === 0) return 0;
  let slots = 4;
  while (slots < n) slots *= 2;
  return slots;
}

function ratio(a: number, b: number): string {
  return (b === 0 ? 0 : a / b).toFixed(2);
}

/** The memory figures INFO memory and MEMORY STATS report. */
interface MemoryFigures {
  used: number;
  peak: number;
  rss: number;
  startup: number;
  clients: number;
  overhead: number;
  dataset: number;
  netUsed: number;
  active: number;
}

function memoryFigures(s: ServerContext): MemoryFigures {
  const rt = runtime(s);
  const m = s.platform.memory();
  const used = m.heapUsed + m.external;
  if (used > rt.peakMemory) rt.peakMemory = used;
  const clients = clientsMemory(s);
  const overhead = Math.min(used, rt.startupMemory + clients + keyspaceOverhead(s));
  return {
    used,
    peak: rt.peakMemory,
    rss: m.rss,
    startup: rt.startupMemory,
    clients,
    overhead,
    dataset: Math.max(0, used - overhead),
    netUsed: Math.max(0, used - rt.startupMemory),
    active: m.heapTotal + m.external,
  };
}

function infoMemory(s: ServerContext): string[] {
  const { used, peak, rss, clients, overhead, dataset, netUsed, active, startup } = memoryFigures(
    s,
  );
  const total = s.platform.host?.().totalMemory ?? 0;
  const maxmemory = s.config.getNumber("maxmemory");
  return fields([
    ["used_memory", used],
    ["used_memory_human", bytesToHuman(used)],
    ["used_memory_rss", rss],
    ["used_memory_rss_human", bytesToHuman(rss)],
    ["used_memory_peak", peak],
    ["used_memory_peak_human", bytesToHuman(peak)],
    ["used_memory_peak_perc", `${(peak ? (used * 100) / peak : 0).toFixed(2)}%`],
    ["used_memory_overhead", overhead],
    ["used_memory_startup", startup],
    ["used_memory_dataset", dataset],
    ["used_memory_dataset_perc", `${(netUsed ? (dataset * 100) / netUsed : 0).toFixed(2)}%`],
    ["allocator_allocated", used],
    ["allocator_active", active],
    ["allocator_resident", rss],
    ["total_system_memory", total],
    ["total_system_memory_human", bytesToHuman(total)],
    ["used_memory_lua", 0],
    ["used_memory_vm_eval", 0],
    ["used_memory_lua_human", "0B"],
    ["used_memory_scripts_eval", 0],
    ["number_of_cached_scripts", 0],
    ["number_of_functions", 0],
    ["number_of_libraries", 0],
    ["used_memory_vm_functions", 0],
    ["used_memory_vm_total", 0],
    ["used_memory_vm_total_human", "0B"],
    ["used_memory_functions", 0],
    ["used_memory_scripts", 0],
    ["used_memory_scripts_human", "0B"],
    ["maxmemory", maxmemory],
    ["maxmemory_human", bytesToHuman(maxmemory)],
    ["maxmemory_policy", s.config.getString("maxmemory-policy")],
    ["allocator_frag_ratio", ratio(active, used)],
    ["allocator_frag_bytes", active - used],
    ["allocator_rss_ratio", ratio(rss, active)],
    ["allocator_rss_bytes", rss - active],
    ["rss_overhead_ratio", "1.00"],
    ["rss_overhead_bytes", 0],
    ["mem_fragmentation_ratio", ratio(rss, used)],
    ["mem_fragmentation_bytes", rss - used],
    ["mem_not_counted_for_evict", 0],
    ["mem_replication_backlog", 0],
    ["mem_total_replication_buffers", 0],
    ["mem_clients_slaves", 0],
    ["mem_clients_normal", clients],
    ["mem_cluster_links", 0],
    ["mem_aof_buffer", 0],
    ["mem_allocator", "v8"],
    ["active_defrag_running", 0],
    ["lazyfree_pending_objects", 0],
    ["lazyfreed_objects", 0],
  ]);
}

function infoPersistence(s: ServerContext): string[] {
  const p = s.persistence;
  const job = p.jobProgress;
  const status = (ok: boolean) => (ok ? "ok" : "err");
  const aof: [string, string | number][] = p.aofEnabled
    ? [
      ["aof_current_size", p.aofSizes.current],
      ["aof_base_size", p.aofSizes.base],
      ["aof_pending_rewrite", p.aofRewriteScheduled ? 1 : 0],
      ["aof_buffer_length", p.aofSizes.buffer],
      ["aof_pending_bio_fsync", 0],
      ["aof_delayed_fsync", 0],
    ]
    : [];
  return fields([
    ["loading", 0],
    ["async_loading", 0],
    ["current_cow_peak", 0],
    ["current_cow_size", 0],
    ["current_cow_size_age", 0],
    ["current_fork_perc", "0.00"],
    ["current_save_keys_processed", job.processed],
    ["current_save_keys_total", job.total],
    ["rdb_changes_since_last_save", s.keyspace.dirty],
    ["rdb_bgsave_in_progress", p.bgsaveInProgress ? 1 : 0],
    ["rdb_last_save_time", s.lastSave],
    ["rdb_last_bgsave_status", status(p.lastBgsaveOk)],
    ["rdb_last_bgsave_time_sec", p.lastBgsaveTimeSec],
    ["rdb_current_bgsave_time_sec", p.jobSeconds("rdb")],
    ["rdb_saves", p.rdbSaves],
    ["rdb_last_cow_size", 0],
    ["rdb_last_load_keys_expired", p.lastLoad.expired],
    ["rdb_last_load_keys_loaded", p.lastLoad.loaded],
    ["aof_enabled", p.aofEnabled ? 1 : 0],
    ["aof_rewrite_in_progress", p.aofRewriteInProgress ? 1 : 0],
    ["aof_rewrite_scheduled", p.aofRewriteScheduled ? 1 : 0],
    ["aof_last_rewrite_time_sec", p.lastAofRewriteTimeSec],
    ["aof_current_rewrite_time_sec", p.jobSeconds("aof")],
    ["aof_last_bgrewrite_status", status(p.lastAofRewriteOk)],
    ["aof_rewrites", p.aofRewrites],
    ["aof_rewrites_consecutive_failures", 0],
    ["aof_last_write_status", status(p.lastAofWriteOk)],
    ["aof_last_cow_size", 0],
    ["module_fork_in_progress", 0],
    ["module_fork_last_cow_size", 0],
    ...aof,
  ]);
}

function infoStats(s: ServerContext): string[] {
  const rt = runtime(s);
  const st = s.stats;
  const ks = s.keyspace.stats;
  return fields([
    ["total_connections_received", st.connections],
    ["total_commands_processed", st.commands],
    ["instantaneous_ops_per_sec", Math.round(average(rt.ops))],
    ["total_net_input_bytes", st.netInput],
    ["total_net_output_bytes", st.netOutput],
    ["total_net_repl_input_bytes", 0],
    ["total_net_repl_output_bytes", 0],
    ["instantaneous_input_kbps", (average(rt.netIn) / 1024).toFixed(2)],
    ["instantaneous_output_kbps", (average(rt.netOut) / 1024).toFixed(2)],
    ["instantaneous_input_repl_kbps", "0.00"],
    ["instantaneous_output_repl_kbps", "0.00"],
    ["rejected_connections", st.rejectedConnections],
    ["sync_full", 0],
    ["sync_partial_ok", 0],
    ["sync_partial_err", 0],
    ["expired_keys", ks.expiredKeys],
    ["expired_stale_perc", "0.00"],
    ["expired_time_cap_reached_count", 0],
    ["expire_cycle_cpu_milliseconds", 0],
    ["evicted_keys", ks.evictedKeys],
    ["evicted_clients", 0],
    ["total_eviction_exceeded_time", 0],
    ["current_eviction_exceeded_time", 0],
    ["keyspace_hits", ks.hits],
    ["keyspace_misses", ks.misses],
    ["pubsub_channels", pubsubCounts(s)[0]],
    ["pubsub_patterns", pubsubCounts(s)[1]],
    ["pubsubshard_channels", pubsubCounts(s)[2]],
    ["latest_fork_usec", 0],
    ["total_forks", 0],
    ["migrate_cached_sockets", 0],
    ["slave_expires_tracked_keys", 0],
    ["active_defrag_hits", 0],
    ["active_defrag_misses", 0],
    ["active_defrag_key_hits", 0],
    ["active_defrag_key_misses", 0],
    ["total_active_defrag_time", 0],
    ["current_active_defrag_time", 0],
    ["tracking_total_keys", 0],
    ["tracking_total_items", 0],
    ["tracking_total_prefixes", 0],
    ["unexpected_error_replies", 0],
    ["total_error_replies", st.errorReplies],
    ["dump_payload_sanitizations", 0],
    ["total_reads_processed", st.readsProcessed],
    ["total_writes_processed", st.writesProcessed],
    ["io_threaded_reads_processed", 0],
    ["io_threaded_writes_processed", 0],
    ["reply_buffer_shrinks", 0],
    ["reply_buffer_expands", 0],
  ]);
}

function infoReplication(s: ServerContext): string[] {
  return fields([
    ["role", "master"],
    ["connected_slaves", s.persistence.replicaCount],
    ["master_failover_state", "no-failover"],
    ["master_replid", s.persistence.replId],
    ["master_replid2", s.persistence.replId2],
    ["master_repl_offset", s.persistence.replOffset],
    ["second_repl_offset", -1],
    ["repl_backlog_active", 0],
    ["repl_backlog_size", s.config.getText("repl-backlog-size")],
    ["repl_backlog_first_byte_offset", 0],
    ["repl_backlog_histlen", 0],
  ]);
}

function infoCpu(s: ServerContext): string[] {
  const cpu = s.platform.cpuUsage?.() ?? { user: 0, sys: 0 };
  const f = (n: number) => n.toFixed(6);
  return fields([
    ["used_cpu_sys", f(cpu.sys)],
    ["used_cpu_user", f(cpu.user)],
    ["used_cpu_sys_children", f(0)],
    ["used_cpu_user_children", f(0)],
    ["used_cpu_sys_main_thread", f(cpu.sys)],
    ["used_cpu_user_main_thread", f(cpu.user)],
  ]);
}

function commandStatLine(cmd: Command): string | null {
  if (cmd.calls === 0 && cmd.failed === 0 && cmd.rejected === 0) return null;
  const perCall = cmd.calls === 0 ? 0 : cmd.usec / cmd.calls;
  return `cmdstat_${cmd.fullName}:calls=${cmd.calls},usec=${Math.round(cmd.usec)},` +
    `usec_per_call=${perCall.toFixed(2)},rejected_calls=${cmd.rejected},` +
    `failed_calls=${cmd.failed}`;
}

function infoCommandStats(s: ServerContext): string[] {
  const out: string[] = [];
  for (const cmd of s.commands.commands) {
    const line = commandStatLine(cmd);
    if (line !== null) out.push(line);
    if (cmd.subs === null) continue;
    for (const sub of cmd.subs.values()) {
      const l = commandStatLine(sub);
      if (l !== null) out.push(l);
    }
  }
  return out;
}

function infoErrorStats(s: ServerContext): string[] {
  const codes = [...s.stats.errorCodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return codes.map(([code, n]) => `errorstat_${code}:count=${n}`);
}

function infoKeyspace(s: ServerContext): string[] {
  const out: string[] = [];
  for (const db of s.keyspace.dbs) {
    if (db.size === 0) continue;
    out.push(
      `db${db.id}:keys=${db.size},expires=${db.expires.size},avg_ttl=${Math.round(db.avgTtl)}`,
    );
  }
  return out;
}

/** CONFIG RESETSTAT: zeroes INFO's counters, command and error statistics, peak memory. */
export function resetStats(server: ServerContext): void {
  server.stats = newStats();
  const ks = server.keyspace.stats;
  ks.expiredKeys = 0;
  ks.evictedKeys = 0;
  ks.hits = 0;
  ks.misses = 0;
  for (const cmd of server.commands.commands) {
    for (const c of [cmd, ...(cmd.subs?.values() ?? [])]) {
      c.calls = 0;
      c.usec = 0;
      c.rejected = 0;
      c.failed = 0;
    }
  }
  const rt = runtime(server);
  rt.peakMemory = usedMemory(server);
  const fresh = newMetrics();
  rt.ops = fresh.ops;
  rt.netIn = fresh.netIn;
  rt.netOut = fresh.netOut;
}

// ---------------------------------------------------------------------------------------
// CONFIG

const CONFIG_HELP = [
  "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET <pattern>",
  "    Return parameters matching the glob-like <pattern> and their values.",
  "SET <directive> <value>",
  "    Set the configuration <directive> to <value>.",
  "RESETSTAT",
  "    Reset statistics reported by the INFO command.",
  "REWRITE",
  "    Rewrite the configuration file.",
  "HELP",
  "    Prints this help.",
];

function configGet(c: Client, argv: string[]): void {
  const pairs = c.server.config.get(argv.slice(2), (p, name) => globMatch(p, name, true));
  c.w.map(pairs.length);
  for (const [k, v] of pairs) {
    c.w.bulk(k);
    c.w.bulk(v);
  }
}

function configSet(c: Client, argv: string[]): void {
  if (argv.length % 2 === 1) throw new ReplyError(Errors.syntax);
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i]!, argv[i + 1]!]);
  try {
    c.server.config.setMany(pairs, { local: isLocalClient(c) });
  } catch (e) {
    if (e instanceof SetError) throw new ReplyError(e.reply);
    throw e;
  }
  c.w.ok();
}

/** Writes the config file with the current configuration; returns an error text or null. */
export function configRewrite(server: ServerContext, forceAll = false): string | null {
  const p = server.platform;
  if (p.configFile === "") return "The server is running without a config file";
  const text = rewriteConfig(server.config, p.readConfig() ?? "", forceAll);
  return p.rewriteConfig(text);
}

// ---------------------------------------------------------------------------------------
// DBSIZE, FLUSHDB, FLUSHALL, SWAPDB

/** Empties `db`, marking its watched keys dirty; returns the number of keys removed. */
function emptyDb(c: Client, db: Db): number {
  const n = db.size;
  touchAllWatchedKeysInDb(c.server, db.id);
  db.clear();
  // Blocked clients learn that their keys are gone (XREADGROUP then fails).
  c.server.blocking?.signalDb(db.id);
  return n;
}

/** FLUSHDB/FLUSHALL's optional ASYNC|SYNC (both free memory at once in cedis). */
function flushMode(argv: string[]): void {
  if (argv.length > 2) throw new ReplyError(Errors.syntax);
  if (argv.length === 2 && !isToken(argv[1]!, "async") && !isToken(argv[1]!, "sync")) {
    throw new ReplyError(Errors.syntax);
  }
}

function flushdbCommand(c: Client, argv: string[]): void {
  flushMode(argv);
  c.ks.markWritten(emptyDb(c, c.db));
  // Propagated even when the database was already empty, as Redis does.
  c.propagateAs(argv);
  c.w.ok();
}

function flushallCommand(c: Client, argv: string[]): void {
  flushMode(argv);
  let removed = 0;
  for (const db of c.ks.dbs) removed += emptyDb(c, db);
  c.ks.markWritten(removed);
  // Redis stops a running BGSAVE and, when save points are configured, saves the (empty)
  // dataset right away; FLUSHALL is always propagated, even on an empty dataset.
  const p = c.server.persistence;
  if (p.bgsaveInProgress) p.killJob();
  if (p.hasSavePoints) p.save();
  c.propagateAs(argv);
  c.w.ok();
}

function swapdbCommand(c: Client, argv: string[]): void {
  const a = intArg(argv[1]!, "ERR invalid first DB index");
  const b = intArg(argv[2]!, "ERR invalid second DB index");
  const dbs = c.ks.dbs;
  if (a < 0 || a >= dbs.length || b < 0 || b >= dbs.length) {
    throw new ReplyError(Errors.dbIndex);
  }
  if (a !== b) {
    const da = dbs[a]!;
    const db = dbs[b]!;
    // A key watched in either db changes if it exists on either side of the swap.
    touchAllWatchedKeysInDb(c.server, a, b);
    touchAllWatchedKeysInDb(c.server, b, a);
    da.swapWith(db);
  }
  c.ks.markWritten();
  c.w.ok();
}

// ---------------------------------------------------------------------------------------
// SHUTDOWN

function shutdownCommand(c: Client, argv: string[]): void {
  let save: boolean | null = null;
  let now = false;
  let force = false;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (isToken(a, "nosave")) save = save === true ? fail() : false;
    else if (isToken(a, "save")) save = save === false ? fail() : true;
    else if (isToken(a, "now")) now = true;
    else if (isToken(a, "force")) force = true;
    else if (isToken(a, "abort")) abort = true;
    else throw new ReplyError(Errors.syntax);
  }
  if (abort && (save !== null || now || force)) throw new ReplyError(Errors.syntax);
  if (abort) {
    // Shutdowns in cedis are immediate: there is never one in progress to abort.
    throw new ReplyError("ERR No shutdown in progress.");
  }
  const err = c.server.platform.shutdown({ save, now, force });
  if (err !== null) throw new ReplyError("ERR " + err);
  // No reply: the connection closes as the server exits.
}

function fail(): never {
  throw new ReplyError(Errors.syntax);
}

// ---------------------------------------------------------------------------------------
// MEMORY USAGE: Redis's accounting (jemalloc size classes, sds headers, robj and dict
// entries), applied to the value's logical contents

/** The jemalloc size class `n` bytes are served from. */
export function mallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const group = 2 ** Math.floor(Math.log2(n - 1));
  const step = group / 4;
  return Math.ceil(n / step) * step;
}

/** Allocation of an sds string of `len` bytes (keys may use the 1-byte sdshdr5). */
function sdsSize(len: number, allowType5 = false): number {
  const hdr = allowType5 && len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : len < 2 ** 32 ? 9 : 17;
  return mallocSize(hdr + len + 1);
}

const ROBJ = 16;
const DICT_ENTRY = 24;
const DICT = 56;

/** Bytes a listpack entry holding `s` takes. */
function listpackEntry(s: string): number {
  if (isIntEncodable(s)) {
    const n = BigInt(s);
    const size = n >= 0n && n <= 127n
      ? 1
      : n >= -4096n && n <= 4095n
      ? 2
      : n >= -32768n && n <= 32767n
      ? 3
      : n >= -8388608n && n <= 8388607n
      ? 4
      : n >= -2147483648n && n <= 2147483647n
      ? 5
      : 9;
    return size + 1;
  }
  const len = s.length;
  const hdr = len < 64 ? 1 : len < 4096 ? 2 : 5;
  const body = hdr + len;
  return body + (body < 128 ? 1 : body < 16384 ? 2 : 3);
}

/** Estimated bytes of string value `v` (robj plus sds, or one embstr allocation). */
function stringValueSize(v: string | RawString): number {
  if (typeof v !== "string") {
    const cap = v.bytes.length;
    return ROBJ + sdsSize(cap);
  }
  if (isIntEncodable(v)) return ROBJ;
  if (v.length <= 44) return mallocSize(ROBJ + 3 + v.length + 1);
  return ROBJ + sdsSize(v.length);
}

/**
 * Estimated bytes of a non-string value from its encoding and up to `samples` of its
 * elements (0 = all), scaled to its size, the way Redis's `objectComputeSize` samples.
 * Types that know better implement {@link TypedValue.memoryUsage}.
 */
function typedValueSize(v: TypedValue, samples: number): number {
  if (v.memoryUsage) return v.memoryUsage(samples);
  const count = v.count?.() ?? 0;
  const enc = v.encoding();
  const seen: [string, string | undefined][] = [];
  v.visit?.((a, b) => {
    seen.push([a, b]);
    return samples === 0 || seen.length < samples;
  });
  const scale = seen.length === 0 ? 0 : count / seen.length;
  const sum = (f: (a: string, b: string | undefined) => number) =>
    seen.reduce((n, [a, b]) => n + f(a, b), 0) * scale;
  switch (enc) {
    case "listpack":
      return ROBJ +
        mallocSize(7 + sum((a, b) => listpackEntry(a) + (b === undefined ? 0 : listpackEntry(b))));
    case "quicklist": {
      const bytes = sum((a) => listpackEntry(a));
      const nodes = Math.max(1, Math.ceil(bytes / 8192));
      return ROBJ + mallocSize(40) + nodes * 32 + nodes * mallocSize(7 + bytes / nodes);
    }
    case "intset": {
      let width = 2;
      for (const [a] of seen) {
        const n = Number(a);
        if (n < -2147483648 || n > 2147483647) width = 8;
        else if ((n < -32768 || n > 32767) && width < 4) width = 4;
      }
      return ROBJ + mallocSize(8 + width * count);
    }
    case "hashtable":
      return ROBJ + DICT + tableSlots(count) * 8 +
        sum((a, b) => DICT_ENTRY + sdsSize(a.length) + (b === undefined ? 0 : sdsSize(b.length)));
    case "skiplist":
      // zset: dict + skiplist; a node is 24 bytes plus 16 per level (1.33 levels on average).
      return ROBJ + 16 + 32 + DICT + tableSlots(count) * 8 + mallocSize(24 + 32 * 16) +
        sum((a) => sdsSize(a.length) + DICT_ENTRY + mallocSize(24 + 16 * 4 / 3));
    default:
      // Streams and anything else: the element bytes plus listpack-like overhead.
      return ROBJ + mallocSize(64) + sum((a, b) => a.length + (b?.length ?? 0) + 4);
  }
}

/** MEMORY USAGE of `key` holding `v`: key, value and the dict entry. */
export function keyMemoryUsage(key: string, v: Value, samples: number): number {
  const value = typeof v === "string" || v instanceof RawString
    ? stringValueSize(v)
    : typedValueSize(v, samples);
  return Math.round(sdsSize(key.length, true) + value + DICT_ENTRY);
}

const MEMORY_HELP = [
  "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DOCTOR",
  "    Return memory problems reports.",
  "MALLOC-STATS",
  "    Return internal statistics report from the memory allocator.",
  "PURGE",
  "    Attempt to purge dirty pages for reclamation by the allocator.",
  "STATS",
  "    Return information about the memory usage of the server.",
  "USAGE <key> [SAMPLES <count>]",
  "    Return memory in bytes used by <key> and its value. Nested values are",
  "    sampled up to <count> times (default: 5, 0 means sample all).",
  "HELP",
  "    Prints this help.",
];

/** MEMORY STATS: Redis's fields, from the same figures as INFO memory. */
function memoryStats(c: Client): void {
  const s = c.server;
  const f = memoryFigures(s);
  const dbs = s.keyspace.dbs.filter((db) => db.size > 0);
  const keys = s.keyspace.totalKeys();
  const w = c.w;
  // Redis keeps these ratios in C floats; so does the reply.
  const float = (n: number) => w.double(Math.fround(Number.isFinite(n) ? n : 0));
  w.map(27 + dbs.length);
  const int = (name: string, n: number) => {
    w.bulk(name);
    w.int(Math.round(n));
  };
  const dbl = (name: string, n: number) => {
    w.bulk(name);
    float(n);
  };
  int("peak.allocated", f.peak);
  int("total.allocated", f.used);
  int("startup.allocated", f.startup);
  int("replication.backlog", 0);
  int("clients.slaves", 0);
  int("clients.normal", f.clients);
  int("cluster.links", 0);
  int("aof.buffer", 0);
  int("lua.caches", 0);
  int("functions.caches", 0);
  for (const db of dbs) {
    w.bulk(`db.${db.id}`);
    w.map(3);
    int("overhead.hashtable.main", DICT + db.size * DICT_ENTRY + tableSlots(db.size) * 8);
    int(
      "overhead.hashtable.expires",
      db.expires.size === 0
        ? 0
        : DICT + db.expires.size * DICT_ENTRY + tableSlots(db.expires.size) * 8,
    );
    int("overhead.hashtable.slot-to-keys", 0);
  }
  int("overhead.total", f.overhead);
  int("keys.count", keys);
  int("keys.bytes-per-key", keys === 0 ? 0 : Math.floor(f.netUsed / keys));
  int("dataset.bytes", f.dataset);
  dbl("dataset.percentage", f.netUsed === 0 ? 0 : (f.dataset * 100) / f.netUsed);
  dbl("peak.percentage", f.peak === 0 ? 0 : (f.used * 100) / f.peak);
  int("allocator.allocated", f.used);
  int("allocator.active", f.active);
  int("allocator.resident", f.rss);
  dbl("allocator-fragmentation.ratio", f.used === 0 ? 0 : f.active / f.used);
  int("allocator-fragmentation.bytes", f.active - f.used);
  dbl("allocator-rss.ratio", f.active === 0 ? 0 : f.rss / f.active);
  int("allocator-rss.bytes", f.rss - f.active);
  dbl("rss-overhead.ratio", 1);
  int("rss-overhead.bytes", 0);
  dbl("fragmentation", f.used === 0 ? 0 : f.rss / f.used);
  int("fragmentation.bytes", f.rss - f.used);
}

function memoryUsage(c: Client, argv: string[]): void {
  let samples = 5;
  for (let i = 3; i < argv.length; i++) {
    if (isToken(argv[i]!, "samples") && i + 1 < argv.length) {
      samples = intArg(argv[++i]!);
      if (samples < 0) throw new ReplyError(Errors.syntax);
    } else throw new ReplyError(Errors.syntax);
  }
  // Like Redis, a plain table lookup: no expiry, no statistics, no access.
  const key = argv[2]!;
  const v = c.db.data.get(key);
  if (v === undefined) {
    c.w.nullBulk();
    return;
  }
  c.w.int(keyMemoryUsage(key, v, samples));
}

// ---------------------------------------------------------------------------------------
// DEBUG DIGEST: Redis's exact algorithm (SHA1 mixing), so digests match real Redis

function sha1(b: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha1").update(b).digest());
}

function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

function xorDigest(d: Uint8Array, data: Uint8Array): void {
  const h = sha1(data);
  for (let i = 0; i < 20; i++) d[i]! ^= h[i]!;
}

function mixDigest(d: Uint8Array, data: Uint8Array): void {
  xorDigest(d, data);
  d.set(sha1(d));
}

function be32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/** Adds value `v` (with or without a TTL) to `d`, as Redis's `xorObjectDigest`. */
function objectDigest(d: Uint8Array, v: Value, hasExpire: boolean): void {
  const type = typeOf(v);
  mixDigest(d, be32(TYPE_IDS[type] ?? 5));
  if (typeof v === "string" || v instanceof RawString) {
    mixDigest(d, bytesOf(stringOf(v)));
  } else {
    const visit = v.visit?.bind(v);
    if (visit === undefined) {
      // A type without element access: digest what is observable (its encoding).
      mixDigest(d, bytesOf(v.encoding()));
    } else if (type === "list" || type === "stream") {
      visit((a, b) => {
        mixDigest(d, bytesOf(a));
        if (b !== undefined) mixDigest(d, bytesOf(b));
      });
    } else if (type === "set") {
      visit((a) => xorDigest(d, bytesOf(a)));
    } else {
      visit((a, b) => {
        const e = new Uint8Array(20);
        mixDigest(e, bytesOf(a));
        mixDigest(e, bytesOf(b ?? ""));
        xorDigest(d, e);
      });
    }
  }
  if (hasExpire) xorDigest(d, bytesOf("!!expire!!"));
}

function hex(d: Uint8Array): string {
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** DEBUG DIGEST: a 40-hex signature of the whole dataset; zeros when it is empty. */
export function datasetDigest(server: ServerContext): string {
  const final = new Uint8Array(20);
  for (const db of server.keyspace.dbs) {
    if (db.size === 0) continue;
    mixDigest(final, be32(db.id));
    for (const [key, v] of db.data) {
      const d = new Uint8Array(20);
      mixDigest(d, bytesOf(key));
      objectDigest(d, v, db.expires.has(key));
      xorDigest(final, d);
    }
  }
  return hex(final);
}

// ---------------------------------------------------------------------------------------
// DEBUG

const DEBUG_HELP = [
  "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CHANGE-REPL-ID",
  "    Change the replication IDs of the instance.",
  "    Dangerous: should be used only for testing the replication subsystem.",
  "CONFIG-REWRITE-FORCE-ALL",
  "    Like CONFIG REWRITE but writes all configuration options, including",
  "    keywords not listed in original configuration file or default values.",
  "DIGEST",
  "    Output a hex signature representing the current DB content.",
  "DIGEST-VALUE <key> [<key> ...]",
  "    Output a hex signature of the values of all the specified keys.",
  "ERROR <string>",
  "    Return a Redis protocol error with <string> as message. Useful for clients",
  "    unit tests to simulate Redis errors.",
  "LOG <message>",
  "    Write <message> to the server log.",
  "OBJECT <key>",
  "    Show low level info about `key` and associated value.",
  "POPULATE <count> [<prefix>] [<size>]",
  "    Create <count> string keys named key:<num>. If <prefix> is specified then",
  "    it is used instead of the 'key' prefix. These are not propagated to",
  "    replicas. Cluster slots are not respected so keys not belonging to the",
  "    current node can be created in cluster mode.",
  "PROTOCOL <type>",
  "    Reply with a test value of the specified type. <type> can be: string,",
  "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
  "    true, false.",
  "SET-ACTIVE-EXPIRE <0|1>",
  "    Setting it to 0 disables expiring keys in background when they are not",
  "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
  "    default.",
  "SLEEP <seconds>",
  "    Stop the server for <seconds>. Decimals allowed.",
  "HELP",
  "    Prints this help.",
];

const DEBUG_NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option " +
  'is set to "local", you can run it from a local connection, otherwise you need to set ' +
  "this option in the configuration file, and then restart the server.";

/** Whether `enable-debug-command` lets `c` run DEBUG. */
function debugAllowed(c: Client): boolean {
  const mode = c.server.config.getString("enable-debug-command");
  return mode === "yes" || (mode === "local" && isLocalClient(c));
}

/** Parses a C `strtod`-style prefix; 0 when there is no number. */
function strtod(s: string): number {
  const n = parseFloat(s);
  return Number.isNaN(n) ? 0 : n;
}

/** A per-key pseudo address for DEBUG OBJECT: stable while the key holds its value. */
function objectAddress(db: Db, key: string, v: Value): string {
  let h = 0x811c9dc5 ^ db.id;
  const id = typeof v === "string" ? key : key + "\0" + typeOf(v);
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return "0x7f" + ((h >>> 0) * 16).toString(16).padStart(10, "0");
}

/** Length of an RDB length prefix for `n`. */
function rdbLenSize(n: number): number {
  return n < 64 ? 1 : n < 16384 ? 2 : n <= 0xffffffff ? 5 : 9;
}

/** Bytes an RDB string takes (integer encodings for small integers, no LZF estimate). */
function rdbStringSize(s: string): number {
  if (isIntEncodable(s) && s.length <= 11) {
    const n = Number(s);
    if (n >= -128 && n <= 127) return 2;
    if (n >= -32768 && n <= 32767) return 3;
    if (n >= -2147483648 && n <= 2147483647) return 5;
  }
  return rdbLenSize(s.length) + s.length;
}

/**
 * DEBUG OBJECT's `serializedlength`: the exact size of the value's RDB encoding, or an
 * estimate for types persistence can't encode yet.
 */
function serializedLength(c: Client, v: Value): number {
  try {
    return rdbSerializedLength(v, encodeOptions(c.server.config));
  } catch { /* not encodable yet: estimate below */ }
  if (typeof v === "string" || v instanceof RawString) return rdbStringSize(stringOf(v));
  let n = rdbLenSize(v.count?.() ?? 0);
  v.visit?.((a, b) => {
    n += rdbStringSize(a) + (b === undefined ? 0 : rdbStringSize(b));
  });
  return n;
}

/** Whether Redis would hold string `v` as one of its shared integers 0..9999. */
function isSharedInteger(c: Client, v: Value): boolean {
  if (typeof v !== "string" || v.length > 4 || !isIntEncodable(v) || v[0] === "-") return false;
  const config = c.server.config;
  if (config.getNumber("maxmemory") === 0) return true;
  const policy = config.getString("maxmemory-policy");
  return !policy.endsWith("-lru") && !policy.endsWith("-lfu");
}

function debugObject(c: Client, key: string): void {
  const db = c.db;
  const v = db.data.get(key);
  if (v === undefined) throw new ReplyError(Errors.noSuchKey);
  const refcount = isSharedInteger(c, v) ? 2147483647 : 1;
  const lru = db.access.get(key) ?? c.ks.lruClock();
  let extra = "";
  const enc = encodingOf(v);
  if (v instanceof ListValue) {
    const nodes = Math.max(1, v.nodeCount);
    extra = ` ql_nodes:${v.nodeCount} ql_avg_node:${(v.length / nodes).toFixed(2)}` +
      ` ql_listpack_max:${v.fill} ql_compressed:0 ql_uncompressed_size:${v.bytes}`;
  } else if (enc === "quicklist" && typeof v !== "string") {
    // Estimated like MEMORY USAGE: 8 KB listpack nodes (list-max-listpack-size -2).
    const n = v.count?.() ?? 0;
    let bytes = 0;
    v.visit?.((a) => {
      bytes += listpackEntry(a);
    });
    const nodes = Math.max(1, Math.ceil(bytes / 8192));
    const maxSize = c.server.config.getNumber("list-max-listpack-size");
    extra = ` ql_nodes:${nodes} ql_avg_node:${(n / nodes).toFixed(2)} ql_listpack_max:${maxSize}` +
      ` ql_compressed:0 ql_uncompressed_size:${bytes + 7 * nodes}`;
  }
  c.w.simple(
    `Value at:${objectAddress(db, key, v)} refcount:${refcount} encoding:${enc} ` +
      `serializedlength:${serializedLength(c, v)} lru:${lru} ` +
      `lru_seconds_idle:${db.idleTime(key)}${extra}`,
  );
}

function debugProtocol(c: Client, type: string): void {
  const w = c.w;
  switch (type.toLowerCase()) {
    case "string":
      return w.bulk("Hello World");
    case "integer":
      return w.int(12345);
    case "double":
      return w.double(3.141);
    case "bignum":
      return w.bigNumber("1234567999999999999999999999999999999");
    case "null":
      return w.nullBulk();
    case "array":
    case "set":
      if (type.toLowerCase() === "set") w.set(3);
      else w.array(3);
      for (let i = 0; i < 3; i++) w.int(i);
      return;
    case "map":
      w.map(3);
      for (let i = 0; i < 3; i++) {
        w.int(i);
        w.bool(i === 1);
      }
      return;
    case "attrib":
      if (w.resp === 3) {
        w.attribute(1);
        w.bulk("key-popularity");
        w.array(2);
        w.bulk("key:123");
        w.int(90);
      }
      return w.bulk("Some real reply following the attribute");
    case "push":
      if (w.resp !== 3) throw new ReplyError("ERR RESP2 is not supported by this command");
      w.push(2);
      w.bulk("server-cpu-usage");
      w.int(42);
      return w.bulk("Some real reply following the push reply");
    case "verbatim":
      return w.verbatim("This is a verbatim\nstring", "txt");
    case "true":
      return w.bool(true);
    case "false":
      return w.bool(false);
    default:
      throw new ReplyError(
        "ERR Wrong protocol type name. Please use one of the following: " +
          "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
      );
  }
}

function debugPopulate(c: Client, argv: string[]): void {
  const positive = (s: string) => {
    const n = Number(s);
    if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(n) || n < 0) {
      throw new ReplyError("ERR value is out of range, must be positive");
    }
    return n;
  };
  const count = positive(argv[2]!);
  const prefix = argv[3] ?? "key";
  const size = argv.length > 4 ? positive(argv[4]!) : 0;
  const db = c.db;
  for (let i = 0; i < count; i++) {
    const key = `${prefix}:${i}`;
    if (db.data.has(key)) continue;
    let value = `value:${i}`;
    if (size !== 0) {
      value = size <= value.length
        ? value.slice(0, size)
        : value + "\0".repeat(size - value.length);
    }
    db.set(key, value);
  }
}

function debugCommand(c: Client, argv: string[]): void {
  if (!debugAllowed(c)) throw new ReplyError(DEBUG_NOT_ALLOWED);
  const sub = argv[1]!.toLowerCase();
  const argc = argv.length;
  const server = c.server;
  if (sub === "help" && argc === 2) return writeHelp(c, DEBUG_HELP);
  if (sub === "sleep" && argc === 3) {
    server.platform.sleep(Math.max(0, strtod(argv[2]!) * 1000));
    return c.w.ok();
  }
  if (sub === "set-active-expire" && argc === 3) {
    c.ks.activeExpireEnabled = Math.trunc(strtod(argv[2]!)) !== 0;
    return c.w.ok();
  }
  if (sub === "quicklist-packed-threshold" && argc === 3) {
    // Elements from this size get a list node of their own (src/types/list.ts).
    const bytes = parseMemory(argv[2]!);
    if (bytes === null || !setPackedThreshold(Number(bytes))) {
      throw new ReplyError(
        "ERR argument must be a memory value bigger than 1 and smaller than 4gb",
      );
    }
    return c.w.ok();
  }
  if (sub === "object" && argc === 3) return debugObject(c, argv[2]!);
  if (sub === "protocol" && argc === 3) return debugProtocol(c, argv[2]!);
  if (sub === "digest" && argc === 2) return c.w.simple(datasetDigest(server));
  if (sub === "digest-value" && argc >= 2) {
    c.w.array(argc - 2);
    for (let i = 2; i < argc; i++) {
      const d = new Uint8Array(20);
      const v = c.db.data.get(argv[i]!);
      if (v !== undefined) objectDigest(d, v, c.db.expires.has(argv[i]!));
      c.w.simple(hex(d));
    }
    return;
  }
  if (sub === "change-repl-id" && argc === 2) {
    server.persistence.changeReplicationId();
    server.persistence.replId2 = "0".repeat(40);
    server.platform.log("warning", "Changing replication IDs after receiving DEBUG change-repl-id");
    return c.w.ok();
  }
  if (sub === "log" && argc === 3) {
    server.platform.log("warning", `DEBUG LOG: ${argv[2]}`);
    return c.w.ok();
  }
  if (sub === "error" && argc === 3) return c.w.error(argv[2]!);
  if (sub === "populate" && argc >= 3 && argc <= 5) {
    debugPopulate(c, argv);
    return c.w.ok();
  }
  if (sub === "config-rewrite-force-all" && argc === 2) {
    const err = configRewrite(server, true);
    if (err !== null) throw new ReplyError("ERR CONFIG-REWRITE-FORCE-ALL failed: " + err);
    return c.w.ok();
  }
  if (persistenceDebug(c, argv)) return;
  throw new ReplyError(
    `ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try DEBUG HELP.`,
  );
}

// ---------------------------------------------------------------------------------------
// Declarations

/** Server commands. */
export const serverCommands: CommandSpec[] = [
  {
    name: "info",
    arity: -1,
    flags: ["loading", "stale"],
    acl: ["dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Get information and statistics about the server",
    complexity: "O(1)",
    tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
    history: [["7.0.0", "Added support for taking multiple section arguments."]],
    args: [{ name: "section", type: "string", optional: true, multiple: true }],
    run(c, argv) {
      const text = infoText(c.server, infoSections(argv.slice(1)));
      c.w.verbatim(text, "txt");
    },
  },
  {
    name: "config",
    arity: -2,
    flags: [],
    group: "server",
    since: "2.0.0",
    summary: "A container for server configuration commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "get",
        arity: -3,
        flags: ["admin", "noscript", "loading", "stale"],
        group: "server",
        since: "2.0.0",
        summary: "Get the values of configuration parameters",
        complexity: "O(N) when N is the number of configuration parameters provided",
        history: [["7.0.0", "Added the ability to pass multiple pattern parameters in one call"]],
        args: [{
          name: "parameter",
          type: "block",
          multiple: true,
          args: [{ name: "parameter", type: "string" }],
        }],
        run: configGet,
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        group: "server",
        since: "5.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        run: (c) => writeHelp(c, CONFIG_HELP),
      },
      {
        name: "resetstat",
        arity: 2,
        flags: ["admin", "noscript", "loading", "stale"],
        group: "server",
        since: "2.0.0",
        summary: "Reset the stats returned by INFO",
        complexity: "O(1)",
        run(c) {
          resetStats(c.server);
          c.w.ok();
        },
      },
      {
        name: "rewrite",
        arity: 2,
        flags: ["admin", "noscript", "loading", "stale"],
        group: "server",
        since: "2.8.0",
        summary: "Rewrite the configuration file with the in memory configuration",
        complexity: "O(1)",
        run(c) {
          const err = configRewrite(c.server);
          if (err !== null) {
            c.server.platform.log("warning", `CONFIG REWRITE failed: ${err}`);
            throw new ReplyError("ERR " + err);
          }
          c.server.platform.log("notice", "CONFIG REWRITE executed with success.");
          c.w.ok();
        },
      },
      {
        name: "set",
        arity: -4,
        flags: ["admin", "noscript", "loading", "stale"],
        group: "server",
        since: "2.0.0",
        summary: "Set configuration parameters to the given values",
        complexity: "O(N) when N is the number of configuration parameters provided",
        tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
        history: [["7.0.0", "Added the ability to set multiple parameters in one call."]],
        args: [{
          name: "parameter_value",
          type: "block",
          multiple: true,
          args: [{ name: "parameter", type: "string" }, { name: "value", type: "string" }],
        }],
        run: configSet,
      },
    ],
  },
  {
    name: "time",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    group: "server",
    since: "2.6.0",
    summary: "Return the current server time",
    complexity: "O(1)",
    tips: ["nondeterministic_output"],
    run(c) {
      const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
      c.w.array(2);
      c.w.bulk(String(Math.floor(us / 1e6)));
      c.w.bulk(String(us % 1e6));
    },
  },
  {
    name: "lastsave",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    acl: ["admin", "dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Get the UNIX time stamp of the last successful save to disk",
    complexity: "O(1)",
    tips: ["nondeterministic_output"],
    run(c) {
      c.w.int(c.server.lastSave);
    },
  },
  {
    name: "dbsize",
    arity: 1,
    flags: ["readonly", "fast"],
    acl: ["keyspace"],
    group: "server",
    since: "1.0.0",
    summary: "Return the number of keys in the selected database",
    complexity: "O(1)",
    tips: ["request_policy:all_shards", "response_policy:agg_sum"],
    run(c) {
      c.w.int(c.db.size);
    },
  },
  {
    name: "flushdb",
    arity: -1,
    flags: ["write"],
    acl: ["keyspace", "dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Remove all keys from the current database",
    complexity: "O(N) where N is the number of keys in the selected database",
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
    history: [
      ["4.0.0", "Added the `ASYNC` flushing mode modifier."],
      ["6.2.0", "Added the `SYNC` flushing mode modifier."],
    ],
    args: [flushArg()],
    run: flushdbCommand,
  },
  {
    name: "flushall",
    arity: -1,
    flags: ["write"],
    acl: ["keyspace", "dangerous"],
    group: "server",
    since: "1.0.0",
    summary: "Remove all keys from all databases",
    complexity: "O(N) where N is the total number of keys in all databases",
    tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
    history: [
      ["4.0.0", "Added the `ASYNC` flushing mode modifier."],
      ["6.2.0", "Added the `SYNC` flushing mode modifier."],
    ],
    args: [flushArg()],
    run: flushallCommand,
  },
  {
    name: "swapdb",
    arity: 3,
    flags: ["write", "fast"],
    acl: ["keyspace", "dangerous"],
    group: "server",
    since: "4.0.0",
    summary: "Swaps two Redis databases",
    complexity:
      "O(N) where N is the count of clients watching or blocking on keys from both databases.",
    args: [{ name: "index1", type: "integer" }, { name: "index2", type: "integer" }],
    run: swapdbCommand,
  },
  {
    name: "shutdown",
    arity: -1,
    flags: ["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"],
    group: "server",
    since: "1.0.0",
    summary: "Synchronously save the dataset to disk and then shut down the server",
    complexity:
      "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
    history: [["7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers."]],
    args: [
      {
        name: "nosave_save",
        type: "oneof",
        optional: true,
        args: [
          { name: "nosave", type: "pure-token", token: "NOSAVE" },
          { name: "save", type: "pure-token", token: "SAVE" },
        ],
      },
      { name: "now", type: "pure-token", token: "NOW", since: "7.0.0", optional: true },
      { name: "force", type: "pure-token", token: "FORCE", since: "7.0.0", optional: true },
      { name: "abort", type: "pure-token", token: "ABORT", since: "7.0.0", optional: true },
    ],
    run: shutdownCommand,
  },
  {
    name: "memory",
    arity: -2,
    flags: [],
    group: "server",
    since: "4.0.0",
    summary: "A container for memory diagnostics commands",
    complexity: "Depends on subcommand.",
    subcommands: [
      {
        name: "malloc-stats",
        arity: 2,
        flags: [],
        group: "server",
        since: "4.0.0",
        summary: "Show allocator internal stats",
        complexity: "Depends on how much memory is allocated, could be slow",
        tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        // What Redis answers when built without jemalloc: V8 exposes no allocator stats.
        run: (c) => c.w.bulk("Stats not supported for the current allocator"),
      },
      {
        name: "help",
        arity: 2,
        flags: ["loading", "stale"],
        group: "server",
        since: "4.0.0",
        summary: "Show helpful text about the different subcommands",
        complexity: "O(1)",
        run: (c) => writeHelp(c, MEMORY_HELP),
      },
      {
        name: "purge",
        arity: 2,
        flags: [],
        group: "server",
        since: "4.0.0",
        summary: "Ask the allocator to release memory",
        complexity: "Depends on how much memory is allocated, could be slow",
        tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
        // V8 returns memory on its own schedule; like Redis without jemalloc, nothing to do.
        run: (c) => c.w.ok(),
      },
      {
        name: "stats",
        arity: 2,
        flags: [],
        group: "server",
        since: "4.0.0",
        summary: "Show memory usage details",
        complexity: "O(1)",
        tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
        run: memoryStats,
      },
      {
        name: "usage",
        arity: -3,
        flags: ["readonly"],
        keys: { first: 2, last: 2, step: 1 },
        keyFlags: ["RO"],
        group: "server",
        since: "4.0.0",
        summary: "Estimate the memory usage of a key",
        complexity: "O(N) where N is the number of samples.",
        args: [
          { name: "key", type: "key", keySpecIndex: 0 },
          { name: "count", type: "integer", token: "SAMPLES", optional: true },
        ],
        run: memoryUsage,
      },
    ],
  },
  {
    name: "debug",
    arity: -2,
    flags: ["admin", "noscript", "loading", "stale"],
    group: "server",
    since: "1.0.0",
    summary: "A container for debugging commands",
    complexity: "Depends on subcommand.",
    docFlags: ["syscmd"],
    run: debugCommand,
  },
];

function flushArg() {
  return {
    name: "async",
    type: "oneof" as const,
    optional: true,
    args: [
      { name: "async", type: "pure-token" as const, token: "ASYNC", since: "4.0.0" },
      { name: "sync", type: "pure-token" as const, token: "SYNC", since: "6.2.0" },
    ],
  };
}
