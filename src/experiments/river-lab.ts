// The `river-lab` task, the river lesson's real file: the ObsEra water samples at La Digue (Capesterre, Guadeloupe),
// what the file holds and lacks, then suspended load against the water level beside the same fit on the student's
// generated record.
import type { CsvReport, Table } from '../data/csv.js';
import { UserError } from '../errors.js';
import { riverSampleTable } from '../hydrology/calibration.js';
import { groupEvents, LAB_COLUMNS, labColumns, labSamples, OBSERA_FILE, ratingFit, type LabSamples, type RatingFit } from '../hydrology/lab-samples.js';
import { renderBarChart } from '../render/bar.js';
import { renderHistogram } from '../render/histogram.js';
import { renderScatter, type ScatterGroup } from '../render/scatter.js';
import { renderSummaryTable } from '../render/summary.js';
import type { RiverLabTaskOptions } from '../tasks/options.js';
import { quantile, round } from '../util/stats.js';
import { fmt, gridFigure, keyValueFigure } from './common.js';
import { readObsera } from './river-obsera.js';
import type { ExperimentCallbacks, ExperimentResult, Figure } from './types.js';

/** Units of the ObsEra columns, from the WebObs RIVERS form that exports them (the file's header gives only three). */
const UNITS: Readonly<Record<string, string>> = {
  Level: 'cm',
  'Twater (°C)': '°C',
  'Suspended Load': 'mg/L',
  pH: '',
  Conductivity: 'µS/cm',
  Na: 'mg/L',
  K: 'mg/L',
  Mg: 'mg/L',
  Ca: 'mg/L',
  HCO3: 'mg/L',
  Cl: 'mg/L',
  SO4: 'mg/L',
  'Conductivity at 25°C': 'µS/cm',
  'NICB (%)': '%',
};

/** Adapter for the experiment registry. */
export async function runRiverLabTask(options: RiverLabTaskOptions, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  callbacks?.onStatus?.('reading the ObsEra lab file…');
  const { table, report } = await readObsera(options.data, options.delimiter);
  // A row split into more fields than the header (a ";" outside quotes) would be dropped by the reader and change
  // every count: refuse the file rather than teach from part of it.
  labColumns(table);
  if (report.droppedTooManyFields > 0) {
    throw new UserError(
      `${table.source ?? 'lab file'}:${report.droppedLines[0]}: ${report.droppedTooManyFields} row(s) have more fields than the header's ${table.columns.length} (a "${report.delimiter}" outside quotes?)`,
    );
  }
  const lab = labSamples(table);
  if (options.stage === 'inspect') return inspectLab(table, report, lab);
  callbacks?.onStatus?.('generating your river record, for the same fit…');
  return fitLab(lab, options.scale === 'log', seed);
}

const count = <T>(xs: readonly T[], keep: (x: T) => boolean): number => xs.reduce((n, x) => n + (keep(x) ? 1 : 0), 0);
const year = (t: number): number => new Date(t).getUTCFullYear();

