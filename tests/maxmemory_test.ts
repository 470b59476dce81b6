import { strictEqual } from "node:assert/strict";
import { RawClient, startServer } from "./_server.ts";

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

Deno.test("over maxmemory, denyoom commands are refused with OOM and reads still work", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  try {
    await raw.command("SET", "k", "v");
    strictEqual(await raw.read("+OK\r\n"), "+OK\r\n");
    await raw.command("CONFIG", "SET", "maxmemory", "1");
    strictEqual(await raw.read("+OK\r\n"), "+OK\r\n");
    await raw.command("SET", "k2", "v");
    strictEqual(await raw.read(OOM), OOM);
    await raw.command("GET", "k");
    strictEqual(await raw.read("$1\r\nv\r\n"), "$1\r\nv\r\n");
    // DEL frees memory, so it is not denyoom and still runs.
    await raw.command("DEL", "k");
    strictEqual(await raw.read(":1\r\n"), ":1\r\n");
    // Inside MULTI the refusal aborts the transaction, as in Redis.
    await raw.command("MULTI");
    strictEqual(await raw.read("+OK\r\n"), "+OK\r\n");
    await raw.command("SET", "k3", "v");
    strictEqual(await raw.read(OOM), OOM);
    await raw.command("EXEC");
    const abort = "-EXECABORT Transaction discarded because of previous errors.\r\n";
    strictEqual(await raw.read(abort), abort);
    await raw.command("CONFIG", "SET", "maxmemory", "0");
    strictEqual(await raw.read("+OK\r\n"), "+OK\r\n");
    await raw.command("SET", "k2", "v");
    strictEqual(await raw.read("+OK\r\n"), "+OK\r\n");
  } finally {
    raw.close();
    await t.close();
  }
});
