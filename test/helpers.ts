/** Shared test helpers: run a scenario into a temporary folder, read CSV, spawn the CLI. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadScenario, runScenario, type LoadOptions } from '../src/pipeline.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export function tempDir(prefix = 'scenario-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `text` to `dir/name` (a scenario written by a test) and returns the path. */
export function writeIn(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Loads and runs a scenario in this process; throws with the diagnostics if it does not compile. */
export async function runToTemp(file: string, load: LoadOptions = {}): Promise<{ dir: string; manifest: any }> {
  const loaded = loadScenario(resolve(ROOT, file), load);
  if (!loaded.compiled) throw new Error(loaded.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`).join('\n'));
  const dir = join(tempDir(), 'out');
  const result = await runScenario({ ...loaded, compiled: loaded.compiled }, { out: dir, overrides: load.set ?? [] });
  return { dir, manifest: result.manifest };
}

/** Splits simple CSV (no quoted fields) into a header and rows. */
export function readCsv(path: string, delimiter = ','): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  return { header: lines[0].split(delimiter), rows: lines.slice(1).map((l) => l.split(delimiter)) };
}

export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1', ...opts.env },
  });
}

/**
 * Upper critical value of chi-square with `df` degrees of freedom at significance 0.001,
 * by the Wilson-Hilferty approximation (accurate to a few percent for df >= 1).
 */
export function chiSquareCritical001(df: number): number {
  const z = 3.0902; // standard normal quantile at 0.999
  const a = 2 / (9 * df);
  return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
}

/** Pearson's chi-square statistic; bins expecting fewer than 5 draws are pooled with the next. */
export function chiSquare(observed: number[], probabilities: number[], n: number): { statistic: number; df: number } {
  let statistic = 0;
  let bins = 0;
  let obs = 0;
  let exp = 0;
  for (let i = 0; i < probabilities.length; i++) {
    obs += observed[i] ?? 0;
    exp += probabilities[i] * n;
    if (exp >= 5 || i === probabilities.length - 1) {
      statistic += (obs - exp) ** 2 / exp;
      bins++;
      obs = 0;
      exp = 0;
    }
  }
  return { statistic, df: bins - 1 };
}
