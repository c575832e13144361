// Grades one answer to a lesson question: pure, so the TUI, plain mode and the tests share one verdict.
import type { ChoiceOption, ExperimentRun, Grade, GradeContext, QuestionStep, RunSelector, Tolerance } from './types.js';
import { safeRegexTest } from './regex-safety.js';
import { DEFAULT_MIN_WORDS, noContent, ruleMatches, tokenize, type Alternative, type Synonyms, type Token } from './text-match.js';
import { formatNumber, formatTolerance, readNumber, withinTolerance, withoutName, type ReadNumber } from './numbers.js';
import { countedWords, findUnit, isCount, readQuantity, type Unit } from './units.js';

export type { Grade, GradeContext } from './types.js';

const CORRECT = 'Correct!';
const NOT_QUITE = 'Not quite.';

/**
 * Grades `answer` (typed text, or the picked choice indices, 0-based) to `question` on attempt `context.attempt`.
 * Choice questions also take typed letters or 1-based numbers (`B`, `b,d`, `2 4`), for plain mode. An answer that
 * cannot be graded (unreadable number, no choice, experiment not run yet) comes back `invalid`, with no hint.
 */
export function gradeAnswer(question: QuestionStep, answer: string | number[], context: GradeContext): Grade {
  const q = question;
  if (q.options.length > 0 && (q.type !== 'predict' || Array.isArray(answer) || !looksNumericPredict(q, answer))) {
    const picked = Array.isArray(answer) ? answer : readChoices(answer, q.options.length);
    if (picked === null) {
      return invalid(`Pick a choice by its letter (A to ${letter(q.options.length - 1)}).`, typeof answer === 'string' ? answer.trim() : '');
    }
    return gradeChoices(q, picked, context);
  }
  if (Array.isArray(answer)) return invalid('This question takes a typed answer, not a choice.', answer.join(','));
  if (q.type === 'text') return gradeText(q, answer, context);
  return gradeNumeric(q, answer, context);
}

/** A predict question with both choices and a numeric answer takes a typed number as the numeric guess. */
function looksNumericPredict(q: QuestionStep, answer: string): boolean {
  return q.answer !== undefined && readNumber(answer) !== null && readChoices(answer, q.options.length) === null;
}

function invalid(feedback: string, normalized: string): Grade {
  return { correct: false, invalid: true, feedback, normalized };
}

function letter(i: number): string {
  return String.fromCharCode(65 + i);
}

/** Reads `B`, `b, d`, `2 4` (1-based) into sorted 0-based indices; null when unreadable or out of range. */
function readChoices(text: string, count: number): number[] | null {
  const tokens = text
    .trim()
    .split(/[\s,;+]+/)
    .filter((t) => t !== '');
  if (tokens.length === 0) return null;
  const out: number[] = [];
  for (const t of tokens) {
    let i: number;
    if (/^[a-z]$/i.test(t)) i = t.toUpperCase().charCodeAt(0) - 65;
    else if (/^\d+$/.test(t)) i = Number(t) - 1;
    else return null;
    if (i < 0 || i >= count) return null;
    out.push(i);
  }
  return out;
}

/** Wrong-attempt bookkeeping shared by every kind: the next hint, or the reveal once attempts are used up. */
function afterWrong(q: QuestionStep, grade: Grade, attempt: number, answerText: string): Grade {
  if (q.type === 'predict' || attempt >= q.attempts) {
    grade.revealed = { answer: answerText, explain: q.explain };
    if (q.explain !== '') grade.explain = q.explain;
  } else {
    const hint = q.hints[attempt - 1];
    if (hint !== undefined) grade.hint = hint;
  }
  return grade;
}

function afterRight(q: QuestionStep, grade: Grade): Grade {
  if (q.explain !== '') grade.explain = q.explain;
  return grade;
}

