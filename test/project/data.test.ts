// eds project on awkward input: one clear line for what cannot be used, a notice and a sensible fallback for what can.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadProjectData, prepareTable } from '../../src/project/data.js';
import { overview, correlationRatio } from '../../src/project/overview.js';
import { compareModels, foldCount } from '../../src/project/compare.js';
import { UserError } from '../../src/errors.js';
import { parseCsv } from '../../src/data/csv.js';

const REPO = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'eds-project-data-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const table = (text: string) => parseCsv(text, { source: 't.csv' }).table;

async function userError(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  const message = (err as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('bad input is one clear line', () => {
  it('a missing target column lists the columns there are', async () => {
    const msg = await userError(loadProjectData(join(REPO, 'datasets/iris/iris.csv'), { target: 'kind' }));
    expect(msg).toMatch(/iris\.csv: no column "kind"; columns are .*"species"/);
  });
  it('no --target for a CSV says how to give one', async () => {
    expect(await userError(loadProjectData(join(REPO, 'datasets/iris/iris.csv')))).toMatch(/--target COLUMN/);
  });
  it('an empty file, a header without rows, a missing file', async () => {
    expect(await userError(loadProjectData(file('empty.csv', ''), { target: 'y' }))).toMatch(/empty/);
    expect(await userError(loadProjectData(file('header.csv', 'a,b,y\n'), { target: 'y' }))).toMatch(/no data rows/);
    expect(await userError(loadProjectData(join(dir, 'nope.csv'), { target: 'y' }))).toMatch(/no such file/);
  });
  it('a single class has nothing to classify', async () => {
    expect(await userError(loadProjectData(file('one.csv', 'a,y\n1,x\n2,x\n3,x\n'), { target: 'y' }))).toMatch(/single class \("x"\)/);
  });
  it('a continuous target points to regression', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i},${i * 1.5}`).join('\n');
    expect(await userError(loadProjectData(file('cont.csv', `a,y\n${rows}\n`), { target: 'y' }))).toMatch(/60 distinct values.*regression/);
  });
  it('only text columns with many values leaves no feature', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `comment ${i},${i % 2}`).join('\n');
    expect(await userError(loadProjectData(file('text.csv', `note,y\n${rows}\n`), { target: 'y' }))).toMatch(/no usable feature column/);
  });
  it('a .npy without labels, and labels of the wrong length', async () => {
    const npy = npyFile('x.npy', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await userError(loadProjectData(npy))).toMatch(/--labels FILE/);
    expect(await userError(loadProjectData(npy, { labels: file('y3.txt', 'a\nb\na\n') }))).toMatch(/3 labels for 4 rows/);
  });
});

describe('fallbacks with a notice', () => {
  it('text with few values is one-hot encoded, text with many is dropped, missing target rows are dropped', () => {
    const lines = ['site,comment,depth,y'];
    for (let i = 0; i < 30; i++) lines.push(`${['A', 'B', 'C'][i % 3]},note ${i},${i},${i < 29 ? (i % 2 ? 'lp' : 'vt') : ''}`);
    const d = prepareTable(table(lines.join('\n')), 'y');
    expect(d.featureNames).toEqual(['site=A', 'site=B', 'site=C', 'depth']);
    expect(d.X[1]).toEqual([0, 1, 0, 1]);
    expect(d.labels).toEqual(['lp', 'vt']);
    expect(d.X).toHaveLength(29);
    expect(d.notices.join('\n')).toMatch(/1 row\(s\) without a "y" value were dropped/);
    expect(d.notices.join('\n')).toMatch(/column "comment" dropped: text with 29 distinct values/);
    expect(d.notices.join('\n')).toMatch(/column "site" is text: one-hot encoded \(A, B, C\)/);
  });
  it('rows missing a feature are dropped, mostly-empty and constant columns too', () => {
    const lines = ['a,sparse,flat,y'];
    for (let i = 0; i < 20; i++) lines.push(`${i === 3 ? '' : i},${i < 5 ? i : ''},7,${i % 2}`);
    const d = prepareTable(table(lines.join('\n')), 'y');
    expect(d.featureNames).toEqual(['a']);
    expect(d.X).toHaveLength(19);
    const notes = d.notices.join('\n');
    expect(notes).toMatch(/"sparse" dropped: 75% missing/);
    expect(notes).toMatch(/1 row\(s\) with a missing feature value were dropped/);
    expect(notes).toMatch(/constant column\(s\) dropped: "flat"/);
  });
  it('a huge file is sub-sampled, stratified and seeded', () => {
    const lines = ['x,y'];
    for (let i = 0; i < 2000; i++) lines.push(`${i % 97},${i % 10 === 0 ? 'rare' : 'common'}`);
    const a = prepareTable(table(lines.join('\n')), 'y', { maxRows: 500, seed: 4 });
    const b = prepareTable(table(lines.join('\n')), 'y', { maxRows: 500, seed: 4 });
    expect(a.X).toHaveLength(500);
    expect(a.X).toEqual(b.X);
    expect(a.y.filter((c) => c === a.labels.indexOf('rare'))).toHaveLength(50);
    expect(a.notices.join('\n')).toMatch(/2000 rows is more than --max-rows 500: a seeded stratified sub-sample of 500 rows/);
  });
  it('a class with a single row is dropped; folds shrink to the smallest class', () => {
    const d = prepareTable(table('x,y\n1,a\n2,a\n3,a\n4,b\n5,b\n6,c\n'), 'y');
    expect(d.labels).toEqual(['a', 'b']);
    expect(d.notices.join('\n')).toMatch(/single row dropped: "c"/);
    expect(foldCount(d.y, 5)).toBe(2);
  });
  it('reads .npy features with text labels', async () => {
    const npy = npyFile('f.npy', [6, 2], [0, 0, 0.1, 0.2, 0.2, 0.1, 5, 5, 5.1, 5.2, 5.2, 5.1]);
    const d = await loadProjectData(npy, { labels: file('f.txt', 'vt\nvt\nvt\nlp\nlp\nlp\n') });
    expect(d.featureNames).toEqual(['x0', 'x1']);
    expect(d.labels).toEqual(['lp', 'vt']);
    expect(d.y).toEqual([1, 1, 1, 0, 0, 0]);
    expect(d.X[3]).toEqual([5, 5]);
  });
});

describe('overview warnings', () => {
  it('an id column in a file sorted by class is a leakage suspect', () => {
    const lines = ['id,noise,y'];
    for (let i = 0; i < 60; i++) lines.push(`${i + 1},${(i * 37) % 11},${i < 30 ? 'a' : 'b'}`);
    const ov = overview(prepareTable(table(lines.join('\n')), 'y'));
    const leak = ov.warnings.filter((w) => w.kind === 'leakage');
    expect(leak).toHaveLength(1);
    expect(leak[0]!.message).toMatch(/"id" looks like a row id/);
  });
  it('continuous measurements are not mistaken for ids (breast cancer: many distinct values, strongly predictive)', async () => {
    const ov = overview(await loadProjectData(join(REPO, 'datasets/breast-cancer/breast-cancer.csv'), { target: 'diagnosis' }));
    expect(ov.warnings.filter((w) => w.kind === 'leakage')).toEqual([]);
    expect(ov.warnings.some((w) => w.kind === 'redundant' && w.message.includes('mean radius') && w.message.includes('mean perimeter'))).toBe(true);
  });
  it('heavy imbalance names the majority baseline', () => {
    const lines = ['x,y'];
    for (let i = 0; i < 70; i++) lines.push(`${i % 13},${i < 63 ? 'noise' : 'event'}`);
    const ov = overview(prepareTable(table(lines.join('\n')), 'y'));
    expect(ov.majorityBaseline).toBeCloseTo(0.9, 12);
    expect(ov.warnings.find((w) => w.kind === 'imbalance')!.message).toMatch(/largest\/smallest = 9\.0.*90% accuracy/);
  });
  it('the correlation ratio is 1 for a perfect separator and 0 for equal class means', () => {
    expect(correlationRatio([1, 1, 5, 5], [0, 0, 1, 1], 2)).toBeCloseTo(1, 12);
    expect(correlationRatio([1, 5, 1, 5], [0, 0, 1, 1], 2)).toBeCloseTo(0, 12);
  });
});

describe('comparison', () => {
  it('is reproducible for a seed, ranks by balanced accuracy and beats the majority baseline on iris', async () => {
    const d = await loadProjectData(join(REPO, 'datasets/iris/iris.csv'), { target: 'species' });
    const opts = { seed: 2, trees: 5, epochs: 15, models: ['knn', 'nb', 'rf', 'mlp'] as const };
    const a = compareModels(d.X, d.y, 3, { ...opts, models: [...opts.models] });
    const b = compareModels(d.X, d.y, 3, { ...opts, models: [...opts.models] });
    expect(a.results.map((r) => r.accuracy.folds)).toEqual(b.results.map((r) => r.accuracy.folds));
    const bal = a.results.map((r) => r.balancedAccuracy.mean);
    expect(a.results.find((r) => r.model === a.ranking[0])!.balancedAccuracy.mean).toBe(Math.max(...bal));
    for (const r of a.results) {
      expect(r.accuracy.mean).toBeGreaterThan(0.8);
      // Pooled out-of-fold confusion: every row predicted exactly once.
      expect(r.confusion.flat().reduce((s, v) => s + v, 0)).toBe(150);
    }
    expect(a.curves).toHaveLength(2);
    expect(a.curves[0]!.trainSizes.at(-1)).toBe(120);
    // Petal measurements separate iris; sepal width barely does.
    const imp = a.importance.mean;
    expect(Math.max(imp[2]!, imp[3]!)).toBeGreaterThan(imp[1]!);
  });
});

/** Writes a little-endian float64 .npy. */
function npyFile(name: string, shape: number[], values: number[]): string {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(new Float64Array(values).buffer);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
  return path;
}
