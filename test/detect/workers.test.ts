/**
 * A file run shared between threads (`workers`) gives the output, counts and bad-line report of a
 * run on one thread, bad lines in any part included, and fails under --strict at the same line.
 * Threads need the compiled code, so these runs use dist/ (built before the tests).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineStartsAfter, readLines } from '../../src/detect/lines.js';
import type { DetectFilesOptions, DetectReport } from '../../src/detect/files.js';
import { writeSyntheticLogs } from '../../src/detect/synthetic.js';
import { CLI, ROOT } from '../helpers.js';

type Built = {
  detectFiles(opts: DetectFilesOptions): Promise<DetectReport>;
  DetectInputError: new (...args: never[]) => Error;
};
const built = (): Promise<Built> => import(pathToFileURL(join(ROOT, 'dist', 'detect', 'index.js')).href) as Promise<Built>;

let dir: string;
let batch: string;
let stream: string;
/** Stream lines (1-based) where bad lines were put: early, in the middle, late. */
let badAt: number[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'detect-workers-'));
  batch = join(dir, 'batch_log.json');
  stream = join(dir, 'stream_log.json');
  // 300,000 events: a stream of about 14 MB, enough for three parts of 4 MiB or more.
  await writeSyntheticLogs({ batch, stream: join(dir, 'clean.json'), events: 300_000, users: 20_000, D: 3, T: 20 });
  const lines = (await readFile(join(dir, 'clean.json'), 'utf8')).split('\n');
  const n = lines.length;
  badAt = [Math.floor(n * 0.1), Math.floor(n * 0.5), Math.floor(n * 0.93)];
  const bad = ['{"event_type":"purchase", "timestamp":"2017-02-30 11:00:00", "id": "1", "amount": "5.00"}', '', 'not json'];
  // In ascending order, so each lands at its line number and the earlier ones stay put.
  for (let k = 0; k < badAt.length; k++) lines.splice(badAt[k] - 1, 0, bad[k]);
  await writeFile(stream, lines.join('\n'));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The report without what depends on time or threads. */
const stable = (r: DetectReport) => ({ ...r, seconds: 0, batchSeconds: 0, parts: 0 });

describe('a file run shared between threads', () => {
  it('writes the same bytes and reports the same counts and bad lines with 1, 2 and 3 threads', async () => {
    const { detectFiles } = await built();
    const runs: { report: DetectReport; output: string }[] = [];
    for (const workers of [1, 2, 3]) {
      const out = join(dir, `flagged-${workers}.json`);
      const report = await detectFiles({ batch, stream, out, workers });
      expect(report.parts, `${workers} workers`).toBe(workers);
      runs.push({ report, output: await readFile(out, 'utf8') });
    }
    expect(runs[0].report.flagged).toBeGreaterThan(100);
    const kinds = runs[0].report.badLines.map((t) => [t.kind, t.examples.map((e) => e.line)]);
    expect(kinds).toEqual([
      ['invalid-timestamp', [badAt[0]]],
      ['blank', [badAt[1]]],
      ['malformed-json', [badAt[2]]],
    ]);
    for (const r of runs.slice(1)) {
      expect(r.output === runs[0].output).toBe(true);
      expect(stable(r.report)).toEqual(stable(runs[0].report));
    }
    // Only the output is left: no part files.
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  }, 120_000);

  it('under --strict fails at the first bad line whichever part finds it, and leaves no file behind', async () => {
    const { detectFiles, DetectInputError } = await built();
    // The blank line is never fatal, so the first failure is the invalid timestamp, then (with
    // it gone) the malformed line in the last part.
    for (const workers of [1, 3]) {
      const out = join(dir, `strict-${workers}.json`);
      const err = await detectFiles({ batch, stream, out, workers, strict: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DetectInputError);
      expect((err as Error).message).toBe(`${stream}:${badAt[0]}: invalid timestamp "2017-02-30 11:00:00"`);
    }
    const lines = (await readFile(stream, 'utf8')).split('\n');
    lines[badAt[0] - 1] = lines[badAt[0]];
    const late = join(dir, 'late_bad.json');
    await writeFile(late, lines.join('\n'));
    for (const workers of [1, 3]) {
      const out = join(dir, `strict-late-${workers}.json`);
      const err = await detectFiles({ batch, stream: late, out, workers, strict: true }).catch((e: unknown) => e);
      expect((err as Error).message).toBe(`${late}:${badAt[2]}: malformed JSON`);
    }
    const left = (await readdir(dir)).filter((f) => f.startsWith('strict') || f.startsWith('.'));
    expect(left).toEqual([]);
  }, 120_000);
});

describe('an interrupted file run', () => {
  it('Ctrl-C stops every thread, exits 130 and leaves nothing of the output', async () => {
    const out = join(dir, 'interrupted.json');
    const child = spawn(process.execPath, [CLI, 'detect', '--batch', batch, '--stream', stream, '--out', out, '--workers', '2'], {
      env: { ...process.env, CI: 'true' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Listened for from the start, so an early exit is not missed.
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once both parts have started writing (part 0's file and the thread's).
    const started = Date.now();
    while ((await readdir(dir)).filter((f) => f.startsWith('.interrupted.json.')).length < 2 && Date.now() - started < 60_000) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toContain('interrupted; nothing is left of the output');
    expect((await readdir(dir)).filter((f) => f.includes('interrupted'))).toEqual([]);
  }, 120_000);
});

describe('reading a log in parts', () => {
  it('line starts after byte targets, and the parts read back as the whole file with their line numbers', async () => {
    const file = join(dir, 'parts.txt');
    const text = '\uFEFFfirst\r\nsecond\n\nfourth line\nfifth';
    await writeFile(file, text);
    const size = Buffer.byteLength(text);
    // Line starts: 0, 10 (after the BOM's 3 bytes and "first\r\n"), 17, 18, 30.
    expect(await lineStartsAfter(file, size, [0, 1, 10, 11, 17, 29, 30, 31])).toEqual([0, 10, 10, 17, 17, 30, 30, size]);
    const whole: [string, number][] = [];
    await readLines(file, (t, n) => whole.push([t, n]));
    const parts: [string, number][] = [];
    let last = await readLines(file, (t, n) => parts.push([t, n]), undefined, { end: 17 });
    last = await readLines(file, (t, n) => parts.push([t, n]), undefined, { start: 17, end: 30, firstLine: last + 1 });
    await readLines(file, (t, n) => parts.push([t, n]), undefined, { start: 30, firstLine: last + 1 });
    expect(parts).toEqual(whole);
    expect(whole).toEqual([
      ['first', 1],
      ['second', 2],
      ['', 3],
      ['fourth line', 4],
      ['fifth', 5],
    ]);
  });
});