function gradeChoices(q: QuestionStep, picked: number[], ctx: GradeContext): Grade {
  const set = [...new Set(picked)].sort((a, b) => a - b);
  const normalized = set.map(letter).join(',');
  if (set.length === 0) return invalid('Pick at least one choice.', '');
  if (set.some((i) => !Number.isInteger(i) || i < 0 || i >= q.options.length)) {
    return invalid(`Pick a choice from A to ${letter(q.options.length - 1)}.`, normalized);
  }
  const single = q.type !== 'multiple';
  if (single && set.length > 1) return invalid('Pick exactly one choice.', normalized);
  const rightAnswer = q.options
    .filter((o) => o.correct)
    .map((o) => o.text)
    .join('; ');

  if (single) {
    const option = q.options[set[0]!]!;
    if (option.correct) return afterRight(q, { correct: true, feedback: option.feedback ?? CORRECT, normalized });
    return afterWrong(q, { correct: false, feedback: option.feedback ?? NOT_QUITE, normalized }, ctx.attempt, rightAnswer);
  }

  const wronglyPicked = set.map((i) => q.options[i]!).filter((o) => !o.correct);
  const missed = q.options.filter((o, i) => o.correct && !set.includes(i));
  if (wronglyPicked.length === 0 && missed.length === 0) return afterRight(q, { correct: true, feedback: CORRECT, normalized });
  const notes: string[] = [];
  for (const o of wronglyPicked) notes.push(o.feedback ?? `"${o.text}" is not right.`);
  const silentMisses = missed.filter((o: ChoiceOption) => o.feedback === undefined).length;
  for (const o of missed) if (o.feedback !== undefined) notes.push(o.feedback);
  if (silentMisses > 0) notes.push(`You missed ${silentMisses === 1 ? 'a right choice' : `${silentMisses} right choices`}.`);
  return afterWrong(q, { correct: false, feedback: `${NOT_QUITE} ${notes.join(' ')}`, normalized }, ctx.attempt, rightAnswer);
}

/** Collapses whitespace and trims; text answers are compared case-insensitively on this form. */
function normalizeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Lesson regexes match case-insensitively, in linear time, on the first 2,000 characters (regex-safety.ts). */
function caseless(re: RegExp): { test: (text: string) => boolean } {
  return { test: (text) => safeRegexTest(re, text) };
}

const REVIEWED = 'Your answer is saved for your instructor. Compare it with the model answer: does yours say the same?';
const synonymCache = new WeakMap<QuestionStep, Synonyms>();

function synonymsOf(q: QuestionStep): Synonyms {
  let s = synonymCache.get(q);
  if (s === undefined) synonymCache.set(q, (s = new Map<string, Alternative[]>(Object.entries(q.synonyms ?? {}))));
  return s;
}

/** The verdict of a text question's `match:` and `pattern:` lines; null when it has none. */
function autoVerdict(q: QuestionStep, text: string, tokens: readonly Token[]): boolean | null {
  const rules = q.match ?? [];
  if (rules.length === 0 && q.patterns.length === 0) return null;
  return rules.some((r) => ruleMatches(tokens, r, synonymsOf(q))) || q.patterns.some((p) => caseless(p).test(text));
}

/**
 * Text answers: an answer with no content is not graded (`invalid`); in review mode the grade only carries the
 * provisional automatic verdict; otherwise any `match:` (or legacy `pattern:`) line accepts, and a `wrong:` line
 * gives its feedback.
 */
function gradeText(q: QuestionStep, answer: string, ctx: GradeContext): Grade {
  const text = normalizeText(answer);
  const normalized = text.toLowerCase();
  if (text === '') return invalid('Type an answer first.', '');
  const tokens = tokenize(text);
  const minWords = q.minWords ?? DEFAULT_MIN_WORDS;
  // A review question's answer is read by an instructor: a list of words may be one ("precision recall F1 …").
  const empty = noContent(tokens, minWords, { prompt: q.prompt, sentence: q.grading !== 'review' });
  if (empty !== null) {
    // Too short to grade, but an anticipated mistake ("luck") still gets its feedback, as on a numeric question;
    // a non-answer ("idk random") does not: told it is "partly" right, a shrug would pass for an idea.
    const anticipated = q.grading === 'review' || isNonAnswer(tokens, text) ? undefined : q.wrong.find((w) => wrongHits(q, w, text, tokens));
    return invalid(anticipated ? `${anticipated.feedback} Answer in a sentence: this one is not counted as a try.` : empty, normalized);
  }
  const auto = autoVerdict(q, text, tokens);
  const model = q.answerText !== undefined && q.answerText !== '' ? { modelAnswer: q.answerText } : {};
  if (q.grading === 'review') {
    const grade: Grade = { correct: auto ?? false, review: { modelAnswer: q.answerText ?? '', auto }, feedback: REVIEWED, normalized, ...model };
    if (q.explain !== '') grade.explain = q.explain;
    return grade;
  }
  if (auto === true) return afterRight(q, { correct: true, feedback: CORRECT, normalized, ...model });
  const w = q.wrong.find((x) => wrongHits(q, x, text, tokens));
  if (w) return afterWrong(q, { correct: false, feedback: w.feedback, normalized }, ctx.attempt, textAnswer(q));
  return afterWrong(q, { correct: false, feedback: NOT_QUITE, normalized }, ctx.attempt, textAnswer(q));
}

