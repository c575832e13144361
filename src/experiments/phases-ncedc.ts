// The 22 real NCEDC windows as a table (`eds datasets export phases-ncedc`): one row per window, its picks and metadata.
// The waveforms themselves are 9,001 × 3 samples each and no table form suits them: `eds run pick --dataset
// phases-ncedc` picks them, and the .npz files sit in datasets/phases-ncedc/ for any other tool.
import { basename } from 'node:path';
import type { Cell } from '../data/csv.js';
import type { Dataset } from '../data/types.js';
import { safeLine } from '../util/safe-text.js';
import { NCEDC_WINDOWS_DIR, phaseFiles, readPhaseRecord } from '../seismology/phasenet/records.js';

/** Columns of the export, in order. */
export const NCEDC_COLUMNS = [
  'file',
  'network',
  'station',
  'channels',
  'samples',
  'sample_rate_hz',
  'p_sample',
  's_sample',
  'p_time_s',
  's_time_s',
  's_minus_p_s',
  'live_components',
  'peak_e_counts',
  'peak_n_counts',
  'peak_z_counts',
] as const;

/** Reads every window of `dir` (default: the shipped ones) into one row each. */
export async function ncedcTable(dir: string = NCEDC_WINDOWS_DIR): Promise<Dataset> {
  const { readNpz } = await import('../data/npz.js');
  const rows: Cell[][] = [];
  for (const file of phaseFiles(dir)) {
    const rec = await readPhaseRecord(file);
    // A file's own words are hostile: bounded and made inert before they reach a CSV.
    const channels = safeLine(readNpz(file).text.get('channels')?.text[0] ?? '', 40) || null;
    const [network, station] = safeLine(basename(file), 200).split('_');
    const peaks = [0, 1, 2].map((c) => {
      let peak = 0;
      for (let i = 0; i < rec.total; i++) peak = Math.max(peak, Math.abs(rec.values[i * 3 + c]!));
      return Math.round(peak * 100) / 100;
    });
    const rate = 100;
    rows.push([
      rec.name,
      network ?? null,
      station ?? null,
      channels,
      rec.total,
      rate,
      rec.itp,
      rec.its,
      rec.itp === null ? null : rec.itp / rate,
      rec.its === null ? null : rec.its / rate,
      rec.itp === null || rec.its === null ? null : Math.round(rec.its - rec.itp) / rate,
      peaks.filter((p) => p > 0).length,
      ...peaks,
    ]);
  }
  return { columns: [...NCEDC_COLUMNS], rows, source: 'phases-ncedc', name: 'phases-ncedc', target: null, task: 'clustering' };
}
