/**
 * Geospatial commands (the `geo` group): GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH,
 * GEOSEARCHSTORE and the deprecated GEORADIUS family. A geo index is a sorted set whose scores
 * are 52-bit geohashes (src/types/geohash.ts); GEOADD is ZADD with encoded scores (and is
 * propagated as that ZADD), searches scan the cells around the shape and filter by distance,
 * all with Redis 7.0's argument rules, error texts and reply formats.
 *
 * @module
 */
import { parseScore, type ScoreRange, ZSetValue } from "../types/zset.ts";
import { pqsort } from "../types/pqsort.ts";
import {
  align52Text,
  cellScoreRange,
  distance,
  distanceInShape,
  encodeWGS84,
  formatCoordinate,
  formatFixed,
  GEO_LAT_MAX,
  GEO_LAT_MIN,
  GEO_LONG_MAX,
  GEO_LONG_MIN,
  geohashString,
  type GeoShape,
  scoreToLonLat,
  searchCells,
} from "../types/geohash.ts";
import { int64Arg, isToken, readTyped, written } from "./args.ts";
import type { Client } from "./context.ts";
import { type ArgSpec, type CommandSpec, Errors, ReplyError } from "./spec.ts";
import { zaddCommand } from "./zsets.ts";

const UNIT_ERROR = "ERR unsupported unit provided. please use M, KM, FT, MI";
const MEMBER_ERROR = "ERR could not decode requested zset member";

/** Meters per unit (`m`, `km`, `ft`, `mi`, any case), or the unsupported-unit error. */
function unitArg(s: string): number {
  const u = s.toLowerCase();
  if (u === "m") return 1;
  if (u === "km") return 1000;
  if (u === "ft") return 0.3048;
  if (u === "mi") return 1609.34;
  throw new ReplyError(UNIT_ERROR);
}

/** A double argument as Redis's `getDoubleFromObjectOrReply` parses it. */
function doubleArg(s: string, message: string = Errors.notFloat): number {
  const v = parseScore(s);
  if (v === null) throw new ReplyError(message);
  return v;
}

/** C's `%f`. */
function f6(v: number): string {
  return formatFixed(v, 6);
}

/** A longitude, latitude pair at `argv[i]`, checked against the indexable range. */
function lonLatArg(argv: string[], i: number): [number, number] {
  const lon = doubleArg(argv[i]!);
  const lat = doubleArg(argv[i + 1]!);
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    throw new ReplyError(`ERR invalid longitude,latitude pair ${f6(lon)},${f6(lat)}`);
  }
  return [lon, lat];
}

/** A radius and its unit at `argv[i]`: `[radius, meters per unit]`. */
function radiusArg(argv: string[], i: number): [number, number] {
  const r = doubleArg(argv[i]!, "ERR need numeric radius");
  if (r < 0) throw new ReplyError("ERR radius cannot be negative");
  return [r, unitArg(argv[i + 1]!)];
}

/** A box's width, height and unit at `argv[i]`: `[width, height, meters per unit]`. */
function boxArg(argv: string[], i: number): [number, number, number] {
  const w = doubleArg(argv[i]!, "ERR need numeric width");
  const h = doubleArg(argv[i + 1]!, "ERR need numeric height");
  if (h < 0 || w < 0) throw new ReplyError("ERR height or width cannot be negative");
  return [w, h, unitArg(argv[i + 2]!)];
}

/** Where `member` of `z` lies, or null when it is not there. */
function memberLonLat(z: ZSetValue, member: string): [number, number] | null {
  const s = z.score(member);
  return s === undefined ? null : scoreToLonLat(s);
}

/** A coordinate reply: a bulk string in RESP2, a double in RESP3, same text. */
function replyCoordinate(c: Client, v: number): void {
  c.w.doubleText(formatCoordinate(v));
}

/** A distance reply: always a bulk string with 4 decimals. */
function replyDistance(c: Client, d: number): void {
  c.w.bulk(formatFixed(d, 4));
}

/** A score as C's `(long long)` cast (WITHHASH). */
function scoreAsInteger(score: number): number | bigint {
  const t = Math.trunc(score);
  if (Number.isSafeInteger(t)) return t;
  if (score >= -(2 ** 63) && score < 2 ** 63) return BigInt(t);
  return -(2n ** 63n);
}

