// The published PhaseNet: its weights rebuilt byte for byte from the authors' TensorFlow checkpoint, every tensor's
// name, shape and count against the checkpoint (and against an independent NumPy reader), the 3,000-sample network
// they fit, broken checkpoints refused in one line, and its picks on the 22 real windows far above eds's own weights.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint, readCheckpoint } from '../../src/data/tf-checkpoint.js';
import { loadPicker, runPick } from '../../src/experiments/pick.js';
import { buildPhaseNet, countTrainableParams } from '../../src/nn/models.js';
import {
  convertPublishedCheckpoint,
  isTrainingState,
  PUBLISHED_ARCHITECTURE,
  PUBLISHED_TRAINABLE_PARAMS,
  publishedWeightNames,
} from '../../src/seismology/phasenet/published.js';
import { PUBLISHED_WEIGHTS_DIR, readPhaseNetWeights, SHIPPED_WEIGHTS_DIR } from '../../src/seismology/phasenet/weights.js';
import { expectOneCleanLine, userError } from '../data/hostile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CKPT = path.resolve(root, '../shared/data/phasenet-published/model_95.ckpt');
const reference = JSON.parse(readFileSync(path.join(root, 'test/fixtures/phasenet/reference.json'), 'utf8')) as {
  tensors: Array<{ name: string; dtype: number; shape: number[]; offset: number; size: number; crc32c: number }>;
  inference_tensors: number;
  trainable_parameters: number;
  inference_values: number;
};
const index = new Uint8Array(readFileSync(`${CKPT}.index`));
const data = new Uint8Array(readFileSync(`${CKPT}.data-00000-of-00001`));

describe('the converter', () => {
  it('rebuilds the shipped model.json, weights.bin and LICENSE byte for byte from the checkpoint', () => {
    const converted = convertPublishedCheckpoint(readCheckpoint(CKPT), { index, data });
    const shippedBin = new Uint8Array(readFileSync(path.join(PUBLISHED_WEIGHTS_DIR, 'weights.bin')));
    expect(shippedBin.length).toBe(converted.weightsBin.length);
    expect(Buffer.compare(Buffer.from(shippedBin), Buffer.from(converted.weightsBin))).toBe(0);
    expect(readFileSync(path.join(PUBLISHED_WEIGHTS_DIR, 'model.json'), 'utf8')).toBe(converted.modelJson);
    expect(readFileSync(path.join(PUBLISHED_WEIGHTS_DIR, 'LICENSE'))).toEqual(readFileSync(path.join(path.dirname(CKPT), 'LICENSE')));
    // 269,675 float32 numbers: nothing but the inference tensors.
    expect(converted.weightsBin.length).toBe(269_675 * 4);
  });

  it('reads every tensor of the checkpoint as the independent NumPy reader does', () => {
    const ckpt = readCheckpoint(CKPT);
    expect(ckpt.tensors.length).toBe(reference.tensors.length);
    expect(ckpt.tensors.map(({ name, dtype, shape, offset, size, crc32c }) => ({ name, dtype, shape, offset, size, crc32c }))).toEqual(reference.tensors);
  });

  it('keeps the 93 inference tensors with the checkpoint names and shapes, and leaves out only training state', () => {
    const ckpt = readCheckpoint(CKPT);
    const byName = new Map(ckpt.tensors.map((t) => [t.name, t]));
    const shipped = readPhaseNetWeights(PUBLISHED_WEIGHTS_DIR);
    expect(shipped.specs.length).toBe(reference.inference_tensors);
    expect(shipped.specs.map((s) => s.name)).toEqual(publishedWeightNames());
    for (const s of shipped.specs) expect(s.shape, s.name).toEqual(byName.get(s.name)!.shape);
    const left = ckpt.tensors.filter((t) => !shipped.specs.some((s) => s.name === t.name));
    // Two Adam slots per trainable tensor (57 of them), plus global_step and Adam's two β powers.
    expect(left.length).toBe(2 * 57 + 3);
    for (const t of left) expect(isTrainingState(t.name), t.name).toBe(true);
    expect(shipped.specs.length + left.length).toBe(ckpt.tensors.length);
    expect(shipped.trainableParams).toBe(reference.trainable_parameters);
    expect(shipped.totalValues).toBe(reference.inference_values);
    expect(shipped.length).toBe(3000);
    expect(shipped.normalisation).toBe('phasenet-repository');
    expect(shipped.provenance?.trainedBy).toMatch(/Zhu & Beroza \(2019\)/);
  });

  it('orders them as the 3,000-sample tfjs network holds its weights, shape by shape', () => {
    const model = buildPhaseNet({ seed: 0, length: PUBLISHED_ARCHITECTURE.length });
    try {
      const specs = readPhaseNetWeights(PUBLISHED_WEIGHTS_DIR).specs;
      expect(model.weights.map((w) => w.shape)).toEqual(specs.map((s) => s.shape));
      // Trainable weights first, then the moving statistics: as tfjs lists them.
      expect(model.weights.map((w) => w.trainable)).toEqual(specs.map((s) => !/moving_(mean|variance)$/.test(s.name)));
      // model.py's network: 268,443 trainable parameters, 269,675 numbers with the batch-norm moving statistics.
      expect(countTrainableParams(model)).toBe(PUBLISHED_TRAINABLE_PARAMS);
      expect(model.countParams()).toBe(269_675);
      // 'same' padding, stride 4: 3000 → 750 → 188 → 47 → 12 (as TensorFlow rounds up).
      const levels = model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => (l.outputShape as number[])[1]);
      expect([...new Set(levels)]).toEqual([3000, 750, 188, 47, 12]);
    } finally {
      model.dispose();
    }
  });
});