/** Stage inspect: the file's size, what each column holds, and where the suspended-load samples are in time. */
export function inspectLab(table: Table, report: CsvReport, lab: LabSamples): ExperimentResult {
  const ssc = lab.sscMgL.filter((v): v is number => v !== null);
  const levels = lab.levelCm.filter((v): v is number => v !== null);
  const pairs = lab.timeMs.map((_, i) => i).filter((i) => lab.sscMgL[i] !== null && lab.levelCm[i] !== null);
  const sscRows = lab.timeMs.map((_, i) => i).filter((i) => lab.sscMgL[i] !== null);
  const events = (rows: number[]) => new Set(groupEvents(rows.map((i) => lab.timeMs[i]!))).size;
  const column = (name: string) => table.columns.indexOf(name);
  const filled = (name: string) => (column(name) < 0 ? 0 : count(table.rows, (r) => r[column(name)] !== null));
  const hour = column(LAB_COLUMNS.hour);
  const times = new Map<number, number>();
  for (const t of lab.timeMs) times.set(t, (times.get(t) ?? 0) + 1);
  const years = lab.timeMs.map(year);
  const [first, last] = [Math.min(...years), Math.max(...years)];
  const perYear = new Map<number, number>();
  for (let y = first; y <= last; y++) perYear.set(y, 0);
  for (const i of sscRows) perYear.set(year(lab.timeMs[i]!), perYear.get(year(lab.timeMs[i]!))! + 1);
  const sorted = ssc.slice().sort((a, b) => a - b);
  const json = {
    task: 'river-lab',
    stage: 'inspect',
    source: table.source ?? OBSERA_FILE,
    n_rows: table.rows.length,
    n_columns: table.columns.length,
    n_short_rows: report.paddedShortRows,
    n_ssc: ssc.length,
    n_level: levels.length,
    n_pairs: pairs.length,
    n_pair_events: pairs.length ? events(pairs) : 0,
    n_ssc_events: sscRows.length ? events(sscRows) : 0,
    n_type1: count(lab.type, (t) => t === 1),
    n_type2: count(lab.type, (t) => t === 2),
    n_temperature: filled('Twater (°C)'),
    n_comments: filled('Comment'),
    n_times_with_seconds: count(table.rows, (r) => /^\d\d:\d\d:/.test(String(r[hour] ?? '').trim())),
    n_duplicate_times: count([...times.values()], (k) => k > 1),
    first_year: first,
    last_year: last,
    n_years_without_ssc: count([...perYear.values()], (k) => k === 0),
    ssc_min_mg_l: sorted.length ? round(sorted[0]!) : null,
    ssc_median_mg_l: sorted.length ? round(quantile(sorted, 0.5)) : null,
    ssc_max_mg_l: sorted.length ? round(sorted[sorted.length - 1]!) : null,
    level_min_cm: levels.length ? round(Math.min(...levels)) : null,
    level_max_cm: levels.length ? round(Math.max(...levels)) : null,
  };
  const numeric = table.columns
    .map((name, c) => ({ name, c }))
    // Type is a code, not a quantity; a unit already in the header ("Twater (°C)") is not repeated.
    .filter(({ name, c }) => name !== LAB_COLUMNS.type && table.rows.some((r) => typeof r[c] === 'number'))
    .map(({ name, c }) => ({
      name,
      unit: name.includes('(') ? undefined : UNITS[name] || undefined,
      values: table.rows.map((r) => (typeof r[c] === 'number' ? r[c] : Number.NaN)),
    }));
  const byType = (from: number[], x: (i: number) => number, y: (i: number) => number): ScatterGroup[] =>
    [1, 2].map((t) => {
      const rows = from.filter((i) => lab.type[i] === t);
      return { name: t === 1 ? 'type 1 (sampler bottles)' : 'type 2 (field visits)', x: rows.map(x), y: rows.map(y) };
    });
  const figures: Figure[] = [
    keyValueFigure('What the lab file holds', [
      ['rows × columns', `${json.n_rows} × ${json.n_columns}`],
      ['rows shorter than the header', `${json.n_short_rows} (missing cells read as empty)`],
      ['years', `${first}–${last} (${json.n_years_without_ssc} without a suspended load)`],
      ['type 1 / type 2 rows', `${json.n_type1} / ${json.n_type2}`],
      ['suspended load (mg/L)', `${json.n_ssc} values in ${json.n_ssc_events} events`],
      ['level (cm)', `${json.n_level} values`],
      ['suspended load and level', `${json.n_pairs} samples in ${json.n_pair_events} events`],
      ['water temperature', `${json.n_temperature} values`],
      ['comments (free text)', `${json.n_comments}`],
      ['times to the microsecond', `${json.n_times_with_seconds}`],
      ['date and time given twice', `${json.n_duplicate_times}`],
      ['turbidity', 'none: no probe series here'],
    ]),
    {
      title: 'Every numeric column: how many values, and their range (empty cells are missing)',
      render: (caps) => renderSummaryTable(numeric, caps),
    },
    {
      title: 'Suspended-load samples per year (a year at 0 has none)',
      render: (caps) =>
        renderBarChart(
          [...perYear].map(([y, k]) => ({ label: String(y), value: k })),
          caps,
        ),
    },
    {
      title: 'Suspended load of every sample over time',
      render: (caps) =>
        renderScatter(
          byType(
            sscRows,
            (i) => lab.timeMs[i]!,
            (i) => lab.sscMgL[i]!,
          ),
          caps,
          { xAxis: { time: true }, yAxis: { label: 'suspended load', unit: 'mg/L', log: true } },
        ),
    },
    {
      title: 'Histogram of the suspended load (log bins)',
      render: (caps) => renderHistogram(ssc, caps, { axis: { label: 'suspended load', unit: 'mg/L', log: true } }),
    },
  ];
  return { json, figures };
}

