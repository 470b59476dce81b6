/**
 * INFO and the statistics behind it: the sections (server, clients, memory, persistence,
 * stats, replication, cpu, commandstats, errorstats, keyspace, ...), the rate metrics the
 * server cron samples ({@link sampleServerStats}), the memory figures INFO memory and
 * MEMORY STATS share, and the counter reset of CONFIG RESETSTAT.
 *
 * @module
 */
import { REDIS_VERSION } from "../config/version.ts";
import {
  type Client,
  newMetrics,
  newStats,
  type RateMetric,
  type ServerContext,
  type ServerMetrics,
} from "./context.ts";
import type { CommandSpec } from "./spec.ts";
import type { Command } from "./table.ts";
import { pubsubCounts } from "./pubsub.ts";
import { latencyStatsLines } from "./slowlog.ts";

// ---------------------------------------------------------------------------------------
// Per-server runtime state that only INFO (and MEMORY STATS, CONFIG RESETSTAT) use

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
  latencystats: latencyStatsLines,
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

/** Buckets of a Redis dict holding `n` entries (a power of two, at least 4; 0 when empty). */
export function tableSlots(n: number): number {
  if (n === 0) return 0;
  let slots = 4;
  while (slots < n) slots *= 2;
  return slots;
}

function ratio(a: number, b: number): string {
  return (b === 0 ? 0 : a / b).toFixed(2);
}

/** The memory figures INFO memory and MEMORY STATS report. */
export interface MemoryFigures {
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

/** The current memory figures of `s` (also raises the recorded peak). */
export function memoryFigures(s: ServerContext): MemoryFigures {
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
    ["used_memory_scripts_eval", s.scripting?.bodyBytes ?? 0],
    ["number_of_cached_scripts", s.scripting?.scripts.size ?? 0],
    ["number_of_functions", s.functions?.functions.size ?? 0],
    ["number_of_libraries", s.functions?.libraries.size ?? 0],
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
    ["aof_rewrites_consecutive_failures", p.aofRewritesConsecutiveFailures],
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
// Declarations

/** INFO. */
export const infoCommands: CommandSpec[] = [
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
];
