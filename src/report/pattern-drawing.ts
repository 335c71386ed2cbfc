/**
 * A pattern instance as a small node-link diagram: members as labelled nodes, transactions
 * as arrows with their amounts, laid out by kind so the structure shows (layers left to
 * right, a circle, a star, two columns, a timeline).
 *
 * Written as SVG here rather than as a Vega-Lite spec: Vega has no arrowheads, no curved
 * edges (a circular instance of one hop has two opposite edges between the same nodes) and
 * no per-edge label placement along a line, and a fixed layout needs no scales or axes. The
 * marks sit in `g.role-mark` groups like Vega's, so the page checks count them the same way.
 */
import type { InstanceData } from './pattern-instances.js';

export interface Point {
  x: number;
  y: number;
}

export interface Layout {
  shape: 'layers' | 'columns' | 'circle' | 'star' | 'timeline';
  width: number;
  height: number;
  /** Node position by member node id. */
  at: Map<string, Point>;
  /** Circle and star: the centre, so labels go outward from it. */
  center?: Point;
  /** Timeline only: the x of each transfer, in transfer order. */
  times?: number[];
}

const R = 11;
const MARGIN = 46;
const TOP = 34;
const COL_GAP = 150;
const ROW_GAP = 62;
const ROLE_COLOR: Record<string, string> = { source: '#4c78a8', sink: '#e45756', hub: '#f58518', target: '#54a24b', layer: '#72b7b2', hop: '#72b7b2', intermediary: '#72b7b2' };

/** Which layout a kind gets; kinds not listed are drawn in layers by member position. */
export function shapeOf(kind: string): Layout['shape'] {
  if (kind === 'circular') return 'circle';
  if (kind === 'fan-in' || kind === 'fan-out') return 'star';
  if (kind === 'bipartite') return 'columns';
  if (kind === 'time') return 'timeline';
  return 'layers';
}

export function layoutInstance(inst: InstanceData): Layout {
  const shape = shapeOf(inst.kind);
  const members = [...inst.members].sort((a, b) => a.position - b.position || Number(a.node) - Number(b.node) || a.node.localeCompare(b.node));
  const at = new Map<string, Point>();
  if (shape === 'circle' || shape === 'star') {
    const hub = shape === 'star' ? members.find((m) => m.role === 'hub') : undefined;
    const ring = members.filter((m) => m !== hub);
    const radius = Math.max(80, (ring.length * 2 * (R + 34)) / (2 * Math.PI));
    const c = { x: MARGIN + radius + 40, y: TOP + radius + 34 };
    if (hub) at.set(hub.node, c);
    // Clockwise from the top: for a circle, the money's path in member order.
    ring.forEach((m, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / ring.length;
      at.set(m.node, { x: c.x + radius * Math.cos(a), y: c.y + radius * Math.sin(a) });
    });
    return { shape, width: 2 * (MARGIN + radius + 40), height: 2 * radius + TOP + 80, at, center: c };
  }
  if (shape === 'timeline') {
    // Two rows (senders above, receivers below); each transfer an arrow at its time.
    const senders = [...new Set(inst.transfers.map((t) => t.source))];
    const receivers = [...new Set(inst.transfers.map((t) => t.target))].filter((n) => !senders.includes(n));
    const rows = [...senders, ...receivers, ...members.map((m) => m.node).filter((n) => !senders.includes(n) && !receivers.includes(n))];
    rows.forEach((n, i) => at.set(n, { x: MARGIN + 40, y: TOP + 20 + i * 90 }));
    const width = Math.max(520, 90 + inst.transfers.length * 14);
    const known = inst.transfers.map((t) => t.time).filter((x): x is number => x !== undefined);
    const lo = Math.min(...known);
    const hi = Math.max(...known);
    const x0 = MARGIN + 110;
    const x1 = width - MARGIN;
    const times = inst.transfers.map((t, i) =>
      t.time !== undefined && hi > lo ? x0 + ((t.time - lo) / (hi - lo)) * (x1 - x0) : x0 + (inst.transfers.length > 1 ? (i / (inst.transfers.length - 1)) * (x1 - x0) : 0),
    );
    return { shape, width, height: TOP + 20 + (rows.length - 1) * 90 + 60, at, times };
  }
  const positions = [...new Set(members.map((m) => m.position))];
  const columns = positions.map((p) => members.filter((m) => m.position === p));
  const tallest = Math.max(...columns.map((c) => c.length));
  const gap = shape === 'columns' ? COL_GAP * 1.6 : COL_GAP;
  const height = TOP + tallest * ROW_GAP + 20;
  columns.forEach((col, i) => col.forEach((m, j) => at.set(m.node, { x: MARGIN + 20 + i * gap, y: TOP + 20 + (height - TOP - 20 - col.length * ROW_GAP) / 2 + j * ROW_GAP })));
  return { shape, width: 2 * (MARGIN + 20) + (columns.length - 1) * gap, height: height + 10, at };
}

