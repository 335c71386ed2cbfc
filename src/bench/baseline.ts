/**
 * The yardstick: a minimal hand-written loop that writes the same crm-theft rows (same
 * streams, same alias tables, same bytes) with nothing general about it. The engine's rate
 * is reported as a ratio of this one, measured in the same run on the same machine.
 * Usage: node dist/bench/baseline.js OUT USERS; prints one JSON line.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { parse } from 'yaml';
import { buildAlias, drawAlias } from '../rng/alias.js';
import { rngFor } from '../rng/index.js';

const [out, usersText] = process.argv.slice(2);
const users = Number(usersText);
const spec = parse(readFileSync(new URL('../../scenarios/crm-theft.yaml', import.meta.url), 'utf8'));
const states: string[] = spec.states.actions;
const names = states.map((s) => Buffer.from(s));
const tables = ['role_0', 'role_1', 'fraud'].map((m) => states.map((s) => buildAlias(spec.matrices[m].rows[s])));
const roleTable = buildAlias([0.8, 0.2]);
const started = performance.now();
const fd = openSync(out, 'w');
const buf = Buffer.allocUnsafe(1 << 20);
let pos = buf.write('UserID,Day,UserSessionId,SessionActivity,UserRole,PotentialFraudster,FraudulentActivity\n');
let rows = 0;
let bytes = 0;
const flush = () => {
  writeSync(fd, buf, 0, pos);
  bytes += pos;
  pos = 0;
};
for (let u = 0; u < users; u++) {
  const ra = rngFor(42, 'actor/users', u);
  const role = drawAlias(roleTable, ra);
  const pf = ra() < 0.02;
  const r = rngFor(42, 'process/sessions', u, 0);
  for (let s = 0; s < 200; s++) {
    const fraud = pf && r() < 0.2;
    const t = tables[fraud ? 2 : role];
    if (pos > buf.length - 4096) flush();
    pos += buf.write(`${u},0,${s},`, pos, 'latin1');
    let st = 0;
    names[0].copy(buf, pos);
    pos += names[0].length;
    while (st !== 1) {
      st = drawAlias(t[st], r);
      buf[pos++] = 124;
      pos += names[st].copy(buf, pos);
    }
    pos += buf.write(`,${role},${pf ? 1 : 0},${fraud ? 1 : 0}\n`, pos, 'latin1');
    rows++;
  }
}
flush();
closeSync(fd);
const seconds = (performance.now() - started) / 1000;
if (!process.env.BENCH_KEEP) rmSync(out, { force: true });
console.log(JSON.stringify({ rows, bytes, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
