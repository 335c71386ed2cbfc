/**
 * scenario.yaml in every output folder: the scenario the dataset was generated from, so
 * `scenario report` can read its processes and matrices and `scenario verify --regenerate`
 * can run it again. A scenario in one file is copied as it is (its sha256 is the manifest's
 * scenario.sha256); one composed from several files (`extends`, `include`) is written
 * composed, as YAML, so the folder stays self-contained (with the run's `--set` overrides in
 * it). The manifest records the overrides and params either way; applying an override again
 * to a composed copy changes nothing.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { sha256 } from './manifest.js';

export const SCENARIO_COPY = 'scenario.yaml';

/** A top-level `extends:` or `include:` key. */
const COMPOSES = /^(extends|include)\s*:/m;

export interface ScenarioCopy {
  text: string;
  composed: boolean;
}

/**
 * The copy of a loaded scenario: `source` is the file's text, `value` the composed scenario,
 * `files` the files its pieces came from.
 */
export function scenarioCopyOf(source: string, value: unknown, files: string[]): ScenarioCopy {
  if (!COMPOSES.test(source) || value === undefined) return { text: source, composed: false };
  const header = [
    `# Composed from ${[...new Set(files.flatMap((f) => f.split(' + ')))].sort().join(', ')} (extends and include resolved).`,
    '',
  ].join('\n');
  return { text: header + stringify(value, { lineWidth: 0 }), composed: true };
}

/** Writes the copy; returns its manifest entry. */
export function writeScenarioCopy(copy: ScenarioCopy, path: (file: string) => string): { file: string; sha256: string; composed?: true } {
  writeFileSync(path(SCENARIO_COPY), copy.text);
  return { file: SCENARIO_COPY, sha256: sha256(copy.text), ...(copy.composed ? { composed: true as const } : {}) };
}
