/**
 * Unit tests of the skip list behind skiplist-encoded sorted sets: random inserts, deletes,
 * score updates and range deletions checked against a sorted-array model, plus the span and
 * backward-link invariants after every step.
 *
 * @module
 */
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { SkipList, type SkipNode } from "../src/types/skiplist.ts";

type Entry = [string, number];

function cmp(a: Entry, b: Entry): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** A seeded PRNG (mulberry32) so a failure reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks every structural invariant of `sl` against the sorted model. */
function checkInvariants(sl: SkipList, model: Entry[]): void {
  strictEqual(sl.length, model.length);
  deepStrictEqual([...sl].map((n): Entry => [n.member, n.score]), model);
  // Level 0: backward links and tail.
  let prev: SkipNode | null = null;
  for (const n of sl) {
    strictEqual(n.backward, prev);
    prev = n;
  }
  strictEqual(sl.tail, prev);
  // Every level: following links in order and summing spans reproduces the ranks.
  const rankOf = new Map<SkipNode, number>();
  let r = 0;
  for (const n of sl) rankOf.set(n, ++r);
  for (let i = 0; i < sl.level; i++) {
    let x: SkipNode = sl.header;
    let rank = 0;
    for (;;) {
      const next = x.next[i] ?? null;
      if (next === null) {
        strictEqual(rank + x.span[i]!, sl.length, `tail span on level ${i}`);
        break;
      }
      rank += x.span[i]!;
      strictEqual(rankOf.get(next), rank, `span on level ${i}`);
      x = next;
    }
  }
  for (let i = sl.level; i < sl.header.next.length; i++) strictEqual(sl.header.next[i], null);
}

Deno.test("skip list keeps (score, member) order and ranks under random inserts and deletes", () => {
  const rand = rng(42);
  const sl = new SkipList();
  const model: Entry[] = [];
  const scores = new Map<string, number>();
  for (let step = 0; step < 3000; step++) {
    const member = "m" + Math.floor(rand() * 400);
    const op = rand();
    if (op < 0.55) {
      if (scores.has(member)) continue;
      // Few distinct scores, so member order breaks many ties.
      const score = Math.floor(rand() * 20) - 10;
      sl.insert(score, member);
      scores.set(member, score);
      model.push([member, score]);
      model.sort(cmp);
    } else if (op < 0.8) {
      const score = scores.get(member);
      strictEqual(sl.delete(score ?? 0, member), score !== undefined);
      if (score === undefined) continue;
      scores.delete(member);
      model.splice(model.findIndex((e) => e[0] === member), 1);
    } else {
      const score = scores.get(member);
      if (score === undefined) continue;
      const next = rand() < 0.5 ? score : Math.floor(rand() * 20) - 10 + rand();
      const node = sl.updateScore(score, member, next);
      strictEqual(node.score, next);
      scores.set(member, next);
      model.find((e) => e[0] === member)![1] = next;
      model.sort(cmp);
    }
    if (step % 50 === 0) checkInvariants(sl, model);
  }
  checkInvariants(sl, model);
  for (let i = 0; i < model.length; i++) {
    const [member, score] = model[i]!;
    strictEqual(sl.rankOf(score, member), i + 1);
    const n = sl.nodeAt(i + 1)!;
    deepStrictEqual([n.member, n.score], [member, score]);
  }
  strictEqual(sl.rankOf(0, "absent"), 0);
  strictEqual(sl.nodeAt(0), null);
  strictEqual(sl.nodeAt(model.length + 1), null);
});

Deno.test("skip list countWhile finds score range boundaries like a sorted array", () => {
  const rand = rng(7);
  const sl = new SkipList();
  const model: Entry[] = [];
  for (let i = 0; i < 500; i++) {
    const score = Math.floor(rand() * 100);
    sl.insert(score, "k" + i);
    model.push(["k" + i, score]);
  }
  model.sort(cmp);
  for (let t = 0; t < 200; t++) {
    const bound = Math.floor(rand() * 110) - 5;
    strictEqual(sl.countWhile((n) => n.score < bound), model.filter((e) => e[1] < bound).length);
    strictEqual(sl.countWhile((n) => n.score <= bound), model.filter((e) => e[1] <= bound).length);
  }
  strictEqual(sl.countWhile(() => true), 500);
  strictEqual(sl.countWhile(() => false), 0);
});

Deno.test("skip list deletes rank ranges and reports removed nodes in order", () => {
  const rand = rng(99);
  for (let round = 0; round < 40; round++) {
    const sl = new SkipList();
    const model: Entry[] = [];
    const n = 1 + Math.floor(rand() * 200);
    for (let i = 0; i < n; i++) {
      const e: Entry = ["e" + i, Math.floor(rand() * 50)];
      sl.insert(e[1], e[0]);
      model.push(e);
    }
    model.sort(cmp);
    const start = 1 + Math.floor(rand() * n);
    const end = start + Math.floor(rand() * (n - start + 5));
    const got: string[] = [];
    const count = sl.deleteRangeByRank(start, end, (node) => got.push(node.member));
    const gone = model.splice(start - 1, Math.min(end, n) - start + 1);
    strictEqual(count, gone.length);
    deepStrictEqual(got, gone.map((e) => e[0]));
    checkInvariants(sl, model);
  }
  const sl = new SkipList();
  strictEqual(sl.deleteRangeByRank(1, 10), 0);
  sl.insert(1, "a");
  strictEqual(sl.deleteRangeByRank(2, 1), 0);
  strictEqual(sl.deleteRangeByRank(0, 5), 1);
  checkInvariants(sl, []);
});

Deno.test("skip list updateScore keeps an element in place or moves it", () => {
  const sl = new SkipList();
  for (const [m, s] of [["a", 1], ["b", 2], ["c", 3]] as Entry[]) sl.insert(s, m);
  const b = sl.nodeAt(2)!;
  strictEqual(sl.updateScore(2, "b", 2.5), b); // same place: the node itself is updated
  checkInvariants(sl, [["a", 1], ["b", 2.5], ["c", 3]]);
  sl.updateScore(2.5, "b", 10);
  checkInvariants(sl, [["a", 1], ["c", 3], ["b", 10]]);
  sl.updateScore(1, "a", 3); // equal score: member order decides
  checkInvariants(sl, [["a", 3], ["c", 3], ["b", 10]]);
  sl.updateScore(10, "b", -Infinity);
  checkInvariants(sl, [["b", -Infinity], ["a", 3], ["c", 3]]);
});

Deno.test("skip list orders equal scores by member bytes, including binary members", () => {
  const sl = new SkipList();
  const members = ["b", "a", "\xff", "\x00", "ab", "a\x00", ""];
  for (const m of members) sl.insert(0, m);
  deepStrictEqual([...sl].map((n) => n.member), ["", "\x00", "a", "a\x00", "ab", "b", "\xff"]);
});
