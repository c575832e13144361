// Regression models: ordinary least squares (plain, polynomial, log–log) and the robust Huber and RANSAC fits of the river lesson.
import { Matrix as MlMatrix, SVD } from 'ml-matrix';
import { createRng } from '../util/rng.js';
import { minimizeLbfgs } from './optim.js';
import { polynomialFeatures } from './preprocess.js';
import { checkXy, type Matrix, type Regressor } from './types.js';
import { median } from '../util/stats.js';

/**
 * Least-squares coefficients of `y ≈ X·w + b`. Centres X and y first (as scikit-learn does) and
 * solves with ml-matrix's SVD, which gives the minimum-norm solution when columns are collinear,
 * like scipy's lstsq. (ml-regression's MultivariateLinearRegression inverts XᵀX, which squares the
 * condition number and loses digits on unscaled polynomial features, so we do not use it here.)
 */
export function leastSquares(X: Matrix, y: readonly number[], weights?: readonly number[]): { coef: number[]; intercept: number } {
  const n = X.length;
  const d = X[0]!.length;
  const w = weights ?? new Array<number>(n).fill(1);
  const wSum = w.reduce((a, b) => a + b, 0);
  const xMean = new Array<number>(d).fill(0);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) xMean[j]! += (w[i]! * X[i]![j]!) / wSum;
    yMean += (w[i]! * y[i]!) / wSum;
  }
  if (d === 0) return { coef: [], intercept: yMean };
  const A = new MlMatrix(n, d);
  const b = new MlMatrix(n, 1);
  for (let i = 0; i < n; i++) {
    const sw = Math.sqrt(w[i]!);
    for (let j = 0; j < d; j++) A.set(i, j, sw * (X[i]![j]! - xMean[j]!));
    b.set(i, 0, sw * (y[i]! - yMean));
  }
  const coef = new SVD(A, { autoTranspose: true }).solve(b).getColumn(0);
  const intercept = yMean - coef.reduce((s, c, j) => s + c * xMean[j]!, 0);
  return { coef, intercept };
}

function linearPredict(X: Matrix, coef: readonly number[], intercept: number): number[] {
  return X.map((row) => row.reduce((s, v, j) => s + v * coef[j]!, intercept));
}

/** Ordinary least squares with an intercept (one or many features). */
export class LinearRegression implements Regressor {
  /** Slope per feature. */
  coef: number[] = [];
  /** Intercept (the prediction at x = 0). */
  intercept = 0;
  fit(X: Matrix, y: number[]): this {
    checkXy(X, y);
    ({ coef: this.coef, intercept: this.intercept } = leastSquares(X, y));
    return this;
  }
  predict(X: Matrix): number[] {
    return linearPredict(X, this.coef, this.intercept);
  }
  toJSON(): Record<string, unknown> {
    return { model: 'linear', coef: this.coef, intercept: this.intercept };
  }
}

/**
 * Least squares on polynomial features of total degree ≤ `degree` (scikit-learn PolynomialFeatures + LinearRegression).
 * The expanded columns are divided by their standard deviations before solving and the coefficients scaled back: on
 * columns spanning many orders of magnitude (x and x³ of a variable in the thousands) the SVD's cut-off, relative to
 * the largest singular value, would otherwise drop the small columns' directions and miss the least-squares fit.
 */
export class PolynomialRegression implements Regressor {
  /** The linear model on the expanded features (coefficients in the features' own units). */
  readonly linear = new LinearRegression();
  constructor(readonly degree = 2) {}
  fit(X: Matrix, y: number[]): this {
    checkXy(X, y);
    const F = polynomialFeatures(X, this.degree);
    const d = F[0]!.length;
    const scale = new Array<number>(d).fill(0);
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (const row of F) mean += row[j]! / F.length;
      let ss = 0;
      for (const row of F) ss += (row[j]! - mean) ** 2;
      const sd = Math.sqrt(ss / F.length);
      scale[j] = sd > 0 && Number.isFinite(sd) ? sd : 1;
    }
    const { coef, intercept } = leastSquares(
      F.map((row) => row.map((v, j) => v / scale[j]!)),
      y,
    );
    this.linear.coef = coef.map((c, j) => c / scale[j]!);
    this.linear.intercept = intercept;
    return this;
  }
  predict(X: Matrix): number[] {
    return this.linear.predict(polynomialFeatures(X, this.degree));
  }
  toJSON(): Record<string, unknown> {
    return { model: 'poly', degree: this.degree, coef: this.linear.coef, intercept: this.linear.intercept };
  }
}

