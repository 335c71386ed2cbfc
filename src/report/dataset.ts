/**
 * A finished dataset as the report sees it: its manifest, the scenario it was generated
 * from (scenario.yaml in the folder), and every output as a DuckDB view with its column
 * types, whatever its format (CSV, JSON Lines, Parquet, gzip). DuckDB does the counting, so
 * a report of a large dataset streams its files instead of loading them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import type { Manifest, ManifestFile } from '../sinks/manifest.js';
import { SCENARIO_COPY } from '../sinks/scenario-copy.js';

export interface OutputView {
  file: ManifestFile;
  /** The output's spec in the scenario (undefined when the scenario is not in the folder). */
  spec: any;
  /** DuckDB view over the file. */
  view: string;
  columns: { name: string; type: string }[];
  /** Why the file could not be read, if it could not. */
  problem?: string;
}

export class Dataset {
  private constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    /** The parsed scenario.yaml, if the folder has one. */
    readonly scenario: any,
    readonly outputs: OutputView[],
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** Opens a dataset folder; throws with a clear message when it has no readable manifest. */
  static async open(dir: string): Promise<Dataset> {
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) throw new Error(`${dir} has no manifest.json: not a dataset written by scenario run`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const copy = join(dir, manifest.scenario.copy?.file ?? SCENARIO_COPY);
    const scenario = existsSync(copy) ? parseYaml(readFileSync(copy, 'utf8')) : undefined;
    const duck = await import('@duckdb/node-api');
    const instance = await duck.DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const outputs: OutputView[] = [];
    for (const [i, file] of manifest.files.entries()) {
      const spec = scenario?.outputs?.[file.output];
      const view = `o${i}`;
      const out: OutputView = { file, spec, view, columns: [] };
      try {
        await conn.run(`CREATE VIEW ${view} AS ${readerSql(join(dir, file.file), file, spec, manifest)}`);
        const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${view}`);
        out.columns = described.getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
      } catch (e) {
        out.problem = (e as Error).message.split('\n')[0];
      }
      outputs.push(out);
    }
    return new Dataset(dir, manifest, scenario, outputs, instance, conn);
  }

  /** Runs a query; rows as plain objects (BIGINT as number). */
  async rows(sql: string): Promise<Record<string, unknown>[]> {
    const r = await this.conn.runAndReadAll(sql);
    return r.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** SQL that reads one output file, from its format and the options its spec wrote it with. */
function readerSql(path: string, file: ManifestFile, spec: any, manifest: Manifest): string {
  const names: string[] = spec?.columns ? Object.keys(spec.columns) : [];
  const laterShard = manifest.shard !== undefined && manifest.shard.index > 1;
  const preamble = spec?.preamble !== undefined && !laterShard;
  if (file.format === 'parquet') return `SELECT * FROM read_parquet(${lit(path)})`;
  // A file with no rows (an output of a process that runs in another shard, or a filter that
  // kept nothing) may be empty, header included: there is nothing to sniff, so say the columns.
  if (file.rows === 0 && names.length > 0) return `SELECT ${names.map((n) => `CAST(NULL AS VARCHAR) AS ${ident(n)}`).join(', ')} WHERE false`;
  if (file.format.startsWith('jsonl')) {
    const read = `read_json(${lit(path)}, format = 'newline_delimited')`;
    if (!preamble || names.length === 0) return `SELECT * FROM ${read}`;
    // The preamble line holds none of the output's columns: leave it out.
    return `SELECT ${names.map(ident).join(', ')} FROM ${read} WHERE NOT (${names.map((n) => `${ident(n)} IS NULL`).join(' AND ')})`;
  }
  const header = (spec?.header ?? true) && (!laterShard || manifest.shard?.headers === true);
  const opts = [`delim = ${lit(spec?.delimiter ?? ',')}`, `quote = '"'`, `escape = '"'`];
  if (header && !preamble) opts.push('header = true');
  else if (names.length > 0) opts.push('header = false', `skip = ${(header ? 1 : 0) + (preamble ? 1 : 0)}`, `names = [${names.map(lit).join(', ')}]`);
  return `SELECT * FROM read_csv(${lit(path)}, ${opts.join(', ')})`;
}

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function lit(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
