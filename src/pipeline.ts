/**
 * The pipeline in one place: parse -> validate -> plan -> run. Each phase hands plain data
 * to the next; commands call these functions and only decide how to print.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { DiagnosticError, hasErrors } from './diagnostics/diagnostic.js';
import { diag } from './diagnostics/make.js';
import { AnalysisContext } from './model/context.js';
import { parseScenario, type Parsed } from './phases/1-parse/index.js';
import { validateScenario } from './phases/2-validate/index.js';
import { estimateOutputs } from './phases/3-plan/estimate.js';
import { planScenario, type CompiledScenario } from './phases/3-plan/index.js';
import { runCompiled, type RunOptions, type RunResult } from './phases/4-run/index.js';
import { sha256 } from './sinks/manifest.js';
import type { Format } from './sinks/encoders.js';

export interface LoadOptions {
  /** `path=value` overrides applied to the document before validation. */
  set?: string[];
  seed?: number;
  format?: Format;
  /** Fill expected rows and bytes in the plan (runs a small pilot). */
  estimate?: boolean;
}

export interface Loaded {
  /** The file as given on the command line, for messages. */
  file: string;
  source: string;
  sha256: string;
  diagnostics: Diagnostic[];
  compiled?: CompiledScenario;
}

/** Reads, parses, validates and plans a scenario. Never throws for bad input: see diagnostics. */
export function loadScenario(file: string, opts: LoadOptions = {}): Loaded {
  const shown = relative(process.cwd(), file) || file;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    const detail = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    return { file: shown, source: '', sha256: '', diagnostics: [diag('file-unreadable', { file: shown, line: 0, column: 0, path: [] }, { file: shown, detail })] };
  }
  const loaded: Loaded = { file: shown, source, sha256: sha256(source), diagnostics: [] };
  const parsed = parseScenario(source, shown);
  loaded.diagnostics.push(...parsed.diagnostics);
  if (hasErrors(loaded.diagnostics)) return loaded;
  const value = applySets(parsed, opts.set ?? [], loaded.diagnostics);
  if (hasErrors(loaded.diagnostics)) return loaded;
  loaded.diagnostics.push(...validateScenario(value, parsed.map));
  if (hasErrors(loaded.diagnostics)) return loaded;
  const ctx = new AnalysisContext(parsed.map);
  const compiled = planScenario(value, ctx, { seed: opts.seed, format: opts.format });
  loaded.diagnostics.push(...ctx.diagnostics);
  if (!compiled || hasErrors(loaded.diagnostics)) return loaded;
  if (opts.estimate) {
    // The pilot runs the real kernels, so run-time findings (a matrix expression returning
    // a name that is not a matrix) surface here first, as diagnostics.
    try {
      estimateOutputs(compiled);
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      loaded.diagnostics.push(...e.diagnostics);
      return loaded;
    }
  }
  loaded.compiled = compiled;
  return loaded;
}

/** Applies `--set a.b.c=value` (value read as YAML) to the document; returns the new value. */
function applySets(parsed: Parsed, sets: string[], out: Diagnostic[]): unknown {
  for (const arg of sets) {
    const eq = arg.indexOf('=');
    const place = { file: '--set', line: 0, column: 0, path: [] };
    if (eq <= 0) {
      out.push(diag('set-invalid', place, { arg, detail: 'expected path=value' }));
      continue;
    }
    const path = arg.slice(0, eq).split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    let value: unknown;
    try {
      value = parseYaml(arg.slice(eq + 1));
    } catch (e) {
      out.push(diag('set-invalid', place, { arg, detail: (e as Error).message.split('\n')[0] }));
      continue;
    }
    try {
      parsed.doc.setIn(path, parsed.doc.createNode(value));
    } catch (e) {
      out.push(diag('set-invalid', place, { arg, detail: `cannot set ${path.join('.')}: ${(e as Error).message}` }));
    }
  }
  return sets.length > 0 ? parsed.doc.toJS({ maxAliasCount: 100 }) : parsed.value;
}

export type { RunOptions, RunResult };

/** Runs a loaded scenario. */
export function runScenario(loaded: Loaded & { compiled: CompiledScenario }, opts: Omit<RunOptions, 'scenarioFile' | 'scenarioSha256'>): Promise<RunResult> {
  return runCompiled(loaded.compiled, { ...opts, scenarioFile: loaded.file, scenarioSha256: loaded.sha256 });
}
