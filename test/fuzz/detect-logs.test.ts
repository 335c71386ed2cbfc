/**
 * Property: whatever is done to a valid pair of logs (test/samples/detect/*, the official
 * example among them), `detectFiles` never throws, accounts for every line (each one is the
 * header, an applied event or a counted bad line), and names each bad line's number truly;
 * `scenario detect --strict` exits 1 with file:line of the first bad line, or 0 when there is
 * none, and leaves no output behind when it fails. Cases run in a child process with a
 * deadline; `npm run fuzz` runs many more (FUZZ_RUNS).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BadEventError, parseEventLine, parseHeader, type BadLineTally } from '../../src/detect/index.js';
import { removeDir, ROOT, tempDir } from '../helpers.js';
import { CaseRunner, fuzzRuns, type ChildOutcome } from './child-pool.js';
import { applyLogEdits, logEditsArb, type LogEdit } from './log-mutations.js';

const RUNS = fuzzRuns(800);
const SEED = Number(process.env.FUZZ_SEED ?? 20170613);
const CASE_TIMEOUT_MS = 20_000;

const SAMPLES = join(ROOT, 'test', 'samples', 'detect');
const samples = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => ({ name: d.name, batch: readFileSync(join(SAMPLES, d.name, 'batch_log.json')), stream: readFileSync(join(SAMPLES, d.name, 'stream_log.json')) }));

interface DetectResult {
  report?: { batchEvents: number; streamEvents: number; purchasesChecked: number; flagged: number; badLines: BadLineTally[] };
  flagged?: string;
  threw?: { stack: string };
  strict: { code: number; stderr: string; outExists: boolean } | { threw: { stack: string } };
  entries: string[];
  harness?: { stack: string };
}

/** The lines as the detector reads them: UTF-8, "\n"-separated, a BOM and a trailing "\r" dropped. */
function linesOf(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length > 0 && lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Is `line` rejected for `kind` by the parser alone (stateful kinds need the detector)? */
function parserAgrees(line: string, kind: string): boolean {
  if (kind === 'blank') return line.trim().length === 0;
  try {
    const event = parseEventLine(line);
    return kind === 'unfriend-strangers' && event.type === 'unfriend';
  } catch (e) {
    return e instanceof BadEventError && e.kind === kind;
  }
}

function problems(outcome: ChildOutcome<DetectResult>, paths: [string, string], files: [Buffer, Buffer]): string[] {
  if ('hang' in outcome) return ['the case did not finish in time (hang)'];
  if ('crashed' in outcome) return [`the detector process died: ${outcome.crashed}`];
  const r = outcome.result;
  if (r.harness) return [`harness error: ${r.harness.stack}`];
  if (r.threw) return [`detectFiles threw: ${r.threw.stack}`];
  const out: string[] = [];
  const report = r.report!;
  const [batch, stream] = files.map(linesOf);
  const lines = { [paths[0]]: batch, [paths[1]]: stream };
  // Every line is accounted for once (a header that is really an event twice: bad-header and event).
  const h = batch.findIndex((l) => l.trim().length > 0);
  const header = h >= 0 ? parseHeader(batch[h]) : undefined;
  const adjust = header === undefined ? 1 : header.problem === null ? -1 : header.isEvent ? 1 : 0;
  const counted = report.badLines.reduce((s, t) => s + t.count, 0) + report.batchEvents + report.streamEvents;
  if (counted !== batch.length + stream.length + adjust) out.push(`${counted} lines accounted for, expected ${batch.length + stream.length + adjust}`);
  for (const t of report.badLines) {
    for (const ex of t.examples) {
      const text = lines[ex.file]?.[ex.line - 1];
      if (t.kind === 'bad-header') {
        if (ex.file !== paths[0] || ex.line !== (h >= 0 ? h + 1 : 1)) out.push(`bad-header at ${ex.file}:${ex.line}, not at the header`);
      } else if (text === undefined) out.push(`${t.kind} at ${ex.file}:${ex.line}: no such line`);
      else if (!parserAgrees(text, t.kind)) out.push(`${t.kind} at ${ex.file}:${ex.line}, but the line is ${JSON.stringify(text.slice(0, 120))}`);
    }
  }
  const flaggedLines = (r.flagged ?? '').split('\n').filter((l) => l.length > 0);
  if (flaggedLines.length !== report.flagged) out.push(`${report.flagged} flagged, ${flaggedLines.length} lines written`);
  for (const l of flaggedLines) {
    try {
      const v = JSON.parse(l);
      if (typeof v.mean !== 'string' || typeof v.sd !== 'string') out.push(`flagged line without mean and sd: ${l.slice(0, 120)}`);
    } catch {
      out.push(`flagged line is not JSON: ${l.slice(0, 120)}`);
    }
  }
  // --strict: the first bad line (blank lines never count) in reading order, batch first.
  if ('threw' in r.strict) return [...out, `--strict threw: ${r.strict.threw.stack}`];
  const firstIn = (file: string) =>
    Math.min(...report.badLines.filter((t) => t.kind !== 'blank').flatMap((t) => t.examples.filter((x) => x.file === file).map((x) => x.line)));
  const first = Number.isFinite(firstIn(paths[0])) ? `${paths[0]}:${firstIn(paths[0])}:` : Number.isFinite(firstIn(paths[1])) ? `${paths[1]}:${firstIn(paths[1])}:` : undefined;
  if (first === undefined) {
    if (r.strict.code !== 0) out.push(`--strict exited ${r.strict.code} with no bad line: ${r.strict.stderr}`);
  } else {
    if (r.strict.code !== 1) out.push(`--strict exited ${r.strict.code}, expected 1 for ${first}`);
    if (!r.strict.stderr.includes(first)) out.push(`--strict said ${JSON.stringify(r.strict.stderr.trim())}, expected ${first}`);
    if (r.strict.outExists) out.push('--strict failed but left its output file');
  }
  if (/\n\s+at /.test(r.strict.stderr)) out.push(`--strict printed a stack trace: ${r.strict.stderr}`);
  const expected = ['batch_log.json', 'flagged.json', 'stream_log.json', ...(first === undefined ? ['strict.json'] : [])];
  if (r.entries.join() !== expected.join()) out.push(`the folder holds ${r.entries.join(', ')}, expected ${expected.join(', ')}`);
  return out;
}

const work = tempDir('detect-fuzz-');
/** Kept after the run: a failing case's logs, to reproduce it with `scenario detect`. */
const failures = join(tmpdir(), 'detect-fuzz-failures');
const runner = new CaseRunner(CASE_TIMEOUT_MS);
afterAll(() => {
  runner.close();
  removeDir(work);
});

describe(`detector log fuzz (${RUNS} cases over ${samples.length} sample log pairs, seed ${SEED})`, () => {
  it('uses the official example and the hand-written samples', () => {
    expect(samples.map((s) => s.name)).toContain('official-test_1');
    expect(samples.length).toBeGreaterThanOrEqual(10);
  });

  it('every edited log pair is read to the end, every bad line counted at its number', async () => {
    let n = 0;
    let withBadLines = 0;
    let strictFailures = 0;
    const byOp = new Map<string, number>();
    const arb = fc.tuple(fc.integer({ min: 0, max: samples.length - 1 }), logEditsArb());
    await fc.assert(
      fc.asyncProperty(arb, async ([i, edits]: [number, LogEdit[]]) => {
        const s = samples[i];
        for (const op of new Set(edits.map((e) => e.op))) byOp.set(op, (byOp.get(op) ?? 0) + 1);
        const { files, described } = applyLogEdits(s.batch, s.stream, edits);
        const dir = join(work, `case-${n++}`);
        mkdirSync(dir, { recursive: true });
        const paths: [string, string] = [join(dir, 'batch_log.json'), join(dir, 'stream_log.json')];
        writeFileSync(paths[0], files[0]);
        writeFileSync(paths[1], files[1]);
        const outcome = await runner.run<DetectResult>({ kind: 'detect', dir, batch: paths[0], stream: paths[1] });
        const found = problems(outcome, paths, files);
        if (found.length > 0) {
          const kept = join(failures, `${s.name}-seed${SEED}-${n}`);
          mkdirSync(kept, { recursive: true });
          writeFileSync(join(kept, 'batch_log.json'), files[0]);
          writeFileSync(join(kept, 'stream_log.json'), files[1]);
          throw new Error(`${s.name} with ${described.join('; ')}\n  files kept in ${kept}\n  ${found.join('\n  ')}`);
        }
        if ('result' in outcome && outcome.result.report!.badLines.length > 0) withBadLines++;
        if ('result' in outcome && 'code' in outcome.result.strict && outcome.result.strict.code === 1) strictFailures++;
        removeDir(dir);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`detector fuzz: ${RUNS} cases: ${withBadLines} with bad lines, ${strictFailures} failed under --strict`);
    console.log(`  cases per kind of edit: ${[...byOp].sort().map(([op, n]) => `${op} ${n}`).join(', ')}`);
    // The edits must produce bad lines often, and clean cases must still occur.
    expect(withBadLines).toBeGreaterThan(RUNS / 4);
    expect(strictFailures).toBeLessThan(RUNS);
  }, Math.max(60_000, RUNS * 1_000));
});
