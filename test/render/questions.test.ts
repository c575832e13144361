// The renderers show what a lesson's question is about: integer axes tick at integers, a band, a line and points
// stay apart, a gap in a series stays a gap under its bracket, panels draw side by side or stacked.
import { describe, expect, it } from 'vitest';
import type { RenderCaps } from '../../src/render/caps.js';
import { integerTicks } from '../../src/render/axes.js';
import { renderLineChart } from '../../src/render/line.js';
import { renderPanels } from '../../src/render/panels.js';
import { renderScatter } from '../../src/render/scatter.js';

const mono = (width: number, height: number, unicode = true): RenderCaps => ({ width, height, colors: 0, unicode });
const LINE_GLYPHS = /[─╭╮╰╯│]/u;

/** The tick labels under the x axis: the line after the one holding the axis corner. */
function xTickLabels(text: string): string[] {
  const lines = text.split('\n');
  const axis = lines.findIndex((l) => /[└+][─┬+-]{3,}/u.test(l) && !/[│|]\s*$/.test(l));
  return lines[axis + 1]!.trim().split(/\s+/).filter(Boolean);
}

describe('integer axes', () => {
  it('integerTicks steps by whole numbers only', () => {
    expect(integerTicks(2, 10, 20)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(integerTicks(1, 100, 5).every(Number.isInteger)).toBe(true);
    expect(integerTicks(2.2, 2.8, 4)).toEqual([]);
  });

  it('k from 2 to 10 gets integer tick labels at every width, in a line chart and a scatter', () => {
    const ks = [2, 3, 4, 5, 6, 7, 8, 9, 10];
    const inertia = ks.map((k) => 1000 / k);
    for (const width of [40, 80, 120]) {
      for (const text of [
        renderLineChart([{ name: 'inertia', x: ks, y: inertia }], mono(width, 14), { xAxis: { label: 'k' } }),
        renderScatter([{ name: 'inertia', x: ks, y: inertia }], mono(width, 14), { xAxis: { label: 'k' } }),
      ]) {
        const labels = xTickLabels(text);
        expect(labels.length, text).toBeGreaterThanOrEqual(3);
        for (const l of labels) expect(l, text).toMatch(/^\d+$/);
      }
    }
  });

  it('fractional x keeps fractional ticks', () => {
    const x = [0, 0.25, 0.5, 0.75, 1];
    expect(xTickLabels(renderLineChart([{ name: 'y', x, y: x }], mono(80, 12))).some((l) => l.includes('.'))).toBe(true);
  });
});

describe('a line over a band, with points', () => {
  const x = Array.from({ length: 200 }, (_, i) => i);
  const mid = x.map(() => 50);
  const low = x.map(() => 30);
  const high = x.map(() => 70);
  const draw = (caps: RenderCaps) =>
    renderLineChart([{ name: 'predicted', x, y: mid }], caps, {
      yAxis: { min: 0, max: 100 },
      aggregate: 'mean',
      bands: [{ name: 'band', x, low, high }],
      points: [{ name: 'samples', x: [20, 100, 180], y: [90, 50, 10] }],
    });

  it('draws the band as shade above and below the line, the line through it, the points as markers, each in the legend', () => {
    for (const [caps, shade, point, line] of [
      [mono(80, 16), '░', '●', '─'],
      [mono(80, 16, false), ':', 'o', '-'],
    ] as const) {
      const text = draw(caps);
      const lines = text.split('\n');
      expect(lines[0]).toContain(`${line}${line} predicted`);
      expect(lines[0]).toContain(`${point} samples`);
      expect(lines[0]).toContain(`${shade}${shade} band`);
      const plot = lines.filter((l) => /[│|]/.test(l.slice(0, 5)));
      const lineRow = plot.findIndex((l) => l.slice(5).includes(line.repeat(20)));
      expect(lineRow, text).toBeGreaterThan(0);
      // Shade right above and right below the line, over most of the width.
      expect(plot[lineRow - 1]!.split(shade).length - 1, text).toBeGreaterThan(50);
      expect(plot[lineRow + 1]!.split(shade).length - 1, text).toBeGreaterThan(50);
      // Three samples, three markers, one of them over the line (points are drawn last).
      expect(plot.join('\n').split(point).length - 1, text).toBe(3);
      expect(plot[lineRow]).toContain(point);
    }
  });

  it('a column holding a wider band value shades all of it (the band, not its mean)', () => {
    const spiky = high.map((v, i) => (i === 100 ? 99 : v));
    const text = renderLineChart([{ name: 'p', x, y: mid }], mono(80, 16), {
      yAxis: { min: 0, max: 100 },
      aggregate: 'mean',
      bands: [{ name: 'band', x, low, high: spiky }],
    });
    const plot = text.split('\n').filter((l) => l.slice(0, 5).includes('│') || l.slice(0, 5).includes('┤'));
    expect(plot[0]).toContain('░');
  });
});

describe('a gap under a span', () => {
  const x = Array.from({ length: 301 }, (_, i) => i);
  const y = x.map((v) => (v >= 100 && v <= 200 ? NaN : 10 + Math.sin(v / 7)));
  it('leaves the columns of the outage without the series, bracketed and named', () => {
    for (const width of [80, 120]) {
      const text = renderLineChart([{ name: 'turbidity', x, y }], mono(width, 14), { spans: [{ name: 'outage', from: 100, to: 200 }] });
      const lines = text.split('\n');
      expect(lines[0]).toContain('outage');
      const plot = lines.filter((l) => /^\s*\d*\.?\d*[│┤]/u.test(l));
      const left = plot[0]!.search(/[│┤]/u) + 1;
      const plotW = width - left;
      const col = (v: number) => left + Math.round((v / 300) * (plotW - 1));
      // Strictly inside the outage, no line glyph in any row; the series is drawn on both sides.
      for (const row of plot) expect([...row].slice(col(100) + 1, col(200)).join(''), text).not.toMatch(LINE_GLYPHS);
      expect(plot.some((row) => LINE_GLYPHS.test([...row].slice(left, col(100)).join('')))).toBe(true);
      expect(plot.some((row) => LINE_GLYPHS.test([...row].slice(col(200) + 1).join('')))).toBe(true);
      const bracket = plot.find((row) => row.includes(' outage '))!;
      expect([...bracket].indexOf('[')).toBe(col(100));
      expect([...bracket].indexOf(']')).toBe(col(200));
    }
  });
});

describe('renderPanels', () => {
  const panel = (name: string) => (caps: RenderCaps) => Array.from({ length: caps.height }, (_, i) => (i === 0 ? name : '.'.repeat(caps.width))).join('\n');
  it('puts two panels side by side where both fit, stacked otherwise, never wider than the space', () => {
    const wide = renderPanels([panel('A'), panel('B')], mono(80, 10)).split('\n');
    expect(wide).toHaveLength(10);
    expect(wide[0]).toMatch(/^A\s+B$/);
    const narrow = renderPanels([panel('A'), panel('B')], mono(60, 12)).split('\n');
    expect(narrow).toHaveLength(12);
    expect(narrow[0]).toBe('A');
    expect(narrow[6]).toBe('B');
    for (const l of [...wide, ...narrow]) expect(l.length).toBeLessThanOrEqual(80);
  });
});
