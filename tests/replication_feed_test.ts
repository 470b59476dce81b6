import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { Redis } from "ioredis";
import { FakeClock, startServer, type TestServer } from "./_server.ts";
import { Config } from "../src/config/config.ts";
import { Keyspace } from "../src/store/keyspace.ts";
import { loadRdb } from "../src/persistence/rdb.ts";
import { bytesToBinary } from "../src/resp/bytes.ts";

/** A raw connection that did SYNC (or PSYNC) and reads the replication stream. */
class ReplicaConn {
  #buf = new Uint8Array(0);
  private constructor(readonly conn: Deno.TcpConn) {}

  /** Connects and sends `request` (e.g. "SYNC\r\n"). */
  static async open(port: number, request: string): Promise<ReplicaConn> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new TextEncoder().encode(request));
    return new ReplicaConn(conn);
  }

  /** A read still in flight after a timeout: its data must not be lost. */
  #pending: Promise<{ n: number | null; chunk: Uint8Array }> | null = null;

  async #fill(deadline: number): Promise<boolean> {
    if (this.#pending === null) {
      const chunk = new Uint8Array(64 * 1024);
      this.#pending = this.conn.read(chunk).then((n) => ({ n, chunk }), () => ({ n: null, chunk }));
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((res) => {
      timer = setTimeout(() => res("timeout"), Math.max(0, deadline - Date.now()));
    });
    const r = await Promise.race([this.#pending, timeout]);
    clearTimeout(timer);
    if (r === "timeout") return false;
    this.#pending = null;
    if (r.n === null) return false;
    const next = new Uint8Array(this.#buf.length + r.n);
    next.set(this.#buf);
    next.set(r.chunk.subarray(0, r.n), this.#buf.length);
    this.#buf = next;
    return true;
  }

  /** Reads a CRLF-terminated line (binary string, without CRLF). */
  async line(timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = 0; i + 1 < this.#buf.length; i++) {
        if (this.#buf[i] === 13 && this.#buf[i + 1] === 10) {
          const s = bytesToBinary(this.#buf, 0, i);
          this.#buf = this.#buf.subarray(i + 2);
          return s;
        }
      }
      if (!(await this.#fill(deadline))) throw new Error("timeout reading a line");
    }
  }

  /** Reads exactly `n` bytes. */
  async bytes(n: number, timeoutMs = 2000): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    while (this.#buf.length < n) {
      if (!(await this.#fill(deadline))) throw new Error(`timeout reading ${n} bytes`);
    }
    const out = this.#buf.slice(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }

  /** Reads the `$<len>\r\n<rdb>` payload. */
  async rdb(): Promise<Uint8Array> {
    const head = await this.line();
    ok(head.startsWith("$"), `expected a bulk length, got ${JSON.stringify(head)}`);
    return this.bytes(Number(head.slice(1)));
  }

  /** Reads one propagated command (a RESP multibulk). */
  async command(timeoutMs = 2000): Promise<string[]> {
    const head = await this.line(timeoutMs);
    ok(head.startsWith("*"), `expected a multibulk, got ${JSON.stringify(head)}`);
    const argv: string[] = [];
    for (let i = Number(head.slice(1)); i > 0; i--) {
      const len = Number((await this.line()).slice(1));
      argv.push(bytesToBinary(await this.bytes(len + 2), 0, len));
    }
    return argv;
  }

  /** Reads the next `n` commands. */
  async commands(n: number): Promise<string[][]> {
    const out: string[][] = [];
    for (let i = 0; i < n; i++) out.push(await this.command());
    return out;
  }

  /** Whether nothing arrives within `ms`. */
  async silent(ms = 100): Promise<boolean> {
    if (this.#buf.length > 0) return false;
    return !(await this.#fill(Date.now() + ms));
  }

  close(): void {
    try {
      this.conn.close();
    } catch { /* closed */ }
  }
}

async function setup(clock?: FakeClock): Promise<{ t: TestServer; r: Redis }> {
  const t = startServer({ "enable-debug-command": "yes" }, { clock: clock?.now });
  const r = new Redis({ port: t.port, lazyConnect: true });
  await r.connect();
  return { t, r };
}

Deno.test("SYNC sends an RDB of the dataset, then every write as a command", async () => {
  const { t, r } = await setup();
  const repl = await (async () => {
    await r.set("pre", "existing");
    await r.select(4);
    await r.rpush("plist", "x", "y");
    await r.select(0);
    return ReplicaConn.open(t.port, "SYNC\r\n");
  })();
  try {
    const rdb = await repl.rdb();
    strictEqual(bytesToBinary(rdb, 0, 9), "REDIS0010");
    const ks = new Keyspace(16);
    loadRdb(rdb, ks, { config: new Config(), checksum: true, now: Date.now() });
    strictEqual(ks.dbs[0]!.data.get("pre"), "existing");
    ok(ks.dbs[4]!.data.has("plist"));
    await r.set("foo", "bar");
    await r.del("foo", "nosuch");
    await r.get("foo"); // reads propagate nothing
    await r.select(3);
    await r.incr("n");
    deepStrictEqual(await repl.commands(5), [
      ["SELECT", "0"],
      ["set", "foo", "bar"],
      ["del", "foo", "nosuch"],
      ["SELECT", "3"],
      ["incr", "n"],
    ]);
    ok(await repl.silent());
  } finally {
    repl.close();
    r.disconnect();
    await t.close();
  }
});

Deno.test("relative TTLs and non-deterministic writes are propagated in absolute form", async () => {
  const clock = new FakeClock(1_700_000_000_000);
  const { t, r } = await setup(clock);
  t.server.keyspace.activeExpireEnabled = false;
  const repl = await ReplicaConn.open(t.port, "SYNC\r\n");
  const now = clock.ms;
  try {
    await repl.rdb();
    await r.set("k", "v", "EX", 200);
    await r.set("k", "v", "PX", 100, "XX", "GET");
    await r.call("set", "k", "v", "PXAT", String(now + 5));
    await r.setex("k", 100, "v");
    await r.psetex("k", 100, "v");
    await r.set("k", "v", "KEEPTTL");
    await r.expire("k", 100);
    await r.call("expireat", "k", String(now / 1000 + 100));
    await r.pexpireat("k", now + 7);
    await r.expire("k", 100, "LT"); // not applied: nothing propagated
    await r.getex("k", "EX", 50);
    await r.getex("k"); // nothing
    await r.getex("k", "PERSIST");
    await r.getex("k", "PERSIST"); // no TTL left: nothing
    await r.getdel("k");
    await r.incrbyfloat("f", "0.1");
    await r.set("gone", "v");
    await r.expire("gone", -1);
    const p = await r.dumpBuffer("f");
    await r.restore("r1", 1000, p);
    await r.call("restore", "r2", String(now + 9), p, "ABSTTL");
    deepStrictEqual(await repl.commands(18), [
      ["SELECT", "0"],
      ["SET", "k", "v", "PXAT", String(now + 200000)],
      ["SET", "k", "v", "PXAT", String(now + 100)],
      ["SET", "k", "v", "PXAT", String(now + 5)],
      ["SET", "k", "v", "PXAT", String(now + 100000)],
      ["SET", "k", "v", "PXAT", String(now + 100)],
      ["set", "k", "v", "KEEPTTL"],
      ["PEXPIREAT", "k", String(now + 100000)],
      ["PEXPIREAT", "k", String(now + 100000)],
      ["pexpireat", "k", String(now + 7)],
      ["PEXPIREAT", "k", String(now + 50000)],
      ["PERSIST", "k"],
      ["DEL", "k"],
      ["SET", "f", "0.1", "KEEPTTL"],
      ["set", "gone", "v"],
      ["DEL", "gone"],
      ["restore", "r1", String(now + 1000), bytesToBinary(p), "ABSTTL"],
      ["restore", "r2", String(now + 9), bytesToBinary(p), "ABSTTL"],
    ]);
    ok(await repl.silent());
  } finally {
    repl.close();
    r.disconnect();
    await t.close();
  }
});

Deno.test("transactions and writes with lazy expiries are wrapped in MULTI/EXEC", async () => {
  const clock = new FakeClock(1_700_000_000_000);
  const { t, r } = await setup(clock);
  t.server.keyspace.activeExpireEnabled = false;
  const repl = await ReplicaConn.open(t.port, "SYNC\r\n");
  try {
    await repl.rdb();
    await r.multi().set("a", "1").exec(); // one write: no wrapping
    await r.multi().set("a", "2").incr("a").get("a").exec();
    await r.multi().get("a").exec(); // nothing
    await r.multi().select(2).set("z", "1").select(0).set("z", "2").exec();
    await r.set("e1", "v", "PX", 10);
    await r.set("e2", "v", "PX", 10);
    await r.set("e3", "v", "PX", 10);
    clock.advance(20);
    await r.set("e1", "new"); // a write after a lazy expiry: one atomic unit
    await r.get("e2"); // a read's lazy expiry stays alone
    await r.scan(0);
    deepStrictEqual(await repl.commands(20), [
      ["SELECT", "0"],
      ["set", "a", "1"],
      ["MULTI"],
      ["set", "a", "2"],
      ["incr", "a"],
      ["EXEC"],
      ["SELECT", "2"],
      ["MULTI"],
      ["set", "z", "1"],
      ["SELECT", "0"],
      ["set", "z", "2"],
      ["EXEC"],
      ["SET", "e1", "v", "PXAT", String(clock.ms - 10)],
      ["SET", "e2", "v", "PXAT", String(clock.ms - 10)],
      ["SET", "e3", "v", "PXAT", String(clock.ms - 10)],
      ["MULTI"],
      ["DEL", "e1"],
      ["set", "e1", "new"],
      ["EXEC"],
      ["DEL", "e2"],
    ]);
    deepStrictEqual(await repl.command(), ["DEL", "e3"]);
    // Active expiry deletes from the timer: propagated on its own.
    await r.set("e4", "v", "PX", 10);
    deepStrictEqual(await repl.command(), ["SET", "e4", "v", "PXAT", String(clock.ms + 10)]);
    clock.advance(20);
    t.server.keyspace.activeExpireEnabled = true;
    t.server.keyspace.activeExpireCycle(10);
    deepStrictEqual(await repl.command(), ["DEL", "e4"]);
    // FLUSHALL always propagates, even on an empty dataset.
    await r.flushall();
    await r.flushall();
    deepStrictEqual(await repl.commands(2), [["flushall"], ["flushall"]]);
  } finally {
    repl.close();
    r.disconnect();
    await t.close();
  }
});

Deno.test("a replica connection gets no replies; PSYNC answers FULLRESYNC", async () => {
  const { t, r } = await setup();
  const repl = await ReplicaConn.open(t.port, "PSYNC ? -1\r\n");
  try {
    const full = await repl.line();
    ok(/^\+FULLRESYNC [0-9a-f]{40} \d+$/.test(full), full);
    await repl.rdb();
    await repl.conn.write(new TextEncoder().encode("PING\r\nREPLCONF ACK 0\r\n"));
    ok(await repl.silent(150));
    const list = (await r.client("LIST")) as string;
    ok(/flags=S /.test(list), list);
    ok(((await r.info("replication")) as string).includes("connected_slaves:1"));
    // The ping period keeps replicas' links alive.
    await r.config("SET", "repl-ping-replica-period", "1");
    await r.set("x", "1");
    deepStrictEqual(await repl.commands(2), [["SELECT", "0"], ["set", "x", "1"]]);
    deepStrictEqual(await repl.command(3000), ["PING"]);
    strictEqual(await r.call("replconf", "listening-port", "1"), "OK");
  } finally {
    repl.close();
    r.disconnect();
    await t.close();
  }
});
