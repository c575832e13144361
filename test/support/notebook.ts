// Runs an exported project notebook the way a grader would: validated with nbformat, every code cell executed in one namespace ("Run all") by Debian's python3 with scikit-learn.
import { spawnSync } from 'node:child_process';

/** Debian's python3-nbformat and python3-sklearn (apt), not a pyenv/conda python. */
export const PYTHON = '/usr/bin/python3';

// Validates the notebook, runs its code cells in one namespace and prints the fold accuracies of scikit-learn and of the tutor (written in the notebook).
const RUNNER = `
import io, json, sys, contextlib, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
ns = {}
with contextlib.redirect_stdout(io.StringIO()) as out:
    for cell in nb.cells:
        if cell.cell_type == 'code':
            exec(cell.source, ns)
print(json.dumps({
    'folds': {k: [float(v) for v in r['test_accuracy']] for k, r in ns['results'].items()},
    'eds_folds': ns['eds_fold_accuracy'],
    'fold_sizes': [len(t) for t in ns['test_folds']],
    'printed': out.getvalue(),
}))
`;

/** What running a notebook gave. */
export interface NotebookRun {
  /** Exit status of python (0 when every cell ran). */
  status: number | null;
  /** Python's stderr (empty when all went well). */
  stderr: string;
  /** scikit-learn's test accuracy per fold, by model key. */
  folds: Record<string, number[]>;
  /** The tutor's test accuracy per fold, as the notebook records it, by model key. */
  edsFolds: Record<string, number[]>;
  /** Test rows per fold. */
  foldSizes: number[];
  /** Everything the cells printed. */
  printed: string;
}

/** Validates and runs the notebook at `path` (2 minutes at most). */
export function runNotebook(path: string): NotebookRun {
  const py = spawnSync(PYTHON, ['-c', RUNNER, path], { encoding: 'utf8', timeout: 120_000 });
  const out =
    py.status === 0
      ? (JSON.parse(py.stdout) as { folds: Record<string, number[]>; eds_folds: Record<string, number[]>; fold_sizes: number[]; printed: string })
      : null;
  return {
    status: py.status,
    stderr: py.stderr,
    folds: out?.folds ?? {},
    edsFolds: out?.eds_folds ?? {},
    foldSizes: out?.fold_sizes ?? [],
    printed: out?.printed ?? '',
  };
}

/** The largest number of test rows by which two per-fold accuracies differ. */
export function foldRowsOff(ours: readonly number[], theirs: readonly number[], sizes: readonly number[]): number {
  return Math.max(...ours.map((a, f) => Math.round(Math.abs(a - theirs[f]!) * sizes[f]!)));
}
