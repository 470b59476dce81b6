/**
 * Pub/Sub: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNSUBSCRIBEs, PUBLISH, SPUBLISH,
 * PUBSUB, and keyspace notifications (`notify-keyspace-events`).
 *
 * Each server has one {@link PubSubRegistry} (channel → subscribers, pattern → subscribers,
 * shard channel → subscribers, all in subscription order); each subscribed client holds a
 * {@link PubSubClient} in `Client.pubsub`. Messages to other clients are appended to their
 * writers and flushed together in one microtask after the publishing command, so a burst
 * of PUBLISHes (an EXEC, a script) leaves in one write per subscriber.
 *
 * Pushes (confirmations and messages) are sent even while the client's replies are turned
 * off by CLIENT REPLY OFF/SKIP, as Redis 7.0 does: when the running command's replies are
 * being suppressed they go to `Client.outOfBand`, which the connection writes after the
 * suppressed replies are dropped.
 *
 * A subscriber that does not read is bounded by `client-output-buffer-limit pubsub`: past
 * the hard limit, or past the soft limit for longer than its seconds, it is disconnected.
 *
 * @module
 */
import { writeHelp } from "./args.ts";
import { type CommandSpec, ReplyError } from "./spec.ts";
import type { Client, ServerContext } from "./context.ts";
import { ReplyWriter } from "../resp/writer.ts";
import { globMatch } from "../store/glob.ts";
import type { EventClass } from "../store/keyspace.ts";

/** One client's subscriptions (insertion ordered). */
export class PubSubClient {
  /** Channels (SUBSCRIBE). */
  readonly channels = new Set<string>();
  /** Patterns (PSUBSCRIBE). */
  readonly patterns = new Set<string>();
  /** Shard channels (SSUBSCRIBE). */
  readonly shard = new Set<string>();
  /** When the output first went past the soft limit (ms), or 0. */
  softSince = 0;

  /** Channels + patterns: the count SUBSCRIBE/PSUBSCRIBE replies carry. */
  get count(): number {
    return this.channels.size + this.patterns.size;
  }

  /** Whether nothing is subscribed. */
  get empty(): boolean {
    return this.channels.size + this.patterns.size + this.shard.size === 0;
  }
}

/** Subscribers of one server. */
export class PubSubRegistry {
  /** channel → subscribers. */
  readonly channels = new Map<string, Set<Client>>();
  /** pattern → subscribers. */
  readonly patterns = new Map<string, Set<Client>>();
  /** shard channel → subscribers. */
  readonly shard = new Map<string, Set<Client>>();
  /** Keyspace event classes enabled, `K`/`E` included (from `notify-keyspace-events`). */
  events = new Set<string>();
  /** Clients with new output to flush after the running command. */
  readonly #toWake = new Set<Client>();
  #wakeQueued = false;

  constructor(readonly server: ServerContext) {
    this.#syncEvents();
    server.config.onChange((name) => {
      if (name === "notify-keyspace-events") this.#syncEvents();
    });
    server.keyspace.onEvent((cls, event, key, db) => this.#keyspaceEvent(cls, event, key, db));
  }

  #syncEvents(): void {
    const v = this.server.config.getString("notify-keyspace-events") ?? "";
    const s = new Set<string>();
    for (const ch of v) {
      if (ch === "A") { for (const a of "g$lshzxetd") s.add(a); }
      else s.add(ch);
    }
    this.events = s;
  }

