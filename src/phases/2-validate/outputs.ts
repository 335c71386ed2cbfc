/** Semantic checks of outputs: sources exist, labels name a column, file names are unique. */
import type { AnalysisContext } from '../../model/context.js';

export function checkOutputs(scenario: any, ctx: AnalysisContext): void {
  const processes = Object.keys(scenario.processes ?? {});
  const lists = Object.keys(scenario.states ?? {});
  const files = new Map<string, string>();
  for (const [name, out] of Object.entries<any>(scenario.outputs ?? {})) {
    if (!processes.includes(out.from) && !lists.includes(out.from)) {
      ctx.report('ref-unknown', ['outputs', name, 'from'], { what: 'process or state list', name: out.from, known: [...processes, ...lists].join(', ') });
    }
    if (out.label !== undefined && !(out.label in out.columns)) {
      ctx.report('ref-unknown', ['outputs', name, 'label'], { what: 'column', name: out.label, known: Object.keys(out.columns).join(', ') });
    }
    const file = out.file ?? `${name}.${out.format ?? 'csv'}`;
    if (files.has(file)) {
      // Point at the `file:` that collides when there is one, else at the output's name
      // (its default file name comes from it).
      const detail = { detail: `output "${name}" writes ${file}, as does "${files.get(file)}"`, hint: 'Give one of them another `file:`.' };
      if (out.file !== undefined) ctx.report('ref-mismatch', ['outputs', name, 'file'], detail);
      else ctx.report('ref-mismatch', ['outputs', name], detail, true);
    }
    files.set(file, name);
  }
}
