// Multiscale local dimensionality features (Brodu & Lague 2012, CANUPO): PCA eigenvalues of each core point's neighbourhood at several radii.

import { createRng } from '../util/rng.js';
import type { PointCloud } from '../data/point-cloud.js';
import { symmetricEigenvalues3 } from './eigen.js';
import { buildKdTree, NeighbourBuffer, type MomentSearch, type RadiusSearch } from './neighbours.js';

/**
 * The features computed at each radius, in column order. With λ1 ≥ λ2 ≥ λ3 the eigenvalues of
 * the neighbourhood covariance:
 * - `l1`, `l2`, `l3`: λi / (λ1 + λ2 + λ3), the normalised eigenvalues of Brodu & Lague (sum 1);
 * - `a1d`, `a2d`, `a3d`: (λ1 − λ2)/λ1, (λ2 − λ3)/λ1, λ3/λ1, the dimensionality proportions of
 *   Demantké et al. (2011), also summing to 1: the barycentric coordinates of the eigenvalue
 *   triangle (a line is (1, 0, 0), a plane (0, 1, 0), a ball (0, 0, 1)). CANUPO's own α, β are
 *   l1 − l2 and l2 − l3, recoverable from the l columns;
 * - `n`: the number of points within the radius, the core point itself included.
 */
export const FEATURES_PER_SCALE = ['l1', 'l2', 'l3', 'a1d', 'a2d', 'a3d', 'n'] as const;

/**
 * Fewer points than this in the sphere (the core point included) and the covariance cannot tell the three
 * shapes apart: features are NaN. Two points always make a line and three always a plane (λ3 = 0 exactly),
 * so a 3-D shape needs at least four.
 */
export const MIN_NEIGHBOURS = 4;

/**
 * Default of {@link MultiscaleOptions.tolerance}: 0, exact, what a student should be taught. The exact path is
 * already far faster than SciPy's cKDTree.query_ball_point + eigvalsh on the same cores (whole k-d tree nodes
 * inside a shell are added by their moments, never listed; `npm run bench` measures the ratio). 0.1, the old
 * default, is about 2× faster on the 10⁶-point dune scene at 0.1/0.5/1 m, with a largest feature difference per
 * core and scale of median 0.002, 99.9th percentile 0.02, maximum 0.24 (a vegetation clump straddling a sphere).
 */
export const DEFAULT_TOLERANCE = 0;

/** Options for {@link multiscaleFeatures}. */
export interface MultiscaleOptions {
  /** Neighbourhood radii, metres (sphere radius, not CANUPO's diameter); sorted ascending internally. */
  radii: readonly number[];
  /** Indices of the core points into the cloud; if absent, `nCores` are drawn at random with `seed`. */
  cores?: Uint32Array;
  /** How many core points to draw when `cores` is absent (capped at the cloud size); default all points. */
  nCores?: number;
  /** Seed for drawing core points; default 0. */
  seed?: number;
  /**
   * A prebuilt index over the same cloud; default a k-d tree built here. An index with
   * `radiusMoments` (the k-d tree) is used through it; any other (grid, brute force) through
   * neighbour lists, which gives the same numbers more slowly: that is how tests check both.
   */
  index?: RadiusSearch | MomentSearch;
  /**
   * Relative tolerance of the k-d tree's moment sums (default {@link DEFAULT_TOLERANCE}, 0: exact).
   * A clump of points whose extent is at most tolerance × r and that straddles the sphere of
   * radius r is counted whole or not at all by its centroid, so in dense scans (tens of
   * thousands of points per sphere) the cost per core stops growing with density. Sparse
   * neighbourhoods, where no such clump exists, come out exact. Indexes without moments
   * (grid, brute force) are always exact.
   */
  tolerance?: number;
  /** Called with (cores done, total cores) about every 1 % and at the end. */
  onProgress?: (done: number, total: number) => void;
}

