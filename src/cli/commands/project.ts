// `eds project DATA --target COLUMN`: the final mini-project — overview, six models under the same CV folds, the student's interpretation, and a notebook/report export.
import type { CommandModule } from 'yargs';
import { basename, extname } from 'node:path';
import { UsageError } from '../errors.js';

interface ProjectArgs {
  data: string;
  target?: string;
  labels?: string;
  folds: number;
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
      .option('folds', { type: 'number', default: 5, describe: 'stratified cross-validation folds' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the folds, the sub-sample and the models' })
      .option('max-rows', { type: 'number', describe: 'rows kept at most (a seeded stratified sub-sample beyond; default 5000)' })
      .option('trees', { type: 'number', default: 100, describe: 'trees of the random forest' })
      .option('epochs', { type: 'number', default: 100, describe: 'training epochs of the MLP' })
      .option('models', { type: 'string', describe: 'comma-separated subset of knn,logreg,svm,rf,nb,mlp (default all)' })
      .option('export', { type: 'string', describe: 'write a Jupyter notebook (.ipynb) with your text, the results and scikit-learn code on the same folds' })
      .option('report', { type: 'string', describe: 'write a Markdown report' })
      .option('yes', { type: 'boolean', describe: 'no prompts: run and write the exports (the default without a terminal)' })
      .option('json', { type: 'boolean', describe: 'print the results as JSON (no prompts)' })
      .example('$0 project datasets/wine/wine.csv --target cultivar --export wine.ipynb', 'the whole project on the wine data')
      .example('$0 project X.npy --labels y.txt --yes --report report.md', 'features from NumPy, no prompts') as never,
  handler: async (args) => {
    const { runProject, exportTexts, projectJson, parseModels } = await import('../../project/run.js');
    const { projectFigures } = await import('../../project/figures.js');
    const { writeFileAtomic } = await import('../../data/write.js');
    const { detectCaps } = await import('../../render/caps.js');
    const { VERSION } = await import('../../version.js');
    for (const [file, ext] of [[args.export, '.ipynb'], [args.report, '.md']] as const) {
      if (file !== undefined && extname(file).toLowerCase() !== ext) throw new UsageError(`${file}: expected a ${ext} file name`);
    }
    const options = {
      target: args.target,
      labels: args.labels,
      seed: positiveInt(args.seed, '--seed', 0),
      folds: positiveInt(args.folds, '--folds', 2),
      maxRows: args['max-rows'] === undefined ? undefined : positiveInt(args['max-rows'], '--max-rows', 10),
      trees: positiveInt(args.trees, '--trees', 1),
      epochs: positiveInt(args.epochs, '--epochs', 1),
      models: parseModels(args.models),
      onStatus: args.json ? undefined : (m: string) => process.stderr.write(`eds: ${m}…\n`),
    };
    const run = await runProject(args.data, options);
    if (args.json) {
      process.stdout.write(JSON.stringify(projectJson(run), null, 2) + '\n');
    } else {
      const caps = detectCaps();
      const figureCaps = { ...caps, height: Math.max(8, Math.min(caps.height - 2, 30)) };
      for (const figure of projectFigures(run.data, run.overview, run.comparison)) process.stdout.write(`\n${figure.title}\n${figure.render(figureCaps)}\n`);
    }
    const interactive = !args.yes && !args.json && Boolean(process.stdin.isTTY && process.stdout.isTTY);
    const { openStore } = await import('../../store/index.js');
    const store = openStore();
    try {
      for (const w of store.warnings) process.stderr.write(`eds: ${w}\n`);
      const { askInterpretation } = await import('../../project/interpret.js');
      const answers = interactive ? await askInterpretation(process.stdin, process.stdout, store, options.seed) : [];
      const stem = basename(args.data, extname(args.data));
      // Without a named export, the notebook and report still get written: they are what the project hands in.
      const notebookPath = args.export ?? (args.report === undefined ? `${stem}-project.ipynb` : undefined);
      const reportPath = args.report ?? (args.export === undefined ? `${stem}-project.md` : undefined);
      const texts = exportTexts(run, { user: store.user, version: VERSION, time: new Date().toISOString(), file: args.data, answers });
      const out = args.json ? process.stderr : process.stdout;
      if (notebookPath) {
        await writeFileAtomic(notebookPath, texts.notebook);
        out.write(`\nwrote ${notebookPath} (Jupyter notebook: your text, the results, scikit-learn code on the same folds)\n`);
      }
      if (reportPath) {
        await writeFileAtomic(reportPath, texts.report);
        out.write(`wrote ${reportPath} (Markdown report)\n`);
      }
    } finally {
      store.close();
    }
  },
};
