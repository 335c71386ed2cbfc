/**
 * The friendship graph and each user's D-hop network.
 *
 * Users are dense integers so the breadth-first walk can mark visits in a typed array stamped with
 * a walk counter (no clearing between walks). Only nodes closer than D hops are expanded, so a
 * D = 3 walk touches the neighbours of about 1 + k + k^2 users for average degree k.
 */
import { UserSlots } from './slots.js';

/** Above this degree a user's friends are also kept in a Set, so membership tests stay O(1). */
const HUB_DEGREE = 32;

/** Undirected friendships between dense user numbers, with a reusable BFS. */
export class FriendGraph {
  private readonly friends = new UserSlots((n) => new Int32Array(n), 1, 0x7fffffff);
  private readonly hubs = new Map<number, Set<number>>();
  private visited: Int32Array = new Int32Array(1024);
  private queue: Int32Array = new Int32Array(1024);
  private walk = 0;
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
    const stamp = this.nextWalk();
    const visited = this.visited;
    const friends = this.friends;
    let queue = this.queue;
    let tail = 0;
    for (const s of sources) {
      if (visited[s] === stamp) continue;
      visited[s] = stamp;
      queue[tail++] = s;
    }
    const seeded = tail;
    let head = 0;
    for (let level = 0; level < depth && head < tail; level++) {
      const levelEnd = tail;
      for (; head < levelEnd; head++) {
        const user = queue[head];
        const degree = friends.count(user);
        if (degree === 0) continue;
        if (tail + degree > queue.length) queue = this.growQueue(tail + degree);
        // Friends lists never drop their first record, so a list is one contiguous run.
        const data = friends.data;
        const from = friends.offset(user, 0);
        for (let i = from; i < from + degree; i++) {
          const f = data[i];
          if (visited[f] === stamp) continue;
          visited[f] = stamp;
          queue[tail++] = f;
        }
      }
    }
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
    if (need <= this.visited.length) return;
    const grown = new Int32Array(Math.max(need, this.visited.length * 2));
    grown.set(this.visited);
    this.visited = grown;
  }

  private growQueue(need: number): Int32Array {
    const grown = new Int32Array(Math.max(need, this.queue.length * 2));
    grown.set(this.queue);
    this.queue = grown;
    return grown;
  }

  private nextWalk(): number {
    if (this.walk === 0x7fffffff) {
      this.visited.fill(0);
      this.walk = 0;
    }
    return ++this.walk;
  }
}

/** Counters that show how well the network cache works on a given log. */
export interface CacheStats {
  hits: number;
  misses: number;
  /** Cached networks dropped because a friendship change could have altered them. */
  invalidated: number;
  /** Cached networks dropped to stay within the memory budget. */
  evicted: number;
  /** Times the cache switched itself off for a while because it was not paying for itself. */
  pauses: number;
}

/** Default number of lookups per window over which the cache judges its own hit rate. */
export const DEFAULT_CACHE_WINDOW = 16_384;
/**
 * Below this hit rate caching costs more than it saves: every miss copies the network, every
 * friendship change walks D - 1 hops around its ends, and cached arrays crowd the CPU caches
 * that the walks themselves depend on.
 */
const MIN_HIT_RATE = 0.25;
/** Uncached lookups, in windows, before the cache is tried again (the log may have calmed down). */
const PAUSE_WINDOWS = 8;

/**
 * D-hop networks with a bounded, self-tuning cache. A friendship change between a and b can only
 * alter the network of a user within D - 1 hops of a or b (a new or lost path of at most D hops
 * must reach the edge within D - 1), so exactly those users' entries are dropped. The cache
 * holds at most `budget` member ids in total, evicting the least recently used networks first,
 * and stands aside for a while when a window of lookups shows a poor hit rate (a stream with
 * heavy friendship churn invalidates entries faster than they are reused).
 */
export class NetworkIndex {
  readonly graph = new FriendGraph();
  readonly stats: CacheStats = { hits: 0, misses: 0, invalidated: 0, evicted: 0, pauses: 0 };
  private readonly cache = new Map<number, Int32Array>();
  private cachedMembers = 0;
  private caching: boolean;
  private windowLookups = 0;
  private windowHits = 0;
  private pausedFor = 0;

  constructor(
    readonly depth: number,
    readonly budget: number,
    readonly window = DEFAULT_CACHE_WINDOW,
  ) {
    // One hop is just the friend list: nothing to save.
    this.caching = budget > 0 && depth > 1;
  }

  /**
   * The user's network: everyone within `depth` hops, excluding the user. Valid until the next
   * call or friendship change; do not modify it.
   */
  networkOf(user: number): Int32Array {
    if (this.caching) {
      const cached = this.cache.get(user);
      this.windowLookups++;
      if (cached !== undefined) {
        this.stats.hits++;
        this.windowHits++;
        this.cache.delete(user); // re-insert: Map order is the recency order
        this.cache.set(user, cached);
        return cached;
      }
    }
    this.stats.misses++;
    const members = this.graph.within([user], this.depth, false);
    if (this.caching) {
      if (members.length <= this.budget) this.remember(user, members.slice());
      if (this.windowLookups >= this.window) this.judgeWindow();
    } else if (this.pausedFor > 0 && --this.pausedFor === 0) {
      this.caching = true;
    }
    return members;
  }

  /** Applies a befriend; false when already friends. */
  befriend(a: number, b: number): boolean {
    if (!this.graph.befriend(a, b)) return false;
    this.invalidateAround(a, b);
    return true;
  }

  /** Applies an unfriend; false when the two were not friends. */
  unfriend(a: number, b: number): boolean {
    if (!this.graph.areFriends(a, b)) return false;
    this.invalidateAround(a, b);
    this.graph.unfriend(a, b);
    return true;
  }

  /** Pauses the cache after a window with a poor hit rate. */
  private judgeWindow(): void {
    const rate = this.windowHits / this.windowLookups;
    this.windowHits = 0;
    this.windowLookups = 0;
    if (rate >= MIN_HIT_RATE) return;
    this.caching = false;
    this.pausedFor = PAUSE_WINDOWS * this.window;
    this.stats.pauses++;
    this.cache.clear();
    this.cachedMembers = 0;
  }

  /**
   * Drops the cached networks of everyone within D - 1 hops of a or b. One walk from both ends
   * finds them, and it does not matter whether the edge a-b is in place: a shortest path to the
   * nearer end never crosses that edge.
   */
  private invalidateAround(a: number, b: number): void {
    if (this.cache.size === 0) return;
    for (const u of this.graph.within([a, b], this.depth - 1, true)) {
      const entry = this.cache.get(u);
      if (entry === undefined) continue;
      this.cache.delete(u);
      this.cachedMembers -= entry.length;
      this.stats.invalidated++;
    }
  }

  private remember(user: number, members: Int32Array): void {
    this.cache.set(user, members);
    this.cachedMembers += members.length;
    while (this.cachedMembers > this.budget) {
      const [oldest, entry] = this.cache.entries().next().value as [number, Int32Array];
      this.cache.delete(oldest);
      this.cachedMembers -= entry.length;
      this.stats.evicted++;
    }
  }
}
