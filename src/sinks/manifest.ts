/**
 * manifest.json: what a dataset is and how to check it. Written last. It holds no clock
 * time, so two runs of the same scenario and seed give byte-identical manifests too.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const ENGINE_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

export interface ManifestFile {
  output: string;
  file: string;
  format: string;
  rows: number;
  bytes: number;
  sha256: string;
  label?: { column: string; positive: number; share: number };
}

export interface Manifest {
  engine: { name: 'scenario'; version: string };
  scenario: { name: string; file: string; sha256: string };
  seed: number;
  /** `--set` overrides as given, in order, and the shard when the run was partitioned. */
  overrides: string[];
  shard?: { index: number; count: number };
  files: ManifestFile[];
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function manifestText(m: Manifest): string {
  return JSON.stringify(m, null, 2) + '\n';
}
