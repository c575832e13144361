// `eds instructor report` reads the class one student at a time (reportCourse) instead of holding every record
// (readCourseRecords, then buildReport). Both must give the very same report on messy classes: several files per
// student, resent copies across files, records without uuid, equal times across students, damaged and unfinished
// lines, instructors' verdicts, old predictions regraded, one lesson or all.
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport, readCourseRecords, reportCourse } from '../../src/course/class-report.js';
import { RECORDS_DIR } from '../../src/course/layout.js';
import { questionIndex, regradeLegacyPredictions } from '../../src/course/legacy.js';
import { formatRecord, type CourseRecord } from '../../src/course/record.js';
import { formatVerdictLine, REVIEWS_DIR } from '../../src/course/review.js';
import { recordFileName } from '../../src/course/sink.js';
import { createRng, type Rng } from '../../src/util/rng.js';
import { tempDirs } from '../support/course.js';

const { courseDir } = tempDirs();
const ROOT = resolve(import.meta.dirname, '../..');
const NOW = Date.UTC(2025, 10, 1);
const LESSONS = ['river', 'volcano', 'lidar'];

/**
 * A class of `students`, written as several stores and resends would leave it; returns the verdict keys of its uuids.
 * `ordered`: most students have one file, oldest first, as eds writes it (the report then reads it as it goes), with
 * resent copies, and copies of a uuid changed after it was sent; a few have a file out of order.
 */
function messyClass(rng: Rng, students: number, ordered = false): { dir: string; uuids: string[] } {
  const dir = courseDir('eds-stream-');
  const uuids: string[] = [];
  const hex = (n: number) => Array.from({ length: n }, () => rng.int(16).toString(16)).join('');
  for (let s = 0; s < students; s++) {
    const user = `s${s}`;
    const records: CourseRecord[] = [];
    for (let i = 0; i < 30 + rng.int(60); i++) {
      // Whole minutes, the same for many students: equal times across files and students.
      const time = new Date(Date.UTC(2025, 9, 1) + rng.int(300) * 60_000).toISOString();
      const lesson = LESSONS[rng.int(LESSONS.length)]!;
      if (rng.int(5) === 0) {
        records.push({ kind: 'step', user, time, lesson, step: `st${rng.int(8)}`, version: '0.1.0' });
        continue;
      }
      const uuid = rng.int(4) === 0 ? undefined : `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
      if (uuid) uuids.push(`${user}:${uuid}`);
      const grading = [undefined, 'auto', 'review', 'predict'][rng.int(4)] as 'auto' | 'review' | 'predict' | undefined;
      records.push({
        kind: 'attempt',
        user,
        id: i + 1,
        time,
        lesson,
        question: rng.int(8) === 0 ? 'p1' : `q${rng.int(6)}`,
        answer: [' Two ', 'two', 'a', 'b', 'x  y'][rng.int(5)]!,
        correct: rng.int(5) === 0 ? null : rng.int(2) === 0,
        attempt: 1 + rng.int(4),
        seconds: rng.int(10) === 0 ? -5 : rng.int(900) / 10,
        seed: 7,
        version: '0.1.0',
        ...(uuid ? { uuid } : {}),
        ...(grading ? { grading } : {}),
      });
    }
    // Students 2k and 2k+1 share a question nobody else has (`pair`): below, one of them may answer it only in a copy
    // that the other copy of its uuid overrides, so the question must then count only the other.
    const pair = `pair${s >> 1}`;
    const firstAttempt = records.find((r) => r.kind === 'attempt' && r.uuid !== undefined) as (CourseRecord & { kind: 'attempt' }) | undefined;
    if (ordered && rng.int(5) !== 0) {
      if (firstAttempt) records.push({ ...firstAttempt, question: pair, uuid: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}` });
      records.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
      // Resent at once (the same line again), or a uuid's answer changed and sent again later: the first copy counts.
      for (let i = records.length - 1; i >= 0; i--) {
        const r = records[i]!;
        const roll = rng.int(6);
        if (roll === 0) records.splice(i + 1, 0, r);
        else if (roll === 1 && r.kind === 'attempt' && r.uuid)
          records.push({ ...r, answer: 'changed', correct: !r.correct, attempt: 1, time: records.at(-1)!.time });
      }
    } else if (ordered && firstAttempt) {
      // Out of order: first a wrong answer to the pair's question, whose uuid comes again further on with an earlier
      // time, answering another question. Sorted, that copy is first and counts: this student never answered the pair's.
      const r = { ...firstAttempt, question: pair, correct: false, answer: `only ${s}` };
      records.splice(records.indexOf(firstAttempt), 1);
      records.unshift(r);
      records.push({ ...r, question: 'q0', answer: 'changed', time: new Date(Date.parse(r.time) - 60_000).toISOString() });
    }
    // Two or three stores per student (one named for another student), each with resent copies of some records.
    const files = ordered ? 1 : 1 + rng.int(3);
    for (let f = 0; f < files; f++) {
      const mine = ordered ? records : records.filter(() => rng.int(files) === 0 || rng.int(5) === 0);
      let text = mine.map(formatRecord).join('');
      if (rng.int(3) === 0) text += 'not a record\n';
      // An unfinished last line: cut short, or whole but for its newline.
      const tail = rng.int(3);
      if (tail === 0 && mine.length) text += formatRecord(mine[0]!).slice(0, 30);
      else if (tail === 1 && mine.length) text += formatRecord(mine[mine.length - 1]!).trimEnd();
      writeFileSync(join(dir, RECORDS_DIR, recordFileName(user, 1000 + s, f === 0 ? undefined : hex(16))), text);
    }
  }
  return { dir, uuids };
}

