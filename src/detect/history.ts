/**
 * Per-user purchase history and the baseline merge.
 *
 * The baseline of a purchase is the newest T purchases made by the buyer's network. Those are
 * always among each member's own newest T, so a user keeps only T purchases, in time order
 * (timestamp, then input order). The merge walks each member's list from its newest end into a
 * bounded min-heap, stopping at the first purchase older than everything the heap already holds.
 */
import type { Amount } from './decimal.js';

/** One remembered purchase. `seq` is its position in the input, which breaks timestamp ties. */
export interface Purchase extends Amount {
  ts: number;
  seq: number;
}

/** True when `a` comes after `b` in baseline order. */
export function isLater(a: Purchase, b: Purchase): boolean {
  return a.ts > b.ts || (a.ts === b.ts && a.seq > b.seq);
}

/** The newest `limit` purchases of every user, indexed by dense user number. */
export class PurchaseHistory {
  private readonly lists: Purchase[][] = [];
  /** Scratch heap reused by every merge; never escapes `newest`. */
  private readonly heap: Purchase[] = [];

  constructor(readonly limit: number) {}

  /** Remembers a purchase, dropping the user's oldest when over the limit. */
  add(user: number, p: Purchase): void {
    let list = this.lists[user];
    if (list === undefined) {
      list = [];
      this.lists[user] = list;
    }
    // Logs are nearly always in time order: appending is the common case.
    let i = list.length;
    while (i > 0 && isLater(list[i - 1], p)) i--;
    if (i === list.length) list.push(p);
    else list.splice(i, 0, p);
    if (list.length > this.limit) list.shift();
  }

  /** The user's remembered purchases, oldest first (empty when none). */
  of(user: number): readonly Purchase[] {
    return this.lists[user] ?? [];
  }

  /**
   * The newest `limit` purchases among `members`, in no particular order. The returned array is
   * reused by the next call; use it before merging again.
   */
  newest(members: ArrayLike<number>): { items: readonly Purchase[]; count: number } {
    const heap = this.heap;
    const limit = this.limit;
    let size = 0;
    for (let m = 0; m < members.length; m++) {
      const list = this.lists[members[m]];
      if (list === undefined) continue;
      for (let i = list.length - 1; i >= 0; i--) {
        const p = list[i];
        if (size < limit) {
          siftUp(heap, size++, p);
        } else if (isLater(p, heap[0])) {
          siftDown(heap, size, p);
        } else {
          break; // the rest of this list is older still
        }
      }
    }
    return { items: heap, count: size };
  }
}

/** Inserts `p` at slot `at` of a min-heap (oldest at the root). */
function siftUp(heap: Purchase[], at: number, p: Purchase): void {
  let i = at;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!isLater(heap[parent], p)) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = p;
}

/** Replaces the root (the oldest) with `p` and restores heap order. */
function siftDown(heap: Purchase[], size: number, p: Purchase): void {
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && isLater(heap[child], heap[child + 1])) child++;
    if (!isLater(p, heap[child])) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = p;
}
