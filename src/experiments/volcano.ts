// The volcano lesson's experiments (session 2): look at events, extract and compare features, split and balance, compare classifiers, rank features.
import { UserError } from '../errors.js';
import { generateVolcano, volcanoStationIndex, VOLCANO_CLASSES, VOLCANO_STATIONS, type VolcanoClass, type VolcanoEvent } from '../seismology/volcano-data.js';
import { FEATURE_NAMES, type FeatureName } from '../seismology/features.js';
import { classReport, confusionMatrix, macroF1 } from '../ml/metrics.js';
import { createClassifier } from '../ml/catalogue.js';
import type { RandomForestClassifier } from '../ml/tree.js';
import { take } from '../ml/validation.js';
import { renderScatter } from '../render/scatter.js';
import { renderBarChart } from '../render/bar.js';
import { renderConfusionMatrix } from '../render/confusion.js';
import { renderSummaryTable } from '../render/summary.js';
import { summarize } from '../util/stats.js';
import type { ClassifyModelName } from './classify.js';
import { fmt, gridFigure, keyValueFigure } from './common.js';
import { round } from '../util/stats.js';
import type { ExperimentCallbacks, ExperimentResult, Figure } from './types.js';
import {
  VOLCANO_MODELS,
  type VolcanoClassifyOptions,
  type VolcanoFeaturesOptions,
  type VolcanoImportanceOptions,
  type VolcanoLookOptions,
  type VolcanoSplitOptions,
} from '../tasks/options.js';
import { classCodes, columns, featureIndices, volcanoTableFor } from './volcano/data.js';
import { cvCell, eventFigure, plainPlusMinus } from './volcano/figures.js';
import { crossValidateModel, fitPredict, innerFoldPermutationImportance } from './volcano/fitting.js';
import { lowestRecall, mostConfusedPair, scores } from './volcano/metrics.js';
import { countByClass, holdOut } from './volcano/resampling.js';
import { orderByValue, pairedFoldDifference, rankSeparation } from './volcano/statistics.js';

/** The experiment tasks of the volcano lesson, as lesson files name them. */
export const VOLCANO_TASKS = ['volcano-look', 'volcano-features', 'volcano-split', 'volcano-classify', 'volcano-importance'] as const;

/** The classifiers the lesson compares, in the order its theory pages introduce them (declared with its options). */
export { VOLCANO_MODELS };

/** Long names of the classes, for titles. */
const CLASS_NAMES: Record<VolcanoClass, string> = {
  VT: 'volcano-tectonic',
  LP: 'long-period',
  TR: 'tremor',
  AV: 'avalanche / rockfall',
  IC: 'icequake',
  NOISE: 'background noise',
};

/**
 * The classes of the two unlabelled events students label by eye. Fixed, so a lesson can ask with
 * choices; every student still sees their own event of that class. A long-period event and a rockfall
 * are both emergent, but one is a narrow low tone and the other a broadband cigar: the contrast to read.
 */
export const MYSTERY_CLASSES: readonly [VolcanoClass, VolcanoClass] = ['LP', 'AV'];

// ---------------------------------------------------------------------------------------------
// Options

/** Options every volcano task shares. */
interface CommonOptions {
  /** Number of events in the catalogue. */
  nEvents: number;
  /** Station code whose trace gives the features. */
  station: string;
}

/** Reads a string option with a fixed set of values, or says in one line what is allowed. */

/** The catalogue and station of a task's checked options (src/tasks/declarations.ts declares them). */
function common(options: { events: number; station: string }): CommonOptions {
  return { nEvents: options.events, station: VOLCANO_STATIONS[volcanoStationIndex(options.station)]!.code };
}

// ---------------------------------------------------------------------------------------------
// Step 1: look at the events

/**
 * Picks a clear but typical event of a class: the one whose true SNR at the station is closest to the
 * class's upper quartile, skipping `exclude`. Noise windows have no SNR: the first without a glitch.
 */
