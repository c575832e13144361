// `eds instructor review` in a real terminal at 80×24: keys move and judge, each verdict is on disk before the screen says so,
// a verdict survives the program being killed the next moment, and report/export count it over the tutor's grade.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Terminal, REPO, sleep } from './tmux.js';
import { initCourseDir, RECORDS_DIR } from '../../src/course/layout.js';
import { formatRecord, type AttemptRecord } from '../../src/course/record.js';
import { attemptKey, REVIEWS_DIR } from '../../src/course/review.js';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.stop();
});

const eds = (args: string[]) => execFileSync('node', [join(REPO, 'bin/eds.js'), ...args], { encoding: 'utf8', env: { ...process.env, CI: '' } });

describe('eds instructor review in tmux', () => {
  it('judges answers with the keyboard at 80x24; a verdict given just before a kill -9 is kept; report and export count it', async () => {
    const course = join(mkdtempSync(join(tmpdir(), 'eds-e2e-review-')), 'course');
    // Group root: CI runs as root; our records are ours (uid 0).
    initCourseDir(course, '0');
    const base = { kind: 'attempt', user: 'root', lesson: 'river', attempt: 1, seconds: 30, seed: 2, version: '0.1.0', grading: 'auto' } as const;
    const wrong: AttemptRecord = {
      ...base,
      id: 1,
      time: '2025-10-01T10:00:00.000Z',
      question: 'why-log',
      answer: 'The errors are multiplicative: in logs the spread is the same for small and large floods.',
      correct: false,
      uuid: randomUUID(),
    };
    const lucky: AttemptRecord = {
      ...base,
      id: 2,
      time: '2025-10-01T10:02:00.000Z',
      question: 'why-split',
      answer: 'luck, the folds are random',
      correct: true,
      uuid: randomUUID(),
    };
    writeFileSync(join(course, RECORDS_DIR, 'root.0.jsonl'), formatRecord(wrong) + formatRecord(lucky));
    const before = JSON.parse(eds(['instructor', 'report', '--json', '--dir', course])) as { students: Array<{ first_try_right: number }> };
    expect(before.students[0]!.first_try_right).toBe(1);

    const t = new Terminal({ TERM: 'xterm-256color', LANG: 'C.UTF-8' }, { columns: 80, rows: 24 });
    terminals.push(t);
    t.start(`node bin/eds.js instructor review --dir ${course}; echo "review exited $?"`);
    let screen = await t.waitFor('Model answer');
    const lines = screen.replace(/\n+$/, '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/Review · river why-log · question 1\/2/);
    expect(screen).toContain('auto: wrong');
    expect(screen).toContain('↑↓ move  a accept  r refuse  u undo  n/p question  / pending  ? keys  q quit');

    // a: accepted; the screen says saved only once the line is in the file.
    t.send('a');
    await t.waitFor('root #1: accepted (saved)');
    const file = join(course, REVIEWS_DIR, 'root.jsonl');
    expect(
      readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).key),
    ).toEqual([attemptKey(wrong)]);

    // n, r, then kill -9 at once: the refusal is on disk all the same.
    t.send('n');
    screen = await t.waitFor('question 2/2');
    expect(screen).toContain('luck, the folds are random');
    t.send('r');
    await t.waitFor('refused (saved)');
    const shell = execFileSync('tmux', ['-S', t.socket, 'list-panes', '-t', t.session, '-F', '#{pane_pid}'], { encoding: 'utf8' }).trim();
    const node = execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0]!;
    process.kill(Number(node), 'SIGKILL');
    await t.waitFor('review exited 137');
    const verdicts = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string; verdict: string; by: string });
    expect(verdicts.map((v) => [v.key, v.verdict, v.by])).toEqual([
      [attemptKey(wrong), 'accept', 'root'],
      [attemptKey(lucky), 'refuse', 'root'],
    ]);

    // The accepted answer counts as right at the first try, the refused one as wrong.
    const after = JSON.parse(eds(['instructor', 'report', '--json', '--dir', course])) as {
      students: Array<{ first_try_right: number }>;
      questions: Array<{ question: string; first_try_rate: number }>;
    };
    expect(after.students[0]!.first_try_right).toBe(1);
    expect(Object.fromEntries(after.questions.map((q) => [q.question, q.first_try_rate]))).toEqual({ 'why-log': 1, 'why-split': 0 });
    const csv = eds(['instructor', 'export', '--dir', course]).trimEnd().split('\n');
    expect(csv.find((l) => l.includes('why-log'))).toMatch(/,true,1,30,2,.*,accept,root,/);
    expect(csv.find((l) => l.includes('why-split'))).toMatch(/,false,1,30,2,.*,refuse,root,/);

    // Again, with only the pending answers: none is left; q quits cleanly.
    const again = new Terminal({ TERM: 'xterm-256color', LANG: 'C.UTF-8' }, { columns: 80, rows: 24 });
    terminals.push(again);
    again.start(`node bin/eds.js instructor review --pending --dir ${course}; echo "review exited $?"`);
    await again.waitFor('Nothing pending');
    await sleep(200);
    again.send('q');
    await again.waitFor('review exited 0');
  }, 90_000);
});
