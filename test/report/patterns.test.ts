/**
 * Drawings of pattern instances: the layout puts each kind in its shape, the SVG has one
 * node per member and one arrow per transaction, and on a real aml-graph dataset the drawn
 * instance of each kind has the members of the instances file and the transactions of the
 * labelled transactions file.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternsSection } from '../../src/report/build-patterns.js';
import { Dataset } from '../../src/report/dataset.js';
import { writeReport } from '../../src/report/index.js';
import { instanceSvg, layoutInstance } from '../../src/report/pattern-drawing.js';
import type { InstanceData } from '../../src/report/pattern-instances.js';
import { selectPlots } from '../../src/report/select.js';
import type { PatternsPlan } from '../../src/report/select-patterns.js';
import { readCsv, removeDir, runToTemp } from '../helpers.js';

const count = (svg: string, cls: string) => svg.match(new RegExp(`class="${cls}"`, 'g'))?.length ?? 0;

function instance(kind: string, members: [string, string, number][], transfers: [string, string, number, number?][]): InstanceData {
  return {
    id: 7,
    kind,
    ofKind: 1,
    members: members.map(([node, role, position]) => ({ node, role, position })),
    transfers: transfers.map(([source, target, amount, time]) => ({ source, target, amount, ...(time === undefined ? {} : { time }) })),
  };
}

describe('pattern layouts', () => {
  it('flow: columns by position, left to right, one arrow per transaction', () => {
    const flow = instance(
      'flow',
      [['1', 'source', 0], ['2', 'layer', 1], ['3', 'layer', 1], ['4', 'layer', 2], ['5', 'sink', 3]],
      [['1', '2', 50], ['1', '3', 50], ['2', '4', 45], ['3', '4', 45], ['4', '5', 88]],
    );
    const l = layoutInstance(flow);
    expect(l.shape).toBe('layers');
    const x = (n: string) => l.at.get(n)!.x;
    expect(x('1')).toBeLessThan(x('2'));
    expect(x('2')).toBe(x('3'));
    expect(x('3')).toBeLessThan(x('4'));
    expect(x('4')).toBeLessThan(x('5'));
    expect(l.at.get('2')!.y).not.toBe(l.at.get('3')!.y);
    const svg = instanceSvg(flow, 'flow');
    expect(count(svg, 'pattern-node')).toBe(5);
    expect(count(svg, 'pattern-edge')).toBe(5);
    expect(svg).toContain('>88.00<');
    expect(svg).toContain('>layer 1<');
  });

  it('circular: members on a circle, and opposite edges of a one-hop cycle bend apart', () => {
    const ring = instance('circular', [['1', 'source', 0], ['2', 'hop', 1], ['3', 'hop', 2], ['4', 'hop', 3]], [['1', '2', 9], ['2', '3', 8], ['3', '4', 7], ['4', '1', 6]]);
    const l = layoutInstance(ring);
    expect(l.shape).toBe('circle');
    const d = [...l.at.values()].map((p) => Math.hypot(p.x - l.center!.x, p.y - l.center!.y));
    d.forEach((r) => expect(r).toBeCloseTo(d[0], 6));
    expect(l.at.get('1')!.y).toBeLessThan(l.center!.y);
    const one = instanceSvg(instance('circular', [['1', 'source', 0], ['2', 'hop', 1]], [['1', '2', 9], ['2', '1', 8]]), 'c');
    expect(one.match(/d="M[^"]*Q/g)).toHaveLength(2);
  });

  it('fan-in and fan-out: the hub in the middle of a star', () => {
    const fan = instance('fan-in', [['1', 'source', 0], ['2', 'source', 0], ['3', 'source', 0], ['9', 'hub', 1]], [['1', '9', 1], ['2', '9', 2], ['3', '9', 3]]);
    const l = layoutInstance(fan);
    expect(l.shape).toBe('star');
    expect(l.at.get('9')).toEqual(l.center);
    expect(count(instanceSvg(fan, 'f'), 'pattern-edge')).toBe(3);
  });

  it('bipartite: two columns; time: a timeline with arrows in time order', () => {
    const bi = layoutInstance(instance('bipartite', [['1', 'source', 0], ['2', 'source', 0], ['3', 'target', 1]], [['1', '3', 1], ['2', '3', 1]]));
    expect(bi.shape).toBe('columns');
    expect(new Set([...bi.at.values()].map((p) => p.x)).size).toBe(2);
    const periodic = instance('time', [['1', 'source', 0], ['2', 'target', 1]], [['1', '2', 5, 0], ['1', '2', 5, 86400], ['1', '2', 5, 3 * 86400]]);
    const l = layoutInstance(periodic);
    expect(l.shape).toBe('timeline');
    expect(l.times![1] - l.times![0]).toBeCloseTo((l.times![2] - l.times![1]) / 2, 6);
    const svg = instanceSvg(periodic, 't');
    expect(count(svg, 'pattern-node')).toBe(2);
    expect(count(svg, 'pattern-edge')).toBe(3);
    expect(svg).toContain('day 3.0');
  });
});

describe('pattern instances of aml-graph', () => {
  let dir = '';
  beforeAll(async () => {
    ({ dir } = await runToTemp('scenarios/aml-graph.yaml', { set: ['actors.clients.count=300'] }));
  }, 60_000);
  afterAll(() => removeDir(dirname(dir)));

  it('draws one instance per kind with its members and its transactions', async () => {
    const ds = await Dataset.open(dir);
    let section;
    try {
      const plot = selectPlots(ds).find((p): p is PatternsPlan => p.kind === 'patterns')!;
      expect(plot.members?.output.file.output).toBe('patterns');
      expect(plot.transfers?.output.file.output).toBe('transactions');
      expect(plot.transfers?.time).toEqual({ kind: 'date', column: 'date', clock: 'time' });
      section = await patternsSection(ds, plot);
    } finally {
      ds.close();
    }
    expect(section.charts.map((c) => c.id)).toEqual(['pattern-laundering-flow', 'pattern-laundering-circular', 'pattern-laundering-time']);
    const members = readCsv(join(dir, 'patterns.csv'), '|');
    const tx = readCsv(join(dir, 'transactions.csv'), '|');
    for (const chart of section.charts) {
      const svg = chart.svg!;
      const id = /data-instance="(\d+)"/.exec(svg)![1];
      const kind = /data-kind="([^"]+)"/.exec(svg)![1];
      const mine = members.rows.filter((r) => r[0] === id);
      const edges = tx.rows.filter((r) => r[9] === id);
      expect(mine.every((r) => r[1] === kind), chart.id).toBe(true);
      expect(count(svg, 'pattern-node'), chart.id).toBe(mine.length);
      expect(count(svg, 'pattern-edge'), chart.id).toBe(edges.length);
      // Every arrow joins two members of the instance.
      const nodes = new Set(mine.map((r) => r[2]));
      for (const m of svg.matchAll(/data-from="([^"]+)" data-to="([^"]+)"/g)) expect(nodes.has(m[1]) && nodes.has(m[2])).toBe(true);
      // The structure of the kind, from the members file alone.
      const layer = (p: number) => mine.filter((r) => Number(r[5]) === p).length;
      if (kind === 'flow') {
        const k = Math.max(...mine.map((r) => Number(r[5]))) - 1;
        let expected = layer(1) + layer(k);
        for (let l = 1; l < k; l++) expected += layer(l) * layer(l + 1);
        expect(edges.length).toBe(expected);
      }
      if (kind === 'circular') expect(edges.length).toBe(mine.length);
      if (kind === 'time') expect(mine.map((r) => r[4]).sort()).toEqual(['source', 'target']);
      // The first drawable instance of its kind: no lower id of the kind has at most 24 transactions.
      const lower = new Set(members.rows.filter((r) => r[1] === kind && Number(r[0]) < Number(id)).map((r) => r[0]));
      for (const i of lower) expect(tx.rows.filter((r) => r[9] === i).length, `instance ${i}`).toBeGreaterThan(24);
    }
  }, 60_000);

  it('says so, and draws nothing, when the instances file is missing', async () => {
    rmSync(join(dir, 'patterns.csv'));
    const result = await writeReport(dir, join(dir, 'card.html'));
    expect(result.charts.some((c) => c.id.startsWith('pattern-'))).toBe(false);
    const html = readFileSync(join(dir, 'card.html'), 'utf8');
    expect(html).toContain('<li>Pattern drawings of laundering left out: no output lists its instance members');
    expect(html).toMatch(/patterns<div class="problem">not read: /);
  }, 60_000);
});
