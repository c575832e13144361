// Converts the published PhaseNet checkpoint to the weights shipped in datasets/phases/published (`npm run convert:phasenet`).
// Usage: npm run convert:phasenet -- [--checkpoint DIR/model_95.ckpt] [--out DIR]
// Reads the TensorFlow 1 tensor bundle (no TensorFlow needed), keeps the 93 inference tensors (no Adam slots), and
// writes model.json + weights.bin and the repository's LICENSE beside them. test/neural/published.test.ts rebuilds the
// shipped files from the checkpoint and compares them byte for byte.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseCheckpoint } from '../src/data/tf-checkpoint.js';
import { convertPublishedCheckpoint } from '../src/seismology/phasenet/published.js';
import { PUBLISHED_WEIGHTS_DIR } from '../src/seismology/phasenet/weights.js';
import { PACKAGE_ROOT } from '../src/version.js';

const { values } = parseArgs({
  options: {
    checkpoint: { type: 'string', default: resolve(PACKAGE_ROOT, '..', 'shared', 'data', 'phasenet-published', 'model_95.ckpt') },
    out: { type: 'string', default: PUBLISHED_WEIGHTS_DIR },
  },
});
const prefix = values.checkpoint!;
const index = new Uint8Array(readFileSync(`${prefix}.index`));
const data = new Uint8Array(readFileSync(`${prefix}.data-00000-of-00001`));
const converted = convertPublishedCheckpoint(parseCheckpoint(index, data, 'model_95.ckpt'), { index, data });
mkdirSync(values.out!, { recursive: true });
writeFileSync(join(values.out!, 'weights.bin'), converted.weightsBin);
writeFileSync(join(values.out!, 'model.json'), converted.modelJson);
// Read and written, not copied: the copy must not inherit a read-only mode from the source.
writeFileSync(join(values.out!, 'LICENSE'), readFileSync(join(dirname(prefix), 'LICENSE')));
console.log(
  `${converted.tensors} inference tensors (${converted.values.toLocaleString('en-US')} numbers, ${converted.trainable.toLocaleString('en-US')} trainable), ` +
    `${converted.skipped.length} training-state variables left out; ${converted.weightsBin.length.toLocaleString('en-US')} bytes → ${values.out}`,
);
