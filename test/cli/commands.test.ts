// The foundation's commands as a user runs them: exit codes, one-line errors, JSON contracts, plain output without a TTY.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore } from '../../src/store/index.js';

const REPO = resolve(import.meta.dirname, '../..');

function eds(args: string[], env: Record<string, string> = {}, input?: string) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/eds.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, EDS_USER: 'carol', NO_COLOR: '1', ...env },
    input: input ?? '',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const home = () => mkdtempSync(join(tmpdir(), 'eds-cli-'));

describe('usage errors', () => {
  it('an unknown command is one line on stderr and exit code 2', () => {
    const r = eds(['frobnicate'], { EDS_HOME: home() });
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toMatch(/^eds: Unknown argument: frobnicate$/);
    expect(r.err).not.toMatch(/at .*\.js:\d+/);
  });
  it('an unknown option is exit code 2 too', () => {
    expect(eds(['progress', '--bogus'], { EDS_HOME: home() }).code).toBe(2);
  });
  it('--help and --version work on subcommands', () => {
    expect(eds(['lessons', '--help']).out).toContain('lessons check');
    expect(eds(['--version']).out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it('prints a bash completion script', () => {
    expect(eds(['completion']).out).toContain('complete');
  });
});

describe('eds lessons', () => {
  it('--json lists each lesson with counts and progress', () => {
    const r = eds(['lessons', '--json'], { EDS_HOME: home() });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Array<{ id: string; session: number; steps: number; questions: number; progress: { state: string } }>;
    const intro = rows.find((l) => l.id === 'intro')!;
    expect(intro.session).toBe(0);
    expect(intro.steps).toBeGreaterThan(5);
    expect(intro.questions).toBeGreaterThanOrEqual(5);
    expect(intro.progress.state).toBe('new');
  });

  it('check reports a broken lesson as file:line: message and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eds-lessons-'));
    writeFileSync(
      join(dir, '01-broken.md'),
      [
        '---',
        'id: broken',
        'session: 1',
        'title: Broken',
        'summary: s',
        '---',
        '',
        ':::question q1',
        'type: single',
        '',
        'Which?',
        '',
        '- [ ] a',
        '- [ ] b',
        ':::',
        '',
        ':::questoin q2',
        ':::',
        '',
      ].join('\n'),
    );
    const r = eds(['lessons', 'check', dir]);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines.some((l) => /01-broken\.md:8: .*right answer/i.test(l))).toBe(true);
    expect(lines.some((l) => /01-broken\.md:17: /.test(l))).toBe(true);
  });

  it('lists lessons and their problems inert, whatever a lesson file holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eds-lessons-esc-'));
    const esc = '\u001b]0;pwned\u0007\u001b[2J';
    writeFileSync(
      join(dir, '01-ok.md'),
      ['---', 'id: ok', 'session: 1', `title: Fine ${esc}title`, 'summary: s', '---', '', ':::page One', 'Text.', ':::', ''].join('\n'),
    );
    writeFileSync(
      join(dir, `02-bad${esc}.md`),
      ['---', 'id: bad', 'session: 1', 'title: Bad', 'summary: s', '---', '', `:::questoin ${esc}`, ':::', ''].join('\n'),
    );
    const r = eds(['lessons'], { EDS_HOME: home(), EDS_LESSONS_DIR: dir });
    expect(r.out).toMatch(/Fine .*title/);
    expect(r.err).toMatch(/02-bad.*\.md/);
    expect(r.out + r.err).not.toMatch(/[\u001b\u0007\u009b]/);
  });

  it('check passes on the packaged lessons', () => {
    const r = eds(['lessons', 'check']);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('eds start without a terminal', () => {
  it('prints the lesson as plain text and exits instead of hanging', () => {
    const r = eds(['start', 'intro'], { EDS_HOME: home() });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Welcome to eds');
    expect(r.out).toContain('What slope did your last fit find?');
    // Right answers are not given away.
    expect(r.out).not.toContain('[x]');
  });
  it('an unknown lesson is one clear line', () => {
    const r = eds(['start', 'nope'], { EDS_HOME: home() });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^eds: no lesson "nope"/);
  });
});

describe('eds progress and eds reset', () => {
  it('shows answers from the store, and reset keeps them in the log', () => {
    const h = home();
    const store = openStore({ home: h, user: 'carol' });
    store.saveStep('intro', 'page-1', 1, {});
    store.completeStep('intro', 'page-1');
    store.recordAttempt({
      lesson: 'intro',
      question: 'first-session',
      answer: 'Can a cheap river sensor replace an expensive one?',
      correct: true,
      secondsSpent: 4,
      seed: 1,
    });
    store.close();

    const before = JSON.parse(eds(['progress', '--json'], { EDS_HOME: h }).out);
    const intro = before.lessons.find((l: { id: string }) => l.id === 'intro');
    expect(intro.progress.completed_steps).toBe(1);
    expect(intro.questions_correct).toBe(1);
    expect(before.attempts_total).toBe(1);

    // Without a terminal, reset refuses to act unconfirmed.
    const refused = eds(['reset', 'intro'], { EDS_HOME: h });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('--yes');

    expect(eds(['reset', 'intro', '--yes'], { EDS_HOME: h }).code).toBe(0);
    const after = JSON.parse(eds(['progress', '--json'], { EDS_HOME: h }).out);
    const again = after.lessons.find((l: { id: string }) => l.id === 'intro');
    expect(again.progress.state).toBe('new');
    expect(after.attempts_total).toBe(1);
    expect(again.question_records.find((q: { id: string }) => q.id === 'first-session').attempts).toBe(1);
  });

  it('a damaged database is reported in one line and set aside, not overwritten', () => {
    const h = home();
    mkdirSync(h, { recursive: true });
    writeFileSync(join(h, 'eds.db'), 'this is not a database, it is a student essay');
    const r = eds(['progress', '--json'], { EDS_HOME: h });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/damaged/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    const aside = readdirSync(h).find((f) => f.startsWith('eds.db.damaged-'))!;
    expect(readFileSync(join(h, aside), 'utf8')).toContain('student essay');
  });
});

describe('eds run train options', () => {
  it('a misspelt option is a usage error, not a silent default', () => {
    const r = eds(['run', 'train', '--epoch', '3'], { EDS_HOME: home() });
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('eds: unknown option --epoch for eds run train; did you mean --epochs?');
  });
});
