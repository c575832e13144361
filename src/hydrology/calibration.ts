// The river calibration set: a student's generated record, probes cleaned and put on one grid, lab samples matched to them; also the `river` dataset's table.
import type { Table } from '../data/csv.js';
import { generateRiver, isoTime, type RiverData } from './river-data.js';
import { matchSamples, prepareProbes, type AlignOptions, type AlignedSamples, type ProbeSeries } from './align.js';
import { roundTo } from '../util/stats.js';

/** Probe column names, as in the exported file, with their units in the name. */
export const PROBE_COLUMNS = ['level_m', 'turbidity_ntu', 'temperature_c'] as const;
/** One of `PROBE_COLUMNS`. */
export type ProbeColumn = (typeof PROBE_COLUMNS)[number];

/** A record with its probes on the grid and its samples aligned. */
export interface RiverCalibration {
  /** The generated record (parameters, raw tables, truth). */
  data: RiverData;
  /** Probes resampled onto one grid, short gaps filled. */
  probes: ProbeSeries;
  /** Lab samples with the probe values at their times, and the count of the dropped ones. */
  aligned: AlignedSamples;
}

// Regenerating two years takes about a second: keep the last few records, since a lesson runs several
// experiments on the same seed. Results are immutable, so sharing them is safe.
const recent = new Map<number, RiverData>();
const KEEP = 3;

/** The record of a seed (generated once, then reused). */
export function riverRecord(seed: number): RiverData {
  let data = recent.get(seed);
  if (!data) {
    data = generateRiver({ seed });
    if (recent.size >= KEEP) recent.delete(recent.keys().next().value!);
  } else recent.delete(seed);
  recent.set(seed, data);
  return data;
}

/** Cleans, resamples and gap-fills the probes of a record, then matches the lab samples to them. */
export function calibrate(data: RiverData, options: AlignOptions = {}): RiverCalibration {
  const p = data.probes;
  const probes = prepareProbes(p.timeMs, { level_m: p.levelM, turbidity_ntu: p.turbidityNtu, temperature_c: p.temperatureC }, options);
  const aligned = matchSamples(probes, data.samples.timeMs, data.samples.sscMgL, options);
  return { data, probes, aligned };
}

/**
 * The `river` dataset as one table: every lab sample that survived alignment, with the probe values
 * at its time. Target `ssc_mg_l`; features level, turbidity and temperature; time in `timestamp`.
 */
export function riverSampleTable(seed: number, options: AlignOptions = {}): Table {
  const { data, aligned } = calibrate(riverRecord(seed), options);
  const s = data.samples;
  return {
    columns: ['timestamp', 'sample_id', 'campaign', 'ssc_mg_l', ...PROBE_COLUMNS],
    rows: aligned.timeMs.map((t, k) => {
      const i = aligned.sourceIndex[k]!;
      return [isoTime(t), s.id[i]!, s.campaign[i]!, aligned.target[k]!, ...PROBE_COLUMNS.map((c) => roundTo(aligned.columns[c]![k]!, 4))];
    }),
    source: `river (seed ${seed})`,
  };
}
