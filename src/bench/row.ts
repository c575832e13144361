// One line of the bench's table (and one object of `npm run bench -- --json`): a workload timed in eds and, in
// the same run, in its reference (PyTorch, SciPy, node -e 0…), with the ratio and the goal it is judged against.

export interface BenchRow {
  /** What ran, e.g. "CNN epoch, 8,000 digits". */
  workload: string;
  /** eds's figure, in `unit`. */
  eds: number;
  /** The reference's figure in the same unit, measured in this run; null when there is none or it could not run. */
  reference: number | null;
  /** What the reference is ("PyTorch 2.x CPU, 2 threads", "SciPy cKDTree + eigvalsh"), or why it is missing. */
  referenceName: string;
  /** Unit of `eds` and `reference`: "s", "windows/s", "MB"… */
  unit: string;
  /** eds / reference for times (lower is better), reference / eds for rates; null without a reference. */
  ratio: number | null;
  /** The goal in words, e.g. "≤ 1.5× PyTorch" or "≤ 0.3 s". */
  goal: string;
  /** Whether the goal is met in this run; null when it cannot be judged. */
  met: boolean | null;
  /** How the figure was obtained: which backend or code path, median of how many runs. */
  how: string;
}
