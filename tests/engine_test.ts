/**
 * The engine driven in-process, without sockets: a fake platform, an in-memory data dir and a
 * recording {@link ClientLink}. Checks the end-of-turn epilogue's order (the AOF is written
 * before any reply is handed to a connection) for a client's own command, for a client served
 * by a blocking command, and for a timer (BLPOP timeout).
 */
import assert from "node:assert/strict";
import { Config } from "../src/config/config.ts";
import type { Client } from "../src/commands/context.ts";
import { dispatch } from "../src/commands/dispatch.ts";
import { type ClientLink, Engine } from "../src/engine/engine.ts";
import { MemoryIO } from "../src/persistence/io.ts";
import { fakePlatform } from "./_server.ts";

const dec = new TextDecoder();

/** All AOF bytes written so far, as text. */
function aof(io: MemoryIO): string {
  let s = "";
  for (const [name, data] of io.files) if (name.endsWith(".aof")) s += dec.decode(data);
  return s;
}

/** A link that records, at each write, the reply bytes and what the AOF held then. */
class RecordingLink implements ClientLink {
  client!: Client;
  writes: { reply: string; aof: string }[] = [];
  inputs: string[][] = [];
  constructor(readonly io: MemoryIO) {}
  runInput(): void {
    while (this.client.blocked === null && this.inputs.length > 0) {
      dispatch(this.client, this.inputs.shift()!);
    }
  }
  write(): void {
    // As the socket connection: nothing pending, nothing to write.
    if (this.client.w.length === 0) return;
    this.writes.push({ reply: dec.decode(this.client.w.take()), aof: aof(this.io) });
  }
  close(): void {}
}

function setup() {
  const config = new Config();
  config.set("appendonly", "yes", true);
  config.set("appendfsync", "always", true);
  config.set("save", "", true);
  const io = new MemoryIO();
  const { platform, fire } = fakePlatform();
  const engine = new Engine({ config, platform, clock: () => 1_700_000_000_000, io });
  engine.loadData();
  const connect = () => {
    const link = new RecordingLink(io);
    link.client = engine.connect(link, "127.0.0.1:1", "127.0.0.1:6379");
    return link;
  };
  /** One read: the client's requests run, then the epilogue. */
  const turn = (link: RecordingLink, ...reqs: string[][]) => {
    link.inputs.push(...reqs);
    link.runInput();
    engine.replied(link.client);
    engine.endTurn();
  };
  return { engine, io, fire, connect, turn };
}

Deno.test("a reply is handed to the connection only after its write is in the AOF", () => {
  const { connect, turn } = setup();
  const a = connect();
  turn(a, ["SET", "k", "v"]);
  assert.equal(a.writes.length, 1);
  assert.equal(a.writes[0]!.reply, "+OK\r\n");
  assert.ok(a.writes[0]!.aof.includes("$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"));
});

Deno.test("a client served by BLPOP runs its pipelined SET before the epilogue writes", () => {
  const { connect, turn } = setup();
  const blocked = connect();
  const pusher = connect();
  turn(blocked, ["BLPOP", "q", "0"], ["SET", "after", "1"]);
  assert.equal(blocked.writes.length, 0, "a blocked client gets nothing yet");
  turn(pusher, ["RPUSH", "q", "x"]);
  // One epilogue wrote both clients, after the AOF had RPUSH, the served pop and the SET.
  assert.equal(pusher.writes.length, 1);
  assert.equal(pusher.writes[0]!.reply, ":1\r\n");
  assert.equal(blocked.writes.length, 1);
  const { reply, aof: logged } = blocked.writes[0]!;
  assert.equal(reply, "*2\r\n$1\r\nq\r\n$1\r\nx\r\n+OK\r\n");
  assert.ok(logged.includes("$5\r\nafter\r\n"), "the SET behind BLPOP is in the AOF first");
});

Deno.test("a timer's reply (BLPOP timeout) also leaves through the epilogue", async () => {
  const { connect, turn, fire } = setup();
  const a = connect();
  turn(a, ["BLPOP", "q", "0.01"], ["SET", "t", "1"]);
  assert.equal(a.writes.length, 0);
  fire();
  // The engine ends the timer's turn in a microtask.
  await Promise.resolve();
  assert.equal(a.writes.length, 1);
  assert.equal(a.writes[0]!.reply, "*-1\r\n+OK\r\n");
  assert.ok(a.writes[0]!.aof.includes("$1\r\nt\r\n$1\r\n1\r\n"));
});

Deno.test("closing a client forgets its watches and blocking", () => {
  const { engine, connect, turn } = setup();
  const a = connect();
  turn(a, ["WATCH", "w"], ["BLPOP", "q", "0"]);
  assert.ok(engine.clients.has(a.client.id));
  engine.disconnect(a.client);
  assert.ok(!engine.clients.has(a.client.id));
  assert.equal(a.client.blocked, null);
  assert.equal(engine.watched.get(0)?.get("w")?.has(a.client) ?? false, false);
});
