// PhaseNet weights on disk in the tfjs layers format (model.json + weights.bin), written and read without file:// handlers;
// eds's own (trained on synthetics) and the published ones (converted from the authors' checkpoint) sit side by side.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type * as tfTypes from '../../nn/tf.js';
import { UserError } from '../../errors.js';
import { fileLabel, readInputFile } from '../../data/input.js';
import { safeLine } from '../../util/safe-text.js';
import { PACKAGE_ROOT } from '../../version.js';
import type { Normalisation } from './window.js';

type Tf = typeof import('../../nn/tf.js');

/** The weights shipped with the package (trained by `npm run train:phasenet`). */
export const SHIPPED_WEIGHTS_DIR = join(PACKAGE_ROOT, 'datasets', 'phases', 'weights');

/** The published PhaseNet's weights, converted from its checkpoint by `npm run convert:phasenet`. */
export const PUBLISHED_WEIGHTS_DIR = join(PACKAGE_ROOT, 'datasets', 'phases', 'published');

/** Largest model.json read, bytes: the shipped one is 38 kB (topology and manifest of 93 weights), the published one 12 kB. */
const MODEL_JSON_MAX_BYTES = 16 * 1024 * 1024;

/** Most bytes of weights files read for one model: PhaseNet's weights are about 1 MB. */
export const WEIGHTS_MAX_BYTES = 64 * 1024 * 1024;

