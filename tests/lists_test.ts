/**
 * Lists: the quicklist structure against a plain array model (for several node sizes), the
 * list commands byte-exact over a raw socket and through ioredis, and blocking pops (wake-up
 * by another client, timeouts, FIFO order, MULTI, disconnects).
 *
 * @module
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { Redis } from "ioredis";
import { listpackEntrySize, ListValue, setPackedThreshold } from "../src/types/list.ts";
import { RawClient, startServer, type TestServer } from "./_server.ts";

// --- the structure -------------------------------------------------------------------

/** A deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Node sizes exercised: the default 8 KB, tiny positive fills (many nodes), 4 KB. */
const FILLS = [-2, 1, 3, 16, -1];

function randomValue(r: () => number): string {
  const k = r();
  if (k < 0.3) return String(Math.floor(r() * 20));
  if (k < 0.5) return String(Math.floor(r() * 2 ** 40) - 2 ** 39);
  if (k < 0.9) return "v" + Math.floor(r() * 30);
  return "x".repeat(Math.floor(r() * 3000));
}

function checkSame(l: ListValue, model: string[], what: string): void {
  strictEqual(l.length, model.length, `${what}: length`);
  deepStrictEqual([...l.items()], model, `${what}: items`);
  const back: string[] = [];
  l.scan(true, (s, i) => {
    strictEqual(i, model.length - 1 - back.length, `${what}: reverse index`);
    back.push(s);
  });
  deepStrictEqual(back.reverse(), model, `${what}: reverse items`);
}

for (const fill of FILLS) {
  Deno.test(`list structure with fill ${fill} matches an array under random operations`, () => {
    const r = rng(fill + 100);
    const l = new ListValue({ fill });
    const model: string[] = [];
    for (let step = 0; step < 3000; step++) {
      const op = Math.floor(r() * 11);
      const v = randomValue(r);
      const idx = Math.floor(r() * (model.length + 4)) - 2;
      switch (op) {
        case 0:
          l.pushHead(v);
          model.unshift(v);
          break;
        case 1:
          l.pushTail(v);
          model.push(v);
          break;
        case 2:
          strictEqual(l.popHead(), model.shift());
          break;
        case 3:
          strictEqual(l.popTail(), model.pop());
          break;
        case 4: {
          const i = idx < 0 ? model.length + idx : idx;
          strictEqual(l.index(idx), i >= 0 && i < model.length ? model[i] : undefined);
          break;
        }
        case 5: {
          const i = idx < 0 ? model.length + idx : idx;
          const inside = i >= 0 && i < model.length;
          strictEqual(l.set(idx, v), inside);
          if (inside) model[i] = v;
          break;
        }
        case 6: {
          const pivot = model[Math.floor(r() * model.length)] ?? "none";
          const after = r() < 0.5;
          const at = model.indexOf(pivot);
          strictEqual(l.insert(pivot, v, after), at >= 0);
          if (at >= 0) model.splice(after ? at + 1 : at, 0, v);
          break;
        }
        case 7: {
          const target = model[Math.floor(r() * model.length)] ?? "none";
          const count = Math.floor(r() * 5) - 2;
          let expected = 0;
          if (count >= 0) {
            for (let i = 0; i < model.length; i++) {
              if (model[i] === target && (count === 0 || expected < count)) {
                model.splice(i--, 1);
                expected++;
              }
            }
          } else {
            for (let i = model.length - 1; i >= 0; i--) {
              if (model[i] === target && expected < -count) {
                model.splice(i, 1);
                expected++;
              }
            }
          }
          strictEqual(l.remove(target, count), expected);
          break;
        }
        case 8: {
          const a = Math.floor(r() * 3);
          const b = Math.floor(r() * 3);
          l.trimHead(a);
          l.trimTail(b);
          model.splice(0, a);
          model.splice(Math.max(0, model.length - b), b);
          break;
        }
        case 9: {
          if (model.length === 0) break;
          const s = Math.floor(r() * model.length);
          const e = s + Math.floor(r() * (model.length - s));
          deepStrictEqual(l.slice(s, e), model.slice(s, e + 1));
          break;
        }
        default:
          deepStrictEqual(l.clone().slice(0, l.length - 1), model);
      }
      if (step % 250 === 0) checkSame(l, model, `step ${step}`);
    }
    checkSame(l, model, "end");
  });
}

