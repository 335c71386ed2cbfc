/** The one place that builds diagnostics from the catalogue. */
import { CATALOGUE, type DiagnosticCode } from './catalogue.js';
import type { Diagnostic } from './diagnostic.js';

export interface Place {
  file: string;
  line: number;
  column: number;
  path: (string | number)[];
}

export function diag(code: DiagnosticCode, place: Place, args: Record<string, string | number> = {}): Diagnostic {
  const entry = CATALOGUE[code] as { message: (a: typeof args) => string; hint: (a: typeof args) => string; severity?: 'error' | 'warning' };
  return {
    code,
    severity: entry.severity ?? 'error',
    message: entry.message(args),
    hint: entry.hint(args) || undefined,
    file: place.file,
    line: place.line,
    column: place.column,
    path: place.path,
  };
}
