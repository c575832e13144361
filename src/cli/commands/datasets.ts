// `eds datasets list|card|export`: the built-in data, listed, described by its card, or written out as CSV so it can be opened anywhere.
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';

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
  describe: 'list the datasets: real files (with licence and source) apart from those generated per seed',
  builder: (y) =>
    y.option('json', {
      type: 'boolean',
      describe: 'print JSON: {datasets: [{name, task, description, origin: {kind, licence?, source?, citation?, model?}}]}',
    }) as never,
  handler: async (args) => {
    const { listDatasets } = await import('../../experiments/datasets.js');
    const list = listDatasets().map((d) => ({ name: d.name, task: d.task, description: d.description, origin: d.origin }));
    if (args.json) {
      process.stdout.write(JSON.stringify({ datasets: list }, null, 2) + '\n');
      return;
    }
    const width = Math.max(...list.map((d) => d.name.length));
    const taskWidth = Math.max(...list.map((d) => d.task.length));
    const row = (d: (typeof list)[number]) => `  ${d.name.padEnd(width)}  ${d.task.padEnd(taskWidth)}  ${d.description}\n`;
    const real = list.filter((d) => d.origin.kind === 'real');
    const generated = list.filter((d) => d.origin.kind === 'generated');
    process.stdout.write('Real files, shipped with eds (licence and source: eds datasets card NAME)\n');
    for (const d of real) process.stdout.write(row(d) + (d.origin.kind === 'real' ? `  ${' '.repeat(width + taskWidth + 4)}${d.origin.licence}\n` : ''));
    process.stdout.write('\nGenerated per seed from a model: every student draws their own\n');
    for (const d of generated) process.stdout.write(row(d));
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
    const { loadDataset } = await import('../../experiments/datasets.js');
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

interface CardArgs {
  name?: string;
  raw?: boolean;
}

const cardCommand: CommandModule<object, CardArgs> = {
  command: 'card <name>',
  describe: "print a dataset's card: what it is, its columns and units, how it was made (names: eds datasets list)",
  builder: (y) =>
    y
      .positional('name', { type: 'string', describe: 'dataset name, e.g. river, volcano, lidar, phases, iris' })
      .option('raw', { type: 'boolean', describe: 'print the card as its Markdown source' }) as never,
  handler: async (args) => {
    if (!args.name) throw new UsageError('say which dataset', 'eds datasets list');
    const { datasetCard } = await import('../../data/cards.js');
    const card = datasetCard(args.name);
    if (args.raw) {
      process.stdout.write(card.markdown.endsWith('\n') ? card.markdown : `${card.markdown}\n`);
      return;
    }
    // Rendered as the tutor renders lessons (tables aligned, markup drawn), to the terminal's width and charset.
    const { renderMarkdown } = await import('../../lessons/markdown.js');
    const { detectCaps } = await import('../../render/caps.js');
    const caps = detectCaps();
    const lines = renderMarkdown(card.markdown, { ...caps, width: Math.min(100, caps.width), height: 10_000 });
    process.stdout.write(lines.join('\n') + '\n');
  },
};

export const datasetsCommand: CommandModule<object, object> = {
  command: 'datasets',
  describe: 'list the built-in datasets, print the card of one, or export one as CSV',
  builder: (y) =>
    y
      .command(listCommand as CommandModule<object, ListArgs>)
      .command(exportCommand as CommandModule<object, ExportArgs>)
      .command(cardCommand as CommandModule<object, CardArgs>)
      .demandCommand(1, 'say which: eds datasets list, eds datasets card <name>, or eds datasets export <name>') as never,
  handler: () => {},
};
