// The lidar lessons' experiments (sessions 3–4): look at a scan, neighbourhood eigenvalues at one or several radii, classify and cluster core points (the feature tables themselves are in lidar/table.ts).
import { UserError } from '../errors.js';
import type { LidarSceneName } from '../lidar/scene.js';
import { isRealScan, type RealLidarScan } from '../lidar/real-names.js';
import { boundingBox, type PointCloud } from '../data/point-cloud.js';
import { formatRadius, MIN_NEIGHBOURS, multiscaleFeaturesAsync, selectCorePoints, type FeatureTable } from '../lidar/features.js';
import { createClusterer } from '../ml/catalogue.js';
import {
  accuracy,
  adjustedRandIndex,
  balancedAccuracy,
  classReport,
  confusionMatrix,
  inertia,
  macroF1,
  normalizedMutualInfo,
  silhouetteScore,
} from '../ml/metrics.js';
import { StandardScaler } from '../ml/preprocess.js';
import { spatialSplit, stratifiedSplit, take, type Split } from '../ml/validation.js';
import type { Matrix } from '../ml/types.js';
import { renderConfusionMatrix } from '../render/confusion.js';
import { renderLineChart } from '../render/line.js';
import { renderPlanViews, renderPointCloud, type PlanPanel } from '../render/pointcloud.js';
import { renderTernary } from '../render/ternary.js';
import { makeClassifier } from './classify.js';
import { fmt, gridFigure, keyValueFigure } from './common.js';
import { mean as meanFinite, round } from '../util/stats.js';
import type { ExperimentCallbacks, ExperimentResult, Figure } from './types.js';
import { toAscii } from '../util/text.js';
import { fillSparseScales, loadCloud, modelMatrix, prepareLidarTable, type LidarTableSpec } from '../lidar/table.js';
import type { LidarClassifyOptions, LidarClusterOptions, LidarFeaturesOptions, LidarLookOptions } from '../tasks/options.js';

/** The experiment tasks of the two lidar lessons, as lesson files name them. */
export const LIDAR_TASKS = ['lidar-look', 'lidar-features', 'lidar-classify', 'lidar-cluster'] as const;

/** Default number of core points classified for the scene map (the "whole scene" at terminal resolution). */
export const DEFAULT_MAP_CORES = 20_000;

/** Horizontal range bands (m from the scanner) in which the look step measures point density. */
const NEAR_BAND: readonly [number, number] = [3, 6];
const FAR_BAND: readonly [number, number] = [15, 20];

// ---------------------------------------------------------------------------------------------
// Options

/** `"0.05,0.1,0.5"` → [0.05, 0.1, 0.5] (sorted, distinct), or a one-line error. Radii are in metres. */
export function parseScales(text: string): number[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const values = parts.map(Number);
  if (parts.length === 0 || values.some((v) => !(v > 0) || !Number.isFinite(v))) {
    throw new UserError(`scales: expected radii in metres separated by commas, like 0.05,0.1,0.5, got "${text}"`);
  }
  if (values.some((v) => v > 5)) throw new UserError(`scales: radii above 5 m would take minutes on a dense scan, got "${text}"`);
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  if (sorted.length > 8) throw new UserError(`scales: at most 8 radii, got ${sorted.length}`);
  return sorted;
}

/** `"floor.xyz:floor"` → { path, label }; the class is what follows the last colon (a path may not end with one). */
export function parsePointsArg(text: string): { path: string; label?: string } {
  const at = text.lastIndexOf(':');
  if (at < 0) return { path: text };
  const path = text.slice(0, at);
  const label = text.slice(at + 1).trim();
  if (path === '' || label === '') throw new UserError(`--points: expected FILE:LABEL (e.g. floor.xyz:floor), got "${text}"`);
  return { path, label };
}

/** Which points, which radii, how many core points: the options every lidar task has (checked by its declaration). */
function tableSpec(options: LidarLookOptions): LidarTableSpec {
  const { scales, cores, tolerance } = options;
  if (options.points !== undefined) return { source: { kind: 'files', files: options.points.map(parsePointsArg) }, scales, cores, tolerance };
  // Plain mode passes the lesson's dataset (`lidar-dunes`): it names the scene.
  const scene = options.scene ?? (options.dataset?.replace(/^lidar-/, '') as LidarSceneName | RealLidarScan | undefined) ?? 'dunes';
  if (isRealScan(scene)) return { source: { kind: 'real', scan: scene }, scales, cores, tolerance };
  return { source: { kind: 'scene', scene, size: options.size }, scales, cores, tolerance };
}

// ---------------------------------------------------------------------------------------------
// Pure helpers (exported for the tests)

/** Points per class, in class order. */
export function classCounts(label: Uint8Array, nClasses: number): number[] {
  const counts = new Array<number>(nClasses).fill(0);
  for (let i = 0; i < label.length; i++) counts[label[i]!]!++;
  return counts;
}

