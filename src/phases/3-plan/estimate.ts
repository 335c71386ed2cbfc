/**
 * Expected rows and bytes per output, by a pilot: the real kernels run over the first members
 * into counting writers (no files), and the figures are scaled to the whole population.
 * Exact when the pilot covers every member; otherwise an estimate of the mean.
 */
import { ByteWriter } from '../../sinks/byte-writer.js';
import { bindColumns, drawnFor, drawPopulation } from '../../model/population.js';
import { sinksOf, writeStateList, type OutputState } from '../4-run/attach.js';
import type { RecordSink } from '../../kernels/types.js';
import { asRunDiagnostic } from '../4-run/failures.js';
import type { CompiledScenario } from './index.js';

const PILOT_ROWS = 20_000;
const PILOT_MAX_MEMBERS = 256;
/**
 * Records one process may hand its outputs during the pilot (before `where`). A unit that
 * produces more (a burst of a billion events) is cut here instead of running for hours; its
 * outputs' figures are then lower bounds, which `scenario plan` warns about.
 */
const PILOT_RECORDS = 200_000;
const PILOT_FULL = Symbol('pilot full');

export function estimateOutputs(compiled: CompiledScenario): void {
  for (const pop of compiled.populations.values()) {
    // Drawn already when `run` drew them with its threads before planning.
    if (!drawnFor(pop, compiled.seed)) drawPopulation(pop, compiled.seed);
    bindColumns(pop);
  }
  const states: OutputState[] = compiled.outputs.map((o) => ({ output: o, writer: new ByteWriter(), rows: 0, positive: 0 }));
  const scale = new Map<string, number>();
  for (const s of states) {
    s.output.encoder.header(s.writer);
    if (s.output.preamble !== undefined) s.writer.str(s.output.preamble + '\n');
  }
  const headerBytes = states.map((s) => s.writer.pos);
  for (const proc of compiled.processes) {
    let offered = 0;
    const sinks = capped(sinksOf(proc.name, states), () => {
      if (++offered > PILOT_RECORDS) throw PILOT_FULL;
    });
    const count = proc.iterate.count;
    let members = 0;
    let cut = false;
    const mine = states.filter((s) => 'process' in s.output.source && s.output.source.process === proc.name);
    while (!cut && members < count && members < PILOT_MAX_MEMBERS && mine.every((s) => s.rows < PILOT_ROWS)) {
      try {
        proc.run(compiled.seed, members, members + 1, sinks);
      } catch (e) {
        if (e !== PILOT_FULL) throw asRunDiagnostic(e, proc.name, compiled.safety, members);
        cut = true;
      }
      members++;
      for (const s of mine) if (s.writer.pos > 1 << 19) s.writer.flush();
    }
    for (const s of mine) scale.set(s.output.name, members === 0 ? 0 : count / members);
    if (cut) for (const s of mine) compiled.plan.outputs.find((o) => o.name === s.output.name)!.expectedIsLowerBound = true;
  }
  for (const s of states) writeStateList(s);
  states.forEach((s, i) => {
    s.writer.flush();
    const k = scale.get(s.output.name) ?? 1;
    const planned = compiled.plan.outputs.find((o) => o.name === s.output.name)!;
    planned.expectedRows = Math.round(s.rows * k);
    planned.expectedBytes = Math.round(headerBytes[i] + (s.writer.bytes - headerBytes[i]) * k);
    // Label prevalence in the pilot (for `scenario diff`): a share, so it needs no scaling.
    if (s.output.label) {
      planned.expectedPositive = Math.round(s.positive * k);
      planned.expectedPositiveShare = s.rows > 0 ? s.positive / s.rows : 0;
    }
  });
}

/** The sinks, each counting the records it is handed before passing them on. */
function capped(sinks: Record<string, RecordSink[]>, count: () => void): Record<string, RecordSink[]> {
  return Object.fromEntries(Object.entries(sinks).map(([record, list]) => [record, list.map((sink): RecordSink => (c) => (count(), sink(c)))]));
}
