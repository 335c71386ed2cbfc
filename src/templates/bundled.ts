/**
 * The bundled scenarios (scenarios/*.yaml of the package), found by listing the folder, so
 * a scenario added there is a template of `scenario init` and shows in `scenario list`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const BUNDLED_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export interface Bundled {
  /** Template name: the file name without .yaml. */
  template: string;
  /** The `scenario:` name inside. */
  name: string;
  /** First sentence of the description (or its first line), for listings. */
  summary: string;
  /** Path relative to the package root, e.g. scenarios/crm-theft.yaml. */
  file: string;
  path: string;
}

export function bundledScenarios(dir = BUNDLED_DIR): Bundled[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  } catch {
    return [];
  }
  return files.map((f) => {
    const path = join(dir, f);
    let doc: any;
    try {
      doc = parseYaml(readFileSync(path, 'utf8'));
    } catch {
      doc = undefined;
    }
    const template = basename(f, '.yaml');
    return { template, name: typeof doc?.scenario === 'string' ? doc.scenario : template, summary: summaryOf(doc?.description), file: `scenarios/${f}`, path };
  });
}

/** The first line of a description; when that is long (a folded paragraph), its first sentence. */
export function summaryOf(description: unknown): string {
  if (typeof description !== 'string') return '';
  const line = description.trim().split('\n')[0];
  if (line.length <= 100) return line;
  const sentence = /^.+?[.!?](?=\s|$)/.exec(line)?.[0] ?? line;
  return sentence.length <= 140 ? sentence : sentence.slice(0, 139) + '…';
}
