// The bench's one table (src/bench/main.ts): every row's figures in its unit, the ratio, the goal and whether it is
// met, with its reference and method under it; the JSON is the rows themselves.
import { describe, expect, it } from 'vitest';
import { formatFigure, formatTable } from '../../src/bench/main.js';
import type { BenchRow } from '../../src/bench/row.js';

const rows: BenchRow[] = [
  { workload: 'first frame', eds: 0.2346, reference: 0.08, referenceName: 'node', unit: 's', ratio: 2.93, goal: '≤ 0.3 s', met: true, how: 'median of 10' },
  { workload: 'report memory', eds: 250.4, reference: null, referenceName: 'none', unit: 'MB', ratio: null, goal: '≤ 200 MB', met: false, how: 'peak' },
  { workload: 'k-means', eds: 12.34, reference: null, referenceName: 'none', unit: 's', ratio: null, goal: '', met: null, how: 'one run' },
];

describe('the bench table', () => {
  it('shows each row with its unit, ratio, goal and verdict, and its reference and method under it', () => {
    const lines = formatTable(rows).trimEnd().split('\n');
    expect(lines[0]!.split(/\s{2,}/)).toEqual(['workload', 'eds', 'reference', 'ratio', 'goal', 'met']);
    expect(lines).toHaveLength(2 + 2 * rows.length);
    expect(lines[2]!.split(/\s{2,}/)).toEqual(['first frame', '0.235 s', '0.080 s', '2.93×', '≤ 0.3 s', 'yes']);
    expect(lines[4]!.split(/\s{2,}/)).toEqual(['report memory', '250 MB', '-', '-', '≤ 200 MB', 'NO']);
    expect(lines[6]!.split(/\s{2,}/)).toEqual(['k-means', '12.3 s', '-', '-', '-', '-']);
    expect(lines[3]).toBe('    reference: node; median of 10');
    // Columns line up: every figure ends where its header does.
    const end = lines[0]!.indexOf('reference') + 'reference'.length;
    expect(lines[2]!.slice(0, end).endsWith('0.080 s')).toBe(true);
  });

  it('writes figures to about three significant digits, and a dash for none', () => {
    expect(formatFigure(1234.5, 'MB')).toBe('1235 MB');
    expect(formatFigure(5.4321, 's')).toBe('5.43 s');
    expect(formatFigure(0.0123, 's')).toBe('0.012 s');
    expect(formatFigure(null, 's')).toBe('-');
    expect(formatFigure(Number.NaN, 's')).toBe('-');
  });
});