Deno.test("list nodes follow list-max-listpack-size", () => {
  const byCount = ListValue.from(Array.from({ length: 10 }, (_, i) => `e${i}`), { fill: 3 });
  strictEqual(byCount.nodeCount, 4);
  // 8 KB nodes: 100-byte strings take 102 bytes each, so 80 fit next to the 7-byte header.
  const bySize = ListValue.from(Array.from({ length: 200 }, () => "y".repeat(100)));
  strictEqual(bySize.nodeCount, 3);
  // The fill may come from the server configuration.
  const config = { getNumber: (name: string) => name === "list-max-listpack-size" ? 2 : 0 };
  strictEqual(ListValue.from(["a", "b", "c"], config).nodeCount, 2);
  strictEqual(new ListValue().encoding(), "quicklist");
  strictEqual(new ListValue().type, "list");
});

Deno.test("elements above the packed threshold get nodes of their own", () => {
  setPackedThreshold(10);
  try {
    const l = ListValue.from(["a", "x".repeat(10), "b", "c"]);
    strictEqual(l.nodeCount, 3);
    l.set(3, "y".repeat(20));
    strictEqual(l.nodeCount, 4);
    deepStrictEqual([...l.items()], ["a", "x".repeat(10), "b", "y".repeat(20)]);
  } finally {
    setPackedThreshold(0);
  }
  strictEqual(setPackedThreshold(2 ** 32), false);
});

Deno.test("listpack entry sizes follow the listpack encodings", () => {
  strictEqual(listpackEntrySize("7"), 2);
  strictEqual(listpackEntrySize("-1"), 3);
  strictEqual(listpackEntrySize("1000"), 3);
  strictEqual(listpackEntrySize("100000"), 5);
  strictEqual(listpackEntrySize("9223372036854775807"), 10);
  strictEqual(listpackEntrySize("9223372036854775808"), 21);
  strictEqual(listpackEntrySize("007"), 5);
  strictEqual(listpackEntrySize("abc"), 5);
  strictEqual(listpackEntrySize("a".repeat(200)), 204);
});

Deno.test("clone copies deeply and iteration helpers agree", () => {
  const l = ListValue.from(["a", "b", "c"], { fill: 2 });
  const copy = l.clone();
  copy.pushHead("z");
  l.popTail();
  deepStrictEqual([...copy.items()], ["z", "a", "b", "c"]);
  deepStrictEqual([...l.items()], ["a", "b"]);
  const seen: string[] = [];
  copy.visit((s) => {
    seen.push(s);
    return seen.length < 2;
  });
  deepStrictEqual(seen, ["z", "a"]);
  strictEqual(copy.count(), 4);
});

// --- commands over the wire -----------------------------------------------------------

async function withServer(
  fn: (s: TestServer, raw: RawClient) => Promise<void>,
  settings: Record<string, string> = {},
): Promise<void> {
  const s = startServer(settings);
  const raw = await RawClient.connect(s.port);
  try {
    await fn(s, raw);
  } finally {
    raw.close();
    await s.close();
  }
}

/** Sends `args` and checks the exact reply bytes. */
async function expectReply(raw: RawClient, args: string[], expected: string): Promise<void> {
  await raw.command(...args);
  strictEqual(await raw.read(expected), expected, args.join(" "));
}

const WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

