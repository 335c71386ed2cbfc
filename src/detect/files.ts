/**
 * Runs the detector over a batch log and a stream log and writes flagged_purchases.json.
 *
 * Bad lines never stop a normal run: each is counted by kind with its first few locations. Under
 * `strict` the first one (other than a blank line) fails the run with `file:line: message`.
 * Output goes to a temporary file renamed into place at the end, so a failed run never leaves a
 * truncated result behind.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, stat, unlink, writeFile, access, constants } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { basename, dirname, join } from 'node:path';
import { AnomalyDetector, type DetectorStats } from './detector.js';
import { BadEventError, formatFlagged, parseEventLine, type BadLineKind } from './events.js';
import { DEFAULT_PARAMS, parseHeader } from './header.js';
import { BufferedLineWriter, lineStartsAfter, lineText, readLineBytes, readLines } from './lines.js';
import { SCANNED_PURCHASE, scanEventBytes, ScannedEvent } from './scan-bytes.js';
import { partThreadsAvailable, startPartThread } from './part-thread.js';

/** Inputs of a file run. */
export interface DetectFilesOptions {
  batch: string;
  stream: string;
  out: string;
  /** Fail on the first bad line instead of counting it. */
  strict?: boolean;
  /**
   * Threads to share the stream log between (default 1): see `planParts`. The output does not
   * depend on it; memory does, since each thread holds a whole detector.
   */
  workers?: number;
  /** Stops the run (its output files removed) with DetectInterrupted, e.g. on Ctrl-C. */
  signal?: AbortSignal;
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
  /** Threads the stream log was shared between (1 when it was too small to split). */
  parts: number;
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

/** The run was stopped through its `signal`; nothing it wrote is left. */
export class DetectInterrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'DetectInterrupted';
  }
}

/** How many locations a tally keeps per kind. */
const EXAMPLES_PER_KIND = 5;

/** Runs the detector over the two logs and writes the flagged purchases. */
export async function detectFiles(opts: DetectFilesOptions): Promise<DetectReport> {
  const started = performance.now();
  const batchBytes = await inputSize(opts.batch, 'batch log');
  const streamBytes = await inputSize(opts.stream, 'stream log');
  const cuts = await planParts(opts.stream, streamBytes, opts.workers ?? 1, () => depthOf(opts.batch, batchBytes));
  const tmp = join(dirname(opts.out), `.${basename(opts.out)}.${process.pid}.partial`);
  await writeFile(tmp, '').catch(writeFailed(opts.out));
  // Part k > 0 writes its flagged lines to a file of its own, appended to part 0's at the end.
  const partFiles = cuts.slice(1, -1).map((_, k) => `${tmp}.${k + 1}`);
  const part = (k: number, out: string): PartOptions => ({
    batch: opts.batch,
    stream: opts.stream,
    strict: opts.strict,
    out,
    outName: opts.out,
    from: cuts[k],
    to: cuts[k + 1],
  });
  const threads = partFiles.map((file, k) => startPartThread(part(k + 1, file)));
  // The threads stop at once; this thread's part stops at its next chunk (runPart checks).
  const interrupt = () => threads.forEach((t) => t.stop());
  opts.signal?.addEventListener('abort', interrupt);
  try {
    const first = runPart(part(0, tmp), opts.signal).catch((err: unknown) => {
      // Its error comes first in the logs' order: the other parts' results no longer matter.
      for (const t of threads) t.stop();
      throw err;
    });
    const settled = await Promise.allSettled([first, ...threads.map((t) => t.result)]);
    if (opts.signal?.aborted === true) throw new DetectInterrupted();
    const results: PartResult[] = [];
    for (const s of settled) {
      if (s.status === 'rejected') throw s.reason;
      results.push(s.value);
    }
    for (const file of partFiles) await appendFile(tmp, file).catch(writeFailed(opts.out));
    await rename(tmp, opts.out).catch(writeFailed(opts.out));
    const seconds = (performance.now() - started) / 1000;
    return { ...combine(results), bytesRead: batchBytes + streamBytes, seconds, parts: results.length };
  } catch (err) {
    // Threads first, so that none still has a part file open when it is removed.
    await Promise.all(threads.map((t) => t.stop()));
    await Promise.all([tmp, ...partFiles].map((f) => unlink(f).catch(() => undefined)));
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', interrupt);
  }
}

/** One part of a file run (see `runPart`). */
export interface PartOptions {
  batch: string;
  stream: string;
  strict?: boolean;
  /** Where its flagged lines go, and the output's name in messages. */
  out: string;
  outName: string;
  /** Byte offsets (line starts) of the stream lines it checks: [from, to). */
  from: number;
  to: number;
}

/** What a part did. */
export type PartResult = Omit<DetectReport, 'bytesRead' | 'seconds' | 'parts'>;