function typicalEvent(
  events: readonly VolcanoEvent[],
  label: VolcanoClass,
  k: number,
  exclude: ReadonlySet<number>,
  quantile: number,
): VolcanoEvent | undefined {
  const pool = events.filter((e) => e.label === label && !exclude.has(e.id));
  if (label === 'NOISE') return pool.find((e) => !e.meta.glitch) ?? pool[0];
  if (pool.length === 0) return undefined;
  const snr = pool.map((e) => e.meta.true_snr_db[k]!).sort((a, b) => a - b);
  const target = snr[Math.min(snr.length - 1, Math.floor(quantile * (snr.length - 1) + 0.5))]!;
  return pool.reduce((best, e) => (Math.abs(e.meta.true_snr_db[k]! - target) < Math.abs(best.meta.true_snr_db[k]! - target) ? e : best));
}

/** `volcano-look`: one event of each class, then two unlabelled ones (labelled only with `reveal=yes`). */
export async function runVolcanoLook(options: VolcanoLookOptions, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { nEvents, station } = common(options);
  const reveal = options.reveal === 'yes';
  callbacks?.onStatus?.(`generating ${nEvents} volcano events…`);
  const events = generateVolcano({ seed, nEvents });
  const k = volcanoStationIndex(station);
  // The features of the whole catalogue come for free now that it is generated: later steps reuse them.
  const table = volcanoTableFor(seed, nEvents, station, callbacks?.onStatus, events);

  const counts = Object.fromEntries(VOLCANO_CLASSES.map((c) => [c, events.filter((e) => e.label === c).length])) as Record<VolcanoClass, number>;
  const used = new Set<number>();
  const examples: VolcanoEvent[] = [];
  for (const c of VOLCANO_CLASSES) {
    const e = typicalEvent(events, c, k, used, 0.75);
    if (e) {
      examples.push(e);
      used.add(e.id);
    }
  }
  // Mysteries are typical (median SNR), not the clearest: reading them should take a look, not a glance.
  const mysteries = MYSTERY_CLASSES.map((c) => {
    const e = typicalEvent(events, c, k, used, 0.5);
    if (e) used.add(e.id);
    return e;
  });
  if (mysteries.some((m) => m === undefined))
    throw new UserError(`volcano-look: the catalogue of ${nEvents} events has no second ${MYSTERY_CLASSES.join(' or ')} event; use more events`);
  const [a, b] = mysteries as [VolcanoEvent, VolcanoEvent];

  const row = (e: VolcanoEvent) => table.rows[table.ids.indexOf(e.id)]!;
  const feature = (e: VolcanoEvent, name: FeatureName) => round(row(e)[FEATURE_NAMES.indexOf(name)]!);
  const json: Record<string, unknown> = {
    task: 'volcano-look',
    seed,
    station,
    n_events: nEvents,
    ...Object.fromEntries(VOLCANO_CLASSES.map((c) => [`count_${c.toLowerCase()}`, counts[c]])),
    imbalance_ratio: round(Math.max(...Object.values(counts)) / Math.max(1, Math.min(...Object.values(counts)))),
    // The accuracy of a "model" that always answers the largest class: the bar any classifier must clear.
    majority_share: round(Math.max(...Object.values(counts)) / nEvents),
    mystery_a_id: a.id,
    mystery_b_id: b.id,
    examples: examples.map((e) => ({
      label: e.label,
      id: e.id,
      duration_s: feature(e, 'duration_s'),
      dominant_frequency_hz: feature(e, 'dominant_frequency_hz'),
    })),
  };
  if (reveal) {
    json.mystery_a_label = a.label;
    json.mystery_b_label = b.label;
  }
  const snr = (e: VolcanoEvent) => (e.label === 'NOISE' ? 'no event' : `true SNR ${Math.round(e.meta.true_snr_db[k]!)} dB`);
  const figures: Figure[] = [
    gridFigure(
      `Your catalogue: ${nEvents} events`,
      ['class', 'events', 'share'],
      VOLCANO_CLASSES.map((c) => [`${c} ${CLASS_NAMES[c]}`, String(counts[c]), `${((100 * counts[c]) / nEvents).toFixed(1)} %`]),
    ),
    ...examples.map((e) => eventFigure(`${e.label} (${CLASS_NAMES[e.label]}): event ${e.id} at ${station}, ${snr(e)}`, e.stations[k]!, e.fs)),
    ...[a, b].map((e, i) =>
      eventFigure(
        `Mystery event ${'AB'[i]} (event ${e.id} at ${station}): ${reveal ? `it is ${e.label}, ${CLASS_NAMES[e.label]}` : 'which class?'}`,
        e.stations[k]!,
        e.fs,
      ),
    ),
  ];
  return { json, figures };
}

