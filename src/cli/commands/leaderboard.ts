// `eds leaderboard [--json]`: your best digits run and the class ranking your instructor published.
import type { CommandModule } from 'yargs';
import { printResult } from '../print-result.js';

interface LeaderboardArgs {
  json?: boolean;
}

export const leaderboardCommand: CommandModule<object, LeaderboardArgs> = {
  command: 'leaderboard',
  describe: 'your best digits run (session 5) and your place in the class ranking, once your instructor publishes it',
  builder: (y) => y.option('json', { type: 'boolean', describe: 'print JSON (has_entry, best_params, ranking, rank, class_size, …)' }),
  handler: async (args) => {
    const { runLeaderboardTask } = await import('../../experiments/leaderboard.js');
    const { openStore } = await import('../../store/index.js');
    const { dirname } = await import('node:path');
    // The same store the tutor uses (EDS_HOME, EDS_USER), its warnings shown once; the task reopens it read-only in effect.
    const store = openStore();
    for (const w of store.warnings) process.stderr.write(`eds: ${w}\n`);
    const context = { home: dirname(store.path), user: store.user };
    store.close();
    await printResult(await runLeaderboardTask({}, 0, undefined, context), Boolean(args.json));
  },
};
