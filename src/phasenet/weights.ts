// PhaseNet weights on disk in the tfjs layers format (model.json + weights.bin), written and read without file:// handlers.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs';
import { UserError } from '../cli/errors.js';
import { PACKAGE_ROOT } from '../version.js';

type Tf = typeof import('@tensorflow/tfjs');

/** The weights shipped with the package (trained by `npm run train:phasenet`). */
export const SHIPPED_WEIGHTS_DIR = join(PACKAGE_ROOT, 'datasets', 'phases', 'weights');

/** What `model.json` records beside the topology: how the weights were made, so a student can redo it. */
export interface WeightsProvenance {
  /** The command that trained them, e.g. "npm run train:phasenet". */
  trainedBy: string;
  /** Seed of the training data, initial weights and shuffles. */
  seed: number;
  /** Training windows, epochs and the final validation numbers, as the script printed them. */
  [key: string]: unknown;
}

/**
 * Saves every weight of `model` (batch-norm moving statistics included) as `dir/model.json` + `dir/weights.bin`.
 * Each file is written to a temporary name and renamed, so an interrupted save never leaves half a file.
 */
export async function savePhaseNetWeights(tf: Tf, model: tfTypes.LayersModel, dir: string, provenance: WeightsProvenance): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const bytes = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        userDefinedMetadata: { provenance },
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      writeAtomically(join(dir, 'weights.bin'), new Uint8Array(bytes));
      writeAtomically(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
    }),
  );
}

function writeAtomically(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Loads weights saved by `savePhaseNetWeights` (or any tfjs layers model.json of the same architecture) into
 * `model`, matching weights by position and checking every shape: tfjs names layers with per-process counters,
 * so names differ between the run that saved and the one that loads, but the order does not.
 * A missing file or another architecture is a one-line `UserError` naming the directory.
 */
export function loadPhaseNetWeights(tf: Tf, model: tfTypes.LayersModel, dir: string = SHIPPED_WEIGHTS_DIR): { provenance: WeightsProvenance | null } {
  const jsonPath = join(dir, 'model.json');
  if (!existsSync(jsonPath)) throw new UserError(`${dir}: no model.json here (expected PhaseNet weights in tfjs layers format: model.json + weights.bin)`);
  let manifest: { weightsManifest?: Array<{ paths: string[]; weights: tfTypes.io.WeightsManifestEntry[] }>; userDefinedMetadata?: { provenance?: WeightsProvenance } };
  try {
    manifest = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch (err) {
    throw new UserError(`${jsonPath}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const groups = manifest.weightsManifest;
  if (!Array.isArray(groups) || groups.length === 0) throw new UserError(`${jsonPath}: no weightsManifest (is this a tfjs layers model.json?)`);
  const specs: tfTypes.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of groups) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const file = join(dir, p);
      if (!existsSync(file)) throw new UserError(`${file}: missing (model.json lists it as a weights file)`);
      const b = readFileSync(file);
      buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
  }
  const targets = model.weights;
  if (specs.length !== targets.length) {
    throw new UserError(`${dir}: holds ${specs.length} weight arrays, PhaseNet has ${targets.length}: not the same architecture`);
  }
  let named: tfTypes.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(tf.io.concatenateArrayBuffers(buffers), specs);
  } catch (err) {
    throw new UserError(`${dir}: weights.bin does not match model.json (${(err as Error).message.split('\n')[0]})`);
  }
  const tensors = specs.map((s) => named[s.name]!);
  try {
    for (let i = 0; i < specs.length; i++) {
      const want = targets[i]!.shape.join('×');
      const got = tensors[i]!.shape.join('×');
      if (want !== got) throw new UserError(`${dir}: weight ${i + 1} (${specs[i]!.name}) is ${got}, PhaseNet expects ${want}: not the same architecture`);
    }
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
  return { provenance: manifest.userDefinedMetadata?.provenance ?? null };
}