// --- GEOADD / GEOPOS / GEODIST / GEOHASH -------------------------------------------------

/** GEOADD key [NX|XX] [CH] lon lat member ...: ZADD with encoded scores, propagated as such. */
function geoaddCommand(c: Client, argv: string[]): void {
  let nx = false;
  let xx = false;
  let idx = 2;
  for (; idx < argv.length; idx++) {
    const a = argv[idx]!;
    if (isToken(a, "nx")) nx = true;
    else if (isToken(a, "xx")) xx = true;
    else if (!isToken(a, "ch")) break;
  }
  if ((argv.length - idx) % 3 !== 0 || (xx && nx)) throw new ReplyError(Errors.syntax);
  const zargv = ["zadd", ...argv.slice(1, idx)];
  for (let i = idx; i < argv.length; i += 3) {
    const [lon, lat] = lonLatArg(argv, i);
    zargv.push(align52Text(encodeWGS84(lon, lat)!), argv[i + 2]!);
  }
  const ks = c.server.keyspace;
  const before = ks.writes;
  zaddCommand(c, zargv);
  if (ks.writes !== before) c.propagateAs(zargv);
}

/** GEOPOS key member ...: each member's coordinates, or a null array. */
function geoposCommand(c: Client, argv: string[]): void {
  const z = readTyped(c, argv[1]!, ZSetValue);
  const w = c.w;
  w.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const xy = z === undefined ? null : memberLonLat(z, argv[j]!);
    if (xy === null) {
      w.nullArray();
      continue;
    }
    w.array(2);
    replyCoordinate(c, xy[0]);
    replyCoordinate(c, xy[1]);
  }
}

/** GEODIST key member1 member2 [unit]. */
function geodistCommand(c: Client, argv: string[]): void {
  let toMeter = 1;
  if (argv.length === 5) toMeter = unitArg(argv[4]!);
  else if (argv.length > 5) throw new ReplyError(Errors.syntax);
  const z = readTyped(c, argv[1]!, ZSetValue);
  const a = z === undefined ? null : memberLonLat(z, argv[2]!);
  const b = z === undefined || a === null ? null : memberLonLat(z, argv[3]!);
  if (a === null || b === null) {
    c.w.nullBulk();
    return;
  }
  replyDistance(c, distance(a[0], a[1], b[0], b[1]) / toMeter);
}

/** GEOHASH key member ...: standard 11-character geohash strings. */
function geohashCommand(c: Client, argv: string[]): void {
  const z = readTyped(c, argv[1]!, ZSetValue);
  const w = c.w;
  w.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = z?.score(argv[j]!);
    if (s === undefined) w.nullBulk();
    else w.bulk(geohashString(s));
  }
}

// --- Searches ------------------------------------------------------------------------------

/** One search result. */
interface GeoPoint {
  member: string;
  /** Distance from the centre, in meters until the reply converts it. */
  dist: number;
  score: number;
  lon: number;
  lat: number;
}

/**
 * Members of `z` inside `shape`, in scan order (cell by cell, by score within a cell),
 * stopping once `limit` were found (0: no limit).
 */
function pointsInShape(z: ZSetValue, shape: GeoShape, limit: number): GeoPoint[] {
  const cells = searchCells(shape);
  const out: GeoPoint[] = [];
  let last = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (cell.step === 0) continue;
    // Huge radii make neighbours coincide: skip a cell equal to the one scanned last (as
    // Redis does, the centre cell is never compared).
    const prev = cells[last]!;
    if (last > 0 && cell.lat === prev.lat && cell.lon === prev.lon && cell.step === prev.step) {
      continue;
    }
    if (limit > 0 && out.length >= limit) break;
    const [min, max] = cellScoreRange(cell);
    const range: ScoreRange = { min, minex: false, max, maxex: true };
    const rank = z.firstInScoreRange(range);
    if (rank >= 0) {
      z.walk(rank, false, (member, score) => {
        if (score >= max) return false;
        const [lon, lat] = scoreToLonLat(score);
        const dist = distanceInShape(shape, lon, lat);
        if (dist !== null) out.push({ member, dist, score, lon, lat });
        return !(limit > 0 && out.length >= limit);
      });
    }
    last = i;
  }
  return out;
}

