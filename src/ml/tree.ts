// CART decision trees (Gini) and random forests, seeded, with presorted features so 100k-row tables train in seconds.
import { createRng, type Rng } from '../util/rng.js';
import { argmax, checkXy, countClasses, type Classifier, type Matrix } from './types.js';

/** Options of `DecisionTreeClassifier` (scikit-learn's defaults: grow until pure). */
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

/** A classification tree grown with the Gini criterion and midpoint thresholds, as scikit-learn's. */
export class DecisionTreeClassifier implements Classifier {
  private nodes: TreeNode[] = [];
  /** Mean decrease in Gini impurity per feature, normalised to sum to 1. */
  featureImportances: number[] = [];
  nClasses = 0;
  constructor(readonly options: TreeOptions = {}) {}

  fit(X: Matrix, y: number[]): this {
    checkXy(X, y);
    return this.fitPresorted(presort(X), y, null, createRng(this.options.seed ?? 0), countClasses(y));
  }

  /** Fits on presorted data, with optional per-row integer weights (bootstrap counts; 0 = row unused). */
  fitPresorted(data: PresortedData, labels: readonly number[], weights: Float64Array | null, rng: Rng, nClasses: number): this {
    const { n, d, columns } = data;
    const k = nClasses;
    this.nClasses = k;
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
    // Typed labels keep the hot loops monomorphic.
    const y = Int32Array.from(labels);
    const m = order[0]?.length ?? 0;
    const goLeft = new Uint8Array(n);
    const buffer = new Int32Array(m);
    const importance = new Float64Array(d);
    const left = new Float64Array(k);
    const right = new Float64Array(k);
    let rootWeight = 0;
    this.nodes = [];
    const stack: { start: number; end: number; depth: number; index: number }[] = [];
    const addNode = (): number => {
      this.nodes.push({ feature: -1, threshold: 0, left: -1, right: -1, proba: [] });
      return this.nodes.length - 1;
    };
    stack.push({ start: 0, end: m, depth: 0, index: addNode() });
    while (stack.length > 0) {
      const { start, end, depth, index } = stack.pop()!;
      const counts = new Float64Array(k);
      const o0 = order[0]!;
      for (let p = start; p < end; p++) counts[y[o0[p]!]!]! += w[o0[p]!]!;
      let total = 0;
      let sq = 0;
      for (let c = 0; c < k; c++) {
        total += counts[c]!;
        sq += counts[c]! * counts[c]!;
      }
      if (index === 0) rootWeight = total;
      const nodeImpurity = total - sq / total; // weighted Gini: W·(1 − Σp²)
      const node = this.nodes[index]!;
      const makeLeaf = () => {
        node.proba = Array.from(counts, (c) => c / total);
      };
      if (depth >= maxDepth || end - start < minSplit || nodeImpurity <= 1e-12 * total) {
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
        left.fill(0);
        right.set(counts);
        let sqL = 0;
        let sqR = sq;
        let wL = 0;
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
          const score = sqL / wL + sqR / (total - wL);
          if (score > bestScore + 1e-12) {
            bestScore = score;
            bestFeature = f;
            let t = (x0 + x1) / 2;
            if (t >= x1) t = x0;
            bestThreshold = t;
          }
        }
      }
      if (bestFeature < 0) {
        makeLeaf();
        continue;
      }
      importance[bestFeature]! += nodeImpurity - (total - bestScore);
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
    const sum = importance.reduce((a, b) => a + b, 0);
    this.featureImportances = Array.from(importance, (v) => (sum > 0 ? v / sum : 0));
    void rootWeight;
    return this;
  }

  private leaf(row: readonly number[]): number[] {
    let node = this.nodes[0]!;
    while (node.feature >= 0) node = this.nodes[row[node.feature]! <= node.threshold ? node.left : node.right]!;
    return node.proba;
  }
  predictProba(X: Matrix): number[][] {
    return X.map((row) => this.leaf(row).slice());
  }
  predict(X: Matrix): number[] {
    return X.map((row) => argmax(this.leaf(row)));
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
  toJSON(): Record<string, unknown> {
    return { model: 'tree', n_nodes: this.nodes.length, depth: this.depth, nodes: this.nodes };
  }
}

/** Options of `RandomForestClassifier` (scikit-learn's defaults: 100 trees, √d features per split, bootstrap). */
export interface ForestOptions {
  /** Number of trees. */
  nTrees?: number;
  /** Features tried per split. */
  maxFeatures?: number | 'sqrt' | 'all';
  /** Maximum depth of each tree. */
  maxDepth?: number;
  /** Minimum distinct rows in a leaf. */
  minSamplesLeaf?: number;
  /** Seed of the bootstrap draws and feature orders. */
  seed?: number;
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
    const nTrees = this.options.nTrees ?? 100;
    if (!Number.isInteger(nTrees) || nTrees < 1) throw new Error(`number of trees must be an integer >= 1, got ${nTrees}`);
    this.nClasses = countClasses(y);
    const rng = createRng(this.options.seed ?? 0);
    this.trees = [];
    const importance = new Float64Array(data.d);
    for (let t = 0; t < nTrees; t++) {
      const treeRng = rng.fork();
      const weights = new Float64Array(data.n);
      for (let i = 0; i < data.n; i++) weights[treeRng.int(data.n)]! += 1;
      const tree = new DecisionTreeClassifier({
        maxFeatures: this.options.maxFeatures ?? 'sqrt',
        maxDepth: this.options.maxDepth,
        minSamplesLeaf: this.options.minSamplesLeaf,
      }).fitPresorted(data, y, weights, treeRng, this.nClasses);
      tree.featureImportances.forEach((v, j) => (importance[j]! += v / nTrees));
      this.trees.push(tree);
    }
    this.featureImportances = Array.from(importance);
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
