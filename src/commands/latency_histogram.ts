/**
 * The per-command latency histogram Redis 7.0 keeps (an HDR histogram of nanoseconds from 1
 * to 10^9 with 2 significant digits) and the two ways Redis reads it: LATENCY HISTOGRAM's
 * cumulative counts at powers of 2 from 1024 ns (a base-2 logarithmic iteration), and INFO
 * latencystats' percentiles. Only the counts array is kept; the layout is HDR's: 128
 * half-buckets of doubling resolution, so each value's slot is a few integer operations.
 *
 * @module
 */

/** Values below 256 ns are exact; above, a bucket doubles the range and the resolution. */
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_HALF_COUNT = 128;
const SUB_BUCKET_MASK = 255;
/** Slots needed up to 10^9 ns: 23 buckets of 256 values (the first counted whole). */
export const HISTOGRAM_SLOTS = (23 + 1) * SUB_BUCKET_HALF_COUNT;
/** Recorded values are clamped into [1, 10^9] ns, as Redis does. */
const MIN_NS = 1;
const MAX_NS = 1_000_000_000;

/** An empty histogram. */
export function newHistogram(): Int32Array {
  return new Int32Array(HISTOGRAM_SLOTS);
}

function bucketIndex(v: number): number {
  return 32 - Math.clz32(v | SUB_BUCKET_MASK) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
}

/** The slot of `v` ns (HDR's `counts_index_for`). */
export function slotOf(v: number): number {
  const b = bucketIndex(v);
  const sub = v >>> b;
  return ((b + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (sub - SUB_BUCKET_HALF_COUNT);
}

/** The lowest value of slot `i`. */
function slotValue(i: number): number {
  let b = (i >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let sub = (i & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (b < 0) {
    sub -= SUB_BUCKET_HALF_COUNT;
    b = 0;
  }
  return sub * 2 ** b;
}

/** The highest value equivalent to `v` (same slot). */
export function highestEquivalent(v: number): number {
  const b = bucketIndex(v);
  return slotValue(slotOf(v)) + 2 ** b - 1;
}

/** Records a call of `us` microseconds. */
export function recordMicros(h: Int32Array, us: number): void {
  let ns = us * 1000;
  if (ns < MIN_NS) ns = MIN_NS;
  else if (ns > MAX_NS) ns = MAX_NS;
  h[slotOf(ns)]!++;
}

/** Number of recorded values. */
export function totalCount(h: Int32Array): number {
  let n = 0;
  for (let i = 0; i < h.length; i++) n += h[i]!;
  return n;
}

/** Reporting levels of LATENCY HISTOGRAM: 1024·2^k ns, their slots and labels (µs). */
const LEVEL_SLOTS: number[] = [];
const LEVEL_LABELS: number[] = [];
for (let v = 1024; v <= MAX_NS * 2; v *= 2) {
  LEVEL_SLOTS.push(Math.min(slotOf(Math.min(v, MAX_NS)), HISTOGRAM_SLOTS - 1));
  LEVEL_LABELS.push(Math.floor(highestEquivalent(v) / 1000));
}

/**
 * LATENCY HISTOGRAM's `histogram_usec`: `[µs, cumulative count]` at each power-of-2 level
 * where the cumulative count grew (Redis's `fillCommandCDF`).
 */
export function cumulativeBuckets(h: Int32Array): [number, number][] {
  const total = totalCount(h);
  const out: [number, number][] = [];
  let cum = 0;
  let prev = 0;
  let slot = 0;
  for (let k = 0; k < LEVEL_SLOTS.length && prev < total; k++) {
    const upTo = LEVEL_SLOTS[k]!;
    for (; slot <= upTo; slot++) cum += h[slot]!;
    if (cum > prev) out.push([LEVEL_LABELS[k]!, cum]);
    prev = cum;
  }
  return out;
}

/** The value (ns) at `percentile` (HDR's `hdr_value_at_percentile`). */
export function valueAtPercentile(h: Int32Array, percentile: number): number {
  const p = percentile < 100 ? percentile : 100;
  const total = totalCount(h);
  let want = Math.trunc((p / 100) * total + 0.5);
  if (want < 1) want = 1;
  let cum = 0;
  for (let i = 0; i < h.length; i++) {
    cum += h[i]!;
    if (cum >= want) {
      const v = slotValue(i);
      return percentile === 0 ? v : highestEquivalent(v);
    }
  }
  return 0;
}
