// `eds run <task>`: one experiment without the TUI; prints metrics and figures, or the metrics as JSON. Every task's
// flags, their help and their checking come from its declaration (src/tasks/declarations.ts).
import type { CommandModule, Options } from 'yargs';
import { UsageError, UserError } from '../../errors.js';
import { expected, kebabCase, optionInfo, type TaskDeclaration } from '../../tasks/declare.js';
import { TASKS } from '../../tasks/declarations.js';
import { figureCaps, printResult } from '../print-result.js';

/** The general tasks, shown first; every lesson task runs too. */
const GENERAL = ['regression', 'classify', 'cluster', 'train', 'pick'] as const;

interface RunArgs {
  task?: string;
  seed: number;
  json?: boolean;
  slurm?: boolean;
  partition?: string;
  gres?: string;
  time?: string;
  account?: string;
  [key: string]: unknown;
}

/** Flags every task has. */
const COMMON: Record<string, Options> = {
  seed: { type: 'number', group: 'Evaluation:', default: 0, describe: 'seed of the data, the split and the models: same seed, same numbers' },
  json: { type: 'boolean', group: 'Evaluation:', describe: 'print the metrics as JSON (snake_case keys) instead of tables and plots' },
};

/** Where the experiment runs: flags of the runner, the same for every task (src/runner/). */
export const RUNNER_FLAGS: Record<string, Options> = {
  slurm: {
    type: 'boolean',
    group: 'Where it runs:',
    describe: "run it as a Slurm job on the cluster's compute nodes (settings from the course, your config, and these flags)",
  },
  partition: { type: 'string', group: 'Where it runs:', describe: 'with --slurm: the partition (sbatch --partition)' },
  gres: { type: 'string', group: 'Where it runs:', describe: 'with --slurm: generic resources, e.g. gpu:1 (sbatch --gres)' },
  time: { type: 'string', group: 'Where it runs:', describe: 'with --slurm: time limit, e.g. 00:10:00; Slurm counts whole minutes (sbatch --time)' },
  account: { type: 'string', group: 'Where it runs:', describe: 'with --slurm: the account to charge (sbatch --account)' },
};

/** Flags yargs reads as a list when repeated (`--points a.xyz:a --points b.xyz:b`). */
const REPEATED = new Set(['points']);

/** The pick task's own spelling of --data and --dataset. */
const PICK_DATA_NOTE =
  'pick reads --dataset phases (synthetic windows seeded by --seed, the default) or --data DIR: a .npz file or a folder of .npz windows (keys data [n, 3] at 100 Hz, itp, its), as in the PhaseNet repository';

/** The arguments `eds` was started with, so `eds run <task> --help` can show that task's flags (set by main). */
let startArgs: readonly string[] = [];
export function noteRunArguments(argv: readonly string[]): void {
  startArgs = argv;
}

/** A task's flags as yargs options: type, description with its range, choices and default. */
export function taskFlags(task: TaskDeclaration, group: string): Record<string, Options> {
  const out: Record<string, Options> = {};
  for (const [key, schema] of Object.entries(task.options.shape)) {
    const info = optionInfo(schema as never);
    let describe = info.description ?? '';
    if (info.kind === 'choice' && info.choices!.length > 1 && !info.choices!.every((c) => describe.includes(c))) describe += ` (${info.choices!.join(' | ')})`;
    if ((info.kind === 'number' || info.kind === 'integer') && (info.min !== undefined || info.max !== undefined)) describe += ` [${expected(info)}]`;
    const spec: Options = {
      group,
      describe: describe.trim(),
      type: info.kind === 'boolean' ? 'boolean' : info.kind === 'number' || info.kind === 'integer' ? 'number' : 'string',
    };
    if (REPEATED.has(key)) spec.array = true;
    // Shown, not set: a default yargs filled in would look like an option the user gave.
    if (info.default !== undefined) spec.defaultDescription = Array.isArray(info.default) ? info.default.join(',') : String(info.default);
    out[kebabCase(key)] = spec;
  }
  return out;
}

