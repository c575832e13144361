// The river lesson's real file (datasets/river-obsera): the river-lab task's counts and fits against scikit-learn
// (test/fixtures/sklearn/make_river_lab_fixtures.py reads the file with Python's csv module), the generated side
// against refits one by one, the dataset as `eds datasets list|export` shows it, and hostile copies of the file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv.js';
import { loadDataset, listDatasets } from '../../src/experiments/datasets.js';
import { runTask } from '../../src/experiments/registry.js';
import { inspectLab } from '../../src/experiments/river-lab.js';
import { obseraPath } from '../../src/experiments/river-obsera.js';
import { riverSampleTable } from '../../src/hydrology/calibration.js';
import { groupEvents, labSamples, ratingFit, sampleTime } from '../../src/hydrology/lab-samples.js';
import { LinearRegression } from '../../src/ml/regression.js';
import { expectOneCleanLine, userError, userErrorAsync } from '../data/hostile.js';
import { expectClose, ROOT } from '../ml/helpers.js';
import { runCli } from '../support/cli.js';

// biome-ignore lint/suspicious/noExplicitAny: a JSON fixture.
const REF: any = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/sklearn/river-lab.json'), 'utf8'));
const FILE = obseraPath();
const TEXT = readFileSync(FILE, 'utf8');

