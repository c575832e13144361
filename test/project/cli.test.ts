// eds project as a student runs it: prompts logged to the store, exports written atomically without a TTY, one-line errors.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { askInterpretation } from '../../src/project/interpret.js';
import { INTERPRETATION_PROMPTS, PROJECT_LESSON } from '../../src/project/prompts.js';

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

describe('interpretation prompts', () => {
  it('logs each answer as an attempt of the project pseudo-lesson, and stops at end of input', async () => {
    const home = tmp();
    const store = openStore({ home, user: 'dana', env: {} });
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (b: Buffer) => (shown += b.toString()));
    input.end('The forest: best balanced accuracy,\nbut within one std of logistic regression.\n\nVT and LP.\n');
    const answers = await askInterpretation(input, output, store, 7);
    expect(answers.map((a) => a.id)).toEqual(['choice', 'errors']);
    expect(answers[0]!.text).toBe('The forest: best balanced accuracy,\nbut within one std of logistic regression.');
    const logged = store.attempts({ lesson: PROJECT_LESSON });
    expect(logged.map((a) => [a.question, a.answer, a.correct, a.seed])).toEqual([
      ['choice', answers[0]!.text, null, 7],
      ['errors', 'VT and LP.', null, 7],
    ]);
    expect(shown).toContain(INTERPRETATION_PROMPTS[0]!.question);
    // Input ended inside the second answer: the third prompt is never asked.
    expect(shown).not.toContain(INTERPRETATION_PROMPTS[2]!.question);
    store.close();
  });
});

describe('eds project without a terminal', () => {
  it('runs without prompts and writes the notebook and the report', () => {
    const cwd = tmp();
    const r = eds(['project', join(REPO, 'datasets/iris/iris.csv'), '--target', 'species', '--trees', '5', '--epochs', '5', '--export', 'iris.ipynb', '--report', 'iris.md'], cwd, tmp());
    expect(r.err).not.toMatch(/internal error|at .*\.js:\d+/);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Model comparison (cross-validated)');
    expect(r.out).toContain('wrote iris.ipynb');
    const nb = JSON.parse(readFileSync(join(cwd, 'iris.ipynb'), 'utf8')) as { nbformat: number; cells: unknown[]; metadata: { eds: { user: string } } };
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.eds.user).toBe('dana');
    const md = readFileSync(join(cwd, 'iris.md'), 'utf8');
    expect(md).toContain('*(not written: eds ran without prompts)*');
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
    for (const args of [['one.csv', '--target', 'y'], ['one.csv', '--target', 'z'], ['missing.csv', '--target', 'y']]) {
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
