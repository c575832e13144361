// The instructors' side against a hostile student's record files: huge files and lines, malformed and implausible
// fields, escape sequences everywhere, planted files; and exact counts across several stores per student.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { CourseStore } from '../../src/course/sink.js';
import { formatRecord, parseRecordLine, MAX_LINE_BYTES, MAX_READ_LINE_BYTES, type AttemptRecord, type CourseRecord } from '../../src/course/record.js';
import { buildReport, formatDuration, formatQuestions, formatStudents, readCourseRecords, recordsCsv, type CachedFile } from '../../src/course/class-report.js';
import { RECORDS_DIR } from '../../src/course/layout.js';
import { runCli } from '../support/cli.js';
import { tempDirs } from '../support/course.js';

const ROOT = resolve(import.meta.dirname, '../..');
const { temp, courseDir: courseIn } = tempDirs();

/** A course directory as init lays it out (no group needed here). */
const courseDir = () => courseIn('eds-hostile-');

const hex = () => createHash('sha256').update(randomUUID()).digest('hex').slice(0, 16);
/** A record file path in `dir` for a login and uid, in the tagged layout (or the first one). */
const fileFor = (dir: string, login: string, uid: number, tagged = true) =>
  join(dir, RECORDS_DIR, tagged ? `${login}.${uid}.${hex()}.jsonl` : `${login}.${uid}.jsonl`);

/** Uids nobody on this machine has (so the report takes the login from the file name): files are chowned to them. */
const UID = { ana: 61001, ben: 61002, cy: 61003, mal: 61004 } as const;

/** A line with a valid checksum around any JSON body: what a student who read record.ts can write. */
function sealed(body: string): string {
  return `${body.slice(0, -1)},"sum":"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"}\n`;
}

const base: AttemptRecord = {
  kind: 'attempt',
  user: 'ana',
  id: 1,
  time: '2025-10-01T10:00:00.000Z',
  lesson: 'river',
  question: 'q1',
  answer: 'b',
  correct: true,
  attempt: 1,
  seconds: 12,
  seed: 7,
  version: '0.1.0',
};
const NOW = Date.parse('2025-10-02T00:00:00Z');

/** Every byte that could make a terminal do something: ESC, 8-bit CSI, BEL, bidi overrides and isolates. */
const FORBIDDEN = /[\u001b\u009b\u0007\u202a-\u202e\u2066-\u2069]/;
/** Sequences a hostile student plants: OSC title, clear screen, CSI, 8-bit CSI, C1 OSC, bidi override, DCS. */
const EVIL = '\x1b]0;pwned\x07\x1b[2J\x1b[H\x9b31m\x9d0;x\x9c\u202egnp.exe\u2066\x1bP1$qq\x1b\\';

