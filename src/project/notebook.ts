// `eds project --export`: a Jupyter notebook (nbformat 4) a grader can open and rerun: the student's text, the tutor's results, and scikit-learn code on the same rows and folds.
import type { ProjectData } from './data.js';
import type { Overview } from './overview.js';
import { DETERMINISTIC_MODELS, MODEL_TITLES, type Comparison } from './compare.js';
import { FILE_CAPS, projectFigures } from './figures.js';
import { answerOrPlaceholder, INTERPRETATION_PROMPTS, type InterpretationAnswer } from './prompts.js';

/** One notebook cell as nbformat 4 stores it. */
export interface NotebookCell {
  /** `markdown` or `code`. */
  cell_type: 'markdown' | 'code';
  /** Cell metadata (empty). */
  metadata: Record<string, unknown>;
  /** Source lines, each but the last ending in "\n" (the way Jupyter writes them). */
  source: string[];
  /** Code cells only: always null (the tutor did not run Python). */
  execution_count?: null;
  /** Code cells only: recorded outputs. */
  outputs?: { output_type: 'stream'; name: 'stdout'; text: string[] }[];
}

/** A whole notebook (nbformat 4.4). */
export interface Notebook {
  /** Cells in order. */
  cells: NotebookCell[];
  /** Kernel and language metadata, plus what eds recorded. */
  metadata: Record<string, unknown>;
  /** Major format version: 4. */
  nbformat: 4;
  /** Minor format version: 4 (no cell ids needed). */
  nbformat_minor: 4;
}

/** What goes into the export besides the computed results. */
export interface ExportContext {
  /** The student's login. */
  user: string;
  /** Tutor version. */
  version: string;
  /** ISO time of the run. */
  time: string;
  /** The path of the data file as given. */
  file: string;
  /** The student's answers to the interpretation prompts (may be empty). */
  answers: InterpretationAnswer[];
}

/** The largest difference in fold accuracy between eds and scikit-learn accepted for a deterministic model: a single test row of the fold (kNN distance ties and logistic regression's stopping tolerance may flip one borderline row). */
export const REPRODUCTION_TOLERANCE_ROWS = 1;

function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((p, i) => (i < parts.length - 1 ? `${p}\n` : p)).filter((p, i, all) => !(i === all.length - 1 && p === ''));
}

function markdown(text: string): NotebookCell {
  return { cell_type: 'markdown', metadata: {}, source: lines(text) };
}

function code(text: string, output?: string): NotebookCell {
  return {
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    source: lines(text),
    outputs: output === undefined ? [] : [{ output_type: 'stream', name: 'stdout', text: lines(output.endsWith('\n') ? output : `${output}\n`) }],
  };
}

/** A Python literal for a JSON value: numbers, strings, lists (JSON string and number syntax is valid Python 3). */
function py(value: unknown): string {
  return JSON.stringify(value);
}

/** Writes `[[…], […]]` with one row per line so the notebook stays readable and diffable. */
function pyRows(rows: readonly (readonly unknown[])[]): string {
  return `[\n${rows.map((r) => `    ${py(r)},`).join('\n')}\n]`;
}

/**
 * The folds cell when the folds are blocks of time: rebuilt from the rows in time order with scikit-learn's
 * `KFold` without shuffling (consecutive blocks), and checked against the tutor's.
 */
function timeFoldsCode(cmp: Comparison, time: { column: string; order: number[] }): string {
  return [
    `# The tutor's ${cmp.k} folds are blocks of time: the rows sorted by ${py(time.column)}, cut into ${cmp.k} consecutive periods`,
    '# (KFold without shuffling, on the rows in time order). Each fold tests on one period the models never saw.',
    'from sklearn.model_selection import KFold',
    `time_order = np.array(${py(time.order)})`,
    `cv = [(np.sort(time_order[train]), np.sort(time_order[test])) for train, test in KFold(n_splits=${cmp.k}, shuffle=False).split(time_order)]`,
    `test_folds = ${pyRows(cmp.testFolds)}`,
    "assert [test.tolist() for _, test in cv] == test_folds, 'these folds are not the tutor\\'s'",
    'print([len(test) for _, test in cv])',
  ].join('\n');
}

