/**
 * The arrivals process is sequential (ledgers carry over days), and the engine may run its
 * days in batches of any size: the records must not depend on how the days are split.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindColumns, drawPopulation } from '../../src/model/population.js';
import { sinksOf, type OutputState } from '../../src/phases/4-run/attach.js';
import { loadScenario } from '../../src/pipeline.js';
import { ByteWriter } from '../../src/sinks/byte-writer.js';
import { ROOT } from '../helpers.js';

/** Runs the payments process over `splits` (consecutive day ranges) and returns the CSV rows. */
function rowsWith(splits: [number, number][]): string {
  const loaded = loadScenario(join(ROOT, 'scenarios', 'card-fraud-city.yaml'), { set: ['time.days=65', 'params.clients=300'] });
  const compiled = loaded.compiled!;
  for (const pop of compiled.populations.values()) {
    drawPopulation(pop, compiled.seed);
    bindColumns(pop);
  }
  const states: OutputState[] = compiled.outputs.map((o) => ({ output: o, writer: new ByteWriter(undefined, true), rows: 0, positive: 0 }));
  const proc = compiled.processes.find((p) => p.kind === 'arrivals')!;
  const sinks = sinksOf(proc.name, states);
  for (const [from, to] of splits) proc.run(compiled.seed, from, to, sinks);
  return Buffer.concat(states[0].writer.take()).toString('utf8');
}

describe('arrivals in batches', () => {
  it('writes the same records whatever the batch sizes, across ledger resets and bursts', () => {
    const whole = rowsWith([[0, 65]]);
    expect(whole.split('\n').length).toBeGreaterThan(5000);
    expect(rowsWith([[0, 1], [1, 2], [2, 29], [29, 30], [30, 31], [31, 64], [64, 65]])).toBe(whole);
    // Starting again from day 0 resets the state (the plan's pilot runs a few days first).
    expect(rowsWith([[0, 3], [0, 65]]).endsWith(whole)).toBe(true);
  }, 60_000);

  it('refuses days out of order rather than carrying the wrong state', () => {
    expect(() => rowsWith([[0, 5], [7, 9]])).toThrow(/days must run in order/);
  }, 60_000);
});
