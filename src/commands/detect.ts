/**
 * `scenario detect`: flags anomalous purchases in a batch + stream log pair
 * (the Insight "anomaly_detection" challenge rule).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { detectFiles, DetectInputError, DetectInterrupted, formatReport } from '../detect/index.js';

/**
 * Each thread holds a whole detector, so memory grows with the threads, while what each adds
 * shrinks (every part also replays the logs before it): the default stops at 4.
 */
const DEFAULT_MAX_WORKERS = 4;

/** Where the command writes; tests pass their own sinks. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const HELP = `Usage: scenario detect --batch <file> --stream <file> --out <file> [--workers N] [--strict] [--quiet]

Flags stream purchases that exceed mean + 3 sd of the last T purchases made within the
buyer's D-hop friend network. D and T come from the first line of the batch log,
e.g. {"D":"3", "T":"50"}. The batch log builds state; each stream event is checked, then applied.

Options:
  --batch <file>   batch_log.json: header line, then one JSON event per line
  --stream <file>  stream_log.json: events to check, one per line
  --out <file>     flagged_purchases.json to write (empty when nothing is flagged)
  --workers N      threads to share the stream log between (default: the cores, at most
                   4); the output is the same, memory grows with N (each holds the whole state)
  --strict         fail on the first bad line instead of skipping and counting it
  --quiet          do not print the summary to stderr
  -h, --help       show this help

Example:
  scenario detect --batch log_input/batch_log.json --stream log_input/stream_log.json \\
    --out log_output/flagged_purchases.json

Exit codes:
  0  done (bad lines, if any, were skipped and are listed in the summary)
  1  an input file cannot be read, the output cannot be written, or a bad line under --strict
  2  usage error (unknown option, missing --batch/--stream/--out, bad --workers)
  130  interrupted (Ctrl-C or SIGTERM); nothing is left of the output
`;

/** Runs the command; returns the process exit code. */
export async function main(argv: string[], io: CommandIo = process): Promise<number> {
  let values: { batch?: string; stream?: string; out?: string; workers?: string; strict?: boolean; quiet?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        batch: { type: 'string' },
        stream: { type: 'string' },
        out: { type: 'string' },
        workers: { type: 'string' },
        strict: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    return usageError(io, err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) {
    io.stdout.write(HELP);
    return 0;
  }
  const missing = (['batch', 'stream', 'out'] as const).filter((name) => !values[name]);
  if (missing.length > 0) return usageError(io, `missing ${missing.map((m) => `--${m}`).join(', ')}`);
  if (values.workers !== undefined && !/^[1-9]\d{0,3}$/.test(values.workers)) return usageError(io, `--workers must be an integer >= 1, got "${values.workers}"`);
  const workers = values.workers === undefined ? Math.min(availableParallelism(), DEFAULT_MAX_WORKERS) : Number(values.workers);

  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const report = await detectFiles({ batch: values.batch!, stream: values.stream!, out: values.out!, strict: values.strict, workers, signal: abort.signal });
    if (values.quiet !== true) io.stderr.write(`${formatReport(report)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof DetectInterrupted) {
      io.stderr.write('scenario detect: interrupted; nothing is left of the output.\n');
      return 130;
    }
    if (err instanceof DetectInputError) {
      io.stderr.write(`scenario detect: ${err.message}\n`);
      return 1;
    }
    // Anything else is a bug; still one line, never a stack trace.
    io.stderr.write(`scenario detect: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function usageError(io: CommandIo, message: string): number {
  io.stderr.write(`scenario detect: ${message}\nTry 'scenario detect --help'.\n`);
  return 2;
}