  /** Redis `notifyKeyspaceEvent`: publishes `__keyspace@db__:key` and/or `__keyevent@db__:event`. */
  #keyspaceEvent(cls: EventClass, event: string, key: string, db: number): void {
    const ev = this.events;
    if (ev.size === 0 || !ev.has(cls)) return;
    if (this.channels.size === 0 && this.patterns.size === 0) return;
    if (ev.has("K")) this.publish(`__keyspace@${db}__:${key}`, event, null);
    if (ev.has("E")) this.publish(`__keyevent@${db}__:${event}`, key, null);
  }

  /**
   * Delivers `message` on `channel` to channel then pattern subscribers; returns the number
   * of receivers. `self` is the publishing client (its pushes are part of its own output).
   */
  publish(channel: string, message: string, self: Client | null): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs !== undefined) {
      for (const c of subs) {
        this.#deliver(c, self, (w) => {
          w.push(3);
          w.bulk("message");
          w.bulk(channel);
          w.bulk(message);
        });
        n++;
      }
    }
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      for (const c of clients) {
        this.#deliver(c, self, (w) => {
          w.push(4);
          w.bulk("pmessage");
          w.bulk(pattern);
          w.bulk(channel);
          w.bulk(message);
        });
        n++;
      }
    }
    return n;
  }

  /** SPUBLISH: delivers to shard channel subscribers. */
  spublish(channel: string, message: string, self: Client | null): number {
    const subs = this.shard.get(channel);
    if (subs === undefined) return 0;
    for (const c of subs) {
      this.#deliver(c, self, (w) => {
        w.push(3);
        w.bulk("smessage");
        w.bulk(channel);
        w.bulk(message);
      });
    }
    return subs.size;
  }

  #deliver(c: Client, self: Client | null, write: (w: ReplyWriter) => void): void {
    if (c === self) {
      pushTo(c, write);
      return;
    }
    write(c.w);
    if (this.#overLimit(c)) {
      this.server.platform.log(
        "warning",
        `Client id=${c.id} addr=${c.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`,
      );
      c.w.clear();
      c.kill();
      return;
    }
    this.#toWake.add(c);
    if (!this.#wakeQueued) {
      this.#wakeQueued = true;
      queueMicrotask(() => {
        this.#wakeQueued = false;
        const all = [...this.#toWake];
        this.#toWake.clear();
        for (const x of all) x.wake();
      });
    }
  }

  /** `client-output-buffer-limit pubsub hard soft seconds` check for subscriber `c`. */
  #overLimit(c: Client): boolean {
    const [hard, soft, secs] = pubsubLimits(this.server);
    const used = c.w.length + c.pendingOutput;
    if (hard > 0 && used >= hard) return true;
    const ps = c.pubsub;
    if (soft > 0 && ps !== null) {
      if (used < soft) ps.softSince = 0;
      else {
        const now = this.server.keyspace.clock();
        if (ps.softSince === 0) ps.softSince = now;
        else if (now - ps.softSince > secs * 1000) return true;
      }
    }
    return false;
  }

  /** Removes every subscription of `c` (disconnect, RESET) without replying. */
  dropClient(c: Client): void {
    const ps = c.pubsub;
    if (ps === null) return;
    for (const ch of ps.channels) removeFrom(this.channels, ch, c);
    for (const p of ps.patterns) removeFrom(this.patterns, p, c);
    for (const s of ps.shard) removeFrom(this.shard, s, c);
    c.pubsub = null;
  }
}

/** The pubsub class limits `[hard, soft, seconds]` of `client-output-buffer-limit`. */
function pubsubLimits(server: ServerContext): [number, number, number] {
  const p = server.config.getText("client-output-buffer-limit").split(" ");
  const i = p.indexOf("pubsub");
  if (i < 0) return [0, 0, 0];
  return [Number(p[i + 1]), Number(p[i + 2]), Number(p[i + 3])];
}

function removeFrom(map: Map<string, Set<Client>>, name: string, c: Client): void {
  const set = map.get(name);
  if (set === undefined) return;
  set.delete(c);
  if (set.size === 0) map.delete(name);
}

const registries = new WeakMap<ServerContext, PubSubRegistry>();

/** The pub/sub registry of `server` (created on first use; it hooks keyspace events). */
export function pubsubOf(server: ServerContext): PubSubRegistry {
  let r = registries.get(server);
  if (r === undefined) {
    r = new PubSubRegistry(server);
    registries.set(server, r);
  }
  return r;
}

/** Counts for INFO: `[channels, patterns, shard channels]`. */
export function pubsubCounts(server: ServerContext): [number, number, number] {
  const r = registries.get(server);
  if (r === undefined) return [0, 0, 0];
  return [r.channels.size, r.patterns.size, r.shard.size];
}

/**
 * Writes a push to `c` itself. When the running command's replies are suppressed (CLIENT
 * REPLY OFF/SKIP) it goes out of band so it still reaches the client.
 */
function pushTo(c: Client, write: (w: ReplyWriter) => void): void {
  if (!c.skipNext && c.replyMode !== "off") {
    write(c.w);
    return;
  }
  const tmp = new ReplyWriter(256);
  tmp.resp = c.w.resp;
  write(tmp);
  (c.outOfBand ??= []).push(tmp.take().slice());
}

/** A subscribe/unsubscribe confirmation `[kind, name|null, count]`. */
function confirm(c: Client, kind: string, name: string | null, count: number): void {
  pushTo(c, (w) => {
    w.push(3);
    w.bulk(kind);
    if (name === null) w.nullBulk();
    else w.bulk(name);
    w.int(count);
  });
}

type Kind = "channels" | "patterns" | "shard";

