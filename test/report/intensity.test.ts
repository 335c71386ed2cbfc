/**
 * The declared vs realised intensity of an arrivals process: the declared curve is the
 * compiled rate integrated over each bin (checked against the rate written by hand), and the
 * realised curve counts the output's rows in the same bins (checked against a count in JS).
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrivalsRuntime } from '../../src/kernels/arrivals/runtime.js';
import { loadScenario } from '../../src/pipeline.js';
import { intensitySection } from '../../src/report/build-intensity.js';
import { Dataset } from '../../src/report/dataset.js';
import { binWidth, expectedPerBin, expectedPerHourOfDay } from '../../src/report/intensity.js';
import { writeReport } from '../../src/report/index.js';
import { selectPlots } from '../../src/report/select.js';
import type { IntensityPlan } from '../../src/report/select-arrivals.js';
import { readCsv, removeDir, runToTemp, tempDir, writeIn } from '../helpers.js';

const LINEAR = `
scenario: linear-rate
seed: 3
time: { start: "2026-01-01", days: 2, unit: hour }
actors:
  people: { count: 5 }
processes:
  calls:
    arrivals:
      actor: people
      rate: "2 + 0.5 * t"
      max_rate: 30
outputs:
  calls: { from: calls, columns: { who: actor.id, t: "fixed(t, 6)" } }
`;

const TABLE = `
scenario: table-rate
time: { start: "2026-01-01", days: 3, unit: minute }
actors:
  people: { count: 5 }
processes:
  calls:
    arrivals:
      actor: people
      rate:
        hourly: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0]
        per_day: "40 * count.people"
outputs:
  calls: { from: calls, columns: { t: t } }
`;

const tmp = tempDir();
const dirs: string[] = [];
afterAll(() => [tmp, ...dirs].forEach(removeDir));


function compiledArrivals(file: string) {
  const loaded = loadScenario(file);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const runtime = loaded.compiled!.processes.find((p) => p.name === 'calls');
  expect(runtime).toBeInstanceOf(ArrivalsRuntime);
  return { ...(runtime as ArrivalsRuntime).declared(), time: loaded.compiled!.time };
}

async function section(dir: string) {
  const ds = await Dataset.open(dir);
  try {
    const plot = selectPlots(ds).find((p): p is IntensityPlan => p.kind === 'intensity');
    expect(plot, 'an intensity plot is selected').toBeDefined();
    return { plot: plot!, section: await intensitySection(ds, plot!) };
  } finally {
    ds.close();
  }
}

/** Values of one series of a chart, in x order. */
function seriesOf(chart: any, prefix: string): { at: number; events: number }[] {
  return chart.spec.data.values.filter((v: any) => v.series.startsWith(prefix));
}

describe('declared intensity', () => {
  it('is the rate at each bin midpoint times the bin width, for a linear rate (the midpoint rule is exact)', () => {
    const { intensity, eventsPerArrival, time } = compiledArrivals(writeIn(tmp, 'linear.yaml', LINEAR));
    expect(eventsPerArrival).toBe(1);
    const clock = { unitsPerDay: time.unitsPerDay, days: time.days };
    const { width, name } = binWidth(clock);
    expect(name).toBe('15 minutes');
    expect(width).toBe(0.25);
    const declared = expectedPerBin(intensity, clock, width);
    expect(declared).toHaveLength(192);
    declared.forEach((x, i) => expect(x).toBeCloseTo((2 + 0.5 * (i + 0.5) * width) * width, 9));
    // Integral of 2 + t / 2 over [0, 48] hours.
    expect(declared.reduce((a, b) => a + b, 0)).toBeCloseTo(96 + 0.25 * 48 * 48, 6);
  });

  it('integrates an hour-of-day table with per_day exactly: per_day a day, shared by the weights', () => {
    const { intensity, time } = compiledArrivals(writeIn(tmp, 'table.yaml', TABLE));
    const clock = { unitsPerDay: time.unitsPerDay, days: time.days };
    const perDay = expectedPerBin(intensity, clock, time.unitsPerDay);
    expect(perDay).toHaveLength(3);
    perDay.forEach((x) => expect(x).toBeCloseTo(200, 9));
    const byHour = expectedPerHourOfDay(intensity, clock);
    // Weights 1 at 9-11 and 2 at 12-15 (sum 11), over 3 days of 200.
    byHour.forEach((x, h) => expect(x).toBeCloseTo((600 * (h >= 9 && h <= 11 ? 1 : h >= 12 && h <= 15 ? 2 : 0)) / 11, 9));
  });
});

