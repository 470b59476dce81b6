/**
 * Partial quicksort: Bentley and McIlroy's "engineered" quicksort (the BSD `qsort`: median of
 * three, or Tukey's ninther above 40 elements; three-way partitioning that parks equal keys
 * at both ends; insertion sort below 7 elements) which only recurses into partitions that
 * overlap the wanted index range. Redis sorts with it when only the first results are kept
 * (GEOSEARCH ... COUNT), and since it is not stable, the order of equal keys is the one this
 * exact sequence of swaps produces: reproducing it is what makes such replies identical.
 *
 * @module
 */

/**
 * Sorts `a` in place enough that the elements at indexes `lrange..rrange` (inclusive) are
 * those a full sort would put there, in order; elements outside that range are left in some
 * order.
 */
export function pqsort<T>(
  a: T[],
  cmp: (x: T, y: T) => number,
  lrange: number,
  rrange: number,
): void {
  const swap = (i: number, j: number): void => {
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  };
  const vecswap = (i: number, j: number, n: number): void => {
    for (let k = 0; k < n; k++) swap(i + k, j + k);
  };
  const med3 = (i: number, j: number, k: number): number =>
    cmp(a[i]!, a[j]!) < 0
      ? (cmp(a[j]!, a[k]!) < 0 ? j : cmp(a[i]!, a[k]!) < 0 ? k : i)
      : (cmp(a[j]!, a[k]!) > 0 ? j : cmp(a[i]!, a[k]!) < 0 ? i : k);
  // Whether the block lo..lo+n-1 holds any wanted index.
  const wanted = (lo: number, n: number): boolean => !(rrange < lo || lrange > lo + n - 1);

  const sort = (lo: number, n: number): void => {
    for (;;) {
      if (n < 7) {
        for (let m = lo + 1; m < lo + n; m++) {
          for (let l = m; l > lo && cmp(a[l - 1]!, a[l]!) > 0; l--) swap(l, l - 1);
        }
        return;
      }
      let pm = lo + (n >> 1);
      if (n > 7) {
        let pl = lo;
        let pn = lo + n - 1;
        if (n > 40) {
          const d = n >> 3;
          pl = med3(pl, pl + d, pl + 2 * d);
          pm = med3(pm - d, pm, pm + d);
          pn = med3(pn - 2 * d, pn - d, pn);
        }
        pm = med3(pl, pm, pn);
      }
      swap(lo, pm);
      let pa = lo + 1;
      let pb = pa;
      let pc = lo + n - 1;
      let pd = pc;
      for (;;) {
        let r: number;
        while (pb <= pc && (r = cmp(a[pb]!, a[lo]!)) <= 0) {
          if (r === 0) swap(pa++, pb);
          pb++;
        }
        while (pb <= pc && (r = cmp(a[pc]!, a[lo]!)) >= 0) {
          if (r === 0) swap(pc, pd--);
          pc--;
        }
        if (pb > pc) break;
        swap(pb++, pc--);
      }
      const pn = lo + n;
      let r = Math.min(pa - lo, pb - pa);
      vecswap(lo, pb - r, r);
      r = Math.min(pd - pc, pn - pd - 1);
      vecswap(pb, pn - r, r);
      r = pb - pa;
      if (r > 1 && wanted(lo, r)) sort(lo, r);
      r = pd - pc;
      if (r <= 1) return;
      // The right part: iterate rather than recurse.
      lo = pn - r;
      n = r;
      if (!wanted(lo, n)) return;
    }
  };
  sort(0, a.length);
}
