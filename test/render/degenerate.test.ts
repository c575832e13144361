// Degenerate input (empty, one point, NaN and infinities, all equal, one class) gives a clear message, never an exception.
import { describe, expect, it } from 'vitest';
import type { RenderCaps } from '../../src/render/caps.js';
import {
  renderBarChart,
  renderConfusionMatrix,
  renderHeatmap,
  renderHistogram,
  renderImage,
  renderImageStrip,
  renderLineChart,
  renderPointCloud,
  renderScatter,
  renderSummaryTable,
  renderTernary,
  renderWaveform,
} from '../../src/render/index.js';
import { stripAnsi } from '../../src/render/text.js';
import { violation } from './check.js';

const capsList: RenderCaps[] = [
  { width: 80, height: 24, colors: 256, unicode: true },
  { width: 40, height: 10, colors: 0, unicode: false },
  { width: 10, height: 3, colors: 16, unicode: true },
];
const NAN3 = [NaN, Infinity, -Infinity];

/** Renders at several sizes, checks the output contract, and returns the 80×24 text without escapes. */
function draw(render: (caps: RenderCaps) => string): string {
  let first = '';
  for (const caps of capsList) {
    const out = render(caps);
    expect(violation(out, caps)).toBeNull();
    if (!first) first = stripAnsi(out);
  }
  return first;
}

describe('no data', () => {
  it.each([
    ['line chart, no series', () => draw((c) => renderLineChart([], c))],
    ['line chart, empty series', () => draw((c) => renderLineChart([{ name: 'loss', y: [] }], c))],
    ['line chart, only NaN and infinities', () => draw((c) => renderLineChart([{ name: 'loss', y: NAN3 }], c))],
    ['scatter, no points', () => draw((c) => renderScatter([{ name: 'a', x: [], y: [] }], c))],
    ['scatter, NaN coordinates', () => draw((c) => renderScatter([{ name: 'a', x: NAN3, y: [1, 2, 3] }], c))],
    ['scatter, log axis and only negative values', () => draw((c) => renderScatter([{ name: 'a', x: [-1, -2], y: [1, 2] }], c, { xAxis: { log: true } }))],
    ['histogram, empty', () => draw((c) => renderHistogram([], c))],
    ['histogram, NaN only', () => draw((c) => renderHistogram(NAN3, c))],
    ['summary, no variables', () => draw((c) => renderSummaryTable([], c))],
    ['heatmap, empty matrix', () => draw((c) => renderHeatmap({ values: [] }, c))],
    ['heatmap, NaN matrix', () => draw((c) => renderHeatmap({ values: [NAN3, NAN3] }, c))],
    ['confusion, no classes', () => draw((c) => renderConfusionMatrix([], [], c))],
    ['point cloud, no points', () => draw((c) => renderPointCloud({ x: [], y: [], z: [] }, c, { view: 'top', colorBy: 'height' }))],
    ['waveform, NaN samples', () => draw((c) => renderWaveform({ samples: NAN3, sampleRate: 100 }, c))],
    ['bar chart, no bars', () => draw((c) => renderBarChart([], c))],
    ['ternary, no valid point', () => draw((c) => renderTernary([{ name: 'a', a: [-1], b: [1], c: [1] }], c))],
    ['image strip, no images', () => draw((c) => renderImageStrip([], c))],
  ])('%s says so', (_name, run) => {
    expect(run()).toMatch(/no data|no images/);
  });
});

