// Lidar feature tables: a scene generated (or files read) once, its core points' multiscale eigenvalue features,
// and the model matrix; the data behind the lidar lessons and the `lidar-*` datasets. The last cloud and table are
// kept, since a lesson's steps reuse them.
import { UserError } from '../errors.js';
import type { Cell } from '../data/csv.js';
import type { Dataset } from '../data/types.js';
import { DEFAULT_LIDAR_POINTS, generateLidarScene, type LidarSceneName } from './scene.js';
import type { Matrix } from '../ml/types.js';
import { mergeClouds, type PointCloud } from '../data/point-cloud.js';
import { loadRealScan, REAL_SCAN_SCALES, type RealLidarScan } from './real.js';
import { FEATURES_PER_SCALE, formatRadius, multiscaleFeaturesAsync, selectCorePoints, type FeatureTable } from './features.js';

/**
 * Default neighbourhood radii, metres. From a blade of grass (5 cm) to a tuft or a dune swell (0.5 m);
 * larger radii cost time on dense scans near the scanner (10⁴–10⁵ neighbours each) and add little here.
 */
export const DEFAULT_SCALES: readonly number[] = [0.05, 0.1, 0.25, 0.5];

/** Default number of core points: enough for stable metrics, few enough for a few tenths of a second. */
export const DEFAULT_CORES = 2000;

/**
 * The features each scale contributes to a model: the dimensionality proportions a1D, a2D, a3D
 * (barycentric coordinates of the eigenvalue triangle). They carry the same two degrees of freedom
 * as the normalised eigenvalues but are spread more evenly over [0, 1] (a plane's λ3/Σλ is tiny,
 * its a2D near 1), which suits a linear SVM; the neighbour count is left out on purpose, since it
 * measures the distance to the scanner rather than the class.
 */
export const MODEL_FEATURES_PER_SCALE = ['a1d', 'a2d', 'a3d'] as const;

/** Where the points come from: a generated scene, a real scan shipped with eds, or the user's own labelled files. */
export type LidarSource =
  | { /** A generated scene. */ kind: 'scene' /** Which scene. */; scene: LidarSceneName /** Points in the scan. */; size: number }
  | { /** A real scan of datasets/lidar-real. */ kind: 'real' /** Which scan. */; scan: RealLidarScan }
  | { /** The user's files. */ kind: 'files' /** Each file and the class of all its points (none: unlabelled). */; files: { path: string; label?: string }[] };

/** What a feature table is computed from. */
export interface LidarTableSpec {
  /** The points. */
  source: LidarSource;
  /** Neighbourhood radii, metres. */
  scales: number[];
  /** Number of core points drawn at random. */
  cores: number;
  /** Relative tolerance of the neighbourhood sums (0: exact; default DEFAULT_TOLERANCE of features.ts). */
  tolerance?: number;
}

/** A loaded cloud and what the steps need to know about it. */
export interface LoadedCloud {
  /** The points (labelled, or not for unlabelled files). */
  cloud: PointCloud;
  /** Short name for titles and JSON (`dunes`, or the file names). */
  name: string;
  /** Scanner position, metres (generated scenes only). */
  scanner?: readonly [number, number, number];
}

let lastCloud: { key: string; loaded: LoadedCloud } | null = null;
let lastTable: { key: string; table: FeatureTable; filled: number } | null = null;

export function sourceKey(source: LidarSource, seed: number): string {
  if (source.kind === 'scene') return `scene:${source.scene}:${source.size}:${seed}`;
  // A real scan is the same points for every seed (only the core points drawn from it change).
  if (source.kind === 'real') return `real:${source.scan}`;
  return `files:${source.files.map((f) => `${f.path}:${f.label ?? ''}`).join('|')}`;
}

