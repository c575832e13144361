// Course records without real users: line format and checksums, the backlog when the course directory goes away, reports' exact counts, concurrent appends.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { CourseStore, withCourseSink, appendLines, recordFileName, SENT_SETTING } from '../../src/course/sink.js';
import { formatRecord, parseRecordLine, MAX_LINE_BYTES, type AttemptRecord } from '../../src/course/record.js';
import { buildReport, readCourseRecords, recordsCsv, formatStudentLog } from '../../src/course/class-report.js';
import { checkCourseDir, RECORDS_DIR } from '../../src/course/layout.js';
import { resolveCourseDir, installPrefix } from '../../src/course/config.js';
import { benchCourseReport } from '../../src/bench/class-report.js';
import { tempDirs } from '../support/course.js';

const ROOT = resolve(import.meta.dirname, '../..');
const { temp, courseDir: courseIn, cleanups } = tempDirs();

/** A course directory laid out as init does (mode set by hand: these tests need no group). */
const courseDir = () => courseIn('eds-course-');

const attempt: AttemptRecord = {
  kind: 'attempt',
  user: 'ana',
  id: 7,
  time: '2025-10-01T10:00:00.000Z',
  lesson: 'river',
  question: 'q1',
  answer: 'log–log, "quoted", comma',
  correct: false,
  attempt: 1,
  seconds: 12.5,
  seed: 42,
  version: '0.1.0',
};

describe('record lines', () => {
  it('round-trips and catches edits, truncation and missing checksums', () => {
    const line = formatRecord(attempt);
    expect(line.endsWith('}\n')).toBe(true);
    expect(parseRecordLine(line.slice(0, -1))).toEqual({ record: attempt });
    expect(parseRecordLine(line.slice(0, -1).replace('"correct":false', '"correct":true '))).toEqual({ problem: 'checksum mismatch (edited or damaged)' });
    expect(parseRecordLine(line.slice(0, 40))).toEqual({ problem: 'not JSON (truncated or hand-edited)' });
    expect(parseRecordLine(JSON.stringify(attempt))).toEqual({ problem: 'no checksum' });
  });

  it('cuts a very long answer so the line stays under PIPE_BUF, and says so', () => {
    const long = { ...attempt, answer: 'é"\n'.repeat(5000) };
    const line = formatRecord(long);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    const parsed = parseRecordLine(line.slice(0, -1));
    expect('record' in parsed && parsed.record.kind === 'attempt' && parsed.record.truncated).toBe(true);
    if ('record' in parsed && parsed.record.kind === 'attempt') expect(long.answer.startsWith(parsed.record.answer)).toBe(true);
  });
});

