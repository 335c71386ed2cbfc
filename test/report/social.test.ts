/**
 * Declared vs realised events of a social process: the declared means are the rates written
 * by hand for each day, the replayed draws are the run's (purchases, never skipped, match
 * the log per day, random rate included), and the realised counts are a JS count of the
 * batch and stream logs, the only outputs whose filters add up to every event.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocialRuntime } from '../../src/kernels/social/runtime.js';
import { loadScenario, runScenario } from '../../src/pipeline.js';
import { socialSection } from '../../src/report/build-social.js';
import { Dataset } from '../../src/report/dataset.js';
import { writeReport } from '../../src/report/index.js';
import { selectPlots } from '../../src/report/select.js';
import { phaseOf, type SocialPlan } from '../../src/report/select-social.js';
import { removeDir, runToTemp, tempDir, writeIn } from '../helpers.js';

const DAYS = 6;
const scenario = (purchaseRate: string) => `
scenario: tiny-social
seed: 7
time: { start: "2026-02-01", days: ${DAYS} }
actors:
  users: { count: 8, attributes: { spend: { uniform: { min: 10, max: 30 } } } }
processes:
  net:
    social:
      actor: users
      batch_days: 2
      initial_friendships: 10.7
      befriend_rate: "2 + day"
      unfriend_rate: "2 - 0.5 * day"
      purchase_rate: "${purchaseRate}"
      amount: "actor.spend"
outputs:
  batch:
    from: net
    file: batch.json
    format: jsonl
    where: "event.phase == 'batch'"
    preamble: detector.header
    columns: &log { kind: event.type, at: event.timestamp, id: event.id, id1: event.id1, id2: event.id2 }
  stream:
    from: net
    file: stream.json
    format: jsonl
    where: "'stream' == event.phase"
    columns: *log
  bought:
    from: net
    where: "event.type == 'purchase'"
    columns: { kind: event.type, at: event.timestamp }
`;
const FIXED = scenario('4 * count.users + 3 * day');
const RANDOM = scenario('uniform(20, 40)');

const tmp = tempDir();
const dirs: string[] = [];
afterAll(() => [tmp, ...dirs].forEach(removeDir));


function declaredOf(path: string) {
  const loaded = loadScenario(path);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const runtime = loaded.compiled!.processes.find((p) => p.name === 'net');
  expect(runtime).toBeInstanceOf(SocialRuntime);
  return (runtime as SocialRuntime).declared(loaded.compiled!.seed);
}

/** Lines of the logs per type and day, counted in JS (the header line has no event type). */
function logCounts(dir: string): Record<string, number[]> {
  const counts: Record<string, number[]> = { befriend: [], unfriend: [], purchase: [] };
  for (const t of Object.keys(counts)) counts[t] = new Array(DAYS).fill(0);
  for (const f of ['batch.json', 'stream.json']) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line) continue;
      const e = JSON.parse(line);
      if (e.kind === undefined) continue;
      counts[e.kind][Math.floor((Date.parse(`${e.at.replace(' ', 'T')}Z`) - Date.parse('2026-02-01T00:00:00Z')) / 86400_000)]++;
    }
  }
  return counts;
}

async function sectionOf(dir: string) {
  const ds = await Dataset.open(dir);
  try {
    const plot = selectPlots(ds).find((p): p is SocialPlan => p.kind === 'social');
    expect(plot, 'a social plot is selected').toBeDefined();
    return { plot: plot!, section: await socialSection(ds, plot!) };
  } finally {
    ds.close();
  }
}

const seriesOf = (chart: any, prefix: string): number[] => chart.spec.data.values.filter((v: any) => v.series.startsWith(prefix)).map((v: any) => v.events);

describe('declared social rates', () => {
  it('are the compiled rates evaluated per day: negative ones count as 0, initial friendships on day 0 only', () => {
    const { batchDays, days } = declaredOf(writeIn(tmp, 'fixed.yaml', FIXED));
    expect(batchDays).toBe(2);
    expect(days.map((d) => d.initial)).toEqual([10, 0, 0, 0, 0, 0]);
    expect(days.map((d) => d.rates)).toEqual(Array.from({ length: DAYS }, (_, day) => [2 + day, Math.max(0, 2 - 0.5 * day), 32 + 3 * day]));
  });

  it('are the means the run drew from when a rate is random: one draw per day, within its range', () => {
    const { days } = declaredOf(writeIn(tmp, 'random.yaml', RANDOM));
    const purchase = days.map((d) => d.rates[2]);
    for (const x of purchase) expect(x).toBeGreaterThanOrEqual(20), expect(x).toBeLessThan(40);
    expect(new Set(purchase).size).toBe(DAYS);
  });

  it('keeps an output whose where tests the phase, and no other filter', () => {
    expect(phaseOf("event.phase == 'batch'")).toBe('batch');
    expect(phaseOf(' ( "stream" == event.phase ) ')).toBe('stream');
    expect(phaseOf("event.phase != 'batch'")).toBe('stream');
    expect(phaseOf("event.type == 'purchase' && event.phase == 'stream'")).toBeUndefined();
    expect(phaseOf('event.flagged')).toBeUndefined();
  });
});

