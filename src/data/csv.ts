// The project's one CSV/TSV reader: sniffs the delimiter, handles quotes, CRLF, BOM and missing-value codes, and says what it dropped.
import { basename } from 'node:path';
import { UserError } from '../errors.js';
import { safeLine } from '../util/safe-text.js';
import { fileLabel, lineOfIndex, READ_LIMITS, readInputText } from './input.js';
import { MISSING_VALUE_CODES } from './missing.js';

/** Most fields in one record: a table of more columns than this is not one a student analyses here. */
const MAX_FIELDS = 10_000;
/** Most cells in a whole file: each costs tens of bytes once parsed, so this bounds memory (~1 GB). */
const MAX_CELLS = READ_LIMITS.values;

/** One cell of a table: a number, a string (labels, dates, comments), or null for a missing value. */
export type Cell = number | string | null;

/** A rectangular table, row-major: what the CSV reader and every dataset loader return. */
export interface Table {
  /** Column names in file order (may contain spaces and units, e.g. "Twater (°C)"). */
  columns: string[];
  /** One array per row, one cell per column. */
  rows: Cell[][];
  /** For each row, the 1-based line of the source file where it starts (for error messages); absent for generated data. */
  lines?: number[];
  /** Short name of the source (file name or dataset name) used in error messages. */
  source?: string;
}

/** What the reader did with the file, so a student can see what was dropped and why. */
export interface CsvReport {
  /** The delimiter used (sniffed or given). */
  delimiter: string;
  /** Data records found after the header (blank lines not counted). */
  recordsRead: number;
  /** Records kept in the table. */
  rowsKept: number;
  /** Blank lines skipped. */
  blankLines: number;
  /** Records with more fields than the header: dropped. */
  droppedTooManyFields: number;
  /** 1-based lines of the first few dropped records (at most 10). */
  droppedLines: number[];
  /** Records with fewer fields than the header: padded with missing cells (the way pandas reads them). */
  paddedShortRows: number;
  /** Missing cells per column (empty or one of the missing-value codes). */
  missingPerColumn: Record<string, number>;
}

/** How to read a delimited text file. */
export interface CsvOptions {
  /** Field delimiter; sniffed among `,` `;` tab `|` from the header when absent. */
  delimiter?: string;
  /** Cell texts that mean "missing". Codes that parse as numbers also match by value (`-30000` matches `-30000.0`). */
  missingValues?: readonly string[];
  /** Name used in error messages (defaults to the file's base name). */
  source?: string;
  /** Fail on the first record with the wrong number of fields instead of padding / dropping it. */
  strict?: boolean;
}

/** A table read from text, with the report of what was dropped. */
export interface CsvResult {
  /** The parsed table; columns whose non-missing cells are all numeric hold numbers, others strings. */
  table: Table;
  /** What was read, dropped and padded. */
  report: CsvReport;
}

