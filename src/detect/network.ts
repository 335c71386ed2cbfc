/**
 * The friendship graph and each user's D-hop network.
 *
 * Users are dense integers so the breadth-first walk can mark visits in a typed array stamped with
 * a walk counter (no clearing between walks). Only nodes closer than D hops are expanded, so a
 * D = 3 walk touches the neighbours of about 1 + k + k^2 users for average degree k.
 */

/** Undirected friendships between dense user numbers, with a reusable BFS. */
export class FriendGraph {
  private readonly adjacency: (Set<number> | undefined)[] = [];
  private visited: Int32Array = new Int32Array(1024);
  private queue: Int32Array = new Int32Array(1024);
  private walk = 0;
  private edges = 0;

  /** Number of current friendships. */
  get friendships(): number {
    return this.edges;
  }

  /** Adds the friendship; false when it already existed. */
  befriend(a: number, b: number): boolean {
    const fa = this.friendsOf(a, true)!;
    if (fa.has(b)) return false;
    fa.add(b);
    this.friendsOf(b, true)!.add(a);
    this.edges++;
    return true;
  }

  /** Removes the friendship; false when the two were not friends. */
  unfriend(a: number, b: number): boolean {
    const fa = this.adjacency[a];
    if (fa === undefined || !fa.delete(b)) return false;
    this.adjacency[b]!.delete(a);
    this.edges--;
    return true;
  }

  areFriends(a: number, b: number): boolean {
    return this.adjacency[a]?.has(b) ?? false;
  }

  /**
   * Everyone within `depth` hops of any of `sources`, in BFS order. Sources are included only
   * when `includeSources`; a user is never part of their own network.
   */
  within(sources: readonly number[], depth: number, includeSources: boolean): Int32Array {
    this.reserve(sources);
    const stamp = this.nextWalk();
    const visited = this.visited;
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
        const friends = this.adjacency[queue[head]];
        if (friends === undefined) continue;
        if (tail + friends.size > queue.length) queue = this.growQueue(tail + friends.size);
        for (const f of friends) {
          if (visited[f] === stamp) continue;
          visited[f] = stamp;
          queue[tail++] = f;
        }
      }
    }
    return queue.slice(includeSources ? 0 : seeded, tail);
  }

  private friendsOf(user: number, create: boolean): Set<number> | undefined {
    let set = this.adjacency[user];
    if (set === undefined && create) {
      set = new Set();
      this.adjacency[user] = set;
    }
    return set;
  }

  /** Makes the visit marks cover every user number seen so far. */
  private reserve(sources: readonly number[]): void {
    let need = this.adjacency.length;
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
