// The project's figures drawn for a terminal: the correlation table fits the width it is given.
import { describe, expect, it } from 'vitest';
import { correlationTable } from '../../src/project/figures.js';

describe('correlationTable', () => {
  const names = Array.from({ length: 12 }, (_, j) => `od280_od315_of_diluted_${j}`);
  const r = names.map((_, a) => names.map((__, b) => (a === b ? 1 : Math.round(((a + 1) * (b + 1)) % 7) / 7 - 0.5)));

  it('keeps the names beside the rows when they fit', () => {
    const text = correlationTable(
      names.slice(0, 3),
      r.slice(0, 3).map((row) => row.slice(0, 3)),
      80,
    );
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^0: od280_od315_of_diluted_0\s+1\.00/);
  });
  it('moves the names under the table when 12 features would not fit 80 columns, every value still there', () => {
    const wide = correlationTable(names, r);
    expect(Math.max(...wide.split('\n').map((l) => l.length))).toBeGreaterThan(80);
    const text = correlationTable(names, r, 80);
    const lines = text.split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^0 +1\.00/);
    expect(lines[12]).toMatch(/^11 /);
    expect(lines[12]!.trim().split(/\s+/)).toHaveLength(13);
    expect(text).toContain('11: od280_od315_of_diluted_11');
  });
});
