/**
 * Scripts that outlive `busy-reply-threshold`: the server serves other clients (BUSY replies,
 * SCRIPT KILL, FUNCTION KILL, FUNCTION STATS) while the script keeps running atomically, as
 * Redis 7.0 does; an infinite loop can be killed, a script that wrote can't.
 */
import assert from "node:assert/strict";
import { RawClient, startServer, type TestServer } from "./_server.ts";

const BUSY_EVAL =
  "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
const BUSY_FUNCTION =
  "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n";
const SPIN = "while true do end";

async function sha1(s: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(s));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the server runs a script past busy-reply-threshold (a loaded machine is slow). */
async function untilBusy(t: TestServer): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (t.server.engine.busyScript === null) {
    if (Date.now() > deadline) throw new Error("the script never went busy");
    await sleep(10);
  }
}

Deno.test("an endless EVAL makes others get BUSY until SCRIPT KILL stops it", async () => {
  const t = startServer({ "busy-reply-threshold": "100" });
  const runner = await RawClient.connect(t.port);
  const other = await RawClient.connect(t.port);
  try {
    await runner.command("EVAL", SPIN, "0");
    await untilBusy(t);
    await other.command("GET", "x");
    assert.equal(await other.read(BUSY_EVAL), BUSY_EVAL);
    await other.command("PING");
    assert.equal(await other.read(BUSY_EVAL), BUSY_EVAL);
    // FUNCTION KILL and FUNCTION STATS are for functions: BUSY with the EVAL text.
    await other.command("FUNCTION", "KILL");
    assert.equal(await other.read(BUSY_EVAL), BUSY_EVAL);
    await other.command("SCRIPT", "KILL");
    assert.equal(await other.read("+OK\r\n"), "+OK\r\n");
    const killed = `-ERR Script killed by user with SCRIPT KILL... script: ${await sha1(
      SPIN,
    )}, on @user_script:1.\r\n`;
    assert.equal(await runner.read(killed), killed);
    await runner.command("PING");
    assert.equal(await runner.read("+PONG\r\n"), "+PONG\r\n");
    await other.command("SCRIPT", "KILL");
    const notBusy = "-NOTBUSY No scripts in execution right now.\r\n";
    assert.equal(await other.read(notBusy), notBusy);
  } finally {
    runner.close();
    other.close();
    await t.close();
  }
});

Deno.test("a busy script that wrote is UNKILLABLE, stays atomic and completes", async () => {
  const t = startServer({ "busy-reply-threshold": "50" });
  const runner = await RawClient.connect(t.port);
  const other = await RawClient.connect(t.port);
  try {
    // Writes, then spins for a while (well past the threshold), then writes again.
    const script = "redis.call('set', 'k', 'a') local n = 0 for i = 1, 3e8 do n = n + 1 end " +
      "redis.call('set', 'k', redis.call('get', 'k') .. 'b') return n";
    await runner.command("EVAL", script, "0");
    await untilBusy(t);
    await other.command("SET", "k", "intruder");
    assert.equal(await other.read(BUSY_EVAL), BUSY_EVAL);
    await other.command("SCRIPT", "KILL");
    const unkillable = "-UNKILLABLE Sorry the script already executed write commands against " +
      "the dataset. You can either wait the script termination or kill the server in a hard " +
      "way using the SHUTDOWN NOSAVE command.\r\n";
    assert.equal(await other.read(unkillable), unkillable);
    assert.equal(await runner.readBytes(":300000000\r\n".length, 120_000), ":300000000\r\n");
    await other.command("GET", "k");
    assert.equal(await other.read("$2\r\nab\r\n"), "$2\r\nab\r\n");
  } finally {
    runner.close();
    other.close();
    await t.close();
  }
});

Deno.test("a busy function shows in FUNCTION STATS and stops with FUNCTION KILL", async () => {
  const t = startServer({ "busy-reply-threshold": "100" });
  const runner = await RawClient.connect(t.port);
  const other = await RawClient.connect(t.port);
  try {
    const lib = "#!lua name=busylib\nredis.register_function('spin', function() " + SPIN +
      " end)";
    await runner.command("FUNCTION", "LOAD", lib);
    assert.equal(await runner.read("$7\r\nbusylib\r\n"), "$7\r\nbusylib\r\n");
    await runner.command("FCALL", "spin", "0");
    await untilBusy(t);
    await other.command("SCRIPT", "KILL");
    assert.equal(await other.read(BUSY_FUNCTION), BUSY_FUNCTION);
    await other.command("FUNCTION", "STATS");
    const head = "*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n" +
      "$7\r\ncommand\r\n*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n$11\r\nduration_ms\r\n:";
    assert.equal(await other.read(head), head);
    await other.command("FUNCTION", "KILL");
    // The rest of the STATS reply (duration, engines), then +OK.
    const rest = await other.readBytes(1, 5000);
    assert.match(rest, /\d/);
    let tail = "";
    while (!tail.endsWith("+OK\r\n")) tail += await other.readBytes(1, 5000);
    const killed =
      "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n";
    assert.equal(await runner.read(killed), killed);
  } finally {
    runner.close();
    other.close();
    await t.close();
  }
});

Deno.test("a script inside EXEC is never paused: others wait instead of getting BUSY", async () => {
  const t = startServer({ "busy-reply-threshold": "20" });
  const runner = await RawClient.connect(t.port);
  const other = await RawClient.connect(t.port);
  try {
    await runner.command("MULTI");
    await runner.command("EVAL", "local n = 0 for i = 1, 5e7 do n = n + 1 end return 'done'", "0");
    await runner.command("EXEC");
    await sleep(5);
    await other.command("PING");
    const replies = "+OK\r\n+QUEUED\r\n*1\r\n$4\r\ndone\r\n";
    assert.equal(await runner.readBytes(replies.length, 60_000), replies);
    assert.equal(await other.read("+PONG\r\n"), "+PONG\r\n");
  } finally {
    runner.close();
    other.close();
    await t.close();
  }
});

Deno.test("an endless loop inside pcall is still killable", async () => {
  const t = startServer({ "busy-reply-threshold": "100" });
  const runner = await RawClient.connect(t.port);
  const other = await RawClient.connect(t.port);
  try {
    const script = "local ok, e = pcall(function() while true do end end) return 'unreachable'";
    await runner.command("EVAL", script, "0");
    await untilBusy(t);
    await other.command("GET", "x");
    assert.equal(await other.read(BUSY_EVAL), BUSY_EVAL);
    await other.command("SCRIPT", "KILL");
    assert.equal(await other.read("+OK\r\n"), "+OK\r\n");
    // The kill is not a Lua error: pcall does not catch it.
    const killed = `-ERR Script killed by user with SCRIPT KILL... script: ${await sha1(
      script,
    )}, on @user_script:1.\r\n`;
    assert.equal(await runner.read(killed), killed);
  } finally {
    runner.close();
    other.close();
    await t.close();
  }
});