/** The pairs of one table, as (time, level, SSC), with the ones a log cannot take counted apart. */
interface Pairs {
  timeMs: number[];
  level: number[];
  ssc: number[];
  type: (number | null)[];
  excluded: number;
}

function labPairs(lab: LabSamples, log: boolean): Pairs {
  const out: Pairs = { timeMs: [], level: [], ssc: [], type: [], excluded: 0 };
  lab.timeMs.forEach((t, i) => {
    const [h, c] = [lab.levelCm[i], lab.sscMgL[i]];
    if (h === null || h === undefined || c === null || c === undefined) return;
    if (log && (h <= 0 || c <= 0)) {
      out.excluded++;
      return;
    }
    out.timeMs.push(t);
    out.level.push(h);
    out.ssc.push(c);
    out.type.push(lab.type[i] ?? null);
  });
  return out;
}

/** The student's generated record as the same pairs: its aligned samples' level (m) and SSC (mg/L). */
function generatedPairs(seed: number, log: boolean): Pairs {
  const t = riverSampleTable(seed);
  const [ts, c, h] = ['timestamp', 'ssc_mg_l', 'level_m'].map((n) => t.columns.indexOf(n)) as [number, number, number];
  const out: Pairs = { timeMs: [], level: [], ssc: [], type: [], excluded: 0 };
  for (const row of t.rows) {
    const [level, ssc] = [row[h] as number, row[c] as number];
    if (log && (level <= 0 || ssc <= 0)) {
      out.excluded++;
      continue;
    }
    out.timeMs.push(Date.parse(String(row[ts])));
    out.level.push(level);
    out.ssc.push(ssc);
    out.type.push(null);
  }
  return out;
}

function fitPairs(p: Pairs, log: boolean): RatingFit & { events: number[] } {
  const tf = (v: number) => (log ? Math.log10(v) : v);
  const events = groupEvents(p.timeMs);
  return { ...ratingFit(p.level.map(tf), p.ssc.map(tf), events), events };
}

