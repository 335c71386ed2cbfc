/**
 * `scenario report`: the dataset card of crm-theft has the scenario facts, every output, and
 * the plots its processes call for, as inline SVG with marks; and it renders in a real
 * headless Chromium (skipped, with a message, where /usr/bin/chromium is not installed).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closestMatrix } from '../../src/report/build.js';
import { writeReport, type ReportResult } from '../../src/report/index.js';
import { cli, removeDir, runToTemp, tempDir } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const dirs: string[] = [];
let dir = '';
let manifest: any;
let result: ReportResult;
let html = '';

beforeAll(async () => {
  ({ dir, manifest } = await runToTemp('scenarios/crm-theft.yaml', { seed: 5, set: ['actors.users.count=300'] }));
  dirs.push(dir);
  result = await writeReport(dir);
  html = readFileSync(join(dir, 'report.html'), 'utf8');
}, 120_000);
afterAll(() => dirs.forEach((d) => removeDir(dirname(d))));

/** The SVG of one chart, by id. */
function svgOf(id: string): string {
  const start = html.indexOf(`<svg id="chart-${id}"`);
  expect(start, `chart ${id} is in the page`).toBeGreaterThan(0);
  return html.slice(start, html.indexOf('</svg>', start));
}

describe('scenario report', () => {
  it('states the scenario, its hash, seed and overrides, and every output with its prevalence', () => {
    expect(html).toContain('<h1>crm-theft</h1>');
    expect(html).toContain(manifest.scenario.sha256);
    expect(html).toMatch(/<b>seed<\/b><\/td><td class="n">5<\/td>/);
    expect(html).toContain('--set actors.users.count=300');
    const sessions = manifest.files.find((f: any) => f.output === 'sessions');
    expect(html).toContain(sessions.rows.toLocaleString('en-US'));
    expect(html).toContain(`${(sessions.label.share * 100).toFixed(3)}%`);
    expect(html).toContain('id2action.csv');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  }, 120_000);

  it('picks the plots of a markov process with a label: empirical and declared matrices, session lengths', () => {
    expect(result.charts.map((c) => c.id).sort()).toEqual(
      [
        'prevalence',
        'markov-sessions-empirical-labelled',
        'markov-sessions-empirical-normal',
        'markov-sessions-declared-role_0',
        'markov-sessions-declared-role_1',
        'markov-sessions-declared-fraud',
        'markov-sessions-lengths',
      ].sort(),
    );
    for (const c of result.charts) {
      const svg = svgOf(c.id);
      expect(svg, c.id).toMatch(/class="mark-(rect|text|symbol|line)[^"]*role-mark/);
      expect(svg, c.id).toMatch(/<path|<rect/);
    }
    // 7 x 7 cells in every heatmap.
    expect(svgOf('markov-sessions-declared-fraud').match(/aria-roledescription="rect mark"/g)?.length).toBe(49);
  }, 120_000);

  it('labels the empirical fraud sessions as closest to the declared fraud matrix', () => {
    expect(html).toMatch(/Empirical transitions \(labelled, by FraudulentActivity\)[\s\S]*?Closest declared matrix: fraud/);
    const states = 3;
    const declared = [
      { name: 'a', rows: [[0, 1, 0], [0, 0, 1], [1, 0, 0]] },
      { name: 'b', rows: [[0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]] },
    ];
    const counts = Array.from({ length: states }, (_, i) => Array.from({ length: states }, (_, j) => (j === (i + 1) % states ? 90 : 5)));
    expect(closestMatrix(counts, declared)?.name).toBe('a');
  }, 120_000);

  it('works from a Parquet dataset too, and the command writes where --out says', () => {
    const tmp = tempDir();
    dirs.push(join(tmp, 'x'));
    const out = join(tmp, 'pq');
    const run = cli(['run', 'scenarios/crm-theft.yaml', '--out', out, '--quiet', '--format', 'parquet']);
    expect(run.status, run.stderr).toBe(0);
    const r = cli(['report', out, '--out', join(tmp, 'card.html')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote .*card\.html \(7 charts\)/);
    expect(readFileSync(join(tmp, 'card.html'), 'utf8')).toContain('chart-markov-sessions-empirical-labelled');
    const missing = cli(['report', join(tmp, 'nowhere')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no manifest.json');
  }, 120_000);

  it('run --report writes report.html into the folder, outside the manifest', () => {
    const tmp = tempDir();
    dirs.push(join(tmp, 'x'));
    const out = join(tmp, 'with-report');
    const run = cli(['run', 'scenarios/crm-theft.yaml', '--out', out, '--quiet', '--report', '--set', 'actors.users.count=20']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m.files.map((f: any) => f.file)).not.toContain('report.html');
  });
});

/** Headless Chromium, fetching nothing on its own. */
async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

describe.skipIf(!existsSync(CHROMIUM))('scenario report in headless Chromium', () => {
  it('shows every chart as a non-empty SVG with marks, and takes a screenshot', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(`file://${join(dir, 'report.html')}`);
      const charts = await page.$$eval('figure[data-chart]', (figs) =>
        figs.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return { id: f.getAttribute('data-chart'), width: box?.width ?? 0, height: box?.height ?? 0, marks: svg?.querySelectorAll('g.role-mark > *').length ?? 0 };
        }),
      );
      expect(charts.map((c) => c.id).sort()).toEqual(result.charts.map((c) => c.id).sort());
      for (const c of charts) {
        expect(c.width, c.id!).toBeGreaterThan(100);
        expect(c.height, c.id!).toBeGreaterThan(50);
        expect(c.marks, c.id!).toBeGreaterThan(0);
      }
      expect(requests, 'the page fetches nothing').toEqual([]);
      const shots = tempDir('scenario-report-shot-');
      mkdirSync(shots, { recursive: true });
      const shot = join(shots, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(readFileSync(shot).length).toBeGreaterThan(10_000);
      console.log(`report screenshot: ${shot}`);
    } finally {
      await browser.close();
    }
  });
});

