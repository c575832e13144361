// The task declarations (src/tasks/declarations.ts) and their one option parser (src/tasks/declare.ts): what lessons,
// `eds run` and `eds lessons check` all read options through.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { checkTaskOptions, knownTasks, unpairedTasks } from '../../src/experiments/registry.js';
import { VOLCANO_FEATURE_NAMES } from '../../src/tasks/options.js';
import { camelCase, closest, kebabCase, optionInfo } from '../../src/tasks/declare.js';
import { TASKS } from '../../src/tasks/declarations.js';
import { BACKEND_CHOICES } from '../../src/nn/backend.js';
import { FEATURE_NAMES } from '../../src/seismology/features.js';
import { DEFAULT_TOLERANCE } from '../../src/lidar/features.js';

describe('declared tasks', () => {
  it('declare the 24 tasks, each with a summary and a strict schema', () => {
    expect(knownTasks()).toHaveLength(24);
    for (const [name, task] of Object.entries(TASKS)) {
      expect(task.name).toBe(name);
      expect(task.options._def.unknownKeys, name).toBe('strict');
    }
  });

  it('pair every declaration with a run function, and every run function with a declaration', () => {
    expect(unpairedTasks()).toEqual({ undeclared: [], unrunnable: [] });
  });

  it('keep the declarations light: no model code loads with them (the TUI reads them for its first frame)', () => {
    for (const file of ['declarations.ts', 'options.ts', 'declare.ts']) {
      const source = readFileSync(new URL(`../../src/tasks/${file}`, import.meta.url), 'utf8');
      expect(source, `${file} loads nothing lazily: run functions are paired in experiments/registry.ts`).not.toMatch(/\bimport\(/);
      const statics = [...source.matchAll(/^import (?!type ).*from '([^']+)';$/gm)].map((m) => m[1]);
      for (const from of statics)
        expect(
          [
            'zod',
            './declare.js',
            './options.js',
            './spelling.js',
            '../errors.js',
            '../lidar/scene.js',
            '../lidar/real-names.js',
            '../ml/model-specs.js',
            '../nn/backend-choices.js',
            '../seismology/feature-names.js',
          ],
          `${file} imports ${from}`,
        ).toContain(from);
    }
  });

  it('list the same words as the modules they mirror', () => {
    expect([...VOLCANO_FEATURE_NAMES]).toEqual([...FEATURE_NAMES]);
    expect(optionInfo(TASKS.pick!.options.shape.backend!).choices).toEqual([...BACKEND_CHOICES]);
    expect(checkTaskOptions('lidar-look', {}).tolerance).toBe(DEFAULT_TOLERANCE);
  });
});

describe('reading options', () => {
  it('accepts kebab-, snake- and camelCase keys, and fills in the defaults', () => {
    expect(camelCase('test-size')).toBe('testSize');
    expect(camelCase('max_gap')).toBe('maxGap');
    expect(kebabCase('corePoints')).toBe('core-points');
    expect(kebabCase('C')).toBe('C');
    expect(checkTaskOptions('lidar-cluster', { 'min-samples': '7', max_k: '5' })).toMatchObject({ minSamples: 7, maxK: 5, model: 'kmeans', k: 2 });
    expect(checkTaskOptions('lidar-cluster', { minSamples: '7' })).toMatchObject({ minSamples: 7 });
  });

  it('reads booleans as true/false/yes/no and lists split on commas', () => {
    expect(checkTaskOptions('classify', { standardize: 'yes', importance: 'false', features: 'a, b,,c' })).toEqual({
      standardize: true,
      importance: false,
      features: ['a', 'b', 'c'],
    });
    expect(() => checkTaskOptions('classify', { standardize: 'maybe' })).toThrow('classify: option standardize: expected true or false, got "maybe"');
    expect(checkTaskOptions('lidar-features', { scales: '0.5,0.1,0.1' }).scales).toEqual([0.1, 0.5]);
    expect(() => checkTaskOptions('lidar-features', { scales: '0.1,9' })).toThrow(
      'lidar-features: option scales: radii above 5 m would take minutes on a dense scan, got "0.1,9"',
    );
  });

  it('says in one line what a value should be: its type, range or choices', () => {
    expect(() => checkTaskOptions('volcano-split', { sampling: 'smote' })).toThrow(
      'volcano-split: option sampling: expected one of natural, oversample, undersample, got "smote"',
    );
    expect(() => checkTaskOptions('lidar-classify', { 'test-size': '1.5' })).toThrow(
      'lidar-classify: option test-size: expected a number between 0 and 1, got "1.5"',
    );
    expect(() => checkTaskOptions('tour', { points: '2.5' })).toThrow('tour: option points: expected an integer from 5 to 200, got "2.5"');
    expect(() => checkTaskOptions('tour', { points: '' })).toThrow(UserError);
  });

  it('refuses an unknown option with the closest known name, in the lesson’s and the command line’s spelling', () => {
    expect(() => checkTaskOptions('classify', { neighbours: '50' })).toThrow(/^classify: unknown option "neighbours": did you mean neighbors\? \(known: /);
    expect(() => checkTaskOptions('lidar-cluster', { min_sample: '3' })).toThrow(/did you mean min-samples\?/);
    expect(() => checkTaskOptions('classify', { neighbours: '50' }, 'cli')).toThrow(
      /^unknown option --neighbours for eds run classify; did you mean --neighbors\?$/,
    );
    expect(() => checkTaskOptions('classify', { colour: 'red' }, 'cli')).toThrow(/^unknown option --colour for eds run classify$/);
    expect(() => checkTaskOptions('train', { hidden: '32', hiddenUnits: '64' })).toThrow(/given twice/);
    expect(closest('nieghbors', ['neighbors', 'trees'])).toBe('neighbors');
    expect(closest('zzz', ['neighbors', 'trees'])).toBeUndefined();
    expect(closest('cv', ['k', 'eps'])).toBeUndefined();
  });

  it('takes values yargs already typed (numbers, booleans, repeated flags)', () => {
    expect(checkTaskOptions('classify', { neighbors: 7, standardize: false, points: ['a.xyz:a', 'b.xyz:b'] }, 'cli')).toEqual({
      neighbors: 7,
      standardize: false,
      points: ['a.xyz:a', 'b.xyz:b'],
    });
    expect(checkTaskOptions('train', { filters: '4,8', pool: 2 })).toMatchObject({ filters: [4, 8], pool: 2 });
  });
});

describe('eds run --tolerance', () => {
  it('reaches the lidar neighbourhood search, is checked, and applies to lidar data only', async () => {
    const { runCli } = await import('../support/cli.js');
    const exact = await runCli([
      'run',
      'classify',
      '--dataset',
      'lidar-dunes',
      '--tolerance',
      '0',
      '--core-points',
      '200',
      '--scales',
      '0.25',
      '--trees',
      '10',
      '--json',
    ]);
    expect(exact.code, exact.err).toBe(0);
    expect(JSON.parse(exact.out).n_test).toBeGreaterThan(0);
    const wrong = await runCli(['run', 'classify', '--dataset', 'lidar-dunes', '--tolerance', '2']);
    expect(wrong.code).toBe(2);
    expect(wrong.err.split('\n')[0]).toBe('eds: --tolerance for eds run classify: expected a number from 0 to 1, got "2"');
    const table = await runCli(['run', 'classify', '--dataset', 'iris', '--tolerance', '0']);
    expect(table.code).toBe(2);
    expect(table.err).toMatch(/apply to lidar data/);
    expect(checkTaskOptions('lidar-features', { tolerance: '0' }).tolerance).toBe(0);
  }, 60_000);
});
