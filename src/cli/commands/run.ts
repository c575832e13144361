// `eds run <task>`: one experiment without the TUI; prints metrics and figures, or the metrics as JSON.
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { printResult } from '../print-result.js';

const TASKS = ['regression', 'classify', 'cluster', 'train', 'pick'] as const;
type Task = (typeof TASKS)[number];

interface RunArgs {
  task?: string;
  dataset?: string;
  data?: string;
  target?: string;
  train?: string;
  test?: string;
  features?: string;
  'test-size'?: number;
  split?: string;
  'time-column'?: string;
  delimiter?: string;
  missing?: string;
  model?: string;
  degree?: number;
  epsilon?: number;
  'residual-threshold'?: number;
  neighbors?: number;
  trees?: number;
  'max-depth'?: number;
  C?: number;
  k?: number;
  'n-init'?: number;
  eps?: number;
  'min-samples'?: number;
  standardize?: boolean;
  cv?: number;
  importance?: boolean;
  seed: number;
  json?: boolean;
  [key: string]: unknown;
}

const OPTIONS = {
  dataset: { type: 'string', group: 'Data:', describe: 'a built-in dataset (eds datasets list)' },
  data: { type: 'string', group: 'Data:', describe: 'your own CSV/TSV file, split inside (needs --target, except for cluster); for pick: DIR, a .npz file or a folder of .npz windows' },
  target: { type: 'string', group: 'Data:', describe: "column to predict (default: the dataset's own)" },
  train: { type: 'string', group: 'Data:', describe: 'training file, with --test: no split' },
  test: { type: 'string', group: 'Data:', describe: 'test file, with --train' },
  features: { type: 'string', group: 'Data:', describe: 'comma-separated feature columns, e.g. "Turbidity (NTU),Level" (default: every numeric column)' },
  'test-size': { type: 'number', group: 'Data:', describe: 'fraction of rows held out for testing (default 0.25; for train: a number of digits)' },
  split: { type: 'string', group: 'Data:', choices: ['random', 'stratified', 'time'], describe: 'how to split: random (regression default), stratified (classify default), time (the latest rows are the test set)' },
  'time-column': { type: 'string', group: 'Data:', describe: 'column(s) giving each row its time for --split time, e.g. "Date,Hour" (default: row order)' },
  delimiter: { type: 'string', group: 'Data:', describe: 'field delimiter of your files (default: sniffed among , ; tab |)' },
  missing: { type: 'string', group: 'Data:', describe: 'comma-separated missing-value codes (default: empty, NA, NAN, NaN, -30000, 1e+10, …)' },
  model: { type: 'string', group: 'Model:', describe: 'regression: linear (default) | poly | huber | ransac | loglog; classify: rf (default) | knn | logreg | svm | tree | nb; cluster: kmeans (default) | dbscan | agglomerative' },
  degree: { type: 'number', group: 'Model:', describe: 'polynomial degree for --model poly (default 2)' },
  epsilon: { type: 'number', group: 'Model:', describe: 'Huber epsilon (default 1.35)' },
  'residual-threshold': { type: 'number', group: 'Model:', describe: 'RANSAC inlier threshold, target units (default: MAD of the target)' },
  neighbors: { type: 'number', group: 'Model:', describe: 'k of k-NN (default 5)' },
  trees: { type: 'number', group: 'Model:', describe: 'random forest size (default 100)' },
  'max-depth': { type: 'number', group: 'Model:', describe: 'maximum tree depth (default unlimited)' },
  C: { type: 'number', group: 'Model:', describe: 'inverse regularisation of logreg and svm (default 1)' },
  k: { type: 'number', group: 'Model:', describe: 'number of clusters for kmeans and agglomerative (default 3)' },
  'n-init': { type: 'number', group: 'Model:', describe: 'k-means starts, best inertia kept (default 10)' },
  eps: { type: 'number', group: 'Model:', describe: 'DBSCAN radius in (standardised) feature units (default 0.5)' },
  'min-samples': { type: 'number', group: 'Model:', describe: 'DBSCAN core-point count (default 5)' },
  standardize: { type: 'boolean', group: 'Model:', describe: 'standardise features, fitted on the training rows (default: on for knn, logreg, svm and clustering; off otherwise)' },
  cv: { type: 'number', group: 'Evaluation:', describe: 'k-fold cross-validation on the training rows: mean ± std (stratified for classify)' },
  importance: { type: 'boolean', group: 'Evaluation:', describe: 'permutation importance of each feature on the test rows' },
  points: { type: 'string', array: true, group: 'Lidar:', describe: 'your own point cloud, FILE:LABEL, repeated (e.g. --points floor.xyz:floor --points vegetation.xyz:vegetation): features of its core points' },
  scales: { type: 'string', group: 'Lidar:', describe: 'neighbourhood radii in metres for lidar features, comma-separated (default 0.05,0.1,0.25,0.5)' },
  'core-points': { type: 'number', group: 'Lidar:', describe: 'how many core points get features (default 2000)' },
  seed: { type: 'number', group: 'Evaluation:', default: 0, describe: 'seed of the split and the models: same seed, same numbers' },
  json: { type: 'boolean', group: 'Evaluation:', describe: 'print the metrics as JSON (snake_case keys) instead of tables and plots' },
} as const;