describe('the course sink', () => {
  it('sends attempts and steps as they happen, and a backlog after the directory was unreachable', () => {
    const dir = courseDir();
    const home = temp('eds-home-');
    const store = withCourseSink(openStore({ home, user: 'ana', env: {} }), { EDS_COURSE_DIR: dir }) as CourseStore;
    expect(store).toBeInstanceOf(CourseStore);
    store.recordAttempt({ lesson: 'river', question: 'q1', answer: 'a', correct: false, secondsSpent: 4, seed: 1 });
    store.completeStep('river', 'intro');
    const file = store.recordFile;
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);

    // The course directory disappears (unmounted, renamed): answers go on, locally.
    renameSync(dir, dir + '.away');
    cleanups.push(() => rmSync(dir + '.away', { recursive: true, force: true }));
    store.recordAttempt({ lesson: 'river', question: 'q1', answer: 'b', correct: true, secondsSpent: 6, seed: 1 });
    store.recordAttempt({ lesson: 'river', question: 'q2', answer: 'x', correct: true, secondsSpent: 2, seed: 1 });
    store.completeStep('river', 'q1');
    const told = store.warnings.filter((w) => w.includes('kept here and will be sent next time'));
    expect(told).toHaveLength(1);
    expect(store.attempts()).toHaveLength(3);
    expect(JSON.parse(store.setting(SENT_SETTING)!)).toMatchObject({ attempts: 1, steps: [['river', 'intro']] });
    store.close();

    // It comes back; the next start sends the backlog, in order, once.
    renameSync(dir + '.away', dir);
    const again = withCourseSink(openStore({ home, user: 'ana', env: {} }), { EDS_COURSE_DIR: dir }) as CourseStore;
    expect(again.warnings).toEqual([]);
    again.close();
    const data = readCourseRecords(dir, { verifyOwners: false });
    // The file is named after the OS login; EDS_USER-style names inside it are noted and not trusted.
    expect(data.problems).toEqual(
      data.attempts[0]!.user === 'ana' ? [] : [`${file}:1: records name the user ana; counted as ${data.attempts[0]!.user}, the file's owner`],
    );
    expect(data.attempts.map((a) => [a.id, a.answer, a.attempt])).toEqual([
      [1, 'a', 1],
      [2, 'b', 2],
      [3, 'x', 1],
    ]);
    expect(data.steps.map((s) => s.step).sort()).toEqual(['intro', 'q1']);
  });

  it('reports exactly what was answered, counting a resent record once', () => {
    const dir = courseDir();
    const answer = (user: string, uid: number, rows: Array<[string, string, boolean, number]>) => {
      const home = temp('eds-home-');
      const store = new CourseStore(openStore({ home, user, env: {} }), { dir, login: user, uid });
      for (const [question, text, correct, seconds] of rows)
        store.recordAttempt({ lesson: 'river', question, answer: text, correct, secondsSpent: seconds, seed: 1 });
      store.completeStep('river', 'q1');
      // A crash between the write and the watermark sends everything again.
      store.setSetting(SENT_SETTING, '');
      expect(store.flush().sent).toBe(rows.length + 1);
      store.close();
    };
    answer('ana', 2001, [
      ['q1', 'A', false, 10],
      ['q1', 'B', true, 4],
      ['q2', '3.5', true, 20],
    ]);
    answer('ben', 2002, [
      ['q1', ' a ', false, 30],
      ['q1', 'c', false, 5],
      ['q1', 'B', true, 2],
    ]);
    answer('cy', 2003, [['q1', 'B', true, 8]]);
    // A leaderboard entry is logged like an answer; the report leaves it to eds instructor leaderboard.
    const entryStore = new CourseStore(openStore({ home: temp('eds-home-'), user: 'dee', env: {} }), { dir, login: 'dee', uid: 2004 });
    entryStore.recordAttempt({ lesson: 'neural', question: 'leaderboard-digits', answer: '{"params":5258}', correct: true, secondsSpent: 0, seed: 1 });
    expect(entryStore.flush().sent).toBe(0);
    entryStore.close();
    const report = buildReport(readCourseRecords(dir, { verifyOwners: false }), {
      lessons: [{ id: 'river', steps: ['intro', 'q1', 'q2'], questions: ['q1', 'q2'] }],
    });
    expect(report.students.map((s) => [s.student, s.questions_answered, s.first_try_right, s.attempts, s.seconds_spent])).toEqual([
      ['ana', 2, 1, 3, 34],
      ['ben', 1, 0, 3, 37],
      ['cy', 1, 1, 1, 8],
    ]);
    expect(report.students[0]!.lessons).toEqual([{ lesson: 'river', steps_done: 1, steps_total: 3 }]);
    // q1: first attempts A✗(10 s), a✗(30 s), B✓(8 s) → 1/3, median 10 s; "A" and " a " are one wrong answer.
    expect(report.questions[0]).toEqual({
      lesson: 'river',
      question: 'q1',
      students: 3,
      first_try_rate: 0.3333,
      attempts: 6,
      common_wrong: [
        { answer: 'a', count: 2 },
        { answer: 'c', count: 1 },
      ],
      median_seconds: 10,
      in_lessons: true,
      pending_review: 0,
    });
    expect(report.questions[1]).toMatchObject({ question: 'q2', students: 1, first_try_rate: 1 });
  });

  it('reports a corrupt line with its file and line, and counts the rest', () => {
    const dir = courseDir();
    const file = join(dir, RECORDS_DIR, recordFileName('ana', 2001));
    const lines = [1, 2, 3].map((id) => formatRecord({ ...attempt, id, question: `q${id}` }));
    lines[1] = lines[1]!.replace('"seconds":12.5', '"seconds":1.5');
    writeFileSync(file, lines.join('') + lines[0]!.slice(0, 30));
    const data = readCourseRecords(dir, { verifyOwners: false });
    expect(data.attempts.map((a) => a.question)).toEqual(['q1', 'q3']);
    expect(data.problems).toEqual([`${file}:2: checksum mismatch (edited or damaged); ignored`, `${file}:4: unfinished last line (cut short); ignored`]);
    // The next append starts on a fresh line rather than gluing onto the cut one.
    appendLines(file, [formatRecord({ ...attempt, id: 4, question: 'q4' })]);
    expect(readCourseRecords(dir, { verifyOwners: false }).attempts.map((a) => a.question)).toEqual(['q1', 'q3', 'q4']);
    expect(recordsCsv(data).split('\n')[1]).toContain('"log–log, ""quoted"", comma"');
    expect(formatStudentLog(data, 'ana')).toContain('q1 #1  wrong  13s  log–log, "quoted", comma');
  });

  it("keeps 50 concurrent writers' lines whole and all there", async () => {
    const dir = courseDir();
    const file = join(dir, RECORDS_DIR, recordFileName('ana', 2001));
    const child = join(ROOT, 'test/course/append-child.mjs');
    const runs = Array.from(
      { length: 50 },
      (_, w) => new Promise<number | null>((done) => spawn(process.execPath, [child, file, String(w), '20'], { stdio: 'inherit' }).on('exit', done)),
    );
    expect(await Promise.all(runs)).toEqual(Array(50).fill(0));
    const data = readCourseRecords(dir, { verifyOwners: false });
    expect(data.problems).toEqual([]);
    // Every non-blank line is one whole record (a rare blank line is the harmless trace of the cut-line repair racing a writer).
    expect(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    ).toHaveLength(1000);
    const ids = new Set(data.attempts.map((a) => a.id));
    expect(ids.size).toBe(1000);
  });
});