describe('broken checkpoints', () => {
  const refuse = (i: Uint8Array, d: Uint8Array): string => {
    const message = userError(() => parseCheckpoint(i, d, 'model_95.ckpt'));
    expectOneCleanLine(message);
    return message;
  };

  it('refuses a truncated or foreign index, and a data shard that fails a checksum', () => {
    expect(refuse(index.subarray(0, 20), data)).toMatch(/shorter than a table footer: not a TensorFlow checkpoint index$/);
    expect(refuse(index.subarray(0, index.length - 1), data)).toMatch(/no table magic number/);
    const flipped = data.slice();
    flipped[1000]! ^= 0x40;
    expect(refuse(index, flipped)).toMatch(/fail the index's crc32c/);
    expect(refuse(index, data.subarray(0, data.length - 4))).toMatch(/past the data shard's/);
    // The footer's index-block handle (metaindex offset 2 bytes, size 1, index offset 2, size 1) made to run past the file.
    const lying = index.slice();
    lying[lying.length - 48 + 5]! = 0x7f;
    expect(refuse(lying, data)).toMatch(/model_95\.ckpt\.index: a block at bytes 7155–7282 runs past the file$/);
  });

  it('refuses a checkpoint of another network in one line', () => {
    const ckpt = readCheckpoint(CKPT);
    const missing = { ...ckpt, tensors: ckpt.tensors.filter((t) => t.name !== 'UpConv_0/up_bn1_1/gamma') };
    expect(userError(() => convertPublishedCheckpoint(missing, { index, data }))).toMatch(/has no UpConv_0\/up_bn1_1\/gamma/);
    const extra = { ...ckpt, tensors: [...ckpt.tensors, { ...ckpt.tensors[1]!, name: 'DownConv_5/down_conv1_6/kernel' }] };
    expect(userError(() => convertPublishedCheckpoint(extra, { index, data }))).toMatch(/does not have: DownConv_5/);
  });

  it('will not load the published weights into the 3,001-sample network', async () => {
    const { applyPhaseNetWeights } = await import('../../src/seismology/phasenet/weights.js');
    const { initBackend } = await import('../../src/nn/backend.js');
    const { tf } = await initBackend('wasm');
    const model = buildPhaseNet({ seed: 0 });
    try {
      expect(userError(() => applyPhaseNetWeights(tf, model, readPhaseNetWeights(PUBLISHED_WEIGHTS_DIR)))).toMatch(
        /weights for 3000-sample windows, this PhaseNet takes 3001/,
      );
    } finally {
      model.dispose();
    }
  });
});

describe('published against shipped on the 22 real windows', () => {
  let published: Awaited<ReturnType<typeof loadPicker>>;
  beforeAll(async () => {
    published = await loadPicker('wasm', 'published');
  }, 60_000);
  afterAll(() => published?.model.dispose());

  it('loads as the published network', () => {
    expect(published.label).toBe('published');
    expect(published.length).toBe(3000);
    expect(published.params).toBe(268_443);
    expect(published.weightsTotal).toBe(269_675);
    expect(SHIPPED_WEIGHTS_DIR).not.toBe(PUBLISHED_WEIGHTS_DIR);
  });

  const KEYS = [
    'records',
    'p_recall',
    's_recall',
    'p_precision',
    's_precision',
    'p_f1',
    's_f1',
    'residual_p_median_samples',
    'residual_p_mad_samples',
    'residual_s_mad_samples',
    'residual_p_std_s',
  ] as const;
  const score = async (weights: string, crop: 'none' | 'shifted', seed = 0): Promise<Record<(typeof KEYS)[number], number>> => {
    const { json } = await runPick({ dataset: 'phases-ncedc', weights, crop, seed, backend: 'wasm' });
    for (const k of KEYS) expect(typeof json[k], `${weights} ${k}`).toBe('number');
    return json as Record<(typeof KEYS)[number], number>;
  };

  // Measured (datasets/phases-ncedc/README.md): published P and S recall 1.00 on whole records and every shifted
  // crop of seeds 0–9, precision 0.85/0.79 whole and ≥ 0.96 shifted, MAD ≤ 1.5 samples (P) and ≤ 3.5 (S);
  // shipped P recall 0.82–0.86, S recall 0.59–0.64, P precision 0.50 whole and 0.72–0.86 shifted, MAD 3–7 and 5.5–12.5.
  it.each([
    ['whole records', 'none', 0],
    ['shifted crops, seed 3', 'shifted', 3],
    ['shifted crops, seed 8', 'shifted', 8],
  ] as const)(
    'is far above the synthetic-trained weights on %s',
    async (_, crop, seed) => {
      const pub = await score('published', crop, seed);
      const own = await score('shipped', crop, seed);
      expect(pub.records).toBe(22);
      expect(pub.p_recall).toBeGreaterThanOrEqual(0.95);
      expect(pub.s_recall).toBeGreaterThanOrEqual(0.95);
      expect(pub.p_precision).toBeGreaterThanOrEqual(0.75);
      expect(pub.s_precision).toBeGreaterThanOrEqual(0.7);
      expect(pub.s_recall - own.s_recall).toBeGreaterThanOrEqual(0.25);
      expect(pub.p_f1 - own.p_f1).toBeGreaterThanOrEqual(0.08);
      expect(pub.s_f1 - own.s_f1).toBeGreaterThanOrEqual(0.15);
      expect(Math.abs(pub.residual_p_median_samples)).toBeLessThanOrEqual(2);
      expect(pub.residual_p_mad_samples).toBeLessThanOrEqual(3);
      expect(pub.residual_s_mad_samples).toBeLessThan(own.residual_s_mad_samples);
      expect(pub.residual_p_std_s).toBeLessThan(own.residual_p_std_s);
    },
    60_000,
  );

  it('moves the P of every shifted crop off sample 3000, inside the 30 s window', async () => {
    const { json } = await runPick({ dataset: 'phases-ncedc', weights: 'published', crop: 'shifted', seed: 1, backend: 'wasm' });
    const picks = json.picks as Array<{ samples: number; analyst_p: number; analyst_s: number; crop_start: number }>;
    const positions = picks.map((r) => r.analyst_p);
    for (const r of picks) {
      expect(r.samples).toBe(3000);
      expect(r.analyst_p).toBeGreaterThanOrEqual(200);
      expect(r.analyst_s).toBeLessThanOrEqual(2700);
      expect(r.crop_start + r.analyst_p).toBe(3000);
    }
    expect(new Set(positions).size).toBeGreaterThan(15);
    expect(json.windows).toBe(22);
    expect(json.window_samples).toBe(3000);
  }, 60_000);
});
