/**
 * The file thread (src/sinks/file-thread.ts) writes and hashes output files for the thread
 * making rows. These tests write through it the ways a run does (rows into the writer's
 * buffer, chunks from worker threads, gzip, several files at once) and check the files' bytes
 * and sha256 against what was written; then a full disk, an abandoned file, and a whole run
 * with and without the thread. The thread needs the compiled worker script, so the writer is
 * loaded from dist/ (`npm test` builds it first).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, removeDir, tempDir } from '../helpers.js';

const dist = (path: string) => import(new URL(`../../dist/${path}`, import.meta.url).href);
const { ByteWriter } = await dist('sinks/byte-writer.js');
const { fileThread, FILE_CHUNK } = await dist('sinks/file-thread.js');
const { GzipBlocks } = await dist('sinks/gzip.js');
const { loadScenario, runScenario } = await dist('pipeline.js');

const dir = tempDir('file-thread-');
afterAll(() => removeDir(dir));

/** A writer of `path` through the file thread, as a one-thread run opens it. */
const writer = (path: string, transform?: unknown) => new ByteWriter(path, false, transform, undefined, true);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

type Part = { kind: 'int'; value: number } | { kind: 'str'; value: string };

/** Rows of varied length (digits, text, one far longer than a buffer): the calls that write them, and their bytes. */
function rows(count: number, seed: number): { parts: Part[]; expected: Buffer; write: (w: any) => void } {
  const parts: Part[] = [];
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    parts.push({ kind: 'int', value: x });
    parts.push({ kind: 'str', value: i === count >> 1 ? 'long:' + 'z'.repeat(FILE_CHUNK + 12345) : `,row ${i} é ${'ab'.repeat(x % 40)}\n` });
  }
  const expected = Buffer.from(parts.map((p) => String(p.value)).join(''), 'utf8');
  return { parts, expected, write: (w) => parts.forEach((p) => writePart(w, p)) };
}

function writePart(w: any, p: Part): void {
  if (p.kind === 'int') w.int(p.value);
  else w.str(p.value);
}