describe('declared vs realised in the report', () => {
  let linearDir = '';
  beforeAll(async () => {
    ({ dir: linearDir } = await runToTemp(writeIn(tmp, 'linear-run.yaml', LINEAR)));
    dirs.push(dirname(linearDir));
  }, 60_000);

  it('draws the declared curve and the rows per bin of the output, in the same bins', async () => {
    const { plot, section: s } = await section(linearDir);
    expect(plot).toMatchObject({ process: 'calls', column: 't', time: 'units' });
    expect(s.charts.map((c) => c.id)).toEqual(['intensity-calls']);
    const chart = s.charts[0];
    const declared = seriesOf(chart, 'declared');
    const realised = seriesOf(chart, 'realised');
    expect(declared).toHaveLength(192);
    declared.forEach((d, i) => expect(d.events).toBeCloseTo((2 + 0.5 * (i + 0.5) * 0.25) * 0.25, 9));
    // Bin midpoints as UTC times: 7.5 minutes after each quarter hour from the start.
    expect(declared[1].at).toBe(Date.parse('2026-01-01T00:22:30Z'));
    const { rows } = readCsv(join(linearDir, 'calls.csv'));
    const counts = new Array(192).fill(0);
    for (const r of rows) counts[Math.floor(Number(r[1]) / 0.25)]++;
    expect(realised.map((r) => r.events)).toEqual(counts);
    expect(rows.length).toBeGreaterThan(500);
  });

  it('reads timestamps in UTC and adds a declared line with burst follow-ups', async () => {
    const { dir } = await runToTemp('test/samples/kernels/arrivals/scenario.yaml');
    dirs.push(dirname(dir));
    const { section: s } = await section(dir);
    const chart = s.charts[0];
    const [plain, bursts] = [...new Set(chart.spec!.data!.values!.map((v: any) => v.series))].filter((x: any) => x.startsWith('declared')) as string[];
    // Marks cash 97, skimmed 3 with bursts of 3 events: 1.06 events per arrival.
    expect(bursts).toContain('x 1.060');
    seriesOf(chart, plain).forEach((d, i) => expect(seriesOf(chart, bursts)[i].events).toBeCloseTo(d.events * 1.06, 9));
    const start = Date.parse('2026-03-02T00:00:00Z');
    const lines = readFileSync(join(dir, 'withdrawals.csv'), 'utf8').trim().split('\n').slice(1);
    const counts = new Array(72).fill(0);
    for (const line of lines) counts[Math.floor((Date.parse(line.split(',')[0]) - start) / 3600_000)]++;
    expect(seriesOf(chart, 'realised').map((r) => r.events)).toEqual(counts);
    expect(s.charts[0].caption).toContain('burst follow-ups');
  }, 60_000);

  it('leaves the section out with a note, not an error, when the scenario copy no longer compiles', async () => {
    const broken = join(tmp, 'broken');
    mkdirSync(broken);
    cpSync(linearDir, broken, { recursive: true });
    writeFileSync(join(broken, 'scenario.yaml'), LINEAR.replace('max_rate: 30', 'max_rate: 3'));
    const result = await writeReport(broken);
    expect(result.charts.map((c) => c.id)).not.toContain('intensity-calls');
    const html = readFileSync(join(broken, 'report.html'), 'utf8');
    expect(html).toMatch(/<li>Declared vs realised intensity of calls left out: scenario\.yaml did not compile again \(expr-runtime: /);
  }, 60_000);
});
