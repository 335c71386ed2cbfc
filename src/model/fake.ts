/**
 * `fake:` attributes: names, emails, addresses, companies, ... from faker, deterministic for
 * a seed and independent of how members are split over workers.
 *
 * faker draws through a randomizer we supply, and that randomizer reads the stream of the
 * member being drawn (`c.r`, keyed by seed, actor and member index). So every value comes
 * from the project's RNG, one Faker instance per locale is reused for every member, and
 * nothing needs reseeding: `faker.seed()` re-initialises a Mersenne Twister at about 36 us a
 * call, which alone would cost 36 s per million members.
 *
 * Locales are loaded on first use, one at a time (loading all of faker costs ~200 ms).
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Faker } from '@faker-js/faker';
import type { Path } from '../phases/1-parse/index.js';
import type { Rng } from '../rng/index.js';
import type { AnalysisContext } from './context.js';
import type { CompiledDistribution } from './distribution.js';
import { FAKE_METHODS } from './fake-methods.js';

const require = createRequire(import.meta.url);

/** Fixed "now" for any faker method that reads the clock, so nothing depends on the run date. */
const REFERENCE_DATE = new Date('2020-01-01T00:00:00Z');

interface LocaleFaker {
  faker: Faker;
  /** The stream faker draws from; set before each call. */
  stream: { r: Rng };
}

const locales = new Map<string, LocaleFaker>();

function loadLocale(locale: string): LocaleFaker | undefined {
  const known = locales.get(locale);
  if (known) return known;
  if (!/^[a-z]{2,3}(_[A-Za-z]+)*$/.test(locale)) return undefined;
  let template: Faker;
  try {
    template = (require(`@faker-js/faker/locale/${locale}`) as { faker: Faker }).faker;
  } catch {
    return undefined;
  }
  const stream = { r: (() => 0) as Rng };
  const FakerClass = template.constructor as new (o: object) => Faker;
  const faker = new FakerClass({ locale: template.rawDefinitions, randomizer: { next: () => stream.r(), seed: () => {} } });
  faker.setDefaultRefDate(REFERENCE_DATE);
  const loaded = { faker, stream };
  locales.set(locale, loaded);
  return loaded;
}

/** Locale names faker ships, for the hint of an unknown locale. */
function knownLocales(): string {
  try {
    const dir = dirname(require.resolve('@faker-js/faker/locale/en'));
    return [...new Set(readdirSync(dir).filter((f) => f.endsWith('.cjs')).map((f) => f.slice(0, -4)))].join(', ');
  } catch {
    return 'en, de, fr, ...';
  }
}

interface FakeSpec {
  kind: string;
  locale?: string;
  fill?: number;
}

/** Compiles `fake: "person.firstName"` or `fake: { kind, locale, fill }` into a sampler. */
export function compileFake(body: unknown, path: Path, ctx: AnalysisContext): CompiledDistribution {
  const spec: FakeSpec = typeof body === 'string' ? { kind: body } : (body as FakeSpec);
  const at = typeof body === 'string' ? path : [...path, 'kind'];
  const none: CompiledDistribution = { sample: () => undefined, kind: 'any', names: [], random: true };
  if (!FAKE_METHODS.includes(spec.kind)) {
    ctx.report('ref-unknown', at, { what: 'fake kind', name: spec.kind, known: FAKE_METHODS.join(', ') });
    return none;
  }
  const locale = spec.locale ?? 'en';
  const loaded = loadLocale(locale);
  if (!loaded) {
    ctx.report('ref-unknown', [...path, 'locale'], { what: 'faker locale', name: locale, known: knownLocales() });
    return none;
  }
  const fill = spec.fill ?? 1;
  if (!(fill >= 0 && fill <= 1)) {
    ctx.report('probability-range', [...path, 'fill'], { where: [...path, 'fill'].join('.'), value: fill });
    return none;
  }
  const [module, method] = spec.kind.split('.');
  const target = (loaded.faker as unknown as Record<string, Record<string, () => unknown>>)[module];
  const call = target[method].bind(target);
  const stream = loaded.stream;
  const sample =
    fill >= 1
      ? (c: { r: Rng }) => {
          stream.r = c.r;
          return call();
        }
      : (c: { r: Rng }) => {
          if (c.r() >= fill) return '';
          stream.r = c.r;
          return call();
        };
  return { sample, kind: 'any', names: [], random: true };
}
