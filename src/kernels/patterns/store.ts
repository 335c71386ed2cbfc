/**
 * Generated pattern instances, kept in growable typed arrays (a few numbers per member and
 * per transaction, no object per row): instances, their members, and their transactions,
 * plus an index of the transactions by sending node so the transactions kernel can emit
 * each in its sender's block. Size: O(pattern transactions), which the rules keep O(nodes).
 */

/** A growable Int32Array. */
export class GrowI32 {
  a = new Int32Array(256);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const next = new Int32Array(this.a.length * 2);
      next.set(this.a);
      this.a = next;
    }
    this.a[this.n++] = v;
  }
}

/** A growable Float64Array. */
export class GrowF64 {
  a = new Float64Array(256);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const next = new Float64Array(this.a.length * 2);
      next.set(this.a);
      this.a = next;
    }
    this.a[this.n++] = v;
  }
}

export class PatternStore {
  /** Per instance: its rule, first member, first transaction, headline amount. Index = instance id. */
  readonly instRule = new GrowI32();
  readonly instMember = new GrowI32();
  readonly instTx = new GrowI32();
  readonly instAmount = new GrowF64();
  /** Per member: node number, role (index into ROLES), position (layer, hop or side). */
  readonly memNode = new GrowI32();
  readonly memRole = new GrowI32();
  readonly memPos = new GrowI32();
  /** Per transaction: sender and receiver node numbers, time (seconds from the calendar start), amount, instance, step. */
  readonly txFrom = new GrowI32();
  readonly txTo = new GrowI32();
  readonly txTime = new GrowF64();
  readonly txAmount = new GrowF64();
  readonly txInst = new GrowI32();
  readonly txStep = new GrowI32();
  readonly txCurrency: unknown[] = [];
  /** Filled by `index`: transactions of node v are bySource[start[v] .. start[v + 1]). */
  start = new Int32Array(1);
  bySource = new Int32Array(0);

  get instances(): number {
    return this.instRule.n;
  }

  get transactions(): number {
    return this.txFrom.n;
  }

  /** Drops the members and transactions added after the given lengths (an instance given up). */
  truncate(members: number, transactions: number): void {
    this.memNode.n = this.memRole.n = this.memPos.n = members;
    this.txFrom.n = this.txTo.n = this.txTime.n = this.txAmount.n = this.txInst.n = this.txStep.n = transactions;
    this.txCurrency.length = transactions;
  }

  /** Builds the by-sender index (a counting sort over nodes: O(nodes + transactions)). */
  index(nodes: number): void {
    const start = new Int32Array(nodes + 1);
    const from = this.txFrom.a;
    const n = this.txFrom.n;
    for (let i = 0; i < n; i++) start[from[i] + 1]++;
    for (let v = 0; v < nodes; v++) start[v + 1] += start[v];
    const fill = start.slice(0, nodes);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[fill[from[i]]++] = i;
    this.start = start;
    this.bySource = order;
  }
}
