/**
 * `node dist/bench/parquet.js [ROWS]`: the measurement behind the choice of Parquet writer
 * (docs/formats.md). The same rows, given as column batches the way a run hands them over,
 * are written row group by row group by the engine's writer (DuckDB encodes each row group
 * with zstd, sinks/parquet/container.ts joins them) and by hyparquet-writer (pure
 * JavaScript, snappy), for two tables: six
 * scalar columns (int, double, string, boolean, timestamp, int) and crm-theft-like sessions
 * (six integer columns and a list of strings). Best of three runs, in wall time and in CPU
 * time of all threads; prints one JSON line per case. hyparquet-writer is a devDependency, used only here.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rngFor } from '../rng/index.js';
import { BATCH_ROWS } from '../sinks/parquet/column-writer.js';
import { StagingDb } from '../sinks/parquet/duckdb-file.js';

type Table = { names: string[]; columns: unknown[][] };
const STATES = ['start', 'end', 'action_1', 'action_2', 'action_3', 'action_4', 'action_5'];

function scalarTable(rows: number): Table {
  const r = rngFor(1, 'bench/parquet', 0);
  const c: unknown[][] = [[], [], [], [], [], []];
  for (let i = 0; i < rows; i++) {
    c[0].push(i);
    c[1].push(Math.round(r() * 100000) / 100);
    c[2].push(`m${Math.floor(r() * 1000)}`);
    c[3].push(r() < 0.01);
    c[4].push(new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace('.000Z', 'Z'));
    c[5].push(Math.floor(i / 86400));
  }
  return { names: ['id', 'amount', 'merchant', 'fraud', 'time', 'day'], columns: c };
}

function sessionTable(rows: number): Table {
  const r = rngFor(1, 'bench/parquet', 1);
  const c: unknown[][] = [[], [], [], [], [], [], []];
  for (let i = 0; i < rows; i++) {
    const path = ['start'];
    while (r() > 0.3 && path.length < 20) path.push(STATES[2 + Math.floor(r() * 5)]);
    path.push('end');
    c[0].push(Math.floor(i / 200));
    c[1].push(0);
    c[2].push(i % 200);
    c[3].push(path);
    c[4].push(r() < 0.2 ? 1 : 0);
    c[5].push(r() < 0.02 ? 1 : 0);
    c[6].push(r() < 0.004 ? 1 : 0);
  }
  return { names: ['UserID', 'Day', 'UserSessionId', 'SessionActivity', 'UserRole', 'PotentialFraudster', 'FraudulentActivity'], columns: c };
}

async function duckdb(t: Table, dir: string): Promise<string> {
  const db = await StagingDb.create(join(dir, 'staging'));
  const out = join(dir, 'duckdb.parquet');
  const file = await db.file(t.names, out);
  const rows = t.columns[0].length;
  for (let a = 0; a < rows; a += BATCH_ROWS) {
    const b = Math.min(rows, a + BATCH_ROWS);
    file.append(
      t.columns.map((c) => c.slice(a, b)),
      b - a,
    );
    // A run turns the event loop every few batches, and waits when row groups queue up.
    if ((a / BATCH_ROWS) % 16 === 0) await new Promise((r) => setImmediate(r));
    for (let p = file.pending(); p; p = file.pending()) await p;
  }
  await file.finish();
  return out;
}

async function hyparquet(t: Table, dir: string): Promise<string> {
  const { ByteWriter, ParquetWriter } = await import('hyparquet-writer');
  const schema: any[] = [{ name: 'root', num_children: t.names.length }];
  t.names.forEach((name, j) => {
    const v = t.columns[j][0];
    if (Array.isArray(v)) schema.push({ name, repetition_type: 'REQUIRED', num_children: 1, converted_type: 'LIST' }, { name: 'list', repetition_type: 'REPEATED', num_children: 1 }, { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' });
    else if (typeof v === 'boolean') schema.push({ name, type: 'BOOLEAN', repetition_type: 'REQUIRED' });
    else if (name === 'time') schema.push({ name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'REQUIRED' });
    else if (typeof v === 'string') schema.push({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' });
    else if (name === 'amount') schema.push({ name, type: 'DOUBLE', repetition_type: 'REQUIRED' });
    else schema.push({ name, type: 'INT64', repetition_type: 'REQUIRED' });
  });
  const writer = new ByteWriter();
  const parts: Uint8Array[] = [];
  (writer as any).flush = () => {
    parts.push(new Uint8Array(writer.buffer.slice(0, writer.index)));
    writer.index = 0;
  };
  const pw = new ParquetWriter({ writer, schema, codec: 'SNAPPY', createdBy: 'bench' });
  const rows = t.columns[0].length;
  const group = 122_880;
  for (let a = 0; a < rows; a += group) {
    const columnData = t.names.map((name, j) => {
      let data: any = t.columns[j].slice(a, a + group);
      const el = schema.find((s) => s.name === name);
      if (el.type === 'INT64') data = BigInt64Array.from(data, (x: any) => BigInt(el.converted_type ? Date.parse(x) : x));
      return { name, data };
    });
    pw.write({ columnData, rowGroupSize: group });
  }
  pw.finish();
  (writer as any).flush();
  const out = join(dir, 'hyparquet.parquet');
  writeFileSync(out, Buffer.concat(parts));
  return out;
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  for (const [table, make] of [
    ['6 scalar columns', scalarTable],
    ['crm-theft sessions (7 columns, 1 list)', sessionTable],
  ] as const) {
    const t = make(rows);
    for (const [library, write] of [
      ['@duckdb/node-api (zstd)', duckdb],
      ['hyparquet-writer (snappy)', hyparquet],
    ] as const) {
      let best = Infinity;
      let cpu = Infinity;
      let bytes = 0;
      for (let i = 0; i < 3; i++) {
        const dir = mkdtempSync(join(tmpdir(), 'bench-parquet-'));
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const out = await write(t, dir);
        const c = process.cpuUsage(c0);
        best = Math.min(best, (performance.now() - t0) / 1000);
        cpu = Math.min(cpu, (c.user + c.system) / 1e6);
        bytes = statSync(out).size;
        rmSync(dir, { recursive: true, force: true });
      }
      // CPU seconds (all threads) move less than wall time on a shared, busy machine.
      console.log(JSON.stringify({ table, library, rows, seconds: +best.toFixed(3), rowsPerSecond: Math.round(rows / best), cpuSeconds: +cpu.toFixed(3), rowsPerCpuSecond: Math.round(rows / cpu), bytes }));
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