/** What `model.json` records beside the topology: how the weights were made, so a student can redo it. */
export interface WeightsProvenance {
  /** The command that trained them, e.g. "npm run train:phasenet". */
  trainedBy: string;
  /** Seed of the training data, initial weights and shuffles (eds's own weights; the published ones have none). */
  seed?: number;
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

/** What a weights folder says about the network it fits, beside the weights themselves. */
export interface PhaseNetWeightsFile {
  /** The folder. */
  dir: string;
  /** Samples per window the weights were trained on (3001 for eds's own, 3000 for the published PhaseNet). */
  length: number;
  /** How windows are normalised before the network sees them (see window.ts `normalizeWindow`). */
  normalisation: Normalisation;
  /** `userDefinedMetadata.provenance` of model.json, if any. */
  provenance: WeightsProvenance | null;
  /** The weights manifest, in file order. */
  specs: tfTypes.io.WeightsManifestEntry[];
  /** The weights files' bytes, concatenated. */
  data: ArrayBuffer;
  /** Trainable parameters by the manifest: every number but the batch-norm moving means and variances. */
  trainableParams: number;
  /** Every number in the weights files. */
  totalValues: number;
}

/** Window lengths a weights file may declare: a PhaseNet needs room for its four stride-4 levels, and no window is longer than an hour. */
const LENGTH_RANGE = [64, 360_000] as const;

/**
 * Reads a weights folder (model.json + its weights files) without building anything: eds's own tfjs layers files
 * (the input length from the topology's input shape) and the converted published weights (an `architecture`
 * block with the length and the normalisation). A missing file, a manifest of another shape or a path out of the
 * folder is a one-line `UserError` naming the file.
 */
export function readPhaseNetWeights(dir: string = SHIPPED_WEIGHTS_DIR): PhaseNetWeightsFile {
  // The folder may come from anyone (--weights): every file goes through the bounded reader, and names are made inert.
  const where = fileLabel(dir);
  const jsonPath = join(dir, 'model.json');
  const jsonLabel = fileLabel(jsonPath);
  if (!existsSync(jsonPath)) throw new UserError(`${where}: no model.json here (expected PhaseNet weights in tfjs layers format: model.json + weights.bin)`);
  const jsonText = readInputFile(jsonPath, MODEL_JSON_MAX_BYTES, 'a model.json').toString('utf8');
  let manifest: {
    weightsManifest?: Array<{ paths: string[]; weights: tfTypes.io.WeightsManifestEntry[] }>;
    userDefinedMetadata?: { provenance?: WeightsProvenance };
    architecture?: { length?: unknown; normalisation?: unknown };
    modelTopology?: unknown;
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
  let trainableParams = 0;
  let totalValues = 0;
  for (const s of specs) {
    const shape = (s as { shape?: unknown })?.shape;
    const n = Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0) ? (shape as number[]).reduce((a, b) => a * b, 1) : 0;
    totalValues += n;
    if (!/moving_(mean|variance)$/.test(String((s as { name?: unknown })?.name))) trainableParams += n;
  }
  const length = declaredLength(manifest, jsonLabel);
  const normalisation = manifest.architecture?.normalisation === 'phasenet-repository' ? 'phasenet-repository' : 'eds';
  return {
    dir,
    length,
    normalisation,
    provenance: manifest.userDefinedMetadata?.provenance ?? null,
    specs,
    data: buffers.length === 1 ? buffers[0]! : concatBuffers(buffers),
    trainableParams,
    totalValues,
  };
}

function concatBuffers(buffers: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(buffers.reduce((a, b) => a + b.byteLength, 0));
  let at = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out.buffer;
}

/** The input length a model.json declares: `architecture.length`, else the topology's input shape, else eds's 3001. */
function declaredLength(manifest: { architecture?: { length?: unknown }; modelTopology?: unknown }, label: string): number {
  let length: unknown = manifest.architecture?.length;
  if (length === undefined) {
    const layers = (manifest.modelTopology as { config?: { layers?: Array<{ config?: { batch_input_shape?: unknown } }> } } | undefined)?.config?.layers;
    const shape = Array.isArray(layers) ? layers[0]?.config?.batch_input_shape : undefined;
    length = Array.isArray(shape) ? shape[1] : 3001;
  }
  if (!Number.isInteger(length) || (length as number) < LENGTH_RANGE[0] || (length as number) > LENGTH_RANGE[1]) {
    throw new UserError(
      `${label}: declares windows of ${safeLine(String(length), 40)} samples; expected a whole number from ${LENGTH_RANGE[0]} to ${LENGTH_RANGE[1]}`,
    );
  }
  return length as number;
}

/**
 * Sets `model`'s weights from a read weights folder, matching them by position and checking every shape: tfjs
 * names layers with per-process counters, so names differ between the run that saved and the one that loads, but
 * the order does not (the published weights carry model.py's names, in the same order: published.ts).
 */
export function applyPhaseNetWeights(tf: Tf, model: tfTypes.LayersModel, file: PhaseNetWeightsFile): void {
  const where = fileLabel(file.dir);
  const targets = model.weights;
  if (file.specs.length !== targets.length) {
    throw new UserError(`${where}: holds ${file.specs.length} weight arrays, PhaseNet has ${targets.length}: not the same architecture`);
  }
  const inputLength = model.inputs[0]?.shape[1];
  if (inputLength !== file.length) {
    throw new UserError(`${where}: weights for ${file.length}-sample windows, this PhaseNet takes ${inputLength}: build it with length ${file.length}`);
  }
  let named: tfTypes.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(file.data, file.specs);
  } catch (err) {
    throw new UserError(`${where}: weights.bin does not match model.json (${safeLine((err as Error).message, 160)})`);
  }
  const tensors = file.specs.map((s) => named[s.name]!);
  try {
    for (let i = 0; i < file.specs.length; i++) {
      const want = targets[i]!.shape.join('×');
      const got = tensors[i]!.shape.join('×');
      if (want !== got)
        throw new UserError(
          `${where}: weight ${i + 1} (${safeLine(String(file.specs[i]!.name), 80)}) is ${got}, PhaseNet expects ${want}: not the same architecture`,
        );
    }
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}

/**
 * Loads weights saved by `savePhaseNetWeights` (or any weights folder of the same architecture) into `model`.
 * A missing file or another architecture is a one-line `UserError` naming the directory.
 */
export function loadPhaseNetWeights(tf: Tf, model: tfTypes.LayersModel, dir: string = SHIPPED_WEIGHTS_DIR): { provenance: WeightsProvenance | null } {
  const file = readPhaseNetWeights(dir);
  applyPhaseNetWeights(tf, model, file);
  return { provenance: file.provenance };
}

/** The weights `--weights` names: the two shipped sets, or a folder (or its model.json) of the user's. */
export type WeightsChoice = 'published' | 'shipped';

/** The shipped weights sets by name, with what `eds doctor` says of each. */
export const SHIPPED_WEIGHTS: Readonly<Record<WeightsChoice, { dir: string; description: string }>> = {
  published: {
    dir: PUBLISHED_WEIGHTS_DIR,
    description: 'the published PhaseNet (Zhu & Beroza 2019), trained on analyst-picked NCEDC windows; converted from its TensorFlow checkpoint',
  },
  shipped: { dir: SHIPPED_WEIGHTS_DIR, description: "eds's own, trained on synthetic windows by npm run train:phasenet" },
};

/** The folder `--weights` names: `published`, `shipped`, a folder with model.json, or a model.json file. */
export function resolveWeights(choice: string | undefined): { dir: string; label: string } {
  const c = choice ?? 'shipped';
  if (c === 'published' || c === 'shipped') return { dir: SHIPPED_WEIGHTS[c].dir, label: c };
  const dir = basename(c) === 'model.json' ? dirname(c) : c;
  if (!existsSync(dir)) throw new UserError(`--weights ${fileLabel(c)}: no such folder (give published, shipped, or a folder with model.json + weights.bin)`);
  return { dir, label: c };
}
