// `eds demo plots`: every plot of the terminal graphics kit on built-in sample data, at the terminal's size and colours.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { ColorDepth } from '../../render/caps.js';
import { UserError } from '../../errors.js';

interface DemoArgs {
  what: string;
  ascii?: boolean;
  width?: number;
  height?: number;
  colors?: string;
  only?: string;
}

export const demoCommand: CommandModule<object, DemoArgs> = {
  command: 'demo <what>',
  describe: 'show what the terminal can draw (eds demo plots)',
  builder: (yargs: Argv) =>
    yargs
      .positional('what', { describe: 'what to show', choices: ['plots'] as const, type: 'string', demandOption: true })
      .option('ascii', { type: 'boolean', describe: 'plain ASCII, no Unicode' })
      .option('width', { type: 'number', describe: 'columns to draw in (default: the terminal width)' })
      .option('height', { type: 'number', describe: 'rows per plot (default: the terminal height)' })
      .option('colors', { type: 'string', describe: 'colour depth: 0, 16, 256 or truecolor (default: detected)' })
      .option('only', { type: 'string', describe: 'one plot by id (training, scatter-loglog, confusion, …)' }) as unknown as Argv<DemoArgs>,
  handler: async (argv: ArgumentsCamelCase<DemoArgs>) => {
    const { detectCaps } = await import('../../render/caps.js');
    const { demoFigures } = await import('../../render/demo.js');
    const caps = detectCaps();
    const size = (value: number | undefined, name: string, min: number): number | undefined => {
      if (value === undefined) return undefined;
      if (!Number.isInteger(value) || value < min || value > 1000) throw new UserError(`--${name} must be a whole number from ${min} to 1000, not ${value}`);
      return value;
    };
    caps.width = size(argv.width, 'width', 10) ?? caps.width;
    // By default leave one line for the shell prompt, so a whole figure stays on screen.
    caps.height = size(argv.height, 'height', 3) ?? Math.max(3, caps.height - 1);
    if (argv.colors !== undefined) {
      const depths: Record<string, ColorDepth> = { '0': 0, '16': 16, '256': 256, truecolor: 'truecolor' };
      const depth = depths[argv.colors];
      if (depth === undefined) throw new UserError(`--colors must be 0, 16, 256 or truecolor, not "${argv.colors}"`);
      caps.colors = depth;
    }
    if (argv.ascii) caps.unicode = false;
    let figures = demoFigures();
    if (argv.only !== undefined) {
      figures = figures.filter((f) => f.id === argv.only);
      if (figures.length === 0)
        throw new UserError(
          `no demo plot "${argv.only}"; ids: ${demoFigures()
            .map((f) => f.id)
            .join(', ')}`,
        );
    }
    // One figure per screen height, separated by a blank line, so `| less -R` pages through them.
    const out = figures.map((f) => f.render(caps)).join('\n\n');
    process.stdout.write(out + '\n');
  },
};
