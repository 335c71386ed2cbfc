/**
 * Runs the detector over a batch log and a stream log and writes flagged_purchases.json.
 *
 * Bad lines never stop a normal run: each is counted by kind with its first few locations. Under
 * `strict` the first one (other than a blank line) fails the run with `file:line: message`.
 * Output goes to a temporary file renamed into place at the end, so a failed run never leaves a
 * truncated result behind.
 */
import { rename, stat, unlink, writeFile, access, constants } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AnomalyDetector, type DetectorStats } from './detector.js';
import { BadEventError, parseEventLine, type BadLineKind } from './events.js';
import { DEFAULT_PARAMS, parseHeader } from './header.js';
import { BufferedLineWriter, readLines } from './lines.js';

/** Inputs of a file run. */
export interface DetectFilesOptions {
  batch: string;
  stream: string;
  out: string;
  /** Fail on the first bad line instead of counting it. */
  strict?: boolean;
}

/** One rejected line. `file` is the path as given. */
export interface BadLine {
  file: string;
  line: number;
  kind: BadLineKind;
  message: string;
}

/** Rejected lines of one kind: how many, and the first few. */
export interface BadLineTally {
  kind: BadLineKind;
  count: number;
  examples: BadLine[];
}

/** What a file run did. */
export interface DetectReport {
  D: number;
  T: number;
  /** Valid events applied from the batch log (header excluded). */
  batchEvents: number;
  /** Valid events processed from the stream log. */
  streamEvents: number;
  purchasesChecked: number;
  flagged: number;
  /** Kinds with at least one line, in order of first occurrence. */
  badLines: BadLineTally[];
  /** Size of both input files. */
  bytesRead: number;
  /** Wall time of the whole run, and of the batch part alone (building state, no checks). */
  seconds: number;
  batchSeconds: number;
  detector: DetectorStats;
}

/** Why a file run failed: an unreadable or unwritable file, or a bad line under `strict`. */
export class DetectInputError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'DetectInputError';
  }
}

/** How many locations a tally keeps per kind. */
const EXAMPLES_PER_KIND = 5;

/** Runs the detector over the two logs and writes the flagged purchases. */
export async function detectFiles(opts: DetectFilesOptions): Promise<DetectReport> {
  const started = performance.now();
  const bytesRead = (await inputSize(opts.batch, 'batch log')) + (await inputSize(opts.stream, 'stream log'));
  const tmp = join(dirname(opts.out), `.${basename(opts.out)}.${process.pid}.partial`);
  await writeFile(tmp, '').catch(writeFailed(opts.out));
  const out = new BufferedLineWriter(tmp);
  const tallies = new Map<BadLineKind, BadLineTally>();
  const bad = (file: string, line: number, kind: BadLineKind, message: string): void => {
    if (opts.strict === true && kind !== 'blank') throw new DetectInputError(`${file}:${line}: ${message}`, file, line);
    let tally = tallies.get(kind);
    if (tally === undefined) {
      tally = { kind, count: 0, examples: [] };
      tallies.set(kind, tally);
    }
    tally.count++;
    if (tally.examples.length < EXAMPLES_PER_KIND) tally.examples.push({ file, line, kind, message });
  };
  const counts = { batchEvents: 0, streamEvents: 0, purchasesChecked: 0, flagged: 0 };
  try {
    const detector = await readBatch(opts, bad, counts);
    const batchSeconds = (performance.now() - started) / 1000;
    await readLines(
      opts.stream,
      (text, line) => {
        if (text.trim().length === 0) return bad(opts.stream, line, 'blank', 'blank line');
        try {
          const event = parseEventLine(text);
          const flag = detector.check(event);
          counts.streamEvents++;
          if (event.type === 'purchase') counts.purchasesChecked++;
          if (flag !== null) {
            counts.flagged++;
            out.write(flag.line);
          }
        } catch (err) {
          if (!(err instanceof BadEventError)) throw err;
          bad(opts.stream, line, err.kind, err.message);
        }
      },
      () => out.flush().catch(writeFailed(opts.out)),
    ).catch(rethrowAs(opts.stream, 'stream log'));
    await out.close().catch(writeFailed(opts.out));
    await rename(tmp, opts.out).catch(writeFailed(opts.out));
    const seconds = (performance.now() - started) / 1000;
    const badLines = [...tallies.values()];
    return { D: detector.D, T: detector.T, ...counts, badLines, bytesRead, seconds, batchSeconds, detector: detector.stats };
  } catch (err) {
    await out.abandon();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

type BadLineSink = (file: string, line: number, kind: BadLineKind, message: string) => void;

/** Reads the header and applies the batch log; returns the detector it built. */
async function readBatch(opts: DetectFilesOptions, bad: BadLineSink, counts: { batchEvents: number }): Promise<AnomalyDetector> {
  let detector: AnomalyDetector | null = null;
  const applyLine = (text: string, line: number): void => {
    try {
      detector!.apply(parseEventLine(text));
      counts.batchEvents++;
    } catch (err) {
      if (!(err instanceof BadEventError)) throw err;
      bad(opts.batch, line, err.kind, err.message);
    }
  };
  await readLines(opts.batch, (text, line) => {
    if (text.trim().length === 0) return bad(opts.batch, line, 'blank', 'blank line');
    if (detector !== null) return applyLine(text, line);
    const header = parseHeader(text);
    if (header.problem !== null) bad(opts.batch, line, 'bad-header', header.problem);
    detector = new AnomalyDetector({ D: header.D, T: header.T });
    if (header.isEvent) applyLine(text, line);
  }).catch(rethrowAs(opts.batch, 'batch log'));
  if (detector === null) {
    // An empty batch log: no header, no state.
    bad(opts.batch, 1, 'bad-header', 'batch log is empty: missing header line');
    detector = new AnomalyDetector(DEFAULT_PARAMS);
  }
  return detector;
}

async function inputSize(path: string, what: string): Promise<number> {
  try {
    await access(path, constants.R_OK);
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a regular file');
    return info.size;
  } catch (err) {
    throw new DetectInputError(`cannot read ${what} ${path}: ${reason(err)}`, path);
  }
}

function writeFailed(out: string): (err: unknown) => never {
  return (err) => {
    throw new DetectInputError(`cannot write output ${out}: ${reason(err)}`, out);
  };
}

/** Read errors in the middle of a file become DetectInputError; strict-mode errors pass through. */
function rethrowAs(path: string, what: string): (err: unknown) => never {
  return (err) => {
    if (err instanceof DetectInputError) throw err;
    if (err instanceof Error && 'code' in err) throw new DetectInputError(`cannot read ${what} ${path}: ${reason(err)}`, path);
    throw err;
  };
}

function reason(err: unknown): string {
  if (err instanceof Error && 'code' in err) {
    const code = String((err as NodeJS.ErrnoException).code);
    const known: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory' };
    return known[code] ?? `${code}`;
  }
  return err instanceof Error ? err.message : String(err);
}
