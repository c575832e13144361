// Each lesson plot a question refers to shows that thing at 80 columns (and 120): the river season's samples, prediction
// and band apart; the alignment's outage as a gap; a volcano onset's rise over several columns; k at integers; every
// feature named in the project's heatmap key; one data set per frugality panel.
import { describe, expect, it } from 'vitest';
import type { RenderCaps } from '../../src/render/caps.js';
import { runTask } from '../../src/experiments/registry.js';
import { firstTurbidityOutage } from '../../src/experiments/river.js';
import { eventFigure } from '../../src/experiments/volcano/figures.js';
import { onsetWindow, ONSET_ZOOM_S } from '../../src/experiments/event-view.js';
import { frugalFigure, type FrugalRun } from '../../src/experiments/synthesis.js';
import { featureKey, projectFigures } from '../../src/project/figures.js';
import type { Figure } from '../../src/experiments/types.js';

const mono = (width: number, height: number, unicode = true): RenderCaps => ({ width, height, colors: 0, unicode });
const figureNamed = (figures: Figure[], start: string): Figure => {
  const f = figures.find((x) => x.title.startsWith(start));
  if (!f) throw new Error(`no figure "${start}" among ${figures.map((x) => x.title).join(' | ')}`);
  return f;
};
/** Rows of the plot area: those with the y axis (│ or ┤, | or + in ASCII) in the first columns. */
const plotRows = (text: string): string[] => text.split('\n').filter((l) => /^\s*[-\d.]*[│┤|+]/u.test(l) && !/^\s*[└+][─┬+-]{3}/u.test(l));
const LINE = /[─╭╮╰╯│]/u;

describe('river season plot', () => {
  it('samples, prediction and band are drawn with their own glyphs and named in the legend, at 80 and 120 columns', { timeout: 60_000 }, async () => {
    for (const seed of [20240901, 7]) {
      const result = await runTask('river', { stage: 'season' }, seed);
      const figure = figureNamed(result.figures, 'Predicted SSC over the season');
      for (const width of [80, 120]) {
        const text = figure.render(mono(width, 16));
        const legend = text.split('\n')[0]!;
        expect(legend).toContain('── predicted SSC');
        expect(legend).toContain('● lab samples');
        expect(legend).toContain('░░ 5–95 % band');
        const plot = plotRows(text).map((r) => [...r].slice(4).join(''));
        const count = (re: RegExp) =>
          plot
            .join('')
            .split('')
            .filter((c) => re.test(c)).length;
        // No braille blob: the prediction is a box-drawn line, the band a shade, the samples markers.
        expect(count(/[\u2800-\u28ff]/u)).toBe(0);
        expect(count(LINE)).toBeGreaterThan(width * 0.8);
        expect(count(/░/u), text).toBeGreaterThan(width / 2);
        expect(count(/●/u), text).toBeGreaterThanOrEqual(10);
        // The band shows beside the line: in many columns a shaded cell sits right above or below a line cell.
        let touching = 0;
        for (let c = 0; c < width - 4; c++) {
          for (let r = 0; r < plot.length; r++) {
            const at = (rr: number) => [...(plot[rr] ?? '')][c] ?? ' ';
            if (LINE.test(at(r)) && (at(r - 1) === '░' || at(r + 1) === '░')) {
              touching++;
              break;
            }
          }
        }
        expect(touching, text).toBeGreaterThan(width / 8);
      }
      const ascii = figure.render(mono(80, 16, false));
      expect(ascii.split('\n')[0]).toMatch(/-- predicted SSC.*o lab samples.*:: 5-95 % band/);
    }
  });
});

describe('river alignment plot', () => {
  it('finds the outage a dropped sample fell in', () => {
    const grid = Array.from({ length: 10 }, (_, i) => i * 300_000);
    const turb = [1, 2, NaN, NaN, NaN, 3, 4, NaN, 5, 6];
    expect(firstTurbidityOutage(grid, turb, [null, 'probe_gap', 'probe_gap'], [0, 7.5 * 300_000, 3.2 * 300_000])).toEqual({
      sampleMs: 7.5 * 300_000,
      fromMs: 7 * 300_000,
      toMs: 7 * 300_000,
    });
    expect(firstTurbidityOutage(grid, turb, ['probe_gap'], [3 * 300_000])).toEqual({ sampleMs: 900_000, fromMs: 600_000, toMs: 1_200_000 });
    expect(firstTurbidityOutage(grid, turb, ['missing_ssc', null], [900_000, 0])).toBeNull();
  });

  it('shows the outage its title names as columns without the turbidity line, with record on both sides', { timeout: 60_000 }, async () => {
    for (const seed of [20240901, 7, 3]) {
      const result = await runTask('river', { stage: 'align' }, seed);
      const figure = figureNamed(result.figures, 'Turbidity on the grid around a dropped sample');
      expect(figure.title).toMatch(/no reading from .* to .* an outage/);
      for (const width of [80, 120]) {
        const text = figure.render(mono(width, 14));
        expect(text).not.toContain('no data');
        const plot = plotRows(text);
        const bracket = plot.find((r) => r.includes('[') && r.includes(']'));
        expect(bracket, text).toBeDefined();
        const chars = (r: string) => [...r];
        const c0 = chars(bracket!).indexOf('[');
        const c1 = chars(bracket!).lastIndexOf(']');
        expect(c1 - c0, text).toBeGreaterThanOrEqual(3);
        for (const row of plot)
          expect(
            chars(row)
              .slice(c0 + 1, c1)
              .join(''),
            text,
          ).not.toMatch(LINE);
        const left = chars(plot[0]!).findIndex((c) => c === '│' || c === '┤') + 1;
        expect(
          plot.some((r) => LINE.test(chars(r).slice(left, c0).join(''))),
          text,
        ).toBe(true);
        expect(
          plot.some((r) =>
            LINE.test(
              chars(r)
                .slice(c1 + 1)
                .join(''),
            ),
          ),
          text,
        ).toBe(true);
      }
    }
  });
});

