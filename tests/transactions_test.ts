import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { Redis } from "ioredis";
import { RawClient, startServer, type TestServer } from "./_server.ts";
import { Client } from "../src/commands/context.ts";
import { dispatch } from "../src/commands/dispatch.ts";
import { touchAllWatchedKeysInDb, watchKey } from "../src/commands/watch.ts";
import { bytesToBinary } from "../src/resp/bytes.ts";

/** Sends each command and checks the exact reply bytes, in order. */
async function expectReplies(raw: RawClient, pairs: [string[], string][]): Promise<void> {
  for (const [args, reply] of pairs) {
    await raw.command(...args);
    strictEqual(await raw.read(reply), reply, args.join(" "));
  }
}

async function withServer(fn: (t: TestServer) => Promise<void> | void): Promise<void> {
  const t = startServer();
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

/** An in-process client of `t`'s server: runs a command and returns its reply bytes. */
function localClient(t: TestServer): { c: Client; run: (...argv: string[]) => string } {
  const c = new Client(t.server.engine, Date.now());
  return {
    c,
    run(...argv) {
      dispatch(c, argv);
      return bytesToBinary(c.w.take());
    },
  };
}

/** Stores a string directly and signals the write, like a write command would. */
function write(t: TestServer, dbId: number, key: string, value: string, expireAt?: number): void {
  const ks = t.server.keyspace;
  // Expiry is judged against the keyspace's cached clock, which commands refresh; these
  // direct writes must refresh it too, or a key written as just-expired still looks live.
  ks.refreshTime();
  const db = ks.dbs[dbId]!;
  db.set(key, value);
  if (expireAt !== undefined) db.setExpire(key, expireAt);
  ks.signalModified(db, key);
}

Deno.test("EXEC runs the queued commands in order and replies an array of their replies", async () => {
  await withServer(async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [["MULTI"], "+OK\r\n"],
      [["SET", "k", "v"], "+QUEUED\r\n"],
      [["INCR", "n"], "+QUEUED\r\n"],
      [["GET", "k"], "+QUEUED\r\n"],
      [["PING"], "+QUEUED\r\n"],
      [["EXEC"], "*4\r\n+OK\r\n:1\r\n$1\r\nv\r\n+PONG\r\n"],
      [["MULTI"], "+OK\r\n"],
      [["EXEC"], "*0\r\n"],
      [["EXEC"], "-ERR EXEC without MULTI\r\n"],
    ]);
    raw.close();
  });
});

Deno.test("an error inside EXEC stays an element and the other commands still run", async () => {
  await withServer(async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [["MULTI"], "+OK\r\n"],
      [["SET", "k", "abc"], "+QUEUED\r\n"],
      [["INCR", "k"], "+QUEUED\r\n"],
      [["SET", "k2", "x"], "+QUEUED\r\n"],
      [
        ["EXEC"],
        "*3\r\n+OK\r\n-ERR value is not an integer or out of range\r\n+OK\r\n",
      ],
      [["GET", "k2"], "$1\r\nx\r\n"],
    ]);
    // The failed command counts as failed; EXEC itself does not.
    const table = t.server.commands;
    strictEqual(table.get("incr")!.failed, 1);
    strictEqual(table.get("exec")!.failed, 0);
    strictEqual(table.get("exec")!.calls, 1);
    raw.close();
  });
});

