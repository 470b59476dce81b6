import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { Redis } from "ioredis";
import { expectRaw, FakeClock, RawClient, startServer, type TestServer } from "./_server.ts";
import { expireTimeArg } from "../src/commands/keys.ts";

/** Stores a string under `key` directly in the keyspace, optionally with a TTL in ms. */
function seed(t: TestServer, key: string, value = "v", ttlMs?: number): void {
  const db = t.server.keyspace.dbs[0]!;
  db.set(key, value);
  if (ttlMs !== undefined) db.setExpire(key, t.server.keyspace.clock() + ttlMs);
}

/** A server on a fake clock with active expiry off, so only the test moves time. */
async function setup(): Promise<{ t: TestServer; clock: FakeClock; raw: RawClient }> {
  const clock = new FakeClock(1_700_000_000_123);
  const t = startServer({}, { clock: clock.now });
  t.server.keyspace.activeExpireEnabled = false;
  const raw = await RawClient.connect(t.port);
  return { t, clock, raw };
}

Deno.test("EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT set TTLs that TTL and friends report", async () => {
  const { t, clock, raw } = await setup();
  const now = clock.ms;
  seed(t, "x");
  await expectRaw(raw, ["EXPIRE", "x", "5"], ":1\r\n");
  await expectRaw(raw, ["TTL", "x"], ":5\r\n");
  await expectRaw(raw, ["PTTL", "x"], ":5000\r\n");
  await expectRaw(raw, ["PEXPIRETIME", "x"], `:${now + 5000}\r\n`);
  await expectRaw(raw, ["EXPIRETIME", "x"], `:${Math.floor((now + 5000) / 1000)}\r\n`);
  await expectRaw(raw, ["EXPIRE", "x", "10"], ":1\r\n");
  await expectRaw(raw, ["TTL", "x"], ":10\r\n");
  await expectRaw(raw, ["PEXPIRE", "x", "1499"], ":1\r\n");
  await expectRaw(raw, ["TTL", "x"], ":1\r\n"); // TTL rounds to the nearest second
  await expectRaw(raw, ["PEXPIRE", "x", "1500"], ":1\r\n");
  await expectRaw(raw, ["TTL", "x"], ":2\r\n");
  await expectRaw(raw, ["EXPIREAT", "x", String(Math.floor(now / 1000) + 15)], ":1\r\n");
  await expectRaw(raw, ["PEXPIRETIME", "x"], `:${(Math.floor(now / 1000) + 15) * 1000}\r\n`);
  // EXPIRETIME rounds to the nearest second like TTL.
  await expectRaw(raw, ["PEXPIREAT", "x", "4102444800999"], ":1\r\n");
  await expectRaw(raw, ["EXPIRETIME", "x"], ":4102444801\r\n");
  await expectRaw(raw, ["PEXPIREAT", "x", "4102444800499"], ":1\r\n");
  await expectRaw(raw, ["EXPIRETIME", "x"], ":4102444800\r\n");
  await expectRaw(raw, ["PEXPIREAT", "x", String(now + 200)], ":1\r\n");
  await expectRaw(raw, ["PTTL", "x"], ":200\r\n");
  for (const cmd of ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"]) {
    await expectRaw(raw, [cmd, "nokey"], ":-2\r\n");
  }
  seed(t, "plain");
  for (const cmd of ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"]) {
    await expectRaw(raw, [cmd, "plain"], ":-1\r\n");
  }
  await expectRaw(raw, ["EXPIRE", "nokey", "100"], ":0\r\n");
  raw.close();
  await t.close();
});

Deno.test("an expired key is gone on the next lookup and emits expired", async () => {
  const { t, clock, raw } = await setup();
  const events: string[] = [];
  t.server.keyspace.onEvent((cls, e, k) => {
    if (cls !== "n") events.push(`${e}:${k}`);
  });
  seed(t, "x");
  await expectRaw(raw, ["PEXPIRE", "x", "100"], ":1\r\n");
  clock.advance(99);
  await expectRaw(raw, ["EXISTS", "x"], ":1\r\n");
  clock.advance(1);
  strictEqual(t.server.keyspace.dbs[0]!.size, 1, "no active expiry: still stored");
  await expectRaw(raw, ["EXISTS", "x"], ":0\r\n");
  strictEqual(t.server.keyspace.dbs[0]!.size, 0);
  strictEqual(t.server.keyspace.stats.expiredKeys, 1);
  deepStrictEqual(events, ["expire:x", "expired:x"]);
  // DEL of an expired key deletes nothing.
  seed(t, "y", "v", 1000);
  clock.advance(1100);
  await expectRaw(raw, ["DEL", "y"], ":0\r\n");
  raw.close();
  await t.close();
});

Deno.test("EXPIRE does not resurrect an expired key", async () => {
  const { t, clock, raw } = await setup();
  seed(t, "foo", "bar", 500);
  clock.advance(1000);
  await expectRaw(raw, ["EXPIRE", "foo", "10"], ":0\r\n");
  await expectRaw(raw, ["EXISTS", "foo"], ":0\r\n");
  await expectRaw(raw, ["PERSIST", "foo"], ":0\r\n");
  raw.close();
  await t.close();
});

