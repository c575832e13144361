// `eds progress [--json]`: what this student has done, lesson by lesson and question by question.
import type { CommandModule } from 'yargs';

interface ProgressArgs {
  json?: boolean;
}

export const progressCommand: CommandModule<object, ProgressArgs> = {
  command: 'progress',
  describe: 'show what you have done (steps finished, questions answered)',
  builder: (y) => y.option('json', { type: 'boolean', describe: 'print JSON' }),
  handler: async (args) => {
    const { openForCli } = await import('../interactive.js');
    const { progressReport, formatProgress } = await import('../../tutor/progress.js');
    const { services, store } = await openForCli();
    try {
      // The lesson files' problems say why a lesson with answers in the store is missing from the lessons.
      const report = progressReport(services.user, services.lessons, store.allProgress(), store.attempts(), services.problems);
      process.stdout.write(args.json ? JSON.stringify(report, null, 2) + '\n' : formatProgress(report));
    } finally {
      store.close();
    }
  },
};