/**
 * Points per m² of scanned surface in a band of horizontal range from the scanner: points in the
 * band divided by the number of 1 m × 1 m cells in the band that hold any point (so occlusion
 * shadows and the unscanned sector do not count as area). NaN when the band holds no point.
 */
export function densityInBand(cloud: PointCloud, scanner: readonly [number, number, number], band: readonly [number, number]): number {
  const cells = new Set<number>();
  let count = 0;
  for (let i = 0; i < cloud.x.length; i++) {
    const dx = cloud.x[i]! - scanner[0],
      dy = cloud.y[i]! - scanner[1];
    const rho = Math.hypot(dx, dy);
    if (rho < band[0] || rho >= band[1]) continue;
    count++;
    cells.add((Math.floor(dx) + 10_000) * 20_000 + (Math.floor(dy) + 10_000));
  }
  return cells.size === 0 ? NaN : count / cells.size;
}

/**
 * How well the classes separate in the eigenvalue triangle: the balanced accuracy of the rule
 * "each core point belongs to the class whose mean (a1D, a2D, a3D) is nearest". 1 when the class
 * clouds sit apart in the triangle, 1/K (chance) when they overlap completely. A description of
 * the features, not a model evaluation: it is computed on all the core points.
 */
export function triangleSeparation(a: readonly (readonly [number, number, number])[], y: readonly number[], nClasses: number): number {
  const means = Array.from({ length: nClasses }, () => [0, 0, 0]);
  const counts = new Array<number>(nClasses).fill(0);
  a.forEach((p, i) => {
    const c = y[i]!;
    counts[c]!++;
    for (let j = 0; j < 3; j++) means[c]![j]! += p[j]!;
  });
  means.forEach((m, c) => m.forEach((_, j) => (m[j]! /= Math.max(1, counts[c]!))));
  const pred = a.map((p) => {
    let best = -1,
      bestD = Infinity;
    means.forEach((m, c) => {
      if (counts[c] === 0) return;
      const d = (p[0] - m[0]!) ** 2 + (p[1] - m[1]!) ** 2 + (p[2] - m[2]!) ** 2;
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    });
    return best;
  });
  return balancedAccuracy(y as number[], pred);
}

/** Intersection over union per class from a confusion matrix (rows true, columns predicted): TP / (TP + FP + FN); NaN for a class absent from both. */
export function iouPerClass(matrix: readonly (readonly number[])[]): number[] {
  return matrix.map((row, c) => {
    const tp = row[c]!;
    const fn = row.reduce((a, b) => a + b, 0) - tp;
    const fp = matrix.reduce((a, r) => a + r[c]!, 0) - tp;
    return tp + fp + fn === 0 ? NaN : tp / (tp + fp + fn);
  });
}

/**
 * How clusters hold the classes: the purity (each cluster, DBSCAN's noise as one, counted as its most common
 * class: the share of points so counted right; never below the majority class's share, so imbalance flatters
 * it), and the cluster that holds most of the smallest class: its id, the share of that class it holds
 * (recall) and the share of it that is that class (precision).
 */
export function clusterPurity(
  y: readonly number[],
  clusters: readonly number[],
  classes: readonly string[],
): { purity: number; minority_class: string; minority_cluster: number; minority_cluster_recall: number; minority_cluster_precision: number } {
  const K = classes.length;
  const table = new Map<number, number[]>();
  y.forEach((c, i) => {
    const row = table.get(clusters[i]!) ?? new Array<number>(K).fill(0);
    row[c]!++;
    table.set(clusters[i]!, row);
  });
  let right = 0;
  for (const row of table.values()) right += Math.max(...row);
  const counts = classCounts(Uint8Array.from(y), K);
  const minority = counts.indexOf(Math.min(...counts.filter((v) => v > 0)));
  let best = { id: -1, n: -1, size: 1 };
  for (const [id, row] of [...table.entries()].sort((a, b) => a[0] - b[0])) {
    const size = row.reduce((a, b) => a + b, 0);
    if (row[minority]! > best.n) best = { id, n: row[minority]!, size };
  }
  return {
    purity: round(right / Math.max(1, y.length)),
    minority_class: classes[minority]!,
    minority_cluster: best.id,
    minority_cluster_recall: round(best.n / Math.max(1, counts[minority]!)),
    minority_cluster_precision: round(best.n / best.size),
  };
}

/** The dominant dimension of a mean (a1D, a2D, a3D): "1-D", "2-D" or "3-D". */
export function dominantDimension(a: readonly [number, number, number]): '1-D' | '2-D' | '3-D' {
  return a[0] >= a[1] && a[0] >= a[2] ? '1-D' : a[1] >= a[2] ? '2-D' : '3-D';
}

// Tables hold ×, ², – and 1-D/3-D words: spelt in ASCII on terminals without Unicode, at render time.
function kvFigure(title: string, rows: readonly [string, string][]): Figure {
  return {
    title,
    render: (caps) => keyValueFigure(title, caps.unicode ? rows : rows.map(([k, v]): [string, string] => [toAscii(k), toAscii(v)])).render(caps),
  };
}