Deno.test("a command rejected while queueing makes EXEC fail with EXECABORT, running nothing", async () => {
  await withServer(async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [["MULTI"], "+OK\r\n"],
      [["SET", "a", "1"], "+QUEUED\r\n"],
      [["NOSUCH", "x"], "-ERR unknown command 'NOSUCH', with args beginning with: 'x' \r\n"],
      [["SET", "b", "2"], "+QUEUED\r\n"],
      [["EXEC"], "-EXECABORT Transaction discarded because of previous errors.\r\n"],
      [["GET", "a"], "$-1\r\n"],
      [["MULTI"], "+OK\r\n"],
      [["SET", "a"], "-ERR wrong number of arguments for 'set' command\r\n"],
      [["CLIENT", "NOPE"], "-ERR unknown subcommand 'NOPE'. Try CLIENT HELP.\r\n"],
      [["EXEC"], "-EXECABORT Transaction discarded because of previous errors.\r\n"],
      // The client left MULTI state.
      [["PING"], "+PONG\r\n"],
      [["GET", "a"], "$-1\r\n"],
    ]);
    raw.close();
  });
});

Deno.test("a rejected EXEC answers EXECABORT naming the reason and discards any MULTI", async () => {
  await withServer(async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [
        ["EXEC", "x"],
        "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n",
      ],
      [["MULTI"], "+OK\r\n"],
      [["SET", "a", "1"], "+QUEUED\r\n"],
      [
        ["EXEC", "x"],
        "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n",
      ],
      [["DISCARD"], "-ERR DISCARD without MULTI\r\n"],
      [["GET", "a"], "$-1\r\n"],
    ]);
    raw.close();
  });
});

Deno.test("MULTI and WATCH inside MULTI are errors that do not abort the transaction", async () => {
  await withServer(async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [["MULTI"], "+OK\r\n"],
      [["MULTI"], "-ERR MULTI calls can not be nested\r\n"],
      [["WATCH", "x"], "-ERR WATCH inside MULTI is not allowed\r\n"],
      [["UNWATCH"], "+QUEUED\r\n"],
      [["SET", "x", "1"], "+QUEUED\r\n"],
      [["EXEC"], "*2\r\n+OK\r\n+OK\r\n"],
      [["MULTI", "x"], "-ERR wrong number of arguments for 'multi' command\r\n"],
      [["WATCH"], "-ERR wrong number of arguments for 'watch' command\r\n"],
    ]);
    raw.close();
  });
});

Deno.test("DISCARD drops the queue and the watches; QUIT inside MULTI closes at once", async () => {
  await withServer(async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [["DISCARD"], "-ERR DISCARD without MULTI\r\n"],
      [["WATCH", "k"], "+OK\r\n"],
      [["MULTI"], "+OK\r\n"],
      [["SET", "k", "1"], "+QUEUED\r\n"],
      [["DISCARD"], "+OK\r\n"],
      [["GET", "k"], "$-1\r\n"],
    ]);
    const c = [...t.server.clients.values()][0]!;
    strictEqual(c.watching, null);
    strictEqual(t.server.watched.size, 0);
    await expectReplies(raw, [[["MULTI"], "+OK\r\n"], [["SET", "k", "1"], "+QUEUED\r\n"]]);
    await raw.command("QUIT");
    strictEqual(await raw.readToEnd(), "+OK\r\n");
    raw.close();
  });
});

Deno.test("WATCH fails EXEC with a null reply when another client changes a watched key", async () => {
  await withServer(async (t) => {
    const a = await RawClient.connect(t.port);
    const b = await RawClient.connect(t.port);
    await expectReplies(a, [
      [["SET", "x", "1"], "+OK\r\n"],
      [["WATCH", "a", "x", "z"], "+OK\r\n"],
      [["MULTI"], "+OK\r\n"],
      [["INCR", "x"], "+QUEUED\r\n"],
    ]);
    await expectReplies(b, [[["SET", "x", "10"], "+OK\r\n"]]);
    await expectReplies(a, [
      [["EXEC"], "*-1\r\n"],
      [["GET", "x"], "$2\r\n10\r\n"],
      // After a failed EXEC nothing is watched any more.
      [["MULTI"], "+OK\r\n"],
      [["INCR", "x"], "+QUEUED\r\n"],
    ]);
    await expectReplies(b, [[["SET", "x", "20"], "+OK\r\n"]]);
    await expectReplies(a, [[["EXEC"], "*1\r\n:21\r\n"]]);
    a.close();
    b.close();
  });
});

