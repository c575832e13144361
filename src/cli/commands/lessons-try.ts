// `eds lessons try LESSON QUESTION ANSWER`: grades one answer as the tutor would, for authors and instructors
// checking a question against real answers; runs the experiment the question reads; records nothing.
import type { CommandModule } from 'yargs';
import { UsageError, UserError } from '../../errors.js';

/** The command line of `eds lessons try`. */
export interface TryArgs {
  /** Lesson id, or a lesson file. */
  lesson: string;
  /** Question id. */
  question: string;
  /** The answer as a student would type it. */
  answer: string;
  /** The data's seed. */
  seed?: number;
  /** `option=value` pairs set on the question's experiment. */
  option?: string[];
  /** Whose seed to use. */
  user?: string;
  /** Attempt number (1-based). */
  attempt?: number;
  /** JSON output. */
  json?: boolean;
}

export const tryCommand: CommandModule<object, TryArgs> = {
  command: 'try <lesson> <question> <answer>',
  describe: 'grade one answer as the tutor would, running the experiment the question reads (nothing is recorded)',
  builder: (y) =>
    y
      .positional('lesson', { type: 'string', demandOption: true, describe: 'lesson id (e.g. river), or a lesson file' })
      .positional('question', { type: 'string', demandOption: true, describe: 'question id in that lesson (e.g. ransac-outliers)' })
      .positional('answer', {
        type: 'string',
        demandOption: true,
        describe: 'the answer as a student types it: a number, a sentence, or choice letters (B, "b,d"); after -- if it starts with -',
      })
      .option('seed', { type: 'number', describe: "the data's seed (default: the one eds gives the student --user)" })
      .option('user', { type: 'string', describe: 'login of the student whose seed to use (default: you)' })
      .option('option', {
        type: 'string',
        array: true,
        describe: "option=value set on the question's experiment after those its run: names, as the student would (repeatable)",
      })
      .option('attempt', { type: 'number', default: 1, describe: 'which attempt this is (a later one may reveal the answer)' })
      .option('json', {
        type: 'boolean',
        describe: 'print JSON: {correct, invalid, feedback, hint?, revealed?, expected?, run?, review?, modelAnswer?, seed}',
      }) as never,
  handler: async (args) => {
    const { safeLine } = await import('../../util/safe-text.js');
    const { currentUser, dataHome } = await import('../../store/paths.js');
    const { studentSeed } = await import('../../tutor/open-services.js');
    const { tryAnswer } = await import('../../tutor/try-answer.js');
    const { runTask } = await import('../../experiments/registry.js');
    const env = process.env;
    const lesson = await findLesson(String(args.lesson), env);
    const id = String(args.question);
    const step = lesson.steps.find((s) => s.id === id);
    const questions = lesson.steps.filter((s) => s.kind === 'question').map((s) => s.id);
    const known = `questions: ${questions.slice(0, 12).join(', ')}${questions.length > 12 ? ', …' : ''}`;
    if (!step) throw new UsageError(`lesson ${lesson.id} has no question "${safeLine(id, 80)}" (${known})`);
    if (step.kind !== 'question')
      throw new UsageError(`"${step.id}" is ${step.kind === 'page' ? 'a page' : 'an experiment'} of lesson ${lesson.id}, not a question (${known})`);

    const options: Record<string, string> = {};
    for (const pair of args.option ?? []) {
      const m = /^([A-Za-z_][\w-]*)=(\S+)$/.exec(String(pair));
      if (!m) throw new UsageError(`--option takes option=value (e.g. --option model=huber), got "${safeLine(pair, 80)}"`);
      options[m[1]!] = m[2]!;
    }
    if (args.seed !== undefined && !(Number.isInteger(args.seed) && args.seed >= 0))
      throw new UsageError(`--seed must be a whole number from 0, got ${String(args.seed)}`);
    const attempt = args.attempt ?? 1;
    if (!(Number.isInteger(attempt) && attempt >= 1)) throw new UsageError(`--attempt must be a whole number from 1, got ${String(attempt)}`);
    const user = args.user ?? currentUser(env);
    const seed = args.seed ?? studentSeed(user, lesson.id);
    const context = { home: dataHome(env), user };

    const { grade } = await tryAnswer(lesson, step, String(args.answer), {
      seed,
      options,
      attempt,
      runTask: (task, o, s) => runTask(task, o, s, undefined, context),
    });
    const out = {
      correct: grade.correct,
      invalid: grade.invalid === true,
      feedback: grade.feedback,
      ...(grade.hint !== undefined ? { hint: grade.hint } : {}),
      ...(grade.revealed ? { revealed: grade.revealed.answer } : {}),
      ...(grade.expected !== undefined ? { expected: grade.expected } : {}),
      ...(grade.run ? { run: grade.run } : {}),
      // A review-mode text answer is decided by the student's y/n and the instructor: show what they would see.
      ...(grade.review ? { review: grade.review } : {}),
      // A text answer graded right shows the model answer beside it, as the tutor does (a revealed one is in `revealed`).
      ...(grade.modelAnswer !== undefined && grade.correct && !grade.review ? { modelAnswer: grade.modelAnswer } : {}),
      seed,
    };
    if (args.json) {
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      return;
    }
    const verdict = out.invalid
      ? 'not graded (no attempt counted)'
      : out.review
        ? `for review (match: lines say ${out.review.auto === null ? 'nothing' : out.review.auto ? 'right' : 'wrong'})`
        : out.correct
          ? 'right'
          : 'wrong';
    const extra = [out.hint !== undefined ? `Hint: ${out.hint}` : '', out.revealed !== undefined ? `Answer: ${out.revealed}` : '']
      .filter((t) => t !== '')
      .join(' ');
    process.stdout.write(safeLine(`${verdict}: ${out.feedback}${extra ? ` ${extra}` : ''}`, 2000) + '\n');
    const modelAnswer = out.review?.modelAnswer ?? out.modelAnswer;
    if (modelAnswer !== undefined) process.stdout.write(safeLine(`model answer: ${modelAnswer}`, 2000) + '\n');
    if (out.expected !== undefined || out.run) {
      const from = out.run
        ? `, from ${out.run.step} (${Object.entries(out.run.options)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')})`
        : '';
      process.stdout.write(safeLine(`${out.expected !== undefined ? `expected ${out.expected}` : 'checked'}${from}, seed ${seed}`, 2000) + '\n');
    }
  },
};

