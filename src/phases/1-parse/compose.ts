/**
 * Composition of a scenario from several files. `extends: base.yaml` deep-merges the file
 * over a base scenario (the file wins); `include: [lib/x.yaml]` adds the named maps of
 * fragment files (a name defined twice is an error). Paths are relative to the file that
 * names them. Missing files and cycles are reported at the `extends`/`include` entry, and
 * the result keeps the origin of every node so later diagnostics point into the right file.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { diag } from '../../diagnostics/make.js';
import { parseScenario, type Path, type SourceMap } from './index.js';
import { childOrigin, composedSourceMap, deepMerge, isPlainMap, markOverridden, originAt, SECTIONS, type FileRef, type Origin } from './origin.js';

export { pieceSources, SECTIONS } from './origin.js';

export interface Composed {
  /** The merged scenario, without `extends` and `include`; undefined when a file did not parse. */
  value: unknown;
  map: SourceMap;
  origin: Origin;
  /** Text of every file read, by the name diagnostics print (for code frames). */
  sources: Record<string, string>;
  diagnostics: Diagnostic[];
}

interface Part {
  value: unknown;
  origin: Origin;
  ref: FileRef;
}

interface State {
  mainDir: string;
  /** Files already included: a file reached twice (A includes B and C, both include D) is added once. */
  included: Set<string>;
  sources: Record<string, string>;
  diagnostics: Diagnostic[];
}

type Role = 'scenario' | 'base' | 'include';

/** Parses `source` (the text of `file`) and every file it extends or includes. */
export function composeScenario(file: string, shown: string, source: string): Composed {
  const abs = resolve(file);
  const st: State = { mainDir: dirname(abs), included: new Set(), sources: {}, diagnostics: [] };
  const main = loadFile(abs, shown, source, [], 'scenario', st);
  const failed = !main || hasErrors(st.diagnostics);
  const origin = main?.origin ?? { file: { shown, rel: relPath(st.mainDir, abs), map: parseScenario(source, shown).map } };
  return {
    value: failed ? undefined : main!.value,
    map: composedSourceMap(main?.ref ?? origin.file, origin),
    origin,
    sources: st.sources,
    diagnostics: st.diagnostics,
  };
}

function loadFile(abs: string, shown: string, source: string, stack: string[], role: Role, st: State): Part | undefined {
  st.sources[shown] = source;
  const parsed = parseScenario(source, shown);
  st.diagnostics.push(...parsed.diagnostics);
  if (hasErrors(parsed.diagnostics)) return undefined;
  const ref: FileRef = { shown, rel: relPath(st.mainDir, abs), map: parsed.map };
  const at = (path: Path, key = false) => ({ file: shown, path, ...(key ? parsed.map.keyAt(path) : parsed.map.at(path)) });
  const value = parsed.value;
  if (!isPlainMap(value)) {
    if (role !== 'include') return { value, origin: { file: ref }, ref };
    st.diagnostics.push(diag('compose-invalid', at([]), { where: 'an included file', detail: 'must be a map of sections (actors, matrices, ...)' }));
    return undefined;
  }
  const own: Record<string, unknown> = { ...value };
  delete own.extends;
  delete own.include;
  if (role === 'include') {
    delete own.description; // describes the fragment, not the scenario
    for (const key of Object.keys(own)) {
      if ((SECTIONS as readonly string[]).includes(key)) continue;
      st.diagnostics.push(diag('compose-invalid', at([key], true), { where: `key "${key}"`, detail: 'is not allowed in an included file', hint: `An included file holds only ${SECTIONS.join(', ')} (and include, description).` }));
      delete own[key];
    }
    if (value.extends !== undefined) {
      st.diagnostics.push(diag('compose-invalid', at(['extends'], true), { where: 'extends', detail: 'is not allowed in an included file', hint: 'Only a scenario extends another; an included file adds names.' }));
    }
  }
  let result: Part = { value: own, origin: { file: ref }, ref };
  const chain = [...stack, abs];
  for (const entry of entries(value.include, 'include', at, st)) {
    const target = resolve(dirname(abs), entry.target);
    if (st.included.has(target) && !chain.includes(target)) continue;
    st.included.add(target);
    const inc = follow(entry, abs, chain, 'include', 'include', st);
    if (inc) addSections(result, inc, st);
  }
  if (value.extends !== undefined && role !== 'include') {
    const [entry] = entries(value.extends, 'extends', at, st, false);
    const base = entry && follow(entry, abs, chain, 'extends', 'base', st);
    if (base) {
      const merged = deepMerge(base.value, base.origin, result.value, result.origin);
      result = { value: merged.value, origin: merged.origin, ref };
    }
  }
  return result;
}

