// `eds project` without the terminal: load, overview, compare, and the exports' contents; the CLI adds prompts and file writing.
import { UsageError, UserError } from '../errors.js';
import { loadProjectData, type ProjectData, type ProjectDataOptions } from './data.js';
import { overview, type Overview } from './overview.js';
import { compareModels, PROJECT_MODELS, type CompareOptions, type Comparison } from './compare.js';
import { buildNotebook, type ExportContext } from './notebook.js';
import { buildReport } from './markdown-report.js';
import { roundTo } from '../util/stats.js';

/** Options of {@link runProject}: how to read the data and how to compare. */
export type ProjectOptions = ProjectDataOptions &
  Omit<CompareOptions, 'onStatus'> & {
    /** Status lines while models train (to stderr in the CLI). */
    onStatus?: (message: string) => void;
  };

/** Steps 1 and 2 of the project. */
export interface ProjectRun {
  /** The prepared data. */
  data: ProjectData;
  /** Step 1. */
  overview: Overview;
  /** Step 2. */
  comparison: Comparison;
}

/** Reads the file and runs the overview and the comparison. */
export async function runProject(file: string, options: ProjectOptions = {}): Promise<ProjectRun> {
  const data = await loadProjectData(file, options);
  const ov = overview(data);
  const comparison = compareModels(data.X, data.y, data.labels.length, { ...options, ...timeFolds(data, options.split), onStatus: options.onStatus });
  return { data, overview: ov, comparison };
}

/**
 * The comparison's fold settings for `split` on this data: blocks of its time column, or shuffled folds. Folds in
 * blocks of time on data without a date or time column are one clear line.
 */
export function timeFolds(data: ProjectData, split: CompareOptions['split']): Pick<CompareOptions, 'split' | 'times' | 'timeColumn'> {
  if (split !== 'time') return { split: 'stratified' };
  if (!data.time) throw new UserError(`${data.source}: --split time needs a date or time column; none was found (name one with --time-column COLUMN)`);
  return { split: 'time', times: data.time.values, timeColumn: data.time.column };
}

/** The export files' texts. */
export function exportTexts(run: ProjectRun, ctx: ExportContext): { notebook: string; report: string } {
  return {
    notebook: JSON.stringify(buildNotebook(run.data, run.overview, run.comparison, ctx), null, 1) + '\n',
    report: buildReport(run.data, run.overview, run.comparison, ctx),
  };
}

/** What `eds project --json` prints (snake_case, a stable contract): the numbers a student is asked about. */
export function projectJson(run: ProjectRun): Record<string, unknown> {
  const { data, overview: ov, comparison: cmp } = run;
  return {
    task: 'project',
    source: data.source,
    target: data.target,
    seed: cmp.seed,
    n_rows_read: ov.rowsRead,
    n_rows: ov.rows,
    n_features: ov.features,
    features: data.featureNames,
    classes: { labels: data.labels, counts: ov.classCounts },
    majority_baseline: roundTo(ov.majorityBaseline, 4),
    notices: data.notices,
    warnings: ov.warnings.filter((w) => w.kind !== 'notice').map((w) => ({ kind: w.kind, message: w.message })),
    folds: cmp.k,
    split: cmp.split,
    time_column: cmp.time?.column ?? null,
    test_folds: cmp.testFolds,
    models: Object.fromEntries(
      cmp.results.map((r) => [
        r.model,
        {
          accuracy: roundTo(r.accuracy.mean, 4),
          accuracy_std: roundTo(r.accuracy.std, 4),
          balanced_accuracy: roundTo(r.balancedAccuracy.mean, 4),
          balanced_accuracy_std: roundTo(r.balancedAccuracy.std, 4),
          macro_f1: roundTo(r.macroF1.mean, 4),
          macro_f1_std: roundTo(r.macroF1.std, 4),
          train_accuracy: roundTo(r.trainAccuracy.mean, 4),
          fold_accuracy: r.accuracy.folds,
          fit_seconds: roundTo(r.fitSeconds.mean, 4),
          parameters: r.parameters,
          confusion: { labels: data.labels, matrix: r.confusion },
        },
      ]),
    ),
    best_model: cmp.ranking[0],
    ranking: cmp.ranking,
    learning_curves: cmp.curves.map((c) => ({
      model: c.model,
      train_sizes: c.trainSizes.map((v) => roundTo(v, 4)),
      train_accuracy: c.trainScore.map((v) => roundTo(v, 4)),
      test_accuracy: c.testScore.map((v) => roundTo(v, 4)),
    })),
    permutation_importance: {
      model: cmp.importance.model,
      features: data.featureNames,
      mean: cmp.importance.mean.map((v) => roundTo(v, 4)),
      std: cmp.importance.std.map((v) => roundTo(v, 4)),
    },
  };
}

/** Parses `--models knn,rf` into model keys; unknown names are one clear line. */
export function parseModels(text: string | undefined): (typeof PROJECT_MODELS)[number][] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) if (!(PROJECT_MODELS as readonly string[]).includes(n)) throw new UsageError(`unknown model "${n}" (${PROJECT_MODELS.join(', ')})`);
  if (names.length === 0) throw new UsageError(`--models needs at least one of ${PROJECT_MODELS.join(', ')}`);
  return names as (typeof PROJECT_MODELS)[number][];
}
