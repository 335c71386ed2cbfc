/**
 * Populations: counts resolved in dependency order, attributes compiled to samplers, and the
 * drawn members stored column-wise in typed arrays (struct of arrays) so kernels read an
 * attribute with one array index.
 */
import type { Scope } from '../expr/compile.js';
import { rngFor } from '../rng/index.js';
import type { AnalysisContext } from './context.js';
import { compileDistribution, type CompiledDistribution } from './distribution.js';
import { describeSpec, drawChecked } from './checked.js';
import type { InvalidValues, ValueSite } from './invalid.js';
import { DiagnosticError } from '../diagnostics/diagnostic.js';

export interface AttributeColumn {
  name: string;
  kind: CompiledDistribution['kind'];
  /** number: Float64Array; boolean: Uint8Array; category: Int32Array of indexes into `values`; any: plain array. */
  data: Float64Array | Uint8Array | Int32Array | unknown[];
  values?: unknown[];
  mean?: number;
}

export interface Population {
  name: string;
  count: number;
  attributes: { name: string; dist: CompiledDistribution; site?: ValueSite }[];
  /** Filled by `drawPopulation`. */
  columns: Map<string, AttributeColumn>;
  /** Where draws that are not finite numbers are reported (see invalid.ts). */
  invalid?: InvalidValues;
  /** Set once `columns` are drawn: the seed, and whether every draw was valid (nothing reported). */
  drawn?: { seed: number; clean: boolean };
}

type ActorSpec = { count: number | string; attributes?: Record<string, unknown> };

/** Resolves every actor's count; expressions may read `count.<other actor>`. */
export function resolveCounts(actors: Record<string, ActorSpec>, ctx: AnalysisContext): Map<string, number> {
  const counts = new Map<string, number>();
  const visiting = new Set<string>();
  const resolve = (name: string, chain: string[]): number => {
    if (counts.has(name)) return counts.get(name)!;
    if (visiting.has(name)) {
      ctx.report('count-cycle', ['actors', name, 'count'], { cycle: [...chain.slice(chain.indexOf(name)), name].join(' -> ') });
      counts.set(name, 0);
      return 0;
    }
    const spec = actors[name].count;
    if (typeof spec === 'number') {
      counts.set(name, spec);
      return spec;
    }
    visiting.add(name);
    const table: Record<string, string> = {};
    for (const other of Object.keys(actors)) table[`count.${other}`] = `B[0](${JSON.stringify(other)})`;
    const bindings: unknown[] = [(other: string) => resolve(other, [...chain, name])];
    const scope: Scope = { resolve: (n) => table[n], known: () => Object.keys(table), bindings };
    const r = ctx.expr(spec, ['actors', name, 'count'], scope);
    let value = 0;
    if (r.random) ctx.report('expr-unsupported', ['actors', name, 'count'], { detail: 'random draws are not allowed in counts', expr: spec });
    else if (r.fn) value = countValue(r.fn);
    visiting.delete(name);
    if (!Number.isFinite(value) || value < 0) {
      if (!ctx.failed) ctx.report('count-invalid', ['actors', name, 'count'], { actor: name, value: String(value) });
      value = 0;
    }
    counts.set(name, Math.floor(value));
    return Math.floor(value);
  };
  for (const name of Object.keys(actors)) resolve(name, []);
  return counts;
}

/** A count expression's value; one that fails to evaluate is NaN (reported as count-invalid). */
function countValue(fn: (c: { r: () => number }) => unknown): number {
  try {
    return Number(fn({ r: () => 0 }));
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    return Number.NaN;
  }
}