describe('record lines, field by field', () => {
  const problem = (over: Record<string, unknown>) => {
    const r = parseRecordLine(sealed(JSON.stringify({ ...base, ...over })).slice(0, -1), NOW);
    return 'problem' in r ? r.problem : null;
  };

  it('takes a well-formed record, uuid, grading and a shallow detail included', () => {
    const uuid = randomUUID();
    const r = parseRecordLine(
      formatRecord({ ...base, uuid, grading: 'predict', detail: { run: { step: 'fit', options: { model: 'ransac' } }, expected: 3 } }).slice(0, -1),
      NOW,
    );
    expect(r).toMatchObject({ record: { uuid, grading: 'predict', detail: { expected: 3 } } });
  });

  it('refuses each malformed or implausible field, naming it', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ extra: 1 }, /unknown field "extra"/],
      [{ ['__proto__']: { x: 1 } }, /unknown field/],
      [{ lesson: `river${EVIL}` }, /lesson is not a lesson id/],
      [{ lesson: 'River Lesson' }, /lesson is not a lesson id/],
      [{ question: 'q 1' }, /question is not a question id/],
      [{ question: 'q'.repeat(200) }, /question is not a question id/],
      [{ time: `2025-10-01T10:00:00Z${EVIL}` }, /time is not an ISO/],
      [{ time: '2025-02-30T10:00:00.000Z' }, /not a real date/],
      [{ time: '1970-01-01T00:00:00.000Z' }, /implausible/],
      [{ time: '2099-01-01T00:00:00.000Z' }, /implausible/],
      [{ time: 1759312800000 }, /time is not an ISO/],
      [{ attempt: 0 }, /attempt is not a whole number/],
      [{ attempt: 1.5 }, /attempt is not a whole number/],
      [{ attempt: 1e9 }, /attempt is not a whole number/],
      [{ seconds: 'NaN' }, /seconds is not a number/],
      [{ seconds: null }, /seconds is not a number/],
      [{ seed: 1.5 }, /seed is not/],
      [{ seed: 2 ** 60 }, /seed is not/],
      [{ id: -1 }, /id is not a row id/],
      [{ id: '1' }, /id is not a row id/],
      [{ correct: 'yes' }, /correct is not/],
      [{ answer: 42 }, /answer is not a string/],
      [{ user: '' }, /user is not a login/],
      [{ version: 'v'.repeat(500) }, /version is not a short string/],
      [{ uuid: 'not-a-uuid' }, /uuid is not a UUID/],
      [{ grading: 'maybe' }, /grading is not/],
      [{ truncated: false }, /truncated is not true/],
      [{ detail: [1, 2] }, /detail is not an object/],
      [{ detail: 'x' }, /detail is not an object/],
      [{ detail: { a: { b: { c: { d: 1 } } } } }, /detail nested deeper than 3/],
      [{ detail: { a: [[[1]]] } }, /detail nested deeper than 3/],
      [{ detail: { big: 'x'.repeat(1100) } }, /detail larger than 1024 bytes/],
      [{ kind: 'other' }, /kind is not attempt or step/],
    ];
    for (const [over, why] of cases) expect(problem(over), JSON.stringify(over).slice(0, 80)).toMatch(why);
    // Deeply nested JSON anywhere in a line is refused before anything walks it.
    expect(problem({ detail: JSON.parse('['.repeat(1500) + ']'.repeat(1500)) })).toMatch(/detail is not an object/);
    const nested = JSON.stringify({ ...base, detail: {} }).replace('"detail":{}', `"detail":{"a":${'['.repeat(1800)}${']'.repeat(1800)}}`);
    const r = parseRecordLine(sealed(nested).slice(0, -1), NOW);
    expect('problem' in r && r.problem).toMatch(/detail nested deeper than 3/);
    // A step record is checked as strictly.
    const step = { kind: 'step', user: 'ana', time: base.time, lesson: 'river', step: 'intro', version: '1' };
    expect(parseRecordLine(sealed(JSON.stringify(step)).slice(0, -1), NOW)).toEqual({ record: step });
    expect(parseRecordLine(sealed(JSON.stringify({ ...step, step: `x${EVIL}` })).slice(0, -1), NOW)).toEqual({
      problem: 'not a record: step is not a step id',
    });
  });

  it('refuses an oversized line unparsed, and takes implausible seconds (to leave them out of the statistics)', () => {
    // A little slack over what eds writes, no more.
    expect(MAX_READ_LINE_BYTES - MAX_LINE_BYTES).toBeLessThanOrEqual(1024);
    expect(parseRecordLine('{'.repeat(MAX_READ_LINE_BYTES + 1))).toEqual({ problem: `line longer than ${MAX_READ_LINE_BYTES} bytes` });
    for (const seconds of [1e308, -5]) expect('record' in parseRecordLine(formatRecord({ ...base, seconds }).slice(0, -1), NOW)).toBe(true);
    // JSON's 1e999 reads as Infinity: kept as an answer, never as a time.
    expect(parseRecordLine(sealed(JSON.stringify(base).replace('"seconds":12', '"seconds":1e999')).slice(0, -1), NOW)).toMatchObject({
      record: { seconds: Infinity },
    });
  });

  it("ids the lessons really use pass (the patterns are copies of the lessons' own)", async () => {
    const { loadLessons } = await import('../../src/lessons/index.js');
    const lessons = loadLessons().lessons;
    expect(lessons.length).toBeGreaterThan(3);
    for (const l of lessons) {
      for (const s of l.steps) {
        const line = formatRecord(
          s.kind === 'question'
            ? { ...base, lesson: l.id, question: s.id }
            : { kind: 'step', user: 'ana', time: base.time, lesson: l.id, step: s.id, version: '1' },
        );
        expect(parseRecordLine(line.slice(0, -1), NOW), `${l.id}/${s.id}`).toHaveProperty('record');
      }
    }
  });
});

describe('reading a hostile record file', () => {
  it('skips a line of a megabyte unread, bounds the problems named per file, and reads on', () => {
    const dir = courseDir();
    const file = fileFor(dir, 'mal', UID.mal);
    const junk = Array.from({ length: 500 }, (_, i) => `junk ${i}\n`).join('');
    writeFileSync(
      file,
      formatRecord({ ...base, user: 'mal', id: 1 }) +
        'x'.repeat(1 << 20) +
        '\n' +
        junk +
        formatRecord({ ...base, user: 'mal', id: 2, question: 'q2' }) +
        '{"cut":',
    );
    const data = readCourseRecords(dir, { verifyOwners: false, now: NOW });
    expect(data.attempts.map((a) => [a.user, a.question])).toEqual([
      ['mal', 'q1'],
      ['mal', 'q2'],
    ]);
    expect(data.problems[0]).toBe(`${file}:2: line longer than ${MAX_READ_LINE_BYTES} bytes; skipped unread`);
    expect(data.problems.filter((p) => p.startsWith(`${file}:`))).toHaveLength(21);
    expect(data.problems).toContain(`${file}:504: unfinished last line (cut short); ignored`);
    expect(data.problems).toContain(`… and 481 more problems in ${file}`);
    expect(data.sources).toEqual([expect.objectContaining({ status: 'read', student: 'mal', records: 2, problems: 502 })]);
  });

  it('watch reads on from where it stopped while a file only grows, and from the start when it is replaced', () => {
    const dir = courseDir();
    const file = fileFor(dir, 'ana', UID.ana);
    const cache = new Map<string, CachedFile>();
    writeFileSync(file, formatRecord({ ...base, id: 1, uuid: randomUUID() }) + formatRecord({ ...base, id: 2, uuid: randomUUID() }).slice(0, 50));
    let data = readCourseRecords(dir, { verifyOwners: false, cache, now: NOW });
    expect(data.attempts).toHaveLength(1);
    expect(data.problems).toEqual([`${file}:2: unfinished last line (cut short); ignored`]);
    // The writer finishes its line (an append is one write; this shows a reader caught between two).
    const second = formatRecord({ ...base, id: 2, uuid: randomUUID() });
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, -50) + second + formatRecord({ ...base, id: 3, uuid: randomUUID() }));
    data = readCourseRecords(dir, { verifyOwners: false, cache, now: NOW });
    expect(data.attempts.map((a) => a.id)).toEqual([1, 2, 3]);
    expect(data.problems).toEqual([]);
    appendFileSync(file, formatRecord({ ...base, id: 4, uuid: randomUUID() }));
    const before = cache.get(file)!.records;
    data = readCourseRecords(dir, { verifyOwners: false, cache, now: NOW });
    expect(data.attempts.map((a) => a.id)).toEqual([1, 2, 3, 4]);
    expect(cache.get(file)!.records).toBe(before); // Read on, not again.
    // Replaced by a shorter file: read again from the start.
    rmSync(file);
    writeFileSync(file, formatRecord({ ...base, id: 9, uuid: randomUUID() }));
    expect(readCourseRecords(dir, { verifyOwners: false, cache, now: NOW }).attempts.map((a) => a.id)).toEqual([9]);
  });
});

