// Linear support vector machines trained by dual coordinate descent as liblinear (scikit-learn's LinearSVC and LinearSVR) does: one-vs-rest classification and epsilon-insensitive regression.
import { createRng } from '../util/rng.js';
import { argmax, checkXy, countClasses, type Classifier, type Matrix, type Regressor } from './types.js';

/** Options of `LinearSVC`, with scikit-learn's defaults. */
export interface LinearSvcOptions {
  /** Penalty on margin violations: larger C fits the training rows harder. */
  C?: number;
  /** Maximum passes over the data per binary problem. */
  maxIterations?: number;
  /** Stop when the projected-gradient spread falls below this. */
  tolerance?: number;
  /** Seed for the order in which samples are visited. */
  seed?: number;
}

/**
 * LinearSVC: squared hinge loss, L2 penalty, one-vs-rest, with the intercept learnt as the
 * weight of a constant feature equal to 1 (so, as in liblinear, the intercept is penalised too).
 * Solves the dual min ½αᵀQ̄α − eᵀα, 0 ≤ α, Q̄ = Q + I/(2C) (Hsieh et al. 2008, algorithm 1 with
 * shrinking left out). The optimum is unique, so converged weights match liblinear's.
 */
export class LinearSVC implements Classifier {
  /** Weights per class (K × d); one row for two classes (positive = class 1), as scikit-learn. */
  coef: number[][] = [];
  /** Intercept per binary problem. */
  intercept: number[] = [];
  /** Whether every binary problem met the stopping tolerance within `maxIterations` passes (liblinear warns otherwise). */
  converged = false;
  /** Passes over the data of the slowest binary problem (scikit-learn's n_iter_). */
  nIter = 0;
  readonly C: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly seed: number;
  constructor(options: LinearSvcOptions = {}) {
    this.C = options.C ?? 1;
    this.maxIterations = options.maxIterations ?? 1000;
    this.tolerance = options.tolerance ?? 1e-4;
    this.seed = options.seed ?? 0;
    if (!(this.C > 0)) throw new Error(`C must be > 0, got ${this.C}`);
  }
  fit(X: Matrix, y: number[]): this {
    const d = checkXy(X, y);
    const k = countClasses(y);
    if (k < 2) throw new Error('the SVM needs at least two classes in the training rows');
    const rng = createRng(this.seed);
    const problems = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
    this.coef = [];
    this.intercept = [];
    this.converged = true;
    this.nIter = 0;
    for (const positive of problems) {
      const w = this.binary(
        X,
        y.map((v) => (v === positive ? 1 : -1)),
        d,
        rng.next,
      );
      this.coef.push(w.slice(0, d));
      this.intercept.push(w[d]!);
    }
    return this;
  }
  private binary(X: Matrix, s: number[], d: number, next: () => number): number[] {
    const n = X.length;
    const w = new Float64Array(d + 1);
    const alpha = new Float64Array(n);
    const diag = 1 / (2 * this.C);
    const qii = X.map((row) => row.reduce((a, v) => a + v * v, 1) + diag);
    const order = Array.from({ length: n }, (_, i) => i);
    for (let iter = 0; iter < this.maxIterations; iter++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let pgMax = Number.NEGATIVE_INFINITY;
      let pgMin = Number.POSITIVE_INFINITY;
      for (const i of order) {
        const row = X[i]!;
        let wx = w[d]!;
        for (let j = 0; j < d; j++) wx += w[j]! * row[j]!;
        const G = s[i]! * wx - 1 + diag * alpha[i]!;
        const pg = alpha[i] === 0 ? Math.min(G, 0) : G;
        pgMax = Math.max(pgMax, pg);
        pgMin = Math.min(pgMin, pg);
        if (pg !== 0) {
          const old = alpha[i]!;
          alpha[i] = Math.max(old - G / qii[i]!, 0);
          const delta = (alpha[i]! - old) * s[i]!;
          for (let j = 0; j < d; j++) w[j]! += delta * row[j]!;
          w[d]! += delta;
        }
      }
      if (pgMax - pgMin < this.tolerance) {
        this.nIter = Math.max(this.nIter, iter + 1);
        return Array.from(w);
      }
    }
    this.nIter = this.maxIterations;
    this.converged = false;
    return Array.from(w);
  }
  /** Signed distance-like scores per binary problem (n × 1 for two classes, n × K otherwise). */
  decisionFunction(X: Matrix): number[][] {
    return X.map((row) => this.coef.map((w, c) => row.reduce((a, v, j) => a + v * w[j]!, this.intercept[c]!)));
  }
  predict(X: Matrix): number[] {
    return this.decisionFunction(X).map((scores) => (scores.length === 1 ? (scores[0]! > 0 ? 1 : 0) : argmax(scores)));
  }
  toJSON(): Record<string, unknown> {
    return { model: 'svm', C: this.C, coef: this.coef, intercept: this.intercept, converged: this.converged, n_iter: this.nIter };
  }
}