/** Flags of several tasks merged by name; a flag several tasks describe differently says which task means what. */
function mergedFlags(names: readonly string[]): Record<string, Options> {
  const seen = new Map<string, { spec: Options; by: Map<string, string[]> }>();
  for (const name of names) {
    const task = TASKS[name]!;
    for (const [flag, spec] of Object.entries(taskFlags(task, ''))) {
      const entry = seen.get(flag) ?? { spec: { ...spec, group: groupFor(flag, name) }, by: new Map() };
      const d = String(spec.describe ?? '');
      entry.by.set(d, [...(entry.by.get(d) ?? []), name]);
      seen.set(flag, entry);
    }
  }
  const out: Record<string, Options> = {};
  for (const [flag, { spec, by }] of seen) {
    const describe = by.size === 1 ? [...by.keys()][0]! : [...by].map(([d, tasks]) => `${tasks.join(', ')}: ${d}`).join('; ');
    const shared = [...by.values()].flat();
    out[flag] = {
      ...spec,
      describe: shared.length < names.length && by.size === 1 ? `${describe} (${shared.join(', ')})` : describe,
      defaultDescription: by.size === 1 ? spec.defaultDescription : undefined,
    };
  }
  return out;
}

/** The help group of a general flag: data, model, lidar, picking or training. */
function groupFor(flag: string, task: string): string {
  if (task === 'pick') return 'Picking (eds run pick):';
  if (task === 'train') return 'Training (eds run train):';
  if (['points', 'scales', 'core-points', 'tolerance'].includes(flag)) return 'Lidar:';
  if (['cv', 'importance'].includes(flag)) return 'Evaluation:';
  if (['dataset', 'data', 'target', 'train', 'test', 'features', 'test-size', 'split', 'time-column', 'delimiter', 'missing'].includes(flag)) return 'Data:';
  return 'Model:';
}

