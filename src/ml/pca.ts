// Principal component analysis through ml-pca, with scikit-learn's conventions for explained variance.
import { PCA as MlPca } from 'ml-pca';
import { checkXy, type Matrix } from './types.js';

/** A fitted PCA. */
export interface PcaResult {
  /** Variance along each component (eigenvalues of the covariance with n − 1 in the denominator, as scikit-learn's explained_variance_). */
  explainedVariance: number[];
  /** Fraction of the total variance per component (sums to 1). */
  explainedVarianceRatio: number[];
  /** Unit-length principal axes (components × features). */
  components: number[][];
  /** Rows projected on the components (n × components). */
  scores: number[][];
}

/** Centred (not scaled) PCA of `X`; standardise first if features have different units. */
export function pca(X: Matrix, nComponents?: number): PcaResult {
  const d = checkXy(X);
  if (X.length < 2) throw new Error('PCA needs at least 2 rows');
  const model = new MlPca(X, { center: true, scale: false });
  const q = Math.min(nComponents ?? d, d, X.length);
  const eig = model.getEigenvalues();
  const total = eig.reduce((a, b) => a + b, 0);
  const loadings = model.getLoadings().to2DArray();
  return {
    explainedVariance: eig.slice(0, q),
    explainedVarianceRatio: eig.slice(0, q).map((v) => v / total),
    components: loadings.slice(0, q),
    scores: model.predict(X, { nComponents: q }).to2DArray(),
  };
}