Deno.test("push, pop, index and range replies are byte-exact", async () => {
  await withServer(async (_s, raw) => {
    await expectReply(raw, ["RPUSH", "l", "a", "b", "c"], ":3\r\n");
    await expectReply(raw, ["LPUSH", "l", "z"], ":4\r\n");
    await expectReply(raw, ["LPUSHX", "nokey", "a"], ":0\r\n");
    await expectReply(raw, ["RPUSHX", "l", "d", "e"], ":6\r\n");
    await expectReply(
      raw,
      ["LRANGE", "l", "0", "-1"],
      "*6\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
    );
    await expectReply(raw, ["LRANGE", "l", "-2", "100"], "*2\r\n$1\r\nd\r\n$1\r\ne\r\n");
    await expectReply(raw, ["LRANGE", "l", "3", "1"], "*0\r\n");
    await expectReply(raw, ["LINDEX", "l", "-1"], "$1\r\ne\r\n");
    await expectReply(raw, ["LINDEX", "l", "99"], "$-1\r\n");
    await expectReply(raw, ["LINDEX", "nokey", "x"], "$-1\r\n");
    await expectReply(
      raw,
      ["LINDEX", "l", "x"],
      "-ERR value is not an integer or out of range\r\n",
    );
    await expectReply(raw, ["LLEN", "l"], ":6\r\n");
    await expectReply(raw, ["LPOP", "l"], "$1\r\nz\r\n");
    await expectReply(raw, ["RPOP", "l", "2"], "*2\r\n$1\r\ne\r\n$1\r\nd\r\n");
    await expectReply(raw, ["LPOP", "l", "0"], "*0\r\n");
    await expectReply(raw, ["LPOP", "nokey"], "$-1\r\n");
    await expectReply(raw, ["LPOP", "nokey", "1"], "*-1\r\n");
    await expectReply(raw, ["LPOP", "l", "-1"], "-ERR value is out of range, must be positive\r\n");
    await expectReply(
      raw,
      ["LPOP", "l", "1", "1"],
      "-ERR wrong number of arguments for 'lpop' command\r\n",
    );
    await expectReply(raw, ["SET", "s", "x"], "+OK\r\n");
    for (const cmd of [["LPUSH", "s", "a"], ["LLEN", "s"], ["LRANGE", "s", "0", "1"]]) {
      await expectReply(raw, cmd, WRONGTYPE);
    }
    await expectReply(raw, ["OBJECT", "ENCODING", "l"], "$9\r\nquicklist\r\n");
    await expectReply(raw, ["TYPE", "l"], "+list\r\n");
  });
});

Deno.test("RESP3 null replies of pops and LPOS", async () => {
  await withServer(async (s) => {
    const raw = await RawClient.connect(s.port);
    try {
      await raw.command("HELLO", "3");
      // Skip the HELLO reply: read until the modules entry ends it.
      let hello = "";
      while (!hello.endsWith("modules\r\n*0\r\n")) hello += await raw.readBytes(1);
      await expectReply(raw, ["LPOP", "nokey"], "_\r\n");
      await expectReply(raw, ["LPOP", "nokey", "2"], "_\r\n");
      await expectReply(raw, ["LMPOP", "1", "nokey", "LEFT"], "_\r\n");
      await expectReply(raw, ["BLPOP", "nokey", "0.001"], "_\r\n");
      await expectReply(raw, ["RPUSH", "l", "a"], ":1\r\n");
      await expectReply(raw, ["LPOS", "l", "z"], "_\r\n");
      await expectReply(raw, ["LPOS", "l", "a", "COUNT", "0"], "*1\r\n:0\r\n");
    } finally {
      raw.close();
    }
  });
});

