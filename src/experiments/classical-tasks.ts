// The run functions of the regression, classification and clustering tasks: their declared, checked options
// (src/tasks/declarations.ts) to the experiments' own option objects, and lidar features instead of a table when
// `points`, `scales`, `corePoints` or `tolerance` is given.
import { UserError } from '../errors.js';
import type { LidarTableSpec } from '../lidar/table.js';
import type { DataOptions } from './common.js';
import { dataFields, lidarTable, type ClassifyTaskOptions, type ClusterTaskOptions, type RegressionTaskOptions } from '../tasks/options.js';
import type { ExperimentCallbacks, ExperimentResult } from './types.js';

/** The options every general task shares, as the experiments take them. */
function dataOptions(o: RegressionTaskOptions | ClassifyTaskOptions | ClusterTaskOptions, seed: number): DataOptions {
  return {
    dataset: o.dataset,
    data: o.data,
    target: o.target,
    train: o.train,
    test: o.test,
    features: o.features,
    testSize: o.testSize,
    split: o.split,
    timeColumns: o.timeColumn,
    delimiter: o.delimiter === '\\t' || o.delimiter === 'tab' ? '\t' : o.delimiter,
    missingValues: o.missing,
    seed,
  };
}

/** Options that say where the rows come from; every other declared option belongs to the model and passes on as it is. */
const SOURCE_KEYS: ReadonlySet<string> = new Set([...Object.keys(dataFields), ...Object.keys(lidarTable)]);
type SourceKey = keyof typeof dataFields | keyof typeof lidarTable;

/** The model's options of a checked task: all but the source's, so an option added to a schema cannot be dropped here. */
function modelOptions<O extends object>(o: O): Omit<O, SourceKey> {
  return Object.fromEntries(Object.entries(o).filter(([key]) => !SOURCE_KEYS.has(key))) as Omit<O, SourceKey>;
}

/** Lidar features instead of a table when --points, --scales, --core-points or --tolerance is given (with --dataset lidar-*, its scene). */
async function lidarSpec(o: ClassifyTaskOptions | ClusterTaskOptions): Promise<LidarTableSpec | undefined> {
  const { points, scales, corePoints, tolerance } = o;
  if (points === undefined && scales === undefined && corePoints === undefined && tolerance === undefined) return undefined;
  const lidar = await import('./lidar.js');
  const { DEFAULT_CORES, DEFAULT_SCALES } = await import('../lidar/table.js');
  const { DEFAULT_LIDAR_POINTS, LIDAR_SCENES } = await import('../lidar/scene.js');
  const spec = { scales: scales === undefined ? [...DEFAULT_SCALES] : lidar.parseScales(scales.join(',')), cores: corePoints ?? DEFAULT_CORES, tolerance };
  if (points !== undefined) {
    if (o.dataset || o.data || o.train || o.test) throw new UserError('--points replaces --dataset/--data: give one or the other', { exitCode: 2 });
    return { ...spec, source: { kind: 'files', files: points.map(lidar.parsePointsArg) } };
  }
  const scene = o.dataset?.replace(/^lidar-/, '');
  if (!o.dataset?.startsWith('lidar-') || !(LIDAR_SCENES as readonly string[]).includes(scene!)) {
    throw new UserError('--scales, --core-points and --tolerance apply to lidar data: --dataset lidar-dunes|lidar-ski|lidar-4class, or --points FILE:LABEL', {
      exitCode: 2,
    });
  }
  return { ...spec, source: { kind: 'scene', scene: scene as (typeof LIDAR_SCENES)[number], size: DEFAULT_LIDAR_POINTS } };
}

/** `regression`: checked options to `runRegression`. */
export async function runRegressionTask(o: RegressionTaskOptions, seed: number, _callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { runRegression } = await import('./regression.js');
  return runRegression({ ...dataOptions(o, seed), ...modelOptions(o) });
}

/** `classify`: checked options to `runClassify`. */
export async function runClassifyTask(o: ClassifyTaskOptions, seed: number, _callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { runClassify } = await import('./classify.js');
  const lidar = await lidarSpec(o);
  return runClassify({ ...dataOptions(o, seed), ...modelOptions(o), lidar });
}

/** `cluster`: checked options to `runCluster`. */
export async function runClusterTask(o: ClusterTaskOptions, seed: number, _callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { runCluster } = await import('./cluster.js');
  const lidar = await lidarSpec(o);
  return runCluster({ ...dataOptions(o, seed), ...modelOptions(o), lidar });
}