// ---------------------------------------------------------------------------------------------
// Step 2: features

/** `volcano-features`: medians per class, how well each feature separates the classes, the best two as a scatter. */
export async function runVolcanoFeatures(options: VolcanoFeaturesOptions, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { nEvents, station } = common(options);
  const chosen = options.feature;
  const table = volcanoTableFor(seed, nEvents, station, callbacks?.onStatus);
  const y = classCodes(table.labels);
  const present = VOLCANO_CLASSES.filter((_, c) => y.includes(c));
  const column = (j: number) => table.rows.map((r) => r[j]!);
  const separation = FEATURE_NAMES.map((_, j) => rankSeparation(column(j), y));
  const order = FEATURE_NAMES.map((_, j) => j).sort((p, q) => separation[q]! - separation[p]! || p - q);
  const [j1, j2] = [order[0]!, order[1]!];
  const medianOf = (j: number, c: number) => summarize(table.rows.filter((_, i) => y[i] === c).map((r) => r[j]!)).median;
  const medians = Object.fromEntries(
    present.map((cls) => [cls, Object.fromEntries(FEATURE_NAMES.map((f, j) => [f, round(medianOf(j, VOLCANO_CLASSES.indexOf(cls)))]))]),
  );
  const jc = FEATURE_NAMES.indexOf(chosen);
  const json: Record<string, unknown> = {
    task: 'volcano-features',
    seed,
    station,
    n_events: nEvents,
    n_features: FEATURE_NAMES.length,
    top_feature: FEATURE_NAMES[j1],
    top_separation: round(separation[j1]!),
    second_feature: FEATURE_NAMES[j2],
    second_separation: round(separation[j2]!),
    weakest_feature: FEATURE_NAMES[order[order.length - 1]!],
    feature: chosen,
    feature_separation: round(separation[jc]!),
    lp_median_dominant_frequency_hz: medians.LP?.dominant_frequency_hz ?? null,
    vt_median_dominant_frequency_hz: medians.VT?.dominant_frequency_hz ?? null,
    ic_median_duration_s: medians.IC?.duration_s ?? null,
    tr_median_duration_s: medians.TR?.duration_s ?? null,
    separation: Object.fromEntries(FEATURE_NAMES.map((f, j) => [f, round(separation[j]!)])),
    class_medians: medians,
  };
  // A log axis where a feature spans decades (amplitudes, durations), so the classes do not pile up in one corner.
  const axisFor = (j: number) => {
    const v = column(j);
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    return { label: FEATURE_NAMES[j]!, log: lo > 0 && hi / lo > 100 };
  };
  const groups = present.map((cls) => {
    const c = VOLCANO_CLASSES.indexOf(cls);
    const rows = table.rows.filter((_, i) => y[i] === c);
    return { name: cls, x: rows.map((r) => r[j1]!), y: rows.map((r) => r[j2]!) };
  });
  const figures: Figure[] = [
    gridFigure(
      `Median of each feature per class (station ${station})`,
      ['feature', ...present],
      FEATURE_NAMES.map((f) => [f, ...present.map((cls) => fmt(medians[cls]![f]!))]),
    ),
    {
      title: `Distribution of ${chosen} per class`,
      render: (caps) =>
        renderSummaryTable(
          present.map((cls) => ({ name: cls, values: table.rows.filter((_, i) => y[i] === VOLCANO_CLASSES.indexOf(cls)).map((r) => r[jc]!) })),
          caps,
        ),
    },
    {
      title: 'How well each feature separates the classes (F statistic on ranks: between-class / within-class spread)',
      render: (caps) =>
        renderBarChart(
          FEATURE_NAMES.map((f, j) => ({ label: f, value: round(separation[j]!) })),
          caps,
          { sort: true },
        ),
    },
    {
      title: `The two most separating features, coloured by class`,
      render: (caps) => renderScatter(groups, caps, { xAxis: axisFor(j1), yAxis: axisFor(j2) }),
    },
  ];
  return { json, figures };
}

