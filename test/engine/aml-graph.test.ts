/**
 * scenarios/aml-graph.yaml at its default 2,000 clients (seed 2017): node counts, link
 * counts against the binomial model, the shape of every pattern instance, labels, the
 * mixing of pattern transactions, and byte-identical reruns, shards and worker runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/pipeline.js';
import { removeDir, ROOT, runToTemp, tempDir } from '../helpers.js';
import { instances, readLinks, readMembers, readTable, readTransactions, type Tx } from './graph-files.js';
import { checkShape } from './pattern-shapes.js';

const FILE = 'scenarios/aml-graph.yaml';
const N = 2000;
const COMPANIES = Math.ceil(0.025 * N);
const ATMS = Math.ceil(0.0005 * N);
const dirs: string[] = [];
let dir = '';
let txs: Tx[] = [];
afterAll(() => dirs.forEach((d) => removeDir(dirname(d))));
beforeAll(async () => {
  dir = (await runToTemp(FILE)).dir;
  dirs.push(dir);
  txs = readTransactions(join(dir, 'transactions.csv'));
}, 120_000);

/** Every file of an output folder with its bytes, manifest excluded (it names the run's options). */
function contents(d: string, files: string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(d, f), 'latin1')]));
}

describe('aml-graph', () => {
  it('writes the declared numbers of clients, companies and ATMs, numbered one after another', () => {
    const ids = (f: string) => readTable(join(dir, f)).map((r) => Number(r.id));
    expect(ids('clients.csv')).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(ids('companies.csv')).toEqual(Array.from({ length: COMPANIES }, (_, i) => N + i));
    expect(ids('atms.csv')).toEqual(Array.from({ length: ATMS }, (_, i) => N + COMPANIES + i));
  });

  it('makes links at rate p per ordered pair, without self-links or duplicates', () => {
    const types: [string, number, [number, number], [number, number]][] = [
      ['client-client', 0.004, [0, N], [0, N]],
      ['client-company', 0.01, [0, N], [N, N + COMPANIES]],
      ['client-atm', 0.03, [0, N], [N + COMPANIES, N + COMPANIES + ATMS]],
      ['company-client', 0.005, [N, N + COMPANIES], [0, N]],
    ];
    for (const [type, p, from, to] of types) {
      const links = readLinks(join(dir, 'links', `${type}.csv`));
      const same = from[0] === to[0];
      const pairs = (from[1] - from[0]) * (to[1] - to[0] - (same ? 1 : 0));
      // Binomial(pairs, p): 4 standard deviations either side fail by chance with p < 1e-4.
      const sd = Math.sqrt(pairs * p * (1 - p));
      expect(Math.abs(links.length - pairs * p), `${type}: ${links.length} links for ${pairs} pairs`).toBeLessThanOrEqual(4 * sd);
      expect(links.filter(([s, t]) => s === t), `${type} self-links`).toEqual([]);
      expect(new Set(links.map(([s, t]) => `${s}>${t}`)).size, `${type} duplicates`).toBe(links.length);
      expect(links.every(([s, t]) => s >= from[0] && s < from[1] && t >= to[0] && t < to[1])).toBe(true);
    }
  });

  it('runs ordinary transactions over exactly the links, ceil(-2.5 ln U) per link', () => {
    const links = ['client-client', 'client-company', 'client-atm', 'company-client'].flatMap((t) => readLinks(join(dir, 'links', `${t}.csv`)));
    const ordinary = txs.filter((t) => !t.isPattern);
    expect(new Set(ordinary.map((t) => `${t.source}>${t.target}`))).toEqual(new Set(links.map(([s, t]) => `${s}>${t}`)));
    // Per link: geometric with p = 1 - e^-0.4 (mean 3.03, variance 6.17); 5 sd on the total.
    const q = 1 - Math.exp(-0.4);
    const sd = Math.sqrt((links.length * (1 - q)) / (q * q));
    expect(Math.abs(ordinary.length - links.length / q)).toBeLessThanOrEqual(5 * sd);
    const years = new Set(txs.map((t) => new Date(t.t * 1000).getUTCFullYear()));
    expect([...years].every((y) => y >= 2015 && y <= 2019)).toBe(true);
  });

  it('gives every pattern instance the shape of its kind', () => {
    const insts = instances(txs, readMembers(join(dir, 'patterns.csv')));
    const limits = {
      flow: { count: [2, 6] as [number, number], width: [1, 8] as [number, number], maxFee: 0.1 },
      circular: { count: [1, 8] as [number, number], maxFee: 0.1 },
      time: { count: [5, 50] as [number, number], jitter: 1800, period: [86400 - 3600, 4 * 86400 + 12 * 3600 + 3600] as [number, number] },
    };
    const kinds = new Map<string, number>();
    for (const inst of insts.values()) {
      kinds.set(inst.kind, (kinds.get(inst.kind) ?? 0) + 1);
      expect(checkShape(inst, limits[inst.kind as keyof typeof limits]), `${inst.kind} instance ${inst.id}`).toEqual([]);
    }
    // ceil(0.1 U N) instances of each kind: between 1 and 200.
    for (const k of ['flow', 'circular', 'time']) expect(kinds.get(k) ?? 0).toBeGreaterThanOrEqual(1), expect(kinds.get(k) ?? 0).toBeLessThanOrEqual(200);
  });

  it('labels pattern transactions and mixes them into the senders\' time-ordered blocks', () => {
    for (const t of txs) expect(t.isPattern).toBe(t.kind !== '' && t.instance !== undefined);
    expect(new Set(txs.map((t) => t.id)).size).toBe(txs.length);
    // Blocks by sender, in sender order, each ordered by time: the order says nothing about patterns.
    for (let i = 1; i < txs.length; i++) {
      const [a, b] = [txs[i - 1], txs[i]];
      expect(b.source > a.source || (b.source === a.source && b.t >= a.t), `row ${i + 1}`).toBe(true);
    }
    const patternRows = txs.map((t, i) => (t.isPattern ? i : -1)).filter((i) => i >= 0);
    expect(patternRows[patternRows.length - 1] - patternRows[0]).toBeGreaterThan(txs.length / 2);
  });

  it('writes the neo4j import files: typed headers, one relationship file per pair of node types', () => {
    expect(readFileSync(join(dir, 'neo4j/clients.csv'), 'utf8').split('\n')[0].startsWith('id:ID(Client)|')).toBe(true);
    let rows = 0;
    for (const [a, b, A, B] of [['client', 'client', 'Client', 'Client'], ['client', 'company', 'Client', 'Company'], ['client', 'atm', 'Client', 'ATM'], ['company', 'client', 'Company', 'Client'], ['company', 'company', 'Company', 'Company']]) {
      const file = join(dir, `neo4j/transfers-${a}-${b}.csv`);
      expect(existsSync(file)).toBe(true);
      const table = readTable(file);
      expect(Object.keys(table[0] ?? { [`:START_ID(${A})`]: 0, [`:END_ID(${B})`]: 0 }).slice(0, 2)).toEqual([`:START_ID(${A})`, `:END_ID(${B})`]);
      rows += table.length;
    }
    expect(rows).toBe(txs.length);
  });

  it('writes the same bytes for the same seed, and other data for another seed', async () => {
    const again = await runToTemp(FILE);
    dirs.push(again.dir);
    const files = again.manifest.files.map((f: { file: string }) => f.file);
    expect(contents(again.dir, files)).toEqual(contents(dir, files));
    const other = await runToTemp(FILE, { seed: 1 });
    dirs.push(other.dir);
    for (const f of ['clients.csv', 'transactions.csv', 'patterns.csv']) expect(readFileSync(join(other.dir, f), 'latin1')).not.toEqual(readFileSync(join(dir, f), 'latin1'));
  }, 120_000);

  // Worker threads run the compiled code, so the split over threads is checked through the CLI
  // (split-identity.test.ts); in this process a run asking for workers would run alone.
  it('writes the same bytes whatever the split: two shards concatenated', async () => {
    const file = join(ROOT, FILE);
    const load = { set: ['actors.clients.count=3000'] };
    const loaded = () => {
      const l = loadScenario(file, { ...load, estimate: true });
      return { ...l, compiled: l.compiled! };
    };
    const out = (name: string) => join(tempDir(), name);
    const whole = await runScenario(loaded(), { out: out('whole'), overrides: [] });
    const shards = [];
    for (const index of [1, 2]) shards.push(await runScenario(loaded(), { out: out(`shard${index}`), overrides: [], shard: { index, count: 2 } }));
    [whole, ...shards].forEach((r) => dirs.push(r.outDir));
    const files = whole.manifest.files.map((f) => f.file);
    for (const f of files) {
      const joined = shards.map((s) => readFileSync(join(s.outDir, f), 'latin1')).join('');
      expect(joined, f).toEqual(readFileSync(join(whole.outDir, f), 'latin1'));
    }
  }, 180_000);
});
