// Lesson file parsing and checking: every problem comes back as `file:line: message` at the right line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLessons, EXPERIMENT_TASKS, formatProblem, loadLessons, parseLesson, validateLesson } from '../../src/lessons/index.js';
import type { ExperimentStep, Lesson, QuestionStep } from '../../src/lessons/index.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', '01-example.md');
// Six lines of front matter: the first body line is line 7.
const FM = '---\nid: t\nsession: 1\ntitle: T\nsummary: S.\n---\n';

function problems(body: string, fm = FM): string[] {
  return parseLesson(fm + body, 't.md').problems.map(formatProblem);
}

const EXP = ':::experiment fit\ntask: regression\n:::\n'; // lines 7-9

describe('the example lesson', () => {
  it('passes the checker and parses into the model', () => {
    const { lesson, problems: found } = parseLesson(readFileSync(FIXTURE, 'utf8'), FIXTURE);
    expect(found).toEqual([]);
    expect(lesson).not.toBeNull();
    const l = lesson!;
    expect([l.id, l.session, l.title, l.dataset]).toEqual(['example', 1, 'Cheap sensors, expensive samples', 'river']);
    expect(l.steps.map((s) => `${s.kind}:${s.id}`)).toEqual([
      'page:page-1',
      'experiment:fit-line',
      'question:split-kind',
      'question:traps',
      'question:rmse',
      'question:log-slope',
      'question:why-log',
      'question:predict-time',
      'experiment:refit-time',
    ]);
    const fit = l.steps[1] as ExperimentStep;
    expect(fit.defaults).toEqual({ model: 'linear', split: 'random' });
    expect(fit.choices).toEqual({ model: ['linear', 'huber', 'ransac'], split: ['random', 'time'] });
    const split = l.steps[2] as QuestionStep;
    expect(split.prompt).toBe('Why can a **random** split flatter the model here?');
    expect(split.options.map((o) => o.correct)).toEqual([false, true, false]);
    expect(split.options[0]!.feedback).toBe('Not always: only when samples are not independent.');
    expect(split.options[1]!.feedback).toBeUndefined();
    expect(split.explain).toBe(
      'Samples taken minutes apart during one flood are almost copies of each\nother; a random split puts copies on both sides, so the test set is not new data.',
    );
    const rmse = l.steps[4] as QuestionStep;
    expect(rmse.answer).toEqual({ kind: 'result', step: 'fit-line', key: 'rmse_test' });
    expect(rmse.tolerance).toEqual({ kind: 'relative', value: 0.05 });
    expect(rmse.wrong).toEqual([
      { kind: 'result', step: 'fit-line', key: 'rmse_train', feedback: 'That is the error on the training set; read the test column.' },
    ]);
    expect(rmse.hints).toHaveLength(2);
    expect(rmse.run).toEqual({
      step: 'fit-line',
      options: { model: 'linear', split: 'random' },
      label: '"A straight line through the cloud"',
      choices: ['model', 'split'],
    });
    expect(rmse.unit).toBe('mg/L');
    const why = l.steps[6] as QuestionStep;
    expect(why.match!.map((r) => r.source)).toEqual(['power law', '(straight | linear | line) + log*', '@mult + (error* | spread | scatter | residual*)']);
    expect([why.accept!.length, why.refuse!.length, why.accept![0]!.line]).toEqual([5, 5, 90]);
    expect(why.answerText).toMatch(/^Because SSC/);
    expect((l.steps[7] as QuestionStep).experiment).toBe('refit-time');
    expect((l.steps[0] as { body: string }).body).not.toContain('Notes for instructors');
  });

  it('is the example printed in lessons/README.md, verbatim', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'lessons', 'README.md'), 'utf8');
    const m = /````markdown\n([\s\S]*?)````/.exec(readme);
    expect(m?.[1]).toBe(readFileSync(FIXTURE, 'utf8'));
  });

  it('packaged lessons pass the checker', () => {
    const result = checkLessons();
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.lessons.length).toBe(result.files);
  });
});

