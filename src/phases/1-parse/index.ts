/**
 * Phase 1, parse. In: a scenario file's text. Out: the plain JS value plus a source map that
 * turns any path inside it into file:line:col, and YAML syntax errors as diagnostics.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diag } from '../../diagnostics/make.js';

export type Path = (string | number)[];

export interface SourceMap {
  file: string;
  source: string;
  /** Position of the value at `path`, or of its nearest existing ancestor. */
  at(path: Path): { line: number; column: number };
  /** Position of the key that introduces `path` (for unknown-key findings). */
  keyAt(path: Path): { line: number; column: number };
  /** Position of character `offset` inside the string scalar at `path` (for expressions). */
  inString(path: Path, offset: number): { line: number; column: number };
}

export interface Parsed {
  value: unknown;
  doc: Document;
  map: SourceMap;
  diagnostics: Diagnostic[];
}

export function parseScenario(source: string, file: string): Parsed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const map = makeSourceMap(doc, lineCounter, source, file);
  const diagnostics: Diagnostic[] = [];
  for (const err of doc.errors) {
    const pos = lineCounter.linePos(err.pos[0]);
    diagnostics.push(
      diag('yaml-syntax', { file, line: pos.line, column: pos.col, path: [] }, { detail: firstLine(err.message) }),
    );
  }
  const value = diagnostics.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : undefined;
  return { value, doc, map, diagnostics };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

export function makeSourceMap(doc: Document, lineCounter: LineCounter, source: string, file: string): SourceMap {
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  /** Walks as far as the path exists; returns the deepest node and, if any, the pair holding it. */
  const walk = (path: Path) => {
    let node: unknown = doc.contents;
    let keyNode: unknown = undefined;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
        if (!pair) break;
        keyNode = pair.key;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof step === 'number' && step < node.items.length) {
        keyNode = undefined;
        node = node.items[step];
      } else break;
    }
    return { node: node as Node | undefined, keyNode: keyNode as Node | undefined };
  };
  const start = (n: Node | undefined) => (n && n.range ? pos(n.range[0]) : { line: 1, column: 1 });
  return {
    file,
    source,
    at: (path) => start(walk(path).node),
    keyAt: (path) => {
      const { node, keyNode } = walk(path);
      return start(keyNode ?? node);
    },
    inString: (path, offset) => {
      const { node } = walk(path);
      if (!node || !node.range) return { line: 1, column: 1 };
      const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
      const plain = isScalar(node) && node.type === 'PLAIN';
      // Offsets map one-to-one only for single-line plain or quoted scalars without escapes.
      if (!quoted && !plain) return pos(node.range[0]);
      const raw = source.slice(node.range[0], node.range[1]);
      if (raw.includes('\n')) return pos(node.range[0]);
      return pos(node.range[0] + (quoted ? 1 : 0) + offset);
    },
  };
}
