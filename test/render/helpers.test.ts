// The shared helpers: ANSI-aware width and truncation, colour depth mapping, number and tick formatting, statistics.
import { describe, expect, it } from 'vitest';
import { domainOf, makeScale } from '../../src/render/axes.js';
import { DotCanvas } from '../../src/render/canvas.js';
import { paint, rgbTo16, rgbTo256 } from '../../src/render/color.js';
import { formatNumber, formatPercent, formatTick, formatTime, linearTicks, logTicks, timeTicks } from '../../src/render/format.js';
import { CellGrid } from '../../src/render/grid.js';
import { binCounts } from '../../src/render/histogram.js';
import { resampleSeries } from '../../src/render/line.js';
import { binPoints } from '../../src/render/pointcloud.js';
import { summarize } from '../../src/util/stats.js';
import { displayWidth, fitScreen, padStart, stripAnsi, toAsciiCell, truncate } from '../../src/render/text.js';
import { classMarker, lineSymbols, theme } from '../../src/render/theme.js';

describe('text', () => {
  it('measures display width without escapes, with wide and zero-width characters', () => {
    expect(displayWidth('\x1b[38;5;74mabc\x1b[0m')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('⣿─│')).toBe(3);
  });
  it('truncates by columns, keeps escapes and closes them', () => {
    const out = truncate('\x1b[31mabcdef\x1b[0m', 3);
    expect(stripAnsi(out)).toBe('abc');
    expect(out.endsWith('\x1b[0m')).toBe(true);
    expect(truncate('abcdef', 4, '…')).toBe('abc…');
    expect(truncate('日本語', 3)).toBe('日');
    expect(truncate('abc', 0)).toBe('');
  });
  it('pads to exact widths', () => {
    expect(padStart('\x1b[1mab\x1b[0m', 4)).toBe('  \x1b[1mab\x1b[0m');
  });
  it('folds labels to ASCII one character for one', () => {
    expect(toAsciiCell('λ2 (°C) → é')).toBe('l2 (oC) > e');
    expect(toAsciiCell('⣿')).toBe('?');
  });
});

describe('colour', () => {
  it('emits nothing at depth 0 and the right form at each depth', () => {
    const style = { fg: theme.classes[0]!, bold: true };
    expect(paint('x', style, 0)).toBe('x');
    expect(paint('x', style, 16)).toBe('\x1b[1;33mx\x1b[0m');
    expect(paint('x', style, 256)).toBe(`\x1b[1;38;5;${rgbTo256([230, 159, 0])}mx\x1b[0m`);
    expect(paint('x', style, 'truecolor')).toBe('\x1b[1;38;2;230;159;0mx\x1b[0m');
  });
  it('maps RGB to the nearest palette entries', () => {
    expect(rgbTo256([0, 0, 0])).toBe(16);
    expect(rgbTo256([255, 255, 255])).toBe(231);
    expect(rgbTo256([128, 128, 128])).toBe(244);
    expect(rgbTo16([250, 0, 0])).toBe(91);
  });
  it('gives each class its own colour and marker, and each series its own stroke', () => {
    const rgb = new Set(theme.classes.map((c) => c.rgb.join(',')));
    expect(rgb.size).toBe(theme.classes.length);
    for (const unicode of [true, false]) {
      expect(new Set(Array.from({ length: 8 }, (_, i) => classMarker(i, unicode))).size).toBe(8);
      expect(new Set(Array.from({ length: 4 }, (_, i) => lineSymbols(i, unicode)[4])).size).toBe(4);
    }
  });
  it('keeps the heat ramp monotonic in lightness (readable without hue)', () => {
    const lum = (t: number): number => {
      const [r, g, b] = theme.heat(t).rgb;
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (let k = 0; k < 10; k++) expect(lum((k + 1) / 10)).toBeGreaterThan(lum(k / 10));
  });
});

describe('numbers and ticks', () => {
  it('formats numbers short', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1234.5)).toBe('1235');
    expect(formatNumber(123456)).toBe('123k');
    expect(formatNumber(0.00012)).toBe('1.2e-4');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('-inf');
    expect(formatPercent(0.934)).toBe('93%');
    expect(formatPercent(0.004)).toBe('0.4%');
  });
  it('puts ticks on nice numbers', () => {
    expect(linearTicks(0.1, 2.2, 4)).toEqual([0.5, 1, 1.5, 2]);
    expect(linearTicks(-3, 3, 3)).toEqual([-2, 0, 2]);
    expect(logTicks(2, 3000, 6)).toEqual([10, 100, 1000]);
    expect(logTicks(1, 100, 9)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    // Every other decade, phased so that two land inside rather than one.
    expect(logTicks(1.83, 2400, 3)).toEqual([10, 1000]);
    expect(formatTick(1.5, 0.5)).toBe('1.5');
    expect(formatTick(2, 0.5)).toBe('2.0');
    expect(formatTick(-0.0000001, 0.5)).toBe('0.0');
  });
  it('puts time ticks on calendar boundaries (UTC)', () => {
    const start = Date.UTC(2019, 8, 1, 3);
    const { ticks, step } = timeTicks(start, start + 30 * 86_400_000, 5);
    expect(step).toBe(7 * 86_400_000);
    expect(ticks.every((t) => t % 86_400_000 === 0)).toBe(true);
    const years = timeTicks(Date.UTC(2010, 5, 1), Date.UTC(2020, 5, 1), 5);
    expect(years.ticks.map((t) => formatTime(t, years.step))).toEqual(['2012', '2014', '2016', '2018', '2020']);
    expect(formatTime(Date.UTC(2019, 8, 26, 14, 5), 3_600_000)).toBe('14:05');
  });
  it('widens a constant domain so the value sits in the middle', () => {
    const s = makeScale(domainOf([[5, 5]]));
    expect(s.unit(5)).toBeCloseTo(0.5);
    const l = makeScale(domainOf([[10, 10]], true), { log: true });
    expect(l.unit(10)).toBeCloseTo(0.5);
    expect(l.unit(-1)).toBeNaN();
  });
});

