// Clustering: k-means (ml-kmeans, best of n_init k-means++ starts), DBSCAN, and agglomerative clustering with Ward linkage.
import { kmeans as mlKmeans } from 'ml-kmeans';
import { createRng } from '../util/rng.js';
import { checkXy, type Matrix } from './types.js';

/** Options of `kMeans`. */
export interface KMeansOptions {
  /** Number of clusters. */
  k: number;
  /** Independent k-means++ starts; the one with the lowest inertia wins (scikit-learn's n_init). */
  nInit?: number;
  /** Maximum Lloyd iterations per start. */
  maxIterations?: number;
  /** Seed for the starts. */
  seed?: number;
}

/** A clustering of the rows. */
export interface KMeansResult {
  /** Cluster index 0..k-1 per row. */
  labels: number[];
  /** Cluster centres (k × d). */
  centroids: number[][];
  /** Sum of squared distances of rows to their centre. */
  inertia: number;
  /** Lloyd iterations of the winning start. */
  iterations: number;
}

/**
 * k-means, best of `nInit` runs of ml-kmeans (k-means++ initialisation, Lloyd iterations until
 * centres move less than 1e-6). Each run gets its own seed drawn from `seed`; the result with the
 * smallest inertia is kept, and labels are recomputed from the final centres so that they agree
 * with `inertia`.
 */
