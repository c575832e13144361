// Hostile tables: overflowing numbers, NUL bytes, files of commas or blank lines, a 100,000-digit cell, hostile column and file names.
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnIndex, parseCsv, readCsvFile } from '../../src/data/csv.js';
import { expectOneCleanLine, peakGrowthMB, userError, userErrorAsync } from './hostile.js';

describe('CSV cells that overflow or are not text', () => {
  it('says a cell of 1e999 is not a finite number (it used to reach a student as "got null")', () => {
    expect(userError(() => parseCsv('a,b\n1,2\n3,1e999\n', { source: 'big.csv' }))).toBe(
      'big.csv:3: column "b": "1e999" is not a finite number (too large for a double)',
    );
    expect(userError(() => parseCsv('a;b\n1;-1E400\n', { source: 'neg.csv' }))).toMatch(/^neg\.csv:2: column "b": "-1E400" is not a finite number/);
    expect(userError(() => parseCsv(`a\n${'9'.repeat(400)}\n`, { source: 'digits.csv' }))).toMatch(
      /^digits\.csv:2: column "a": "9{29}…" is not a finite number/,
    );
    // The largest double still reads; an underflow reads as 0, which is finite and what NumPy reads too.
    const { table } = parseCsv('a,b\n1.7976931348623157e308,1e-999\n');
    expect(table.rows[0]).toEqual([1.7976931348623157e308, 0]);
    // In a text column, the same spelling stays text.
    expect(parseCsv('a\nword\n1e999\n').table.rows[1]).toEqual(['1e999']);
  });

  it('refuses a NUL byte by line, and keeps hostile names out of messages', () => {
    expect(userError(() => parseCsv('a,b\n1,2\n3,\u00004\n', { source: 'nul.csv' }))).toBe(
      'nul.csv:3: a NUL byte: not a text table (a binary file, such as .xlsx?)',
    );
    const dup = userError(() => parseCsv('\u001b[2J,\u001b[2J\n1,2\n', { source: 'evil\u001b]0;x\u0007.csv' }));
    expectOneCleanLine(dup);
    expect(dup).toBe('evil]0;x.csv:1: column 2: duplicate column name "[2J" (also column 1)');
    const { table } = parseCsv('\u009b2J,b\n1,2\n', { source: 'c1.csv' });
    expectOneCleanLine(userError(() => columnIndex(table, 'pH\u001b[5m')));
  });

  it('bounds records of very many fields, and does not keep blank lines', () => {
    expect(userError(() => parseCsv(`a,b\n${','.repeat(50_000)}\n`, { source: 'commas.csv' }))).toBe(
      'commas.csv:2: more than 10,000 fields in one record: not a table eds reads',
    );
    let report: ReturnType<typeof parseCsv>['report'] | undefined;
    const grown = peakGrowthMB(() => (report = parseCsv(`a,b\n${'\n'.repeat(5_000_000)}1,2\n`).report));
    expect(report!.blankLines).toBe(5_000_000);
    expect(report!.rowsKept).toBe(1);
    expect(grown).toBeLessThan(200);
  });

  it('reads a 1,000,000-digit cell followed by a letter in linear time (no regex backtracking)', () => {
    const { table } = parseCsv(`a\n${'7'.repeat(1_000_000)}x\n`);
    expect(String(table.rows[0]![0]).length).toBe(1_000_001);
  });

  it('refuses a directory in one line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'eds-csv-'));
    mkdirSync(path.join(dir, 'data.csv'));
    expect(await userErrorAsync(() => readCsvFile(path.join(dir, 'data.csv')))).toBe(`${path.join(dir, 'data.csv')}: cannot read: is a directory`);
  });
});