describe('the shipped ObsEra file', () => {
  it('is the file of ../shared/data, byte for byte', () => {
    const shared = path.join(ROOT, '..', 'shared', 'data', 'river', 'CE_DIG_OBSERA_RIVERS_2019-09-26.csv');
    expect(readFileSync(FILE).equals(readFileSync(shared))).toBe(true);
  });

  it('inspect counts what Python counts in it', async () => {
    const j = (await runTask('river-lab', { stage: 'inspect' }, 3)).json;
    const c = REF.counts;
    expect(j).toMatchObject({
      n_rows: c.n_rows,
      n_columns: c.n_columns,
      // Every row is one field short of the header (the export never writes Validate).
      n_short_rows: c.fields_per_row[0] < c.n_columns ? c.n_rows : 0,
      n_ssc: c.non_empty['Suspended Load'],
      n_level: c.non_empty.Level,
      n_pairs: c.n_pairs,
      n_pair_events: c.n_pair_events,
      n_ssc_events: c.n_ssc_events,
      n_type1: c.n_type1,
      n_type2: c.n_type2,
      n_temperature: c.non_empty['Twater (°C)'],
      n_comments: c.non_empty.Comment,
      n_times_with_seconds: c.n_times_with_seconds,
      n_duplicate_times: c.n_duplicate_times,
      first_year: c.first_year,
      last_year: c.last_year,
      n_years_without_ssc: c.years_without_ssc.length,
      ssc_min_mg_l: c.numeric['Suspended Load'].min,
      ssc_median_mg_l: c.numeric['Suspended Load'].median,
      ssc_max_mg_l: c.numeric['Suspended Load'].max,
      level_min_cm: c.numeric.Level.min,
      level_max_cm: c.numeric.Level.max,
    });
    expect(c.fields_per_row).toEqual([21]);
  });

  for (const scale of ['log', 'linear'] as const) {
    it(`fits suspended load against level (${scale}) as scikit-learn does, with LeaveOneOut and LeaveOneGroupOut`, async () => {
      const j = (await runTask('river-lab', { stage: 'fit', scale }, 3)).json;
      const ref = REF.fits[scale];
      expect([j.n_pairs, j.n_events, j.n_excluded_nonpositive]).toEqual([ref.n, ref.n_events, 0]);
      for (const key of ['slope', 'intercept', 'r2', 'rmse', 'cv_rmse_loo', 'cv_rmse_event', 'top3_share']) expectClose(j[key] as number, ref[key], 1e-9, 1e-9);
      if (scale === 'log') {
        expectClose(j.smearing as number, ref.smearing, 1e-9);
        expectClose(j.exponent as number, ref.slope, 1e-9);
        expectClose(j.prefactor_mg_l as number, 10 ** ref.intercept, 1e-9);
      } else expect(j.smearing).toBeUndefined();
    });
  }

  it('scores the generated record as refits one by one do (the closed-form sums are only a shortcut)', async () => {
    const seed = 5;
    const j = (await runTask('river-lab', { stage: 'fit', scale: 'log' }, seed)).json;
    const t = riverSampleTable(seed);
    const [ts, c, h] = ['timestamp', 'ssc_mg_l', 'level_m'].map((n) => t.columns.indexOf(n)) as [number, number, number];
    const x = t.rows.map((r) => Math.log10(r[h] as number));
    const y = t.rows.map((r) => Math.log10(r[c] as number));
    const events = groupEvents(t.rows.map((r) => Date.parse(String(r[ts]))));
    const refit = (keep: (j: number) => boolean, at: number) => {
      const idx = x.map((_, k) => k).filter(keep);
      const m = new LinearRegression().fit(
        idx.map((k) => [x[k]!]),
        idx.map((k) => y[k]!),
      );
      return m.predict([[x[at]!]])[0]!;
    };
    const rms = (pred: (i: number) => number) => Math.sqrt(y.reduce((a, v, i) => a + (v - pred(i)) ** 2, 0) / y.length);
    const all = new LinearRegression().fit(
      x.map((v) => [v]),
      y,
    );
    expect(j.gen_n_pairs).toBe(y.length);
    expect(j.gen_n_events).toBe(new Set(events).size);
    expectClose(j.gen_slope as number, all.coef[0]!, 1e-9);
    expectClose(
      j.gen_rmse as number,
      rms((i) => all.predict([[x[i]!]])[0]!),
      1e-9,
    );
    expectClose(
      j.gen_cv_rmse_loo as number,
      rms((i) => refit((k) => k !== i, i)),
      1e-9,
    );
    expectClose(
      j.gen_cv_rmse_event as number,
      rms((i) => refit((k) => events[k] !== events[i], i)),
      1e-9,
    );
  });

  it('holds what its card says (the variables table counts every column)', () => {
    const card = readFileSync(path.join(path.dirname(FILE), 'README.md'), 'utf8');
    const rows = card.split('\n').filter((l) => /^\| `/.test(l));
    expect(rows.length).toBe(REF.counts.n_columns);
    for (const line of rows) {
      const [, name, , values] = line.split('|').map((s) => s.trim());
      expect(Number(values!.replace(/,/g, '')), name).toBe(REF.counts.non_empty[name!.replace(/`/g, '')]);
    }
    expect(card).toMatch(/MIT licence, Copyright \(c\) 2025 Léonard Seydoux/);
    expect(card).toContain('doi:10.5194/esurf-11-363-2023');
    expect(readFileSync(path.join(path.dirname(FILE), 'LICENSE'), 'utf8')).toMatch(/^MIT License$[\s\S]*Copyright \(c\) 2025 Léonard Seydoux/m);
    // Numbers the card states, from the fixture.
    expect(REF.nicb).toMatchObject({ rows_with_all_ions: 1080, n_over_10_pct: 261, n_over_20_pct: 103 });
    expect(REF.nicb.max_abs_difference_pct).toBeLessThan(0.003);
    expect(REF.conductivity_25.rows).toBe(66);
    expect(REF.conductivity_25.max_abs_difference).toBeLessThan(0.05);
    expect(REF.counts.n_comments_with_semicolon).toBe(44);
    expect(REF.counts.years_without_ssc).toEqual([2016, 2017]);
    expect(REF.by_type).toEqual({
      '1': { Level: 356, 'Twater (°C)': 0, 'Suspended Load': 321 },
      '2': { Level: 205, 'Twater (°C)': 239, 'Suspended Load': 19 },
    });
  });
  it('shows the facts the card and the lesson state, read from the table', async () => {
    const d = await loadDataset('river-obsera');
    const col = (name: string) => d.columns.indexOf(name);
    const [date, hour, level, ssc] = ['Date', 'Hour', 'Level', 'Suspended Load'].map(col) as [number, number, number, number];
    const pairs = d.rows.filter((r) => r[level] !== null && r[ssc] !== null);
    const band = pairs.filter((r) => (r[level] as number) >= 45 && (r[level] as number) <= 55).map((r) => r[ssc] as number);
    expect([band.length, Math.min(...band), Math.max(...band)]).toEqual([36, 0.3, 153.6]);
    const perYear: Record<string, number> = {};
    for (const r of pairs) perYear[String(r[date]).slice(0, 4)] = (perYear[String(r[date]).slice(0, 4)] ?? 0) + 1;
    expect(perYear).toEqual({ '2006': 2, '2007': 50, '2008': 35, '2011': 5, '2012': 1, '2015': 12, '2018': 2 });
    expect(d.rows.filter((r) => String(r[date]).startsWith('2019') && r[ssc] !== null && r[level] === null).length).toBe(47);
    const at = (day: string, time: string) => d.rows.filter((r) => r[date] === day && r[hour] === time);
    expect(at('2007-08-17', '23:00').map((r) => [r[level], r[ssc]])).toEqual([[52, 0.3]]);
    expect(at('2007-08-17', '15:00').map((r) => r[ssc])).toEqual([308.5]);
    expect(Math.min(...pairs.map((r) => r[ssc] as number))).toBe(0.3);
    expect(at('2008-06-20', '10:00').map((r) => r[col('Type')])).toEqual([1, 2]);
    expect(
      pairs
        .filter((r) => (r[ssc] as number) > 800)
        .map((r) => [r[date], r[ssc]])
        .sort(),
    ).toEqual([
      ['2008-09-08', 1400],
      ['2008-09-08', 1702],
      ['2008-09-08', 839],
    ]);
    // Suspended load and the field conductivity share 3 rows.
    expect(d.rows.filter((r) => r[ssc] !== null && r[col('Conductivity')] !== null).length).toBe(3);
  });
});