/**
 * Whether an answer is no answer at all: no content word ("asdf", "idk"), or one that says it does not know, whose
 * own words then count for nothing, as noContent discounts the question's words after "idk" ("idk random").
 */
function isNonAnswer(tokens: readonly Token[], text: string): boolean {
  return noContent(tokens, 1, { prompt: text }) !== null;
}

function wrongHits(q: QuestionStep, w: QuestionStep['wrong'][number], text: string, tokens: readonly Token[]): boolean {
  return w.kind === 'pattern' ? caseless(w.pattern).test(text) : w.kind === 'match' && ruleMatches(tokens, w.rule, synonymsOf(q));
}

function textAnswer(q: QuestionStep): string {
  if (q.answerText !== undefined && q.answerText !== '') return q.answerText;
  const lines = [...(q.match ?? []).map((r) => r.source), ...q.patterns.map((p) => `/${p.source}/`)];
  return `an answer matching ${lines.join(' or ')}`;
}

/** The runs kept for an experiment step, oldest first; a step known only by its latest results is one run of unknown options. */
function runsOf(ctx: GradeContext, step: string): readonly ExperimentRun[] {
  const kept = ctx.runs?.[step];
  if (kept && kept.length > 0) return kept;
  const latest = ctx.results[step];
  return latest ? [{ options: {}, results: latest }] : [];
}

/** `model=ransac, scale=log`: the options a run is asked for, as the student sets them on the experiment. */
function describeOptions(options: Record<string, string>): string {
  return Object.entries(options)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** The latest run matching the selector, or the (invalid) grade that says which run to make. */
function findRun(ctx: GradeContext, selector: RunSelector, normalized: string): ExperimentRun | Grade {
  const wanted = Object.entries(selector.options);
  const runs = runsOf(ctx, selector.step);
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i]!;
    if (wanted.every(([k, v]) => run.options[k] === v)) return run;
  }
  const name = selector.label ?? `the experiment "${selector.step}"`;
  const options = describeOptions(selector.options);
  if (wanted.length === 0) return invalid(`Run ${name} first: the expected value comes from your own run.`, normalized);
  // The experiment's keys as they are now: its options take the focus with Tab (tutor/step-keys.ts).
  const keys = `there, Tab to the options, ←→ to change ${wanted.length > 1 ? 'them' : 'it'}, Enter to run`;
  return invalid(`Run ${name} with ${options} first (${keys}): the expected value comes from your own run.`, normalized);
}

/** A number read from one run's results, or the (invalid) grade explaining why there is none. */
function valueIn(run: ExperimentRun, step: string, key: string, normalized: string): number | Grade {
  const value = run.results[key];
  if (value === undefined || value === null)
    return invalid(`The experiment "${step}" gave no "${key}": run it again, or tell your instructor (the lesson expects that result).`, normalized);
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return invalid(`The result "${key}" of "${step}" is not a number (${String(value)}): tell your instructor.`, normalized);
  return n;
}

/**
 * "your run of 3a with model=ransac", "your latest run of 3b: model=ransac", for the sentence saying what an answer
 * was checked against: the options the run was made with that the student sets (all of them when the lesson does not
 * say which those are), so a student who ran it several ways knows which run counted.
 */
