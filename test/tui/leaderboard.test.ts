// A qualifying digits run becomes the student's leaderboard entry and a logged answer (so instructors see it).
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { logLeaderboard } from '../../src/tutor/open-services.js';

const run = (over: Record<string, unknown>) => ({
  task: 'train',
  dataset: 'digits',
  model: 'cnn',
  params: 5258,
  accuracy: 0.96,
  seconds_per_epoch: 3,
  epochs: 5,
  backend: 'wasm',
  batch_size: 64,
  learning_rate: 0.001,
  seed: 1,
  n_test: 2000,
  ...over,
});

describe('leaderboard', () => {
  it('logs a new best once, ignores a worse or ineligible run', async () => {
    const store = openStore({ home: mkdtempSync(join(tmpdir(), 'eds-lb-')), user: 'fay' });
    expect(await logLeaderboard(store, run({ accuracy: 0.9 }), 1)).toBe(false);
    expect(await logLeaderboard(store, run({}), 1)).toBe(true);
    expect(await logLeaderboard(store, run({ params: 9000 }), 1)).toBe(false);
    expect(await logLeaderboard(store, run({ params: 4000 }), 1)).toBe(true);
    const logged = store.attempts({ lesson: 'neural', question: 'leaderboard-digits' });
    expect(logged.map((a) => JSON.parse(a.answer).params)).toEqual([5258, 4000]);
    store.close();
  });
});
