import { deepStrictEqual, match, rejects, strictEqual } from "node:assert/strict";
import { Redis } from "ioredis";
import { RawClient, startServer, type TestServer } from "./_server.ts";
import { Client } from "../src/commands/context.ts";
import { dispatch } from "../src/commands/dispatch.ts";
import { bytesToBinary } from "../src/resp/bytes.ts";

/** Sends `cmd` on `raw` and returns exactly `expected.length` bytes of reply. */
async function roundTrip(raw: RawClient, expected: string, ...cmd: string[]): Promise<string> {
  await raw.command(...cmd);
  return raw.read(expected);
}

/** Asserts that each `[args, reply]` pair gets exactly `reply`, in order. */
async function expectReplies(raw: RawClient, pairs: [string[], string][]): Promise<void> {
  for (const [args, reply] of pairs) strictEqual(await roundTrip(raw, reply, ...args), reply);
}

/** HELLO's reply map for client `id` in protocol `proto`, as Redis 7.0 writes it. */
function helloReply(proto: 2 | 3, id: number): string {
  const idText = String(id);
  return (proto === 3 ? "%7\r\n" : "*14\r\n") +
    "$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n" +
    `$5\r\nproto\r\n:${proto}\r\n$2\r\nid\r\n:${idText}\r\n` +
    "$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n";
}

/** Reads one `:n` reply line and returns n. */
async function readInt(raw: RawClient): Promise<number> {
  let line = "";
  while (!line.endsWith("\r\n")) line += await raw.readBytes(1);
  strictEqual(line[0], ":");
  return Number(line.slice(1, -2));
}

/** Reads one bulk string (`$n`, or `=n` verbatim) and returns its payload. */
async function readBulk(raw: RawClient, type = "$"): Promise<string> {
  let line = "";
  while (!line.endsWith("\r\n")) line += await raw.readBytes(1);
  strictEqual(line[0], type);
  const n = Number(line.slice(1, -2));
  const body = await raw.readBytes(n + 2);
  return body.slice(0, n);
}

/** Client id of `raw`'s connection. */
async function clientId(raw: RawClient): Promise<number> {
  await raw.command("CLIENT", "ID");
  return readInt(raw);
}

async function withServer(
  settings: Record<string, string>,
  fn: (t: TestServer) => Promise<void> | void,
): Promise<void> {
  const t = startServer(settings);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

Deno.test("QUIT replies +OK, closes, and pipelined commands after it are not run", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    await raw.send("*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\nPING\r\n");
    strictEqual(await raw.readToEnd(), "+OK\r\n");
    raw.close();
    // QUIT takes any arguments in 7.0 (arity -1).
    const raw2 = await RawClient.connect(t.port);
    await raw2.send("QUIT now please\r\nPING\r\n");
    strictEqual(await raw2.readToEnd(), "+OK\r\n");
    raw2.close();
    strictEqual(t.server.clients.size, 0);
  });
});

Deno.test("SELECT switches databases and rejects bad indexes with Redis's errors", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [["SELECT", "15"], "+OK\r\n"],
      [["SELECT", "16"], "-ERR DB index is out of range\r\n"],
      [["SELECT", "-1"], "-ERR DB index is out of range\r\n"],
      [["SELECT", "abc"], "-ERR value is not an integer or out of range\r\n"],
      [["SELECT", "1.5"], "-ERR value is not an integer or out of range\r\n"],
      [["SELECT", "01"], "-ERR value is not an integer or out of range\r\n"],
      [["SELECT", "9223372036854775808"], "-ERR value is not an integer or out of range\r\n"],
      [
        ["SELECT", "4294967296"],
        "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
      ],
      [["SELECT"], "-ERR wrong number of arguments for 'select' command\r\n"],
    ]);
    const c = [...t.server.clients.values()][0]!;
    strictEqual(c.db.id, 15);
    raw.close();
  });
});

Deno.test("AUTH without requirepass: one-argument form errors, default user takes any password", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [
        ["AUTH", "x"],
        "-ERR AUTH <password> called without any password configured for the default user. " +
        "Are you sure your configuration is correct?\r\n",
      ],
      [["AUTH", "default", "anything"], "+OK\r\n"],
      [["AUTH", "bob", "x"], "-WRONGPASS invalid username-password pair or user is disabled.\r\n"],
      [["AUTH", "a", "b", "c"], "-ERR syntax error\r\n"],
      [["AUTH"], "-ERR wrong number of arguments for 'auth' command\r\n"],
    ]);
    raw.close();
  });
});

