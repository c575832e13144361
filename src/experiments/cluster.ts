// `eds run cluster` and the lessons' clustering steps: k-means, DBSCAN or Ward on the features, scored against labels when there are any.
import { UserError } from '../errors.js';
import { CLUSTERERS, createClusterer, ownOptions, type ClustererName } from '../ml/catalogue.js';
import { CLUSTERER_OPTIONS } from '../ml/model-specs.js';
import { adjustedRandIndex, normalizedMutualInfo, silhouetteScore } from '../ml/metrics.js';
import { StandardScaler } from '../ml/preprocess.js';
import { pca } from '../ml/pca.js';
import { renderScatter } from '../render/scatter.js';
import {
  encodeLabels,
  fmt,
  gridFigure,
  keyValueFigure,
  lidarLoadedData,
  loadData,
  resolveFeatures,
  resolveTarget,
  selectRows,
  type DataOptions,
} from './common.js';
import { round } from '../util/stats.js';
import type { ExperimentResult, Figure } from './types.js';
import type { LidarTableSpec } from '../lidar/table.js';

/** The clustering methods `eds run cluster --model` accepts. */
export const CLUSTER_MODELS = CLUSTERERS;
/** One of `CLUSTER_MODELS`. */
export type ClusterModelName = ClustererName;

/** Options of a clustering experiment. */
export interface ClusterOptions extends DataOptions {
  /** Which method (default kmeans). */
  model?: ClusterModelName;
  /** Number of clusters for k-means and Ward (default 3). */
  k?: number;
  /** k-means starts (default 10). */
  nInit?: number;
  /** DBSCAN radius, in (standardised) feature units (default 0.5). */
  eps?: number;
  /** DBSCAN core-point count (default 5). */
  minSamples?: number;
  /** Standardise features before clustering (default true: distances should not depend on units). */
  standardize?: boolean;
  /** Multiscale lidar features of core points instead of a table (`--points FILE:LABEL`, `--scales`, `--core-points`). */
  lidar?: LidarTableSpec;
}

/** Runs one clustering experiment on all rows (no split: there is nothing to predict). */
export async function runCluster(options: ClusterOptions): Promise<ExperimentResult> {
  const seed = options.seed ?? 0;
  const modelName = options.model ?? 'kmeans';
  if (options.train || options.test) throw new UserError('clustering uses one table: give --dataset or --data, not --train/--test');
  const loaded = options.lidar ? await lidarLoadedData(options.lidar, seed) : await loadData(options);
  // The target, when there is one, is only used to score the clusters (ARI, NMI), never to fit them.
  const target = resolveTarget(loaded, options, false);
  const features = resolveFeatures(loaded, options, target);
  const sel = selectRows(loaded.table, features, target, false);
  const n = sel.X.length;
  if (n < 2) throw new UserError(`only ${n} row(s) left after dropping missing values`);
  const standardize = options.standardize ?? true;
  const X = standardize ? new StandardScaler().fitTransform(sel.X) : sel.X;
  const k = options.k ?? 3;
  // The catalogue's clustering methods; each takes only its own options.
  const given: Record<string, number | undefined> = { k: options.k, nInit: options.nInit, eps: options.eps, minSamples: options.minSamples };
  if (!(CLUSTER_MODELS as readonly string[]).includes(modelName))
    throw new UserError(`unknown clustering method "${String(modelName)}" (${CLUSTER_MODELS.join(', ')})`);
  let labels: number[];
  let reportedInertia: number;
  try {
    ({ labels, inertia: reportedInertia } = createClusterer(modelName, ownOptions(CLUSTERER_OPTIONS[modelName], given), seed).fitPredict(X));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot cluster: ${(err as Error).message}`);
  }
  const ids = [...new Set(labels)].sort((a, b) => a - b);
  const sizes = Object.fromEntries(ids.map((c) => [c === -1 ? 'noise' : String(c), labels.filter((l) => l === c).length]));
  const nClusters = ids.filter((c) => c !== -1).length;
  const json: Record<string, unknown> = {
    task: 'cluster',
    model: modelName,
    seed,
    source: options.lidar ? loaded.table.source : (options.dataset ?? options.data),
    features,
    standardized: standardize,
    n_train: n,
    n_test: 0,
    n_dropped: sel.dropped + loaded.droppedByReader,
    dropped: { missing_value: sel.dropped, too_many_fields: loaded.droppedByReader },
    n_clusters: nClusters,
    cluster_sizes: sizes,
    inertia: round(reportedInertia),
    silhouette: nClusters >= 2 && ids.length < n ? round(silhouetteScore(X, labels, { seed })) : null,
  };
  if (modelName !== 'dbscan') json.k = k;
  if (target !== null) {
    const truth = encodeLabels(sel.target).codes(sel.target);
    json.target = target;
    json.ari = round(adjustedRandIndex(truth, labels));
    json.nmi = round(normalizedMutualInfo(truth, labels));
  }
  return { json, figures: clusterFigures(json, X, labels, features) };
}

function clusterFigures(json: Record<string, unknown>, X: number[][], labels: number[], features: string[]): Figure[] {
  const rows: [string, string][] = [
    ['method', `${json.model}${json.standardized ? ' (standardised features)' : ''}`],
    ['rows / dropped', `${json.n_train} / ${json.n_dropped}`],
    ['clusters', String(json.n_clusters)],
    ['inertia', fmt(json.inertia as number)],
    ['silhouette', json.silhouette === null ? 'n/a' : fmt(json.silhouette as number)],
  ];
  if (json.ari !== undefined) rows.push([`ARI vs ${json.target}`, fmt(json.ari as number)], [`NMI vs ${json.target}`, fmt(json.nmi as number)]);
  const sizes = json.cluster_sizes as Record<string, number>;
  const figures: Figure[] = [
    keyValueFigure('Metrics', rows),
    gridFigure(
      'Cluster sizes',
      ['cluster', 'rows'],
      Object.entries(sizes).map(([c, s]) => [c, String(s)]),
    ),
  ];
  // Two axes to look at: the two features themselves, or the first two principal components.
  let coords: number[][];
  let axes: [string, string];
  if (features.length === 2) {
    coords = X;
    axes = [features[0]!, features[1]!];
  } else if (features.length > 2) {
    coords = pca(X, 2).scores;
    axes = ['PC 1', 'PC 2'];
  } else return figures;
  const groups = [...new Set(labels)]
    .sort((a, b) => a - b)
    .map((c) => {
      const idx = labels.flatMap((l, i) => (l === c ? [i] : []));
      return { name: c === -1 ? 'noise' : `cluster ${c}`, x: idx.map((i) => coords[i]![0]!), y: idx.map((i) => coords[i]![1]!) };
    });
  figures.push({
    title: `Clusters in ${axes[0]} / ${axes[1]}`,
    render: (caps) => renderScatter(groups, caps, { xAxis: { label: axes[0] }, yAxis: { label: axes[1] } }),
  });
  return figures;
}
