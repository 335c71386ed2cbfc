/**
 * Runs a `links` process: for each source (the unit of work), its targets from the
 * LinkSampler, one record per link. Other kernels reach the same links through `sampler`.
 */
import type { ExprContext } from '../../expr/compile.js';
import { memberNames, type Population } from '../../model/population.js';
import type { ProcessRuntime, RecordSink } from '../types.js';
import { IdBuffer } from './nodes.js';
import type { LinkSampler } from './sampler.js';

export interface LinksOptions {
  name: string;
  from: Population;
  to: Population;
  fromOffset: number;
  toOffset: number;
  sampler: LinkSampler;
  /** For `scenario plan`: the pair probability when it is a constant, or the mean out-degree. */
  p?: number;
  meanDegree?: number;
}

/** The record context: one object reused for every link. */
interface LinkContext extends ExprContext {
  s: number;
  t: number;
  k: number;
}

export class LinksRuntime implements ProcessRuntime {
  readonly kind = 'links';
  readonly records = ['link'];
  readonly name: string;
  readonly actor: string;
  readonly iterate: { unit: string; count: number };
  readonly sampler: LinkSampler;
  private readonly buf = new IdBuffer();

  constructor(readonly o: LinksOptions) {
    this.name = o.name;
    this.actor = o.from.name;
    this.sampler = o.sampler;
    this.iterate = { unit: o.from.name, count: o.from.count };
  }

  describe(): Record<string, unknown> {
    const pairs = this.o.from.count * this.sampler.candidates;
    const perSource = this.o.p !== undefined ? this.o.p * this.sampler.candidates : this.o.meanDegree;
    return {
      from: this.o.from.name,
      to: this.o.to.name,
      ...(this.o.p !== undefined ? { p: this.o.p, pairs } : {}),
      ...(perSource !== undefined ? { expectedLinks: Math.round(perSource * this.o.from.count) } : {}),
    };
  }

  counters(): Record<string, number> {
    return { short: this.sampler.short };
  }

  notes(totals: Record<string, number>): string[] {
    const short = totals.short ?? 0;
    return short > 0 ? [`${this.name}: ${short} source(s) got fewer targets than drawn (target weights too concentrated)`] : [];
  }

  columnNames(_record: string, bindings: unknown[]) {
    const { o } = this;
    const table: Record<string, string> = {
      ...memberNames(o.from, 'source.', 'c.s', bindings),
      ...memberNames(o.to, 'target.', 'c.t', bindings),
      'source.node': `(c.s + ${o.fromOffset})`,
      'target.node': `(c.t + ${o.toOffset})`,
      'source.actor': JSON.stringify(o.from.name),
      'target.actor': JSON.stringify(o.to.name),
      'link.index': 'c.k',
      'link.type': JSON.stringify(o.name),
    };
    return { table, specials: {} };
  }

  run(seed: number, from: number, to: number, sinks: Record<string, RecordSink[]>): void {
    const out = sinks.link ?? [];
    if (out.length === 0) return;
    const c: LinkContext = { r: () => 0, s: 0, t: 0, k: 0 };
    const buf = this.buf;
    for (let s = from; s < to; s++) {
      const n = this.sampler.targets(seed, s, buf);
      c.s = s;
      const ids = buf.ids;
      for (let k = 0; k < n; k++) {
        c.t = ids[k];
        c.k = k;
        for (let q = 0; q < out.length; q++) out[q](c);
      }
    }
  }
}
