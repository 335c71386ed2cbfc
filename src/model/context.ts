/**
 * The analysis context shared by validation and planning: where findings go, and how an
 * expression written at some place in the file is compiled with its problems located at
 * the right line and column.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/catalogue.js';
import { diag } from '../diagnostics/make.js';
import { compileExpression, type CompileResult, type Scope } from '../expr/compile.js';
import type { Path, SourceMap } from '../phases/1-parse/index.js';
import { InvalidValues } from './invalid.js';

export class AnalysisContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Resolved scenario params; every expression can read them as `params.<name>`. */
  params: Record<string, number | string | boolean> = {};
  /** Where run-time invalid values of the compiled expressions are reported (see invalid.ts). */
  readonly invalid: InvalidValues;
  constructor(readonly map: SourceMap) {
    this.invalid = new InvalidValues(map);
  }

  get file(): string {
    return this.map.file;
  }

  /** Records a finding at the value (or, with key: true, the key) at `path`. */
  report(code: DiagnosticCode, path: Path, args: Record<string, string | number> = {}, key = false): void {
    const pos = key ? this.map.keyAt(path) : this.map.at(path);
    this.diagnostics.push(diag(code, { file: this.file, path, ...pos }, args));
  }

  /** Records a finding at character `offset` of the string value at `path`. */
  reportInString(code: DiagnosticCode, path: Path, offset: number, args: Record<string, string | number> = {}): void {
    this.diagnostics.push(diag(code, { file: this.file, path, ...this.map.inString(path, offset) }, args));
  }

  get failed(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  /** Compiles the expression written at `path`; problems become located diagnostics. */
  expr(text: string, path: Path, scope: Scope): CompileResult {
    const result = compileExpression(text, withParams(scope, this.params));
    // Params are constants, not inputs: leave them out of the names the expression reads.
    result.names = result.names.filter((n) => !(n.startsWith('params.') && Object.prototype.hasOwnProperty.call(this.params, n.slice(7))));
    for (const p of result.problems) {
      const pos = this.map.inString(path, p.offset);
      this.diagnostics.push(diag(p.code, { file: this.file, path, ...pos }, p.args));
    }
    return result;
  }
}

/** `scope` plus `params.<name>`, compiled to the param's value as a constant. */
function withParams(scope: Scope, params: Record<string, number | string | boolean>): Scope {
  const names = Object.keys(params).map((n) => `params.${n}`);
  if (names.length === 0) return scope;
  return {
    resolve: (name) => {
      if (name.startsWith('params.') && Object.prototype.hasOwnProperty.call(params, name.slice(7))) return JSON.stringify(params[name.slice(7)]);
      return scope.resolve(name);
    },
    known: () => [...scope.known(), ...names],
    bindings: scope.bindings,
  };
}
