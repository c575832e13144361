// A hostile student among real Unix users, against the instructors' commands: a record file its owner keeps
// appending to, files as large and as many as a quota allows, names that make the account lookup huge, a forged
// leaderboard entry carrying escape codes to every student, a flood of made-up questions, a victim's uuid and
// login copied into the hostile student's own file. Needs root (CI runs as root) and `npm run build`.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { STUDENT_LIMITS } from '../../src/course/class-report.js';
import { REPO, sh, must, q, requireRoot, runAs, addGroup, addUser, ownedDir, removeMade, snapshotApp, initCourse } from '../support/users.js';

const tag = randomBytes(3).toString('hex');
const staff = `edsF${tag}`.toLowerCase();
const students = `edsS${tag}`.toLowerCase();
const ivy = `edsi${tag}`;
const hal = `edsh${tag}`;
const victims = Array.from({ length: 5 }, (_, i) => `edsv${i}${tag}`);
let base = '';
let app = '';
let course = '';
let records = '';
let shim = '';
/** The record file the hostile student's own tutor made: kept when their other files are removed. */
let halFile = '';
const uids: Record<string, number> = {};
const made: string[] = [];
/** Escape sequences a hostile student plants: OSC title, clear screen, 8-bit CSI, bidi override. */
const EVIL = '\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e';
/** Anything a terminal would act on. */
const FORBIDDEN = /[\u001b\u009b\u0007\u202a-\u202e\u2066-\u2069]/;
/** Twelve questions the installed lessons really have, as the class's eds loads them (the victims answer those). */
let REAL: Array<readonly [string, string]> = [];

const homeOf = (user: string) => join(base, `home-${user}`);
/** Runs a shell command as `user` with an empty environment but PATH, HOME, the course directory and umask 077. */
function as(user: string, script: string, extraEnv: Record<string, string> = {}, timeout = 60_000): SpawnSyncReturns<string> & { seconds: number } {
  const t0 = performance.now();
  const r = runAs(user, script, { HOME: homeOf(user), EDS_COURSE_DIR: course, LANG: 'C.UTF-8', ...extraEnv }, { timeout, maxBuffer: 256 * 2 ** 20 });
  return Object.assign(r, { seconds: (performance.now() - t0) / 1000 });
}
const eds = (args: string) => `node ${q(join(app, 'bin/eds.js'))} ${args}`;
/**
 * An instructor command as ivy, bounded in time: a hung reader fails the test instead of holding it, and is
 * killed itself (`timeout` inside runuser), so that no process of the test's users outlives it.
 */
const instructor = (args: string, extraEnv: Record<string, string> = {}) => as(ivy, `timeout -k 5 40 ${eds(`instructor ${args}`)}`, extraEnv, 60_000);

/**
 * Runs JavaScript as the hostile student, with `sealed(body)` (a line with a valid checksum, as anyone who read
 * record.ts can make), `rec(over)` (a sealed attempt), `own(tag)` (a record file name of theirs) and `fs` at hand.
 */
function asHal(js: string): SpawnSyncReturns<string> {
  const prelude = `
    const fs = require('fs'); const { createHash, randomUUID } = require('crypto');
    const records = ${JSON.stringify(records)}; const me = ${JSON.stringify(hal)}; const uid = ${uids[hal]};
    const sealed = (body) => body.slice(0, -1) + ',"sum":"' + createHash('sha256').update(body).digest('hex').slice(0, 16) + '"}\\n';
    const rec = (over = {}) => sealed(JSON.stringify({ kind: 'attempt', user: me, id: 1, time: new Date().toISOString(), lesson: 'river', question: 'q1', answer: 'b', correct: true, attempt: 1, seconds: 12, seed: 7, version: '0.1.0', uuid: randomUUID(), ...over }));
    const own = (t) => records + '/' + me + '.' + uid + '.' + t + '.jsonl';
    const put = (path, text) => { fs.writeFileSync(path, text); fs.chmodSync(path, 0o640); };
  `;
  const r = as(hal, `node -e ${q(prelude + js)}`);
  if (r.status !== 0) throw new Error(`as ${hal}: ${r.stderr}`);
  return r;
}

