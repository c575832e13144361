// The course directory with real Unix users (two students, one instructor): isolation by permissions, exact reports, a backlog after an outage.
// Needs root to create users (CI runs as root); fails, rather than skips, when it is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { REPO, sh, must, q, requireRoot, runAs, removeMade, setUpClass } from '../support/users.js';

const tag = randomBytes(3).toString('hex');
const group = `edsg${tag}`;
const [ana, ben, ivy] = [`edsa${tag}`, `edsb${tag}`, `edsi${tag}`];
let base = '';
let app = REPO;
let course = '';
const homes: Record<string, string> = {};
const uids: Record<string, number> = {};
const made: string[] = [];

/** Runs a shell command as `user` with an empty environment apart from PATH, HOME, the course directory and umask 077. */
const as = (user: string, script: string, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> =>
  runAs(user, script, { HOME: homes[user]!, EDS_COURSE_DIR: course, ...extraEnv });
const eds = (args: string) => `node ${q(join(app, 'bin/eds.js'))} ${args}`;
const drive = (answers: unknown[], steps: unknown[] = [], runs: unknown[] = []) =>
  `node ${q(join(REPO, 'test/course/drive.mjs'))} ${q(app)} ${q(JSON.stringify(answers))} ${q(JSON.stringify(steps))} ${q(JSON.stringify(runs))}`;
/** A finished digits `train` result as the lesson produces it. */
const digitsRun = (over: Record<string, unknown>) => ({
  task: 'train',
  dataset: 'digits',
  model: 'cnn',
  params: 5258,
  accuracy: 0.97,
  seconds_per_epoch: 3,
  epochs: 5,
  backend: 'wasm',
  batch_size: 64,
  learning_rate: 0.001,
  seed: 1,
  n_test: 2000,
  ...over,
});

beforeAll(() => {
  requireRoot('test/course/users.test.ts');
  ({ base, app, course } = setUpClass(made, { prefix: 'eds-users-', group, users: [ana, ben, ivy], instructors: [ivy], uids, homes }));
}, 120_000);

afterAll(() => {
  removeMade(made, base);
});

describe('a course directory shared by real users', () => {
  // Each student's file has a random part in its name (nobody can take it first); root lists the drop directory to find it.
  const nameOf = (user: string) => readdirSync(join(course, 'records')).find((n) => n.startsWith(`${user}.${uids[user]}.`))!;
  const fileOf = (user: string) => join(course, 'records', nameOf(user));

  it('students add records that only the instructors read, and the report counts exactly what was answered', () => {
    const a = as(
      ana,
      drive(
        [
          ['river', 'q1', 'x', false, 10],
          ['river', 'q1', 'b', true, 4],
          ['river', 'q2', '2.5', true, 30],
        ],
        [['river', 'intro']],
      ),
    );
    expect(a.stderr).toBe('');
    expect(JSON.parse(a.stdout)).toEqual([]);
    const b = as(
      ben,
      drive([
        ['river', 'q1', 'b', true, 6],
        ['river', 'q3', 'the lower, the slower', false, 50],
      ]),
    );
    expect(JSON.parse(b.stdout)).toEqual([]);

    // Despite umask 077: 0640, the course group (setgid directory), owned by the student.
    const st = must('stat', ['-c', '%a %U %G', fileOf(ana)]).trim();
    expect(st).toBe(`640 ${ana} ${group}`);

    // Student A cannot list, read, change, rename or delete B's records.
    expect(as(ana, `ls ${q(join(course, 'records'))}`).status).not.toBe(0);
    expect(as(ana, `cat ${q(fileOf(ben))}`).status).not.toBe(0);
    expect(as(ana, `echo forged >> ${q(fileOf(ben))}`).status).not.toBe(0);
    expect(as(ana, `rm -f ${q(fileOf(ben))}`).status).not.toBe(0);
    expect(as(ana, `mv ${q(fileOf(ben))} ${q(join(course, 'records', 'x'))}`).status).not.toBe(0);
    const report = as(ana, eds('instructor report'));
    expect(report.status).toBe(1);
    expect(report.stderr.split('\n')[0]).toMatch(/^eds: cannot list .*records: permission denied$/);
    // The instructor reads both, but cannot delete a student's file either (sticky bit).
    expect(
      as(ivy, `cat ${q(fileOf(ana))} ${q(fileOf(ben))}`)
        .stdout.trim()
        .split('\n'),
    ).toHaveLength(6);
    expect(as(ivy, `rm -f ${q(fileOf(ana))}`).status).not.toBe(0);
    expect(readdirSync(join(course, 'records')).sort()).toEqual([nameOf(ana), nameOf(ben)].sort());
    for (const user of [ana, ben]) expect(nameOf(user)).toMatch(new RegExp(`^${user}\\.${uids[user]}\\.[0-9a-f]{16}\\.jsonl$`));

    const json = as(ivy, eds('instructor report --json'));
    expect(json.stderr).toBe('');
    const r = JSON.parse(json.stdout) as { students: Array<Record<string, unknown>>; questions: Array<Record<string, unknown>>; problems: string[] };
    expect(r.problems).toEqual([]);
    expect(r.students.map((s) => [s.student, s.questions_answered, s.first_try_right, s.attempts, s.seconds_spent])).toEqual([
      [ana, 2, 1, 3, 44],
      [ben, 2, 1, 2, 56],
    ]);
    const q1 = r.questions.find((x) => x.question === 'q1')!;
    expect(q1).toMatchObject({ students: 2, first_try_rate: 0.5, attempts: 3, median_seconds: 8 });
    const show = as(ivy, eds(`instructor show ${ben}`));
    expect(show.stdout).toContain('q3 #1  wrong  50s  the lower, the slower');
    expect(as(ivy, eds('instructor check')).stdout.trim()).toBe(`${course}: safe`);
  });

  it('answers given while the course directory is unreachable reach it at the next start', () => {
    chmodSync(course, 0o700); // Unreachable to students, as an unmounted or locked directory is.
    const during = as(ana, drive([['river', 'q4', 'late', true, 3]], [['river', 'q4']]));
    expect(during.status).toBe(0);
    expect(JSON.parse(during.stdout).join('\n')).toMatch(/could not send your answers .*permission denied.*kept here and will be sent next time/);
    chmodSync(course, 0o775);
    const after = as(ana, drive([]));
    expect(JSON.parse(after.stdout)).toEqual([]);
    const r = JSON.parse(as(ivy, eds('instructor report --json --by student')).stdout) as { students: Array<Record<string, unknown>> };
    expect(r.students.find((s) => s.student === ana)).toMatchObject({ attempts: 4, questions_answered: 3 });
  });

  it('the instructor publishes the class leaderboard; each student sees their own place and nobody can change it', () => {
    // Ana's CNN (5,258 parameters) beats Ben's 16-unit MLP (12,730); Ben's hand-made entry claiming 10 parameters is refused.
    expect(as(ana, drive([], [], [digitsRun({})])).status).toBe(0);
    const forged = JSON.stringify({
      model: 'mlp',
      params: 10,
      accuracy: 0.99,
      trainingSeconds: 1,
      backend: 'wasm',
      hiddenUnits: 16,
      epochs: 1,
      batchSize: 64,
      learningRate: 0.001,
      seed: 1,
      recordedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(
      as(ben, drive([['neural', 'leaderboard-digits', forged, true, 0]], [], [digitsRun({ model: 'mlp', hidden_units: 16, params: 12_730, accuracy: 0.951 })]))
        .status,
    ).toBe(0);

    const preview = as(ivy, eds('instructor leaderboard'));
    expect(preview.status).toBe(0);
    expect(preview.stderr).toMatch(new RegExp(`${ben}: leaderboard entry left out \\(10 parameters is not what a mlp with 16 hidden units has\\)`));
    expect(preview.stdout).toMatch(new RegExp(`1\\s+${ana}\\s+cnn 8,16/2\\s+5,258`));
    expect(preview.stdout).toContain('eds run train --model cnn --epochs 5 --batch 64 --lr 0.001 --seed 1');
    expect(as(ana, eds('leaderboard --json')).stdout).toMatch(/"ranking": "none"/);

    // init gives the instructors' group write access to the course directory (root ran it); without it, a clear refusal.
    expect(must('stat', ['-c', '%a', course]).trim()).toBe('775');
    chmodSync(course, 0o755);
    const refused = as(ivy, eds('instructor leaderboard --publish'));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^eds: cannot publish .*leaderboard\.json: permission denied$/m);
    expect(refused.stderr).toMatch(/chmod g\+w/);
    chmodSync(course, 0o775);
    const published = as(ivy, eds('instructor leaderboard --publish'));
    expect(published.status, published.stderr).toBe(0);
    expect(must('stat', ['-c', '%a %U', join(course, 'leaderboard.json')]).trim()).toBe(`644 ${ivy}`);

    const mine = (user: string) => JSON.parse(as(user, eds('leaderboard --json')).stdout) as Record<string, unknown>;
    expect(mine(ana)).toMatchObject({ ranking: 'published', rank: 1, class_size: 2, best_params: 5258 });
    expect(mine(ben)).toMatchObject({ ranking: 'published', rank: 2, class_size: 2, best_params: 12_730 });
    expect((JSON.parse(as(ana, eds('doctor --json')).stdout) as { course_ranking: string }).course_ranking).toMatch(
      /^published \d{4}-\d\d-\d\d \d\d:\d\d UTC, 2 entries$/,
    );
    const anaView = as(ana, eds('leaderboard'));
    expect(anaView.stdout).toMatch(/You are number 1 of 2\./);
    // Anonymous by default: no login in what the class reads.
    expect(as(ana, `cat ${q(join(course, 'leaderboard.json'))}`).stdout).not.toContain(ben);
    expect(as(ana, `echo '{}' > ${q(join(course, 'leaderboard.json'))}`).status).not.toBe(0);
    expect(as(ivy, eds('instructor check')).stdout.trim()).toBe(`${course}: safe`);
  });

  it('init refuses a directory whose permissions would leak records', () => {
    const leaky = join(base, 'leaky');
    mkdirSync(join(leaky, 'records'), { recursive: true });
    chmodSync(join(leaky, 'records'), 0o777);
    const r = sh('node', [join(app, 'bin/eds.js'), 'instructor', 'init', leaky, '--group', group]);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^eds: refusing .*leaky: .*listable by everyone/);
    const doctorless = as(ana, drive([['river', 'q9', 'a', true, 1]]), { EDS_COURSE_DIR: leaky });
    expect(JSON.parse(doctorless.stdout).join('\n')).toMatch(/not sending answers to the course directory/);
  });
});
