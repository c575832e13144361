// Tests of the one CSV reader: the real river file from the observatory, and crafted bad inputs.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { columnIndex, formatCsv, parseCsv, readCsvFile, sniffDelimiter } from '../../src/data/csv.js';
import { UserError } from '../../src/errors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const riverFile = path.resolve(root, '../shared/data/river/CE_DIG_OBSERA_RIVERS_2019-09-26.csv');

describe('readCsvFile on the real river water-sample file', () => {
  it('reads 1,318 rows x 22 columns with ";" sniffed, padding the missing trailing "Validate" field', async () => {
    const { table, report } = await readCsvFile(riverFile);
    expect(report.delimiter).toBe(';');
    expect(table.columns).toHaveLength(22);
    expect(table.rows).toHaveLength(1318);
    expect(report.recordsRead).toBe(1318);
    expect(report.rowsKept).toBe(1318);
    expect(report.droppedTooManyFields).toBe(0);
    // Every data line has 21 fields under a 22-name header: the last column is absent, not the row.
    expect(report.paddedShortRows).toBe(1318);
    expect(table.columns[7]).toBe('Twater (°C)');
    expect(table.columns[20]).toBe('Comment');
  });

  it('parses known cells: dates and hours as text, numbers as numbers, quoted French comments with ";" intact', async () => {
    const { table, report } = await readCsvFile(riverFile);
    const c = (name: string) => columnIndex(table, name);
    const first = table.rows[0]!;
    expect(first[c('Date')]).toBe('2019-09-20');
    expect(first[c('Hour')]).toBe('10:53');
    expect(first[c('Twater (°C)')]).toBe(23.3);
    expect(first[c('pH')]).toBe(7.28);
    expect(first[c('Suspended Load')]).toBeNull();
    expect(String(first[c('Comment')])).toMatch(/^Alc\. mesurée en labo le 20\/09\/2019; autres paramètres/);
    const row100 = table.rows[99]!;
    expect(row100[c('Comment')]).toBe("Cond. prise non compensée sur le terrain; prélèvement pour Bill effectué à 10h avec hauteur d'eau de 30cm");
    expect(table.rows[1]![c('Suspended Load')]).toBe(118.6);
    expect(table.lines![0]).toBe(2);
    expect(table.lines![1317]).toBe(1319);
    // Counts of empty cells, checked against Python's csv module.
    expect(report.missingPerColumn['Twater (°C)']).toBe(1079);
    expect(report.missingPerColumn['Suspended Load']).toBe(978);
    expect(report.missingPerColumn.Validate).toBe(1318);
    expect(report.missingPerColumn.Date).toBe(0);
  });
});

describe('parseCsv on crafted inputs', () => {
  it('handles BOM, CRLF, quoted delimiters, doubled quotes and newlines inside quotes', () => {
    const text = '\ufeffname,"value (m/s)",note\r\na,1.5,"x, ""y"""\r\nb,-2e3,"two\r\nlines"\r\nc,,plain\r\n';
    const { table, report } = parseCsv(text);
    expect(report.delimiter).toBe(',');
    expect(table.columns).toEqual(['name', 'value (m/s)', 'note']);
    expect(table.rows).toEqual([
      ['a', 1.5, 'x, "y"'],
      ['b', -2000, 'two\r\nlines'],
      ['c', null, 'plain'],
    ]);
    expect(table.lines).toEqual([2, 3, 5]);
  });

  it('treats the observatory missing-value codes as missing, numerically (-30000.0, 1e+10, NAN, NA)', () => {
    const text = 'level\tturbidity\n1.2\t-30000.0\nNAN\t1e+10\n3\t1E+10\nNA\t5\n';
    const { table, report } = parseCsv(text);
    expect(report.delimiter).toBe('\t');
    expect(table.rows).toEqual([
      [1.2, null],
      [null, null],
      [3, null],
      [null, 5],
    ]);
    expect(report.missingPerColumn).toEqual({ level: 2, turbidity: 3 });
  });

  it('uses the missing-value codes it is given instead of the defaults', () => {
    const { table } = parseCsv('a;b\n-999;NA\n', { missingValues: ['-999'] });
    expect(table.rows).toEqual([[null, 'NA']]);
  });

  it('drops records with too many fields and reports their lines; pads short ones', () => {
    const { table, report } = parseCsv('a,b,c\n1,2,3\n4,5,6,7\n8,9\n\n10,11,12\n');
    expect(table.rows).toEqual([
      [1, 2, 3],
      [8, 9, null],
      [10, 11, 12],
    ]);
    expect(report.droppedTooManyFields).toBe(1);
    expect(report.droppedLines).toEqual([3]);
    expect(report.paddedShortRows).toBe(1);
    expect(report.blankLines).toBe(1);
  });

  it('keeps a column with any non-numeric cell as text so the bad cell can be reported with its line', () => {
    const { table } = parseCsv('x,y\n1,2\nabc,3\n');
    expect(table.rows[1]![0]).toBe('abc');
    expect(table.rows[0]![0]).toBe('1');
  });

  it('fails with file and line on an unterminated quote, and in strict mode on a ragged row', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n', { source: 'bad.csv' })).toThrow(/^bad\.csv:2: unterminated quoted field/);
    expect(() => parseCsv('a,b\n1,2\n1\n', { source: 'bad.csv', strict: true })).toThrow('bad.csv:3: expected 2 fields (as in the header), got 1');
    expect(() => parseCsv('', { source: 'e.csv' })).toThrow(UserError);
    expect(() => parseCsv('a,a\n1,2\n', { source: 'd.csv' })).toThrow('d.csv:1: column 2: duplicate column name "a" (also column 1)');
  });

  it('sniffs ";" over "," when decimal commas are present, and reports a missing file in one line', async () => {
    expect(sniffDelimiter('a;b;c\n1,5;2,5;3\n')).toBe(';');
    await expect(readCsvFile('/nonexistent/x.csv')).rejects.toThrow('/nonexistent/x.csv: cannot read: no such file');
  });

  it('names the columns there are when one is missing', () => {
    const { table } = parseCsv('Twater (°C),SSC\n1,2\n', { source: 'r.csv' });
    expect(columnIndex(table, 'Twater (°C)')).toBe(0);
    expect(() => columnIndex(table, 'pH')).toThrow('r.csv: no column "pH"; columns are "Twater (°C)", "SSC"');
  });

  it('round-trips through formatCsv', () => {
    const table = {
      columns: ['a b', 'c'],
      rows: [
        ['x, y', 1],
        [null, 2.5],
      ] as (string | number | null)[][],
    };
    const back = parseCsv(formatCsv(table)).table;
    expect(back.columns).toEqual(table.columns);
    expect(back.rows).toEqual(table.rows);
  });
});