/** Reads a CSV/TSV file from disk; errors name the file and line. */
export async function readCsvFile(path: string, options: CsvOptions = {}): Promise<CsvResult> {
  const text = await readInputText(path);
  return parseCsv(text, { ...options, source: options.source ?? basename(path) });
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a number the way a data file writes one (no hex, no "Infinity", surrounding spaces allowed); NaN if it is not one. */
export function parseNumber(text: string): number {
  const t = text.trim();
  return NUMBER_RE.test(t) ? Number(t) : Number.NaN;
}

/** Parses delimited text into a table. Pure: no I/O. */
export function parseCsv(text: string, options: CsvOptions = {}): CsvResult {
  const source = fileLabel(options.source ?? 'input');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // A NUL byte means a binary file (a spreadsheet, a zip) given as text: say so rather than parse noise.
  const nul = text.indexOf('\0');
  if (nul >= 0) throw new UserError(`${source}:${lineOfIndex(text, nul)}: a NUL byte: not a text table (a binary file, such as .xlsx?)`);
  const delimiter = options.delimiter ?? sniffDelimiter(text);
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new UserError(`${source}: delimiter must be one character other than a quote or newline, got ${safeLine(JSON.stringify(delimiter), 20)}`);
  }
  // Blank lines (a record of one empty unquoted field) are skipped anywhere, including before the header.
  const { records: nonBlank, blankLines } = splitRecords(text, delimiter, source);
  if (nonBlank.length === 0) throw new UserError(`${source}: the file is empty (no header line)`);
  const header = nonBlank[0]!;
  const columns = header.fields.map((name, i) => name.trim() || `column_${i + 1}`);
  const seen = new Map<string, number>();
  for (const [i, name] of columns.entries()) {
    if (seen.has(name))
      throw new UserError(`${source}:${header.line}: column ${i + 1}: duplicate column name "${safeLine(name, 60)}" (also column ${seen.get(name)! + 1})`);
    seen.set(name, i);
  }
  const missing = makeMissingTest(options.missingValues ?? MISSING_VALUE_CODES);
  const width = columns.length;
  const raw: (string | null)[][] = [];
  const lines: number[] = [];
  const report: CsvReport = {
    delimiter,
    recordsRead: nonBlank.length - 1,
    rowsKept: 0,
    blankLines,
    droppedTooManyFields: 0,
    droppedLines: [],
    paddedShortRows: 0,
    missingPerColumn: Object.fromEntries(columns.map((c) => [c, 0])),
  };
  for (let r = 1; r < nonBlank.length; r++) {
    const rec = nonBlank[r]!;
    let fields = rec.fields;
    if (fields.length !== width) {
      if (options.strict) {
        throw new UserError(`${source}:${rec.line}: expected ${width} fields (as in the header), got ${fields.length}`);
      }
      if (fields.length > width) {
        report.droppedTooManyFields++;
        if (report.droppedLines.length < 10) report.droppedLines.push(rec.line);
        continue;
      }
      report.paddedShortRows++;
      fields = fields.concat(new Array<string>(width - fields.length).fill(''));
    }
    raw.push(fields.map((f) => (missing(f) ? null : f)));
    lines.push(rec.line);
  }
  report.rowsKept = raw.length;
  // A column is numeric when every non-missing cell is a number; then all its cells become numbers.
  const numeric = columns.map((_, c) => raw.every((row) => row[c] === null || !Number.isNaN(parseNumber(row[c]!))));
  const rows: Cell[][] = raw.map((row, r) =>
    row.map((cell, c) => {
      if (cell === null) {
        report.missingPerColumn[columns[c]!]!++;
        return null;
      }
      if (!numeric[c]) return cell;
      const v = parseNumber(cell);
      // 1e999 or 400 digits read as Infinity: refused here, or later it would be "null" in a message.
      if (!Number.isFinite(v)) {
        throw new UserError(
          `${source}:${lines[r]}: column "${safeLine(columns[c], 60)}": "${safeLine(cell.trim(), 30)}" is not a finite number (too large for a double)`,
        );
      }
      return v;
    }),
  );
  return { table: { columns, rows, lines, source }, report };
}

/** Picks the delimiter among `,` `;` tab `|` that splits the header into the most fields (outside quotes), ties broken by the second line. */
export function sniffDelimiter(text: string): string {
  const candidates = [',', ';', '\t', '|'];
  const [first = '', second = ''] = firstLines(text, 2);
  let best = ',';
  let bestScore = -1;
  for (const d of candidates) {
    const n1 = countOutsideQuotes(first, d);
    const n2 = countOutsideQuotes(second, d);
    // Agreement between header and first row is worth more than a raw count.
    const score = n1 === 0 ? 0 : n1 * 2 + (n1 === n2 ? 1 : 0);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

function firstLines(text: string, n: number): string[] {
  const out: string[] = [];
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < text.length && out.length < n; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '\n' && !inQuotes) {
      const line = text.slice(start, i).replace(/\r$/, '');
      if (line.trim() !== '') out.push(line);
      start = i + 1;
    }
  }
  if (out.length < n && start < text.length) out.push(text.slice(start).replace(/\r$/, ''));
  return out;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let inQuotes = false;
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === d && !inQuotes) n++;
  }
  return n;
}

