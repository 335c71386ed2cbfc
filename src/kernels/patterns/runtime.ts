/**
 * Runs a `patterns` process. The instances of every rule are generated once per seed, up
 * front (they are few: O(nodes)), into a PatternStore that this process lists member by
 * member and that the transactions kernel mixes into each sender's block. Instance j of a
 * rule draws from stream (seed, "process/<name>", rule, j), so instances never depend on
 * run order, worker count or the other rules.
 */
import type { ExprContext } from '../../expr/compile.js';
import { rngFor } from '../../rng/index.js';
import type { NodeIndex } from '../links/nodes.js';
import type { ProcessRuntime, RecordSink } from '../types.js';
import { describeLimit, limitReached, type Limits } from '../../model/limits.js';
import type { Place } from '../../diagnostics/make.js';
import { InstanceBuilder, InstanceTooLarge, MemberUnion, ROLES, TooManyTransactions, type Quantity } from './builder.js';
import { PatternStore } from './store.js';
import type { Generate } from './kinds/types.js';
import type { Sampler } from '../../model/distribution.js';

export interface CompiledRule {
  name: string;
  kind: string;
  /** The populations members are drawn from. */
  members: string[];
  count: Quantity;
  union: MemberUnion;
  spread?: Quantity;
  currency?: Sampler;
  generate: Generate;
  /** Where the rule is written, for run-limit findings. */
  place: Place;
}

export interface PatternsOptions {
  name: string;
  rules: CompiledRule[];
  nodes: NodeIndex;
  /** Calendar length in seconds; instances are placed inside it when they fit. */
  horizonSec: number;
  unitSec: number;
  /** The seed the plan was made for: instance counts are drawn with it. */
  seed: number;
  limits: Limits;
}

/** Record context of a member row; one object reused for every row. */
interface MemberContext extends ExprContext {
  i: number;
  j: number;
  rule: number;
  nm: number;
  nt: number;
  amount: number;
  k: number;
  node: number;
  pop: number;
  id: number;
  role: number;
  pos: number;
}

export class PatternsRuntime implements ProcessRuntime {
  readonly kind = 'patterns';
  readonly records = ['member'];
  readonly name: string;
  readonly iterate: { unit: string; count: number };
  /** Instances per rule for the plan's seed. */
  readonly counts: number[];
  private cached: { seed: number; store: PatternStore; first: number[] } | undefined;
  private skipped = 0;

  constructor(readonly o: PatternsOptions) {
    this.name = o.name;
    this.counts = this.drawCounts(o.seed);
    this.iterate = { unit: 'instances', count: this.counts.reduce((a, b) => a + b, 0) };
  }

  /** Instances of each rule: `count` drawn from stream (seed, "process/<name>/count", rule). */
  private drawCounts(seed: number): number[] {
    return this.o.rules.map((rule) => {
      const b = new InstanceBuilder(new PatternStore(), this.o.unitSec, undefined);
      b.begin(0, 0, rngFor(seed, `process/${this.o.name}/count`, rule.name), rule.union, undefined);
      const n = Math.floor(b.q(rule.count));
      return Number.isFinite(n) && n > 0 ? n : 0;
    });
  }

  /** The generated instances for `seed` (made on first use, then kept). */
  store(seed: number): PatternStore {
    if (this.cached?.seed === seed) return this.cached.store;
    const { rules, unitSec, horizonSec } = this.o;
    const counts = seed === this.o.seed ? this.counts : this.drawCounts(seed);
    const store = new PatternStore();
    const first: number[] = [];
    let skipped = 0;
    rules.forEach((rule, ri) => {
      first.push(store.instances);
      const b = new InstanceBuilder(store, unitSec, rule.currency, this.o.limits.maxRows);
      for (let j = 0; j < counts[ri]; j++) {
        const inst = store.instances;
        const members = store.memNode.n;
        const txs = store.transactions;
        store.instRule.push(ri);
        store.instMember.push(members);
        store.instTx.push(txs);
        store.instAmount.push(0);
        b.begin(inst, j, rngFor(seed, `process/${this.o.name}`, rule.name, j), rule.union, rule.spread);
        try {
          rule.generate(b);
          b.finish(horizonSec);
          store.instAmount.a[inst] = b.amount;
        } catch (e) {
          if (e instanceof TooManyTransactions) {
            const detail = `pattern rule "${rule.name}" would make more than ${describeLimit(this.o.limits, 'maxRows')} transactions`;
            throw limitReached(rule.place, detail, 'maxRows');
          }
          if (!(e instanceof InstanceTooLarge)) throw e;
          store.truncate(members, txs);
          skipped++;
        }
      }
    });
    store.index(this.o.nodes.total);
    this.cached = { seed, store, first };
    this.skipped = skipped;
    return store;
  }

  describe(): Record<string, unknown> {
    return { rules: this.o.rules.map((r, i) => ({ name: r.name, kind: r.kind, instances: this.counts[i] })) };
  }

  counters(): Record<string, number> {
    return {};
  }

  notes(): string[] {
    // Worker threads generate their own copy; the count is the same, so read it here.
    this.store(this.o.seed);
    return this.skipped > 0 ? [`${this.name}: ${this.skipped} instance(s) needed more distinct members than their populations hold and were left empty`] : [];
  }

  columnNames(_record: string, bindings: unknown[]) {
    const k = bindings.length;
    bindings.push(
      this.o.rules.map((r) => r.name),
      this.o.rules.map((r) => r.kind),
      this.o.nodes.names,
      ROLES,
    );
    const table: Record<string, string> = {
      'instance.id': 'c.i',
      'instance.index': 'c.j',
      'instance.rule': `B[${k}][c.rule]`,
      'instance.kind': `B[${k + 1}][c.rule]`,
      'instance.members': 'c.nm',
      'instance.transactions': 'c.nt',
      'instance.amount': 'c.amount',
      'member.index': 'c.k',
      'member.node': 'c.node',
      'member.actor': `B[${k + 2}][c.pop]`,
      'member.id': 'c.id',
      'member.role': `B[${k + 3}][c.role]`,
      'member.position': 'c.pos',
    };
    return { table, specials: {} };
  }

  run(seed: number, from: number, to: number, sinks: Record<string, RecordSink[]>): void {
    const out = sinks.member ?? [];
    if (out.length === 0) return;
    const s = this.store(seed);
    const first = this.cached!.first;
    const { nodes } = this.o;
    const c: MemberContext = { r: () => 0, i: 0, j: 0, rule: 0, nm: 0, nt: 0, amount: 0, k: 0, node: 0, pop: 0, id: 0, role: 0, pos: 0 };
    const n = s.instances;
    for (let i = from; i < to; i++) {
      const m0 = s.instMember.a[i];
      const m1 = i + 1 < n ? s.instMember.a[i + 1] : s.memNode.n;
      const t1 = i + 1 < n ? s.instTx.a[i + 1] : s.transactions;
      c.i = i;
      c.rule = s.instRule.a[i];
      c.j = i - first[c.rule];
      c.nm = m1 - m0;
      c.nt = t1 - s.instTx.a[i];
      c.amount = s.instAmount.a[i];
      for (let m = m0; m < m1; m++) {
        c.k = m - m0;
        c.node = s.memNode.a[m];
        c.pop = nodes.popOf(c.node);
        c.id = c.node - nodes.offsets[c.pop];
        c.role = s.memRole.a[m];
        c.pos = s.memPos.a[m];
        for (let q = 0; q < out.length; q++) out[q](c);
      }
    }
  }
}