Deno.test("a time in the past deletes the key, emits del and still returns 1", async () => {
  const { t, clock, raw } = await setup();
  const events: string[] = [];
  t.server.keyspace.onEvent((cls, e, k) => {
    if (cls !== "n") events.push(`${e}:${k}`);
  });
  seed(t, "a");
  seed(t, "b");
  seed(t, "c");
  seed(t, "d");
  await expectRaw(raw, ["EXPIRE", "a", "0"], ":1\r\n");
  await expectRaw(raw, ["PEXPIRE", "b", "-10"], ":1\r\n");
  await expectRaw(raw, ["EXPIREAT", "c", String(Math.floor(clock.ms / 1000) - 100)], ":1\r\n");
  await expectRaw(raw, ["PEXPIREAT", "d", String(clock.ms)], ":1\r\n");
  await expectRaw(raw, ["EXISTS", "a", "b", "c", "d"], ":0\r\n");
  deepStrictEqual(events, ["del:a", "del:b", "del:c", "del:d"]);
  strictEqual(t.server.keyspace.stats.expiredKeys, 0, "deleted, not expired");
  raw.close();
  await t.close();
});

Deno.test("EXPIRE NX, XX, GT and LT conditions", async () => {
  const { t, raw } = await setup();
  const cases: [string | null, string, string, string][] = [
    // [initial TTL, new TTL, option, reply]
    ["100", "200", "NX", ":0"],
    [null, "200", "NX", ":1"],
    ["100", "200", "XX", ":1"],
    [null, "200", "XX", ":0"],
    ["100", "200", "GT", ":1"],
    ["200", "100", "GT", ":0"],
    [null, "200", "GT", ":0"],
    ["100", "200", "LT", ":0"],
    ["200", "100", "LT", ":1"],
    [null, "100", "LT", ":1"],
    ["100", "100", "GT", ":0"],
    ["100", "100", "LT", ":0"],
  ];
  for (const [initial, ttl, opt, reply] of cases) {
    seed(t, "foo");
    if (initial !== null) await expectRaw(raw, ["EXPIRE", "foo", initial], ":1\r\n");
    await expectRaw(raw, ["EXPIRE", "foo", ttl, opt], reply + "\r\n");
    const expected = reply === ":1" ? ttl : initial ?? "-1";
    await expectRaw(raw, ["TTL", "foo"], `:${expected}\r\n`);
  }
  seed(t, "foo");
  await expectRaw(raw, ["EXPIRE", "foo", "200"], ":1\r\n");
  await expectRaw(raw, ["EXPIRE", "foo", "100", "lt", "xx"], ":1\r\n");
  seed(t, "foo");
  await expectRaw(raw, ["EXPIRE", "foo", "200", "LT", "XX"], ":0\r\n");
  await expectRaw(raw, ["EXPIRE", "foo", "200", "nx", "nx"], ":1\r\n");
  // Negative times with LT delete the key, with or without a TTL.
  await expectRaw(raw, ["EXPIRE", "foo", "-10", "LT"], ":1\r\n");
  await expectRaw(raw, ["TTL", "foo"], ":-2\r\n");
  seed(t, "foo");
  await expectRaw(raw, ["EXPIRE", "foo", "-10", "LT"], ":1\r\n");
  await expectRaw(raw, ["TTL", "foo"], ":-2\r\n");
  for (const opt of ["NX", "XX", "GT", "LT"]) {
    await expectRaw(raw, ["EXPIRE", "none", "100", opt], ":0\r\n");
  }
  raw.close();
  await t.close();
});