describe.skipIf(!existsSync(CHROMIUM))('declared vs realised intensity and pattern drawings in headless Chromium', () => {
  const reports: Record<string, { dir: string; charts: string[] }> = {};
  beforeAll(async () => {
    for (const [name, file, set] of [
      ['card', 'scenarios/card-fraud-city.yaml', ['params.clients=200', 'time.days=60']],
      ['aml', 'scenarios/aml-graph.yaml', ['actors.clients.count=300']],
      ['social', 'scenarios/social-purchases.yaml', ['actors.users.count=300', 'time.days=10', 'processes.social.social.batch_days=3']],
    ] as const) {
      const run = await runToTemp(file, { set: [...set] });
      dirs.push(run.dir);
      reports[name] = { dir: run.dir, charts: (await writeReport(run.dir)).charts.map((c) => c.id) };
    }
  }, 120_000);

  it('draws the declared and realised lines of card-fraud-city, over the run and by hour of the day', async () => {
    expect(reports.card.charts).toEqual(expect.arrayContaining(['intensity-payments', 'intensity-payments-hour']));
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`file://${join(reports.card.dir, 'report.html')}`);
      for (const id of ['intensity-payments', 'intensity-payments-hour']) {
        const chart = await page.$eval(`figure[data-chart="${id}"] svg`, (svg) => ({
          box: svg.getBoundingClientRect().width * svg.getBoundingClientRect().height,
          // One line per series, each with a drawn path of some length.
          lines: [...svg.querySelectorAll('g.mark-line.role-mark path')].map((p) => (p as SVGPathElement).getTotalLength()),
          legend: [...svg.querySelectorAll('g.role-legend-label text')].map((t) => t.textContent),
        }));
        expect(chart.box, id).toBeGreaterThan(100 * 50);
        expect(chart.lines.length, id).toBe(3);
        for (const length of chart.lines) expect(length, id).toBeGreaterThan(100);
        expect(chart.legend.join(' | '), id).toMatch(/declared: expected arrivals.*\| declared x 1\.0\d\d.*\| realised: rows of payments/);
      }
    } finally {
      await browser.close();
    }
  });

  it('draws the declared and realised lines of social-purchases, one chart per event type', async () => {
    const ids = ['befriend', 'unfriend', 'purchase'].map((t) => `social-social-${t}`);
    expect(reports.social.charts).toEqual(expect.arrayContaining(ids));
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`file://${join(reports.social.dir, 'report.html')}`);
      for (const id of ids) {
        const chart = await page.$eval(`figure[data-chart="${id}"] svg`, (svg) => ({
          box: svg.getBoundingClientRect().width * svg.getBoundingClientRect().height,
          lines: [...svg.querySelectorAll('g.mark-line.role-mark path')].map((p) => (p as SVGPathElement).getTotalLength()),
          points: svg.querySelectorAll('g.mark-symbol.role-mark path').length,
          legend: [...svg.querySelectorAll('g.role-legend-label text')].map((t) => t.textContent),
        }));
        expect(chart.box, id).toBeGreaterThan(100 * 50);
        // Declared and realised, each a line across the 10 days with a point per day.
        expect(chart.lines.length, id).toBe(2);
        for (const length of chart.lines) expect(length, id).toBeGreaterThan(100);
        expect(chart.points, id).toBe(20);
        expect(chart.legend.join(' | '), id).toMatch(/^declared: expected \w+ events \(Poisson mean\) \| realised: rows of batch_log \+ stream_log$/);
      }
    } finally {
      await browser.close();
    }
  });

  it('draws a flow, a circular and a time instance of aml-graph with visible nodes and arrows', async () => {
    const ids = ['pattern-laundering-flow', 'pattern-laundering-circular', 'pattern-laundering-time'];
    expect(reports.aml.charts).toEqual(expect.arrayContaining(ids));
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`file://${join(reports.aml.dir, 'report.html')}`);
      for (const id of ids) {
        const drawn = await page.$eval(`figure[data-chart="${id}"] svg`, (svg) => ({
          width: svg.getBoundingClientRect().width,
          height: svg.getBoundingClientRect().height,
          nodes: [...svg.querySelectorAll('.pattern-node circle')].filter((c) => c.getBoundingClientRect().width > 5).length,
          arrows: [...svg.querySelectorAll('path.pattern-edge')].map((p) => (p as SVGPathElement).getTotalLength()),
          labels: [...svg.querySelectorAll('g.mark-text text')].length,
        }));
        expect(drawn.width, id).toBeGreaterThan(100);
        expect(drawn.height, id).toBeGreaterThan(100);
        expect(drawn.nodes, id).toBeGreaterThanOrEqual(2);
        expect(drawn.arrows.length, id).toBeGreaterThanOrEqual(drawn.nodes - 1);
        for (const length of drawn.arrows) expect(length, id).toBeGreaterThan(10);
        expect(drawn.labels, id).toBe(drawn.arrows.length);
      }
    } finally {
      await browser.close();
    }
  });
});

if (!existsSync(CHROMIUM)) {
  describe('scenario report in headless Chromium', () => {
    it.skip(`skipped: ${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run installs it)`, () => {});
  });
}
