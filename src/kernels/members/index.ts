/**
 * The `members` kernel: one record per member of a population, for node tables (clients,
 * companies, ATMs) written next to the records other processes make about them.
 * Docs: docs/kernels/members.md.
 */
import type { ExprContext } from '../../expr/compile.js';
import { memberNames, type Population } from '../../model/population.js';
import { name, type JsonSchema } from '../../schema/parts.js';
import { nodeOffsets } from '../links/nodes.js';
import type { Kernel, ProcessRuntime, RecordSink } from '../types.js';

const membersSchema: JsonSchema = {
  type: 'object',
  description: 'One record per member of a population, in index order: node tables with the drawn attributes.',
  additionalProperties: false,
  required: ['actor'],
  properties: {
    description: { type: 'string', description: 'What this table stands for.' },
    actor: name('The population to list.'),
  },
};

export const membersKernel: Kernel = {
  name: 'members',
  summary: 'one record per member of a population (node tables)',
  docs: 'kernels/members.md',
  schema: membersSchema,
  compile(spec, env) {
    const pop = env.populations.get(spec.actor);
    if (!pop) {
      env.ctx.report('ref-unknown', [...env.path, 'actor'], { what: 'actor', name: spec.actor, known: [...env.populations.keys()].join(', ') });
      return undefined;
    }
    return new MembersRuntime(env.name, pop, nodeOffsets(env.populations).get(pop.name)!);
  },
};

class MembersRuntime implements ProcessRuntime {
  readonly kind = 'members';
  readonly records = ['member'];
  readonly actor: string;
  readonly iterate: { unit: string; count: number };

  constructor(readonly name: string, private readonly pop: Population, private readonly offset: number) {
    this.actor = pop.name;
    this.iterate = { unit: pop.name, count: pop.count };
  }

  describe(): Record<string, unknown> {
    return { actor: this.pop.name, members: this.pop.count };
  }

  counters(): Record<string, number> {
    return {};
  }

  notes(): string[] {
    return [];
  }

  columnNames(_record: string, bindings: unknown[]) {
    const table = { ...memberNames(this.pop, 'actor.', 'c.a', bindings), 'actor.node': `(c.a + ${this.offset})` };
    return { table, specials: {} };
  }

  run(_seed: number, from: number, to: number, sinks: Record<string, RecordSink[]>): void {
    const out = sinks.member ?? [];
    const c: ExprContext & { a: number } = { r: () => 0, a: 0 };
    for (let a = from; a < to; a++) {
      c.a = a;
      for (let q = 0; q < out.length; q++) out[q](c);
    }
  }
}