describe('configuration and checks', () => {
  it('takes EDS_COURSE_DIR, then the user config, then the one beside a global install', () => {
    const cfg = temp('eds-config-');
    mkdirSync(join(cfg, 'eds'));
    expect(resolveCourseDir({ EDS_COURSE_DIR: 'rel', XDG_CONFIG_HOME: cfg }, '/nowhere')).toEqual({ dir: resolve('rel'), source: 'EDS_COURSE_DIR' });
    writeFileSync(join(cfg, 'eds', 'config.json'), '{"course_dir": "/srv/eds"}');
    expect(resolveCourseDir({ XDG_CONFIG_HOME: cfg }, '/nowhere')?.dir).toBe('/srv/eds');
    writeFileSync(join(cfg, 'eds', 'config.json'), '{"course_dir": 3}');
    expect(() => resolveCourseDir({ XDG_CONFIG_HOME: cfg }, '/nowhere')).toThrow(/course_dir must be an absolute path/);
    expect(installPrefix('/opt/eds/lib/node_modules/eds')).toBe('/opt/eds');
    expect(installPrefix(ROOT)).toBeNull();
  });

  it('a broken config file is a warning for the student, not a refusal', () => {
    const cfg = temp('eds-config-');
    mkdirSync(join(cfg, 'eds'));
    writeFileSync(join(cfg, 'eds', 'config.json'), '{oops');
    const store = withCourseSink(openStore({ home: temp('eds-home-'), user: 'ana', env: {} }), { XDG_CONFIG_HOME: cfg });
    store.recordAttempt({ lesson: 'river', question: 'q1', answer: 'a', correct: true, secondsSpent: 1, seed: null });
    expect(store.warnings.join('\n')).toMatch(/config\.json: not valid JSON/);
    store.close();
  });

  it('flags listable, non-sticky and non-setgid drop directories and world-readable records', () => {
    const dir = courseDir();
    expect(checkCourseDir(dir).problems).toEqual([]);
    writeFileSync(join(dir, RECORDS_DIR, 'x.1.jsonl'), '');
    chmodSync(join(dir, RECORDS_DIR, 'x.1.jsonl'), 0o644);
    chmodSync(join(dir, RECORDS_DIR), 0o777);
    const messages = checkCourseDir(dir)
      .problems.map((p) => `${p.severity}: ${p.message}`)
      .join('\n');
    expect(messages).toMatch(/unsafe: .*listable by everyone/);
    expect(messages).toMatch(/unsafe: .*lacks the sticky bit/);
    expect(messages).toMatch(/unsafe: .*lacks the setgid bit/);
    expect(messages).toMatch(/unsafe: .*x\.1\.jsonl is readable or writable by everyone/);
    // A student's sink refuses to send into it and says why.
    const store = withCourseSink(openStore({ home: temp('eds-home-'), user: 'ana', env: {} }), { EDS_COURSE_DIR: dir }) as CourseStore;
    store.recordAttempt({ lesson: 'river', question: 'q1', answer: 'a', correct: true, secondsSpent: 1, seed: null });
    expect(store.warnings.join('\n')).toMatch(/not sending answers to the course directory: .*listable/);
    store.close();
  });

  it('the benchmark runs on a small class', () => {
    const r = benchCourseReport(3, 50);
    expect(r).toMatchObject({ students: 3, records_per_student: 50 });
    expect(r.read_seconds).toBeGreaterThanOrEqual(0);
  });
});