Deno.test("requirepass: NOAUTH until AUTH succeeds; both AUTH forms; wrong passwords", async () => {
  await withServer({ requirepass: "s3cret" }, async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [["PING"], "-NOAUTH Authentication required.\r\n"],
      [["MULTI"], "-NOAUTH Authentication required.\r\n"],
      [
        ["EXEC"],
        "-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n",
      ],
      // Unknown commands and arity errors come before the auth check, as in Redis.
      [["NOSUCH"], "-ERR unknown command 'NOSUCH', with args beginning with: \r\n"],
      [["ECHO"], "-ERR wrong number of arguments for 'echo' command\r\n"],
      [["AUTH", "nope"], "-WRONGPASS invalid username-password pair or user is disabled.\r\n"],
      [
        ["AUTH", "default", "nope"],
        "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
      ],
      [["AUTH", "s3cret"], "+OK\r\n"],
      [["PING"], "+PONG\r\n"],
      // A failed AUTH later does not log the client out.
      [["AUTH", "nope"], "-WRONGPASS invalid username-password pair or user is disabled.\r\n"],
      [["PING"], "+PONG\r\n"],
    ]);
    raw.close();
    const raw2 = await RawClient.connect(t.port);
    await expectReplies(raw2, [
      [["AUTH", "default", "s3cret"], "+OK\r\n"],
      [["ECHO", "hi"], "$2\r\nhi\r\n"],
    ]);
    raw2.close();
    const r = new Redis({
      port: t.port,
      lazyConnect: true,
      enableReadyCheck: false,
      password: "s3cret",
    });
    await r.connect();
    strictEqual(await r.ping(), "PONG");
    r.disconnect();
  });
});

Deno.test("requirepass set at runtime spares connected clients; clearing it lets everyone in", async () => {
  await withServer({}, async (t) => {
    const early = await RawClient.connect(t.port);
    await expectReplies(early, [[["PING"], "+PONG\r\n"]]);
    t.server.config.set("requirepass", "pw");
    const late = await RawClient.connect(t.port);
    await expectReplies(late, [[["PING"], "-NOAUTH Authentication required.\r\n"]]);
    await expectReplies(early, [[["PING"], "+PONG\r\n"]]);
    t.server.config.set("requirepass", "");
    await expectReplies(late, [[["PING"], "+PONG\r\n"]]);
    early.close();
    late.close();
  });
});

Deno.test("unauthenticated clients get the parser's small limits until AUTH", async () => {
  await withServer({ requirepass: "pw" }, async (t) => {
    const many = "*11\r\n$4\r\nECHO\r\n" + "$1\r\na\r\n".repeat(10);
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [[["AUTH", "pw"], "+OK\r\n"]]);
    await raw.send(many);
    strictEqual(
      await raw.read("-ERR wrong number of arguments for 'echo' command\r\n"),
      "-ERR wrong number of arguments for 'echo' command\r\n",
    );
    // RESET logs the client out, so the limits apply again.
    await expectReplies(raw, [[["RESET"], "+RESET\r\n"]]);
    await raw.send(many);
    strictEqual(
      await raw.readToEnd(),
      "-ERR Protocol error: unauthenticated multibulk length\r\n",
    );
    raw.close();
  });
});

Deno.test("HELLO 3 answers Redis's map byte for byte and switches the protocol", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    const id = await clientId(raw);
    await expectReplies(raw, [
      [["HELLO"], helloReply(2, id)],
      [["HELLO", "3"], helloReply(3, id)],
      [["CLIENT", "GETNAME"], "_\r\n"],
      [["HELLO"], helloReply(3, id)],
      [["HELLO", "2"], helloReply(2, id)],
      [["CLIENT", "GETNAME"], "$-1\r\n"],
    ]);
    raw.close();
  });
});