// ---------------------------------------------------------------------------------------------
// Step 3: split, sampling and scaling

/** `volcano-split`: how a split and a resampling change the class counts, and what that does to one model. */
export async function runVolcanoSplit(options: VolcanoSplitOptions, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { nEvents, station } = common(options);
  const { split: method, sampling, scaling, model } = options;
  const table = volcanoTableFor(seed, nEvents, station, callbacks?.onStatus);
  const y = classCodes(table.labels);
  const split = holdOut(y, method, seed);
  callbacks?.onStatus?.(`training ${model}…`);
  const { pred, trainRows } = fitPredict(model, table.rows, y, split, sampling, scaling, seed);
  const yTest = take(y, split.test);
  const cm = confusionMatrix(yTest, pred, VOLCANO_CLASSES.length);
  const labels = [...VOLCANO_CLASSES];
  const s = scores(yTest, pred);
  const low = lowestRecall(cm, labels);
  const all = countByClass(
    y,
    y.map((_, i) => i),
  );
  const test = countByClass(y, split.test);
  const train = countByClass(y, split.train);
  const sampled = countByClass(y, trainRows);
  // How far the test set's class shares stray from the catalogue's: ~0 for a stratified split.
  const shareDeviation = Math.max(...all.map((n, c) => Math.abs(test[c]! / split.test.length - n / y.length)));
  const rep = classReport(cm);
  const json: Record<string, unknown> = {
    task: 'volcano-split',
    seed,
    station,
    model,
    split: method,
    sampling,
    scaling,
    n_train: split.train.length,
    n_train_resampled: trainRows.length,
    n_test: split.test.length,
    test_count_ic: test[VOLCANO_CLASSES.indexOf('IC')],
    test_share_deviation: round(shareDeviation),
    accuracy: round(s.accuracy),
    balanced_accuracy: round(s.balanced_accuracy),
    macro_f1: round(s.macro_f1),
    lowest_recall_class: low.label,
    lowest_recall: round(low.recall),
    recall_ic: round(rep.recall[VOLCANO_CLASSES.indexOf('IC')]!),
    class_counts: Object.fromEntries(labels.map((l, c) => [l, { all: all[c], train: train[c], train_resampled: sampled[c], test: test[c] }])),
    confusion: { labels, matrix: cm },
  };
  const figures: Figure[] = [
    gridFigure(
      `Events per class: ${method} split, ${sampling} sampling of the training rows`,
      ['class', 'catalogue', 'train', `train (${sampling})`, 'test'],
      [
        ...labels.map((l, c) => [l, String(all[c]), String(train[c]), String(sampled[c]), String(test[c])]),
        ['total', String(y.length), String(split.train.length), String(trainRows.length), String(split.test.length)],
      ],
    ),
    keyValueFigure(
      `${model}, scaling fitted on: ${scaling === 'train' ? 'training rows only' : scaling === 'all' ? 'all rows (a leak!)' : 'nothing (raw features)'}`,
      [
        ['accuracy (test)', fmt(s.accuracy)],
        ['balanced accuracy (test)', fmt(s.balanced_accuracy)],
        ['macro F1 (test)', fmt(s.macro_f1)],
        ['lowest recall', `${low.label} ${fmt(low.recall)}`],
      ],
    ),
    { title: 'Confusion matrix, test set (rows: true class, columns: predicted)', render: (caps) => renderConfusionMatrix(labels, cm, caps) },
    {
      title: 'Recall per class (test set)',
      render: (caps) =>
        renderBarChart(
          labels.map((l, c) => ({ label: l, value: round(rep.recall[c]!) })),
          caps,
        ),
    },
  ];
  return { json, figures };
}

