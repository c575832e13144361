// The lesson model: what a parsed lesson file holds. Pure data, shared by the engine, the TUI and the CLI.
import type { Alternative, MatchRule } from './text-match.js';

export type { Alternative, Concept, MatchRule, TermWord } from './text-match.js';

/** A parsed lesson: its metadata and its steps in order. */
export interface Lesson {
  /** Stable identifier (file front matter `id`), e.g. `intro`, `river`. */
  id: string;
  /** Course session number: 0 for the tour, 1–6 for the sessions, 7 for the final project. */
  session: number;
  /** Title shown on the course map. */
  title: string;
  /** One-sentence summary shown under the title. */
  summary: string;
  /** Dataset the lesson's experiments use (e.g. `river`), if any: its seed is logged with every attempt. */
  dataset?: string;
  /** The file it was read from (absolute path). */
  file: string;
  /** Line (1-based) of each front-matter field, and `frontMatter` for the opening `---`, for error messages. */
  fieldLines?: Record<string, number>;
  /** Theory pages, experiments and questions, in the order the student meets them. */
  steps: Step[];
}

/** One step of a lesson. */
export type Step = PageStep | ExperimentStep | QuestionStep;

/** Fields every step has. */
export interface StepBase {
  /** Identifier unique within the lesson (given, or derived from the position for pages). */
  id: string;
  /** Line of the block's opening `:::` in the file (1-based), for error messages. */
  line: number;
  /** Line (1-based) of the first occurrence of each field (`answer`, `experiment`, …), for error messages. */
  fieldLines?: Record<string, number>;
}

/** A theory page: a title and a Markdown body. */
export interface PageStep extends StepBase {
  /** Discriminant. */
  kind: 'page';
  /** Page title. */
  title: string;
  /** Markdown text (headings, emphasis, lists, code). */
  body: string;
}

/** A hands-on experiment: a task run with options the student may change. */
export interface ExperimentStep extends StepBase {
  /** Discriminant. */
  kind: 'experiment';
  /** Title shown above the experiment. */
  title: string;
  /** Markdown text explaining what to look at. */
  body: string;
  /** The `eds run` task, e.g. `regression`, `classify`, `cluster`, `train`, `pick`, `tour`. */
  task: string;
  /** Default options passed to the task (as `eds run` would take them). */
  defaults: Record<string, string>;
  /** Options the student may change, with their allowed values (first is the default if not in `defaults`). */
  choices: Record<string, string[]>;
}

/** The kinds of question DESIGN.md lists. */
export type QuestionKind = 'single' | 'multiple' | 'numeric' | 'text' | 'predict';

/** A quiz question. */
export interface QuestionStep extends StepBase {
  /** Discriminant. */
  kind: 'question';
  /** Which kind of question. */
  type: QuestionKind;
  /** The question itself (Markdown). */
  prompt: string;
  /** Choices for single, multiple and predict questions (empty otherwise). */
  options: ChoiceOption[];
  /** Numeric answer: a literal, or a reference to a result of an experiment (`=fit-line.rmse_test`). */
  answer?: NumericAnswer;
  /** Numeric tolerance. */
  tolerance?: Tolerance;
  /**
   * Text questions: the model answer (the `answer:` field), shown once the answer is graded (right, revealed, or in
   * review mode); never used for grading.
   */
  answerText?: string;
  /** Text questions: `auto` (graded by `match:` lines) or `review` (the student compares with the model answer). Default auto. */
  grading?: TextGrading;
  /** Text answers: `match:` expressions, any of which accepts the answer. */
  match?: MatchRule[];
  /** Text answers: the `synonyms:` lists `@name` refers to in `match:` and `wrong:` expressions. */
  synonyms?: Record<string, Alternative[]>;
  /** Text answers: example answers the question must accept (`accept:`), checked by `eds lessons check`. */
  accept?: TextExample[];
  /** Text answers: example answers the question must refuse (`refuse:`). */
  refuse?: TextExample[];
  /** Text answers: distinct content words an answer needs before it is graded (`min-words:`, default 2). */
  minWords?: number;
  /** Text answers: legacy `pattern: /regex/` lines, any of which accepts the answer (matched case-insensitively, whitespace collapsed). */
  patterns: RegExp[];
  /** Anticipated wrong answers with their specific feedback (numeric values or text patterns). */
  wrong: WrongAnswer[];
  /** Hints, shown one per wrong attempt, in order. */
  hints: string[];
  /** Explanation shown after a correct answer, or when the answer is revealed. */
  explain: string;
  /** Wrong attempts after which the answer and explanation are revealed (predict questions are graded once). */
  attempts: number;
  /** For predict questions: the experiment run after the student commits to a guess. */
  experiment?: string;
  /** Numeric answers from a run (`run: fit-linear model=ransac`): which run of which experiment the number comes from. */
  run?: RunSelector;
  /** Numeric answers: the unit the number is in (`unit: Hz`), as its symbol; answers may be written in a convertible one. */
  unit?: string;
}

/**
 * Which of the student's runs a numeric answer is read from: the latest run of `step` whose options include every
 * `options` pair (no pairs: the latest run, whatever its options).
 */
export interface RunSelector {
  /** Id of the experiment step. */
  step: string;
  /** Option values the run must have been made with (option name → value), as written after the step id. */
  options: Record<string, string>;
  /** How the student knows that experiment (`3a`, or its title in quotes), filled in from the lesson for messages. */
  label?: string;
  /** The options the student can set on that experiment, in the order shown (its `choose:` lines), filled in from the lesson. */
  choices?: string[];
}

/** One run of an experiment step as the tutor keeps it: the options it ran with and the numbers it gave. */
export interface ExperimentRun {
  /** Every option the task ran with (defaults and the student's choices), option name → value. */
  options: Record<string, string>;
  /** The scalar results (key → number or short string), as `eds run --json` names them. */
  results: Record<string, number | string>;
}

