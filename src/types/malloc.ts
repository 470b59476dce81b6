/**
 * The allocator model behind MEMORY USAGE and the encodings' size checks: jemalloc's size
 * classes, as the Redis builds that the suite and users compare against use.
 *
 * @module
 */

/** jemalloc's usable size for an `n`-byte allocation (its size classes). */
export function mallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const step = 2 ** (Math.ceil(Math.log2(n)) - 3);
  return Math.ceil(n / step) * step;
}
