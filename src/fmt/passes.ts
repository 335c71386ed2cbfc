/**
 * Layout touches the YAML stringifier cannot make, applied to its output text. Each pass
 * re-parses the text to find the nodes it concerns by their source ranges, then edits only
 * whitespace, so the data stays the same (formatScenario checks it).
 */
import { isScalar, isSeq, Lexer, parseDocument, visit, type Node } from 'yaml';

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.insert + out.slice(e.at + e.remove);
  return out;
}

/** `{a: 1}` -> `{ a: 1 }`: flow maps padded, flow lists not (`[0.2, 0.8]`), as the docs write them. */
export function padFlowMaps(text: string): string {
  const doc = parseDocument(text);
  const edits: Edit[] = [];
  visit(doc, {
    Map(_, node) {
      if (!node.flow || !node.range || node.items.length === 0) return;
      const [start, end] = node.range;
      if (text[start] !== '{' || text[end - 1] !== '}') return;
      if (text[start + 1] !== ' ') edits.push({ at: start + 1, remove: 0, insert: ' ' });
      if (text[end - 2] !== ' ') edits.push({ at: end - 1, remove: 0, insert: ' ' });
    },
  });
  return applyEdits(text, edits);
}

/**
 * Aligns the values of block maps whose values are all flow lists (matrix rows), so the
 * columns of a matrix line up under each other:
 *   start:    [0.00, 0.00, 1.00]
 *   action_1: [0.00, 0.20, 0.80]
 */
export function alignFlowRows(text: string): string {
  const doc = parseDocument(text);
  const edits: Edit[] = [];
  visit(doc, {
    Map(_, node) {
      if (node.flow || node.items.length < 2) return;
      const rows = node.items.map((p) => ({ key: p.key as Node | null, value: p.value as Node | null }));
      if (!rows.every(({ key, value }) => isScalar(key) && key.range && isSeq(value) && value.flow && value.range)) return;
      const gaps = rows.map(({ key, value }) => ({ keyEnd: key!.range![1], valueStart: value!.range![0], width: key!.range![1] - key!.range![0] }));
      if (!gaps.every((g) => /^: +$/.test(text.slice(g.keyEnd, g.valueStart)))) return;
      const widest = Math.max(...gaps.map((g) => g.width));
      for (const g of gaps) edits.push({ at: g.keyEnd, remove: g.valueStart - g.keyEnd, insert: ':' + ' '.repeat(widest - g.width + 1) });
    },
  });
  return applyEdits(text, edits);
}

/**
 * Re-wraps the lines of folded block text (`description: >`) at `width`. In folded text a
 * single line break reads as a space, so breaking a line at a single space between two
 * words keeps the value; lines that start with a space are kept whole (they are literal).
 */
export function refoldBlockText(text: string, width: number): string {
  const doc = parseDocument(text);
  const edits: Edit[] = [];
  visit(doc, {
    Scalar(_, node) {
      if (node.type !== 'BLOCK_FOLDED' || !node.range) return;
      const [start, end] = node.range;
      const block = text.slice(start, end);
      const lines = block.split('\n');
      // lines[0] is the header (">", ">-", ...); the rest is the content.
      const folded = [lines[0], ...lines.slice(1).flatMap((l) => foldLine(l, width))].join('\n');
      if (folded !== block) edits.push({ at: start, remove: end - start, insert: folded });
    },
  });
  return applyEdits(text, edits);
}

function foldLine(line: string, width: number): string[] {
  const indent = /^ */.exec(line)![0];
  let rest = line.slice(indent.length);
  if (rest.startsWith(' ') || rest.startsWith('\t') || line.length <= width) return [line];
  const breakable = (s: string, i: number) => s[i] === ' ' && i > 0 && s[i - 1] !== ' ' && i + 1 < s.length && s[i + 1] !== ' ';
  const out: string[] = [];
  while (indent.length + rest.length > width) {
    const limit = width - indent.length;
    let cut = -1;
    for (let i = Math.min(limit, rest.length - 1); i > 0 && cut < 0; i--) if (breakable(rest, i)) cut = i;
    for (let i = limit + 1; i < rest.length && cut < 0; i++) if (breakable(rest, i)) cut = i;
    if (cut < 0) break;
    out.push(indent + rest.slice(0, cut));
    rest = rest.slice(cut + 1);
  }
  out.push(indent + rest);
  return out;
}


/** Lexer tokens that mark structure and are not text of the source. */
const CONTROL_TOKENS = new Set(['\u{FEFF}', '\x02', '\x18', '\x1f']);

/**
 * Aligns trailing comments (`key: value  # why`) of adjacent lines to one column, two
 * spaces after the longest value among them; a lone trailing comment gets two spaces.
 */
export function alignTrailingComments(text: string): string {
  const trailing: { line: number; codeEnd: number; at: number; lineStart: number }[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (CONTROL_TOKENS.has(token)) continue;
    if (token.startsWith('#')) {
      const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
      const code = text.slice(lineStart, offset).trimEnd();
      if (code.trim().length > 0) trailing.push({ line: lineNumber(text, lineStart), codeEnd: lineStart + code.length, at: offset, lineStart });
    }
    offset += token.length;
  }
  const edits: Edit[] = [];
  for (let i = 0; i < trailing.length; ) {
    let j = i + 1;
    while (j < trailing.length && trailing[j].line === trailing[j - 1].line + 1) j++;
    const run = trailing.slice(i, j);
    const column = Math.max(...run.map((t) => t.codeEnd - t.lineStart)) + 2;
    for (const t of run) edits.push({ at: t.codeEnd, remove: t.at - t.codeEnd, insert: ' '.repeat(column - (t.codeEnd - t.lineStart)) });
    i = j;
  }
  return applyEdits(text, edits);
}

function lineNumber(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