/** Ascending distance order. */
function byDistance(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}

/**
 * Which search command is running: GEORADIUS[_RO] (centre from coordinates),
 * GEORADIUSBYMEMBER[_RO] (centre from a member), GEOSEARCH / GEOSEARCHSTORE.
 */
type Kind = "radius" | "bymember" | "search";

/** The shared implementation of every search command. */
function searchGeneric(c: Client, argv: string[], kind: Kind, ro: boolean): void {
  const searchStore = kind === "search" && !ro;
  const src = argv[searchStore ? 2 : 1]!;
  const z = readTyped(c, src, ZSetValue);
  let lon = 0;
  let lat = 0;
  let conversion = 1;
  let radius = 0;
  let width = 0;
  let height = 0;
  let base: number;
  let storeKey: string | null = searchStore ? argv[1]! : null;
  if (kind === "radius") {
    base = 6;
    [lon, lat] = lonLatArg(argv, 2);
    [radius, conversion] = radiusArg(argv, 4);
  } else if (kind === "bymember") {
    base = 5;
    if (z !== undefined) {
      const xy = memberLonLat(z, argv[2]!);
      if (xy === null) throw new ReplyError(MEMBER_ERROR);
      [lon, lat] = xy;
      [radius, conversion] = radiusArg(argv, 3);
    }
  } else base = searchStore ? 3 : 2;

  let withDist = false;
  let withHash = false;
  let withCoord = false;
  let fromMember = false;
  let fromLonLat = false;
  let byRadius = false;
  let byBox = false;
  let sort: "none" | "asc" | "desc" = "none";
  let any = false;
  let count = 0;
  let storeDist = false;
  const search = kind === "search";
  const argc = argv.length;
  for (let i = base; i < argc; i++) {
    const arg = argv[i]!.toLowerCase();
    const left = argc - i - 1; // arguments after this one
    if (arg === "withdist") withDist = true;
    else if (arg === "withhash") withHash = true;
    else if (arg === "withcoord") withCoord = true;
    else if (arg === "any") any = true;
    else if (arg === "asc") sort = "asc";
    else if (arg === "desc") sort = "desc";
    else if (arg === "count" && left >= 1) {
      const n = int64Arg(argv[++i]!);
      if (n <= 0) throw new ReplyError("ERR COUNT must be > 0");
      count = Number(n);
    } else if ((arg === "store" || arg === "storedist") && left >= 1 && !ro && !search) {
      storeKey = argv[++i]!;
      storeDist = arg === "storedist";
    } else if (arg === "storedist" && searchStore) storeDist = true;
    else if (arg === "frommember" && left >= 1 && search && !fromLonLat) {
      const member = argv[++i]!;
      if (z !== undefined) {
        const xy = memberLonLat(z, member);
        if (xy === null) throw new ReplyError(MEMBER_ERROR);
        [lon, lat] = xy;
      }
      fromMember = true;
    } else if (arg === "fromlonlat" && left >= 2 && search && !fromMember) {
      [lon, lat] = lonLatArg(argv, i + 1);
      fromLonLat = true;
      i += 2;
    } else if (arg === "byradius" && left >= 2 && search && !byBox) {
      [radius, conversion] = radiusArg(argv, i + 1);
      byRadius = true;
      i += 2;
    } else if (arg === "bybox" && left >= 3 && search && !byRadius) {
      [width, height, conversion] = boxArg(argv, i + 1);
      byBox = true;
      i += 3;
    } else throw new ReplyError(Errors.syntax);
  }
  if (storeKey !== null && (withDist || withHash || withCoord)) {
    const what = searchStore ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS";
    throw new ReplyError(
      `ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`,
    );
  }
  if (search && !fromMember && !fromLonLat) {
    throw new ReplyError(
      `ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`,
    );
  }
  if (search && !byRadius && !byBox) {
    throw new ReplyError(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
  }
  if (any && count === 0) throw new ReplyError("ERR the ANY argument requires COUNT argument");

  if (z === undefined) {
    if (storeKey === null) c.w.array(0);
    else {
      if (c.db.delete(storeKey)) written(c, storeKey, "del", "g");
      c.w.int(0);
    }
    return;
  }
  // COUNT keeps the nearest members: it implies ASC unless ANY takes the first found.
  if (count !== 0 && sort === "none" && !any) sort = "asc";

  const shape: GeoShape = byBox
    ? { type: "box", lon, lat, conversion, width, height }
    : { type: "radius", lon, lat, conversion, radius };
  const points = pointsInShape(z, shape, any ? count : 0);
  const n = count === 0 || points.length < count ? points.length : count;
  if (sort !== "none") {
    const cmp = sort === "asc" ? byDistance : (a: GeoPoint, b: GeoPoint) => -byDistance(a, b);
    // A full sort is glibc's (stable) merge sort; keeping the first COUNT is Redis's partial
    // quicksort, whose order of equal distances only the same algorithm reproduces.
    if (n === points.length) points.sort(cmp);
    else pqsort(points, cmp, 0, n - 1);
  }

  if (storeKey !== null) {
    if (n > 0) {
      const pairs: [string, number][] = new Array(n);
      for (let i = 0; i < n; i++) {
        const p = points[i]!;
        pairs[i] = [p.member, storeDist ? p.dist / conversion : p.score];
      }
      c.db.set(storeKey, ZSetValue.from(pairs, c.server.config));
      written(c, storeKey, search ? "geosearchstore" : "georadiusstore", "z", n);
    } else if (c.db.delete(storeKey)) written(c, storeKey, "del", "g");
    c.w.int(n);
    return;
  }

  const w = c.w;
  const extra = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
  w.array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    if (extra === 0) {
      w.bulk(p.member);
      continue;
    }
    w.array(extra + 1);
    w.bulk(p.member);
    if (withDist) replyDistance(c, p.dist / conversion);
    if (withHash) w.int(scoreAsInteger(p.score));
    if (withCoord) {
      w.array(2);
      replyCoordinate(c, p.lon);
      replyCoordinate(c, p.lat);
    }
  }
}

