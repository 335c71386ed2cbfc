/** `scenario plan FILE [--json]`: the compiled plan with expected rows and bytes. */
import { formatDiagnostic } from '../diagnostics/format.js';
import { loadScenario } from '../pipeline.js';
import type { Plan } from '../phases/3-plan/index.js';
import { FORMATS, type Format } from '../sinks/encoders.js';
import { formatBytes, formatInteger } from '../ui/format.js';
import { color, EXIT, parse, UsageError } from './args.js';

export const help = `Usage: scenario plan FILE [--json] [--seed N] [--set path=value ...] [--params FILE ...] [--format FORMAT]

Compiles a scenario and prints its plan: populations, processes, outputs, stage order,
and the expected rows and size of each output (from a short pilot run of the first
members; exact when the pilot covers them all).

Examples:
  scenario plan scenarios/crm-theft.yaml
  scenario plan scenarios/crm-theft.yaml --set actors.users.count=20000 --json
  scenario plan scenarios/crm-theft.yaml --set params.users=20000

Exit codes: 0 ok, 1 the scenario has errors, 2 usage error.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    json: { type: 'boolean' },
    seed: { type: 'string' },
    set: { type: 'string', multiple: true },
    params: { type: 'string', multiple: true },
    format: { type: 'string' },
  });
  if (values.help) return (console.log(help), EXIT.ok);
  if (positionals.length !== 1) throw new UsageError('plan needs exactly one FILE');
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  const format = parseFormat(values.format);
  const loaded = loadScenario(positionals[0], { set: values.set, params: values.params, seed, format, estimate: true });
  for (const d of loaded.diagnostics) console.error(formatDiagnostic(d, loaded.sources[d.file] ?? loaded.source, color(process.stderr)) + '\n');
  if (!loaded.compiled) return EXIT.invalid;
  const plan = loaded.compiled.plan;
  console.log(values.json ? JSON.stringify(plan, null, 2) : planText(plan));
  return EXIT.ok;
}

export function parseSeed(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--seed must be a non-negative integer, got "${text}"`);
  return Number(text);
}

export function parseFormat(text: string | undefined): Format | undefined {
  if (text === undefined) return undefined;
  if (!(FORMATS as readonly string[]).includes(text)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${text}"`);
  return text as Format;
}

export function planText(plan: Plan): string {
  const lines = [`scenario ${plan.scenario}  seed ${plan.seed}  ${plan.time.days} day(s) from ${plan.time.start}, unit ${plan.time.unit}`];
  const params = Object.entries(plan.params ?? {});
  if (params.length > 0) lines.push(`params: ${params.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);
  lines.push('', 'populations');
  for (const p of plan.populations) {
    const attrs = p.attributes.map((a) => `${a.name} (${a.kind}${a.mean !== undefined ? `, mean ${round(a.mean)}` : ''})`).join(', ');
    lines.push(`  ${p.name}: ${formatInteger(p.count)}${attrs ? `  ${attrs}` : ''}`);
  }
  lines.push('', 'processes');
  for (const p of plan.processes) {
    lines.push(`  ${p.name}: ${p.kind}${p.actor ? ` over ${p.actor}` : ''}, ${formatInteger(p.iterate.count)} ${p.iterate.unit}`);
    for (const [k, v] of Object.entries(p.details)) lines.push(`    ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  lines.push('', 'outputs');
  let rows = 0;
  let bytes = 0;
  for (const o of plan.outputs) {
    rows += o.expectedRows ?? 0;
    bytes += o.expectedBytes ?? 0;
    const expected = o.expectedRows !== undefined ? `  ~${formatInteger(o.expectedRows)} rows, ~${formatBytes(o.expectedBytes ?? 0)}` : '';
    lines.push(`  ${o.file} (${o.format}) from ${o.from}${o.rows ? ` per ${o.rows}` : ''}${o.label ? `, label ${o.label}` : ''}${expected}`);
    lines.push(`    columns: ${o.columns.join(', ')}`);
  }
  lines.push('', `stages: ${plan.stages.join(' -> ')}`, `expected total: ~${formatInteger(rows)} rows, ~${formatBytes(bytes)}`);
  // Where each piece comes from, when the scenario is composed from several files.
  const sources = Object.entries(plan.sources ?? {});
  if (new Set(sources.map(([, f]) => f)).size > 1) lines.push('', 'sources', ...sources.map(([piece, f]) => `  ${piece}: ${f}`));
  return lines.join('\n');
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
