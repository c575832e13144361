// `eds project DATA --target COLUMN`: the final mini-project — overview, six models under the same CV folds, the student's interpretation, and a notebook/report export.
import type { CommandModule } from 'yargs';
import { extname } from 'node:path';
import { UsageError } from '../../errors.js';
import { canRunTui, prepareTui } from '../interactive.js';
import type { CompareOptions } from '../../project/compare.js';
import type { ProjectDataOptions } from '../../project/data.js';
import type { ExportTargets } from '../../project/export.js';

interface ProjectArgs {
  data: string;
  target?: string;
  labels?: string;
  folds: number;
  split: string;
  'time-column'?: string;
  seed: number;
  'max-rows'?: number;
  trees: number;
  epochs: number;
  models?: string;
  export?: string;
  report?: string;
  yes?: boolean;
  json?: boolean;
}

function positiveInt(value: number, flag: string, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) throw new UsageError(`${flag} must be an integer >= ${min}, got ${value}`);
  return value;
}

export const projectCommand: CommandModule<object, ProjectArgs> = {
  command: 'project <data>',
  describe: 'the final project: explore a data set, compare six classifiers under the same CV folds, interpret, export a notebook',
  builder: (y) =>
    y
      .positional('data', { type: 'string', demandOption: true, describe: 'a CSV/TSV file, or a .npy feature matrix (rows × features) with --labels' })
      .option('target', { type: 'string', describe: 'the column to predict (CSV)' })
      .option('labels', { type: 'string', describe: 'labels of a .npy: .npy, or text with one label per line' })
      .option('folds', { type: 'number', default: 5, describe: 'cross-validation folds' })
      .option('split', {
        type: 'string',
        choices: ['stratified', 'time'],
        default: 'stratified',
        describe: 'folds: stratified (shuffled), or time: consecutive blocks of the date or time column (for a time series; at the screen, t switches)',
      })
      .option('time-column', { type: 'string', describe: 'the column giving each row its time (default: the first date or time column found)' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the folds, the sub-sample and the models' })
      .option('max-rows', { type: 'number', describe: 'rows kept at most (a seeded stratified sub-sample beyond; default 5000)' })
      .option('trees', { type: 'number', default: 100, describe: 'trees of the random forest' })
      .option('epochs', { type: 'number', default: 100, describe: 'training epochs of the MLP' })
      .option('models', { type: 'string', describe: 'comma-separated subset of knn,logreg,svm,rf,nb,mlp (default all)' })
      .option('export', { type: 'string', describe: 'write a Jupyter notebook (.ipynb) with your text, the results and scikit-learn code on the same folds' })
      .option('report', { type: 'string', describe: 'write a Markdown report' })
      .option('yes', { type: 'boolean', describe: 'no prompts: run and write the exports (the default without a terminal)' })
      .option('json', { type: 'boolean', describe: 'print the results as JSON (no prompts)' })
      .example('$0 datasets export wine --out wine.csv && $0 project wine.csv --target cultivar --export wine.ipynb', 'the whole project on the wine data')
      .example('$0 project station.csv --target regime --split time', 'a time series: folds in blocks of time')
      .example('$0 project X.npy --labels y.txt --yes --report report.md', 'features from NumPy, no prompts') as never,
  handler: async (args) => {
    for (const [file, ext] of [
      [args.export, '.ipynb'],
      [args.report, '.md'],
    ] as const) {
      if (file !== undefined && extname(file).toLowerCase() !== ext) throw new UsageError(`${file}: expected a ${ext} file name`);
    }
    const { parseModels } = await import('../../project/run.js');
    const { exportTargets } = await import('../../project/export.js');
    const options = {
      target: args.target,
      labels: args.labels,
      seed: positiveInt(args.seed, '--seed', 0),
      folds: positiveInt(args.folds, '--folds', 2),
      split: args.split as 'stratified' | 'time',
      timeColumn: args['time-column'],
      maxRows: args['max-rows'] === undefined ? undefined : positiveInt(args['max-rows'], '--max-rows', 10),
      trees: positiveInt(args.trees, '--trees', 1),
      epochs: positiveInt(args.epochs, '--epochs', 1),
      models: parseModels(args.models),
    };
    const targets = exportTargets(args.data, args.export, args.report);
    // At a terminal the project is a screen the student moves through; --yes, --json or no terminal: plain output.
    if (!args.yes && !args.json && canRunTui()) return projectAtTerminal(args.data, options, targets);
    const { runProject, projectJson } = await import('../../project/run.js');
    const { projectFigures } = await import('../../project/figures.js');
    const { writeExports } = await import('../../project/export.js');
    const { detectCaps } = await import('../../render/caps.js');
    const { VERSION } = await import('../../version.js');
    const run = await runProject(args.data, { ...options, onStatus: args.json ? undefined : (m: string) => process.stderr.write(`eds: ${m}…\n`) });
    if (args.json) {
      process.stdout.write(JSON.stringify(projectJson(run), null, 2) + '\n');
    } else {
      const caps = detectCaps();
      const figureCaps = { ...caps, height: Math.max(8, Math.min(caps.height - 2, 30)) };
      for (const figure of projectFigures(run.data, run.overview, run.comparison)) process.stdout.write(`\n${figure.title}\n${figure.render(figureCaps)}\n`);
    }
    const store = await openProjectStore();
    try {
      for (const w of store.warnings) process.stderr.write(`eds: ${w}\n`);
      const out = args.json ? process.stderr : process.stdout;
      const ctx = { user: store.user, version: VERSION, time: new Date().toISOString(), file: args.data, answers: [] };
      await writeExports(run, targets, ctx, (line, kind) => out.write(kind === 'notebook' ? `\n${line}\n` : `${line}\n`));
    } finally {
      store.close();
    }
  },
};

/**
 * `eds project` at a terminal: reads the data first (a bad file is one line on stderr, not a screen), then opens
 * the project screen, which trains the models while the student reads, saves each answer as it is given, and
 * writes the exports from its last section.
 */
async function projectAtTerminal(file: string, options: ProjectDataOptions & Omit<CompareOptions, 'onStatus'>, targets: ExportTargets): Promise<void> {
  // Before Ink is first imported: a shell that exports CI would otherwise get a blank screen.
  prepareTui();
  const { loadProjectData } = await import('../../project/data.js');
  const { overview } = await import('../../project/overview.js');
  const { projectSession } = await import('../../project/session.js');
  const { VERSION } = await import('../../version.js');
  const data = await loadProjectData(file, options);
  if (options.split === 'time') {
    // Said before the screen opens, in one line, as a bad file is.
    const { timeFolds } = await import('../../project/run.js');
    timeFolds(data, 'time');
  }
  const store = await openProjectStore();
  try {
    for (const w of store.warnings) process.stderr.write(`eds: ${w}\n`);
    const warnedAtStart = store.warnings.length;
    const session = projectSession({ file, labelsFile: options.labels, data, overview: overview(data), options, store, targets, version: VERSION });
    const { runProjectTui } = await import('../../tui/project/run.js');
    await runProjectTui(session.services);
    // A course directory that failed while the student answered: their answers are kept here, and they are told.
    for (const w of store.warnings.slice(warnedAtStart)) process.stderr.write(`eds: ${w}\n`);
    // The screen's last frame stays; these lines stay in the scrollback with it.
    if (session.written.length > 0) process.stdout.write(`\n${session.written.join('\n')}\n`);
    else process.stdout.write('\nNothing exported: the last section (Export) writes the notebook and the report. Your answers are saved.\n');
  } finally {
    store.close();
  }
}

/** The student's store, sending each answer on to the course directory as the tutor does, so instructors read the interpretations. */
async function openProjectStore() {
  const { openStore } = await import('../../store/index.js');
  const { withCourseSink } = await import('../../course/sink.js');
  return withCourseSink(openStore());
}