describe('the river-obsera dataset', () => {
  it('is listed among the real files with its licence, source and citation', async () => {
    const entry = listDatasets().find((d) => d.name === 'river-obsera')!;
    expect(entry.origin).toMatchObject({ kind: 'real', licence: expect.stringMatching(/^MIT/), citation: expect.stringContaining('esurf-11-363-2023') });
    const text = await runCli(['datasets', 'list']);
    const [real] = text.out.split(/^Generated per seed/m);
    expect(real).toMatch(/^ {2}river-obsera +regression +ObsEra lab samples/m);
    const json = JSON.parse((await runCli(['datasets', 'list', '--json'])).out);
    expect(json.datasets.find((d: { name: string }) => d.name === 'river-obsera').origin).toMatchObject({
      kind: 'real',
      source: expect.stringMatching(/ObsEra/),
    });
  });

  it('exports as a comma-separated CSV holding every cell of the file', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'eds-obsera-')), 'obsera.csv');
    const run = await runCli(['datasets', 'export', 'river-obsera', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.err).toBe(`eds: wrote 1318 rows × 22 columns to ${out}\n`);
    const exported = parseCsv(readFileSync(out, 'utf8'), { delimiter: ',' });
    const original = parseCsv(TEXT, { delimiter: ';' });
    expect(exported.report.paddedShortRows).toBe(0);
    expect(exported.table.columns).toEqual(original.table.columns);
    expect(exported.table.rows).toEqual(original.table.rows);
    // Comments keep their ";" and French text.
    expect(exported.table.rows[0]![20]).toMatch(/^Alc\. mesurée en labo le 20\/09\/2019; autres paramètres/);
  });

  it('serves eds run regression: target Suspended Load, feature Level, time from Date and Hour', async () => {
    const d = await loadDataset('river-obsera');
    expect([d.target, d.features, d.timeColumns, d.rows.length]).toEqual(['Suspended Load', ['Level'], ['Date', 'Hour'], 1318]);
    const r = (await runTask('regression', { dataset: 'river-obsera', model: 'loglog', split: 'time' }, 0, undefined, undefined, 'cli')).json;
    expect([r.n_train, r.n_test, r.n_dropped]).toEqual([80, 27, 1318 - 107]);
  });
});

