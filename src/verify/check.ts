/**
 * Checks a dataset folder against its manifest: every listed file is there, with the listed
 * size and sha256; the scenario copy matches its hash. Files the manifest does not list are
 * reported but are not failures (report.html is a derived view and is never listed).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { hashFile, type Manifest } from '../sinks/manifest.js';

export type CheckStatus = 'ok' | 'missing' | 'changed' | 'extra';

export interface FileCheck {
  file: string;
  status: CheckStatus;
  /** What the file is: an output's name, "scenario copy", "derived view", ... */
  role: string;
  detail: string;
}

export class NotADataset extends Error {}

/** Reads DIR/manifest.json; throws NotADataset when it is missing or not a manifest. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new NotADataset(`${dir} has no manifest.json: not a folder written by scenario run`);
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new NotADataset(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!m || !Array.isArray(m.files) || !m.scenario) throw new NotADataset(`${path} is not a scenario manifest (no files or scenario)`);
  return m;
}


/** Checks every file the manifest lists, then lists the files it does not. */
export async function checkFiles(dir: string, m: Manifest): Promise<FileCheck[]> {
  const expected: { file: string; role: string; bytes?: number; sha256: string }[] = m.files.map((f) => ({ file: f.file, role: `output ${f.output}`, bytes: f.bytes, sha256: f.sha256 }));
  if (m.scenario.copy) expected.push({ file: m.scenario.copy.file, role: 'scenario copy', sha256: m.scenario.copy.sha256 });
  const checks: FileCheck[] = [];
  for (const e of expected) {
    const path = join(dir, e.file);
    if (!existsSync(path) || !statSync(path).isFile()) {
      checks.push({ file: e.file, status: 'missing', role: e.role, detail: 'listed in the manifest, not in the folder' });
      continue;
    }
    const found = await hashFile(path);
    const problems: string[] = [];
    if (e.bytes !== undefined && found.bytes !== e.bytes) problems.push(`${e.bytes.toLocaleString('en-US')} bytes expected, ${found.bytes.toLocaleString('en-US')} found`);
    if (found.sha256 !== e.sha256) problems.push(`sha256 ${e.sha256.slice(0, 12)}… expected, ${found.sha256.slice(0, 12)}… found`);
    checks.push(
      problems.length
        ? { file: e.file, status: 'changed', role: e.role, detail: problems.join('; ') }
        : { file: e.file, status: 'ok', role: e.role, detail: `${found.bytes.toLocaleString('en-US')} bytes, sha256 ${found.sha256.slice(0, 12)}…` },
    );
  }
  const listed = new Set([...expected.map((e) => e.file), 'manifest.json']);
  for (const file of walk(dir).map((p) => relative(dir, p))) {
    if (listed.has(file)) continue;
    const derived = file === 'report.html';
    checks.push({ file, status: 'extra', role: derived ? 'derived view' : 'unlisted', detail: derived ? 'written by scenario report; not covered by the manifest' : 'not in the manifest' });
  }
  return checks;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
