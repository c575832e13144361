// Issue 21: the lidar maps and the seismograms show what the lessons' questions ask about, at 80×24 and 120×40:
// whole legends, the predicted and true maps side by side, the width used, DBSCAN's clusters, P and S apart, the
// trace on rows of its own. Real files from ../shared/data (the dune scan, PhaseNet's records with analyst picks).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RenderCaps } from '../../src/render/caps.js';
import { generateLidarScene } from '../../src/lidar/scene.js';
import { npzArray, readNpz } from '../../src/data/npz.js';
import { runTask } from '../../src/experiments/registry.js';
import { renderPlanViews, renderPointCloud, type PlanPanel } from '../../src/render/pointcloud.js';
import { displayWidth, stripAnsi } from '../../src/render/text.js';
import { pickWindow, renderWaveform, type PhasePick } from '../../src/render/waveform.js';
import { violation } from './check.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const data = (p: string): string => path.resolve(root, '../shared/data', p);

// The figure sizes a lesson step gives a map at 80×24 and 120×40 (body 2 columns narrower, 6 rows for the rest).
const SIZES: Array<[number, number]> = [
  [78, 18],
  [118, 34],
];
const MODES: Array<Omit<RenderCaps, 'width' | 'height'>> = [
  { colors: 0, unicode: true },
  { colors: 256, unicode: true },
  { colors: 0, unicode: false },
];

function readXyz(file: string): { x: Float64Array; y: Float64Array; z: Float64Array } {
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const x = new Float64Array(rows.length),
    y = new Float64Array(rows.length),
    z = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    const [a, b, c] = row.trim().split(/\s+/).map(Number);
    x[i] = a!;
    y[i] = b!;
    z[i] = c!;
  });
  return { x, y, z };
}