function georadiusCommand(c: Client, argv: string[]): void {
  searchGeneric(c, argv, "radius", false);
}

function georadiusRoCommand(c: Client, argv: string[]): void {
  searchGeneric(c, argv, "radius", true);
}

function georadiusbymemberCommand(c: Client, argv: string[]): void {
  searchGeneric(c, argv, "bymember", false);
}

function georadiusbymemberRoCommand(c: Client, argv: string[]): void {
  searchGeneric(c, argv, "bymember", true);
}

function geosearchCommand(c: Client, argv: string[]): void {
  searchGeneric(c, argv, "search", true);
}

function geosearchstoreCommand(c: Client, argv: string[]): void {
  searchGeneric(c, argv, "search", false);
}

/**
 * Keys of GEORADIUS / GEORADIUSBYMEMBER: the source, then the keys after the first `STORE`
 * and the first `STOREDIST` from argument `from` on (the command's keyword key specs).
 */
function storeKeys(from: number): (argv: string[]) => number[] {
  return (argv) => {
    const out = [1];
    for (const kw of ["store", "storedist"]) {
      for (let i = from; i < argv.length; i++) {
        if (isToken(argv[i]!, kw)) {
          if (i + 1 < argv.length) out.push(i + 1);
          break;
        }
      }
    }
    return out;
  };
}

// --- Declarations ----------------------------------------------------------------------

/** A distance unit (M, KM, FT, MI), shared by every GEO command that takes one. */
const UNIT_ARG: ArgSpec = {
  name: "unit",
  type: "oneof",
  args: [
    { name: "m", type: "pure-token", token: "M" },
    { name: "km", type: "pure-token", token: "KM" },
    { name: "ft", type: "pure-token", token: "FT" },
    { name: "mi", type: "pure-token", token: "MI" },
  ],
};

/** `COUNT count [ANY]`; `anySince` where ANY came later than the command. */
function countArg(anySince?: string): ArgSpec {
  return {
    name: "count",
    type: "block",
    optional: true,
    args: [
      { name: "count", type: "integer", token: "COUNT" },
      {
        name: "any",
        type: "pure-token",
        token: "ANY",
        optional: true,
        ...(anySince ? { since: anySince } : {}),
      },
    ],
  };
}

const ORDER_ARG: ArgSpec = {
  name: "order",
  type: "oneof",
  optional: true,
  args: [
    { name: "asc", type: "pure-token", token: "ASC" },
    { name: "desc", type: "pure-token", token: "DESC" },
  ],
};

