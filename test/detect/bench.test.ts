/**
 * The detector benchmark at a small scale: it runs, reports sane figures and cleans up.
 */
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { benchDetect } from '../../src/bench/detect.js';

const ours = async (): Promise<string[]> => (await readdir(tmpdir())).filter((n) => n.startsWith('scenario-bench-detect-'));

describe('benchDetect', () => {
  it('times the detector on a generated log and removes it afterwards', async () => {
    const before = await ours();
    const result = await benchDetect({ events: 20_000, users: 2_000, D: 2, T: 10 });
    expect(result.name).toBe('detect');
    expect(result.rows).toBe(20_000);
    expect(result.scale).toContain('20,000 events, 2,000 users, D=2, T=10');
    expect(result.seconds).toBeGreaterThan(0);
    expect(result.rowsPerSecond).toBeCloseTo(result.rows / result.seconds, 6);
    expect(result.mbPerSecond).toBeGreaterThan(0);
    expect(result.peakRssMb).toBeGreaterThan(10);
    expect(result.cpuSeconds).toBeGreaterThan(0);
    expect(result.detector.users).toBeGreaterThan(0);
    expect(await ours()).toEqual(before);
  });
});
