/**
 * Protocol-level integration tests over raw sockets against an in-process server: pipelining,
 * requests split across writes, many concurrent clients, protocol errors, the protocol limits
 * (proto-max-bulk-len, client-query-buffer-limit, maxclients, timeout) and that bugs inside
 * or outside a command handler never take the server down.
 */
import { strictEqual } from "node:assert/strict";
import { RawClient, startServer, type TestServer } from "./_server.ts";

const enc = new TextEncoder();

function mbulk(...args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${enc.encode(a).length}\r\n${a}\r\n`).join("");
}

function bulk(s: string): string {
  return `$${enc.encode(s).length}\r\n${s}\r\n`;
}

/** Resolves `p`, or closes `raw` and fails after `ms` (RawClient reads have no timeout). */
async function within<T>(ms: number, p: Promise<T>, raw: RawClient, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      raw.close();
      reject(new Error(`timed out after ${ms} ms: ${what}`));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads exactly `expected` (within 5 s) and returns what was read. */
function expectReply(raw: RawClient, expected: string): Promise<string> {
  return within(5000, raw.read(expected), raw, `reply ${JSON.stringify(expected.slice(0, 80))}`);
}

/** Everything the server sends until it closes the connection (within `ms`). */
function untilClosed(raw: RawClient, ms = 5000): Promise<string> {
  return within(ms, raw.readToEnd(ms), raw, "server closing the connection");
}

async function ping(port: number): Promise<void> {
  const raw = await RawClient.connect(port);
  await raw.send("PING\r\n");
  strictEqual(await expectReply(raw, "+PONG\r\n"), "+PONG\r\n");
  raw.close();
}

async function withServer(
  settings: Record<string, string>,
  f: (t: TestServer) => Promise<void>,
): Promise<void> {
  const t = startServer(settings);
  try {
    await f(t);
  } finally {
    await t.close();
  }
}

Deno.test("100 pipelined commands in one write get all replies, in order", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    let req = "";
    let want = "";
    for (let i = 0; i < 100; i++) {
      switch (i % 4) {
        case 0:
          req += "PING\r\n";
          want += "+PONG\r\n";
          break;
        case 1:
          req += mbulk("ECHO", `message ${i}`);
          want += bulk(`message ${i}`);
          break;
        case 2:
          req += mbulk("PING", `p${i}`);
          want += bulk(`p${i}`);
          break;
        default:
          req += mbulk("NOSUCH", `${i}`);
          want += `-ERR unknown command 'NOSUCH', with args beginning with: '${i}' \r\n`;
      }
    }
    await raw.send(req);
    strictEqual(await expectReply(raw, want), want);
    raw.close();
  });
});

Deno.test("a command split byte by byte across writes is executed once complete", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    raw.conn.setNoDelay(true);
    const bytes = enc.encode(mbulk("ECHO", "split\r\nme") + "ECHO inline\r\n");
    for (let i = 0; i < bytes.length; i++) {
      await raw.send(bytes.subarray(i, i + 1));
      // Let each byte reach the server in its own read.
      await new Promise((r) => setTimeout(r, 1));
    }
    const want = bulk("split\r\nme") + bulk("inline");
    strictEqual(await expectReply(raw, want), want);
    raw.close();
  });
});

Deno.test("50 concurrent clients with interleaved commands each get their own replies", async () => {
  await withServer({}, async (t) => {
    const hasStrings = t.server.commands.get("set") !== undefined &&
      t.server.commands.get("get") !== undefined;
    const client = async (id: number) => {
      const raw = await RawClient.connect(t.port);
      for (let i = 0; i < 20; i++) {
        let req = mbulk("ECHO", `client ${id} round ${i}`) + "PING\r\n";
        let want = bulk(`client ${id} round ${i}`) + "+PONG\r\n";
        if (hasStrings) {
          req += mbulk("SET", `key:${id}`, `v${i}`) + mbulk("GET", `key:${id}`);
          want += "+OK\r\n" + bulk(`v${i}`);
        }
        await raw.send(req);
        strictEqual(await expectReply(raw, want), want);
      }
      raw.close();
    };
    await Promise.all(Array.from({ length: 50 }, (_, id) => client(id)));
    await ping(t.port);
  });
});

Deno.test("a protocol error is replied after earlier replies, then the connection closes", async () => {
  await withServer({}, async (t) => {
    const bystander = await RawClient.connect(t.port);
    // The PING after each bad request must not run (the too big inline request has no end).
    const cases: [string, string][] = [
      ["*1\r\nfoo\r\n", "expected '$', got 'f'"],
      ["*3000000000\r\n", "invalid multibulk length"],
      ["*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", "invalid bulk length"],
      ["*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n", "invalid bulk length"],
      [`set """test-key""" test-value\r\n`, "unbalanced quotes in request"],
      ["a".repeat(70 * 1024), "too big inline request"],
    ];
    for (const [input, error] of cases) {
      const raw = await RawClient.connect(t.port);
      const after = input.startsWith("aaa") ? "" : "PING\r\n";
      await raw.send("PING\r\n" + input + after);
      strictEqual(
        await untilClosed(raw),
        `+PONG\r\n-ERR Protocol error: ${error}\r\n`,
        JSON.stringify(input.slice(0, 40)),
      );
      raw.close();
    }
    await bystander.send("PING\r\n");
    strictEqual(await expectReply(bystander, "+PONG\r\n"), "+PONG\r\n");
    bystander.close();
  });
});

Deno.test("empty lines, *0 and negative multibulk counts are ignored", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    await raw.send("\r\n\n   \r\n*0\r\n*-1\r\n*-10\r\nPING\r\n");
    strictEqual(await expectReply(raw, "+PONG\r\n"), "+PONG\r\n");
    raw.close();
  });
});

Deno.test("proto-max-bulk-len bounds a bulk argument and can change at runtime", async () => {
  await withServer({ "proto-max-bulk-len": "1mb" }, async (t) => {
    const max = 1024 * 1024;
    const raw = await RawClient.connect(t.port);
    const value = "v".repeat(max);
    await raw.send(mbulk("ECHO", value));
    strictEqual((await expectReply(raw, bulk(value))) === bulk(value), true);

    await raw.send(`*2\r\n$4\r\nECHO\r\n$${max + 1}\r\n`);
    strictEqual(await untilClosed(raw), "-ERR Protocol error: invalid bulk length\r\n");
    raw.close();

    // Open connections pick up a new limit.
    const other = await RawClient.connect(t.port);
    await other.send("PING\r\n");
    await expectReply(other, "+PONG\r\n");
    t.server.config.set("proto-max-bulk-len", "2mb");
    const bigger = "w".repeat(max + 1);
    await other.send(mbulk("ECHO", bigger));
    strictEqual((await expectReply(other, bulk(bigger))) === bulk(bigger), true);
    other.close();
  });
});

Deno.test("a client over client-query-buffer-limit is closed without a reply", async () => {
  await withServer({ "client-query-buffer-limit": "1mb" }, async (t) => {
    const ok = await RawClient.connect(t.port);
    const under = "u".repeat(900 * 1024);
    await ok.send(mbulk("ECHO", under));
    strictEqual((await expectReply(ok, bulk(under))) === bulk(under), true);

    const raw = await RawClient.connect(t.port);
    try {
      await raw.send("*2\r\n$4\r\nECHO\r\n$2000000\r\n" + "x".repeat(1100 * 1024));
    } catch { /* the server may close before everything is written */ }
    strictEqual(await untilClosed(raw), "");
    raw.close();

    await ok.send("PING\r\n");
    strictEqual(await expectReply(ok, "+PONG\r\n"), "+PONG\r\n");
    ok.close();
  });
});

Deno.test("clients past maxclients get an error and are closed", async () => {
  await withServer({ maxclients: "2" }, async (t) => {
    const a = await RawClient.connect(t.port);
    const b = await RawClient.connect(t.port);
    for (const r of [a, b]) {
      await r.send("PING\r\n");
      await expectReply(r, "+PONG\r\n");
    }
    const c = await RawClient.connect(t.port);
    strictEqual(await untilClosed(c), "-ERR max number of clients reached\r\n");
    c.close();
    strictEqual(t.server.stats.rejectedConnections, 1);

    // Once a slot frees up, a new client gets in.
    a.close();
    const deadline = Date.now() + 3000;
    for (;;) {
      const d = await RawClient.connect(t.port);
      await d.send("PING\r\n");
      const got = await within(5000, d.readBytes(7), d, "PING reply or rejection");
      d.close();
      if (got === "+PONG\r\n") break;
      strictEqual(got, "-ERR ma");
      if (Date.now() > deadline) throw new Error("no slot freed after a client left");
      await new Promise((r) => setTimeout(r, 20));
    }
    b.close();
  });
});

Deno.test("timeout closes an idle client but not one that keeps sending", async () => {
  await withServer({ timeout: "1", hz: "50" }, async (t) => {
    const idle = await RawClient.connect(t.port);
    await idle.send("PING\r\n");
    await expectReply(idle, "+PONG\r\n");
    const start = Date.now();
    const closed = untilClosed(idle, 4000).then((s) => [s, Date.now() - start] as const);

    // A partial command counts as activity, like in Redis.
    const busy = await RawClient.connect(t.port);
    busy.conn.setNoDelay(true);
    for (const ch of "PING\r\n") {
      await busy.send(ch);
      await new Promise((r) => setTimeout(r, 350));
    }
    strictEqual(await expectReply(busy, "+PONG\r\n"), "+PONG\r\n");
    busy.close();

    const [text, ms] = await closed;
    strictEqual(text, "");
    strictEqual(ms >= 900 && ms < 3000, true, `closed after ${ms} ms`);
    idle.close();
  });
});

Deno.test("an exception in a command handler becomes an error reply", async () => {
  await withServer({}, async (t) => {
    // The table is compiled per server, so patching this server's entry affects no other.
    const echo = t.server.commands.get("echo")!;
    (echo as { run: unknown }).run = () => {
      throw new Error("injected bug");
    };
    const raw = await RawClient.connect(t.port);
    await raw.send(mbulk("ECHO", "x") + "PING\r\n");
    const want = "-ERR internal error while running 'echo'\r\n+PONG\r\n";
    strictEqual(await expectReply(raw, want), want);
    raw.close();
  });
});

Deno.test("a bug outside any handler drops only that client", async () => {
  await withServer({}, async (t) => {
    const victim = await RawClient.connect(t.port);
    const other = await RawClient.connect(t.port);
    await victim.send("PING\r\n");
    await expectReply(victim, "+PONG\r\n");
    // Make the connection's own request loop throw for this client only.
    const client = [...t.server.clients.values()].find((c) => c.lastCommand === "ping")!;
    Object.defineProperty(client, "replyMode", {
      get() {
        throw new Error("injected bug");
      },
    });
    await victim.send("PING\r\n");
    strictEqual(await untilClosed(victim), "");
    victim.close();
    await other.send("PING\r\n");
    strictEqual(await expectReply(other, "+PONG\r\n"), "+PONG\r\n");
    other.close();
    await ping(t.port);
  });
});

Deno.test("unauthenticated clients get the tighter protocol limits", async () => {
  await withServer({ requirepass: "secret" }, async (t) => {
    const raw = await RawClient.connect(t.port);
    await raw.send(mbulk(...Array.from({ length: 11 }, () => "a")));
    strictEqual(
      await untilClosed(raw),
      "-ERR Protocol error: unauthenticated multibulk length\r\n",
    );
    raw.close();
    const big = await RawClient.connect(t.port);
    await big.send(mbulk("AUTH", "x".repeat(16385)));
    strictEqual(await untilClosed(big), "-ERR Protocol error: unauthenticated bulk length\r\n");
    big.close();
  });
});