/** The SVG of one instance: one node group per member, one arrow per transaction. */
export function instanceSvg(inst: InstanceData, title: string): string {
  const l = layoutInstance(inst);
  const roleOf = new Map(inst.members.map((m) => [m.node, m]));
  const pairs = new Set(inst.transfers.map((t) => `${t.source}>${t.target}`));
  const edges: string[] = [];
  const labels: string[] = [];
  const label = inst.transfers.length <= 40;
  inst.transfers.forEach((t, i) => {
    const a = l.at.get(t.source);
    const b = l.at.get(t.target);
    if (!a || !b) return;
    let path: string;
    let mid: Point;
    if (l.shape === 'timeline') {
      const x = l.times![i];
      const down = b.y > a.y ? 1 : -1;
      path = `M${f(x)},${f(a.y + down * 4)}L${f(x)},${f(b.y - down * 6)}`;
      mid = { x, y: (a.y + b.y) / 2 + ((i % 2) * 2 - 1) * 12 };
    } else {
      // Opposite edges between the same two nodes bend apart; the others are straight.
      const bend = pairs.has(`${t.target}>${t.source}`) ? 0.22 : 0;
      ({ path, mid } = arrow(a, b, bend));
      if (l.shape === 'circle' && l.center && bend === 0) {
        // Inside the ring, clear of the node labels outside it.
        const d = Math.hypot(mid.x - l.center.x, mid.y - l.center.y) || 1;
        mid = { x: mid.x - ((mid.x - l.center.x) / d) * 12, y: mid.y - ((mid.y - l.center.y) / d) * 12 };
      }
    }
    edges.push(`<path class="pattern-edge" data-from="${esc(t.source)}" data-to="${esc(t.target)}" d="${path}" fill="none" stroke="#666" stroke-width="1.2" marker-end="url(#arrow-${inst.id})"><title>${esc(`#${t.source} -> #${t.target}: ${money(t.amount)}`)}</title></path>`);
    if (label) labels.push(text(mid.x, mid.y + 3, money(t.amount), 9, '#333', 'middle', true));
  });
  const nodes = [...l.at].map(([node, p]) => {
    const m = roleOf.get(node);
    const role = m ? `${m.role}${showsPosition(m.role) ? ` ${m.position}` : ''}` : 'member';
    const under = l.shape === 'timeline' ? [text(p.x - R - 6, p.y - 2, role, 10, '#222', 'end'), text(p.x - R - 6, p.y + 10, `#${node}`, 9, '#666', 'end')] : nodeLabel(p, role, node, l.center);
    return `<g class="pattern-node" data-node="${esc(node)}"><circle cx="${f(p.x)}" cy="${f(p.y)}" r="${R}" fill="${ROLE_COLOR[m?.role ?? ''] ?? '#bab0ac'}" stroke="#fff" stroke-width="1.5"/>${under.join('')}</g>`;
  });
  const axis = l.shape === 'timeline' ? timelineAxis(inst, l) + [...l.at.values()].map((p) => `<line x1="${f(p.x + R + 4)}" y1="${f(p.y)}" x2="${f(l.width - MARGIN + 6)}" y2="${f(p.y)}" stroke="#ddd"/>`).join('') : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="pattern-instance" data-kind="${esc(inst.kind)}" data-instance="${inst.id}" width="${f(l.width)}" height="${f(l.height)}" viewBox="0 0 ${f(l.width)} ${f(l.height)}" font-family="Helvetica, Arial, sans-serif">`,
    `<defs><marker id="arrow-${inst.id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#666"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    text(l.width / 2, 16, title, 13, '#000', 'middle'),
    axis,
    `<g class="mark-edge role-mark">${edges.join('')}</g>`,
    `<g class="mark-node role-mark">${nodes.join('')}</g>`,
    `<g class="mark-text role-mark">${labels.join('')}</g>`,
    '</svg>',
  ].join('');
}

