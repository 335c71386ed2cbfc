/**
 * Undirected friendships with O(1) add, remove, membership and uniform random pick: an edge
 * array with swap-removal plus a map from the pair key to its slot. Memory is O(edges).
 */
export class FriendGraph {
  private readonly a: number[] = [];
  private readonly b: number[] = [];
  private readonly slot = new Map<number, number>();

  constructor(private readonly users: number) {}

  get size(): number {
    return this.a.length;
  }

  private key(x: number, y: number): number {
    return x < y ? x * this.users + y : y * this.users + x;
  }

  has(x: number, y: number): boolean {
    return this.slot.has(this.key(x, y));
  }

  /** Adds the friendship; false if it exists or x === y. */
  add(x: number, y: number): boolean {
    if (x === y || this.has(x, y)) return false;
    this.slot.set(this.key(x, y), this.a.length);
    this.a.push(x);
    this.b.push(y);
    return true;
  }

  /** Removes the friendship at slot i (swap with the last); returns its endpoints. */
  removeAt(i: number): [number, number] {
    const x = this.a[i];
    const y = this.b[i];
    const last = this.a.length - 1;
    this.slot.delete(this.key(x, y));
    if (i !== last) {
      this.a[i] = this.a[last];
      this.b[i] = this.b[last];
      this.slot.set(this.key(this.a[i], this.b[i]), i);
    }
    this.a.pop();
    this.b.pop();
    return [x, y];
  }

  clear(): void {
    this.a.length = 0;
    this.b.length = 0;
    this.slot.clear();
  }
}
