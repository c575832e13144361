// The reshapeable digits CNN: its parameter count agrees with PyTorch's for every shape in the committed fixture
// (scripts/cnn-param-counts.py), with the tfjs model eds really builds, and a shape that cannot be built is one line.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cnnArchProblem, cnnLabel, cnnParams, cnnSides, CNN_LIMITS, parseCnnArch, type CnnArch } from '../../src/nn/cnn-arch.js';
import { buildDigitsModel, countTrainableParams } from '../../src/nn/models.js';
import { resolveTrainOptions } from '../../src/experiments/train.js';
import { UserError } from '../../src/errors.js';

interface TorchNet extends CnnArch {
  flatten: number;
  params: number;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch/cnn-params.json', import.meta.url), 'utf8')) as { generator: string; networks: TorchNet[] };

describe('CNN parameter counts', () => {
  it('come from PyTorch for at least five shapes, the default among them', () => {
    expect(fixture.generator).toBe('scripts/cnn-param-counts.py');
    expect(fixture.networks.length).toBeGreaterThanOrEqual(5);
    expect(fixture.networks.find((n) => n.filters.join() === '8,16' && n.pool.join() === '2,2')?.params).toBe(5258);
  });
  for (const net of fixture.networks) {
    it(`${cnnLabel(net)}: eds's formula and the tfjs model both give PyTorch's ${net.params}`, () => {
      const arch = { filters: net.filters, pool: net.pool };
      expect(cnnArchProblem(arch)).toBeNull();
      expect(cnnParams(arch)).toBe(net.params);
      const side = cnnSides(arch).at(-1)!;
      expect(side * side * net.filters.at(-1)!).toBe(net.flatten);
      const model = buildDigitsModel('cnn', { seed: 1, cnn: arch });
      try {
        expect(countTrainableParams(model)).toBe(net.params);
        expect(model.outputs[0]!.shape).toEqual([null, 10]);
      } finally {
        model.dispose();
      }
    });
  }
});

describe('CNN shapes that cannot be built', () => {
  const oneLine = (arch: CnnArch): string => {
    const why = cnnArchProblem(arch);
    expect(why).not.toBeNull();
    expect(why!).not.toMatch(/\n/);
    return why!;
  };
  it('are refused in one line each: zero filters, too many parameters, pooling below 1×1, too many layers', () => {
    expect(oneLine({ filters: [0, 8], pool: [2, 2] })).toMatch(/^filters: each layer needs a whole number of filters from 1 to 64, got 0$/);
    expect(oneLine({ filters: [64, 64], pool: [1, 1] })).toMatch(/^this CNN has 406,218 parameters, more than the 250,000 eds trains/);
    expect(oneLine({ filters: [4, 8, 16], pool: [4, 4, 1] })).toMatch(/^conv layer 3 gets a 1×1 map, smaller than its 3×3 filters/);
    expect(oneLine({ filters: [4, 8, 8], pool: [4, 1, 4] })).toMatch(/^pool 4 after conv layer 3 would shrink its 2×2 map below 1×1/);
    expect(oneLine({ filters: [1, 1, 1, 1, 1, 1], pool: [1, 1, 1, 1, 1, 1] })).toMatch(/^filters: give 1 to 5 conv layers/);
    expect(oneLine({ filters: [4, 8], pool: [2, 2, 2] })).toMatch(/^pool: give one size for every layer or 2 sizes, got 3$/);
    expect(oneLine({ filters: [4], pool: [0] })).toMatch(/^pool: each size must be a whole number from 1/);
    expect(oneLine({ filters: [4.5], pool: [2] })).toMatch(/got 4\.5$/);
    expect(() => cnnParams({ filters: [0], pool: [2] })).toThrow(/filters: each layer/);
    expect(CNN_LIMITS.maxParams).toBeGreaterThan(5258);
  });
  it('are read from the command line and the lesson as text, one pool size standing for every layer', () => {
    expect(parseCnnArch('4,8', '2')).toEqual({ arch: { filters: [4, 8], pool: [2, 2] } });
    expect(parseCnnArch(16, undefined)).toEqual({ arch: { filters: [16], pool: [2] } });
    expect(parseCnnArch('4, 8,16', '2,2,1')).toEqual({ arch: { filters: [4, 8, 16], pool: [2, 2, 1] } });
    expect(parseCnnArch(undefined, undefined)).toEqual({ arch: { filters: [8, 16], pool: [2, 2] } });
    expect(parseCnnArch('4,x', '2')).toEqual({ problem: 'filters: expected whole numbers separated by commas, got "x"' });
    expect(parseCnnArch('4,8', '-1')).toEqual({ problem: 'pool: expected whole numbers separated by commas, got "-1"' });
  });
  it('stop eds run train before any training, with a one-line UserError naming the option', () => {
    const message = (options: Parameters<typeof resolveTrainOptions>[0]): string => {
      try {
        resolveTrainOptions(options);
      } catch (err) {
        expect(err).toBeInstanceOf(UserError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(message({ model: 'cnn', filters: '0,8' })).toBe('--filters: each layer needs a whole number of filters from 1 to 64, got 0');
    expect(message({ model: 'cnn', filters: '4,8,8', pool: '4,1,4' })).toMatch(
      /^--filters\/--pool: pool 4 after conv layer 3 would shrink its 2×2 map below 1×1/,
    );
    expect(message({ model: 'cnn', filters: '64,64', pool: '1' })).toMatch(/^--filters\/--pool: this CNN has .* parameters, more than the 250,000/);
    expect(message({ model: 'mlp', filters: '4,8' })).toBe('--filters and --pool shape the CNN: use them with --model cnn');
    expect(resolveTrainOptions({ model: 'cnn', filters: '4,8', pool: 3 })).toMatchObject({ filters: [4, 8], pool: [3, 3] });
  });
});
