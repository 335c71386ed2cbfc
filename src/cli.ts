#!/usr/bin/env node
/**
 * The `scenario` command: maps a command name to its module in commands/ and turns usage
 * errors into a message and exit code 2. No command prints a stack trace for bad input.
 */
import { EXIT, UsageError } from './commands/args.js';
import { ENGINE_VERSION } from './sinks/manifest.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ main(argv: string[]): Promise<number> }> }> = {
  validate: { summary: 'check scenarios; report every problem with file:line:col', load: () => import('./commands/validate.js') },
  plan: { summary: 'show the compiled plan with expected rows and bytes', load: () => import('./commands/plan.js') },
  run: { summary: 'generate the dataset with live progress', load: () => import('./commands/run.js') },
  schema: { summary: 'print the JSON Schema of the scenario language', load: () => import('./commands/schema.js') },
  fmt: { summary: 'rewrite scenarios in the canonical layout (--check for CI)', load: () => import('./commands/fmt.js') },
  diff: { summary: 'compare two scenarios plan by plan (rows, bytes, prevalence)', load: () => import('./commands/diff.js') },
  detect: { summary: 'run the streaming anomaly detector on batch/stream logs', load: () => import('./commands/detect.js') },
  report: { summary: 'write report.html, a dataset card with plots, for a finished run', load: () => import('./commands/report.js') },
  verify: { summary: 'check a dataset against its manifest; --regenerate re-runs it', load: () => import('./commands/verify.js') },
  init: { summary: 'start a scenario from a bundled one (--template)', load: () => import('./commands/init.js') },
  list: { summary: 'list the bundled scenarios (the templates of init)', load: () => import('./commands/list.js') },
};

const HELP = `scenario ${ENGINE_VERSION}: declarative YAML scenarios -> labelled, reproducible synthetic datasets

Usage: scenario <command> [options]   (scenario <command> --help for details)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)}${c.summary}`)
  .join('\n')}

Examples:
  scenario validate scenarios/crm-theft.yaml
  scenario plan scenarios/crm-theft.yaml
  scenario run scenarios/crm-theft.yaml --seed 7 --out data/crm

Exit codes: 0 ok, 1 invalid input or failed run, 2 usage error, 130 interrupted.`;

export async function cli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    console.log(ENGINE_VERSION);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`scenario: unknown command "${name}"\n  hint: one of ${Object.keys(COMMANDS).join(', ')}; see scenario --help`);
    return EXIT.usage;
  }
  try {
    return await (await command.load()).main(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`scenario ${name}: ${e.message}\n  hint: scenario ${name} --help`);
      return EXIT.usage;
    }
    console.error(`scenario ${name}: internal error: ${(e as Error).message}\n  hint: please report it with the scenario that caused it.`);
    return EXIT.invalid;
  }
}

cli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
