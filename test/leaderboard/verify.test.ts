// The class ranking stops trusting the student's word: candidates are trained again from their logged configuration
// and seed, and only those that reproduce are published as verified.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { buildRanking, type LoggedEntry, type PublishedRanking } from '../../src/leaderboard/ranking.js';
import { confirms, retrainDigits, verifyLogged, verifyRanking, VERIFY_ACCURACY_TOLERANCE, type Retrained } from '../../src/experiments/leaderboard-verify.js';
import type { LeaderboardEntry } from '../../src/leaderboard/rules.js';
import { CourseStore } from '../../src/course/sink.js';
import { openStore } from '../../src/store/index.js';
import { keptCourseDir } from '../support/course.js';

function mlp(hidden: number, over: Partial<LeaderboardEntry> = {}): LeaderboardEntry {
  return {
    model: 'mlp',
    params: 795 * hidden + 10,
    accuracy: 0.96,
    trainingSeconds: 20,
    backend: 'wasm',
    hiddenUnits: hidden,
    epochs: 5,
    batchSize: 64,
    learningRate: 0.001,
    seed: 1,
    recordedAt: '2026-11-20T10:00:00.000Z',
    ...over,
  };
}
const logged = (user: string, e: LeaderboardEntry): LoggedEntry => ({ user, lesson: 'neural', question: 'leaderboard-digits', answer: JSON.stringify(e) });
const run = (e: LeaderboardEntry, over: Partial<Retrained> = {}): Retrained => ({
  params: e.params,
  accuracy: e.accuracy,
  trainingSeconds: 30,
  backend: 'wasm',
  ...over,
});

describe('confirms', () => {
  const e = mlp(32);
  it('accepts a run that reproduces within the tolerance and the rules', () => {
    expect(confirms(e, run(e))).toBeNull();
    expect(confirms(e, run(e, { accuracy: e.accuracy - VERIFY_ACCURACY_TOLERANCE + 1e-6 }))).toBeNull();
  });
  it('refuses another model, a lower or higher accuracy beyond the tolerance, a failing rule, a slow run', () => {
    expect(confirms(e, run(e, { params: e.params + 1 }))).toMatch(/parameters/);
    expect(confirms(e, run(e, { accuracy: e.accuracy - 0.02 }))).toMatch(/re-trained accuracy 94\.0 %, the entry says 96\.0 %/);
    expect(confirms(e, run(e, { accuracy: Number.NaN }))).toMatch(/no accuracy/);
    const edge = mlp(32, { accuracy: 0.951 });
    expect(confirms(edge, run(edge, { accuracy: 0.945 }))).toMatch(/below 95 %/);
    expect(confirms(e, run(e, { trainingSeconds: 400 }))).toMatch(/more than 5 minutes/);
  });
});