Deno.test("HELLO rejects bad versions and options with Redis's errors", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    const id = await clientId(raw);
    await expectReplies(raw, [
      [["HELLO", "4"], "-NOPROTO unsupported protocol version\r\n"],
      [["HELLO", "1"], "-NOPROTO unsupported protocol version\r\n"],
      [["HELLO", "-1"], "-NOPROTO unsupported protocol version\r\n"],
      [["HELLO", "x"], "-ERR Protocol version is not an integer or out of range\r\n"],
      [["HELLO", "3", "foo"], "-ERR Syntax error in HELLO option 'foo'\r\n"],
      [["HELLO", "3", "AUTH", "default"], "-ERR Syntax error in HELLO option 'AUTH'\r\n"],
      [["HELLO", "3", "SETNAME"], "-ERR Syntax error in HELLO option 'SETNAME'\r\n"],
      [
        ["HELLO", "3", "SETNAME", "a b"],
        "-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
      ],
      [
        ["HELLO", "3", "AUTH", "bob", "x"],
        "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
      ],
      // Nothing above switched the protocol.
      [["HELLO", "2", "SETNAME", "named"], helloReply(2, id)],
      [["CLIENT", "GETNAME"], "$5\r\nnamed\r\n"],
      // Options apply in order: the name is set even though a later option fails.
      [["HELLO", "2", "SETNAME", "other", "BAD"], "-ERR Syntax error in HELLO option 'BAD'\r\n"],
      [["CLIENT", "GETNAME"], "$5\r\nother\r\n"],
    ]);
    raw.close();
  });
});

Deno.test("HELLO works before AUTH: AUTH option authenticates, otherwise NOAUTH", async () => {
  await withServer({ requirepass: "pw" }, async (t) => {
    const raw = await RawClient.connect(t.port);
    const noauth =
      "-NOAUTH HELLO must be called with the client already authenticated, otherwise the " +
      "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the " +
      "RESP protocol version at the same time\r\n";
    await expectReplies(raw, [
      [["HELLO"], noauth],
      [["HELLO", "3"], noauth],
      [
        ["HELLO", "3", "AUTH", "default", "bad"],
        "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
      ],
      // The version is checked before AUTH runs.
      [["HELLO", "4", "AUTH", "default", "pw"], "-NOPROTO unsupported protocol version\r\n"],
      [["PING"], "-NOAUTH Authentication required.\r\n"],
    ]);
    const c = [...t.server.clients.values()][0]!;
    await expectReplies(raw, [
      [["HELLO", "3", "AUTH", "default", "pw", "SETNAME", "app"], helloReply(3, c.id)],
      [["PING"], "+PONG\r\n"],
      [["CLIENT", "GETNAME"], "$3\r\napp\r\n"],
    ]);
    raw.close();
  });
});

Deno.test("RESET discards MULTI and WATCH, selects db 0, RESP2, replies on, clears the name", async () => {
  await withServer({ requirepass: "pw" }, async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [[["AUTH", "pw"], "+OK\r\n"]]);
    const id = await clientId(raw);
    await expectReplies(raw, [
      [["HELLO", "3", "SETNAME", "n1"], helloReply(3, id)],
      [["SELECT", "4"], "+OK\r\n"],
      [["CLIENT", "NO-EVICT", "on"], "+OK\r\n"],
      [["WATCH", "k"], "+OK\r\n"],
      [["MULTI"], "+OK\r\n"],
      [["PING"], "+QUEUED\r\n"],
      [["RESET"], "+RESET\r\n"],
    ]);
    const c = t.server.clients.get(id)!;
    strictEqual(c.multi, null);
    strictEqual(c.watching, null);
    strictEqual(c.db.id, 0);
    strictEqual(c.w.resp, 2);
    strictEqual(c.name, "");
    strictEqual(c.noEvict, true); // Redis keeps CLIENT NO-EVICT across RESET
    strictEqual(c.authenticated, false);
    await expectReplies(raw, [
      [["PING"], "-NOAUTH Authentication required.\r\n"],
      [["AUTH", "pw"], "+OK\r\n"],
      [["EXEC"], "-ERR EXEC without MULTI\r\n"],
      [["CLIENT", "REPLY", "OFF"], ""],
      [["PING"], ""],
      // RESET answers and turns replies back on.
      [["RESET"], "+RESET\r\n"],
      [["PING"], "-NOAUTH Authentication required.\r\n"],
      [["RESET", "x"], "-ERR wrong number of arguments for 'reset' command\r\n"],
    ]);
    raw.close();
  });
});

Deno.test("RESET keeps the client authenticated when no password is required", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [["RESET"], "+RESET\r\n"],
      [["PING"], "+PONG\r\n"],
    ]);
    raw.close();
  });
});

