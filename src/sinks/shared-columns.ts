/**
 * Columns shared between CSV outputs of the same records. When two outputs write the same
 * kernel column (e.g. aml-graph's transactions file and its Neo4j copy both write
 * `transaction.id`, `transaction.date`, `transaction.amount`, ...), the second copies the
 * bytes the first has just written for the record instead of encoding the value again.
 *
 * Safe only under conditions checked here: the donor takes every record (no `where`) and
 * comes first among the record's sinks, so its row for a record is always written right
 * before the copier's; both have the same CSV settings; and only kernel column writers
 * (`SpecialColumn`: pure functions of the record, no random draws, no invalid-value checks)
 * are shared, each under the same expression. A donor row that crossed a buffer flush is
 * not copied from (the copier encodes as usual), so the bytes are always those the copier
 * would have written itself.
 */
import type { ByteWriter } from './byte-writer.js';

/** Where the donor's shared columns sit in its buffer, for the record just written. */
export class ColumnMarks {
  buf: Uint8Array = new Uint8Array(0);
  /** False when the donor's last row crossed a flush (its bytes are no longer all in `buf`). */
  valid = false;
  readonly start: Int32Array;
  readonly end: Int32Array;

  constructor(readonly size: number) {
    this.start = new Int32Array(size);
    this.end = new Int32Array(size);
  }
}

/** Copies bytes [from, to) of `src` into the writer (short runs: a loop beats TypedArray.set). */
export function copyBytes(w: ByteWriter, src: Uint8Array, from: number, to: number): void {
  const n = to - from;
  w.ensure(n);
  const buf = w.buf;
  let p = w.pos;
  for (let i = from; i < to; i++) buf[p++] = src[i];
  w.pos = p;
}

/**
 * The copier's columns grouped into runs: [first, last] column ranges whose donor columns
 * are consecutive too, so one copy takes the whole run, delimiters included (both outputs
 * have the same delimiter). Columns not copied are runs of one with `copied` false.
 */
export function copyRuns(plan: SharePlan | undefined, columns: number): { first: number; last: number; copied: boolean }[] {
  const runs: { first: number; last: number; copied: boolean }[] = [];
  for (let i = 0; i < columns; i++) {
    const from = plan?.copyFrom?.[i] ?? -1;
    const run = runs[runs.length - 1];
    if (from >= 0 && run?.copied && plan!.copyFrom![i - 1] === from - 1) run.last = i;
    else runs.push({ first: i, last: i, copied: from >= 0 });
  }
  return runs;
}

/** What one CSV output needs to know to share: its records, settings and columns. */
export interface ShareCandidate {
  /** "process/record": outputs share only within the same records. */
  records: string;
  /** The CSV settings, as one string: outputs share only with equal settings. */
  settings: string;
  hasWhere: boolean;
  /** Per column: the expression text when the column has an active kernel writer, else undefined. */
  shareable: (string | undefined)[];
}

/** The sharing role of one output: per column a mark index, or -1. */
export interface SharePlan {
  marks: ColumnMarks;
  /** On the donor: the columns it records, by mark index. */
  donate?: number[];
  /** On a copier: the columns it copies, by mark index. */
  copy?: number[];
  /** On a copier: the donor column each copied column comes from (-1: not copied). */
  copyFrom?: number[];
}

/** Fewer shared columns than this are not worth the bookkeeping. */
const MIN_SHARED = 2;

/**
 * Pairs each output with the first earlier output that can donate (same records and
 * settings, no `where`), when they share at least MIN_SHARED kernel columns. Returns a plan
 * per output index (undefined: no sharing).
 */
export function planSharing(outputs: ShareCandidate[]): (SharePlan | undefined)[] {
  const plans: (SharePlan | undefined)[] = outputs.map(() => undefined);
  const copies: { donor: number; copier: number; pairs: [number, number][] }[] = [];
  outputs.forEach((b, j) => {
    for (let i = 0; i < j; i++) {
      const a = outputs[i];
      if (a.hasWhere || a.records !== b.records || a.settings !== b.settings) continue;
      const byExpr = new Map<string, number>();
      a.shareable.forEach((e, col) => e !== undefined && !byExpr.has(e) && byExpr.set(e, col));
      const pairs: [number, number][] = [];
      b.shareable.forEach((e, col) => {
        const from = e === undefined ? undefined : byExpr.get(e);
        if (from !== undefined) pairs.push([from, col]);
      });
      if (pairs.length < MIN_SHARED) continue;
      copies.push({ donor: i, copier: j, pairs });
      return;
    }
  });
  // A donor records every column any of its copiers takes; one mark index per donor column.
  const markOf = new Map<number, Map<number, number>>();
  for (const { donor, pairs } of copies) {
    const m = markOf.get(donor) ?? new Map<number, number>();
    for (const [from] of pairs) if (!m.has(from)) m.set(from, m.size);
    markOf.set(donor, m);
  }
  for (const [donor, m] of markOf) {
    const marks = new ColumnMarks(m.size);
    const donate = outputs[donor].shareable.map((_, col) => m.get(col) ?? -1);
    plans[donor] = { marks, donate };
  }
  for (const { donor, copier, pairs } of copies) {
    // An output that donates is not also a copier (its own row must be encoded in full).
    if (plans[copier]) continue;
    const m = markOf.get(donor)!;
    const copy = outputs[copier].shareable.map(() => -1);
    const copyFrom = outputs[copier].shareable.map(() => -1);
    for (const [from, col] of pairs) (copy[col] = m.get(from)!), (copyFrom[col] = from);
    plans[copier] = { marks: plans[donor]!.marks, copy, copyFrom };
  }
  return plans;
}