function checkedAgainst(selector: RunSelector, run: ExperimentRun | undefined): string {
  const name = selector.label ?? `"${selector.step}"`;
  const asked = describeOptions(selector.options);
  const names = selector.choices ?? Object.keys(run?.options ?? {});
  const others = names
    .filter((k) => selector.options[k] === undefined && run?.options[k] !== undefined)
    .map((k) => `${k}=${run!.options[k]!}`)
    .join(' ');
  if (asked) return `your run of ${name} with ${asked}${others ? ` (${others})` : ''}`;
  return `your latest run of ${name}${others ? `: ${others}` : ''}`;
}

/**
 * What the tutor logs as an attempt's `detail` for a numeric answer: the run it was checked against (step and every
 * option it ran with) and the expected value. Undefined for grades that carry neither.
 */
export function gradeDetail(grade: Grade): Record<string, unknown> | undefined {
  if (grade.run) return { run: grade.run, ...(grade.expected !== undefined ? { expected: grade.expected } : {}) };
  return grade.expected !== undefined ? { expected: grade.expected } : undefined;
}

/** The answer as a number in the question's unit, or the (invalid) grade saying why it cannot be graded. */
function readAnswer(q: QuestionStep, answer: string): { read: ReadNumber; from?: Unit; unit: Unit | null } | Grade {
  const typed = answer.trim();
  // Messages quote what was typed, shortened: a pasted paragraph must not push the advice off the screen.
  const said = typed.length > 40 ? `${Array.from(typed).slice(0, 39).join('')}…` : typed;
  const unit = q.unit !== undefined ? findUnit(q.unit) : null;
  // `γ = 1.27`, `k=3`: the name of the quantity before its value is how a table or a formula writes it.
  const value = withoutName(answer);
  let read: ReadNumber | null = null;
  let from: Unit | undefined;
  if (unit) {
    const quantity = readQuantity(value, unit, isCount(unit) ? countedWords(q.prompt) : undefined);
    if (quantity.kind === 'wrong-dimension') {
      return invalid(
        `"${said}" is ${unitWords(quantity.unit, '(')}; this question asks for ${unitWords(unit, 'in')}: type the number, with or without "${unit.symbol}".`,
        typed,
      );
    }
    if (quantity.kind === 'number') ({ read, from } = quantity);
  } else {
    read = readNumber(value);
  }
  if (read) return { read, unit, ...(from ? { from } : {}) };
  // A typed answer that is not a number may still be an anticipated mistake (units, a word).
  for (const w of q.wrong) {
    if (w.kind === 'pattern' && caseless(w.pattern).test(normalizeText(answer))) return invalid(w.feedback, normalizeText(answer).toLowerCase());
  }
  if (typed === '') return invalid('Type a number first.', typed);
  if (unit)
    return invalid(
      `"${said}" is not a number I can read: type a number in ${unit.symbol}, such as 0.42, 4.2e-1 or 1/2, with or without "${unit.symbol}".`,
      typed,
    );
  return invalid(`"${said}" is not a number I can read: type a number such as 0.42, 4.2e-1, 42% or 1/2 (no units).`, typed);
}

/** "a frequency in Hz", "a time (s)", "a number of samples": what a unit measures, for the hint after a unit of the wrong kind. */
function unitWords(unit: Unit, style: 'in' | '('): string {
  if (unit.dimension.startsWith('a number of ')) return unit.dimension;
  return style === 'in' ? `${unit.dimension} in ${unit.symbol}` : `${unit.dimension} (${unit.symbol})`;
}

/** `12 Hz`, `42%`, `0.5`: a value with the question's unit, for feedback. */
function withUnit(text: string, unit: Unit | null): string {
  if (!unit) return text;
  return unit.symbol === '%' ? `${text}%` : `${text} ${unit.symbol}`;
}

