// The class ranking: built from logged entries, checked against the rules and the models' real parameter counts,
// published as a file every student's tutor reads, and each student's place found without names.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  buildRanking,
  digitsModelParams,
  formatRanking,
  parseRanking,
  standingOf,
  type LoggedEntry,
  type PublishedRanking,
} from '../../src/leaderboard/ranking.js';
import { CourseStore } from '../../src/course/sink.js';
import { openStore } from '../../src/store/index.js';
import { betterEntry, checkLeaderboard, type LeaderboardEntry } from '../../src/leaderboard/rules.js';
import { publishRanking, readPublishedRanking } from '../../src/course/ranking-file.js';
import { checkCourseDir, RANKING_FILE } from '../../src/course/layout.js';
import { leaderboardResult } from '../../src/experiments/leaderboard.js';
import { buildDigitsModel, countTrainableParams } from '../../src/nn/models.js';
import { keptCourseDir } from '../support/course.js';

/** An eligible entry as the lesson records it. */
function entry(over: Partial<LeaderboardEntry> = {}): LeaderboardEntry {
  const hidden = over.hiddenUnits ?? 32;
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
const cnn = (over: Partial<LeaderboardEntry> = {}): LeaderboardEntry => {
  const { hiddenUnits: _drop, ...rest } = entry({ model: 'cnn', params: 5258, ...over });
  return over.hiddenUnits === undefined ? rest : { ...rest, hiddenUnits: over.hiddenUnits };
};
const logged = (user: string, e: unknown): LoggedEntry => ({
  user,
  lesson: 'neural',
  question: 'leaderboard-digits',
  answer: typeof e === 'string' ? e : JSON.stringify(e),
});

/** A course directory laid out as `eds instructor init` does (the records folder setgid, sticky, writable by all). */
const courseDir = () => keptCourseDir('eds-rank-');

describe('digits model parameter counts', () => {
  it('match the networks the lesson builds', () => {
    for (const [name, hidden] of [
      ['mlp', 5],
      ['mlp', 32],
      ['cnn', undefined],
    ] as const) {
      const model = buildDigitsModel(name, { hiddenUnits: hidden, seed: 1 });
      expect(digitsModelParams(name, hidden), `${name} ${hidden}`).toBe(countTrainableParams(model));
      model.dispose();
    }
    expect(digitsModelParams('mlp', 4)).toBeNull();
    expect(digitsModelParams('mlp')).toBeNull();
    expect(digitsModelParams('resnet')).toBeNull();
  });
  it('agree with what the leaderboard check records for a run', () => {
    const run = {
      model: 'mlp',
      params: 795 * 16 + 10,
      accuracy: 0.955,
      seconds_per_epoch: 2,
      epochs: 5,
      backend: 'wasm',
      batch_size: 64,
      learning_rate: 0.001,
      seed: 4,
      n_test: 2000,
      hidden_units: 16,
    };
    const { entry: e } = checkLeaderboard(run);
    const { ranking, problems } = buildRanking([logged('ann', e)], { names: true });
    expect(problems).toEqual([]);
    expect(ranking.entries).toHaveLength(1);
  });
});

describe('buildRanking', () => {
  it('keeps each student’s best valid entry, fewest parameters first, ties sharing a rank', () => {
    const { ranking, problems } = buildRanking(
      [
        logged('ann', entry({ hiddenUnits: 64 })),
        logged('ann', entry({ hiddenUnits: 16 })),
        logged('bob', cnn()),
        logged('cat', entry({ hiddenUnits: 16 })),
        logged('dan', entry({ hiddenUnits: 128, accuracy: 0.99 })),
        { user: 'eve', lesson: 'river', question: 'leaderboard-digits', answer: JSON.stringify(cnn()) },
      ],
      { names: true, now: new Date('2026-11-25T12:00:00Z') },
    );
    expect(problems).toEqual([]);
    expect(ranking.published).toBe('2026-11-25T12:00:00.000Z');
    expect(ranking.entries.map((e) => [e.rank, e.student, e.params])).toEqual([
      [1, 'bob', 5258],
      [2, 'ann', 12_730],
      [2, 'cat', 12_730],
      [4, 'dan', 101_770],
    ]);
  });
  it('leaves out entries that break the rules or claim an impossible parameter count, saying why', () => {
    const { ranking, problems } = buildRanking(
      [
        logged('ann', entry({ params: 10 })),
        logged('bob', entry({ accuracy: 0.9 })),
        logged('cat', entry({ trainingSeconds: 400 })),
        logged('dan', '{not json'),
        logged('eve', 'null'),
        logged('fay', entry({ accuracy: 1.5 })),
        logged('gus', cnn()),
      ],
      { names: false },
    );
    expect(ranking.entries.map((e) => e.params)).toEqual([5258]);
    expect(ranking.entries[0]!.student).toBeUndefined();
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/^ann: .*10 parameters is not what a mlp with 32 hidden units has/);
    expect(problems[1]).toMatch(/^bob: .*accuracy 0\.9 outside/);
    expect(problems[2]).toMatch(/^cat: .*training time 400 s/);
    expect(problems[3]).toMatch(/^dan: .*not JSON/);
  });
  it('publishes only the entry fields, whatever else a record carries', () => {
    const { ranking } = buildRanking([logged('ann', { ...cnn(), note: 'x'.repeat(100), password: 'hunter2' })], { names: false });
    expect(JSON.stringify(ranking)).not.toMatch(/hunter2|note/);
  });
});

