// `eds instructor watch` in a real terminal: the class redrawn as answers arrive, clipped to the screen,
// nothing written while nothing changes, q quits.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Terminal, REPO, sleep } from './tmux.js';
import { initCourseDir } from '../../src/course/layout.js';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.stop();
});

/** Answers questions as a student would through the tutor's services (test/course/drive.mjs), into `course`. */
function answer(course: string, home: string, answers: unknown[]): void {
  execFileSync('node', [join(REPO, 'test/course/drive.mjs'), REPO, JSON.stringify(answers)], {
    env: { ...process.env, EDS_HOME: home, EDS_COURSE_DIR: course },
    encoding: 'utf8',
  });
}

describe('eds instructor watch in tmux', () => {
  it('redraws when answers arrive, only then, fits the screen, and quits with q', async () => {
    // Group root: CI runs as root, as the students' tutors do here.
    const course = join(mkdtempSync(join(tmpdir(), 'eds-e2e-watch-')), 'course');
    initCourseDir(course, '0');
    // 80x12: a short terminal, so that the class soon does not fit.
    const t = new Terminal({ TERM: 'xterm-256color', LANG: 'C.UTF-8', EDS_COURSE_DIR: course }, { columns: 80, rows: 12 });
    terminals.push(t);
    t.start(`node bin/eds.js instructor watch --interval 0.3; echo "watch exited $?"`);
    await t.waitFor('0 students, 0 answers');

    // One student (the tests' login); their attempts are numbered in their own store, so one store for all of them.
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-watch-home-'));
    answer(course, home, [
      ['river', 'q1', 'b', false, 12],
      ['river', 'q1', 'a', true, 5],
    ]);
    const one = await t.waitFor('1 student, 2 answers');
    expect(one).toMatch(/river\s+q1\s+1\s+0%\s+2/);

    // Idle: the class has not changed, so nothing is sent to the terminal (the time is not redrawn either).
    await sleep(700);
    const idleFrom = t.bytesWritten();
    await sleep(1500);
    expect(t.bytesWritten() - idleFrom).toBe(0);

    // Many questions: the view is clipped to the screen instead of scrolling its top away.
    answer(
      course,
      home,
      Array.from({ length: 8 }, (_, i) => ['volcano', `question-with-a-long-name-${i}`, 'x', true, 3]),
    );
    // The driver sends its 8 answers one by one: wait for the last, not for the first frame that overflows.
    const full = await t.waitFor(/^1 student, 10 answers[\s\S]*more lines: a taller terminal/);
    const lines = full.replace(/\n+$/, '').split('\n');
    expect(lines[0]).toMatch(/^1 student, 10 answers \(changed at /);
    expect(lines[1]).toBe(course);
    expect(lines.length).toBeLessThanOrEqual(12);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);

    t.send('q');
    await t.waitFor('watch exited 0');
  }, 60_000);
});