function makeMissingTest(codes: readonly string[]): (cell: string) => boolean {
  const texts = new Set(codes.map((c) => c.trim()));
  const values = codes.map(parseNumber).filter((v) => !Number.isNaN(v));
  return (cell) => {
    const t = cell.trim();
    if (texts.has(t)) return true;
    if (values.length === 0) return false;
    const v = parseNumber(t);
    return !Number.isNaN(v) && values.includes(v);
  };
}

interface RawRecord {
  fields: string[];
  line: number;
  quoted: boolean;
}

/**
 * RFC 4180 with leniency: quoted fields may hold delimiters, newlines and doubled quotes; a quote inside an
 * unquoted field is kept as text. Blank lines are counted, not kept; fields per record and in all are
 * bounded ({@link MAX_FIELDS}, {@link MAX_CELLS}) so a file of commas cannot take gigabytes of arrays.
 */
function splitRecords(text: string, d: string, source: string): { records: RawRecord[]; blankLines: number } {
  const records: RawRecord[] = [];
  let blankLines = 0;
  let cells = 0;
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let anyQuoted = false;
  let i = 0;
  const n = text.length;
  const pushField = () => {
    fields.push(field);
    if (fields.length > MAX_FIELDS)
      throw new UserError(`${source}:${recordLine}: more than ${MAX_FIELDS.toLocaleString('en-US')} fields in one record: not a table eds reads`);
    if (++cells > MAX_CELLS)
      throw new UserError(`${source}: more than ${MAX_CELLS.toLocaleString('en-US')} cells: too large a table for eds (keep the columns and rows you need)`);
  };
  const endRecord = () => {
    if (fields.length === 0 && field === '' && !anyQuoted) blankLines++;
    else {
      pushField();
      records.push({ fields, line: recordLine, quoted: anyQuoted });
    }
    fields = [];
    field = '';
    anyQuoted = false;
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field.trim() === '') {
      // Quoted field: read to the closing quote.
      const openLine = line;
      anyQuoted = true;
      field = '';
      i++;
      for (;;) {
        if (i >= n) throw new UserError(`${source}:${openLine}: unterminated quoted field (a " opened here is never closed)`);
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      // Anything between the closing quote and the next delimiter is kept (lenient, like Python's csv).
      while (i < n && text[i] !== d && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      continue;
    }
    if (ch === d) {
      pushField();
      field = '';
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += ch;
      i++;
    }
  }
  // A final line without a newline still counts; an empty tail after the last newline does not.
  if (field !== '' || fields.length > 0 || anyQuoted) endRecord();
  return { records, blankLines };
}

/** Column index by exact name, or a one-line error listing the columns there are. */
export function columnIndex(table: Table, name: string): number {
  const i = table.columns.indexOf(name);
  if (i >= 0) return i;
  const trimmed = table.columns.findIndex((c) => c.trim().toLowerCase() === name.trim().toLowerCase());
  if (trimmed >= 0) return trimmed;
  const list = table.columns.map((c) => JSON.stringify(c)).join(', ');
  throw new UserError(`${fileLabel(table.source ?? 'table')}: no column "${safeLine(name, 60)}"; columns are ${safeLine(list, 400)}`);
}

/** Writes a table as CSV text (comma-separated, quoted where needed, missing cells empty, "\n" line ends). */
export function formatCsv(table: Table): string {
  const quote = (v: Cell): string => {
    if (v === null) return '';
    const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
    return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const out = [table.columns.map(quote).join(',')];
  for (const row of table.rows) out.push(row.map(quote).join(','));
  return out.join('\n') + '\n';
}
