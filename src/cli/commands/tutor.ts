// `eds`: opens the tutor at the student's next step.
import type { CommandModule } from 'yargs';

export const tutorCommand: CommandModule = {
  command: '$0',
  describe: 'open the tutor at your next step',
  handler: async () => {
    process.stdout.write('eds: the tutor is being built\n');
  },
};
