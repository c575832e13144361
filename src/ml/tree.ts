// CART decision trees (Gini for classes, squared error for numbers) and random forests of both, seeded, with presorted features so 100k-row tables train in seconds.
import { createRng, type Rng } from '../util/rng.js';
import { argmax, checkXy, countClasses, type Classifier, type Matrix, type Regressor } from './types.js';

/** Options of the decision trees (scikit-learn's defaults: grow until pure). */
export interface TreeOptions {
  /** Maximum depth (root = 0); unlimited by default. */
  maxDepth?: number;
  /** A node with fewer distinct training rows is not split. */
  minSamplesSplit?: number;
  /** Each child keeps at least this many distinct training rows. */
  minSamplesLeaf?: number;
  /** Features tried per split: a count, 'sqrt' (random forests) or 'all' (default). */
  maxFeatures?: number | 'sqrt' | 'all';
  /** Seed for the order in which features are tried (matters for ties and with maxFeatures). */
  seed?: number;
}

interface TreeNode {
  /** Split feature, or -1 for a leaf. */
  feature: number;
  threshold: number;
  left: number;
  right: number;
  /** Class probabilities (leaves only; empty for internal nodes). */
  proba: number[];
}

/** Column-major copy of X with one presorted row order per feature, shared by all trees of a forest. */
export interface PresortedData {
  /** Number of rows. */
  n: number;
  /** Number of features. */
  d: number;
  /** Values of feature j for all rows. */
  columns: Float64Array[];
  /** Row indices sorted by feature j (stable). */
  order: Int32Array[];
}

/** Sorts every feature once; pass the result to several trees to avoid re-sorting. */
export function presort(X: Matrix): PresortedData {
  const d = checkXy(X);
  const n = X.length;
  const columns = Array.from({ length: d }, (_, j) => Float64Array.from(X, (row) => row[j]!));
  const order = columns.map((col) => {
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    // Ties keep row order, so trees do not depend on the engine's sort.
    const keyed = Array.from(idx);
    keyed.sort((a, b) => col[a]! - col[b]! || a - b);
    return Int32Array.from(keyed);
  });
  return { n, d, columns, order };
}

/** What a tree learns: class codes by Gini impurity, or numbers by squared error. */
type Target = { kind: 'gini'; y: Int32Array; k: number } | { kind: 'mse'; y: Float64Array };

/**
 * The one CART of eds (Breiman et al. 1984, as scikit-learn grows it): presorted features, per-row integer weights
 * (bootstrap counts), depth-first growth, features tried in a seeded random order, midpoint thresholds between
 * values more than 1e-7 apart. Classification splits on weighted Gini, regression on weighted squared error; a
 * leaf holds class probabilities or the mean. Shared by the trees and forests of both kinds.
 */
abstract class Cart {
  protected nodes: TreeNode[] = [];
  /** Mean decrease in impurity per feature, normalised to sum to 1. */
  featureImportances: number[] = [];
  constructor(readonly options: TreeOptions = {}) {}