/** Generates the scene (or reads the files) once per seed and size. */
export async function loadCloud(source: LidarSource, seed: number, onStatus?: (m: string) => void): Promise<LoadedCloud> {
  const key = sourceKey(source, seed);
  if (lastCloud?.key === key) return lastCloud.loaded;
  let loaded: LoadedCloud;
  if (source.kind === 'scene') {
    onStatus?.(`scanning the ${source.scene} scene (${source.size.toLocaleString('en')} points)…`);
    const scene = generateLidarScene({ scene: source.scene, seed, nPoints: source.size });
    loaded = { cloud: scene, name: source.scene, scanner: scene.scanner };
  } else if (source.kind === 'real') {
    onStatus?.(`reading the real scan ${source.scan}…`);
    loaded = { cloud: await loadRealScan(source.scan), name: source.scan };
  } else {
    const { readPointCloud } = await import('../lidar/io.js');
    const clouds: PointCloud[] = [];
    for (const f of source.files) {
      onStatus?.(`reading ${f.path}…`);
      clouds.push(await readPointCloud(f.path, f.label === undefined ? {} : { label: f.label }));
    }
    const labelled = clouds.filter((c) => c.label && c.classes).length;
    if (labelled !== 0 && labelled !== clouds.length) {
      throw new UserError('--points: label every file (FILE:LABEL) or none: mixing labelled and unlabelled files would invent a class');
    }
    const cloud = clouds.length === 1 ? clouds[0]! : labelled === 0 ? concatUnlabelled(clouds) : mergeClouds(clouds);
    if (cloud.x.length < 10) throw new UserError(`--points: only ${cloud.x.length} points in ${source.files.map((f) => f.path).join(', ')}`);
    loaded = { cloud, name: source.files.map((f) => f.path.split('/').pop()).join(' + ') };
  }
  lastCloud = { key, loaded };
  return loaded;
}

function concatUnlabelled(clouds: readonly PointCloud[]): PointCloud {
  const n = clouds.reduce((a, c) => a + c.x.length, 0);
  const out = { x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n) };
  let at = 0;
  for (const c of clouds) {
    out.x.set(c.x, at);
    out.y.set(c.y, at);
    out.z.set(c.z, at);
    at += c.x.length;
  }
  return out;
}

/**
 * Fills the features of a scale that had fewer than 4 points (MIN_NEIGHBOURS) with those of the next larger
 * scale that had enough. Far from the scanner a 5 cm sphere often holds one to three points: there
 * is no shape to measure there, and the nearest larger neighbourhood is the best description we
 * have (the alternative, dropping the core, would leave the far half of the scene unclassified).
 * The neighbour counts `n` are kept as measured. Returns how many rows were filled; a row sparse
 * even at the largest radius stays NaN.
 */
export function fillSparseScales(table: FeatureTable): number {
  const S = table.radii.length;
  const w = FEATURES_PER_SCALE.length;
  const width = table.columns.length;
  let filled = 0;
  for (let r = 0; r < table.rows; r++) {
    if (!table.sparse[r]) continue;
    const base = r * width;
    let any = false;
    for (let s = S - 2; s >= 0; s--) {
      const here = base + s * w;
      const next = here + w;
      if (Number.isNaN(table.values[here]!) && !Number.isNaN(table.values[next]!)) {
        for (let j = 0; j < w - 1; j++) table.values[here + j] = table.values[next + j]!;
        any = true;
      }
    }
    if (any && !Number.isNaN(table.values[base]!)) filled++;
  }
  return filled;
}

/** Features of the core points, sparse scales filled (see {@link fillSparseScales}), with progress on `onStatus` about every 10 %. */
async function featuresFor(
  cloud: PointCloud,
  key: string,
  radii: readonly number[],
  cores: Uint32Array,
  onStatus?: (m: string) => void,
  tolerance?: number,
): Promise<{ table: FeatureTable; filled: number }> {
  const fullKey = `${key}|${radii.join(',')}|${cores.length}:${cores[0] ?? ''}:${cores[cores.length - 1] ?? ''}|${tolerance ?? ''}`;
  if (lastTable?.key === fullKey) return lastTable;
  let lastTenth = -1;
  const label = `neighbourhoods at r = ${radii.join(', ')} m`;
  onStatus?.(`${label}: 0 of ${cores.length.toLocaleString('en')} core points`);
  const table = await multiscaleFeaturesAsync(cloud, {
    radii,
    cores,
    tolerance,
    onProgress: (done, total) => {
      const tenth = Math.floor((10 * done) / Math.max(1, total));
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        onStatus?.(`${label}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} core points (${10 * tenth} %)`);
      }
    },
  });
  const filled = fillSparseScales(table);
  lastTable = { key: fullKey, table, filled };
  return lastTable;
}

/** The model columns (names) and their indices in the table, for the table's radii. */
export function modelColumns(table: FeatureTable): { names: string[]; idx: number[] } {
  const names = table.radii.flatMap((r) => MODEL_FEATURES_PER_SCALE.map((f) => `r${formatRadius(r)}_${f}`));
  return { names, idx: names.map((n) => table.columns.indexOf(n)) };
}