Deno.test("an aborted EXEC replies the RESP3 null to RESP3 clients", async () => {
  await withServer((t) => {
    const { run } = localClient(t);
    strictEqual(run("HELLO", "3").startsWith("%7\r\n"), true);
    strictEqual(run("WATCH", "k"), "+OK\r\n");
    write(t, 0, "k", "v");
    strictEqual(run("MULTI"), "+OK\r\n");
    strictEqual(run("PING"), "+QUEUED\r\n");
    strictEqual(run("EXEC"), "_\r\n");
  });
});

Deno.test("writes made by the transaction itself and unwatched keys don't fail EXEC", async () => {
  await withServer(async (t) => {
    const raw = await RawClient.connect(t.port);
    const other = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [["WATCH", "x"], "+OK\r\n"],
      [["MULTI"], "+OK\r\n"],
      [["SET", "x", "1"], "+QUEUED\r\n"],
      [["EXEC"], "*1\r\n+OK\r\n"],
      [["WATCH", "x"], "+OK\r\n"],
      [["UNWATCH"], "+OK\r\n"],
    ]);
    await expectReplies(other, [[["SET", "x", "2"], "+OK\r\n"], [["SET", "y", "2"], "+OK\r\n"]]);
    await expectReplies(raw, [
      [["MULTI"], "+OK\r\n"],
      [["GET", "x"], "+QUEUED\r\n"],
      [["EXEC"], "*1\r\n$1\r\n2\r\n"],
    ]);
    raw.close();
    other.close();
  });
});

Deno.test("WATCH remembers the database a key belongs to", async () => {
  await withServer((t) => {
    const { run } = localClient(t);
    run("SELECT", "5");
    strictEqual(run("WATCH", "x"), "+OK\r\n");
    run("SELECT", "1");
    write(t, 1, "x", "other db");
    run("SELECT", "5");
    run("MULTI");
    run("PING");
    strictEqual(run("EXEC"), "*1\r\n+PONG\r\n");
    strictEqual(run("WATCH", "x"), "+OK\r\n");
    write(t, 5, "x", "same db");
    run("MULTI");
    strictEqual(run("EXEC"), "*-1\r\n");
  });
});

Deno.test("a watched key that expires before EXEC fails it, even before it is reclaimed", async () => {
  await withServer((t) => {
    const ks = t.server.keyspace;
    ks.activeExpireEnabled = false;
    const { c, run } = localClient(t);
    write(t, 0, "k", "v", Date.now() + 60_000);
    strictEqual(run("WATCH", "k"), "+OK\r\n");
    // Time passes: the TTL is now behind us, but nothing has touched the key.
    ks.dbs[0]!.setExpire("k", Date.now() - 1);
    strictEqual(c.dirtyCas, false);
    run("MULTI");
    run("PING");
    strictEqual(run("EXEC"), "*-1\r\n");
  });
});

Deno.test("a key already stale when watched does not fail EXEC, even when reclaimed", async () => {
  await withServer((t) => {
    const ks = t.server.keyspace;
    ks.activeExpireEnabled = false;
    const { run } = localClient(t);
    write(t, 0, "k", "v", Date.now() - 1);
    strictEqual(run("WATCH", "k"), "+OK\r\n");
    run("MULTI");
    run("PING");
    strictEqual(run("EXEC"), "*1\r\n+PONG\r\n");

    write(t, 0, "k", "v", Date.now() - 1);
    strictEqual(run("WATCH", "k"), "+OK\r\n");
    // A lookup reclaims the stale key: logically nothing changed.
    strictEqual(ks.dbs[0]!.get("k"), undefined);
    run("MULTI");
    run("PING");
    strictEqual(run("EXEC"), "*1\r\n+PONG\r\n");

    // But writing the key after watching it stale does count.
    write(t, 0, "k", "v", Date.now() - 1);
    strictEqual(run("WATCH", "k"), "+OK\r\n");
    write(t, 0, "k", "new");
    run("MULTI");
    strictEqual(run("EXEC"), "*-1\r\n");
  });
});