// ---------------------------------------------------------------------------------------------
// Step 4: compare classifiers

/** `volcano-classify`: cross-validate every model on the training rows, test the best (and the worst) once on the held-out rows. */
export async function runVolcanoClassify(options: VolcanoClassifyOptions, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { nEvents, station } = common(options);
  const { sampling, folds } = options;
  const featureNames = options.features === 'all' ? [...FEATURE_NAMES] : options.features.split(',').map((f) => f.trim());
  const idx = featureIndices(featureNames);
  const table = volcanoTableFor(seed, nEvents, station, callbacks?.onStatus);
  const X = columns(table.rows, idx);
  const y = classCodes(table.labels);
  const split = holdOut(y, 'stratified', seed);
  const labels = [...VOLCANO_CLASSES];

  const cv = VOLCANO_MODELS.map((model) => {
    callbacks?.onStatus?.(`${folds}-fold cross-validation of ${model}…`);
    return { model, ...crossValidateModel(model, X, y, split.train, folds, sampling, 'train', seed) };
  });
  // Best and worst by mean macro-F1: the score that weighs every class the same, whatever its size.
  const ranked = cv.slice().sort((p, q) => q.macro_f1.mean - p.macro_f1.mean);
  const best = ranked[0]!;
  const worst = ranked[ranked.length - 1]!;
  // Best minus each other model, fold by fold on the same folds: the comparison the ± of each model cannot make.
  const paired = ranked.slice(1).map((m) => ({
    model: m.model,
    ...pairedFoldDifference(
      best.perFold.map((f) => f.macro_f1),
      m.perFold.map((f) => f.macro_f1),
    ),
  }));
  const second = paired[0]!;
  const yTest = take(y, split.test);
  const testOf = (model: ClassifyModelName) => {
    callbacks?.onStatus?.(`testing ${model} on the held-out events…`);
    const { pred } = fitPredict(model, X, y, split, sampling, 'train', seed);
    const cm = confusionMatrix(yTest, pred, labels.length);
    return { s: scores(yTest, pred), cm };
  };
  const bestTest = testOf(best.model);
  const worstTest = testOf(worst.model);
  const rep = classReport(bestTest.cm);
  const low = lowestRecall(bestTest.cm, labels);
  const confused = mostConfusedPair(bestTest.cm, labels);
  const json: Record<string, unknown> = {
    task: 'volcano-classify',
    seed,
    station,
    sampling,
    folds,
    features: featureNames,
    n_train: split.train.length,
    n_test: split.test.length,
    best_model: best.model,
    best_cv_macro_f1: round(best.macro_f1.mean),
    best_cv_macro_f1_std: round(best.macro_f1.std),
    worst_model: worst.model,
    worst_cv_macro_f1: round(worst.macro_f1.mean),
    // Paired: best minus the runner-up on each fold, mean and std of those differences, folds the best won.
    second_model: second.model,
    second_cv_macro_f1: round(ranked[1]!.macro_f1.mean),
    second_cv_macro_f1_std: round(ranked[1]!.macro_f1.std),
    paired_diff_second: round(second.mean),
    paired_diff_second_std: round(second.std),
    paired_wins_second: second.wins,
    paired: Object.fromEntries(paired.map((d) => [d.model, { diff_mean: round(d.mean), diff_std: round(d.std), best_wins: d.wins }])),
    accuracy: round(bestTest.s.accuracy),
    balanced_accuracy: round(bestTest.s.balanced_accuracy),
    macro_f1: round(bestTest.s.macro_f1),
    worst_macro_f1: round(worstTest.s.macro_f1),
    lowest_recall_class: low.label,
    lowest_recall: round(low.recall),
    most_confused_pair: confused.pair,
    most_confused_count: confused.count,
    cv: Object.fromEntries(
      cv.map((m) => [
        m.model,
        Object.fromEntries(
          (['accuracy', 'balanced_accuracy', 'macro_f1'] as const).flatMap((k) => [
            [`${k}_mean`, round(m[k].mean)],
            [`${k}_std`, round(m[k].std)],
          ]),
        ),
      ]),
    ),
    per_class: Object.fromEntries(
      labels.map((l, c) => [l, { precision: round(rep.precision[c]!), recall: round(rep.recall[c]!), f1: round(rep.f1[c]!), support: rep.support[c]! }]),
    ),
    confusion: { labels, matrix: bestTest.cm },
    confusion_worst: { labels, matrix: worstTest.cm },
  };
  const figures: Figure[] = [
    plainPlusMinus(
      gridFigure(
        `${folds}-fold stratified cross-validation on the ${split.train.length} training events (mean ± std over folds)`,
        ['model', 'accuracy', 'balanced acc.', 'macro F1'],
        ranked.map((m) => [m.model, cvCell(m.accuracy), cvCell(m.balanced_accuracy), cvCell(m.macro_f1)]),
      ),
    ),
    plainPlusMinus(
      gridFigure(
        `Paired on the same ${folds} folds: macro F1 of ${best.model} (best) minus each model, fold by fold (mean ± std of the differences)`,
        ['model', `${best.model} minus model`, `folds ${best.model} wins`],
        paired.map((d) => [d.model, cvCell(d), `${d.wins} of ${d.folds}`]),
      ),
    ),
    keyValueFigure(`Held-out test set (${split.test.length} events), models refitted on all training events`, [
      [`${best.model} (best) accuracy`, fmt(bestTest.s.accuracy)],
      [`${best.model} (best) balanced accuracy`, fmt(bestTest.s.balanced_accuracy)],
      [`${best.model} (best) macro F1`, fmt(bestTest.s.macro_f1)],
      [`${worst.model} (worst) macro F1`, fmt(worstTest.s.macro_f1)],
      ['lowest recall (best model)', `${low.label} ${fmt(low.recall)}`],
      ['most confused pair (best model)', `${confused.pair}: ${confused.count} events`],
    ]),
    {
      title: `Best model (${best.model}): confusion matrix, test set (rows: true class, columns: predicted)`,
      render: (caps) => renderConfusionMatrix(labels, bestTest.cm, caps),
    },
    { title: `Worst model (${worst.model}): confusion matrix, test set`, render: (caps) => renderConfusionMatrix(labels, worstTest.cm, caps) },
    gridFigure(
      `Per class, best model (${best.model}), test set`,
      ['class', 'precision', 'recall', 'F1', 'support'],
      labels.map((l, c) => [l, rep.precision[c]!.toFixed(3), rep.recall[c]!.toFixed(3), rep.f1[c]!.toFixed(3), String(rep.support[c])]),
    ),
  ];
  return { json, figures };
}

