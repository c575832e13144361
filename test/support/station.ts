// A small time series for the project's tests: a station's hourly record with a regime to classify.
import { createRng } from '../../src/util/rng.js';

/**
 * A station's hourly record: two drifting sensors (random walks) and a regime that lasts a day or so at a time.
 * Rows an hour apart are near-copies, so shuffled folds find a neighbour of every test row in the training rows.
 * The rows are written out of time order, as a merged file may be.
 */
export function stationCsv(n = 240, seed = 1): string {
  const rng = createRng(seed);
  const rows: string[] = [];
  let [a, b] = [0, 0];
  let regime = 0;
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) {
    if (i % 24 === 0) regime = rng.int(3);
    a += rng.normal() * 0.5 + (regime - 1) * 0.1;
    b += rng.normal() * 0.5;
    const when = new Date(start + i * 3_600_000).toISOString().replace('.000Z', 'Z');
    rows.push(`${when},${a.toFixed(3)},${b.toFixed(3)},${['calm', 'flood', 'drought'][regime]}`);
  }
  const shuffled = rows
    .map((r, i) => [r, (i * 7919) % n] as const)
    .sort((x, y) => x[1] - y[1])
    .map(([r]) => r);
  return ['date,sensor_a,sensor_b,regime', ...shuffled].join('\n') + '\n';
}
