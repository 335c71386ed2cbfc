/** `scenario plan FILE [--json]`: the compiled plan with expected rows and bytes. */
import { formatDiagnostic } from '../diagnostics/format.js';
import { loadScenario } from '../pipeline.js';
import type { Plan } from '../phases/3-plan/index.js';
import { formatBytes, formatInteger } from '../ui/format.js';
import { color, EXIT, parse, UsageError } from './args.js';

export const help = `Usage: scenario plan FILE [--json] [--seed N] [--set path=value ...] [--format csv|jsonl]

Compiles a scenario and prints its plan: populations, processes, outputs, stage order,
and the expected rows and size of each output (from a short pilot run of the first
members; exact when the pilot covers them all).

Examples:
  scenario plan scenarios/crm-theft.yaml
  scenario plan scenarios/crm-theft.yaml --set actors.users.count=20000 --json

Exit codes: 0 ok, 1 the scenario has errors, 2 usage error.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    json: { type: 'boolean' },
    seed: { type: 'string' },
    set: { type: 'string', multiple: true },
    format: { type: 'string' },
  });
  if (values.help) return (console.log(help), EXIT.ok);
  if (positionals.length !== 1) throw new UsageError('plan needs exactly one FILE');
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  const format = parseFormat(values.format);
  const loaded = loadScenario(positionals[0], { set: values.set, seed, format, estimate: true });
  for (const d of loaded.diagnostics) console.error(formatDiagnostic(d, loaded.source, color(process.stderr)) + '\n');
  if (!loaded.compiled) return EXIT.invalid;
  const plan = loaded.compiled.plan;
  console.log(values.json ? JSON.stringify(plan, null, 2) : planText(plan));
  return EXIT.ok;
}

export function parseSeed(text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--seed must be a non-negative integer, got "${text}"`);
  return Number(text);
}

export function parseFormat(text: string | undefined): 'csv' | 'jsonl' | undefined {
  if (text === undefined) return undefined;
  if (text !== 'csv' && text !== 'jsonl') throw new UsageError(`--format must be csv or jsonl, got "${text}"`);
  return text;
}

export function planText(plan: Plan): string {
  const lines = [`scenario ${plan.scenario}  seed ${plan.seed}  ${plan.time.days} day(s) from ${plan.time.start}, unit ${plan.time.unit}`, '', 'populations'];
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
  return lines.join('\n');
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