function tableFigure(title: string, header: readonly string[], body: readonly (readonly string[])[]): Figure {
  return {
    title,
    render: (caps) =>
      (caps.unicode
        ? gridFigure(title, header, body)
        : gridFigure(
            title,
            header.map(toAscii),
            body.map((r) => r.map(toAscii)),
          )
      ).render(caps),
  };
}

// ---------------------------------------------------------------------------------------------
// Figures shared by the tasks

function cloudFigure(
  title: string,
  cloud: { x: ArrayLike<number>; y: ArrayLike<number>; z: ArrayLike<number>; labels?: ArrayLike<number> },
  view: 'top' | 'side',
  colorBy: 'label' | 'height',
  labelNames?: readonly string[],
): Figure {
  return { title, render: (caps) => renderPointCloud(cloud, caps, { view, colorBy, labelNames }) };
}

/** Plan views of the same ground on one scale, side by side where they fit; maps gain from every row the window has. */
function planFigure(title: string, panels: readonly PlanPanel[]): Figure {
  return { title, tall: true, render: (caps) => renderPlanViews(panels, caps) };
}

/** Coordinates of the core points (rows of the table), for the top view. */
function corePositions(cloud: PointCloud, table: FeatureTable, rows: readonly number[]): { x: Float64Array; y: Float64Array; z: Float64Array } {
  const x = new Float64Array(rows.length),
    y = new Float64Array(rows.length),
    z = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const c = table.core[r]!;
    x[i] = cloud.x[c]!;
    y[i] = cloud.y[c]!;
    z[i] = cloud.z[c]!;
  });
  return { x, y, z };
}

/** The triangle coordinates of one scale for the kept rows. */
function triangleAt(table: FeatureTable, rows: readonly number[], scale: number): [number, number, number][] {
  const base = table.columns.indexOf(`r${formatRadius(scale)}_a1d`);
  const w = table.columns.length;
  return rows.map((r) => [table.values[r * w + base]!, table.values[r * w + base + 1]!, table.values[r * w + base + 2]!]);
}

function ternaryFigure(title: string, points: readonly [number, number, number][], groupOf: readonly number[], names: readonly string[]): Figure {
  const groups = names.map((name, g) => {
    const idx = points.map((_, i) => i).filter((i) => groupOf[i] === g);
    return { name, a: idx.map((i) => points[i]![0]), b: idx.map((i) => points[i]![1]), c: idx.map((i) => points[i]![2]) };
  });
  return { title, render: (caps) => renderTernary(groups, caps) };
}

// ---------------------------------------------------------------------------------------------
// Step 1: look

/** `lidar-look`: the labelled cloud from above and from the side, by height and by class; counts and density. */
export async function runLidarLook(options: LidarLookOptions, seed: number, callbacks: ExperimentCallbacks = {}): Promise<ExperimentResult> {
  const spec = tableSpec(options);
  const loaded = await loadCloud(spec.source, seed, callbacks.onStatus);
  const { cloud } = loaded;
  const n = cloud.x.length;
  const classes = cloud.classes ?? [];
  const counts = cloud.label ? classCounts(cloud.label, classes.length) : [];
  const box = boundingBox(cloud);
  const extent = { x: round(box.max[0] - box.min[0]), y: round(box.max[1] - box.min[1]), z: round(box.max[2] - box.min[2]) };
  const json: Record<string, unknown> = {
    task: 'lidar-look',
    source: loaded.name,
    seed,
    n_points: n,
    classes,
    class_counts: Object.fromEntries(classes.map((c, i) => [c, counts[i]!])),
    class_shares: Object.fromEntries(classes.map((c, i) => [c, round(counts[i]! / n)])),
    extent_m: extent,
    points_per_m2: round(n / Math.max(1e-9, extent.x * extent.y)),
  };
  if (counts.length > 0) {
    const minority = counts.indexOf(Math.min(...counts));
    json.minority_class = classes[minority];
    json.minority_share = round(counts[minority]! / n);
    // What a model that always answers the majority class would score: the floor plain accuracy must beat.
    json.majority_share = round(Math.max(...counts) / n);
  }
  if (loaded.scanner) {
    const near = densityInBand(cloud, loaded.scanner, NEAR_BAND);
    const far = densityInBand(cloud, loaded.scanner, FAR_BAND);
    json.scanner = loaded.scanner;
    json.density_near_per_m2 = round(near);
    json.density_far_per_m2 = round(far);
    json.density_ratio = round(near / far);
  }
  const labels = cloud.label;
  const shown = { x: cloud.x, y: cloud.y, z: cloud.z, labels };
  const rows: [string, string][] = [
    ['points', n.toLocaleString('en')],
    ['extent x × y × z (m)', `${fmt(extent.x)} × ${fmt(extent.y)} × ${fmt(extent.z)}`],
    ...classes.map((c, i): [string, string] => [`  ${c}`, `${counts[i]!.toLocaleString('en')} (${fmt((100 * counts[i]!) / n)} %)`]),
  ];
  if (loaded.scanner) {
    rows.push(
      [`density ${NEAR_BAND[0]}–${NEAR_BAND[1]} m from the scanner`, `${fmt(json.density_near_per_m2 as number)} points/m²`],
      [`density ${FAR_BAND[0]}–${FAR_BAND[1]} m from the scanner`, `${fmt(json.density_far_per_m2 as number)} points/m²`],
      ['near / far', `${fmt(json.density_ratio as number)} ×`],
    );
  }
  const figures: Figure[] = [kvFigure(`The scan: ${loaded.name}`, rows)];
  figures.push(
    planFigure(
      labels ? 'Top view: by class (the highest point of each cell), by height, and the density of points' : 'Top view: by height, and the density of points',
      [
        ...(labels ? [{ cloud: shown, title: 'class', colorBy: 'label' as const, labelNames: classes }] : []),
        { cloud: shown, title: 'height', colorBy: 'height' },
        { cloud: shown, title: 'density', colorBy: 'density' },
      ],
    ),
  );
  if (labels) figures.push(cloudFigure('Side profile (x–z), by class (the nearest point of each cell)', shown, 'side', 'label', classes));
  figures.push(cloudFigure('Side profile (x–z), by height', shown, 'side', 'height'));
  return { json, figures };
}

