// The `eds instructor review` screen on a fake terminal: every key, each verdict on disk as it is given, long answers wrapped and scrolled, 80×24.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReviewApp } from '../../src/tui/review/ReviewApp.js';
import type { ReviewServices } from '../../src/tui/review/review-services.js';
import { HELP_LINE } from '../../src/tui/review/view.js';
import { wrapText } from '../../src/util/text.js';
import { appendVerdict, attemptKey, buildReviewListing, readVerdicts, REVIEWS_DIR, type AppliedVerdict, type TextQuestion } from '../../src/course/review.js';
import { RECORDS_DIR } from '../../src/course/layout.js';
import type { AttemptRecord } from '../../src/course/record.js';
import { displayWidth } from '../../src/util/text.js';

const KEY = { up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', pageDown: '\u001B[6~', ctrlC: '\u0003' };
const ESC = '\u001b';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
// Ink subscribes to keys in an effect after the first frame.
const ready = () => tick(150);

const QUESTIONS: TextQuestion[] = [
  {
    lesson: 'river',
    question: 'why-log',
    prompt: 'In a few words: why fit this relation in **log–log** space?',
    modelAnswer: 'Because SSC is a power law of turbidity and its errors are multiplicative.',
    grading: 'auto',
  },
  {
    lesson: 'river',
    question: 'why-split',
    prompt: 'Why do shuffled folds give a smaller error?',
    modelAnswer: 'Samples of one flood are near copies: leakage.',
    grading: 'review',
  },
];

let n = 0;
function attempt(user: string, question: string, answer: string, over: Partial<AttemptRecord> = {}): AttemptRecord {
  n++;
  return {
    kind: 'attempt',
    user,
    id: n,
    time: `2025-10-01T10:${String(n).padStart(2, '0')}:00.000Z`,
    lesson: 'river',
    question,
    answer,
    correct: false,
    attempt: 1,
    seconds: 10,
    seed: 1,
    version: '0.1.0',
    uuid: randomUUID(),
    grading: 'auto',
    ...over,
  };
}

/** A course directory, the listing of `attempts`, and services that store verdicts there as the CLI does. */
function setup(attempts: AttemptRecord[], pendingOnly = false, verdicts = new Map<string, AppliedVerdict>()) {
  const dir = mkdtempSync(join(tmpdir(), 'eds-review-tui-'));
  dirs.push(dir);
  mkdirSync(join(dir, RECORDS_DIR));
  chmodSync(join(dir, RECORDS_DIR), 0o3773);
  let clock = Date.parse('2025-10-02T09:00:00Z');
  const services: ReviewServices = {
    groups: buildReviewListing(attempts, QUESTIONS, verdicts),
    login: 'ivy',
    dir,
    pendingOnly,
    problems: 0,
    record: (key, verdict, note) => {
      clock += 1000;
      const line = appendVerdict({ dir, login: 'ivy', now: () => new Date(clock) }, { key, verdict, note });
      return line.verdict === 'clear' ? null : { verdict: line.verdict, note: line.note, by: line.by, time: line.time };
    },
  };
  const file = () => {
    try {
      return readFileSync(join(dir, REVIEWS_DIR, 'ivy.jsonl'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { key: string; verdict: string });
    } catch {
      return [];
    }
  };
  return { dir, services, file };
}

function show(services: ReviewServices, size = { columns: 80, rows: 24 }) {
  const r = render(<ReviewApp services={services} caps={{ colors: 0, unicode: true }} size={size} />);
  const screen = () => r.lastFrame() ?? '';
  const press = async (...keys: string[]) => {
    await tick();
    for (const k of keys) {
      r.stdin.write(k);
      await tick();
    }
  };
  return { ...r, screen, press };
}

/** Every frame fits the terminal: no line wider than it, one row short of its height. */
function expectFits(frame: string, size = { columns: 80, rows: 24 }): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
  for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(size.columns);
}

/** The line of the selected answer (the pointer). */
const selectedLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('› ')) ?? '';

describe('the review screen', () => {
  it('shows the question, the model answer and each answer with both verdicts; a, r, u write at once; n/p, ↑↓, / and q do what the help says', async () => {
    const ana = attempt('ana', 'why-log', 'Errors are multiplicative, so logs even out the spread.');
    const ben = attempt('ben', 'why-log', 'because it looks nicer', { correct: true });
    const cy = attempt('cy', 'why-log', 'power law');
    const split = attempt('ana', 'why-split', 'twins of one flood end up in both sets', {
      grading: 'review',
      correct: true,
      detail: { self_assessment: true, auto: false },
    });
    const { services, file, dir } = setup([ana, ben, cy, split]);
    const t = show(services);
    await ready();
    let s = t.screen();
    expectFits(s);
    expect(s.split('\n')[0]).toMatch(/^ Review · river why-log · question 1\/2 · pending 3\/3 here, 4 in all/);
    expect(s).toContain('Q In a few words: why fit this relation in log–log space?');
    expect(s).toContain('Model answer');
    expect(s).toContain('Because SSC is a power law of turbidity');
    expect(selectedLine(s)).toMatch(/^› ana {2}#1 {2}2025-10-01 10:\d\d {2}auto: wrong {2}· pending/);
    expect(s).toContain('  ben  #1  ');
    expect(s).toContain('auto: right');
    expect(s.split('\n').at(-1)).toBe(HELP_LINE);

    // a: accepted, on disk before the next frame, and the cursor moves on.
    await t.press('a');
    expect(file()).toEqual([expect.objectContaining({ key: attemptKey(ana), verdict: 'accept', by: 'ivy' })]);
    s = t.screen();
    expect(s).toContain('ana #1: accepted (saved)');
    expect(s).toMatch(/ ana {2}#1 .*✓ accepted by ivy/);
    expect(selectedLine(s)).toMatch(/^› ben /);
    // r on ben, then u: back to pending (a clear is written: the log keeps both).
    await t.press('r');
    expect(selectedLine(t.screen())).toMatch(/^› cy /);
    await t.press(KEY.up, 'u');
    expect(file().map((l) => [l.key, l.verdict])).toEqual([
      [attemptKey(ana), 'accept'],
      [attemptKey(ben), 'refuse'],
      [attemptKey(ben), 'clear'],
    ]);
    expect(t.screen()).toContain('ben #1: verdict cleared: pending (saved)');
    expect(readVerdicts(dir, { verifyOwners: false }).verdicts.has(attemptKey(ben))).toBe(false);
    // u with nothing to undo says so and writes nothing.
    await t.press('u');
    expect(t.screen()).toContain('ben #1: no verdict to undo');
    expect(file()).toHaveLength(3);
    // Accept then refuse then u: back to accepted, not to pending.
    await t.press(KEY.up, 'a', KEY.up, 'r', KEY.up);
    expect(selectedLine(t.screen())).toMatch(/^› ana .*✗ refused by ivy/);
    await t.press('u');
    expect(selectedLine(t.screen())).toMatch(/^› ana .*✓ accepted by ivy/);
    expect(readVerdicts(dir, { verifyOwners: false }).verdicts.get(attemptKey(ana))?.verdict).toBe('accept');

    // n: the next question, a review-mode one: the student's own verdict and what match: said.
    await t.press('n');
    s = t.screen();
    expect(s.split('\n')[0]).toMatch(/question 2\/2/);
    expect(s).toContain('Q Why do shuffled folds give a smaller error?');
    expect(selectedLine(s)).toMatch(/self: covers it \(match: no\)/);
    await t.press('n');
    expect(t.screen().split('\n')[0]).toMatch(/question 1\/2/);
    await t.press('p', KEY.left);
    expect(t.screen().split('\n')[0]).toMatch(/question 1\/2/);

    // /: only what is pending now (ben, cy); judged ones stay listed until / again.
    await t.press('/');
    s = t.screen();
    expect(s).toContain('only the answers pending now');
    expect(s).not.toContain('  ana  #1');
    expect(selectedLine(s)).toMatch(/^› ben /);
    await t.press('a');
    expect(t.screen()).toMatch(/ ben {2}#1 .*✓ accepted by ivy/);
    await t.press('/');
    expect(t.screen()).toContain('  ana  #1');

    // ? lists every key; ? again goes back.
    await t.press('?');
    s = t.screen();
    for (const label of ['↓ / j', '↑ / k', 'a ', 'r ', 'u ', 'n / →', 'p / ←', '/ ', 'q / Ctrl-C']) expect(s).toContain(label);
    await t.press('?');
    expect(t.screen()).toContain('Model answer');
    expectFits(t.screen());

    await t.press('q');
    await tick(50);
    expect(t.frames.length).toBeGreaterThan(0);
    t.unmount();
  });

  it('wraps a long answer whole and scrolls through it with ↓ before moving on; keys typed in one burst each count', async () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const long = attempt('ana', 'why-log', `${words} ${'x'.repeat(200)} THE-END`);
    const next = attempt('ben', 'why-log', 'short one');
    const last = attempt('cy', 'why-log', 'another');
    const { services, file } = setup([long, next, last]);
    const t = show(services);
    await ready();
    expectFits(t.screen());
    expect(t.screen()).toContain('more below');
    expect(t.screen()).not.toContain('THE-END');
    let steps = 0;
    while (!t.screen().includes('THE-END') && steps < 200) {
      await t.press(KEY.down);
      steps++;
      expectFits(t.screen());
    }
    expect(t.screen()).toContain('THE-END');
    expect(steps).toBeGreaterThan(5);
    // Still on the long answer: its verdict goes to it.
    await t.press('r');
    expect(file().map((l) => l.key)).toEqual([attemptKey(long)]);
    // Two keys read as one chunk (a slow link): both verdicts are given, one per answer.
    await t.press('aa');
    expect(file().map((l) => [l.key, l.verdict])).toEqual([
      [attemptKey(long), 'refuse'],
      [attemptKey(next), 'accept'],
      [attemptKey(last), 'accept'],
    ]);
    t.unmount();

    // The wrap keeps every character and breaks a word too long for the line.
    const wrapped = wrapText(`${words}\n${'y'.repeat(170)}`, 74);
    expect(wrapped.every((l) => displayWidth(l) <= 74)).toBe(true);
    expect(wrapped.join(' ').replace(/\s+/g, ' ')).toContain('word0 word1');
    expect(wrapped.join('')).toContain('y'.repeat(74));
    expect(wrapped.join('').split('y').length - 1).toBe(170);
  });

  it('says why a verdict could not be saved and keeps the answer pending; shows no escape sequence from an answer', async () => {
    const evil = attempt('ana', 'why-log', `fine${ESC}[2J${ESC}]0;pwned\u0007 answer`);
    const { services, dir } = setup([evil]);
    const t = show(services);
    await ready();
    expect(t.screen()).not.toContain(ESC);
    expect(t.screen()).toContain('fine[2J]0;pwned answer');
    // Students could read a reviews/ folder with this mode: the verdict is refused, not written there.
    mkdirSync(join(dir, REVIEWS_DIR), { mode: 0o775 });
    chmodSync(join(dir, REVIEWS_DIR), 0o775);
    await t.press('a');
    expect(t.screen()).toMatch(/not saved: refusing .*reviews: students could/);
    expect(selectedLine(t.screen())).toContain('· pending');
    t.unmount();
  });

  it('starts with only the pending answers under --pending; says so when nothing is pending; refuses a terminal too small, and comes back', async () => {
    const ana = attempt('ana', 'why-log', 'judged already');
    const ben = attempt('ben', 'why-log', 'waiting');
    const verdicts = new Map<string, AppliedVerdict>([[attemptKey(ana), { verdict: 'accept', note: 'good', by: 'hal', time: '2025-10-02T08:00:00.000Z' }]]);
    const { services } = setup([ana, ben], true, verdicts);
    const t = show(services);
    await ready();
    expect(t.screen()).not.toContain('judged already');
    expect(selectedLine(t.screen())).toMatch(/^› ben /);
    await t.press('/');
    expect(t.screen()).toMatch(/ ana .*✓ accepted by hal/);
    expect(t.screen()).toContain('note: good');
    t.unmount();

    const none = setup([ana], true, verdicts);
    const u = show(none.services);
    await ready();
    expect(u.screen()).toContain('Nothing pending: every answer has a verdict. / lists them all again.');
    u.unmount();

    const small = show(setup([ben]).services, { columns: 30, rows: 10 });
    expect(small.screen()).toBe('need 40x12; q quits');
    small.unmount();
  });
});
