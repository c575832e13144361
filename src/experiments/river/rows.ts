// The rows a river model is fitted on: features and target of the aligned samples, in linear or log space.
import type { ProbeColumn, RiverCalibration } from '../../hydrology/calibration.js';
import type { RiverTaskOptions } from './types.js';
import { log10OrNaN } from './series.js';

/** Rows of the aligned samples usable in a space: in log space, rows with a non-positive value are left out (and counted). */
export function rowsFor(
  cal: RiverCalibration,
  features: readonly ProbeColumn[],
  log: boolean,
): { X: number[][]; y: number[]; t: number[]; temp: number[]; excluded: number } {
  const a = cal.aligned;
  const X: number[][] = [];
  const y: number[] = [];
  const t: number[] = [];
  const temp: number[] = [];
  let excluded = 0;
  for (let k = 0; k < a.target.length; k++) {
    const raw = features.map((f) => a.columns[f]![k]!);
    // Temperature is never log-transformed: °C has an arbitrary zero.
    const row = raw.map((v, j) => (log && features[j] !== 'temperature_c' ? log10OrNaN(v) : v));
    const target = log ? log10OrNaN(a.target[k]!) : a.target[k]!;
    if (!row.every(Number.isFinite) || !Number.isFinite(target)) {
      excluded++;
      continue;
    }
    X.push(row);
    y.push(target);
    t.push(a.timeMs[k]!);
    temp.push(a.columns.temperature_c![k]!);
  }
  return { X, y, t, temp, excluded };
}

export function featureColumns(set: RiverTaskOptions['features']): ProbeColumn[] {
  const names: Record<string, ProbeColumn> = { turbidity: 'turbidity_ntu', level: 'level_m', temperature: 'temperature_c' };
  return set.split('+').map((n) => names[n]!);
}