/** Role and node id under the node, or outward from the centre on a circle (clear of the edges). */
function nodeLabel(p: Point, role: string, node: string, center: Point | undefined): string[] {
  let x = p.x;
  let y = p.y + R + 11;
  if (center && (p.x !== center.x || p.y !== center.y)) {
    const d = Math.hypot(p.x - center.x, p.y - center.y);
    x = p.x + ((p.x - center.x) / d) * (R + 22);
    y = p.y + ((p.y - center.y) / d) * (R + 16) - 2;
  }
  return [text(x, y, role, 10, '#222', 'middle', true), text(x, y + 11, `#${node}`, 9, '#666', 'middle', true)];
}

/** Layers and hops are numbered; a source, sink or hub is one of a kind. */
function showsPosition(role: string): boolean {
  return role === 'layer' || role === 'hop';
}

/** An arrow from a to b, stopping at the node rims, optionally bent to one side. */
function arrow(a: Point, b: Point, bend: number): { path: string; mid: Point } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const s = { x: a.x + ux * (R + 2), y: a.y + uy * (R + 2) };
  const e = { x: b.x - ux * (R + 3), y: b.y - uy * (R + 3) };
  if (bend === 0) return { path: `M${f(s.x)},${f(s.y)}L${f(e.x)},${f(e.y)}`, mid: { x: (s.x + e.x) / 2, y: (s.y + e.y) / 2 - 4 } };
  // Control point to the left of the direction of travel: opposite edges fall on opposite sides.
  const c = { x: (a.x + b.x) / 2 + uy * len * bend, y: (a.y + b.y) / 2 - ux * len * bend };
  return { path: `M${f(s.x)},${f(s.y)}Q${f(c.x)},${f(c.y)} ${f(e.x)},${f(e.y)}`, mid: { x: (s.x + 2 * c.x + e.x) / 4, y: (s.y + 2 * c.y + e.y) / 4 } };
}

/** Days from the first transfer, under a timeline. */
function timelineAxis(inst: InstanceData, l: Layout): string {
  const known = inst.transfers.map((t) => t.time).filter((x): x is number => x !== undefined);
  if (known.length < 2) return '';
  const lo = Math.min(...known);
  const days = (Math.max(...known) - lo) / 86400;
  const y = l.height - 22;
  const x0 = Math.min(...l.times!);
  const x1 = Math.max(...l.times!);
  return `<g class="timeline-axis"><line x1="${f(x0)}" y1="${f(y)}" x2="${f(x1)}" y2="${f(y)}" stroke="#999"/>${text(x0, y + 13, 'day 0', 9, '#555', 'start')}${text(x1, y + 13, `day ${days.toFixed(1)}`, 9, '#555', 'end')}</g>`;
}

function text(x: number, y: number, s: string, size: number, fill: string, anchor: 'start' | 'middle' | 'end', halo = false): string {
  const h = halo ? ' paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"' : '';
  return `<text x="${f(x)}" y="${f(y)}" font-size="${size}" fill="${fill}" text-anchor="${anchor}"${h}>${esc(s)}</text>`;
}

/** 12,856.12 -> 12.9k: short enough to sit on an arrow. */
export function money(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(a >= 1e4 ? 1 : 2)}k`;
  return x.toFixed(2);
}

function f(x: number): string {
  return String(Math.round(x * 10) / 10);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