describe('structure problems', () => {
  it('unknown block kind', () => {
    expect(problems(':::quiz q1\ntext\n:::\n')).toEqual(['t.md:7: unknown block kind `quiz` (expected page, experiment or question)']);
  });
  it('unclosed block, at end of file and before the next block', () => {
    expect(problems('\n:::page P\ntext\n')).toEqual(['t.md:8: block `:::page P` is not closed: end it with a line `:::`']);
    expect(problems(':::page A\nx\n:::page B\ny\n:::\n')).toEqual(['t.md:7: block `:::page A` is not closed: end it with a line `:::`']);
  });
  it('a `:::` inside a fenced code sample does not close the block', () => {
    expect(problems(':::page A\n```\n:::\n```\n:::\n')).toEqual([]);
  });
  it('stray text outside blocks, once per paragraph', () => {
    expect(problems(':::page A\nx\n:::\nhello\nworld\n\n::question q\n')).toEqual([
      't.md:10: text outside a block: `hello` (blocks open with `:::page`, `:::experiment` or `:::question` and close with `:::`)',
      't.md:13: text outside a block: `::question q` (blocks open with `:::page`, `:::experiment` or `:::question` and close with `:::`)',
    ]);
  });
  it('comments are allowed outside blocks, but must be closed', () => {
    expect(problems('<!-- a\nnote -->\n:::page A\nx\n:::\n')).toEqual([]);
    expect(problems('<!-- never closed\n:::page A\nx\n:::\n')).toEqual(['t.md:7: comment `<!--` is not closed with `-->`']);
  });
  it('a closer with no block', () => {
    expect(problems(':::\n')).toEqual(['t.md:7: `:::` closes no open block']);
  });
  it('a page needs a title; ids must be words', () => {
    expect(problems(':::page\nx\n:::\n')).toEqual(['t.md:7: a page needs a title: `:::page Title of the page`']);
    expect(problems(`:::question q.1\ntype: text\npattern: /a/\n${COMPLETE}\n\nWhy?\n:::\n`)).toEqual([
      't.md:7: question id `q.1` must be one word of letters, digits, `-` and `_` (no spaces or dots)',
    ]);
  });
});

/** Fields that complete a text question with `pattern: /a/` (a model answer, five examples of each kind). */
const COMPLETE = [
  'answer: a clear model',
  ...['an apple tree', 'a banana split', 'a fact sheet', 'a gap year', 'a map legend'].map((a) => `accept: ${a}`),
  ...['it is not right', 'nothing to be done', 'bold line', 'idk', 'just guessing'].map((r) => `refuse: ${r}`),
].join('\n');

describe('front matter', () => {
  it('missing fields are reported at the opening ---', () => {
    expect(problems(':::page A\nx\n:::\n', '---\nid: t\nsession: 1\ntitle: T\n---\n')).toEqual(['t.md:1: missing front-matter field `summary`']);
  });
  it('bad session numbers, unreadable or out of range', () => {
    expect(problems('', '---\nid: t\nsession: 9\ntitle: T\nsummary: S.\n---\n')).toEqual(['t.md:3: session must be an integer from 0 to 7, got `9`']);
    expect(problems('', '---\nid: t\nsession: two\ntitle: T\nsummary: S.\n---\n')).toEqual(['t.md:3: session must be an integer from 0 to 7, got `two`']);
  });
  it('no front matter, unclosed front matter, unknown field', () => {
    expect(problems('', ':::page A\nx\n:::\n')[0]).toBe(
      't.md:1: a lesson starts with front matter: a `---` line, `id:`, `session:`, `title:`, `summary:`, then `---`',
    );
    expect(problems('', '---\nid: t\nsession: 1\n')).toContain('t.md:1: front matter is not closed: end it with a line `---`');
    expect(problems('', '---\nid: t\nsession: 1\ntitle: T\nsummary: S.\nauthor: me\n---\n')).toEqual([
      't.md:6: unknown front-matter field `author` (expected id, session, title, summary, dataset)',
    ]);
  });
});