describe('statistics', () => {
  it('matches numpy for quartiles and the sample standard deviation', () => {
    // numpy: np.percentile([1,2,3,4,10], [25,50,75]) = [2, 3, 4]; np.std(ddof=1) = 3.5355…
    const s = summarize([1, 2, NaN, 3, 4, 10, Infinity]);
    expect([s.n, s.missing, s.q1, s.median, s.q3, s.min, s.max]).toEqual([5, 2, 2, 3, 4, 1, 10]);
    expect(s.mean).toBeCloseTo(4);
    expect(s.std).toBeCloseTo(3.5355339, 6);
  });
  it('bins counts on linear and log bins', () => {
    expect(Array.from(binCounts([0, 0.5, 1, 1.5, 2, NaN], 2, 0, 2))).toEqual([2, 3]);
    expect(Array.from(binCounts([1, 5, 10, 50, 100, -1], 2, 1, 100, true))).toEqual([2, 3]);
  });
});

describe('sampling and binning', () => {
  it('resamples a series: means in dense columns, interpolation in sparse ones, gaps stay gaps', () => {
    const out = resampleSeries([0, 1, 2, 3, 4], [0, 10, NaN, 30, 40], 0, 4, 8);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(5);
    expect(out[2]).toBe(10);
    expect(out[4]).toBeNaN(); // x = 2 was missing
    expect(out[8]).toBe(40);
    const wide = resampleSeries([0, 1, 2, 100, 101], [1, 1, 1, 2, 2], 0, 101, 101);
    expect(wide[50]).toBeNaN(); // a hole far wider than the usual spacing is not bridged
  });
  it('keeps the point a viewer would see in each cell', () => {
    const cloud = { x: [0.1, 0.2, 0.9], y: [0.5, 0.1, 0.5], z: [1, 5, 2], labels: [0, 1, 2] };
    const bounds = { hMin: 0, hMax: 1, vMin: 0, vMax: 1 };
    const top = binPoints(cloud, 'top', 2, 1, bounds);
    expect(Array.from(top.count)).toEqual([2, 1]);
    expect(Array.from(top.label)).toEqual([1, 2]); // the higher point of cell 0
    const side = binPoints(cloud, 'side', 2, 1, { ...bounds, vMax: 10 });
    expect(Array.from(side.label)).toEqual([1, 2]); // the nearer (smaller y) point of cell 0
  });
  it('draws Braille dots and picks the majority colour per cell', () => {
    const canvas = new DotCanvas(1, 1, 'braille', 2);
    canvas.dot(0, 0, 0);
    canvas.dot(1, 3, 1);
    canvas.dot(1, 2, 1);
    const grid = new CellGrid(1, 1);
    canvas.paint(grid, 0, 0, [{ marker: 'a' }, { marker: 'b', style: { fg: theme.alert } }]);
    expect(grid.get(0, 0)).toBe(String.fromCharCode(0x2800 + 0x01 + 0x80 + 0x20));
    expect(grid.toLines({ colors: 16, unicode: true })[0]).toBe('\x1b[31m⢡\x1b[0m');
  });
  it('clips far-off lines without walking them', () => {
    const canvas = new DotCanvas(2, 1, 'cells', 1);
    canvas.line(-1e12, 0, 1e12, 0);
    expect(canvas.filled(0, 0) && canvas.filled(1, 0)).toBe(true);
  });
});

describe('line resampling', () => {
  it('keeps a one-sample flood peak at its true height when thousands of samples share a column', async () => {
    const { resampleSeries } = await import('../../src/render/line.js');
    const n = 20_000;
    const xs = Float64Array.from({ length: n }, (_, i) => i);
    const ys = Float64Array.from({ length: n }, (_, i) => (i === 12_345 ? 10 : 0.4));
    const out = resampleSeries(xs, ys, 0, n - 1, 70);
    expect(Math.max(...out)).toBe(10);
    expect(Math.min(...out)).toBe(0.4);
  });
});

describe('fitScreen', () => {
  const more = (n: number) => `… ${n} more`;
  it('keeps a block that fits, clipped to the width', () => {
    expect(fitScreen(['abcdef', 'gh'], 4, 3, more)).toBe('abcd\ngh');
  });
  it('replaces what does not fit by one line that counts it, so the screen never scrolls', () => {
    const out = fitScreen(['1', '2', '3', '4', '5'], 10, 3, more).split('\n');
    expect(out).toEqual(['1', '2', '… 3 more']);
    expect(fitScreen(['1', '2', '3', '4'], 10, 4, more).split('\n')).toEqual(['1', '2', '3', '4']);
  });
});