  protected grow(data: PresortedData, target: Target, weights: Float64Array | null, rng: Rng): void {
    const { n, d, columns } = data;
    const k = target.kind === 'gini' ? target.k : 0;
    const w = weights ?? new Float64Array(n).fill(1);
    const maxDepth = this.options.maxDepth ?? Number.POSITIVE_INFINITY;
    const minSplit = Math.max(2, this.options.minSamplesSplit ?? 2);
    const minLeaf = Math.max(1, this.options.minSamplesLeaf ?? 1);
    const mf = this.options.maxFeatures ?? 'all';
    const maxFeatures = mf === 'all' ? d : mf === 'sqrt' ? Math.max(1, Math.floor(Math.sqrt(d))) : Math.min(d, Math.max(1, mf));
    // Per-feature row orders restricted to rows in use; a node is the same [start, end) range in each.
    const order = data.order.map((o) => {
      if (!weights) return o.slice();
      const kept = new Int32Array(o.length);
      let m = 0;
      for (let p = 0; p < o.length; p++) if (w[o[p]!]! > 0) kept[m++] = o[p]!;
      return kept.slice(0, m);
    });
    const m = order[0]?.length ?? 0;
    const goLeft = new Uint8Array(n);
    const buffer = new Int32Array(m);
    const importance = new Float64Array(d);
    const counts = new Float64Array(k);
    this.nodes = [];
    const stack: { start: number; end: number; depth: number; index: number }[] = [];
    const addNode = (): number => {
      this.nodes.push({ feature: -1, threshold: 0, left: -1, right: -1, proba: [] });
      return this.nodes.length - 1;
    };
    stack.push({ start: 0, end: m, depth: 0, index: addNode() });
    while (stack.length > 0) {
      const { start, end, depth, index } = stack.pop()!;
      const o0 = order[0]!;
      // Node totals: weight, and Σw·y and Σw·y² (regression) or class weights (classification).
      let total = 0;
      let sum = 0;
      let sq = 0;
      if (target.kind === 'gini') {
        counts.fill(0);
        for (let p = start; p < end; p++) counts[target.y[o0[p]!]!]! += w[o0[p]!]!;
        for (let c = 0; c < k; c++) {
          total += counts[c]!;
          sq += counts[c]! * counts[c]!;
        }
      } else {
        for (let p = start; p < end; p++) {
          const i = o0[p]!;
          const wi = w[i]!;
          const yi = target.y[i]!;
          total += wi;
          sum += wi * yi;
          sq += wi * yi * yi;
        }
      }
      // Weighted impurity: Gini W·(1 − Σp²) = W − Σc²/W; squared error Σw·y² − (Σw·y)²/W. `base` − best score = children's.
      const base = target.kind === 'gini' ? total : sq;
      const nodeImpurity = target.kind === 'gini' ? total - sq / total : Math.max(0, sq - (sum * sum) / total);
      const pure = target.kind === 'gini' ? nodeImpurity <= 1e-12 * total : nodeImpurity <= 1e-12 * sq;
      const node = this.nodes[index]!;
      const makeLeaf = () => {
        node.proba = target.kind === 'gini' ? Array.from(counts, (c) => c / total) : [sum / total];
      };
      if (depth >= maxDepth || end - start < minSplit || pure) {
        makeLeaf();
        continue;
      }
      // Try features in a random order; constant ones do not count towards maxFeatures (as scikit-learn).
      const features = rng.shuffle(Array.from({ length: d }, (_, j) => j));
      let bestScore = Number.NEGATIVE_INFINITY;
      let bestFeature = -1;
      let bestThreshold = 0;
      let tried = 0;
      for (const f of features) {
        if (tried >= maxFeatures) break;
        const of = order[f]!;
        const col = columns[f]!;
        if (col[of[end - 1]!]! <= col[of[start]!]! + 1e-7) continue;
        tried++;
        // Each scan continues from the best split so far, so the first of (near-)equal splits wins, as before.
        const split =
          target.kind === 'gini'
            ? scanGini(of, col, w, target.y, counts, sq, total, start, end, minLeaf, bestScore)
            : scanSquaredError(of, col, w, target.y, sum, total, start, end, minLeaf, bestScore);
        if (split) {
          bestScore = split.score;
          bestFeature = f;
          bestThreshold = split.threshold;
        }
      }
      if (bestFeature < 0) {
        makeLeaf();
        continue;
      }
      importance[bestFeature]! += nodeImpurity - (base - bestScore);
      const col = columns[bestFeature]!;
      for (let p = start; p < end; p++) {
        const i = o0[p]!;
        goLeft[i] = col[i]! <= bestThreshold ? 1 : 0;
      }
      // Stable partition of every feature's order: left rows first, right rows after.
      let mid = start;
      for (const of of order) {
        let a = start;
        let b = 0;
        for (let p = start; p < end; p++) {
          const i = of[p]!;
          if (goLeft[i]) of[a++] = i;
          else buffer[b++] = i;
        }
        of.set(buffer.subarray(0, b), a);
        mid = a;
      }
      node.feature = bestFeature;
      node.threshold = bestThreshold;
      node.left = addNode();
      node.right = addNode();
      stack.push({ start: mid, end, depth: depth + 1, index: node.right });
      stack.push({ start, end: mid, depth: depth + 1, index: node.left });
    }
    const total = importance.reduce((a, b) => a + b, 0);
    this.featureImportances = Array.from(importance, (v) => (total > 0 ? v / total : 0));
  }

  protected leaf(row: readonly number[]): number[] {
    let node = this.nodes[0]!;
    while (node.feature >= 0) node = this.nodes[row[node.feature]! <= node.threshold ? node.left : node.right]!;
    return node.proba;
  }
  /** Number of nodes (internal + leaves). */
  get nodeCount(): number {
    return this.nodes.length;
  }
  /** Depth of the deepest leaf (root = 0). */
  get depth(): number {
    const walk = (i: number): number => {
      const n = this.nodes[i]!;
      return n.feature < 0 ? 0 : 1 + Math.max(walk(n.left), walk(n.right));
    };
    return this.nodes.length ? walk(0) : 0;
  }
}

