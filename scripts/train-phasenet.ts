// Trains the PhaseNet weights shipped in datasets/phases/weights (`npm run train:phasenet`): seeded, on the wasm backend, a few minutes.
// Usage: npm run train:phasenet -- [--seed N] [--windows N] [--rounds N] [--batch N] [--lr X] [--out DIR] [--backend wasm|native|gpu]
import { parseArgs } from 'node:util';
import { initBackend, type BackendChoice } from '../src/nn/backend.js';
import { buildPhaseNet, countTrainableParams } from '../src/nn/models.js';
import { generatePhases } from '../src/seismology/phase-windows.js';
import { evaluatePhaseNet, trainPhaseNet } from '../src/seismology/phasenet/train.js';
import { savePhaseNetWeights, SHIPPED_WEIGHTS_DIR } from '../src/seismology/phasenet/weights.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    windows: { type: 'string', default: '800' },
    rounds: { type: 'string', default: '6' },
    batch: { type: 'string', default: '16' },
    lr: { type: 'string', default: '0.003' },
    out: { type: 'string', default: SHIPPED_WEIGHTS_DIR },
    backend: { type: 'string', default: 'wasm' },
  },
});
const seed = Number(values.seed);
const windows = Number(values.windows);
const rounds = Number(values.rounds);
const batchSize = Number(values.batch);
const learningRate = Number(values.lr);

const { tf, info } = await initBackend(values.backend as BackendChoice);
const model = buildPhaseNet({ seed });
console.log(`PhaseNet: ${countTrainableParams(model)} trainable parameters, ${model.countParams()} weights in all; backend ${info.description}`);
console.log(`training: seed ${seed}, ${rounds} rounds of ${windows} fresh windows, batch ${batchSize}, Adam lr ${learningRate}`);
const started = performance.now();
await trainPhaseNet(model, {
  seed,
  windows,
  rounds,
  batchSize,
  learningRate,
  onRound: (r, logs) => console.log(`round ${r + 1}/${rounds}: loss ${logs.loss.toFixed(4)} (${logs.seconds.toFixed(0)} s)`),
});
const trainingSeconds = (performance.now() - started) / 1000;
// Validation windows from a seed no training round uses.
const validation = generatePhases({ seed: 999_999, count: 200 });
const ev = await evaluatePhaseNet(tf, model, validation);
const f = (v: number): number => Math.round(v * 1000) / 1000;
const summary = {
  p_precision: f(ev.p.precision),
  p_recall: f(ev.p.recall),
  s_precision: f(ev.s.precision),
  s_recall: f(ev.s.recall),
  residual_p_mean_s: f(ev.p.residualMeanS),
  residual_p_std_s: f(ev.p.residualStdS),
  residual_s_mean_s: f(ev.s.residualMeanS),
  residual_s_std_s: f(ev.s.residualStdS),
};
console.log('validation (200 windows of seed 999999, threshold 0.3, tolerance 0.5 s):', JSON.stringify(summary));
await savePhaseNetWeights(tf, model, values.out!, {
  trainedBy: 'npm run train:phasenet',
  seed,
  windows,
  rounds,
  batchSize,
  learningRate,
  backend: info.kind,
  trainingSeconds: Math.round(trainingSeconds),
  validation: summary,
});
console.log(`saved to ${values.out} after ${trainingSeconds.toFixed(0)} s`);
