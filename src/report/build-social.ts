/**
 * The declared vs realised events of a social process, one chart per event type: the
 * Poisson mean the run drew each day's count from (SocialRuntime.declared, the compiled
 * rates evaluated as the run did), next to the rows per day of its outputs.
 */
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { TYPES, type SocialEventType } from '../kernels/social/draws.js';
import { SocialRuntime, type SocialDeclared } from '../kernels/social/runtime.js';
import { intensityLines, type Chart } from './charts.js';
import { compiledProcess } from './compiled.js';
import type { Dataset } from './dataset.js';
import { realisedPerDay } from './realised-social.js';
import { slug, type Section } from './section.js';
import type { SocialPlan, SocialSource } from './select-social.js';

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Why a drawn event may not be written: the state the rates do not see. */
const SKIPPED: Record<SocialEventType, string> = {
  befriend: 'a befriend is written only when one of 8 random pairs is not yet friends (a dense network skips some)',
  unfriend: 'an unfriend is written only when some friendship exists at its time (it removes a random one)',
  purchase: 'a purchase is written only when its amount is a finite number',
};

export async function socialSection(ds: Dataset, plot: SocialPlan): Promise<Section> {
  const title = `Social events of ${plot.process}: declared vs realised`;
  const leftOut = (why: string): Section => ({ title, charts: [], note: `Declared vs realised events of ${plot.process} left out: ${why}.` });
  const shard = ds.manifest.shard;
  // The social process is sequential (one network over time): it runs whole in shard 1, and
  // later shards hold none of its rows. Declared lines over empty outputs would read as a bug.
  if (shard && shard.index > 1) return leftOut(`it runs whole in shard 1 of ${shard.count} (one network over time cannot be split), and this dataset is shard ${shard.index}`);
  const found = compiledProcess(ds, plot.process, SocialRuntime, 'social');
  if ('problem' in found) return leftOut(found.problem);
  const { runtime, compiled } = found;
  let declared: SocialDeclared;
  try {
    declared = runtime.declared(compiled.seed);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    return leftOut(`a rate could not be evaluated (${e.diagnostics[0]?.message.split('\n')[0] ?? 'out of range'})`);
  }
  const { startMs, days } = compiled.time;
  const realised = await realisedPerDay(ds, plot.sources, startMs, days);
  // A day is counted when some source holds its phase; with both logs (or one unfiltered output) that is every day.
  const covered = (d: number) => plot.sources.some((s) => s.phase === undefined || s.phase === (d < declared.batchDays ? 'batch' : 'stream'));
  const allDays = Array.from({ length: days }, (_, d) => d).every(covered);
  const rows = plot.sources.map((s) => s.output.file.output).join(' + ');
  const charts: Chart[] = [];
  const idle: string[] = [];
  TYPES.forEach((type, k) => {
    const expected = declared.days.map((d) => d.rates[k] + (k === 0 ? d.initial : 0));
    const drawn = declared.days.map((d) => d.drawn[k]);
    const got = realised.get(type) ?? new Array<number>(days).fill(0);
    if (total(expected) === 0 && total(got) === 0) return void idle.push(type);
    const names = { declared: `declared: expected ${type} events (Poisson mean)`, realised: `realised: rows of ${rows}` };
    const at = (d: number) => startMs + (d + 0.5) * 86400_000;
    const values = expected.flatMap((x, d) => [
      { at: at(d), series: names.declared, events: x },
      ...(covered(d) ? [{ at: at(d), series: names.realised, events: got[d] }] : []),
    ]);
    const initial = k === 0 ? declared.days[0]?.initial ?? 0 : 0;
    const caption = [
      `Declared: the Poisson mean the run drew each day's count of ${type} events from, the compiled ${type}_rate evaluated for that day as the run evaluated it.`,
      initial ? ` Day 0 adds floor(initial_friendships) = ${n0(initial)} befriend events at its start (symmetric-log scale, so the other days show).` : '',
      ` The rates read only day and count.* (fixed for the run), not the network; what depends on the network is whether a drawn event is written: ${SKIPPED[type]}, and no event is written with fewer than 2 users.`,
      ` The expected number written would need the network as it evolved, so it is not drawn; instead the day's draws are replayed (the run's own code, without the network): ${n0(total(drawn))} drawn`,
      allDays ? `, ${n0(total(drawn) - total(got))} of them not written.` : '.',
      ` Realised: rows per day of ${sourceText(plot.sources, declared.batchDays, days)}.`,
      allDays ? '' : ` Days of a phase no output holds have no realised point.`,
      ` In all: ${n0(total(expected))} expected, ${n0(total(got))} rows.`,
    ].join('');
    charts.push(intensityLines(slug('social', plot.process, type), `${cap(type)} events per day: declared vs realised`, caption, values, true, 'day (UTC)', initial ? 'symlog' : 'linear', 'events per day'));
  });
  const intro = [
    `Social process ${plot.process}: befriend, unfriend and purchase events per day, from ${rows}`,
    plot.sources.length > 1 ? ' (each keeps one phase, so together they hold every event once)' : '',
    `. Days 0 to ${declared.batchDays - 1} are the batch, the rest the stream.`,
    idle.length ? ` No ${idle.join(' or ')} events: no rate declared and no rows.` : '',
  ].join('');
  return { title, intro, charts };
}

/** Which outputs the realised counts read, with their filters and days, and by which columns. */
function sourceText(sources: SocialSource[], batchDays: number, days: number): string {
  const each = sources.map((s) => {
    const span = s.phase === undefined ? 'every day' : s.phase === 'batch' ? dayRange(0, batchDays - 1) : dayRange(batchDays, days - 1);
    return `${s.output.file.output} (${s.output.spec?.where !== undefined ? `where ${s.output.spec.where}, ` : ''}${span}; by ${s.typeColumn} and ${s.timeColumn})`;
  });
  return each.join(' and ');
}

function dayRange(a: number, b: number): string {
  return b < a ? 'no days' : a === b ? `day ${a}` : `days ${a} to ${b}`;
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