/**
 * A power law fitted as a straight line in log10–log10 space: log y = b + Σ w_j log x_j, i.e.
 * y = 10^b · Π x_j^w_j. For heavy-tailed, heteroscedastic targets such as suspended sediment
 * concentration. All features and targets must be > 0.
 */
export class LogLogRegression implements Regressor {
  /** The line in log space. */
  readonly linear = new LinearRegression();
  fit(X: Matrix, y: number[]): this {
    checkXy(X, y);
    this.linear.fit(
      logMatrix(X, 'feature'),
      y.map((v, i) => log10Positive(v, `target row ${i}`)),
    );
    return this;
  }
  predict(X: Matrix): number[] {
    return this.linear.predict(logMatrix(X, 'feature')).map((v) => 10 ** v);
  }
  toJSON(): Record<string, unknown> {
    return { model: 'loglog', exponents: this.linear.coef, log10_prefactor: this.linear.intercept };
  }
}

function log10Positive(v: number, what: string): number {
  if (!(v > 0)) throw new Error(`log–log regression needs positive values, ${what} is ${v}`);
  return Math.log10(v);
}

function logMatrix(X: Matrix, what: string): Matrix {
  return X.map((row, i) => row.map((v, j) => log10Positive(v, `${what} ${j} in row ${i}`)));
}

/** Options of `HuberRegressor`, with scikit-learn's defaults. */
export interface HuberOptions {
  /** Residuals beyond epsilon·scale count linearly, not quadratically (1.35 gives 95 % efficiency on Gaussian noise). */
  epsilon?: number;
  /** L2 penalty on the coefficients (not on the intercept). */
  alpha?: number;
}

/**
 * Huber regression with a jointly estimated scale, minimising exactly scikit-learn's objective
 * (Owen 2007): Σ_i [σ + H_ε(r_i/σ)·σ] + α‖w‖², with H_ε quadratic inside ε and linear outside.
 * σ is optimised as exp(s) so it stays positive without a bounded optimiser.
 */
export class HuberRegressor implements Regressor {
  /** Slope per feature. */
  coef: number[] = [];
  /** Intercept. */
  intercept = 0;
  /** Estimated scale of the inlier residuals (σ), in the target's unit. */
  scale = 1;
  /** Which training rows were treated as outliers (|r| > ε·σ). */
  outliers: boolean[] = [];
  readonly epsilon: number;
  readonly alpha: number;
  constructor(options: HuberOptions = {}) {
    this.epsilon = options.epsilon ?? 1.35;
    this.alpha = options.alpha ?? 1e-4;
    if (!(this.epsilon >= 1)) throw new Error(`Huber epsilon must be >= 1, got ${this.epsilon}`);
  }
  fit(X: Matrix, y: number[]): this {
    const d = checkXy(X, y);
    const n = X.length;
    const eps = this.epsilon;
    const alpha = this.alpha;
    // Parameters: w[0..d-1], intercept at d, log σ at d+1.
    const loss = (p: Float64Array, g: Float64Array): number => {
      const sigma = Math.exp(p[d + 1]!);
      g.fill(0);
      let squared = 0;
      let outlierLoss = 0;
      let nOut = 0;
      for (let i = 0; i < n; i++) {
        const row = X[i]!;
        let pred = p[d]!;
        for (let j = 0; j < d; j++) pred += p[j]! * row[j]!;
        const r = y[i]! - pred;
        if (Math.abs(r) > eps * sigma) {
          nOut++;
          outlierLoss += 2 * eps * Math.abs(r);
          const s = -2 * eps * Math.sign(r);
          for (let j = 0; j < d; j++) g[j]! += s * row[j]!;
          g[d]! += s;
        } else {
          squared += (r * r) / sigma;
          const s = (-2 * r) / sigma;
          for (let j = 0; j < d; j++) g[j]! += s * row[j]!;
          g[d]! += s;
        }
      }
      outlierLoss -= sigma * nOut * eps * eps;
      let penalty = 0;
      for (let j = 0; j < d; j++) {
        penalty += p[j]! * p[j]!;
        g[j]! += 2 * alpha * p[j]!;
      }
      // dL/dσ = n − Σ_inliers r²/σ² − n_out·ε²; chain rule through σ = exp(s).
      g[d + 1] = (n - squared / sigma - nOut * eps * eps) * sigma;
      return n * sigma + squared + outlierLoss + alpha * penalty;
    };
    const start = new Float64Array(d + 2); // w = 0, b = 0, σ = 1 as in scikit-learn
    const res = minimizeLbfgs(loss, start, { maxIterations: 2000, gradientTolerance: 1e-9 });
    this.coef = Array.from(res.x.subarray(0, d));
    this.intercept = res.x[d]!;
    this.scale = Math.exp(res.x[d + 1]!);
    const pred = this.predict(X);
    this.outliers = pred.map((p, i) => Math.abs(y[i]! - p) > eps * this.scale);
    return this;
  }
  predict(X: Matrix): number[] {
    return linearPredict(X, this.coef, this.intercept);
  }
  toJSON(): Record<string, unknown> {
    return { model: 'huber', epsilon: this.epsilon, alpha: this.alpha, coef: this.coef, intercept: this.intercept, scale: this.scale };
  }
}