describe('exact counts across stores', () => {
  it('counts every answer once: several stores per student, a damaged store moved aside, resent copies, older records without uuid', async () => {
    const dir = courseDir();
    const send = (home: string, login: string, uid: number, answers: string[]) => {
      const store = new CourseStore(openStore({ home, user: login, env: {} }), { dir, login, uid });
      for (const a of answers) store.recordAttempt({ lesson: 'river', question: `q${a.length}`, answer: a, correct: a === 'b', secondsSpent: 3, seed: 1 });
      store.completeStep('river', 'intro');
      expect(store.flush().error).toBeNull();
      const warnings = store.warnings;
      store.close();
      return warnings;
    };
    // ana: one home, 5 answers; the database is damaged; eds sets it aside and starts afresh (row ids from 1 again).
    const anaHome = temp('eds-home-');
    send(anaHome, 'ana', UID.ana, ['a', 'b', 'cc', 'dd', 'e']);
    const db = join(anaHome, 'eds.db');
    const bytes = readFileSync(db);
    bytes.fill(0x58, 0, 4096);
    writeFileSync(db, bytes);
    const warnings = send(anaHome, 'ana', UID.ana, ['a', 'b', 'cc', 'dd', 'e']);
    expect(warnings.join('\n')).toMatch(/damaged/);
    expect(readdirSync(anaHome).some((n) => n.startsWith('eds.db') && n !== 'eds.db' && !n.endsWith('-wal') && !n.endsWith('-shm'))).toBe(true);
    // ...and a second machine (another home) with 3 more.
    send(temp('eds-home-'), 'ana', UID.ana, ['x', 'b', 'yy']);
    // ben: records from an older eds (no uuid) in the first-layout file, resent in full, then a new store's, also without uuid.
    const old = (id: number, time: string, answer: string): CourseRecord => ({ ...base, user: 'ben', id, time, answer, question: `q${id}` });
    const first = [1, 2, 3].map((id) => formatRecord(old(id, `2025-10-01T09:0${id}:00.000Z`, `first ${id}`)));
    const fresh = [1, 2, 3].map((id) => formatRecord(old(id, `2025-10-01T11:0${id}:00.000Z`, `again ${id}`)));
    const benOld = fileFor(dir, 'ben', UID.ben, false);
    writeFileSync(benOld, [...first, ...first].join(''));
    writeFileSync(fileFor(dir, 'ben', UID.ben), [...fresh, first[0]!].join(''));
    for (const f of readdirSync(join(dir, RECORDS_DIR))) {
      const login = f.split('.')[0] as keyof typeof UID;
      chownSync(join(dir, RECORDS_DIR, f), UID[login], -1);
    }
    expect(readdirSync(join(dir, RECORDS_DIR)).filter((f) => f.startsWith('ana.')).length).toBeGreaterThanOrEqual(2);

    const data = readCourseRecords(dir, { now: Date.now() + 1000 });
    expect(data.problems).toEqual([]);
    expect(data.attempts.filter((a) => a.user === 'ana')).toHaveLength(13);
    expect(
      data.attempts
        .filter((a) => a.user === 'ben')
        .map((a) => a.answer)
        .sort(),
    ).toEqual(['again 1', 'again 2', 'again 3', 'first 1', 'first 2', 'first 3']);
    // ben's 3 resent + 1 copied again, and ana's finished step sent from each of her 3 stores.
    expect(data.duplicates).toBe(6);

    const report = JSON.parse((await runCli(['instructor', 'report', '--json', '--dir', dir])).out) as {
      students: Array<{ student: string; attempts: number }>;
      files: Array<{ status: string; student: string }>;
    };
    expect(report.students.map((s) => [s.student, s.attempts])).toEqual([
      ['ana', 13],
      ['ben', 6],
    ]);
    expect(report.files.every((f) => f.status === 'read')).toBe(true);
    const csv = (await runCli(['instructor', 'export', '--dir', dir])).out.trim().split('\n');
    expect(csv.filter((l) => l.startsWith('attempt,ana,'))).toHaveLength(13);
    expect(csv.filter((l) => l.startsWith('attempt,ben,'))).toHaveLength(6);
    const exported = JSON.parse((await runCli(['instructor', 'export', '--json', '--dir', dir])).out) as { attempts: unknown[] };
    expect(exported.attempts).toHaveLength(19);
    const show = await runCli(['instructor', 'show', 'ana', '--dir', dir]);
    expect(show.out.split('\n').filter((l) => / river {2}q\d+ #\d+ /.test(l))).toHaveLength(13);
    const showJson = JSON.parse((await runCli(['instructor', 'show', 'ben', '--json', '--dir', dir])).out) as { attempts: unknown[] };
    expect(showJson.attempts).toHaveLength(6);
  });
});

describe('class statistics', () => {
  it('leave implausible times out and say how many, and count a wrong answer once per student', () => {
    const dir = courseDir();
    const lines: string[] = [];
    // mal plants 50 copies (new uuids) of one wrong answer and absurd times.
    for (let i = 0; i < 50; i++)
      lines.push(
        formatRecord({ ...base, user: 'mal', id: i + 1, uuid: randomUUID(), answer: 'planted', correct: false, attempt: i + 1, seconds: i === 0 ? 1e308 : -1 }),
      );
    writeFileSync(
      fileFor(dir, 'mal', UID.mal),
      lines.join('') +
        sealed(JSON.stringify({ ...base, user: 'mal', id: 99, question: 'q2', answer: 'x', correct: false }).replace('"seconds":12', '"seconds":1e999')),
    );
    for (const [user, uid] of [
      ['ana', UID.ana],
      ['ben', UID.ben],
    ] as const) {
      writeFileSync(fileFor(dir, user, uid), formatRecord({ ...base, user, uuid: randomUUID(), answer: 'honest', correct: false, seconds: 20 }));
    }
    const data = readCourseRecords(dir, { verifyOwners: false, now: NOW });
    const report = buildReport(data);
    const q1 = report.questions.find((q) => q.question === 'q1')!;
    expect(q1.common_wrong).toEqual([
      { answer: 'honest', count: 2 },
      { answer: 'planted', count: 1 },
    ]);
    expect(q1.median_seconds).toBe(20);
    expect(q1.attempts).toBe(52);
    expect(report.times_left_out).toBe(51);
    expect(report.students.find((s) => s.student === 'mal')).toMatchObject({ attempts: 51, seconds_spent: 0 });
    expect(data.problems.filter((p) => /is not a time from 0 to 7 days; the answer is counted/.test(p))).toHaveLength(20);
    const text = formatStudents(report.students) + formatQuestions(report.questions) + recordsCsv(data);
    expect(text).not.toMatch(/Infinity|NaN/);
    for (const s of [Infinity, -Infinity, NaN, -3]) expect(formatDuration(s)).toBe('?');
    expect(formatDuration(1e308)).toBe('>999d');
    expect(formatDuration(7 * 86_400)).toBe('7d00h');
  });
});

describe('planted and unreadable entries', () => {
  it('lists foreign files, symlinks, FIFOs, directories and stray names instead of leaving their students out silently', async () => {
    const dir = courseDir();
    const records = join(dir, RECORDS_DIR);
    writeFileSync(fileFor(dir, 'ana', UID.ana), formatRecord({ ...base, uuid: randomUUID() }));
    // mal squats ben's first-layout name, and links, FIFOs and a directory under cy's.
    const squat = fileFor(dir, 'ben', UID.ben, false);
    writeFileSync(squat, formatRecord({ ...base, user: 'ben', answer: 'forged', uuid: randomUUID() }));
    symlinkSync('/etc/passwd', join(records, `cy.${UID.cy}.${hex()}.jsonl`));
    expect(spawnSync('mkfifo', [join(records, `cy.${UID.cy}.${hex()}.jsonl`)]).status).toBe(0);
    mkdirSync(join(records, `cy.${UID.cy}.jsonl`));
    writeFileSync(join(records, `notes${EVIL}.txt`), 'x');
    for (const f of readdirSync(records)) spawnSync('chown', ['-h', String(f.startsWith('ana') ? UID.ana : UID.mal), join(records, f)]);

    const t0 = performance.now();
    const r = await runCli(['instructor', 'report', '--dir', dir]);
    expect(performance.now() - t0).toBeLessThan(20_000); // The FIFO is never opened for a blocking read.
    expect(r.code).toBe(0);
    expect(r.out + r.err).not.toMatch(FORBIDDEN);
    expect(r.out).toMatch(/Record files left out \(5\)/);
    expect(r.out).toMatch(
      new RegExp(
        `ben \\(uid ${UID.ben}\\): .*ben\\.${UID.ben}\\.jsonl: owned by uid ${UID.mal}, not ${UID.ben} as its name says; owner unknown \\(uid ${UID.mal}\\)`,
      ),
    );
    expect(r.out).toMatch(/cy \(uid 61003\): .*: a symlink, not a regular file/);
    expect(r.out).toMatch(/cy \(uid 61003\): .*: a FIFO, not a regular file/);
    expect(r.out).toMatch(/cy \(uid 61003\): .*cy\.61003\.jsonl: a directory, not a regular file/);
    expect(r.out).toMatch(/\(no student\): .*notes\]0;pwned.*\.txt: not a record file name/);
    expect(r.out).not.toMatch(/forged/);
    const json = JSON.parse((await runCli(['instructor', 'report', '--json', '--dir', dir])).out) as {
      files: Array<{ status: string; named: string | null }>;
      problems: string[];
    };
    expect(json.files.map((f) => f.status).sort()).toEqual([
      'foreign',
      'not a record file name',
      'not a regular file',
      'not a regular file',
      'not a regular file',
      'read',
    ]);
    expect(json.problems.join('\n')).toMatch(/owned by uid 61004, not 61002/);
    // show names what was left out of that student's records.
    const show = await runCli(['instructor', 'show', 'ben', '--dir', dir]);
    expect(show.code).not.toBe(0);
    expect(show.err).toMatch(/files named for them were left out: .*ben\.61002\.jsonl \(owned by uid 61004/);
  });
});

describe('unreadable record files', () => {
  it('are listed in the report with their student, not left out silently (the instructor runs as another user; needs npm run build)', () => {
    if (process.getuid?.() !== 0) throw new Error('this test reads as another user (nobody) and must run as root, as CI does');
    const dir = courseDir();
    chmodSync(dir, 0o755);
    // The instructor (nobody here) may list the drop directory; ben's file is closed to everyone but its owner.
    chmodSync(join(dir, RECORDS_DIR), 0o755);
    writeFileSync(fileFor(dir, 'ana', 0), formatRecord({ ...base, uuid: randomUUID() }), { mode: 0o644 });
    const ben = fileFor(dir, 'ben', 0);
    writeFileSync(ben, formatRecord({ ...base, user: 'ben', uuid: randomUUID() }));
    chmodSync(ben, 0o600);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/eds.js'), 'instructor', 'report', '--json', '--dir', dir], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: '/nonexistent', LANG: 'C.UTF-8' },
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as {
      students: Array<{ student: string }>;
      files: Array<{ file: string; status: string; why: string | null; named: string }>;
    };
    expect(json.students.map((s) => s.student)).toEqual(['root']);
    expect(json.files.find((f) => f.file === ben)).toMatchObject({ status: 'unreadable', why: 'cannot read: permission denied', named: 'ben' });
    const text = spawnSync(process.execPath, [join(ROOT, 'bin/eds.js'), 'instructor', 'report', '--dir', dir], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: '/nonexistent' },
    });
    expect(text.stdout).toMatch(new RegExp(`Record files left out \\(1\\)[^]*ben \\(uid 0\\): ${ben.replace(/[.]/g, '\\.')}: cannot read: permission denied`));
  });
});

