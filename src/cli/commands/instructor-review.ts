// `eds instructor review`: the free-text answers by question, and the instructor's verdicts on them (a keyboard screen, or --json/--csv and --apply FILE).
import type { CommandModule } from 'yargs';
import { UsageError, UserError } from '../../errors.js';
import type { TextQuestion } from '../../course/review.js';

/** The options of `eds instructor review`. */
export interface ReviewArgs {
  /** The course directory. */
  dir?: string;
  /** Only this lesson. */
  lesson?: string;
  /** Only this question id. */
  question?: string;
  /** Print the listing as JSON. */
  json?: boolean;
  /** Print the listing as CSV. */
  csv?: boolean;
  /** Apply the verdicts of this file. */
  apply?: string;
  /** Only answers without a verdict. */
  pending?: boolean;
}

/** The course directory to read: --dir, else the configured one; a clear line when there is none (all instructor commands). */
export async function courseDir(args: { dir?: string }): Promise<string> {
  const { resolve } = await import('node:path');
  if (args.dir) return resolve(args.dir);
  const { resolveCourseDir, configFiles } = await import('../../course/config.js');
  const setting = resolveCourseDir();
  if (!setting) {
    throw new UserError('no course directory configured', {
      hint: `pass --dir DIR, set EDS_COURSE_DIR, or write {"course_dir": "DIR"} to ${configFiles()[1] ?? configFiles()[0]}`,
    });
  }
  return setting.dir;
}

/** The installed lessons' free-text questions, in course order, with their prompt and model answer. */
async function textQuestions(): Promise<TextQuestion[]> {
  const { loadLessons } = await import('../../lessons/index.js');
  const out: TextQuestion[] = [];
  for (const lesson of loadLessons(process.env.EDS_LESSONS_DIR || undefined).lessons) {
    for (const step of lesson.steps) {
      if (step.kind !== 'question' || step.type !== 'text') continue;
      const grading = step.grading === 'review' ? 'review' : 'auto';
      out.push({ lesson: lesson.id, question: step.id, prompt: step.prompt.trim(), modelAnswer: step.answerText?.trim() || null, grading });
    }
  }
  return out;
}

function warnProblems(problems: readonly string[]): void {
  const shown = problems.slice(0, 20);
  for (const p of shown) process.stderr.write(`eds: ${p}\n`);
  if (problems.length > shown.length) process.stderr.write(`eds: … and ${problems.length - shown.length} more problems\n`);
}