/** One row per core point, columns `r{radius}_{feature}` for each radius then each feature. */
export interface FeatureTable {
  /** Column names, e.g. `r0.1_l1, r0.1_l2, …, r0.1_n, r0.5_l1, …`. */
  columns: string[];
  /** Row-major values, `rows × columns.length`; NaN where a scale had fewer than {@link MIN_NEIGHBOURS} points. */
  values: Float64Array;
  /** Number of rows (core points). */
  rows: number;
  /** Radii used, metres, ascending (the order of the column groups). */
  radii: number[];
  /** Index of each row's core point in the cloud. */
  core: Uint32Array;
  /** 1 where at least one scale had fewer than {@link MIN_NEIGHBOURS} points (its features are NaN), else 0. */
  sparse: Uint8Array;
  /** The core points' class indices, when the cloud is labelled. */
  label?: Uint8Array;
  /** Class names for `label`, copied from the cloud. */
  classes?: string[];
}

/** Column names for the given radii, in table order. */
export function featureColumns(radii: readonly number[]): string[] {
  const sorted = [...radii].sort((a, b) => a - b);
  return sorted.flatMap((r) => FEATURES_PER_SCALE.map((f) => `r${formatRadius(r)}_${f}`));
}

/** `0.1` → `"0.1"`, `1` → `"1"`, 0.30000000000000004 → `"0.3"`: short, stable names (the `r0.1_` of every column). */
export function formatRadius(r: number): string {
  return String(Number(r.toPrecision(6)));
}

/** A seeded random subset of `count` distinct indices in [0, n), sorted ascending (partial Fisher–Yates). */
export function selectCorePoints(n: number, count: number, seed: number): Uint32Array {
  const k = Math.max(0, Math.min(n, Math.floor(count)));
  const pool = new Uint32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  const rng = createRng(seed);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, k).sort();
}

/** Everything the per-core computation needs, prepared once. */
interface Plan {
  cloud: PointCloud;
  radii: number[];
  radii2: Float64Array;
  cores: Uint32Array;
  /** Rows in the order they are computed: along a Z-order curve, see {@link spatialOrder}. */
  order: Uint32Array;
  index: RadiusSearch | MomentSearch;
  /** Relative boundary tolerance for the moment search (0: exact). */
  tolerance: number;
  table: FeatureTable;
  buf: NeighbourBuffer;
  /** Per-scale moment accumulators, 10 per scale: n, Σdx, Σdy, Σdz, Σdx², Σdy², Σdz², Σdxdy, Σdxdz, Σdydz. */
  acc: Float64Array;
  eig: Float64Array;
}

function plan(cloud: PointCloud, options: MultiscaleOptions): Plan {
  const radii = [...options.radii].sort((a, b) => a - b);
  if (radii.length === 0) throw new Error('multiscaleFeatures: at least one radius is needed');
  for (const r of radii) if (!(r > 0) || !Number.isFinite(r)) throw new Error(`multiscaleFeatures: radius must be a positive number, got ${r}`);
  const n = cloud.x.length;
  const cores = options.cores ?? selectCorePoints(n, options.nCores ?? n, options.seed ?? 0);
  for (let i = 0; i < cores.length; i++) if (cores[i]! >= n) throw new Error(`multiscaleFeatures: core index ${cores[i]} outside the cloud (${n} points)`);
  const columns = featureColumns(radii);
  const table: FeatureTable = {
    columns,
    values: new Float64Array(cores.length * columns.length),
    rows: cores.length,
    radii,
    core: cores,
    sparse: new Uint8Array(cores.length),
  };
  if (cloud.label) {
    table.label = new Uint8Array(cores.length);
    for (let i = 0; i < cores.length; i++) table.label[i] = cloud.label[cores[i]!]!;
    if (cloud.classes) table.classes = [...cloud.classes];
  }
  return {
    cloud,
    radii,
    cores,
    table,
    order: spatialOrder(cloud, cores),
    radii2: Float64Array.from(radii, (r) => r * r),
    index: options.index ?? buildKdTree(cloud),
    tolerance: options.tolerance ?? DEFAULT_TOLERANCE,
    buf: new NeighbourBuffer(4096),
    acc: new Float64Array(radii.length * 10),
    eig: new Float64Array(3),
  };
}

