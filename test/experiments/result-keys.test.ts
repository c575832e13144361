// The result keys each task declares (src/tasks/declarations.ts, what `eds lessons check` trusts) are the numbers
// it really produces: every experiment of every shipped lesson is run on small, fast settings and compared both ways.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLessons } from '../../src/lessons/load.js';
import type { ExperimentStep } from '../../src/lessons/types.js';
import { knownTasks, resultKeys, runTask, taskDeclaration } from '../../src/experiments/registry.js';
import { startingOptions } from '../../src/tutor/try-answer.js';

/** Settings that keep each task to about a second (the same sizes the lesson tests use). */
const FAST: Record<string, Record<string, string>> = {
  'volcano-look': { events: '120' },
  'volcano-features': { events: '120' },
  'volcano-split': { events: '120' },
  'volcano-classify': { events: '120' },
  'volcano-importance': { events: '120' },
  'lidar-look': { size: '30000', cores: '1000' },
  'lidar-features': { size: '30000', cores: '1000' },
  'lidar-classify': { size: '30000', cores: '1000', map: '2000', trees: '30' },
  'lidar-cluster': { size: '30000', cores: '1000' },
  train: { train_size: '300', test_size: '100', epochs: '1', backend: 'wasm' },
  pick: { windows: '4', backend: 'wasm' },
  attention: { traces: '32', epochs: '2', backend: 'wasm' },
  frugal: { epochs: '2' },
  finetune: { examples: '8', epochs: '1', windows: '10', backend: 'wasm' },
};

const experiments: Array<{ lesson: string; step: ExperimentStep }> = [];
const previousHome = process.env.EDS_HOME;

beforeAll(() => {
  // The review and leaderboard tasks read the student's store: give them an empty one.
  process.env.EDS_HOME = mkdtempSync(join(tmpdir(), 'eds-keys-'));
  const { lessons, problems } = checkLessons();
  expect(problems).toEqual([]);
  for (const l of lessons) for (const s of l.steps) if (s.kind === 'experiment') experiments.push({ lesson: l.id, step: s });
});
afterAll(() => {
  if (previousHome === undefined) delete process.env.EDS_HOME;
  else process.env.EDS_HOME = previousHome;
});

describe('declared result keys', () => {
  it('are declared for every task the registry runs, and name numbers in snake_case', () => {
    expect(knownTasks().length).toBe(24);
    for (const task of knownTasks()) {
      const keys = resultKeys(task, {});
      expect(keys, task).not.toBeNull();
      for (const { key } of keys!) expect(key, `${task}: ${key}`).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(taskDeclaration(task)!.summary.length, task).toBeGreaterThan(10);
    }
  });

  it('are exactly the numbers every lesson experiment produces, as the tutor first runs it', { timeout: 300_000 }, async () => {
    expect(experiments.length).toBeGreaterThan(30);
    for (const { lesson, step } of experiments) {
      const options = { ...startingOptions(step), ...FAST[step.task] };
      const json = (await runTask(step.task, options, 11)).json;
      const declared = resultKeys(step.task, options)!;
      const where = `${lesson}/${step.id} (${step.task})`;
      for (const { key, optional } of declared) {
        const v = json[key];
        if (optional) expect(v === undefined || v === null || (typeof v === 'number' && Number.isFinite(v)), `${where}: ${key} = ${String(v)}`).toBe(true);
        else expect(typeof v === 'number' && Number.isFinite(v), `${where}: ${key} = ${String(v)}`).toBe(true);
      }
      const numbers = Object.entries(json)
        .filter(([, v]) => typeof v === 'number')
        .map(([k]) => k);
      expect(
        numbers.filter((k) => !declared.some((d) => d.key === k)),
        `${where}: numbers not declared`,
      ).toEqual([]);
    }
  });

  it('depend on the options where the task’s output does', () => {
    const keys = (task: string, options: Record<string, string>) => resultKeys(task, options)!.map((k) => k.key);
    expect(keys('river', { stage: 'fit', scale: 'log' })).toContain('exponent');
    expect(keys('river', { stage: 'fit', scale: 'linear' })).not.toContain('exponent');
    expect(keys('river', { stage: 'compare' })).toContain('cv_rmse_time_rf');
    expect(keys('lidar-cluster', { model: 'dbscan' })).toContain('noise_share');
    expect(keys('lidar-cluster', { model: 'kmeans' })).not.toContain('noise_share');
    expect(keys('train', { model: 'cnn' })).not.toContain('hidden_units');
    expect(resultKeys('no-such-task', {})).toBeNull();
    // Options the task refuses declare nothing (the option check reports them instead).
    expect(resultKeys('classify', { neighbours: '50' })).toBeNull();
  });
});
