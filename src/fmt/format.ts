/**
 * `scenario fmt`: one canonical layout for scenario files, so reviews show changes of
 * content, never of style. Works on the YAML Document (not the plain value), so every
 * comment, anchor and quoting choice survives; the result is checked to hold exactly the
 * same data before it is returned.
 *
 * The layout: top-level keys in a fixed order; two-space indentation; lists of scalars in
 * flow style (`[0.2, 0.8]`) when they fit on the line, block style otherwise; flow maps kept
 * only when they fit; a blank line before each top-level section; folded text re-wrapped
 * at the line width; the rows of a matrix aligned, and trailing comments of adjacent lines.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isPair, isScalar, isSeq, parseDocument, stringify, type Node, type Pair, type YAMLMap } from 'yaml';
import { alignFlowRows, alignTrailingComments, padFlowMaps, refoldBlockText } from './passes.js';

/** Longest line the formatter aims for. */
export const LINE_WIDTH = 92;

/**
 * Top-level key order. `extends` and `include` come right after the name and description:
 * a reader sees what a file builds on before what it adds. Other keys follow, as written.
 */
export const KEY_ORDER = ['scenario', 'description', 'extends', 'include', 'seed', 'params', 'time', 'actors', 'states', 'matrices', 'processes', 'outputs'];

/** The text is not valid YAML (`syntax`), or formatting it would change its data (a bug). */
export class FormatError extends Error {
  constructor(
    message: string,
    readonly syntax: boolean,
    readonly line = 0,
    readonly column = 0,
  ) {
    super(message);
  }
}

const TO_STRING = { indent: 2, indentSeq: true, lineWidth: 0, flowCollectionPadding: false } as const;

/** Formats a scenario's text. Throws FormatError when it is not valid YAML. */
export function formatScenario(text: string): string {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const error = doc.errors[0];
  if (error) throw new FormatError(error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), true, error.linePos?.[0].line, error.linePos?.[0].col);
  const before = doc.toJS({ maxAliasCount: -1 });
  if (isMap(doc.contents)) orderTopLevel(doc.contents);
  if (doc.contents) layout(doc.contents as Node, -2, 0);
  let out = doc.toString(TO_STRING);
  out = alignTrailingComments(alignFlowRows(padFlowMaps(refoldBlockText(out, LINE_WIDTH))));
  const after = parseDocument(out);
  if (after.errors.length > 0 || !isDeepStrictEqual(after.toJS({ maxAliasCount: -1 }), before)) {
    throw new FormatError('internal error: formatting would change the data; the file was left as it is', false);
  }
  return out;
}

/** Sorts the top-level pairs; the file's header comment stays at the top. */
function orderTopLevel(map: YAMLMap): void {
  const rank = (p: unknown) => {
    const key = isPair(p) && isScalar(p.key) ? String(p.key.value) : '';
    const i = KEY_ORDER.indexOf(key);
    return i < 0 ? KEY_ORDER.length : i;
  };
  const first = map.items[0] as Pair<Node, unknown> | undefined;
  map.items.sort((a, b) => rank(a) - rank(b)); // stable: other keys keep their order
  const newFirst = map.items[0] as Pair<Node, unknown> | undefined;
  if (first && newFirst && first !== newFirst && first.key?.commentBefore) {
    newFirst.key.commentBefore = [first.key.commentBefore, newFirst.key.commentBefore].filter(Boolean).join('\n');
    first.key.commentBefore = undefined;
  }
  map.items.forEach((p, i) => {
    const pair = p as Pair<Node, unknown>;
    const v = pair.value as Node | null;
    if (pair.key && typeof pair.key === 'object') pair.key.spaceBefore = i > 0 && (isMap(v) || isSeq(v)) && !v.flow ? true : undefined;
  });
}

/**
 * Sets flow or block style on every collection. `keyIndent` is the indentation of the line
 * the collection starts on (its key's), `keyWidth` what precedes it there (`key: ` or `- `).
 */
function layout(node: Node, keyIndent: number, keyWidth: number): void {
  const column = Math.max(0, keyIndent) + keyWidth;
  const wasFlow = (isSeq(node) || isMap(node)) && node.flow;
  if (isSeq(node)) {
    const scalars = node.items.every((i) => isScalar(i) && !i.comment && !i.commentBefore);
    node.flow = node.items.length === 0 || (scalars && fits(node, column));
    if (!node.flow) {
      if (wasFlow) commentAbove(node);
      keepAnchorOnKeyLine(node);
      for (const item of node.items) if (item && typeof item === 'object') layout(item as Node, keyIndent + 2, 2);
    }
  } else if (isMap(node)) {
    if (node.items.length === 0) node.flow = true;
    else if (node.flow) node.flow = !node.items.some(hasComments) && fits(node, column);
    if (node.flow) return; // everything inside a flow map is written in flow style
    if (wasFlow) commentAbove(node);
    keepAnchorOnKeyLine(node);
    for (const p of node.items) {
      const key = isScalar(p.key) ? String(p.key.value) : '';
      if (p.value && typeof p.value === 'object') layout(p.value as Node, keyIndent + 2, key.length + 2);
    }
  }
}

/** A flow collection's trailing comment, once it is written as a block, goes above its items. */
function commentAbove(node: Node): void {
  if (!node.comment) return;
  node.commentBefore = [node.commentBefore, node.comment].filter(Boolean).join('\n');
  node.comment = undefined;
}

/**
 * `key: &anchor  # comment` above a block collection: the parser gives the comment to the
 * collection, which the stringifier writes between the key and the anchor (`&anchor` alone
 * on a line). Handing the comment to the first item keeps the anchor on the key's line.
 */
function keepAnchorOnKeyLine(node: Node): void {
  if (!node.anchor || !node.commentBefore || !(isMap(node) || isSeq(node)) || node.items.length === 0) return;
  const first = node.items[0] as unknown;
  const target = (isPair(first) ? first.key : first) as Node | null;
  if (!target || typeof target !== 'object') return;
  target.commentBefore = [node.commentBefore, target.commentBefore].filter(Boolean).join('\n');
  node.commentBefore = undefined;
}

/** Whether the collection, written in flow style after `column` characters, fits the line. */
function fits(node: Node, column: number): boolean {
  const flow = cloneFlow(node);
  const text = stringify(flow, { ...TO_STRING, flowCollectionPadding: true }).trimEnd();
  return !text.includes('\n') && column + text.length <= LINE_WIDTH;
}

function cloneFlow(node: Node): Node {
  const copy = (node as { clone(): Node }).clone();
  // The collection's own comments are written before or after it, not inside.
  copy.comment = copy.commentBefore = undefined;
  const setFlow = (n: unknown) => {
    if (isMap(n) || isSeq(n)) {
      n.flow = true;
      for (const i of n.items) setFlow(isPair(i) ? i.value : i);
    }
  };
  setFlow(copy);
  return copy;
}

function hasComments(node: unknown): boolean {
  if (isPair(node)) return hasComments(node.key) || hasComments(node.value);
  if (!node || typeof node !== 'object') return false;
  const n = node as Node;
  if (n.comment || n.commentBefore) return true;
  return (isMap(n) || isSeq(n)) && n.items.some((i) => hasComments(i));
}

/** True when formatting would change the file. */
export function needsFormat(text: string): boolean {
  return formatScenario(text) !== text;
}
