// Gaussian naive Bayes, computed exactly as scikit-learn's GaussianNB (class priors from frequencies, variance smoothing).
import { checkXy, countClasses, type Classifier, type Matrix } from './types.js';

/**
 * Gaussian naive Bayes. Each feature is normal within a class, features independent given the
 * class. As in scikit-learn, 1e-9 × the largest feature variance is added to every variance so a
 * feature that is constant within a class does not give infinite densities.
 */
export class GaussianNB implements Classifier {
  /** Class prior probabilities (class frequencies in the training rows). */
  priors: number[] = [];
  /** Per-class feature means (K × d). */
  means: number[][] = [];
  /** Per-class feature variances, smoothed (K × d). */
  variances: number[][] = [];
  constructor(readonly varSmoothing = 1e-9) {}
  fit(X: Matrix, y: number[]): this {
    const d = checkXy(X, y);
    const k = countClasses(y);
    const n = X.length;
    const counts = new Array<number>(k).fill(0);
    this.means = Array.from({ length: k }, () => new Array<number>(d).fill(0));
    this.variances = Array.from({ length: k }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < n; i++) {
      counts[y[i]!]!++;
      for (let j = 0; j < d; j++) this.means[y[i]!]![j]! += X[i]![j]!;
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) this.means[c]![j]! /= counts[c]! || 1;
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) this.variances[y[i]!]![j]! += (X[i]![j]! - this.means[y[i]!]![j]!) ** 2;
    // Smoothing: a fraction of the largest variance of any feature over all rows.
    let maxVar = 0;
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += X[i]![j]! / n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (X[i]![j]! - m) ** 2 / n;
      maxVar = Math.max(maxVar, v);
    }
    const epsilon = this.varSmoothing * maxVar;
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) this.variances[c]![j] = this.variances[c]![j]! / (counts[c]! || 1) + epsilon;
    this.priors = counts.map((c) => c / n);
    return this;
  }
  /** Joint log-likelihood log P(c) + log P(x | c) per row and class. */
  jointLogLikelihood(X: Matrix): number[][] {
    return X.map((row) =>
      this.priors.map((prior, c) => {
        let s = Math.log(prior);
        for (let j = 0; j < row.length; j++) {
          const v = this.variances[c]![j]!;
          s -= 0.5 * Math.log(2 * Math.PI * v) + (row[j]! - this.means[c]![j]!) ** 2 / (2 * v);
        }
        return s;
      }),
    );
  }
  predictProba(X: Matrix): number[][] {
    return this.jointLogLikelihood(X).map(softmaxRow);
  }
  predict(X: Matrix): number[] {
    return this.jointLogLikelihood(X).map((row) => row.indexOf(Math.max(...row)));
  }
  toJSON(): Record<string, unknown> {
    return { model: 'nb', priors: this.priors, means: this.means, variances: this.variances };
  }
}

/** exp(z − logsumexp(z)), stable for very negative log-likelihoods. */
export function softmaxRow(z: readonly number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