Deno.test("CLIENT REPLY OFF, SKIP and ON control replies exactly like Redis", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    const lines = [
      "CLIENT REPLY OFF",
      "PING a",
      "CLIENT REPLY SKIP", // no effect while OFF
      "CLIENT REPLY foo", // errors are silenced too
      "CLIENT REPLY ON",
      "PING b",
      "CLIENT REPLY SKIP",
      "PING c", // skipped
      "PING d",
      "CLIENT REPLY SKIP",
      "CLIENT REPLY SKIP", // re-arms: the next one is skipped again
      "PING e",
      "PING f",
      "CLIENT REPLY SKIP",
      "CLIENT REPLY ON", // lifts the pending skip and answers
      "PING g",
      "CLIENT REPLY SKIP",
      "CLIENT REPLY OFF",
      "PING h",
      "CLIENT REPLY ON",
      "QUIT",
    ];
    await raw.send(lines.join("\r\n") + "\r\n");
    strictEqual(
      await raw.readToEnd(),
      "+OK\r\n$1\r\nb\r\n$1\r\nd\r\n$1\r\nf\r\n+OK\r\n$1\r\ng\r\n+OK\r\n+OK\r\n",
    );
    raw.close();
  });
});

Deno.test("CLIENT REPLY rejects unknown modes", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    await expectReplies(raw, [
      [["CLIENT", "REPLY", "maybe"], "-ERR syntax error\r\n"],
      [["CLIENT", "REPLY"], "-ERR wrong number of arguments for 'client|reply' command\r\n"],
    ]);
    raw.close();
  });
});

Deno.test("CLIENT SETNAME/GETNAME validate names and clear them with an empty name", async () => {
  await withServer({}, async (t) => {
    const r = new Redis({ port: t.port, lazyConnect: true, enableReadyCheck: false });
    await r.connect();
    strictEqual(await r.client("GETNAME"), null);
    strictEqual(await r.client("SETNAME", "a~!"), "OK");
    strictEqual(await r.client("GETNAME"), "a~!");
    for (const bad of ["a b", "x\ny", "\x7f", "caf\u00e9"]) {
      await rejects(
        r.client("SETNAME", bad),
        /^ReplyError: ERR Client names cannot contain spaces, newlines or special characters\.$/,
      );
    }
    strictEqual(await r.client("GETNAME"), "a~!");
    strictEqual(await r.client("SETNAME", ""), "OK");
    strictEqual(await r.client("GETNAME"), null);
    r.disconnect();
  });
});

Deno.test("CLIENT INFO and LIST print Redis 7.0's field line", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    const id = await clientId(raw);
    await expectReplies(raw, [[["CLIENT", "SETNAME", "me"], "+OK\r\n"]]);
    await raw.command("CLIENT", "LIST");
    const list = await readBulk(raw);
    match(
      list,
      new RegExp(
        `^id=${id} addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:${t.port} fd=\\d+ name=me ` +
          "age=\\d+ idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=\\d+ " +
          "argv-mem=10 multi-mem=0 rbs=\\d+ rbp=\\d+ obl=0 oll=0 omem=0 tot-mem=\\d+ events=r " +
          "cmd=client\\|list user=default redir=-1 resp=2\\n$",
      ),
    );
    await expectReplies(raw, [
      [["SELECT", "3"], "+OK\r\n"],
      [["CLIENT", "NO-EVICT", "on"], "+OK\r\n"],
      [["MULTI"], "+OK\r\n"],
      [["PING"], "+QUEUED\r\n"],
    ]);
    // Another client sees this one in MULTI with one queued command.
    const other = await RawClient.connect(t.port);
    await other.command("CLIENT", "LIST", "ID", String(id));
    match(
      await readBulk(other),
      /^id=\d+ .* flags=xe db=3 .* multi=1 .* argv-mem=0 multi-mem=12 .* cmd=ping .*\n$/,
    );
    await expectReplies(raw, [[["DISCARD"], "+OK\r\n"], [["HELLO", "3"], helloReply(3, id)]]);
    await raw.command("CLIENT", "INFO");
    const info = await readBulk(raw, "=");
    match(info, /^txt:id=\d+ .* flags=e db=3 .* cmd=client\|info user=default redir=-1 resp=3\n$/);
    raw.close();
    other.close();
  });
});