/**
 * Applies the batch log, then the stream lines before `from` without checking them (as batch
 * events: the state they leave is the same), then checks the lines in [from, to) and writes
 * their flagged purchases to `out`. Each part thus checks its lines against exactly the state a
 * single run would have, so the parts' outputs, one after the other, are that run's output.
 * Bad lines are reported by the part that checks them, and batch lines by the part from 0.
 */
export async function runPart(part: PartOptions, signal?: AbortSignal): Promise<PartResult> {
  const started = performance.now();
  const stopped = (): void => {
    if (signal?.aborted === true) throw new DetectInterrupted();
  };
  const out = new BufferedLineWriter(part.out);
  const tallies = new Map<BadLineKind, BadLineTally>();
  const bad: BadLineSink = (file, line, kind, message) => {
    if (part.strict === true && kind !== 'blank') throw new DetectInputError(`${file}:${line}: ${message}`, file, line);
    let tally = tallies.get(kind);
    if (tally === undefined) {
      tally = { kind, count: 0, examples: [] };
      tallies.set(kind, tally);
    }
    tally.count++;
    if (tally.examples.length < EXAMPLES_PER_KIND) tally.examples.push({ file, line, kind, message });
  };
  // Lines that an earlier part reports.
  const ignore: BadLineSink = () => undefined;
  const counts = { batchEvents: 0, streamEvents: 0, purchasesChecked: 0, flagged: 0 };
  try {
    const detector = await readBatch(part.batch, part.from === 0 ? bad : ignore, counts, stopped);
    let lastLine = 0;
    if (part.from > 0) {
      const apply = (bytes: Buffer, start: number, end: number, line: number): void => {
        applyLine(detector, part.stream, bytes, start, end, line, ignore);
      };
      lastLine = await readLineBytes(part.stream, apply, stopped, { end: part.from }).catch(rethrowAs(part.stream, 'stream log'));
    }
    const batchSeconds = (performance.now() - started) / 1000;
    const scanned = new ScannedEvent();
    /** Counts a checked event and writes its flagged line, if any. */
    const checked = (purchase: boolean, flaggedLine: string | null): void => {
      counts.streamEvents++;
      if (purchase) counts.purchasesChecked++;
      if (flaggedLine === null) return;
      counts.flagged++;
      out.write(flaggedLine);
    };
    await readLineBytes(
      part.stream,
      (bytes, start, end, line) => {
        try {
          // The usual line, read from its bytes (scan-bytes.ts); its text only when it is flagged.
          if (scanEventBytes(bytes, start, end, scanned)) {
            const verdict = detector.checkScanned(scanned);
            let flaggedLine: string | null = null;
            if (verdict !== null) {
              const event = parseEventLine(lineText(bytes, start, end)); // a purchase: the scanner read one
              if (event.type === 'purchase') flaggedLine = formatFlagged(event, verdict.mean, verdict.sd);
            }
            return checked(scanned.kind === SCANNED_PURCHASE, flaggedLine);
          }
          const text = lineText(bytes, start, end);
          if (text.trim().length === 0) return bad(part.stream, line, 'blank', 'blank line');
          const event = parseEventLine(text);
          const flag = detector.check(event);
          checked(event.type === 'purchase', flag === null ? null : flag.line);
        } catch (err) {
          if (!(err instanceof BadEventError)) throw err;
          bad(part.stream, line, err.kind, err.message);
        }
      },
      () => {
        stopped();
        return out.flush().catch(writeFailed(part.outName));
      },
      { start: part.from, end: part.to, firstLine: lastLine + 1 },
    ).catch(rethrowAs(part.stream, 'stream log'));
    await out.close().catch(writeFailed(part.outName));
    return { D: detector.D, T: detector.T, ...counts, badLines: [...tallies.values()], batchSeconds, detector: detector.stats };
  } catch (err) {
    await out.abandon();
    throw err;
  }
}

/**
 * Cuts the stream log into parts for `workers` threads: byte offsets 0 = c0 < c1 < ... = size,
 * each a line start. Part k also applies the c_k bytes before it, which costs a share r of
 * checking them (PREFIX_COST, by the depth D that `depth` reads from the batch log's header, only
 * when the log is split), so the parts are sized for equal work: with L the share of each,
 * c1 = L and c(k+1) = c_k (1 - r) + L. A log too small to be worth a thread's start-up, or
 * compiled code not at hand (running from sources), gives one part.
 */
export async function planParts(stream: string, size: number, workers: number, depth: () => Promise<number>): Promise<number[]> {
  const parts = Math.max(1, Math.min(Math.floor(workers), Math.floor(size / MIN_PART_BYTES)));
  if (parts === 1 || !partThreadsAvailable()) return [0, size];
  const D = await depth();
  const r = PREFIX_COST[Math.min(D, PREFIX_COST.length - 1)];
  const share = r / (1 - (1 - r) ** parts);
  const targets: number[] = [];
  for (let k = 1, x = share; k < parts; k++, x = x * (1 - r) + share) targets.push(Math.round(x * size));
  const starts = await lineStartsAfter(stream, size, targets).catch(rethrowAs(stream, 'stream log'));
  const cuts = [0];
  for (const s of starts) if (s > cuts[cuts.length - 1] && s < size) cuts.push(s);
  cuts.push(size);
  return cuts;
}