describe('the file thread', () => {
  // With one core there is nothing to overlap, and writers write in their own thread.
  const threaded = availableParallelism() > 1;

  it('is on where the engine is built and there is a second core', () => {
    expect(fileThread() !== undefined).toBe(threaded);
  });

  it('writes rows of two files at once byte for byte, with their sha256', () => {
    const a = rows(40_000, 1);
    const b = rows(30_000, 2);
    const before = fileThread()?.handedOver ?? 0;
    const wa = writer(join(dir, 'a.csv'));
    const wb = writer(join(dir, 'b.csv'));
    // Interleaved, so both files hold buffers of the thread at the same time.
    for (let i = 0; i < Math.max(a.parts.length, b.parts.length); i++) {
      if (i < a.parts.length) writePart(wa, a.parts[i]);
      if (i < b.parts.length) writePart(wb, b.parts[i]);
    }
    const ra = wa.close();
    const rb = wb.close();
    // Every byte went through the thread, none written here.
    expect((fileThread()?.handedOver ?? 0) - before).toBe(threaded ? a.expected.length + b.expected.length : 0);
    // More than a few buffers each, or the thread would not have been used.
    expect(a.expected.length).toBeGreaterThan(4 * FILE_CHUNK);
    expect(readFileSync(join(dir, 'a.csv')).equals(a.expected)).toBe(true);
    expect(readFileSync(join(dir, 'b.csv')).equals(b.expected)).toBe(true);
    expect(ra).toEqual({ bytes: a.expected.length, sha256: sha256(a.expected) });
    expect(rb).toEqual({ bytes: b.expected.length, sha256: sha256(b.expected) });
  });

  it('writes chunks made by worker threads, and gzip members, as they come', () => {
    const { expected } = rows(50_000, 3);
    const chunks = writer(join(dir, 'chunks.csv'));
    const gz = writer(join(dir, 'out.csv.gz'), new GzipBlocks());
    for (let at = 0; at < expected.length; at += 700_001) {
      chunks.writeChunk(expected.subarray(at, at + 700_001));
      gz.writeChunk(expected.subarray(at, at + 700_001));
    }
    const rc = chunks.close();
    const rg = gz.close();
    expect(readFileSync(join(dir, 'chunks.csv')).equals(expected)).toBe(true);
    expect(rc.sha256).toBe(sha256(expected));
    const stored = readFileSync(join(dir, 'out.csv.gz'));
    expect(gunzipSync(stored).equals(expected)).toBe(true);
    expect(rg).toEqual({ bytes: stored.length, sha256: sha256(stored) });
  });

  it('writes a file that fits in one buffer without the thread, the same bytes', () => {
    const w = writer(join(dir, 'small.csv'));
    w.str('id,name\n1,a\n');
    expect(w.close()).toEqual({ bytes: 12, sha256: sha256(Buffer.from('id,name\n1,a\n')) });
    expect(readFileSync(join(dir, 'small.csv'), 'utf8')).toBe('id,name\n1,a\n');
  });

  // /dev/full fails every write with ENOSPC, as a full disk does.
  it.skipIf(!existsSync('/dev/full'))('reports a full disk as writeSync did, and goes on serving other files', () => {
    const { expected, write } = rows(20_000, 4);
    const full = writer('/dev/full');
    let error: any;
    try {
      write(full);
      full.close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ENOSPC');
    expect(error.syscall).toBe('write');
    full.abandon();
    const ok = writer(join(dir, 'after.csv'));
    write(ok);
    expect(ok.close().sha256).toBe(sha256(expected));
  });

  it('lets a file be abandoned half written, without waiting on the rest', () => {
    const { expected, write } = rows(20_000, 5);
    const dropped = writer(join(dir, 'dropped.csv'));
    write(dropped);
    dropped.abandon();
    const kept = writer(join(dir, 'kept.csv'));
    write(kept);
    expect(kept.close().sha256).toBe(sha256(expected));
  });

  it('gives a run the same files as writing in its own thread', () => {
    const run = (out: string, thread: boolean) =>
      execFileSync(process.execPath, [CLI, 'run', join(ROOT, 'scenarios/crm-theft.yaml'), '--set', 'actors.users.count=1000', '--workers', '1', '--out', out, '--quiet'], {
        env: { ...process.env, SCENARIO_FILE_THREAD: thread ? '1' : '0' },
      });
    run(join(dir, 'with'), true);
    run(join(dir, 'without'), false);
    const files = (d: string) => JSON.parse(readFileSync(join(dir, d, 'manifest.json'), 'utf8')).files;
    expect(files('with')).toEqual(files('without'));
    // Several buffers' worth, so the run went through the thread.
    expect(files('with').some((f: { bytes: number }) => f.bytes > 4 * FILE_CHUNK)).toBe(true);
  });

  // With worker threads, only outputs of a process this thread runs alone (card-fraud-city's
  // payments: ledgers make it sequential) go through the file thread; crm-theft's are made by
  // the workers and written here between chunks.
  it.skipIf(!threaded)('serves, in a run with worker threads, the outputs of processes run in this thread alone', async () => {
    const handed = async (name: string, set: string[]) => {
      const file = join(ROOT, 'scenarios', `${name}.yaml`);
      const loaded = loadScenario(file, { set });
      const before = fileThread().handedOver;
      const result = await runScenario({ ...loaded, compiled: loaded.compiled }, { out: join(dir, `workers-${name}`), overrides: set, workers: 2, source: { file, load: { set } } });
      const bytes = result.manifest.files.reduce((n: number, f: { bytes: number }) => n + f.bytes, 0);
      return { handed: fileThread().handedOver - before, bytes };
    };
    // 3,000 clients: about 360,000 rows, past the 200,000 below which a run keeps one thread.
    const cards = await handed('card-fraud-city', ['params.clients=3000']);
    expect(cards.bytes).toBeGreaterThan(4 * FILE_CHUNK);
    expect(cards.handed).toBe(cards.bytes);
    const crm = await handed('crm-theft', ['actors.users.count=2000']);
    expect(crm.bytes).toBeGreaterThan(4 * FILE_CHUNK);
    expect(crm.handed).toBe(0);
  });
});
