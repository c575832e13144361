// The lesson model: what a parsed lesson file holds. Pure data, shared by the engine, the TUI and the CLI.

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
}

/** A theory page: a title and a Markdown body. */
export interface PageStep extends StepBase {
  kind: 'page';
  /** Page title. */
  title: string;
  /** Markdown text (headings, emphasis, lists, code). */
  body: string;
}

/** A hands-on experiment: a task run with options the student may change. */
export interface ExperimentStep extends StepBase {
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
  /** Text answers: patterns any of which accepts the answer. */
  patterns: RegExp[];
  /** Anticipated wrong answers with their specific feedback (numeric values or text patterns). */
  wrong: WrongAnswer[];
  /** Hints, shown one per wrong attempt, in order. */
  hints: string[];
  /** Explanation shown after a correct answer, or when the answer is revealed. */
  explain: string;
  /** Wrong attempts after which the answer and explanation are revealed. */
  attempts: number;
  /** For predict questions: the experiment run after the student commits to a guess. */
  experiment?: string;
}

/** One choice of a choice question. */
export interface ChoiceOption {
  /** Label shown to the student. */
  text: string;
  /** Whether this choice is (one of) the right answer(s). For predict questions, may be computed after the run instead. */
  correct: boolean;
  /** Feedback shown when the student picks this choice wrongly. */
  feedback?: string;
}

/** Where a numeric answer's expected value comes from. */
export type NumericAnswer =
  | { kind: 'literal'; value: number }
  /** A key of an experiment step's results, e.g. `{ step: 'fit-line', key: 'rmse_test' }`. */
  | { kind: 'result'; step: string; key: string };

/** Numeric tolerance: absolute (same unit as the answer) or relative (fraction of the expected value). */
export type Tolerance = { kind: 'absolute'; value: number } | { kind: 'relative'; value: number };

/** An anticipated wrong answer. */
export type WrongAnswer =
  | { kind: 'numeric'; value: number; tolerance?: Tolerance; feedback: string }
  | { kind: 'pattern'; pattern: RegExp; feedback: string };

/** A problem found in a lesson file. Printed as `file:line: message`. */
export interface LessonProblem {
  file: string;
  line: number;
  message: string;
}
