// `eds lessons check` on text questions: every accept/refuse example is graded by the real grader and each
// mismatch is reported at the example's own line; the format's requirements and unsafe regexes are reported as
// file:line too, and a lesson with any of them is not offered (loadLessons leaves it out).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLessons, formatProblem, loadLessons, parseLesson } from '../../src/lessons/index.js';

const HEAD = '---\nid: t\nsession: 1\ntitle: T\nsummary: S.\n---\n';

function problems(body: string): string[] {
  return parseLesson(HEAD + body, 't.md').problems.map(formatProblem);
}

const ACCEPT = ['a power law', 'it is a power-law', 'SSC is a power law of turbidity', 'because of the power law', 'a power law relation'];
const REFUSE = ['it is linear', 'not a power law', 'the power of the law', 'more data points', 'a higher r2 score'];

/** A text question block; `extra` fields go after `type:`, examples after them. */
function block(extra: string[], accept = ACCEPT, refuse = REFUSE, id = 'why-log'): string {
  return [
    `:::question ${id}`,
    'type: text',
    ...extra,
    ...accept.map((a) => `accept: ${a}`),
    ...refuse.map((r) => `refuse: ${r}`),
    '',
    'Why log–log?',
    ':::',
    '',
  ].join('\n');
}

describe('examples', () => {
  it('a question whose examples all agree with its match lines passes', () => {
    expect(problems(block(['match: power law', 'answer: Because SSC is a power law of turbidity.']))).toEqual([]);
  });

  it('reports each mismatch at the example line, saying which match line accepted a refuse example', () => {
    const text = block(['match: power | law', 'answer: Because SSC is a power law of turbidity.'], [...ACCEPT.slice(0, 4), 'straight in logs'], REFUSE);
    // Lines: 7 `:::question`, 8 type, 9 match, 10 answer, 11–15 accept, 16–20 refuse. "not a power law" (17) is
    // refused: its words are negated.
    expect(problems(text)).toEqual([
      't.md:15: question `why-log` refuses "straight in logs" (accept: example)',
      't.md:18: question `why-log` accepts "the power of the law" (refuse: example); accepted by `match: power | law` (line 9)',
    ]);
  });

  it('an accept example with too little content to be graded is reported as refused, and why', () => {
    const text = block(['match: power law', 'answer: Because SSC is a power law of turbidity.', 'min-words: 3'], ACCEPT, REFUSE);
    expect(problems(text)).toEqual([
      't.md:12: question `why-log` refuses "a power law" (accept: example): not graded, too little content (`min-words: 3`)',
      't.md:13: question `why-log` refuses "it is a power-law" (accept: example): not graded, too little content (`min-words: 3`)',
      't.md:15: question `why-log` refuses "because of the power law" (accept: example): not graded, too little content (`min-words: 3`)',
    ]);
  });

  it('an auto question needs five examples of each kind, a match line and a model answer the match lines accept', () => {
    expect(problems(block(['match: power law'], ACCEPT.slice(0, 2), []))).toEqual([
      't.md:7: text question `why-log` needs an `answer:`: the model answer shown once the answer is graded',
      't.md:7: text question `why-log` has 0 `refuse:` examples: give at least 5 (wrong ideas, negations such as "not because of …", keyword-stuffed nonsense)',
      't.md:10: text question `why-log` has 2 `accept:` examples: give at least 5 right answers, in different words',
    ]);
    expect(problems(block(['answer: A power law.']))).toContain('t.md:7: text question `why-log` needs at least one `match:` line (or `grading: review`)');
    expect(problems(block(['match: power law', 'answer: Logs make the spread constant.']))).toEqual([
      't.md:10: question `why-log` refuses its own model answer (`answer:`): its `match:` lines are too narrow',
    ]);
  });

  it('a review question needs only a model answer; its examples, if any, are checked against its match lines', () => {
    expect(problems(':::question r\ntype: text\ngrading: review\nanswer: Any honest answer.\n\nWhat did you miss?\n:::\n')).toEqual([]);
    expect(problems(':::question r\ntype: text\ngrading: review\n\nWhat did you miss?\n:::\n')).toEqual([
      't.md:7: text question `r` needs an `answer:`: the model answer shown once the answer is graded',
    ]);
    expect(problems(':::question r\ntype: text\ngrading: review\nanswer: A power law.\naccept: a power law\n\nWhy?\n:::\n')).toEqual([
      't.md:11: review question `r` has examples but no `match:` line to check them against',
    ]);
    expect(problems(':::question r\ntype: text\ngrading: review\nmatch: power law\nanswer: A power law.\nrefuse: it is a power law\n\nWhy?\n:::\n')).toEqual([
      't.md:12: question `r` accepts "it is a power law" (refuse: example); accepted by `match: power law` (line 10)',
    ]);
  });
});