/** Options of `RansacRegressor`, with scikit-learn's defaults. */
export interface RansacOptions {
  /** Rows drawn per trial (default n_features + 1, the minimum for a line). */
  minSamples?: number;
  /** Max |residual| of an inlier; default the median absolute deviation of y, as scikit-learn. */
  residualThreshold?: number;
  /** Number of random trials. */
  maxTrials?: number;
  /** Seed of the row draws. */
  seed?: number;
}

/**
 * RANSAC (Fischler & Bolles 1981) around least squares: fit lines through random minimal subsets,
 * keep the one with the most inliers (ties: smallest inlier squared error), refit on its inliers.
 */
export class RansacRegressor implements Regressor {
  /** The final least-squares model, fitted on the inliers. */
  readonly linear = new LinearRegression();
  /** Which training rows are inliers. */
  inliers: boolean[] = [];
  constructor(readonly options: RansacOptions = {}) {}
  fit(X: Matrix, y: number[]): this {
    const d = checkXy(X, y);
    const n = X.length;
    const minSamples = this.options.minSamples ?? d + 1;
    if (minSamples > n) throw new Error(`RANSAC needs at least ${minSamples} rows, got ${n}`);
    const threshold = this.options.residualThreshold ?? medianAbsoluteDeviation(y);
    const maxTrials = this.options.maxTrials ?? 100;
    const rng = createRng(this.options.seed ?? 0);
    let bestCount = -1;
    let bestError = Number.POSITIVE_INFINITY;
    let bestMask: boolean[] | null = null;
    const indices = Array.from({ length: n }, (_, i) => i);
    for (let t = 0; t < maxTrials; t++) {
      const subset = partialShuffle(indices, minSamples, rng.next).slice(0, minSamples);
      const trial = leastSquares(
        subset.map((i) => X[i]!),
        subset.map((i) => y[i]!),
      );
      const pred = linearPredict(X, trial.coef, trial.intercept);
      let count = 0;
      let error = 0;
      const mask = pred.map((p, i) => {
        const r = Math.abs(y[i]! - p);
        if (r <= threshold) {
          count++;
          error += r * r;
          return true;
        }
        return false;
      });
      if (count > bestCount || (count === bestCount && error < bestError)) {
        bestCount = count;
        bestError = error;
        bestMask = mask;
      }
      if (count === n) break;
    }
    if (!bestMask || bestCount < minSamples) throw new Error('RANSAC found no consensus set: try a larger residual threshold');
    this.inliers = bestMask;
    const keep = indices.filter((i) => bestMask![i]);
    this.linear.fit(
      keep.map((i) => X[i]!),
      keep.map((i) => y[i]!),
    );
    return this;
  }
  predict(X: Matrix): number[] {
    return this.linear.predict(X);
  }
  toJSON(): Record<string, unknown> {
    return { model: 'ransac', coef: this.linear.coef, intercept: this.linear.intercept, n_inliers: this.inliers.filter(Boolean).length };
  }
}

function partialShuffle(items: number[], k: number, next: () => number): number[] {
  const a = items.slice();
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(next() * (a.length - i));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Median of |y − median(y)|. */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}
