/**
 * Compiles each output: its column expressions in the scope of the records it takes, its
 * encoder, and its label. Columns that are exactly a name with a kernel writer (a session
 * path) use that writer.
 */
import { tableScope, type ExprContext, type Scope } from '../../expr/compile.js';
import type { ProcessRuntime } from '../../kernels/types.js';
import type { AnalysisContext } from '../../model/context.js';
import { compileChecked } from '../../model/checked.js';
import type { Population } from '../../model/population.js';
import { csvEncoder, csvSpecials, jsonlEncoder, type ColumnSpec, type CsvOptions, type Format, type RowEncoder } from '../../sinks/encoders.js';
import { memberKeyOf, type MemberKey } from '../../sinks/member-columns.js';
import { planSharing, type ShareCandidate } from '../../sinks/shared-columns.js';
import { parquetEncoder } from '../../sinks/parquet/encoder.js';

export interface OutputRuntime {
  name: string;
  file: string;
  format: Format;
  /** The process it takes records from, or the state list it lists. */
  source: { process: string; record: string } | { states: string[]; pad?: string };
  columns: string[];
  encoder: RowEncoder;
  label?: { column: string; value: (c: ExprContext) => unknown };
  /** Records for which this is false are not written (the output's `where:`). */
  where?: (c: ExprContext) => unknown;
  /** A line written once before the rows (after a CSV header). */
  preamble?: string;
}

export function compileOutputs(
  scenario: any,
  processes: ProcessRuntime[],
  populations: Map<string, Population>,
  formatOverride: Format | undefined,
  ctx: AnalysisContext,
): OutputRuntime[] {
  const out: OutputRuntime[] = [];
  const csvOutputs: { index: number; columns: ColumnSpec[]; csv: CsvOptions; candidate: ShareCandidate }[] = [];
  for (const [name, spec] of Object.entries<any>(scenario.outputs ?? {})) {
    const path = ['outputs', name];
    const format: Format = formatOverride ?? spec.format ?? 'csv';
    const file = spec.file === undefined ? `${name}.${format}` : formatOverride ? withFormatExtension(spec.file, format) : spec.file;
    const process = processes.find((p) => p.name === spec.from);
    const bindings: unknown[] = [];
    let table: Record<string, string>;
    let specials: Record<string, import('../../sinks/encoders.js').SpecialColumn> = {};
    let keys: Record<string, MemberKey> | undefined;
    let source: OutputRuntime['source'];
    if (process) {
      const record = spec.rows ?? process.records[0];
      if (!process.records.includes(record)) {
        ctx.report('ref-mismatch', [...path, 'rows'], { detail: `process "${process.name}" has no "${record}" records`, hint: `Use one of: ${process.records.join(', ')}.` });
        continue;
      }
      const names = process.columnNames(record, bindings);
      table = names.table;
      specials = names.specials;
      keys = names.keys;
      source = { process: process.name, record };
    } else if (scenario.states?.[spec.from]) {
      table = { index: 'c.index', name: 'c.name' };
      source = { states: scenario.states[spec.from], pad: spec.pad };
    } else continue; // reported by validation, or its process failed to compile
    const scope = tableScope(table, bindings);
    const columns: ColumnSpec[] = [];
    const exprs: (string | undefined)[] = [];
    // Values are checked as they are written (a NaN or Infinity is reported, see model/invalid.ts);
    // the label reads its column a second time without reporting again.
    const quiet = new Map<string, ColumnSpec['value']>();
    for (const [col, expr] of Object.entries<unknown>(spec.columns)) {
      if (typeof expr !== 'string') {
        if (typeof expr === 'number' && !Number.isFinite(expr)) ctx.report('schema-value', [...path, 'columns', col], { where: [...path, 'columns', col].join('.'), detail: `is ${expr}`, hint: 'A constant column must be a finite number, a boolean or an expression.' });
        columns.push({ name: col, value: () => expr });
        exprs.push(undefined);
        continue;
      }
      const r = compileChecked(ctx, expr, [...path, 'columns', col], scope);
      if (r.quiet) quiet.set(col, r.quiet);
      columns.push({
        name: col,
        value: r.fn,
        special: specials[expr.trim()],
        fixed: r.fixed && { value: r.fixed.fn, digits: r.fixed.digits },
        member: memberKeyOf(r.names, r.random, keys),
      });
      exprs.push(expr.trim());
    }
    const csv: CsvOptions = {
      delimiter: spec.delimiter ?? ',',
      header: spec.header ?? true,
      booleans: spec.booleans ?? ['true', 'false'],
      listSeparator: spec.list_separator ?? '|',
    };
    const encoder = format === 'parquet' ? parquetEncoder(columns) : format === 'jsonl' || format === 'jsonl.gz' ? jsonlEncoder(columns) : csvEncoder(columns, csv);
    const where = typeof spec.where === 'string' ? compileChecked(ctx, spec.where, [...path, 'where'], scope).fn : undefined;
    if ((format === 'csv' || format === 'csv.gz') && 'process' in source) {
      const active = csvSpecials(columns, csv);
      csvOutputs.push({
        index: out.length,
        columns,
        csv,
        candidate: {
          records: `${source.process}/${source.record}`,
          settings: JSON.stringify([csv.delimiter, csv.booleans, csv.listSeparator]),
          hasWhere: where !== undefined,
          shareable: exprs.map((e, i) => (active[i] ? e : undefined)),
        },
      });
    }
    const preamble = spec.preamble === undefined ? undefined : constantLine(spec.preamble, [...path, 'preamble'], scope, ctx);
    const labelCol = spec.label !== undefined ? columns.find((c) => c.name === spec.label) : undefined;
    out.push({
      name,
      file,
      format,
      source,
      columns: columns.map((c) => c.name),
      encoder,
      label: labelCol?.value ? { column: labelCol.name, value: quiet.get(labelCol.name) ?? labelCol.value } : undefined,
      where,
      preamble,
    });
  }
  // CSV outputs of the same records that write the same kernel columns share their bytes.
  planSharing(csvOutputs.map((o) => o.candidate)).forEach((plan, i) => {
    if (!plan) return;
    const { index, columns, csv } = csvOutputs[i];
    out[index].encoder = csvEncoder(columns, csv, plan);
  });
  return out;
}

/** A preamble is evaluated once, before any record: only constants (e.g. `detector.header`) make sense. */
function constantLine(text: string, path: (string | number)[], scope: Scope, ctx: AnalysisContext): string | undefined {
  const r = ctx.expr(text, path, scope);
  if (!r.fn) return undefined;
  try {
    const v = r.fn({ r: () => 0 });
    if (v !== undefined && v !== null) return String(v);
  } catch {
    // reported below
  }
  ctx.report('expr-runtime', path, { expr: text, value: 'no value before the first record', hint: 'A preamble may use only constants, such as detector.header.' });
  return undefined;
}

/** With `--format`, a file named for another format gets this one's extension (payments.csv -> payments.parquet). */
export function withFormatExtension(file: string, format: Format): string {
  const m = /\.(csv|jsonl|json|parquet)(\.gz)?$/.exec(file);
  return m ? `${file.slice(0, m.index)}.${format}` : file;
}
