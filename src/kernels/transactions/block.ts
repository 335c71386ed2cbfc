/**
 * One sender's transactions before they are written: struct-of-arrays buffers reused from
 * block to block (grown to the largest block, never shrunk), and the ordering step.
 *
 * Time order sorts one Float64Array of keys time x 2^21 + position with the engine's native
 * numeric sort (no comparator call per comparison); the key is exact while times stay below
 * 2^32 seconds (136 years) and a block below 2^21 transactions, else a comparator sort is used.
 */
import type { Rng } from '../../rng/index.js';

const POSITION_BITS = 2 ** 21;

export class Block {
  n = 0;
  /** Receiving node number. */
  to = new Int32Array(1024);
  /** Link process index (>= 0), or -1 - i for transaction i of the pattern store. */
  ref = new Int32Array(1024);
  /** Seconds from the start of day 0. */
  time = new Float64Array(1024);
  amount = new Float64Array(1024);
  currency: unknown[] = [];
  /** Positions in emission order, filled by `order`. */
  order = new Int32Array(1024);
  private keys = new Float64Array(1024);

  push(to: number, ref: number, time: number, amount: number, currency: unknown): void {
    if (this.n === this.to.length) this.grow();
    const i = this.n++;
    this.to[i] = to;
    this.ref[i] = ref;
    this.time[i] = time;
    this.amount[i] = amount;
    this.currency[i] = currency;
  }

  private grow(): void {
    const size = this.to.length * 2;
    const to = new Int32Array(size);
    to.set(this.to);
    const ref = new Int32Array(size);
    ref.set(this.ref);
    const time = new Float64Array(size);
    time.set(this.time);
    const amount = new Float64Array(size);
    amount.set(this.amount);
    this.to = to;
    this.ref = ref;
    this.time = time;
    this.amount = amount;
    this.order = new Int32Array(size);
    this.keys = new Float64Array(size);
  }

  /** Fills `order` with positions sorted by time (ties by position). */
  sortByTime(): void {
    const n = this.n;
    const order = this.order;
    let maxTime = 0;
    for (let i = 0; i < n; i++) if (this.time[i] > maxTime) maxTime = this.time[i];
    if (n < POSITION_BITS && maxTime < 2 ** 32) {
      const keys = this.keys.subarray(0, n);
      for (let i = 0; i < n; i++) keys[i] = this.time[i] * POSITION_BITS + i;
      keys.sort();
      // The position is the key's low 21 bits. `%` on doubles is a call to fmod in V8; the
      // division by a power of two, floor and subtraction are exact here and inline.
      for (let i = 0; i < n; i++) {
        const k = keys[i];
        order[i] = k - Math.floor(k / POSITION_BITS) * POSITION_BITS;
      }
      return;
    }
    for (let i = 0; i < n; i++) order[i] = i;
    const time = this.time;
    order.subarray(0, n).sort((a, b) => time[a] - time[b] || a - b);
  }

  /** Fills `order` with a Fisher-Yates shuffle of the positions drawn from `r`. */
  shuffle(r: Rng): void {
    const order = this.order;
    for (let i = 0; i < this.n; i++) order[i] = i;
    for (let i = this.n - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      const x = order[i];
      order[i] = order[j];
      order[j] = x;
    }
  }
}
