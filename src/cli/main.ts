// The `eds` command line: parses arguments with yargs and dispatches to one command module per file.
import yargs from 'yargs';
import { commands } from './commands/index.js';
import { noteRunArguments } from './commands/run.js';
import { describeError, UsageError } from '../errors.js';
import { VERSION } from '../version.js';

/** Runs the CLI with the given arguments (without `node` and the script path). */
export async function main(argv: string[]): Promise<void> {
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
  try {
    await parser.parseAsync();
  } catch (err) {
    const { text, exitCode } = describeError(err);
    process.stderr.write(text + '\n');
    process.exitCode = exitCode;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
