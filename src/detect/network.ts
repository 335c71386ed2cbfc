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
   * when `includeSources`; a user is never part of their own network.
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
    return queue.slice(includeSources ? 0 : seeded, tail);
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
}

/**
 * D-hop networks with a bounded cache. A friendship change between a and b can only alter the
 * network of a user within D - 1 hops of a or b (the new or lost path must start within D hops
 * and pass through the edge), so exactly those users' entries are dropped. The cache holds at
 * most `budget` member ids in total, evicting the least recently used networks first.
 */
export class NetworkIndex {
  readonly graph = new FriendGraph();
  readonly stats: CacheStats = { hits: 0, misses: 0, invalidated: 0, evicted: 0 };
  private readonly cache = new Map<number, Int32Array>();
  private cachedMembers = 0;

  constructor(
    readonly depth: number,
    readonly budget: number,
  ) {}

  /** The user's network: everyone within `depth` hops, excluding the user. Do not modify it. */
  networkOf(user: number): Int32Array {
    const cached = this.cache.get(user);
    if (cached !== undefined) {
      this.stats.hits++;
      this.cache.delete(user); // re-insert: Map order is the recency order
      this.cache.set(user, cached);
      return cached;
    }
    this.stats.misses++;
    const members = this.graph.within([user], this.depth, false);
    if (this.budget > 0 && members.length <= this.budget) this.remember(user, members);
    return members;
  }

  /** Applies a befriend; false when already friends. */
  befriend(a: number, b: number): boolean {
    if (!this.graph.befriend(a, b)) return false;
    this.invalidateAround(a, b); // walk with the new edge in place: it reaches every affected user
    return true;
  }

  /** Applies an unfriend; false when the two were not friends. */
  unfriend(a: number, b: number): boolean {
    if (!this.graph.areFriends(a, b)) return false;
    this.invalidateAround(a, b); // walk before removal, while the lost paths still exist
    this.graph.unfriend(a, b);
    return true;
  }

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
