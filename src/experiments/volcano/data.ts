// The volcano lesson's feature table, kept between steps, and the column and label codes its tasks index it by.
import { UserError } from '../../errors.js';
import type { Matrix } from '../../ml/types.js';
import { FEATURE_NAMES } from '../../seismology/features.js';
import {
  generateVolcano,
  volcanoFeatures,
  VOLCANO_CLASSES,
  type VolcanoClass,
  type VolcanoEvent,
  type VolcanoFeatureTable,
} from '../../seismology/volcano-data.js';

// The catalogue takes seconds to generate and every experiment of the lesson uses the same one, so the
// last feature table is kept (a few kilobytes); same seed, size and station give the same table anyway.
let lastTable: { key: string; table: VolcanoFeatureTable } | null = null;

/** The feature table of the student's catalogue at one station (generated, or the one just computed). */
export function volcanoTableFor(
  seed: number,
  nEvents: number,
  station: string,
  onStatus?: (m: string) => void,
  events?: readonly VolcanoEvent[],
): VolcanoFeatureTable {
  const key = `${seed}:${nEvents}:${station}`;
  if (lastTable?.key === key) return lastTable.table;
  onStatus?.(`generating ${nEvents} volcano events…`);
  const catalogue = events ?? generateVolcano({ seed, nEvents });
  onStatus?.(`computing features at ${station}…`);
  const table = volcanoFeatures(catalogue, station);
  lastTable = { key, table };
  return table;
}

/** Class labels as codes 0..5 in {@link VOLCANO_CLASSES} order (absent classes keep their code, so matrices line up). */
export function classCodes(labels: readonly VolcanoClass[]): number[] {
  return labels.map((l) => VOLCANO_CLASSES.indexOf(l));
}

/** The column indices of a list of feature names. */
export function featureIndices(names: readonly string[]): number[] {
  return names.map((n) => {
    const j = (FEATURE_NAMES as readonly string[]).indexOf(n);
    if (j < 0) throw new UserError(`unknown feature "${n}" (known: ${FEATURE_NAMES.join(', ')})`);
    return j;
  });
}

/** The given columns of every row. */
export function columns(X: Matrix, idx: readonly number[]): Matrix {
  return X.map((row) => idx.map((j) => row[j]!));
}
