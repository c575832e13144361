// Benchmark for `npm run bench`: reading and reporting a large class (default 200 students × 2,000 records) from a course directory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../util/rng.js';
import { VERSION } from '../version.js';
import { RECORDS_DIR } from '../course/layout.js';
import { formatRecord, type CourseRecord } from '../course/record.js';
import { buildReport, readCourseRecords } from '../course/class-report.js';
import { recordFileName } from '../course/sink.js';

/** What the benchmark measured. */
export interface CourseBenchResult {
  /** Students in the synthetic class. */
  students: number;
  /** Records per student. */
  records_per_student: number;
  /** Total size of the record files, MiB. */
  mebibytes: number;
  /** Reading and checking every line, s. */
  read_seconds: number;
  /** Building both tables from the records, s. */
  report_seconds: number;
}

/** A uuid drawn from the bench's generator (v4's form), as eds gives every attempt. */
function uuidFrom(random: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
}

/**
 * Writes a synthetic class into `dir/records`: `students` files of `recordsPerStudent` records each, as eds writes
 * them (a step finished every tenth record, attempts with a uuid, 60 % right), and returns the bytes written.
 */
export function writeSyntheticClass(dir: string, students: number, recordsPerStudent: number, seed = 1): number {
  mkdirSync(join(dir, RECORDS_DIR), { recursive: true });
  const rng = createRng(seed);
  const random = () => rng.next();
  let bytes = 0;
  for (let s = 0; s < students; s++) {
    const user = `student${String(s).padStart(3, '0')}`;
    const lines: string[] = [];
    const tries = new Map<string, number>();
    for (let i = 0; i < recordsPerStudent; i++) {
      const lesson = `0${Math.floor(random() * 6) + 1}-lesson`;
      const time = new Date(Date.UTC(2025, 9, 1) + s * 1000 + i * 60_000).toISOString();
      let record: CourseRecord;
      if (i % 10 === 9) {
        record = { kind: 'step', user, time, lesson, step: `s${i % 40}`, version: VERSION };
      } else {
        const question = `q${Math.floor(random() * 20)}`;
        const n = (tries.get(lesson + question) ?? 0) + 1;
        tries.set(lesson + question, n);
        const correct = random() < 0.6;
        record = {
          kind: 'attempt',
          user,
          id: i + 1,
          time,
          lesson,
          question,
          answer: correct ? 'b' : `a${Math.floor(random() * 3)}`,
          correct,
          attempt: n,
          seconds: Math.round(random() * 1200) / 10,
          seed: 1234,
          version: VERSION,
          uuid: uuidFrom(random),
          grading: 'auto',
        };
      }
      lines.push(formatRecord(record));
    }
    const text = lines.join('');
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, RECORDS_DIR, recordFileName(user, 1000 + s)), text);
  }
  return bytes;
}

/** Writes a synthetic class to a temporary course directory, reads and reports it, and removes it. */
export function benchCourseReport(students = 200, recordsPerStudent = 2000, seed = 1): CourseBenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'eds-course-bench-'));
  try {
    const bytes = writeSyntheticClass(dir, students, recordsPerStudent, seed);
    const t0 = performance.now();
    const data = readCourseRecords(dir, { verifyOwners: false });
    const t1 = performance.now();
    buildReport(data);
    const t2 = performance.now();
    return {
      students,
      records_per_student: recordsPerStudent,
      mebibytes: Math.round((bytes / 2 ** 20) * 10) / 10,
      read_seconds: Math.round(t1 - t0) / 1000,
      report_seconds: Math.round(t2 - t1) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