// ---------------------------------------------------------------------------------------------
// Step 5: feature importance

/** `volcano-importance`: random-forest and permutation importance, then a model retrained on the top three features. */
export async function runVolcanoImportance(options: VolcanoImportanceOptions, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { nEvents, station } = common(options);
  const { model, rank, folds } = options;
  const table = volcanoTableFor(seed, nEvents, station, callbacks?.onStatus);
  const y = classCodes(table.labels);
  const X = table.rows;
  const split = holdOut(y, 'stratified', seed);
  const yTest = take(y, split.test);

  callbacks?.onStatus?.('training the random forest…');
  const forest = createClassifier('rf', { trees: 100 }, seed) as RandomForestClassifier;
  forest.fit(take(X, split.train), take(y, split.train));
  const impurity = forest.featureImportances.slice();

  callbacks?.onStatus?.(`permutation importance of ${model} on ${folds} folds of the training events…`);
  // Measured inside the training events (each fold held out in turn), never on the test events: the top three are
  // picked here, and the test set then scores them once, as it scores any other choice made in training.
  const perm = innerFoldPermutationImportance(model, X, y, split.train, folds, seed);
  const ranking = rank === 'permutation' ? perm.mean : impurity;
  const order = orderByValue(ranking);
  const top3 = order.slice(0, 3);

  const evaluate = (idx: readonly number[]) => {
    const Xs = columns(X, idx);
    const cvS = crossValidateModel(model, Xs, y, split.train, folds, 'natural', 'train', seed);
    const { pred } = fitPredict(model, Xs, y, split, 'natural', 'train', seed);
    return { cv: cvS.macro_f1, test: macroF1(yTest, pred) };
  };
  callbacks?.onStatus?.(`retraining ${model} on the top three features…`);
  const allF = evaluate(FEATURE_NAMES.map((_, j) => j));
  const topF = evaluate(top3);
  const json: Record<string, unknown> = {
    task: 'volcano-importance',
    seed,
    station,
    model,
    rank,
    top1_feature: FEATURE_NAMES[top3[0]!],
    top2_feature: FEATURE_NAMES[top3[1]!],
    top3_feature: FEATURE_NAMES[top3[2]!],
    top_feature_permutation_drop: round(Math.max(...perm.mean)),
    // The smallest (most negative) mean drop: shuffling that feature changed the score by no more than chance.
    last_feature_permutation: FEATURE_NAMES[orderByValue(perm.mean).at(-1)!],
    last_feature_permutation_drop: round(Math.min(...perm.mean)),
    permutation_measured_on: `${folds} folds of the training events`,
    rf_top_feature: FEATURE_NAMES[impurity.indexOf(Math.max(...impurity))],
    macro_f1_all: round(allF.test),
    macro_f1_top3: round(topF.test),
    cv_macro_f1_all: round(allF.cv.mean),
    cv_macro_f1_top3: round(topF.cv.mean),
    macro_f1_change: round(topF.test - allF.test),
    impurity_importance: Object.fromEntries(FEATURE_NAMES.map((f, j) => [f, round(impurity[j]!)])),
    permutation_importance: Object.fromEntries(FEATURE_NAMES.map((f, j) => [f, { mean: round(perm.mean[j]!), std: round(perm.std[j]!) }])),
  };
  const figures: Figure[] = [
    {
      title: 'Random forest importance (mean decrease in Gini impurity, sums to 1)',
      render: (caps) =>
        renderBarChart(
          FEATURE_NAMES.map((f, j) => ({ label: f, value: round(impurity[j]!) })),
          caps,
          { sort: true },
        ),
    },
    {
      title: `Permutation importance of ${model}: drop in macro-F1 when a feature is shuffled, on the held-out fold of ${folds} folds of the training events (5 shuffles each); below 0, shuffling did not hurt`,
      // Signed and in signed order: a negative drop (the shuffle happened to help) is no importance at all, and ranks last.
      render: (caps) =>
        renderBarChart(
          orderByValue(perm.mean).map((j) => ({ label: FEATURE_NAMES[j]!, value: round(perm.mean[j]!) })),
          caps,
        ),
    },
    plainPlusMinus(
      keyValueFigure(`${model}: all ${FEATURE_NAMES.length} features against the top three by ${rank} importance`, [
        ['top three', top3.map((j) => FEATURE_NAMES[j]!).join(', ')],
        [`macro F1, ${folds}-fold CV, all features`, cvCell(allF.cv)],
        [`macro F1, ${folds}-fold CV, top three`, cvCell(topF.cv)],
        ['macro F1, test, all features', fmt(allF.test)],
        ['macro F1, test, top three', fmt(topF.test)],
      ]),
    ),
  ];
  return { json, figures };
}
