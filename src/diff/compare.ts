/**
 * `scenario diff`: compares two scenarios at the level of what they generate, not of their
 * text. Each side is the compiled plan (with the pilot's expected rows, bytes and label
 * prevalence) plus the composed scenario value (for what the plan does not spell out, such
 * as matrix rows). Text, JSON and Markdown are rendered from the one PlanDiff (render.ts).
 */
import type { Plan } from '../phases/3-plan/index.js';

/** One scenario, loaded and estimated. */
export interface DiffSide {
  file: string;
  plan: Plan;
  value: any;
}

/** One changed value: `path` inside the item (e.g. "rows.start"), old and new (absent = not there). */
export interface Change {
  path: string;
  old?: unknown;
  new?: unknown;
  /** For two lists of one length (matrix rows): the entries that differ, by state name or index. */
  entries?: { at: string; old: unknown; new: unknown }[];
}

/** What changed in one kind of piece (populations, matrices, ...). */
export interface SectionDiff {
  added: string[];
  removed: string[];
  changed: { name: string; changes: Change[] }[];
}

export interface OutputEffect {
  name: string;
  file: string;
  rows: { old?: number; new?: number };
  bytes: { old?: number; new?: number };
  /** Share of rows whose label is positive, from the pilot. */
  prevalence?: { old?: number; new?: number };
}

export interface PlanDiff {
  old: { file: string; scenario: string };
  new: { file: string; scenario: string };
  /** True when nothing below changed. */
  same: boolean;
  scenario: Change[];
  params: Change[];
  populations: SectionDiff;
  states: SectionDiff;
  matrices: SectionDiff;
  processes: SectionDiff;
  outputs: SectionDiff;
  /** Expected rows, bytes and prevalence per output, where any of them changed. */
  effect: OutputEffect[];
  total: { rows: { old: number; new: number }; bytes: { old: number; new: number } };
}

export function diffPlans(a: DiffSide, b: DiffSide): PlanDiff {
  const scenario = [
    ...leafChanges({ scenario: a.plan.scenario, description: a.plan.description, seed: a.plan.seed }, { scenario: b.plan.scenario, description: b.plan.description, seed: b.plan.seed }),
    ...leafChanges(a.plan.time, b.plan.time, 'time.'),
  ];
  const params = leafChanges(a.plan.params ?? {}, b.plan.params ?? {});
  const populations = section(names(a.plan.populations), names(b.plan.populations), (n) => {
    const spec = leafChanges(a.value.actors?.[n], b.value.actors?.[n]);
    const [ca, cb] = [find(a.plan.populations, n)?.count, find(b.plan.populations, n)?.count];
    // The resolved count, unless the change of a literal count already says it.
    const literal = spec.some((c) => c.path === 'count' && c.old === ca && c.new === cb);
    return [...spec, ...(literal ? [] : figure('members', ca, cb))];
  });
  const states = section(Object.keys(a.value.states ?? {}), Object.keys(b.value.states ?? {}), (n) => leafChanges({ states: a.value.states[n] }, { states: b.value.states[n] }));
  const matrices = section(Object.keys(a.value.matrices ?? {}), Object.keys(b.value.matrices ?? {}), (n) =>
    withEntries(leafChanges(a.value.matrices[n], b.value.matrices[n]), b.value.states?.[b.value.matrices[n].states]),
  );
  const processes = section(names(a.plan.processes), names(b.plan.processes), (n) => {
    const [pa, pb] = [find(a.plan.processes, n)!, find(b.plan.processes, n)!];
    return [
      ...leafChanges(a.value.processes?.[n], b.value.processes?.[n]),
      ...figure(pb.iterate.unit, pa.iterate.count, pb.iterate.count),
      ...leafChanges(pa.details, pb.details, 'plan.'),
    ];
  });
  const outputs = section(names(a.plan.outputs), names(b.plan.outputs), (n) => [
    ...leafChanges(a.value.outputs?.[n], b.value.outputs?.[n]),
    ...leafChanges({ file: find(a.plan.outputs, n)!.file, format: find(a.plan.outputs, n)!.format }, { file: find(b.plan.outputs, n)!.file, format: find(b.plan.outputs, n)!.format }, 'plan.'),
  ]);
  const effect = effects(a.plan, b.plan);
  const sum = (p: Plan, k: 'expectedRows' | 'expectedBytes') => p.outputs.reduce((s, o) => s + (o[k] ?? 0), 0);
  const sections = [populations, states, matrices, processes, outputs];
  const same = scenario.length === 0 && params.length === 0 && effect.length === 0 && sections.every((s) => s.added.length + s.removed.length + s.changed.length === 0);
  return {
    old: { file: a.file, scenario: a.plan.scenario },
    new: { file: b.file, scenario: b.plan.scenario },
    same,
    scenario,
    params,
    populations,
    states,
    matrices,
    processes,
    outputs,
    effect,
    total: { rows: { old: sum(a.plan, 'expectedRows'), new: sum(b.plan, 'expectedRows') }, bytes: { old: sum(a.plan, 'expectedBytes'), new: sum(b.plan, 'expectedBytes') } },
  };
}

