// Benchmark for `npm run bench`: reporting a large class from a course directory, as `eds instructor report` does
// (200 students × 2,000 records against 1 s; a class of 1 GiB against 200 MB of memory, with --big-class).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../util/rng.js';
import { VERSION } from '../version.js';
import { RECORDS_DIR } from '../course/layout.js';
import { formatRecord, type CourseRecord } from '../course/record.js';
import { buildReport, readCourseRecords } from '../course/class-report.js';
import { recordFileName } from '../course/sink.js';
import { median } from '../util/stats.js';
import type { BenchRow } from './row.js';
import type { BenchOptions } from './workload.js';

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

/** What one report in a process of its own took (report-child.ts). */
interface ChildReport {
  seconds: number;
  max_rss_mb: number;
  students: number;
  files: number;
  problems: number;
}

/** Runs report-child.js over `dir` in a process of its own: its time and its peak memory are the report's. */
function reportInChild(dir: string): ChildReport {
  const script = join(import.meta.dirname, 'report-child.js');
  const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`report-child failed: ${(r.stderr ?? '').trim().split('\n').pop() ?? ''}`);
  const out = JSON.parse(r.stdout) as ChildReport;
  if (out.problems > 0) throw new Error(`the synthetic class read with ${out.problems} problems`);
  return out;
}

/** Students and records of the big class: about 1 GiB of records. */
const BIG_CLASS = { students: 1000, records: 3800 };

/** The instructor report's rows: 200 × 2,000 in time, and (with --big-class) a 1 GiB class in memory. */
export async function classReportRows(options: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'eds-course-bench-'));
  try {
    const bytes = writeSyntheticClass(dir, 200, 2000, 1);
    const mib = bytes / 2 ** 20;
    options.progress(`instructor report: 200 × 2,000 records (${mib.toFixed(0)} MiB), 3 runs`);
    const runs = [reportInChild(dir), reportInChild(dir), reportInChild(dir)];
    const seconds = median(runs.map((r) => r.seconds));
    rows.push({
      workload: `instructor report, 200 students × 2,000 records (${mib.toFixed(0)} MiB)`,
      eds: seconds,
      reference: null,
      referenceName: 'none: the goal is a time',
      unit: 's',
      ratio: null,
      goal: '≤ 1 s',
      met: seconds <= 1,
      how: `reportCourse (what eds instructor report runs, owners not checked) in a process of its own, median of 3; peak ${Math.max(...runs.map((r) => r.max_rss_mb)).toFixed(0)} MB`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!options.flags.has('--big-class')) {
    options.progress(
      'instructor report of a 1 GiB class: not run (npm run bench -- --big-class writes 1 GiB to the temporary folder and reads it, a few minutes)',
    );
    return rows;
  }
  const big = mkdtempSync(join(tmpdir(), 'eds-course-bench-big-'));
  try {
    options.progress(`instructor report: writing a class of ${BIG_CLASS.students} × ${BIG_CLASS.records.toLocaleString('en-US')} records`);
    const bytes = writeSyntheticClass(big, BIG_CLASS.students, BIG_CLASS.records, 2);
    const gib = bytes / 2 ** 30;
    options.progress(`instructor report: reading ${gib.toFixed(2)} GiB`);
    const r = reportInChild(big);
    rows.push({
      workload: `instructor report, peak memory, ${BIG_CLASS.students.toLocaleString('en-US')} students × ${BIG_CLASS.records.toLocaleString('en-US')} records (${gib.toFixed(2)} GiB)`,
      eds: r.max_rss_mb,
      reference: null,
      referenceName: 'none: the goal is a size',
      unit: 'MB',
      ratio: null,
      goal: '≤ 200 MB',
      met: r.max_rss_mb <= 200,
      how: `peak resident memory of reportCourse in a process of its own (${r.seconds.toFixed(1)} s, ${r.files} files)`,
    });
  } finally {
    rmSync(big, { recursive: true, force: true });
  }
  return rows;
}