describe('escape sequences from students', () => {
  it('reach no output of report, show, watch, export or leaderboard', async () => {
    const dir = courseDir();
    const entry = {
      model: 'mlp',
      params: 795 * 5 + 10,
      accuracy: 0.97,
      trainingSeconds: 3,
      backend: `wasm${EVIL}`,
      hiddenUnits: 5,
      epochs: 5,
      batchSize: 64,
      learningRate: 0.001,
      seed: 1,
      recordedAt: `2025-10-01T10:00:00.000Z${EVIL}`,
    };
    const lines = [
      formatRecord({
        ...base,
        user: `ana${EVIL}`,
        uuid: randomUUID(),
        answer: `free text${EVIL}\nsecond line${EVIL}`,
        correct: false,
        version: `0.1${EVIL}`,
        detail: { [`k${EVIL}`]: `v${EVIL}` },
      }),
      formatRecord({ ...base, uuid: randomUUID(), answer: `=HYPERLINK("http://x${EVIL}")`, correct: false, attempt: 2 }),
      formatRecord({
        ...base,
        uuid: randomUUID(),
        question: 'q3',
        answer: `to review${EVIL}`,
        correct: false,
        grading: 'review',
        detail: { self: `x${EVIL}` },
      }),
      formatRecord({ ...base, uuid: randomUUID(), lesson: 'neural', question: 'leaderboard-digits', answer: JSON.stringify(entry) }),
      formatRecord({ kind: 'step', user: 'ana', time: base.time, lesson: 'river', step: 'intro', version: `v${EVIL}` }),
      // Refused lines whose problems quote what they hold.
      sealed(JSON.stringify({ ...base, lesson: `river${EVIL}` })),
      sealed(JSON.stringify({ ...base, question: `q${EVIL}` })),
      sealed(JSON.stringify({ ...base, time: `2025${EVIL}` })),
      sealed(JSON.stringify({ ...base, [`field${EVIL}`]: 1 })),
      sealed(JSON.stringify({ ...base, seconds: 1e308, uuid: randomUUID() })),
      `not json ${EVIL}\n`,
    ];
    // Owned by us (uid 0): counted for our login, whatever the name says.
    writeFileSync(join(dir, RECORDS_DIR, `ana${EVIL}.0.jsonl`), lines.join(''));
    writeFileSync(
      join(dir, RECORDS_DIR, `root.0.jsonl`),
      formatRecord({ ...base, user: 'root', uuid: randomUUID(), answer: `\u202eevil${EVIL}`, correct: false }),
    );
    writeFileSync(join(dir, RECORDS_DIR, `stray${EVIL}`), 'x');
    const us = (spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout ?? '').trim() || 'root';

    const runs: Array<[string, string[]]> = [
      ['report', ['instructor', 'report', '--dir', dir]],
      ['report --json', ['instructor', 'report', '--json', '--dir', dir]],
      ['report --csv', ['instructor', 'report', '--csv', '--dir', dir]],
      ['report --csv --by question', ['instructor', 'report', '--csv', '--by', 'question', '--dir', dir]],
      ['show', ['instructor', 'show', us, '--dir', dir]],
      ['show --json', ['instructor', 'show', us, '--json', '--dir', dir]],
      ['show unknown', ['instructor', 'show', 'nobody-here', '--dir', dir]],
      ['export', ['instructor', 'export', '--dir', dir]],
      ['export --json', ['instructor', 'export', '--json', '--dir', dir]],
      ['leaderboard', ['instructor', 'leaderboard', '--dir', dir]],
      ['leaderboard --json', ['instructor', 'leaderboard', '--json', '--dir', dir]],
      ['leaderboard --publish --names', ['instructor', 'leaderboard', '--publish', '--names', '--dir', dir]],
      ['watch (one frame)', ['instructor', 'watch', '--dir', dir]],
      ['review', ['instructor', 'review', '--dir', dir]],
      ['review --json', ['instructor', 'review', '--json', '--dir', dir]],
      ['review --csv', ['instructor', 'review', '--csv', '--dir', dir]],
      ['check', ['instructor', 'check', '--dir', dir]],
      ['show of a login with escapes', ['instructor', 'show', `x${EVIL}`, '--dir', dir]],
    ];
    const tty = process.stdout.isTTY;
    Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
    try {
      for (const [name, args] of runs) {
        const r = await runCli(args);
        expect(r.out + r.err, name).not.toMatch(/Maximum call stack|RangeError|at .*\.ts:\d+/);
        const bad = FORBIDDEN.exec(r.out + r.err);
        expect(bad && `${name}: ${JSON.stringify((r.out + r.err).slice(Math.max(0, bad.index - 40), bad.index + 20))}`, name).toBeNull();
        expect(r.out.length + r.err.length, name).toBeGreaterThan(0);
        if (name === 'show') expect(r.out).toMatch(/free text\]0;pwned\[2J\[H31m0;xgnp\.exeP1\$qq\\\n {6}second line/);
        if (name === 'export') expect(r.out).toMatch(/,"'=HYPERLINK\(""http:\/\/x/);
        if (name === 'report') expect(r.out).toMatch(/1 answer with an implausible time/);
        if (name === 'review --json') expect(r.out).toMatch(/to review\]0;pwned/);
      }
    } finally {
      Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true });
    }
    expect(readFileSync(join(dir, 'leaderboard.json'), 'utf8')).not.toMatch(FORBIDDEN);
    expect(readFileSync(join(dir, 'leaderboard.json'), 'utf8')).not.toMatch(/\\u001b|\\u009b/);
  });
});

