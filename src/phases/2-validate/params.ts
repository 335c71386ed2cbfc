/**
 * Scenario parameters. `params:` declares named, typed values with defaults, either short
 * (`users: 200`, the type taken from the value) or long (`users: { type: integer, default:
 * 200, minimum: 1, description: ... }`). `--params file.yaml` and then `--set params.<name>=v`
 * override them; each override is type-checked and reported where it was given.
 * Expressions read the resolved values as `params.<name>` (see AnalysisContext.expr).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diag, type Place } from '../../diagnostics/make.js';
import type { AnalysisContext } from '../../model/context.js';
import { parseScenario } from '../1-parse/index.js';

export type ParamValue = number | string | boolean;
export type ParamType = 'integer' | 'number' | 'string' | 'boolean';

export interface ParamDecl {
  name: string;
  type: ParamType;
  default: unknown;
  minimum?: number;
  maximum?: number;
  values?: unknown[];
  description?: string;
}

/** A value given for a param outside the scenario, and where, for diagnostics. */
export interface ParamOverride {
  name: string;
  value: unknown;
  /** How it was given, e.g. `--set params.users=abc` or `--params big.yaml`. */
  source: string;
  /** Where the value is (the name's key for unknown-param findings is `keyPlace`). */
  place: Place;
  keyPlace: Place;
}

/** The declarations of a validated scenario's `params:` block, in order. */
export function declaredParams(scenario: any): ParamDecl[] {
  return Object.entries<any>(scenario?.params ?? {}).map(([name, spec]) => {
    if (spec !== null && typeof spec === 'object') return { name, ...spec, type: spec.type ?? typeOf(spec.default) };
    return { name, type: typeOf(spec), default: spec };
  });
}

function typeOf(v: unknown): ParamType {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return 'string';
}

/**
 * The value of every param: its default, then overrides in the order given. Findings go to
 * `ctx`; the result is complete only when none of them is an error.
 */
export function resolveParams(scenario: any, overrides: ParamOverride[], ctx: AnalysisContext): Record<string, ParamValue> {
  const decls = declaredParams(scenario);
  const values: Record<string, ParamValue> = {};
  for (const d of decls) {
    const valuePath = typeof scenario.params[d.name] === 'object' ? ['params', d.name, 'default'] : ['params', d.name];
    const place = { file: ctx.file, path: valuePath, ...ctx.map.at(valuePath) };
    const v = checkValue(d, d.default, place, 'its default', ctx.diagnostics);
    if (v !== undefined) values[d.name] = v;
  }
  for (const o of overrides) {
    const d = decls.find((x) => x.name === o.name);
    if (!d) {
      ctx.diagnostics.push(diag('param-unknown', o.keyPlace, { name: o.name, source: o.source, known: decls.map((x) => x.name).join(', ') }));
      continue;
    }
    const declared = ctx.map.keyAt(['params', d.name]);
    const hint = `"${d.name}" is declared at ${declared.file ?? ctx.file}:${declared.line}:${declared.column} as ${describeDecl(d)}.`;
    const v = checkValue(d, o.value, o.place, o.source, ctx.diagnostics, hint);
    if (v !== undefined) values[d.name] = v;
  }
  return values;
}

function describeDecl(d: ParamDecl): string {
  const bounds = [d.minimum !== undefined ? `>= ${d.minimum}` : '', d.maximum !== undefined ? `<= ${d.maximum}` : ''].filter(Boolean).join(' and ');
  return `${article(d.type)}${bounds ? ` ${bounds}` : ''}${d.values ? `, one of ${d.values.join(', ')}` : ''}`;
}

const article = (t: ParamType) => (t === 'integer' ? 'an integer' : `a ${t}`);

/** Checks one value against a declaration; reports and returns undefined when it does not fit. */
function checkValue(d: ParamDecl, value: unknown, place: Place, source: string, out: Diagnostic[], hint?: string): ParamValue | undefined {
  const found = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : typeof value === 'string' ? `"${value}"` : String(value);
  const wrongType = () => (out.push(diag('param-type', place, { name: d.name, expected: article(d.type), found, source, ...(hint ? { hint } : {}) })), undefined);
  let v: ParamValue;
  switch (d.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType();
      v = value;
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType();
      v = value;
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return wrongType();
      v = value;
      break;
    default:
      // A string param takes any scalar: `--set params.region=2024` means the text "2024".
      if (value === null || typeof value === 'object') return wrongType();
      v = String(value);
  }
  const range = (detail: string) => (out.push(diag('param-range', place, { name: d.name, value: String(v), detail, source, ...(hint ? { hint } : {}) })), undefined);
  if (typeof v === 'number' && d.minimum !== undefined && v < d.minimum) return range(`below the minimum ${d.minimum}`);
  if (typeof v === 'number' && d.maximum !== undefined && v > d.maximum) return range(`above the maximum ${d.maximum}`);
  if (d.values && !d.values.some((x) => String(x) === String(v))) return range(`not one of ${d.values.join(', ')}`);
  return v;
}

/** Splits `--set` arguments into param overrides (`params.<name>=value`) and the rest. */
export function paramSets(sets: string[], parse: (text: string) => unknown): { overrides: ParamOverride[]; rest: string[] } {
  const overrides: ParamOverride[] = [];
  const rest: string[] = [];
  for (const arg of sets) {
    const m = /^params\.([^.=]+)=(.*)$/s.exec(arg);
    if (!m) {
      rest.push(arg);
      continue;
    }
    let value: unknown;
    try {
      value = parse(m[2]);
    } catch {
      rest.push(arg); // the generic --set reports the unreadable value
      continue;
    }
    const place = { file: '--set', line: 0, column: 0, path: ['params', m[1]] };
    overrides.push({ name: m[1], value, source: `--set ${arg}`, place, keyPlace: place });
  }
  return { overrides, rest };
}

/** Reads a `--params` file: a YAML map of name: value, each located for diagnostics. */
export function readParamsFile(file: string): { overrides: ParamOverride[]; diagnostics: Diagnostic[]; shown: string; source: string } {
  const shown = relative(process.cwd(), file) || file;
  const nowhere = { file: shown, line: 0, column: 0, path: [] };
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    const detail = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    return { overrides: [], diagnostics: [diag('file-unreadable', nowhere, { file: shown, detail })], shown, source: '' };
  }
  const parsed = parseScenario(source, shown);
  if (parsed.diagnostics.length > 0) return { overrides: [], diagnostics: parsed.diagnostics, shown, source };
  const value = parsed.value;
  if (value === null || value === undefined) return { overrides: [], diagnostics: [], shown, source };
  if (typeof value !== 'object' || Array.isArray(value)) {
    const at = { ...nowhere, ...parsed.map.at([]) };
    return { overrides: [], diagnostics: [diag('params-file-invalid', at, { file: shown, detail: 'is not a map of name: value' })], shown, source };
  }
  const overrides = Object.entries(value).map(([name, v]) => ({
    name,
    value: v,
    source: `--params ${shown}`,
    place: { file: shown, path: [name], ...parsed.map.at([name]) },
    keyPlace: { file: shown, path: [name], ...parsed.map.keyAt([name]) },
  }));
  return { overrides, diagnostics: [], shown, source };
}