Deno.test("flushing a database touches watched keys that exist, not absent or stale ones", async () => {
  await withServer((t) => {
    t.server.keyspace.activeExpireEnabled = false;
    const live = localClient(t);
    const absent = localClient(t);
    const stale = localClient(t);
    write(t, 0, "live", "1");
    write(t, 0, "stale", "1", Date.now() - 1);
    watchKey(live.c, "live");
    watchKey(absent.c, "absent");
    watchKey(stale.c, "stale");
    touchAllWatchedKeysInDb(t.server.engine, 0);
    t.server.keyspace.dbs[0]!.clear();
    deepStrictEqual([live.c.dirtyCas, absent.c.dirtyCas, stale.c.dirtyCas], [true, false, false]);
    for (const { run } of [live, absent, stale]) run("MULTI");
    strictEqual(live.run("EXEC"), "*-1\r\n");
    strictEqual(absent.run("EXEC"), "*0\r\n");
    strictEqual(stale.run("EXEC"), "*0\r\n");
  });
});

Deno.test("swapping databases touches keys live on either side, never stale-only ones", async () => {
  await withServer((t) => {
    const ks = t.server.keyspace;
    ks.activeExpireEnabled = false;
    const past = Date.now() - 1;
    // db0 key → db1 key after the swap
    write(t, 0, "goes", "1"); // live → absent
    write(t, 1, "comes", "1"); // absent → live
    write(t, 0, "stale0", "1", past); // stale → absent
    write(t, 1, "stale1", "1", past); // absent → stale
    write(t, 0, "both", "1", past); // stale → stale
    write(t, 1, "both", "1", past);
    const clients = ["goes", "comes", "stale0", "stale1", "both", "absent"].map((key) => {
      const l = localClient(t);
      watchKey(l.c, key);
      return l;
    });
    touchAllWatchedKeysInDb(t.server.engine, 0, 1);
    touchAllWatchedKeysInDb(t.server.engine, 1, 0);
    ks.dbs[0]!.swapWith(ks.dbs[1]!);
    deepStrictEqual(clients.map((l) => l.c.dirtyCas), [true, true, false, false, false, false]);
    // A key that became stale by the swap is not "expired since WATCH".
    for (const l of clients) l.run("MULTI");
    deepStrictEqual(clients.map((l) => l.run("EXEC")), [
      "*-1\r\n",
      "*-1\r\n",
      "*0\r\n",
      "*0\r\n",
      "*0\r\n",
      "*0\r\n",
    ]);
  });
});

Deno.test("closing a watching client forgets its watches", async () => {
  await withServer(async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [[["WATCH", "a", "b"], "+OK\r\n"]]);
    strictEqual(t.server.watched.get(0)?.size, 2);
    raw.close();
    for (let i = 0; i < 100 && t.server.watched.size > 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    strictEqual(t.server.watched.size, 0);
  });
});

Deno.test("ioredis transactions: multi().exec() and an optimistic lock that loses a race", async () => {
  await withServer(async (t) => {
    const r = new Redis({ port: t.port, lazyConnect: true, enableReadyCheck: false });
    const r2 = new Redis({ port: t.port, lazyConnect: true, enableReadyCheck: false });
    await r.connect();
    await r2.connect();
    deepStrictEqual(await r.multi().set("c", "5").incr("c").get("c").exec(), [
      [null, "OK"],
      [null, 6],
      [null, "6"],
    ]);
    strictEqual(await r.watch("c"), "OK");
    strictEqual(await r2.set("c", "100"), "OK");
    strictEqual(await r.multi().incr("c").exec(), null);
    strictEqual(await r.get("c"), "100");
    r.disconnect();
    r2.disconnect();
  });
});
