// Splitting and resampling the volcano catalogue: the held-out quarter, class counts, balanced training rows.
import { UserError } from '../../errors.js';
import { randomSplit, stratifiedSplit, type Split } from '../../ml/validation.js';
import { VOLCANO_CLASSES } from '../../seismology/volcano-data.js';
import { createRng } from '../../util/rng.js';

/** How the training rows are resampled before fitting. */
export type Sampling = 'natural' | 'oversample' | 'undersample';

/**
 * Training-row indices resampled so every class present has the same count. `oversample` draws each
 * smaller class with replacement up to the largest class; `undersample` keeps a random subset of each
 * larger class down to the smallest. Only ever applied to training rows: a duplicated event on both
 * sides of a split would be a leak.
 */
export function balanceRows(y: readonly number[], rows: readonly number[], mode: Sampling, seed: number): number[] {
  if (mode === 'natural') return rows.slice();
  const rng = createRng(seed);
  const byClass = new Map<number, number[]>();
  for (const r of rows) {
    const c = y[r]!;
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(r);
  }
  const sizes = [...byClass.values()].map((g) => g.length);
  const target = mode === 'oversample' ? Math.max(...sizes) : Math.min(...sizes);
  const out: number[] = [];
  for (const group of byClass.values()) {
    if (mode === 'undersample') out.push(...rng.shuffle(group).slice(0, target));
    else {
      out.push(...group);
      for (let k = group.length; k < target; k++) out.push(group[rng.int(group.length)]!);
    }
  }
  return out.sort((a, b) => a - b);
}

/** The stratified (or random) 75/25 split every lesson step shares, seeded by the student's seed. */
export function holdOut(y: readonly number[], method: 'stratified' | 'random', seed: number): Split {
  try {
    return method === 'stratified' ? stratifiedSplit(y, 0.25, seed) : randomSplit(y.length, 0.25, seed);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
}

/** How many of `rows` fall in each class, in class order. */
export function countByClass(y: readonly number[], rows: readonly number[]): number[] {
  const counts = new Array<number>(VOLCANO_CLASSES.length).fill(0);
  for (const r of rows) counts[y[r]!]!++;
  return counts;
}
