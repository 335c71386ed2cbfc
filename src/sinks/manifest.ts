/**
 * manifest.json: what a dataset is and how to check it. Written last. It holds no clock
 * time, so two runs of the same scenario and seed give byte-identical manifests too.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';

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
  /**
   * The scenario file as given, and its copy in the folder (scenario.yaml): the file itself,
   * or, when it extends or includes other files, the composed scenario (`composed: true`).
   */
  scenario: {
    name: string;
    file: string;
    sha256: string;
    copy?: { file: string; sha256: string; composed?: true };
    /** Every other file the run read (bases, includes, `--params` files), relative to the scenario file, with its sha256. */
    inputs?: { file: string; sha256: string }[];
  };
  seed: number;
  /** `--set` overrides as given, in order, and the shard when the run was partitioned. */
  overrides: string[];
  /** The scenario's params as the run used them (defaults, `--params` files and `--set params.*` applied). */
  params: Record<string, number | string | boolean>;
  /** `headers: true` when the run used --shard-headers. */
  shard?: { index: number; count: number; headers?: true };
  /** The `--format` override of every output, when one was given. */
  format?: string;
  files: ManifestFile[];
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function manifestText(m: Manifest): string {
  return JSON.stringify(m, null, 2) + '\n';
}

/** sha256 and size of a file, streamed. */
export function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    createReadStream(path)
      .on('data', (b) => {
        hash.update(b);
        bytes += b.length;
      })
      .on('error', reject)
      .on('end', () => resolve({ bytes, sha256: hash.digest('hex') }));
  });
}
