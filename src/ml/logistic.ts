// Multinomial logistic regression with an L2 penalty: scikit-learn's LogisticRegression defaults (lbfgs, C = 1), optimised to convergence.
import { minimizeLbfgs } from './optim.js';
import { softmaxRow } from './naive-bayes.js';
import { argmax, checkXy, countClasses, type Classifier, type Matrix } from './types.js';

/** Options of `LogisticRegression`. */
export interface LogisticOptions {
  /** Inverse regularisation strength: the loss is C·Σ cross-entropy + ½‖W‖² (intercepts not penalised). */
  C?: number;
  /** Maximum L-BFGS iterations. */
  maxIterations?: number;
}

/**
 * Multinomial (softmax) logistic regression, as scikit-learn ≥ 1.x does by default with lbfgs:
 * minimises C·Σ_i −log p(y_i | x_i) + ½ Σ_c ‖w_c‖². The problem is strictly convex, so converged
 * coefficients agree with scikit-learn's up to its stopping tolerance. With two classes
 * scikit-learn fits one weight vector w with penalty ½‖w‖²; the softmax optimum has w₁ = −w₀ = w/2,
 * so doubling our penalty there gives exactly the same model and the same probabilities.
 */
export class LogisticRegression implements Classifier {
  /** Weights per class (K × d). */
  coef: number[][] = [];
  /** Intercept per class (K). */
  intercept: number[] = [];
  /** Whether L-BFGS reached its gradient tolerance (false: it stopped at `maxIterations` or on a failed line search). */
  converged = false;
  /** L-BFGS iterations taken (scikit-learn's n_iter_). */
  nIter = 0;
  readonly C: number;
  readonly maxIterations: number;
  constructor(options: LogisticOptions = {}) {
    this.C = options.C ?? 1;
    this.maxIterations = options.maxIterations ?? 1000;
    if (!(this.C > 0)) throw new Error(`C must be > 0, got ${this.C}`);
  }
  fit(X: Matrix, y: number[]): this {
    const d = checkXy(X, y);
    const k = Math.max(2, countClasses(y));
    const n = X.length;
    const C = this.C;
    const stride = d + 1;
    const z = new Float64Array(k);
    const binaryScale = k === 2 ? 2 : 1;
    const loss = (p: Float64Array, g: Float64Array): number => {
      g.fill(0);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const row = X[i]!;
        let m = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < k; c++) {
          let s = p[c * stride + d]!;
          for (let j = 0; j < d; j++) s += p[c * stride + j]! * row[j]!;
          z[c] = s;
          if (s > m) m = s;
        }
        let sum = 0;
        for (let c = 0; c < k; c++) sum += Math.exp(z[c]! - m);
        const lse = m + Math.log(sum);
        total += lse - z[y[i]!]!;
        for (let c = 0; c < k; c++) {
          const r = C * (Math.exp(z[c]! - lse) - (c === y[i] ? 1 : 0));
          for (let j = 0; j < d; j++) g[c * stride + j]! += r * row[j]!;
          g[c * stride + d]! += r;
        }
      }
      let penalty = 0;
      for (let c = 0; c < k; c++)
        for (let j = 0; j < d; j++) {
          const w = p[c * stride + j]!;
          penalty += binaryScale * w * w;
          g[c * stride + j]! += binaryScale * w;
        }
      return C * total + 0.5 * penalty;
    };
    const res = minimizeLbfgs(loss, new Float64Array(k * stride), { maxIterations: this.maxIterations, gradientTolerance: 1e-7 });
    this.converged = res.converged;
    this.nIter = res.iterations;
    this.coef = Array.from({ length: k }, (_, c) => Array.from(res.x.subarray(c * stride, c * stride + d)));
    this.intercept = Array.from({ length: k }, (_, c) => res.x[c * stride + d]!);
    return this;
  }
  /** Class scores w_c·x + b_c (n × K). */
  decisionFunction(X: Matrix): number[][] {
    return X.map((row) => this.coef.map((w, c) => row.reduce((s, v, j) => s + v * w[j]!, this.intercept[c]!)));
  }
  predictProba(X: Matrix): number[][] {
    return this.decisionFunction(X).map(softmaxRow);
  }
  predict(X: Matrix): number[] {
    return this.decisionFunction(X).map(argmax);
  }
  toJSON(): Record<string, unknown> {
    return { model: 'logreg', C: this.C, coef: this.coef, intercept: this.intercept, converged: this.converged, n_iter: this.nIter };
  }
}
