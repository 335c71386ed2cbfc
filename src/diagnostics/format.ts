/** Prints diagnostics as `file:line:col  code  message`, a code frame and a hint. */
import type { Diagnostic } from './diagnostic.js';

export function formatDiagnostic(d: Diagnostic, source?: string, color = false): string {
  const red = (s: string) => (color ? `\x1b[31m${s}\x1b[39m` : s);
  const yellow = (s: string) => (color ? `\x1b[33m${s}\x1b[39m` : s);
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[22m` : s);
  const sev = d.severity === 'error' ? red(d.code) : yellow(d.code);
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const lines = [`${where}  ${sev}  ${d.message}`];
  if (source !== undefined && d.line > 0) lines.push(codeFrame(source, d.line, d.column, dim));
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

/** Two lines of context above the finding, a caret under its column. */
export function codeFrame(source: string, line: number, column: number, dim: (s: string) => string = (s) => s): string {
  const all = source.split(/\r?\n/);
  const from = Math.max(1, line - 2);
  const to = Math.min(all.length, line);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const text = all[n - 1] ?? '';
    out.push(dim(`  ${String(n).padStart(width)} | `) + text);
    if (n === line) out.push(dim(`  ${' '.repeat(width)} | `) + ' '.repeat(Math.max(0, column - 1)) + '^');
  }
  return out.join('\n');
}

export function summarize(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return `${errors} error(s), ${warnings} warning(s)`;
}
