// The digits steps' plumbing: string options to training options, the leaderboard rules, and keeping the best entry in the store.
import { describe, expect, it } from 'vitest';
import { checkTaskOptions } from '../../src/experiments/registry.js';
import { betterEntry, checkLeaderboard, LEADERBOARD_SETTING, recordLeaderboard, recordTrainResult } from '../../src/leaderboard/rules.js';
import { UserError } from '../../src/errors.js';

/** A `runTrain` JSON result with the fields the leaderboard reads. */
function run(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'mlp',
    params: 25_450,
    accuracy: 0.956,
    seconds_per_epoch: 1.5,
    epochs: 10,
    backend: 'wasm',
    batch_size: 64,
    learning_rate: 0.001,
    seed: 3,
    n_test: 2000,
    hidden_units: 32,
    ...overrides,
  };
}

/** An in-memory stand-in for the student's store (only the settings part). */
function memoryStore(): { setting(k: string): string | null; setSetting(k: string, v: string): void; values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, setting: (k) => values.get(k) ?? null, setSetting: (k, v) => void values.set(k, v) };
}

describe('leaderboard', () => {
  it('admits a run with at least 95 % test accuracy trained in under 5 minutes', () => {
    const ok = checkLeaderboard(run(), new Date('2026-01-01T00:00:00Z'));
    expect(ok.eligible).toBe(true);
    expect(ok.reasons).toEqual([]);
    expect(ok.entry).toMatchObject({
      model: 'mlp',
      params: 25_450,
      accuracy: 0.956,
      trainingSeconds: 15,
      hiddenUnits: 32,
      recordedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(checkLeaderboard(run({ accuracy: 0.95 })).eligible).toBe(true);
  });
  it('says which rule a run breaks', () => {
    const low = checkLeaderboard(run({ accuracy: 0.949 }));
    expect(low.eligible).toBe(false);
    expect(low.reasons.join()).toMatch(/94\.9 % is below 95 %/);
    const slow = checkLeaderboard(run({ seconds_per_epoch: 31, epochs: 10 }));
    expect(slow.reasons.join()).toMatch(/310 s, more than 5 minutes/);
    expect(checkLeaderboard(run({ n_test: 100 })).reasons.join()).toMatch(/standard 2,000/);
  });
  it('ranks fewer parameters first, then accuracy, then time', () => {
    const a = checkLeaderboard(run({ params: 5_258, model: 'cnn', accuracy: 0.96 })).entry;
    const b = checkLeaderboard(run()).entry;
    expect(betterEntry(a, b)).toBe(true);
    expect(betterEntry(b, a)).toBe(false);
    expect(betterEntry(checkLeaderboard(run({ accuracy: 0.97 })).entry, b)).toBe(true);
  });
  it('keeps the best eligible entry in the store setting and ignores worse or ineligible runs', () => {
    const store = memoryStore();
    expect(recordLeaderboard(store, checkLeaderboard(run({ accuracy: 0.5 })))).toBeNull();
    expect(store.values.has(LEADERBOARD_SETTING)).toBe(false);
    recordLeaderboard(store, checkLeaderboard(run()));
    recordLeaderboard(store, checkLeaderboard(run({ params: 101_770, hidden_units: 128 })));
    expect(JSON.parse(store.values.get(LEADERBOARD_SETTING)!).params).toBe(25_450);
    const best = recordLeaderboard(store, checkLeaderboard(run({ params: 5_258, model: 'cnn' })));
    expect(best?.params).toBe(5_258);
    expect(JSON.parse(store.values.get('leaderboard:digits')!).model).toBe('cnn');
    // A damaged value is replaced by the next eligible run rather than trusted.
    store.values.set(LEADERBOARD_SETTING, '{oops');
    expect(recordLeaderboard(store, checkLeaderboard(run()))?.params).toBe(25_450);
  });
  it('records only digits training results', () => {
    const store = memoryStore();
    expect(recordTrainResult(store, { ...run(), task: 'pick' })).toBeNull();
    expect(recordTrainResult(store, { ...run(), task: 'train', dataset: 'digits' })?.params).toBe(25_450);
  });
});

describe('the train task’s options', () => {
  it('maps the lesson’s option names to runTrain’s', () => {
    expect(checkTaskOptions('train', { model: 'mlp', hidden: '16', lr: '0.01', batch: '32', epochs: '2', dataset: 'digits' })).toMatchObject({
      model: 'mlp',
      hiddenUnits: 16,
      learningRate: 0.01,
      batchSize: 32,
      epochs: 2,
    });
  });
  it('rejects fewer than 5 hidden units, non-numbers and unknown options in one line', () => {
    expect(() => checkTaskOptions('train', { hidden: '4' })).toThrow(/option hidden: expected an integer from 5 to 4096, got "4"/);
    expect(() => checkTaskOptions('train', { lr: 'fast' })).toThrow(UserError);
    expect(() => checkTaskOptions('train', { dropout: '0.5' })).toThrow(/unknown option "dropout"/);
  });
});