function subscribe(c: Client, argv: string[], kind: Kind, reply: string): void {
  const reg = pubsubOf(c.server);
  const ps = (c.pubsub ??= new PubSubClient());
  for (let i = 1; i < argv.length; i++) {
    const name = argv[i]!;
    const mine = ps[kind];
    if (!mine.has(name)) {
      mine.add(name);
      const map = reg[kind];
      let set = map.get(name);
      if (set === undefined) map.set(name, set = new Set());
      set.add(c);
    }
    confirm(c, reply, name, kind === "shard" ? ps.shard.size : ps.count);
  }
}

function unsubscribe(c: Client, argv: string[], kind: Kind, reply: string): void {
  const reg = pubsubOf(c.server);
  const ps = c.pubsub;
  const count = () => ps === null ? 0 : kind === "shard" ? ps.shard.size : ps.count;
  const names = argv.length > 1 ? argv.slice(1) : ps === null ? [] : [...ps[kind]];
  if (names.length === 0) confirm(c, reply, null, count());
  for (const name of names) {
    if (ps !== null && ps[kind].delete(name)) removeFrom(reg[kind], name, c);
    confirm(c, reply, name, count());
  }
  if (ps !== null && ps.empty) c.pubsub = null;
}

/** Subscription counts `[channels, patterns, shard channels]` (CLIENT LIST sub/psub/ssub). */
export function subscriptionCounts(c: Client): [number, number, number] {
  const ps = c.pubsub;
  return ps === null ? [0, 0, 0] : [ps.channels.size, ps.patterns.size, ps.shard.size];
}

/** Drops every subscription of `c` (RESET, or the connection closed). */
export function dropSubscriptions(c: Client): void {
  if (c.pubsub !== null) pubsubOf(c.server).dropClient(c);
}

const PUBSUB_HELP = [
  "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
  "HELP",
  "    Prints this help.",
];

/** CHANNELS / SHARDCHANNELS: the active names matching an optional pattern. */
function listChannels(c: Client, argv: string[], map: Map<string, Set<Client>>): void {
  if (argv.length > 3) {
    throw new ReplyError(
      `ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try PUBSUB HELP.`,
    );
  }
  const pat = argv[2];
  const out: string[] = [];
  for (const name of map.keys()) if (pat === undefined || globMatch(pat, name)) out.push(name);
  c.w.bulkArray(out);
}

