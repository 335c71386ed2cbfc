/**
 * `scenario verify --regenerate`: runs the dataset's scenario again (the scenario.yaml in the
 * folder, with the manifest's seed, overrides, params, format and shard) into a temporary
 * folder and compares every file's bytes with what the manifest records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, runScenario } from '../pipeline.js';
import type { Format } from '../sinks/encoders.js';
import type { Manifest } from '../sinks/manifest.js';
import { SCENARIO_COPY } from '../sinks/scenario-copy.js';
import type { CheckStatus } from './check.js';

export interface RegenCheck {
  file: string;
  status: Exclude<CheckStatus, 'extra'> | 'same' | 'differs';
  detail: string;
}

export interface RegenResult {
  ok: boolean;
  checks: RegenCheck[];
  notes: string[];
  /** Diagnostics when the scenario copy no longer compiles. */
  problems: string[];
}

/** The `--set` arguments that reproduce a run: its overrides, then its params as used. */
export function replaySets(m: Manifest): string[] {
  return [...m.overrides, ...Object.entries(m.params ?? {}).map(([k, v]) => `params.${k}=${JSON.stringify(v)}`)];
}

export async function regenerate(dir: string, m: Manifest, workers = 1): Promise<RegenResult> {
  const notes: string[] = [];
  const copy = join(dir, m.scenario.copy?.file ?? SCENARIO_COPY);
  const load = { set: replaySets(m), seed: m.seed, ...(m.format ? { format: m.format as Format } : {}) };
  const loaded = loadScenario(copy, load);
  if (!loaded.compiled) {
    return { ok: false, checks: [], notes, problems: loaded.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`) };
  }
  const tmp = mkdtempSync(join(tmpdir(), 'scenario-verify-'));
  try {
    const result = await runScenario(
      { ...loaded, compiled: loaded.compiled },
      {
        out: join(tmp, 'out'),
        overrides: m.overrides,
        workers,
        source: { file: copy, load },
        ...(m.shard ? { shard: { index: m.shard.index, count: m.shard.count }, shardHeaders: m.shard.headers === true } : {}),
        ...(m.format ? { format: m.format as Format } : {}),
      },
    );
    const again = result.manifest;
    if (again.engine.version !== m.engine.version) notes.push(`the dataset was made by engine ${m.engine.version}, this is ${again.engine.version}: differences may come from the engine`);
    const checks: RegenCheck[] = m.files.map((f) => {
      const g = again.files.find((x) => x.file === f.file);
      if (!g) return { file: f.file, status: 'missing', detail: 'the scenario no longer writes this file' };
      if (g.sha256 === f.sha256 && g.bytes === f.bytes) return { file: f.file, status: 'same', detail: `${g.rows.toLocaleString('en-US')} rows, same bytes` };
      const rows = g.rows === f.rows ? `${g.rows.toLocaleString('en-US')} rows in both` : `${f.rows.toLocaleString('en-US')} rows in the manifest, ${g.rows.toLocaleString('en-US')} regenerated`;
      return { file: f.file, status: 'differs', detail: `${rows}; sha256 ${f.sha256.slice(0, 12)}… recorded, ${g.sha256.slice(0, 12)}… regenerated` };
    });
    for (const g of again.files) if (!m.files.some((f) => f.file === g.file)) notes.push(`the scenario now also writes ${g.file}, which the manifest does not list`);
    return { ok: checks.every((c) => c.status === 'same'), checks, notes, problems: [] };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