/**
 * Applying a stream line without a check, against checking it, by D (index 0 unused): measured on
 * the benchmark's logs with two threads, the prefix costing about 1.0 s a stream and a check
 * 2.7 s (D = 1), 5.5 s (D = 2) and 9.5 s (D = 3 and beyond) a stream.
 */
const PREFIX_COST = [0.37, 0.37, 0.18, 0.12];
/** Below 4 MiB (about 40,000 events) a part costs more to start than it saves. */
const MIN_PART_BYTES = 4 << 20;

/** D from the batch log's header line (its default when the header is bad): what a check costs. */
async function depthOf(batch: string, size: number): Promise<number> {
  let D = DEFAULT_PARAMS.D;
  const read = async () => {
    const [end] = await lineStartsAfter(batch, size, [1]);
    await readLines(batch, (text) => (D = parseHeader(text).D), undefined, { end });
  };
  await read().catch(rethrowAs(batch, 'batch log'));
  return D;
}

/** Sums the parts' counts; batch figures are part 0's, state sizes the last part's (the end). */
function combine(parts: PartResult[]): PartResult {
  const first = parts[0];
  const last = parts[parts.length - 1];
  const sum = (pick: (p: PartResult) => number) => parts.reduce((s, p) => s + pick(p), 0);
  const tallies = new Map<BadLineKind, BadLineTally>();
  for (const p of parts) {
    for (const t of p.badLines) {
      const into = tallies.get(t.kind);
      if (into === undefined) tallies.set(t.kind, { kind: t.kind, count: t.count, examples: t.examples.slice() });
      else {
        into.count += t.count;
        into.examples.push(...t.examples.slice(0, EXAMPLES_PER_KIND - into.examples.length));
      }
    }
  }
  return {
    D: first.D,
    T: first.T,
    batchEvents: first.batchEvents,
    streamEvents: sum((p) => p.streamEvents),
    purchasesChecked: sum((p) => p.purchasesChecked),
    flagged: sum((p) => p.flagged),
    badLines: [...tallies.values()],
    batchSeconds: first.batchSeconds,
    detector: {
      users: last.detector.users,
      friendships: last.detector.friendships,
      fallbacks: sum((p) => p.detector.fallbacks),
      rebuilds: sum((p) => p.detector.rebuilds),
    },
  };
}

/** Appends the file `from` to the file `to`, streaming, then removes `from`. */
async function appendFile(to: string, from: string): Promise<void> {
  await pipeline(createReadStream(from), createWriteStream(to, { flags: 'a' }));
  await unlink(from);
}

type BadLineSink = (file: string, line: number, kind: BadLineKind, message: string) => void;

/** Reads the header and applies the batch log; returns the detector it built. */
async function readBatch(batch: string, bad: BadLineSink, counts: { batchEvents: number }, afterChunk?: () => void): Promise<AnomalyDetector> {
  let detector: AnomalyDetector | null = null;
  await readLineBytes(batch, (bytes, start, end, line) => {
    if (detector === null) {
      const text = lineText(bytes, start, end);
      if (text.trim().length === 0) return bad(batch, line, 'blank', 'blank line');
      const header = parseHeader(text);
      if (header.problem !== null) bad(batch, line, 'bad-header', header.problem);
      detector = new AnomalyDetector({ D: header.D, T: header.T });
      if (!header.isEvent) return;
    }
    if (applyLine(detector, batch, bytes, start, end, line, bad)) counts.batchEvents++;
  }, afterChunk).catch(rethrowAs(batch, 'batch log'));
  if (detector === null) {
    // An empty batch log: no header, no state.
    bad(batch, 1, 'bad-header', 'batch log is empty: missing header line');
    detector = new AnomalyDetector(DEFAULT_PARAMS);
  }
  return detector;
}

/** A scanned line, reused by `applyLine` (which runs synchronously, one line at a time). */
const applied = new ScannedEvent();

/**
 * Applies a line as an event without checking it: read from its bytes when it is a usual line
 * (scan-bytes.ts), else from its text. A blank or bad line goes to `bad`; returns whether the
 * line was an event that was applied.
 */
function applyLine(detector: AnomalyDetector, file: string, bytes: Buffer, start: number, end: number, line: number, bad: BadLineSink): boolean {
  try {
    if (scanEventBytes(bytes, start, end, applied)) {
      detector.applyScanned(applied);
      return true;
    }
    const text = lineText(bytes, start, end);
    if (text.trim().length === 0) {
      bad(file, line, 'blank', 'blank line');
      return false;
    }
    detector.apply(parseEventLine(text));
    return true;
  } catch (err) {
    if (!(err instanceof BadEventError)) throw err;
    bad(file, line, err.kind, err.message);
    return false;
  }
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
