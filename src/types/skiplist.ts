/**
 * A skip list ordered by (score, member), with per-link spans so that rank queries and
 * access by rank are O(log n), as in the design Redis describes for its sorted sets. Members
 * are binary strings; JS string comparison of one-byte chars is byte order (memcmp), which
 * is Redis's order for equal scores.
 *
 * The list does not know about member uniqueness: {@link ZSetValue} pairs it with a
 * member→score map and only inserts members that are absent.
 *
 * @module
 */

/** Most levels a node can have: enough for 2^64 elements with p = 1/4. */
export const SKIPLIST_MAX_LEVEL = 32;
/** Probability that a node also appears on the next level up. */
const SKIPLIST_P = 0.25;

/** One element of a {@link SkipList}. */
export class SkipNode {
  /** Forward links, one per level this node is on. */
  readonly next: (SkipNode | null)[];
  /**
   * `span[i]` is the number of level-0 steps from this node to `next[i]` (or to one past the
   * tail when `next[i]` is null): summing spans along a search path gives the rank.
   */
  readonly span: number[];
  /** The previous node on level 0 (null for the first element). */
  backward: SkipNode | null = null;

  /** Creates a node on `level` levels. */
  constructor(public member: string, public score: number, level: number) {
    this.next = new Array<SkipNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
}

/** Whether (score a, member a) sorts before (score b, member b). */
function before(sa: number, ma: string, sb: number, mb: string): boolean {
  return sa < sb || (sa === sb && ma < mb);
}

/** A skip list of (member, score) ordered by score, then member bytes. */
export class SkipList {
  /** Sentinel before the first element; it has every level. */
  readonly header: SkipNode = new SkipNode("", 0, SKIPLIST_MAX_LEVEL);
  /** The last element, or null when empty. */
  tail: SkipNode | null = null;
  /** Number of elements. */
  length = 0;
  /** Levels in use (at least 1). */
  level = 1;
  // Scratch vectors reused by every search: handlers are synchronous, so no call overlaps.
  readonly #update: SkipNode[] = new Array<SkipNode>(SKIPLIST_MAX_LEVEL);
  readonly #rank: number[] = new Array<number>(SKIPLIST_MAX_LEVEL).fill(0);

  /** A random level in 1..MAX with a geometric distribution (p = 1/4). */
  static randomLevel(): number {
    let level = 1;
    while (level < SKIPLIST_MAX_LEVEL && Math.random() < SKIPLIST_P) level++;
    return level;
  }

  /** The first element, or null. */
  first(): SkipNode | null {
    return this.header.next[0]!;
  }

  /** Inserts a member that is not in the list yet; returns its node. */
  insert(score: number, member: string): SkipNode {
    const update = this.#update;
    const rank = this.#rank;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1]!;
      let n = x.next[i]!;
      let r = rank[i]!;
      while (n !== null && (n.score < score || (n.score === score && n.member < member))) {
        r += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      rank[i] = r;
      update[i] = x;
    }
    const level = SkipList.randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        this.header.span[i] = this.length;
      }
      this.level = level;
    }
    const node = new SkipNode(member, score, level);
    const r0 = rank[0]!;
    for (let i = 0; i < level; i++) {
      const u = update[i]!;
      node.next[i] = u.next[i]!;
      u.next[i] = node;
      node.span[i] = u.span[i]! - (r0 - rank[i]!);
      u.span[i] = r0 - rank[i]! + 1;
    }
    for (let i = level; i < this.level; i++) update[i]!.span[i]!++;
    node.backward = update[0] === this.header ? null : update[0]!;
    const after = node.next[0]!;
    if (after !== null) after.backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Unlinks `x`, given the rightmost node before it on every level in `update`. */
  #unlink(x: SkipNode, update: SkipNode[]): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i]!;
      if (u.next[i] === x) {
        u.span[i]! += x.span[i]! - 1;
        u.next[i] = x.next[i]!;
      } else {
        u.span[i]!--;
      }
    }
    const after = x.next[0]!;
    if (after !== null) after.backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.header.next[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** Fills the update vector for (score, member); returns the node there or null. */
  #find(score: number, member: string): SkipNode | null {
    const update = this.#update;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && (n.score < score || (n.score === score && n.member < member))) {
        x = n;
        n = x.next[i]!;
      }
      update[i] = x;
    }
    const n = x.next[0]!;
    return n !== null && n.score === score && n.member === member ? n : null;
  }

  /** Removes (score, member); returns whether it was there. */
  delete(score: number, member: string): boolean {
    const x = this.#find(score, member);
    if (x === null) return false;
    this.#unlink(x, this.#update);
    return true;
  }

  /**
   * Changes the score of an element known to be in the list. When the element keeps its
   * place it is updated in place; otherwise it is moved. Returns its node.
   */
  updateScore(score: number, member: string, newScore: number): SkipNode {
    const x = this.#find(score, member);
    if (x === null) throw new Error("updateScore: element not in the skip list");
    const prev = x.backward;
    const after = x.next[0]!;
    if (
      (prev === null || before(prev.score, prev.member, newScore, member)) &&
      (after === null || before(newScore, member, after.score, after.member))
    ) {
      x.score = newScore;
      return x;
    }
    this.#unlink(x, this.#update);
    return this.insert(newScore, member);
  }

  /** The 1-based rank of (score, member), or 0 when it is not in the list. */
  rankOf(score: number, member: string): number {
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && (n.score < score || (n.score === score && n.member <= member))) {
        rank += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      if (x !== this.header && x.member === member && x.score === score) return rank;
    }
    return 0;
  }

  /** The element at 1-based `rank`, or null when out of range. */
  nodeAt(rank: number): SkipNode | null {
    if (rank < 1 || rank > this.length) return null;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && traversed + x.span[i]! <= rank) {
        traversed += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  /**
   * How many leading elements satisfy `pred`, which must hold for a prefix of the list
   * (true, ..., true, false, ...): the rank of the last such element.
   */
  countWhile(pred: (n: SkipNode) => boolean): number {
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && pred(n)) {
        rank += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
    }
    return rank;
  }

  /**
   * Removes the elements of 1-based ranks `start..end` (inclusive), calling `removed` for
   * each in order. Returns how many were removed.
   */
  deleteRangeByRank(start: number, end: number, removed?: (n: SkipNode) => void): number {
    if (start < 1) start = 1;
    if (end > this.length) end = this.length;
    if (start > end) return 0;
    const update = this.#update;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i]!;
      while (n !== null && traversed + x.span[i]! < start) {
        traversed += x.span[i]!;
        x = n;
        n = x.next[i]!;
      }
      update[i] = x;
    }
    let node = x.next[0]!;
    let count = 0;
    for (let r = start; r <= end && node !== null; r++) {
      const following = node.next[0]!;
      // The update vector stays valid: every removed node sits right after update[0].
      this.#unlink(node, update);
      removed?.(node);
      count++;
      node = following;
    }
    return count;
  }

  /** Elements from first to last (for tests and conversions). */
  *[Symbol.iterator](): IterableIterator<SkipNode> {
    for (let x = this.header.next[0]!; x !== null; x = x.next[0]!) yield x;
  }
}