describe('step problems', () => {
  it('duplicate step id', () => {
    expect(problems(':::page A\nid: intro\nx\n:::\n:::page B\nid: intro\ny\n:::\n')).toEqual(['t.md:11: duplicate step id `intro` (first used on line 7)']);
  });
  it('choice question without a right answer, single with two', () => {
    expect(problems(':::question q\ntype: single\n\nWhich?\n- [ ] a\n- [ ] b\n:::\n')).toEqual([
      't.md:7: choice question `q` has no right answer: mark one with `- [x]`',
    ]);
    expect(problems(':::question q\ntype: single\n\nWhich?\n- [x] a\n- [x] b\n:::\n')).toEqual([
      't.md:7: single-choice question `q` has 2 right answers: mark one, or use `type: multiple`',
    ]);
  });
  it('malformed choice line', () => {
    expect(problems(':::question q\ntype: single\n\nWhich?\n- [x] a\n- [] b\n:::\n')).toEqual([
      't.md:7: single-choice question `q` needs at least two choices (`- [x] …` / `- [ ] …`)',
      't.md:12: malformed choice `- [] b`: write `- [x] right answer` or `- [ ] wrong answer -> feedback`',
    ]);
  });
  it('numeric question without tolerance; answer not a number', () => {
    expect(problems(':::question q\ntype: numeric\nanswer: 0.4\n\nHow much?\n:::\n')).toEqual([
      't.md:7: numeric question `q` needs a `tolerance:` (absolute like `0.01`, or relative like `5%`)',
    ]);
    expect(problems(':::question q\ntype: numeric\nanswer: about 4\ntolerance: 0.1\n\nHow much?\n:::\n')).toEqual([
      't.md:7: numeric question `q` needs an `answer:` (a number, or `=experiment-id.result_key`)',
      't.md:9: numeric answer `about 4` is not a number',
    ]);
    // A lesson is read by one program but written for many readers: `1,500` could be either.
    expect(problems(':::question q\ntype: numeric\nanswer: 1,500\ntolerance: 0,010\n\nHow much?\n:::\n')).toEqual([
      't.md:7: numeric question `q` needs an `answer:` (a number, or `=experiment-id.result_key`)',
      't.md:7: numeric question `q` needs a `tolerance:` (absolute like `0.01`, or relative like `5%`)',
      't.md:9: numeric answer `1,500` is ambiguous: write `1500` or `1.5`',
      't.md:10: tolerance `0,010` is ambiguous: write `10` or `0.01`',
    ]);
  });
  it('answer referencing an unknown experiment, or one after the question', () => {
    const q = ':::question q\ntype: numeric\nanswer: =fit.rmse_test\ntolerance: 5%\n\nHow much?\n:::\n';
    expect(problems(q)).toEqual(['t.md:9: `=fit.rmse_test` refers to experiment `fit`, which is not in this lesson']);
    expect(problems(q + EXP)).toEqual([
      't.md:9: `=fit.rmse_test` refers to experiment `fit` (line 14), which comes after this question: the student must run it first',
    ]);
    expect(problems(EXP + q)).toEqual([]);
    expect(problems(':::question q\ntype: numeric\nanswer: =fit\ntolerance: 5%\n\nHow much?\n:::\n' + EXP)).toEqual([
      't.md:7: numeric question `q` needs an `answer:` (a number, or `=experiment-id.result_key`)',
      't.md:9: answer reference `=fit` must look like `=experiment-id.result_key`',
    ]);
  });
  it('predict question whose experiment is unknown (its own experiment may follow it)', () => {
    const q = (exp: string): string => `:::question p\ntype: predict\nexperiment: ${exp}\nanswer: =fit.rmse_test\ntolerance: 10%\n\nGuess.\n:::\n`;
    expect(problems(q('fit') + EXP)).toEqual([]);
    expect(problems(q('refit') + EXP)).toEqual([
      't.md:9: predict question `p` runs experiment `refit`, which is not in this lesson',
      't.md:10: `=fit.rmse_test` refers to experiment `fit` (line 15), which comes after this question: the student must run it first',
    ]);
  });
  it('invalid regex, forbidden flags, missing feedback', () => {
    expect(problems(':::question q\ntype: text\npattern: /(unclosed/\ngrading: review\nanswer: x\n\nWhy?\n:::\n')).toEqual([
      't.md:9: invalid regular expression `/(unclosed/`: /(unclosed/: Unterminated group',
    ]);
    expect(problems(':::question q\ntype: text\npattern: /a/g\npattern: /b/\nwrong: /b/\ngrading: review\nanswer: bold bread\n\nWhy?\n:::\n')).toEqual([
      't.md:9: pattern flag `g` is not allowed (use i, m, s or u)',
      't.md:11: `wrong:` needs an anticipated answer and its feedback: `wrong: 0.5 -> why this is wrong`',
    ]);
  });
  it('unknown field for the kind, field not for the type, field in the body', () => {
    expect(problems(`:::question q\ntype: text\npattern: /a/\ntolerence: 5%\n${COMPLETE}\n\nWhy?\n:::\n`)).toEqual([
      't.md:10: unknown field `tolerence` for a question (expected type, answer, tolerance, pattern, wrong, hint, explain, attempts, experiment, run, unit, grading, match, synonyms, accept, refuse, min-words)',
    ]);
    expect(problems(`:::question q\ntype: text\npattern: /a/\ntolerance: 5%\n${COMPLETE}\n\nWhy?\n:::\n`)).toEqual([
      't.md:10: field `tolerance` does not apply to a text question',
    ]);
    expect(problems(`:::question q\ntype: text\npattern: /a/\n${COMPLETE}\n\nWhy?\nhint: look\n:::\n`)).toEqual([
      't.md:23: field `hint:` inside the text: fields go at the top of the block, before the text',
    ]);
    expect(problems(':::experiment e\ntask: regression\nmodel: linear\n:::\n')).toEqual([
      't.md:9: unknown field `model` for an experiment (expected title, task, defaults, choose)',
    ]);
  });
  it('question with an empty prompt', () => {
    expect(problems(':::question q\ntype: single\n- [x] a\n- [ ] b\n:::\n')).toEqual(['t.md:7: question `q` has an empty prompt']);
  });
  it('attempts not a positive integer', () => {
    const q = (n: string): string => `:::question q\ntype: text\npattern: /a/\nattempts: ${n}\n${COMPLETE}\n\nWhy?\n:::\n`;
    expect(problems(q('0'))).toEqual(['t.md:10: attempts must be a positive integer, got `0`']);
    expect(problems(q('two'))).toEqual(['t.md:10: attempts must be a positive integer, got `two`']);
    expect(problems(q('2'))).toEqual([]);
  });
  it('missing or unknown question type', () => {
    expect(problems(':::question q\n\nWhich?\n- [x] a\n- [ ] b\n:::\n')).toEqual([
      't.md:7: question `q` needs a `type:` (single, multiple, numeric, text, predict)',
    ]);
    expect(problems(':::question q\ntype: essay\n\nWhich?\n- [x] a\n- [ ] b\n:::\n')).toEqual([
      't.md:8: unknown question type `essay` (expected single, multiple, numeric, text, predict)',
    ]);
  });
  it('experiments: unknown task, default not among the choices, malformed defaults', () => {
    expect(problems(':::experiment e\ntask: regresion\n:::\n')).toEqual([`t.md:8: unknown task \`regresion\` (expected ${EXPERIMENT_TASKS.join(', ')})`]);
    expect(problems(':::experiment e\ntask: regression\ndefaults: model=lasso\nchoose: model=linear|huber\n:::\n')).toEqual([
      't.md:9: default `model=lasso` is not one of the choices (linear, huber)',
    ]);
    expect(problems(':::experiment e\ntask: regression\ndefaults: model linear\n:::\n')).toEqual([
      't.md:9: `defaults:` holds `option=value` pairs separated by spaces, got `model`',
      't.md:9: `defaults:` holds `option=value` pairs separated by spaces, got `linear`',
    ]);
  });
  it('experiments: options the task does not have, or values outside its ranges and choices', () => {
    // A misspelt option once ran the default (k = 5) without a word; `eds lessons check` names the right spelling.
    const misspelt = problems(':::experiment e\ntask: classify\ndefaults: model=knn neighbours=50\n:::\n');
    expect(misspelt).toHaveLength(1);
    expect(misspelt[0]).toMatch(
      /^t\.md:9: experiment `e`: classify: unknown option "neighbours": did you mean neighbors\? \(known: dataset, data, .*, test-size, .*, neighbors, .*\)$/,
    );
    expect(problems(':::experiment e\ntask: volcano-split\ndefaults: events=10\n:::\n')).toEqual([
      't.md:9: experiment `e`: volcano-split: option events: expected an integer from 30 to 5000, got "10"',
    ]);
    // Each value the student may choose is checked too, on the line of its `choose:`.
    expect(problems(':::experiment e\ntask: river\ndefaults: stage=fit\nchoose: model=linear|rf\n:::\n')).toEqual([
      't.md:10: experiment `e`: choice `model=rf`: river: option model: expected one of linear, huber, ransac for stage fit, got "rf"',
    ]);
    expect(problems(':::experiment e\ntask: lidar-cluster\nchoose: k=2|3|50\n:::\n')).toEqual([
      't.md:9: experiment `e`: choice `k=50`: lidar-cluster: option k: expected an integer from 1 to 20, got "50"',
    ]);
    expect(problems(':::experiment e\ntask: classify\ndefaults: dataset=iris model=knn neighbors=7 standardize=yes test-size=0.3\n:::\n')).toEqual([]);
  });
  it('collects every problem, and gives no lesson when there is one', () => {
    const r = parseLesson(FM + ':::quiz a\n:::\nstray\n:::page\nx\n:::\n', 't.md');
    expect(r.lesson).toBeNull();
    expect(r.problems.map((p) => p.line)).toEqual([7, 9, 10]);
  });
});

