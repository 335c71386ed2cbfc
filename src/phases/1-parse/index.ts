/**
 * Phase 1, parse. In: a scenario file's text. Out: the plain JS value plus a source map that
 * turns any path inside it into file:line:col, and YAML syntax errors as diagnostics.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLError } from 'yaml';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diag } from '../../diagnostics/make.js';

export type Path = (string | number)[];

/**
 * A place in a file. `file` is set when it differs from the map's own file: a scenario
 * composed from several files (extends, include) places each node in the file it came from.
 */
export interface Position {
  line: number;
  column: number;
  file?: string;
}

export interface SourceMap {
  file: string;
  source: string;
  /** Position of the value at `path`, or of its nearest existing ancestor. */
  at(path: Path): Position;
  /** Position of the key that introduces `path` (for unknown-key findings). */
  keyAt(path: Path): Position;
  /** Position of character `offset` inside the string scalar at `path` (for expressions). */
  inString(path: Path, offset: number): Position;
}

export interface Parsed {
  value: unknown;
  doc: Document;
  map: SourceMap;
  diagnostics: Diagnostic[];
}

export function parseScenario(source: string, file: string): Parsed {
  let lineCounter = new LineCounter();
  let doc: Document;
  const diagnostics: Diagnostic[] = [];
  try {
    doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    // The parser recurses once per nesting level: some thousands of levels overflow the stack.
    diagnostics.push(diag('yaml-syntax', { file, line: 1, column: 1, path: [] }, { detail: tooDeep(e) }));
    lineCounter = new LineCounter();
    doc = parseDocument('', { lineCounter });
  }
  const map = makeSourceMap(doc, lineCounter, source, file);
  for (const err of reportedErrors(doc.errors)) {
    const pos = lineCounter.linePos(errorOffset(err, source));
    diagnostics.push(
      diag('yaml-syntax', { file, line: pos.line, column: pos.col, path: [] }, { detail: detailOf(err) }),
    );
  }
  let value: unknown;
  if (diagnostics.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // Aliases of aliases expand exponentially ("billion laughs"); the limit stops it here.
      const alias = source.search(/\*[^\s,\]}]/);
      const pos = lineCounter.linePos(Math.max(0, alias));
      diagnostics.push(diag('yaml-syntax', { file, line: pos.line, column: pos.col, path: [] }, { detail: tooDeep(e) }));
    }
  }
  return { value, doc, map, diagnostics };
}

/** A parser failure in words: the cause is always the document's size or depth. */
function tooDeep(e: unknown): string {
  const message = (e as Error).message ?? String(e);
  if (/call stack/i.test(message)) return 'the document is nested too deeply to read';
  if (/alias/i.test(message)) return 'aliases expand to too many nodes (more than 100 uses of an alias)';
  return firstLine(message);
}

/**
 * The YAML errors worth showing. One indentation mistake makes the parser report several
 * errors, the later ones about lines that are fine, so only the first structural error is
 * kept; duplicate keys never cascade and are all kept. "Nested mappings are not allowed"
 * and "Implicit keys need to be on a single line" starting at the same place describe one
 * mistake; the second locates it better (see errorOffset).
 */
function reportedErrors(errors: YAMLError[]): YAMLError[] {
  const multiline = new Set(errors.filter((e) => e.code === 'MULTILINE_IMPLICIT_KEY').map((e) => e.pos[0]));
  const relevant = errors.filter((e) => !(e.code === 'BLOCK_AS_IMPLICIT_KEY' && multiline.has(e.pos[0])));
  const firstStructural = relevant.find((e) => e.code !== 'DUPLICATE_KEY');
  return relevant.filter((e) => e.code === 'DUPLICATE_KEY' || e === firstStructural);
}

/**
 * Where to point for a YAML error. The parser places indentation errors on the whitespace
 * before the key, and a multi-line implicit key (a key indented too far, read as the
 * continuation of the value above) on that value; users need the key they mis-indented.
 */
function errorOffset(err: YAMLError, source: string): number {
  let at = err.pos[0];
  if (err.code === 'MULTILINE_IMPLICIT_KEY') {
    const lastBreak = source.lastIndexOf('\n', err.pos[1] - 1);
    if (lastBreak >= at) at = lastBreak + 1;
  }
  if (err.code === 'MULTILINE_IMPLICIT_KEY' || err.code === 'BAD_INDENT' || err.code === 'BLOCK_AS_IMPLICIT_KEY') {
    while (at < source.length && (source[at] === ' ' || source[at] === '\n' || source[at] === '\r')) at++;
  }
  return at;
}

/** The parser's message; for a multi-line key, also the usual cause, which it does not name. */
function detailOf(err: YAMLError): string {
  const detail = /call stack/i.test(err.message) ? tooDeep(err) : firstLine(err.message);
  return err.code === 'MULTILINE_IMPLICIT_KEY' ? `${detail} (is this key indented deeper than the one above?)` : detail;
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
