/**
 * From bytes to training batches: the epoch order, batch counts, normalisation and the
 * standard CIFAR augmentation (random crop with 4-pixel zero padding, random horizontal
 * flip), all seeded.
 */
import type { Rng } from '../engine/random';
import { channelStats } from './stats';
import type { ImageDataset, ImageSplit } from './types';

/** A seeded random order of 0..count-1 for one epoch. */
export function epochOrder(count: number, rng: Rng): Int32Array {
  return rng.permutation(count);
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  }
}

/** Training batches per epoch: the ragged last batch is dropped (static shapes). */
export function batchCount(count: number, batchSize: number): number {
  checkBatchSize(batchSize);
  return Math.floor(count / batchSize);
}

/** A half-open index range [start, end). */
export interface IndexRange {
  start: number;
  end: number;
}

/** Evaluation batches covering 0..count-1 exactly once, in order; the last may be smaller. */
export function evalBatches(count: number, batchSize: number): IndexRange[] {
  checkBatchSize(batchSize);
  const out: IndexRange[] = [];
  for (let start = 0; start < count; start += batchSize) {
    out.push({ start, end: Math.min(count, start + batchSize) });
  }
  return out;
}

/** Pixels moved in each direction by the random crop. */
export const CROP_PAD = 4;

export interface BatchOptions {
  /** Per-channel mean and std on the 0..1 scale (the dataset's); their length is the channel count. */
  mean: readonly number[];
  std: readonly number[];
  /** Random crop + horizontal flip; needs `rng`. Default off. */
  augment?: boolean;
  rng?: Rng;
  /** Image size; default: square images, side from the split's byte count. */
  height?: number;
  width?: number;
  /** Buffers to fill instead of allocating (at least batch × H × W × C and batch long). */
  out?: { x: Float32Array; y: Int32Array };
}

export interface Batch {
  /** batch × height × width × channels, normalised: (byte/255 − mean) / std. */
  x: Float32Array;
  y: Int32Array;
  /** [batch, height, width, channels] */
  shape: [number, number, number, number];
}

/** byte → normalised value, per channel: table[c * 256 + v]. */
export function normalisationTable(mean: readonly number[], std: readonly number[]): Float32Array {
  const table = new Float32Array(256 * mean.length);
  for (let c = 0; c < mean.length; c++) {
    for (let v = 0; v < 256; v++) table[c * 256 + v] = (v / 255 - mean[c]) / std[c];
  }
  return table;
}

/**
 * The images `indices` of `split` as a normalised float batch with their labels.
 *
 * Augmentation (torchvision's RandomCrop(padding=4) then RandomHorizontalFlip, on the raw
 * image, so padded pixels are black before normalisation): for each image, in order, the
 * rng draws the vertical offset `dy = int(9)`, the horizontal offset `dx = int(9)`, and the
 * flip `next() < 0.5`. Output pixel (r, c) is source pixel (r + dy − 4, c' + dx − 4) with
 * c' = W − 1 − c when flipped, else c; outside the image it is black.
 */