describe('a class with one huge hostile file', () => {
  let dir = '';
  const timings: Record<string, number> = {};
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eds-hostile-big-'));
    mkdirSync(join(dir, RECORDS_DIR));
    // 200,000 junk lines (1.4 MB).
    writeFileSync(fileFor(dir, 'mal', UID.mal), Array.from({ length: 200_000 }, (_, i) => `[${i}]\n`).join(''));
    // 150,000 valid records, each its own attempt, across 300 questions, with a leaderboard entry among them.
    const parts: string[] = [];
    const t = Date.parse('2025-10-01T00:00:00Z');
    for (let i = 0; i < 150_000; i++) {
      parts.push(
        formatRecord({
          ...base,
          user: 'ben',
          id: i + 1,
          uuid: randomUUID(),
          time: new Date(t + i * 1000).toISOString(),
          question: `q${i % 300}`,
          answer: `answer ${i % 7}`,
          correct: i % 3 === 0,
          attempt: 1 + Math.floor(i / 300),
          seconds: (i % 50) + 1,
        }),
      );
    }
    writeFileSync(fileFor(dir, 'ben', UID.ben), parts.join(''));
    writeFileSync(fileFor(dir, 'ana', UID.ana), formatRecord({ ...base, uuid: randomUUID() }));
    for (const f of readdirSync(join(dir, RECORDS_DIR))) chownSync(join(dir, RECORDS_DIR, f), UID[f.split('.')[0] as keyof typeof UID], -1);
  }, 120_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    // Measured numbers for the record (vitest shows console output).
    console.log(`hostile class (200,000 junk lines + 150,000 records), seconds per command: ${JSON.stringify(timings)}`);
  });

  const commands: Array<[string, string[]]> = [
    ['report', ['instructor', 'report']],
    ['report --json', ['instructor', 'report', '--json']],
    ['show', ['instructor', 'show', 'ben']],
    ['show --json', ['instructor', 'show', 'ben', '--json']],
    ['export', ['instructor', 'export']],
    ['export --json', ['instructor', 'export', '--json']],
    ['leaderboard', ['instructor', 'leaderboard']],
    ['watch', ['instructor', 'watch']],
  ];
  for (const [name, args] of commands) {
    it(`${name} works and is quick`, async () => {
      const tty = process.stdout.isTTY;
      Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
      const t0 = performance.now();
      let r: Awaited<ReturnType<typeof runCli>>;
      try {
        r = await runCli([...args, '--dir', dir]);
      } finally {
        Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true });
      }
      timings[name] = Math.round(performance.now() - t0) / 1000;
      // Let the worker answer vitest's messages: these commands hold the event loop for seconds.
      await new Promise((done) => setImmediate(done));
      expect(r.code, r.err.slice(0, 500)).toBe(0);
      expect(timings[name]).toBeLessThan(60);
      // mal's 200,000 lines: 20 named, the rest counted, in every command that prints problems.
      if (['report', 'export', 'leaderboard'].includes(name)) expect(r.err).toMatch(/… and 199980 more problems in .*mal\.61004\./);
      if (name === 'report --json') {
        const j = JSON.parse(r.out) as { students: Array<{ student: string; attempts: number }> };
        expect(j.students.map((s) => [s.student, s.attempts])).toEqual([
          ['ana', 1],
          ['ben', 150_000],
        ]);
      }
      if (name === 'export') expect(r.out.split('\n').filter((l) => l.startsWith('attempt,ben,'))).toHaveLength(150_000);
      if (name === 'watch') expect(r.out).toMatch(/2 students, 150001 answers[\s\S]*\n200000 damaged or refused lines/);
    }, 120_000);
  }
});

