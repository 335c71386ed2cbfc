/**
 * scenarios/social-purchases.yaml: the challenge's file formats, the detector stage agreeing
 * with `scenario detect` on the generated logs, and labels that make precision and recall
 * meaningful.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFiles } from '../../src/detect/index.js';
import { readCsv, removeDir, runToTemp } from '../helpers.js';

let dir = '';
let manifest: any;
beforeAll(async () => {
  // A smaller network than the default keeps the test quick; the rules are the same.
  ({ dir, manifest } = await runToTemp('scenarios/social-purchases.yaml', { set: ['actors.users.count=400', 'time.days=12', 'processes.social.social.batch_days=4'] }));
});
afterAll(() => removeDir(dirname(dir)));

const lines = (file: string) => readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l.length > 0);
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('social-purchases', () => {
  it('writes batch_log.json with the D/T header and events with string values', () => {
    const batch = lines('batch_log.json');
    expect(batch[0]).toBe('{"D":"2", "T":"50"}');
    for (const l of [...batch.slice(1), ...lines('stream_log.json')]) {
      const e = JSON.parse(l);
      expect(Object.values(e).every((v) => typeof v === 'string')).toBe(true);
      expect(e.timestamp).toMatch(TIMESTAMP);
      if (e.event_type === 'purchase') expect(Object.keys(e)).toEqual(['event_type', 'timestamp', 'id', 'amount']);
      else expect(Object.keys(e)).toEqual(['event_type', 'timestamp', 'id1', 'id2']);
      if (e.event_type === 'purchase') expect(e.amount).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it('events are in time order, the batch before the stream', () => {
    const all = [...lines('batch_log.json').slice(1), ...lines('stream_log.json')].map((l) => JSON.parse(l).timestamp);
    const sorted = [...all].sort();
    expect(all).toEqual(sorted);
    expect(lines('stream_log.json').length).toBeGreaterThan(1000);
  });

  it('flagged_purchases.json equals what `scenario detect` finds in the written logs (ignoring whitespace)', async () => {
    const out = join(dirname(dir), 'flagged-by-detect.json');
    const report = await detectFiles({ batch: join(dir, 'batch_log.json'), stream: join(dir, 'stream_log.json'), out });
    expect(report.badLines).toEqual([]);
    const norm = (s: string) => s.split('\n').map((l) => l.replace(/\s+/g, '')).filter((l) => l.length > 0);
    const generated = norm(readFileSync(join(dir, 'flagged_purchases.json'), 'utf8'));
    expect(generated.length).toBeGreaterThan(0);
    expect(norm(readFileSync(out, 'utf8'))).toEqual(generated);
  });

  it('labels: injected share within a binomial interval, flags consistent with the verdict file', () => {
    const { header, rows } = readCsv(join(dir, 'purchases.csv'));
    const col = Object.fromEntries(header.map((h, i) => [h, i]));
    const injected = rows.filter((r) => r[col.anomaly] === 'true').length;
    const flagged = rows.filter((r) => r[col.flagged] === 'true').length;
    const n = rows.length;
    // Injection is Bernoulli(0.005) per stream purchase: 4.5 standard errors around it.
    expect(Math.abs(injected / n - 0.005)).toBeLessThan(4.5 * Math.sqrt((0.005 * 0.995) / n));
    expect(flagged).toBe(lines('flagged_purchases.json').length);
    const file = manifest.files.find((f: any) => f.output === 'purchases');
    expect(file.label).toEqual({ column: 'anomaly', positive: injected, share: injected / n });
    // Injected amounts are mean + at least 4 sd of the buyer's network: nearly all are caught.
    const caught = rows.filter((r) => r[col.anomaly] === 'true' && r[col.flagged] === 'true').length;
    expect(caught / injected).toBeGreaterThan(0.8);
  });
});