function gradeNumeric(q: QuestionStep, answer: string, ctx: GradeContext): Grade {
  const typed = answer.trim();
  const parsed = readAnswer(q, answer);
  if ('correct' in parsed) return parsed;
  const { read, unit, from } = parsed;
  if (!q.answer) return invalid('This question has no expected answer: tell your instructor.', String(read.value));

  // An answer computed from a run is read from the run the question names (the latest one when it names no options).
  let run: ExperimentRun | undefined;
  let selector: RunSelector | undefined;
  let expected: number;
  if (q.answer.kind === 'literal') expected = q.answer.value;
  else {
    selector = q.run && q.run.step === q.answer.step ? q.run : { step: q.answer.step, options: {} };
    const found = findRun(ctx, selector, String(read.value));
    if ('correct' in found) return found;
    run = found;
    const value = valueIn(run, q.answer.step, q.answer.key, String(read.value));
    if (typeof value !== 'number') return value;
    expected = value;
  }
  const tol: Tolerance = q.tolerance ?? { kind: 'absolute', value: 0 };
  const facts: Pick<Grade, 'expected' | 'run'> = { expected, ...(run && selector ? { run: { step: selector.step, options: { ...run.options } } } : {}) };
  // Where the student could have run the experiment several ways (the question names its run), say which run counted.
  const against = q.run && selector ? ` Checked against ${checkedAgainst(selector, run)}.` : '';

  // `42%` may mean 0.42 or, when the quantity itself is a percentage, 42; `1,500` may mean 1.5 or 1500: accept whichever matches.
  const readings = read.thousands !== undefined ? [read.value, read.thousands] : [read.value];
  const candidates = read.percent ? readings.flatMap((v) => [v, v * 100]) : readings;
  const hit = candidates.find((v) => withinTolerance(v, expected, tol));
  const shown = `${withUnit(formatNumber(expected, tol), unit)}${tol.value > 0 ? ` (± ${withUnit(formatTolerance(tol), tol.kind === 'absolute' ? unit : null)})` : ''}`;
  const normalized = String(hit ?? read.value);
  const wrong = (feedback: string): Grade => afterWrong(q, { correct: false, feedback: `${feedback}${against}`, ...facts, normalized }, ctx.attempt, shown);
  // Each anticipated mix-up with a value (a number, or another result of the run), in q.wrong's order: read once,
  // used twice below; undefined for a pattern, or a result the runs lack (that only disables this anticipation).
  const mixUps = q.wrong.map((w): { value: number; tolerance: Tolerance; feedback: string } | undefined => {
    if (w.kind === 'numeric') return { value: w.value, tolerance: w.tolerance ?? tol, feedback: w.feedback };
    if (w.kind !== 'result') return undefined; // patterns are tested on the text; word expressions are for text answers
    // A mix-up from the same experiment is read from the same run as the answer; another experiment's from its latest run.
    const source = run && selector && w.step === selector.step ? run : runsOf(ctx, w.step).at(-1);
    const value = source ? valueIn(source, w.step, w.key, String(read.value)) : null;
    return typeof value === 'number' ? { value, tolerance: w.tolerance ?? tol, feedback: w.feedback } : undefined;
  });
  if (hit !== undefined) {
    // Within the tolerance, but nearer a mix-up that the tolerance tells apart from the answer (the random split's
    // score typed for the spatial one, 0.016 apart under ± 0.01): the mix-up is what was read. A mix-up within the
    // tolerance of the answer cannot be told from it, and leaves the answer right.
    const nearer = mixUps.find((m) => m && !withinTolerance(m.value, expected, tol) && Math.abs(hit - m.value) < Math.abs(hit - expected));
    if (nearer) return wrong(nearer.feedback);
    return afterRight(q, { correct: true, feedback: `${CORRECT} The expected value is ${shown}.${against}`, ...facts, normalized });
  }
  // Say how a comma or a unit was read, so `1,500` or `50 cm` is not a silent surprise.
  const readAs = typed.includes(',') || from ? ` (read as ${readings.map((v) => withUnit(formatNumber(v), unit)).join(' or ')})` : '';
  for (const [i, w] of q.wrong.entries()) {
    if (w.kind === 'pattern' && caseless(w.pattern).test(normalizeText(answer))) return wrong(w.feedback);
    const m = mixUps[i];
    if (m && candidates.some((c) => withinTolerance(c, m.value, m.tolerance))) return wrong(m.feedback);
  }
  return wrong(q.type === 'predict' ? `Your prediction was off${readAs}: the run gave ${shown}.` : `${NOT_QUITE}${readAs}`);
}