/**
 * The options only `eds run pick` reads (src/experiments/pick.ts checks them; the other tasks refuse them). With
 * `--data DIR` of .npz windows, `--seed` picks nothing: it only seeds the synthetic windows.
 */
const PICK_OPTIONS = {
  threshold: { type: 'number', group: 'Picking (eds run pick):', describe: 'minimum peak probability for a P or S pick (default 0.3)' },
  tolerance: { type: 'number', group: 'Picking (eds run pick):', describe: "a pick this close to the analyst's, in seconds, is a true positive (default 0.5)" },
  windows: { type: 'number', group: 'Picking (eds run pick):', describe: 'synthetic held-out windows to pick, with --dataset phases (default 100)' },
  weights: { type: 'string', group: 'Picking (eds run pick):', describe: 'folder with model.json + weights.bin of the same PhaseNet (default: the shipped weights)' },
  backend: { type: 'string', group: 'Picking (eds run pick):', describe: 'tfjs backend for pick and train: auto (default: gpu, then native, wasm, js), or one of gpu, native, wasm, js' },
} as const;

/** The pick task's own spelling of --data and --dataset, shown in its group (the Data: group describes tables). */
const PICK_DATA_NOTE = 'pick reads --dataset phases (synthetic windows seeded by --seed, the default) or --data DIR: a .npz file or a folder of .npz windows (keys data [n, 3] at 100 Hz, itp, its), as in the PhaseNet repository';

const list = (text: string | undefined): string[] | undefined =>
  text === undefined ? undefined : text.split(',').map((s) => s.trim()).filter((s) => s !== '');

