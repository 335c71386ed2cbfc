/** `scenario run FILE`: runs a scenario with live progress, then prints a summary. */
import { statfsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseShard, type Shard } from '../phases/4-run/split.js';
import { dirname, resolve } from 'node:path';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/format.js';
import { loadPlanned, runScenario, type LoadOptions } from '../pipeline.js';
import { RunInterrupted, startWorkers } from '../phases/4-run/index.js';
import type { WorkerPool } from '../phases/4-run/parallel.js';
import type { WorkerInit } from '../phases/4-run/worker.js';
import type { Format } from '../sinks/encoders.js';
import { OutputDirError } from '../sinks/output-dir.js';
import { chooseMode, createReporter } from '../ui/reporter.js';
import { formatBytes } from '../ui/format.js';
import { color, EXIT, parse, UsageError } from './args.js';
import { parseFormat, parseSeed } from './plan.js';

export const help = `Usage: scenario run FILE [options]

Runs a scenario and writes its dataset into a folder, atomically: files appear only when
complete, with manifest.json (engine version, scenario hash, seed, overrides, params, rows and
sha256 per file) written last.

Options:
  --seed N              seed of every random stream (default: the scenario's seed)
  --out DIR             output folder (default: out/<scenario name>)
  --set path=value      override any value of the scenario, e.g. --set actors.users.count=2000
                        or --set params.users=2000 (repeatable; value read as YAML)
  --params FILE         param values from a YAML map of name: value (repeatable; before
                        --set params.*); the manifest records the values used
  --format FORMAT       format of every output: csv, jsonl, parquet, csv.gz or jsonl.gz
                        (default: each output's own; see docs/formats.md)
  --workers N           threads to run on, this one included (default: the number of
                        cores); the output is byte-identical whatever N is. The
                        threads start at once and help draw the populations; a run
                        expected to write fewer than 200,000 rows then stays in one.
  --shard I/N           write part I of N of the dataset (1 <= I <= N): shards are
                        independent, and their files concatenated in order (the first
                        has the header) equal the unsharded output; see docs/scaling.md
  --shard-headers       every shard writes CSV headers, so the parts form a partitioned
                        folder that DuckDB, Spark or pandas read with a glob
  --force               replace an existing output folder
  --report              also write report.html, a dataset card with plots (docs/report.md)
  --ignore-space        run even if the expected size exceeds the free disk space
  --quiet               print nothing but errors
  -h, --help            this text

On a terminal a live view shows each stage with a progress bar, rows/s and ETA; otherwise
(CI, pipes) plain progress lines are printed.

Examples:
  scenario run scenarios/crm-theft.yaml
  scenario run scenarios/crm-theft.yaml --seed 7 --out data/crm --format jsonl
  scenario run scenarios/crm-theft.yaml --format parquet --report
  scenario run scenarios/crm-theft.yaml --set actors.users.count=20000 --quiet

Exit codes: 0 ok, 1 invalid scenario or failed run (nothing left looking complete),
2 usage error, 130 interrupted (Ctrl-C or SIGTERM; partial output removed).`;