describe('record lines of every awkward kind', () => {
  it("are refused or read as data, never crash and never carry another student's login", () => {
    const dir = courseDir();
    const file = fileFor(dir, 'mal', UID.mal);
    const at = (n: number) => {
      // A sealed line of exactly n bytes before its newline, padded in the answer.
      const probe = sealed(JSON.stringify({ ...base, user: 'mal', answer: '' })).length - 1;
      return sealed(JSON.stringify({ ...base, user: 'mal', answer: 'p'.repeat(n - probe) }));
    };
    const inner = (answer: string) => sealed(JSON.stringify({ ...base, user: 'mal', uuid: randomUUID(), answer }));
    const lines: Array<[string | Buffer, RegExp | 'counted']> = [
      [at(MAX_LINE_BYTES - 1), 'counted'], // the longest eds writes, newline included
      [at(MAX_READ_LINE_BYTES), /answer is not a string of at most one line's length/],
      [at(MAX_READ_LINE_BYTES + 1), /line longer than 4256 bytes; skipped unread/],
      [inner('crlf').replace('\n', '\r\n'), /no checksum/],
      [inner('a_b').replace('a_b', 'a\u0000b'), /checksum mismatch/], // a raw NUL inside the JSON
      [inner('nul \u0000 escaped'), 'counted'],
      [inner('lone \ud800 surrogate \udfff'), 'counted'],
      ['\ufeff' + inner('bom'), /checksum mismatch/],
      [
        Buffer.concat([Buffer.from(inner('XY').split('XY')[0]!), Buffer.from([0xc0, 0x9b, 0xff, 0xfe]), Buffer.from(inner('XY').split('XY')[1]!)]),
        /checksum mismatch/,
      ],
      [sealed(JSON.stringify({ ...base, user: 'mal', uuid: randomUUID(), answer: 'dup' }).replace('"user":"mal"', '"user":"mal","user":"ana"')), 'counted'],
      [sealed(JSON.stringify({ ...base, user: 'mal' }).replace('{"kind"', '{"__proto__":{"admin":true},"kind"')), /unknown field "__proto__"/],
      [
        sealed(
          JSON.stringify({ ...base, user: 'mal', uuid: randomUUID(), detail: {} }).replace(
            '"detail":{}',
            '"detail":{"__proto__":{"auto":true},"constructor":{"prototype":1}}',
          ),
        ),
        'counted',
      ],
      [sealed(JSON.stringify({ ...base, user: 'mal', uuid: randomUUID(), lesson: 'constructor', question: 'toString' })), 'counted'],
      [sealed(JSON.stringify({ ...base, user: 'mal', uuid: randomUUID(), time: new Date(NOW + 30 * 86_400_000).toISOString() })), /time is implausible/],
    ];
    const bytes = Buffer.concat(lines.map(([l]) => (typeof l === 'string' ? Buffer.from(l) : l)));
    writeFileSync(file, bytes);
    const data = readCourseRecords(dir, { verifyOwners: false, now: NOW });
    lines.forEach(([, want], i) => {
      const problem = data.problems.find((p) => p.startsWith(`${file}:${i + 1}: `));
      if (want === 'counted')
        expect(
          data.attempts.some((a) => a.line === i + 1),
          `line ${i + 1}: ${problem}`,
        ).toBe(true);
      else expect(problem, `line ${i + 1}`).toMatch(want);
    });
    // Whatever a record says, it is counted for the file's student; nothing reached Object.prototype.
    expect(new Set(data.attempts.map((a) => a.user))).toEqual(new Set(['mal']));
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).auto).toBeUndefined();
    const out = recordsCsv(data) + formatStudents(buildReport(data).students) + formatQuestions(buildReport(data).questions);
    expect(out).not.toMatch(FORBIDDEN);
  });
});

