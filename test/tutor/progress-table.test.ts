// eds progress prints a table whose columns line up whatever the lesson ids (the shipped ones included).
import { describe, expect, it } from 'vitest';
import { formatProgress, type ProgressReport } from '../../src/tutor/progress.js';
import { loadLessons } from '../../src/lessons/index.js';

type Row = ProgressReport['lessons'][number];

function row(id: string, done: number, steps: number, right: number, questions: number, notGraded = 0): Row {
  return {
    id,
    session: 1,
    title: id,
    steps,
    questions,
    progress: { completed_steps: done, current_step: done, state: done === 0 ? 'new' : done === steps ? 'done' : 'started' },
    questions_correct: right,
    questions_not_graded: notGraded,
    questions_pending_review: 0,
    question_records: [],
    updated: null,
  };
}

/** The column where each header word starts, and where each row's cells end or start. */
function columns(text: string): { header: string; rows: string[] } {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('lesson'));
  return { header: lines[at]!, rows: lines.slice(at + 1, lines.indexOf('', at)) };
}

describe('formatProgress', () => {
  it('sizes the columns to the longest lesson id, so every row lines up under its header', () => {
    const report: ProgressReport = {
      user: 'ada',
      lessons: [row('intro', 11, 11, 4, 4), row('lidar-unsupervised-clustering', 3, 14, 2, 6, 1), row('river', 0, 18, 0, 9)],
      attempts_total: 7,
    };
    const { header, rows } = columns(formatProgress(report));
    expect(rows).toHaveLength(3);
    const stepsEnd = header.indexOf('steps') + 'steps'.length;
    const questionsEnd = header.indexOf('questions') + 'questions'.length;
    const stateAt = header.indexOf('state');
    // The id column is as wide as the longest id, and never runs into the counts.
    expect(header.indexOf('steps')).toBeGreaterThan('lidar-unsupervised-clustering'.length);
    for (const r of rows) {
      const [id] = r.split(' ');
      expect(r.startsWith(id!)).toBe(true);
      // Counts right-aligned under their header; the state starts under "state".
      expect(r[stepsEnd - 1]).toMatch(/\d/);
      expect(r[stepsEnd]).toBe(' ');
      expect(r[questionsEnd - 1]).toMatch(/\d/);
      expect(r[questionsEnd]).toBe(' ');
      expect(r.slice(stateAt)).toMatch(/^(new|started|done)/);
    }
    expect(rows[1]).toContain('3/14');
    expect(rows[1]).toContain('(1 prediction not graded)');
  });

  it('lines up the shipped lessons', () => {
    const { lessons } = loadLessons('lessons');
    const report: ProgressReport = {
      user: 'ada',
      lessons: lessons.map((l) => row(l.id, 1, l.steps.length, 0, l.steps.filter((s) => s.kind === 'question').length)),
      attempts_total: 0,
    };
    const { header, rows } = columns(formatProgress(report));
    expect(rows).toHaveLength(lessons.length);
    const stateAt = header.indexOf('state');
    for (const r of rows) expect(r.slice(stateAt)).toMatch(/^started/);
  });

  it('prints an id from a lesson file inert', () => {
    const report: ProgressReport = { user: 'ada\x1b]0;x\x07', lessons: [row('a\x1b[2Jb', 0, 1, 0, 1)], attempts_total: 0 };
    expect(formatProgress(report)).not.toContain('\x1b');
  });
});
