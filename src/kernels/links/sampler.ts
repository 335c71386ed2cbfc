/**
 * The targets of one source, regenerated on demand from the source's own stream
 * (seed, "process/<links>", source index). The links file and the transactions kernel call
 * the same sampler, so they see the same links without storing any: memory stays
 * O(nodes) however many links there are.
 */
import type { Compiled, ExprContext } from '../../expr/compile.js';
import type { Sampler } from '../../model/distribution.js';
import type { InvalidValues, ValueSite } from '../../model/invalid.js';
import { buildAlias, type AliasTable } from '../../rng/alias.js';
import { rngFor, type Rng } from '../../rng/index.js';
import type { IdBuffer } from './nodes.js';

export interface SamplerOptions {
  /** Stream name, "process/<links process>". */
  stream: string;
  nFrom: number;
  nTo: number;
  /** True when sources and targets are the same population (self-links are skipped). */
  same: boolean;
  /** Pair probability, evaluated per source (`p`). */
  p?: Sampler;
  /** Distinct targets per source (`out_degree`). */
  outDegree?: Sampler;
  /** Target weight, evaluated once per target (`target_weight`). */
  weight?: Compiled;
  /**
   * Where a `p` or `out_degree` that is not a finite number is reported (the run's
   * `on_invalid` policy); the source then gets no links. It used to get none in silence.
   */
  checks?: { invalid: InvalidValues; p?: ValueSite; outDegree?: ValueSite };
}

/** Context of per-source and per-target expressions: `s` source index, `t` target index. */
interface SampleContext extends ExprContext {
  s: number;
  t: number;
}

export class LinkSampler {
  /** Sources whose weighted draw gave up before reaching its degree (very skewed weights). */
  short = 0;
  private readonly c: SampleContext = { r: () => 0, s: 0, t: 0 };
  private mark: Int32Array | undefined;
  private epoch = 0;
  private alias: AliasTable | undefined;
  private aliasSeed = NaN;

  constructor(private readonly o: SamplerOptions) {}

  /** Number of possible targets of a source. */
  get candidates(): number {
    return this.o.same ? this.o.nTo - 1 : this.o.nTo;
  }

  /** Fills `buf.ids[0..n)` with the targets of source `s`, ascending; returns n. */
  targets(seed: number, s: number, buf: IdBuffer): number {
    const r = rngFor(seed, this.o.stream, s);
    const c = this.c;
    c.r = r;
    c.s = s;
    let n: number;
    if (this.o.p) {
      const p = Number(this.o.p(c));
      n = p - p === 0 ? this.bernoulli(r, p, buf) : this.invalid(this.o.checks?.p, p);
    } else {
      const k = Number(this.o.outDegree!(c));
      n = k - k === 0 ? this.degree(seed, r, k, buf) : this.invalid(this.o.checks?.outDegree, k);
    }
    if (this.o.same) {
      // Positions skip the source itself: position q is target q below s, q + 1 from s on.
      const ids = buf.ids;
      for (let k = 0; k < n; k++) if (ids[k] >= s) ids[k]++;
    }
    return n;
  }

  /** Reports a per-source number that is not finite; the source gets no links. */
  private invalid(site: ValueSite | undefined, v: number): number {
    if (site) this.o.checks!.invalid.found(site, v, this.c, () => `links of source ${this.c.s}`);
    return 0;
  }

  /** Each position independently with probability p, by geometric skips between links. */
  private bernoulli(r: Rng, p: number, buf: IdBuffer): number {
    const m = this.candidates;
    if (!(p > 0) || m <= 0) return 0;
    if (p >= 1) {
      buf.ensure(m);
      for (let q = 0; q < m; q++) buf.ids[q] = q;
      return m;
    }
    const lq = Math.log1p(-p);
    let n = 0;
    let pos = -1;
    for (;;) {
      pos += 1 + Math.floor(Math.log(1 - r()) / lq);
      if (pos >= m) return n;
      if (n >= buf.ids.length) buf.ensure(n + 1);
      buf.ids[n++] = pos;
    }
  }

  /** `k` distinct positions: Floyd's algorithm when uniform, rejection on an alias table when weighted. */
  private degree(seed: number, r: Rng, drawn: number, buf: IdBuffer): number {
    const m = this.candidates;
    const k = Math.min(m, Math.max(0, Math.floor(drawn)) || 0);
    if (k === 0) return 0;
    buf.ensure(k);
    this.mark ??= new Int32Array(Math.max(1, this.o.nTo)).fill(-1);
    const mark = this.mark;
    const epoch = ++this.epoch;
    const ids = buf.ids;
    let n = 0;
    if (!this.o.weight) {
      for (let j = m - k; j < m; j++) {
        let q = Math.floor(r() * (j + 1));
        if (mark[q] === epoch) q = j;
        mark[q] = epoch;
        ids[n++] = q;
      }
    } else {
      if (this.aliasSeed !== seed) (this.alias = this.buildAlias(seed)), (this.aliasSeed = seed);
      const alias = this.alias!;
      const self = this.o.same ? this.c.s : -1;
      // Positions here are target indexes; convert to positions (skipping self) at the end.
      for (let tries = 0; n < k && tries < 100 * k + 1000; tries++) {
        const x = r() * alias.n;
        const i = x | 0;
        const t = x - i < alias.prob[i] ? i : alias.alias[i];
        if (t === self || mark[t] === epoch) continue;
        mark[t] = epoch;
        ids[n++] = self >= 0 && t > self ? t - 1 : t;
      }
      if (n < k) this.short++;
    }
    ids.subarray(0, n).sort();
    return n;
  }

  private buildAlias(seed: number): AliasTable {
    const w = new Float64Array(this.o.nTo);
    const c: SampleContext = { r: () => 0, s: 0, t: 0 };
    let total = 0;
    for (let t = 0; t < w.length; t++) {
      c.t = t;
      c.r = rngFor(seed, `${this.o.stream}/weight`, t);
      const v = Number(this.o.weight!(c));
      w[t] = Number.isFinite(v) && v > 0 ? v : 0;
      total += w[t];
    }
    if (total === 0) w.fill(1);
    return buildAlias(w);
  }
}