Deno.test("LSET, LTRIM, LREM and LINSERT edit lists and delete emptied keys", async () => {
  await withServer(async (_s, raw) => {
    await expectReply(raw, ["LSET", "nokey", "0", "x"], "-ERR no such key\r\n");
    await expectReply(raw, ["RPUSH", "l", "a", "b", "a", "c", "a"], ":5\r\n");
    await expectReply(raw, ["LSET", "l", "-1", "A"], "+OK\r\n");
    await expectReply(raw, ["LSET", "l", "5", "x"], "-ERR index out of range\r\n");
    await expectReply(raw, ["LREM", "l", "1", "a"], ":1\r\n");
    await expectReply(raw, ["LINSERT", "l", "BEFORE", "c", "q"], ":5\r\n");
    await expectReply(raw, ["LINSERT", "l", "AFTER", "zz", "q"], ":-1\r\n");
    await expectReply(raw, ["LINSERT", "l", "MIDDLE", "c", "q"], "-ERR syntax error\r\n");
    await expectReply(raw, ["LINSERT", "nokey", "AFTER", "c", "q"], ":0\r\n");
    await expectReply(
      raw,
      ["LRANGE", "l", "0", "-1"],
      "*5\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nq\r\n$1\r\nc\r\n$1\r\nA\r\n",
    );
    await expectReply(raw, ["LTRIM", "l", "1", "-2"], "+OK\r\n");
    await expectReply(raw, ["LRANGE", "l", "0", "-1"], "*3\r\n$1\r\na\r\n$1\r\nq\r\n$1\r\nc\r\n");
    await expectReply(raw, ["LTRIM", "l", "5", "1"], "+OK\r\n");
    await expectReply(raw, ["EXISTS", "l"], ":0\r\n");
    await expectReply(raw, ["RPUSH", "l", "x", "x"], ":2\r\n");
    await expectReply(raw, ["LREM", "l", "0", "x"], ":2\r\n");
    await expectReply(raw, ["EXISTS", "l"], ":0\r\n");
  });
});

Deno.test("LPOS honours RANK, COUNT and MAXLEN with Redis's errors", async () => {
  await withServer(async (_s, raw) => {
    await expectReply(raw, ["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"], ":8\r\n");
    await expectReply(raw, ["LPOS", "l", "c"], ":2\r\n");
    await expectReply(raw, ["LPOS", "l", "c", "RANK", "-1"], ":7\r\n");
    await expectReply(raw, ["LPOS", "l", "c", "COUNT", "0", "RANK", "2"], "*2\r\n:6\r\n:7\r\n");
    await expectReply(raw, ["LPOS", "l", "c", "COUNT", "2", "RANK", "-1"], "*2\r\n:7\r\n:6\r\n");
    await expectReply(raw, ["LPOS", "l", "c", "COUNT", "0", "MAXLEN", "3"], "*1\r\n:2\r\n");
    await expectReply(raw, ["LPOS", "l", "x"], "$-1\r\n");
    await expectReply(
      raw,
      ["LPOS", "l", "c", "RANK", "0"],
      "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... " +
        "or use negative to start from the end of the list\r\n",
    );
    await expectReply(raw, ["LPOS", "l", "c", "COUNT", "-1"], "-ERR COUNT can't be negative\r\n");
    await expectReply(raw, ["LPOS", "l", "c", "MAXLEN", "x"], "-ERR MAXLEN can't be negative\r\n");
    await expectReply(raw, ["LPOS", "l", "c", "FOO"], "-ERR syntax error\r\n");
    await expectReply(raw, ["LPOS", "nokey", "c", "COUNT", "1"], "*0\r\n");
  });
});

Deno.test("LMOVE, RPOPLPUSH and LMPOP move and pop across lists", async () => {
  await withServer(async (_s, raw) => {
    await expectReply(raw, ["RPUSH", "src", "a", "b", "c"], ":3\r\n");
    await expectReply(raw, ["LMOVE", "src", "dst", "LEFT", "RIGHT"], "$1\r\na\r\n");
    await expectReply(raw, ["RPOPLPUSH", "src", "dst"], "$1\r\nc\r\n");
    await expectReply(raw, ["LRANGE", "dst", "0", "-1"], "*2\r\n$1\r\nc\r\n$1\r\na\r\n");
    await expectReply(raw, ["LMOVE", "src", "src", "LEFT", "RIGHT"], "$1\r\nb\r\n");
    await expectReply(raw, ["LMOVE", "nokey", "dst", "LEFT", "LEFT"], "$-1\r\n");
    await expectReply(raw, ["LMOVE", "src", "dst", "UP", "LEFT"], "-ERR syntax error\r\n");
    await expectReply(raw, ["SET", "s", "x"], "+OK\r\n");
    await expectReply(raw, ["LMOVE", "src", "s", "LEFT", "LEFT"], WRONGTYPE);
    await expectReply(raw, ["LLEN", "src"], ":1\r\n");
    await expectReply(
      raw,
      ["LMPOP", "2", "nokey", "dst", "RIGHT", "COUNT", "5"],
      "*2\r\n$3\r\ndst\r\n*2\r\n$1\r\na\r\n$1\r\nc\r\n",
    );
    await expectReply(raw, ["EXISTS", "dst"], ":0\r\n");
    await expectReply(raw, ["LMPOP", "1", "nokey", "LEFT"], "*-1\r\n");
    await expectReply(
      raw,
      ["LMPOP", "0", "l", "LEFT"],
      "-ERR numkeys should be greater than 0\r\n",
    );
    await expectReply(raw, ["LMPOP", "2", "l", "LEFT"], "-ERR syntax error\r\n");
    await expectReply(
      raw,
      ["LMPOP", "1", "l", "LEFT", "COUNT", "0"],
      "-ERR count should be greater than 0\r\n",
    );
    await expectReply(
      raw,
      ["LMPOP", "1", "l", "LEFT", "COUNT", "1", "COUNT", "1"],
      "-ERR syntax error\r\n",
    );
    await expectReply(raw, ["LMPOP", "2", "s", "src", "LEFT"], WRONGTYPE);
  });
});

