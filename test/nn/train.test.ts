// runTrain: the `eds run train --json` contract, callbacks, figures, reproducibility and option errors.
import { describe, expect, it } from 'vitest';
import { resolveTrainOptions, runTrain } from '../../src/experiments/train.js';
import { UserError } from '../../src/errors.js';

describe('runTrain', () => {
  it('trains the digits MLP and reports the json contract', async () => {
    const epochs: Array<[number, Record<string, number>]> = [];
    const statuses: string[] = [];
    const options = { model: 'mlp' as const, epochs: 3, trainSize: 1500, testSize: 500, batchSize: 50, seed: 3, backend: 'wasm' as const };
    const result = await runTrain(options, { onEpochEnd: (e, logs) => epochs.push([e, logs]), onStatus: (m) => statuses.push(m) });
    const json = result.json;
    expect(json).toMatchObject({
      task: 'train',
      dataset: 'digits',
      model: 'mlp',
      seed: 3,
      n_train: 1500,
      n_test: 500,
      backend: 'wasm',
      epochs: 3,
      params: 101_770,
    });
    expect(json).not.toHaveProperty('backend_warning');
    const history = json.history as Record<string, number[]>;
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) expect(history[key]).toHaveLength(3);
    expect(history.loss![2]).toBeLessThan(history.loss![0]!);
    // 1,500 real digits and 3 epochs: a plain MLP gets well past chance.
    expect(json.accuracy as number).toBeGreaterThan(0.8);
    expect(json.macro_f1 as number).toBeGreaterThan(0.75);
    expect(json.macro_f1 as number).toBeLessThanOrEqual(1);
    expect(json.seconds_per_epoch as number).toBeGreaterThan(0);
    const confusion = json.confusion as { labels: string[]; matrix: number[][] };
    expect(confusion.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(500);
    const diagonal = confusion.matrix.reduce((s, row, i) => s + row[i]!, 0);
    expect(diagonal / 500).toBeCloseTo(json.accuracy as number, 5);
    expect(history.val_accuracy![2]).toBeCloseTo(json.accuracy as number, 5);
    expect(epochs.map(([e]) => e)).toEqual([0, 1, 2]);
    expect(epochs[0]![1]).toHaveProperty('val_loss');
    expect(statuses.some((s) => s.startsWith('training mlp'))).toBe(true);
    // JSON-clean: what --json prints round-trips.
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(result.figures.map((f) => f.title)).toHaveLength(4);
    for (const figure of result.figures) {
      const text = figure.render({ width: 80, height: 20, colors: 0, unicode: false });
      expect(text.length).toBeGreaterThan(0);
      for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    }

    const again = await runTrain(options);
    expect(again.json.history).toEqual(json.history);
    expect(again.json.confusion).toEqual(json.confusion);
  });

  it('trains the CNN on wasm (the kernels it needs are registered)', async () => {
    const result = await runTrain({ model: 'cnn', epochs: 2, trainSize: 640, testSize: 200, learningRate: 0.01, seed: 1, backend: 'wasm' });
    expect(result.json).toMatchObject({ model: 'cnn', params: 5_258, backend: 'wasm' });
    expect(result.json.accuracy as number).toBeGreaterThan(0.6);
  });

  it('rejects bad options in one line naming the flag', () => {
    const bad: Array<[object, RegExp]> = [
      [{ epochs: 0 }, /^--epochs must be a whole number from 1 to 1000, got 0$/],
      [{ model: 'resnet' }, /^--model: unknown model "resnet"/],
      [{ dataset: 'river' }, /^--dataset: unknown data set "river"/],
      [{ learningRate: -1 }, /^--learning-rate/],
      [{ trainSize: 9000, testSize: 2000 }, /exceeds the 10,000 digits/],
      [{ batchSize: 100, trainSize: 50 }, /^--batch-size must be a whole number from 1 to 50/],
    ];
    for (const [options, message] of bad) {
      expect(() => resolveTrainOptions(options as never)).toThrow(UserError);
      expect(() => resolveTrainOptions(options as never)).toThrow(message);
    }
    expect(resolveTrainOptions({})).toMatchObject({ model: 'cnn', epochs: 5, batchSize: 64, backend: 'auto' });
  });
});