/** Rows of the model features, skipping rows still NaN; returns the kept row indices too. */
export function modelMatrix(table: FeatureTable): { X: Matrix; rows: number[]; names: string[] } {
  const { names, idx } = modelColumns(table);
  const width = table.columns.length;
  const X: Matrix = [];
  const rows: number[] = [];
  for (let r = 0; r < table.rows; r++) {
    const row = idx.map((j) => table.values[r * width + j]!);
    if (row.every(Number.isFinite)) {
      X.push(row);
      rows.push(r);
    }
  }
  return { X, rows, names };
}

/** A prepared feature set: the cloud, its core points' features, model matrix and labels. */
export interface Prepared {
  loaded: LoadedCloud;
  table: FeatureTable;
  /** Rows filled from a larger scale. */
  filled: number;
  X: Matrix;
  /** Table rows kept in X (those with features at every scale). */
  rows: number[];
  /** Model feature names, in X's column order. */
  names: string[];
  /** Class per kept row, or null for unlabelled data. */
  y: number[] | null;
  classes: string[];
}

export async function prepareLidarTable(spec: LidarTableSpec, seed: number, onStatus?: (m: string) => void): Promise<Prepared> {
  const loaded = await loadCloud(spec.source, seed, onStatus);
  const n = loaded.cloud.x.length;
  // Cores are drawn with a stream of their own, so changing the radii keeps the same core points.
  const cores = selectCorePoints(n, Math.min(spec.cores, n), seed + 101);
  // The seed is in the key: a real scan's points are the same for every seed, its core points are not.
  const { table, filled } = await featuresFor(loaded.cloud, `${sourceKey(spec.source, seed)}|cores:${seed}`, spec.scales, cores, onStatus, spec.tolerance);
  const { X, rows, names } = modelMatrix(table);
  if (X.length < 10)
    throw new UserError(`only ${X.length} core points have at least 4 points in their sphere even at r = ${Math.max(...spec.scales)} m: use larger scales`);
  const y = table.label ? rows.map((r) => table.label![r]!) : null;
  return { loaded, table, filled, X, rows, names, y, classes: table.classes ?? [] };
}

/**
 * The feature table of a scene or of the user's files as a dataset (what `--dataset lidar-dunes`
 * and `--points` give `eds run classify|cluster`): one row per core point with its position (`x`,
 * `y`, `z`, m), every multiscale column (`r0.1_l1` … `r0.1_n`) and its `label`; the default
 * features are the a1D/a2D/a3D columns of every scale.
 */
export async function lidarDataset(spec: LidarTableSpec, seed: number, onStatus?: (m: string) => void): Promise<Dataset> {
  const p = await prepareLidarTable(spec, seed, onStatus);
  const { table, loaded } = p;
  const labelled = Boolean(table.label && table.classes);
  const columns = ['x', 'y', 'z', ...table.columns, ...(labelled ? ['label'] : [])];
  const width = table.columns.length;
  const rows: Cell[][] = [];
  for (let r = 0; r < table.rows; r++) {
    const c = table.core[r]!;
    const row: Cell[] = [loaded.cloud.x[c]!, loaded.cloud.y[c]!, loaded.cloud.z[c]!];
    for (let j = 0; j < width; j++) {
      const v = table.values[r * width + j]!;
      row.push(Number.isNaN(v) ? null : v);
    }
    if (labelled) row.push(table.classes![table.label![r]!]!);
    rows.push(row);
  }
  const name = spec.source.kind === 'scene' ? `lidar-${spec.source.scene}` : spec.source.kind === 'real' ? `lidar-${spec.source.scan}` : loaded.name;
  return { columns, rows, source: name, name, target: labelled ? 'label' : null, task: labelled ? 'classification' : 'clustering', features: p.names };
}

/** The spec of a real scan's registry entry (`lidar-real-dunes`): the scan's own radii (real.ts), the lesson's core points. */
export function realScanSpec(scan: RealLidarScan): LidarTableSpec {
  return { source: { kind: 'real', scan }, scales: [...REAL_SCAN_SCALES[scan]], cores: DEFAULT_CORES };
}

/** The spec the `lidar-*` registry entries use: the lesson's defaults. */
export function defaultSceneSpec(scene: LidarSceneName): LidarTableSpec {
  return { source: { kind: 'scene', scene, size: DEFAULT_LIDAR_POINTS }, scales: [...DEFAULT_SCALES], cores: DEFAULT_CORES };
}