Deno.test("CLIENT LIST filters by TYPE and ID and rejects bad filters", async () => {
  await withServer({}, async (t) => {
    const a = await RawClient.connect(t.port);
    const b = await RawClient.connect(t.port);
    const idA = await clientId(a);
    const idB = await clientId(b);
    await a.command("CLIENT", "LIST", "ID", String(idB), "999999", String(idA));
    const lines = (await readBulk(a)).split("\n");
    deepStrictEqual(lines.map((l) => l.split(" ")[0]), [`id=${idB}`, `id=${idA}`, ""]);
    await a.command("CLIENT", "LIST", "TYPE", "normal");
    strictEqual((await readBulk(a)).split("\n").length, 3);
    await expectReplies(a, [
      [["CLIENT", "LIST", "TYPE", "pubsub"], "$0\r\n\r\n"],
      [["CLIENT", "LIST", "TYPE", "replica"], "$0\r\n\r\n"],
      [["CLIENT", "LIST", "TYPE", "slave"], "$0\r\n\r\n"],
      [["CLIENT", "LIST", "TYPE", "master"], "$0\r\n\r\n"],
      [["CLIENT", "LIST", "TYPE", "foo"], "-ERR Unknown client type 'foo'\r\n"],
      [["CLIENT", "LIST", "ID"], "-ERR syntax error\r\n"],
      [["CLIENT", "LIST", "ID", "1", "x"], "-ERR Invalid client ID\r\n"],
      [["CLIENT", "LIST", "TYPE", "normal", "ID", "1"], "-ERR syntax error\r\n"],
      [["CLIENT", "LIST", "FOO"], "-ERR syntax error\r\n"],
    ]);
    a.close();
    b.close();
  });
});

Deno.test("CLIENT KILL by address (old form) and by filters, with Redis's errors", async () => {
  await withServer({}, async (t) => {
    const me = await RawClient.connect(t.port);
    const v1 = await RawClient.connect(t.port);
    const v2 = await RawClient.connect(t.port);
    const id1 = await clientId(v1);
    const id2 = await clientId(v2);
    const c1 = t.server.clients.get(id1)!;
    await expectReplies(me, [
      [["CLIENT", "KILL"], "-ERR wrong number of arguments for 'client|kill' command\r\n"],
      [["CLIENT", "KILL", "1.2.3.4:5"], "-ERR No such client\r\n"],
      [["CLIENT", "KILL", "ID", "abc"], "-ERR client-id should be greater than 0\r\n"],
      [["CLIENT", "KILL", "ID", "0"], "-ERR client-id should be greater than 0\r\n"],
      [["CLIENT", "KILL", "ID", "10", "x"], "-ERR syntax error\r\n"],
      [["CLIENT", "KILL", "TYPE", "x"], "-ERR Unknown client type 'x'\r\n"],
      [["CLIENT", "KILL", "USER", "nobody"], "-ERR No such user 'nobody'\r\n"],
      [["CLIENT", "KILL", "SKIPME", "maybe"], "-ERR syntax error\r\n"],
      [["CLIENT", "KILL", "MAXAGE", "1"], "-ERR syntax error\r\n"],
      [["CLIENT", "KILL", "ID", "999999"], ":0\r\n"],
      [["CLIENT", "KILL", c1.addr], "+OK\r\n"],
    ]);
    strictEqual(await v1.readToEnd(), "");
    await expectReplies(me, [[["CLIENT", "KILL", "ID", String(id2), "TYPE", "normal"], ":1\r\n"]]);
    strictEqual(await v2.readToEnd(), "");
    strictEqual(t.server.clients.size, 1);
    // SKIPME yes (the default) spares the caller; SKIPME no kills it after the reply.
    await expectReplies(me, [[["CLIENT", "KILL", "USER", "default"], ":0\r\n"]]);
    await me.command("CLIENT", "KILL", "SKIPME", "no");
    strictEqual(await me.readToEnd(), ":1\r\n");
    v1.close();
    v2.close();
    me.close();
  });
});

Deno.test("CLIENT KILL ADDR and LADDR match the connection's addresses", async () => {
  await withServer({}, async (t) => {
    const me = await RawClient.connect(t.port);
    const v = await RawClient.connect(t.port);
    const c = t.server.clients.get(await clientId(v))!;
    await expectReplies(me, [
      [["CLIENT", "KILL", "LADDR", "1.2.3.4:5"], ":0\r\n"],
      [["CLIENT", "KILL", "ADDR", c.addr, "SKIPME", "yes"], ":1\r\n"],
    ]);
    strictEqual(await v.readToEnd(), "");
    await expectReplies(me, [[["CLIENT", "KILL", "LADDR", `127.0.0.1:${t.port}`], ":0\r\n"]]);
    v.close();
    me.close();
  });
});