// ---------------------------------------------------------------------------------------------
// Steps 2–3: neighbourhoods and their eigenvalues, at one or several radii

/** `lidar-features`: core points' neighbourhoods at each radius, the eigenvalue triangle by class, and how well each radius separates the classes. */
export async function runLidarFeatures(options: LidarFeaturesOptions, seed: number, callbacks: ExperimentCallbacks = {}): Promise<ExperimentResult> {
  const spec = tableSpec(options);
  const p = await prepareLidarTable(spec, seed, callbacks.onStatus);
  const { table, rows, classes } = p;
  const w = table.columns.length;
  const K = classes.length;
  const labelOf = p.y ?? rows.map(() => 0);
  const names = K > 0 ? classes : ['core points'];
  const perScale: Record<string, unknown> = {};
  const figures: Figure[] = [];
  const sepRows: string[][] = [];
  let best = { scale: NaN, sep: -Infinity };
  let worst = { scale: NaN, sep: Infinity };
  const scaleSummaries: { scale: number; meanN: number; sparse: number; sep: number }[] = [];
  for (const s of table.radii) {
    const nCol = table.columns.indexOf(`r${formatRadius(s)}_n`);
    let sumN = 0,
      sparse = 0;
    for (let r = 0; r < table.rows; r++) {
      const m = table.values[r * w + nCol]!;
      sumN += m;
      if (m < MIN_NEIGHBOURS) sparse++;
    }
    const tri = triangleAt(table, rows, s);
    const means = names.map((_, c) => {
      const mine = tri.filter((_, i) => labelOf[i] === c);
      return [0, 1, 2].map((j) => meanFinite(mine.map((t) => t[j]!))) as [number, number, number];
    });
    const sep = K >= 2 ? triangleSeparation(tri, labelOf, K) : NaN;
    if (sep > best.sep) best = { scale: s, sep };
    if (sep < worst.sep) worst = { scale: s, sep };
    scaleSummaries.push({ scale: s, meanN: sumN / table.rows, sparse, sep });
    perScale[formatRadius(s)] = {
      mean_neighbours: round(sumN / table.rows),
      n_sparse: sparse,
      separation: Number.isNaN(sep) ? null : round(sep),
      class_means: Object.fromEntries(names.map((c, k) => [c, { a1d: round(means[k]![0]), a2d: round(means[k]![1]), a3d: round(means[k]![2]) }])),
    };
    figures.push(ternaryFigure(`Eigenvalue triangle at r = ${formatRadius(s)} m, by class (corners: 1-D line, 2-D plane, 3-D volume)`, tri, labelOf, names));
    figures.push(
      tableFigure(
        `Mean dimensionality by class at r = ${formatRadius(s)} m`,
        ['class', 'a1D (line)', 'a2D (plane)', 'a3D (volume)', 'looks'],
        names.map((c, k) => [c, fmt(means[k]![0]), fmt(means[k]![1]), fmt(means[k]![2]), dominantDimension(means[k]!)]),
      ),
    );
    sepRows.push([`${formatRadius(s)} m`, fmt(sumN / table.rows), `${sparse} (${fmt((100 * sparse) / table.rows)} %)`, Number.isNaN(sep) ? 'n/a' : fmt(sep)]);
  }
  figures.unshift(
    tableFigure(
      `Each radius: neighbours per core point, cores with fewer than ${MIN_NEIGHBOURS} points (no 3-D shape), class separation in the triangle`,
      ['radius', 'mean neighbours', `fewer than ${MIN_NEIGHBOURS}`, 'separation'],
      sepRows,
    ),
  );
  const first = scaleSummaries[0]!;
  const json: Record<string, unknown> = {
    task: 'lidar-features',
    source: p.loaded.name,
    seed,
    scales_m: table.radii,
    n_cores: table.rows,
    n_filled: p.filled,
    classes,
    per_scale: perScale,
    // Flat keys for the finest radius, so a lesson can ask about them (`=neighbourhood.mean_neighbours`).
    mean_neighbours: round(first.meanN),
    n_sparse: first.sparse,
    sparse_share: round(first.sparse / table.rows),
  };
  if (K >= 2) {
    json.separation = round(first.sep);
    json.best_scale_m = best.scale;
    json.best_separation = round(best.sep);
    json.worst_scale_m = worst.scale;
    json.worst_separation = round(worst.sep);
    json.chance = round(1 / K);
  }
  return { json, figures };
}

