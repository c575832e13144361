// Semantic checks on a lesson (what parses but cannot work): missing metadata, duplicate ids, unanswerable
// questions, references to experiments that do not exist or come too late. Each problem carries a line.
import type { ExperimentStep, Lesson, LessonProblem, QuestionStep } from './types.js';
import { checkTaskOptions, knownTasks, resultKeys } from '../tasks/index.js';
import { checkTextQuestion, type CheckOptions } from './text-check.js';

/** The tasks an experiment step may name: exactly those declared in tasks/ (one list, kept there; experiments/registry.ts runs each). */
export const EXPERIMENT_TASKS: readonly string[] = knownTasks();

/** Lesson ids are used on the command line (`eds start river`): lower-case letters, digits and `-`. */
const LESSON_ID = /^[a-z0-9][a-z0-9-]*$/;

/** Returns every semantic problem of a lesson (an empty list when it can be taught as it is). */
export function validateLesson(lesson: Lesson, options: CheckOptions = {}): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const report = (line: number, message: string): void => {
    problems.push({ file: lesson.file, line, message });
  };
  const fl = lesson.fieldLines ?? {};
  const top = fl.frontMatter ?? 1;

  if (lesson.id === '') report(fl.id ?? top, 'missing front-matter field `id`');
  else if (!LESSON_ID.test(lesson.id)) report(fl.id ?? top, `lesson id \`${lesson.id}\` must be lower-case letters, digits and \`-\``);
  // NaN means the parser already reported an unreadable session; a missing one is reported here.
  if (Number.isNaN(lesson.session)) {
    if (fl.session === undefined) report(top, 'missing front-matter field `session`');
  } else if (!(Number.isInteger(lesson.session) && lesson.session >= 0 && lesson.session <= 7)) {
    report(fl.session ?? top, `session must be an integer from 0 to 7, got \`${lesson.session}\``);
  }
  if (lesson.title.trim() === '') report(fl.title ?? top, 'missing front-matter field `title`');
  if (lesson.summary.trim() === '') report(fl.summary ?? top, 'missing front-matter field `summary`');
  if (lesson.dataset !== undefined && lesson.dataset.trim() === '') report(fl.dataset ?? top, 'front-matter field `dataset` is empty');

  const seen = new Map<string, number>();
  const experiments = new Map<string, ExperimentStep>();
  for (const step of lesson.steps) {
    const first = seen.get(step.id);
    if (first !== undefined) report(step.line, `duplicate step id \`${step.id}\` (first used on line ${first})`);
    else seen.set(step.id, step.line);
    if (step.kind === 'experiment') {
      checkExperiment(step, report);
      if (!experiments.has(step.id)) experiments.set(step.id, step);
    }
  }

  lesson.steps.forEach((step, index) => {
    if (step.kind !== 'question') return;
    checkQuestion(step, report, options);
    const before = new Set(
      lesson.steps
        .slice(0, index)
        .filter((s) => s.kind === 'experiment')
        .map((s) => s.id),
    );
    checkReferences(step, before, experiments, report);
    checkRun(step, experiments, report);
    checkResultKeys(step, experiments, report);
  });
  return problems;
}

type Report = (line: number, message: string) => void;

function checkExperiment(step: ExperimentStep, report: Report): void {
  const at = (field: string): number => step.fieldLines?.[field] ?? step.line;
  if (step.task === '') report(step.line, `experiment \`${step.id}\` needs a \`task:\` (${EXPERIMENT_TASKS.join(', ')})`);
  else if (!EXPERIMENT_TASKS.includes(step.task)) report(at('task'), `unknown task \`${step.task}\` (expected ${EXPERIMENT_TASKS.join(', ')})`);
  let reported = false;
  for (const [option, values] of Object.entries(step.choices)) {
    if (values.length < 2) report(at('choose'), `option \`${option}\` offers only one value: give at least two, like \`${option}=a|b\``);
    const given = step.defaults[option];
    if (given !== undefined && !values.includes(given)) {
      report(at('defaults'), `default \`${option}=${given}\` is not one of the choices (${values.join(', ')})`);
      reported = true;
    }
  }
  // One fault, one line: a default already reported against the choices is not reported again against the task.
  if (!reported && EXPERIMENT_TASKS.includes(step.task)) checkOptions(step, at, report);
}