const outlines = [
  { id: 'river', steps: ['st0', 'st1', 'st2', 'q0', 'q1'], questions: ['q0', 'q1', 'p1'] },
  { id: 'volcano', steps: ['st3', 'q2'], questions: ['q2', 'q3'] },
];
// An old prediction regrades from the lesson's choices (course/legacy.ts).
const lessons = [
  {
    id: 'river',
    steps: [
      {
        kind: 'question',
        id: 'p1',
        type: 'predict',
        options: [
          { text: 'two', correct: true },
          { text: 'a', correct: false },
        ],
      },
    ],
  },
];

describe('the report read one student at a time', () => {
  it('is the report of the whole class read at once, for every lesson and for one', async () => {
    const rng = createRng(3);
    let streamed = 0;
    for (let trial = 0; trial < 10; trial++) {
      const { dir, uuids } = messyClass(rng, 4 + rng.int(10), trial >= 5);
      // Verdicts on some answers, in two instructors' files.
      mkdirSync(join(dir, REVIEWS_DIR), { recursive: true });
      for (const by of ['ida', 'ole']) {
        const lines = uuids
          .filter(() => rng.int(6) === 0)
          .map((key) => formatVerdictLine({ key, verdict: rng.int(2) ? 'accept' : 'refuse', note: null, by, time: '2025-10-02T00:00:00.000Z' }));
        writeFileSync(join(dir, REVIEWS_DIR, `${by}.jsonl`), lines.join(''));
      }
      const questions = questionIndex(lessons as never);
      for (const lesson of [undefined, 'river']) {
        const options = { verifyOwners: false, now: NOW };
        const whole = regradeLegacyPredictions(readCourseRecords(dir, options), questions);
        const expected = buildReport(whole, { lesson, lessons: outlines });
        // On one thread, and shared between three (from the sources under test the shares are read here, one after another, then merged).
        for (const threads of [1, 3]) {
          const report = await reportCourse(dir, { ...options, lesson, lessons: outlines, questions, threads });
          expect(report.report).toEqual(expected);
          expect(report.files).toBe(whole.files);
          streamed += report.streamed;
        }
        // The classes are messy enough to mean something.
        expect(expected.students.length).toBeGreaterThan(3);
        expect(whole.duplicates).toBeGreaterThan(0);
        expect(expected.problems.length).toBeGreaterThan(0);
        expect(whole.attempts.some((a) => a.review !== undefined)).toBe(true);
      }
    }
    // Most ordered students' files were read as they were read, not held: both ways were compared.
    expect(streamed).toBeGreaterThan(100);
  });

  it('is the same report when real threads read the shares (the built report-worker.js)', async () => {
    const built = join(ROOT, 'dist/course/class-report.js');
    const { reportCourse: builtReport } = (await import(pathToFileURL(built).href)) as typeof import('../../src/course/class-report.js');
    const { dir } = messyClass(createRng(5), 12);
    const options = { verifyOwners: false, now: NOW, lessons: outlines };
    const one = await builtReport(dir, { ...options, threads: 1 });
    const three = await builtReport(dir, { ...options, threads: 3 });
    expect(three).toEqual(one);
    expect(one.report).toEqual(buildReport(readCourseRecords(dir, { verifyOwners: false, now: NOW }), { lessons: outlines }));
  });
});