/** The task named on the command line (`eds run <task> …`), if any. */
function requestedTask(): string | undefined {
  const at = startArgs.indexOf('run');
  const name = at >= 0 ? startArgs[at + 1] : undefined;
  return name !== undefined && Object.hasOwn(TASKS, name) ? name : undefined;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <task>',
  describe: 'run one experiment (regression, classify, cluster, train, pick, or a lesson task) and print its metrics',
  builder: (y) => {
    const task = requestedTask();
    let b = y
      .positional('task', { type: 'string', describe: `what to run: ${Object.keys(TASKS).join(', ')}` })
      // Each task's declaration checks its own options in the handler (did-you-mean included).
      .strict(false);
    if (task === undefined || (GENERAL as readonly string[]).includes(task)) {
      b = b
        .example('$0 run classify --dataset iris --model knn --neighbors 7', 'k-NN on the iris flowers')
        .example(
          '$0 run regression --data river.csv --target "SSC (mg/L)" --features "Turbidity (NTU)" --model loglog --split time --time-column Date,Hour',
          'a power law, tested on the latest samples',
        )
        .example('$0 run cluster --dataset wine --k 3 --json', 'k-means, metrics as JSON')
        .example(
          '$0 run classify --points floor.xyz:floor --points vegetation.xyz:vegetation --scales 0.05,0.1,0.5 --tolerance 0',
          'your own lidar clouds, one class per file, exact neighbourhoods',
        )
        .example('$0 run train --model cnn --filters 4,8 --pool 2 --epochs 3', 'a small CNN on the digits')
        .example('$0 run pick --data my-windows/ --threshold 0.5', 'PhaseNet picks on your own .npz windows, stricter threshold')
        .epilog(PICK_DATA_NOTE);
    }
    const flags =
      task === undefined ? mergedFlags(GENERAL) : taskFlags(TASKS[task]!, task === 'train' || task === 'pick' ? groupFor('', task) : `Options of ${task}:`);
    if (task !== undefined && (GENERAL as readonly string[]).includes(task) && task !== 'train' && task !== 'pick') {
      for (const [flag, spec] of Object.entries(flags)) spec.group = groupFor(flag, task);
    }
    for (const [name, spec] of Object.entries({ ...flags, ...COMMON, ...RUNNER_FLAGS })) b = b.option(name, spec);
    if (task !== undefined) b = b.usage(`$0 run ${task} [options]\n\n${TASKS[task]!.summary}`);
    return b as never;
  },
  handler: async (args) => {
    const name = String(args.task);
    if (!Object.hasOwn(TASKS, name)) {
      const all = [...new Set([...GENERAL, ...Object.keys(TASKS)])].join(', ');
      throw new UsageError(`unknown task "${name}"; choose one of ${all}`, 'eds run --help');
    }
    const seed = args.seed;
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seed}`);
    const options = givenOptions(args);
    const json = Boolean(args.json);
    const runner = await runnerFor(args);
    const { cliCallbacks } = await import('../progress.js');
    // `eds run train` is runTrain itself, with its live curve (the lesson's step adds the leaderboard check).
    const callbacks =
      name === 'pick'
        ? { onStatus: json ? undefined : (m: string) => void process.stderr.write(`${m}\n`), done: () => undefined }
        : await cliCallbacks({ json, liveCurve: name === 'train' });
    // Ctrl-C while a job runs cancels it (scancel) before eds exits; a local run just stops with the process.
    const abort = new AbortController();
    const onInterrupt = () => abort.abort();
    if (runner.kind !== 'local') process.once('SIGINT', onInterrupt);
    try {
      const result = await runner.run({ task: name, options, seed, surface: 'cli', ...(json ? {} : { caps: await figureCaps() }) }, callbacks, {
        signal: abort.signal,
      });
      callbacks.done();
      await printResult(result, json);
    } finally {
      // A failed run leaves the terminal tidy too (the progress bar's line cleared).
      callbacks.done();
      process.removeListener('SIGINT', onInterrupt);
    }
  },
};

/** The runner the flags ask for: here, or Slurm with the course's and config's settings under the flags given. */
async function runnerFor(args: RunArgs) {
  const given = { partition: args.partition, gres: args.gres, time: args.time, account: args.account };
  const { localRunner, makeSlurmRunner, slurmSetup } = await import('../../runner/index.js');
  if (!args.slurm) {
    const stray = Object.entries(given).find(([, v]) => v !== undefined);
    if (stray) throw new UsageError(`--${stray[0]} is a Slurm setting: add --slurm to run the experiment as a job`);
    return localRunner;
  }
  const { slurmSettingProblem } = await import('../../course/slurm-defaults.js');
  const flags: Record<string, string> = {};
  for (const [field, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const problem = slurmSettingProblem(field as 'partition', String(value));
    if (problem) throw new UsageError(`--${problem}`);
    flags[field] = String(value);
  }
  const setup = slurmSetup();
  // A broken course or config file must not send the job somewhere unintended: said, and fixed first.
  if (setup.problems.length > 0) throw new UserError(setup.problems[0]!, { hint: 'eds doctor shows the Slurm settings in force' });
  return makeSlurmRunner({ ...setup.settings, ...flags });
}

/**
 * The options the user gave, under the spelling they typed: yargs adds a camelCase twin of each kebab flag, and
 * its own keys (`_`, `$0`, help) are not options.
 */
function givenOptions(args: RunArgs): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (['_', '$0', 'task', 'json', 'seed', 'help', 'version', 'h', 'v', ...Object.keys(RUNNER_FLAGS)].includes(key) || value === undefined) continue;
    const kebab = kebabCase(key);
    if (kebab !== key && kebab in args) continue;
    options[key] = value;
  }
  return options;
}
