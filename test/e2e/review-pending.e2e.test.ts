// The synthesis review question played in tmux at 80x24: the answer is "Saved for review" whatever the student's
// y/n, and the store, eds progress --json, the course records, eds instructor report and show all say it awaits
// the instructor's review (not wrong, not right), the self-assessment kept in the record.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Terminal, REPO, sleep } from './tmux.js';
import { initCourseDir, RECORDS_DIR } from '../../src/course/layout.js';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.stop();
});

const ANSWER = 'why-split: I thought shuffled folds were luckier; now I see twins of one flood leak';

describe('a review-mode answer in tmux', () => {
  it('is pending review everywhere after "n" beside the model answer', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-pending-'));
    const course = join(mkdtempSync(join(tmpdir(), 'eds-e2e-pending-course-')), 'course');
    initCourseDir(course, '0');
    const env = { EDS_HOME: home, EDS_COURSE_DIR: course, EDS_JOURNAL: 'wal', TERM: 'xterm-256color', LANG: 'C.UTF-8' };
    const t = new Terminal(env);
    terminals.push(t);
    t.start('node bin/eds.js start synthesis');
    await t.waitFor('step 1/');
    t.send('n');
    await t.waitFor('Your results so far');
    t.send('Enter');
    await t.waitFor(/step 2\/\d+[\s\S]*(n next|n\/→ next)/);
    await sleep(500);
    t.send('n');
    await t.waitFor('Name one question you missed');
    await sleep(300);
    t.send(ANSWER, true);
    t.send('Enter');
    const asked = await t.waitFor('Does your answer cover this? (y/n)');
    // The model answer says what any answer should cover before its example.
    expect(asked.replace(/\s+/g, ' ')).toContain('Whichever question you chose, a good answer does three things');
    // Keys right after a submitted answer are not read (they may be the rest of a paste): a person reads first.
    await sleep(600);
    t.send('n');
    await t.waitFor('✓ Saved for review.');
    t.send('q');
    await sleep(1000);

    const eds = (args: string[]) => execFileSync('node', [join(REPO, 'bin/eds.js'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const progress = JSON.parse(eds(['progress', '--json'])) as {
      lessons: Array<{
        id: string;
        questions_correct: number;
        questions_not_graded: number;
        questions_pending_review: number;
        question_records: Array<{ id: string; correct: boolean | null; review?: string }>;
      }>;
    };
    const synthesis = progress.lessons.find((l) => l.id === 'synthesis')!;
    expect(synthesis).toMatchObject({ questions_correct: 0, questions_not_graded: 0, questions_pending_review: 1 });
    expect(synthesis.question_records.find((q) => q.id === 'review-missed')).toMatchObject({ correct: null, review: 'pending' });
    expect(eds(['progress'])).toMatch(/synthesis .*\(1 awaiting review\)/);

    // The course record keeps what was shown: grading review, the student's own 'n'.
    const files = readdirSync(join(course, RECORDS_DIR)).filter((f) => f.endsWith('.jsonl'));
    expect(files).toHaveLength(1);
    const records = readFileSync(join(course, RECORDS_DIR, files[0]!), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r.question === 'review-missed')).toMatchObject({
      answer: ANSWER,
      correct: false,
      grading: 'review',
      detail: { self_assessment: false },
    });

    const report = JSON.parse(eds(['instructor', 'report', '--json', '--dir', course])) as {
      questions: Array<{ question: string; first_try_rate: number | null; common_wrong: unknown[]; pending_review: number }>;
    };
    expect(report.questions.find((q) => q.question === 'review-missed')).toMatchObject({ first_try_rate: null, common_wrong: [], pending_review: 1 });
    const student = files[0]!.split('.')[0]!;
    expect(eds(['instructor', 'show', student, '--dir', course])).toContain('review-missed #1  pending review (student: misses the model answer)');
  }, 90_000);
});
