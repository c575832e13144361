// `eds reset <lesson>`: start a lesson over after a confirmation; the attempt log keeps every old answer.
import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';

interface ResetArgs {
  lesson: string;
  yes?: boolean;
}

export const resetCommand: CommandModule<object, ResetArgs> = {
  command: 'reset <lesson>',
  describe: 'start a lesson over (your old answers stay in the log)',
  builder: (y) =>
    y
      .positional('lesson', { type: 'string', demandOption: true, describe: 'lesson id' })
      .option('yes', { alias: 'y', type: 'boolean', describe: 'do not ask for confirmation' }),
  handler: async (args) => {
    const { openForCli } = await import('../interactive.js');
    const { services, store } = await openForCli();
    try {
      if (!services.lessons.some((l) => l.id === args.lesson) && !store.progress(args.lesson)) {
        throw new UserError(`no lesson "${args.lesson}"`, { hint: 'eds lessons' });
      }
      if (!args.yes) {
        if (!process.stdin.isTTY) throw new UserError('reset needs a confirmation: run it in a terminal, or add --yes');
        const { createInterface } = await import('node:readline/promises');
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        const reply = await rl.question(`Start "${args.lesson}" over? Your answers stay in the log. [y/N] `);
        rl.close();
        if (!/^y(es)?$/i.test(reply.trim())) {
          process.stdout.write('Nothing changed.\n');
          return;
        }
      }
      store.resetLesson(args.lesson);
      process.stdout.write(`"${args.lesson}" starts over at step 1; earlier answers are kept in the log.\n`);
    } finally {
      store.close();
    }
  },
};