/** Compiles the attribute samplers of one population, checking they are used in order. */
export function compilePopulation(name: string, spec: ActorSpec, counts: Map<string, number>, ctx: AnalysisContext): Population {
  const attributes: Population['attributes'] = [];
  const declared = Object.keys(spec.attributes ?? {});
  const defined = new Map<string, number>();
  const bindings: unknown[] = [];
  const table: Record<string, string> = { index: 'c.i' };
  for (const [other, n] of counts) table[`count.${other}`] = String(n);
  const scope: Scope = { resolve: (n) => table[n], known: () => Object.keys(table), bindings };
  for (const [attr, dspec] of Object.entries(spec.attributes ?? {})) {
    const path = ['actors', name, 'attributes', attr];
    // Names of attributes declared later resolve to a marker so we can say "used before defined".
    for (const later of declared.slice(declared.indexOf(attr))) table[later] = 'undefined';
    const dist = compileDistribution(dspec, path, scope, ctx);
    for (const used of dist.names) {
      if (!declared.includes(used) || defined.has(used)) continue;
      // Point at the name inside the expression that uses it, when it can be found.
      const use = findNameUse(dspec, path, used);
      if (use) ctx.reportInString('attribute-order', use.path, use.offset, { name: used });
      else ctx.report('attribute-order', path, { name: used });
    }
    attributes.push({ name: attr, dist, site: ctx.invalid.site(describeSpec(dspec), path, dist.names, scope) });
    defined.set(attr, attributes.length - 1);
    // From now on expressions read this attribute from the member's own context.
    table[attr] = `c.v[${attributes.length - 1}]`;
  }
  return { name, count: counts.get(name) ?? 0, attributes, columns: new Map(), invalid: ctx.invalid };
}

