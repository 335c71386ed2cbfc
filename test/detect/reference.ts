/**
 * A deliberately naive implementation of the detection rule, for randomized comparison: it keeps
 * every purchase ever made, recomputes the network by BFS for every purchase, sorts the members'
 * whole history, and decides with a different exact formula (sum of squared deviations) than the
 * detector's.
 */

const SCALE = 6; // decimals every amount is brought to; the generators never use more

interface RefPurchase {
  user: string;
  timestamp: string;
  seq: number;
  units: bigint; // amount * 10^SCALE
}

function units(amount: string): bigint {
  const [whole, frac = ''] = amount.split('.');
  if (frac.length > SCALE) throw new Error(`reference handles at most ${SCALE} decimals`);
  return BigInt(whole + frac.padEnd(SCALE, '0'));
}

/** Largest k with k^2 * b <= a (a, b > 0). */
function floorSqrtRatio(a: bigint, b: bigint): bigint {
  let k = BigInt(Math.floor(Math.sqrt(Number(a) / Number(b))));
  while (k > 0n && k * k * b > a) k--;
  while ((k + 1n) * (k + 1n) * b <= a) k++;
  return k;
}

function cents(value: bigint): string {
  return `${value / 100n}.${(value % 100n).toString().padStart(2, '0')}`;
}

/** The flagged lines for a batch log and a stream log given as arrays of lines (all valid). */
export function referenceDetect(batch: string[], stream: string[]): string[] {
  return referenceRun(batch[0], [...batch.slice(1).map((line) => [line, false] as const), ...stream.map((line) => [line, true] as const)]);
}

/** The flagged lines for events given with whether each is checked (stream) or only applied (batch). */
export function referenceRun(headerLine: string, events: readonly (readonly [line: string, check: boolean])[]): string[] {
  const header = JSON.parse(headerLine) as { D: string; T: string };
  const D = Number(header.D);
  const T = Number(header.T);
  const friends = new Map<string, Set<string>>();
  const purchases: RefPurchase[] = [];
  const out: string[] = [];
  let seq = 0;
  const friendsOf = (u: string): Set<string> => {
    if (!friends.has(u)) friends.set(u, new Set());
    return friends.get(u)!;
  };

  const handle = (line: string, check: boolean): void => {
    const e = JSON.parse(line) as Record<string, string>;
    seq++;
    if (e.event_type === 'befriend' && e.id1 !== e.id2) {
      friendsOf(e.id1).add(e.id2);
      friendsOf(e.id2).add(e.id1);
    } else if (e.event_type === 'unfriend') {
      friendsOf(e.id1).delete(e.id2);
      friendsOf(e.id2).delete(e.id1);
    } else if (e.event_type === 'purchase') {
      if (check) {
        const network = new Set<string>([e.id]);
        let frontier = [e.id];
        for (let depth = 0; depth < D; depth++) {
          const next: string[] = [];
          for (const u of frontier) for (const f of friendsOf(u)) if (!network.has(f)) (network.add(f), next.push(f));
          frontier = next;
        }
        network.delete(e.id);
        const history = purchases
          .filter((p) => network.has(p.user))
          .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.seq - b.seq))
          .slice(-T);
        const n = BigInt(history.length);
        if (history.length >= 2) {
          const sum = history.reduce((s, p) => s + p.units, 0n);
          const a = units(e.amount);
          // amount > mean + 3 sd  <=>  n*a - S > 3 * sqrt(sum (n*x - S)^2 / n)
          const deviations = history.reduce((s, p) => s + (n * p.units - sum) ** 2n, 0n);
          const excess = n * a - sum;
          if (excess > 0n && n * excess * excess > 9n * deviations) {
            const unit = 10n ** BigInt(SCALE - 2); // units per cent
            const mean = sum / (n * unit);
            // sd in cents = sqrt(deviations / n^3) / unit
            const sd = floorSqrtRatio(deviations, n * n * n * unit * unit);
            out.push(`${line.slice(0, line.lastIndexOf('}'))}, "mean": "${cents(mean)}", "sd": "${cents(sd)}"}`);
          }
        }
      }
      purchases.push({ user: e.id, timestamp: e.timestamp, seq, units: units(e.amount) });
    }
  };
  for (const [line, check] of events) handle(line, check);
  return out;
}
