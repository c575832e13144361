// Adapters from a lesson's string options (`model: knn`, `neighbors: 7`) to the regression, classification and clustering experiments.
import { UserError } from '../errors.js';
import type { ExperimentCallbacks, ExperimentResult } from './types.js';

const NUMERIC = new Set(['testSize', 'degree', 'epsilon', 'residualThreshold', 'neighbors', 'trees', 'maxDepth', 'C', 'k', 'nInit', 'eps', 'minSamples', 'cv']);
const BOOLEAN = new Set(['standardize', 'importance']);
const LISTS = new Set(['features', 'timeColumns', 'missingValues']);

/**
 * Turns string options into typed ones: keys may be kebab-case as on the command line
 * (`test-size`, `time-column`) or camelCase; numbers, booleans and comma lists are parsed.
 */
export function parseTaskOptions(options: Record<string, string>, seed: number): Record<string, unknown> {
  const out: Record<string, unknown> = { seed };
  for (const [rawKey, value] of Object.entries(options)) {
    let key = rawKey.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (key === 'timeColumn') key = 'timeColumns';
    if (key === 'missing') key = 'missingValues';
    if (NUMERIC.has(key)) {
      const v = Number(value);
      if (value.trim() === '' || !Number.isFinite(v)) throw new UserError(`option ${rawKey}: expected a number, got "${value}"`);
      out[key] = v;
    } else if (BOOLEAN.has(key)) {
      if (!['true', 'false', 'yes', 'no'].includes(value)) throw new UserError(`option ${rawKey}: expected true or false, got "${value}"`);
      out[key] = value === 'true' || value === 'yes';
    } else if (LISTS.has(key)) {
      out[key] = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    } else out[key] = value;
  }
  return out;
}

/** `regression` for a lesson's experiment step. */
export async function runRegressionTask(options: Record<string, string>, seed: number, _callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { runRegression } = await import('./regression.js');
  return runRegression(parseTaskOptions(options, seed));
}

/** `classify` for a lesson's experiment step. */
export async function runClassifyTask(options: Record<string, string>, seed: number, _callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { runClassify } = await import('./classify.js');
  return runClassify(parseTaskOptions(options, seed));
}

/** `cluster` for a lesson's experiment step. */
export async function runClusterTask(options: Record<string, string>, seed: number, _callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { runCluster } = await import('./cluster.js');
  return runCluster(parseTaskOptions(options, seed));
}