describe('constant values', () => {
  it('line chart draws the flat line and says it is constant', () => {
    const out = draw((c) => renderLineChart([{ name: 'acc', y: [0.5, 0.5, 0.5, 0.5] }], c));
    expect(out).toContain('constant: every value is 0.5');
    expect(out).toMatch(/─{10,}/);
  });
  it('scatter with one point', () => {
    const out = draw((c) => renderScatter([{ name: 'a', x: [3], y: [4] }], c));
    expect(out).toContain('all 1 points at the same place');
    expect(out).toContain('⣿ a');
  });
  it('histogram of equal values', () => {
    expect(draw((c) => renderHistogram([7, 7, 7], c))).toContain('constant: all 3 values are 7');
  });
  it('summary of equal values draws no box and says constant', () => {
    const out = draw((c) => renderSummaryTable([{ name: 'z', values: [2, 2, 2, NaN] }], c));
    expect(out).toContain('constant');
    // n 3, missing 1, mean 2, std 0 (equal values), min 2.
    expect(out).toMatch(/z\s+3\s+1\s+2\s+0\s+2/);
  });
  it('heatmap of equal values', () => {
    expect(
      draw((c) =>
        renderHeatmap(
          {
            values: [
              [1, 1],
              [1, 1],
            ],
          },
          c,
        ),
      ),
    ).toContain('constant: every value is 1');
  });
  it('waveform of zeros', () => {
    expect(draw((c) => renderWaveform({ samples: new Float64Array(500), sampleRate: 100 }, c))).toContain('constant: every sample is 0');
  });
  it('point cloud of one point', () => {
    expect(draw((c) => renderPointCloud({ x: [1], y: [2], z: [3] }, c, { view: 'side', colorBy: 'label' }))).toContain('a single point');
  });
  it('bar chart with only zeros still lists the bars', () => {
    const out = draw((c) =>
      renderBarChart(
        [
          { label: 'a', value: 0 },
          { label: 'b', value: 0 },
        ],
        c,
      ),
    );
    expect(out).toMatch(/a\s+0/);
  });
});

describe('mixed bad values are counted, not hidden', () => {
  it('line chart reports gaps and non-positive values on a log axis', () => {
    const out = draw((c) => renderLineChart([{ name: 's', y: [1, NaN, 10, -3, 100, Infinity] }], c, { yAxis: { log: true } }));
    expect(out).toContain('2 missing or infinite values shown as gaps');
    expect(out).toContain('1 values ≤ 0 not shown (log axis)');
  });
  it('scatter counts dropped points', () => {
    expect(draw((c) => renderScatter([{ name: 'a', x: [1, 2, NaN, 4], y: [1, Infinity, 3, 4] }], c))).toContain('2 points not shown');
  });
  it('bar chart counts non-finite values', () => {
    expect(
      draw((c) =>
        renderBarChart(
          [
            { label: 'a', value: 1 },
            { label: 'b', value: NaN },
          ],
          c,
        ),
      ),
    ).toContain('1 not finite');
  });
  it('ternary counts invalid points', () => {
    const out = draw((c) => renderTernary([{ name: 'a', a: [0.2, NaN], b: [0.3, 0.5], c: [0.5, 0.5] }], c));
    expect(out).toContain('1 points left out');
  });
});

describe('one class and malformed shapes', () => {
  it('confusion matrix of one class', () => {
    const out = draw((c) => renderConfusionMatrix(['rock'], [[12]], c));
    expect(out).toContain('one class only');
    expect(out).toMatch(/rock\s+12 100%/);
  });
  it('confusion matrix with a wrong shape', () => {
    expect(draw((c) => renderConfusionMatrix(['a', 'b'], [[1, 2]], c))).toContain('must be 2x2');
  });
  it('confusion matrix with negative counts', () => {
    expect(draw((c) => renderConfusionMatrix(['a'], [[-1]], c))).toContain('not negative');
  });
  it('image with too few pixels', () => {
    expect(draw((c) => renderImage({ pixels: [1, 2], width: 28, height: 28 }, c))).toContain('needs 28x28 pixels');
  });
  it('point cloud with one class and unlabelled noise', () => {
    const out = draw((c) =>
      renderPointCloud({ x: [0, 1, 2], y: [0, 1, 2], z: [0, 0, 1], labels: [0, -1, 0] }, c, { view: 'top', colorBy: 'label', labelNames: ['ground'] }),
    );
    expect(out).toContain('ground (2)');
    expect(out).toContain('noise (1)');
  });
  it('waveform with a zero sampling rate', () => {
    expect(draw((c) => renderWaveform({ samples: [1, 2], sampleRate: 0 }, c))).toContain('sampling rate must be positive');
  });
});