/** Best Gini split of one feature's rows [start, end) scoring above `best`: the largest Σ_sides Σc²/W (lowest weighted Gini); null if none beats `best`. */
function scanGini(
  of: Int32Array,
  col: Float64Array,
  w: Float64Array,
  y: Int32Array,
  counts: Float64Array,
  sq: number,
  total: number,
  start: number,
  end: number,
  minLeaf: number,
  best: number,
): { score: number; threshold: number } | null {
  const left = new Float64Array(counts.length);
  const right = Float64Array.from(counts);
  let sqL = 0;
  let sqR = sq;
  let wL = 0;
  let score = best;
  let threshold = Number.NaN;
  for (let p = start; p < end - 1; p++) {
    const i = of[p]!;
    const wi = w[i]!;
    const c = y[i]!;
    sqL += 2 * wi * left[c]! + wi * wi;
    sqR += -2 * wi * right[c]! + wi * wi;
    left[c]! += wi;
    right[c]! -= wi;
    wL += wi;
    const x0 = col[i]!;
    const x1 = col[of[p + 1]!]!;
    if (x1 <= x0 + 1e-7) continue;
    const nLeft = p + 1 - start;
    if (nLeft < minLeaf || end - start - nLeft < minLeaf) continue;
    const s = sqL / wL + sqR / (total - wL);
    if (s > score + 1e-12) {
      score = s;
      threshold = midpoint(x0, x1);
    }
  }
  return Number.isNaN(threshold) ? null : { score, threshold };
}

/** Best squared-error split of one feature's rows [start, end) scoring above `best`: the largest Σ_sides (Σw·y)²/W (lowest summed squared error); null if none beats `best`. Near-ties are relative (scores grow with the target's units). */
function scanSquaredError(
  of: Int32Array,
  col: Float64Array,
  w: Float64Array,
  y: Float64Array,
  sum: number,
  total: number,
  start: number,
  end: number,
  minLeaf: number,
  best: number,
): { score: number; threshold: number } | null {
  let sumL = 0;
  let wL = 0;
  let score = best;
  let threshold = Number.NaN;
  for (let p = start; p < end - 1; p++) {
    const i = of[p]!;
    const wi = w[i]!;
    sumL += wi * y[i]!;
    wL += wi;
    const x0 = col[i]!;
    const x1 = col[of[p + 1]!]!;
    if (x1 <= x0 + 1e-7) continue;
    const nLeft = p + 1 - start;
    if (nLeft < minLeaf || end - start - nLeft < minLeaf) continue;
    const sumR = sum - sumL;
    const s = (sumL * sumL) / wL + (sumR * sumR) / (total - wL);
    if (s > score + 1e-12 * Math.abs(s)) {
      score = s;
      threshold = midpoint(x0, x1);
    }
  }
  return Number.isNaN(threshold) ? null : { score, threshold };
}

/** The midpoint of two adjacent values; it can round onto the upper one, and then the lower one still separates them. */
function midpoint(x0: number, x1: number): number {
  const t = (x0 + x1) / 2;
  return t >= x1 ? x0 : t;
}

/** A classification tree grown with the Gini criterion and midpoint thresholds, as scikit-learn's. */
export class DecisionTreeClassifier extends Cart implements Classifier {
  nClasses = 0;

  fit(X: Matrix, y: number[]): this {
    checkXy(X, y);
    return this.fitPresorted(presort(X), y, null, createRng(this.options.seed ?? 0), countClasses(y));
  }

  /** Fits on presorted data, with optional per-row integer weights (bootstrap counts; 0 = row unused). */
  fitPresorted(data: PresortedData, labels: readonly number[], weights: Float64Array | null, rng: Rng, nClasses: number): this {
    this.nClasses = nClasses;
    // Typed labels keep the hot loops monomorphic.
    this.grow(data, { kind: 'gini', y: Int32Array.from(labels), k: nClasses }, weights, rng);
    return this;
  }
  predictProba(X: Matrix): number[][] {
    return X.map((row) => this.leaf(row).slice());
  }
  predict(X: Matrix): number[] {
    return X.map((row) => argmax(this.leaf(row)));
  }
  toJSON(): Record<string, unknown> {
    return { model: 'tree', n_nodes: this.nodes.length, depth: this.depth, nodes: this.nodes };
  }
}

/** A regression tree grown on squared error (scikit-learn's DecisionTreeRegressor, criterion='squared_error'); a leaf predicts its mean. */
export class DecisionTreeRegressor extends Cart implements Regressor {
  fit(X: Matrix, y: number[]): this {
    checkXy(X, y);
    return this.fitPresorted(presort(X), y, null, createRng(this.options.seed ?? 0));
  }
  /** Fits on presorted data, with optional per-row integer weights (bootstrap counts; 0 = row unused). */
  fitPresorted(data: PresortedData, targets: readonly number[], weights: Float64Array | null, rng: Rng): this {
    this.grow(data, { kind: 'mse', y: Float64Array.from(targets) }, weights, rng);
    return this;
  }
  predict(X: Matrix): number[] {
    if (this.nodes.length === 0) throw new Error('decision tree: predict before fit');
    return X.map((row) => this.leaf(row)[0]!);
  }
  toJSON(): Record<string, unknown> {
    return { model: 'tree', n_nodes: this.nodes.length, depth: this.depth };
  }
}