describe('declared vs realised social events in the report', () => {
  const runs: Record<string, string> = {};
  beforeAll(async () => {
    for (const [name, text] of [['fixed', FIXED], ['random', RANDOM]]) {
      const { dir } = await runToTemp(writeIn(tmp, `${name}-run.yaml`, text));
      dirs.push(dirname(dir));
      runs[name] = dir;
    }
  }, 60_000);

  it('draws, per event type, the rate of each day and the log lines of that day (batch and stream added)', async () => {
    const { plot, section } = await sectionOf(runs.fixed);
    expect(plot.sources.map((s) => [s.output.file.output, s.phase, s.typeColumn, s.timeColumn, s.time])).toEqual([
      ['batch', 'batch', 'kind', 'at', 'timestamp'],
      ['stream', 'stream', 'kind', 'at', 'timestamp'],
    ]);
    expect(section.charts.map((c) => c.id)).toEqual(['social-net-befriend', 'social-net-unfriend', 'social-net-purchase']);
    const [befriend, unfriend, purchase] = section.charts;
    expect(seriesOf(befriend, 'declared')).toEqual([12, 3, 4, 5, 6, 7]);
    expect(seriesOf(unfriend, 'declared')).toEqual([2, 1.5, 1, 0.5, 0, 0]);
    expect(seriesOf(purchase, 'declared')).toEqual([32, 35, 38, 41, 44, 47]);
    const counts = logCounts(runs.fixed);
    expect(counts.purchase.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    expect(seriesOf(befriend, 'realised')).toEqual(counts.befriend);
    expect(seriesOf(unfriend, 'realised')).toEqual(counts.unfriend);
    expect(seriesOf(purchase, 'realised')).toEqual(counts.purchase);
    expect(befriend.caption).toContain('floor(initial_friendships) = 10');
    expect(befriend.caption).toContain("stream (where 'stream' == event.phase, days 2 to 5");
  });

  it('replays the draws of the run: purchases drawn equal the purchases written each day, random rate included', async () => {
    let skipped = 0;
    for (const name of ['fixed', 'random']) {
      const dir = runs[name];
      const { days } = declaredOf(join(dir, 'scenario.yaml'));
      const counts = logCounts(dir);
      expect(days.map((d) => d.drawn[2]), name).toEqual(counts.purchase);
      // Drawn befriends include the initial ones; friendship events can only be skipped (8 users: 28 pairs), never added.
      expect(days[0].drawn[0]).toBeGreaterThanOrEqual(10);
      days.forEach((d, i) => expect(d.drawn[0]).toBeGreaterThanOrEqual(counts.befriend[i]));
      const { section } = await sectionOf(dir);
      const drawn = days.reduce((a, d) => a + d.drawn[0], 0);
      const written = counts.befriend.reduce((a, b) => a + b, 0);
      expect(section.charts[0].caption).toContain(`${drawn} drawn, ${drawn - written} of them not written`);
      skipped += drawn - written;
    }
    // The small network does fill up: the count of skipped befriends is not vacuous.
    expect(skipped).toBeGreaterThan(0);
  });

  it('leaves the section out with a note in a later shard, which holds none of the social rows', async () => {
    const loaded = loadScenario(writeIn(tmp, 'shard-run.yaml', FIXED));
    const dir = join(tmp, 'shard-2');
    await runScenario({ ...loaded, compiled: loaded.compiled! }, { out: dir, overrides: [], shard: { index: 2, count: 2 } });
    expect(readFileSync(join(dir, 'batch.json'), 'utf8').split('\n').filter((l) => l.includes('purchase'))).toEqual([]);
    const result = await writeReport(dir);
    expect(result.charts.map((c) => c.id).filter((id) => id.startsWith('social-'))).toEqual([]);
    // Empty files (no header in a later shard) are read as empty tables, not reported unreadable.
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).not.toContain('not read');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('Declared vs realised events of net left out: it runs whole in shard 1 of 2');
  }, 60_000);

  it('leaves the section out with a note, not an error, when the scenario copy no longer compiles', async () => {
    const broken = join(tmp, 'broken');
    mkdirSync(broken);
    cpSync(runs.fixed, broken, { recursive: true });
    writeFileSync(join(broken, 'scenario.yaml'), FIXED.replace('"2 + day"', '"2 + days"'));
    const result = await writeReport(broken);
    expect(result.charts.map((c) => c.id).filter((id) => id.startsWith('social-'))).toEqual([]);
    expect(readFileSync(join(broken, 'report.html'), 'utf8')).toMatch(/<li>Declared vs realised events of net left out: scenario\.yaml did not compile again \(expr-unknown-identifier: /);
  }, 60_000);
});