Deno.test("COPY of a list is independent of the original", async () => {
  await withServer(async (s) => {
    const r = new Redis({ port: s.port, lazyConnect: true });
    await r.connect();
    try {
      await r.rpush("a", "1", "2", "3");
      strictEqual(await r.copy("a", "b"), 1);
      await r.rpush("b", "4");
      deepStrictEqual(await r.lrange("a", 0, -1), ["1", "2", "3"]);
      deepStrictEqual(await r.lrange("b", 0, -1), ["1", "2", "3", "4"]);
      strictEqual(await r.type("b"), "list");
    } finally {
      r.disconnect();
    }
  });
});

Deno.test("list commands emit Redis's keyspace events", async () => {
  await withServer(async (s) => {
    const r = new Redis({ port: s.port, lazyConnect: true });
    await r.connect();
    try {
      const events: string[] = [];
      s.server.keyspace.onEvent((cls, event, key) => {
        if (cls !== "n") events.push(`${event} ${key}`);
      });
      await r.rpush("l", "a", "b");
      await r.lset("l", 0, "A");
      await r.linsert("l", "AFTER", "A", "x");
      await r.lrem("l", 1, "x");
      await r.lrem("l", 1, "nothing");
      await r.ltrim("l", 0, -1);
      await r.lmove("l", "m", "LEFT", "RIGHT");
      await r.rpop("l");
      await r.lpop("m", 0);
      deepStrictEqual(events, [
        "rpush l",
        "lset l",
        "linsert l",
        "lrem l",
        "ltrim l",
        "rpush m",
        "lpop l",
        "rpop l",
        "del l",
      ]);
    } finally {
      r.disconnect();
    }
  });
});

// --- blocking --------------------------------------------------------------------------

/** Waits until `n` clients are blocked (INFO clients). */
async function waitBlocked(r: Redis, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const info = await r.info("clients");
    if (new RegExp(`blocked_clients:${n}\\r?\\n`).test(info)) return;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error(`never saw ${n} blocked clients`);
}

/** A connected ioredis client. */
async function client(port: number): Promise<Redis> {
  const r = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
  await r.connect();
  return r;
}