interface Entry {
  target: string;
  place: { file: string; path: Path; line: number; column: number };
}

/** The paths an `include:` (a path or a list of paths) or `extends:` (one path) names. */
function entries(spec: unknown, key: 'include' | 'extends', at: (p: Path, key?: boolean) => Entry['place'], st: State, list = true): Entry[] {
  if (spec === undefined) return [];
  if (typeof spec === 'string' && spec.length > 0) return [{ target: spec, place: at([key]) }];
  if (list && Array.isArray(spec)) {
    const out: Entry[] = [];
    spec.forEach((s, i) => {
      if (typeof s === 'string' && s.length > 0) out.push({ target: s, place: at([key, i]) });
      else st.diagnostics.push(diag('compose-invalid', at([key, i]), { where: `${key}[${i}]`, detail: 'must be a file path' }));
    });
    return out;
  }
  const detail = list ? 'must be a file path or a list of file paths' : 'must be one file path';
  st.diagnostics.push(diag('compose-invalid', at([key]), { where: key, detail }));
  return [];
}

/** Reads and loads the file an entry names, reporting a missing file or a cycle at the entry. */
function follow(entry: Entry, from: string, chain: string[], what: 'include' | 'extends', role: Role, st: State): Part | undefined {
  const target = resolve(dirname(from), entry.target);
  if (chain.includes(target)) {
    const names = [...chain.slice(chain.indexOf(target)), target].map(shownOf);
    st.diagnostics.push(diag('compose-cycle', entry.place, { what, chain: names.join(' -> ') }));
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(target, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const detail = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message;
    st.diagnostics.push(diag('compose-missing', entry.place, { what: what === 'extends' ? 'base scenario' : 'included file', target: entry.target, detail }));
    return undefined;
  }
  return loadFile(target, shownOf(target), text, chain, role, st);
}

/** Adds an included file's named maps; a name already defined is reported where it is redefined. */
function addSections(into: Part, inc: Part, st: State): void {
  const target = into.value as Record<string, unknown>;
  const source = inc.value as Record<string, unknown>;
  for (const section of SECTIONS) {
    const names = source[section];
    if (names === undefined) continue;
    if (!isPlainMap(names)) {
      st.diagnostics.push(diag('compose-invalid', { file: inc.ref.shown, path: [section], ...inc.ref.map.at([section]) }, { where: section, detail: 'must be a map of names' }));
      continue;
    }
    const existing = target[section];
    if (existing !== undefined && !isPlainMap(existing)) continue; // the schema reports it
    into.origin.children ??= new Map();
    let sectionOrigin = into.origin.children.get(section);
    if (!sectionOrigin) {
      sectionOrigin = existing !== undefined ? { file: into.origin.file } : { file: inc.ref };
      into.origin.children.set(section, sectionOrigin);
    }
    const merged: Record<string, unknown> = { ...(existing ?? {}) };
    for (const [name, def] of Object.entries(names)) {
      const place = { file: inc.ref.shown, path: [section, name], ...inc.ref.map.keyAt([section, name]) };
      if (name in merged) {
        const first = originAt(into.origin, [section, name]).origin.file;
        const pos = first.map.keyAt([section, name]);
        st.diagnostics.push(diag('compose-duplicate', place, { section: singular(section), name, first: `${first.shown}:${pos.line}`, second: inc.ref.shown }));
        continue;
      }
      merged[name] = def;
      sectionOrigin.children ??= new Map();
      sectionOrigin.children.set(name, childOrigin(childOrigin(inc.origin, section), name));
    }
    target[section] = merged;
  }
}

function singular(section: string): string {
  return section === 'params' ? 'param' : section === 'matrices' ? 'matrix' : section.replace(/s$/, '');
}

function shownOf(abs: string): string {
  return relative(process.cwd(), abs) || abs;
}

function relPath(dir: string, abs: string): string {
  return relative(dir, abs).split(sep).join('/');
}

/**
 * Sets the value at `path` of the composed scenario (a `--set` override) and records it, so
 * diagnostics about it point at the value it replaced. Throws when the path runs through a
 * scalar.
 */
export function overrideValue(composed: Composed, path: Path, value: unknown): void {
  if (path.length === 0) throw new Error('empty path');
  let node: any = composed.value;
  for (let i = 0; i < path.length; i++) {
    if (node === null || typeof node !== 'object') throw new Error(`${path.slice(0, i).join('.') || 'the scenario'} is not a map or list`);
    if (i === path.length - 1) break;
    const k = path[i];
    if (node[k] === undefined || node[k] === null) node[k] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[k];
  }
  node[path[path.length - 1]] = value;
  markOverridden(composed.origin, path);
}