/** The lesson named by id (among the lessons eds offers) or by file; its problems when it does not pass the checker. */
async function findLesson(name: string, env: NodeJS.ProcessEnv): Promise<import('../../lessons/types.js').Lesson> {
  const { checkLessons, loadLessons, formatProblem } = await import('../../lessons/index.js');
  const { existsSync, statSync } = await import('node:fs');
  const { safeLine } = await import('../../util/safe-text.js');
  const broken = (problems: import('../../lessons/types.js').LessonProblem[]) =>
    new UserError(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the lesson, first: ${formatProblem(problems[0]!)}`, {
      hint: 'eds lessons check',
    });
  if (/\.md$/i.test(name) || name.includes('/')) {
    if (!existsSync(name) || !statSync(name).isFile()) throw new UsageError(`${safeLine(name, 200)}: no such lesson file`);
    const check = checkLessons(name);
    const lesson = check.lessons[0];
    if (!lesson) throw broken(check.problems);
    return lesson;
  }
  const { lessons, problems } = loadLessons(env.EDS_LESSONS_DIR || undefined);
  const lesson = lessons.find((l) => l.id === name);
  if (lesson) return lesson;
  const mine = problems.filter((p) => new RegExp(`(^|[/\\\\])\\d+-${name.replace(/[^a-z0-9-]/gi, '')}\\.md$`).test(p.file));
  if (mine.length > 0) throw broken(mine);
  throw new UsageError(`no lesson "${safeLine(name, 80)}" (lessons: ${lessons.map((l) => l.id).join(', ') || 'none'})`);
}
