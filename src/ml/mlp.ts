// A small multilayer perceptron in plain TypeScript (used by `eds project` and the synthesis lesson): one ReLU hidden layer, softmax, Adam, seeded.
//
// Why not tfjs: cross-validation fits the network once per fold (and more for the learning curve) on tabular data of
// a few thousand rows; creating tensors for such small batches costs more than the arithmetic, and wasm startup
// alone takes longer than a whole fit here. The architecture and optimiser are those of scikit-learn's
// MLPClassifier(hidden_layer_sizes=(h,), solver='adam', batch_size=32, alpha=…), so the notebook can rerun it —
// with its own random initialisation, hence close but not identical scores.
import { createRng } from '../util/rng.js';
import { argmax, checkXy, countClasses, type Classifier, type Matrix } from './types.js';

/** Options of {@link MlpClassifier}. */
export interface MlpOptions {
  /** Hidden units (default 32). */
  hidden?: number;
  /** Passes over the training rows (default 100). */
  epochs?: number;
  /** Adam step size (default 0.01). */
  learningRate?: number;
  /** L2 penalty on weights, as scikit-learn's `alpha` (default 1e-4). */
  alpha?: number;
  /** Rows per mini-batch (default 32). */
  batchSize?: number;
  /** Seed of the initial weights and the batch order. */
  seed?: number;
}

/** One-hidden-layer network: softmax(W2 · relu(W1 · x + b1) + b2). Expects standardised features. */
export class MlpClassifier implements Classifier {
  readonly hidden: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly alpha: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Mean training cross-entropy after each epoch. */
  lossCurve: number[] = [];
  private w1 = new Float64Array(0);
  private b1 = new Float64Array(0);
  private w2 = new Float64Array(0);
  private b2 = new Float64Array(0);
  private d = 0;
  private k = 0;

  constructor(options: MlpOptions = {}) {
    this.hidden = options.hidden ?? 32;
    this.epochs = options.epochs ?? 100;
    this.learningRate = options.learningRate ?? 0.01;
    this.alpha = options.alpha ?? 1e-4;
    this.batchSize = options.batchSize ?? 32;
    this.seed = options.seed ?? 0;
    if (!(Number.isInteger(this.hidden) && this.hidden >= 1)) throw new Error(`hidden units must be an integer >= 1, got ${this.hidden}`);
    if (!(Number.isInteger(this.epochs) && this.epochs >= 1)) throw new Error(`epochs must be an integer >= 1, got ${this.epochs}`);
  }

  /** Trainable parameters: d·h + h + h·K + K. */
  parameterCount(): number {
    return this.d * this.hidden + this.hidden + this.hidden * this.k + this.k;
  }

  fit(X: Matrix, y: number[]): this {
    const d = checkXy(X, y);
    const k = Math.max(2, countClasses(y));
    const h = this.hidden;
    const n = X.length;
    this.d = d;
    this.k = k;
    const rng = createRng(this.seed);
    // Glorot-uniform initialisation, as scikit-learn's MLP.
    const glorot = (fanIn: number, fanOut: number, size: number) => {
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      return Float64Array.from({ length: size }, () => (2 * rng.next() - 1) * bound);
    };
    this.w1 = glorot(d, h, d * h);
    this.b1 = glorot(d, h, h);
    this.w2 = glorot(h, k, h * k);
    this.b2 = glorot(h, k, k);
    const params = [this.w1, this.b1, this.w2, this.b2];
    const grads = params.map((p) => new Float64Array(p.length));
    const m = params.map((p) => new Float64Array(p.length));
    const v = params.map((p) => new Float64Array(p.length));
    const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
    let step = 0;
    const hid = new Float64Array(h);
    const out = new Float64Array(k);
    const dHid = new Float64Array(h);
    const batch = Math.min(this.batchSize, n);
    this.lossCurve = [];
    for (let epoch = 0; epoch < this.epochs; epoch++) {
      const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      let epochLoss = 0;
      for (let start = 0; start < n; start += batch) {
        const rows = order.slice(start, start + batch);
        for (const g of grads) g.fill(0);
        for (const i of rows) {
          const x = X[i]!;
          this.forward(x, hid, out);
          epochLoss -= Math.log(Math.max(out[y[i]!]!, 1e-300));
          // Output error: softmax minus one-hot.
          out[y[i]!]! -= 1;
          dHid.fill(0);
          for (let a = 0; a < h; a++) {
            if (hid[a]! <= 0) continue;
            for (let c = 0; c < k; c++) {
              grads[2]![a * k + c]! += hid[a]! * out[c]!;
              dHid[a]! += this.w2[a * k + c]! * out[c]!;
            }
          }
          for (let c = 0; c < k; c++) grads[3]![c]! += out[c]!;
          for (let a = 0; a < h; a++) {
            const g = dHid[a]!;
            if (g === 0) continue;
            for (let j = 0; j < d; j++) grads[0]![j * h + a]! += x[j]! * g;
            grads[1]![a]! += g;
          }
        }
        const scale = 1 / rows.length;
        step++;
        const lr = (this.learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
        params.forEach((p, q) => {
          const g = grads[q]!;
          const weights = q === 0 || q === 2;
          for (let i = 0; i < p.length; i++) {
            // scikit-learn's L2 term: alpha/2·‖W‖² per sample of the batch, so its gradient is alpha·W/batch.
            const gi = g[i]! * scale + (weights ? (this.alpha * p[i]!) / rows.length : 0);
            m[q]![i] = beta1 * m[q]![i]! + (1 - beta1) * gi;
            v[q]![i] = beta2 * v[q]![i]! + (1 - beta2) * gi * gi;
            p[i]! -= (lr * m[q]![i]!) / (Math.sqrt(v[q]![i]!) + eps);
          }
        });
      }
      this.lossCurve.push(epochLoss / n);
    }
    return this;
  }

  /** Fills `hid` (hidden activations after ReLU) and `out` (softmax probabilities) for one row. */
  private forward(x: readonly number[], hid: Float64Array, out: Float64Array): void {
    const h = this.hidden;
    const k = this.k;
    for (let a = 0; a < h; a++) {
      let s = this.b1[a]!;
      for (let j = 0; j < this.d; j++) s += x[j]! * this.w1[j * h + a]!;
      hid[a] = s > 0 ? s : 0;
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let s = this.b2[c]!;
      for (let a = 0; a < h; a++) s += hid[a]! * this.w2[a * k + c]!;
      out[c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      out[c] = Math.exp(out[c]! - max);
      sum += out[c]!;
    }
    for (let c = 0; c < k; c++) out[c]! /= sum;
  }

  predictProba(X: Matrix): number[][] {
    const hid = new Float64Array(this.hidden);
    const out = new Float64Array(this.k);
    return X.map((x) => {
      this.forward(x, hid, out);
      return Array.from(out);
    });
  }

  predict(X: Matrix): number[] {
    return this.predictProba(X).map(argmax);
  }

  toJSON(): Record<string, unknown> {
    return { model: 'mlp', hidden: this.hidden, epochs: this.epochs, learning_rate: this.learningRate, alpha: this.alpha, parameters: this.parameterCount() };
  }
}