/** NUMSUB / SHARDNUMSUB: name, count pairs (a flat array in RESP3 too, as Redis). */
function numsub(c: Client, argv: string[], map: Map<string, Set<Client>>): void {
  c.w.array((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.w.bulk(argv[i]!);
    c.w.int(map.get(argv[i]!)?.size ?? 0);
  }
}

const pubsubSubcommands: CommandSpec[] = [
  {
    name: "channels",
    arity: -2,
    flags: ["pubsub", "loading", "stale"],
    group: "pubsub",
    since: "2.8.0",
    summary: "List active channels",
    complexity:
      "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
    args: [{ name: "pattern", type: "pattern", optional: true }],
    run(c, argv) {
      listChannels(c, argv, pubsubOf(c.server).channels);
    },
  },
  {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    group: "pubsub",
    since: "6.2.0",
    summary: "Show helpful text about the different subcommands",
    complexity: "O(1)",
    run(c) {
      writeHelp(c, PUBSUB_HELP);
    },
  },
  {
    name: "numpat",
    arity: 2,
    flags: ["pubsub", "loading", "stale"],
    group: "pubsub",
    since: "2.8.0",
    summary: "Get the count of unique patterns pattern subscriptions",
    complexity: "O(1)",
    run(c) {
      c.w.int(pubsubOf(c.server).patterns.size);
    },
  },
  {
    name: "numsub",
    arity: -2,
    flags: ["pubsub", "loading", "stale"],
    group: "pubsub",
    since: "2.8.0",
    summary: "Get the count of subscribers for channels",
    complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
    args: [{ name: "channel", type: "string", optional: true, multiple: true }],
    run(c, argv) {
      numsub(c, argv, pubsubOf(c.server).channels);
    },
  },
  {
    name: "shardchannels",
    arity: -2,
    flags: ["pubsub", "loading", "stale"],
    group: "pubsub",
    since: "7.0.0",
    summary: "List active shard channels",
    complexity:
      "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
    args: [{ name: "pattern", type: "pattern", optional: true }],
    run(c, argv) {
      listChannels(c, argv, pubsubOf(c.server).shard);
    },
  },
  {
    name: "shardnumsub",
    arity: -2,
    flags: ["pubsub", "loading", "stale"],
    group: "pubsub",
    since: "7.0.0",
    summary: "Get the count of subscribers for shard channels",
    complexity:
      "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
    args: [{ name: "shardchannel", type: "string", optional: true, multiple: true }],
    run(c, argv) {
      numsub(c, argv, pubsubOf(c.server).shard);
    },
  },
];

/** Key spec of the shard commands: the channel names, flagged `not_key`. */
function shardKeys(lastKey: number): CommandSpec["keySpecs"] {
  return [{
    flags: ["not_key"],
    begin: { index: 1 },
    find: { lastKey, keyStep: 1, limit: 0 },
  }];
}

/** Pub/Sub commands. */
export const pubsubCommands: CommandSpec[] = [
  {
    name: "subscribe",
    arity: -2,
    flags: ["pubsub", "noscript", "loading", "stale"],
    group: "pubsub",
    since: "2.0.0",
    summary: "Listen for messages published to the given channels",
    complexity: "O(N) where N is the number of channels to subscribe to.",
    args: [{ name: "channel", type: "string", multiple: true }],
    run(c, argv) {
      subscribe(c, argv, "channels", "subscribe");
    },
  },
  {
    name: "unsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    group: "pubsub",
    since: "2.0.0",
    summary: "Stop listening for messages posted to the given channels",
    complexity: "O(N) where N is the number of clients already subscribed to a channel.",
    args: [{ name: "channel", type: "string", optional: true, multiple: true }],
    run(c, argv) {
      unsubscribe(c, argv, "channels", "unsubscribe");
    },
  },
  {
    name: "psubscribe",
    arity: -2,
    flags: ["pubsub", "noscript", "loading", "stale"],
    group: "pubsub",
    since: "2.0.0",
    summary: "Listen for messages published to channels matching the given patterns",
    complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
    args: [{
      name: "pattern",
      type: "block",
      multiple: true,
      args: [{ name: "pattern", type: "pattern" }],
    }],
    run(c, argv) {
      subscribe(c, argv, "patterns", "psubscribe");
    },
  },
  {
    name: "punsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    group: "pubsub",
    since: "2.0.0",
    summary: "Stop listening for messages posted to channels matching the given patterns",
    complexity:
      "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
    args: [{ name: "pattern", type: "pattern", optional: true, multiple: true }],
    run(c, argv) {
      unsubscribe(c, argv, "patterns", "punsubscribe");
    },
  },
  {
    name: "publish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast"],
    group: "pubsub",
    since: "2.0.0",
    summary: "Post a message to a channel",
    complexity:
      "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
    args: [{ name: "channel", type: "string" }, { name: "message", type: "string" }],
    run(c, argv) {
      const n = pubsubOf(c.server).publish(argv[1]!, argv[2]!, c);
      // Replicas see PUBLISH so their subscribers get the message too.
      c.propagateAs(argv);
      c.w.int(n);
    },
  },
  {
    name: "pubsub",
    arity: -2,
    flags: [],
    group: "pubsub",
    since: "2.8.0",
    summary: "A container for Pub/Sub commands",
    complexity: "Depends on subcommand.",
    subcommands: pubsubSubcommands,
  },
  {
    name: "ssubscribe",
    arity: -2,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: { first: 1, last: -1, step: 1 },
    keySpecs: shardKeys(-1),
    group: "pubsub",
    since: "7.0.0",
    summary: "Listen for messages published to the given shard channels",
    complexity: "O(N) where N is the number of shard channels to subscribe to.",
    args: [{ name: "shardchannel", type: "string", multiple: true }],
    run(c, argv) {
      subscribe(c, argv, "shard", "ssubscribe");
    },
  },
  {
    name: "sunsubscribe",
    arity: -1,
    flags: ["pubsub", "noscript", "loading", "stale"],
    keys: { first: 1, last: -1, step: 1 },
    keySpecs: shardKeys(-1),
    group: "pubsub",
    since: "7.0.0",
    summary: "Stop listening for messages posted to the given shard channels",
    complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
    args: [{ name: "shardchannel", type: "string", optional: true, multiple: true }],
    run(c, argv) {
      unsubscribe(c, argv, "shard", "sunsubscribe");
    },
  },
  {
    name: "spublish",
    arity: 3,
    flags: ["pubsub", "loading", "stale", "fast"],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: shardKeys(0),
    group: "pubsub",
    since: "7.0.0",
    summary: "Post a message to a shard channel",
    complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
    args: [{ name: "shardchannel", type: "string" }, { name: "message", type: "string" }],
    run(c, argv) {
      const n = pubsubOf(c.server).spublish(argv[1]!, argv[2]!, c);
      c.propagateAs(argv);
      c.w.int(n);
    },
  },
];
