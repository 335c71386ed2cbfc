/**
 * Machine-readable forms of validation results, for CI: a JSON array, GitHub workflow
 * annotations (shown on the pull request's diff), and a JUnit XML report (one suite and one
 * test case per file; each error a failure) for CI systems that chart test results.
 */
import type { Diagnostic } from './diagnostic.js';

/** The diagnostics of one validated file. */
export interface FileResult {
  file: string;
  diagnostics: Diagnostic[];
}

export const REPORTERS = ['text', 'json', 'github', 'junit'] as const;
export type ReporterName = (typeof REPORTERS)[number];

/** Every diagnostic of every file, as one JSON array. */
export function jsonReport(results: FileResult[]): string {
  return JSON.stringify(results.flatMap((r) => r.diagnostics), null, 2) + '\n';
}

/**
 * One `::error file=...,line=...,col=...,title=<code>::message` line per diagnostic. A
 * finding without a place in a file (a missing file, a bad --set) is put at line 1 of the
 * file being validated, so GitHub still shows it.
 */
export function githubReport(results: FileResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const d of r.diagnostics) {
      const located = d.line > 0;
      const props = [
        `file=${escapeProperty(located ? d.file : r.file)}`,
        `line=${located ? d.line : 1}`,
        `col=${located ? d.column : 1}`,
        `title=${escapeProperty(d.code)}`,
      ].join(',');
      const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
      lines.push(`::${d.severity === 'error' ? 'error' : 'warning'} ${props}::${escapeData(message)}`);
    }
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

// GitHub's workflow-command escaping: data escapes %, CR and LF; properties also : and ,.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * JUnit XML: a suite per file with one test case ("validate"); each error is a <failure>,
 * warnings go to the case's <system-out> (they do not fail a build).
 */
export function junitReport(results: FileResult[]): string {
  const errorsOf = (r: FileResult) => r.diagnostics.filter((d) => d.severity === 'error');
  const failing = results.filter((r) => errorsOf(r).length > 0).length;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="scenario validate" tests="${results.length}" failures="${failing}" errors="0">`,
  ];
  for (const r of results) {
    const errors = errorsOf(r);
    const warnings = r.diagnostics.filter((d) => d.severity !== 'error');
    out.push(`  <testsuite name="${attr(r.file)}" tests="1" failures="${errors.length > 0 ? 1 : 0}" errors="0" skipped="0">`);
    out.push(`    <testcase name="validate" classname="${attr(r.file)}" file="${attr(r.file)}">`);
    for (const d of errors) {
      out.push(`      <failure message="${attr(d.message)}" type="${attr(d.code)}">${text(describe(d))}</failure>`);
    }
    if (warnings.length > 0) out.push(`      <system-out>${text(warnings.map(describe).join('\n'))}</system-out>`);
    out.push('    </testcase>', '  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

function describe(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  return `${where} ${d.severity} ${d.code}: ${d.message}${d.hint ? `\nhint: ${d.hint}` : ''}`;
}

// XML 1.0 allows no control characters but tab, LF and CR, even escaped.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

function text(s: string): string {
  return s.replace(CONTROL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
