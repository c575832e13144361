// `eds datasets list|export`: the built-in data, listed or written out as CSV so it can be opened anywhere.
import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

interface ListArgs {
  json?: boolean;
}
interface ExportArgs {
  name?: string;
  seed: number;
  out?: string;
}

const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: 'list the datasets (name, default task, description)',
  builder: (y) => y.option('json', { type: 'boolean', describe: 'print JSON: {datasets: [{name, task, description}]}' }) as never,
  handler: async (args) => {
    const { listDatasets } = await import('../../data/registry.js');
    const list = listDatasets().map((d) => ({ name: d.name, task: d.task, description: d.description }));
    if (args.json) {
      process.stdout.write(JSON.stringify({ datasets: list }, null, 2) + '\n');
      return;
    }
    const width = Math.max(...list.map((d) => d.name.length));
    const taskWidth = Math.max(...list.map((d) => d.task.length));
    for (const d of list) process.stdout.write(`${d.name.padEnd(width)}  ${d.task.padEnd(taskWidth)}  ${d.description}\n`);
  },
};

const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <name>',
  describe: 'write a dataset as CSV (comma-separated, header line), to stdout or to a file',
  builder: (y) =>
    y
      .positional('name', { type: 'string', describe: 'dataset name (see eds datasets list)' })
      .option('seed', { type: 'number', default: 0, describe: 'seed for generated datasets (shipped files ignore it)' })
      .option('out', { type: 'string', describe: 'output file, written atomically (temp file + rename); stdout if absent' }) as never,
  handler: async (args) => {
    if (!args.name) throw new UsageError('say which dataset to export', 'eds datasets list');
    if (!Number.isInteger(args.seed)) throw new UsageError(`--seed must be an integer, got ${args.seed}`);
    const { loadDataset } = await import('../../data/registry.js');
    const { formatCsv } = await import('../../data/csv.js');
    const dataset = await loadDataset(args.name, { seed: args.seed });
    const text = formatCsv(dataset);
    if (args.out === undefined) {
      process.stdout.write(text);
      return;
    }
    const { writeFileAtomic } = await import('../../data/write.js');
    await writeFileAtomic(args.out, text);
    process.stderr.write(`eds: wrote ${dataset.rows.length} rows × ${dataset.columns.length} columns to ${args.out}\n`);
  },
};

export const datasetsCommand: CommandModule<object, object> = {
  command: 'datasets',
  describe: 'list the built-in datasets, or export one as CSV',
  builder: (y) =>
    y
      .command(listCommand as CommandModule<object, ListArgs>)
      .command(exportCommand as CommandModule<object, ExportArgs>)
      .demandCommand(1, 'say which: eds datasets list, or eds datasets export <name>') as never,
  handler: () => {},
};