function balanced(line: string): boolean {
  let depth = 0;
  for (const ch of line) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** The columns of the panels' lower-left corners ('└' or '+' followed by the axis), from the x-axis row. */
function panelCorners(lines: readonly string[]): { row: number; cols: number[] } {
  // The axis may start with a tick right at the corner ("└┬──", "++--"): a corner is the first mark after a space.
  const row = lines.findIndex((l) => /[└+][─┬+-]{3}/.test(l));
  const chars = [...(lines[row] ?? '')];
  return {
    row,
    cols: chars.flatMap((ch, i) => (/[└+]/.test(ch) && (i === 0 || chars[i - 1] === ' ') && /[─┬+-]/.test(chars[i + 1] ?? '') ? [i] : [])),
  };
}

const cells = (line: string): string[] => [...line];

describe('lidar plan views (real dune scan: 40,069 floor and 4,608 vegetation points)', () => {
  const floor = readXyz(data('lidar/dunes-floor.xyz'));
  const veg = readXyz(data('lidar/dunes-vegetation.xyz'));
  const cat = (a: Float64Array, b: Float64Array): Float64Array => {
    const out = new Float64Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const cloud = { x: cat(floor.x, veg.x), y: cat(floor.y, veg.y), z: cat(floor.z, veg.z) };
  const truth = Int32Array.from({ length: cloud.x.length }, (_, i) => (i < floor.x.length ? 0 : 1));
  // A stand-in prediction that misses the western edge of the vegetation: errors gathered in one place.
  const vegX = [...veg.x].sort((a, b) => a - b);
  const edge = vegX[Math.floor(vegX.length * 0.15)]!;
  const predicted = truth.map((l, i) => (l === 1 && cloud.x[i]! < edge ? 0 : l));
  const errors = truth.map((l, i) => (l === predicted[i] ? 0 : 1));
  const panels: PlanPanel[] = [
    { cloud: { ...cloud, labels: predicted }, title: 'predicted', colorBy: 'label', labelNames: ['floor', 'vegetation'] },
    { cloud: { ...cloud, labels: errors }, title: 'where the errors are', colorBy: 'label', labelNames: ['right', 'wrong'], background: [0], foreground: [1] },
    { cloud: { ...cloud, labels: truth }, title: 'true classes', colorBy: 'label', labelNames: ['floor', 'vegetation'] },
  ];

  for (const [width, height] of SIZES) {
    for (const mode of MODES) {
      const caps = { ...mode, width, height };
      const name = `${width}x${height} ${mode.colors ? 'colour' : mode.unicode ? 'mono' : 'ascii'}`;
      it(`${name}: predicted, errors and truth side by side, the legend whole, most of the width used`, () => {
        const out = renderPlanViews(panels, caps);
        expect(violation(out, caps)).toBeNull();
        const lines = stripAnsi(out).split('\n');
        for (const line of lines) expect(balanced(line), line).toBe(true);
        const text = lines.join('\n');
        for (const entry of ['floor', 'vegetation', 'right (', 'wrong (']) expect(text).toContain(entry);
        // Side by side: one row holds the three panel titles, left to right.
        const titles = lines.find((l) => l.includes('predicted'))!;
        expect(titles.indexOf('predicted')).toBeLessThan(titles.indexOf('where the'));
        expect(titles.indexOf('where the')).toBeLessThan(titles.indexOf('true classes'));
        const { row, cols } = panelCorners(lines);
        expect(cols).toHaveLength(3);
        // The maps (not the axis names) reach across at least 80 % of the columns.
        expect(Math.max(...lines.slice(0, row + 1).map(displayWidth))).toBeGreaterThanOrEqual(0.8 * width);
        expect(displayWidth(lines[row]!.trimEnd())).toBeGreaterThanOrEqual(0.8 * width);
      });
    }
  }

  it('a wide, short tile in a narrow window: the three maps stacked or side by side, whichever is finer, all within the space', () => {
    for (const [width, height] of [
      [40, 18],
      [40, 40],
      [78, 18],
    ] as const) {
      const caps = { colors: 0 as const, unicode: true, width, height };
      const out = renderPlanViews(panels, caps);
      expect(violation(out, caps)).toBeNull();
      const lines = out.split('\n');
      expect(lines.join(' ').match(/└[─┬]/g)).toHaveLength(3);
      // A narrow panel's title wraps under itself ("true / classes"): every word is there.
      for (const t of ['predicted', 'true', 'classes', 'errors']) expect(lines.some((l) => l.includes(t))).toBe(true);
    }
    // Tall enough, the 1.6 m × 0.8 m tile reads finer stacked at 40 columns: three corners in three rows.
    const tall = renderPlanViews(panels, { colors: 0, unicode: true, width: 40, height: 40 }).split('\n');
    expect(tall.filter((l) => /└[─┬]/.test(l))).toHaveLength(3);
  });

  it('the error map shows the wrong points where they gather (a quarter of a cell or more), not everywhere', () => {
    const caps = { colors: 0 as const, unicode: true, width: 118, height: 34 };
    const lines = renderPlanViews([panels[1]!], caps).split('\n');
    const plot = lines.slice(0, panelCorners(lines).row).join('\n');
    const wrong = (plot.match(/✖/g) ?? []).length;
    const right = (plot.match(/·/g) ?? []).length;
    expect(wrong).toBeGreaterThan(0);
    expect(wrong).toBeLessThan(right);
  });
});

describe('lidar legends name every class present', () => {
  const park = generateLidarScene({ scene: '4class', seed: 3, nPoints: 20_000 });
  const cloud = { x: park.x, y: park.y, z: park.z, labels: park.label };
  for (const [width, height] of [
    [78, 18],
    [118, 34],
    [40, 14],
  ] as const) {
    it(`the park at ${width}x${height}: path, grass, tree and wall with their counts, from above and from the side`, () => {
      for (const view of ['top', 'side'] as const) {
        const caps = { colors: 0 as const, unicode: true, width, height };
        const out = renderPointCloud(cloud, caps, { view, colorBy: 'label', labelNames: park.classes });
        expect(violation(out, caps)).toBeNull();
        const lines = out.split('\n');
        for (const line of lines) expect(balanced(line), line).toBe(true);
        for (const [k, c] of park.classes.entries()) {
          const count = park.label.filter((l) => l === k).length;
          expect(lines.join(' ')).toMatch(new RegExp(`${c} \\(${count}\\)`));
        }
      }
    });
  }
  it('a label longer than the width wraps over the next row instead of losing its parenthesis', () => {
    const caps = { colors: 0 as const, unicode: true, width: 14, height: 14 };
    const out = renderPointCloud({ ...cloud, labels: cloud.labels.map((l) => Math.min(l, 1)) }, caps, {
      view: 'top',
      colorBy: 'label',
      labelNames: ['bare ground', 'dense vegetation'],
    });
    expect(violation(out, caps)).toBeNull();
    for (const line of out.split('\n')) expect(balanced(line), line).toBe(true);
    expect(out.replace(/\s+/g, ' ')).toContain('dense vegetation (');
  });
});

describe("the lidar lessons' maps (the real experiments)", () => {
  it('lidar-classify: one figure with the prediction, the errors and the truth side by side at 120 columns, both maps at 80', {
    timeout: 120_000,
  }, async () => {
    const result = await runTask('lidar-classify', { model: 'rf', scales: '0.05,0.1,0.25,0.5', cores: '2000' }, 1);
    // The classified scene, not the train/test map before it (also a top view).
    const map = result.figures.find((f) => f.title.startsWith('The scene classified'))!;
    expect(map.tall).toBe(true);
    for (const [width, height] of SIZES) {
      const caps = { colors: 0 as const, unicode: true, width, height };
      const out = map.render(caps);
      expect(violation(out, caps)).toBeNull();
      const lines = out.split('\n');
      const titles = lines.filter((l) => l.includes('predicted') || l.includes('true classes'));
      if (width >= 118) expect(titles.some((l) => l.includes('predicted') && l.includes('true classes'))).toBe(true);
      else {
        expect(lines.some((l) => l.includes('predicted'))).toBe(true);
        expect(lines.some((l) => l.includes('true classes'))).toBe(true);
      }
      expect(displayWidth(lines[panelCorners(lines).row]!.trimEnd())).toBeGreaterThanOrEqual(0.8 * width);
      for (const line of lines) expect(balanced(line), line).toBe(true);
    }
  });

  it('lidar-cluster with DBSCAN: the clusters panel shows two clusters or more besides the noise', { timeout: 120_000 }, async () => {
    const result = await runTask('lidar-cluster', { model: 'dbscan', eps: '0.5', 'min-samples': '5', cores: '1000' }, 1);
    const clusters = result.json.cluster_sizes as Record<string, number>;
    expect(Object.keys(clusters).filter((k) => k !== 'noise').length).toBeGreaterThanOrEqual(2);
    const map = result.figures.find((f) => f.title.startsWith('Clusters in the top view'))!;
    for (const [width, height] of SIZES) {
      const lines = map.render({ colors: 0, unicode: true, width, height }).split('\n');
      const { row, cols } = panelCorners(lines);
      const end = cols[1] ?? width;
      // The clusters panel: from its axis to the next panel's; the legend's markers are above it.
      const top = lines.findIndex((l) => l.includes('clusters') && !l.includes('cluster 0'));
      const glyphs = new Set(
        lines
          .slice(top + 1, row)
          .flatMap((l) => cells(l).slice(cols[0]! + 1, end - 1))
          .filter((ch) => /[●✕▲■◆✚○□]/.test(ch)),
      );
      expect(glyphs.size, lines.join('\n')).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('seismograms with analyst picks (PhaseNet sample records, 90 s at 100 Hz)', () => {
  const records = ['BG_SQK_2012040517463293.npz', 'BG_ACR_2012082505145960.npz', 'NC_KMPB_2007112407413145.npz'].map((file) => {
    const npz = readNpz(data(`phases/${file}`));
    const wave = npzArray(npz, 'data');
    const n = wave.shape[0]!;
    const z = Float64Array.from({ length: n }, (_, i) => wave.data[i * 3 + 2]!);
    return { file, z, itp: npzArray(npz, 'itp').data[0]!, its: npzArray(npz, 'its').data[0]! };
  });
  const rate = 100;
  const probs = (pT: number, sT: number, n: number): Array<{ name: string; values: Float64Array }> => [
    { name: 'P', values: Float64Array.from({ length: n }, (_, i) => Math.exp(-((i / rate - pT) ** 2) / 0.02)) },
    { name: 'S', values: Float64Array.from({ length: n }, (_, i) => Math.exp(-((i / rate - sT) ** 2) / 0.02)) },
  ];
  /** Index of the first row of the trace panel (the first row drawn against the y axis) and the marks row above it. */
  const traceTop = (lines: readonly string[]): number => lines.findIndex((l) => /^ *[-\d.]*[┤│+|]/.test(l));

  const cases: Array<{ label: string; rec: (typeof records)[number]; sMinusP: number }> = [
    // The records' own analyst picks: S−P of 0.53, 0.99 and 4.93 s.
    ...records.map((rec) => ({ label: `${rec.file} (analyst S−P ${((rec.its - rec.itp) / rate).toFixed(2)} s)`, rec, sMinusP: (rec.its - rec.itp) / rate })),
    // And the spacings exactly, on the first record.
    ...[0.5, 1, 5].map((d) => ({ label: `S−P = ${d} s`, rec: records[0]!, sMinusP: d })),
  ];
  for (const { label, rec, sMinusP } of cases) {
    for (const [width, height] of SIZES) {
      for (const mode of MODES) {
        it(`${label} at ${width}x${height} ${mode.colors ? 'colour' : mode.unicode ? 'mono' : 'ascii'}: P and S labelled in distinct columns`, () => {
          const caps = { ...mode, width, height };
          const pT = rec.itp / rate;
          const sT = pT + sMinusP;
          const picks: PhasePick[] = [
            { phase: 'P', time: pT, source: 'analyst' },
            { phase: 'S', time: sT, source: 'analyst' },
            { phase: 'P', time: pT + 0.04, source: 'PhaseNet' },
            { phase: 'S', time: sT - 0.06, source: 'PhaseNet' },
          ];
          const out = renderWaveform({ samples: rec.z, sampleRate: rate, name: 'Z', unit: 'counts' }, caps, {
            title: rec.file,
            picks,
            probabilities: probs(pT, sT, rec.z.length),
          });
          expect(violation(out, caps)).toBeNull();
          const lines = stripAnsi(out).split('\n');
          const marks = cells(lines[traceTop(lines) - 1]!);
          const pCols = marks.flatMap((ch, i) => (ch === 'P' ? [i] : []));
          const sCols = marks.flatMap((ch, i) => (ch === 'S' ? [i] : []));
          expect(pCols.length, lines.join('\n')).toBeGreaterThanOrEqual(1);
          expect(sCols.length, lines.join('\n')).toBeGreaterThanOrEqual(1);
          // Apart: not in the same or the neighbouring column ("PS", "SS" no more).
          expect(Math.min(...sCols) - Math.max(...pCols)).toBeGreaterThanOrEqual(2);
          expect(marks.join('')).not.toMatch(/SS|PP|PS/);
        });
      }
    }
  }

  for (const [width, height] of SIZES) {
    it(`the Z trace has rows of its own at ${width}x${height}: picks go on a row above it and behind it, never over a sample`, () => {
      const rec = records[1]!;
      const pT = rec.itp / rate;
      const sT = rec.its / rate;
      const caps = { colors: 0 as const, unicode: true, width, height };
      const picks: PhasePick[] = [
        { phase: 'P', time: pT, source: 'analyst' },
        { phase: 'S', time: sT, source: 'analyst' },
      ];
      const trace = { samples: rec.z, sampleRate: rate, name: 'Z', unit: 'counts' };
      const withPicks = renderWaveform(trace, caps, { picks, probabilities: probs(pT, sT, rec.z.length) }).split('\n');
      // The same window without picks: the trace as it is, cell for cell.
      const win = pickWindow(0, (rec.z.length - 1) / rate, picks, width - 6, 1 / rate);
      // The picks take one row for their labels above the trace: the bare trace gets one row less to match.
      const bare = renderWaveform(trace, { ...caps, height: height - 1 }, { window: win, probabilities: probs(pT, sT, rec.z.length) }).split('\n');
      const rowsOf = (lines: string[]): string[] => lines.slice(traceTop(lines), panelCorners(lines).row);
      const a = rowsOf(withPicks);
      const b = rowsOf(bare);
      expect(a.length).toBeGreaterThanOrEqual(6);
      expect(a.length).toBe(b.length);
      let samples = 0;
      b.forEach((line, r) =>
        cells(line).forEach((ch, c) => {
          if (ch >= '\u2801' && ch <= '\u28ff') {
            samples++;
            expect(cells(a[r]!)[c], `row ${r} col ${c}`).toBe(ch);
          }
        }),
      );
      expect(samples).toBeGreaterThan(50);
      // No pick label inside the trace rows, and the probability panel below is smaller than the trace.
      for (const line of a) expect(line.slice(8)).not.toMatch(/[PS]/);
      const probRows = withPicks.length - panelCorners(withPicks).row - 1;
      expect(a.length).toBeGreaterThan(probRows - 3);
    });
  }
});
