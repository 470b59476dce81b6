/**
 * Acknowledged writes survive a crash: a real cedis process (`deno run main.ts`) with
 * `appendonly yes` and `appendfsync always` is killed with SIGKILL right after replies arrive,
 * restarted on the same data dir, and every write a client saw acknowledged must be there.
 * Covers the unblock path (a client served by BLPOP whose pipelined SET runs after it), which
 * once replied before the AOF was written, and one replication id across INFO and PSYNC.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Redis } from "ioredis";
import { RawClient, startServer } from "./_server.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A cedis child process on `dir` with the AOF fsynced on every write. */
class Child {
  private constructor(readonly proc: Deno.ChildProcess, readonly port: number) {}

  static async start(dir: string): Promise<Child> {
    const port = freePort();
    const proc = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        MAIN,
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const deadline = Date.now() + 20000;
    for (;;) {
      try {
        const c = await Deno.connect({ hostname: "127.0.0.1", port });
        c.close();
        return new Child(proc, port);
      } catch {
        if (Date.now() > deadline) throw new Error("cedis did not start");
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  }

  async kill9(): Promise<void> {
    this.proc.kill("SIGKILL");
    await this.proc.status;
  }
}

function redis(port: number): Redis {
  return new Redis({
    port,
    host: "127.0.0.1",
    lazyConnect: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
}

/** Every AOF file of `dir`, concatenated. */
function aofText(dir: string): string {
  let text = "";
  const sub = join(dir, "appendonlydir");
  for (const e of [...Deno.readDirSync(sub)].sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.endsWith(".aof")) text += Deno.readTextFileSync(join(sub, e.name));
  }
  return text;
}

const setCommand = (k: string, v: string) =>
  `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`;

Deno.test("a SET pipelined behind a served BLPOP is in the AOF when its +OK arrives", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "cedis-durable-" });
  try {
    for (let round = 0; round < 3; round++) {
      const child = await Child.start(dir);
      const blocked = await RawClient.connect(child.port);
      const pusher = await RawClient.connect(child.port);
      const key = `after-unblock-${round}`;
      // BLPOP blocks; the SET behind it waits in the query buffer until the client is served.
      await blocked.send(`*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n${setCommand(key, "v")}`);
      await new Promise((r) => setTimeout(r, 30));
      await pusher.command("RPUSH", "q", "x");
      assert.equal(await pusher.read(":1\r\n"), ":1\r\n");
      assert.equal(
        await blocked.read("*2\r\n$1\r\nq\r\n$1\r\nx\r\n"),
        "*2\r\n$1\r\nq\r\n$1\r\nx\r\n",
      );
      assert.equal(await blocked.read("+OK\r\n"), "+OK\r\n");
      await child.kill9();
      blocked.close();
      pusher.close();
      assert.ok(aofText(dir).includes(setCommand(key, "v")), `${key} missing from the AOF`);
    }
    // And the restarted server has it.
    const child = await Child.start(dir);
    const r = redis(child.port);
    await r.connect();
    assert.deepEqual(await r.mget("after-unblock-0", "after-unblock-1", "after-unblock-2"), [
      "v",
      "v",
      "v",
    ]);
    r.disconnect();
    await child.kill9();
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("kill -9 loop: no acknowledged write is lost (pipelined and blocked clients)", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "cedis-killloop-" });
  const acked = new Map<string, string>();
  const KILLS = Number(Deno.env.get("KILLS") ?? 20);
  try {
    for (let round = 0; round < KILLS; round++) {
      const child = await Child.start(dir);
      const writer = redis(child.port);
      const waiter = redis(child.port);
      const pusher = redis(child.port);
      for (const r of [writer, waiter, pusher]) {
        r.on("error", () => {});
        await r.connect();
      }
      let running = true;
      const pipelined = (async () => {
        // Odd rounds have only blocked clients writing: no other read flushes the AOF for them.
        for (let batch = 0; running && round % 2 === 0; batch++) {
          const p = writer.pipeline();
          const keys: string[] = [];
          for (let i = 0; i < 20; i++) {
            const k = `w:${round}:${batch}:${i}`;
            keys.push(k);
            p.set(k, k);
          }
          const res = await p.exec().catch(() => null);
          if (res === null) return;
          res.forEach(([err, v], i) => {
            if (err === null && v === "OK") acked.set(keys[i]!, keys[i]!);
          });
          // Errors mean the server is gone (they come back at once: stop, don't spin).
          if (res.some(([err]) => err !== null)) return;
        }
      })();
      const blockedWrites = (async () => {
        for (let n = 0; running; n++) {
          const k = `b:${round}:${n}`;
          // BLPOP parks the client; the SET behind it runs once a push serves it.
          const res = await waiter.pipeline().blpop(`q:${round}`, 0).set(k, "served").exec()
            .catch(() => null);
          if (res === null) return;
          const [, set] = res;
          if (set === undefined || set[0] !== null || set[1] !== "OK") return;
          acked.set(k, "served");
          // Idle after the ack: this client's next read can't be what flushes its write.
          await new Promise((r) => setTimeout(r, 15));
        }
      })();
      const pushes = (async () => {
        while (running) {
          const ok = await pusher.rpush(`q:${round}`, "x").then(() => true, () => false);
          if (!ok) return;
          // Gaps between pushes leave time for a crash between a served write and the next read.
          await new Promise((r) => setTimeout(r, 30));
        }
      })();
      await new Promise((r) => setTimeout(r, 40 + (round * 37) % 80));
      await child.kill9();
      running = false;
      await Promise.all([pipelined, blockedWrites, pushes]);
      for (const r of [writer, waiter, pusher]) r.disconnect();
    }
    assert.ok(acked.size > KILLS * 20, `only ${acked.size} writes were acknowledged`);
    const child = await Child.start(dir);
    const r = redis(child.port);
    await r.connect();
    const keys = [...acked.keys()];
    const lost: string[] = [];
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const values = await r.mget(...chunk);
      chunk.forEach((k, j) => {
        if (values[j] !== acked.get(k)) lost.push(k);
      });
    }
    r.disconnect();
    await child.kill9();
    if (Deno.env.get("VERBOSE")) {
      console.log(
        `${KILLS} kills, ${keys.length} acked (${
          keys.filter((k) => k.startsWith("b:")).length
        } behind a served BLPOP), ${lost.length} lost`,
      );
    }
    assert.deepEqual(lost, [], `${lost.length} of ${keys.length} acknowledged writes lost`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("INFO master_replid is the id PSYNC answers FULLRESYNC with", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  const r = redis(t.port);
  try {
    await r.connect();
    await raw.send("PSYNC ? -1\r\n");
    const head = await raw.readBytes("+FULLRESYNC ".length + 40);
    assert.match(head, /^\+FULLRESYNC [0-9a-f]{40}$/);
    const id = head.slice("+FULLRESYNC ".length);
    const info = await r.info("replication");
    assert.equal(/master_replid:([0-9a-f]+)/.exec(info)?.[1], id);
    assert.notEqual(/master_replid2:([0-9a-f]+)/.exec(info)?.[1], id);
  } finally {
    r.disconnect();
    raw.close();
    await t.close();
  }
});