export function kMeans(X: Matrix, options: KMeansOptions): KMeansResult {
  checkXy(X);
  const { k, nInit = 10, maxIterations = 300, seed = 0 } = options;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be an integer >= 1, got ${k}`);
  if (k > X.length) throw new Error(`k = ${k} clusters needs at least ${k} rows, got ${X.length}`);
  const rng = createRng(seed);
  let best: KMeansResult | null = null;
  for (let run = 0; run < Math.max(1, nInit); run++) {
    const runSeed = Math.floor(rng.next() * 2 ** 31);
    const res = mlKmeans(X, k, { initialization: 'kmeans++', seed: runSeed, maxIterations, tolerance: 1e-8 });
    const assigned = assignToCentroids(X, res.centroids);
    if (!best || assigned.inertia < best.inertia) {
      best = { labels: assigned.labels, centroids: res.centroids.map((c) => c.slice()), inertia: assigned.inertia, iterations: res.iterations };
    }
  }
  return best!;
}

/** Nearest centre (squared Euclidean) per row, and the resulting inertia. */
export function assignToCentroids(X: Matrix, centroids: Matrix): { labels: number[]; inertia: number } {
  let inertia = 0;
  const labels = X.map((row) => {
    let bestC = 0;
    let bestD = Number.POSITIVE_INFINITY;
    centroids.forEach((c, ci) => {
      let s = 0;
      for (let j = 0; j < row.length; j++) s += (row[j]! - c[j]!) ** 2;
      if (s < bestD) {
        bestD = s;
        bestC = ci;
      }
    });
    inertia += bestD;
    return bestC;
  });
  return { labels, inertia };
}

/** Options of `dbscan`. */
export interface DbscanOptions {
  /** Neighbourhood radius (same unit as the features). */
  eps: number;
  /** Rows within eps (the row itself included) needed to be a core point. */
  minSamples?: number;
}

/**
 * DBSCAN (Ester et al. 1996), exactly as scikit-learn labels it: clusters grown from core points
 * in row order, border points join the first cluster that reaches them, noise is −1.
 * Neighbours are found by brute force: O(n²) time, fine up to a few tens of thousands of rows.
 */
export function dbscan(X: Matrix, options: DbscanOptions): number[] {
  const d = checkXy(X);
  const { eps, minSamples = 5 } = options;
  if (!(eps > 0)) throw new Error(`eps must be > 0, got ${eps}`);
  const n = X.length;
  const eps2 = eps * eps;
  const flat = new Float64Array(n * d);
  X.forEach((row, i) => flat.set(row, i * d));
  const neighbours = (i: number): number[] => {
    const out: number[] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d && s <= eps2; t++) s += (flat[i * d + t]! - flat[j * d + t]!) ** 2;
      if (s <= eps2) out.push(j);
    }
    return out;
  };
  const hoods = Array.from({ length: n }, (_, i) => neighbours(i));
  const core = hoods.map((h) => h.length >= minSamples);
  const labels = new Array<number>(n).fill(-1);
  let cluster = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== -1 || !core[i]) continue;
    // Depth-first growth from core point i, as scikit-learn's dbscan_inner.
    const stack = [i];
    labels[i] = cluster;
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (!core[p]) continue;
      for (const q of hoods[p]!) {
        if (labels[q] === -1) {
          labels[q] = cluster;
          if (core[q]) stack.push(q);
        }
      }
    }
    cluster++;
  }
  return labels;
}

/**
 * Agglomerative clustering with Ward linkage (merge the pair of clusters whose union increases the
 * within-cluster sum of squares least), cut at `k` clusters. Uses the nearest-neighbour chain
 * algorithm with Lance–Williams updates: O(n²) time and memory, so it refuses more than 10,000 rows.
 * Cluster labels are numbered by first appearance in row order.
 */
export function agglomerativeWard(X: Matrix, k: number): number[] {
  const d = checkXy(X);
  const n = X.length;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`k must be an integer in 1..${n}, got ${k}`);
  if (n > 10000) throw new Error(`agglomerative clustering is O(n²): ${n} rows is too many (at most 10,000); try k-means`);
  // Condensed matrix of Ward distances; start with squared Euclidean distances (Ward on squared distances).
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (X[i]![t]! - X[j]![t]!) ** 2;
      D[i * n + j] = D[j * n + i] = s;
    }
  const size = new Array<number>(n).fill(1);
  const active = new Array<boolean>(n).fill(true);
  const merges: [number, number, number][] = [];
  const chain: number[] = [];
  let remaining = n;
  while (remaining > 1) {
    if (chain.length === 0) chain.push(active.indexOf(true));
    for (;;) {
      const a = chain[chain.length - 1]!;
      const prev = chain.length > 1 ? chain[chain.length - 2]! : -1;
      let b = -1;
      let best = Number.POSITIVE_INFINITY;
      for (let j = 0; j < n; j++) {
        if (!active[j] || j === a) continue;
        const v = D[a * n + j]!;
        // Prefer the previous chain element on ties, which guarantees the chain terminates.
        if (v < best || (v === best && j === prev)) {
          best = v;
          b = j;
        }
      }
      if (b === prev) {
        chain.pop();
        chain.pop();
        merges.push([Math.min(a, b), Math.max(a, b), best]);
        // Lance–Williams update for Ward on squared distances; the merged cluster keeps the lower index.
        const keep = Math.min(a, b);
        const drop = Math.max(a, b);
        const na = size[keep]!;
        const nb = size[drop]!;
        for (let j = 0; j < n; j++) {
          if (!active[j] || j === keep || j === drop) continue;
          const nj = size[j]!;
          const v = ((na + nj) * D[keep * n + j]! + (nb + nj) * D[drop * n + j]! - nj * best) / (na + nb + nj);
          D[keep * n + j] = D[j * n + keep] = v;
        }
        size[keep] = na + nb;
        active[drop] = false;
        remaining--;
        break;
      }
      chain.push(b);
    }
  }
  // Replay the n − k cheapest merges (Ward distances are monotone, so this is the cut at k clusters).
  merges.sort((p, q) => p[2] - q[2]);
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let m = 0; m < n - k; m++) {
    const [a, b] = merges[m]!;
    parent[find(b)] = find(a);
  }
  const ids = new Map<number, number>();
  return Array.from({ length: n }, (_, i) => {
    const r = find(i);
    if (!ids.has(r)) ids.set(r, ids.size);
    return ids.get(r)!;
  });
}