export function makeBatch(split: ImageSplit, indices: ArrayLike<number>, opts: BatchOptions): Batch {
  const channels = opts.mean.length;
  if (channels < 1 || opts.std.length !== channels) {
    throw new RangeError(`mean and std must have one entry per channel (got ${opts.mean.length} and ${opts.std.length})`);
  }
  const imageBytes = split.count > 0 ? split.images.length / split.count : 0;
  let height = opts.height;
  let width = opts.width;
  if (height === undefined || width === undefined) {
    const side = Math.round(Math.sqrt(imageBytes / channels));
    height ??= side;
    width ??= side;
  }
  const pixels = height * width;
  if (pixels * channels !== imageBytes) {
    throw new RangeError(`images of ${imageBytes} bytes are not ${height}×${width}×${channels}`);
  }
  const augment = opts.augment ?? false;
  const rng = opts.rng;
  if (augment && !rng) throw new Error('augmentation needs an rng');

  const b = indices.length;
  const x = opts.out ? opts.out.x : new Float32Array(b * imageBytes);
  const y = opts.out ? opts.out.y : new Int32Array(b);
  if (x.length < b * imageBytes || y.length < b) throw new RangeError('output buffers are too small for the batch');
  const table = normalisationTable(opts.mean, opts.std);
  const src = split.images;
  const rowBytes = width * channels;

  for (let n = 0; n < b; n++) {
    const idx = indices[n];
    if (!Number.isInteger(idx) || idx < 0 || idx >= split.count) {
      throw new RangeError(`index ${idx} is outside the split (0..${split.count - 1})`);
    }
    y[n] = split.labels[idx];
    const base = idx * imageBytes;
    const outBase = n * imageBytes;
    if (!augment) {
      for (let i = 0; i < imageBytes; i++) x[outBase + i] = table[(i % channels) * 256 + src[base + i]];
      continue;
    }
    const r = rng as Rng;
    const dy = r.int(2 * CROP_PAD + 1) - CROP_PAD;
    const dx = r.int(2 * CROP_PAD + 1) - CROP_PAD;
    const flip = r.next() < 0.5;
    for (let row = 0; row < height; row++) {
      const sr = row + dy;
      const outRow = outBase + row * rowBytes;
      if (sr < 0 || sr >= height) {
        for (let col = 0; col < width; col++) {
          for (let c = 0; c < channels; c++) x[outRow + col * channels + c] = table[c * 256];
        }
        continue;
      }
      const srcRow = base + sr * rowBytes;
      for (let col = 0; col < width; col++) {
        const sc = (flip ? width - 1 - col : col) + dx;
        const o = outRow + col * channels;
        if (sc < 0 || sc >= width) {
          for (let c = 0; c < channels; c++) x[o + c] = table[c * 256];
        } else {
          const s = srcRow + sc * channels;
          for (let c = 0; c < channels; c++) x[o + c] = table[c * 256 + src[s + c]];
        }
      }
    }
  }
  return {
    x: x.length === b * imageBytes ? x : x.subarray(0, b * imageBytes),
    y: y.length === b ? y : y.subarray(0, b),
    shape: [b, height, width, channels],
  };
}

/** The rows `indices` of a split, copied. */
export function selectSplit(split: ImageSplit, indices: ArrayLike<number>): ImageSplit {
  const imageBytes = split.count > 0 ? split.images.length / split.count : 0;
  const images = new Uint8Array(indices.length * imageBytes);
  const labels = new Uint8Array(indices.length);
  for (let n = 0; n < indices.length; n++) {
    const i = indices[n];
    images.set(split.images.subarray(i * imageBytes, (i + 1) * imageBytes), n * imageBytes);
    labels[n] = split.labels[i];
  }
  return { images, labels, count: indices.length };
}

function checkSize(what: string, n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) {
    throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
  }
}

/**
 * The first `trainSize` training and `testSize` test images after a seeded shuffle of each
 * split (independent streams: the test subset does not depend on `trainSize`). A size that is
 * undefined or at least the split's count keeps the whole split in its original order. Mean
 * and std are recomputed over the chosen training images.
 */
export function subset(dataset: ImageDataset, trainSize: number | undefined, testSize: number | undefined, rng: Rng): ImageDataset {
  checkSize('train size', trainSize);
  checkSize('test size', testSize);
  const pick = (split: ImageSplit, size: number | undefined, stream: Rng): ImageSplit => {
    if (size === undefined || size >= split.count) return split;
    return selectSplit(split, stream.permutation(split.count).subarray(0, size));
  };
  const train = pick(dataset.train, trainSize, rng.fork('subset-train'));
  const test = pick(dataset.test, testSize, rng.fork('subset-test'));
  if (train === dataset.train && test === dataset.test) return dataset;
  const stats = train === dataset.train ? { mean: dataset.mean, std: dataset.std } : channelStats(train.images, dataset.channels);
  return { ...dataset, train, test, mean: stats.mean, std: stats.std };
}

/**
 * Replaces the labels of round(fraction × count) training images, chosen at random, by a
 * uniformly random class (which may be the old one, so about fraction × (1 − 1/K) labels
 * actually change). Returns a new split; images are shared, labels copied.
 */
export function withLabelNoise(split: ImageSplit, fraction: number, classes: number, rng: Rng): ImageSplit {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`label noise must be in [0, 1], got ${fraction}`);
  if (fraction === 0) return split;
  const labels = split.labels.slice();
  const n = Math.round(fraction * split.count);
  const chosen = rng.permutation(split.count);
  for (let i = 0; i < n; i++) labels[chosen[i]] = rng.int(classes);
  return { images: split.images, labels, count: split.count };
}
