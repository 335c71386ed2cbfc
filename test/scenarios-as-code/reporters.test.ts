/** scenario validate --reporter json|github|junit: each output matches its format. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { junitReport } from '../../src/diagnostics/reporters.js';
import { cli, removeDir, tempDir } from '../helpers.js';

const tmp = tempDir('scenario-reporters-');
afterAll(() => removeDir(tmp));

const GOOD = 'scenarios/crm-theft.yaml';
const BAD = 'test/samples/validate/matrix-row-sum/scenario.yaml';
const GITHUB_LINE = /^::(error|warning) file=[^,]+,line=\d+,col=\d+(,title=[^:]+)?::.+$/;

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A strict parser for the XML subset a JUnit report uses (declaration, elements, attributes,
 * text, the five entities and numeric references); throws on anything malformed.
 */
function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 30))}`);
  };
  const decode = (s: string) => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s)) fail('bad entity');
    if (/[<]/.test(s)) fail('raw < in text');
    return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
      e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
    );
  };
  const skipSpace = () => {
    while (/\s/.test(xml[i] ?? '')) i++;
  };
  const element = (): XmlElement => {
    if (xml[i] !== '<') fail('expected <');
    i++;
    const name = /^[A-Za-z_][\w.-]*/.exec(xml.slice(i))?.[0] ?? fail('expected a name');
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', i)) return (i += 2), { name, attributes, children: [], text: '' };
      if (xml[i] === '>') break;
      const m = /^([A-Za-z_][\w.-]*)="([^"]*)"/.exec(xml.slice(i)) ?? fail('bad attribute');
      if (m[1] in attributes) fail('duplicate attribute');
      attributes[m[1]] = decode(m[2]);
      i += m[0].length;
    }
    i++;
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) fail(`unclosed <${name}>`);
      text += decode(xml.slice(i, next));
      i = next;
      if (xml.startsWith(`</${name}>`, i)) return (i += name.length + 3), { name, attributes, children, text };
      if (xml.startsWith('</', i)) fail(`mismatched close inside <${name}>`);
      children.push(element());
    }
  };
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) fail('missing declaration');
  i = xml.indexOf('?>') + 2;
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== xml.length) fail('content after the root element');
  return root;
}

describe('validate --reporter', () => {
  it('json: an array of every diagnostic', () => {
    const r = cli(['validate', GOOD, BAD, '--reporter', 'json']);
    expect(r.status).toBe(1);
    const diagnostics = JSON.parse(r.stdout);
    expect(Array.isArray(diagnostics)).toBe(true);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'matrix-row-sum', file: BAD, line: 19, column: 15, severity: 'error' })]);
    expect(JSON.parse(cli(['validate', GOOD, '--reporter', 'json']).stdout)).toEqual([]);
  });

  it('github: one workflow annotation per diagnostic, file-level ones at line 1', () => {
    const r = cli(['validate', GOOD, BAD, 'nowhere.yaml', '--set', 'params.users=x', '--reporter', 'github']);
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(line).toMatch(GITHUB_LINE);
    expect(lines).toContain(`::error file=${BAD},line=19,col=15,title=matrix-row-sum::matrix "normal" row "browse" sums to 0.9, not 1%0Ahint: Each row is a probability distribution over the next state; make it sum to 1 (within 1e-9).`);
    expect(lines.some((l) => l.startsWith(`::error file=${GOOD},line=1,col=1,title=param-type::`))).toBe(true);
    expect(lines.some((l) => l.startsWith('::error file=nowhere.yaml,line=1,col=1,title=file-unreadable::'))).toBe(true);
  });

  it('junit: well-formed XML, a suite and a test case per file, a failure per error', () => {
    const r = cli(['validate', GOOD, BAD, '--reporter', 'junit']);
    expect(r.status).toBe(1);
    const root = parseXml(r.stdout);
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '2', failures: '1' });
    expect(root.children.map((s) => [s.name, s.attributes.name, s.children.length])).toEqual([
      ['testsuite', GOOD, 1],
      ['testsuite', BAD, 1],
    ]);
    const [ok, bad] = root.children.map((s) => s.children[0]);
    expect(ok.name).toBe('testcase');
    expect(ok.children).toEqual([]);
    expect(bad.children.map((c) => [c.name, c.attributes.type])).toEqual([['failure', 'matrix-row-sum']]);
    expect(bad.children[0].attributes.message).toBe('matrix "normal" row "browse" sums to 0.9, not 1');
    expect(bad.children[0].text).toContain(`${BAD}:19:15`);
  });

  it('junit escapes what XML cannot hold raw', () => {
    const xml = junitReport([{ file: 'a&b<c>.yaml', diagnostics: [{ code: 'x', severity: 'error', message: 'say "<&>"\nok\u0007', file: 'a&b<c>.yaml', line: 1, column: 2, path: [] }] }]);
    const failure = parseXml(xml).children[0].children[0].children[0];
    expect(failure.attributes.message).toBe('say "<&>"\nok');
  });

  it('an unknown reporter is a usage error', () => {
    const file = join(tmp, 'x.yaml');
    writeFileSync(file, 'scenario: x\n');
    const r = cli(['validate', file, '--reporter', 'xml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--reporter must be one of text, json, github, junit');
  });
});
