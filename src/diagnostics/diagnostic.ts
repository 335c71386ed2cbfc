/** A finding about a scenario: where it is, what is wrong, what to do. */
export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
  file: string;
  /** 1-based; 0 when the finding has no place in the file (e.g. a missing file). */
  line: number;
  column: number;
  /** Path of the offending node inside the document, e.g. ["matrices", "role1", "rows", "start"]. */
  path: (string | number)[];
}

/** Thrown by later phases to stop with diagnostics instead of a stack trace. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`).join('\n'));
  }
}

export function hasErrors(diagnostics: Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