const WITH_ARGS: ArgSpec[] = [
  { name: "withcoord", type: "pure-token", token: "WITHCOORD", optional: true },
  { name: "withdist", type: "pure-token", token: "WITHDIST", optional: true },
  { name: "withhash", type: "pure-token", token: "WITHHASH", optional: true },
];

/** GEOSEARCH's `FROMMEMBER member | FROMLONLAT longitude latitude`. */
const FROM_ARG: ArgSpec = {
  name: "from",
  type: "oneof",
  args: [
    { name: "member", type: "string", token: "FROMMEMBER" },
    {
      name: "longitude_latitude",
      type: "block",
      token: "FROMLONLAT",
      args: [
        { name: "longitude", type: "double" },
        { name: "latitude", type: "double" },
      ],
    },
  ],
};

/** GEOSEARCH's `BYRADIUS radius unit | BYBOX width height unit`. */
const BY_ARG: ArgSpec = {
  name: "by",
  type: "oneof",
  args: [
    {
      name: "circle",
      type: "block",
      args: [{ name: "radius", type: "double", token: "BYRADIUS" }, UNIT_ARG],
    },
    {
      name: "box",
      type: "block",
      args: [
        { name: "width", type: "double", token: "BYBOX" },
        { name: "height", type: "double" },
        UNIT_ARG,
      ],
    },
  ],
};

