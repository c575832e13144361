// The `eds` command line: parses arguments with yargs and dispatches to one command module per file.
//
// The two commands run most, `eds` (the tutor) and `eds --version`, skip yargs and the other commands' modules:
// loading and setting them up is a third of a start, and neither needs them. Everything else goes through yargs.
import { describeError, UsageError } from '../errors.js';
import { canRunTui, prepareTui } from './terminal.js';
import { VERSION } from '../version.js';

/** Runs the CLI with the given arguments (without `node` and the script path). */
export async function main(argv: string[]): Promise<void> {
  try {
    if (argv.length === 0) {
      // The screen's modules load while the store and lessons open (the tutor command imports them again, loaded).
      if (canRunTui()) {
        prepareTui();
        import('../tui/run.js').catch(() => {});
      }
      // What yargs would run for no arguments: the default command, with no options.
      const { tutorCommand } = await import('./commands/tutor.js');
      await tutorCommand.handler({ _: [], $0: 'eds' });
      return;
    }
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
      process.stdout.write(`${VERSION}\n`);
      return;
    }
    await parse(argv);
  } catch (err) {
    const { text, exitCode } = describeError(err);
    process.stderr.write(text + '\n');
    process.exitCode = exitCode;
  }
}

async function parse(argv: string[]): Promise<void> {
  const [{ default: yargs }, { commands }, { noteRunArguments }] = await Promise.all([
    import('yargs'),
    import('./commands/index.js'),
    import('./commands/run.js'),
  ]);
  // `eds run <task> --help` lists that task's own flags.
  noteRunArguments(argv);
  const parser = yargs(argv)
    .scriptName('eds')
    .usage('$0 [command]\n\nA terminal tutor for the Earth Data Science course. With no command, opens the tutor at your next step.')
    .version(VERSION)
    .alias('v', 'version')
    .help()
    .alias('h', 'help')
    .strict()
    .recommendCommands()
    .completion('completion', 'print a shell completion script (eds completion >> ~/.bashrc)')
    .wrap(Math.min(100, process.stdout.columns || 80))
    .fail((msg, err) => {
      // Throwing here stops yargs before any handler runs.
      throw err ?? new UsageError(oneLine(msg ?? 'invalid command line'), 'eds --help');
    })
    .exitProcess(false);
  for (const command of commands) parser.command(command);
  await parser.parseAsync();
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