describe('the format', () => {
  it('reports malformed fields, unknown and unused synonym lists at their lines', () => {
    const text = block([
      'grading: sometimes',
      'match: (power | law',
      'match: @mult + error*',
      'synonyms: unused = a | b',
      'synonyms: bad name = x',
      'min-words: 0',
      'wrong: r2 -> no arrow feedback is fine',
      'wrong: r2',
      'answer: A power law.',
    ]);
    // (The examples are then refused too, as the question stands: those lines follow, from line 18.)
    expect(problems(text).filter((p) => Number(/^t\.md:(\d+)/.exec(p)![1]) < 17)).toEqual([
      't.md:9: grading must be `auto` or `review`, got `sometimes`',
      't.md:10: malformed match expression: unbalanced parentheses in `(power | law`',
      't.md:11: unknown synonym list `@mult`: define it with `synonyms: mult = term | term`',
      't.md:12: synonym list `@unused` is not used by any `match:` or `wrong:` line',
      't.md:13: `synonyms:` is written `synonyms: name = term | term | …`',
      't.md:14: min-words must be an integer from 1 to 50, got `0`',
      't.md:16: `wrong:` needs an anticipated answer and its feedback: `wrong: random + split -> why this is wrong`',
    ]);
  });

  it('bounds the alternatives a question compares each word with', () => {
    const many = Array.from({ length: 1600 }, (_, i) => `w${i}x`).join(' | ');
    const p = problems(block([`synonyms: many = ${many}`, 'match: power law', 'match: @many + @many', 'answer: Because SSC is a power law of turbidity.']));
    expect(p).toEqual(['t.md:10: question `why-log` compares answers with 3201 alternatives (synonym lists counted where used); keep it under 3000']);
  });

  it('prints what it quotes from the file without its control characters', () => {
    const p = problems(
      block(['match: power law', 'answer: Because SSC is a power law of turbidity.'], [...ACCEPT.slice(0, 4), 'straight\u001b]0;owned\u0007 in logs']),
    );
    expect(p).toEqual(['t.md:15: question `why-log` refuses "straight]0;owned in logs" (accept: example)']);
  });

  it('a question with legacy pattern: lines is held to the same rules, its patterns standing for match: lines', () => {
    expect(problems(':::question q\ntype: text\npattern: /log/\n\nWhy?\n:::\n')).toEqual([
      't.md:7: text question `q` needs an `answer:`: the model answer shown once the answer is graded',
      't.md:7: text question `q` has 0 `accept:` examples: give at least 5 right answers, in different words',
      't.md:7: text question `q` has 0 `refuse:` examples: give at least 5 (wrong ideas, negations such as "not because of …", keyword-stuffed nonsense)',
    ]);
    expect(problems(block(['pattern: /power[- ]?law/', 'answer: Because SSC is a power law of turbidity.']))).toEqual([
      // A regex knows no negation: the reason to prefer match: lines.
      't.md:17: question `why-log` accepts "not a power law" (refuse: example); accepted by `pattern: /power[- ]?law/`',
    ]);
  });
});

describe('unsafe regexes are refused at their line, in text and numeric questions', () => {
  it.each([
    ['pattern: /^(a+)+$/', 'nested quantifiers'],
    ['pattern: /(a|a)*$/', 'alternation inside a repeated group'],
    ['pattern: /(\\w+\\s?)*$/', 'nested quantifiers'],
    ['wrong: /(x+x+)+y/ -> no', 'nested quantifiers'],
    ['pattern: /(a)\\1/', 'backreference'],
  ])('text: %s', (field, why) => {
    const p = problems(`:::question q\ntype: text\n${field}\ngrading: review\nanswer: A model answer.\n\nWhy?\n:::\n`);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(new RegExp(`^t\\.md:9: pattern \`/.*/\` is refused: .*${why}`));
  });
  it('numeric: a regex wrong: line', () => {
    const p = problems(':::question q\ntype: numeric\nanswer: 1\ntolerance: 0\nwrong: /(m|mg)+\\/l/ -> just the number\n\nHow much?\n:::\n');
    expect(p).toEqual([expect.stringMatching(/^t\.md:11: pattern `\/\(m\|mg\)\+\\\/l\/` is refused: an alternation inside a repeated group/)]);
  });

  const dir = mkdtempSync(join(tmpdir(), 'eds-text-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('a lesson with an unsafe pattern or a failing example is not offered; the others are', () => {
    const lesson = (id: string, body: string): string => HEAD.replace('id: t', `id: ${id}`) + body;
    writeFileSync(join(dir, '01-good.md'), lesson('good', block(['match: power law', 'answer: Because SSC is a power law of turbidity.'])));
    writeFileSync(join(dir, '02-unsafe.md'), lesson('unsafe', ':::question q\ntype: text\ngrading: review\nanswer: Any.\npattern: /^(a+)+$/\n\nWhy?\n:::\n'));
    writeFileSync(join(dir, '03-example.md'), lesson('example', block(['match: power | law', 'answer: Because SSC is a power law of turbidity.'])));
    const loaded = loadLessons(dir);
    expect(loaded.lessons.map((l) => l.id)).toEqual(['good']);
    const check = checkLessons(dir);
    expect(check.problems.map((p) => `${p.file.slice(dir.length + 1)}:${p.line}`)).toEqual(['02-unsafe.md:11', '03-example.md:18']);
  });
});