/** Stage fit: SSC against level on the file (cm) and on the student's record (m), each scored on its own events. */
export function fitLab(lab: LabSamples, log: boolean, seed: number): ExperimentResult {
  const real = labPairs(lab, log);
  if (real.ssc.length < 3)
    throw new UserError(`only ${real.ssc.length} sample(s) have both a suspended load and a level${log ? ' above 0' : ''}: too few to fit`);
  const fit = fitPairs(real, log);
  const events = fit.events;
  const gen = fitPairs(generatedPairs(seed, log), log);
  const smearing = log ? fit.residuals.reduce((a, r) => a + 10 ** r, 0) / fit.n : Number.NaN;
  const json = {
    task: 'river-lab',
    stage: 'fit',
    seed,
    scale: log ? 'log' : 'linear',
    n_pairs: fit.n,
    n_excluded_nonpositive: real.excluded,
    n_events: fit.nEvents,
    slope: round(fit.slope),
    intercept: round(fit.intercept),
    ...(log ? { exponent: round(fit.slope), prefactor_mg_l: round(10 ** fit.intercept), smearing: round(smearing) } : {}),
    r2: round(fit.r2),
    rmse: round(fit.rmse),
    cv_rmse_loo: round(fit.cvRmseLoo),
    cv_rmse_event: round(fit.cvRmseEvent),
    top3_share: round(fit.top3Share),
    gen_n_pairs: gen.n,
    gen_n_events: gen.nEvents,
    gen_slope: round(gen.slope),
    gen_r2: round(gen.r2),
    gen_rmse: round(gen.rmse),
    gen_cv_rmse_loo: round(gen.cvRmseLoo),
    gen_cv_rmse_event: round(gen.cvRmseEvent),
  };
  const unit = log ? 'log10 mg/L' : 'mg/L';
  const figures: Figure[] = [
    gridFigure(
      `SSC against level, ${log ? 'log–log' : 'in mg/L against cm (or m)'}: the ObsEra file and your generated record`,
      ['', 'ObsEra file', 'your record'],
      [
        ['samples (events)', `${fit.n} (${fit.nEvents})`, `${gen.n} (${gen.nEvents})`],
        [log ? 'exponent (slope)' : 'slope (per cm | per m)', fmt(json.slope), fmt(json.gen_slope)],
        ['R²', fmt(json.r2), fmt(json.gen_r2)],
        [`RMSE (${unit})`, fmt(json.rmse), fmt(json.gen_rmse)],
        ['CV RMSE, leave one out', fmt(json.cv_rmse_loo), fmt(json.gen_cv_rmse_loo)],
        ['CV RMSE, leave one event out', fmt(json.cv_rmse_event), fmt(json.gen_cv_rmse_event)],
        ['share of Σ(y−ȳ)² in the 3 largest', fmt(json.top3_share), fmt(round(gen.top3Share))],
      ],
    ),
    keyValueFigure(`The line on the ObsEra file (${log ? 'SSC = a·h^b, h in cm' : 'SSC = slope·h + intercept'})`, [
      ['samples with SSC and level', `${fit.n}${real.excluded ? ` (${real.excluded} at or below 0 left out: no log)` : ''}`],
      ['events (no gap over 12 h inside)', String(fit.nEvents)],
      ...((log
        ? [
            ['exponent b (slope in log–log)', fmt(json.slope)],
            ['log10 prefactor (intercept)', fmt(json.intercept)],
            ['prefactor a (mg/L at 1 cm)', fmt(10 ** fit.intercept)],
            ['smearing factor (mean of 10^residual)', fmt(smearing)],
          ]
        : [
            ['slope (mg/L per cm)', fmt(json.slope)],
            ['intercept (mg/L)', fmt(json.intercept)],
          ]) as [string, string][]),
      [`R² (${log ? 'log space' : 'mg/L'})`, fmt(json.r2)],
      [`RMSE (${unit})`, fmt(json.rmse)],
    ]),
    {
      title: `Suspended load against level, ObsEra file, with the least-squares ${log ? 'power law' : 'line'}`,
      render: (caps) => {
        const lo = Math.min(...real.level);
        const hi = Math.max(...real.level);
        const grid = Array.from({ length: 60 }, (_, i) => (log ? lo * (hi / lo) ** (i / 59) : lo + ((hi - lo) * i) / 59));
        const curve = grid.map((h) => (log ? 10 ** (fit.intercept + fit.slope * Math.log10(h)) : fit.intercept + fit.slope * h));
        const groups = [1, 2].map((t) => {
          const rows = real.level.map((_, i) => i).filter((i) => real.type[i] === t);
          return { name: t === 1 ? 'type 1 (sampler bottles)' : 'type 2 (field visits)', x: rows.map((i) => real.level[i]!), y: rows.map((i) => real.ssc[i]!) };
        });
        const other = real.level.map((_, i) => i).filter((i) => real.type[i] !== 1 && real.type[i] !== 2);
        if (other.length) groups.push({ name: 'other type', x: other.map((i) => real.level[i]!), y: other.map((i) => real.ssc[i]!) });
        return renderScatter(groups, caps, {
          xAxis: { label: 'level', unit: 'cm', log },
          yAxis: { label: 'suspended load', unit: 'mg/L', log },
          curves: [{ name: 'least squares', x: grid, y: curve }],
        });
      },
    },
    {
      title: `Residuals by event, in time order (${unit}): the samples of one flood sit together above or below the line`,
      render: (caps) =>
        renderScatter([{ name: 'residual', x: events.map((e) => e + 1), y: fit.residuals }], caps, {
          xAxis: { label: 'event', integer: true },
          yAxis: { label: 'residual', unit },
          curves: [{ name: 'zero', x: [1, fit.nEvents], y: [0, 0] }],
        }),
    },
  ];
  return { json, figures };
}