/** Each victim answers the real questions through the tutor (one record file each, made by their own eds). */
function victimsAnswer(): void {
  const answers = REAL.map(([lesson, question], i) => [lesson, question, `answer ${i}`, i % 3 === 0, 10 + i]);
  for (const v of victims) {
    const r = as(v, `node ${q(join(REPO, 'test/course/hostile-drive.mjs'))} ${q(app)} ${q(JSON.stringify(answers))}`);
    if (r.status !== 0) throw new Error(`the tutor failed for ${v}: ${r.stderr}`);
    expect(JSON.parse(r.stdout).warnings).toEqual([]);
  }
}

interface Report {
  students: Array<{ student: string; attempts: number; first_try_right: number; lessons: unknown[] }>;
  questions: Array<{ lesson: string; question: string; in_lessons: boolean | null }>;
  problems: string[];
  files: Array<{ file: string; status: string; student: string | null; unread_bytes: number }>;
}
function report(extraEnv: Record<string, string> = {}): Report {
  const r = instructor('report --json', extraEnv);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}
/** Every victim counted exactly: all their answers, the first-try rights as given. */
function expectVictimsExact(rep: Report): void {
  const rows = Object.fromEntries(rep.students.map((s) => [s.student, s]));
  for (const v of victims) {
    expect(rows[v], v).toMatchObject({ attempts: REAL.length, first_try_right: REAL.filter((_, i) => i % 3 === 0).length });
  }
}
/** Removes the hostile student's files but the one their own tutor made (root lists the drop directory). */
function cleanHal(): void {
  for (const n of readdirSync(records)) {
    const p = join(records, n);
    if (lstatSync(p).uid === uids[hal] && n !== halFile) rmSync(p, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  requireRoot('test/course/hostile-class.test.ts');
  base = mkdtempSync(join(tmpdir(), 'eds-class-'));
  chmodSync(base, 0o755);
  for (const g of [staff, students]) addGroup(made, g);
  for (const user of [ivy, hal, ...victims]) {
    uids[user] = addUser(made, user, { primary: students, ...(user === ivy ? { extra: staff } : {}) });
    ownedDir(homeOf(user), uids[user]!);
  }
  // A snapshot of the program the class runs (other builds of dist/ may happen meanwhile), readable by all.
  app = snapshotApp(base, 'symlink');
  const { loadLessons } = (await import(join(app, 'dist/lessons/index.js'))) as typeof import('../../src/lessons/index.js');
  REAL = loadLessons(join(app, 'lessons'))
    .lessons.flatMap((l) => l.steps.filter((s) => s.kind === 'question').map((s) => [l.id, s.id] as const))
    .slice(0, 12);
  expect(REAL).toHaveLength(12);
  // getent as the instructor's eds runs it, with the number of keys of each call written down.
  shim = join(base, 'shim');
  mkdirSync(shim, { mode: 0o755 });
  const real = must('sh', ['-c', 'command -v getent']).trim();
  writeFileSync(join(shim, 'getent'), `#!/bin/sh\necho $(($# - 1)) >> ${q(join(shim, 'calls'))}\nexec ${q(real)} "$@"\n`, { mode: 0o755 });
  writeFileSync(join(shim, 'calls'), '');
  chmodSync(join(shim, 'calls'), 0o666);
  course = join(base, 'course');
  records = join(course, 'records');
  initCourse(app, course, staff);
  victimsAnswer();
  // The hostile student answers once too, so they have a record file of their own tutor's.
  const r = as(hal, `node ${q(join(REPO, 'test/course/hostile-drive.mjs'))} ${q(app)} ${q(JSON.stringify([['river', 'q1', 'x', true, 3]]))}`);
  expect(r.status, r.stderr).toBe(0);
  halFile = (JSON.parse(r.stdout) as { files: Record<string, string> }).files[course]!;
  expect(halFile).toMatch(/\.[0-9a-f]{16}\.jsonl$/);
}, 180_000);

afterAll(() => {
  removeMade(made, base);
});

describe("a hostile student against the instructors' commands", () => {
  // What one attack left (a failed test included) must not count in the next.
  beforeEach(() => cleanHal());

  it("a record file its owner keeps appending to holds no command: each reads up to where the file was, within the student's limit", async () => {
    const file = join(records, `${hal}.${uids[hal]}.00000000000000a1.jsonl`);
    // Junk lines at 20 MB/s, faster than any reader parses them: a reader that reads to the end never gets there.
    // In a process group of its own, so that killing it kills the node runuser started, not runuser alone.
    const writer = spawn(
      'runuser',
      [
        '-u',
        hal,
        '--',
        'node',
        '-e',
        `
      const fs = require('fs'); const fd = fs.openSync(${JSON.stringify(file)}, 'a', 0o640); fs.fchmodSync(fd, 0o640);
      const chunk = Buffer.from('x\\n'.repeat(1 << 15)); const t0 = Date.now(); let n = 0;
      while (Date.now() - t0 < 120000) { fs.writeSync(fd, chunk); n += chunk.length; while (n > 20e6 * (Date.now() - t0) / 1000) {} }
    `,
      ],
      { stdio: 'ignore', detached: true },
    );
    try {
      await new Promise((done) => setTimeout(done, 1500));
      for (const args of ['report --json', 'export', 'watch', 'review --json']) {
        const r = instructor(args);
        expect(r.error?.message, args).toBeUndefined();
        expect(r.status, `${args}: ${r.stderr.slice(0, 300)}`).toBe(0);
        expect(r.seconds, args).toBeLessThan(20);
        if (args === 'report --json') {
          const rep = JSON.parse(r.stdout) as Report;
          expectVictimsExact(rep);
          expect(rep.problems.join('\n')).toMatch(
            new RegExp(`a1\\.jsonl:${STUDENT_LIMITS.lines + 1}: read up to here, \\d+ bytes after it left unread: ${hal}'s record files passed the limit`),
          );
        }
      }
    } finally {
      const exited = new Promise((done) => writer.once('exit', done));
      process.kill(-writer.pid!, 'SIGKILL');
      await exited;
      rmSync(file, { force: true });
    }
  }, 180_000);

  it("a student's files cost at most 64 MiB, 500,000 lines and 1,000 files, all together; what is left unread is said, once per student", () => {
    // A sparse file costs its owner no quota: a terabyte of zeros, with no newline anywhere.
    asHal(`const p = own('fffffffffffffff1'); fs.closeSync(fs.openSync(p, 'w', 0o640)); fs.truncateSync(p, 2 ** 40); fs.chmodSync(p, 0o640);`);
    const sparse = instructor('report --json');
    expect(sparse.status, sparse.stderr).toBe(0);
    expect(sparse.seconds).toBeLessThan(20);
    expectVictimsExact(JSON.parse(sparse.stdout) as Report);
    expect((JSON.parse(sparse.stdout) as Report).files.find((f) => f.file.endsWith('fffffffffffffff1.jsonl'))).toMatchObject({
      status: 'read',
      unread_bytes: 2 ** 40,
    });
    cleanHal();

    // 70 MiB of valid records with long answers: read up to the limit, the rest said to be left unread.
    asHal(`
      const big = 'a'.repeat(3800); const parts = [];
      for (let i = 0; i < 19000; i++) parts.push(rec({ id: i + 1, question: 'q' + (i % 50), answer: big + i }));
      put(own('fffffffffffffff0'), parts.join(''));
    `);
    let rep = report();
    expectVictimsExact(rep);
    const big = rep.files.find((f) => f.file.endsWith('fffffffffffffff0.jsonl'))!;
    expect(big).toMatchObject({ status: 'read', student: hal });
    expect(big.unread_bytes).toBeGreaterThan(4 * 2 ** 20);
    expect(rep.students.find((s) => s.student === hal)!.attempts).toBeLessThan(19000);
    expect(rep.problems.join('\n')).toMatch(/f0\.jsonl:\d+: read up to here, \d+ bytes after it left unread/);
    let text = instructor('report');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`${hal} \\(uid ${uids[hal]}\\): .*f0\\.jsonl: read in part, the last \\d+ bytes left unread`));
    for (const args of ['export --json']) {
      const r = instructor(args);
      expect(r.status, `${args}: ${r.stderr.slice(0, 300)}`).toBe(0);
      expect(r.seconds, args).toBeLessThan(30);
    }
    cleanHal();

    // 1,500 small files of one record each: the first 1,000 are read, the rest named in one line.
    asHal(`for (let i = 0; i < 1500; i++) put(own('0' + i.toString(16).padStart(15, '0')), rec({ question: 'small' }));`);
    rep = report();
    expectVictimsExact(rep);
    const mine = rep.files.filter((f) => f.file.includes(`/${hal}.`));
    expect(mine).toHaveLength(1501);
    expect(mine.filter((f) => f.status === 'read')).toHaveLength(STUDENT_LIMITS.files);
    expect(mine.filter((f) => f.status === 'over the limit')).toHaveLength(501);
    expect(rep.problems.filter((p) => p.includes(' and 500 more: not read: ') && p.includes(hal))).toHaveLength(1);
    text = instructor('report');
    expect(text.stdout).toMatch(new RegExp(`${hal} \\(uid ${uids[hal]}\\): .* and 500 more of theirs: not read: ${hal}'s record files passed the limit`));
    cleanHal();
  }, 180_000);

  it("names with uids of the student's choosing do not reach the account lookup; odd names are each named on one line, and removed as printed", () => {
    asHal(`
      for (let i = 0; i < 500; i++) put(records + '/x.' + (200000 + i) + '.jsonl', '');
      for (const n of ['a\\nb.' + uid + '.jsonl', 'y'.repeat(200) + '.' + uid + '.0000000000000001.jsonl', 'z'.repeat(249) + '.jsonl', 'e${EVIL.replace(/\\/g, '\\\\')}.jsonl']) put(records + '/' + n, '');
    `);
    writeFileSync(join(shim, 'calls'), '');
    const env = { PATH: `${shim}:${process.env.PATH ?? '/usr/bin:/bin'}` };
    const rep = report(env);
    expectVictimsExact(rep);
    const check = instructor('check', env);
    expect(check.status).toBe(1);
    // Whoever the lookups were about, they were few: the owners, not 500 names.
    const calls = readFileSync(join(shim, 'calls'), 'utf8').trim().split('\n').map(Number);
    expect(calls.length).toBeGreaterThan(0);
    expect(Math.max(...calls)).toBeLessThan(50);
    expect(check.stdout).not.toMatch(FORBIDDEN);
    const lines = check.stdout.trimEnd().split('\n');
    const planted = lines.filter((l) => l.startsWith('unsafe: ') && l.includes('planted'));
    const removals = lines.filter((l) => l.startsWith('  as root: rm ')).map((l) => l.slice('  as root: '.length));
    expect(planted).toHaveLength(504);
    expect(removals).toHaveLength(504);
    // Root pastes them, as printed, into one shell.
    expect(sh('bash', ['-e', '-c', removals.join('\n')]).status).toBe(0);
    expect(readdirSync(records).filter((n) => lstatSync(join(records, n)).uid === uids[hal])).toHaveLength(1);
  }, 180_000);

  it('a forged leaderboard entry carries no escape code to the instructor or, published, to any student', () => {
    const cnn = {
      model: 'cnn',
      params: 5258,
      accuracy: 0.999,
      trainingSeconds: 1,
      backend: `wasm${EVIL}`,
      epochs: 5,
      batchSize: 64,
      learningRate: 0.001,
      seed: 1,
      recordedAt: `2025-10-01T10:00:00.000Z${EVIL}`,
    };
    asHal(`
      const lines = [${JSON.stringify({ ...cnn, hiddenUnits: `${EVIL}` })}, ${JSON.stringify({ ...cnn, epochs: EVIL })}, ${JSON.stringify(cnn)}]
        .map((e) => rec({ lesson: 'neural', question: 'leaderboard-digits', answer: JSON.stringify(e) }));
      put(own('00000000000000c0'), lines.join(''));
    `);
    for (const args of ['leaderboard', 'leaderboard --json', 'leaderboard --publish --names']) {
      const r = instructor(args);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout + r.stderr, args).not.toMatch(FORBIDDEN);
    }
    const published = readFileSync(join(course, 'leaderboard.json'), 'utf8');
    expect(published).not.toMatch(FORBIDDEN);
    expect(published).not.toMatch(/\\u00(1b|07|9b)/i);
    const entries = (JSON.parse(published) as { entries: Array<Record<string, unknown>> }).entries;
    // Only the entry eds run train could have made is ranked; nothing of the others reaches the file.
    expect(entries.map((e) => [e.student, e.hiddenUnits, e.epochs])).toEqual([[hal, undefined, 5]]);
    const seen = as(victims[0]!, eds('leaderboard'));
    expect(seen.status, seen.stderr).toBe(0);
    expect(seen.stdout).toMatch(/Class ranking/);
    expect(seen.stdout + seen.stderr).not.toMatch(FORBIDDEN);
    rmSync(join(course, 'leaderboard.json'));
    cleanHal();
  }, 120_000);

  it("3,000 made-up questions answered wrong push none of the lessons' own off the hardest, nor widen the tables", () => {
    asHal(`
      const parts = [];
      for (let i = 0; i < 3000; i++) parts.push(rec({ lesson: 'zz' + (i % 300), question: 'fake' + i, answer: 'w', correct: false }));
      put(own('00000000000000d0'), parts.join(''));
    `);
    const rep = report();
    const firstFake = rep.questions.findIndex((x) => x.in_lessons === false);
    expect(firstFake).toBe(REAL.length);
    expect(rep.questions.slice(0, REAL.length).every((x) => x.in_lessons === true)).toBe(true);
    const watch = instructor('watch');
    expect(watch.status).toBe(0);
    const table = watch.stdout.split('\n');
    const head = table.findIndex((l) => l.startsWith('lesson  '));
    // The ten hardest shown are the lessons' own questions.
    for (const row of table.slice(head + 1, head + 11))
      expect(
        REAL.some(([l, x]) => row.startsWith(`${l} `) && row.includes(` ${x} `)),
        row,
      ).toBe(true);
    expect(watch.stdout).toMatch(/\d{4} questions answered that the installed lessons do not have .*listed last/);
    const text = instructor('report');
    // The hostile student's 300 made-up lessons take a few words of their row, not a screen's width of every row.
    for (const row of text.stdout.split('\n').filter((l) => victims.some((v) => l.startsWith(`${v} `)))) expect(row.length).toBeLessThan(300);
    expect(text.stdout).toMatch(new RegExp(`${hal} .*\\+\\d+ lessons not installed`));
    cleanHal();
  }, 120_000);

  it("a victim's uuid and login, copied into the hostile student's own file with later times, hide none of the victim's answers", () => {
    const v = victims[1]!;
    const theirs = readdirSync(records).find((n) => n.startsWith(`${v}.`))!;
    // Root reads them here; a student who saw the victim's screen or file could have learnt them.
    const victimRecords = readFileSync(join(records, theirs), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(victimRecords).toHaveLength(REAL.length);
    const copies = victimRecords.map(({ sum: _sum, ...r }) => ({
      ...r,
      user: v,
      correct: true,
      answer: 'planted',
      time: new Date(Date.now() + 6 * 86_400_000).toISOString(),
    }));
    asHal(`
      const copies = ${JSON.stringify(copies)};
      put(own('00000000000000e0'), copies.map((c) => sealed(JSON.stringify(c))).join('') + rec({ user: ${JSON.stringify(v)}, time: new Date(Date.now() + 30 * 86400000).toISOString() }));
    `);
    const rep = report();
    expectVictimsExact(rep);
    expect(rep.students.find((s) => s.student === hal)!.attempts).toBe(1 + REAL.length);
    expect(rep.problems.join('\n')).toMatch(new RegExp(`e0\\.jsonl:1: records name the user ${v}; counted as ${hal}, the file's owner`));
    expect(rep.problems.join('\n')).toMatch(/e0\.jsonl:13: not a record: time is implausible/);
    const show = instructor(`show ${v} --json`);
    const attempts = (JSON.parse(show.stdout) as { attempts: Array<{ answer: string }> }).attempts;
    expect(attempts).toHaveLength(REAL.length);
    expect(attempts.some((a) => a.answer === 'planted')).toBe(false);
    cleanHal();
  }, 120_000);

  it("course.json and the course directory are not the students' to change", () => {
    for (const script of [
      `echo '{}' > ${q(join(course, 'course.json'))}`,
      `mv ${q(join(course, 'course.json'))} ${q(join(course, 'x'))}`,
      `ln -s /tmp ${q(join(course, 'leaderboard.json'))}`,
      `mv ${q(records)} ${q(join(course, 'r2'))}`,
    ]) {
      expect(as(hal, script).status, script).not.toBe(0);
    }
    const check = instructor('check');
    expect(check.stdout.trim()).toBe(`${course}: safe`);
  });
});