// ---------------------------------------------------------------------------------------------
// Step 4: supervised classification, then the whole scene

/** `lidar-classify`: split the core points, train an SVM or a random forest, test metrics with IoU, then classify the scene and draw the errors where they are. */
export async function runLidarClassify(options: LidarClassifyOptions, seed: number, callbacks: ExperimentCallbacks = {}): Promise<ExperimentResult> {
  const spec = tableSpec(options);
  const { model, testSize, C, trees, map: mapCores } = options;
  const p = await prepareLidarTable(spec, seed, callbacks.onStatus);
  if (!p.y || p.classes.length < 2) throw new UserError('lidar-classify needs labelled points of at least two classes (FILE:LABEL)');
  const K = p.classes.length;
  const y = p.y;
  const { cloud } = p.loaded;
  let split: Split & { azimuthDeg?: number };
  try {
    if (options.split === 'spatial') {
      const at = p.rows.map((r) => p.table.core[r]!);
      split = spatialSplit(
        y,
        at.map((c) => cloud.x[c]!),
        at.map((c) => cloud.y[c]!),
        testSize,
        seed,
      );
    } else split = stratifiedSplit(y, testSize, seed);
  } catch (err) {
    throw new UserError(`cannot split the core points: ${(err as Error).message}`);
  }
  const Xtr = take(p.X, split.train),
    ytr = take(y, split.train),
    Xte = take(p.X, split.test),
    yte = take(y, split.test);
  if (new Set(ytr).size < 2) throw new UserError('the training core points hold only one class: add core points or points of the other class');
  callbacks.onStatus?.(`training ${model === 'rf' ? `a random forest (${trees} trees)` : 'a linear SVM'} on ${Xtr.length} core points…`);
  const clf = makeClassifier({ model, C, trees, seed });
  try {
    clf.fit(Xtr, ytr);
  } catch (err) {
    throw new UserError(`cannot train: ${(err as Error).message}`);
  }
  const pred = clf.predict(Xte);
  const cm = confusionMatrix(yte, pred, K);
  const rep = classReport(cm);
  const iou = iouPerClass(cm);
  const support = cm.map((row) => row.reduce((a, b) => a + b, 0));
  const minority = support.indexOf(Math.min(...support.filter((s) => s > 0)));
  const json: Record<string, unknown> = {
    task: 'lidar-classify',
    source: p.loaded.name,
    model,
    seed,
    scales_m: p.table.radii,
    features: p.names,
    n_cores: p.table.rows,
    n_filled: p.filled,
    n_dropped: p.table.rows - p.rows.length,
    split: options.split,
    ...(split.azimuthDeg === undefined ? {} : { split_azimuth_deg: round(split.azimuthDeg) }),
    n_train: Xtr.length,
    n_test: Xte.length,
    accuracy: round(accuracy(yte, pred)),
    balanced_accuracy: round(balancedAccuracy(yte, pred)),
    macro_f1: round(macroF1(yte, pred)),
    train_accuracy: round(accuracy(ytr, clf.predict(Xtr))),
    per_class: Object.fromEntries(
      p.classes.map((c, k) => [
        c,
        { precision: round(rep.precision[k]!), recall: round(rep.recall[k]!), f1: round(rep.f1[k]!), iou: round(iou[k]!), support: support[k]! },
      ]),
    ),
    iou: Object.fromEntries(p.classes.map((c, k) => [c, round(iou[k]!)])),
    mean_iou: round(meanFinite(iou)),
    confusion: { labels: p.classes, matrix: cm },
    minority_class: p.classes[minority],
    minority_precision: round(rep.precision[minority]!),
    minority_recall: round(rep.recall[minority]!),
    minority_f1: round(rep.f1[minority]!),
    minority_iou: round(iou[minority]!),
    majority_share_test: round(Math.max(...support) / yte.length),
  };
  const figures: Figure[] = [
    kvFigure(`Test set (${Xte.length} core points never seen in training)`, [
      ['model', model === 'rf' ? `random forest, ${trees} trees` : `linear SVM, C = ${fmt(C)} (standardised features)`],
      ['features', `${p.names.length} (a1D, a2D, a3D at ${p.table.radii.map(formatRadius).join(', ')} m)`],
      ['core points: train / test', `${Xtr.length} / ${Xte.length}`],
      ['split', options.split === 'spatial' ? `spatial: each class's far block, at ${fmt(json.split_azimuth_deg as number)}°` : 'random (stratified)'],
      ['overall accuracy', fmt(json.accuracy as number)],
      ['balanced accuracy', fmt(json.balanced_accuracy as number)],
      ['macro F1', fmt(json.macro_f1 as number)],
      ['mean IoU', fmt(json.mean_iou as number)],
      ['accuracy on the training cores', fmt(json.train_accuracy as number)],
    ]),
    tableFigure(
      'Per class, test set',
      ['class', 'precision', 'recall', 'F1', 'IoU', 'support'],
      p.classes.map((c, k) => [c, fmt(rep.precision[k]!), fmt(rep.recall[k]!), fmt(rep.f1[k]!), fmt(iou[k]!), String(support[k]!)]),
    ),
    { title: 'Confusion matrix, test set (rows: true class, columns: predicted)', render: (caps) => renderConfusionMatrix(p.classes, cm, caps) },
  ];
  {
    // Where the held-out core points are: interleaved with the training ones (random) or in blocks (spatial).
    const pos = corePositions(cloud, p.table, p.rows);
    const heldOut = new Uint8Array(p.rows.length);
    for (const i of split.test) heldOut[i] = 1;
    figures.push(
      planFigure(`Train and test core points, top view (${options.split} split), beside the true classes`, [
        { cloud: { ...pos, labels: heldOut }, title: 'train / test', colorBy: 'label', labelNames: ['train', 'test'] },
        { cloud: { ...pos, labels: Uint8Array.from(y) }, title: 'true classes', colorBy: 'label', labelNames: p.classes },
      ]),
    );
  }

  if (mapCores > 0) {
    // The scene map: many more core points, drawn with another seed; those used for training are left out of its scores.
    const mapIdx = selectCorePoints(cloud.x.length, Math.min(mapCores, cloud.x.length), seed + 202);
    const mapTable = await multiscaleFeaturesAsync(cloud, {
      radii: p.table.radii,
      cores: mapIdx,
      onProgress: (done, total) => {
        if (done === total || done % Math.max(1, Math.floor(total / 10)) < 256)
          callbacks.onStatus?.(`classifying the scene: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} points`);
      },
    });
    fillSparseScales(mapTable);
    const m = modelMatrix(mapTable);
    const mapPred = clf.predict(m.X);
    const trained = new Set(split.train.map((i) => p.table.core[p.rows[i]!]!));
    const truth = m.rows.map((r) => mapTable.label![r]!);
    const scored = m.rows.map((_, i) => i).filter((i) => !trained.has(mapTable.core[m.rows[i]!]!));
    const mt = scored.map((i) => truth[i]!),
      mp = scored.map((i) => mapPred[i]!);
    const wrong = mp.filter((v, i) => v !== mt[i]).length;
    json.map_points = mapIdx.length;
    json.map_accuracy = round(accuracy(mt, mp));
    json.map_balanced_accuracy = round(balancedAccuracy(mt, mp));
    json.map_errors = wrong;
    json.map_error_share = round(wrong / Math.max(1, mt.length));
    const pos = corePositions(cloud, mapTable, m.rows);
    const errorLabel = m.rows.map((_, i) => (mapPred[i] === truth[i] ? 0 : 1));
    figures.push(
      // One figure, one scale: the prediction, where the errors are and the truth side by side, to be compared cell for cell.
      planFigure(`The scene classified (${m.rows.length.toLocaleString('en')} points), top view: predicted, where the errors are, true classes`, [
        { cloud: { ...pos, labels: mapPred }, title: 'predicted', colorBy: 'label', labelNames: p.classes },
        {
          cloud: { ...pos, labels: errorLabel },
          title: 'where the errors are',
          colorBy: 'label',
          labelNames: ['right', 'wrong'],
          background: [0],
          foreground: [1],
        },
        { cloud: { ...pos, labels: truth }, title: 'true classes', colorBy: 'label', labelNames: p.classes },
      ]),
    );
  }
  return { json, figures };
}

