/**
 * Output file names the schema's pattern cannot judge: a name must name a file inside the
 * output folder, not the folder itself, not a file the engine writes there (the manifest, the
 * scenario copy, the report), and not a folder another output writes into (`a` and `a/b.csv`).
 * Without these checks a run would fail half-way, or the manifest would overwrite an output.
 */
import type { AnalysisContext } from '../../model/context.js';

/** Files a run or `scenario report` writes into the output folder itself. */
const RESERVED = ['manifest.json', 'scenario.yaml', 'report.html'];

export function checkOutputFiles(scenario: any, ctx: AnalysisContext): void {
  const files = new Map<string, string>();
  for (const [name, out] of Object.entries<any>(scenario.outputs ?? {})) {
    if (typeof out?.file !== 'string') continue;
    const path = ['outputs', name, 'file'];
    const where = path.join('.');
    const parts = out.file.split('/');
    if (parts.some((p: string) => p === '' || p === '.') || /[\u0000-\u001f]/.test(out.file)) {
      ctx.report('schema-value', path, { where, detail: `"${out.file}" does not name a file`, hint: 'Use a file name such as sessions.csv, or sub/sessions.csv: no empty or "." parts, no trailing "/", no control characters.' });
      continue;
    }
    if (RESERVED.includes(out.file)) {
      ctx.report('schema-value', path, { where, detail: `"${out.file}" is a file the run writes itself`, hint: `Choose another name; ${RESERVED.join(', ')} are taken.` });
      continue;
    }
    files.set(out.file, name);
  }
  // A file that is also a folder of another output's file.
  for (const [file, name] of files) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      const other = files.get(folder);
      if (other === undefined) continue;
      ctx.report('ref-mismatch', ['outputs', other, 'file'], { detail: `output "${other}" writes ${folder}, which output "${name}" needs as a folder (${file})`, hint: 'Give one of them another `file:`.' });
    }
  }
}
