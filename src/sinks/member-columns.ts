/**
 * CSV bytes kept per member for columns that depend on nothing but one member of a
 * population (say `fixed(store.x, 2)` and `fixed(store.y, 2)` of the chosen store): such a
 * run of adjacent columns encodes to the same bytes every time the member comes back, so
 * the first row with that member records them and later rows copy them.
 *
 * Bytes are recorded from a row written the usual way, so they are always that writer's
 * own; a row is recorded only when every value of the run was valid (an invalid value is
 * reported per row, so those rows keep going through the checks) and the run did not cross
 * a buffer flush. Memory is bounded by the population: one entry per member at most.
 * Hand-written because it is on the hot path of every row of such an output.
 */
import type { ByteWriter } from './byte-writer.js';

/** What the process says about a name constant per member: the code of the member's index, and the member count. */
export interface MemberKey {
  index: string;
  count: number;
}

export class MemberBytes {
  /** Per member: where its bytes start in the pool (-1 not recorded yet) and how many. */
  private readonly start: Int32Array;
  private readonly length: Int32Array;
  private pool = new Uint8Array(4096);
  private used = 0;

  constructor(readonly count: number) {
    this.start = new Int32Array(count).fill(-1);
    this.length = new Int32Array(count);
  }

  /** Writes member m's bytes; false (nothing written) when they are not recorded. */
  write(w: ByteWriter, m: number): boolean {
    if (!(m >= 0 && m < this.count)) return false;
    const at = this.start[m];
    if (at < 0) return false;
    const n = this.length[m];
    w.ensure(n);
    const { buf } = w;
    const pool = this.pool;
    let p = w.pos;
    // Short runs: a loop beats TypedArray.set.
    for (let i = at, end = at + n; i < end; i++) buf[p++] = pool[i];
    w.pos = p;
    return true;
  }

  /** Records bytes [from, to) of `src` as member m's. */
  record(m: number, src: Uint8Array, from: number, to: number): void {
    if (!(m >= 0 && m < this.count) || this.start[m] >= 0) return;
    const n = to - from;
    if (this.used + n > this.pool.length) {
      const grown = new Uint8Array(Math.max(2 * this.pool.length, this.used + n));
      grown.set(this.pool.subarray(0, this.used));
      this.pool = grown;
    }
    this.pool.set(src.subarray(from, to), this.used);
    this.start[m] = this.used;
    this.length[m] = n;
    this.used += n;
  }
}

/**
 * Runs of adjacent columns keyed by the same member index: [first, last] and the key.
 * `keys[i]`: column i's key, or undefined when it is not constant per member.
 */
export function memberRuns(keys: (MemberKey | undefined)[]): { first: number; last: number; key: MemberKey }[] {
  const runs: { first: number; last: number; key: MemberKey }[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!key) continue;
    const last = runs[runs.length - 1];
    if (last && last.last === i - 1 && last.key.index === key.index) last.last = i;
    else runs.push({ first: i, last: i, key });
  }
  return runs;
}

/**
 * The key of a column whose expression reads `names` (and draws nothing at random): the
 * names' common key when every one of them is constant per member of the same index.
 */
export function memberKeyOf(names: string[], random: boolean, keys: Record<string, MemberKey> | undefined): MemberKey | undefined {
  if (random || names.length === 0 || !keys) return undefined;
  const first = Object.prototype.hasOwnProperty.call(keys, names[0]) ? keys[names[0]] : undefined;
  if (!first) return undefined;
  for (const n of names) if (!Object.prototype.hasOwnProperty.call(keys, n) || keys[n].index !== first.index) return undefined;
  return first;
}
