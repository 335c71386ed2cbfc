/**
 * Phase 2, validate. In: the parsed scenario. Out: diagnostics from the JSON Schema and from
 * the checks the schema cannot express (matrices, references). Expression and kernel
 * checks run while planning (phase 3), which `scenario validate` also runs.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { AnalysisContext } from '../../model/context.js';
import type { SourceMap } from '../1-parse/index.js';
import { checkMatrices } from './matrices.js';
import { checkSchema } from './schema-check.js';
import { checkOutputs } from './outputs.js';
import { checkOutputFiles } from './output-files.js';
import { checkCalendar } from './calendar.js';

export function validateScenario(value: unknown, map: SourceMap): Diagnostic[] {
  const schemaFindings = checkSchema(value, map);
  if (schemaFindings.length > 0) return schemaFindings;
  const ctx = new AnalysisContext(map);
  checkMatrices(value, ctx);
  checkOutputs(value, ctx);
  checkOutputFiles(value, ctx);
  checkCalendar(value, ctx);
  return ctx.diagnostics;
}
