/**
 * `scenario detect` through its main(argv, io): exit codes, messages, summary and output file.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/commands/detect.js';

const SAMPLES = join(import.meta.dirname, '..', 'samples', 'detect');

/** Runs the command with captured stdout and stderr. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'detect-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sample = (name: string, file: string): string => join(SAMPLES, name, file);

describe('scenario detect', () => {
  it('prints help with an example and the exit codes', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: scenario detect --batch');
    expect(stdout).toContain('Example:');
    expect(stdout).toMatch(/Exit codes:[\s\S]*0 [\s\S]*1 [\s\S]*2 /);
  });

  it('flags the official example and reports to stderr', async () => {
    const out = join(dir, 'flagged_purchases.json');
    const { code, stderr, stdout } = await run([
      '--batch', sample('official-test_1', 'batch_log.json'),
      '--stream', sample('official-test_1', 'stream_log.json'),
      '--out', out,
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(await readFile(out, 'utf8')).toBe(
      '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:02", "id": "2", "amount": "1601.83", "mean": "29.10", "sd": "21.46"}\n',
    );
    expect(stderr).toContain('read 7 events (batch 6, stream 1)');
    expect(stderr).toContain('checked 1 purchases, flagged 1');
    expect(stderr).toContain('no bad lines');
  });

  it('lists bad lines per kind with their locations, and exits 0', async () => {
    const { code, stderr } = await run([
      '--batch', sample('bad-lines', 'batch_log.json'),
      '--stream', sample('bad-lines', 'stream_log.json'),
      '--out', join(dir, 'out.json'),
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain('15 bad lines skipped');
    expect(stderr).toMatch(/malformed-json\s+3\s+\(batch_log\.json:4, stream_log\.json:3, stream_log\.json:8\)/);
    expect(stderr).toMatch(/unfriend-strangers\s+2\s+\(batch_log\.json:12, stream_log\.json:6\)/);
  });

  it('stays silent with --quiet', async () => {
    const { code, stderr } = await run([
      '--batch', sample('official-test_1', 'batch_log.json'),
      '--stream', sample('official-test_1', 'stream_log.json'),
      '--out', join(dir, 'out.json'),
      '--quiet',
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('fails with exit 1 on the first bad line under --strict, leaving no output', async () => {
    const out = join(dir, 'out.json');
    const batch = sample('bad-lines', 'batch_log.json');
    const { code, stderr } = await run(['--batch', batch, '--stream', sample('bad-lines', 'stream_log.json'), '--out', out, '--strict']);
    expect(code).toBe(1);
    // Line 3 is blank, which is never fatal; line 4 is the first real problem.
    expect(stderr).toBe(`scenario detect: ${batch}:4: malformed JSON\n`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('accepts clean input under --strict', async () => {
    const { code } = await run([
      '--batch', sample('threshold-exact', 'batch_log.json'),
      '--stream', sample('threshold-exact', 'stream_log.json'),
      '--out', join(dir, 'out.json'),
      '--strict',
    ]);
    expect(code).toBe(0);
  });

  it('reports a missing input file in one line, with exit 1', async () => {
    const missing = join(dir, 'nope.json');
    const { code, stderr } = await run(['--batch', missing, '--stream', sample('official-test_1', 'stream_log.json'), '--out', join(dir, 'o.json')]);
    expect(code).toBe(1);
    expect(stderr).toBe(`scenario detect: cannot read batch log ${missing}: no such file\n`);
  });

  it('reports an unwritable output, with exit 1', async () => {
    const out = join(dir, 'no-such-dir', 'out.json');
    const { code, stderr } = await run([
      '--batch', sample('official-test_1', 'batch_log.json'),
      '--stream', sample('official-test_1', 'stream_log.json'),
      '--out', out,
    ]);
    expect(code).toBe(1);
    expect(stderr).toBe(`scenario detect: cannot write output ${out}: no such file\n`);
  });

  it('exits 2 on usage errors', async () => {
    const missingOut = await run(['--batch', 'a', '--stream', 'b']);
    expect(missingOut.code).toBe(2);
    expect(missingOut.stderr).toContain('missing --out');
    const unknown = await run(['--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Try 'scenario detect --help'");
    const positional = await run(['batch_log.json']);
    expect(positional.code).toBe(2);
    for (const workers of ['0', 'two', '1.5']) {
      const bad = await run(['--batch', 'a', '--stream', 'b', '--out', 'c', '--workers', workers]);
      expect(bad.code, workers).toBe(2);
      expect(bad.stderr).toContain(`--workers must be an integer >= 1, got "${workers}"`);
    }
  });

  it('writes an empty file when nothing is flagged', async () => {
    const out = join(dir, 'out.json');
    await writeFile(join(dir, 'b.json'), '{"D":"1", "T":"2"}\n');
    await writeFile(join(dir, 's.json'), '{"event_type":"purchase", "timestamp":"2017-06-13 11:33:02", "id": "2", "amount": "1.00"}\n');
    const { code } = await run(['--batch', join(dir, 'b.json'), '--stream', join(dir, 's.json'), '--out', out, '--quiet']);
    expect(code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe('');
  });
});