function positiveFraction(v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!(v > 0 && v < 1)) throw new UsageError(`--test-size must be a fraction between 0 and 1, got ${v}`);
  return v;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <task>',
  describe: 'run one experiment (regression, classify, cluster, train, pick) and print its metrics',
  builder: (y) => {
    let b = y
      .positional('task', { type: 'string', describe: `what to run: ${TASKS.join(', ')}, or a lesson's experiment task (river, volcano-classify, …)` })
      // `train` has options of its own (epochs, backend, …) that its module validates; ours are checked in the handler.
      .strict(false)
      .example('$0 run classify --dataset iris --model knn --neighbors 7', 'k-NN on the iris flowers')
      .example('$0 run regression --data river.csv --target "SSC (mg/L)" --features "Turbidity (NTU)" --model loglog --split time --time-column Date,Hour', 'a power law, tested on the latest samples')
      .example('$0 run cluster --dataset wine --k 3 --json', 'k-means, metrics as JSON')
      .example('$0 run classify --points floor.xyz:floor --points vegetation.xyz:vegetation --scales 0.05,0.1,0.5', 'your own lidar clouds, one class per file')
      .example('$0 run pick --data my-windows/ --threshold 0.5', 'PhaseNet picks on your own .npz windows, stricter threshold')
      .epilog(PICK_DATA_NOTE);
    for (const [name, spec] of Object.entries(OPTIONS)) b = b.option(name, spec as never);
    for (const [name, spec] of Object.entries(PICK_OPTIONS)) b = b.option(name, spec as never);
    return b as never;
  },
  handler: async (args) => {
    const task = args.task as Task;
    if (!(TASKS as readonly string[]).includes(task)) return runLessonTask(args);
    if (task === 'pick') {
      const { runPickCli } = await import('../../experiments/pick.js');
      await printResult(await runPickCli(args, args.json ? undefined : (m: string) => process.stderr.write(`${m}\n`)), Boolean(args.json));
      return;
    }
    if (task === 'train') {
      const { runTrain } = await import('../../experiments/train.js');
      const options = Object.fromEntries(Object.entries(args).filter(([key]) => key !== '_' && key !== '$0' && !key.includes('-')));
      // The lesson's short names (`--hidden`, `--lr`, `--batch`, as plain mode prints them) alias the long ones.
      for (const [short, long] of [['hidden', 'hiddenUnits'], ['lr', 'learningRate'], ['batch', 'batchSize']] as const) {
        if (options[short] !== undefined) options[long] = options[short];
        delete options[short];
      }
      // Anything else is a typo (`--epoch 3`): say so rather than train with the default.
      const { TRAIN_DEFAULTS } = await import('../../experiments/train.js');
      for (const key of Object.keys(options)) {
        if (key === 'task' || key === 'json') delete options[key];
        else if (!(key in TRAIN_DEFAULTS)) throw new UsageError(`unknown option --${key} for eds run train`, 'eds run --help');
      }
      const { cliCallbacks } = await import('../progress.js');
      const callbacks = await cliCallbacks({ json: Boolean(args.json), liveCurve: true });
      const result = await runTrain(options as Parameters<typeof runTrain>[0], callbacks);
      callbacks.done();
      await printResult(result, Boolean(args.json));
      return;
    }
    rejectUnknown(args);
    const common = {
      dataset: args.dataset,
      data: args.data,
      target: args.target,
      train: args.train,
      test: args.test,
      features: list(args.features),
      testSize: positiveFraction(args['test-size']),
      split: args.split as 'random' | 'stratified' | 'time' | undefined,
      timeColumns: list(args['time-column']),
      delimiter: args.delimiter === '\\t' || args.delimiter === 'tab' ? '\t' : args.delimiter,
      missingValues: list(args.missing),
      seed: checkInteger(args.seed, '--seed'),
    };
    const lidar = await lidarSpec(args);
    if (lidar && task === 'regression') throw new UsageError('--points, --scales and --core-points apply to classify and cluster');
    let result;
    if (task === 'regression') {
      const { runRegression, REGRESSION_MODELS } = await import('../../experiments/regression.js');
      const model = checkChoice(args.model, REGRESSION_MODELS, 'regression');
      result = await runRegression({ ...common, model, degree: args.degree, epsilon: args.epsilon, residualThreshold: args['residual-threshold'], cv: args.cv, importance: args.importance });
    } else if (task === 'classify') {
      const { runClassify, CLASSIFY_MODELS } = await import('../../experiments/classify.js');
      const model = checkChoice(args.model, CLASSIFY_MODELS, 'classify');
      result = await runClassify({ ...common, model, neighbors: args.neighbors, trees: args.trees, maxDepth: args['max-depth'], C: args.C, standardize: args.standardize, cv: args.cv, importance: args.importance, lidar });
    } else {
      const { runCluster, CLUSTER_MODELS } = await import('../../experiments/cluster.js');
      const model = checkChoice(args.model, CLUSTER_MODELS, 'cluster');
      if (args.cv !== undefined) throw new UsageError('--cv does not apply to clustering (there is no held-out score)');
      result = await runCluster({ ...common, model, k: args.k, nInit: args['n-init'], eps: args.eps, minSamples: args['min-samples'], standardize: args.standardize, lidar });
    }
    await printResult(result, Boolean(args.json));
  },
};