/**
 * The rows sorted along a Z-order (Morton) curve through the cores' bounding box, 10 bits per
 * axis. Why: consecutive queries then walk the same tree nodes and points, which stay in cache;
 * in random order nearly every node visit of a 10⁶-point cloud is a cache miss, and that, not
 * arithmetic, dominated the run time. Results do not depend on the order.
 */
function spatialOrder(cloud: PointCloud, cores: Uint32Array): Uint32Array {
  const m = cores.length;
  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  if (m < 2) return order;
  const lo = [Infinity, Infinity, Infinity],
    hi = [-Infinity, -Infinity, -Infinity];
  const axes = [cloud.x, cloud.y, cloud.z];
  for (let i = 0; i < m; i++) {
    const c = cores[i]!;
    for (let a = 0; a < 3; a++) {
      const v = axes[a]![c]!;
      if (v < lo[a]!) lo[a] = v;
      if (v > hi[a]!) hi[a] = v;
    }
  }
  const scale = lo.map((l, a) => (hi[a]! > l ? 1023 / (hi[a]! - l) : 0));
  const code = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    const c = cores[i]!;
    let key = 0;
    for (let a = 0; a < 3; a++) {
      const q = Math.floor((axes[a]![c]! - lo[a]!) * scale[a]!);
      // Spread the 10 bits of q to every third bit, then interleave the axes.
      let v = q & 0x3ff;
      v = (v | (v << 16)) & 0x030000ff;
      v = (v | (v << 8)) & 0x0300f00f;
      v = (v | (v << 4)) & 0x030c30c3;
      v = (v | (v << 2)) & 0x09249249;
      key |= v << a;
    }
    code[i] = key;
  }
  return order.sort((a, b) => code[a]! - code[b]! || a - b);
}

/** The same shell moments as `MomentSearch.radiusMoments`, from any index's neighbour list. */
function accumulateFromList(p: Plan, qx: number, qy: number, qz: number): void {
  const { cloud, radii2, acc, buf } = p;
  const count = p.index.radius(qx, qy, qz, p.radii[p.radii.length - 1]!, buf);
  const idx = buf.index,
    d2s = buf.dist2;
  for (let k = 0; k < count; k++) {
    const d2 = d2s[k]!;
    let s = 0;
    while (d2 > radii2[s]!) s++;
    const i = idx[k]!;
    const dx = cloud.x[i]! - qx,
      dy = cloud.y[i]! - qy,
      dz = cloud.z[i]! - qz;
    const a = s * 10;
    acc[a]! += 1;
    acc[a + 1]! += dx;
    acc[a + 2]! += dy;
    acc[a + 3]! += dz;
    acc[a + 4]! += dx * dx;
    acc[a + 5]! += dy * dy;
    acc[a + 6]! += dz * dz;
    acc[a + 7]! += dx * dy;
    acc[a + 8]! += dx * dz;
    acc[a + 9]! += dy * dz;
  }
}

/**
 * Moments are summed per shell (between consecutive radii), then a running sum over shells makes
 * them cumulative, so one traversal at the largest radius serves every scale. They are taken
 * relative to the core point, so georeferenced coordinates (10⁵ m) lose no precision in
 * Σd²/n − (Σd/n)², the step where a naive covariance goes wrong.
 */
