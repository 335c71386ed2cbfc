/**
 * Output file names the schema's pattern cannot judge: a name must name a file inside the
 * output folder, not the folder itself, not a file the engine writes there (the manifest, the
 * scenario copy, the report), not a folder another output writes into (`a` and `a/b.csv`),
 * and no part may be longer than a file system accepts.
 * Without these checks a run would fail half-way, or the manifest would overwrite an output.
 */
import type { AnalysisContext } from '../../model/context.js';

/** Files a run or `scenario report` writes into the output folder itself. */
const RESERVED = ['manifest.json', 'scenario.yaml', 'report.html'];

/** Longest file or folder name most file systems accept (in UTF-8 bytes). */
const MAX_NAME_BYTES = 255;

export function checkOutputFiles(scenario: any, ctx: AnalysisContext): void {
  // The scenario's name is the default output folder's name.
  if (typeof scenario.scenario === 'string' && Buffer.byteLength(scenario.scenario) > MAX_NAME_BYTES) {
    ctx.report('schema-value', ['scenario'], { where: 'scenario', detail: `is longer than ${MAX_NAME_BYTES} bytes`, hint: 'It names the default output folder (out/<scenario>); use a shorter name.' });
  }
  const files = new Map<string, string>();
  for (const [name, out] of Object.entries<any>(scenario.outputs ?? {})) {
    if (typeof out?.file !== 'string') {
      // The default file is `<output name>.<format>`: the extension needs room too.
      if (Buffer.byteLength(name) > MAX_NAME_BYTES - 10) {
        ctx.report('schema-value', ['outputs', name], { where: `output name "${name.slice(0, 40)}..."`, detail: `is longer than ${MAX_NAME_BYTES - 10} bytes`, hint: 'It names the output file; use a shorter name or give a `file:`.' }, true);
      }
      continue;
    }
    const path = ['outputs', name, 'file'];
    const where = path.join('.');
    const parts = out.file.split('/');
    if (parts.some((p: string) => p === '' || p === '.') || /[\u0000-\u001f]/.test(out.file)) {
      ctx.report('schema-value', path, { where, detail: `"${out.file}" does not name a file`, hint: 'Use a file name such as sessions.csv, or sub/sessions.csv: no empty or "." parts, no trailing "/", no control characters.' });
      continue;
    }
    if (parts.some((p: string) => Buffer.byteLength(p) > MAX_NAME_BYTES)) {
      ctx.report('schema-value', path, { where, detail: `has a part longer than ${MAX_NAME_BYTES} bytes`, hint: 'File systems refuse longer file and folder names; use a shorter name.' });
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