/** One choice of a choice question. */
export interface ChoiceOption {
  /** Label shown to the student. */
  text: string;
  /** Whether this choice is (one of) the right answer(s). */
  correct: boolean;
  /** Feedback shown when this choice is picked (or, for a right choice of a multiple question, when it is missed). */
  feedback?: string;
}

/** Where a numeric answer's expected value comes from. */
export type NumericAnswer = LiteralAnswer | ResultAnswer;

/** A fixed expected value written in the lesson (`answer: 0.42`). */
export interface LiteralAnswer {
  /** Discriminant. */
  kind: 'literal';
  /** The expected value. */
  value: number;
}

/** An expected value computed from the student's own run (`answer: =fit-line.rmse_test`). */
export interface ResultAnswer {
  /** Discriminant. */
  kind: 'result';
  /** Id of the experiment step whose results hold the value. */
  step: string;
  /** Key in that experiment's result JSON (snake_case, as `eds run --json` prints it). */
  key: string;
}

/** Numeric tolerance: absolute (same unit as the answer) or relative (fraction of the expected value). */
export interface Tolerance {
  /** `absolute`: same unit as the answer; `relative`: a fraction of |expected| (`5%` is 0.05). */
  kind: 'absolute' | 'relative';
  /** Non-negative; 0 means exact (to about 1e-9). */
  value: number;
}

/** An anticipated wrong answer (`wrong: 0.5 -> …`, `wrong: =fit.rmse_train -> …`, `wrong: /random/i -> …`). */
export type WrongAnswer =
  | {
      /** A fixed wrong value. */
      kind: 'numeric';
      /** The anticipated value. */
      value: number;
      /** How close counts as "this one"; the question's tolerance when absent. */
      tolerance?: Tolerance;
      /** Feedback shown when the answer matches. */
      feedback: string;
    }
  | {
      /** A wrong value from the student's own run (e.g. the training error instead of the test error). */
      kind: 'result';
      /** Experiment step id. */
      step: string;
      /** Key in its result JSON. */
      key: string;
      /** How close counts as "this one"; the question's tolerance when absent. */
      tolerance?: Tolerance;
      /** Feedback shown when the answer matches. */
      feedback: string;
    }
  | {
      /** A text pattern (matched like the question's accepting patterns). */
      kind: 'pattern';
      /** The pattern as the author wrote it. */
      pattern: RegExp;
      /** Feedback shown when the answer matches. */
      feedback: string;
    }
  | {
      /** A match expression (text questions: `wrong: random + split -> …`). */
      kind: 'match';
      /** The parsed expression. */
      rule: MatchRule;
      /** Feedback shown when the answer matches. */
      feedback: string;
    };

/** How a text question is graded. */
export type TextGrading = 'auto' | 'review';

/** An example answer of a text question (`accept:` / `refuse:`), with its line for `eds lessons check`. */
export interface TextExample {
  /** The example answer, as a student would type it. */
  text: string;
  /** 1-based line of its field. */
  line: number;
}

/** A problem found in a lesson file. Printed as `file:line: message` (`file: message` when line is 0). */
export interface LessonProblem {
  /** The file as the user named it (relative paths stay relative, for readable messages). */
  file: string;
  /** 1-based line; 0 when the problem concerns the whole file (unreadable, badly named). */
  line: number;
  /** What is wrong and, where it helps, what was expected. */
  message: string;
}

/** What the grader needs besides the question and the answer. */
export interface GradeContext {
  /** Results of the experiments the student has run in this lesson: experiment step id → its latest result JSON. */
  results: Record<string, Record<string, number | string>>;
  /**
   * Every run kept per experiment step, oldest first (one per option combination the student ran). A step with
   * results but no runs here counts as one run with unknown options: it answers only a `run:` that names none.
   */
  runs?: Record<string, readonly ExperimentRun[]>;
  /** Which attempt this is (1-based), counting earlier wrong ones. */
  attempt: number;
}

/** The verdict on one answer. */
export interface Grade {
  /** Whether the answer is right. */
  correct: boolean;
  /**
   * The answer could not be graded (not a number, no choice picked, the experiment not run yet): `feedback` says
   * why. The caller should log it but not count it as an attempt; no hint or reveal is given.
   */
  invalid?: boolean;
  /** Specific feedback (an anticipated wrong answer's, a choice's), or a generic one. */
  feedback: string;
  /** The next hint, after a wrong attempt that does not yet reveal the answer. */
  hint?: string;
  /** The right answer and the explanation, once the attempts are used up (predict questions: after the run). */
  revealed?: { /** The right answer in words. */ answer: string /** The explanation (may be empty). */; explain: string };
  /** The question's explanation, present when the answer is correct (and when revealed). */
  explain?: string;
  /** Numeric questions: the expected value used. */
  expected?: number;
  /** Numeric answers from a run: the run it was checked against (its step and every option it ran with). */
  run?: { /** Experiment step id. */ step: string /** The options of that run. */; options: Record<string, string> };
  /** Canonical form of the answer for the log: `0.5` for `1/2`, `B,D` for choices, lower-cased collapsed text. */
  normalized: string;
  /** Text questions graded right: the model answer, to show beside the student's. */
  modelAnswer?: string;
  /**
   * `grading: review` text questions: nothing is decided here. The tutor shows `modelAnswer`, asks whether the
   * student's answer covers it, and logs that self-assessment with `grading: 'review'`; `auto` is the verdict of the
   * question's `match:` lines (null when it has none), for the instructor. `correct` is `auto ?? false`.
   */
  review?: { /** The model answer. */ modelAnswer: string /** The provisional automatic verdict. */; auto: boolean | null };
}