describe('a reshaped CNN', () => {
  // What runTrain reports for a CNN run: its shape beside the real parameter count.
  const trainJson = (filters: number[], pool: number[], params: number, accuracy: number) => ({
    task: 'train',
    dataset: 'digits',
    model: 'cnn',
    filters,
    pool,
    params,
    accuracy,
    seconds_per_epoch: 4,
    epochs: 10,
    backend: 'wasm',
    batch_size: 64,
    learning_rate: 0.001,
    seed: 3,
    n_test: 2000,
  });
  it('outranks the default CNN when it is smaller and above 95 %, whatever the default’s accuracy', () => {
    const small = checkLeaderboard(trainJson([4, 8], [2, 2], 2346, 0.9575));
    const big = checkLeaderboard(trainJson([8, 16], [2, 2], 5258, 0.985));
    const below = checkLeaderboard(trainJson([4, 4], [2, 2], 1198, 0.9285));
    expect([small.eligible, big.eligible, below.eligible]).toEqual([true, true, false]);
    expect(small.entry).toMatchObject({ filters: [4, 8], pool: [2, 2] });
    expect(betterEntry(small.entry, big.entry)).toBe(true);
    expect(betterEntry(big.entry, small.entry)).toBe(false);
    // Under the bar a smaller network does not win, however few its parameters.
    expect(betterEntry(below.entry, big.entry)).toBe(false);
    const { ranking, problems } = buildRanking([logged('ann', big.entry), logged('bob', small.entry), logged('cat', cnn({ accuracy: 0.99 }))], { names: true });
    expect(problems).toEqual([]);
    expect(ranking.entries.map((e) => [e.rank, e.student, e.params])).toEqual([
      [1, 'bob', 2346],
      [2, 'cat', 5258],
      [3, 'ann', 5258],
    ]);
    expect(ranking.entries[0]).toMatchObject({ filters: [4, 8], pool: [2, 2] });
    const text = formatRanking(ranking, small.entry);
    expect(text).toMatch(/^▶\s+1\s+bob\s+cnn 4,8\/2\s+2,346\s+95\.8 %/m);
  });
  it('counts parameters from the declared shape: a forged count or an impossible shape is left out', () => {
    expect(digitsModelParams('cnn', undefined, { filters: [4, 8], pool: [2, 2] })).toBe(2346);
    expect(digitsModelParams('cnn', undefined, { filters: [4, 8] })).toBeNull();
    expect(digitsModelParams('cnn', undefined, { filters: [0, 8], pool: [2, 2] })).toBeNull();
    const { ranking, problems } = buildRanking(
      [
        logged('ann', cnn({ filters: [4, 8], pool: [2, 2] })),
        logged('bob', cnn({ filters: [4, 8, 8], pool: [4, 1, 4], params: 100 })),
        logged('cat', cnn({ filters: [4, 8] as number[], params: 2346 })),
        logged('dan', entry({ hiddenUnits: 16, filters: [4], pool: [2] })),
        logged('eve', cnn({ filters: ['4', 8] as unknown as number[], pool: [2, 2], params: 2346 })),
      ],
      { names: true },
    );
    expect(ranking.entries).toEqual([]);
    expect(problems).toEqual([
      'ann: leaderboard entry left out (5258 parameters is not what a cnn 4,8/2 has)',
      expect.stringMatching(
        /^bob: leaderboard entry left out \(CNN shape that eds run train refuses \(pool 4 after conv layer 3 would shrink its 2×2 map below 1×1/,
      ),
      'cat: leaderboard entry left out (CNN with only one of filters and pool, or not lists)',
      "dan: leaderboard entry left out (filters or pool on an MLP (a CNN's only))",
      expect.stringMatching(/^eve: leaderboard entry left out \(CNN shape that eds run train refuses \(filters: each layer needs a whole number/),
    ]);
  });
  it('keeps old entries and files readable: a CNN entry without a shape is the default 8,16/2 and still ranks', () => {
    const old = cnn();
    expect(old).not.toHaveProperty('filters');
    const { ranking, problems } = buildRanking([logged('ann', old), logged('bob', cnn({ filters: [4, 8], pool: [2, 2], params: 2346 }))], { names: false });
    expect(problems).toEqual([]);
    expect(ranking.entries.map((e) => [e.rank, e.params, e.filters ?? null])).toEqual([
      [1, 2346, [4, 8]],
      [2, 5258, null],
    ]);
    // A file an older eds published (no shapes) reads and shows the same way.
    const oldFile = JSON.stringify({ ...ranking, entries: [{ ...old, rank: 1 }] });
    const read = parseRanking(oldFile);
    expect(formatRanking(read, old).split('\n')[1]).toMatch(/^▶\s+1\s+cnn 8,16\/2\s+5,258/);
  });
});

describe('a student’s standing', () => {
  const { ranking } = buildRanking(
    [
      logged('ann', cnn({ recordedAt: 'a' })),
      logged('bob', entry({ hiddenUnits: 16, recordedAt: 'b' })),
      logged('cat', entry({ hiddenUnits: 64, recordedAt: 'c' })),
    ],
    { names: false },
  );
  it('finds their own line in an anonymous ranking by their own best entry', () => {
    expect(standingOf(ranking, entry({ hiddenUnits: 16, recordedAt: 'b' }))).toEqual({ published: 2, wouldBe: 2, students: 3 });
    expect(standingOf(ranking, null)).toEqual({ published: null, wouldBe: null, students: 3 });
  });
  it('says where a best run newer than the ranking would place', () => {
    expect(standingOf(ranking, entry({ hiddenUnits: 8, recordedAt: 'new' }))).toEqual({ published: null, wouldBe: 2, students: 3 });
    expect(standingOf(ranking, entry({ hiddenUnits: 256, recordedAt: 'new' }))).toEqual({ published: null, wouldBe: 4, students: 3 });
  });
  it('marks their line, and shows it below the top lines when it is further down', () => {
    const mine = entry({ hiddenUnits: 64, recordedAt: 'c' });
    const text = formatRanking(ranking, mine, { top: 1 });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/rank\s+model\s+parameters\s+test acc\./);
    expect(lines[1]).toMatch(/^\s+1\s+cnn 8,16\/2\s+5,258\s+96\.0 %/);
    expect(lines[2]).toMatch(/…/);
    expect(lines[3]).toMatch(/^▶\s+3\s+mlp 64\s+50,890/);
    expect(formatRanking(ranking, mine, { top: 1, unicode: false })).toMatch(/^>\s+3/m);
    expect(formatRanking(ranking, mine, { top: 1, unicode: false })).not.toMatch(/[^\x00-\x7f]/);
  });
  it('is what the lesson step reports, with the ranking or a reason there is none', () => {
    const mine = entry({ hiddenUnits: 16, recordedAt: 'b' });
    const shown = leaderboardResult(mine, { state: 'published', ranking, dir: '/course' });
    expect(shown.json).toMatchObject({ ranking: 'published', rank: 2, class_size: 3, best_params: 12_730, has_entry: true });
    const caps = { width: 60, height: 20, colors: 0 as const, unicode: true };
    expect(shown.figures.map((f) => f.render(caps)).join('\n')).toMatch(/You are number 2 of 3\./);
    for (const f of shown.figures) for (const line of f.render(caps).split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    const none = leaderboardResult(null, { state: 'none', why: 'nothing published yet' });
    expect(none.json).toMatchObject({ has_entry: false, ranking: 'none', best_params: null });
    expect(none.figures.map((f) => f.render(caps)).join('\n')).toMatch(/No class ranking to show: nothing published yet\./);
  });
});

describe('the published file', () => {
  const { ranking } = buildRanking([logged('ann', cnn())], { names: false });

  it('round-trips, readable by everyone whatever the umask', () => {
    const dir = courseDir();
    const old = process.umask(0o077);
    try {
      publishRanking(dir, ranking);
    } finally {
      process.umask(old);
    }
    expect(statSync(join(dir, RANKING_FILE)).mode & 0o777).toBe(0o644);
    const read = readPublishedRanking(dir);
    expect('ranking' in read && read.ranking.entries).toEqual(ranking.entries);
  });
  it('reads as missing before anything is published, and as a one-line problem when damaged', () => {
    const dir = courseDir();
    expect(readPublishedRanking(dir)).toEqual({ missing: true });
    expect(readPublishedRanking(join(dir, 'nope'))).toEqual({ problem: `the course directory ${join(dir, 'nope')} does not exist` });
    writeFileSync(join(dir, RANKING_FILE), '{"format":"eds-leaderboard","version":1,"published":"x","entries":[{"rank":1}]}');
    expect(readPublishedRanking(dir)).toEqual({ problem: `${join(dir, RANKING_FILE)}: leaderboard entry 1 is damaged` });
    writeFileSync(join(dir, RANKING_FILE), '{"format":"eds-leaderboard","version":2}');
    expect(JSON.stringify(readPublishedRanking(dir))).toMatch(/version 2, this eds reads version 1/);
    writeFileSync(join(dir, RANKING_FILE), 'garbage');
    expect(JSON.stringify(readPublishedRanking(dir))).toMatch(/not valid JSON/);
    expect(() => parseRanking('[]')).toThrow(/not an eds leaderboard file/);
  });
  it('is refused as a symlink, and a world-writable one makes the course directory unsafe', () => {
    const dir = courseDir();
    writeFileSync(join(dir, 'elsewhere.json'), JSON.stringify(ranking));
    symlinkSync(join(dir, 'elsewhere.json'), join(dir, RANKING_FILE));
    expect(JSON.stringify(readPublishedRanking(dir))).toMatch(/not a regular file/);
    expect(
      checkCourseDir(dir)
        .problems.map((p) => p.message)
        .join(),
    ).toMatch(/leaderboard\.json could be changed by anyone/);
    const other = courseDir();
    publishRanking(other, ranking);
    expect(checkCourseDir(other).problems.filter((p) => p.message.includes(RANKING_FILE))).toEqual([]);
    chmodSync(join(other, RANKING_FILE), 0o666);
    expect(
      checkCourseDir(other)
        .problems.map((p) => p.message)
        .join(),
    ).toMatch(/leaderboard\.json could be changed by anyone/);
  });
});

describe('the leaderboard commands', () => {
  it('refuse --names without --publish and a --top below 1, in one line with exit code 2', async () => {
    const { runCli } = await import('../support/cli.js');
    const names = await runCli(['instructor', 'leaderboard', '--names', '--dir', tmpdir()]);
    expect([names.code, names.err.split('\n')[0]]).toEqual([2, 'eds: --names only changes what --publish writes: add --publish']);
    const top = await runCli(['instructor', 'leaderboard', '--top', '0', '--dir', tmpdir()]);
    expect([top.code, top.err.split('\n')[0]]).toEqual([2, 'eds: --top must be a whole number >= 1, got 0']);
  });
  it('prints the class ranking as the published file format with --json, anonymous unless --names', async () => {
    const { runCli } = await import('../support/cli.js');
    const dir = courseDir();
    const empty = await runCli(['instructor', 'leaderboard', '--json', '--dir', dir]);
    expect(JSON.parse(empty.out)).toMatchObject({ format: 'eds-leaderboard', version: 1, board: 'digits', entries: [] });
    // One student's record file, written by the tutor's course sink under this machine's login (what reports trust).
    const login = userInfo().username;
    const student = new CourseStore(openStore({ home: mkdtempSync(join(tmpdir(), 'eds-rank-home-')), user: login, env: {} }), {
      dir,
      login,
      uid: process.getuid!(),
    });
    student.recordAttempt({ lesson: 'neural', question: 'leaderboard-digits', answer: JSON.stringify(cnn()), correct: true, secondsSpent: 0, seed: 1 });
    student.close();
    const r = await runCli(['instructor', 'leaderboard', '--json', '--dir', dir]);
    expect(r.code).toBe(0);
    const ranking = JSON.parse(r.out) as PublishedRanking;
    expect(ranking.entries.map((e) => [e.rank, e.params, e.student])).toEqual([[1, 5258, undefined]]);
    const published = await runCli(['instructor', 'leaderboard', '--publish', '--names', '--dir', dir]);
    expect(published.out).toMatch(new RegExp(`1\\s+${login}\\s+cnn 8,16/2\\s+5,258\\s+96\\.0 %`));
    expect(published.err).toMatch(/^published .*leaderboard\.json \(1 entries, with logins\)/m);
    const read = readPublishedRanking(dir);
    expect('ranking' in read && read.ranking.entries[0]!.student).toBe(login);
  });
});
