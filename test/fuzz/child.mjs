/**
 * The fuzz cases' executor: a child process that runs one case at a time against the built
 * engine (dist/) and answers with what happened. It lives in its own process so the parent
 * can bound every case in time: a case that hangs is killed from outside, which no in-process
 * deadline can do to synchronous code.
 *
 * Protocol (IPC): the parent sends { id, kind: 'scenario' | 'detect', ... }; the child answers
 * { id, result }. Plain JavaScript because it runs under node without a TypeScript loader.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../../dist/', import.meta.url);
const { loadScenario, runScenario } = await import(new URL('pipeline.js', dist).href);
const { DiagnosticError } = await import(new URL('diagnostics/diagnostic.js', dist).href);
const { planText } = await import(new URL('commands/plan.js', dist).href);
const { detectFiles } = await import(new URL('detect/index.js', dist).href);
const detectCommand = await import(new URL('commands/detect.js', dist).href);

/** Words that mean a value was written without being formatted (checked in output files). */
const UNFORMATTED = /\bNaN\b|\bundefined\b|\[object Object\]|\bInfinity\b/;

const plain = (ds) => ds.map(({ code, severity, message, hint, file, line, column }) => ({ code, severity, message, hint, file, line, column }));
const failure = (e) => ({ name: e?.constructor?.name ?? typeof e, message: String(e?.message ?? e), stack: String(e?.stack ?? '') });

/** Every file under `dir` (relative paths). */
function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

async function scenarioCase(c) {
  const result = {};
  const load = { text: c.text, set: c.set };
  try {
    result.validate = plain(loadScenario(c.file, load).diagnostics);
  } catch (e) {
    result.validate = { threw: failure(e) };
    return result;
  }
  let loaded;
  try {
    loaded = loadScenario(c.file, { ...load, estimate: true });
    result.plan = { diagnostics: plain(loaded.diagnostics), compiled: Boolean(loaded.compiled) };
    if (loaded.compiled) {
      planText(loaded.compiled.plan);
      JSON.stringify(loaded.compiled.plan);
    }
  } catch (e) {
    result.plan = { threw: failure(e) };
    return result;
  }
  if (!loaded.compiled) return result;
  rmSync(c.outRoot, { recursive: true, force: true });
  mkdirSync(c.outRoot, { recursive: true });
  const out = join(c.outRoot, 'out');
  try {
    const run = await runScenario({ ...loaded, compiled: loaded.compiled }, { out, overrides: c.set, workers: 1 });
    const files = listFiles(out).map((name) => {
      const text = readFileSync(join(out, name), 'utf8');
      const m = UNFORMATTED.exec(text);
      return { name, bytes: statSync(join(out, name)).size, unformatted: m ? text.slice(Math.max(0, m.index - 60), m.index + 40) : undefined };
    });
    result.run = { ok: true, files, warnings: plain(run.warnings ?? []), entries: readdirSync(c.outRoot) };
  } catch (e) {
    const entries = readdirSync(c.outRoot);
    result.run = e instanceof DiagnosticError ? { diagnostics: plain(e.diagnostics), entries } : { threw: failure(e), entries };
  } finally {
    rmSync(c.outRoot, { recursive: true, force: true });
  }
  return result;
}

async function detectCase(c) {
  const result = {};
  const out = join(c.dir, 'flagged.json');
  try {
    const report = await detectFiles({ batch: c.batch, stream: c.stream, out });
    const flagged = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
    result.report = { ...report, detector: undefined };
    result.flagged = flagged;
  } catch (e) {
    result.threw = failure(e);
  }
  // The command as a user runs it, under --strict.
  let stderr = '';
  const io = { stdout: { write: () => true }, stderr: { write: (t) => ((stderr += t), true) } };
  try {
    const strictOut = join(c.dir, 'strict.json');
    result.strict = { code: await detectCommand.main(['--batch', c.batch, '--stream', c.stream, '--out', strictOut, '--strict', '--quiet'], io), stderr, outExists: existsSync(strictOut) };
  } catch (e) {
    result.strict = { threw: failure(e) };
  }
  // What both runs left in the folder (a failed run must leave no partial file, even later).
  await new Promise((r) => setTimeout(r, 5));
  result.entries = readdirSync(c.dir).sort();
  return result;
}

process.on('message', async (msg) => {
  let result;
  try {
    result = msg.kind === 'detect' ? await detectCase(msg) : await scenarioCase(msg);
  } catch (e) {
    result = { harness: failure(e) };
  }
  process.send({ id: msg.id, result });
});
process.send({ ready: true });