/** Options of `LinearSVR`, with scikit-learn's defaults. */
export interface LinearSvrOptions {
  /** Penalty on errors beyond epsilon: larger C fits the training rows harder. */
  C?: number;
  /** Half-width of the tube in which errors cost nothing (target units; default 0). */
  epsilon?: number;
  /** Maximum passes over the data. */
  maxIterations?: number;
  /** Stop when the summed projected gradient falls below this fraction of its first pass's. */
  tolerance?: number;
  /** Seed for the order in which samples are visited. */
  seed?: number;
}

/**
 * LinearSVR: epsilon-insensitive (L1) loss, L2 penalty, the intercept learnt as the weight of a constant feature 1
 * (penalised, as liblinear's intercept_scaling = 1). Dual coordinate descent of Ho and Lin (2012), liblinear's
 * solve_l2r_l1l2_svr without shrinking: min ½βᵀQβ − yᵀβ + ε‖β‖₁, −C ≤ β ≤ C, w = Σβᵢxᵢ. The optimal w is unique,
 * so converged weights match liblinear's.
 */
export class LinearSVR implements Regressor {
  /** Weight per feature. */
  coef: number[] = [];
  intercept = 0;
  /** Whether the summed violation fell below `tolerance` of the first pass's within `maxIterations`. */
  converged = false;
  /** Passes over the data taken. */
  nIter = 0;
  readonly C: number;
  readonly epsilon: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly seed: number;
  constructor(options: LinearSvrOptions = {}) {
    this.C = options.C ?? 1;
    this.epsilon = options.epsilon ?? 0;
    this.maxIterations = options.maxIterations ?? 1000;
    this.tolerance = options.tolerance ?? 1e-4;
    this.seed = options.seed ?? 0;
    if (!(this.C > 0)) throw new Error(`C must be > 0, got ${this.C}`);
    if (!(this.epsilon >= 0)) throw new Error(`epsilon must be >= 0, got ${this.epsilon}`);
  }
  fit(X: Matrix, y: number[]): this {
    const d = checkXy(X, y);
    const n = X.length;
    const next = createRng(this.seed).next;
    const w = new Float64Array(d + 1);
    const beta = new Float64Array(n);
    const U = this.C;
    const p = this.epsilon;
    const qd = X.map((row) => row.reduce((a, v) => a + v * v, 1));
    const order = Array.from({ length: n }, (_, i) => i);
    let firstNorm = 0;
    this.converged = false;
    this.nIter = this.maxIterations;
    for (let iter = 0; iter < this.maxIterations; iter++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let norm = 0;
      for (const i of order) {
        const row = X[i]!;
        let wx = w[d]!;
        for (let j = 0; j < d; j++) wx += w[j]! * row[j]!;
        const G = wx - y[i]!;
        const H = qd[i]!;
        const Gp = G + p;
        const Gn = G - p;
        const b = beta[i]!;
        let violation: number;
        if (b === 0) violation = Gp < 0 ? -Gp : Gn > 0 ? Gn : 0;
        else if (b >= U) violation = Math.max(Gp, 0);
        else if (b <= -U) violation = Math.max(-Gn, 0);
        else violation = b > 0 ? Math.abs(Gp) : Math.abs(Gn);
        norm += violation;
        // Newton step on the one-variable piecewise quadratic, clipped to the box.
        let step: number;
        if (Gp < H * b) step = -Gp / H;
        else if (Gn > H * b) step = -Gn / H;
        else step = -b;
        if (Math.abs(step) < 1e-12) continue;
        const updated = Math.min(Math.max(b + step, -U), U);
        const delta = updated - b;
        beta[i] = updated;
        if (delta !== 0) {
          for (let j = 0; j < d; j++) w[j]! += delta * row[j]!;
          w[d]! += delta;
        }
      }
      if (iter === 0) firstNorm = norm;
      if (norm <= this.tolerance * firstNorm) {
        this.converged = true;
        this.nIter = iter + 1;
        break;
      }
    }
    this.coef = Array.from(w.subarray(0, d));
    this.intercept = w[d]!;
    return this;
  }
  predict(X: Matrix): number[] {
    return X.map((row) => row.reduce((a, v, j) => a + v * this.coef[j]!, this.intercept));
  }
  toJSON(): Record<string, unknown> {
    return { model: 'svr', C: this.C, epsilon: this.epsilon, coef: this.coef, intercept: this.intercept, converged: this.converged, n_iter: this.nIter };
  }
}
