// A small L-BFGS minimiser for the smooth convex losses of logistic and Huber regression.

/** Options for `minimizeLbfgs`. */
export interface LbfgsOptions {
  /** Maximum iterations (scikit-learn's default for LogisticRegression is 100; we default higher to converge). */
  maxIterations?: number;
  /** Stop when the max-norm of the gradient falls below this. */
  gradientTolerance?: number;
  /** Number of correction pairs kept. */
  memory?: number;
}

/** Result of a minimisation. */
export interface LbfgsResult {
  /** The minimiser found. */
  x: Float64Array;
  /** Loss at `x`. */
  loss: number;
  /** Iterations taken. */
  iterations: number;
  /** Whether the gradient tolerance was reached. */
  converged: boolean;
}

/**
 * Minimises `f` from `x0`; `f(x, grad)` returns the loss and writes the gradient into `grad`.
 * Backtracking (Armijo) line search: enough for convex losses, and deterministic.
 */
export function minimizeLbfgs(f: (x: Float64Array, grad: Float64Array) => number, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const { maxIterations = 1000, gradientTolerance = 1e-8, memory = 10 } = options;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let loss = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  let iterations = 0;
  const maxAbs = (v: Float64Array) => v.reduce((m, a) => Math.max(m, Math.abs(a)), 0);
  while (iterations < maxIterations) {
    if (maxAbs(g) < gradientTolerance) return { x, loss, iterations, converged: true };
    iterations++;
    // Two-loop recursion: dir = -H g.
    dir.set(g);
    const alpha = new Array<number>(S.length);
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(S[k]!, dir);
      axpy(-alpha[k]!, Y[k]!, dir);
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!);
      for (let i = 0; i < n; i++) dir[i]! *= gamma;
    } else {
      const gn = Math.sqrt(dot(g, g));
      for (let i = 0; i < n; i++) dir[i]! /= Math.max(gn, 1);
    }
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k]! * dot(Y[k]!, dir);
      axpy(alpha[k]! - beta, S[k]!, dir);
    }
    for (let i = 0; i < n; i++) dir[i] = -dir[i]!;
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i]!;
      slope = dot(g, dir);
    }
    let step = 1;
    let newLoss = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * dir[i]!;
      newLoss = f(xNew, gNew);
      if (newLoss <= loss + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(newLoss <= loss)) return { x, loss, iterations, converged: false };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const improvement = loss - newLoss;
    x = Float64Array.from(xNew);
    g = Float64Array.from(gNew);
    loss = newLoss;
    if (improvement <= 1e-16 * Math.max(1, Math.abs(loss)) && maxAbs(g) < 1e-5) break;
  }
  return { x, loss, iterations, converged: maxAbs(g) < gradientTolerance };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += a * x[i]!;
}
