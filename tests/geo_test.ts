/**
 * GEO: the geohash math (src/types/geohash.ts) and the partial quicksort at unit level, then
 * the commands through ioredis and a raw socket: replies byte for byte in RESP2 and RESP3,
 * searches checked against a brute-force scan on both sorted set encodings, STORE options,
 * keyspace events and propagation.
 *
 * @module
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { client, expectRaw, hello3, RawClient, recordEvents, startServer } from "./_server.ts";
import {
  align52,
  align52Text,
  cellOfScore,
  cellScoreRange,
  distance,
  distanceInShape,
  encodeWGS84,
  estimateStepsByRadius,
  formatCoordinate,
  formatFixed,
  geohashString,
  scoreToLonLat,
  searchCells,
} from "../src/types/geohash.ts";
import { pqsort } from "../src/types/pqsort.ts";

const PALERMO = 3479099956230698;
const CATANIA = 3479447370796909;
const WRONGTYPE = /WRONGTYPE Operation against a key holding the wrong kind of value/;

// --- Geohash math -------------------------------------------------------------------------

Deno.test("points encode to Redis's 52-bit scores, edges included", () => {
  strictEqual(align52(encodeWGS84(13.361389, 38.115556)!), PALERMO);
  strictEqual(align52(encodeWGS84(15.087269, 37.502669)!), CATANIA);
  strictEqual(align52(encodeWGS84(-180, -85.05112878)!), 0);
  // On the upper edges the index overflows into bits 52 and 53, as in Redis.
  strictEqual(align52Text(encodeWGS84(180, 85.05112878)!), "13510798882111488");
  // Past 2^53 the text keeps every bit; the double rounds like (double)uint64_t.
  const edge = encodeWGS84(180, 10.5)!;
  strictEqual(align52Text(edge), String(BigInt(align52Text({ ...edge, lon: 0 })) + (1n << 53n)));
  strictEqual(align52(edge), Number(BigInt(align52Text(edge))));
  strictEqual(encodeWGS84(180.0000001, 0), null);
  strictEqual(encodeWGS84(0, 85.051129), null);
});

Deno.test("scores decode to cell centres, garbage scores like a C cast", () => {
  const [lon, lat] = scoreToLonLat(PALERMO);
  strictEqual(formatCoordinate(lon), "13.36138933897018433");
  strictEqual(formatCoordinate(lat), "38.11555639549629859");
  deepStrictEqual(scoreToLonLat(13510798882111488), [180, 85.05112878]);
  deepStrictEqual(scoreToLonLat(0).map(formatCoordinate), [
    "-179.99999731779098511",
    "-85.05112751263942528",
  ]);
  // (uint64_t)1e20 is 0 on x86-64; (uint64_t)-5 wraps to all ones but two bits.
  deepStrictEqual(scoreToLonLat(1e20), scoreToLonLat(0));
  deepStrictEqual(scoreToLonLat(-5), [180, 85.05112878]);
  deepStrictEqual(cellOfScore(1.9), cellOfScore(1));
});

Deno.test("GEOHASH strings come from the standard-range re-encoding", () => {
  strictEqual(geohashString(PALERMO), "sqc8b49rny0");
  strictEqual(geohashString(CATANIA), "sqdtr74hyu0");
  strictEqual(geohashString(13510798882111488), "bp05b5048p0");
  strictEqual(geohashString(0), "00bh0hbj200");
  strictEqual(geohashString(align52(encodeWGS84(0, 0)!)), "s0000000000");
});

Deno.test("fixed-point formatting is exact and rounds half to even like glibc", () => {
  strictEqual(formatFixed(1.03125, 4), "1.0312");
  strictEqual(formatFixed(1.09375, 4), "1.0938");
  strictEqual(formatFixed(0.1, 20), "0.10000000000000000555");
  strictEqual(formatFixed(-0.00001, 4), "-0.0000");
  strictEqual(formatFixed(0, 4), "0.0000");
  strictEqual(formatFixed(123456789.5, 0), "123456790");
  strictEqual(formatFixed(5e-324, 4), "0.0000");
  strictEqual(formatFixed(2 ** 70, 1), "1180591620717411303424.0");
  strictEqual(formatCoordinate(85.05112878), "85.0511287799999991");
  strictEqual(formatCoordinate(180), "180");
  strictEqual(formatCoordinate(-1e-30), "0");
});

Deno.test("distances: haversine, and the latitude shortcut on a meridian", () => {
  const [x1, y1] = scoreToLonLat(PALERMO);
  const [x2, y2] = scoreToLonLat(CATANIA);
  strictEqual(formatFixed(distance(x1, y1, x2, y2), 4), "166274.1516");
  strictEqual(distance(x1, y1, x2, y2), distance(x2, y2, x1, y1));
  strictEqual(distance(10, 0, 10, 1), 6372797.560856 * (Math.PI / 180));
  strictEqual(distance(0, 0, 0, 0), 0);
  const box = { type: "box", lon: 0, lat: 0, conversion: 1000, width: 200, height: 100 } as const;
  ok(distanceInShape(box, 0.89, 0.44) !== null);
  strictEqual(distanceInShape(box, 0.91, 0), null);
  strictEqual(distanceInShape(box, 0, 0.46), null);
  const circle = { type: "radius", lon: 0, lat: 0, conversion: 1, radius: 1000 } as const;
  strictEqual(distanceInShape(circle, 0.01, 0), null);
  ok(distanceInShape(circle, 0.008, 0)! < 1000);
});

Deno.test("search cells: step estimate, scan order, edge and dedup rules", () => {
  strictEqual(estimateStepsByRadius(0, 0), 26);
  strictEqual(estimateStepsByRadius(100, 0), 17);
  strictEqual(estimateStepsByRadius(100, 70), 16);
  strictEqual(estimateStepsByRadius(100, -85), 15);
  strictEqual(estimateStepsByRadius(1e9, 0), 1);
  const cells = searchCells({ type: "radius", lon: 15, lat: 37, conversion: 1000, radius: 200 });
  strictEqual(cells.length, 9);
  const c = cells[0]!;
  const shifted = (dLon: number, dLat: number) =>
    cells.find((x) =>
      x.lon === c.lon + dLon &&
      x.lat === c.lat + dLat && x.step === c.step
    );
  // Any neighbour kept is where the order says: N, S, E, W, NE, NW, SE, SW.
  const order: [number, number][] = [[0, 1], [0, -1], [1, 0], [-1, 0], [1, 1], [-1, 1], [1, -1], [
    -1,
    -1,
  ]];
  order.forEach(([x, y], i) => {
    const cell = cells[i + 1]!;
    if (cell.step !== 0) strictEqual(shifted(x, y), cell);
  });
  // A cell's score range holds the scores of the points inside it.
  const [lon, lat] = scoreToLonLat(CATANIA);
  const cell = searchCells({ type: "radius", lon, lat, conversion: 1, radius: 100 })[0]!;
  const [min, max] = cellScoreRange(cell);
  ok(min <= CATANIA && CATANIA < max);
  strictEqual(max - min, 2 ** (2 * (26 - cell.step)));
  // Near longitude 180 the east neighbour wraps around to the west edge.
  const wrap = searchCells({ type: "radius", lon: 179.99, lat: 0, conversion: 1000, radius: 5 });
  ok(wrap.some((x) => x.step !== 0 && x.lon === 0));
});

Deno.test("pqsort orders the wanted range like a full sort", () => {
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + (trial % 97);
    const a = Array.from({ length: n }, (_, i) => ((i * 7919 + trial * 31) % 23) - 11);
    const full = [...a].sort((x, y) => x - y);
    const lo = trial % n;
    const hi = Math.min(n - 1, lo + (trial % 5));
    const b = [...a];
    pqsort(b, (x, y) => x - y, lo, hi);
    deepStrictEqual(b.slice(lo, hi + 1), full.slice(lo, hi + 1));
    deepStrictEqual([...b].sort((x, y) => x - y), full);
  }
});

// --- Commands -----------------------------------------------------------------------------

Deno.test("GEOADD, GEOPOS, GEODIST, GEOHASH through a client", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    strictEqual(
      await r.geoadd("Sicily", 13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania"),
      2,
    );
    strictEqual(await r.zscore("Sicily", "Palermo"), String(PALERMO));
    strictEqual(await r.geoadd("Sicily", "NX", "CH", 1, 1, "Palermo", 2, 2, "New"), 1);
    strictEqual(await r.geoadd("Sicily", "XX", "CH", 13.361389, 38.115556, "Palermo"), 0);
    strictEqual(await r.geoadd("Sicily", "XX", 1, 1, "Nobody"), 0);
    strictEqual(await r.zscore("Sicily", "Nobody"), null);
    deepStrictEqual(await r.geopos("Sicily", "Palermo", "nope"), [
      ["13.36138933897018433", "38.11555639549629859"],
      null,
    ]);
    strictEqual(await r.geodist("Sicily", "Palermo", "Catania"), "166274.1516");
    strictEqual(await r.geodist("Sicily", "Palermo", "Catania", "KM"), "166.2742");
    strictEqual(await r.geodist("Sicily", "Palermo", "Catania", "MI"), "103.3182");
    strictEqual(await r.geodist("Sicily", "Palermo", "nope"), null);
    strictEqual(await r.geodist("nokey", "a", "b"), null);
    deepStrictEqual(await r.geohash("Sicily", "Palermo", "Catania", "nope"), [
      "sqc8b49rny0",
      "sqdtr74hyu0",
      null,
    ]);
    await rejects(
      r.geoadd("Sicily", 200, 100, "x"),
      /^ReplyError: ERR invalid longitude,latitude pair 200.000000,100.000000$/,
    );
    await rejects(r.call("geoadd", "Sicily", "xx", "nx", "1", "1", "x"), /ERR syntax error/);
    await rejects(r.call("geoadd", "Sicily", "1", "1", "x", "2"), /ERR syntax error/);
    await rejects(
      r.call("geoadd", "Sicily", "gt", "1", "x", "2", "2", "y"),
      /ERR value is not a valid/,
    );
    await rejects(
      r.call("geodist", "Sicily", "a", "b", "yd"),
      /ERR unsupported unit provided. please use M, KM, FT, MI/,
    );
    await r.set("s", "v");
    await rejects(r.geoadd("s", 1, 1, "a"), WRONGTYPE);
    await rejects(r.geopos("s", "a"), WRONGTYPE);
    await rejects(r.geohash("s", "a"), WRONGTYPE);
    await rejects(r.geodist("s", "a", "b"), WRONGTYPE);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("GEO replies are byte-exact in RESP2 and RESP3", async () => {
  const t = startServer();
  const raw = await RawClient.connect(t.port);
  try {
    await expectRaw(
      raw,
      [
        "GEOADD",
        "Sicily",
        "13.361389",
        "38.115556",
        "Palermo",
        "15.087269",
        "37.502669",
        "Catania",
      ],
      ":2\r\n",
    );
    const pos = "*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n";
    await expectRaw(raw, ["GEOPOS", "Sicily", "Palermo", "x"], `*2\r\n${pos}*-1\r\n`);
    await expectRaw(
      raw,
      ["GEOHASH", "Sicily", "x", "Palermo"],
      "*2\r\n$-1\r\n$11\r\nsqc8b49rny0\r\n",
    );
    await expectRaw(raw, ["GEODIST", "Sicily", "Palermo", "x"], "$-1\r\n");
    const search = [
      "GEOSEARCH",
      "Sicily",
      "FROMLONLAT",
      "15",
      "37",
      "BYRADIUS",
      "200",
      "km",
      "ASC",
      "WITHCOORD",
      "WITHDIST",
      "WITHHASH",
    ];
    await expectRaw(
      raw,
      search,
      `*2\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:${CATANIA}\r\n` +
        "*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n" +
        `*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:${PALERMO}\r\n${pos}`,
    );
    await expectRaw(
      raw,
      ["GEOSEARCH", "nokey", "FROMMEMBER", "x", "BYBOX", "1", "1", "m"],
      "*0\r\n",
    );
    await hello3(raw);
    const pos3 = "*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n";
    await expectRaw(raw, ["GEOPOS", "Sicily", "Palermo", "x"], `*2\r\n${pos3}_\r\n`);
    await expectRaw(raw, ["GEOHASH", "Sicily", "x"], "*1\r\n_\r\n");
    await expectRaw(raw, ["GEODIST", "Sicily", "Palermo", "x"], "_\r\n");
    // Distances stay bulk strings in RESP3; coordinates become doubles.
    await expectRaw(raw, ["GEODIST", "Sicily", "Palermo", "Catania", "km"], "$8\r\n166.2742\r\n");
    await expectRaw(
      raw,
      ["GEORADIUSBYMEMBER", "Sicily", "Palermo", "1", "km", "WITHDIST", "WITHCOORD"],
      `*1\r\n*3\r\n$7\r\nPalermo\r\n$6\r\n0.0000\r\n${pos3}`,
    );
  } finally {
    raw.close();
    await t.close();
  }
});

Deno.test("search argument errors match Redis", async () => {
  const t = startServer();
  const r = await client(t);
  const fails = async (args: string[], re: RegExp) => {
    await rejects(r.call(args[0]!, ...args.slice(1)), re, args.join(" "));
  };
  try {
    await r.geoadd("g", 13.361389, 38.115556, "Palermo");
    const from = ["geosearch", "g", "fromlonlat", "15", "37"];
    await fails(
      [...from, "byradius", "1", "km", "count", "0"],
      /^ReplyError: ERR COUNT must be > 0$/,
    );
    await fails([...from, "byradius", "1", "km", "any"], /ERR the ANY argument requires COUNT/);
    await fails(
      [...from, "asc", "withdist"],
      /ERR exactly one of BYRADIUS and BYBOX can be specified for geosearch/,
    );
    await fails(
      ["GEOSEARCH", "g", "bybox", "1", "1", "km", "asc"],
      /ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH/,
    );
    await fails(
      ["geosearch", "g", "frommember", "x", "byradius", "1", "m"],
      /ERR could not decode requested zset member/,
    );
    await fails([...from, "byradius", "1", "km", "bybox", "1", "1", "km"], /ERR syntax error/);
    await fails([...from, "byradius", "-1", "km"], /ERR radius cannot be negative/);
    await fails([...from, "byradius", "x", "km"], /ERR need numeric radius/);
    await fails([...from, "bybox", "1", "-1", "km"], /ERR height or width cannot be negative/);
    await fails([...from, "bybox", "1", "1", "yd"], /ERR unsupported unit provided/);
    await fails([...from, "byradius", "1", "km", "store", "x"], /ERR syntax error/);
    await fails(
      ["geosearchstore", "d", "g", "fromlonlat", "15", "37", "byradius", "1", "km", "withdist"],
      /ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options/,
    );
    await fails(
      ["georadius", "g", "15", "37", "1", "km", "store", "d", "withhash"],
      /ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD/,
    );
    await fails(["georadius_ro", "g", "15", "37", "1", "km", "store", "d"], /ERR syntax error/);
    await fails(
      ["georadius", "g", "200", "37", "1", "km"],
      /ERR invalid longitude,latitude pair 200.000000,37.000000/,
    );
    // A missing key still validates the arguments, then answers empty.
    deepStrictEqual(await r.call("georadiusbymember", "nokey", "m", "-1", "km"), []);
    await fails(["georadiusbymember", "nokey", "m", "1", "km", "bad"], /ERR syntax error/);
    await r.set("s", "v");
    await fails(["geosearch", "s", "frommember", "x", "byradius", "1", "km", "bad"], WRONGTYPE);
  } finally {
    r.disconnect();
    await t.close();
  }
});

/** A deterministic pseudo-random sequence in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

for (const enc of ["listpack", "skiplist"] as const) {
  Deno.test(`searches find exactly the members a full scan finds (${enc})`, async () => {
    const t = startServer(enc === "skiplist" ? { "zset-max-listpack-entries": "0" } : {});
    const r = await client(t);
    try {
      const rand = rng(enc === "listpack" ? 7 : 11);
      const points: [number, number, string][] = [];
      for (let i = 0; i < 100; i++) {
        points.push([10 + (rand() - 0.5) * 4, 45 + (rand() - 0.5) * 4, `p${i}`]);
      }
      await r.geoadd("pts", ...points.flat());
      strictEqual(await r.object("ENCODING", "pts"), enc);
      const decoded = new Map<string, [number, number]>();
      for (const [, , m] of points) {
        decoded.set(m, scoreToLonLat(Number(await r.zscore("pts", m))));
      }
      for (let q = 0; q < 30; q++) {
        const lon = 10 + (rand() - 0.5) * 4;
        const lat = 45 + (rand() - 0.5) * 4;
        const km = 5 + rand() * 150;
        const box = q % 2 === 1;
        const shape = box
          ? { type: "box", lon, lat, conversion: 1000, width: km * 2, height: km } as const
          : { type: "radius", lon, lat, conversion: 1000, radius: km } as const;
        const expected = [...decoded].map(([m, [x, y]]) =>
          [m, distanceInShape(shape, x, y)] as const
        )
          .filter(([, d]) => d !== null).sort((a, b) => a[1]! - b[1]!).map(([m]) => m);
        const by = box
          ? ["BYBOX", String(km * 2), String(km), "km"]
          : ["BYRADIUS", String(km), "km"];
        const got = await r.call(
          "GEOSEARCH",
          "pts",
          "FROMLONLAT",
          String(lon),
          String(lat),
          ...by,
          "ASC",
        );
        deepStrictEqual(got, expected, `query ${q}`);
        if (expected.length > 2) {
          const top = await r.call(
            "GEOSEARCH",
            "pts",
            "FROMLONLAT",
            String(lon),
            String(lat),
            ...by,
            "COUNT",
            "2",
          );
          deepStrictEqual(top, expected.slice(0, 2));
          const anyTwo = await r.call(
            "GEOSEARCH",
            "pts",
            "FROMLONLAT",
            String(lon),
            String(lat),
            ...by,
            "COUNT",
            "2",
            "ANY",
          ) as string[];
          strictEqual(anyTwo.length, 2);
          ok(anyTwo.every((m) => expected.includes(m)));
        }
      }
    } finally {
      r.disconnect();
      await t.close();
    }
  });
}

Deno.test("STORE and STOREDIST write sorted sets, or delete the destination", async () => {
  const t = startServer();
  const r = await client(t);
  try {
    await r.geoadd("Sicily", 13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania");
    strictEqual(
      await r.call(
        "GEOSEARCHSTORE",
        "d",
        "Sicily",
        "FROMLONLAT",
        "15",
        "37",
        "BYRADIUS",
        "200",
        "km",
      ),
      2,
    );
    deepStrictEqual(await r.zrange("d", 0, -1, "WITHSCORES"), [
      "Palermo",
      String(PALERMO),
      "Catania",
      String(CATANIA),
    ]);
    await r.expire("d", 100);
    strictEqual(
      await r.call(
        "GEOSEARCHSTORE",
        "d",
        "Sicily",
        "FROMLONLAT",
        "15",
        "37",
        "BYRADIUS",
        "200",
        "km",
        "STOREDIST",
        "COUNT",
        "1",
      ),
      1,
    );
    deepStrictEqual(await r.zrange("d", 0, -1, "WITHSCORES"), ["Catania", "56.441257870158204"]);
    strictEqual(await r.ttl("d"), -1);
    strictEqual(await r.call("GEORADIUS", "Sicily", "15", "37", "200", "km", "STOREDIST", "d2"), 2);
    deepStrictEqual(await r.zrange("d2", 0, -1), ["Catania", "Palermo"]);
    strictEqual(
      await r.call("GEORADIUSBYMEMBER", "Sicily", "Palermo", "1", "km", "STORE", "d2"),
      1,
    );
    deepStrictEqual(await r.zrange("d2", 0, -1), ["Palermo"]);
    // Nothing found, or no source: the destination is deleted.
    strictEqual(await r.call("GEORADIUS", "Sicily", "0", "0", "1", "km", "STORE", "d2"), 0);
    strictEqual(await r.exists("d2"), 0);
    strictEqual(
      await r.call("GEOSEARCHSTORE", "d", "nokey", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"),
      0,
    );
    strictEqual(await r.exists("d"), 0);
  } finally {
    r.disconnect();
    await t.close();
  }
});

Deno.test("GEO keyspace events and propagation", async () => {
  const t = startServer();
  const events = recordEvents(t);
  const fed: string[] = [];
  t.server.persistence.feed.subscribe((ops) => {
    for (const op of ops) fed.push(op.argv.join(" "));
  });
  const r = await client(t);
  try {
    await r.geoadd("k", 13.361389, 38.115556, "Palermo");
    await r.call("GEOADD", "k", "NX", "CH", "1", "1", "Palermo"); // no change
    await r.call("GEOADD", "k", "ch", "15.087269", "37.502669", "Catania");
    await r.call("GEOSEARCHSTORE", "d", "k", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km");
    await r.call("GEORADIUS", "k", "15", "37", "200", "km", "STORE", "d2");
    await r.call("GEOSEARCHSTORE", "d", "k", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km");
    await r.call("GEOSEARCH", "k", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km");
    deepStrictEqual(events, [
      "zadd:k",
      "zadd:k",
      "geosearchstore:d",
      "georadiusstore:d2",
      "del:d",
    ]);
    deepStrictEqual(fed, [
      `zadd k ${PALERMO} Palermo`,
      `zadd k ch ${CATANIA} Catania`,
      "GEOSEARCHSTORE d k FROMLONLAT 15 37 BYRADIUS 200 km",
      "GEORADIUS k 15 37 200 km STORE d2",
      "GEOSEARCHSTORE d k FROMLONLAT 0 0 BYRADIUS 1 km",
    ]);
  } finally {
    r.disconnect();
    await t.close();
  }
});