Deno.test("CLIENT ID, NO-EVICT, HELP and unknown subcommands", async () => {
  await withServer({}, async (t) => {
    const r = new Redis({ port: t.port, lazyConnect: true, enableReadyCheck: false });
    await r.connect();
    const id = await r.client("ID");
    strictEqual(typeof id, "number");
    strictEqual(t.server.clients.has(id as number), true);
    strictEqual(await r.call("CLIENT", "NO-EVICT", "ON"), "OK");
    strictEqual(t.server.clients.get(id as number)!.noEvict, true);
    strictEqual(await r.call("CLIENT", "NO-EVICT", "off"), "OK");
    await rejects(r.call("CLIENT", "NO-EVICT", "maybe"), /ERR syntax error/);
    const help = await r.call("CLIENT", "HELP") as string[];
    // Redis's text minus the subcommands cedis lacks (CACHING, TRACKING).
    strictEqual(help.length, 43);
    strictEqual(help[0], "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    strictEqual(help[42], "    Prints this help.");
    strictEqual(help.some((l) => /TRACKING |CACHING/.test(l)), false);
    strictEqual(help.includes("PAUSE <timeout> [WRITE|ALL]"), true);
    await rejects(r.call("CLIENT", "FOO"), /ERR unknown subcommand 'FOO'. Try CLIENT HELP\./);
    await rejects(r.call("CLIENT"), /ERR wrong number of arguments for 'client' command/);
    await rejects(r.call("CLIENT", "ID", "x"), /wrong number of arguments for 'client\|id'/);
    r.disconnect();
  });
});

Deno.test("a client created in-process answers connection commands without a socket", async () => {
  const t = startServer();
  try {
    const c = new Client(t.server.engine, Date.now());
    const run = (...argv: string[]) => {
      dispatch(c, argv);
      return bytesToBinary(c.w.take());
    };
    strictEqual(run("SELECT", "2"), "+OK\r\n");
    strictEqual(c.db.id, 2);
    strictEqual(run("QUIT"), "+OK\r\n");
    strictEqual(c.closeAfterReply, true);
  } finally {
    await t.close();
  }
});

Deno.test("CLIENT GETREDIR and TRACKINGINFO report tracking off; UNBLOCK asks the blocking layer", async () => {
  await withServer({}, async (t) => {
    const raw = await RawClient.connect(t.port);
    const other = await RawClient.connect(t.port);
    const otherId = await clientId(other);
    await expectReplies(raw, [
      [["CLIENT", "GETREDIR"], ":-1\r\n"],
      [
        ["CLIENT", "TRACKINGINFO"],
        "*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n" +
        "$8\r\nprefixes\r\n*0\r\n",
      ],
      [["CLIENT", "UNBLOCK", String(otherId)], ":0\r\n"],
      [["CLIENT", "UNBLOCK", "abc"], "-ERR value is not an integer or out of range\r\n"],
      [
        ["CLIENT", "UNBLOCK", "abc", "foo"],
        "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n",
      ],
      [
        ["CLIENT", "unblock", "1", "timeout", "x"],
        "-ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.\r\n",
      ],
    ]);
    // A really blocked client: CLIENT UNBLOCK ... ERROR wakes it with the UNBLOCKED error.
    await other.command("BLPOP", "unblock-me", "0");
    await new Promise((r) => setTimeout(r, 30));
    await expectReplies(raw, [
      [["CLIENT", "UNBLOCK", String(otherId), "ERROR"], ":1\r\n"],
      [["CLIENT", "UNBLOCK", "999999"], ":0\r\n"],
    ]);
    const unblocked = "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n";
    strictEqual(await other.read(unblocked), unblocked);
    raw.close();
    other.close();
  });
});

Deno.test("PING answers a RESP2 subscriber in the message shape", async () => {
  await withServer({}, (t) => {
    const c = new Client(t.server.engine, Date.now());
    const run = (...argv: string[]) => {
      dispatch(c, argv);
      return bytesToBinary(c.w.take());
    };
    // A real subscription puts the client in the RESP2 pub/sub context.
    run("SUBSCRIBE", "ch");
    strictEqual(run("PING"), "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    strictEqual(run("PING", "hi"), "*2\r\n$4\r\npong\r\n$2\r\nhi\r\n");
    c.w.resp = 3;
    strictEqual(run("PING"), "+PONG\r\n");
    c.w.resp = 2;
    run("UNSUBSCRIBE", "ch");
    strictEqual(run("PING", "x"), "$1\r\nx\r\n");
  });
});
