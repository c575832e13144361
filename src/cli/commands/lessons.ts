// `eds lessons [--json]` lists the lessons with progress; `eds lessons check [DIR]` validates lesson files;
// `eds lessons try LESSON QUESTION ANSWER` grades one answer as the tutor would.
import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';
import { tryCommand, type TryArgs } from './lessons-try.js';

interface ListArgs {
  json?: boolean;
}
interface CheckArgs {
  dir?: string;
}

const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check [dir]',
  describe: 'validate lesson files (a folder or one file; default: the packaged lessons); errors as file:line: message',
  builder: (y) => y.positional('dir', { type: 'string', describe: 'folder of lesson files, or one .md file' }),
  handler: async (args) => {
    const { checkLessons, formatProblem } = await import('../../lessons/index.js');
    const { existsSync } = await import('node:fs');
    if (args.dir && !existsSync(args.dir)) throw new UserError(`${args.dir}: no such file or folder`);
    const result = checkLessons(args.dir);
    for (const problem of result.problems) process.stdout.write(formatProblem(problem) + '\n');
    const n = result.problems.length;
    process.stderr.write(`${result.files} lesson file${result.files === 1 ? '' : 's'} checked, ${n} problem${n === 1 ? '' : 's'}\n`);
    if (n > 0) process.exitCode = 1;
  },
};

export const lessonsCommand: CommandModule<object, ListArgs> = {
  command: 'lessons',
  describe: 'list the lessons and your progress in each',
  builder: (y) =>
    y
      .command(checkCommand as CommandModule<object, CheckArgs>)
      .command(tryCommand as CommandModule<object, TryArgs>)
      .option('json', { type: 'boolean', describe: 'print JSON: [{id, session, title, steps, questions, progress}]' }) as never,
  handler: async (args) => {
    const { openForCli } = await import('../interactive.js');
    const { lessonRows } = await import('../../tutor/progress.js');
    const { formatProblem } = await import('../../lessons/index.js');
    const { safeLine } = await import('../../util/safe-text.js');
    const { services, store } = await openForCli();
    try {
      const rows = lessonRows(services.lessons, store.allProgress());
      if (args.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      // Each column as wide as its longest cell in terminal columns, so a long id or a wide title keeps the rows aligned.
      const { displayWidth } = await import('../../util/text.js');
      const { padColumns } = await import('../../tutor/plain.js');
      const cells = rows.map((r) => ({ r, id: safeLine(r.id, 40), title: safeLine(r.title, 80) }));
      const idWidth = Math.max(16, ...cells.map((c) => displayWidth(c.id)));
      const titleWidth = Math.max(40, ...cells.map((c) => displayWidth(c.title)));
      for (const { r, id, title } of cells) {
        process.stdout.write(
          `${String(r.session).padStart(2)}  ${padColumns(id, idWidth)} ${padColumns(title, titleWidth)} ${r.progress.completed_steps}/${r.steps} steps, ${r.questions} questions, ${r.progress.state}\n`,
        );
      }
      if (rows.length === 0) process.stdout.write('No lessons found.\n');
      // Lesson files are text anyone may have written: their problems are printed inert, as `lessons check` does.
      for (const p of services.problems) process.stderr.write(`${formatProblem(p)}\n`);
    } finally {
      store.close();
    }
  },
};
