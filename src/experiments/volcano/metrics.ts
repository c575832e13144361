// The scores the volcano lesson compares, and what a confusion matrix says first: the most confused pair, the worst class.
import { accuracy, balancedAccuracy, classReport, macroF1 } from '../../ml/metrics.js';

/** Scores of one set of predictions, the three the lesson compares. */
export interface Scores {
  accuracy: number;
  balanced_accuracy: number;
  macro_f1: number;
}

export function scores(yTrue: readonly number[], yPred: readonly number[]): Scores {
  return { accuracy: accuracy(yTrue, yPred), balanced_accuracy: balancedAccuracy(yTrue, yPred), macro_f1: macroF1(yTrue, yPred) };
}

/** The unordered pair of distinct classes most often mistaken for each other (both directions summed). */
export function mostConfusedPair(matrix: readonly (readonly number[])[], labels: readonly string[]): { pair: string; count: number } {
  let best = { pair: '', count: 0 };
  for (let i = 0; i < matrix.length; i++) {
    for (let j = i + 1; j < matrix.length; j++) {
      const count = matrix[i]![j]! + matrix[j]![i]!;
      if (count > best.count) best = { pair: `${labels[i]}/${labels[j]}`, count };
    }
  }
  return best.count === 0 ? { pair: 'none', count: 0 } : best;
}

/** The class with the lowest recall among those present in the truth (first in class order on ties). */
export function lowestRecall(matrix: readonly (readonly number[])[], labels: readonly string[]): { label: string; recall: number } {
  const rep = classReport(matrix as number[][]);
  let best = { label: '', recall: Infinity };
  rep.recall.forEach((r, c) => {
    if (rep.support[c]! > 0 && r < best.recall) best = { label: labels[c]!, recall: r };
  });
  return best;
}