/** The GEO command declarations. */
export const geoCommands: CommandSpec[] = [
  {
    name: "geoadd",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RW", "update"],
    group: "geo",
    since: "3.2.0",
    summary:
      "Add one or more geospatial items in the geospatial index represented using a sorted set",
    complexity:
      "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
    history: [
      ["6.2.0", "Added the `CH`, `NX` and `XX` options."],
    ],
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      {
        name: "condition",
        type: "oneof",
        optional: true,
        since: "6.2.0",
        args: [
          { name: "nx", type: "pure-token", token: "NX" },
          { name: "xx", type: "pure-token", token: "XX" },
        ],
      },
      { name: "change", type: "pure-token", token: "CH", optional: true, since: "6.2.0" },
      {
        name: "longitude_latitude_member",
        type: "block",
        multiple: true,
        args: [
          { name: "longitude", type: "double" },
          { name: "latitude", type: "double" },
          { name: "member", type: "string" },
        ],
      },
    ],
    run: geoaddCommand,
  },
  {
    name: "geodist",
    arity: -4,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "geo",
    since: "3.2.0",
    summary: "Returns the distance between two members of a geospatial index",
    complexity: "O(log(N))",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member1", type: "string" },
      { name: "member2", type: "string" },
      { ...UNIT_ARG, optional: true },
    ],
    run: geodistCommand,
  },
  {
    name: "geohash",
    arity: -2,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "geo",
    since: "3.2.0",
    summary: "Returns members of a geospatial index as standard geohash strings",
    complexity:
      "O(log(N)) for each member requested, where N is the number of elements in the sorted set.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", multiple: true },
    ],
    run: geohashCommand,
  },
  {
    name: "geopos",
    arity: -2,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "geo",
    since: "3.2.0",
    summary: "Returns longitude and latitude of members of a geospatial index",
    complexity: "O(N) where N is the number of members requested.",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string", multiple: true },
    ],
    run: geoposCommand,
  },
  {
    name: "georadius",
    arity: -6,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [
      { flags: ["RO", "access"], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      {
        flags: ["OW", "update"],
        begin: { keyword: "STORE", startFrom: 6 },
        find: { lastKey: 0, keyStep: 1, limit: 0 },
      },
      {
        flags: ["OW", "update"],
        begin: { keyword: "STOREDIST", startFrom: 6 },
        find: { lastKey: 0, keyStep: 1, limit: 0 },
      },
    ],
    group: "geo",
    since: "3.2.0",
    summary:
      "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point",
    complexity:
      "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
    deprecatedSince: "6.2.0",
    replacedBy: "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument",
    history: [
      ["6.2.0", "Added the `ANY` option for `COUNT`."],
      ["7.0.0", "Added support for uppercase unit names."],
    ],
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "longitude", type: "double" },
      { name: "latitude", type: "double" },
      { name: "radius", type: "double" },
      UNIT_ARG,
      ...WITH_ARGS,
      countArg("6.2.0"),
      ORDER_ARG,
      { name: "key", type: "key", token: "STORE", keySpecIndex: 1, optional: true },
      { name: "key", type: "key", token: "STOREDIST", keySpecIndex: 2, optional: true },
    ],
    getKeys: storeKeys(6),
    run: georadiusCommand,
  },
  {
    name: "georadius_ro",
    arity: -6,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "geo",
    since: "3.2.10",
    summary: "A read-only variant for GEORADIUS",
    complexity:
      "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
    deprecatedSince: "6.2.0",
    replacedBy: "`GEOSEARCH` with the `BYRADIUS` argument",
    history: [
      ["6.2.0", "Added the `ANY` option for `COUNT`."],
    ],
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "longitude", type: "double" },
      { name: "latitude", type: "double" },
      { name: "radius", type: "double" },
      UNIT_ARG,
      ...WITH_ARGS,
      countArg("6.2.0"),
      ORDER_ARG,
    ],
    run: georadiusRoCommand,
  },
  {
    name: "georadiusbymember",
    arity: -5,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 1, step: 1 },
    keySpecs: [
      { flags: ["RO", "access"], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      {
        flags: ["OW", "update"],
        begin: { keyword: "STORE", startFrom: 5 },
        find: { lastKey: 0, keyStep: 1, limit: 0 },
      },
      {
        flags: ["OW", "update"],
        begin: { keyword: "STOREDIST", startFrom: 5 },
        find: { lastKey: 0, keyStep: 1, limit: 0 },
      },
    ],
    group: "geo",
    since: "3.2.0",
    summary:
      "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member",
    complexity:
      "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
    deprecatedSince: "6.2.0",
    replacedBy: "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments",
    history: [
      ["7.0.0", "Added support for uppercase unit names."],
    ],
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string" },
      { name: "radius", type: "double" },
      UNIT_ARG,
      ...WITH_ARGS,
      countArg(),
      ORDER_ARG,
      { name: "key", type: "key", token: "STORE", keySpecIndex: 1, optional: true },
      { name: "key", type: "key", token: "STOREDIST", keySpecIndex: 2, optional: true },
    ],
    getKeys: storeKeys(5),
    run: georadiusbymemberCommand,
  },
  {
    name: "georadiusbymember_ro",
    arity: -5,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "geo",
    since: "3.2.10",
    summary: "A read-only variant for GEORADIUSBYMEMBER",
    complexity:
      "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
    deprecatedSince: "6.2.0",
    replacedBy: "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments",
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      { name: "member", type: "string" },
      { name: "radius", type: "double" },
      UNIT_ARG,
      ...WITH_ARGS,
      countArg(),
      ORDER_ARG,
    ],
    run: georadiusbymemberRoCommand,
  },
  {
    name: "geosearch",
    arity: -7,
    flags: ["readonly"],
    keys: { first: 1, last: 1, step: 1 },
    keyFlags: ["RO", "access"],
    group: "geo",
    since: "6.2.0",
    summary:
      "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.",
    complexity:
      "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape",
    history: [
      ["7.0.0", "Added support for uppercase unit names."],
    ],
    args: [
      { name: "key", type: "key", keySpecIndex: 0 },
      FROM_ARG,
      BY_ARG,
      ORDER_ARG,
      countArg(),
      ...WITH_ARGS,
    ],
    run: geosearchCommand,
  },
  {
    name: "geosearchstore",
    arity: -8,
    flags: ["write", "denyoom"],
    keys: { first: 1, last: 2, step: 1 },
    keySpecs: [
      { flags: ["OW", "update"], begin: { index: 1 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ["RO", "access"], begin: { index: 2 }, find: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    group: "geo",
    since: "6.2.0",
    summary:
      "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.",
    complexity:
      "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape",
    history: [
      ["7.0.0", "Added support for uppercase unit names."],
    ],
    args: [
      { name: "destination", type: "key", keySpecIndex: 0 },
      { name: "source", type: "key", keySpecIndex: 1 },
      FROM_ARG,
      BY_ARG,
      ORDER_ARG,
      countArg(),
      { name: "storedist", type: "pure-token", token: "STOREDIST", optional: true },
    ],
    run: geosearchstoreCommand,
  },
];
