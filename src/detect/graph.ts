/**
 * The friendship graph and its breadth-first walk.
 *
 * Users are dense integers so the breadth-first walk can mark visits in a bit set. Only nodes
 * closer than D hops are expanded, so a D = 3 walk reads the friend lists of about 1 + k + k^2
 * users for average degree k.
 */
import { UserSlots } from './slots.js';

/** Above this degree a user's friends are also kept in a Set, so membership tests stay O(1). */
const HUB_DEGREE = 32;

/** Undirected friendships between dense user numbers, with a reusable BFS. */
export class FriendGraph {
  private readonly friends = new UserSlots((n) => new Int32Array(n), 1, 0x7fffffff);
  private readonly hubs = new Map<number, Set<number>>();
  /** Visit marks of the current walk, one bit per user, all zero between walks. */
  private seen: Int32Array = new Int32Array(1024);
  private queue: Int32Array = new Int32Array(1024);
  /** Per node of the level being expanded: start of its friend list and its length. */
  private starts: Int32Array = new Int32Array(1024);
  /** Sink for the touching reads, so the compiler cannot drop them. */
  private touched = 0;
  private edges = 0;
  private maxUser = -1;

  /** Number of current friendships. */
  get friendships(): number {
    return this.edges;
  }

  /** Adds the friendship; false when it already existed. */
  befriend(a: number, b: number): boolean {
    if (this.areFriends(a, b)) return false;
    this.link(a, b);
    this.link(b, a);
    this.edges++;
    return true;
  }

  /** Removes the friendship; false when the two were not friends. */
  unfriend(a: number, b: number): boolean {
    if (!this.areFriends(a, b)) return false;
    this.unlink(a, b);
    this.unlink(b, a);
    this.edges--;
    return true;
  }

  /** Number of friends of `user`. */
  degree(user: number): number {
    return this.friends.count(user);
  }

  /** The friends of `user`, in no particular order: a view of the graph's storage, valid until it changes. */
  friendsOf(user: number): Int32Array {
    const n = this.friends.count(user);
    if (n === 0) return this.friends.data.subarray(0, 0);
    const from = this.friends.offset(user, 0); // friend lists never wrap
    return this.friends.data.subarray(from, from + n);
  }

  /** The `index`-th friend of `user` (0 <= index < degree), in no particular order. */
  friend(user: number, index: number): number {
    return this.friends.data[this.friends.offset(user, 0) + index]; // friend lists never wrap
  }

  areFriends(a: number, b: number): boolean {
    const hub = this.hubs.get(a);
    if (hub !== undefined) return hub.has(b);
    return this.indexOf(a, b) >= 0;
  }

  /**
   * Everyone within `depth` hops of any of `sources`, in BFS order. Sources are included only
   * when `includeSources`; a user is never part of their own network. The result is a view of a
   * reused buffer, valid until the next walk: copy it to keep it.
   */
  within(sources: readonly number[], depth: number, includeSources: boolean): Int32Array {
    this.reserve(sources);
    // One bit per user: 100,000 users fit in 12.5 KB, which stays in the fastest CPU cache while
    // the walk jumps around the graph. Bits are cleared from the queue afterwards.
    const seen = this.seen;
    const friends = this.friends;
    let queue = this.queue;
    let tail = 0;
    for (const s of sources) {
      if ((seen[s >> 5] & (1 << (s & 31))) !== 0) continue;
      seen[s >> 5] |= 1 << (s & 31);
      queue[tail++] = s;
    }
    const seeded = tail;
    let head = 0;
    const data = friends.data;
    for (let level = 0; level < depth && head < tail; level++) {
      const levelEnd = tail;
      // First find every list of the level (and touch its first entry): these reads do not
      // depend on each other, so the CPU overlaps their cache misses instead of paying them
      // one after another inside the scan below.
      let starts = this.starts;
      if (starts.length < 2 * (levelEnd - head)) starts = this.growStarts(2 * (levelEnd - head));
      friends.spans(queue, head, levelEnd, starts);
      let touched = 0;
      let needed = tail;
      for (let k = 0, end = 2 * (levelEnd - head); k < end; k += 2) {
        touched ^= data[starts[k]];
        needed += starts[k + 1];
      }
      this.touched = touched;
      if (needed > queue.length) queue = this.growQueue(needed);
      for (let k = 0; head < levelEnd; head++, k += 2) {
        const degree = starts[k + 1];
        if (degree === 0) continue;
        // Friends lists never drop their first record, so a list is one contiguous run.
        const from = starts[k];
        for (let i = from; i < from + degree; i++) {
          const f = data[i];
          const word = f >> 5;
          const bit = 1 << (f & 31);
          if ((seen[word] & bit) !== 0) continue;
          seen[word] |= bit;
          queue[tail++] = f;
        }
      }
    }
    for (let i = 0; i < tail; i++) seen[queue[i] >> 5] = 0;
    return queue.subarray(includeSources ? 0 : seeded, tail);
  }

  private link(a: number, b: number): void {
    this.friends.reserve(a);
    if (a > this.maxUser) this.maxUser = a;
    const n = this.friends.count(a);
    this.friends.insertAt(a, n);
    this.friends.set(a, n, 0, b);
    const hub = this.hubs.get(a);
    if (hub !== undefined) hub.add(b);
    else if (n + 1 > HUB_DEGREE) {
      const set = new Set<number>();
      for (let i = 0; i <= n; i++) set.add(this.friends.get(a, i, 0));
      this.hubs.set(a, set);
    }
  }

  private unlink(a: number, b: number): void {
    this.friends.swapRemove(a, this.indexOf(a, b));
    const hub = this.hubs.get(a);
    if (hub === undefined) return;
    hub.delete(b);
    if (hub.size <= HUB_DEGREE / 2) this.hubs.delete(a);
  }

  private indexOf(a: number, b: number): number {
    const n = this.friends.count(a);
    if (n === 0) return -1;
    const data = this.friends.data;
    const from = this.friends.offset(a, 0);
    for (let i = 0; i < n; i++) if (data[from + i] === b) return i;
    return -1;
  }

  /** Makes the visit marks cover the sources and every user with a friend. */
  private reserve(sources: readonly number[]): void {
    let need = this.maxUser + 1;
    for (const s of sources) if (s >= need) need = s + 1;
    const words = (need >> 5) + 1;
    if (words <= this.seen.length) return;
    this.seen = new Int32Array(Math.max(words, this.seen.length * 2)); // all zero between walks
  }

  private growStarts(need: number): Int32Array {
    this.starts = new Int32Array(Math.max(need, this.starts.length * 2));
    return this.starts;
  }

  private growQueue(need: number): Int32Array {
    const grown = new Int32Array(Math.max(need, this.queue.length * 2));
    grown.set(this.queue);
    this.queue = grown;
    return grown;
  }
}