/** The experiment's defaults, and each value it lets the student choose, are options its task's declaration accepts. */
function checkOptions(step: ExperimentStep, at: (field: string) => number, report: Report): void {
  const problem = (options: Record<string, string>): string | undefined => {
    try {
      checkTaskOptions(step.task, options);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };
  const fromDefaults = problem(step.defaults);
  if (fromDefaults !== undefined) {
    report(at('defaults'), `experiment \`${step.id}\`: ${fromDefaults}`);
    return;
  }
  for (const [option, values] of Object.entries(step.choices)) {
    for (const value of values) {
      const wrong = problem({ ...step.defaults, [option]: value });
      if (wrong !== undefined) {
        report(at('choose'), `experiment \`${step.id}\`: choice \`${option}=${value}\`: ${wrong}`);
        break;
      }
    }
  }
}

function checkQuestion(q: QuestionStep, report: Report, options: CheckOptions): void {
  const at = (field: string): number => q.fieldLines?.[field] ?? q.line;
  if (q.prompt.trim() === '') report(q.line, `question \`${q.id}\` has an empty prompt`);
  if (!(Number.isInteger(q.attempts) && q.attempts >= 1)) report(at('attempts'), `attempts must be a positive integer, got \`${q.attempts}\``);
  const right = q.options.filter((o) => o.correct).length;
  const numeric = q.answer !== undefined;

  switch (q.type) {
    case 'single':
    case 'multiple':
      if (q.options.length < 2) report(q.line, `${q.type}-choice question \`${q.id}\` needs at least two choices (\`- [x] …\` / \`- [ ] …\`)`);
      else if (right === 0) report(q.line, `choice question \`${q.id}\` has no right answer: mark one with \`- [x]\``);
      else if (q.type === 'single' && right > 1) {
        report(q.line, `single-choice question \`${q.id}\` has ${right} right answers: mark one, or use \`type: multiple\``);
      }
      break;
    case 'numeric':
      if (!numeric) report(q.line, `numeric question \`${q.id}\` needs an \`answer:\` (a number, or \`=experiment-id.result_key\`)`);
      if (!q.tolerance) report(q.line, `numeric question \`${q.id}\` needs a \`tolerance:\` (absolute like \`0.01\`, or relative like \`5%\`)`);
      break;
    case 'text':
      checkTextQuestion(q, report, options);
      break;
    case 'predict':
      if (q.experiment === undefined) report(q.line, `predict question \`${q.id}\` needs \`experiment:\` (the experiment run after the guess)`);
      if (q.options.length === 0 && !numeric) {
        report(q.line, `predict question \`${q.id}\` needs choices (\`- [x] …\`) or a numeric \`answer:\` with a \`tolerance:\``);
      }
      if (q.options.length > 0 && right !== 1) {
        report(q.line, `predict question \`${q.id}\` has ${right} right choices: mark exactly one with \`- [x]\``);
      }
      if (q.options.length === 1) report(q.line, `predict question \`${q.id}\` needs at least two choices`);
      if (numeric && !q.tolerance) report(q.line, `predict question \`${q.id}\` needs a \`tolerance:\` for its numeric answer`);
      break;
    default: {
      const never: never = q.type;
      report(q.line, `unknown question type \`${String(never)}\``);
    }
  }
}

/**
 * An expected value comes from an experiment the student has already run: one before the question, or, for a
 * predict question, the experiment it runs itself.
 */
function checkReferences(q: QuestionStep, before: Set<string>, experiments: Map<string, ExperimentStep>, report: Report): void {
  const at = (field: string): number => q.fieldLines?.[field] ?? q.line;
  if (q.experiment !== undefined) {
    if (!experiments.has(q.experiment)) {
      report(at('experiment'), `predict question \`${q.id}\` runs experiment \`${q.experiment}\`, which is not in this lesson`);
    }
  }
  const check = (step: string, key: string, field: string): void => {
    const exp = experiments.get(step);
    if (!exp) report(at(field), `\`=${step}.${key}\` refers to experiment \`${step}\`, which is not in this lesson`);
    else if (!before.has(step) && step !== q.experiment) {
      report(
        at(field),
        `\`=${step}.${key}\` refers to experiment \`${step}\` (line ${exp.line}), which comes after this question: the student must run it first`,
      );
    }
  };
  if (q.answer?.kind === 'result') check(q.answer.step, q.answer.key, 'answer');
  for (const w of q.wrong) if (w.kind === 'result') check(w.step, w.key, 'wrong');
}

/**
 * A numeric answer read from an experiment the student can run with several options names the run it means
 * (`run: fit-linear model=ransac`, or `run: fit-linear` for the latest whatever its options), and that run must be
 * one the experiment can make: an option it offers, a value among its choices.
 */
function checkRun(q: QuestionStep, experiments: Map<string, ExperimentStep>, report: Report): void {
  const at = (field: string): number => q.fieldLines?.[field] ?? q.line;
  const answer = q.answer?.kind === 'result' ? q.answer : undefined;
  if (q.unit !== undefined && q.answer === undefined && q.type === 'predict') {
    report(at('unit'), `\`unit:\` applies to a numeric answer; predict question \`${q.id}\` has only choices`);
  }
  if (q.run) {
    if (!answer) {
      report(
        at('run'),
        `\`run:\` says which run a computed answer (\`answer: =experiment.key\`) comes from; the answer of \`${q.id}\` is ${q.answer ? 'a fixed number' : 'missing'}`,
      );
      return;
    }
    if (q.run.step !== answer.step) {
      report(at('run'), `\`run: ${q.run.step}\` names another experiment than the answer \`=${answer.step}.${answer.key}\``);
      return;
    }
    const exp = experiments.get(q.run.step);
    if (!exp) return; // the answer's reference already reports the missing experiment
    const offered = Object.keys(exp.choices);
    for (const [option, value] of Object.entries(q.run.options)) {
      const values = exp.choices[option];
      const fixed = exp.defaults[option];
      if (values) {
        if (!values.includes(value)) report(at('run'), `\`run: … ${option}=${value}\`: experiment \`${exp.id}\` offers ${option}=${values.join('|')}`);
      } else if (fixed !== undefined) {
        if (fixed !== value) report(at('run'), `\`run: … ${option}=${value}\`: experiment \`${exp.id}\` always runs with ${option}=${fixed}`);
      } else {
        report(
          at('run'),
          `\`run: … ${option}=${value}\`: experiment \`${exp.id}\` has no option \`${option}\`${offered.length > 0 ? ` (it offers ${offered.join(', ')})` : ' (it offers no choices)'}`,
        );
      }
    }
    return;
  }
  const exp = answer ? experiments.get(answer.step) : undefined;
  // A `run:` line that did not parse is reported by the parser already.
  if (answer && exp && Object.keys(exp.choices).length > 0 && q.fieldLines?.run === undefined) {
    const offered = Object.keys(exp.choices);
    report(
      at('answer'),
      `\`=${answer.step}.${answer.key}\` comes from an experiment the student can run with other options (${offered.join(', ')}): say which run, e.g. \`run: ${answer.step} ${offered[0]}=${exp.defaults[offered[0]!] ?? exp.choices[offered[0]!]![0]}\`, or \`run: ${answer.step}\` for the latest run whatever its options`,
    );
  }
}

/** Most option combinations whose result keys are checked one by one; beyond, each choice is varied alone. */
const MAX_COMBINATIONS = 512;

/** Every `=experiment.key` a question reads is a number its experiment's task produces, with every option it may run with. */
function checkResultKeys(q: QuestionStep, experiments: Map<string, ExperimentStep>, report: Report): void {
  const at = (field: string): number => q.fieldLines?.[field] ?? q.line;
  const refs: Array<{ step: string; key: string; field: string }> = [];
  if (q.answer?.kind === 'result') refs.push({ step: q.answer.step, key: q.answer.key, field: 'answer' });
  for (const w of q.wrong) if (w.kind === 'result') refs.push({ step: w.step, key: w.key, field: 'wrong' });
  for (const ref of refs) {
    const exp = experiments.get(ref.step);
    if (!exp || !EXPERIMENT_TASKS.includes(exp.task)) continue; // reported elsewhere
    const fixed = q.run && q.run.step === ref.step ? q.run.options : {};
    const missing: Array<Record<string, string>> = [];
    let produced: string[] = [];
    let declared = true;
    const combos = combinations(exp, fixed);
    for (const combo of combos) {
      const keys = resultKeys(exp.task, { ...exp.defaults, ...combo });
      if (keys === null) {
        declared = false;
        break;
      }
      const these = keys.map((k) => k.key);
      if (!these.includes(ref.key)) {
        if (missing.length === 0) produced = these;
        missing.push(combo);
      }
    }
    if (!declared || missing.length === 0) continue;
    // Name the options only when the key depends on them (some runs give it, this one does not).
    const when =
      missing.length < combos.length && Object.keys(missing[0]!).length > 0
        ? ` when run with ${Object.entries(missing[0]!)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`
        : '';
    const near = closest(ref.key, produced);
    report(
      at(ref.field),
      `\`=${ref.step}.${ref.key}\`: task \`${exp.task}\` of experiment \`${ref.step}\` gives no number \`${ref.key}\`${when}${near ? ` (did you mean \`${near}\`?)` : ''}`,
    );
  }
}

/** The choices an experiment can run with (only those of `fixed` for its options), as option → value maps. */
function combinations(exp: ExperimentStep, fixed: Record<string, string>): Array<Record<string, string>> {
  const options = Object.entries(exp.choices).map(
    ([name, values]) => [name, fixed[name] !== undefined ? values.filter((v) => v === fixed[name]) : values] as const,
  );
  const count = options.reduce((n, [, values]) => n * Math.max(1, values.length), 1);
  if (count > MAX_COMBINATIONS) {
    // Vary one option at a time around the first values: keys depend on one option each in every task so far.
    const base = Object.fromEntries(options.filter(([, v]) => v.length > 0).map(([name, values]) => [name, values[0]!]));
    return [base, ...options.flatMap(([name, values]) => values.slice(1).map((v) => ({ ...base, [name]: v })))];
  }
  let out: Array<Record<string, string>> = [{}];
  for (const [name, values] of options) {
    if (values.length === 0) continue;
    out = out.flatMap((combo) => values.map((v) => ({ ...combo, [name]: v })));
  }
  return out;
}

/** The produced key closest to a misspelt one (at most a third of its letters off), for "did you mean". */
function closest(key: string, keys: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const k of keys) {
    const d = editDistance(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
