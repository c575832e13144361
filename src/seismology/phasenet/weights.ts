// PhaseNet weights on disk in the tfjs layers format (model.json + weights.bin), written and read without file:// handlers.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type * as tfTypes from '../../nn/tf.js';
import { UserError } from '../../errors.js';
import { fileLabel, readInputFile } from '../../data/input.js';
import { safeLine } from '../../util/safe-text.js';
import { PACKAGE_ROOT } from '../../version.js';

type Tf = typeof import('../../nn/tf.js');

/** The weights shipped with the package (trained by `npm run train:phasenet`). */
export const SHIPPED_WEIGHTS_DIR = join(PACKAGE_ROOT, 'datasets', 'phases', 'weights');

/** Largest model.json read, bytes: the shipped one is 38 kB (topology and manifest of 93 weights). */
const MODEL_JSON_MAX_BYTES = 16 * 1024 * 1024;

/** Most bytes of weights files read for one model: PhaseNet's weights are about 1 MB. */
export const WEIGHTS_MAX_BYTES = 64 * 1024 * 1024;

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
  // The folder may come from anyone (--weights): every file goes through the bounded reader, and names are made inert.
  const where = fileLabel(dir);
  const jsonPath = join(dir, 'model.json');
  const jsonLabel = fileLabel(jsonPath);
  if (!existsSync(jsonPath)) throw new UserError(`${where}: no model.json here (expected PhaseNet weights in tfjs layers format: model.json + weights.bin)`);
  const jsonText = readInputFile(jsonPath, MODEL_JSON_MAX_BYTES, 'a model.json').toString('utf8');
  let manifest: {
    weightsManifest?: Array<{ paths: string[]; weights: tfTypes.io.WeightsManifestEntry[] }>;
    userDefinedMetadata?: { provenance?: WeightsProvenance };
  };
  try {
    manifest = JSON.parse(jsonText);
  } catch (err) {
    throw new UserError(`${jsonLabel}: not valid JSON (${safeLine((err as Error).message, 160)})`);
  }
  const groups = manifest?.weightsManifest;
  if (!Array.isArray(groups) || groups.length === 0) throw new UserError(`${jsonLabel}: no weightsManifest (is this a tfjs layers model.json?)`);
  const specs: tfTypes.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  let bytes = 0;
  for (const group of groups) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights) || !group.paths.every((p) => typeof p === 'string')) {
      throw new UserError(`${jsonLabel}: weightsManifest is not a tfjs weights manifest (each group lists "paths" and "weights")`);
    }
    // One by one, not push(...): a manifest of a million entries would overflow the call stack.
    for (const w of group.weights) specs.push(w);
    for (const p of group.paths) {
      // Weights files sit beside model.json; a path out of the folder is not a weights file of this model.
      if (p === '' || isAbsolute(p) || p.split(/[\\/]/).includes('..')) {
        throw new UserError(`${jsonLabel}: weights path "${safeLine(p, 200)}" is not a file name inside ${where}`);
      }
      const file = join(dir, p);
      if (!existsSync(file)) throw new UserError(`${fileLabel(file)}: missing (model.json lists it as a weights file)`);
      const b = readInputFile(file, WEIGHTS_MAX_BYTES - bytes, 'PhaseNet weights');
      bytes += b.byteLength;
      buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer); // the reader's buffer is never shared
    }
  }
  const targets = model.weights;
  if (specs.length !== targets.length) {
    throw new UserError(`${where}: holds ${specs.length} weight arrays, PhaseNet has ${targets.length}: not the same architecture`);
  }
  let named: tfTypes.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(tf.io.concatenateArrayBuffers(buffers), specs);
  } catch (err) {
    throw new UserError(`${where}: weights.bin does not match model.json (${safeLine((err as Error).message, 160)})`);
  }
  const tensors = specs.map((s) => named[s.name]!);
  try {
    for (let i = 0; i < specs.length; i++) {
      const want = targets[i]!.shape.join('×');
      const got = tensors[i]!.shape.join('×');
      if (want !== got)
        throw new UserError(
          `${where}: weight ${i + 1} (${safeLine(String(specs[i]!.name), 80)}) is ${got}, PhaseNet expects ${want}: not the same architecture`,
        );
    }
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
  return { provenance: manifest.userDefinedMetadata?.provenance ?? null };
}