describe('volcano waveform', () => {
  const fs = 100;
  /** 80 s of weak noise, then a 5 Hz signal whose amplitude grows linearly over `rise` seconds from t = 30 s. */
  const event = (rise: number): Float32Array => {
    let state = 7;
    const noise = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2;
    return Float32Array.from({ length: 80 * fs }, (_, i) => {
      const t = i / fs;
      const a = t < 30 ? 0 : Math.min(1, (t - 30) / rise) * Math.exp(-Math.max(0, t - 30 - rise) / 8);
      return 1000 * a * Math.sin(2 * Math.PI * 5 * t) + 5 * noise();
    });
  };
  /** The zoomed panel's plot rows (top left, above its x axis) and the tick labels under it. */
  const zoomPanel = (text: string, width: number) => {
    const lines = text.split('\n').map((l) => [...l].slice(0, Math.floor((width - 2) / 2)).join(''));
    const axis = lines.findIndex((l) => /^\s*└/u.test(l));
    return { rows: lines.slice(0, axis).filter((l) => /^\s*-?\d*[│┤]/u.test(l)), ticks: lines[axis + 1]!.trim().split(/\s+/) };
  };
  /** Vertical extent in Braille dots of each column of the panel. */
  const extents = (rows: string[]): number[] => {
    const left = [...rows[0]!].findIndex((c) => c === '│' || c === '┤') + 1;
    const width = Math.max(...rows.map((r) => [...r].length)) - left;
    return Array.from({ length: width }, (_, c) => {
      let top = Infinity;
      let bottom = -Infinity;
      rows.forEach((r, ri) => {
        const code = ([...r][left + c] ?? ' ').codePointAt(0)! - 0x2800;
        if (code <= 0 || code > 0xff) return;
        const dotRows = [
          [0x01, 0x08],
          [0x02, 0x10],
          [0x04, 0x20],
          [0x40, 0x80],
        ].flatMap(([a, b], k) => (code & (a! | b!) ? [ri * 4 + k] : []));
        top = Math.min(top, ...dotRows);
        bottom = Math.max(bottom, ...dotRows);
      });
      return bottom >= top ? bottom - top + 1 : 0;
    });
  };

  it('zooms on the onset: a 2 s emergent rise spans several columns of growing amplitude, an impulsive one does not', () => {
    for (const width of [80, 120]) {
      const emergent = zoomPanel(eventFigure('LP-like', event(2), fs).render(mono(width, 18)), width);
      const impulsive = zoomPanel(eventFigure('VT-like', event(0.02), fs).render(mono(width, 18)), width);
      // Time ticks are seconds of the trace, inside the zoom around 30 s.
      for (const t of emergent.ticks) {
        expect(t).toMatch(/^\d+$/);
        expect(Number(t)).toBeGreaterThanOrEqual(30 - ONSET_ZOOM_S);
        expect(Number(t)).toBeLessThanOrEqual(30 + ONSET_ZOOM_S);
      }
      // Columns before the full swing that stand above the noise but are not yet at full swing: the rise.
      const growing = (e: number[]) => {
        const full = Math.max(...e);
        const noise = Math.min(...e.filter((v) => v > 0));
        return e.slice(0, e.indexOf(full)).filter((v) => v > noise + 1 && v < full - 1).length;
      };
      const e = extents(emergent.rows);
      expect(growing(e), e.join(' ')).toBeGreaterThanOrEqual(3);
      expect(growing(extents(impulsive.rows))).toBeLessThanOrEqual(1);
      // Rising, not wobbling: from the first column above the noise to the first at full swing, the swing grows.
      const first = e.findIndex((v) => v > Math.min(...e.filter((x) => x > 0)) + 1);
      const full = e.indexOf(Math.max(...e));
      expect(full - first).toBeGreaterThanOrEqual(3);
      for (let c = first + 1; c <= full; c++) expect(e[c]!).toBeGreaterThanOrEqual(e[c - 1]! - 1);
    }
  });

  it('the onset window is the same length for every event and holds the rise', () => {
    const env = Float64Array.from({ length: 8000 }, (_, i) => (i < 3000 ? 1 : i < 3200 ? 1 + (i - 3000) : 200));
    const [a, b] = onsetWindow(env, 100);
    expect(b - a).toBe(ONSET_ZOOM_S * 100);
    expect(a).toBeLessThan(3000);
    expect(b).toBeGreaterThan(3200);
  });

  it('every class of the real look step draws its zoom with second ticks', { timeout: 60_000 }, async () => {
    const result = await runTask('volcano-look', { station: 'FLK' }, 20240901);
    const events = result.figures.filter((f) => / at FLK/.test(f.title));
    expect(events.length).toBeGreaterThanOrEqual(6);
    for (const f of events) {
      const text = f.render(mono(80, 18));
      expect(text).toContain('velocity near onset');
      expect(text).toContain('zoom');
    }
  });
});