export const reviewCommand: CommandModule<object, ReviewArgs> = {
  command: 'review',
  describe: "free-text answers by question with the tutor's verdict; accept or refuse each (a keyboard screen; --json/--csv, --apply FILE without one)",
  builder: (y) =>
    y
      .option('dir', { type: 'string', describe: 'the course directory (default: EDS_COURSE_DIR, else the config file)' })
      .option('lesson', { type: 'string', describe: 'only this lesson' })
      .option('question', { type: 'string', describe: 'only this question id' })
      .option('pending', { type: 'boolean', describe: 'only answers no instructor has judged yet' })
      .option('json', {
        type: 'boolean',
        describe: 'print the listing as JSON: {questions: [{lesson, question, prompt, modelAnswer, answers: [{key, …, verdict}]}], problems}',
      })
      .option('csv', { type: 'boolean', describe: 'print one answer a row as CSV; fill in the verdict column and give the file to --apply' })
      .option('apply', {
        type: 'string',
        describe:
          'apply verdicts from FILE: CSV (key, verdict, note columns, as --csv prints) or JSON [{key, verdict, note}]; verdict is accept, refuse or clear',
      })
      .conflicts('json', 'csv')
      .conflicts('apply', ['json', 'csv']) as never,
  handler: async (args) => {
    if (args.apply === '') throw new UsageError('say which file: --apply FILE');
    const dir = await courseDir(args);
    const { readCourseRecords } = await import('../../course/class-report.js');
    const review = await import('../../course/review.js');
    const { safeLine } = await import('../../util/safe-text.js');
    const questions = await textQuestions();
    // The tutor's grade and the verdicts read apart: the listing shows both.
    const data = readCourseRecords(dir, { verdicts: false });
    const read = review.readVerdicts(dir);
    const problems = [...data.problems, ...read.problems];
    const attempts = data.attempts;
    const all = review.buildReviewListing(attempts, questions, read.verdicts);

    if (args.apply !== undefined) {
      const { readFileSync } = await import('node:fs');
      let text: string;
      try {
        text = readFileSync(args.apply, 'utf8');
      } catch (err) {
        const { errnoText } = await import('../../course/layout.js');
        throw new UserError(`cannot read ${args.apply}: ${errnoText(err)}`);
      }
      const source = safeLine(args.apply, 300);
      const parsed = review.parseVerdictRequests(text, source);
      const current = new Map(all.flatMap((g) => g.answers.map((a) => [a.key, a.verdict] as const)));
      const plan = review.planApply(parsed.requests, current, source);
      const login = review.instructorLogin();
      for (const r of plan.writes) review.appendVerdict({ dir, login }, r);
      const refused = [...parsed.problems, ...plan.unknown];
      for (const p of refused) process.stderr.write(`eds: ${safeLine(p, 2000)}\n`);
      const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
      process.stdout.write(
        `${count(plan.writes.length, 'verdict')} applied by ${login}` +
          `${plan.unchanged ? `, ${plan.unchanged} already in force` : ''}${parsed.blank ? `, ${count(parsed.blank, 'row')} without a verdict skipped` : ''}` +
          `${refused.length ? `, ${count(refused.length, 'line')} refused (above)` : ''}\n`,
      );
      if (refused.length) process.exitCode = 1;
      return;
    }

    if (args.lesson !== undefined && !all.some((g) => g.lesson === args.lesson) && !questions.some((q) => q.lesson === args.lesson)) {
      const known = [...new Set([...questions.map((q) => q.lesson), ...all.map((g) => g.lesson)])].join(', ');
      throw new UserError(`no lesson ${safeLine(args.lesson, 60)} with free-text questions`, known ? { hint: `lessons: ${known}` } : {});
    }
    if (args.question !== undefined) {
      const inLesson = (l: string) => args.lesson === undefined || l === args.lesson;
      const ids = [
        ...new Set([...questions.filter((q) => inLesson(q.lesson)).map((q) => q.question), ...all.filter((g) => inLesson(g.lesson)).map((g) => g.question)]),
      ];
      if (!ids.includes(args.question))
        throw new UserError(
          `no free-text question ${safeLine(args.question, 60)}${args.lesson ? ` in ${safeLine(args.lesson, 60)}` : ''}`,
          ids.length ? { hint: `questions: ${ids.slice(0, 30).join(', ')}` } : {},
        );
    }
    const filter = { lesson: args.lesson, question: args.question };
    if (args.json || args.csv || !(await atTerminal())) {
      const groups = review.buildReviewListing(attempts, questions, read.verdicts, { ...filter, pending: args.pending });
      if (args.json) {
        process.stdout.write(review.reviewJson(groups, problems));
        return;
      }
      warnProblems(problems.map((p) => safeLine(p, 2000)));
      if (args.csv) process.stdout.write(review.reviewCsv(groups));
      else process.stdout.write(groups.length ? review.formatReviewListing(groups) : `No free-text answers${args.pending ? ' waiting for a verdict' : ''}.\n`);
      return;
    }

    // At a terminal: the keyboard screen; every verdict is on disk before the screen shows it.
    const groups = review.buildReviewListing(attempts, questions, read.verdicts, filter);
    const login = review.instructorLogin();
    const failures = new Set<string>();
    const { prepareTui } = await import('../interactive.js');
    prepareTui();
    const { runReviewTui } = await import('../../tui/review/run.js');
    await runReviewTui({
      groups,
      login,
      dir,
      pendingOnly: args.pending === true,
      problems: problems.length,
      record: (key, verdict, note) => {
        try {
          const line = review.appendVerdict({ dir, login }, { key, verdict, note });
          return line.verdict === 'clear' ? null : { verdict: line.verdict, note: line.note, by: line.by, time: line.time };
        } catch (err) {
          // The screen has one line for it; the whole message and its fix are printed on the way out.
          if (err instanceof UserError) failures.add(`${err.message}${err.hint ? `\n  try: ${err.hint}` : ''}`);
          throw err;
        }
      },
    });
    warnProblems(problems.map((p) => safeLine(p, 2000)));
    for (const f of failures) process.stderr.write(`eds: verdict not saved: ${f}\n`);
    if (failures.size) process.exitCode = 1;
  },
};

async function atTerminal(): Promise<boolean> {
  const { canRunTui } = await import('../interactive.js');
  return canRunTui();
}
