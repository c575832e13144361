// The `river-obsera` dataset: the ObsEra lab file shipped in datasets/river-obsera/, read as it is. Apart from the
// river-lab task so the dataset registry can load it without the task's figures (and their imports).
import { join } from 'node:path';
import { readCsvFile, type CsvReport, type Table } from '../data/csv.js';
import type { Dataset } from '../data/types.js';
import { LAB_COLUMNS, OBSERA_FILE } from '../hydrology/lab-samples.js';
import { PACKAGE_ROOT } from '../version.js';

/** The dataset's name in `eds datasets list`. */
export const OBSERA_DATASET = 'river-obsera';

/** Where the shipped file lies in the installed package. */
export function obseraPath(): string {
  return join(PACKAGE_ROOT, 'datasets', OBSERA_DATASET, OBSERA_FILE);
}

/** Reads the shipped file, or a student's own export of the same form. */
export async function readObsera(path?: string, delimiter?: string): Promise<{ table: Table; report: CsvReport }> {
  return readCsvFile(path ?? obseraPath(), { delimiter, ...(path === undefined ? { source: OBSERA_FILE } : {}) });
}

/** The `river-obsera` dataset: the file as read (every column, every row), to predict suspended load from the level. */
export async function obseraDataset(): Promise<Dataset> {
  const { table } = await readObsera();
  return {
    ...table,
    name: OBSERA_DATASET,
    target: LAB_COLUMNS.ssc,
    task: 'regression',
    features: [LAB_COLUMNS.level],
    timeColumns: [LAB_COLUMNS.date, LAB_COLUMNS.hour],
  };
}