describe('lidar elbow plot', () => {
  it('ticks k at integers only', { timeout: 60_000 }, async () => {
    const result = await runTask('lidar-cluster', {}, 20240901);
    const figure = figureNamed(result.figures, 'Elbow');
    for (const width of [80, 120]) {
      const lines = figure.render(mono(width, 16)).split('\n');
      const axis = lines.findIndex((l) => /^\s*└/u.test(l));
      const labels = lines[axis + 1]!.trim().split(/\s+/);
      expect(labels.length).toBeGreaterThanOrEqual(3);
      for (const l of labels) expect(l).toMatch(/^\d+$/);
    }
  });
});

describe('project correlation heatmap', () => {
  const names = Array.from({ length: 30 }, (_, j) =>
    j % 4 === 0 ? `worst concave points of the nucleus ${j}` : j === 7 ? 'x'.repeat(150) : `f\u001b[31m${j}`,
  );
  const corr = names.map((_, a) => names.map((__, b) => (a === b ? 1 : Math.cos(a * b))));
  const data = { featureNames: names, labels: ['a', 'b'], X: [names.map(() => 1)], columns: [], source: 'x.csv', target: 't' };
  const overview = { correlation: corr, classCounts: [1, 1], rows: 2, rowsRead: 2, features: names.length, majorityBaseline: 0.5, warnings: [] };

  it('names every feature in its key at 80 and 120 columns, each line within the width, none dropped', () => {
    const figure = figureNamed(projectFigures(data as never, overview as never, null), 'Correlation between features');
    for (const width of [80, 120]) {
      const text = figure.render(mono(width, 20));
      expect(text).not.toContain('\u001b');
      for (const line of text.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(width);
      const key = text
        .split('\n')
        .filter((l) => /^\d+: /.test(l))
        .join('  ');
      for (const [j, n] of names.entries()) {
        const shown = n.replace(/\u001b/g, '');
        // Whole, or shortened with … when longer than a line: never missing.
        if (shown.length + 4 < width) expect(key).toContain(`${j}: ${shown}`);
        else expect(key).toMatch(new RegExp(`(^|  )${j}: x+…`));
      }
    }
  });

  it('the key never splits an entry across lines', () => {
    const key = featureKey(['alpha beta', 'gamma delta epsilon', 'zeta'], 22);
    expect(key).toEqual(['0: alpha beta', '1: gamma delta epsilon', '2: zeta']);
  });
});

describe('frugal plot', () => {
  const run = (dataset: string, origin: FrugalRun['origin'], energyJ: number, accuracy: number): FrugalRun => ({
    name: `${dataset} ${energyJ}`,
    origin,
    dataset,
    parameters: 10,
    seconds: energyJ / 15,
    energyJ,
    accuracy,
  });
  const runs = [
    run('breast cancer', 'reference', 0.5, 0.97),
    run('breast cancer', 'reference', 5, 0.96),
    run('breast cancer', 'reference', 50, 0.98),
    run('digits', 'yours', 20, 0.4),
    run('digits', 'yours', 200, 0.6),
  ];
  it('draws one panel per data set, each with the accuracy range of its own runs only', () => {
    const figure = frugalFigure(runs);
    const wide = figure.render(mono(80, 16));
    expect(wide.split('\n')[0]).toMatch(/^breast cancer: test accuracy\s+digits: test accuracy$/);
    const stacked = figure.render(mono(60, 24));
    const lines = stacked.split('\n');
    const at = lines.findIndex((l) => l.startsWith('digits: test accuracy'));
    expect(lines[0]).toBe('breast cancer: test accuracy');
    expect(at).toBeGreaterThan(0);
    const ticks = (part: string[]) =>
      part
        .map((l) => l.match(/^\s*(\d\.\d+)┤/u)?.[1])
        .filter(Boolean)
        .map(Number);
    const cancer = ticks(lines.slice(0, at));
    const digits = ticks(lines.slice(at));
    expect(cancer.length).toBeGreaterThanOrEqual(2);
    expect(digits.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...cancer)).toBeGreaterThan(0.9);
    expect(Math.max(...digits)).toBeLessThan(0.7);
    // Each panel's markers are its own runs.
    expect(lines.slice(0, at).join('\n').split('●').length - 2).toBe(3);
    expect(lines.slice(at).join('\n').split('●').length - 2).toBe(2);
  });
});
