// The published PhaseNet (Zhu & Beroza 2019) from its TensorFlow 1 checkpoint: the variable names model.py gives,
// in the order eds's tfjs network holds its weights, and the converter that writes the weights eds ships.
import { createHash } from 'node:crypto';
import { UserError } from '../../errors.js';
import { type Checkpoint, type CheckpointTensor, tensorBytes } from '../../data/tf-checkpoint.js';
import { safeLine } from '../../util/safe-text.js';

/**
 * The published network as model.py and config.log build it: 3,000 samples × 3 components (E, N, Z), depth 5,
 * 8 root filters (8…128), [7, 1] kernels, [4, 1] strides, 'same' padding. Down: 3000 → 750 → 188 → 47 → 12.
 * 268,443 trainable parameters (kernels, two biases, batch-norm scales and offsets) and 1,232 batch-norm moving
 * statistics: 269,675 numbers, the 93 inference tensors of the checkpoint's 210.
 */
export const PUBLISHED_ARCHITECTURE = {
  length: 3000,
  channels: 3,
  classes: 3,
  depth: 5,
  filtersRoot: 8,
  kernelSize: 7,
  poolSize: 4,
  /** Inputs as the PhaseNet repository's DataReader makes them (see window.ts `normalizeWindow`). */
  normalisation: 'phasenet-repository',
} as const;

/** Trainable parameters of the published network. */
export const PUBLISHED_TRAINABLE_PARAMS = 268_443;

/** Checkpoint variables that are training state, not the network: the optimiser's step and Adam's β powers. */
const TRAINING_ONLY = new Set(['global_step', 'beta1_power', 'beta2_power']);

/** True for a checkpoint variable inference does not need: Adam's two slots per weight and the training counters. */
export function isTrainingState(name: string): boolean {
  return TRAINING_ONLY.has(name) || /\/Adam(_\d+)?$/.test(name);
}

/**
 * model.py's variable names, in the order eds's tfjs PhaseNet (src/nn/models.ts) lists `model.weights`: every
 * trainable weight layer by layer (conv kernel, bias, batch-norm gamma, beta), then every batch-norm moving mean
 * and variance layer by layer (tfjs puts non-trainable weights after the trainable ones).
 */
export function publishedWeightNames(depth: number = PUBLISHED_ARCHITECTURE.depth): string[] {
  const trainable: string[] = [];
  const moving: string[] = [];
  const conv = (scope: string, bias = false): void => {
    trainable.push(`${scope}/kernel`);
    if (bias) trainable.push(`${scope}/bias`);
  };
  const bn = (scope: string): void => {
    trainable.push(`${scope}/gamma`, `${scope}/beta`);
    moving.push(`${scope}/moving_mean`, `${scope}/moving_variance`);
  };
  conv('Input/input_conv', true);
  bn('Input/input_bn');
  for (let d = 0; d < depth; d++) {
    conv(`DownConv_${d}/down_conv1_${d + 1}`);
    bn(`DownConv_${d}/down_bn1_${d + 1}`);
    if (d < depth - 1) {
      conv(`DownConv_${d}/down_conv3_${d + 1}`);
      bn(`DownConv_${d}/down_bn3_${d + 1}`);
    }
  }
  for (let d = depth - 2; d >= 0; d--) {
    conv(`UpConv_${d}/up_conv0_${d + 1}`);
    bn(`UpConv_${d}/up_bn0_${d + 1}`);
    conv(`UpConv_${d}/up_conv1_${d + 1}`);
    bn(`UpConv_${d}/up_bn1_${d + 1}`);
  }
  conv('Output/output_conv', true);
  return [...trainable, ...moving];
}

/** Where the converted weights came from, written into their model.json. */
export interface ConversionSource {
  /** The checkpoint's `.index` bytes (hashed into the provenance). */
  index: Uint8Array;
  /** Its `.data-00000-of-00001` bytes. */
  data: Uint8Array;
}

