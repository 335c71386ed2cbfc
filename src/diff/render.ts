/** Renders a PlanDiff as text for a terminal, or as Markdown for a pull-request comment. */
import { formatBytes, formatInteger } from '../ui/format.js';
import type { Change, OutputEffect, PlanDiff, SectionDiff } from './compare.js';

const SECTIONS = ['populations', 'states', 'matrices', 'processes', 'outputs'] as const;
const MAX_VALUE = 120;

/** A value as one short line. */
function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 3)}...` : text;
}

function change(c: Change): string {
  const entries = c.entries?.length ? `  (${c.entries.map((e) => `${e.at} ${show(e.old)} -> ${show(e.new)}`).join(', ')})` : '';
  if (!('old' in c)) return `${c.path}: added ${show(c.new)}`;
  if (!('new' in c)) return `${c.path}: removed (was ${show(c.old)})`;
  return `${c.path}: ${show(c.old)} -> ${show(c.new)}${entries}`;
}

const count = (n?: number) => (n === undefined ? '-' : formatInteger(n));
const bytes = (n?: number) => (n === undefined ? '-' : formatBytes(n));
const percent = (x?: number) => (x === undefined ? '-' : `${(x * 100).toFixed(2)}%`);

function relative(old?: number, now?: number): string {
  if (old === undefined || now === undefined || old === now) return '';
  if (old === 0) return ' (new)';
  const r = ((now - old) / old) * 100;
  return ` (${r > 0 ? '+' : ''}${Math.abs(r) >= 10 ? r.toFixed(0) : r.toFixed(1)}%)`;
}

function fromTo(old: string, now: string, rel = ''): string {
  return old === now ? now : `${old} -> ${now}${rel}`;
}

function effectCells(e: OutputEffect): [string, string, string] {
  return [
    fromTo(count(e.rows.old), count(e.rows.new), relative(e.rows.old, e.rows.new)),
    fromTo(bytes(e.bytes.old), bytes(e.bytes.new), relative(e.bytes.old, e.bytes.new)),
    e.prevalence ? fromTo(percent(e.prevalence.old), percent(e.prevalence.new)) : '',
  ];
}

/** Lines of one section: + added, - removed, ~ changed with its changes indented. */
function sectionLines(s: SectionDiff, bullet: (mark: string, text: string, depth: number) => string): string[] {
  return [
    ...s.added.map((n) => bullet('+', n, 0)),
    ...s.removed.map((n) => bullet('-', n, 0)),
    ...s.changed.flatMap((c) => [bullet('~', c.name, 0), ...c.changes.map((ch) => bullet('', change(ch), 1))]),
  ];
}

export function diffText(d: PlanDiff): string {
  const lines = [`scenario diff: ${d.old.file} -> ${d.new.file}`];
  if (d.same) return [...lines, 'no changes to the compiled plan'].join('\n');
  const bullet = (mark: string, text: string, depth: number) => `${'  '.repeat(depth + 1)}${mark ? `${mark} ` : ''}${text}`;
  if (d.scenario.length > 0) lines.push('', 'scenario', ...d.scenario.map((c) => bullet('~', change(c), 0)));
  if (d.params.length > 0) lines.push('', 'params', ...d.params.map((c) => bullet('~', change(c), 0)));
  for (const name of SECTIONS) {
    const body = sectionLines(d[name], bullet);
    if (body.length > 0) lines.push('', name, ...body);
  }
  if (d.effect.length > 0) {
    lines.push('', 'effect on the outputs (expected rows, bytes, label prevalence)');
    for (const e of d.effect) lines.push(`  ${e.file}: ${effectCells(e).filter(Boolean).join(', ')}`);
    lines.push(`  total: ${fromTo(count(d.total.rows.old), count(d.total.rows.new), relative(d.total.rows.old, d.total.rows.new))} rows, ${fromTo(bytes(d.total.bytes.old), bytes(d.total.bytes.new), relative(d.total.bytes.old, d.total.bytes.new))}`);
  }
  return lines.join('\n');
}

/** Markdown for a pull-request comment; the first line is a marker CI can find to update it. */
export function diffMarkdown(d: PlanDiff): string {
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  const lines = ['<!-- scenario-diff -->', `### Scenario plan diff: ${code(d.new.file)}`, ''];
  if (d.same) return [...lines, `No changes to the compiled plan (against ${code(d.old.file)}).`, ''].join('\n');
  lines.push(`Compared with ${code(d.old.file)}. Expected figures come from the planning pilot.`, '');
  const bullet = (mark: string, text: string, depth: number) => `${'  '.repeat(depth)}- ${mark === '+' ? '**added** ' : mark === '-' ? '**removed** ' : ''}${code(text)}`;
  const flat = (title: string, changes: Change[]) => (changes.length > 0 ? [`**${title}**`, '', ...changes.map((c) => `- ${code(change(c))}`), ''] : []);
  lines.push(...flat('scenario', d.scenario), ...flat('params', d.params));
  for (const name of SECTIONS) {
    const body = sectionLines(d[name], bullet);
    if (body.length > 0) lines.push(`**${name}**`, '', ...body, '');
  }
  if (d.effect.length > 0) {
    lines.push('**effect on the outputs**', '', '| output | rows | bytes | label prevalence |', '| --- | --- | --- | --- |');
    for (const e of d.effect) lines.push(`| ${code(e.file)} | ${effectCells(e).join(' | ')} |`);
    const t = d.total;
    lines.push(`| total | ${fromTo(count(t.rows.old), count(t.rows.new), relative(t.rows.old, t.rows.new))} | ${fromTo(bytes(t.bytes.old), bytes(t.bytes.new), relative(t.bytes.old, t.bytes.new))} | |`, '');
  }
  return lines.join('\n');
}