describe('what the instructor types', () => {
  it('is quoted without its control codes in usage and other errors', async () => {
    for (const args of [
      ['instructor', EVIL],
      ['instructor', 'report', `--${EVIL}`],
      ['instructor', 'report', '--by', EVIL],
      ['instructor', 'init', join(tmpdir(), 'eds-none'), '--group', EVIL],
      ['instructor', 'show', EVIL, '--dir', join(tmpdir(), EVIL)],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.err.length).toBeGreaterThan(0);
      expect(r.err, args.join(' ')).not.toMatch(FORBIDDEN);
    }
  });
});

describe('a spreadsheet opening the export', () => {
  it('runs no formula, not even after leading spaces', async () => {
    const { csvCell } = await import('../../src/course/class-report.js');
    for (const cell of ['=1+1', ' =1+1', '\u00a0@SUM(A1)', '  +cmd|x', '-2+3', '\t=1', '\n=1'])
      expect(csvCell(cell).replace(/^"/, ''), JSON.stringify(cell)).toMatch(/^'/);
    for (const cell of ['-3.5', '+1', '12', 'plain', 'a=b']) expect(csvCell(cell)).toBe(cell);
  });
});

describe('a whole class as JSON', () => {
  it('is written in pieces that make the same text as one safeJson string', async () => {
    const { safeJson, safeJsonChunks } = await import('../../src/util/safe-json.js');
    const values = [
      {
        attempts: [{ a: `x${EVIL}`, d: { [`k${EVIL}`]: [1, { n: null }] } }, null, undefined, 3],
        steps: [],
        problems: ['p'],
        n: 1,
        o: { p: { q: [] } },
        skip: undefined,
      },
      {},
      [1, [2]],
      'x',
      null,
    ];
    for (const v of values) expect([...safeJsonChunks(v, 2)].join('')).toBe(safeJson(v, 2));
  });
});

describe('leaderboard --verify against a student with many forged entries', () => {
  it("trains at most two of one student's entries that do not reproduce, however many they log", async () => {
    const { buildRanking } = await import('../../src/leaderboard/ranking.js');
    const { verifyLogged, MAX_FAILED_PER_STUDENT } = await import('../../src/experiments/leaderboard-verify.js');
    const mlp = (hidden: number, seed: number) => ({
      model: 'mlp',
      params: 795 * hidden + 10,
      accuracy: 1,
      trainingSeconds: 1,
      backend: 'wasm',
      hiddenUnits: hidden,
      epochs: 1000,
      batchSize: 1,
      learningRate: 0.001,
      seed,
      recordedAt: '2025-10-01T10:00:00.000Z',
    });
    const entry = (user: string, e: object) => ({ user, lesson: 'neural', question: 'leaderboard-digits', answer: JSON.stringify(e) });
    // 50 forged entries, each a configuration of its own (so each would be trained), all better than the honest one.
    const logged = [
      ...Array.from({ length: 50 }, (_, i) => entry('mal', mlp(5 + i, i))),
      entry('ana', { ...mlp(64, 1), accuracy: 0.97, epochs: 5, batchSize: 64 }),
    ];
    expect(buildRanking(logged, { names: true }).ranking.entries.map((e) => e.student)).toEqual(['mal', 'ana']);
    const trained: string[] = [];
    const out = await verifyLogged(
      logged,
      async (e) => {
        trained.push(String(e.hiddenUnits));
        // The forged ones reproduce at 85 %; the honest one as logged.
        return { params: e.params, accuracy: e.hiddenUnits === 64 ? 0.97 : 0.85, trainingSeconds: 30, backend: 'wasm' };
      },
      { top: 5 },
    );
    expect(trained.filter((h) => h !== '64')).toHaveLength(MAX_FAILED_PER_STUDENT);
    expect(out.ranking.entries.map((e) => [e.student, e.verified])).toEqual([['ana', true]]);
    expect(out.problems.join('\n')).toMatch(/mal: 2 leaderboard entries did not reproduce; their other entries were not tried/);
  });

  it('ranks no entry whose configuration eds run train would refuse, nor hidden units on a CNN', async () => {
    const { buildRanking } = await import('../../src/leaderboard/ranking.js');
    const cnn = {
      model: 'cnn',
      params: 5258,
      accuracy: 0.99,
      trainingSeconds: 3,
      backend: 'wasm',
      epochs: 5,
      batchSize: 64,
      learningRate: 0.001,
      seed: 1,
      recordedAt: '2025-10-01T10:00:00.000Z',
    };
    const bad = [
      { hiddenUnits: EVIL },
      { hiddenUnits: 5 },
      { epochs: EVIL },
      { epochs: 1e9 },
      { batchSize: 0 },
      { learningRate: 'x' },
      { seed: -1 },
      { backend: { x: 1 } },
    ];
    const logged = bad.map((over, i) => ({ user: `s${i}`, lesson: 'neural', question: 'leaderboard-digits', answer: JSON.stringify({ ...cnn, ...over }) }));
    const { ranking, problems } = buildRanking([...logged, { user: 'ok', lesson: 'neural', question: 'leaderboard-digits', answer: JSON.stringify(cnn) }], {
      names: true,
    });
    expect(ranking.entries.map((e) => e.student)).toEqual(['ok']);
    expect(problems).toHaveLength(bad.length);
  });
});