/** Options of the random forests (scikit-learn's defaults: 100 trees, bootstrap; √d features per split for classification, all for regression). */
export interface ForestOptions {
  /** Number of trees (scikit-learn's n_estimators). */
  trees?: number;
  /** Features tried per split. */
  maxFeatures?: number | 'sqrt' | 'all';
  /** Maximum depth of each tree. */
  maxDepth?: number;
  /** Minimum distinct rows in a leaf. */
  minSamplesLeaf?: number;
  /** Seed of the bootstrap draws and feature orders. */
  seed?: number;
}

/** Grows `trees` trees on bootstrap samples (as integer row weights) of one presorted table, each with its own forked generator. */
function bag<T>(data: PresortedData, options: ForestOptions, grow: (weights: Float64Array, rng: Rng) => T): T[] {
  const nTrees = options.trees ?? 100;
  if (!Number.isInteger(nTrees) || nTrees < 1) throw new Error(`number of trees must be an integer >= 1, got ${nTrees}`);
  const rng = createRng(options.seed ?? 0);
  const out: T[] = [];
  for (let t = 0; t < nTrees; t++) {
    const treeRng = rng.fork();
    const weights = new Float64Array(data.n);
    for (let i = 0; i < data.n; i++) weights[treeRng.int(data.n)]! += 1;
    out.push(grow(weights, treeRng));
  }
  return out;
}

/** Mean over trees of their normalised importances. */
function meanImportances(trees: readonly Cart[], d: number): number[] {
  const importance = new Float64Array(d);
  for (const tree of trees) tree.featureImportances.forEach((v, j) => (importance[j]! += v / trees.length));
  return Array.from(importance);
}

/** Random forest (Breiman 2001): bootstrap rows per tree, random features per split, probabilities averaged. */
export class RandomForestClassifier implements Classifier {
  private trees: DecisionTreeClassifier[] = [];
  /** Mean over trees of their normalised Gini importances. */
  featureImportances: number[] = [];
  private nClasses = 0;
  constructor(readonly options: ForestOptions = {}) {}
  fit(X: Matrix, y: number[]): this {
    checkXy(X, y);
    const data = presort(X);
    this.nClasses = countClasses(y);
    const treeOptions: TreeOptions = {
      maxFeatures: this.options.maxFeatures ?? 'sqrt',
      maxDepth: this.options.maxDepth,
      minSamplesLeaf: this.options.minSamplesLeaf,
    };
    this.trees = bag(data, this.options, (weights, rng) => new DecisionTreeClassifier(treeOptions).fitPresorted(data, y, weights, rng, this.nClasses));
    this.featureImportances = meanImportances(this.trees, data.d);
    return this;
  }
  predictProba(X: Matrix): number[][] {
    const out = X.map(() => new Array<number>(this.nClasses).fill(0));
    for (const tree of this.trees) {
      tree.predictProba(X).forEach((p, i) => p.forEach((v, c) => (out[i]![c]! += v / this.trees.length)));
    }
    return out;
  }
  predict(X: Matrix): number[] {
    return this.predictProba(X).map(argmax);
  }
  toJSON(): Record<string, unknown> {
    return { model: 'rf', n_trees: this.trees.length, feature_importances: this.featureImportances };
  }
}

/** Random forest regression (Breiman 2001): bootstrap rows per tree, squared-error CART with every feature tried at each split (scikit-learn's max_features = 1.0), the mean over trees. */
export class RandomForestRegressor implements Regressor {
  private trees: DecisionTreeRegressor[] = [];
  /** Mean over trees of their normalised squared-error importances. */
  featureImportances: number[] = [];
  constructor(readonly options: ForestOptions = {}) {}
  fit(X: Matrix, y: number[]): this {
    checkXy(X, y);
    const data = presort(X);
    const treeOptions: TreeOptions = {
      maxFeatures: this.options.maxFeatures ?? 'all',
      maxDepth: this.options.maxDepth,
      minSamplesLeaf: this.options.minSamplesLeaf,
    };
    this.trees = bag(data, this.options, (weights, rng) => new DecisionTreeRegressor(treeOptions).fitPresorted(data, y, weights, rng));
    this.featureImportances = meanImportances(this.trees, data.d);
    return this;
  }
  predict(X: Matrix): number[] {
    if (this.trees.length === 0) throw new Error('random forest: predict before fit');
    const out = new Array<number>(X.length).fill(0);
    for (const tree of this.trees) tree.predict(X).forEach((v, i) => (out[i]! += v));
    return out.map((v) => v / this.trees.length);
  }
  toJSON(): Record<string, unknown> {
    return { model: 'rf', n_trees: this.trees.length, min_samples_leaf: this.options.minSamplesLeaf ?? 1, feature_importances: this.featureImportances };
  }
}
