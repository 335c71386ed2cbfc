/**
 * The declared vs realised intensity section of an arrivals process: expected events per
 * time bin from the compiled rate, next to the rows of its output per bin, over the run and
 * folded by hour of the day.
 */
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { ArrivalsRuntime } from '../kernels/arrivals/runtime.js';
import { intensityLines, type Chart } from './charts.js';
import { compiledProcess } from './compiled.js';
import type { Dataset } from './dataset.js';
import { binCount, binWidth, expectedPerBin, expectedPerHourOfDay } from './intensity.js';
import { realisedPerBin, realisedPerHourOfDay } from './realised.js';
import { slug, type Section } from './section.js';
import type { IntensityPlan } from './select-arrivals.js';

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');

export async function intensitySection(ds: Dataset, plot: IntensityPlan): Promise<Section> {
  const o = plot.output.file.output;
  const title = `Arrival intensity of ${plot.process}: declared vs realised`;
  const leftOut = (why: string): Section => ({ title, charts: [], note: `Declared vs realised intensity of ${plot.process} left out: ${why}.` });
  const found = compiledProcess(ds, plot.process, ArrivalsRuntime, 'arrivals');
  if ('problem' in found) return leftOut(found.problem);
  const { runtime, compiled } = found;
  const { intensity, eventsPerArrival } = runtime.declared();
  const time = compiled.time;
  const clock = { unitsPerDay: time.unitsPerDay, days: time.days, startMs: time.startMs };
  const unitMs = (86400 / time.unitsPerDay) * 1000;
  const horizon = time.days * time.unitsPerDay;
  const { width, name } = binWidth(clock);
  const n = binCount(clock, width);
  let declared: number[];
  let byHour: number[] | undefined;
  // Folding by hour shows the daily shape the bins are too wide to show.
  const fold = width >= time.unitsPerDay && time.days >= 2;
  try {
    declared = expectedPerBin(intensity, clock, width);
    if (fold) byHour = expectedPerHourOfDay(intensity, clock);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    return leftOut(`the rate could not be evaluated (${e.diagnostics[0]?.message.split('\n')[0] ?? 'out of range'})`);
  }
  const realised = await realisedPerBin(ds, plot, clock, width, n);
  const withBursts = eventsPerArrival !== undefined && Math.abs(eventsPerArrival - 1) > 1e-9 ? eventsPerArrival : undefined;
  const names = {
    declared: 'declared: expected arrivals (rate integrated over the bin)',
    bursts: withBursts ? `declared x ${withBursts.toFixed(3)} (burst follow-ups included)` : '',
    realised: `realised: rows of ${o}`,
  };
  const series = (at: (i: number) => number, exp: number[], got: number[]) =>
    exp.flatMap((x, i) => [
      { at: at(i), series: names.declared, events: x },
      ...(withBursts ? [{ at: at(i), series: names.bursts, events: x * withBursts }] : []),
      { at: at(i), series: names.realised, events: got[i] },
    ]);
  const middle = (i: number) => i * width + (Math.min(horizon, (i + 1) * width) - i * width) / 2;
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const sum = `In all: ${n0(total(declared))} arrivals expected${withBursts ? ` (${n0(total(declared) * withBursts)} events with bursts)` : ''}, ${n0(total(realised))} rows.`;
  const how = [
    `Declared: the scenario's rate λ(t) as the run compiled it (${describeRate(intensity.describe)}), integrated over each bin`,
    intensity.rate ? ' by the midpoint rule at steps of at most a minute' : ' exactly (piecewise constant)',
    `, so both curves are events per bin of ${name}. The rate is the process's total rate (count.* and params are fixed for the run); pick weights and ledgers only decide which actor gets an arrival, not how many arrive.`,
    withBursts ? ` Rows include burst follow-ups, which the rate does not count: the second declared line multiplies by the expected events per arrival (mark shares x mean burst length).` : '',
    plot.output.spec?.where !== undefined ? ` ${o} keeps only rows where ${plot.output.spec.where}, so it may fall short of the declared curve.` : '',
    ` Realised: rows per bin of column ${plot.column}. ${sum}`,
  ].join('');
  const charts: Chart[] = [
    intensityLines(slug('intensity', plot.process), `Events per ${name}: declared vs realised`, how, series((i) => time.startMs + middle(i) * unitMs, declared, realised), true, plot.column),
  ];
  if (byHour) {
    const got = await realisedPerHourOfDay(ds, plot, clock);
    charts.push(
      intensityLines(
        slug('intensity', plot.process, 'hour'),
        'Events per hour of the day, over the whole run',
        `The same, folded by the hour of the day (UTC) and summed over the ${time.days.toLocaleString('en-US')} days: the daily shape of the declared rate against the rows.`,
        series((h) => h + 0.5, byHour, got),
        false,
        'hour of the day',
      ),
    );
  }
  return { title, intro: `Arrivals process ${plot.process}, events written to ${o}.`, charts };
}

function describeRate(d: Record<string, unknown>): string {
  if (typeof d.rate === 'number') return `a constant ${d.rate} per time unit`;
  if (typeof d.rate === 'string') return `rate: "${d.rate}", max_rate ${d.maxRate}`;
  if (d.hourly) return 'an hour-of-day table';
  return 'as declared';
}