/** The first string under `spec` where `name` appears as a whole name, and its offset. */
function findNameUse(spec: unknown, path: (string | number)[], name: string): { path: (string | number)[]; offset: number } | undefined {
  if (typeof spec === 'string') {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`(?<![\\w.$])${escaped}(?![\\w$])`).exec(spec);
    return m ? { path, offset: m.index } : undefined;
  }
  if (spec && typeof spec === 'object') {
    for (const [k, v] of Object.entries(spec)) {
      const found = findNameUse(v, [...path, Array.isArray(spec) ? Number(k) : k], name);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Draws every member; member i uses stream (seed, "actor/<name>", i) whatever the run split.
 * `shared`: numeric columns live in SharedArrayBuffers, so worker threads can adopt them
 * (`adoptColumns`) instead of drawing the population again and holding a copy each.
 */
export function drawPopulation(pop: Population, seed: number, shared = false): void {
  const cols = allocateColumns(pop, shared);
  const mark = pop.invalid?.mark();
  drawMembers(pop, cols, seed, 0, pop.count, 0);
  pop.columns = new Map(cols.map((col) => [col.name, col]));
  pop.drawn = { seed, clean: !mark || pop.invalid!.since(mark) === 0 };
}

/**
 * True when `pop` holds its members for `seed` and drawing them reported nothing, so a run can
 * use them as they are (the plan's pilot draws every population whole; a draw that reported
 * invalid values is drawn again by the run, which reports them itself).
 */
export function drawnFor(pop: Population, seed: number): boolean {
  return pop.drawn?.seed === seed && pop.drawn.clean && pop.columns.size === pop.attributes.length;
}

/** Moves typed columns into shared memory (worker threads adopt them without a copy each). */
export function shareColumns(pop: Population): void {
  for (const col of pop.columns.values()) {
    const data = col.data;
    if (!ArrayBuffer.isView(data) || data.buffer instanceof SharedArrayBuffer) continue;
    const shared = new (data.constructor as Float64ArrayConstructor)(new SharedArrayBuffer(data.byteLength));
    shared.set(data as Float64Array);
    col.data = shared;
  }
}

/** Empty columns for every member of `pop` (typed arrays in shared memory when `shared`). */
export function allocateColumns(pop: Population, shared: boolean): AttributeColumn[] {
  const n = pop.count;
  const typed = <T>(make: (b: ArrayBufferLike) => T, bytes: number, plain: () => T) => (shared ? make(new SharedArrayBuffer(bytes)) : plain());
  return pop.attributes.map(({ name, dist }): AttributeColumn => ({
    name,
    kind: dist.kind,
    values: dist.values,
    mean: dist.mean,
    data:
      dist.kind === 'number'
        ? typed((b) => new Float64Array(b), 8 * n, () => new Float64Array(n))
        : dist.kind === 'boolean'
          ? typed((b) => new Uint8Array(b), n, () => new Uint8Array(n))
          : dist.kind === 'category'
            ? typed((b) => new Int32Array(b), 4 * n, () => new Int32Array(n))
            : new Array(n),
  }));
}

/**
 * Draws members `from` to `to` - 1 into `cols`, member i at index i - `base` (0 for columns
 * of the whole population; `from` for one block's own arrays, as a worker thread fills them).
 */
export function drawMembers(pop: Population, cols: Pick<AttributeColumn, 'kind' | 'values' | 'data'>[], seed: number, from: number, to: number, base: number): void {
  const v: unknown[] = new Array(pop.attributes.length);
  const stream = `actor/${pop.name}`;
  const c = { r: rngFor(seed, stream, from), i: 0, v };
  for (let i = from; i < to; i++) {
    c.r = rngFor(seed, stream, i);
    c.i = i;
    for (let k = 0; k < pop.attributes.length; k++) {
      const { dist, site } = pop.attributes[k];
      const x = site && pop.invalid ? drawChecked(dist.sample, site, pop.invalid, c, `member ${i}`) : dist.sample(c);
      const col = cols[k];
      (col.data as any)[i - base] = col.kind === 'boolean' ? (x ? 1 : 0) : x;
      v[k] = col.kind === 'category' ? col.values![x as number] : col.kind === 'boolean' ? Boolean(x) : x;
    }
  }
}

/**
 * Expression names for a population's members, read through `indexCode` (e.g. "c.a"):
 * `<prefix>id` and `<prefix><attribute>`. Columns are bound lazily because they are drawn
 * after compilation.
 */
export function memberNames(pop: Population, prefix: string, indexCode: string, bindings: unknown[]): Record<string, string> {
  const table: Record<string, string> = { [`${prefix}id`]: indexCode };
  for (const { name, dist } of pop.attributes) {
    const k = bindings.length;
    const cell = { data: undefined as any, values: undefined as any };
    bindings.push(cell);
    lazyBind(pop, name, cell);
    table[`${prefix}${name}`] =
      dist.kind === 'category' ? `B[${k}].values[B[${k}].data[${indexCode}]]` : dist.kind === 'boolean' ? `(B[${k}].data[${indexCode}] === 1)` : `B[${k}].data[${indexCode}]`;
  }
  return table;
}

const pending = new WeakMap<Population, { name: string; cell: { data: any; values: any } }[]>();
function lazyBind(pop: Population, name: string, cell: { data: any; values: any }): void {
  const list = pending.get(pop) ?? [];
  list.push({ name, cell });
  pending.set(pop, list);
}

/** Points every compiled expression at the drawn columns; call after drawPopulation. */
/** The drawn columns of a population's members, to send to worker threads. */
export function columnData(pop: Population): { name: string; data: AttributeColumn['data'] }[] {
  return [...pop.columns.values()].map((c) => ({ name: c.name, data: c.data }));
}

/**
 * Takes columns drawn by another thread (`columnData`): shared typed arrays are used in
 * place, plain arrays (strings, faker values) arrive as copies. Same values as drawing them.
 */
export function adoptColumns(pop: Population, data: { name: string; data: AttributeColumn['data'] }[]): void {
  const byName = new Map(data.map((d) => [d.name, d.data]));
  pop.columns = new Map(
    pop.attributes.map(({ name, dist }) => [name, { name, kind: dist.kind, values: dist.values, mean: dist.mean, data: byName.get(name)! }]),
  );
}

export function bindColumns(pop: Population): void {
  for (const { name, cell } of pending.get(pop) ?? []) {
    const col = pop.columns.get(name)!;
    cell.data = col.data;
    cell.values = col.values;
  }
}

