/**
 * Numbers the links and transactions kernels consume (p, out_degree, per_link, time,
 * amount) are checked where they are consumed, under the scenario's `on_invalid` policy.
 * Before, a NaN probability or count gave no link or transaction and a NaN amount an empty
 * field, all in silence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { loadScenario, runScenario } from '../../src/pipeline.js';
import { removeDir, ROOT, tempDir } from '../helpers.js';

const FILE = join(ROOT, 'scenarios', 'aml-graph.yaml');
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function run(set: string[]) {
  const loaded = loadScenario(FILE, { set: ['actors.clients.count=300', ...set] });
  expect(loaded.diagnostics.filter((d) => d.severity !== 'warning')).toEqual([]);
  const dir = tempDir();
  dirs.push(dir);
  const out = join(dir, 'out');
  return runScenario({ ...loaded, compiled: loaded.compiled! }, { out, overrides: [] }).then(
    (r) => ({ out, result: r, error: undefined }),
    (e: unknown) => ({ out, result: undefined, error: e }),
  );
}

describe('graph values checked where consumed', () => {
  for (const [key, line, column] of [['amount', 121, 15], ['per_link', 120, 17]] as const) {
    it(`${key}: NaN stops the run at its expression, naming the transaction`, async () => {
      const { error } = await run([`processes.transfers.transactions.${key}=0 / 0`]);
      expect(error).toBeInstanceOf(DiagnosticError);
      const d = (error as DiagnosticError).diagnostics[0];
      expect([d.code, d.line, d.column]).toEqual(['expr-runtime', line, column]);
      expect(d.message).toMatch(/"0 \/ 0" gave NaN \(transaction from node \d+ to node \d+\)/);
    }, 60_000);
  }

  it('a link probability that is NaN stops the run at it, naming the source', async () => {
    const { error } = await run(['processes.client_client.links.p=0 / 0']);
    expect(error).toBeInstanceOf(DiagnosticError);
    const d = (error as DiagnosticError).diagnostics[0];
    expect([d.code, d.line, d.column]).toEqual(['expr-runtime', 69, 60]);
    expect(d.message).toContain('"0 / 0" gave NaN (links of source 0)');
  }, 60_000);

  it('under on_invalid: warn a NaN amount is written as null, counted once per transaction', async () => {
    const { result, out } = await run(['processes.transfers.transactions.amount=0 / 0', 'on_invalid=warn']);
    expect(result).toBeDefined();
    const rows = readFileSync(join(out, 'transactions.csv'), 'utf8').trim().split('\n').slice(1);
    const ordinary = rows.filter((r) => r.split('|')[7] === 'false');
    expect(ordinary.length).toBeGreaterThan(100);
    // The amount column (6th) is empty exactly for the ordinary transactions; pattern ones keep theirs.
    expect(ordinary.every((r) => r.split('|')[5] === '')).toBe(true);
    const warning = result!.warnings.find((w) => w.line === 121);
    expect(warning?.message).toContain(`gave an invalid value ${ordinary.length} time(s), written as null`);
  }, 60_000);
});