function computeRow(p: Plan, row: number): void {
  const { cloud, radii2, acc, eig, table } = p;
  const S = radii2.length;
  const c = p.cores[row]!;
  const qx = cloud.x[c]!,
    qy = cloud.y[c]!,
    qz = cloud.z[c]!;
  acc.fill(0);
  if ('radiusMoments' in p.index) p.index.radiusMoments(qx, qy, qz, radii2, acc, p.tolerance);
  else accumulateFromList(p, qx, qy, qz);
  const width = FEATURES_PER_SCALE.length;
  const out = table.values;
  let base = row * S * width;
  for (let s = 0; s < S; s++, base += width) {
    const a = s * 10;
    if (s > 0) for (let j = 0; j < 10; j++) acc[a + j]! += acc[a - 10 + j]!;
    const m = acc[a]!;
    out[base + 6] = m;
    let ok = m >= MIN_NEIGHBOURS;
    if (ok) {
      const mx = acc[a + 1]! / m,
        my = acc[a + 2]! / m,
        mz = acc[a + 3]! / m;
      symmetricEigenvalues3(
        acc[a + 4]! / m - mx * mx,
        acc[a + 5]! / m - my * my,
        acc[a + 6]! / m - mz * mz,
        acc[a + 7]! / m - mx * my,
        acc[a + 8]! / m - mx * mz,
        acc[a + 9]! / m - my * mz,
        eig,
      );
      // A covariance is positive semi-definite: negative values are rounding.
      const l1 = Math.max(0, eig[0]!),
        l2 = Math.max(0, eig[1]!),
        l3 = Math.max(0, eig[2]!);
      const sum = l1 + l2 + l3;
      ok = sum > 0; // all neighbours at one spot: no shape at all
      if (ok) {
        out[base] = l1 / sum;
        out[base + 1] = l2 / sum;
        out[base + 2] = l3 / sum;
        out[base + 3] = (l1 - l2) / l1;
        out[base + 4] = (l2 - l3) / l1;
        out[base + 5] = l3 / l1;
      }
    }
    if (!ok) {
      for (let j = 0; j < 6; j++) out[base + j] = NaN;
      table.sparse[row] = 1;
    }
  }
}

/**
 * Computes the multiscale dimensionality features of the core points (synchronously).
 * Rows follow `cores` (sorted ascending when drawn here). Throws on bad radii or core indices
 * (programming errors, not user input: the caller validates options first).
 */
export function multiscaleFeatures(cloud: PointCloud, options: MultiscaleOptions): FeatureTable {
  const p = plan(cloud, options);
  const total = p.cores.length;
  const step = Math.max(1, Math.floor(total / 100));
  for (let done = 0; done < total; done++) {
    computeRow(p, p.order[done]!);
    if (options.onProgress && ((done + 1) % step === 0 || done + 1 === total)) options.onProgress(done + 1, total);
  }
  if (total === 0) options.onProgress?.(0, 0);
  return p.table;
}

/**
 * The same computation in slices of about 50 ms that yield to the event loop between them,
 * so a TUI can redraw its progress bar while a 10⁵-core run goes. Same result as the sync one.
 */
export async function multiscaleFeaturesAsync(cloud: PointCloud, options: MultiscaleOptions): Promise<FeatureTable> {
  const p = plan(cloud, options);
  const total = p.cores.length;
  let done = 0;
  while (done < total) {
    const until = Date.now() + 50;
    do computeRow(p, p.order[done++]!);
    while (done < total && (done & 255 || Date.now() < until));
    options.onProgress?.(done, total);
    if (done < total) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (total === 0) options.onProgress?.(0, 0);
  return p.table;
}

/** The feature column `name` as a Float64Array over rows (e.g. `column(table, 'r0.5_a3d')`). */
export function column(table: FeatureTable, name: string): Float64Array {
  const j = table.columns.indexOf(name);
  if (j < 0) throw new Error(`no feature column "${name}" (have ${table.columns.slice(0, 4).join(', ')}, …)`);
  const w = table.columns.length;
  const out = new Float64Array(table.rows);
  for (let i = 0; i < table.rows; i++) out[i] = table.values[i * w + j]!;
  return out;
}
