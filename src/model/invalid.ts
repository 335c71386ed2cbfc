/**
 * Invalid values at run time: division by zero, overflow, NaN and Infinity.
 *
 * Expressions are compiled to plain JS, where 1/0 is Infinity and 0/0 is NaN; checking every
 * sub-expression would slow the hot path down, so values are checked where they are consumed
 * (an output column before it is encoded, a sampler's draw, a count, a time) and a non-finite
 * number is the signal. Functions that turn a number into text (`str`, `fixed`, `pad`) and a
 * time out of the calendar throw `InvalidValueSignal` instead of writing "NaN"; the consumer
 * catches it the same way. The consumer then knows which expression produced the value, where
 * it is written, and which names it read, so the report shows the inputs that produced it.
 *
 * The scenario's `on_invalid` decides what happens: `error` (default) stops with an
 * `expr-runtime` diagnostic, `warn` writes null and reports the first occurrences at the end,
 * `null` writes null silently. The consumers' checks are in checked.ts.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { diag, type Place } from '../diagnostics/make.js';
import { compileExpression, type Compiled, type ExprContext, type Scope } from '../expr/compile.js';
import { InvalidValueSignal, nonFinite } from '../expr/invalid-signal.js';
import type { Path, SourceMap } from '../phases/1-parse/index.js';

export type OnInvalid = 'error' | 'warn' | 'null';

export { InvalidValueSignal, nonFinite };

/** Where a consumed value comes from: an expression (or distribution) written at a place. */
export interface ValueSite {
  /** The expression text, or a distribution written as `normal(mean: ..., sd: ...)`. */
  expr: string;
  place: Place;
  /** `name = value, ...` for the names the expression reads, on the record that failed. */
  inputs(c: ExprContext): string;
}

interface Occurrences {
  site: ValueSite;
  count: number;
  examples: string[];
}

/** What `InvalidValues.mark` remembers. */
export interface InvalidMark {
  total: number;
  seen: Map<ValueSite, Occurrences>;
}

/** How many occurrences a warning quotes. */
const EXAMPLES = 3;

/** Collects and reports invalid values for one compiled scenario. */
export class InvalidValues {
  policy: OnInvalid = 'error';
  private readonly seen = new Map<ValueSite, Occurrences>();
  /** Occurrences recorded, all sites together. */
  private total = 0;

  constructor(private readonly map: SourceMap) {}

  /** A site for the expression at `path`; `names` are the names it reads, resolved in `scope`. */
  site(expr: string, path: Path, names: string[], scope: Scope): ValueSite {
    // An expression's place is its first character (inside the quotes, when quoted).
    const pos = this.map.inString(path, 0);
    const place = { file: pos.file ?? this.map.file, line: pos.line, column: pos.column, path };
    let readers: { name: string; fn?: Compiled }[] | undefined;
    return {
      expr,
      place,
      inputs(c) {
        // Compiled on the first report only: nothing is paid while values are fine.
        readers ??= [...new Set(names)].slice(0, 8).map((name) => ({ name, fn: compileExpression(name, scope).fn }));
        return readers.map((r) => `${r.name} = ${show(safely(r.fn, c))}`).join(', ');
      },
    };
  }

  /**
   * A consumer found `value` from `site` on record `c` (`where` says which record in words).
   * Throws under `error`; otherwise records the occurrence, and the caller writes null.
   */
  found(site: ValueSite, value: unknown, c: ExprContext, where?: string | (() => string)): void {
    if (this.policy === 'null') return;
    const context = () => [site.inputs(c), typeof where === 'function' ? where() : where].filter(Boolean).join('; ');
    if (this.policy === 'error') {
      throw new DiagnosticError([diag('expr-runtime', site.place, { expr: site.expr, value: show(value), context: context(), hint: HINT })]);
    }
    this.total++;
    let o = this.seen.get(site);
    if (!o) this.seen.set(site, (o = { site, count: 0, examples: [] }));
    o.count++;
    // Only the first occurrences are described: a million NaNs cost a counter each.
    if (o.examples.length < EXAMPLES) {
      const text = context();
      o.examples.push(`${show(value)}${text ? ` (${text})` : ''}`);
    }
  }

  /** Under `warn`: one warning per expression that gave invalid values, with its first occurrences. */
  warnings(): Diagnostic[] {
    if (this.policy !== 'warn') return [];
    return [...this.seen.values()].map((o) => ({
      ...diag('expr-runtime', o.site.place, {
        expr: o.site.expr,
        value: `an invalid value ${o.count} time(s), written as null`,
        context: `first: ${o.examples.join('; ')}`,
        hint: HINT,
      }),
      severity: 'warning' as const,
    }));
  }

  /** Occurrences so far, to carry from a worker thread to the main thread. */
  take(): { place: Place; expr: string; count: number; examples: string[] }[] {
    const out = [...this.seen.values()].map((o) => ({ place: o.site.place, expr: o.site.expr, count: o.count, examples: o.examples }));
    this.seen.clear();
    return out;
  }

  /** Adds occurrences taken from a worker thread (its sites are copies of ours: matched by place). */
  merge(taken: ReturnType<InvalidValues['take']>): void {
    for (const t of taken) {
      const site = [...this.seen.keys()].find((s) => s.place.line === t.place.line && s.place.column === t.place.column && s.expr === t.expr) ?? { expr: t.expr, place: t.place, inputs: () => '' };
      let o = this.seen.get(site);
      if (!o) this.seen.set(site, (o = { site, count: 0, examples: [] }));
      o.count += t.count;
      for (const e of t.examples) if (o.examples.length < EXAMPLES) o.examples.push(e);
    }
  }

  /** The occurrences so far, to tell later whether work recorded any (`since`) and to undo it (`restore`). */
  mark(): InvalidMark {
    return { total: this.total, seen: new Map([...this.seen].map(([site, o]) => [site, { ...o, examples: [...o.examples] }])) };
  }

  /** Occurrences recorded since `m`. */
  since(m: InvalidMark): number {
    return this.total - m.total;
  }

  /** Back to the occurrences of `m`, as if nothing had been found since (the work is redone). */
  restore(m: InvalidMark): void {
    this.seen.clear();
    for (const [site, o] of m.seen) this.seen.set(site, { ...o, examples: [...o.examples] });
    this.total = m.total;
  }

  /** Forgets occurrences (the plan's pilot runs before the run proper). */
  reset(): void {
    this.seen.clear();
  }
}

const HINT = 'Guard the expression (e.g. max(x, 1e-9) before dividing) or fix its inputs; `on_invalid: warn` or `null` writes null instead of stopping.';

function safely(fn: Compiled | undefined, c: ExprContext): unknown {
  try {
    return fn ? fn(c) : undefined;
  } catch (e) {
    return e instanceof InvalidValueSignal ? e.value : new EvalFailure(e);
  }
}

/** A value as a message shows it: numbers as JS writes them (NaN, Infinity), strings quoted and cut. */
export function show(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(8)));
  if (v instanceof EvalFailure) return `an error (${v.message})`;
  if (v === undefined) return 'no value';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  try {
    const text = JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
    return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 60)}...` : text;
  } catch {
    return typeof v;
  }
}

/** What a failed evaluation reports: the signal's value, or the error's message. */
export function failure(e: unknown): unknown {
  if (e instanceof InvalidValueSignal) return e.value;
  if (e instanceof DiagnosticError) throw e;
  return new EvalFailure(e);
}

/** An expression that threw (e.g. reading a property of no value): reported like a bad value. */
export class EvalFailure {
  readonly message: string;
  constructor(e: unknown) {
    this.message = e instanceof Error ? e.message : String(e);
  }
}