Deno.test("EXPIRE option, integer and overflow errors match Redis", async () => {
  const { t, raw } = await setup();
  seed(t, "foo");
  const nx = "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n";
  await expectRaw(
    raw,
    ["EXPIRE", "foo", "200", "LT", "GT"],
    "-ERR GT and LT options at the same time are not compatible\r\n",
  );
  await expectRaw(raw, ["EXPIRE", "foo", "200", "NX", "GT"], nx);
  await expectRaw(raw, ["EXPIRE", "foo", "200", "NX", "LT"], nx);
  await expectRaw(raw, ["EXPIRE", "foo", "200", "NX", "XX"], nx);
  await expectRaw(raw, ["EXPIRE", "foo", "200", "AB"], "-ERR Unsupported option AB\r\n");
  await expectRaw(raw, ["EXPIRE", "foo", "200", "XX", "AB"], "-ERR Unsupported option AB\r\n");
  // Options are checked before the time argument.
  await expectRaw(raw, ["EXPIRE", "foo", "abc", "ZZ"], "-ERR Unsupported option ZZ\r\n");
  const notInt = "-ERR value is not an integer or out of range\r\n";
  await expectRaw(raw, ["EXPIRE", "foo", ""], notInt);
  await expectRaw(raw, ["EXPIRE", "foo", "1.5"], notInt);
  await expectRaw(raw, ["EXPIRE", "nokey", "abc"], notInt);
  await expectRaw(raw, ["PEXPIRE", "foo", "9223372036854775808"], notInt);
  const invalid = (cmd: string) => `-ERR invalid expire time in '${cmd}' command\r\n`;
  for (
    const v of ["9223370399119966", "9223372036854776", "10000000000000000", "18446744073709561"]
  ) {
    await expectRaw(raw, ["EXPIRE", "foo", v], invalid("expire"));
  }
  for (const v of ["-9223372036854776", "-9999999999999999"]) {
    await expectRaw(raw, ["EXPIRE", "foo", v], invalid("expire"));
  }
  await expectRaw(raw, ["PEXPIRE", "foo", "9223372036854770000"], invalid("pexpire"));
  await expectRaw(raw, ["EXPIREAT", "foo", "9223372036854776"], invalid("expireat"));
  await expectRaw(raw, ["EXPIRE", "nokey", "9223372036854776"], invalid("expire"));
  await expectRaw(raw, ["TTL", "foo"], ":-1\r\n");
  // Huge absolute times are accepted; huge negative ones delete.
  await expectRaw(raw, ["PEXPIREAT", "foo", "9223372036854770000"], ":1\r\n");
  await expectRaw(raw, ["EXPIREAT", "foo", "9223372036854775"], ":1\r\n");
  await expectRaw(raw, ["EXISTS", "foo"], ":1\r\n");
  await expectRaw(raw, ["PEXPIREAT", "foo", "-9223372036854770000"], ":1\r\n");
  await expectRaw(raw, ["TTL", "foo"], ":-2\r\n");
  raw.close();
  await t.close();
});

Deno.test("expire times convert with 64-bit overflow checks", () => {
  const now = 1_700_000_000_000;
  strictEqual(expireTimeArg("10", true, true, now, "expire"), now + 10_000);
  strictEqual(expireTimeArg("-10", false, true, now, "pexpire"), now - 10);
  strictEqual(expireTimeArg("5", true, false, now, "expireat"), 5000);
  strictEqual(expireTimeArg("9223372036854775807", false, false, now, "pexpireat"), 2 ** 63);
  strictEqual(
    expireTimeArg("-9223372036854775808", false, true, now, "pexpire"),
    -(2 ** 63) + now,
  );
  let message = "";
  try {
    expireTimeArg("9223372036854775807", false, true, now, "pexpire");
  } catch (e) {
    message = (e as Error).message;
  }
  strictEqual(message, "ERR invalid expire time in 'pexpire' command");
});

Deno.test("PERSIST removes a TTL and reports whether there was one", async () => {
  const { t, raw } = await setup();
  const events: string[] = [];
  t.server.keyspace.onEvent((cls, e, k) => {
    if (cls !== "n") events.push(`${e}:${k}`);
  });
  seed(t, "x", "foo", 50_000);
  await expectRaw(raw, ["TTL", "x"], ":50\r\n");
  await expectRaw(raw, ["PERSIST", "x"], ":1\r\n");
  await expectRaw(raw, ["TTL", "x"], ":-1\r\n");
  await expectRaw(raw, ["PERSIST", "x"], ":0\r\n");
  await expectRaw(raw, ["PERSIST", "nokey"], ":0\r\n");
  deepStrictEqual(events, ["persist:x"]);
  raw.close();
  await t.close();
});

Deno.test("the hz timer reclaims expired keys actively", async () => {
  const clock = new FakeClock();
  const t = startServer({ hz: "100" }, { clock: clock.now });
  const r = new Redis({ port: t.port, lazyConnect: true, enableReadyCheck: false });
  await r.connect();
  const db = t.server.keyspace.dbs[0]!;
  for (let i = 0; i < 50; i++) seed(t, `key${i}`, "a", 500);
  seed(t, "forever");
  strictEqual(db.size, 51);
  clock.advance(500);
  const deadline = Date.now() + 2000;
  while (db.size > 1 && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 10));
  strictEqual(db.size, 1);
  strictEqual(t.server.keyspace.stats.expiredKeys, 50);
  strictEqual(await r.exists("forever"), 1);
  // Turned off (DEBUG SET-ACTIVE-EXPIRE 0), only lookups reclaim keys.
  t.server.keyspace.activeExpireEnabled = false;
  seed(t, "lazy", "a", 10);
  clock.advance(10);
  await new Promise((ok) => setTimeout(ok, 50));
  strictEqual(db.size, 2);
  strictEqual(await r.exists("lazy"), 0);
  strictEqual(db.size, 1);
  r.disconnect();
  await t.close();
});

Deno.test("RENAME and MOVE keep an expired source from reappearing", async () => {
  const { t, clock, raw } = await setup();
  seed(t, "k", "v", 100);
  clock.advance(100);
  await expectRaw(raw, ["MOVE", "k", "1"], ":0\r\n");
  await expectRaw(raw, ["COPY", "k", "k2"], ":0\r\n");
  strictEqual(t.server.keyspace.dbs[1]!.size, 0);
  strictEqual(t.server.keyspace.dbs[0]!.size, 0);
  raw.close();
  await t.close();
});