describe('verifyRanking', () => {
  it('verifies in rank order until top entries reproduce, leaves out the rest that do not, re-ranks', async () => {
    const entries = [logged('ana', mlp(5, { accuracy: 1 })), logged('ben', mlp(32)), logged('cy', mlp(40)), logged('dee', mlp(64))];
    const { ranking } = buildRanking(entries, { names: true });
    const trained: string[] = [];
    // ana's claim is forged: her model, trained again, is far from 100 %.
    const retrain = async (e: LeaderboardEntry): Promise<Retrained> => {
      trained.push(String(e.hiddenUnits));
      return run(e, e.hiddenUnits === 5 ? { accuracy: 0.85 } : {});
    };
    const out = await verifyRanking(ranking, retrain, { top: 2 });
    expect(trained).toEqual(['5', '32', '40']);
    expect(out.ranking.entries.map((x) => [x.rank, x.student, x.verified])).toEqual([
      [1, 'ben', true],
      [2, 'cy', true],
      [3, 'dee', false],
    ]);
    expect(out.problems).toEqual([expect.stringMatching(/^ana: leaderboard entry left out, it does not reproduce \(re-trained accuracy 85\.0 %/)]);
  });
  it('ranks a student whose best entry does not reproduce by their next best, training each configuration once', async () => {
    const entries = [logged('ana', mlp(5, { accuracy: 1 })), logged('ana', mlp(40, { seed: 2 })), logged('ben', mlp(32))];
    let runs = 0;
    const retrain = async (e: LeaderboardEntry): Promise<Retrained> => {
      runs++;
      return run(e, e.hiddenUnits === 5 ? { accuracy: 0.85 } : {});
    };
    const out = await verifyLogged(entries, retrain, { top: 5 });
    expect(out.ranking.entries.map((x) => [x.rank, x.student, x.hiddenUnits, x.verified])).toEqual([
      [1, 'ben', 32, true],
      [2, 'ana', 40, true],
    ]);
    expect(runs).toBe(3);
    expect(out.problems).toHaveLength(1);
  });
  it('leaves out an entry whose re-training fails, naming why in one line', async () => {
    const { ranking } = buildRanking([logged('ana', mlp(32))], { names: true });
    const out = await verifyRanking(
      ranking,
      async () => {
        throw new Error('--epochs must be a whole number from 1 to 1000, got 5000\nstack');
      },
      { top: 5 },
    );
    expect(out.ranking.entries).toEqual([]);
    expect(out.problems).toEqual(['ana: leaderboard entry left out (re-training failed: --epochs must be a whole number from 1 to 1000, got 5000)']);
  });
});

describe('verifying a reshaped CNN', () => {
  const cnn = (filters: number[], pool: number[], params: number, over: Partial<LeaderboardEntry> = {}): LeaderboardEntry => {
    const { hiddenUnits: _h, ...rest } = mlp(5, { model: 'cnn', params, filters, pool, ...over });
    return rest;
  };
  it('trains each declared shape, once per shape, and refuses a run whose model is not the declared one', async () => {
    const small = cnn([4, 8], [2, 2], 2346);
    const other = cnn([8, 8], [2, 2], 2674);
    const shapes: string[] = [];
    const retrain = async (e: LeaderboardEntry): Promise<Retrained> => {
      shapes.push(`${e.filters?.join(',')}/${e.pool?.join(',')}`);
      return run(e);
    };
    const out = await verifyLogged([logged('ana', small), logged('ben', other), logged('cy', { ...small, recordedAt: 'later' })], retrain, { top: 5 });
    expect(shapes.sort()).toEqual(['4,8/2,2', '8,8/2,2']);
    expect(out.ranking.entries.map((e) => [e.rank, e.student, e.params, e.verified])).toEqual([
      [1, 'ana', 2346, true],
      [1, 'cy', 2346, true],
      [3, 'ben', 2674, true],
    ]);
    // The re-training built the default CNN instead of the declared 4,8/2: not the same model.
    expect(confirms(small, run(small, { params: 5258 }))).toMatch(/re-trained model has 5258 parameters, the entry says 2346/);
  });
});

describe('eds instructor leaderboard --verify, with real re-training', () => {
  it('publishes the honest entry as verified and leaves out the forged one', async () => {
    // The honest entry is what the tutor really logs for a run (same code, same seed): train it once to know it.
    // A reshaped CNN (filters 4 and 8, pooling 2: 2,346 parameters), so --verify must build the declared shape.
    const honestConfig = {
      model: 'cnn',
      params: 2346,
      filters: [4, 8],
      pool: [2, 2],
      accuracy: 0,
      trainingSeconds: 0,
      backend: 'wasm',
      epochs: 4,
      batchSize: 64,
      learningRate: 0.003,
      seed: 1,
      recordedAt: '2026-11-20T10:00:00.000Z',
    };
    const truth = await retrainDigits(honestConfig);
    expect(truth.params).toBe(2346);
    expect(truth.accuracy).toBeGreaterThanOrEqual(0.95);
    const honest: LeaderboardEntry = { ...honestConfig, accuracy: truth.accuracy, trainingSeconds: truth.trainingSeconds, backend: truth.backend };
    // The forged one: a CNN of 2 and 4 filters (466 parameters) "at 100 % in 1 s", written into the student's own record file.
    const { hiddenUnits: _h, ...forged } = mlp(5, { model: 'cnn', params: 466, filters: [2, 4], pool: [2, 3], accuracy: 1, trainingSeconds: 1, epochs: 1 });

    const dir = keptCourseDir('eds-verify-');
    const login = userInfo().username;
    const student = new CourseStore(openStore({ home: mkdtempSync(join(tmpdir(), 'eds-verify-home-')), user: login, env: {} }), {
      dir,
      login,
      uid: process.getuid!(),
    });
    for (const e of [honest, forged])
      student.recordAttempt({ lesson: 'neural', question: 'leaderboard-digits', answer: JSON.stringify(e), correct: true, secondsSpent: 0, seed: 1 });
    student.close();

    const { runCli } = await import('../support/cli.js');
    const plain = await runCli(['instructor', 'leaderboard', '--json', '--dir', dir]);
    // Without --verify the forged entry ranks first (fewest parameters), marked unverified.
    expect((JSON.parse(plain.out) as PublishedRanking).entries.map((e) => [e.params, e.verified ?? false])).toEqual([[466, false]]);

    const r = await runCli(['instructor', 'leaderboard', '--verify', '--json', '--dir', dir]);
    expect(r.code).toBe(0);
    const ranking = JSON.parse(r.out) as PublishedRanking;
    // The forged best is left out; the student is ranked by their honest run, trained again here and verified.
    expect(ranking.entries.map((e) => [e.rank, e.model, e.filters, e.params, e.accuracy, e.verified])).toEqual([
      [1, 'cnn', [4, 8], 2346, honest.accuracy, true],
    ]);
    expect(r.err).toMatch(/left out, it does not reproduce \(re-trained accuracy \d+\.\d %, the entry says 100\.0 %/);
  }, 180_000);
});

describe('what the class reads in a published ranking', () => {
  it('holds no terminal control codes, whatever a student wrote in their entry', () => {
    const hostile = mlp(32, { backend: 'wasm\u001b]0;pwned\u0007\u001b[2J', recordedAt: '2026\u001b[31m' });
    const { ranking } = buildRanking([logged('ana\u001b[2J', hostile)], { names: true });
    const text = JSON.stringify(ranking);
    expect(text).not.toMatch(/\\u001b|\\u0007/);
    expect(ranking.entries[0]!.backend.startsWith('wasm')).toBe(true);
  });
});