/** The two files the converter writes. */
export interface ConvertedWeights {
  /** model.json: architecture, provenance and the tfjs weights manifest (TF variable names). */
  modelJson: string;
  /** weights.bin: the inference tensors' float32 little-endian bytes, as stored in the checkpoint. */
  weightsBin: Uint8Array;
  /** Inference tensors written. */
  tensors: number;
  /** Numbers written (trainable parameters plus moving statistics). */
  values: number;
  /** Trainable parameters among them. */
  trainable: number;
  /** Checkpoint variables left out (Adam slots and training counters). */
  skipped: string[];
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/**
 * Converts the published checkpoint to eds's weights: the 93 inference tensors in the tfjs network's order, their
 * bytes copied unchanged (float32, little-endian, the checkpoint's own layout: conv kernels [k, 1, in, out],
 * transposed-conv kernels [k, 1, out, in], as tfjs holds them), nothing else. Deterministic: the same checkpoint
 * gives the same bytes. A missing tensor, an unexpected one or another dtype is a one-line UserError.
 */
export function convertPublishedCheckpoint(ckpt: Checkpoint, source: ConversionSource): ConvertedWeights {
  const byName = new Map<string, CheckpointTensor>(ckpt.tensors.map((t) => [t.name, t]));
  const names = publishedWeightNames();
  const wanted = new Set(names);
  const unexpected = ckpt.tensors.filter((t) => !wanted.has(t.name) && !isTrainingState(t.name)).map((t) => t.name);
  if (unexpected.length)
    throw new UserError(`checkpoint holds variables model.py's PhaseNet does not have: ${safeLine(unexpected.slice(0, 5).join(', '), 300)}: another network`);
  const parts: Uint8Array[] = [];
  const weights: Array<{ name: string; shape: number[]; dtype: 'float32' }> = [];
  let values = 0;
  let trainable = 0;
  for (const name of names) {
    const t = byName.get(name);
    if (!t) throw new UserError(`checkpoint has no ${name}: not the published PhaseNet (depth 5, 8 root filters)`);
    if (t.dtype !== 1) throw new UserError(`checkpoint tensor ${name} is ${t.dtypeName}, expected float32`);
    parts.push(tensorBytes(ckpt, t));
    weights.push({ name, shape: [...t.shape], dtype: 'float32' });
    const n = t.shape.reduce((a, b) => a * b, 1);
    values += n;
    if (!/moving_(mean|variance)$/.test(name)) trainable += n;
  }
  const weightsBin = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    weightsBin.set(p, at);
    at += p.length;
  }
  const json = {
    format: 'eds-phasenet-weights',
    architecture: PUBLISHED_ARCHITECTURE,
    userDefinedMetadata: {
      provenance: {
        trainedBy: 'Zhu & Beroza (2019): PhaseNet repository, model/190703-214543 (model_95.ckpt)',
        convertedBy: 'npm run convert:phasenet (scripts/convert-phasenet.ts)',
        licence: 'MIT, Copyright (c) 2021 Weiqiang Zhu (LICENSE beside these files)',
        citation:
          'Zhu, W. & Beroza, G. C. (2019). PhaseNet: a deep-neural-network-based seismic arrival-time picking method. GJI 216(1), 261-273, doi:10.1093/gji/ggy423',
        source: 'https://github.com/AI4EPS/PhaseNet',
        checkpoint: {
          index_sha256: sha256(source.index),
          data_sha256: sha256(source.data),
          tensors: ckpt.tensors.length,
          inference_tensors: names.length,
        },
        trainableParameters: trainable,
        values,
      },
    },
    weightsManifest: '@weights@',
  };
  // Readable and stable: the header indented, then one line per tensor.
  const manifest = `[{ "paths": ["weights.bin"], "weights": [\n${weights.map((w) => `  ${JSON.stringify(w)}`).join(',\n')}\n ] }]`;
  return {
    modelJson: `${JSON.stringify(json, null, 1).replace('"@weights@"', manifest)}\n`,
    weightsBin,
    tensors: names.length,
    values,
    trainable,
    skipped: ckpt.tensors.filter((t) => !wanted.has(t.name)).map((t) => t.name),
  };
}
