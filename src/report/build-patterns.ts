/**
 * The pattern instances section: one drawing per pattern kind found in the members output,
 * with the instance's transactions from the transactions output as arrows.
 */
import type { Chart } from './charts.js';
import type { Dataset } from './dataset.js';
import { instanceSvg, money, shapeOf } from './pattern-drawing.js';
import { MAX_EDGES, pickInstances } from './pattern-instances.js';
import { slug, type Section } from './section.js';
import type { PatternsPlan } from './select-patterns.js';

const LAYOUT: Record<string, string> = {
  layers: 'members in columns by position, left to right',
  columns: 'senders left, receivers right',
  circle: 'members on a circle in the order the money goes round, clockwise from the top',
  star: 'the hub in the middle, the others around it',
  timeline: 'one row per member, each transfer an arrow at its time',
};

export async function patternsSection(ds: Dataset, plot: PatternsPlan): Promise<Section> {
  const title = `Pattern instances of ${plot.process}`;
  const { members, transfers } = plot;
  if (!members) return { title, charts: [], note: `Pattern drawings of ${plot.process} left out: no output lists its instance members (instance.id, member.node, member.role) with rows.` };
  if (!transfers) return { title, charts: [], note: `Pattern drawings of ${plot.process} left out: no output of a transactions process mixing in ${plot.process} writes pattern.instance, source.node, target.node and transaction.amount.` };
  const picked = await pickInstances(ds, { members, transfers });
  if (picked.length === 0) return { title, charts: [], note: `Pattern drawings of ${plot.process} left out: ${transfers.output.file.output} has no transactions of the instances ${members.output.file.output} lists.` };
  const charts: Chart[] = picked.map((inst) => {
    const total = inst.transfers.reduce((s, t) => s + t.amount, 0);
    const chartTitle = `${inst.kind}: instance ${inst.id}`;
    return {
      id: slug('pattern', plot.process, inst.kind),
      title: chartTitle,
      caption:
        `Instance ${inst.id}, ${pickedHow(inst.ofKind)} of ${inst.ofKind.toLocaleString('en-US')} ${inst.kind} instance(s): ` +
        `${inst.members.length} members, ${inst.transfers.length} transactions moving ${money(total)} in all (amounts on the arrows). ` +
        `Layout: ${LAYOUT[shapeOf(inst.kind)]}. Nodes are labelled by role and member node id (#).`,
      svg: instanceSvg(inst, chartTitle),
    };
  });
  return {
    title,
    intro: `One instance per pattern kind: members and roles from ${members.output.file.output}, transactions from ${transfers.output.file.output} (column ${transfers.instance}).`,
    charts,
  };
}

function pickedHow(n: number): string {
  return n === 1 ? 'the only one' : `the first with at most ${MAX_EDGES} transactions (else the smallest)`;
}
