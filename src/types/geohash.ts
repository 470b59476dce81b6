/**
 * Geohash math for the GEO commands, computed the way Redis 7.0 computes it so that scores,
 * decoded coordinates, distances and search results agree with it to the last bit.
 *
 * A position is a pair of cell indexes at some precision `step` (1..26): the latitude and the
 * longitude ranges are each cut into 2^step equal slices. The 52-bit score of a GEO member is
 * the two 26-step indexes interleaved, longitude bits in the odd positions and latitude bits
 * in the even ones, over Web Mercator's latitude range (±85.05112878). Cells are kept here as
 * the two indexes rather than as interleaved bits: an index can reach 2^step (a point exactly
 * on the upper edge, e.g. longitude 180), and interleaving that overflow bit would not fit a
 * double; scores are interleaved only at the end, with the one rounding Redis's
 * `(double)uint64_t` conversion makes.
 *
 * Searches cover a shape with the cell holding its centre plus the eight around it, at a step
 * estimated from the radius (Redis's `geohashCalculateAreasByShapeWGS84`), then filter the
 * candidates by exact distance (haversine on a sphere of radius 6372797.560856 m).
 *
 * @module
 */

/** Finest precision: 26 steps per axis, 52 bits in all. */
export const GEO_STEP_MAX = 26;
/** Latitude bounds of the stored (Web Mercator) range. */
export const GEO_LAT_MIN = -85.05112878;
/** Latitude bounds of the stored (Web Mercator) range. */
export const GEO_LAT_MAX = 85.05112878;
/** Longitude bounds. */
export const GEO_LONG_MIN = -180;
/** Longitude bounds. */
export const GEO_LONG_MAX = 180;
/** Earth radius used for distances, in meters. */
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
/** Half the Mercator projection's width, in meters (step estimation). */
export const MERCATOR_MAX = 20037726.37;

const D_R = Math.PI / 180.0;

/** Degrees to radians, as Redis computes it. */
export function degRad(ang: number): number {
  return ang * D_R;
}

/** Radians to degrees, as Redis computes it. */
export function radDeg(ang: number): number {
  return ang / D_R;
}

/** A closed interval of one coordinate. */
export interface GeoRange {
  /** Lower bound. */
  min: number;
  /** Upper bound. */
  max: number;
}

/** Longitude range of geohashes. */
export const LONG_RANGE: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
/** Latitude range of stored scores (Web Mercator). */
export const LAT_RANGE: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** Latitude range of the standard geohash strings GEOHASH replies with. */
export const LAT_RANGE_STANDARD: GeoRange = { min: -90, max: 90 };

/**
 * A cell: its latitude and longitude indexes at precision `step`. Step 0 marks a discarded
 * neighbour (Redis's zeroed hash).
 */
export interface GeoCell {
  /** Latitude index (normally below 2^step; 2^step on the upper edge). */
  lat: number;
  /** Longitude index. */
  lon: number;
  /** Precision, 1..26 (0: none). */
  step: number;
}

/** A cell's bounds in degrees. */
export interface GeoArea {
  /** Longitude bounds. */
  lon: GeoRange;
  /** Latitude bounds. */
  lat: GeoRange;
}

/**
 * The cell holding (`lon`, `lat`) at `step` over the given ranges, or null when the point
 * lies outside them or outside the Mercator limits (Redis's `geohashEncode` failing).
 */
export function encode(
  lonRange: GeoRange,
  latRange: GeoRange,
  lon: number,
  lat: number,
  step: number,
): GeoCell | null {
  if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) {
    return null;
  }
  if (lat < latRange.min || lat > latRange.max || lon < lonRange.min || lon > lonRange.max) {
    return null;
  }
  const scale = 2 ** step;
  const latOffset = (lat - latRange.min) / (latRange.max - latRange.min) * scale;
  const lonOffset = (lon - lonRange.min) / (lonRange.max - lonRange.min) * scale;
  return { lat: Math.trunc(latOffset), lon: Math.trunc(lonOffset), step };
}

/** The 26-step Mercator-range cell of a point (what GEOADD stores), or null if out of range. */
export function encodeWGS84(lon: number, lat: number, step = GEO_STEP_MAX): GeoCell | null {
  return encode(LONG_RANGE, LAT_RANGE, lon, lat, step);
}