/** Builds the notebook. Pure. */
export function buildNotebook(data: ProjectData, ov: Overview, cmp: Comparison, ctx: ExportContext): Notebook {
  const cells: NotebookCell[] = [];
  const best = cmp.ranking[0]!;
  cells.push(
    markdown(
      [
        `# Project: predicting \`${data.target}\` in \`${data.source}\``,
        '',
        `Student: **${ctx.user}** · ${ctx.time} · eds ${ctx.version} · seed ${cmp.seed}`,
        '',
        `This notebook was written by \`eds project\`. It holds the student's reading of the results, the tutor's results as text, and Python code that reruns the comparison with scikit-learn on **the same ${data.X.length} rows and the same ${cmp.k} folds** (written below).`,
        ...(data.notices.length > 0 ? ['', 'Changes made to the data while reading it:', '', ...data.notices.map((n) => `- ${n}`)] : []),
      ].join('\n'),
    ),
  );
  cells.push(markdown("## 1. The student's interpretation"));
  for (const prompt of INTERPRETATION_PROMPTS) {
    const answer = ctx.answers.find((a) => a.id === prompt.id);
    cells.push(markdown(`### ${prompt.question}\n\n${answerOrPlaceholder(answer)}`));
  }
  cells.push(
    markdown(
      `## 2. Results from the tutor\n\nThe best model by mean balanced accuracy is **${MODEL_TITLES[best]}**. Each cell below prints what the tutor showed.`,
    ),
  );
  for (const figure of projectFigures(data, ov, cmp)) {
    const text = figure.render(FILE_CAPS);
    cells.push(code(`# ${figure.title}\nprint(${py(text)})`, text));
  }
  cells.push(
    markdown(
      [
        '## 3. Reproduce with scikit-learn',
        '',
        "The rows are exactly those the tutor used (after the changes listed at the top), and the folds are the tutor's.",
        ...(cmp.time
          ? [
              `The folds are **blocks of time** by \`${cmp.time.column}\`: on a time series, shuffled folds test on moments whose neighbours were trained on and flatter every model (session 1); a cell below shows by how much on these rows.`,
            ]
          : []),
        `k-NN, naive Bayes and logistic regression have no randomness in their fit: their fold accuracies must match the tutor's to within ${REPRODUCTION_TOLERANCE_ROWS} test row per fold. The SVM, the forest and the MLP draw their own random numbers in scikit-learn, so their scores are close but not identical.`,
        `The tutor's MLP is a plain TypeScript network of the same shape (one ReLU layer of ${cmp.settings.hidden} units, Adam, batch 32, ${cmp.settings.epochs} epochs).`,
      ].join('\n'),
    ),
  );
  cells.push(
    code(
      [
        'import json',
        'import numpy as np',
        'from sklearn.model_selection import cross_validate',
        'from sklearn.pipeline import make_pipeline',
        'from sklearn.preprocessing import StandardScaler',
        'from sklearn.neighbors import KNeighborsClassifier',
        'from sklearn.linear_model import LogisticRegression',
        'from sklearn.svm import LinearSVC',
        'from sklearn.ensemble import RandomForestClassifier',
        'from sklearn.naive_bayes import GaussianNB',
        'from sklearn.neural_network import MLPClassifier',
        '',
        `SEED = ${cmp.seed}`,
      ].join('\n'),
    ),
  );
  cells.push(
    code(
      [
        `# The data: ${data.X.length} rows × ${data.featureNames.length} features, classes coded 0..${data.labels.length - 1}.`,
        `feature_names = ${py(data.featureNames)}`,
        `class_names = ${py(data.labels)}`,
        `X = np.array(${pyRows(data.X)}, dtype=float)`,
        `y = np.array(${py(data.y)})`,
        'print(X.shape, np.bincount(y))',
      ].join('\n'),
    ),
  );
  cells.push(
    code(
      cmp.time
        ? timeFoldsCode(cmp, cmp.time)
        : [
            `# The tutor's ${cmp.k} stratified folds: test rows of each fold; its training rows are all the others.`,
            `test_folds = ${pyRows(cmp.testFolds)}`,
            'all_rows = np.arange(len(y))',
            'cv = [(np.setdiff1d(all_rows, test), np.array(test)) for test in test_folds]',
            'print([len(test) for test in test_folds])',
          ].join('\n'),
    ),
  );
  cells.push(
    code(
      [
        '# The same models and settings as the tutor (scaled where the tutor scales).',
        'models = {',
        "    'knn': make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5)),",
        "    'logreg': make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000, tol=1e-8)),",
        "    'svm': make_pipeline(StandardScaler(), LinearSVC(C=1.0, max_iter=1000, random_state=SEED)),",
        `    'rf': RandomForestClassifier(n_estimators=${cmp.settings.trees}, random_state=SEED),`,
        "    'nb': GaussianNB(),",
        `    'mlp': make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(${cmp.settings.hidden},), solver='adam', learning_rate_init=0.01, batch_size=32, alpha=1e-4, max_iter=${cmp.settings.epochs}, random_state=SEED)),`,
        '}',
        `models = {name: models[name] for name in ${py(cmp.results.map((r) => r.model))}}`,
      ].join('\n'),
    ),
  );
  cells.push(
    code(
      [
        'import warnings',
        'from sklearn.exceptions import ConvergenceWarning',
        'warnings.filterwarnings("ignore", category=ConvergenceWarning)',
        ...(cmp.time
          ? [
              '# A period may lack a class (a regime of one season): balanced accuracy then averages over the classes it has.',
              'warnings.filterwarnings("ignore", message="y_pred contains classes not in y_true")',
            ]
          : []),
        'results = {}',
        'for name, model in models.items():',
        "    r = cross_validate(model, X, y, cv=cv, scoring=['accuracy', 'balanced_accuracy', 'f1_macro'], return_train_score=True)",
        '    results[name] = r',
        "    print(f\"{name:7s} accuracy {r['test_accuracy'].mean():.3f} ± {r['test_accuracy'].std():.3f}   \"",
        "          f\"balanced {r['test_balanced_accuracy'].mean():.3f} ± {r['test_balanced_accuracy'].std():.3f}   \"",
        "          f\"macro-F1 {r['test_f1_macro'].mean():.3f} ± {r['test_f1_macro'].std():.3f}   fit {r['fit_time'].mean():.3f} s\")",
      ].join('\n'),
    ),
  );
  if (cmp.time) {
    cells.push(
      code(
        [
          '# What shuffled folds would have said on the same rows: on a time series they test on moments whose neighbours',
          '# were trained on, so they flatter the models (session 1). Compare with the blocks of time above.',
          'from sklearn.model_selection import StratifiedKFold',
          'n_splits = max(2, min(len(test_folds), np.bincount(y)[np.bincount(y) > 0].min()))',
          'shuffled = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=SEED)',
          'for name, model in models.items():',
          "    s = cross_validate(model, X, y, cv=shuffled, scoring=['balanced_accuracy'])",
          "    print(f\"{name:7s} balanced accuracy: blocks of time {results[name]['test_balanced_accuracy'].mean():.3f}   shuffled {s['test_balanced_accuracy'].mean():.3f}\")",
        ].join('\n'),
      ),
    );
  }
  const edsFolds = Object.fromEntries(cmp.results.map((r) => [r.model, r.accuracy.folds]));
  cells.push(
    code(
      [
        "# The tutor's fold accuracies, and how far scikit-learn is from them.",
        `eds_fold_accuracy = ${JSON.stringify(edsFolds, null, 1).replace(/\n\s*/g, ' ')}`,
        `deterministic = ${py(DETERMINISTIC_MODELS.filter((m) => edsFolds[m] !== undefined))}`,
        'fold_sizes = np.array([len(test) for test in test_folds])',
        'for name, folds in eds_fold_accuracy.items():',
        "    rows_off = np.round(np.abs(results[name]['test_accuracy'] - np.array(folds)) * fold_sizes).astype(int)",
        `    verdict = ('reproduced' if rows_off.max() <= ${REPRODUCTION_TOLERANCE_ROWS} else 'DIFFERS') if name in deterministic else 'own random numbers: close, not equal'`,
        '    print(f"{name:7s} largest fold difference: {rows_off.max()} test row(s)  -> {verdict}")',
      ].join('\n'),
    ),
  );
  return {
    cells,
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python' },
      eds: {
        user: ctx.user,
        version: ctx.version,
        time: ctx.time,
        file: ctx.file,
        target: data.target,
        seed: cmp.seed,
        folds: cmp.k,
        split: cmp.split ?? 'stratified',
        ...(cmp.time ? { time_column: cmp.time.column } : {}),
      },
    },
    nbformat: 4,
    nbformat_minor: 4,
  };
}