const OPTIONS = {
  seed: { type: 'string' },
  out: { type: 'string' },
  set: { type: 'string', multiple: true },
  params: { type: 'string', multiple: true },
  format: { type: 'string' },
  report: { type: 'boolean' },
  force: { type: 'boolean' },
  'ignore-space': { type: 'boolean' },
  quiet: { type: 'boolean' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  'shard-headers': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  if (values.help) return (console.log(help), EXIT.ok);
  if (positionals.length !== 1) throw new UsageError('run needs exactly one FILE');
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  const format = parseFormat(values.format);
  const workers = values.workers === undefined ? availableParallelism() : parseWorkers(values.workers);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (values.shard !== undefined && !shard) throw new UsageError(`--shard must be I/N with 1 <= I <= N, got "${values.shard}"`);
  const load = { set: values.set, params: values.params, seed, format };
  const source = { file: resolve(positionals[0]), load };
  // The threads load the scenario while this thread loads and plans it. The run closes them,
  // and so does this function whatever happens (running threads would keep the process alive).
  const pool = startWorkers(workers, source);
  try {
    return await loadAndRun(positionals[0], values, { load, source, workers, shard, format, pool });
  } finally {
    await pool?.close();
  }
}

interface RunSettings {
  load: LoadOptions;
  source: WorkerInit;
  workers: number;
  shard: Shard | undefined;
  format: Format | undefined;
  pool: WorkerPool | undefined;
}

async function loadAndRun(file: string, values: Values, { load, source, workers, shard, format, pool }: RunSettings): Promise<number> {
  const loaded = await loadPlanned(file, { ...load, pilotWarnings: false }, pool);
  for (const d of loaded.diagnostics) console.error(formatDiagnostic(d, loaded.sources[d.file] ?? loaded.source, color(process.stderr)) + '\n');
  if (!loaded.compiled) return EXIT.invalid;
  const compiled = loaded.compiled;
  const out = resolve(values.out ?? `out/${compiled.plan.scenario}`);

  const expected = compiled.plan.outputs.reduce((s, o) => s + (o.expectedBytes ?? 0), 0);
  const free = freeSpace(out);
  if (!values['ignore-space'] && free !== undefined && expected > free) {
    console.error(`scenario: the run is expected to write ~${formatBytes(expected)} but ${dirname(out)} has ${formatBytes(free)} free.\n  hint: free space, choose another --out, or pass --ignore-space to try anyway.`);
    return EXIT.invalid;
  }

  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const mode = chooseMode({ quiet: Boolean(values.quiet), isTTY: Boolean(process.stdout.isTTY), ci: Boolean(process.env.CI) });
  const reporter = createReporter(mode, { stdout: process.stdout, stderr: process.stderr });
  try {
    const result = await runScenario({ ...loaded, compiled }, {
      out,
      force: values.force,
      overrides: values.set ?? [],
      onEvent: (e) => reporter.onEvent(e),
      shouldStop: () => stop,
      workers,
      shard,
      shardHeaders: values['shard-headers'],
      format,
      ...(values.report ? { beforeCommit: writeReportInto } : {}),
      source,
      pool,
    });
    await reporter.close();
    // Invalid values written as null under `on_invalid: warn`, with their places.
    for (const d of result.warnings) console.error(formatDiagnostic(d, loaded.sources[d.file] ?? loaded.source, color(process.stderr)) + '\n');
    return EXIT.ok;
  } catch (e) {
    await reporter.close();
    if (e instanceof RunInterrupted) {
      console.error('scenario: interrupted; the partial output was removed.');
      return EXIT.interrupted;
    }
    if (e instanceof DiagnosticError) {
      for (const d of e.diagnostics) console.error(formatDiagnostic(d, loaded.sources[d.file] ?? loaded.source, color(process.stderr)) + '\n');
      console.error('scenario: the run stopped; the partial output was removed.');
      return EXIT.invalid;
    }
    if (e instanceof OutputDirError) {
      console.error(`scenario: ${e.message}`);
      return EXIT.invalid;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') {
      console.error(`scenario: the disk is full (writing ${out}); the partial output was removed.\n  hint: free space or choose another --out.`);
      return EXIT.invalid;
    }
    if (code === 'EACCES' || code === 'EROFS') {
      console.error(`scenario: cannot write ${out}: ${(e as Error).message}\n  hint: choose a writable --out.`);
      return EXIT.invalid;
    }
    console.error(`scenario: the run failed: ${(e as Error).message}; the partial output was removed.`);
    return EXIT.invalid;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * `--report`: the dataset card is written into the finished folder before it is renamed
 * into place. A report that fails does not cost the dataset: it is said, and the run goes on.
 */
async function writeReportInto(dir: string): Promise<void> {
  try {
    const { writeReport } = await import('../report/index.js');
    await writeReport(dir);
  } catch (e) {
    console.error(`scenario: the report could not be written (${(e as Error).message}); the dataset is complete: try scenario report on its folder.`);
  }
}

function parseWorkers(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--workers must be an integer >= 1, got "${text}"`);
  return Number(text);
}

function freeSpace(out: string): number | undefined {
  for (let dir = dirname(out); ; dir = dirname(dir)) {
    try {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    } catch {
      if (dir === dirname(dir)) return undefined;
    }
  }
}