// ---------------------------------------------------------------------------------------------
// Step 5: clustering without labels

/** `lidar-cluster`: k-means (with the elbow and silhouette over k), DBSCAN or Ward on the same features; ARI/NMI against the labels; clusters in the top view. */
export async function runLidarCluster(options: LidarClusterOptions, seed: number, callbacks: ExperimentCallbacks = {}): Promise<ExperimentResult> {
  const spec = tableSpec(options);
  const { model, k, eps, minSamples, maxK } = options;
  const p = await prepareLidarTable(spec, seed, callbacks.onStatus);
  // Standardised, as in `eds run cluster`: the a-columns share a unit, but their spreads differ by scale.
  const X = new StandardScaler().fitTransform(p.X);
  const n = X.length;
  if (k > n) throw new UserError(`k = ${k} clusters needs at least ${k} core points, got ${n}`);
  callbacks.onStatus?.(`${model} on ${n} core points…`);
  let labels: number[];
  try {
    labels = createClusterer(model, model === 'dbscan' ? { eps, minSamples } : model === 'kmeans' ? { k, nInit: 10 } : { k }, seed).fitPredict(X).labels;
  } catch (err) {
    throw new UserError(`cannot cluster: ${(err as Error).message}`);
  }
  const ids = [...new Set(labels)].sort((a, b) => a - b);
  const clusterIds = ids.filter((c) => c !== -1);
  const noise = labels.filter((l) => l === -1).length;
  const sizes = Object.fromEntries(ids.map((c) => [c === -1 ? 'noise' : String(c), labels.filter((l) => l === c).length]));
  const json: Record<string, unknown> = {
    task: 'lidar-cluster',
    source: p.loaded.name,
    model,
    seed,
    scales_m: p.table.radii,
    features: p.names,
    standardized: true,
    n_cores: n,
    n_clusters: clusterIds.length,
    cluster_sizes: sizes,
    inertia: round(inertia(X, labels)),
    silhouette: clusterIds.length >= 2 && ids.length < n ? round(silhouetteScore(X, labels, { seed })) : null,
  };
  if (model !== 'dbscan') json.k = k;
  else {
    json.eps = eps;
    json.min_samples = minSamples;
    json.noise_share = round(noise / n);
  }
  if (p.y) {
    json.ari = round(adjustedRandIndex(p.y, labels));
    json.nmi = round(normalizedMutualInfo(p.y, labels));
    json.n_classes = p.classes.length;
    Object.assign(json, clusterPurity(p.y, labels, p.classes));
  }

  const figures: Figure[] = [];
  const summary: [string, string][] = [
    [
      'method',
      model === 'kmeans'
        ? `k-means, k = ${k}`
        : model === 'dbscan'
          ? `DBSCAN, eps = ${fmt(eps)}, min samples = ${minSamples}`
          : `agglomerative (Ward), k = ${k}`,
    ],
    ['core points / features', `${n} / ${p.names.length} (standardised)`],
    ['clusters', `${clusterIds.length}${model === 'dbscan' ? ` + noise (${noise} points, ${fmt((100 * noise) / n)} %)` : ''}`],
    ['inertia', fmt(json.inertia as number)],
    ['silhouette', json.silhouette === null ? 'n/a (needs 2 clusters or more)' : fmt(json.silhouette as number)],
  ];
  if (p.y) {
    const which = json.minority_cluster === -1 ? 'noise' : `cluster ${json.minority_cluster}`;
    summary.push(
      ['ARI vs the labels', fmt(json.ari as number)],
      ['NMI vs the labels', fmt(json.nmi as number)],
      ['purity (each cluster as its main class)', fmt(json.purity as number)],
      [`${json.minority_class} in ${which}`, `${fmt(100 * (json.minority_cluster_recall as number))} % of it`],
      [`${which} that is ${json.minority_class}`, `${fmt(100 * (json.minority_cluster_precision as number))} %`],
    );
  }
  figures.push(kvFigure('Clusters', summary));

  if (model === 'kmeans') {
    // The elbow and the silhouette over k: what a student has to choose k from when there are no labels.
    const ks: number[] = [],
      inertias: number[] = [],
      sils: number[] = [];
    for (let kk = 1; kk <= Math.min(maxK, n - 1); kk++) {
      callbacks.onStatus?.(`k-means for k = ${kk} of ${maxK}…`);
      // The student's own k is the run above (10 starts), so the scan and the summary give one silhouette for it;
      // the other k take 4 starts each, for speed.
      const res = kk === k ? { labels, inertia: inertia(X, labels) } : createClusterer('kmeans', { k: kk, nInit: 4 }, seed).fitPredict(X);
      ks.push(kk);
      inertias.push(res.inertia);
      sils.push(kk >= 2 && new Set(res.labels).size >= 2 ? silhouetteScore(X, res.labels, { seed }) : NaN);
    }
    let bestK = 2;
    sils.forEach((s, i) => {
      if (s > (sils[bestK - 1] ?? -Infinity)) bestK = ks[i]!;
    });
    json.elbow = Object.fromEntries(ks.map((kk, i) => [String(kk), round(inertias[i]!)]));
    json.silhouette_by_k = Object.fromEntries(ks.filter((kk) => kk >= 2).map((kk) => [String(kk), round(sils[kk - 1]!)]));
    json.best_k_silhouette = bestK;
    json.best_silhouette = round(sils[bestK - 1]!);
    figures.push(
      {
        title: 'Elbow: k-means inertia against k',
        render: (caps) => renderLineChart([{ name: 'inertia', x: ks, y: inertias }], caps, { xAxis: { label: 'k' }, yAxis: { label: 'inertia' } }),
      },
      {
        title: 'Silhouette against k (higher: tighter, better separated clusters)',
        render: (caps) =>
          renderLineChart([{ name: 'silhouette', x: ks.slice(1), y: sils.slice(1) }], caps, { xAxis: { label: 'k' }, yAxis: { label: 'silhouette' } }),
      },
    );
  }
  if (model === 'dbscan') {
    // The sorted distance to the min-samples-th neighbour: its knee is a sensible eps.
    const kd = kDistances(X, minSamples, seed);
    json.k_distance_median = round(kd[Math.floor(kd.length / 2)]!);
    json.k_distance_p90 = round(kd[Math.floor(0.9 * (kd.length - 1))]!);
    figures.push({
      title: `Distance to the ${minSamples}th nearest neighbour, sorted (eps = ${fmt(eps)}: points above it cannot be core points)`,
      render: (caps) =>
        renderLineChart(
          [
            { name: `${minSamples}-distance`, y: kd },
            { name: 'eps', y: kd.map(() => eps) },
          ],
          caps,
          { xAxis: { label: 'core points, sorted' }, yAxis: { label: 'distance (standardised units)' } },
        ),
    });
  }

  // What each cluster is: its size, its mean shape at the largest radius, and (with labels) the class it holds most.
  const largest = p.table.radii[p.table.radii.length - 1]!;
  const tri = triangleAt(p.table, p.rows, largest);
  const clusterNames = clusterIds.map((c) => `cluster ${c}`);
  const meaning = clusterIds.map((c) => {
    const mine = labels.map((l, i) => (l === c ? i : -1)).filter((i) => i >= 0);
    const mean = [0, 1, 2].map((j) => meanFinite(mine.map((i) => tri[i]![j]!))) as [number, number, number];
    const row = [`cluster ${c}`, String(mine.length), fmt(mean[0]), fmt(mean[1]), fmt(mean[2]), dominantDimension(mean)];
    if (p.y) {
      const counts = p.classes.map((_, k2) => mine.filter((i) => p.y![i] === k2).length);
      const top = counts.indexOf(Math.max(...counts));
      row.push(`${p.classes[top]} ${fmt((100 * counts[top]!) / Math.max(1, mine.length))} %`);
    }
    return row;
  });
  figures.push(
    tableFigure(
      `What each cluster is: mean dimensionality at r = ${formatRadius(largest)} m${p.y ? ', and the class it holds most' : ''}`,
      ['cluster', 'points', 'a1D', 'a2D', 'a3D', 'looks', ...(p.y ? ['mostly'] : [])],
      meaning,
    ),
  );
  if (p.y) {
    const header = ['', ...p.classes];
    const body = ids.map((c) => [
      c === -1 ? 'noise' : `cluster ${c}`,
      ...p.classes.map((_, k2) => String(labels.filter((l, i) => l === c && p.y![i] === k2).length)),
    ]);
    figures.push(tableFigure('Clusters against the labels (rows: clusters, columns: classes)', header, body));
  }
  const pos = corePositions(p.loaded.cloud, p.table, p.rows);
  const byId = Array.from({ length: Math.max(0, ...clusterIds) + 1 }, (_, c) => `cluster ${c}`);
  // Noise never covers a cluster in a cell; with labels, the true classes beside the clusters on the same scale.
  figures.push(
    planFigure(p.y ? 'Clusters in the top view (core points), beside the true classes' : 'Clusters in the top view (core points)', [
      { cloud: { ...pos, labels }, title: 'clusters', colorBy: 'label', labelNames: byId },
      ...(p.y ? [{ cloud: { ...pos, labels: p.y }, title: 'true classes', colorBy: 'label' as const, labelNames: p.classes }] : []),
    ]),
  );
  figures.push(
    ternaryFigure(
      `The clusters in the eigenvalue triangle at r = ${formatRadius(largest)} m`,
      tri,
      labels.map((l) => clusterIds.indexOf(l)),
      clusterNames,
    ),
  );
  return { json, figures };
}

/** Distance of each row to its `m`-th nearest other row (the row itself counts as the first, as in DBSCAN's min_samples), sorted ascending; at most 2,000 rows scored. */
function kDistances(X: Matrix, m: number, seed: number): number[] {
  const n = X.length;
  let rows = Array.from({ length: n }, (_, i) => i);
  if (n > 2000) rows = Array.from(selectCorePoints(n, 2000, seed));
  const out = rows.map((i) => {
    const d = X.map((row) => Math.sqrt(row.reduce((a, v, j) => a + (v - X[i]![j]!) ** 2, 0))).sort((a, b) => a - b);
    return d[Math.min(m - 1, n - 1)]!;
  });
  return out.sort((a, b) => a - b);
}