describe('hostile copies of the file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'eds-obsera-hostile-'));
  const write = (name: string, text: string | Buffer) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const lines = TEXT.split('\n');
  const fails = (file: string, options: Record<string, string> = {}) => userErrorAsync(() => runTask('river-lab', { data: file, stage: 'fit', ...options }, 1));

  it('says in one line what is wrong with a truncated, split or mangled file', async () => {
    const cases: [string, string | Buffer, RegExp, Record<string, string>?][] = [
      ['cut-in-comment.csv', TEXT.slice(0, 400), /^cut-in-comment\.csv:2: unterminated quoted field/],
      [
        'cut-in-hour.csv',
        `${lines.slice(0, 3).join('\n')}\n2019-07-28;20:2`,
        /^cut-in-hour\.csv:4: columns "Date" and "Hour": expected YYYY-MM-DD and HH:MM, got "2019-07-28" and "20:2"$/,
      ],
      ['header-only.csv', `${lines[0]}\n`, /^header-only\.csv: a header and no samples$/],
      ['empty.csv', '', /^empty\.csv: the file is empty/],
      ['no-quotes.csv', TEXT.replace(/"/g, ''), /^no-quotes\.csv:2: \d+ row\(s\) have more fields than the header's 22 \(a ";" outside quotes\?\)$/],
      ['semicolons.csv', TEXT, /^semicolons\.csv: not an ObsEra RIVERS export: no column "Date" .*is the delimiter ";"/, { delimiter: ',' }],
      ['other-table.csv', 'a;b\n1;2\n', /^other-table\.csv: not an ObsEra RIVERS export: no column "Date" \(columns: a, b\)$/],
      ['below-limit.csv', TEXT.replace(';118.6;', ';<0.5;'), /^below-limit\.csv:3: column "Suspended Load": "<0\.5" is not a number \(mg\/L\)$/],
      ['bad-date.csv', TEXT.replace('2019-07-29;', '2019-02-30;'), /^bad-date\.csv:3: columns "Date" and "Hour": expected YYYY-MM-DD/],
      ['binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x0a]), /^binary\.csv:1: a NUL byte/],
    ];
    for (const [name, text, message, options] of cases) {
      const m = await fails(write(name, text), options);
      expectOneCleanLine(m);
      expect(m.includes('\n'), name).toBe(false);
      expect(m, name).toMatch(message);
    }
  });

  it('on the command line: one line on stderr and exit code 1, nothing on stdout', async () => {
    const run = await runCli(['run', 'river-lab', '--data', write('cut.csv', TEXT.slice(0, 400)), '--json']);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err.trim().split('\n')).toEqual(['eds: cut.csv:2: unterminated quoted field (a " opened here is never closed)']);
    const both = await runCli(['run', 'river-lab', '--dataset', 'river-obsera', '--data', FILE]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/^eds: --data for eds run river-lab: give either data \(your file\) or dataset, not both/);
  });

  it('reads every cut of the file or refuses it with a UserError, never anything else', () => {
    let refused = 0;
    for (let cut = 0; cut <= TEXT.length; cut += 997) {
      try {
        const { table, report } = parseCsv(TEXT.slice(0, cut), { source: 'cut.csv' });
        inspectLab(table, report, labSamples(table));
      } catch (err) {
        expect((err as Error).name, `cut at ${cut}`).toBe('UserError');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('a tab-separated copy reads the same (the delimiter is sniffed)', async () => {
    const tabs = (await runTask('river-lab', { data: write('tabs.tsv', TEXT.replace(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/gm, '\t')) }, 1)).json;
    const mine = (await runTask('river-lab', {}, 1)).json;
    expect({ ...tabs, source: '' }).toEqual({ ...mine, source: '' });
  });
});

describe('the lab file helpers', () => {
  it('read dates and times as written, and refuse days a month does not have', () => {
    expect(sampleTime('2013-04-30', '06:36:59.995000')).toBe(Date.UTC(2013, 3, 30, 6, 36, 59, 995));
    expect(sampleTime('2019-09-20', '10:53')).toBe(Date.UTC(2019, 8, 20, 10, 53));
    for (const [d, h] of [
      ['2019-02-29', '10:00'],
      ['2019-13-01', '10:00'],
      ['2019-09-20', '24:00'],
      ['20/09/2019', '10:00'],
      ['2019-09-20', '10h53'],
    ])
      expect(sampleTime(d!, h!), `${d} ${h}`).toBeNaN();
  });

  it('group samples into events by gaps of more than 12 h, in time order whatever the row order', () => {
    const H = 3_600_000;
    expect(groupEvents([30 * H, 0, 12 * H, 50 * H, 13 * H])).toEqual([1, 0, 0, 2, 0]);
  });

  it('need two events to score a line on events it did not see', () => {
    expect(userError(() => ratingFit([1, 2, 3], [1, 2, 3], [0, 0, 0]))).toMatch(/^only 3 sample\(s\) in 1 event\(s\)/);
  });
});