describe('validateLesson on a lesson built in code', () => {
  it('checks without line information', () => {
    const lesson: Lesson = { id: 'x', session: 8, title: 'X', summary: 'Y', file: 'x.md', steps: [] };
    expect(validateLesson(lesson).map(formatProblem)).toEqual(['x.md:1: session must be an integer from 0 to 7, got `8`']);
  });
});

describe('loading a folder', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const lesson = (id: string, session: number): string => `---\nid: ${id}\nsession: ${session}\ntitle: T\nsummary: S.\n---\n:::page A\nx\n:::\n`;

  it('sorts by session then name, skips README, reports names and duplicates', () => {
    dir = mkdtempSync(join(tmpdir(), 'eds-lessons-'));
    writeFileSync(join(dir, 'README.md'), 'not a lesson');
    writeFileSync(join(dir, '05-late.md'), lesson('late', 2));
    writeFileSync(join(dir, '09-early.md'), lesson('early', 1));
    writeFileSync(join(dir, '01-also.md'), lesson('late2', 2));
    writeFileSync(join(dir, '02-dup.md'), lesson('dup', 3));
    writeFileSync(join(dir, '03-dup.md'), lesson('dup', 3));
    writeFileSync(join(dir, 'loose.md'), lesson('loose', 3));
    const loaded = loadLessons(dir);
    expect(loaded.lessons.map((l) => l.id)).toEqual(['early', 'late', 'dup']);
    expect(loaded.problems.map(formatProblem)).toEqual([
      `${join(dir, '01-also.md')}:2: lesson id \`late2\` does not match the file name (expected \`also\`)`,
      `${join(dir, '03-dup.md')}:2: lesson id \`dup\` is also used by ${join(dir, '02-dup.md')}`,
      `${join(dir, 'loose.md')}: lesson files are named \`NN-id.md\` (e.g. \`02-river.md\`)`,
    ]);
    expect(checkLessons(dir).files).toBe(6);
    expect(checkLessons(join(dir, '09-early.md')).lessons).toHaveLength(1);
    expect(checkLessons(join(dir, 'missing')).problems.map(formatProblem)).toEqual([`${join(dir, 'missing')}: cannot read: ENOENT`]);
  });
});
