#!/usr/bin/env node
// How much longer an experiment takes as a Slurm job than here: `eds run train --dataset digits --model cnn
// --epochs 1 --json`, alternately local and with --slurm, N times each (default 5); prints each wall time and the
// medians. Needs a Slurm that answers (scripts/slurm-test-cluster.sh) and `npm run build`.
// Usage: node scripts/slurm-overhead.mjs [N] [--partition P]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const at = args.indexOf('--partition');
const partition = at >= 0 ? ['--partition', args[at + 1]] : [];
const base = ['run', 'train', '--dataset', 'digits', '--model', 'cnn', '--epochs', '1', '--json'];

function once(extra) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(repo, 'bin', 'eds.js'), ...base, ...extra], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`eds ${[...base, ...extra].join(' ')} failed: ${r.stderr}`);
  return { seconds, json: JSON.parse(r.stdout) };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const local = [];
const slurm = [];
for (let i = 0; i < n; i++) {
  const a = once([]);
  const b = once(['--slurm', ...partition]);
  local.push(a.seconds);
  slurm.push(b.seconds);
  console.log(
    `run ${i + 1}: local ${a.seconds.toFixed(2)} s, Slurm job ${b.json.slurm_job_id} on ${b.json.slurm_node} ${b.seconds.toFixed(2)} s (accuracy ${a.json.accuracy} / ${b.json.accuracy})`,
  );
}
const ml = median(local);
const ms = median(slurm);
console.log(`median of ${n}: local ${ml.toFixed(2)} s, Slurm ${ms.toFixed(2)} s, overhead ${(ms - ml).toFixed(2)} s`);
