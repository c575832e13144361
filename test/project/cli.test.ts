// eds project as a script runs it: exports written atomically without a TTY, one-line errors (the screen at a terminal: test/tui/project.test.tsx).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');
const tmp = () => mkdtempSync(join(tmpdir(), 'eds-project-cli-'));

function eds(args: string[], cwd: string, home: string) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/eds.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, EDS_HOME: home, EDS_USER: 'dana', NO_COLOR: '1' },
    input: '',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('eds project without a terminal', () => {
  it('runs without prompts and writes the notebook and the report', () => {
    const cwd = tmp();
    const r = eds(
      [
        'project',
        join(REPO, 'datasets/iris/iris.csv'),
        '--target',
        'species',
        '--trees',
        '5',
        '--epochs',
        '5',
        '--export',
        'iris.ipynb',
        '--report',
        'iris.md',
      ],
      cwd,
      tmp(),
    );
    expect(r.err).not.toMatch(/internal error|at .*\.js:\d+/);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Model comparison (cross-validated)');
    expect(r.out).toContain('wrote iris.ipynb');
    const nb = JSON.parse(readFileSync(join(cwd, 'iris.ipynb'), 'utf8')) as { nbformat: number; cells: unknown[]; metadata: { eds: { user: string } } };
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.eds.user).toBe('dana');
    const md = readFileSync(join(cwd, 'iris.md'), 'utf8');
    expect(md).toContain('*(not answered in eds: write your reading here)*');
    expect(md).toMatch(/\nknn[ *]+0\.\d{3} ± 0\.\d{3}/);
    // Atomic writes leave no temporary files behind.
    expect(readdirSync(cwd).sort()).toEqual(['iris.ipynb', 'iris.md']);
  });
  it('--json prints the stable contract and still writes the default exports', () => {
    const cwd = tmp();
    const r = eds(['project', join(REPO, 'datasets/wine/wine.csv'), '--target', 'cultivar', '--json', '--models', 'knn,nb', '--folds', '3'], cwd, tmp());
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { folds: number; models: Record<string, { fold_accuracy: number[] }>; test_folds: number[][]; n_rows: number };
    expect(json.folds).toBe(3);
    expect(Object.keys(json.models)).toEqual(['knn', 'nb']);
    expect(json.test_folds.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: json.n_rows }, (_, i) => i));
    expect(existsSync(join(cwd, 'wine-project.ipynb')) && existsSync(join(cwd, 'wine-project.md'))).toBe(true);
  });
  it('bad input is one line on stderr, exit 1, and no file written', () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'one.csv'), 'a,y\n1,x\n2,x\n');
    for (const args of [
      ['one.csv', '--target', 'y'],
      ['one.csv', '--target', 'z'],
      ['missing.csv', '--target', 'y'],
    ]) {
      const r = eds(['project', ...args, '--yes'], cwd, tmp());
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^eds: /);
    }
    expect(eds(['project', 'one.csv', '--target', 'y', '--models', 'knn,gpt'], cwd, tmp()).code).toBe(2);
    expect(eds(['project', 'one.csv', '--target', 'y', '--export', 'out.txt'], cwd, tmp()).err).toMatch(/expected a \.ipynb file name/);
    expect(readdirSync(cwd)).toEqual(['one.csv']);
  });
});