/** Bit `i` of `x` spread to bit `2i` (the 16 low bits of `x`); the result fits 32 bits. */
function spread16(x: number): number {
  x &= 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** The even bits of the 32-bit word `x`, packed into 16 bits. */
function squash32(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** The interleaved bits of indexes up to 32 bits, as 32-bit words `[high, low]`. */
function interleave(lat: number, lon: number): [number, number] {
  const lo = (spread16(lat) | (spread16(lon) << 1)) >>> 0;
  const hi = (spread16(lat >>> 16) | (spread16(lon >>> 16) << 1)) >>> 0;
  return [hi, lo];
}

/**
 * The cell's 52-bit-aligned hash (Redis's `geohashAlign52Bits`) as a double, rounded to
 * nearest like C's uint64 to double conversion when it does not fit 53 bits.
 */
export function align52(cell: GeoCell): number {
  const shift = GEO_STEP_MAX - cell.step;
  // Shifting each index by (26 - step) shifts the interleaved bits by 2 * (26 - step).
  const [hi, lo] = interleave(cell.lat * 2 ** shift, cell.lon * 2 ** shift);
  return hi * 2 ** 32 + lo;
}

/** The cell's 52-bit-aligned hash as an exact decimal integer (the score GEOADD passes ZADD). */
export function align52Text(cell: GeoCell): string {
  const shift = GEO_STEP_MAX - cell.step;
  const [hi, lo] = interleave(cell.lat * 2 ** shift, cell.lon * 2 ** shift);
  return String((BigInt(hi) << 32n) | BigInt(lo));
}

const TWO_32 = 2 ** 32;
const TWO_63 = 2 ** 63;

/**
 * A score as the 64-bit words `[high, low]` of C's `(uint64_t)score` on x86-64: truncation,
 * negative values wrapping around, and 0 or 2^63 for what does not convert.
 */
function scoreWords(score: number): [number, number] {
  if (score >= 0 && score < TWO_63 * 2) {
    const t = Math.trunc(score);
    const hi = Math.floor(t / TWO_32);
    return [hi, t - hi * TWO_32];
  }
  if (score >= TWO_63 * 2) return [0, 0]; // out of range above 2^63 goes through 2^63 and back
  if (score >= -TWO_63) {
    const u = BigInt.asUintN(64, BigInt(Math.trunc(score)));
    return [Number(u >> 32n), Number(u & 0xffffffffn)];
  }
  return [0x80000000, 0];
}

/** The 26-step cell a sorted set score stands for (any score, as Redis decodes it). */
export function cellOfScore(score: number): GeoCell {
  const [hi, lo] = scoreWords(score);
  const lat = squash32(hi) * 0x10000 + squash32(lo);
  const lon = squash32(hi >>> 1) * 0x10000 + squash32(lo >>> 1);
  return { lat, lon, step: GEO_STEP_MAX };
}

/** The bounds of `cell` over the given ranges (Redis's `geohashDecode`). */
export function decode(lonRange: GeoRange, latRange: GeoRange, cell: GeoCell): GeoArea {
  const scale = 2 ** cell.step;
  const latScale = latRange.max - latRange.min;
  const lonScale = lonRange.max - lonRange.min;
  // The indexes are 32-bit in Redis: index + 1 wraps there.
  const lat1 = (cell.lat + 1) >>> 0;
  const lon1 = (cell.lon + 1) >>> 0;
  return {
    lat: {
      min: latRange.min + (cell.lat / scale) * latScale,
      max: latRange.min + (lat1 / scale) * latScale,
    },
    lon: {
      min: lonRange.min + (cell.lon / scale) * lonScale,
      max: lonRange.min + (lon1 / scale) * lonScale,
    },
  };
}

/** The centre of `area`, clamped into the valid range: `[lon, lat]`. */
export function areaCentre(area: GeoArea): [number, number] {
  let lon = (area.lon.min + area.lon.max) / 2;
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  let lat = (area.lat.min + area.lat.max) / 2;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  return [lon, lat];
}

/** The `[lon, lat]` a GEO member's score decodes to (the centre of its cell). */
export function scoreToLonLat(score: number): [number, number] {
  return areaCentre(decode(LONG_RANGE, LAT_RANGE, cellOfScore(score)));
}

const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";

/**
 * The 11-character geohash string GEOHASH replies with for a score: the point re-encoded
 * over the standard latitude range (±90), its first 50 bits in base32, then `0`.
 */
export function geohashString(score: number): string {
  const [lon, lat] = scoreToLonLat(score);
  const cell = encode(LONG_RANGE, LAT_RANGE_STANDARD, lon, lat, GEO_STEP_MAX) ??
    { lat: 0, lon: 0, step: GEO_STEP_MAX };
  let out = "";
  for (let i = 0; i < 10; i++) {
    let idx = 0;
    for (let b = 0; b < 5; b++) {
      const p = 51 - i * 5 - b; // interleaved bit position, most significant first
      const bit = p & 1 ? (cell.lon >>> ((p - 1) / 2)) & 1 : (cell.lat >>> (p / 2)) & 1;
      idx = (idx << 1) | bit;
    }
    out += BASE32[idx];
  }
  return out + "0";
}

/** Distance in meters along a meridian between two latitudes. */
export function latDistance(lat1: number, lat2: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2) - degRad(lat1));
}

