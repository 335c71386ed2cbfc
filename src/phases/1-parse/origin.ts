/**
 * Where each part of a composed scenario came from. A scenario built with `extends:` and
 * `include:` is one merged value, but a diagnostic must point into the file the user has
 * to edit, so every merged node keeps an Origin: the file it came from, and for merged maps
 * the origin of each key. A node without `children` came whole from its file.
 */
import type { Path, Position, SourceMap } from './index.js';

/** One file taking part in a composition. */
export interface FileRef {
  /** As printed in diagnostics (relative to the working directory). */
  shown: string;
  /** Relative to the main scenario's folder, with `/` (for `scenario plan`). */
  rel: string;
  map: SourceMap;
}

export interface Origin {
  file: FileRef;
  /** Origins of the keys of a merged map; a key not listed comes from `file`. */
  children?: Map<string, Origin>;
  /** Replaced by `--set`: offsets inside the original text no longer apply. */
  overridden?: boolean;
}

/** The named maps an included file may add to, and whose pieces `scenario plan` traces. */
export const SECTIONS = ['params', 'actors', 'states', 'matrices', 'processes', 'outputs'] as const;

export const isPlainMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The origin of `key` under `o`. */
export function childOrigin(o: Origin, key: string): Origin {
  return o.children?.get(key) ?? { file: o.file, overridden: o.overridden };
}

/**
 * Deep merge for `extends:`: maps merge key by key, anything else (scalars, lists) is
 * replaced by the child's value, and a child's `null` removes the key it inherits.
 */
export function deepMerge(base: unknown, baseOrigin: Origin, over: unknown, overOrigin: Origin): { value: unknown; origin: Origin } {
  if (!isPlainMap(base) || !isPlainMap(over)) return { value: over, origin: overOrigin };
  const value: Record<string, unknown> = {};
  const children = new Map<string, Origin>();
  for (const [k, v] of Object.entries(base)) {
    value[k] = v;
    children.set(k, childOrigin(baseOrigin, k));
  }
  for (const [k, v] of Object.entries(over)) {
    if (v === null) {
      delete value[k];
      children.delete(k);
    } else if (k in value) {
      const merged = deepMerge(value[k], children.get(k)!, v, childOrigin(overOrigin, k));
      value[k] = merged.value;
      children.set(k, merged.origin);
    } else {
      value[k] = v;
      children.set(k, childOrigin(overOrigin, k));
    }
  }
  return { value, origin: { file: overOrigin.file, children } };
}

/** The deepest recorded origin along `path`, and whether `--set` replaced anything on the way. */
export function originAt(root: Origin, path: Path): { origin: Origin; overridden: boolean } {
  let node = root;
  let overridden = Boolean(root.overridden);
  for (const step of path) {
    const next = node.children?.get(String(step));
    if (!next) break;
    node = next;
    overridden ||= Boolean(next.overridden);
  }
  return { origin: node, overridden };
}

/** Records that `--set` replaced the value at `path` (positions then point at what it replaced). */
export function markOverridden(root: Origin, path: Path): void {
  let node = root;
  for (const step of path) {
    node.children ??= new Map();
    let next = node.children.get(String(step));
    if (!next) {
      next = { file: node.file, overridden: node.overridden };
      node.children.set(String(step), next);
    }
    node = next;
  }
  node.overridden = true;
  node.children = undefined;
}

/** A source map over the composed value: each position is taken in the file the node came from. */
export function composedSourceMap(main: FileRef, root: Origin): SourceMap {
  const inFile = (o: Origin, pos: Position): Position => (o.file === main ? pos : { ...pos, file: o.file.shown });
  return {
    file: main.shown,
    source: main.map.source,
    at: (path) => {
      const { origin } = originAt(root, path);
      return inFile(origin, origin.file.map.at(path));
    },
    keyAt: (path) => {
      const { origin } = originAt(root, path);
      return inFile(origin, origin.file.map.keyAt(path));
    },
    inString: (path, offset) => {
      const { origin, overridden } = originAt(root, path);
      const map = origin.file.map;
      return inFile(origin, overridden ? map.at(path) : map.inString(path, offset));
    },
  };
}

/** Files that contributed to a node, the one it inherits from first and the one that wins last. */
export function filesOf(o: Origin): string[] {
  const seen: string[] = [];
  const walk = (n: Origin) => {
    if (!seen.includes(n.file.rel)) seen.push(n.file.rel);
    for (const c of n.children?.values() ?? []) walk(c);
  };
  walk(o);
  return seen.reverse();
}

/** `"matrices.role_0" -> "lib/matrices.yaml"`: the file(s) each named piece came from. */
export function pieceSources(value: unknown, origin: Origin): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPlainMap(value)) return out;
  for (const section of SECTIONS) {
    const names = value[section];
    if (!isPlainMap(names)) continue;
    for (const name of Object.keys(names)) out[`${section}.${name}`] = filesOf(childOrigin(childOrigin(origin, section), name)).join(' + ');
  }
  return out;
}
