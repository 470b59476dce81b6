import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { Redis } from "ioredis";
import { RawClient, startServer } from "./_server.ts";

/** Connects an ioredis client. */
async function connect(port: number): Promise<Redis> {
  const r = new Redis({ port, lazyConnect: true, enableReadyCheck: false });
  await r.connect();
  return r;
}

/** Collects `n` events of `name` from ioredis subscriber `r`. */
function collect(r: Redis, name: string, n: number): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const got: string[][] = [];
    const timer = setTimeout(() => reject(new Error(`timeout: ${JSON.stringify(got)}`)), 3000);
    r.on(name, (...args: string[]) => {
      got.push(args);
      if (got.length === n) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

Deno.test("ioredis subscriber receives messages and pmessages; PUBLISH counts receivers", async () => {
  const t = startServer();
  const sub = await connect(t.port);
  const pub = await connect(t.port);
  strictEqual(await sub.subscribe("news", "sport"), 2);
  strictEqual(await sub.psubscribe("n*"), 3);
  const msgs = collect(sub, "message", 2);
  const pmsgs = collect(sub, "pmessage", 1);
  strictEqual(await pub.publish("news", "hello"), 2);
  strictEqual(await pub.publish("sport", "goal"), 1);
  strictEqual(await pub.publish("other", "x"), 0);
  deepStrictEqual(await msgs, [["news", "hello"], ["sport", "goal"]]);
  deepStrictEqual(await pmsgs, [["n*", "news", "hello"]]);
  deepStrictEqual(await pub.pubsub("CHANNELS"), ["news", "sport"]);
  deepStrictEqual(await pub.pubsub("CHANNELS", "s*"), ["sport"]);
  deepStrictEqual(await pub.pubsub("NUMSUB", "news", "none"), ["news", 1, "none", 0]);
  strictEqual(await pub.pubsub("NUMPAT"), 1);
  const info = await pub.info("stats");
  strictEqual(info.includes("pubsub_channels:2\r\n"), true);
  strictEqual(info.includes("pubsub_patterns:1\r\n"), true);
  const list = await pub.client("LIST") as string;
  strictEqual(/flags=P db=0 sub=2 psub=1 ssub=0/.test(list), true);
  const pubsubList = await pub.call("CLIENT", "LIST", "TYPE", "pubsub") as string;
  strictEqual(pubsubList.trim().split("\n").length, 1);
  // A disconnected subscriber is forgotten.
  sub.disconnect();
  for (let i = 0; i < 50 && (await pub.call("PUBSUB", "NUMPAT")) !== 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  strictEqual(await pub.pubsub("NUMPAT"), 0);
  strictEqual(await pub.publish("news", "late"), 0);
  deepStrictEqual(await pub.pubsub("CHANNELS"), []);
  pub.disconnect();
  await t.close();
});

Deno.test("keyspace notifications follow notify-keyspace-events classes", async () => {
  const t = startServer();
  const sub = await connect(t.port);
  const r = await connect(t.port);
  await r.config("SET", "notify-keyspace-events", "KEg$");
  strictEqual(await sub.psubscribe("__key*__:*"), 1);
  const got = collect(sub, "pmessage", 6);
  await r.set("foo", "bar");
  await r.rpush("ignored", "a"); // class l is off
  await r.del("foo");
  await r.select(3);
  await r.set("k3", "v");
  deepStrictEqual((await got).map((m) => [m[1], m[2]]), [
    ["__keyspace@0__:foo", "set"],
    ["__keyevent@0__:set", "foo"],
    ["__keyspace@0__:foo", "del"],
    ["__keyevent@0__:del", "foo"],
    ["__keyspace@3__:k3", "set"],
    ["__keyevent@3__:set", "k3"],
  ]);
  sub.disconnect();
  r.disconnect();
  await t.close();
});

Deno.test("keyspace notifications are off by default and for classes not enabled", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  const r = await connect(t.port);
  await raw.command("PSUBSCRIBE", "*");
  await raw.read("*3\r\n$10\r\npsubscribe\r\n$1\r\n*\r\n:1\r\n");
  await r.set("a", "1");
  await r.config("SET", "notify-keyspace-events", "El");
  await r.set("b", "1");
  await r.lpush("l", "x");
  const expect = "*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$20\r\n__keyevent@0__:lpush\r\n$1\r\nl\r\n";
  strictEqual(await raw.read(expect), expect);
  raw.close();
  r.disconnect();
  await t.close();
});

Deno.test("RESP2 subscribed context allows only subscription commands, PING, QUIT, RESET", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  await raw.send("SUBSCRIBE a b\r\nGET x\r\nPING\r\nPING hi\r\nPUBSUB NUMSUB\r\nRESET\r\nPING\r\n");
  const expect = "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n" +
    "*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n" +
    "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n" +
    "*2\r\n$4\r\npong\r\n$0\r\n\r\n" +
    "*2\r\n$4\r\npong\r\n$2\r\nhi\r\n" +
    "-ERR Can't execute 'pubsub|numsub': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n" +
    "+RESET\r\n+PONG\r\n";
  strictEqual(await raw.read(expect), expect);
  // RESET dropped the subscriptions.
  await raw.send("PUBSUB NUMSUB a\r\n");
  strictEqual(await raw.read("*2\r\n$1\r\na\r\n:0\r\n"), "*2\r\n$1\r\na\r\n:0\r\n");
  raw.close();
  await t.close();
});

Deno.test("subscription counts: channels+patterns for (P)SUBSCRIBE, shard channels apart", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  await raw.send(
    "SUBSCRIBE a\r\nPSUBSCRIBE p*\r\nSSUBSCRIBE s\r\nSUBSCRIBE a\r\nUNSUBSCRIBE zz\r\n" +
      "PUNSUBSCRIBE p*\r\nSUNSUBSCRIBE\r\nUNSUBSCRIBE\r\nUNSUBSCRIBE\r\nPING\r\n",
  );
  const expect = "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n" +
    "*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:2\r\n" +
    "*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n" +
    "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n" +
    "*3\r\n$11\r\nunsubscribe\r\n$2\r\nzz\r\n:2\r\n" +
    "*3\r\n$12\r\npunsubscribe\r\n$2\r\np*\r\n:1\r\n" +
    "*3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n" +
    "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n" +
    "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n" +
    "+PONG\r\n";
  strictEqual(await raw.read(expect), expect);
  raw.close();
  await t.close();
});