/** Lidar features instead of a table when --points, --scales or --core-points is given (with --dataset lidar-*, its scene). */
async function lidarSpec(args: RunArgs): Promise<import('../../lidar/table.js').LidarTableSpec | undefined> {
  const points = args.points as string[] | undefined;
  const scales = args.scales as string | undefined;
  const cores = args['core-points'] as number | undefined;
  if (points === undefined && scales === undefined && cores === undefined) return undefined;
  const lidar = await import('../../experiments/lidar.js');
  const { DEFAULT_CORES, DEFAULT_SCALES } = await import('../../lidar/table.js');
  const { DEFAULT_LIDAR_POINTS, LIDAR_SCENES } = await import('../../lidar/scene.js');
  if (cores !== undefined && !(Number.isInteger(cores) && cores >= 50 && cores <= 100_000)) throw new UsageError(`--core-points must be an integer from 50 to 100000, got ${cores}`);
  const spec = { scales: scales === undefined ? [...DEFAULT_SCALES] : lidar.parseScales(scales), cores: cores ?? DEFAULT_CORES };
  if (points !== undefined) {
    if (args.dataset || args.data || args.train || args.test) throw new UsageError('--points replaces --dataset/--data: give one or the other');
    return { ...spec, source: { kind: 'files', files: points.map(lidar.parsePointsArg) } };
  }
  const scene = args.dataset?.replace(/^lidar-/, '');
  if (!args.dataset?.startsWith('lidar-') || !(LIDAR_SCENES as readonly string[]).includes(scene!)) {
    throw new UsageError('--scales and --core-points apply to lidar data: --dataset lidar-dunes|lidar-ski|lidar-4class, or --points FILE:LABEL');
  }
  return { ...spec, source: { kind: 'scene', scene: scene as (typeof LIDAR_SCENES)[number], size: DEFAULT_LIDAR_POINTS } };
}

function checkInteger(v: number, flag: string): number {
  if (!Number.isInteger(v)) throw new UsageError(`${flag} must be an integer, got ${v}`);
  return v;
}

function checkChoice<T extends string>(value: string | undefined, choices: readonly T[], task: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`unknown ${task} model "${value}"; choose one of ${choices.join(', ')}`);
  return value as T;
}

/** Strictness for our own tasks, since the command itself accepts anything for `train`. */
function rejectUnknown(args: RunArgs): void {
  const known = new Set<string>(['_', '$0', 'task', 'help', 'version', ...Object.keys(OPTIONS)]);
  const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  for (const name of Object.keys(OPTIONS)) known.add(camel(name));
  for (const key of Object.keys(args)) {
    if (!known.has(key)) throw new UsageError(`unknown option --${key} for eds run ${args.task}`, `eds run --help`);
  }
}

/** A lesson's own experiment task (`eds run river --stage fit`), run exactly as the TUI runs it: options as strings. */
async function runLessonTask(args: RunArgs): Promise<void> {
  const { knownTasks, runTask } = await import('../../experiments/registry.js');
  const name = String(args.task);
  if (!knownTasks().includes(name)) {
    const all = [...new Set([...TASKS, ...knownTasks()])].join(', ');
    throw new UsageError(`unknown task "${name}"; choose one of ${all}`, 'eds run --help');
  }
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(args)) {
    // yargs gives each option under its kebab and camel names; keep the spelling the user typed (kebab).
    if (['_', '$0', 'task', 'json', 'seed'].includes(key) || /[A-Z]/.test(key) || value === undefined) continue;
    options[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  const { cliCallbacks } = await import('../progress.js');
  const callbacks = await cliCallbacks({ json: Boolean(args.json), liveCurve: false });
  const result = await runTask(name, options, checkInteger(args.seed, '--seed'), callbacks);
  callbacks.done();
  await printResult(result, Boolean(args.json));
}
