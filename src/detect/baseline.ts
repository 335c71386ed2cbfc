/**
 * The baseline of one check: the newest T purchases offered so far, kept in a bounded min-heap
 * (oldest at the root) over parallel typed arrays, so a merge allocates nothing.
 */

/** True when purchase (ts1, seq1) comes after (ts2, seq2): timestamp first, then input order. */
export function isLater(ts1: number, seq1: number, ts2: number, seq2: number): boolean {
  return ts1 > ts2 || (ts1 === ts2 && seq1 > seq2);
}

/** Up to `limit` purchases; `cents` and `seqs` are valid up to `count`, in no particular order. */
export class BaselineHeap {
  count = 0;
  readonly cents: Float64Array;
  /** Input sequence numbers, to look up amounts that are not whole cents. */
  readonly seqs: Float64Array;
  private readonly ts: Float64Array;

  constructor(readonly limit: number) {
    this.cents = new Float64Array(limit);
    this.seqs = new Float64Array(limit);
    this.ts = new Float64Array(limit);
  }

  clear(): void {
    this.count = 0;
  }

  /** Keeps the purchase if it is among the newest `limit`; false when it is older than all kept. */
  offer(ts: number, seq: number, cents: number): boolean {
    if (this.count < this.limit) {
      this.insert(ts, seq, cents);
      return true;
    }
    if (!isLater(ts, seq, this.ts[0], this.seqs[0])) return false;
    this.replaceRoot(ts, seq, cents);
    return true;
  }

  private insert(ts: number, seq: number, cents: number): void {
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!isLater(this.ts[parent], this.seqs[parent], ts, seq)) break;
      this.move(parent, i);
      i = parent;
    }
    this.put(i, ts, seq, cents);
  }

  private replaceRoot(ts: number, seq: number, cents: number): void {
    const size = this.count;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && isLater(this.ts[child], this.seqs[child], this.ts[child + 1], this.seqs[child + 1])) child++;
      if (!isLater(ts, seq, this.ts[child], this.seqs[child])) break;
      this.move(child, i);
      i = child;
    }
    this.put(i, ts, seq, cents);
  }

  private move(from: number, to: number): void {
    this.ts[to] = this.ts[from];
    this.seqs[to] = this.seqs[from];
    this.cents[to] = this.cents[from];
  }

  private put(at: number, ts: number, seq: number, cents: number): void {
    this.ts[at] = ts;
    this.seqs[at] = seq;
    this.cents[at] = cents;
  }
}

/** Adds `value` at slot `at` of a min-heap of numbers. */
export function pushValue(heap: Float64Array, at: number, value: number): void {
  let i = at;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent] <= value) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = value;
}

/** Replaces the smallest value of a min-heap of `size` numbers with `value`. */
export function replaceMinValue(heap: Float64Array, size: number, value: number): void {
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1] < heap[child]) child++;
    if (heap[child] >= value) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = value;
}