Deno.test("RESP3 pushes: messages as push type, other commands allowed, CLIENT REPLY OFF keeps pushes", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  await raw.send("HELLO 3\r\n");
  let hello = "";
  while (!hello.endsWith("$7\r\nmodules\r\n*0\r\n")) hello += await raw.readBytes(1);
  await raw.send(
    "SUBSCRIBE a\r\nPING\r\nGET x\r\nPUBLISH a hi\r\nCLIENT REPLY OFF\r\n" +
      "SUBSCRIBE b\r\nPUBLISH b x\r\nCLIENT REPLY ON\r\nUNSUBSCRIBE\r\n",
  );
  const expect = ">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n+PONG\r\n_\r\n" +
    ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n:1\r\n" +
    ">3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n" +
    ">3\r\n$7\r\nmessage\r\n$1\r\nb\r\n$1\r\nx\r\n+OK\r\n" +
    ">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n>3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n";
  strictEqual(await raw.read(expect), expect);
  raw.close();
  await t.close();
});

Deno.test("shard channels: SSUBSCRIBE, SPUBLISH, SHARDCHANNELS, SHARDNUMSUB", async () => {
  const t = startServer();
  const sub = await RawClient.connect(t.port);
  const r = await connect(t.port);
  await sub.send("SSUBSCRIBE c1 c2\r\n");
  const conf =
    "*3\r\n$10\r\nssubscribe\r\n$2\r\nc1\r\n:1\r\n*3\r\n$10\r\nssubscribe\r\n$2\r\nc2\r\n:2\r\n";
  strictEqual(await sub.read(conf), conf);
  strictEqual(await r.call("SPUBLISH", "c2", "m"), 1);
  strictEqual(await r.publish("c2", "m"), 0);
  const msg = "*3\r\n$8\r\nsmessage\r\n$2\r\nc2\r\n$1\r\nm\r\n";
  strictEqual(await sub.read(msg), msg);
  deepStrictEqual(await r.pubsub("SHARDCHANNELS", "*2"), ["c2"]);
  deepStrictEqual(await r.pubsub("SHARDNUMSUB", "c1", "x"), ["c1", 1, "x", 0]);
  deepStrictEqual(await r.pubsub("CHANNELS"), []);
  sub.close();
  r.disconnect();
  await t.close();
});

Deno.test("a subscriber past the pubsub hard output limit is disconnected", async () => {
  const t = startServer({ "client-output-buffer-limit": "pubsub 64kb 0 0" });
  const sub = await RawClient.connect(t.port);
  const r = await connect(t.port);
  await sub.send("SUBSCRIBE big\r\n");
  await sub.read("*3\r\n$9\r\nsubscribe\r\n$3\r\nbig\r\n:1\r\n");
  // One MULTI makes all messages pile up in the subscriber's buffer before any write.
  const tx = r.multi();
  for (let i = 0; i < 10; i++) tx.publish("big", "x".repeat(10000));
  const res = await tx.exec();
  strictEqual(res!.length, 10);
  deepStrictEqual(await r.pubsub("NUMSUB", "big"), ["big", 0]);
  await sub.readToEnd();
  sub.close();
  r.disconnect();
  await t.close();
});
