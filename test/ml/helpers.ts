// Shared test helpers: the committed datasets as matrices, the scikit-learn reference values, the fixed i % 4 split.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/data/csv.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// biome-ignore lint/suspicious/noExplicitAny: scikit-learn's reference numbers, a deep JSON tree each test reads its own branch of
export const REF: any = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/sklearn/reference.json'), 'utf8'));

/** A committed dataset: all columns but the last as features, the last as target (class codes in order of first appearance, or numbers). */
export function loadXy(name: string): { X: number[][]; y: number[]; columns: string[] } {
  const { table } = parseCsv(readFileSync(path.join(ROOT, 'datasets', name, `${name}.csv`), 'utf8'));
  const X = table.rows.map((r) => r.slice(0, -1) as number[]);
  const last = table.rows.map((r) => r[r.length - 1]!);
  let y: number[];
  if (typeof last[0] === 'number') y = last as number[];
  else {
    // scikit-learn's class order is sorted by target code, which is the order of first appearance in these files
    // except breast cancer (malignant = 0 appears first too).
    const codes = new Map<string, number>();
    for (const v of last) if (!codes.has(v as string)) codes.set(v as string, codes.size);
    y = last.map((v) => codes.get(v as string)!);
  }
  return { X, y, columns: table.columns };
}

/** The fixtures' split: row i is a test row when i % 4 == 0. */
export function fixedSplit<T>(items: readonly T[]): { train: T[]; test: T[] } {
  return { train: items.filter((_, i) => i % 4 !== 0), test: items.filter((_, i) => i % 4 === 0) };
}

/** Asserts |a − b| ≤ rel·max(|b|, 1e-12) + abs elementwise, with a useful message. */
export function expectClose(actual: number | readonly number[], expected: number | readonly number[], rel = 1e-6, abs = 1e-9): void {
  const a = typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  if (a.length !== e.length) throw new Error(`length ${a.length} != ${e.length}`);
  a.forEach((v, i) => {
    const tol = rel * Math.abs(e[i]!) + abs;
    if (!(Math.abs(v - e[i]!) <= tol)) throw new Error(`element ${i}: got ${v}, expected ${e[i]} (tolerance ${tol})`);
  });
}
