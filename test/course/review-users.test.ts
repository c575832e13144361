// Verdicts with real Unix users: an instructor's verdicts are kept where students cannot read them, and a verdict file whose owner is not an instructor is ignored and named.
// Needs root to create users (CI runs as root); fails, rather than skips, when it is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpawnSyncReturns } from 'node:child_process';
import { chownSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { REPO, must, q, requireRoot, runAs, removeMade, setUpClass } from '../support/users.js';

const tag = randomBytes(3).toString('hex');
const group = `edsrg${tag}`;
// A student, an instructor, and a teaching assistant who has left the instructors' group.
const [ana, ivy, ned] = [`edsra${tag}`, `edsri${tag}`, `edsrn${tag}`];
let base = '';
let app = REPO;
let course = '';
const homes: Record<string, string> = {};
const uids: Record<string, number> = {};
const made: string[] = [];

/** Runs a shell command as `user`, with an empty environment apart from PATH, HOME, the course directory, and umask 077. */
const as = (user: string, script: string): SpawnSyncReturns<string> => runAs(user, script, { HOME: homes[user]!, EDS_COURSE_DIR: course });
const eds = (args: string) => `node ${q(join(app, 'bin/eds.js'))} ${args}`;
const drive = (answers: unknown[]) => `node ${q(join(REPO, 'test/course/drive.mjs'))} ${q(app)} ${q(JSON.stringify(answers))}`;

beforeAll(() => {
  requireRoot('test/course/review-users.test.ts', '');
  ({ base, app, course } = setUpClass(made, { prefix: 'eds-review-users-', group, users: [ana, ivy, ned], instructors: [ivy], uids, homes }));
}, 120_000);

afterAll(() => {
  removeMade(made, base);
});

describe('verdicts in a course directory shared by real users', () => {
  it('the instructor judges a free-text answer; students cannot see the verdicts; a non-instructor’s verdict file is ignored and named', () => {
    const answered = as(ana, drive([['river', 'why-log', 'the spread grows with the flood, logs make it even', false, 40]]));
    expect(answered.status, answered.stderr).toBe(0);

    // No verdict yet: a student cannot make the reviews folder either.
    expect(as(ana, `mkdir ${q(join(course, 'reviews'))}`).status).not.toBe(0);

    const listed = as(ivy, eds('instructor review --json'));
    expect(listed.status, listed.stderr).toBe(0);
    const json = JSON.parse(listed.stdout) as { questions: Array<{ question: string; answers: Array<{ key: string; student: string; correct: boolean }> }> };
    const answer = json.questions.find((g) => g.question === 'why-log')!.answers[0]!;
    expect(answer).toMatchObject({ student: ana, correct: false });
    expect(answer.key.startsWith(`${ana}:`)).toBe(true);

    const todo = join(homes[ivy]!, 'todo.csv');
    expect(as(ivy, `printf 'key,verdict,note\\n%s,accept,the idea is there\\n' ${q(answer.key)} > ${q(todo)}`).status).toBe(0);
    const applied = as(ivy, eds(`instructor review --apply ${q(todo)}`));
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe(`1 verdict applied by ${ivy}\n`);

    // reviews/: 3770 in the course group; ivy's file 0640 despite umask 077, in the group.
    expect(must('stat', ['-c', '%a %G', join(course, 'reviews')]).trim()).toBe(`3770 ${group}`);
    const ivyFile = join(course, 'reviews', `${ivy}.jsonl`);
    expect(must('stat', ['-c', '%a %U %G', ivyFile]).trim()).toBe(`640 ${ivy} ${group}`);
    // The student can neither list the verdicts nor read them, nor add one.
    expect(as(ana, `ls ${q(join(course, 'reviews'))}`).status).not.toBe(0);
    expect(as(ana, `cat ${q(ivyFile)}`).status).not.toBe(0);
    expect(as(ana, `echo x >> ${q(join(course, 'reviews', `${ana}.jsonl`))}`).status).not.toBe(0);
    // Someone outside the group cannot run the review at all.
    expect(as(ned, eds('instructor review --json')).stderr).toMatch(/^eds: cannot list .*records: permission denied/);

    // A file left by someone who is not (or no longer) an instructor: newer, but not trusted.
    const nedFile = join(course, 'reviews', `${ned}.jsonl`);
    writeFileSync(nedFile, JSON.stringify({ key: answer.key, verdict: 'refuse', note: null, by: ned, time: '2030-01-01T00:00:00.000Z' }) + '\n', {
      mode: 0o640,
    });
    chownSync(nedFile, uids[ned]!, statSync(join(course, 'reviews')).gid);

    const report = as(ivy, eds('instructor report --json'));
    expect(report.status, report.stderr).toBe(0);
    const r = JSON.parse(report.stdout) as {
      students: Array<{ student: string; first_try_right: number }>;
      questions: Array<{ question: string; first_try_rate: number }>;
      problems: string[];
    };
    expect(r.students.find((s) => s.student === ana)!.first_try_right).toBe(1);
    expect(r.questions.find((x) => x.question === 'why-log')!.first_try_rate).toBe(1);
    expect(r.problems).toContain(
      `${nedFile}: written by ${ned} (uid ${uids[ned]}), who is not in the instructors' group (gid ${statSync(join(course, 'records')).gid}); ignored`,
    );
    const exported = as(ivy, eds('instructor export'));
    expect(
      exported.stdout
        .trimEnd()
        .split('\n')
        .find((l) => l.includes('why-log')),
    ).toMatch(new RegExp(`,true,1,.*,accept,${ivy},`));
    expect(exported.stderr).toContain(`${nedFile}: written by ${ned}`);
    const review = as(ivy, eds('instructor review --json'));
    expect((JSON.parse(review.stdout) as { problems: string[] }).problems.some((p) => p.startsWith(`${nedFile}: written by ${ned}`))).toBe(true);
  });
});
