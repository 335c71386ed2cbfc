/**
 * Bursts: an arrival may start a run of follow-up events (a stolen card tried again and
 * again), each a short random gap after the one before, all about the same actor and with
 * the arrival's mark. Bursts in flight wait in a min-heap keyed by the time of their next
 * event, so their events interleave in time order with other arrivals and with each other.
 */
import type { Rng } from '../../rng/index.js';

export interface Burst {
  /** Time of the burst's next event. */
  t: number;
  /** Start order: breaks ties in `t`, so the order never depends on the heap's layout. */
  order: number;
  actor: number;
  mark: number;
  /** Index of the next event in the burst (the arrival itself is 0). */
  index: number;
  /** Events in the burst, the arrival included. */
  length: number;
  /** The burst's own stream, keyed by the arrival that started it. */
  rng: Rng;
}

function before(a: Burst, b: Burst): boolean {
  return a.t < b.t || (a.t === b.t && a.order < b.order);
}

/** Bursts in flight, earliest next event first. */
export class BurstQueue {
  private readonly heap: Burst[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest pending event, or Infinity. */
  nextTime(): number {
    return this.heap.length > 0 ? this.heap[0].t : Number.POSITIVE_INFINITY;
  }

  top(): Burst {
    return this.heap[0];
  }

  push(b: Burst): void {
    const h = this.heap;
    h.push(b);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  /** Removes the top burst. */
  pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      this.siftDown();
    }
  }

  /** Restores order after the top burst's `t` moved later. */
  topMoved(): void {
    this.siftDown();
  }

  clear(): void {
    this.heap.length = 0;
  }

  private siftDown(): void {
    const h = this.heap;
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const m = l + 1 < n && before(h[l + 1], h[l]) ? l + 1 : l;
      if (!before(h[m], h[i])) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
