// The confusion-matrix figure prints the per-class scores `--json` reports (ml/metrics, scikit-learn's
// zero_division = 0), also for a class the model never predicts, where the two used to disagree.
import { describe, expect, it } from 'vitest';
import { classReport, confusionMatrix, macroF1 } from '../../src/ml/metrics.js';
import { renderConfusionMatrix } from '../../src/render/confusion.js';

const caps = { width: 120, height: 40, colors: 0 as const, unicode: false };

/** The prec/rec/F1 columns of each class row, and the footer's macro F1, as printed. */
function printed(labels: string[], text: string): { rows: number[][]; macro: number } {
  const lines = text.split('\n');
  const rows = labels.map((l) => {
    const line = lines.find((s) => s.trimStart().startsWith(`${l} `))!;
    const scores = line
      .slice(line.lastIndexOf('|') + 1)
      .trim()
      .split(/\s+/);
    return scores.map(Number);
  });
  const macro = Number(/macro F1 ([\d.]+)/.exec(text)![1]);
  return { rows, macro };
}

describe('confusion matrix figure and --json', () => {
  it('print the per-class scores of sklearn', () => {
    // sklearn.metrics.precision_recall_fscore_support on the matrix [[5, 1], [2, 2]]
    const r = classReport([
      [5, 1],
      [2, 2],
    ]);
    expect(r.precision[0]).toBeCloseTo(5 / 7, 12);
    expect(r.recall[0]).toBeCloseTo(5 / 6, 12);
    expect(r.f1[0]).toBeCloseTo(10 / 13, 12);
    expect(r.precision[1]).toBeCloseTo(2 / 3, 12);
    expect(r.recall[1]).toBeCloseTo(0.5, 12);
    expect(r.support).toEqual([6, 4]);
    const { rows } = printed(
      ['a', 'b'],
      renderConfusionMatrix(
        ['a', 'b'],
        [
          [5, 1],
          [2, 2],
        ],
        caps,
      ),
    );
    expect(rows).toEqual([
      [0.71, 0.83, 0.77],
      [0.67, 0.5, 0.57],
    ]);
  });

  it('agree on every class, including one never predicted', () => {
    // sklearn: precision_recall_fscore_support(y_true, y_pred, zero_division=0) gives basalt precision 0, recall 0, F1 0.
    const labels = ['granite', 'schist', 'basalt'];
    const yTrue = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
    const yPred = [0, 0, 0, 1, 1, 1, 0, 0, 1, 1];
    const cm = confusionMatrix(yTrue, yPred, labels.length);
    const json = classReport(cm);
    expect(json.precision[2]).toBe(0);
    const { rows, macro } = printed(labels, renderConfusionMatrix(labels, cm, caps));
    labels.forEach((_, c) => {
      expect(rows[c], labels[c]).toEqual([json.precision[c]!, json.recall[c]!, json.f1[c]!].map((v) => Number(v.toFixed(2))));
    });
    expect(macro).toBe(Number(macroF1(yTrue, yPred).toFixed(2)));
  });

  it('agree on the macro F1 when a class is absent from the truth and the predictions', () => {
    // A label with no row and no prediction does not count in the macro average (as macro_f1 in --json).
    const labels = ['floor', 'vegetation', 'rock'];
    const yTrue = [0, 0, 1, 1, 1];
    const yPred = [0, 1, 1, 1, 0];
    const cm = confusionMatrix(yTrue, yPred, labels.length);
    const { macro } = printed(labels, renderConfusionMatrix(labels, cm, caps));
    expect(macro).toBe(Number(macroF1(yTrue, yPred).toFixed(2)));
    expect(macro).toBeGreaterThan(0.5);
  });
});
