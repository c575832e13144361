// `eds start <lesson>`: opens the TUI at a lesson; without a terminal, prints the lesson as plain text.
import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';
import { canRunTui, openForCli, prepareTui } from '../interactive.js';

interface StartArgs {
  lesson: string;
}

export const startCommand: CommandModule<object, StartArgs> = {
  command: 'start <lesson>',
  describe: 'open a lesson (its id from `eds lessons`)',
  builder: (y) => y.positional('lesson', { type: 'string', demandOption: true, describe: 'lesson id, e.g. intro' }),
  handler: async (args) => {
    const { services, store } = await openForCli();
    try {
      const lesson = services.lessons.find((l) => l.id === args.lesson);
      if (!lesson) {
        const { formatProblem } = await import('../../lessons/index.js');
        const broken = services.problems.filter((p) => p.file.includes(args.lesson));
        if (broken.length > 0) throw new UserError(broken.map(formatProblem).join('\n'));
        const known = services.lessons.map((l) => l.id).join(', ') || 'none';
        throw new UserError(`no lesson "${args.lesson}" (lessons: ${known})`, { hint: 'eds lessons' });
      }
      if (!canRunTui()) {
        // The seed the tutor would run this student's experiments with, so the printed commands give their numbers.
        const { plainLessonFor } = await import('../../tutor/plain.js');
        process.stdout.write(plainLessonFor(lesson, Math.min(100, process.stdout.columns || 80), services.seedFor(lesson.id)) + '\n');
        return;
      }
      const progress = store.progress(lesson.id);
      prepareTui();
      const { runTui } = await import('../../tui/run.js');
      await runTui(services, { name: 'lesson', lesson: lesson.id, step: progress?.currentStep ?? 0 });
    } finally {
      store.close();
    }
  },
};