/** Haversine distance in meters between two points given in degrees. */
export function distance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const lon1r = degRad(lon1);
  const lon2r = degRad(lon2);
  const v = Math.sin((lon2r - lon1r) / 2);
  // Same longitude: the formula reduces to the latitude difference.
  if (v === 0) return latDistance(lat1, lat2);
  const lat1r = degRad(lat1);
  const lat2r = degRad(lat2);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/** A search shape: a circle (radius) or a box (width, height), with its centre. */
export type GeoShape =
  & {
    /** Centre longitude. */
    lon: number;
    /** Centre latitude. */
    lat: number;
    /** Meters per unit of the shape's dimensions (1, 1000, 0.3048 or 1609.34). */
    conversion: number;
  }
  & ({ type: "radius"; radius: number } | { type: "box"; width: number; height: number });

/**
 * The distance in meters from the shape's centre to (`lon`, `lat`) when the point is inside
 * the shape, else null. A box is measured along its centre's parallel and meridian.
 */
export function distanceInShape(shape: GeoShape, lon: number, lat: number): number | null {
  if (shape.type === "radius") {
    const d = distance(shape.lon, shape.lat, lon, lat);
    return d > shape.radius * shape.conversion ? null : d;
  }
  const height = shape.height * shape.conversion;
  const width = shape.width * shape.conversion;
  if (latDistance(lat, shape.lat) > height / 2) return null;
  if (distance(lon, lat, shape.lon, lat) > width / 2) return null;
  return distance(shape.lon, shape.lat, lon, lat);
}

/** Precision whose cells are about as large as `rangeMeters` at latitude `lat`. */
export function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return GEO_STEP_MAX;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2; // so that the range is included in most cases
  // Cells narrow towards the poles.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  return Math.min(GEO_STEP_MAX, Math.max(1, step));
}

/** The shape's bounding box in degrees: `[minLon, minLat, maxLon, maxLat]`. */
export function boundingBox(shape: GeoShape): [number, number, number, number] {
  const { lon, lat } = shape;
  const halfHeight = shape.type === "radius" ? shape.radius : shape.height / 2;
  const halfWidth = shape.type === "radius" ? shape.radius : shape.width / 2;
  const height = shape.conversion * halfHeight;
  const width = shape.conversion * halfWidth;
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat + latDelta)));
  const lonDeltaBottom = radDeg(
    width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(lat - latDelta)),
  );
  // The parallel nearer the pole is the shorter one, so it needs the wider longitude span.
  const delta = lat < 0 ? lonDeltaBottom : lonDeltaTop;
  return [lon - delta, lat - latDelta, lon + delta, lat + latDelta];
}

/** `cell` moved by `dLon` and `dLat` cells, wrapping around each axis. */
function move(cell: GeoCell, dLon: number, dLat: number): GeoCell {
  const mask = 2 ** cell.step - 1;
  return {
    lon: dLon === 0 ? cell.lon : (cell.lon + dLon) & mask,
    lat: dLat === 0 ? cell.lat : (cell.lat + dLat) & mask,
    step: cell.step,
  };
}

const NONE: GeoCell = { lat: 0, lon: 0, step: 0 };

/**
 * The cells to scan for `shape`, in Redis's order: centre, north, south, east, west,
 * north-east, north-west, south-east, south-west. Neighbours the shape cannot reach have
 * step 0 and are to be skipped.
 */
