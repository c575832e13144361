// Instructors' verdicts on free text: keys, verdict lines, merging, the reviews/ folder on disk, the listing, --apply files, and report/export counting a verdict over the tutor's grade.
import { describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { formatRecord, type AttemptRecord } from '../../src/course/record.js';
import { RECORDS_DIR } from '../../src/course/layout.js';
import {
  appendVerdict,
  applyVerdicts,
  attemptKey,
  buildReviewListing,
  formatVerdictLine,
  mergeVerdicts,
  parseVerdictLine,
  parseVerdictRequests,
  planApply,
  readVerdicts,
  reviewCsv,
  REVIEWS_DIR,
  type AppliedVerdict,
  type TextQuestion,
  type VerdictLine,
} from '../../src/course/review.js';
import { runCli } from '../support/cli.js';
import { tempDirs } from '../support/course.js';

const { temp, courseDir: courseIn } = tempDirs();

/** A course directory as init lays it out (we are root: records/ belongs to group 0). */
const courseDir = () => courseIn('eds-review-');

const ESC = '\u001b';
const base: AttemptRecord = {
  kind: 'attempt',
  user: 'ana',
  id: 1,
  time: '2025-10-01T10:00:00.000Z',
  lesson: 'river',
  question: 'why-log',
  answer: 'the spread grows with the value',
  correct: false,
  attempt: 1,
  seconds: 20,
  seed: 3,
  version: '0.1.0',
  grading: 'auto',
};
const attempt = (over: Partial<AttemptRecord> = {}): AttemptRecord => ({ ...base, uuid: randomUUID(), ...over });

const WHY_LOG: TextQuestion = {
  lesson: 'river',
  question: 'why-log',
  prompt: 'Why fit in **log–log**?',
  modelAnswer: 'A power law; multiplicative errors.',
  grading: 'auto',
};
const SELF: TextQuestion = { lesson: 'synthesis', question: 'reflect', prompt: 'What would you do next?', modelAnswer: 'More real data.', grading: 'review' };

describe('answer keys', () => {
  it("are the student's login and the uuid, or a stable hash of an old record's content", () => {
    const a = attempt();
    expect(attemptKey(a)).toBe(`ana:${a.uuid}`);
    // A classmate's uuid copied into another's record does not get the classmate's key (nor verdict).
    expect(attemptKey({ ...a, user: 'ben' })).toBe(`ben:${a.uuid}`);
    const old = { ...base };
    const key = attemptKey(old);
    expect(key).toMatch(/^ana:h-[0-9a-f]{16}$/);
    expect(attemptKey({ ...base })).toBe(key);
    expect(attemptKey({ ...base, answer: 'another answer' })).not.toBe(key);
    expect(attemptKey({ ...base, id: 2 })).not.toBe(key);
  });
});

describe('verdict lines', () => {
  const line: VerdictLine = { key: 'ana:h-0123456789abcdef', verdict: 'accept', note: 'good', by: 'ivy', time: '2025-10-02T09:00:00.000Z' };

  it('round-trip; a note is one safe line; malformed lines say why', () => {
    expect(parseVerdictLine(formatVerdictLine(line).trimEnd())).toEqual({ verdict: line });
    const evil = parseVerdictLine(formatVerdictLine({ ...line, note: `fine${ESC}[2J\nreally` }).trimEnd());
    expect('verdict' in evil && evil.verdict.note).toBe('fine[2J really');
    expect(parseVerdictLine('{"key":')).toEqual({ problem: 'not JSON (cut short or hand-edited)' });
    expect(parseVerdictLine(JSON.stringify({ ...line, verdict: 'maybe' }))).toEqual({ problem: 'verdict is not accept, refuse or clear' });
    expect(parseVerdictLine(JSON.stringify({ ...line, key: 'no key' }))).toEqual({ problem: 'key is not an answer key' });
    expect(parseVerdictLine(JSON.stringify({ ...line, time: 'yesterday' }))).toEqual({ problem: 'time is not an ISO time' });
  });

  it('merge: the latest verdict per key wins, a later line wins a tie, clear takes it back', () => {
    const at = (verdict: VerdictLine['verdict'], time: string, by = 'ivy', key = line.key): VerdictLine => ({ ...line, key, verdict, time, by, note: null });
    const merged = mergeVerdicts([
      at('refuse', '2025-10-02T10:00:00.000Z', 'ivy'),
      at('accept', '2025-10-02T09:00:00.000Z', 'hal'), // older, read later: loses
      at('accept', '2025-10-02T11:00:00.000Z', 'ivy', 'ben:h-1111111111111111'),
      at('clear', '2025-10-02T12:00:00.000Z', 'hal', 'ben:h-1111111111111111'),
      at('refuse', '2025-10-02T13:00:00.000Z', 'ivy', 'cy:h-2222222222222222'),
      at('accept', '2025-10-02T13:00:00.000Z', 'hal', 'cy:h-2222222222222222'),
    ]);
    expect(merged.get(line.key)).toMatchObject({ verdict: 'refuse', by: 'ivy' });
    expect(merged.has('ben:h-1111111111111111')).toBe(false);
    expect(merged.get('cy:h-2222222222222222')).toMatchObject({ verdict: 'accept', by: 'hal' });
  });
});

describe('the reviews folder', () => {
  it('is made on the first verdict, mode 3770 in the course group; each file 0640 even under umask 077; lines on disk at once', () => {
    const dir = courseDir();
    const old = process.umask(0o077);
    try {
      const a = attempt();
      const written = appendVerdict(
        { dir, login: 'root', now: () => new Date('2025-10-02T09:00:00Z') },
        { key: attemptKey(a), verdict: 'accept', note: 'covers it' },
      );
      appendVerdict({ dir, login: 'root', now: () => new Date('2025-10-02T09:05:00Z') }, { key: attemptKey(a), verdict: 'refuse' });
      const folder = statSync(join(dir, REVIEWS_DIR));
      expect((folder.mode & 0o7777).toString(8)).toBe('3770');
      expect(folder.gid).toBe(statSync(join(dir, RECORDS_DIR)).gid);
      const file = join(dir, REVIEWS_DIR, 'root.jsonl');
      expect((statSync(file).mode & 0o777).toString(8)).toBe('640');
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(JSON.parse(lines[0]!)).toEqual({ key: attemptKey(a), verdict: 'accept', note: 'covers it', by: 'root', time: '2025-10-02T09:00:00.000Z' });
      expect(written.by).toBe('root');
      const read = readVerdicts(dir);
      expect(read.problems).toEqual([]);
      expect(read.verdicts.get(attemptKey(a))).toEqual({ verdict: 'refuse', note: null, by: 'root', time: '2025-10-02T09:05:00.000Z' });
    } finally {
      process.umask(old);
    }
  });

  it('ignores and names a file not named for its owner, and a damaged line; refuses to write where students could read', () => {
    const dir = courseDir();
    const key = attemptKey(attempt());
    appendVerdict({ dir, login: 'root' }, { key, verdict: 'accept' });
    // Owned by root but named for someone else: a forgery of that instructor's verdicts.
    writeFileSync(join(dir, REVIEWS_DIR, 'ivy.jsonl'), formatVerdictLine({ key, verdict: 'refuse', note: null, by: 'ivy', time: '2030-01-01T00:00:00.000Z' }));
    writeFileSync(join(dir, REVIEWS_DIR, 'root.jsonl'), '{"key": "broken"\n', { flag: 'a' });
    const read = readVerdicts(dir);
    expect(read.verdicts.get(key)?.verdict).toBe('accept');
    expect(read.problems).toEqual([
      `${join(dir, REVIEWS_DIR, 'ivy.jsonl')}: written by root (uid 0) under the name ivy; ignored`,
      `${join(dir, REVIEWS_DIR, 'root.jsonl')}:2: not JSON (cut short or hand-edited); ignored`,
    ]);
    // Synthetic data (no owner check) takes every file at its word.
    expect(readVerdicts(dir, { verifyOwners: false }).verdicts.get(key)?.verdict).toBe('refuse');

    chmodSync(join(dir, REVIEWS_DIR), 0o3775);
    expect(() => appendVerdict({ dir, login: 'root' }, { key, verdict: 'refuse' })).toThrow(/students could read the verdicts \(mode 3775\)/);
    rmSync(join(dir, REVIEWS_DIR), { recursive: true });
    const elsewhere = temp('eds-review-elsewhere-');
    symlinkSync(elsewhere, join(dir, REVIEWS_DIR));
    expect(() => appendVerdict({ dir, login: 'root' }, { key, verdict: 'refuse' })).toThrow(/not a plain directory/);
    expect(readVerdicts(dir).problems[0]).toMatch(/not a plain directory .*verdicts ignored$/);
  });
});

describe('the listing', () => {
  it('groups free-text answers by question in lesson order, with the tutor’s verdict, the instructor’s, and safe text', () => {
    const a1 = attempt({ user: 'ben', answer: `power law${ESC}]0;owned\u0007`, correct: true });
    const a2 = attempt({ user: 'ana', attempt: 2, time: '2025-10-01T10:05:00.000Z' });
    const a3 = attempt({ user: 'ana', attempt: 1 });
    const numeric = attempt({ question: 'exponent', answer: '1.4' });
    const self = attempt({ lesson: 'synthesis', question: 'reflect', grading: 'review', correct: true, detail: { self_assessment: true, auto: false } });
    const unknown = attempt({ lesson: 'old', question: 'gone', grading: 'review' });
    const verdicts = new Map<string, AppliedVerdict>([
      [attemptKey(a2), { verdict: 'accept', note: `ok${ESC}[31m`, by: 'ivy', time: '2025-10-02T09:00:00.000Z' }],
    ]);
    const groups = buildReviewListing([a1, a2, a3, numeric, self, unknown], [SELF, WHY_LOG], verdicts);
    expect(groups.map((g) => `${g.lesson}/${g.question}`)).toEqual(['synthesis/reflect', 'river/why-log', 'old/gone']);
    const why = groups[1]!;
    expect(why.prompt).toBe(WHY_LOG.prompt);
    expect(why.modelAnswer).toBe(WHY_LOG.modelAnswer);
    expect(why.answers.map((a) => [a.student, a.attempt, a.correct, a.verdict?.verdict ?? null])).toEqual([
      ['ana', 1, false, null],
      ['ana', 2, false, 'accept'],
      ['ben', 1, true, null],
    ]);
    expect(why.answers[2]!.answer).toBe('power law]0;owned');
    expect(why.answers[1]!.verdict!.note).toBe('ok[31m');
    expect(groups[0]!.answers[0]).toMatchObject({ grading: 'review', correct: true, matched: false });
    expect(groups[2]).toMatchObject({ prompt: null, modelAnswer: null, grading: null });

    expect(buildReviewListing([a1, a2, a3], [WHY_LOG], verdicts, { pending: true })[0]!.answers.map((a) => a.key)).toEqual([attemptKey(a3), attemptKey(a1)]);
    expect(buildReviewListing([a1, self], [SELF, WHY_LOG], verdicts, { lesson: 'synthesis' }).map((g) => g.question)).toEqual(['reflect']);
    expect(buildReviewListing([a1, self], [SELF, WHY_LOG], verdicts, { question: 'nothing' })).toEqual([]);

    // Verdicts over the tutor's grade: the reviewed attempt follows the verdict, and keeps what the tutor said.
    const applied = applyVerdicts([a1, a2], verdicts);
    expect(applied[0]).toBe(a1);
    expect(applied[1]).toMatchObject({ correct: true, review: { verdict: 'accept', by: 'ivy', auto: false } });
  });
});

describe('verdict files for --apply', () => {
  const a = attempt();
  const b = attempt({ user: 'ben' });
  const current = new Map<string, AppliedVerdict | null>([
    [attemptKey(a), null],
    [attemptKey(b), { verdict: 'refuse', note: null, by: 'ivy', time: '2025-10-02T09:00:00.000Z' }],
  ]);

  it('reads back the --csv listing with the verdict column filled in; blank rows are skipped; problems name file:line', () => {
    const csv = reviewCsv(buildReviewListing([a, b], [WHY_LOG], new Map()));
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('key,lesson,question,student,attempt,time,grading,auto_correct,verdict,note,verdict_by,verdict_time,answer');
    // Fill in ana's verdict (column 9) and a note with a comma; leave ben's blank.
    const cells = lines[1]!.split(',');
    cells[8] = 'Accept';
    cells[9] = '"right idea, vague"';
    const filled = [lines[0], cells.join(','), lines[2], 'ana:not-a-listed-key,,,,,,,,refuse', `${attemptKey(b)},,,,,,,,perhaps`].join('\n');
    const parsed = parseVerdictRequests(filled, 'todo.csv');
    expect(parsed.requests).toEqual([
      { key: attemptKey(a), verdict: 'accept', note: 'right idea, vague', line: 2 },
      { key: 'ana:not-a-listed-key', verdict: 'refuse', note: null, line: 4 },
    ]);
    expect(parsed.blank).toBe(1);
    expect(parsed.problems).toEqual(['todo.csv:5: verdict must be accept, refuse or clear, not "perhaps"']);
    const plan = planApply(parsed.requests, current, 'todo.csv');
    expect(plan.writes.map((r) => r.key)).toEqual([attemptKey(a)]);
    expect(plan.unknown).toEqual(['todo.csv:4: no free-text answer has the key ana:not-a-listed-key']);
    expect(parseVerdictRequests('student,answer\nana,x\n', 'x.csv').problems[0]).toMatch(/^x\.csv:1: needs a header with the columns key and verdict/);
  });

  it('reads a JSON array (lines of each element) and JSON lines; the verdict already in force is not written again', () => {
    const json = `[\n  {"key": "${attemptKey(a)}", "verdict": "accept"},\n  {\n    "key": "${attemptKey(b)}",\n    "verdict": "refuse"\n  },\n  {"key": "x:y", "verdict": "clear"}\n]\n`;
    const parsed = parseVerdictRequests(json, 'v.json');
    expect(parsed.requests.map((r) => [r.key, r.verdict, r.line])).toEqual([
      [attemptKey(a), 'accept', 2],
      [attemptKey(b), 'refuse', 3],
      ['x:y', 'clear', 7],
    ]);
    const plan = planApply(parsed.requests, current, 'v.json');
    expect(plan).toEqual({ writes: [parsed.requests[0]], unchanged: 1, unknown: ['v.json:7: no free-text answer has the key x:y'] });
    const lines = parseVerdictRequests(`{"key": "${attemptKey(a)}", "verdict": "refuse", "note": "no"}\n\nnot json\n`, 'v.jsonl');
    expect(lines.requests).toEqual([{ key: attemptKey(a), verdict: 'refuse', note: 'no', line: 1 }]);
    expect(lines.problems).toEqual(['v.jsonl:3: not JSON']);
  });
});

describe('eds instructor review, report and export', () => {
  it('a text answer the tutor refused, accepted in review, counts as right in report --json and export', async () => {
    const dir = courseDir();
    const refused = attempt({ user: 'root', answer: `Errors scale with the value${ESC}[2J, so logs make them even`, correct: false });
    const numeric = attempt({ user: 'root', question: 'exponent', answer: '1.4', correct: true, time: '2025-10-01T10:01:00.000Z' });
    writeFileSync(join(dir, RECORDS_DIR, 'root.0.jsonl'), formatRecord(refused) + formatRecord(numeric));
    const key = attemptKey(refused);

    const before = JSON.parse((await runCli(['instructor', 'report', '--json', '--dir', dir])).out) as {
      questions: Array<{ question: string; first_try_rate: number }>;
    };
    expect(before.questions.find((q) => q.question === 'why-log')!.first_try_rate).toBe(0);

    const listed = await runCli(['instructor', 'review', '--json', '--dir', dir]);
    expect(listed.code).toBe(0);
    const json = JSON.parse(listed.out) as {
      questions: Array<{
        lesson: string;
        question: string;
        prompt: string;
        modelAnswer: string;
        answers: Array<{ key: string; correct: boolean; verdict: unknown }>;
      }>;
      problems: string[];
    };
    expect(json.problems).toEqual([]);
    // Only the text question, with what the lesson says about it.
    expect(json.questions.map((q) => `${q.lesson}/${q.question}`)).toEqual(['river/why-log']);
    expect(json.questions[0]!.prompt).toMatch(/log–log/);
    expect(json.questions[0]!.modelAnswer).toMatch(/power law/);
    expect(json.questions[0]!.answers).toMatchObject([{ key, correct: false, verdict: null }]);

    const text = await runCli(['instructor', 'review', '--dir', dir]);
    expect(text.out).toContain('== river why-log (1 answer');
    expect(text.out).toContain(`auto: wrong  instructor: pending  [${key}]`);

    // The CSV listing, filled in and applied: the file-based way without a terminal.
    const csv = (await runCli(['instructor', 'review', '--csv', '--pending', '--dir', dir])).out;
    const todo = join(temp('eds-review-todo-'), 'todo.csv');
    const [header, row] = csv.trimEnd().split('\n') as [string, string];
    const cells = row.split(',');
    cells[8] = 'accept';
    writeFileSync(todo, `${header}\n${cells.join(',')}\nroot:00000000-0000-4000-8000-000000000000,,,,,,,,refuse\n`);
    const applied = await runCli(['instructor', 'review', '--apply', todo, '--dir', dir]);
    expect(applied.out).toBe('1 verdict applied by root, 1 line refused (above)\n');
    expect(applied.err).toBe(`eds: ${todo}:3: no free-text answer has the key root:00000000-0000-4000-8000-000000000000\n`);
    expect(applied.code).toBe(1);
    const again = await runCli(['instructor', 'review', '--apply', todo, '--dir', dir]);
    expect(again.out).toMatch(/^0 verdicts applied by root, 1 already in force/);

    const after = JSON.parse((await runCli(['instructor', 'report', '--json', '--dir', dir])).out) as {
      students: Array<{ first_try_right: number }>;
      questions: Array<{ question: string; first_try_rate: number }>;
    };
    expect(after.questions.find((q) => q.question === 'why-log')!.first_try_rate).toBe(1);
    expect(after.students[0]!.first_try_right).toBe(2);
    const exported = (await runCli(['instructor', 'export', '--dir', dir])).out.trimEnd().split('\n');
    const cols = exported[0]!.split(',');
    expect(cols.slice(-3)).toEqual(['verdict', 'verdict_by', 'verdict_time']);
    const line = exported.find((l) => l.includes('why-log'))!;
    expect(line).toMatch(/,true,1,20,3,0\.1\.0,.*,accept,root,\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(exported.find((l) => l.includes('exponent'))).toMatch(/,,,$/);
    expect((await runCli(['instructor', 'review', '--pending', '--dir', dir])).out).toBe('No free-text answers waiting for a verdict.\n');

    // No ESC from the student's answer in any listing.
    for (const out of [listed.out, text.out, csv]) expect(out).not.toContain(ESC);
  });

  it('says which lessons and questions exist when --lesson or --question names none, and refuses an unreadable --apply file', async () => {
    const dir = courseDir();
    const lesson = await runCli(['instructor', 'review', '--lesson', 'nope', '--dir', dir]);
    expect(lesson.code).toBe(1);
    expect(lesson.err).toMatch(/^eds: no lesson nope with free-text questions\n {2}try: lessons: .*river/);
    const question = await runCli(['instructor', 'review', '--lesson', 'river', '--question', 'exponent', '--dir', dir]);
    expect(question.err).toMatch(/^eds: no free-text question exponent in river\n {2}try: questions: .*why-log/);
    const missing = await runCli(['instructor', 'review', '--apply', join(dir, 'nothing.csv'), '--dir', dir]);
    expect(missing.err).toBe(`eds: cannot read ${join(dir, 'nothing.csv')}: no such file or directory\n`);
    expect((await runCli(['instructor', 'review', '--json', '--csv', '--dir', dir])).code).toBe(2);
  });
});