Deno.test("BLPOP is woken by an RPUSH from another client", async () => {
  await withServer(async (s) => {
    const [a, b] = await Promise.all([client(s.port), client(s.port)]);
    try {
      const pending = a.blpop("q", 0);
      await waitBlocked(b, 1);
      strictEqual(await b.rpush("q", "hello"), 1);
      deepStrictEqual(await pending, ["q", "hello"]);
      strictEqual(await b.exists("q"), 0);
      await waitBlocked(b, 0);
      // The woken client goes on with its next commands.
      strictEqual(await a.ping(), "PONG");
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
});

Deno.test("a blocking pop times out with a null reply", async () => {
  await withServer(async (s) => {
    const [a] = await Promise.all([client(s.port)]);
    try {
      const t0 = Date.now();
      strictEqual(await a.blpop("q", 0.05), null);
      ok(Date.now() - t0 >= 45);
      strictEqual(await a.brpoplpush("q", "d", 0.01), null);
      strictEqual(await a.call("BLMPOP", "0.01", "1", "q", "LEFT"), null);
    } finally {
      a.disconnect();
    }
  });
});

Deno.test("blocked clients are served first come, first served", async () => {
  await withServer(async (s) => {
    const [a, b, c, w] = await Promise.all([
      client(s.port),
      client(s.port),
      client(s.port),
      client(s.port),
    ]);
    try {
      const first = a.blpop("q", 0);
      await waitBlocked(w, 1);
      const second = b.brpop("q", 0);
      await waitBlocked(w, 2);
      const third = c.blpop("q", 0);
      await waitBlocked(w, 3);
      await w.rpush("q", "1", "2");
      deepStrictEqual(await first, ["q", "1"]);
      deepStrictEqual(await second, ["q", "2"]);
      await w.rpush("q", "3");
      deepStrictEqual(await third, ["q", "3"]);
    } finally {
      for (const r of [a, b, c, w]) r.disconnect();
    }
  });
});

Deno.test("a transaction wakes blocked clients only once it is complete", async () => {
  await withServer(async (s) => {
    const [a, w] = await Promise.all([client(s.port), client(s.port)]);
    try {
      const popped = a.blpop("q", 0);
      await waitBlocked(w, 1);
      await w.multi().lpush("q", "x").del("q").set("q", "str").exec();
      await w.del("q");
      await w.lpush("q", "a", "b", "c");
      deepStrictEqual(await popped, ["q", "c"]);
      // Inside MULTI a blocking command answers at once.
      const res = await w.multi().blpop("q", 0).blpop("q", 0).blpop("q", 0).exec();
      deepStrictEqual(res?.map(([, v]) => v), [["q", "b"], ["q", "a"], null]);
    } finally {
      a.disconnect();
      w.disconnect();
    }
  });
});

Deno.test("chained BLMOVEs settle before the next command", async () => {
  await withServer(async (s) => {
    const [a, b, w] = await Promise.all([client(s.port), client(s.port), client(s.port)]);
    try {
      const m1 = a.blmove("l1", "l2", "RIGHT", "LEFT", 0);
      await waitBlocked(w, 1);
      const m2 = b.blmove("l2", "l3", "LEFT", "RIGHT", 0);
      await waitBlocked(w, 2);
      await w.rpush("l1", "foo");
      deepStrictEqual(await w.lrange("l3", 0, -1), ["foo"]);
      strictEqual(await w.exists("l1", "l2"), 0);
      strictEqual(await m1, "foo");
      strictEqual(await m2, "foo");
    } finally {
      for (const r of [a, b, w]) r.disconnect();
    }
  });
});

Deno.test("BRPOPLPUSH to a wrong-type destination fails and keeps the element", async () => {
  await withServer(async (s) => {
    const [a, w] = await Promise.all([client(s.port), client(s.port)]);
    try {
      await w.set("dst", "x");
      const moved = a.brpoplpush("src", "dst", 0);
      await waitBlocked(w, 1);
      await w.rpush("src", "a", "b");
      await rejects(moved, /WRONGTYPE/);
      deepStrictEqual(await w.lrange("src", 0, -1), ["a", "b"]);
    } finally {
      a.disconnect();
      w.disconnect();
    }
  });
});

Deno.test("blocking timeouts are validated like Redis", async () => {
  await withServer(async (_s, raw) => {
    await expectReply(raw, ["BLPOP", "q", "-1"], "-ERR timeout is negative\r\n");
    await expectReply(
      raw,
      ["BLPOP", "q", "abc"],
      "-ERR timeout is not a float or out of range\r\n",
    );
    await expectReply(raw, ["BLPOP", "q", "inf"], "-ERR timeout is negative\r\n");
    await expectReply(
      raw,
      ["BLMPOP", "x", "1", "q", "LEFT", "COUNT", "0"],
      "-ERR count should be greater than 0\r\n",
    );
    await expectReply(
      raw,
      ["BLMOVE", "q", "d", "LEFT", "LEFT", "-2"],
      "-ERR timeout is negative\r\n",
    );
    await expectReply(raw, ["SET", "s", "x"], "+OK\r\n");
    await expectReply(raw, ["BLPOP", "q", "s", "0"], WRONGTYPE);
    // A timed-out BLMOVE answers a null array (a null bulk inside MULTI).
    await expectReply(raw, ["BLMOVE", "q", "d", "LEFT", "LEFT", "0.001"], "*-1\r\n");
    await expectReply(raw, ["MULTI"], "+OK\r\n");
    await expectReply(raw, ["BLMOVE", "q", "d", "LEFT", "LEFT", "0"], "+QUEUED\r\n");
    await expectReply(raw, ["BLPOP", "q", "0"], "+QUEUED\r\n");
    await expectReply(raw, ["EXEC"], "*2\r\n$-1\r\n*-1\r\n");
  });
});

Deno.test("a client that disconnects while blocked is forgotten", async () => {
  await withServer(async (s) => {
    const [w] = await Promise.all([client(s.port)]);
    const raw = await RawClient.connect(s.port);
    try {
      await raw.command("BLPOP", "q", "0");
      await waitBlocked(w, 1);
      raw.close();
      await waitBlocked(w, 0);
      await w.rpush("q", "kept");
      deepStrictEqual(await w.lrange("q", 0, -1), ["kept"]);
      ok(/flags=N/.test(await w.client("LIST") as string));
    } finally {
      w.disconnect();
    }
  });
});

Deno.test("input pipelined behind a blocking command runs after it is served", async () => {
  await withServer(async (s, raw) => {
    const [w] = await Promise.all([client(s.port)]);
    try {
      await raw.send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n");
      await waitBlocked(w, 1);
      ok(/flags=b/.test(await w.client("LIST") as string));
      await w.rpush("q", "v");
      const expected = "*2\r\n$1\r\nq\r\n$1\r\nv\r\n+PONG\r\n";
      strictEqual(await raw.read(expected), expected);
    } finally {
      w.disconnect();
    }
  });
});

Deno.test("a key moved into place by RENAME or SWAPDB wakes a blocked client", async () => {
  await withServer(async (s) => {
    const [a, w] = await Promise.all([client(s.port), client(s.port)]);
    try {
      const popped = a.blpop("dst", 0);
      await waitBlocked(w, 1);
      await w.rpush("tmp", "x", "y");
      await w.rename("tmp", "dst");
      deepStrictEqual(await popped, ["dst", "x"]);
      await a.select(9);
      const again = a.brpop("k", 5);
      await waitBlocked(w, 1);
      await w.select(1);
      await w.rpush("k", "hello");
      await w.swapdb(1, 9);
      deepStrictEqual(await again, ["k", "hello"]);
    } finally {
      a.disconnect();
      w.disconnect();
    }
  });
});

Deno.test("CLIENT UNBLOCK wakes a blocked pop as a timeout or with an error", async () => {
  await withServer(async (s) => {
    const [a, w] = await Promise.all([client(s.port), client(s.port)]);
    try {
      const id = await a.client("ID") as number;
      const first = a.blpop("q", 0);
      await waitBlocked(w, 1);
      strictEqual(await w.client("UNBLOCK", id), 1);
      strictEqual(await first, null);
      const second = a.call("BLMPOP", "0", "1", "q", "RIGHT");
      await waitBlocked(w, 1);
      strictEqual(await w.client("UNBLOCK", id, "ERROR"), 1);
      await rejects(second, /UNBLOCKED client unblocked via CLIENT UNBLOCK/);
      strictEqual(await w.client("UNBLOCK", id), 0);
      // Still usable, and still woken by pushes.
      const third = a.blpop("q", 0);
      await waitBlocked(w, 1);
      await w.lpush("q", "v");
      deepStrictEqual(await third, ["q", "v"]);
    } finally {
      a.disconnect();
      w.disconnect();
    }
  });
});