export function searchCells(shape: GeoShape): GeoCell[] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  const radiusMeters = (shape.type === "radius" ? shape.radius : Math.sqrt(
    (shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2),
  )) *
    shape.conversion;
  let steps = estimateStepsByRadius(radiusMeters, shape.lat);
  let centre = encode(LONG_RANGE, LAT_RANGE, shape.lon, shape.lat, steps) ??
    { lat: 0, lon: 0, step: steps };
  // Near a cell's edge the estimated step may leave part of the shape outside the nine
  // cells: then one step coarser.
  const north = decode(LONG_RANGE, LAT_RANGE, move(centre, 0, 1));
  const south = decode(LONG_RANGE, LAT_RANGE, move(centre, 0, -1));
  const east = decode(LONG_RANGE, LAT_RANGE, move(centre, 1, 0));
  const west = decode(LONG_RANGE, LAT_RANGE, move(centre, -1, 0));
  const decrease = north.lat.max < maxLat || south.lat.min > minLat || east.lon.max < maxLon ||
    west.lon.min > minLon;
  if (steps > 1 && decrease) {
    steps--;
    centre = encode(LONG_RANGE, LAT_RANGE, shape.lon, shape.lat, steps) ??
      { lat: 0, lon: 0, step: steps };
  }
  const area = decode(LONG_RANGE, LAT_RANGE, centre);
  // [dLon, dLat] of each cell, in scan order.
  const offsets: [number, number][] = [
    [0, 0],
    [0, 1],
    [0, -1],
    [1, 0],
    [-1, 0],
    [1, 1],
    [-1, 1],
    [1, -1],
    [-1, -1],
  ];
  const cells = offsets.map(([x, y]) => move(centre, x, y));
  if (steps >= 2) {
    // Drop the neighbours on sides the shape does not reach past the centre cell.
    const dropSouth = area.lat.min < minLat;
    const dropNorth = area.lat.max > maxLat;
    const dropWest = area.lon.min < minLon;
    const dropEast = area.lon.max > maxLon;
    for (let i = 1; i < 9; i++) {
      const [x, y] = offsets[i]!;
      if (
        (dropSouth && y < 0) || (dropNorth && y > 0) || (dropWest && x < 0) ||
        (dropEast && x > 0)
      ) cells[i] = NONE;
    }
  }
  return cells;
}

/** The score range `[min, max)` of the members inside `cell`. */
export function cellScoreRange(cell: GeoCell): [number, number] {
  const shift = GEO_STEP_MAX - cell.step;
  const min = align52(cell);
  // The next cell in interleaved order: the interleaved bits plus one.
  const [hi, lo] = interleave(cell.lat * 2 ** shift, cell.lon * 2 ** shift);
  const exact = (BigInt(hi) << 32n) + BigInt(lo) + (1n << BigInt(2 * shift));
  return [min, Number(exact)];
}

/**
 * Formats `v` exactly like C's `printf("%.<digits>f")` (glibc: the exact binary value,
 * rounded half to even).
 */
export function formatFixed(v: number, digits: number): string {
  if (!Number.isFinite(v)) return v > 0 ? "inf" : v < 0 ? "-inf" : "nan";
  const neg = v < 0 || Object.is(v, -0);
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(v));
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let e2: number;
  if (expBits === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = expBits - 1075;
  }
  // |v| = mant * 2^e2; scaled = round(|v| * 10^digits).
  let q: bigint;
  const num = mant * 10n ** BigInt(digits);
  if (e2 >= 0) q = num << BigInt(e2);
  else {
    const den = 1n << BigInt(-e2);
    q = num / den;
    const r2 = (num % den) * 2n;
    if (r2 > den || (r2 === den && (q & 1n) === 1n)) q++;
  }
  let s = q.toString();
  if (digits > 0) {
    s = s.padStart(digits + 1, "0");
    s = s.slice(0, s.length - digits) + "." + s.slice(s.length - digits);
  }
  return (neg ? "-" : "") + s;
}

/**
 * A coordinate as Redis replies with it (`addReplyHumanLongDouble`): `%.17Lf` of the exact
 * value with trailing zeros (and a trailing dot) removed, `-0` shown as `0`.
 */
export function formatCoordinate(v: number): string {
  let s = formatFixed(v, 17);
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s === "-0" ? "0" : s;
}