const names = (items: { name: string }[]) => items.map((i) => i.name);

function find<T extends { name: string }>(items: T[], name: string): T | undefined {
  return items.find((i) => i.name === name);
}

function section(before: string[], after: string[], changesOf: (name: string) => Change[]): SectionDiff {
  const changed = after.filter((n) => before.includes(n)).map((name) => ({ name, changes: changesOf(name) })).filter((c) => c.changes.length > 0);
  return { added: after.filter((n) => !before.includes(n)), removed: before.filter((n) => !after.includes(n)), changed };
}

/** A derived figure (resolved count, units) that changed. */
function figure(path: string, old: number | undefined, now: number | undefined): Change[] {
  return old === now ? [] : [{ path, old, new: now }];
}

/**
 * Leaf-by-leaf differences of two values: maps are compared key by key, lists and scalars
 * as wholes (a matrix row is one change, with its old and new values).
 */
export function leafChanges(a: unknown, b: unknown, prefix = ''): Change[] {
  const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  // Lists of named objects (a kernel's per-matrix figures) compare by name, like maps.
  const named = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => isMap(x) && typeof x.name === 'string');
  if (named(a) && named(b)) {
    const byName = (v: unknown) => Object.fromEntries((v as Record<string, unknown>[]).map(({ name, ...rest }) => [String(name), rest]));
    return leafChanges(byName(a), byName(b), prefix);
  }
  if (isMap(a) && isMap(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    return keys.flatMap((k) => leafChanges(a[k], b[k], `${prefix}${k}.`));
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const path = prefix.replace(/\.$/, '');
  return [{ path, ...(a !== undefined ? { old: a } : {}), ...(b !== undefined ? { new: b } : {}) }];
}

/** Adds, to each change between two lists of one length, the entries that differ (named by `labels`). */
function withEntries(changes: Change[], labels: unknown): Change[] {
  const names = Array.isArray(labels) ? labels.map(String) : [];
  for (const c of changes) {
    if (!Array.isArray(c.old) || !Array.isArray(c.new) || c.old.length !== c.new.length) continue;
    const [o, n] = [c.old, c.new];
    c.entries = o.flatMap((v, i) => (JSON.stringify(v) === JSON.stringify(n[i]) ? [] : [{ at: names[i] ?? String(i), old: v, new: n[i] }]));
  }
  return changes;
}

function effects(a: Plan, b: Plan): OutputEffect[] {
  const all = [...names(a.outputs), ...names(b.outputs).filter((n) => !find(a.outputs, n))];
  const out: OutputEffect[] = [];
  for (const name of all) {
    const [oa, ob] = [find(a.outputs, name), find(b.outputs, name)];
    const e: OutputEffect = {
      name,
      file: (ob ?? oa)!.file,
      rows: { old: oa?.expectedRows, new: ob?.expectedRows },
      bytes: { old: oa?.expectedBytes, new: ob?.expectedBytes },
    };
    if (oa?.label || ob?.label) e.prevalence = { old: oa?.expectedPositiveShare, new: ob?.expectedPositiveShare };
    const moved = e.rows.old !== e.rows.new || e.bytes.old !== e.bytes.new || e.prevalence?.old !== e.prevalence?.new;
    if (moved) out.push(e);
  }
  return out;
}
