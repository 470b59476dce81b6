import { strictEqual as assertEquals } from "node:assert/strict";
import { Redis } from "ioredis";
import { RawClient, startServer } from "./_server.ts";

Deno.test("server answers PING over a raw socket and through ioredis", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  await raw.send("PING\r\n*2\r\n$4\r\nECHO\r\n$3\r\nhey\r\n");
  assertEquals(await raw.read("+PONG\r\n$3\r\nhey\r\n"), "+PONG\r\n$3\r\nhey\r\n");
  raw.close();
  const r = new Redis({ port: t.port, lazyConnect: true, enableReadyCheck: false });
  await r.connect();
  assertEquals(await r.ping(), "PONG");
  r.disconnect();
  await t.close();
});
