import * as tf from '@tensorflow/tfjs';
import { makeBatch, subset, withLabelNoise } from '../../data/pipeline';
import type { ImageDataset, ImageSplit } from '../../data/types';
import type { Rng } from '../random';
import type { RunConfig } from '../run-record';

/** A run's data, and the training labels as they were before label noise replaced some. */
export type RunData = ImageDataset & { cleanTrainLabels: Uint8Array };

/** The training data a run uses: its seeded subset, with label noise on the training split. */
export function prepareRunData(dataset: ImageDataset, config: RunConfig, rng: Rng): RunData {
  const { trainSize, testSize, labelNoise } = config.dataset;
  const chosen = subset(dataset, trainSize || undefined, testSize || undefined, rng.fork('subset'));
  const cleanTrainLabels = chosen.train.labels;
  if (labelNoise === 0) return { ...chosen, cleanTrainLabels };
  return {
    ...chosen,
    train: withLabelNoise(chosen.train, labelNoise, chosen.classNames.length, rng.fork('label-noise')),
    cleanTrainLabels,
  };
}

export type BatchOptions = Parameters<typeof makeBatch>[2];

/** One batch of `split` as tensors (normalised, optionally augmented), as every training step gets it. */
export function batchTensors(split: ImageSplit, indices: ArrayLike<number>, opts: BatchOptions): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const batch = makeBatch(split, indices, opts);
  return { x: tf.tensor4d(batch.x, batch.shape), y: tf.tensor1d(batch.y, 'int32') };
}
